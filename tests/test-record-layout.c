/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "hl-engine.h"
#include "hl-trace-decode.h"

/*
 * What a TLS 1.2 record's caption says about its bytes (IV, nonce, MAC, padding, tag) is
 * checked here by opening the record again with GnuTLS's raw cipher and HMAC calls, apart
 * from the app's record decryption: the client's Request record of each TLS 1.2 protection
 * (AES-GCM, ChaCha20-Poly1305, CBC with encrypt-then-MAC, CBC with MAC-then-encrypt), with
 * the keys GnuTLS reported and the sequence number counted from the trace.
 */

#define HEADER 5
#define SHA1_LEN 20
#define BLOCK 16
#define TAG 16

typedef enum { GCM, CHACHA, CBC_ETM, CBC_MTE } Protection;

typedef struct
{
  const char *id;
  Protection  protection;
} Case;

static const Case cases[] = {
  { "tls12-ecdhe-rsa", GCM },
  { "tls12-chacha20", CHACHA },
  { "tls12-cbc", CBC_ETM },
  { "tls12-cbc-mte", CBC_MTE },
};

typedef struct
{
  HlTrace      *trace;
  HlEvent      *record;
  const guint8 *wire;       /* the record: header and fragment */
  gsize         len;
  GBytes       *plaintext;  /* what the client sent: the captured Request */
  guint64       seq;        /* its sequence number (Finished was 0) */
} Request;

static GBytes *
secret (HlTrace *trace, const char *name)
{
  const HlSecret *s = hl_trace_find_secret (trace, name, 0);

  g_assert_nonnull (s);
  g_assert_nonnull (s->value);
  return s->value;
}

static void
find_request (HlTrace *trace, Request *r)
{
  memset (r, 0, sizeof *r);
  r->trace = trace;
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_APP_DATA &&
          hl_event_get_side (event) == HL_SIDE_CLIENT)
        {
          r->record = hl_trace_get_event (trace, hl_event_get_record (event));
          r->plaintext = hl_event_get_bytes (event);
          break;
        }
    }
  g_assert_nonnull (r->record);
  for (guint i = 0; i < hl_event_get_index (r->record); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_RECORD &&
          hl_event_get_side (event) == HL_SIDE_CLIENT &&
          hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT)
        r->seq++;
    }
  g_assert_cmpuint (r->seq, ==, 1);
  r->wire = g_bytes_get_data (hl_event_get_bytes (r->record), &r->len);
  g_assert_cmpuint (r->len, ==, HEADER + ((r->wire[3] << 8) | r->wire[4]));
}

/* seq_num ‖ type ‖ version ‖ length, the start of both the AEAD additional data (RFC 5246
 * §6.2.3.3) and the MAC input (§6.2.3.1, RFC 7366 §3) */
static void
pseudo_header (const Request *r, gsize length, guint8 out[13])
{
  for (guint i = 0; i < 8; i++)
    out[i] = (r->seq >> (56 - 8 * i)) & 0xff;
  memcpy (out + 8, r->wire, 3);
  out[11] = length >> 8;
  out[12] = length & 0xff;
}

static void
assert_caption_says (const Request *r, const char *expect)
{
  const char *caption = hl_event_get_caption (r->record);

  if (strstr (caption, expect) == NULL)
    g_error ("“%s” does not say “%s”", caption, expect);
}

static void
check_aead (const Request *r, gboolean chacha)
{
  GBytes *key = secret (r->trace, "client_write_key");
  GBytes *iv = secret (r->trace, "client_write_iv");
  gnutls_datum_t k = { (guint8 *) g_bytes_get_data (key, NULL), g_bytes_get_size (key) };
  gnutls_aead_cipher_hd_t h;
  guint8 nonce[12] = { 0 }, aad[13];
  gsize plain = r->len - HEADER - TAG - (chacha ? 0 : 8);
  g_autofree guint8 *out = g_malloc (r->len);
  size_t out_len = r->len;
  g_autofree char *expect = NULL;

  if (chacha)
    {
      /* RFC 7905 §2: the 64-bit sequence number, padded on the left to 12 bytes, XOR the IV */
      g_assert_cmpuint (g_bytes_get_size (iv), ==, 12);
      memcpy (nonce, g_bytes_get_data (iv, NULL), 12);
      for (guint i = 0; i < 8; i++)
        nonce[4 + i] ^= (r->seq >> (56 - 8 * i)) & 0xff;
    }
  else
    {
      /* RFC 5288 §3: the 4-byte salt ‖ the 8 bytes in front of the ciphertext */
      g_assert_cmpuint (g_bytes_get_size (iv), ==, 4);
      memcpy (nonce, g_bytes_get_data (iv, NULL), 4);
      memcpy (nonce + 4, r->wire + HEADER, 8);
    }
  pseudo_header (r, plain, aad);
  g_assert_cmpint (gnutls_aead_cipher_init (&h, chacha ? GNUTLS_CIPHER_CHACHA20_POLY1305
                                                       : GNUTLS_CIPHER_AES_128_GCM, &k), ==, 0);
  g_assert_cmpint (gnutls_aead_cipher_decrypt (h, nonce, sizeof nonce, aad, sizeof aad, TAG,
                                               r->wire + r->len - plain - TAG, plain + TAG,
                                               out, &out_len), ==, 0);
  gnutls_aead_cipher_deinit (h);
  g_assert_cmpmem (out, out_len, g_bytes_get_data (r->plaintext, NULL),
                   g_bytes_get_size (r->plaintext));

  if (chacha)
    expect = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes on the wire, a 5-byte header anyone "
                              "can read, then the %" G_GSIZE_FORMAT " bytes of plaintext, "
                              "encrypted, and a 16-byte Poly1305 tag. No nonce travels: each "
                              "side makes the 12-byte nonce from client_write_iv XOR the "
                              "record's sequence number", r->len, plain);
  else
    expect = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes on the wire, a 5-byte header anyone "
                              "can read, then an 8-byte explicit nonce (the record's nonce is "
                              "the 4-byte client_write_iv ‖ these bytes, RFC 5288), the %"
                              G_GSIZE_FORMAT " bytes of plaintext, encrypted, and a 16-byte "
                              "tag.", r->len, plain);
  assert_caption_says (r, expect);
}

static void
hmac_sha1 (const Request *r, const guint8 *head, const guint8 *data, gsize len,
           guint8 out[SHA1_LEN])
{
  GBytes *mac_key = secret (r->trace, "client_write_mac_key");
  gnutls_hmac_hd_t h;

  g_assert_cmpuint (g_bytes_get_size (mac_key), ==, SHA1_LEN);
  g_assert_cmpint (gnutls_hmac_init (&h, GNUTLS_MAC_SHA1, g_bytes_get_data (mac_key, NULL),
                                     SHA1_LEN), ==, 0);
  gnutls_hmac (h, head, 13);
  gnutls_hmac (h, data, len);
  gnutls_hmac_deinit (h, out);
}

/* Decrypts @len bytes after the record's explicit IV (the first block of the fragment). */
static guint8 *
cbc_decrypt (const Request *r, gsize len)
{
  GBytes *key = secret (r->trace, "client_write_key");
  gnutls_datum_t k = { (guint8 *) g_bytes_get_data (key, NULL), g_bytes_get_size (key) };
  gnutls_datum_t iv = { (guint8 *) r->wire + HEADER, BLOCK };
  gnutls_cipher_hd_t h;
  guint8 *out = g_malloc (len);

  g_assert_cmpuint (len % BLOCK, ==, 0);
  g_assert_cmpint (gnutls_cipher_init (&h, GNUTLS_CIPHER_AES_128_CBC, &k, &iv), ==, 0);
  g_assert_cmpint (gnutls_cipher_decrypt2 (h, r->wire + HEADER + BLOCK, len, out, len), ==, 0);
  gnutls_cipher_deinit (h);
  return out;
}

/* TLS 1.2 CBC padding (RFC 5246 §6.2.3.2): padding_length + 1 bytes, each padding_length.
 * Returns their number. */
static gsize
padding_of (const guint8 *p, gsize len)
{
  gsize n = p[len - 1] + 1;

  g_assert_cmpuint (n, <=, len);
  for (gsize i = len - n; i < len; i++)
    g_assert_cmpuint (p[i], ==, n - 1);
  return n;
}

static void
check_cbc (const Request *r, gboolean etm)
{
  gsize plain = g_bytes_get_size (r->plaintext);
  gsize encrypted = r->len - HEADER - BLOCK - (etm ? SHA1_LEN : 0);
  g_autofree guint8 *p = cbc_decrypt (r, encrypted);
  gsize padding = padding_of (p, encrypted);
  guint8 head[13], mac[SHA1_LEN];
  g_autofree char *expect = NULL;

  g_assert_cmpmem (p, plain, g_bytes_get_data (r->plaintext, NULL), plain);
  if (etm)
    {
      /* RFC 7366 §3: the MAC covers IV ‖ ciphertext and follows them, in the clear */
      g_assert_cmpuint (plain + padding, ==, encrypted);
      pseudo_header (r, BLOCK + encrypted, head);
      hmac_sha1 (r, head, r->wire + HEADER, BLOCK + encrypted, mac);
      g_assert_cmpmem (mac, SHA1_LEN, r->wire + r->len - SHA1_LEN, SHA1_LEN);
      expect = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes on the wire, a 5-byte header anyone "
                                "can read, then a 16-byte IV, %" G_GSIZE_FORMAT " bytes that "
                                "encrypt the %" G_GSIZE_FORMAT " bytes of plaintext and %"
                                G_GSIZE_FORMAT " of padding, then a 20-byte HMAC-SHA1 over all "
                                "of that (encrypt-then-MAC", r->len, encrypted, plain, padding);
    }
  else
    {
      /* RFC 5246 §6.2.3.2: the MAC covers the plaintext and is encrypted with it */
      g_assert_cmpuint (plain + SHA1_LEN + padding, ==, encrypted);
      pseudo_header (r, plain, head);
      hmac_sha1 (r, head, p, plain, mac);
      g_assert_cmpmem (mac, SHA1_LEN, p + plain, SHA1_LEN);
      expect = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes on the wire, a 5-byte header anyone "
                                "can read, then a 16-byte IV, then %" G_GSIZE_FORMAT " bytes that "
                                "encrypt the %" G_GSIZE_FORMAT " bytes of plaintext, their "
                                "20-byte HMAC-SHA1 and %" G_GSIZE_FORMAT " bytes of padding "
                                "(MAC-then-encrypt)", r->len, encrypted, plain, padding);
    }
  assert_caption_says (r, expect);
}

/* The ServerHello on the wire agrees with the negotiated encrypt-then-MAC (RFC 7366 §2: the
 * server echoes the empty extension only when it will use it). */
static gboolean
server_hello_has_etm (HlTrace *trace)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(HlField) root = NULL;
      g_autoptr(GError) error = NULL;

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          g_strcmp0 (hl_event_get_name (event), "ServerHello") != 0)
        continue;
      root = hl_trace_decode_event (trace, event, &error);
      g_assert_no_error (error);
      return hl_field_find (root, "encrypt_then_mac") != NULL;
    }
  g_assert_not_reached ();
}

static void
test_layout (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario (c->id, NULL, &error);
  const HlNegotiated *neg;
  Request r;

  g_assert_no_error (error);
  neg = g_ptr_array_index (hl_trace_get_negotiated (trace), 0);
  find_request (trace, &r);
  g_assert_cmpint (neg->etm, ==, c->protection == CBC_ETM);
  g_assert_cmpint (server_hello_has_etm (trace), ==, c->protection == CBC_ETM);
  /* only the CBC suites have MAC keys; the AEAD key blocks hold keys and IVs */
  g_assert_true ((hl_trace_find_secret (trace, "client_write_mac_key", 0) != NULL) ==
                 (c->protection == CBC_ETM || c->protection == CBC_MTE));
  switch (c->protection)
    {
    case GCM: check_aead (&r, FALSE); break;
    case CHACHA: check_aead (&r, TRUE); break;
    case CBC_ETM: check_cbc (&r, TRUE); break;
    case CBC_MTE: check_cbc (&r, FALSE); break;
    default: g_assert_not_reached ();
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/record-layout/%s", cases[i].id);

      g_test_add_data_func (path, &cases[i], test_layout);
    }
  return g_test_run ();
}
