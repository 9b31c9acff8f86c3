/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-record-internals"

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>

#include "hl-decoder.h"
#include "hl-engine.h"
#include "hl-keyschedule.h"
#include "hl-record-internals.h"
#include "hl-test-tls.h"
#include "hl-print.h"
#include "hl-trace-io.h"

/*
 * Tests for protocol/verify/hl-record-internals.c and the internals hl_record_decrypt_full()
 * reports.
 *
 * - Known answers from RFC 8448 (tests/data/rfc8448.ini): for the section 3 records, whose
 *   sequence numbers follow from their order, the nonce shown is the published write IV XOR the
 *   sequence number left-padded to 12 bytes (computed here byte by byte), the additional data
 *   is the record header, the tag is the last 16 bytes and the inner type and padding are what
 *   the plaintext says.
 * - Real runs (TLS 1.3, TLS 1.2 AES-GCM, TLS 1.2 ChaCha20-Poly1305, TLS 1.2 CBC with and
 *   without encrypt-then-MAC): for every protected record, the nonce and additional data in its
 *   field tree open the record's ciphertext and tag with GnuTLS's AEAD directly (not through
 *   our record code) to the captured plaintext; the split of the fragment covers it exactly
 *   and the explicit nonce or IV fields are the record's own bytes.
 */

/* --- Helpers --------------------------------------------------------------------------------- */

static HlField *
child (HlField *root, const char *path)
{
  HlField *f = hl_field_find_path (root, path);

  if (f == NULL)
    g_test_message ("no field %s", path);
  g_assert_nonnull (f);
  return f;
}

static GBytes *
field_hex (HlField *root, const char *path)
{
  return hl_test_hex (hl_field_get_value (child (root, path)));
}

/* --- RFC 8448 -------------------------------------------------------------------------------- */

typedef struct
{
  const char *record;
  const char *key;
  const char *iv;
  guint64     seq;
  guint8      inner_type;
} Rfc8448Row;

/* RFC 8448 §3: each sender's records in order, the sequence number counting from 0 at each key
 * change (the server's NewSessionTicket is its first record under the application keys). */
static const Rfc8448Row rows[] = {
  { "client_finished_record", "client_handshake_key", "client_handshake_iv", 0, 22 },
  { "new_session_ticket_record", "server_application_key", "server_application_iv", 0, 22 },
  { "client_application_record", "client_application_key", "client_application_iv", 0, 23 },
  { "server_application_record", "server_application_key", "server_application_iv", 1, 23 },
  { "client_alert_record", "client_application_key", "client_application_iv", 1, 21 },
  { "server_alert_record", "server_application_key", "server_application_iv", 2, 21 },
};

static GBytes *
rfc8448 (GKeyFile *kf, const char *key)
{
  g_autofree char *hex = g_key_file_get_string (kf, "simple-1rtt", key, NULL);

  g_assert_nonnull (hex);
  return hl_test_hex (hex);
}

static void
test_rfc8448 (void)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "rfc8448.ini", NULL);
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GBytes) record = rfc8448 (kf, rows[i].record);
      g_autoptr(GBytes) key = rfc8448 (kf, rows[i].key);
      g_autoptr(GBytes) iv = rfc8448 (kf, rows[i].iv);
      HlRecordKeys keys = { HL_RECORD_PROTECTION_TLS13_AEAD, GNUTLS_CIPHER_AES_128_GCM, 0,
                            key, iv, NULL };
      HlRecordInternals ri = { 0 };
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(HlField) root = NULL;
      g_autoptr(GBytes) shown = NULL;
      guint8 expected[12];
      gsize size;
      const guint8 *bytes = g_bytes_get_data (record, &size);

      g_test_message ("%s", rows[i].record);
      /* nonce = iv XOR (0000 0000 ‖ seq as 8 bytes big-endian), RFC 8446 §5.3 */
      memcpy (expected, g_bytes_get_data (iv, NULL), 12);
      for (int b = 0; b < 8; b++)
        expected[4 + b] ^= (rows[i].seq >> (56 - 8 * b)) & 0xff;

      plain = hl_record_decrypt_full (&keys, rows[i].seq, record, NULL, &ri, &error);
      g_assert_no_error (error);
      g_assert_nonnull (plain);
      g_assert_cmpmem (ri.nonce, 12, expected, 12);
      g_assert_cmpmem (ri.iv, ri.iv_size, g_bytes_get_data (iv, NULL), 12);
      g_assert_cmpuint (ri.padded_seq[11], ==, rows[i].seq);
      g_assert_cmpmem (ri.aad, ri.aad_size, bytes, 5);
      g_assert_cmpuint (ri.tag_offset, ==, size - 16);
      g_assert_cmpuint (ri.tag_size, ==, 16);
      g_assert_cmpuint (ri.inner_type, ==, rows[i].inner_type);
      g_assert_cmpuint (ri.content_size, ==, g_bytes_get_size (plain));
      g_assert_cmpuint (ri.content_size + 1 + ri.padding_size, ==, size - 5 - 16);

      /* the field tree shows these very values */
      {
        HlDecodeContext ctx = { .tls13 = TRUE, .protected_record = TRUE };

        root = hl_decode_record_full (record, 0, &ctx, &error);
        g_assert_no_error (error);
      }
      hl_record_internals_add_fields (&ri, "client_write_key, client_write_iv", root);
      shown = field_hex (root, "nonce");
      g_assert_cmpmem (g_bytes_get_data (shown, NULL), g_bytes_get_size (shown), expected, 12);
      g_assert_cmpuint (hl_field_get_offset (child (root, "fragment/encrypted_record/tag")), ==,
                        size - 16);
    }
}

/* --- Real runs ------------------------------------------------------------------------------- */

/* The trace's value of @name (a key or IV the record pass used). */
static GBytes *
secret_value (HlTrace *trace, const char *name, guint handshake)
{
  const HlSecret *s = hl_trace_find_secret (trace, name, handshake);

  g_assert_nonnull (s);
  g_assert_nonnull (s->value);
  return s->value;
}

/* Opens the record's ciphertext ‖ tag with GnuTLS's AEAD and the nonce and additional data the
 * field tree shows; returns the plaintext. */
static GBytes *
open_with_shown (gnutls_cipher_algorithm_t cipher, GBytes *key, GBytes *record, HlField *root)
{
  g_autoptr(GBytes) nonce = field_hex (root, "nonce");
  g_autoptr(GBytes) aad = field_hex (root, "additional_data");
  HlField *ct = hl_field_find_path (root, "fragment/encrypted_record/ciphertext");
  HlField *tag = child (root, "fragment/encrypted_record/tag");
  const guint8 *bytes = g_bytes_get_data (record, NULL);
  gsize start = ct ? hl_field_get_offset (ct)
                   : hl_field_get_offset (child (root, "fragment/encrypted_record"));
  gsize length = hl_field_get_end (tag) - start;
  gnutls_datum_t k = { (unsigned char *) g_bytes_get_data (key, NULL),
                       (unsigned) g_bytes_get_size (key) };
  gnutls_aead_cipher_hd_t hd;
  guint8 *out = g_malloc (length);
  size_t out_size = length;

  g_assert_cmpuint (g_bytes_get_size (nonce), ==, 12);
  g_assert_cmpuint (hl_field_get_length (tag), ==, 16);
  g_assert_cmpuint (hl_field_get_end (tag), ==, g_bytes_get_size (record));
  g_assert_cmpint (gnutls_aead_cipher_init (&hd, cipher, &k), ==, 0);
  g_assert_cmpint (gnutls_aead_cipher_decrypt (hd, g_bytes_get_data (nonce, NULL), 12,
                                               g_bytes_get_data (aad, NULL),
                                               g_bytes_get_size (aad), 16, bytes + start, length,
                                               out, &out_size), ==, 0);
  gnutls_aead_cipher_deinit (hd);
  return g_bytes_new_take (out, out_size);
}

typedef struct
{
  const char *name;
  HlConfig    config;
  gnutls_cipher_algorithm_t cipher;
} Run;

static const Run runs[] = {
  { "tls13", { HL_VERSION_TLS13, .cipher = HL_CIPHER_AES_128_GCM }, GNUTLS_CIPHER_AES_128_GCM },
  { "tls12-gcm", { HL_VERSION_TLS12, HL_KX_ECDHE, HL_CERT_RSA, HL_CIPHER_AES_128_GCM,
                   .ems = TRUE }, GNUTLS_CIPHER_AES_128_GCM },
  { "tls12-chacha", { HL_VERSION_TLS12, HL_KX_ECDHE, HL_CERT_RSA, HL_CIPHER_CHACHA20_POLY1305,
                      .ems = TRUE }, GNUTLS_CIPHER_CHACHA20_POLY1305 },
  { "tls12-cbc-etm", { HL_VERSION_TLS12, HL_KX_RSA, HL_CERT_RSA, HL_CIPHER_AES_128_CBC,
                       .etm = TRUE }, GNUTLS_CIPHER_AES_128_CBC },
  { "tls12-cbc-mte", { HL_VERSION_TLS12, HL_KX_RSA, HL_CERT_RSA, HL_CIPHER_AES_128_CBC },
    GNUTLS_CIPHER_AES_128_CBC },
};

static void
check_cbc (HlTrace *trace, HlEvent *event, HlField *root, const HlRecordDecryption *rd)
{
  GBytes *record = hl_event_get_bytes (event);
  HlField *iv = child (root, "fragment/encrypted_record/iv");
  HlField *ct = child (root, "fragment/encrypted_record/ciphertext");
  HlField *content = child (ct, "encrypted_content");
  HlField *mac = hl_field_find_path (root, "fragment/encrypted_record/mac");
  HlField *inner_mac = hl_field_find (ct, "encrypted_mac");
  g_autoptr(GBytes) header = field_hex (root, "mac_header");
  guint64 seq = 0;

  g_assert_cmpuint (hl_field_get_offset (iv), ==, 5);
  g_assert_cmpuint (hl_field_get_length (iv), ==, 16);
  g_assert_cmpuint (hl_field_get_length (content), ==,
                    g_bytes_get_size (hl_event_get_plaintext (event)));
  /* encrypt-then-MAC: the MAC follows the ciphertext in the clear; else it is inside */
  g_assert_true ((mac != NULL) == (rd->internals->protection ==
                                   HL_RECORD_PROTECTION_TLS12_CBC_ETM));
  g_assert_true ((inner_mac != NULL) == (mac == NULL));
  g_assert_cmpuint (hl_field_get_end (mac ? mac : ct), ==, g_bytes_get_size (record));
  g_assert_cmpuint (g_bytes_get_size (header), ==, 13);
  for (int b = 0; b < 8; b++)
    seq = seq << 8 | ((const guint8 *) g_bytes_get_data (header, NULL))[b];
  g_assert_cmpuint (seq, ==, rd->seq);
  (void) trace;
}

static void
test_run (gconstpointer data)
{
  const Run *run = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run (&run->config, run->name, run->name, "", NULL,
                                            &error);
  g_autoptr(HlKeySchedule) ks = NULL;
  guint n = 0;

  g_assert_no_error (error);
  ks = hl_keyschedule_compute (trace, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ks->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (ks->records, i);
      HlEvent *event = hl_trace_get_event (trace, rd->record);
      GBytes *record = hl_event_get_bytes (event);
      g_autoptr(HlField) root = hl_trace_decode_with_internals (trace, event, &error);
      g_auto(GStrv) keys = g_strsplit (rd->keys, ", ", -1);
      g_autoptr(GBytes) seq_shown = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (rd->check, ==, HL_CHECK_OK);
      g_assert_nonnull (rd->internals);
      g_assert_cmpuint (rd->internals->seq, ==, rd->seq);
      g_assert_cmpuint (g_ascii_strtoull (hl_field_get_value (child (root, "sequence_number")),
                                          NULL, 10), ==, rd->seq);
      n++;
      if (run->cipher == GNUTLS_CIPHER_AES_128_CBC)
        {
          check_cbc (trace, event, root, rd);
          continue;
        }
      {
        g_autoptr(GBytes) plain = open_with_shown (run->cipher,
                                                   secret_value (trace, keys[0], rd->handshake),
                                                   record, root);
        gsize plain_size = g_bytes_get_size (hl_event_get_plaintext (event));

        /* TLS 1.3: the content, then the inner type (and no padding from GnuTLS here) */
        g_assert_cmpuint (g_bytes_get_size (plain), >=, plain_size);
        g_assert_cmpmem (g_bytes_get_data (plain, NULL), plain_size,
                         g_bytes_get_data (hl_event_get_plaintext (event), NULL), plain_size);
        if (run->config.version == HL_VERSION_TLS13)
          g_assert_cmpuint (((const guint8 *) g_bytes_get_data (plain, NULL))[plain_size], ==,
                            hl_event_get_inner_type (event));
      }
      if (run->cipher == GNUTLS_CIPHER_AES_128_GCM && run->config.version == HL_VERSION_TLS12)
        {
          /* salt ‖ explicit nonce, the explicit part being the record's bytes 5…12 */
          HlField *explicit = child (root, "fragment/encrypted_record/explicit_nonce");
          g_autoptr(GBytes) nonce = field_hex (root, "nonce");
          g_autoptr(GBytes) salt = field_hex (root, "nonce/salt");

          g_assert_cmpuint (hl_field_get_offset (explicit), ==, 5);
          g_assert_cmpuint (hl_field_get_length (explicit), ==, 8);
          g_assert_cmpmem ((const guint8 *) g_bytes_get_data (nonce, NULL) + 4, 8,
                           (const guint8 *) g_bytes_get_data (record, NULL) + 5, 8);
          g_assert_true (g_bytes_equal (salt, secret_value (trace, keys[1], rd->handshake)));
        }
      else
        {
          /* write_iv XOR the padded sequence number */
          g_autoptr(GBytes) iv = field_hex (root, "nonce/write_iv");

          seq_shown = field_hex (root, "nonce/padded_sequence_number");
          g_assert_true (g_bytes_equal (iv, secret_value (trace, keys[1], rd->handshake)));
          g_assert_cmpuint (((const guint8 *) g_bytes_get_data (seq_shown, NULL))[11], ==,
                            rd->seq & 0xff);
        }
    }
  /* Finished, data and close_notify each way at least */
  g_assert_cmpuint (n, >=, 6);
}

/* A record that no longer authenticates (one bit of its tag changed in a saved copy) shows no
 * internals: nothing is shown that did not open the record. */
static void
test_tampered (void)
{
  g_autoptr(GError) error = NULL;
  const HlConfig config = { HL_VERSION_TLS13, .cipher = HL_CIPHER_AES_128_GCM };
  g_autoptr(HlTrace) trace = hl_engine_run (&config, "tls13", "tls13", "", NULL, &error);
  g_autofree char *json = NULL;
  g_autofree char *hex = NULL;
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(HlField) intact = NULL;
  g_autoptr(HlField) root = NULL;
  HlEvent *record = NULL;
  char *at;

  g_assert_no_error (error);
  for (guint i = 0; i < hl_trace_get_n_events (trace) && record == NULL; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_RECORD &&
          hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT)
        record = event;
    }
  g_assert_nonnull (record);
  intact = hl_trace_decode_with_internals (trace, record, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hl_field_find (intact, "nonce"));

  json = hl_trace_to_data (trace, NULL);
  hex = hl_bytes_to_hex (hl_event_get_bytes (record));
  at = strstr (json, hex);
  g_assert_nonnull (at);
  at += strlen (hex) - 1;   /* the tag's last digit */
  *at = *at == '0' ? '1' : '0';
  loaded = hl_trace_load_data (json, -1, &error);
  g_assert_no_error (error);
  root = hl_trace_decode_with_internals (loaded,
                                         hl_trace_get_event (loaded,
                                                             hl_event_get_index (record)),
                                         &error);
  g_assert_no_error (error);
  g_assert_null (hl_field_find (root, "nonce"));
  g_assert_null (hl_field_find (root, "sequence_number"));
  g_assert_cmpuint (hl_field_get_n_children (hl_field_find (root, "encrypted_record")), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/record-internals/rfc8448", test_rfc8448);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/record-internals/run/%s",
                                               runs[i].name);

      g_test_add_data_func (path, &runs[i], test_run);
    }
  g_test_add_func ("/protocol/record-internals/tampered", test_tampered);
  return g_test_run ();
}
