/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-test"

#include "config.h"

#include <string.h>

#include "hl-decoder.h"
#include "hl-test-capture.h"
#include "hl-tls-names.h"

/*
 * Decoder tests on real bytes: the RFC 8448 §3 messages (tests/data/rfc8448, source named
 * in each file) and handshakes captured from GnuTLS in memory (tests/hl-test-capture.c).
 * Every message: decodes with no trailing bytes, has the expected fields, every byte is
 * covered by a named field, each truncation is an HL_PARSE_ERROR, an extra byte is
 * TRAILING_DATA, and damaged variants never crash.
 */

/* --- Helpers --------------------------------------------------------------------------- */

static GBytes *
load_hex (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "rfc8448", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GByteArray *out = g_byte_array_new ();
  int high = -1;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '#')
        continue;
      for (const char *p = lines[i]; *p != '\0'; p++)
        {
          int v = g_ascii_xdigit_value (*p);
          guint8 b;

          if (v < 0)
            continue;
          if (high < 0)
            {
              high = v;
              continue;
            }
          b = (guint8) (high << 4 | v);
          g_byte_array_append (out, &b, 1);
          high = -1;
        }
    }
  g_assert_cmpint (high, ==, -1);

  return g_byte_array_free_to_bytes (out);
}

/* Non-derived children lie in order inside the parent and cover it exactly. */
static void
assert_covered (HlField *field)
{
  gsize pos = hl_field_get_offset (field);
  gboolean any = FALSE;

  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    {
      HlField *child = hl_field_get_child (field, i);

      if (hl_field_get_derived (child))
        continue;
      any = TRUE;
      if (hl_field_get_offset (child) != pos)
        {
          g_autofree char *path = hl_field_dup_path (child);
          g_error ("%s starts at %" G_GSIZE_FORMAT ", expected %" G_GSIZE_FORMAT, path,
                   hl_field_get_offset (child), pos);
        }
      pos = hl_field_get_end (child);
      assert_covered (child);
    }
  if (any)
    g_assert_cmpuint (pos, ==, hl_field_get_end (field));
}

typedef HlField *(*DecodeFunc) (GBytes                *bytes,
                                gsize                  base,
                                const HlDecodeContext *context,
                                GError               **error);

static HlField *
decode_ok (DecodeFunc             decode,
           GBytes                *bytes,
           gsize                  base,
           const HlDecodeContext *context)
{
  g_autoptr(GError) error = NULL;
  HlField *field = decode (bytes, base, context, &error);

  g_assert_no_error (error);
  g_assert_nonnull (field);
  g_assert_cmpuint (hl_field_get_offset (field), ==, base);
  g_assert_cmpuint (hl_field_get_length (field), ==, g_bytes_get_size (bytes));
  assert_covered (field);
  return field;
}

static GBytes *
with_byte_changed (GBytes *bytes,
                   gsize   at,
                   guint8  value)
{
  GByteArray *copy = g_byte_array_new ();

  g_byte_array_append (copy, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  copy->data[at] = value;
  return g_byte_array_free_to_bytes (copy);
}

/* Either a tree that covers all of @bytes or an HL_PARSE_ERROR; never anything else. */
static void
assert_decodes_or_fails (DecodeFunc             decode,
                         GBytes                *bytes,
                         const HlDecodeContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) field = decode (bytes, 7, context, &error);

  if (field != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (hl_field_get_length (field), ==, g_bytes_get_size (bytes));
      assert_covered (field);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == HL_PARSE_ERROR);
      g_assert_nonnull (strstr (error->message, "offset "));
    }
}

/*
 * The robustness checks every message and record gets: every truncation fails with an
 * HL_PARSE_ERROR, one extra byte is TRAILING_DATA, and every single-byte change (to 0x00
 * and to 0xff) decodes or fails cleanly.
 */
static void
assert_robust (DecodeFunc             decode,
               GBytes                *bytes,
               const HlDecodeContext *context)
{
  gsize len = g_bytes_get_size (bytes);
  const guint8 *data = g_bytes_get_data (bytes, NULL);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new (data, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(HlField) field = decode (part, 0, context, &error);

      g_assert_null (field);
      g_assert_nonnull (error);
      g_assert_true (error->domain == HL_PARSE_ERROR);
    }

  {
    GByteArray *longer = g_byte_array_new ();
    g_autoptr(GBytes) more = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(HlField) field = NULL;
    guint8 extra = 0;

    g_byte_array_append (longer, data, len);
    g_byte_array_append (longer, &extra, 1);
    more = g_byte_array_free_to_bytes (longer);
    field = decode (more, 0, context, &error);
    g_assert_null (field);
    g_assert_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_TRAILING_DATA);
  }

  for (gsize at = 0; at < len; at++)
    {
      g_autoptr(GBytes) zero = with_byte_changed (bytes, at, 0x00);
      g_autoptr(GBytes) full = with_byte_changed (bytes, at, 0xff);

      assert_decodes_or_fails (decode, zero, context);
      assert_decodes_or_fails (decode, full, context);
    }
}

/*
 * Truncates a handshake body at every offset with the 24-bit length fixed up, so the
 * inner structure (not the outer length) meets the end: it must decode or fail cleanly.
 */
static void
assert_inner_truncation_safe (GBytes                *message,
                              const HlDecodeContext *context,
                              DecodeFunc             decode)
{
  gsize len = g_bytes_get_size (message);
  const guint8 *data = g_bytes_get_data (message, NULL);

  for (gsize body = 0; body + 4 < len; body++)
    {
      GByteArray *copy = g_byte_array_new ();
      g_autoptr(GBytes) part = NULL;

      g_byte_array_append (copy, data, 4 + body);
      copy->data[1] = (guint8) (body >> 16);
      copy->data[2] = (guint8) (body >> 8);
      copy->data[3] = (guint8) body;
      part = g_byte_array_free_to_bytes (copy);
      assert_decodes_or_fails (decode, part, context);
    }
}

static HlField *
decode_handshake_cb (GBytes                *bytes,
                     gsize                  base,
                     const HlDecodeContext *context,
                     GError               **error)
{
  return hl_decode_handshake_full (bytes, base, context, error);
}

static HlField *
decode_record_cb (GBytes                *bytes,
                  gsize                  base,
                  const HlDecodeContext *context,
                  GError               **error)
{
  return hl_decode_record_full (bytes, base, context, error);
}

static HlField *
require_path (HlField    *root,
              const char *path)
{
  HlField *f = hl_field_find_path (root, path);

  if (f == NULL)
    {
      g_autofree char *tree = hl_field_to_string (root);
      g_error ("no field %s in\n%s", path, tree);
    }
  return f;
}

static void
assert_value (HlField    *root,
              const char *path,
              const char *expected)
{
  g_assert_cmpstr (hl_field_get_value (require_path (root, path)), ==, expected);
}

/* --- RFC 8448 ---------------------------------------------------------------------------- */

static HlField *
rfc8448_decode (const char *file,
                GBytes    **bytes_out)
{
  HlDecodeContext ctx = { .tls13 = TRUE };
  g_autoptr(GBytes) bytes = load_hex (file);
  HlField *field = decode_ok (decode_handshake_cb, bytes, 0, &ctx);

  assert_robust (decode_handshake_cb, bytes, &ctx);
  assert_inner_truncation_safe (bytes, &ctx, decode_handshake_cb);
  if (bytes_out != NULL)
    *bytes_out = g_steal_pointer (&bytes);
  return field;
}

static void
test_rfc8448_client_hello (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HlField) f = rfc8448_decode ("client-hello.hex", &bytes);

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 196);
  g_assert_cmpstr (hl_field_get_name (f), ==, "ClientHello");
  assert_value (f, "msg_type", "client_hello (1)");
  assert_value (f, "length", "192");
  assert_value (f, "legacy_version", "TLS 1.2 (0x0303)");
  assert_value (f, "cipher_suites", "3 suites");
  g_assert_cmpstr (hl_field_get_value (hl_field_get_child (require_path (f, "cipher_suites"), 1)),
                   ==, "TLS_AES_128_GCM_SHA256 (0x1301)");
  assert_value (f, "extensions", "9 extensions");
  assert_value (f, "extensions/server_name", "server");
  assert_value (f, "extensions/key_share/extension_data/client_shares/KeyShareEntry",
                "x25519, 32-byte public key");
  assert_value (f, "extensions/key_share/extension_data/client_shares/KeyShareEntry/group",
                "x25519 (0x001d)");
  assert_value (f, "extensions/supported_versions/extension_data/versions/version",
                "TLS 1.3 (0x0304)");
  assert_value (f, "extensions/psk_key_exchange_modes/extension_data/ke_modes/ke_mode",
                "psk_dhe_ke (1)");
  assert_value (f, "extensions/record_size_limit", "16385");
  assert_value (f, "extensions/supported_groups/extension_data/named_group_list", "9 groups");
  assert_value (f, "extensions/signature_algorithms/extension_data/"
                   "supported_signature_algorithms", "15 schemes");
  require_path (f, "extensions/session_ticket");
  require_path (f, "extensions/renegotiation_info/extension_data/renegotiated_connection");
  g_assert_cmpstr (hl_field_get_rfc (f), ==, "RFC 8446 §4.1.2");
  g_assert_nonnull (hl_field_get_explanation (require_path (f, "random")));
}

static void
test_rfc8448_server_hello (void)
{
  g_autoptr(HlField) f = rfc8448_decode ("server-hello.hex", NULL);

  g_assert_cmpstr (hl_field_get_name (f), ==, "ServerHello");
  assert_value (f, "cipher_suite", "TLS_AES_128_GCM_SHA256 (0x1301)");
  assert_value (f, "extensions/supported_versions", "TLS 1.3");
  assert_value (f, "extensions/key_share/extension_data/KeyShareEntry",
                "x25519, 32-byte public key");
}

static void
test_rfc8448_encrypted_extensions (void)
{
  g_autoptr(HlField) f = rfc8448_decode ("encrypted-extensions.hex", NULL);

  g_assert_cmpstr (hl_field_get_name (f), ==, "EncryptedExtensions");
  assert_value (f, "extensions", "3 extensions");
  require_path (f, "extensions/supported_groups");
  require_path (f, "extensions/record_size_limit");
  assert_value (f, "extensions/server_name", "(empty)");
}

static void
test_rfc8448_certificate (void)
{
  g_autoptr(HlField) f = rfc8448_decode ("certificate.hex", NULL);
  HlField *der;

  g_assert_cmpstr (hl_field_get_name (f), ==, "Certificate");
  assert_value (f, "certificate_request_context", "(empty)");
  assert_value (f, "certificate_list", "1 certificate");
  der = require_path (f, "certificate_list/CertificateEntry/cert_data");
  g_assert_cmpstr (hl_field_get_value (der), ==, "CN=rsa (432 bytes DER)");
  assert_value (der, "subject", "CN=rsa");
  assert_value (der, "issuer", "CN=rsa");
  assert_value (der, "not_before", "2016-07-30 01:23:59 UTC");
  assert_value (der, "not_after", "2026-07-30 01:23:59 UTC");
  assert_value (der, "public_key", "RSA, 1024 bits");
  g_assert_true (hl_field_get_derived (require_path (der, "subject")));
  assert_value (f, "certificate_list/CertificateEntry/extensions", "0 extensions");
}

static void
test_rfc8448_certificate_verify (void)
{
  g_autoptr(HlField) f = rfc8448_decode ("certificate-verify.hex", NULL);

  assert_value (f, "algorithm", "rsa_pss_rsae_sha256 (0x0804)");
  assert_value (f, "signature/length", "128");
  g_assert_cmpstr (hl_field_get_value (f), ==, "rsa_pss_rsae_sha256, 128-byte signature");
}

static void
test_rfc8448_finished (void)
{
  g_autoptr(HlField) server = rfc8448_decode ("server-finished.hex", NULL);
  g_autoptr(HlField) client = rfc8448_decode ("client-finished.hex", NULL);

  g_assert_cmpuint (hl_field_get_length (require_path (server, "verify_data")), ==, 32);
  g_assert_true (g_str_has_prefix (hl_field_get_value (require_path (client, "verify_data")),
                                   "a8 ec 43 6d"));
}

static void
test_rfc8448_new_session_ticket (void)
{
  g_autoptr(HlField) f = rfc8448_decode ("new-session-ticket.hex", NULL);

  assert_value (f, "ticket_lifetime", "30 seconds");
  assert_value (f, "ticket_age_add", "4208372421");
  assert_value (f, "ticket_nonce", "00 00");
  assert_value (f, "ticket/length", "178");
  assert_value (f, "extensions/early_data/extension_data/max_early_data_size", "1024 bytes");
}

static void
test_rfc8448_resumed_client_hello (void)
{
  g_autoptr(HlField) f = rfc8448_decode ("resumed-client-hello.hex", NULL);
  HlField *psk = require_path (f, "extensions/pre_shared_key/extension_data");

  assert_value (psk, "identities", "1 identity");
  assert_value (psk, "identities/PskIdentity/obfuscated_ticket_age", "4208372427");
  assert_value (psk, "identities/PskIdentity/identity/length", "178");
  assert_value (psk, "binders", "1 binder");
  assert_value (psk, "binders/binder/length", "32");
  require_path (f, "extensions/early_data");
  assert_value (f, "extensions/padding/extension_data/padding", "87 zero bytes");
}

/* --- Captured handshakes --------------------------------------------------------------- */

typedef struct
{
  const char          *name;
  HlTestCaptureOptions options;
  const guint8        *expected_types;   /* wire types that must be seen, 0-terminated */
} Scenario;

static const guint8 tls12_rsa_types[] = { 1, 2, 11, 14, 16, 20, 4, 0 };
static const guint8 tls12_cbc_types[] = { 1, 2, 11, 14, 16, 20, 0 };
static const guint8 tls12_mtls_types[] = { 1, 2, 11, 12, 13, 14, 15, 16, 20, 0 };
static const guint8 tls12_ecdsa_types[] = { 1, 2, 11, 12, 14, 16, 20, 0 };
static const guint8 tls13_types[] = { 1, 2, 8, 11, 13, 15, 20, 4, 0 };
static const guint8 tls13_hrr_types[] = { 1, 2, 8, 11, 15, 20, 0 };
static const guint8 no_types[] = { 1, 0 };

static const Scenario scenarios[] = {
  { "tls12-rsa-resume-ticket",
    { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA", .tickets = TRUE,
      .resume = TRUE },
    tls12_rsa_types },
  { "tls12-ecdhe-rsa-mtls",
    { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA",
      .client_cert = TRUE },
    tls12_mtls_types },
  { "tls12-ecdhe-ecdsa",
    { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA", .ecdsa = TRUE },
    tls12_ecdsa_types },
  { "tls12-cbc-etm",
    { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-CBC:"
                         "-MAC-ALL:+SHA1" },
    tls12_cbc_types },
  { "tls13-mtls-resume-psk",
    { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3", .client_cert = TRUE,
      .tickets = TRUE, .resume = TRUE },
    tls13_types },
  { "tls13-hrr",
    { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP256R1:"
                         "+GROUP-SECP384R1",
      .server_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1" },
    tls13_hrr_types },
  { "fail-version-mismatch",
    { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2",
      .server_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3", .expect_failure = TRUE },
    no_types },
};

/* The fields each message must have, by wire type and version. */
static void
assert_message_fields (HlField         *msg,
                       guint8           type,
                       HlTestCapture   *capture)
{
  static const char *client_hello12[] = { "client_version", "random", "session_id",
                                          "cipher_suites", "compression_methods",
                                          "extensions", NULL };
  static const char *client_hello13[] = { "legacy_version", "random", "legacy_session_id",
                                          "cipher_suites", "legacy_compression_methods",
                                          "extensions", NULL };
  static const char *server_hello[] = { "random", "cipher_suite", "extensions", NULL };
  static const char *cert12[] = { "certificate_list", NULL };
  static const char *cert13[] = { "certificate_request_context", "certificate_list", NULL };
  static const char *ske[] = { "curve_type", "named_curve", "public", "signature_algorithm",
                               "signature", NULL };
  static const char *cr12[] = { "certificate_types", "supported_signature_algorithms",
                                "certificate_authorities", NULL };
  static const char *cr13[] = { "certificate_request_context", "extensions", NULL };
  static const char *cv[] = { "algorithm", "signature", NULL };
  static const char *cke_rsa[] = { "encrypted_pre_master_secret", NULL };
  static const char *cke_ecdhe[] = { "ecdh_Yc", NULL };
  static const char *finished[] = { "verify_data", NULL };
  static const char *nst12[] = { "ticket_lifetime_hint", "ticket", NULL };
  static const char *nst13[] = { "ticket_lifetime", "ticket_age_add", "ticket_nonce", "ticket",
                                 "extensions", NULL };
  static const char *ee[] = { "extensions", NULL };
  static const char *none[] = { NULL };
  const char **paths = none;

  switch (type)
    {
    case 1: paths = capture->tls13 ? client_hello13 : client_hello12; break;
    case 2: paths = server_hello; break;
    case 4: paths = capture->tls13 ? nst13 : nst12; break;
    case 8: paths = ee; break;
    case 11: paths = capture->tls13 ? cert13 : cert12; break;
    case 12: paths = ske; break;
    case 13: paths = capture->tls13 ? cr13 : cr12; break;
    case 15: paths = cv; break;
    case 16:
      paths = capture->key_exchange == HL_KEY_EXCHANGE_RSA ? cke_rsa : cke_ecdhe;
      break;
    case 20: paths = finished; break;
    default: break;
    }

  require_path (msg, "msg_type");
  require_path (msg, "length");
  for (guint i = 0; paths[i] != NULL; i++)
    require_path (msg, paths[i]);

  if (type == 11 && hl_field_get_n_children (require_path (msg, "certificate_list")) > 1)
    {
      HlField *subject = hl_field_find (msg, "subject");

      g_assert_nonnull (subject);
      g_assert_true (g_str_has_suffix (hl_field_get_value (subject), ".test"));
      g_assert_nonnull (hl_field_find (msg, "public_key"));
      g_assert_nonnull (hl_field_find (msg, "not_after"));
    }
}

static void
test_capture (gconstpointer data)
{
  const Scenario *sc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTestCapture) capture = hl_test_capture_run (&sc->options, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint plaintext_handshake_records = 0;

  g_assert_no_error (error);
  g_assert_nonnull (capture);
  g_assert_cmpuint (capture->records->len, >, 0);

  /* Every record decodes; the plaintext ones in full, the protected ones as opaque. */
  for (guint i = 0; i < capture->records->len; i++)
    {
      HlTestRecord *rec = g_ptr_array_index (capture->records, i);
      HlDecodeContext ctx = hl_test_capture_context (capture, rec->protected_record);
      g_autoptr(HlField) f = decode_ok (decode_record_cb, rec->bytes, rec->offset, &ctx);

      g_assert_cmpstr (hl_field_get_name (f), ==,
                       rec->protected_record ? "TLSCiphertext" : "TLSPlaintext");
      if (!rec->protected_record && rec->content_type == 22)
        plaintext_handshake_records++;
      if (!rec->protected_record && rec->content_type == 21)
        {
          const char *desc = hl_field_get_value (require_path (f, "fragment/description"));

          assert_value (f, "fragment/level", "fatal (2)");
          g_assert_false (g_str_has_prefix (desc, "unknown"));
        }
      assert_robust (decode_record_cb, rec->bytes, &ctx);
    }
  g_assert_cmpuint (plaintext_handshake_records, >, 0);

  /* Every handshake message as its receiver saw it, encrypted ones included. */
  for (guint i = 0; i < capture->messages->len; i++)
    {
      HlTestMessage *m = g_ptr_array_index (capture->messages, i);
      HlDecodeContext ctx = hl_test_capture_context (capture, FALSE);
      g_autoptr(HlField) f = decode_ok (decode_handshake_cb, m->message, 0, &ctx);

      g_hash_table_add (seen, GUINT_TO_POINTER (m->type));
      assert_message_fields (f, m->type, capture);
      assert_robust (decode_handshake_cb, m->message, &ctx);
      assert_inner_truncation_safe (m->message, &ctx, decode_handshake_cb);
    }

  for (guint i = 0; sc->expected_types[i] != 0; i++)
    if (!g_hash_table_contains (seen, GUINT_TO_POINTER (sc->expected_types[i])))
      g_error ("%s: no message of type %u captured", sc->name, sc->expected_types[i]);
}

static void
test_capture_hello_retry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTestCapture) capture = hl_test_capture_run (&scenarios[5].options, &error);
  HlDecodeContext ctx;
  guint server_hellos = 0;

  g_assert_no_error (error);
  ctx = hl_test_capture_context (capture, FALSE);
  for (guint i = 0; i < capture->messages->len; i++)
    {
      HlTestMessage *m = g_ptr_array_index (capture->messages, i);
      g_autoptr(HlField) f = NULL;

      if (m->type != 2)
        continue;
      f = decode_ok (decode_handshake_cb, m->message, 0, &ctx);
      if (server_hellos++ == 0)
        {
          g_assert_cmpstr (hl_field_get_name (f), ==, "HelloRetryRequest");
          assert_value (f, "extensions/key_share/extension_data/selected_group",
                        "secp384r1 (0x0018)");
        }
      else
        {
          g_assert_cmpstr (hl_field_get_name (f), ==, "ServerHello");
          assert_value (f, "extensions/key_share/extension_data/KeyShareEntry/group",
                        "secp384r1 (0x0018)");
        }
    }
  g_assert_cmpuint (server_hellos, ==, 2);
}

static void
test_capture_resumed_client_hello (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTestCapture) capture = hl_test_capture_run (&scenarios[4].options, &error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < capture->messages->len; i++)
    {
      HlTestMessage *m = g_ptr_array_index (capture->messages, i);
      HlDecodeContext ctx = hl_test_capture_context (capture, FALSE);
      g_autoptr(HlField) f = NULL;

      if (m->type != 1 || m->connection != 1)
        continue;
      f = decode_ok (decode_handshake_cb, m->message, 0, &ctx);
      assert_value (f, "extensions/pre_shared_key/extension_data/identities", "1 identity");
      assert_value (f, "extensions/pre_shared_key/extension_data/binders", "1 binder");
      found = TRUE;
    }
  g_assert_true (found);
}

/* --- Synthetic cases --------------------------------------------------------------------- */

static GBytes *
bytes_from_hex (const char *hex)
{
  GByteArray *out = g_byte_array_new ();
  int high = -1;

  for (const char *p = hex; *p != '\0'; p++)
    {
      int v = g_ascii_xdigit_value (*p);
      guint8 b;

      if (v < 0)
        continue;
      if (high < 0)
        {
          high = v;
          continue;
        }
      b = (guint8) (high << 4 | v);
      g_byte_array_append (out, &b, 1);
      high = -1;
    }
  return g_byte_array_free_to_bytes (out);
}

static void
assert_record_error (const char *hex,
                     int         code,
                     const char *fragment)
{
  g_autoptr(GBytes) bytes = bytes_from_hex (hex);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) f = hl_decode_record (bytes, 0, &error);

  g_assert_null (f);
  g_assert_error (error, HL_PARSE_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", error->message, fragment);
}

static void
test_record_errors (void)
{
  assert_record_error ("14 03 03 00 01 02", HL_PARSE_ERROR_BAD_VALUE,
                       "TLSPlaintext.type: ChangeCipherSpec must be 1, found 2 at offset 5");
  assert_record_error ("17 03 03 48 01", HL_PARSE_ERROR_BAD_LENGTH,
                       "TLSPlaintext.length: record length 18433 exceeds");
  assert_record_error ("16 03 03 00 00", HL_PARSE_ERROR_BAD_LENGTH,
                       "a handshake record must not be empty at offset 5");
  assert_record_error ("16 03 01 00 05 0e 00 00 02 00", HL_PARSE_ERROR_TRUNCATED,
                       "ServerHelloDone.body: needs 2 bytes but only 1 are left at offset 9");
  assert_record_error ("16 03 01 00 05 0e 00 00 01 00", HL_PARSE_ERROR_TRAILING_DATA,
                       "ServerHelloDone.body: 1 unexpected trailing byte at offset 9");
  assert_record_error ("16 03 03 00 05 0e 00 00 00 00", HL_PARSE_ERROR_TRUNCATED,
                       "HelloRequest.length: needs 3 bytes but only 0 are left at offset 10");
  assert_record_error ("15 03 03 00 03 02 28 00", HL_PARSE_ERROR_TRAILING_DATA,
                       "TLSPlaintext.fragment: 1 unexpected trailing byte at offset 7");
  assert_record_error ("15 03 03 00 02 02 28 00", HL_PARSE_ERROR_TRAILING_DATA,
                       "TLSPlaintext: 1 unexpected trailing byte at offset 7");
  /* extended_master_secret must be empty (RFC 7627 §5.1). */
  assert_record_error ("16 03 03 00 34 01 00 00 30 03 03"
                       " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                       " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                       " 00 00 02 00 2f 01 00 00 05 00 17 00 01 00",
                       HL_PARSE_ERROR_BAD_LENGTH,
                       "ClientHello.extensions.extended_master_secret.extension_data: must be "
                       "empty but has 1 bytes at offset 56");
}

static void
test_record_alert (void)
{
  g_autoptr(GBytes) bytes = bytes_from_hex ("15 03 03 00 02 02 30");
  g_autoptr(HlField) f = decode_ok (decode_record_cb, bytes, 1000, NULL);

  assert_value (f, "type", "alert (21)");
  assert_value (f, "length", "2");
  assert_value (f, "fragment/level", "fatal (2)");
  assert_value (f, "fragment/description", "unknown_ca (48)");
  g_assert_cmpuint (hl_field_get_offset (require_path (f, "fragment/description")), ==, 1006);
  g_assert_cmpstr (hl_field_get_value (require_path (f, "fragment")), ==, "fatal unknown_ca");
}

static void
test_alert_and_ccs (void)
{
  g_autoptr(GBytes) alert = bytes_from_hex ("01 00");
  g_autoptr(GBytes) ccs = bytes_from_hex ("01");
  g_autoptr(GBytes) bad = bytes_from_hex ("01 00 00");
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) a = hl_decode_alert (alert, 0, &error);
  g_autoptr(HlField) c = NULL;
  g_autoptr(HlField) none = NULL;

  g_assert_no_error (error);
  assert_value (a, "description", "close_notify (0)");
  assert_value (a, "level", "warning (1)");
  c = hl_decode_ccs (ccs, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hl_field_get_name (c), ==, "ChangeCipherSpec");
  none = hl_decode_alert (bad, 0, &error);
  g_assert_null (none);
  g_assert_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_TRAILING_DATA);
}

static void
test_record_coalesced (void)
{
  /* Two ServerHelloDone messages in one record (RFC 5246 §6.2.1 allows it). */
  g_autoptr(GBytes) bytes = bytes_from_hex ("16 03 03 00 08 0e 00 00 00 0e 00 00 00");
  g_autoptr(HlField) f = decode_ok (decode_record_cb, bytes, 0, NULL);
  HlField *fragment = require_path (f, "fragment");

  g_assert_cmpuint (hl_field_get_n_children (fragment), ==, 2);
  g_assert_cmpstr (hl_field_get_value (fragment), ==, "2 handshake messages");
  g_assert_cmpuint (hl_field_get_offset (hl_field_get_child (fragment, 1)), ==, 9);
  assert_robust (decode_record_cb, bytes, NULL);
}

static void
test_record_protected (void)
{
  HlDecodeContext ctx = { .protected_record = TRUE };
  g_autoptr(GBytes) bytes = bytes_from_hex ("16 03 03 00 04 de ad be ef");
  g_autoptr(HlField) f = decode_ok (decode_record_cb, bytes, 0, &ctx);

  g_assert_cmpstr (hl_field_get_name (f), ==, "TLSCiphertext");
  assert_value (f, "fragment/encrypted_record", "de ad be ef");
  assert_robust (decode_record_cb, bytes, &ctx);
}

static void
test_handshake_unknown_type (void)
{
  g_autoptr(GBytes) bytes = bytes_from_hex ("63 00 00 03 01 02 03");
  g_autoptr(HlField) f = decode_ok (decode_handshake_cb, bytes, 0, NULL);

  g_assert_cmpstr (hl_field_get_name (f), ==, "UnknownHandshake(99)");
  assert_value (f, "msg_type", "unknown (0x63)");
  assert_value (f, "body", "01 02 03");
}

static void
test_handshake_key_update (void)
{
  g_autoptr(GBytes) bytes = bytes_from_hex ("18 00 00 01 01");
  g_autoptr(HlField) f = decode_ok (decode_handshake_cb, bytes, 0, NULL);

  g_assert_cmpstr (hl_field_get_name (f), ==, "KeyUpdate");
  assert_value (f, "request_update", "update_requested (1)");
  assert_robust (decode_handshake_cb, bytes, NULL);
}

static void
test_handshake_small_messages (void)
{
  HlDecodeContext ctx = { .tls13 = TRUE };
  g_autoptr(GBytes) eoed = bytes_from_hex ("05 00 00 00");
  g_autoptr(GBytes) hash = bytes_from_hex ("fe 00 00 20 00 01 02 03 04 05 06 07 08 09 0a 0b 0c"
                                           " 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d"
                                           " 1e 1f");
  /* A TLS 1.2 ClientHello may omit the extensions block entirely (RFC 5246 §7.4.1.2). */
  g_autoptr(GBytes) hello = bytes_from_hex ("01 00 00 29 03 03"
                                            " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                                            " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                                            " 00 00 02 00 2f 01 00");
  g_autoptr(HlField) a = decode_ok (decode_handshake_cb, eoed, 0, &ctx);
  g_autoptr(HlField) b = decode_ok (decode_handshake_cb, hash, 0, &ctx);
  g_autoptr(HlField) c = decode_ok (decode_handshake_cb, hello, 0, NULL);

  g_assert_cmpstr (hl_field_get_name (a), ==, "EndOfEarlyData");
  g_assert_cmpstr (hl_field_get_name (b), ==, "MessageHash");
  assert_value (b, "msg_type", "message_hash (254)");
  g_assert_cmpuint (hl_field_get_length (require_path (b, "hash")), ==, 32);
  assert_value (c, "cipher_suites/cipher_suite", "TLS_RSA_WITH_AES_128_CBC_SHA (0x002f)");
  g_assert_null (hl_field_find_path (c, "extensions"));
  assert_robust (decode_handshake_cb, eoed, &ctx);
  assert_robust (decode_handshake_cb, hash, &ctx);
}

static void
test_handshake_unknown_extension (void)
{
  /* EncryptedExtensions with a GREASE extension and an unassigned one, shown raw. */
  HlDecodeContext ctx = { .tls13 = TRUE };
  g_autoptr(GBytes) bytes = bytes_from_hex ("08 00 00 0d 00 0b 0a 0a 00 00 7f 7f 00 03 aa bb cc");
  g_autoptr(HlField) f = decode_ok (decode_handshake_cb, bytes, 0, &ctx);

  require_path (f, "extensions/GREASE");
  assert_value (f, "extensions/unknown_extension_32639/extension_data/extension_data",
                "aa bb cc");
  assert_robust (decode_handshake_cb, bytes, &ctx);
}

static void
test_certificate_bad_der (void)
{
  /* TLS 1.2 Certificate holding 3 bytes that are not X.509: shown raw, not an error. */
  g_autoptr(GBytes) bytes = bytes_from_hex ("0b 00 00 09 00 00 06 00 00 03 01 02 03");
  g_autoptr(HlField) f = decode_ok (decode_handshake_cb, bytes, 0, NULL);
  HlField *note = require_path (f, "certificate_list/cert_data/note");

  g_assert_true (hl_field_get_derived (note));
  g_assert_true (g_str_has_prefix (hl_field_get_value (note), "not a readable X.509"));
  assert_value (f, "certificate_list/cert_data/data", "01 02 03");
}

static void
test_client_key_exchange_guess (void)
{
  g_autoptr(GBytes) rsa = bytes_from_hex ("10 00 00 06 00 04 01 02 03 04");
  g_autoptr(GBytes) ecdhe = bytes_from_hex ("10 00 00 04 03 01 02 03");
  g_autoptr(HlField) a = decode_ok (decode_handshake_cb, rsa, 0, NULL);
  g_autoptr(HlField) b = decode_ok (decode_handshake_cb, ecdhe, 0, NULL);

  require_path (a, "encrypted_pre_master_secret");
  require_path (b, "ecdh_Yc");
}

static void
test_field_tree (void)
{
  g_autoptr(GBytes) bytes = load_hex ("client-hello.hex");
  g_autoptr(HlField) f = hl_decode_handshake (bytes, 100, TRUE, NULL);
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  HlField *at;

  g_assert_nonnull (f);
  at = hl_field_find_at_offset (f, 100);
  g_assert_cmpstr (hl_field_get_name (at), ==, "msg_type");
  at = hl_field_find_at_offset (f, 100 + 41);
  g_assert_cmpstr (hl_field_get_name (at), ==, "cipher_suite");
  g_assert_cmpstr (hl_field_get_value (at), ==, "TLS_AES_128_GCM_SHA256 (0x1301)");
  path = hl_field_dup_path (at);
  g_assert_cmpstr (path, ==, "ClientHello.cipher_suites.cipher_suite");
  at = hl_field_find_at_offset (f, 100 + 60);
  g_assert_cmpstr (hl_field_get_value (at), ==, "73 65 72 76 65 72");
  g_assert_null (hl_field_find_at_offset (f, 99));
  g_assert_null (hl_field_find_at_offset (f, 100 + 196));
  g_assert_nonnull (hl_field_find_at_offset (f, 100 + 195));

  g_assert_cmpuint (hl_field_count (f), >, 100);
  g_assert_cmpuint (hl_field_count (require_path (f, "cipher_suites")), ==, 5);

  text = hl_field_to_string (f);
  g_assert_true (g_str_has_prefix (text, "   100   196  ClientHello\n"
                                         "   100     1    msg_type = client_hello (1)\n"
                                         "   101     3    length = 192\n"));
  g_assert_nonnull (strstr (text, "   141     2      cipher_suite = "
                                  "TLS_AES_128_GCM_SHA256 (0x1301)\n"));
}

static void
test_field_derived_print (void)
{
  g_autoptr(HlField) root = hl_field_new ("cert", 10, 4);
  HlField *d = hl_field_add_child (root, hl_field_new ("subject", 10, 4));
  g_autofree char *text = NULL;

  hl_field_set_derived (d, TRUE);
  hl_field_set_value (d, "CN=x");
  g_assert_true (hl_field_find_at_offset (root, 11) == root);
  text = hl_field_to_string (root);
  g_assert_cmpstr (text, ==, "    10     4  cert\n     ~          subject = CN=x\n");
  g_assert_true (hl_field_get_parent (d) == root);
}

static void
test_names (void)
{
  g_assert_cmpstr (hl_tls_cipher_suite_name (0x1301), ==, "TLS_AES_128_GCM_SHA256");
  g_assert_cmpstr (hl_tls_cipher_suite_name (0xc02f), ==, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  g_assert_cmpstr (hl_tls_cipher_suite_name (0x009d), ==, "TLS_RSA_WITH_AES_256_GCM_SHA384");
  g_assert_cmpstr (hl_tls_cipher_suite_name (0x00ff), ==, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
  g_assert_cmpstr (hl_tls_cipher_suite_name (0xcca8), ==,
                   "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  g_assert_cmpstr (hl_tls_cipher_suite_name (0x5a5a), ==, "GREASE");
  g_assert_null (hl_tls_cipher_suite_name (0x1234));
  g_assert_cmpstr (hl_tls_extension_name (0), ==, "server_name");
  g_assert_cmpstr (hl_tls_extension_name (0xff01), ==, "renegotiation_info");
  g_assert_cmpstr (hl_tls_extension_name (16), ==, "application_layer_protocol_negotiation");
  g_assert_null (hl_tls_extension_name (40));
  g_assert_cmpstr (hl_tls_group_name (29), ==, "x25519");
  g_assert_cmpstr (hl_tls_group_name (256), ==, "ffdhe2048");
  g_assert_cmpstr (hl_tls_signature_scheme_name (0x0804), ==, "rsa_pss_rsae_sha256");
  g_assert_cmpstr (hl_tls_signature_scheme_name (0x0807), ==, "ed25519");
  g_assert_cmpstr (hl_tls_alert_description_name (48), ==, "unknown_ca");
  g_assert_cmpstr (hl_tls_alert_description_name (45), ==, "certificate_expired");
  g_assert_null (hl_tls_alert_description_name (3));
  g_assert_cmpstr (hl_tls_handshake_message_name (254), ==, "MessageHash");
  g_assert_cmpstr (hl_tls_handshake_type_name (24), ==, "key_update");
  g_assert_cmpstr (hl_tls_version_name (0x0304), ==, "TLS 1.3");
  g_assert_true (hl_tls_is_grease (0xfafa));
  g_assert_false (hl_tls_is_grease (0x0a1a));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/decoder/client-hello/rfc8448", test_rfc8448_client_hello);
  g_test_add_func ("/protocol/decoder/server-hello/rfc8448", test_rfc8448_server_hello);
  g_test_add_func ("/protocol/decoder/encrypted-extensions/rfc8448",
                   test_rfc8448_encrypted_extensions);
  g_test_add_func ("/protocol/decoder/certificate/rfc8448", test_rfc8448_certificate);
  g_test_add_func ("/protocol/decoder/certificate-verify/rfc8448",
                   test_rfc8448_certificate_verify);
  g_test_add_func ("/protocol/decoder/finished/rfc8448", test_rfc8448_finished);
  g_test_add_func ("/protocol/decoder/new-session-ticket/rfc8448",
                   test_rfc8448_new_session_ticket);
  g_test_add_func ("/protocol/decoder/client-hello/rfc8448-resumed",
                   test_rfc8448_resumed_client_hello);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/decoder/capture/%s",
                                               scenarios[i].name);
      g_test_add_data_func (path, &scenarios[i], test_capture);
    }
  g_test_add_func ("/protocol/decoder/capture/hello-retry-request", test_capture_hello_retry);
  g_test_add_func ("/protocol/decoder/capture/resumed-client-hello",
                   test_capture_resumed_client_hello);

  g_test_add_func ("/protocol/decoder/record/errors", test_record_errors);
  g_test_add_func ("/protocol/decoder/record/alert", test_record_alert);
  g_test_add_func ("/protocol/decoder/record/coalesced", test_record_coalesced);
  g_test_add_func ("/protocol/decoder/record/protected", test_record_protected);
  g_test_add_func ("/protocol/decoder/alert-and-ccs", test_alert_and_ccs);
  g_test_add_func ("/protocol/decoder/handshake/unknown-type", test_handshake_unknown_type);
  g_test_add_func ("/protocol/decoder/handshake/key-update", test_handshake_key_update);
  g_test_add_func ("/protocol/decoder/handshake/small-messages", test_handshake_small_messages);
  g_test_add_func ("/protocol/decoder/handshake/unknown-extension",
                   test_handshake_unknown_extension);
  g_test_add_func ("/protocol/decoder/certificate/bad-der", test_certificate_bad_der);
  g_test_add_func ("/protocol/decoder/client-key-exchange/guess",
                   test_client_key_exchange_guess);
  g_test_add_func ("/protocol/decoder/field/tree", test_field_tree);
  g_test_add_func ("/protocol/decoder/field/derived", test_field_derived_print);
  g_test_add_func ("/protocol/decoder/names", test_names);

  return g_test_run ();
}
