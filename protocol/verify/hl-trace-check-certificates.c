/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-check"
#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-signature.h"
#include "hl-trace-check-private.h"

/*
 * The opened-trace check, authentication (see hl-trace-check-private.h). Sections: signatures ·
 * certificates · chain verifications.
 */

/* Signatures: the ✓ or ✗ on a "Check the … signature" step is what our own check of the signed
 * content against the signer's certificate gives. */
void
hl_recheck_signatures (HlTrace *trace, HlTraceCheck *check)
{
  g_autoptr(GPtrArray) checks = hl_trace_check_signatures (trace);

  for (guint c = 0; c < checks->len; c++)
    {
      HlSignatureCheck *sc = g_ptr_array_index (checks, c);
      HlSide verifier = sc->signer == HL_SIDE_SERVER ? HL_SIDE_CLIENT : HL_SIDE_SERVER;

      for (guint i = sc->message + 1; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);
          g_autofree char *claim = NULL;

          if (hl_event_get_handshake (event) != sc->handshake ||
              hl_event_get_kind (event) != HL_EVENT_ACTION ||
              hl_event_get_side (event) != verifier ||
              !g_str_has_suffix (hl_event_get_name (event), "signature"))
            continue;
          if (hl_event_get_check (event) != sc->check)
            {
              claim = g_strdup_printf ("%s %s", hl_event_get_name (event),
                                       check_word (hl_event_get_check (event)));
              add (check, (int) i, g_strdup_printf ("events[%u].check", i), claim, "%s — %s",
                   check_word (sc->check), sc->detail ? sc->detail : "");
            }
          break;
        }
    }
}

/* Certificates: the chains the file lists are the certificates in the Certificate messages
 * (RFC 5246 §7.4.2: a 3-byte list of 3-byte-length DER; RFC 8446 §4.4.2: a context first and
 * extensions after each entry). */

static GPtrArray *
parse_certificate_list (GBytes *message, gboolean tls13)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (message, &len);
  gsize at = 4;
  gsize end;

  if (len < 4)
    return NULL;
  if (tls13)
    {
      if (at >= len || at + 1 + p[at] > len)
        return NULL;
      at += 1 + p[at];
    }
  if (at + 3 > len)
    return NULL;
  end = at + 3 + ((gsize) p[at] << 16 | (gsize) p[at + 1] << 8 | p[at + 2]);
  at += 3;
  if (end != len)
    return NULL;
  while (at < end)
    {
      gsize n;

      if (end - at < 3)
        return NULL;
      n = (gsize) p[at] << 16 | (gsize) p[at + 1] << 8 | p[at + 2];
      at += 3;
      if (end - at < n)
        return NULL;
      g_ptr_array_add (list, g_bytes_new_from_bytes (message, at, n));
      at += n;
      if (tls13)
        {
          if (end - at < 2 || end - at - 2 < (gsize) (p[at] << 8 | p[at + 1]))
            return NULL;
          at += 2 + (p[at] << 8 | p[at + 1]);
        }
    }
  return g_steal_pointer (&list);
}

void
hl_recheck_chain (HlTrace *trace, HlTraceCheck *check, HlSide side)
{
  GPtrArray *chain = side == HL_SIDE_SERVER ? hl_trace_get_server_chain (trace)
                                            : hl_trace_get_client_chain (trace);
  const char *member = side == HL_SIDE_SERVER ? "server_chain" : "client_chain";

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GPtrArray) list = NULL;
      GBytes *bytes = hl_event_get_bytes (event);

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_content_type (event) != HL_CONTENT_HANDSHAKE ||
          hl_event_get_handshake_type (event) != HT_CERTIFICATE ||
          hl_event_get_side (event) != side || bytes == NULL)
        continue;
      list = parse_certificate_list (bytes, TRUE);
      if (list == NULL)
        list = parse_certificate_list (bytes, FALSE);
      if (list == NULL)
        return;   /* the decoder check names a message that does not parse */
      if (list->len != chain->len)
        {
          g_autofree char *claim = g_strdup_printf ("%u certificates", chain->len);

          add (check, (int) i, g_strdup_printf ("certificates.%s", member), claim,
               "the %s's Certificate message (event %u) holds %u", hl_side_to_string (side), i,
               list->len);
          return;
        }
      for (guint c = 0; c < chain->len; c++)
        if (!g_bytes_equal (g_ptr_array_index (chain, c), g_ptr_array_index (list, c)))
          {
            g_autofree char *claim = short_hex (g_ptr_array_index (chain, c));

            add (check, (int) i, g_strdup_printf ("certificates.%s[%u]", member, c), claim,
                 "not certificate %u of the %s's Certificate message (event %u)", c,
                 hl_side_to_string (side), i);
          }
      return;   /* the first Certificate of the side; a resumption sends none */
    }
}

/* Chain verifications: what a verifier concluded about the chain in the Certificate message it
 * received, recomputed against the trust anchor the file names (RFC 5280 §6 path validation, by
 * GnuTLS's primitive) with the validity periods checked at the time the trace was made and the
 * name checked as the verifier did (RFC 6125). Live traces trusted the system store, which is
 * not in the file: not checked. */

#define STATUS_MASK (GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_EXPIRED | \
                     GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_UNEXPECTED_OWNER | \
                     GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_CA)

/* @now < 0: the trace's time is itself in doubt, validity periods are not checked. */
static gboolean
recompute_status (GPtrArray *chain, GBytes *ca_der, gint64 now, const char *hostname,
                  guint *out)
{
  gnutls_x509_crt_t *certs = g_new0 (gnutls_x509_crt_t, MAX (chain->len, 1));
  gnutls_x509_crt_t ca = NULL;
  gnutls_x509_trust_list_t list = NULL;
  unsigned int status = 0;
  gboolean ok = FALSE;
  guint n = 0;

  for (; n < chain->len; n++)
    {
      gnutls_datum_t der = { (unsigned char *) g_bytes_get_data (g_ptr_array_index (chain, n),
                                                                 NULL),
                             (unsigned int) g_bytes_get_size (g_ptr_array_index (chain, n)) };

      if (gnutls_x509_crt_init (&certs[n]) < 0)
        goto out;
      if (gnutls_x509_crt_import (certs[n], &der, GNUTLS_X509_FMT_DER) < 0)
        {
          n++;
          goto out;
        }
    }
  {
    gnutls_datum_t der = { (unsigned char *) g_bytes_get_data (ca_der, NULL),
                           (unsigned int) g_bytes_get_size (ca_der) };

    if (gnutls_x509_crt_init (&ca) < 0 || gnutls_x509_crt_import (ca, &der,
                                                                   GNUTLS_X509_FMT_DER) < 0)
      goto out;
  }
  if (n == 0 || gnutls_x509_trust_list_init (&list, 0) < 0)
    goto out;
  if (gnutls_x509_trust_list_add_cas (list, &ca, 1, 0) != 1)
    goto out;
  ca = NULL;   /* the list owns it */
  if (gnutls_x509_trust_list_verify_crt2 (list, certs, n, NULL, 0,
                                          GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                          GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                          &status, NULL) < 0)
    goto out;
  for (guint i = 0; i < n; i++)
    {
      time_t activation = gnutls_x509_crt_get_activation_time (certs[i]);
      time_t expiration = gnutls_x509_crt_get_expiration_time (certs[i]);

      if (now < 0)
        break;
      if (activation != (time_t) -1 && now < (gint64) activation)
        status |= GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_INVALID;
      if (expiration != (time_t) -1 && now > (gint64) expiration)
        status |= GNUTLS_CERT_EXPIRED | GNUTLS_CERT_INVALID;
    }
  if (hostname && !gnutls_x509_crt_check_hostname2 (certs[0], hostname, 0))
    status |= GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_INVALID;
  *out = status;
  ok = TRUE;

out:
  for (guint i = 0; i < n; i++)
    gnutls_x509_crt_deinit (certs[i]);
  g_free (certs);
  if (ca)
    gnutls_x509_crt_deinit (ca);
  if (list)
    gnutls_x509_trust_list_deinit (list, 1);
  return ok;
}

/* The first Certificate message @side sent in @handshake, or -1. */
static int
certificate_message (HlTrace *trace, HlSide side, guint handshake)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          hl_event_get_content_type (event) == HL_CONTENT_HANDSHAKE &&
          hl_event_get_handshake_type (event) == HT_CERTIFICATE &&
          hl_event_get_side (event) == side && hl_event_get_handshake (event) == handshake &&
          hl_event_get_bytes (event) != NULL)
        return (int) i;
    }
  return -1;
}

static gboolean
timestamps_differ (HlTraceCheck *check)
{
  for (guint i = 0; i < check->differences->len; i++)
    if (g_str_has_suffix (((HlDifference *) g_ptr_array_index (check->differences, i))->path,
                          ".timestamp_us"))
      return TRUE;
  return FALSE;
}

/* The verdict the "Verify the certificate chain" step at @step stands for: the whole status,
 * or — when the engine showed the name check as its own step right after it ("Check the host
 * name", RFC 6125) and only the name was wrong — the chain alone, which is then trusted. */
static guint
chain_status (HlTrace *trace, guint step, guint status)
{
  HlEvent *next = step + 1 < hl_trace_get_n_events (trace)
                    ? hl_trace_get_event (trace, step + 1) : NULL;

  if ((status & GNUTLS_CERT_UNEXPECTED_OWNER) &&
      (status & ~(GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_INVALID)) == 0 && next &&
      g_strcmp0 (hl_event_get_name (next), "Check the host name") == 0 &&
      hl_event_get_check (next) == HL_CHECK_FAILED)
    return 0;
  return status;
}

void
hl_recheck_verifications (HlTrace *trace, HlTraceCheck *check)
{
  GPtrArray *verifications = hl_trace_get_verifications (trace);
  GBytes *ca = hl_trace_get_ca_certificate (trace);
  /* GnuTLS checked validity at the time of the run; the trace starts then — unless its times
   * are a difference already (hl_recheck_timestamps()), which would make every period look wrong */
  gboolean times_ok = !timestamps_differ (check);
  gint64 now = times_ok ? MAX (hl_trace_get_created (trace) / G_USEC_PER_SEC, 0) : -1;
  guint mask = times_ok ? STATUS_MASK
                        : STATUS_MASK & ~(GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED);

  for (guint v = 0; v < verifications->len; v++)
    {
      const HlVerification *ver = g_ptr_array_index (verifications, v);
      HlSide sender = ver->verifier == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
      int message = certificate_message (trace, sender, ver->handshake);
      g_autoptr(GPtrArray) chain = NULL;
      int step = -1;
      guint status = 0;
      g_autofree char *claim = NULL;

      if (hl_trace_get_live (trace) != NULL || ca == NULL || ver->rc != 0)
        {
          g_ptr_array_add (check->unchecked,
                           g_strdup_printf ("verifications[%u] (the %s's verdict on the %s's "
                                            "chain%s)", v, hl_side_to_string (ver->verifier),
                                            hl_side_to_string (sender),
                                            hl_trace_get_live (trace)
                                              ? ": its trust anchors are not in the file" : ""));
          continue;
        }
      if (message < 0)
        continue;
      chain = parse_certificate_list (hl_event_get_bytes (hl_trace_get_event (trace,
                                                                                (guint) message)),
                                      TRUE);
      if (chain == NULL)
        chain = parse_certificate_list (hl_event_get_bytes (hl_trace_get_event (
                                          trace, (guint) message)), FALSE);
      if (chain == NULL || chain->len == 0 ||
          !recompute_status (chain, ca, now, ver->hostname, &status))
        continue;
      for (guint i = (guint) message + 1; i < hl_trace_get_n_events (trace) && step < 0; i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);

          if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
              hl_event_get_side (event) == ver->verifier &&
              hl_event_get_handshake (event) == ver->handshake &&
              g_str_equal (hl_event_get_name (event), "Verify the certificate chain"))
            step = (int) i;
        }
      if (!times_ok && (ver->status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED)))
        continue;   /* its verdict rests on a time the file does not give */
      claim = g_strdup_printf ("%s, status 0x%x", ver->trusted ? "trusted" : "not trusted",
                               ver->status & mask);
      if ((ver->status & mask) != (status & mask) || !ver->trusted != (status != 0))
        add (check, step >= 0 ? step : message, g_strdup_printf ("verifications[%u]", v), claim,
             "verified again against the trust anchor in the file, at the trace's time: %s, "
             "status 0x%x", status == 0 ? "trusted" : "not trusted", status & mask);
      else if (step >= 0 &&
               hl_event_get_check (hl_trace_get_event (trace, (guint) step)) !=
                 (chain_status (trace, (guint) step, status) == 0 ? HL_CHECK_OK
                                                                  : HL_CHECK_FAILED))
        {
          HlEvent *event = hl_trace_get_event (trace, (guint) step);
          guint expected = chain_status (trace, (guint) step, status);

          g_free (claim);
          claim = g_strdup_printf ("%s %s", hl_event_get_name (event),
                                   check_word (hl_event_get_check (event)));
          add (check, step, g_strdup_printf ("events[%d].check", step), claim,
               "%s — verified again against the trust anchor in the file: %s",
               check_word (expected == 0 ? HL_CHECK_OK : HL_CHECK_FAILED),
               expected == 0 ? "trusted" : "not trusted");
        }
    }
}
