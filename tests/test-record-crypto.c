/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-record-crypto"

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "hl-error.h"
#include "hl-kdf.h"
#include "hl-record-crypto.h"
#include "hl-test-tls.h"
#include "hl-types.h"

/*
 * Tests for protocol/verify/hl-record-crypto.c.
 *
 * - Known answers: the protected records of RFC 8448 section 3 (client Finished,
 *   NewSessionTicket, application data both ways, both close_notify alerts) and section 5 (the
 *   server's encrypted flight after a HelloRetryRequest), with keys and plaintexts from the same
 *   document (tests/data/rfc8448.ini, whose header names the source). Encrypting the RFC's
 *   plaintext must give the RFC's record byte for byte.
 * - Real GnuTLS sessions in memory for every protection the app meets: TLS 1.2 AES-GCM,
 *   ChaCha20-Poly1305, AES-128-CBC + HMAC-SHA1 with and without encrypt-then-MAC, and TLS 1.3.
 *   There is no published vector for the CBC modes; the records GnuTLS writes are the reference.
 *   Keys and sequence numbers come from gnutls_record_get_state.
 * - Every failure is a GError: corrupted tags and MACs, bad padding, wrong keys or sequence
 *   numbers, and a record truncated at every offset.
 */

/* --- Helpers --------------------------------------------------------------------------------- */

static GKeyFile *
load_rfc8448 (void)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "rfc8448.ini", NULL);

  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&kf);
}

static GBytes *
vector_bytes (GKeyFile   *kf,
              const char *group,
              const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = g_key_file_get_string (kf, group, key, &error);
  g_autofree char *len_key = g_strconcat (key, "_len", NULL);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = hl_test_hex (hex);
  if (g_key_file_has_key (kf, group, len_key, NULL))
    g_assert_cmpuint (g_bytes_get_size (bytes), ==,
                      (gsize) g_key_file_get_int64 (kf, group, len_key, NULL));

  return g_steal_pointer (&bytes);
}

static guint64
seq_from_state (const unsigned char seq[8])
{
  guint64 value = 0;

  for (int i = 0; i < 8; i++)
    value = value << 8 | seq[i];

  return value;
}

/* Every proper prefix of @record, and @record with one byte too many, must give a GError that
 * names the truncation or the trailing byte. */
static void
assert_truncations_fail (const HlRecordKeys *keys,
                         guint64             seq,
                         GBytes             *record)
{
  gsize size = g_bytes_get_size (record);
  g_autoptr(GByteArray) longer = g_byte_array_new ();
  g_autoptr(GBytes) longer_bytes = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  guint8 type = 0;

  for (gsize n = 0; n < size; n++)
    {
      g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (record, 0, n);
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GError) err = NULL;
      g_autofree char *offset = g_strdup_printf ("offset %" G_GSIZE_FORMAT, n);

      out = hl_record_decrypt (keys, seq, prefix, &type, &err);
      g_assert_null (out);
      g_assert_error (err, HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED);
      g_assert_nonnull (strstr (err->message, offset));
    }

  g_byte_array_append (longer, g_bytes_get_data (record, NULL), size);
  g_byte_array_append (longer, (const guint8 *) "", 1);
  longer_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&longer));
  plain = hl_record_decrypt (keys, seq, longer_bytes, &type, &error);
  g_assert_null (plain);
  g_assert_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_TRAILING_DATA);
}

static void
assert_decrypts_to (const HlRecordKeys *keys,
                    guint64             seq,
                    GBytes             *record,
                    guint8              expected_type,
                    GBytes             *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  guint8 type = 0;

  plain = hl_record_decrypt (keys, seq, record, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (type, ==, expected_type);
  hl_test_assert_bytes_equal (plain, expected);
}

static void
assert_decrypt_error (const HlRecordKeys *keys,
                      guint64             seq,
                      GBytes             *record,
                      GQuark              domain,
                      int                 code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  guint8 type = 0xee;

  plain = hl_record_decrypt (keys, seq, record, &type, &error);
  g_assert_null (plain);
  g_assert_error (error, domain, code);
  g_assert_cmpuint (type, ==, 0xee);
  g_test_message ("%s", error->message);
}

/* --- RFC 8448 records ------------------------------------------------------------------------ */

typedef struct
{
  const char *path;
  const char *group;
  const char *record;
  const char *key;
  const char *iv;
  guint64     seq;
  const char *plaintext;
  guint8      type;
} Rfc8448Record;

static const Rfc8448Record rfc8448_records[] = {
  { "rfc8448-client-finished", "simple-1rtt", "client_finished_record", "client_handshake_key",
    "client_handshake_iv", 0, "client_finished", HL_CONTENT_HANDSHAKE },
  { "rfc8448-new-session-ticket", "simple-1rtt", "new_session_ticket_record",
    "server_application_key", "server_application_iv", 0, "new_session_ticket",
    HL_CONTENT_HANDSHAKE },
  { "rfc8448-client-application-data", "simple-1rtt", "client_application_record",
    "client_application_key", "client_application_iv", 0, "application_payload",
    HL_CONTENT_APPLICATION_DATA },
  /* The server's NewSessionTicket took sequence number 0 in its application epoch. */
  { "rfc8448-server-application-data", "simple-1rtt", "server_application_record",
    "server_application_key", "server_application_iv", 1, "application_payload",
    HL_CONTENT_APPLICATION_DATA },
  { "rfc8448-client-alert", "simple-1rtt", "client_alert_record", "client_application_key",
    "client_application_iv", 1, "alert_payload", HL_CONTENT_ALERT },
  { "rfc8448-server-alert", "simple-1rtt", "server_alert_record", "server_application_key",
    "server_application_iv", 2, "alert_payload", HL_CONTENT_ALERT },
  { "rfc8448-hrr-server-flight", "hello-retry", "server_flight_record", "server_handshake_key",
    "server_handshake_iv", 0, "server_flight_payload", HL_CONTENT_HANDSHAKE },
};

typedef struct
{
  GKeyFile    *kf;
  GBytes      *record;
  GBytes      *key;
  GBytes      *iv;
  GBytes      *plaintext;
  HlRecordKeys keys;
} Rfc8448Fixture;

static void
rfc8448_setup (Rfc8448Fixture *fx,
               gconstpointer   data)
{
  const Rfc8448Record *row = data;

  fx->kf = load_rfc8448 ();
  fx->record = vector_bytes (fx->kf, row->group, row->record);
  fx->key = vector_bytes (fx->kf, row->group, row->key);
  fx->iv = vector_bytes (fx->kf, row->group, row->iv);
  fx->plaintext = vector_bytes (fx->kf, row->group, row->plaintext);
  fx->keys.protection = HL_RECORD_PROTECTION_TLS13_AEAD;
  fx->keys.cipher = GNUTLS_CIPHER_AES_128_GCM; /* TLS_AES_128_GCM_SHA256 */
  fx->keys.key = fx->key;
  fx->keys.iv = fx->iv;
}

static void
rfc8448_teardown (Rfc8448Fixture *fx,
                  gconstpointer   data)
{
  g_key_file_unref (fx->kf);
  g_bytes_unref (fx->record);
  g_bytes_unref (fx->key);
  g_bytes_unref (fx->iv);
  g_bytes_unref (fx->plaintext);
}

static void
test_rfc8448_decrypt (Rfc8448Fixture *fx,
                      gconstpointer   data)
{
  const Rfc8448Record *row = data;

  assert_decrypts_to (&fx->keys, row->seq, fx->record, row->type, fx->plaintext);
}

static void
test_rfc8448_encrypt (Rfc8448Fixture *fx,
                      gconstpointer   data)
{
  const Rfc8448Record *row = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) record = NULL;

  /* RFC 8448 pads none of its records. */
  record = hl_record_encrypt (&fx->keys, row->seq, row->type, fx->plaintext, 0, &error);
  g_assert_no_error (error);
  hl_test_assert_bytes_equal (record, fx->record);
}

static void
test_rfc8448_corrupted (Rfc8448Fixture *fx,
                        gconstpointer   data)
{
  const Rfc8448Record *row = data;
  gsize size = g_bytes_get_size (fx->record);
  g_autoptr(GBytes) bad_tag = hl_test_flip_byte (fx->record, size - 1);
  g_autoptr(GBytes) bad_body = hl_test_flip_byte (fx->record, 5);
  g_autoptr(GBytes) bad_header = hl_test_flip_byte (fx->record, 2);
  g_autoptr(GBytes) bad_key = hl_test_flip_byte (fx->key, 7);
  g_autoptr(GBytes) bad_iv = hl_test_flip_byte (fx->iv, 11);
  HlRecordKeys keys = fx->keys;

  /* The tag, the ciphertext and the header (additional data) are all authenticated. */
  assert_decrypt_error (&keys, row->seq, bad_tag, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_TAG);
  assert_decrypt_error (&keys, row->seq, bad_body, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_TAG);
  assert_decrypt_error (&keys, row->seq, bad_header, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_TAG);

  /* So are the key, the IV and the sequence number. */
  assert_decrypt_error (&keys, row->seq + 1, fx->record, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_TAG);
  keys.key = bad_key;
  assert_decrypt_error (&keys, row->seq, fx->record, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_TAG);
  keys.key = fx->key;
  keys.iv = bad_iv;
  assert_decrypt_error (&keys, row->seq, fx->record, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_TAG);
}

static void
test_rfc8448_truncated (Rfc8448Fixture *fx,
                        gconstpointer   data)
{
  const Rfc8448Record *row = data;

  assert_truncations_fail (&fx->keys, row->seq, fx->record);
}

/* --- Malformed input and bad keys ------------------------------------------------------------ */

static void
test_bad_keys (void)
{
  g_autoptr(GBytes) key16 = g_bytes_new_take (g_malloc0 (16), 16);
  g_autoptr(GBytes) iv12 = g_bytes_new_take (g_malloc0 (12), 12);
  g_autoptr(GBytes) iv4 = g_bytes_new_take (g_malloc0 (4), 4);
  g_autoptr(GBytes) record = hl_test_hex ("17 03 03 00 11 00 00 00 00 00 00 00 00 00 00 00 00 00 "
                                          "00 00 00 00");
  HlRecordKeys keys = { HL_RECORD_PROTECTION_TLS13_AEAD, GNUTLS_CIPHER_AES_256_GCM, 0, key16,
                        iv12, NULL };

  /* A 16-byte key for AES-256. */
  assert_decrypt_error (&keys, 0, record, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_KEY);

  /* A 12-byte IV where TLS 1.2 GCM wants the 4-byte salt. */
  keys.protection = HL_RECORD_PROTECTION_TLS12_AEAD;
  keys.cipher = GNUTLS_CIPHER_AES_128_GCM;
  assert_decrypt_error (&keys, 0, record, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_KEY);
  keys.iv = iv4;

  /* CBC keys under an AEAD protection, and a CBC protection without a MAC. */
  keys.protection = HL_RECORD_PROTECTION_TLS13_AEAD;
  keys.cipher = GNUTLS_CIPHER_AES_128_CBC;
  assert_decrypt_error (&keys, 0, record, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_UNSUPPORTED);
  keys.protection = HL_RECORD_PROTECTION_TLS12_CBC;
  keys.mac = GNUTLS_MAC_UNKNOWN;
  assert_decrypt_error (&keys, 0, record, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_UNSUPPORTED);
}

static void
test_malformed (void)
{
  g_autoptr(GBytes) key = g_bytes_new_take (g_malloc0 (16), 16);
  g_autoptr(GBytes) iv = g_bytes_new_take (g_malloc0 (12), 12);
  g_autoptr(GBytes) salt = g_bytes_new_take (g_malloc0 (4), 4);
  g_autoptr(GBytes) mac_key = g_bytes_new_take (g_malloc0 (20), 20);
  HlRecordKeys tls13 = { HL_RECORD_PROTECTION_TLS13_AEAD, GNUTLS_CIPHER_AES_128_GCM, 0, key, iv,
                         NULL };
  HlRecordKeys gcm12 = { HL_RECORD_PROTECTION_TLS12_AEAD, GNUTLS_CIPHER_AES_128_GCM, 0, key, salt,
                         NULL };
  HlRecordKeys cbc = { HL_RECORD_PROTECTION_TLS12_CBC, GNUTLS_CIPHER_AES_128_CBC,
                       GNUTLS_MAC_SHA1, key, NULL, mac_key };
  g_autoptr(GBytes) handshake_type = hl_test_hex ("16 03 03 00 11 00 00 00 00 00 00 00 00 00 00 "
                                                  "00 00 00 00 00 00 00");
  g_autoptr(GBytes) tag_only = hl_test_hex ("17 03 03 00 10 00 00 00 00 00 00 00 00 00 00 00 00 "
                                            "00 00 00 00");
  g_autoptr(GBytes) too_long = hl_test_hex ("17 03 03 41 01");
  g_autoptr(GBytes) short_gcm = hl_test_hex ("17 03 03 00 17 00 00 00 00 00 00 00 00 00 00 00 00 "
                                             "00 00 00 00 00 00 00 00 00 00 00");
  g_autoptr(GBytes) one_block = hl_test_hex ("17 03 03 00 20 00 00 00 00 00 00 00 00 00 00 00 00 "
                                             "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
                                             "00 00 00 00");
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) zeros_only = NULL;
  g_autoptr(GError) error = NULL;

  /* A TLS 1.3 protected record always says application_data on the outside. */
  assert_decrypt_error (&tls13, 0, handshake_type, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_VALUE);
  /* No room for the inner content type. */
  assert_decrypt_error (&tls13, 0, tag_only, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH);
  /* Longer than 2^14 + 256. */
  assert_decrypt_error (&tls13, 0, too_long, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH);
  /* GCM in TLS 1.2 needs 8 bytes of explicit nonce and 16 of tag. */
  assert_decrypt_error (&gcm12, 0, short_gcm, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH);
  /* CBC needs an IV and at least one block holding MAC and padding. */
  assert_decrypt_error (&cbc, 0, one_block, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH);

  /* An inner plaintext of padding only has no content type (RFC 8446 §5.4). */
  zeros_only = hl_record_encrypt (&tls13, 3, 0, empty, 4, &error);
  g_assert_no_error (error);
  assert_decrypt_error (&tls13, 3, zeros_only, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_NO_CONTENT_TYPE);
}

/* TLS 1.3 padding is stripped, TLS 1.2 GCM and ChaCha20 round-trip through our own encrypt. */
static void
test_round_trips (void)
{
  g_autoptr(GBytes) key16 = hl_test_hex ("00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f");
  g_autoptr(GBytes) key32 = hl_test_hex ("00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f "
                                         "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f");
  g_autoptr(GBytes) iv12 = hl_test_hex ("a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab");
  g_autoptr(GBytes) salt = hl_test_hex ("b0 b1 b2 b3");
  g_autoptr(GBytes) text = g_bytes_new_static ("GET / HTTP/1.1\r\n\r\n", 18);
  const HlRecordKeys cases[] = {
    { HL_RECORD_PROTECTION_TLS13_AEAD, GNUTLS_CIPHER_AES_128_GCM, 0, key16, iv12, NULL },
    { HL_RECORD_PROTECTION_TLS13_AEAD, GNUTLS_CIPHER_AES_256_GCM, 0, key32, iv12, NULL },
    { HL_RECORD_PROTECTION_TLS13_AEAD, GNUTLS_CIPHER_CHACHA20_POLY1305, 0, key32, iv12, NULL },
    { HL_RECORD_PROTECTION_TLS12_AEAD, GNUTLS_CIPHER_AES_128_GCM, 0, key16, salt, NULL },
    { HL_RECORD_PROTECTION_TLS12_AEAD, GNUTLS_CIPHER_AES_256_GCM, 0, key32, salt, NULL },
    { HL_RECORD_PROTECTION_TLS12_AEAD, GNUTLS_CIPHER_CHACHA20_POLY1305, 0, key32, iv12, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean tls13 = cases[i].protection == HL_RECORD_PROTECTION_TLS13_AEAD;
      gsize padding = tls13 ? 37 : 0;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) record = NULL;

      record = hl_record_encrypt (&cases[i], G_GUINT64_CONSTANT (0x0102030405060708),
                                  HL_CONTENT_APPLICATION_DATA, text, padding, &error);
      g_assert_no_error (error);
      assert_decrypts_to (&cases[i], G_GUINT64_CONSTANT (0x0102030405060708), record,
                          HL_CONTENT_APPLICATION_DATA, text);
      assert_decrypt_error (&cases[i], 0, record, HL_RECORD_CRYPTO_ERROR,
                            HL_RECORD_CRYPTO_ERROR_BAD_TAG);
      assert_truncations_fail (&cases[i], 0, record);
    }
}

/* --- CBC records built by hand --------------------------------------------------------------- */

/* A TLS 1.2 CBC record built with GnuTLS's AES and HMAC, so that padding and MAC can be made
 * wrong on purpose. @bad_pad_at, if >= 0, corrupts that padding byte before encryption. */
static GBytes *
build_cbc_record (const HlRecordKeys *keys,
                  guint64             seq,
                  guint8              type,
                  GBytes             *content,
                  guint8              pad,
                  int                 bad_pad_at,
                  gboolean            bad_mac)
{
  gboolean etm = keys->protection == HL_RECORD_PROTECTION_TLS12_CBC_ETM;
  gsize content_size, mac_size = gnutls_hmac_get_len (keys->mac);
  const guint8 *content_data = g_bytes_get_data (content, &content_size);
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 iv[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                    0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00 };
  guint8 mac[64];
  guint8 pseudo[13];
  gnutls_hmac_hd_t hmac;
  gnutls_cipher_hd_t cipher;
  gnutls_datum_t key = { (unsigned char *) g_bytes_get_data (keys->key, NULL),
                         g_bytes_get_size (keys->key) };
  gnutls_datum_t iv_datum = { iv, sizeof iv };
  gsize encrypted_size, fragment_size;

  g_byte_array_append (plain, content_data, content_size);
  if (!etm)
    {
      for (int i = 0; i < 8; i++)
        pseudo[i] = (seq >> (56 - 8 * i)) & 0xff;
      pseudo[8] = type;
      pseudo[9] = 3;
      pseudo[10] = 3;
      pseudo[11] = (content_size >> 8) & 0xff;
      pseudo[12] = content_size & 0xff;
      g_assert_cmpint (gnutls_hmac_init (&hmac, keys->mac,
                                         g_bytes_get_data (keys->mac_key, NULL),
                                         g_bytes_get_size (keys->mac_key)), ==, 0);
      gnutls_hmac (hmac, pseudo, sizeof pseudo);
      gnutls_hmac (hmac, content_data, content_size);
      gnutls_hmac_deinit (hmac, mac);
      if (bad_mac)
        mac[0] ^= 1;
      g_byte_array_append (plain, mac, mac_size);
    }
  for (int i = 0; i <= pad; i++)
    g_byte_array_append (plain, &pad, 1);
  if (bad_pad_at >= 0)
    plain->data[plain->len - 1 - pad + bad_pad_at] ^= 0x40;
  g_assert_cmpuint (plain->len % 16, ==, 0);

  encrypted_size = 16 + plain->len;
  fragment_size = encrypted_size + (etm ? mac_size : 0);
  {
    guint8 header[5] = { type, 3, 3, (fragment_size >> 8) & 0xff, fragment_size & 0xff };

    g_byte_array_append (out, header, 5);
  }
  g_byte_array_append (out, iv, sizeof iv);
  g_assert_cmpint (gnutls_cipher_init (&cipher, keys->cipher, &key, &iv_datum), ==, 0);
  g_assert_cmpint (gnutls_cipher_encrypt (cipher, plain->data, plain->len), ==, 0);
  gnutls_cipher_deinit (cipher);
  g_byte_array_append (out, plain->data, plain->len);

  if (etm)
    {
      for (int i = 0; i < 8; i++)
        pseudo[i] = (seq >> (56 - 8 * i)) & 0xff;
      pseudo[8] = type;
      pseudo[9] = 3;
      pseudo[10] = 3;
      pseudo[11] = (encrypted_size >> 8) & 0xff;
      pseudo[12] = encrypted_size & 0xff;
      g_assert_cmpint (gnutls_hmac_init (&hmac, keys->mac,
                                         g_bytes_get_data (keys->mac_key, NULL),
                                         g_bytes_get_size (keys->mac_key)), ==, 0);
      gnutls_hmac (hmac, pseudo, sizeof pseudo);
      gnutls_hmac (hmac, out->data + 5, encrypted_size);
      gnutls_hmac_deinit (hmac, mac);
      if (bad_mac)
        mac[0] ^= 1;
      g_byte_array_append (out, mac, mac_size);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
test_cbc_built (gconstpointer data)
{
  HlRecordProtection protection = GPOINTER_TO_INT (data);
  gboolean etm = protection == HL_RECORD_PROTECTION_TLS12_CBC_ETM;
  g_autoptr(GBytes) key = hl_test_hex ("0f 0e 0d 0c 0b 0a 09 08 07 06 05 04 03 02 01 00");
  g_autoptr(GBytes) mac_key = hl_test_hex ("01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 "
                                           "11 12 13 14");
  HlRecordKeys keys = { protection, GNUTLS_CIPHER_AES_128_CBC, GNUTLS_MAC_SHA1, key, NULL,
                        mac_key };
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  /* 5 + 20 + 1 + pad must fill whole blocks with MAC-then-encrypt, 5 + 1 + pad without. */
  guint8 min_pad = etm ? 10 : 6;
  g_autoptr(GBytes) good = build_cbc_record (&keys, 7, 23, hello, min_pad, -1, FALSE);
  g_autoptr(GBytes) long_pad = build_cbc_record (&keys, 7, 23, hello, min_pad + 240, -1, FALSE);
  g_autoptr(GBytes) bad_pad = build_cbc_record (&keys, 7, 23, hello, min_pad, 2, FALSE);
  g_autoptr(GBytes) bad_mac = build_cbc_record (&keys, 7, 23, hello, min_pad, -1, TRUE);
  g_autoptr(GBytes) flipped_iv = hl_test_flip_byte (good, 5);

  assert_decrypts_to (&keys, 7, good, 23, hello);
  /* Up to 255 bytes of padding are allowed (RFC 5246 §6.2.3.2). */
  assert_decrypts_to (&keys, 7, long_pad, 23, hello);
  assert_decrypt_error (&keys, 8, good, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_BAD_MAC);
  /* Under encrypt-then-MAC the MAC covers the ciphertext of the bad padding and verifies; in
   * both modes it is the padding check that fails. */
  assert_decrypt_error (&keys, 7, bad_pad, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_PADDING);
  assert_decrypt_error (&keys, 7, bad_mac, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_MAC);
  /* The explicit IV: under encrypt-then-MAC it is covered by the MAC; under MAC-then-encrypt it
   * garbles the first plaintext block, which the MAC covers. */
  assert_decrypt_error (&keys, 7, flipped_iv, HL_RECORD_CRYPTO_ERROR,
                        HL_RECORD_CRYPTO_ERROR_BAD_MAC);
  assert_truncations_fail (&keys, 7, good);
}

/* --- Real GnuTLS sessions -------------------------------------------------------------------- */

typedef struct
{
  const char        *path;
  const char        *priority;
  HlRecordProtection protection;
} SessionCase;

#define T12 "NORMAL:-VERS-ALL:+VERS-TLS1.2:"
#define T13 "NORMAL:-VERS-ALL:+VERS-TLS1.3:"
#define CBC "-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA1"

static const SessionCase session_cases[] = {
  { "session-tls12-aes128gcm", T12 "-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+AES-128-GCM",
    HL_RECORD_PROTECTION_TLS12_AEAD },
  { "session-tls12-aes256gcm", T12 "-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+AES-256-GCM",
    HL_RECORD_PROTECTION_TLS12_AEAD },
  { "session-tls12-chacha20", T12 "-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+CHACHA20-POLY1305",
    HL_RECORD_PROTECTION_TLS12_AEAD },
  { "session-tls12-rsa-aes128gcm", T12 "-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-GCM",
    HL_RECORD_PROTECTION_TLS12_AEAD },
  { "session-tls12-cbc-mac-then-encrypt", T12 CBC ":%NO_ETM", HL_RECORD_PROTECTION_TLS12_CBC },
  { "session-tls12-cbc-encrypt-then-mac", T12 CBC, HL_RECORD_PROTECTION_TLS12_CBC_ETM },
  { "session-tls13-aes128gcm", T13 "-CIPHER-ALL:+AES-128-GCM", HL_RECORD_PROTECTION_TLS13_AEAD },
  { "session-tls13-aes256gcm", T13 "-CIPHER-ALL:+AES-256-GCM", HL_RECORD_PROTECTION_TLS13_AEAD },
  { "session-tls13-chacha20", T13 "-CIPHER-ALL:+CHACHA20-POLY1305",
    HL_RECORD_PROTECTION_TLS13_AEAD },
};

/* The sender's current write keys, as GnuTLS reports them, and its next sequence number. */
typedef struct
{
  HlRecordKeys keys;
  GBytes      *key;
  GBytes      *iv;
  GBytes      *mac_key;
  guint64      seq;
} WriteState;

static void
write_state_clear (WriteState *ws)
{
  g_clear_pointer (&ws->key, g_bytes_unref);
  g_clear_pointer (&ws->iv, g_bytes_unref);
  g_clear_pointer (&ws->mac_key, g_bytes_unref);
}

static void
write_state_get (gnutls_session_t   session,
                 HlRecordProtection protection,
                 WriteState        *ws)
{
  gnutls_datum_t mac_key, iv, key;
  unsigned char seq[8];
  int rc;

  rc = gnutls_record_get_state (session, 0, &mac_key, &iv, &key, seq);
  g_assert_cmpint (rc, ==, 0);

  ws->key = hl_secret_bytes_new (key.data, key.size);
  ws->iv = hl_secret_bytes_new (iv.data, iv.size);
  ws->mac_key = hl_secret_bytes_new (mac_key.data, mac_key.size);
  ws->seq = seq_from_state (seq);
  ws->keys.protection = protection;
  ws->keys.cipher = gnutls_cipher_get (session);
  ws->keys.mac = gnutls_mac_get (session);
  ws->keys.key = ws->key;
  ws->keys.iv = ws->iv;
  ws->keys.mac_key = ws->mac_key;
}

/* Decrypts the handshake records one side protected: TLS 1.2 its Finished, TLS 1.3 its whole
 * encrypted flight; the plaintext must be the framed messages the client's hook saw. */
static void
check_handshake_records (HlTestPair        *pair,
                         HlTestSide         side,
                         HlRecordProtection protection,
                         GPtrArray         *records)
{
  gboolean tls13 = protection == HL_RECORD_PROTECTION_TLS13_AEAD;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(GByteArray) decrypted = g_byte_array_new ();
  g_autoptr(GBytes) expected_bytes = NULL;
  g_autoptr(GBytes) decrypted_bytes = NULL;
  HlRecordKeys keys = { protection, gnutls_cipher_get (pair->client),
                        gnutls_mac_get (pair->client), NULL, NULL, NULL };
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) iv = NULL;
  g_autoptr(GBytes) mac_key = NULL;
  guint first, last, protected_seen = 0;
  gboolean after_ccs = FALSE;
  guint64 seq = 0;

  if (tls13)
    {
      /* Server: EncryptedExtensions..Finished; client: its Finished. Keys are the ones GnuTLS
       * installed when the secret function reported the handshake secrets. */
      for (guint i = 0; i < pair->epochs->len; i++)
        {
          HlTestEpoch *epoch = pair->epochs->pdata[i];

          if (epoch->level == GNUTLS_ENCRYPTION_LEVEL_HANDSHAKE &&
              epoch->sender == (side == HL_TEST_CLIENT ? HL_TEST_CLIENT : HL_TEST_SERVER))
            {
              key = g_bytes_ref (epoch->library_key);
              iv = g_bytes_ref (epoch->library_iv);
            }
        }
      g_assert_nonnull (key);
      first = side == HL_TEST_SERVER
                ? hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_SERVER_HELLO, 0) + 1
                : hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_FINISHED, 0) + 1;
      last = hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_FINISHED,
                                        side == HL_TEST_SERVER ? 0 : first);
    }
  else
    {
      /* In TLS 1.2 the Finished is the first record under the new keys, sequence number 0. */
      gnutls_datum_t mk, v, k;
      unsigned char s[8];
      gnutls_session_t sender = side == HL_TEST_CLIENT ? pair->client : pair->server;
      guint client_fin = hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_FINISHED, 0);

      g_assert_cmpint (gnutls_record_get_state (sender, 0, &mk, &v, &k, s), ==, 0);
      key = g_bytes_new (k.data, k.size);
      iv = g_bytes_new (v.data, v.size);
      mac_key = g_bytes_new (mk.data, mk.size);
      first = last = side == HL_TEST_CLIENT
                       ? client_fin
                       : hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_FINISHED,
                                                    client_fin + 1);
    }
  keys.key = key;
  keys.iv = iv;
  keys.mac_key = mac_key;

  for (guint i = first; i <= last; i++)
    g_byte_array_append (expected, g_bytes_get_data (pair->messages->pdata[i], NULL),
                         g_bytes_get_size (pair->messages->pdata[i]));

  for (guint i = 0; i < records->len && decrypted->len < expected->len; i++)
    {
      const guint8 *header = g_bytes_get_data (records->pdata[i], NULL);
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GError) error = NULL;
      guint8 type = 0;

      /* Plaintext records come first: in TLS 1.3 the hellos (and a compatibility
       * ChangeCipherSpec), in TLS 1.2 everything up to and including ChangeCipherSpec. */
      if (header[0] == HL_CONTENT_CHANGE_CIPHER_SPEC)
        {
          after_ccs = TRUE;
          continue;
        }
      if (tls13 ? header[0] != HL_CONTENT_APPLICATION_DATA : !after_ccs)
        continue;

      plain = hl_record_decrypt (&keys, seq++, records->pdata[i], &type, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (type, ==, HL_CONTENT_HANDSHAKE);
      g_byte_array_append (decrypted, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
      protected_seen++;
    }

  g_assert_cmpuint (protected_seen, >, 0);
  expected_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&expected));
  decrypted_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&decrypted));
  hl_test_assert_bytes_equal (decrypted_bytes, expected_bytes);
}

static void
check_application_data (HlTestPair        *pair,
                        HlTestSide         side,
                        HlRecordProtection protection)
{
  gnutls_session_t sender = side == HL_TEST_CLIENT ? pair->client : pair->server;
  const char *texts[] = { "GET / HTTP/1.1\r\nHost: server.test\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" };
  WriteState ws = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GBytes) corrupted = NULL;

  write_state_get (sender, protection, &ws);

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_cmpint (gnutls_record_send (sender, texts[i], strlen (texts[i])), ==,
                     (ssize_t) strlen (texts[i]));

  records = hl_test_pair_take_records (pair, side);
  g_assert_cmpuint (records->len, ==, G_N_ELEMENTS (texts));

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) expected = g_bytes_new_static (texts[i], strlen (texts[i]));

      assert_decrypts_to (&ws.keys, ws.seq + i, records->pdata[i], HL_CONTENT_APPLICATION_DATA,
                          expected);
    }

  /* The peer accepts them too: the capture did not disturb the session. */
  hl_test_pair_drain (pair);

  /* Corruptions and truncations of a real record fail cleanly. */
  corrupted = hl_test_flip_byte (records->pdata[0], g_bytes_get_size (records->pdata[0]) - 1);
  if (protection == HL_RECORD_PROTECTION_TLS12_CBC)
    {
      /* The last ciphertext byte garbles the last block: padding or MAC fails. */
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) plain = hl_record_decrypt (&ws.keys, ws.seq, corrupted, NULL, &error);

      g_assert_null (plain);
      g_assert_true (g_error_matches (error, HL_RECORD_CRYPTO_ERROR,
                                      HL_RECORD_CRYPTO_ERROR_BAD_PADDING) ||
                     g_error_matches (error, HL_RECORD_CRYPTO_ERROR,
                                      HL_RECORD_CRYPTO_ERROR_BAD_MAC));
    }
  else
    {
      assert_decrypt_error (&ws.keys, ws.seq, corrupted, HL_RECORD_CRYPTO_ERROR,
                            protection == HL_RECORD_PROTECTION_TLS12_CBC_ETM
                              ? HL_RECORD_CRYPTO_ERROR_BAD_MAC
                              : HL_RECORD_CRYPTO_ERROR_BAD_TAG);
    }
  if (protection == HL_RECORD_PROTECTION_TLS12_CBC ||
      protection == HL_RECORD_PROTECTION_TLS12_CBC_ETM)
    assert_decrypt_error (&ws.keys, ws.seq + 1, records->pdata[0], HL_RECORD_CRYPTO_ERROR,
                          HL_RECORD_CRYPTO_ERROR_BAD_MAC);
  else
    assert_decrypt_error (&ws.keys, ws.seq + 1, records->pdata[0], HL_RECORD_CRYPTO_ERROR,
                          HL_RECORD_CRYPTO_ERROR_BAD_TAG);
  assert_truncations_fail (&ws.keys, ws.seq, records->pdata[0]);

  write_state_clear (&ws);
}

static void
test_session (gconstpointer data)
{
  const SessionCase *tc = data;
  g_autoptr(HlTestPair) pair = hl_test_pair_new (tc->priority, tc->priority);
  g_autoptr(GPtrArray) client_records = NULL;
  g_autoptr(GPtrArray) server_records = NULL;

  hl_test_pair_handshake (pair);

  if (tc->protection == HL_RECORD_PROTECTION_TLS12_CBC_ETM)
    g_assert_true (gnutls_session_etm_status (pair->client));
  if (tc->protection == HL_RECORD_PROTECTION_TLS12_CBC)
    g_assert_false (gnutls_session_etm_status (pair->client));
  g_assert_cmpint (gnutls_protocol_get_version (pair->client), ==,
                   tc->protection == HL_RECORD_PROTECTION_TLS13_AEAD ? GNUTLS_TLS1_3
                                                                     : GNUTLS_TLS1_2);

  client_records = hl_test_pair_take_records (pair, HL_TEST_CLIENT);
  server_records = hl_test_pair_take_records (pair, HL_TEST_SERVER);
  check_handshake_records (pair, HL_TEST_CLIENT, tc->protection, client_records);
  check_handshake_records (pair, HL_TEST_SERVER, tc->protection, server_records);

  check_application_data (pair, HL_TEST_CLIENT, tc->protection);
  check_application_data (pair, HL_TEST_SERVER, tc->protection);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  hl_test_tls_init ();

  for (gsize i = 0; i < G_N_ELEMENTS (rfc8448_records); i++)
    {
      const Rfc8448Record *row = &rfc8448_records[i];
      struct
      {
        const char *suffix;
        void (*func) (Rfc8448Fixture *, gconstpointer);
      } variants[] = {
        { "", test_rfc8448_decrypt },
        { "-encrypt", test_rfc8448_encrypt },
        { "-corrupted", test_rfc8448_corrupted },
        { "-truncated", test_rfc8448_truncated },
      };

      for (gsize v = 0; v < G_N_ELEMENTS (variants); v++)
        {
          g_autofree char *path = g_strdup_printf ("/protocol/record-crypto/%s%s", row->path,
                                                   variants[v].suffix);

          g_test_add (path, Rfc8448Fixture, row, rfc8448_setup, variants[v].func,
                      rfc8448_teardown);
        }
    }

  g_test_add_func ("/protocol/record-crypto/bad-keys", test_bad_keys);
  g_test_add_func ("/protocol/record-crypto/malformed", test_malformed);
  g_test_add_func ("/protocol/record-crypto/aead-round-trips", test_round_trips);
  g_test_add_data_func ("/protocol/record-crypto/cbc-mac-then-encrypt-built",
                        GINT_TO_POINTER (HL_RECORD_PROTECTION_TLS12_CBC), test_cbc_built);
  g_test_add_data_func ("/protocol/record-crypto/cbc-encrypt-then-mac-built",
                        GINT_TO_POINTER (HL_RECORD_PROTECTION_TLS12_CBC_ETM), test_cbc_built);

  for (gsize i = 0; i < G_N_ELEMENTS (session_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/record-crypto/%s",
                                               session_cases[i].path);

      g_test_add_data_func (path, &session_cases[i], test_session);
    }

  ret = g_test_run ();
  hl_test_tls_deinit ();

  return ret;
}
