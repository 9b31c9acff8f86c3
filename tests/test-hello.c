/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gnutls/ocsp.h>

#include "hl-decoder.h"
#include "hl-engine.h"
#include "hl-export.h"
#include "hl-ocsp.h"
#include "hl-ocsp-check.h"
#include "hl-pipe.h"
#include "hl-pki.h"
#include "hl-print.h"
#include "hl-trace-check.h"
#include "hl-trace-io.h"

/* What the hellos carry beyond the basics (issue 12): ALPN in every scenario, the TLS 1.3
 * downgrade sentinel, OCSP stapling. */

/* The scenario's trace; whether its handshake should succeed is the scenario's business. */
static HlTrace *
run_ok (const char *id)
{
  GError *error = NULL;
  HlTrace *trace = hl_engine_run_scenario (id, NULL, &error);

  g_assert_no_error (error);
  return trace;
}

/* The ALPN extension of a message event, decoded from its bytes; NULL when it has none. */
static char *
alpn_field (HlEvent *message, gboolean tls13, gsize *name_offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) root = hl_decode_handshake (hl_event_get_bytes (message), 0, tls13,
                                                 &error);
  HlField *ext;
  HlField *name;

  g_assert_no_error (error);
  ext = hl_field_find (root, "application_layer_protocol_negotiation");
  if (ext == NULL)
    return NULL;
  name = hl_field_find (ext, "protocol_name");
  g_assert_nonnull (name);
  *name_offset = hl_field_get_offset (name);
  return g_strdup (hl_field_get_value (ext));
}

/* hl_decoder_alpn(), which reads only the extensions, says what the full decoder shows. */
static void
assert_alpn_agrees (GBytes *bytes, gboolean tls13)
{
  g_autoptr(HlField) root = hl_decode_handshake (bytes, 0, tls13, NULL);
  HlField *ext = root ? hl_field_find (root, "application_layer_protocol_negotiation") : NULL;
  g_autofree char *fast = hl_decoder_alpn (bytes);

  g_assert_cmpstr (fast, ==, ext ? hl_field_get_value (ext) : NULL);
}

/* …on @message, on every truncation of it, with a byte after it, and with that byte inside its
 * body (the header's length counting it). */
static void
assert_alpn_agrees_damaged (HlEvent *message, gboolean tls13)
{
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (hl_event_get_bytes (message), &n);
  g_autoptr(GByteArray) longer = g_byte_array_new ();
  g_autoptr(GBytes) trailing = NULL;
  g_autoptr(GBytes) inside = NULL;
  guint8 zero = 0;
  gsize body;

  assert_alpn_agrees (hl_event_get_bytes (message), tls13);
  for (gsize cut = 0; cut < n; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new (p, cut);

      assert_alpn_agrees (part, tls13);
    }
  g_byte_array_append (longer, p, n);
  g_byte_array_append (longer, &zero, 1);
  trailing = g_bytes_new (longer->data, longer->len);
  assert_alpn_agrees (trailing, tls13);
  g_assert_cmpuint (n, >=, 4);
  body = n - 4 + 1;
  longer->data[1] = (guint8) (body >> 16);
  longer->data[2] = (guint8) (body >> 8);
  longer->data[3] = (guint8) body;
  inside = g_bytes_new (longer->data, longer->len);
  assert_alpn_agrees (inside, tls13);
}

/* Every ClientHello offers h2 and http/1.1; every server that answered picked http/1.1, in
 * its ServerHello (1.2) or EncryptedExtensions (1.3); the negotiated fact says the same, and
 * the bytes at the field's offset spell it. The engine's own ALPN reader agrees with the full
 * decoder on every hello, whole and damaged. */
static void
test_alpn (gconstpointer data)
{
  const HlScenario *scenario = data;
  g_autoptr(HlTrace) trace = run_ok (scenario->id);
  GPtrArray *negs = hl_trace_get_negotiated (trace);
  guint hellos = 0;
  guint answers = 0;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      const char *name = hl_event_get_name (event);
      const HlNegotiated *neg = NULL;
      gboolean tls13;
      g_autofree char *alpn = NULL;
      gsize offset = 0;

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE)
        continue;
      for (guint n = 0; n < negs->len; n++)
        if (((HlNegotiated *) g_ptr_array_index (negs, n))->handshake ==
            hl_event_get_handshake (event))
          neg = g_ptr_array_index (negs, n);
      g_assert_nonnull (neg);
      tls13 = g_strcmp0 (neg->version, "TLS1.3") == 0;

      if (g_str_equal (name, "ServerHello") || g_str_equal (name, "HelloRetryRequest") ||
          g_str_equal (name, "EncryptedExtensions"))
        assert_alpn_agrees (hl_event_get_bytes (event), tls13);
      if (g_str_equal (name, "ClientHello"))
        {
          assert_alpn_agrees_damaged (event, tls13);
          alpn = alpn_field (event, tls13, &offset);
          g_assert_cmpstr (alpn, ==, "h2, http/1.1");
          hellos++;
        }
      else if (g_str_equal (name, tls13 ? "EncryptedExtensions" : "ServerHello"))
        {
          const guint8 *p = g_bytes_get_data (hl_event_get_bytes (event), NULL);

          assert_alpn_agrees_damaged (event, tls13);
          alpn = alpn_field (event, tls13, &offset);
          g_assert_cmpstr (alpn, ==, "http/1.1");
          g_assert_cmpstr (neg->alpn, ==, alpn);
          /* protocol_name: a 1-byte length, then the name */
          g_assert_cmpuint (p[offset], ==, strlen ("http/1.1"));
          g_assert_cmpmem (p + offset + 1, strlen ("http/1.1"), "http/1.1", strlen ("http/1.1"));
          g_assert_nonnull (strstr (hl_event_get_caption (event), "picks http/1.1 (ALPN)"));
          answers++;
        }
    }
  g_assert_cmpuint (hellos, >=, 1);
  for (guint n = 0; n < negs->len; n++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, n);

      /* a finished handshake selected it, and it is on the wire */
      if (neg->cipher_suite != NULL)
        g_assert_cmpstr (neg->alpn, ==, "http/1.1");
      if (neg->alpn != NULL)
        g_assert_cmpuint (answers, >=, 1);
    }
}

/* Hand-made messages where the ALPN reader has choices to get right: an empty name, a second
 * ALPN extension (the first counts, a broken second one spoils the message), a list with
 * trailing bytes, an empty list, no extensions, an odd-length ClientHello suite list. */
static void
test_alpn_made (void)
{
  static const struct
  {
    const char *hex;
    const char *alpn;
  } cases[] = {
    { "0800000b" "0009" "0010000500030001" "68", "h" },
    { "08000014" "0012" "001000050003026832" "001000050003026869", "h2" },
    { "08000013" "0011" "001000050003026868" "0010000400030168", NULL },
    { "0800000a" "0008" "00100004000100" "00", NULL },
    { "08000008" "0006" "001000020000", "" },
    { "08000002" "0000", NULL },
    { "08000000", NULL },
    { "01000035" "0303" "0000000000000000000000000000000000000000000000000000000000000000" "00"
      "0003130100" "0100" "0009001000050003026832", NULL },
    { "01000034" "0303" "0000000000000000000000000000000000000000000000000000000000000000" "00"
      "00021301" "0100" "0009001000050003026832", "h2" },
    { "01000029" "0303" "0000000000000000000000000000000000000000000000000000000000000000" "00"
      "00021301" "0100", NULL },
    { "02000037" "0303" "1111111111111111111111111111111111111111111111111111111111111111" "00"
      "1301" "00" "000f" "002b00020304" "001000050003026832", "h2" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = strlen (cases[i].hex) / 2;
      g_autofree guint8 *data = g_malloc (len);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *alpn = NULL;

      for (gsize b = 0; b < len; b++)
        data[b] = (guint8) g_ascii_strtoull ((char[]) { cases[i].hex[2 * b],
                                                        cases[i].hex[2 * b + 1], 0 }, NULL, 16);
      bytes = g_bytes_new (data, len);
      assert_alpn_agrees (bytes, data[0] != 1);
      alpn = hl_decoder_alpn (bytes);
      g_assert_cmpstr (alpn, ==, cases[i].alpn);
    }
}

/* "alpn" is an optional member: saved, loaded back, and absent from older files, which still
 * load (without it). */
static void
test_alpn_json (void)
{
  g_autoptr(HlTrace) trace = run_ok ("tls13");
  g_autoptr(JsonNode) root = hl_trace_to_json (trace);
  JsonObject *neg = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "negotiated"), 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) old = NULL;
  g_autofree char *text = hl_trace_dup_text (trace, HL_PRINT_DEFAULT);
  g_autofree char *markdown = hl_trace_dup_markdown (trace);
  g_autoptr(HlTrace) failed = run_ok ("fail-version-mismatch");
  g_autofree char *failed_text = hl_trace_dup_text (failed, HL_PRINT_DEFAULT);

  g_assert_cmpstr (json_object_get_string_member (neg, "alpn"), ==, "http/1.1");
  g_assert_nonnull (strstr (text, "  ALPN           http/1.1\n"));
  g_assert_nonnull (strstr (markdown, "| ALPN | http/1.1 |"));
  /* no ServerHello, nothing selected: not a made-up default */
  g_assert_nonnull (strstr (failed_text, "  ALPN           not reached\n"));

  json_object_remove_member (neg, "alpn");
  old = hl_trace_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_null (((HlNegotiated *) g_ptr_array_index (hl_trace_get_negotiated (old), 0))->alpn);
  g_assert_false (hl_trace_equal (trace, old, NULL));
}

/* The first message called @name in @trace. */
static HlEvent *
find_message (HlTrace *trace, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && g_str_equal (hl_event_get_name (event),
                                                                        name))
        return event;
    }
  g_assert_not_reached ();
}

/* The downgrade_sentinel field of a ServerHello's wire form, or NULL. */
static const char *
sentinel_of (GBytes *server_hello, HlField **root, gsize *offset)
{
  g_autoptr(GError) error = NULL;
  HlField *f;

  *root = hl_decode_handshake (server_hello, 0, FALSE, &error);
  g_assert_no_error (error);
  f = hl_field_find (*root, "downgrade_sentinel");
  if (f == NULL)
    return NULL;
  *offset = hl_field_get_offset (f);
  g_assert_cmpuint (hl_field_get_length (f), ==, 8);
  g_assert_cmpstr (hl_field_get_rfc (f), ==, "RFC 8446 §4.1.3");
  return hl_field_get_value (f);
}

/* RFC 8446 §4.1.3: the TLS 1.3-capable server of tls12-downgrade-sentinel ends its random in
 * 44 4F 57 4E 47 52 44 01; the decoder names those 8 bytes, and the caption explains them. */
static void
test_sentinel (void)
{
  static const guint8 downgrd[7] = { 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44 };
  g_autoptr(HlTrace) trace = run_ok ("tls12-downgrade-sentinel");
  HlEvent *sh = find_message (trace, "ServerHello");
  gsize len;
  const guint8 *p = g_bytes_get_data (hl_event_get_bytes (sh), &len);
  /* header (4), legacy_version (2), random (32): the last 8 bytes of the random */
  const gsize at = 4 + 2 + 24;
  g_autoptr(HlField) root = NULL;
  gsize offset = 0;
  const HlNegotiated *neg = g_ptr_array_index (hl_trace_get_negotiated (trace), 0);

  g_assert_cmpstr (neg->version, ==, "TLS1.2");
  g_assert_cmpmem (p + at, 7, downgrd, 7);
  g_assert_cmpuint (p[at + 7], ==, 0x01);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (neg->server_random, NULL) + 24, 8, p + at,
                   8);
  g_assert_cmpstr (sentinel_of (hl_event_get_bytes (sh), &root, &offset), ==, "DOWNGRD 01");
  g_assert_cmpuint (offset, ==, at);
  g_assert_nonnull (strstr (hl_event_get_caption (sh), "ends in DOWNGRD 01"));
  g_assert_nonnull (strstr (hl_event_get_caption (sh), "offers nothing newer; only a hello"));

  /* the same bytes with version byte 00 (negotiated TLS 1.1 or older), and with 02 (no
   * sentinel at all) */
  {
    g_autofree guint8 *copy = g_memdup2 (p, len);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(HlField) root00 = NULL;
    g_autoptr(HlField) root02 = NULL;

    copy[at + 7] = 0x00;
    bytes = g_bytes_new (copy, len);
    g_assert_cmpstr (sentinel_of (bytes, &root00, &offset), ==, "DOWNGRD 00");
    copy[at + 7] = 0x02;
    g_clear_pointer (&bytes, g_bytes_unref);
    bytes = g_bytes_new (copy, len);
    g_assert_null (sentinel_of (bytes, &root02, &offset));
  }
}

/* A server that speaks only TLS 1.2, and a TLS 1.3 server that negotiated TLS 1.3, write no
 * sentinel. */
static void
test_no_sentinel (gconstpointer data)
{
  g_autoptr(HlTrace) trace = run_ok (data);
  HlEvent *sh = find_message (trace, "ServerHello");
  g_autoptr(HlField) root = NULL;
  gsize offset = 0;

  g_assert_null (sentinel_of (hl_event_get_bytes (sh), &root, &offset));
  g_assert_null (strstr (hl_event_get_caption (sh), "DOWNGRD"));
}

/* Our OCSP encoder's output, read back by GnuTLS: a successful basic response about the
 * server certificate, status good, times as given, responder by name = the CA, and a
 * signature that verifies with the CA's public key (and not with another CA's). */
static void
test_ocsp_response (void)
{
  g_autoptr(GError) error = NULL;
  HlPki *pki = hl_pki_get_default (&error);
  const gint64 now = 1767225600; /* 2026-01-01 00:00:00 UTC */
  g_autoptr(GBytes) der = NULL;
  gnutls_ocsp_resp_t resp;
  gnutls_datum_t datum, key_id = { NULL, 0 }, req_key_hash = { NULL, 0 };
  gnutls_datum_t name_hash = { NULL, 0 }, key_hash = { NULL, 0 }, serial = { NULL, 0 };
  gnutls_digest_algorithm_t digest = 0;
  unsigned int status = 99, reason = 99, verify = 99;
  time_t this_update = 0, next_update = 0, revoked = 0;
  gnutls_ocsp_req_t req;
  gsize len;
  g_autofree char *why = NULL;

  g_assert_no_error (error);
  der = hl_ocsp_make_response (pki, HL_IDENTITY_SERVER_RSA, now, &error);
  g_assert_no_error (error);
  datum.data = (unsigned char *) g_bytes_get_data (der, &len);
  datum.size = len;

  g_assert_cmpint (gnutls_ocsp_resp_init (&resp), ==, 0);
  g_assert_cmpint (gnutls_ocsp_resp_import (resp, &datum), ==, 0);
  g_assert_cmpint (gnutls_ocsp_resp_get_status (resp), ==, GNUTLS_OCSP_RESP_SUCCESSFUL);
  g_assert_cmpint (gnutls_ocsp_resp_get_produced (resp), ==, now);
  g_assert_cmpint (gnutls_ocsp_resp_get_single (resp, 0, &digest, &name_hash, &key_hash, &serial,
                                                &status, &this_update, &next_update, &revoked,
                                                &reason), ==, 0);
  g_assert_cmpint (digest, ==, GNUTLS_DIG_SHA1);
  g_assert_cmpuint (status, ==, GNUTLS_OCSP_CERT_GOOD);
  g_assert_cmpint (this_update, ==, now);
  g_assert_cmpint (next_update, ==, now + 7 * 24 * 3600);
  g_assert_cmpint (revoked, ==, -1);
  /* the CertID names the server certificate, issued by the demo CA */
  g_assert_cmpint (gnutls_ocsp_resp_check_crt (resp, 0, hl_pki_get_certificate (pki,
                                               HL_IDENTITY_SERVER_RSA)), ==, 0);
  g_assert_cmpint (gnutls_ocsp_resp_check_crt (resp, 0, hl_pki_get_certificate (pki,
                                               HL_IDENTITY_SERVER_ECDSA)), <, 0);
  {
    guint8 buf[64];
    size_t n = sizeof buf;

    g_assert_cmpint (gnutls_x509_crt_get_serial (hl_pki_get_certificate (pki,
                                                 HL_IDENTITY_SERVER_RSA), buf, &n), ==, 0);
    g_assert_cmpmem (serial.data, serial.size, buf, n);
  }
  /* responder byName: the CA's subject; the CertID's issuerKeyHash is what GnuTLS computes for
   * a request about the same certificate */
  {
    gnutls_datum_t ca_dn = { NULL, 0 };

    g_assert_cmpint (gnutls_ocsp_resp_get_responder_raw_id (resp, GNUTLS_OCSP_RESP_ID_DN,
                                                            &key_id), ==, 0);
    g_assert_cmpint (gnutls_x509_crt_get_raw_dn (hl_pki_get_certificate (pki, HL_IDENTITY_CA),
                                                 &ca_dn), ==, 0);
    g_assert_cmpmem (key_id.data, key_id.size, ca_dn.data, ca_dn.size);
    gnutls_free (ca_dn.data);
  }
  g_assert_cmpint (gnutls_ocsp_req_init (&req), ==, 0);
  g_assert_cmpint (gnutls_ocsp_req_add_cert (req, GNUTLS_DIG_SHA1,
                                             hl_pki_get_certificate (pki, HL_IDENTITY_CA),
                                             hl_pki_get_certificate (pki,
                                                                     HL_IDENTITY_SERVER_RSA)),
                   ==, 0);
  g_assert_cmpint (gnutls_ocsp_req_get_cert_id (req, 0, NULL, NULL, &req_key_hash, NULL), ==, 0);
  g_assert_cmpmem (key_hash.data, key_hash.size, req_key_hash.data, req_key_hash.size);
  /* the signature: good with the CA, not with the untrusted CA */
  g_assert_cmpint (gnutls_ocsp_resp_verify_direct (resp, hl_pki_get_certificate (pki,
                                                   HL_IDENTITY_CA), &verify, 0), ==, 0);
  g_assert_cmpuint (verify, ==, 0);
  verify = 0;
  g_assert_true (gnutls_ocsp_resp_verify_direct (resp, hl_pki_get_certificate (pki,
                                                 HL_IDENTITY_UNTRUSTED_CA), &verify, 0) < 0 ||
                 verify != 0);

  g_assert_true (hl_ocsp_check_response (der, hl_pki_get_certificate (pki, HL_IDENTITY_CA),
                                         hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_RSA),
                                         &why));
  g_assert_null (why);
  /* one flipped bit in the signature (the last byte of the DER) and our check says no */
  {
    g_autofree guint8 *copy = g_memdup2 (datum.data, len);
    g_autoptr(GBytes) bad = NULL;

    copy[len - 1] ^= 0x01;
    bad = g_bytes_new (copy, len);
    g_assert_false (hl_ocsp_check_response (bad, hl_pki_get_certificate (pki, HL_IDENTITY_CA),
                                            hl_pki_get_certificate (pki,
                                                                    HL_IDENTITY_SERVER_RSA),
                                            &why));
    g_assert_cmpstr (why, ==, "its signature does not verify with the CA's public key");
  }

  gnutls_free (key_id.data);
  gnutls_free (req_key_hash.data);
  gnutls_free (name_hash.data);
  gnutls_free (key_hash.data);
  gnutls_free (serial.data);
  gnutls_ocsp_req_deinit (req);
  gnutls_ocsp_resp_deinit (resp);
}

/* The action of @trace called @name, or NULL. */
static HlEvent *
find_action (HlTrace *trace, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_ACTION && g_str_equal (hl_event_get_name (event),
                                                                       name))
        return event;
    }
  return NULL;
}

static gnutls_x509_crt_t
import_crt (GBytes *der)
{
  gnutls_x509_crt_t crt;
  gsize len;
  gnutls_datum_t datum;

  datum.data = (unsigned char *) g_bytes_get_data (der, &len);
  datum.size = len;
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER), ==, 0);
  return crt;
}

/* tls12-ocsp / tls13-ocsp: the client asks (status_request in its ClientHello), the server
 * staples (CertificateStatus in 1.2, the Certificate entry's extension in 1.3), the decoder reads
 * the response's fields, the bytes on the wire verify against the trace's CA and server
 * certificate, and the client's check is a ✓ that follows its chain check. */
static void
test_ocsp_scenario (gconstpointer data)
{
  gboolean tls13 = g_str_equal (data, "tls13-ocsp");
  g_autoptr(HlTrace) trace = run_ok (data);
  HlEvent *hello = find_message (trace, "ClientHello");
  HlEvent *carrier = find_message (trace, tls13 ? "Certificate" : "CertificateStatus");
  HlEvent *check = find_action (trace, "Check the stapled OCSP response");
  HlEvent *chain = find_action (trace, "Verify the certificate chain");
  g_autoptr(HlField) hello_root = hl_decode_handshake (hl_event_get_bytes (hello), 0, tls13,
                                                       NULL);
  g_autoptr(HlField) root = hl_decode_handshake (hl_event_get_bytes (carrier), 0, tls13, NULL);
  HlField *der_field = hl_field_find (root, tls13 ? "ocsp_response" : "response");
  const guint8 *p = g_bytes_get_data (hl_event_get_bytes (carrier), NULL);
  gsize der_len;
  g_autoptr(GBytes) der = NULL;
  gnutls_x509_crt_t ca, leaf;
  g_autofree char *why = NULL;
  g_autofree char *count = NULL;

  g_assert_nonnull (check);
  g_assert_nonnull (hl_field_find (hello_root, "status_request"));
  g_assert_cmpint (hl_event_get_side (carrier), ==, HL_SIDE_SERVER);
  if (!tls13)
    g_assert_cmpuint (p[0], ==, 22); /* certificate_status */
  g_assert_nonnull (der_field);
  g_assert_cmpstr (hl_field_get_value (hl_field_find (der_field, "response_status")), ==,
                   "successful");
  g_assert_cmpstr (hl_field_get_value (hl_field_find (der_field, "cert_status")), ==, "good");
  g_assert_cmpstr (hl_field_get_value (hl_field_find (der_field, "responder")), ==,
                   "CN=Handshake Lens Demo CA,O=Handshake Lens");

  /* the DER after its 3-byte length, as it was on the wire */
  der_len = (gsize) p[hl_field_get_offset (der_field)] << 16 |
            (gsize) p[hl_field_get_offset (der_field) + 1] << 8 |
            p[hl_field_get_offset (der_field) + 2];
  g_assert_cmpuint (der_len + 3, ==, hl_field_get_length (der_field));
  der = g_bytes_new (p + hl_field_get_offset (der_field) + 3, der_len);
  ca = import_crt (hl_trace_get_ca_certificate (trace));
  leaf = import_crt (g_ptr_array_index (hl_trace_get_server_chain (trace), 0));
  g_assert_true (hl_ocsp_check_response (der, ca, leaf, &why));
  gnutls_x509_crt_deinit (ca);
  gnutls_x509_crt_deinit (leaf);

  /* the captions name the DER's size, computed from it */
  count = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes of DER", der_len);
  g_assert_nonnull (strstr (hl_event_get_caption (carrier), count));
  g_assert_nonnull (strstr (hl_event_get_caption (check), count));

  g_assert_cmpint (hl_event_get_side (check), ==, HL_SIDE_CLIENT);
  g_assert_cmpint (hl_event_get_check (check), ==, HL_CHECK_OK);
  g_assert_cmpuint (hl_event_get_index (check), ==, hl_event_get_index (chain) + 1);
  g_assert_nonnull (strstr (hl_event_get_technical (check),
                            "gnutls_ocsp_status_request_is_checked = 1"));
}

/* Without the server stapling anything there is nothing to check and no action claims so. */
static void
test_ocsp_none (void)
{
  g_autoptr(HlTrace) trace = run_ok ("tls13");

  g_assert_null (find_action (trace, "Check the stapled OCSP response"));
}

/* The GnuTLS fact behind the sentinel (measured on 3.7.9): someone on the path hides the
 * client's TLS 1.3 offer by changing the supported_versions extension's type (same length,
 * so nothing else needs fixing; the server ignores an extension it does not know). The
 * TLS 1.3-capable server falls back to TLS 1.2 and writes DOWNGRD 01; the client, which offered
 * TLS 1.3, refuses the ServerHello with GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER and sends no alert
 * itself — gnutls_alert_send_appropriate() then sends illegal_parameter (RFC 8446 §4.1.3). */
static void
test_sentinel_abort (void)
{
  static const char *const both = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
  g_autoptr(GError) error = NULL;
  HlPki *pki = hl_pki_get_default (&error);
  g_autoptr(HlPipe) pipe = hl_pipe_new ();
  gnutls_certificate_credentials_t ccred, scred;
  gnutls_session_t client, server;
  guint8 buf[4096];
  gssize n;
  g_autoptr(GBytes) record = NULL;
  g_autoptr(HlField) root = NULL;
  HlField *type;
  gsize at;

  g_assert_no_error (error);
  g_assert_cmpint (gnutls_certificate_allocate_credentials (&ccred), ==, 0);
  g_assert_cmpint (gnutls_certificate_allocate_credentials (&scred), ==, 0);
  g_assert_true (hl_pki_trust (pki, HL_IDENTITY_CA, ccred, &error));
  g_assert_true (hl_pki_add_to_credentials (pki, HL_IDENTITY_SERVER_RSA, scred, &error));
  g_assert_cmpint (gnutls_init (&client, GNUTLS_CLIENT | GNUTLS_NONBLOCK), ==, 0);
  g_assert_cmpint (gnutls_init (&server, GNUTLS_SERVER | GNUTLS_NONBLOCK), ==, 0);
  g_assert_cmpint (gnutls_priority_set_direct (client, both, NULL), ==, 0);
  g_assert_cmpint (gnutls_priority_set_direct (server, both, NULL), ==, 0);
  g_assert_cmpint (gnutls_credentials_set (client, GNUTLS_CRD_CERTIFICATE, ccred), ==, 0);
  g_assert_cmpint (gnutls_credentials_set (server, GNUTLS_CRD_CERTIFICATE, scred), ==, 0);
  hl_pipe_attach (pipe, HL_SIDE_CLIENT, client);
  hl_pipe_attach (pipe, HL_SIDE_SERVER, server);

  g_assert_cmpint (gnutls_handshake (client), ==, GNUTLS_E_AGAIN);
  /* the attacker takes the ClientHello off the wire, changes 1 byte, passes it on */
  n = hl_pipe_read (pipe, HL_SIDE_SERVER, buf, sizeof buf);
  g_assert_cmpint (n, >, 5);
  g_assert_cmpuint (hl_pipe_get_pending (pipe, HL_SIDE_SERVER), ==, 0);
  record = g_bytes_new (buf, n);
  root = hl_decode_record (record, 0, &error);
  g_assert_no_error (error);
  type = hl_field_find (hl_field_find (root, "supported_versions"), "extension_type");
  at = hl_field_get_offset (type);
  g_assert_cmpuint (buf[at], ==, 0x00);
  g_assert_cmpuint (buf[at + 1], ==, 0x2b);
  buf[at] = 0xff; /* 0xff2b: no extension anyone knows */
  hl_pipe_write (pipe, HL_SIDE_CLIENT, buf, n);

  g_assert_cmpint (gnutls_handshake (server), ==, GNUTLS_E_AGAIN);
  g_assert_cmpint (gnutls_protocol_get_version (server), ==, GNUTLS_TLS1_2);
  n = hl_pipe_read (pipe, HL_SIDE_CLIENT, buf, sizeof buf);
  /* record header 5, handshake header 4, legacy_version 2: the random's last 8 bytes */
  g_assert_cmpint (n, >, 5 + 4 + 2 + 32);
  g_assert_cmpmem (buf + 5 + 4 + 2 + 24, 8, "DOWNGRD\x01", 8);
  hl_pipe_write (pipe, HL_SIDE_SERVER, buf, n);

  g_assert_cmpint (gnutls_handshake (client), ==, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
  g_assert_cmpuint (hl_pipe_get_pending (pipe, HL_SIDE_SERVER), ==, 0);
  g_assert_cmpint (gnutls_alert_send_appropriate (client, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER),
                   ==, 0);
  n = hl_pipe_read (pipe, HL_SIDE_SERVER, buf, sizeof buf);
  g_assert_cmpint (n, ==, 7);
  /* alert record, fatal (2), illegal_parameter (47) */
  g_assert_cmpmem (buf, 7, "\x15\x03\x03\x00\x02\x02\x2f", 7);

  gnutls_deinit (client);
  gnutls_deinit (server);
  gnutls_certificate_free_credentials (ccred);
  gnutls_certificate_free_credentials (scred);
}

/* mitm-downgrade: the record the attacker passed on differs from the client's in exactly one
 * byte, the first of the supported_versions type; the server, seeing no TLS 1.3 offer, wrote
 * DOWNGRD 01; the client read that ServerHello and sent illegal_parameter. */
static void
test_mitm_downgrade (void)
{
  g_autoptr(HlTrace) trace = run_ok ("mitm-downgrade");
  HlEvent *original = NULL, *copy = NULL, *server_hello = NULL, *alert = NULL;
  const guint8 *a, *b;
  gsize alen, blen, differ = 0, at = 0;
  g_autoptr(HlField) root = NULL;
  HlField *type;
  const HlOutcome *outcome = hl_trace_get_outcome (trace);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      guint h = hl_event_get_handshake (event);

      if (hl_event_get_kind (event) == HL_EVENT_RECORD && original == NULL && h == 0)
        original = event;
      if (hl_event_get_kind (event) == HL_EVENT_RECORD && copy == NULL && h == 1)
        copy = event;
      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && h == 0 &&
          g_str_equal (hl_event_get_name (event), "ServerHello"))
        server_hello = event;
      if (hl_event_get_kind (event) == HL_EVENT_ALERT && alert == NULL)
        alert = event;
    }
  g_assert_nonnull (original);
  g_assert_nonnull (copy);
  g_assert_cmpint (hl_event_get_side (original), ==, HL_SIDE_CLIENT);
  g_assert_cmpint (hl_event_get_side (copy), ==, HL_SIDE_ATTACKER);
  g_assert_cmpint (hl_event_get_forwarded (copy), ==, (int) hl_event_get_index (original));

  a = g_bytes_get_data (hl_event_get_bytes (original), &alen);
  b = g_bytes_get_data (hl_event_get_bytes (copy), &blen);
  g_assert_cmpuint (alen, ==, blen);
  for (gsize i = 0; i < alen; i++)
    if (a[i] != b[i])
      {
        differ++;
        at = i;
      }
  g_assert_cmpuint (differ, ==, 1);
  root = hl_decode_record (hl_event_get_bytes (original), 0, NULL);
  type = hl_field_find (hl_field_find (root, "supported_versions"), "extension_type");
  g_assert_cmpuint (hl_field_get_offset (type), ==, at);
  g_assert_cmpuint (a[at], ==, 0x00);
  g_assert_cmpuint (b[at], ==, 0xff);

  /* the ServerHello the client read ends in the sentinel */
  g_assert_nonnull (server_hello);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (hl_event_get_bytes (server_hello), NULL)
                   + 4 + 2 + 24, 8, "DOWNGRD\x01", 8);
  g_assert_nonnull (strstr (hl_event_get_caption (server_hello), "so someone removed its offer"));
  g_assert_nonnull (alert);
  g_assert_cmpint (hl_event_get_side (alert), ==, HL_SIDE_CLIENT);
  g_assert_cmpuint (hl_event_get_alert_description (alert), ==, 47);
  g_assert_false (outcome->client_ok);
  g_assert_false (outcome->server_ok);
  g_assert_cmpint (outcome->alert_sender, ==, HL_SIDE_CLIENT);
  g_assert_cmpuint (outcome->alert, ==, 47);
}

/* The ✓ holds up when the trace is opened again: the opened-trace check re-verifies the stapled
 * response from the file's bytes. One flipped bit at the end of the message (the end of the
 * response's signature) and the check says ✗. */
static void
test_ocsp_tampered (gconstpointer data)
{
  gboolean tls13 = g_str_equal (data, "tls13-ocsp");
  g_autoptr(HlTrace) trace = run_ok (data);
  guint index = hl_event_get_index (find_message (trace, tls13 ? "Certificate"
                                                               : "CertificateStatus"));
  g_autoptr(JsonNode) root = hl_trace_to_json (trace);
  JsonObject *event = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "events"), index);
  g_autofree char *hex = g_strdup (json_object_get_string_member (event, "bytes"));
  gsize n = strlen (hex);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) same = hl_trace_from_json (root, &error);
  g_autoptr(HlTraceCheck) clean = hl_trace_check (same);
  g_autoptr(HlTrace) copy = NULL;
  g_autoptr(HlTraceCheck) check = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (hl_trace_check_count (clean), ==, 0);
  /* the last hex digit: the last 4 bits of the message */
  hex[n - 1] = hex[n - 1] == '0' ? '1' : '0';
  json_object_set_string_member (event, "bytes", hex);
  copy = hl_trace_from_json (root, &error);
  g_assert_no_error (error);
  check = hl_trace_check (copy);
  text = hl_trace_check_dup_text (check);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Check the stapled OCSP response ✓"));
  g_assert_nonnull (strstr (text, "its signature does not verify with the CA's public key"));
}

int
main (int argc, char **argv)
{
  guint n = 0;
  const HlScenario *all;

  g_test_init (&argc, &argv, NULL);
  all = hl_scenario_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/hello/alpn/%s", all[i].id);

      g_test_add_data_func (path, &all[i], test_alpn);
    }
  g_test_add_func ("/protocol/hello/alpn-made", test_alpn_made);
  g_test_add_func ("/protocol/hello/alpn-json", test_alpn_json);
  g_test_add_func ("/protocol/hello/sentinel/tls12-downgrade-sentinel", test_sentinel);
  g_test_add_func ("/protocol/hello/sentinel/gnutls-client-aborts", test_sentinel_abort);
  g_test_add_func ("/protocol/hello/sentinel/mitm-downgrade", test_mitm_downgrade);
  g_test_add_data_func ("/protocol/hello/sentinel/none-tls12", "tls12-ecdhe-rsa",
                        test_no_sentinel);
  g_test_add_data_func ("/protocol/hello/sentinel/none-tls13", "tls13", test_no_sentinel);
  g_test_add_func ("/protocol/hello/ocsp/response", test_ocsp_response);
  g_test_add_data_func ("/protocol/hello/ocsp/tls12-ocsp", "tls12-ocsp", test_ocsp_scenario);
  g_test_add_data_func ("/protocol/hello/ocsp/tls13-ocsp", "tls13-ocsp", test_ocsp_scenario);
  g_test_add_func ("/protocol/hello/ocsp/none", test_ocsp_none);
  g_test_add_data_func ("/protocol/hello/ocsp/tampered/tls12-ocsp", "tls12-ocsp",
                        test_ocsp_tampered);
  g_test_add_data_func ("/protocol/hello/ocsp/tampered/tls13-ocsp", "tls13-ocsp",
                        test_ocsp_tampered);
  return g_test_run ();
}
