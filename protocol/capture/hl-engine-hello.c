/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include <string.h>

#include "hl-engine-private.h"
#include "hl-engine-parts.h"
#include "hl-decoder.h"
#include "hl-ocsp.h"
#include "hl-ocsp-check.h"

/* What the hellos carry beyond versions and suites, read back from their bytes on the wire:
 * ALPN, the downgrade sentinel, a stapled OCSP response.
 *
 * ALPN (RFC 7301): what the client offers and the server picks. The application data of every
 * run is HTTP/1.1, so that is all our server speaks; the client also offers h2, as browsers do,
 * so that the server has a choice to make. */

static const char *const client_protocols[] = { "h2", HL_ENGINE_ALPN };
static const char *const server_protocols[] = { HL_ENGINE_ALPN };

gboolean
hl_engine_setup_alpn (Run *run, Peer *peer)
{
  gboolean server = peer->side == HL_SIDE_SERVER;
  const char *const *names = server ? server_protocols : client_protocols;
  guint n = server ? G_N_ELEMENTS (server_protocols) : G_N_ELEMENTS (client_protocols);
  gnutls_datum_t list[G_N_ELEMENTS (client_protocols)];

  for (guint i = 0; i < n; i++)
    {
      list[i].data = (unsigned char *) names[i];
      list[i].size = strlen (names[i]);
    }
  /* The server's preference decides (RFC 7301 §3.2 leaves the choice to the server). */
  return check_gnutls (run, gnutls_alpn_set_protocols (peer->session, list, n,
                                                       server ? GNUTLS_ALPN_SERVER_PRECEDENCE
                                                              : 0),
                       "gnutls_alpn_set_protocols");
}

/* The ALPN extension's value in @message's bytes ("h2, http/1.1" in a ClientHello, the one
 * protocol in a ServerHello or EncryptedExtensions), or NULL when it has none. It reads only the
 * extensions (hl_decoder_alpn), not the whole hello as the inspector does. */
static char *
alpn_of_message (HlEvent *message)
{
  GBytes *bytes = hl_event_get_bytes (message);

  return bytes != NULL ? hl_decoder_alpn (bytes) : NULL;
}

static HlEvent *
find_message (Run *run, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (run->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);

      if (hl_event_get_handshake (event) == run->handshake &&
          hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          g_strcmp0 (hl_event_get_name (event), name) == 0)
        return event;
    }
  return NULL;
}

static void
append_caption (HlEvent *event, const char *sentence)
{
  const char *old = hl_event_get_caption (event);
  g_autofree char *caption = old && *old ? g_strdup_printf ("%s %s", old, sentence)
                                         : g_strdup (sentence);

  hl_event_set_caption (event, caption);
}

/* Whether @field or a field below it is a version naming TLS 1.3. */
static gboolean
names_tls13 (HlField *field)
{
  if (g_str_equal (hl_field_get_name (field), "version") &&
      g_str_has_prefix (hl_field_get_value (field) ? hl_field_get_value (field) : "", "TLS 1.3"))
    return TRUE;
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    if (names_tls13 (hl_field_get_child (field, i)))
      return TRUE;
  return FALSE;
}

/* Whether a ClientHello's supported_versions lists TLS 1.3 (RFC 8446 §4.2.1). */
static gboolean
offers_tls13 (HlEvent *client_hello)
{
  g_autoptr(HlField) root = hl_decode_handshake (hl_event_get_bytes (client_hello), 0, FALSE,
                                                 NULL);
  HlField *versions = root ? hl_field_find (root, "supported_versions") : NULL;

  return versions != NULL && names_tls13 (versions);
}

/* Whether the 8 bytes that end a ServerHello's random (after the 4-byte header and the 2-byte
 * version) spell "DOWNGRD" and a version byte: only then does the decoder show a sentinel. */
static gboolean
may_hold_sentinel (HlEvent *server_hello)
{
  static const guint8 downgrd[7] = { 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44 };
  GBytes *bytes = hl_event_get_bytes (server_hello);
  gsize len = 0;
  const guint8 *p = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  return len >= 4 + 2 + 32 && memcmp (p + 4 + 2 + 24, downgrd, sizeof downgrd) == 0 &&
         p[4 + 2 + 31] <= 1;
}

/* RFC 8446 §4.1.3: a server that speaks TLS 1.3 and settles on an older version says so in the
 * last 8 bytes of its random. Whether this client offered TLS 1.3 decides what the bytes mean.
 * (The hellos are decoded only when the bytes are there: decoding both costs about a tenth of a
 * whole handshake.) */
static void
tell_sentinel (HlEvent *server_hello, HlEvent *client_hello)
{
  g_autoptr(HlField) root = NULL;
  HlField *sentinel;
  gboolean offered_tls13;
  g_autofree char *sentence = NULL;

  if (!may_hold_sentinel (server_hello))
    return;
  root = hl_decode_handshake (hl_event_get_bytes (server_hello), 0, FALSE, NULL);
  sentinel = root ? hl_field_find (root, "downgrade_sentinel") : NULL;
  if (sentinel == NULL)
    return;
  offered_tls13 = offers_tls13 (client_hello);
  sentence = g_strdup_printf ("Its random ends in %s (the letters \"DOWNGRD\" and a version "
                              "byte): this server speaks TLS 1.3 but settled on an older "
                              "version. %s",
                              hl_field_get_value (sentinel),
                              offered_tls13
                                ? "The client offered TLS 1.3, so someone removed its offer: "
                                  "it must abort (RFC 8446 §4.1.3)."
                                : "The ClientHello it answers offers nothing newer; only a "
                                  "hello that offered TLS 1.3 would make its sender abort here "
                                  "(RFC 8446 §4.1.3).");
  append_caption (server_hello, sentence);
}

/* The value of the derived field @name below @f, or "?" */
static const char *
value_below (HlField *f, const char *name)
{
  HlField *child = hl_field_find (f, name);

  return child && hl_field_get_value (child) ? hl_field_get_value (child) : "?";
}

/* What the stapled OCSP response says, in the caption of the message that carries it: TLS 1.2's
 * CertificateStatus (RFC 6066 §8), or TLS 1.3's server Certificate (RFC 8446 §4.4.2.1). */
static void
tell_ocsp (Run *run, gboolean tls13)
{
  HlEvent *carrier = NULL;
  g_autoptr(HlField) root = NULL;
  HlField *der;
  gsize body = 0;
  g_autofree char *sentence = NULL;

  for (guint i = 0; i < hl_trace_get_n_events (run->trace) && carrier == NULL; i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);

      if (hl_event_get_handshake (event) == run->handshake &&
          hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          hl_event_get_side (event) == HL_SIDE_SERVER &&
          g_strcmp0 (hl_event_get_name (event), tls13 ? "Certificate" : "CertificateStatus") == 0)
        carrier = event;
    }
  if (carrier == NULL)
    return;
  root = hl_decode_handshake (hl_event_get_bytes (carrier), 0, tls13, NULL);
  der = root ? hl_field_find (root, tls13 ? "ocsp_response" : "response") : NULL;
  if (der == NULL || hl_field_find (der, "cert_status") == NULL)
    return;
  body = g_bytes_get_size (hl_event_get_bytes (carrier)) - 4;
  /* the DER follows its 3-byte length */
  if (tls13)
    {
      sentence = g_strdup_printf ("Stapled to it, as the client asked with status_request: an "
                                  "OCSP response (%" G_GSIZE_FORMAT " bytes of DER) signed by "
                                  "%s, saying the certificate is %s until %s.",
                                  hl_field_get_length (der) - 3, value_below (der, "responder"),
                                  value_below (der, "cert_status"),
                                  value_below (der, "next_update"));
      append_caption (carrier, sentence);
      return;
    }
  sentence = g_strdup_printf ("The server staples an OCSP response to its certificate, as the "
                              "client asked with status_request: %" G_GSIZE_FORMAT " bytes of "
                              "DER in a %" G_GSIZE_FORMAT "-byte body, signed by %s, saying the "
                              "certificate is %s until %s. The client need not ask the "
                              "authority itself (RFC 6066 §8).", hl_field_get_length (der) - 3,
                              body, value_below (der, "responder"),
                              value_below (der, "cert_status"), value_below (der, "next_update"));
  hl_event_set_caption (carrier, sentence);
}

char *
hl_engine_collect_hellos (Run *run, gboolean tls13, gnutls_session_t session)
{
  HlEvent *hello = find_message (run, "ClientHello");
  /* TLS 1.2 answers in the ServerHello, TLS 1.3 in EncryptedExtensions (RFC 8446 §4.2) */
  HlEvent *answer = find_message (run, tls13 ? "EncryptedExtensions" : "ServerHello");
  g_autofree char *offered = hello ? alpn_of_message (hello) : NULL;
  char *selected = answer ? alpn_of_message (answer) : NULL;
  gnutls_datum_t reported = { NULL, 0 };

  /* What GnuTLS says it selected must be what the bytes say. (A live peer's message may be
   * missing from the trace if the connection broke off; then the wire says nothing and GnuTLS's
   * claim alone is not taken.) */
  if (gnutls_alpn_get_selected_protocol (session, &reported) == 0 &&
      (selected != NULL || run->local == HL_SIDE_NONE) &&
      (selected == NULL || strlen (selected) != reported.size ||
       memcmp (selected, reported.data, reported.size) != 0))
    hl_engine_set_error (run, HL_ENGINE_ERROR_UNEXPECTED,
                         "ALPN: GnuTLS reports “%.*s” but the %s on the wire says “%s”",
                         (int) reported.size, (const char *) reported.data,
                         tls13 ? "EncryptedExtensions" : "ServerHello",
                         selected ? selected : "nothing");

  if (run->capture && offered != NULL)
    {
      g_autofree char *sentence = g_strdup_printf ("It also names the application protocols "
                                                   "it can speak inside TLS (ALPN): %s.",
                                                   offered);
      append_caption (hello, sentence);
    }
  if (run->capture && selected != NULL)
    {
      g_autofree char *sentence = g_strdup_printf ("Of the application protocols the client "
                                                   "offered, the server picks %s (ALPN).",
                                                   selected);
      append_caption (answer, sentence);
    }
  if (run->capture && hello != NULL && !tls13 && (answer = find_message (run, "ServerHello")))
    tell_sentinel (answer, hello);
  /* a server of ours staples only the response hl_engine_setup_ocsp() gave it: without one
   * there is nothing to find, and decoding the Certificate to look costs as much as the rest */
  if (run->capture && (run->config->ocsp || run->local == HL_SIDE_CLIENT))
    tell_ocsp (run, tls13);
  return selected;
}

/* OCSP stapling (RFC 6066 §8; in TLS 1.3 inside the Certificate entry, RFC 8446 §4.4.2.1). */

gboolean
hl_engine_setup_ocsp (Run *run, GError **error)
{
  g_autoptr(GBytes) der = NULL;
  gnutls_datum_t datum;
  gsize len = 0;

  if (!run->config->ocsp)
    return TRUE;
  der = hl_ocsp_make_response (run->pki, run->server_identity, g_get_real_time () / G_USEC_PER_SEC,
                               error);
  if (der == NULL)
    return FALSE;
  datum.data = (unsigned char *) g_bytes_get_data (der, &len);
  datum.size = (unsigned int) len;
  /* index 0: the server credentials hold one certificate chain */
  return hl_engine_gnutls_ok (gnutls_certificate_set_ocsp_status_request_mem (run->server_cred,
                                                                               &datum, 0,
                                                                               GNUTLS_X509_FMT_DER),
                              "gnutls_certificate_set_ocsp_status_request_mem", error);
}

void
hl_engine_check_ocsp (Peer *client)
{
  Run *run = client->run;
  gnutls_session_t s = client->session;
  gnutls_datum_t stapled = { NULL, 0 };
  unsigned n = 0;
  const gnutls_datum_t *certs = gnutls_certificate_get_peers (s, &n);
  gnutls_x509_crt_t leaf = NULL, issuer = NULL;
  gboolean library, ours = FALSE;
  g_autofree char *why = NULL;
  g_autofree char *cap = NULL;
  g_autofree char *tech = NULL;
  g_autoptr(GBytes) der = NULL;

  if (!run->capture || gnutls_ocsp_status_request_get2 (s, 0, &stapled) < 0 || n == 0)
    return;
  der = g_bytes_new (stapled.data, stapled.size);
  /* GnuTLS's verdict: it checked the response while verifying the chain */
  library = gnutls_ocsp_status_request_is_checked (s, 0) != 0;

  /* our own: the response's signature with the issuing CA's key (ours in memory; in live mode
   * the next certificate of the chain the peer sent), its CertID, its status */
  if (gnutls_x509_crt_init (&leaf) >= 0 &&
      gnutls_x509_crt_import (leaf, &certs[0], GNUTLS_X509_FMT_DER) >= 0)
    {
      gnutls_x509_crt_t ca = NULL;

      if (run->local == HL_SIDE_NONE && run->pki != NULL)
        ca = hl_pki_get_certificate (run->pki, hl_pki_get_issuer (run->server_identity));
      else if (n > 1 && gnutls_x509_crt_init (&issuer) >= 0 &&
               gnutls_x509_crt_import (issuer, &certs[1], GNUTLS_X509_FMT_DER) >= 0)
        ca = issuer;
      if (ca != NULL)
        ours = hl_ocsp_check_response (der, ca, leaf, &why);
      else
        why = g_strdup ("the issuing CA's certificate is not at hand");
    }
  else
    why = g_strdup ("the server certificate does not import");
  g_clear_pointer (&leaf, gnutls_x509_crt_deinit);
  g_clear_pointer (&issuer, gnutls_x509_crt_deinit);

  cap = g_strdup_printf ("The client checks the OCSP response the server stapled to its "
                         "certificate (%u bytes of DER): it must be signed by the CA that issued "
                         "the certificate and say \"good\" for exactly this certificate. "
                         "GnuTLS %s it; our own check %s.", stapled.size,
                         library ? "accepted" : "did not accept",
                         ours ? "of its signature against the CA's public key, its certificate "
                                "ID and its status agrees"
                              : why);
  tech = g_strdup_printf ("gnutls_ocsp_status_request_is_checked = %d · "
                          "gnutls_ocsp_resp_verify_direct + gnutls_ocsp_resp_check_crt + status "
                          "good: %s (RFC 6960 §4.2, RFC 6066 §8)", library,
                          ours ? "yes" : why);
  add_action (run, HL_SIDE_CLIENT, HL_SIDE_CA, "Check the stapled OCSP response",
              library && ours ? HL_CHECK_OK : HL_CHECK_FAILED, cap, tech);
}
