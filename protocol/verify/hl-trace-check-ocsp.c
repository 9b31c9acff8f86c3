/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-check"
#include "config.h"

#include "hl-decoder.h"
#include "hl-ocsp-check.h"
#include "hl-trace-check-private.h"

/*
 * The opened-trace check, OCSP stapling: a ✓ on "Check the stapled OCSP response" holds only if
 * the response in the file's bytes — TLS 1.2's CertificateStatus (RFC 6066 §8) or TLS 1.3's
 * certificate entry (RFC 8446 §4.4.2.1) — is signed by the file's CA and says "good" for the
 * file's server certificate.
 */

static gnutls_x509_crt_t
import_crt (GBytes *der)
{
  gnutls_x509_crt_t crt = NULL;
  gsize len = 0;
  gnutls_datum_t datum;

  if (der == NULL || gnutls_x509_crt_init (&crt) < 0)
    return NULL;
  datum.data = (unsigned char *) g_bytes_get_data (der, &len);
  datum.size = (unsigned int) len;
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    g_clear_pointer (&crt, gnutls_x509_crt_deinit);
  return crt;
}

/* The DER of the response stapled in @handshake, from the message that carries it, or NULL. */
static GBytes *
stapled_response (HlTrace *trace, guint handshake)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      GBytes *bytes = hl_event_get_bytes (event);
      gboolean tls13 = g_strcmp0 (hl_event_get_name (event), "Certificate") == 0;
      g_autoptr(HlField) root = NULL;
      HlField *der;

      if (hl_event_get_handshake (event) != handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE || bytes == NULL ||
          hl_trace_get_role (trace, handshake, hl_event_get_side (event)) != HL_SIDE_SERVER ||
          (!tls13 && g_strcmp0 (hl_event_get_name (event), "CertificateStatus") != 0))
        continue;
      root = hl_decode_handshake (bytes, 0, tls13, NULL);
      der = root ? hl_field_find (root, tls13 ? "ocsp_response" : "response") : NULL;
      /* the DER follows its 3-byte length */
      if (der != NULL && hl_field_get_length (der) > 3)
        return g_bytes_new_from_bytes (bytes, hl_field_get_offset (der) + 3,
                                       hl_field_get_length (der) - 3);
    }
  return NULL;
}

void
hl_recheck_ocsp (HlTrace *trace, HlTraceCheck *check)
{
  GPtrArray *chain = hl_trace_get_server_chain (trace);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GBytes) der = NULL;
      gnutls_x509_crt_t ca, leaf;
      g_autofree char *why = NULL;
      gboolean good;

      if (hl_event_get_kind (event) != HL_EVENT_ACTION ||
          hl_event_get_check (event) != HL_CHECK_OK ||
          g_strcmp0 (hl_event_get_name (event), "Check the stapled OCSP response") != 0)
        continue;
      der = stapled_response (trace, hl_event_get_handshake (event));
      ca = import_crt (hl_trace_get_ca_certificate (trace));
      leaf = chain->len > 0 ? import_crt (g_ptr_array_index (chain, 0)) : NULL;
      if (der == NULL)
        why = g_strdup ("no stapled OCSP response is in the server's messages");
      else if (ca == NULL || leaf == NULL)
        why = g_strdup ("the file holds no CA or server certificate to check it against");
      good = why == NULL && hl_ocsp_check_response (der, ca, leaf, &why);
      if (!good)
        add (check, (int) i, g_strdup_printf ("events[%u].check", i),
             "Check the stapled OCSP response ✓", "✗ — %s", why);
      g_clear_pointer (&ca, gnutls_x509_crt_deinit);
      g_clear_pointer (&leaf, gnutls_x509_crt_deinit);
    }
}
