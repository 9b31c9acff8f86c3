/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-record-crypto"

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>

#include "hl-error.h"
#include "hl-record-crypto.h"

/*
 * Sections: errors and constants, small helpers, key checks, AEAD (TLS 1.2 and 1.3), CBC
 * (MAC-then-encrypt and encrypt-then-MAC), the public entry points.
 *
 * This code reads records that were already accepted or produced by GnuTLS in the same
 * process, to show their plaintext; it is not a TLS endpoint. It therefore reports exactly which
 * check failed (tag, MAC, padding) instead of folding them into one error as an endpoint must to
 * resist padding oracles, and compares MACs with memcmp.
 */

G_DEFINE_QUARK (hl-record-crypto-error-quark, hl_record_crypto_error)

#define HEADER_SIZE          5
#define AEAD_NONCE_SIZE      12 /* RFC 5116 §3.2; every TLS AEAD */
#define GCM_SALT_SIZE        4  /* RFC 5288 §3 */
#define GCM_EXPLICIT_SIZE    8
#define TLS12_MAX_CIPHERTEXT (16384 + 2048) /* RFC 5246 §6.2.3 */
#define TLS13_MAX_CIPHERTEXT (16384 + 256)  /* RFC 8446 §5.2 */
#define TLS_VERSION_12_MAJOR 3
#define TLS_VERSION_12_MINOR 3
#define CONTENT_APPLICATION_DATA 23

/**
 * hl_record_protection_to_string:
 * @protection: a protection
 *
 * Returns: a short technical name, e.g. "TLS 1.2 CBC (encrypt-then-MAC)"
 */
const char *
hl_record_protection_to_string (HlRecordProtection protection)
{
  switch (protection)
    {
    case HL_RECORD_PROTECTION_TLS12_AEAD:
      return "TLS 1.2 AEAD";
    case HL_RECORD_PROTECTION_TLS12_CBC:
      return "TLS 1.2 CBC (MAC-then-encrypt)";
    case HL_RECORD_PROTECTION_TLS12_CBC_ETM:
      return "TLS 1.2 CBC (encrypt-then-MAC)";
    case HL_RECORD_PROTECTION_TLS13_AEAD:
      return "TLS 1.3 AEAD";
    default:
      return "unknown";
    }
}

/* --- Helpers --------------------------------------------------------------------------------- */

static void
put_u64 (guint8 *out,
         guint64 value)
{
  for (int i = 0; i < 8; i++)
    out[i] = (value >> (56 - 8 * i)) & 0xff;
}

/* nonce = iv XOR (4 zero bytes || 64-bit big-endian sequence number)
 * (RFC 8446 §5.3, RFC 7905 §2). */
static void
xor_nonce (const guint8 *iv,
           guint64       seq,
           guint8        nonce[AEAD_NONCE_SIZE])
{
  guint8 padded[8];

  memcpy (nonce, iv, AEAD_NONCE_SIZE);
  put_u64 (padded, seq);
  for (int i = 0; i < 8; i++)
    nonce[4 + i] ^= padded[i];
}

/* Notes the nonce of an AEAD record in @ri: the IV that enters it and, when it is XORed with the
 * sequence number, that number left-padded to the IV's length. */
static void
note_nonce (HlRecordInternals *ri,
            const guint8      *iv,
            gsize              iv_size,
            gboolean           xored,
            const guint8       nonce[AEAD_NONCE_SIZE])
{
  ri->nonce_size = AEAD_NONCE_SIZE;
  memcpy (ri->iv, iv, iv_size);
  ri->iv_size = iv_size;
  memset (ri->padded_seq, 0, sizeof ri->padded_seq);
  if (xored)
    put_u64 (ri->padded_seq + AEAD_NONCE_SIZE - 8, ri->seq);
  memcpy (ri->nonce, nonce, AEAD_NONCE_SIZE);
}

/* seq_num || type || version || length: the TLS 1.2 additional data (RFC 5246 §6.2.3.3) and
 * the start of the CBC MAC input (§6.2.3.1). */
static void
tls12_pseudo_header (guint8        out[13],
                     guint64       seq,
                     const guint8 *header,
                     gsize         length)
{
  put_u64 (out, seq);
  out[8] = header[0];
  out[9] = header[1];
  out[10] = header[2];
  out[11] = (length >> 8) & 0xff;
  out[12] = length & 0xff;
}

static gnutls_datum_t
datum (GBytes *bytes)
{
  gsize size;
  gnutls_datum_t d;

  d.data = (unsigned char *) g_bytes_get_data (bytes, &size);
  d.size = size;

  return d;
}

static void
set_gnutls_error (GError    **error,
                  const char *what,
                  int         rc)
{
  g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_GNUTLS, "%s: %s (%d)", what,
               gnutls_strerror (rc), rc);
}

/* Checks the record header and that the record is exactly as long as it announces. */
static gboolean
split_record (GBytes        *record,
              gsize          max_fragment,
              const guint8 **header,
              const guint8 **fragment,
              gsize         *fragment_size,
              GError       **error)
{
  gsize size, length;
  const guint8 *data = g_bytes_get_data (record, &size);

  if (size < HEADER_SIZE)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED,
                   "record header: truncated at offset %" G_GSIZE_FORMAT
                   " (a header is %d bytes)", size, HEADER_SIZE);
      return FALSE;
    }

  length = (gsize) data[3] << 8 | data[4];
  if (length > max_fragment)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH,
                   "record length at offset 3: %" G_GSIZE_FORMAT
                   " exceeds the maximum of %" G_GSIZE_FORMAT " for a protected record",
                   length, max_fragment);
      return FALSE;
    }
  if (size < HEADER_SIZE + length)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED,
                   "record fragment: the length at offset 3 announces %" G_GSIZE_FORMAT
                   " bytes, truncated at offset %" G_GSIZE_FORMAT, length, size);
      return FALSE;
    }
  if (size > HEADER_SIZE + length)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_TRAILING_DATA,
                   "record: %" G_GSIZE_FORMAT " trailing bytes at offset %" G_GSIZE_FORMAT,
                   size - HEADER_SIZE - length, HEADER_SIZE + length);
      return FALSE;
    }

  *header = data;
  *fragment = data + HEADER_SIZE;
  *fragment_size = length;

  return TRUE;
}

/* --- Key checks ------------------------------------------------------------------------------ */

static gboolean
is_aead (gnutls_cipher_algorithm_t cipher)
{
  return cipher == GNUTLS_CIPHER_AES_128_GCM || cipher == GNUTLS_CIPHER_AES_256_GCM ||
         cipher == GNUTLS_CIPHER_CHACHA20_POLY1305;
}

static gboolean
is_cbc (gnutls_cipher_algorithm_t cipher)
{
  return cipher == GNUTLS_CIPHER_AES_128_CBC || cipher == GNUTLS_CIPHER_AES_256_CBC;
}

static gboolean
check_size (GBytes     *bytes,
            gsize       expected,
            const char *what,
            GError    **error)
{
  gsize size = bytes != NULL ? g_bytes_get_size (bytes) : 0;

  if (bytes == NULL || size != expected)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_BAD_KEY,
                   "%s is %" G_GSIZE_FORMAT " bytes, the cipher needs %" G_GSIZE_FORMAT, what,
                   size, expected);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_keys (const HlRecordKeys *keys,
            GError            **error)
{
  gsize iv_size;

  switch (keys->protection)
    {
    case HL_RECORD_PROTECTION_TLS12_AEAD:
    case HL_RECORD_PROTECTION_TLS13_AEAD:
      if (!is_aead (keys->cipher))
        break;
      if (keys->protection == HL_RECORD_PROTECTION_TLS12_AEAD &&
          keys->cipher != GNUTLS_CIPHER_CHACHA20_POLY1305)
        iv_size = GCM_SALT_SIZE;
      else
        iv_size = AEAD_NONCE_SIZE;
      return check_size (keys->key, gnutls_cipher_get_key_size (keys->cipher), "the key",
                         error) &&
             check_size (keys->iv, iv_size, "the IV", error);

    case HL_RECORD_PROTECTION_TLS12_CBC:
    case HL_RECORD_PROTECTION_TLS12_CBC_ETM:
      if (!is_cbc (keys->cipher) || gnutls_hmac_get_len (keys->mac) == 0)
        break;
      return check_size (keys->key, gnutls_cipher_get_key_size (keys->cipher), "the key",
                         error) &&
             check_size (keys->mac_key, gnutls_hmac_get_key_size (keys->mac), "the MAC key",
                         error);

    default:
      break;
    }

  g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_UNSUPPORTED,
               "%s with %s and MAC %s is not supported",
               hl_record_protection_to_string (keys->protection),
               gnutls_cipher_get_name (keys->cipher) ?: "an unknown cipher",
               gnutls_mac_get_name (keys->mac) ?: "none");
  return FALSE;
}

/* --- AEAD ------------------------------------------------------------------------------------ */

static GBytes *
aead_open (const HlRecordKeys *keys,
           const guint8        nonce[AEAD_NONCE_SIZE],
           const guint8       *aad,
           gsize               aad_size,
           const guint8       *ciphertext,
           gsize               ciphertext_size,
           gsize               tag_offset,
           GError            **error)
{
  gnutls_aead_cipher_hd_t hd;
  gnutls_datum_t key = datum (keys->key);
  gsize tag_size = gnutls_cipher_get_tag_size (keys->cipher);
  gsize plain_size = ciphertext_size - tag_size;
  guint8 *plain = g_malloc (plain_size + 1);
  size_t out_size = plain_size;
  int rc;

  rc = gnutls_aead_cipher_init (&hd, keys->cipher, &key);
  if (rc < 0)
    {
      g_free (plain);
      set_gnutls_error (error, "gnutls_aead_cipher_init", rc);
      return NULL;
    }

  rc = gnutls_aead_cipher_decrypt (hd, nonce, AEAD_NONCE_SIZE, aad, aad_size, tag_size,
                                   ciphertext, ciphertext_size, plain, &out_size);
  gnutls_aead_cipher_deinit (hd);

  if (rc == GNUTLS_E_DECRYPTION_FAILED)
    {
      g_free (plain);
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_BAD_TAG,
                   "authentication tag at offset %" G_GSIZE_FORMAT
                   " does not verify: wrong key, IV or sequence number, or a corrupted record",
                   tag_offset);
      return NULL;
    }
  if (rc < 0)
    {
      g_free (plain);
      set_gnutls_error (error, "gnutls_aead_cipher_decrypt", rc);
      return NULL;
    }

  g_assert (out_size == plain_size);

  return g_bytes_new_take (plain, plain_size);
}

static GBytes *
tls12_aead_decrypt (const HlRecordKeys *keys,
                    guint64             seq,
                    GBytes             *record,
                    guint8             *content_type,
                    HlRecordInternals  *ri,
                    GError            **error)
{
  const guint8 *header, *fragment, *ciphertext;
  gsize fragment_size, tag_size = gnutls_cipher_get_tag_size (keys->cipher);
  gsize explicit_size, ciphertext_size;
  guint8 nonce[AEAD_NONCE_SIZE];
  guint8 aad[13];
  const guint8 *iv = g_bytes_get_data (keys->iv, NULL);
  GBytes *plain;

  if (!split_record (record, TLS12_MAX_CIPHERTEXT, &header, &fragment, &fragment_size, error))
    return NULL;

  /* AES-GCM carries an 8-byte explicit nonce; ChaCha20-Poly1305 derives it like TLS 1.3. */
  explicit_size = keys->cipher == GNUTLS_CIPHER_CHACHA20_POLY1305 ? 0 : GCM_EXPLICIT_SIZE;
  if (fragment_size < explicit_size + tag_size)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH,
                   "record fragment at offset %d: %" G_GSIZE_FORMAT
                   " bytes cannot hold a %" G_GSIZE_FORMAT "-byte explicit nonce and a %"
                   G_GSIZE_FORMAT "-byte tag", HEADER_SIZE, fragment_size, explicit_size,
                   tag_size);
      return NULL;
    }

  if (explicit_size > 0)
    {
      memcpy (nonce, iv, GCM_SALT_SIZE);
      memcpy (nonce + GCM_SALT_SIZE, fragment, GCM_EXPLICIT_SIZE);
    }
  else
    {
      xor_nonce (iv, seq, nonce);
    }

  ciphertext = fragment + explicit_size;
  ciphertext_size = fragment_size - explicit_size;
  tls12_pseudo_header (aad, seq, header, ciphertext_size - tag_size);

  note_nonce (ri, iv, explicit_size > 0 ? GCM_SALT_SIZE : AEAD_NONCE_SIZE, explicit_size == 0,
              nonce);
  memcpy (ri->aad, aad, sizeof aad);
  ri->aad_size = sizeof aad;
  ri->explicit_offset = HEADER_SIZE;
  ri->explicit_size = explicit_size;
  ri->encrypted_offset = HEADER_SIZE + explicit_size;
  ri->encrypted_size = ciphertext_size - tag_size;
  ri->tag_offset = HEADER_SIZE + fragment_size - tag_size;
  ri->tag_size = tag_size;

  plain = aead_open (keys, nonce, aad, sizeof aad, ciphertext, ciphertext_size,
                     HEADER_SIZE + fragment_size - tag_size, error);
  if (plain != NULL)
    {
      *content_type = header[0];
      ri->content_size = g_bytes_get_size (plain);
    }

  return plain;
}

static GBytes *
tls13_aead_decrypt (const HlRecordKeys *keys,
                    guint64             seq,
                    GBytes             *record,
                    guint8             *content_type,
                    HlRecordInternals  *ri,
                    GError            **error)
{
  const guint8 *header, *fragment, *inner;
  gsize fragment_size, inner_size, end;
  gsize tag_size = gnutls_cipher_get_tag_size (keys->cipher);
  guint8 nonce[AEAD_NONCE_SIZE];
  g_autoptr(GBytes) plain = NULL;

  if (!split_record (record, TLS13_MAX_CIPHERTEXT, &header, &fragment, &fragment_size, error))
    return NULL;

  if (header[0] != CONTENT_APPLICATION_DATA)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_VALUE,
                   "opaque_type at offset 0 is %u; a protected TLS 1.3 record has %d",
                   header[0], CONTENT_APPLICATION_DATA);
      return NULL;
    }
  if (fragment_size < tag_size + 1)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH,
                   "encrypted_record at offset %d: %" G_GSIZE_FORMAT
                   " bytes cannot hold a content type and a %" G_GSIZE_FORMAT "-byte tag",
                   HEADER_SIZE, fragment_size, tag_size);
      return NULL;
    }

  /* The additional data is the record header itself (RFC 8446 §5.2). */
  xor_nonce (g_bytes_get_data (keys->iv, NULL), seq, nonce);
  note_nonce (ri, g_bytes_get_data (keys->iv, NULL), AEAD_NONCE_SIZE, TRUE, nonce);
  memcpy (ri->aad, header, HEADER_SIZE);
  ri->aad_size = HEADER_SIZE;
  ri->encrypted_offset = HEADER_SIZE;
  ri->encrypted_size = fragment_size - tag_size;
  ri->tag_offset = HEADER_SIZE + fragment_size - tag_size;
  ri->tag_size = tag_size;
  plain = aead_open (keys, nonce, header, HEADER_SIZE, fragment, fragment_size,
                     HEADER_SIZE + fragment_size - tag_size, error);
  if (plain == NULL)
    return NULL;

  /* TLSInnerPlaintext = content || ContentType type || uint8 zeros[length_of_padding]:
   * the real type is the last non-zero byte. */
  inner = g_bytes_get_data (plain, &inner_size);
  end = inner_size;
  while (end > 0 && inner[end - 1] == 0)
    end--;
  if (end == 0)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_NO_CONTENT_TYPE,
                   "the %" G_GSIZE_FORMAT "-byte inner plaintext is all padding: no content type",
                   inner_size);
      return NULL;
    }

  *content_type = inner[end - 1];
  ri->inner_type = inner[end - 1];
  ri->content_size = end - 1;
  ri->padding_size = inner_size - end;

  return g_bytes_new_from_bytes (plain, 0, end - 1);
}

/* --- CBC ------------------------------------------------------------------------------------- */

static gboolean
record_mac (const HlRecordKeys *keys,
            const guint8        pseudo_header[13],
            const guint8       *data,
            gsize               size,
            guint8             *out,
            GError            **error)
{
  gnutls_hmac_hd_t hd;
  gnutls_datum_t mac_key = datum (keys->mac_key);
  int rc;

  rc = gnutls_hmac_init (&hd, keys->mac, mac_key.data, mac_key.size);
  if (rc < 0)
    {
      set_gnutls_error (error, "gnutls_hmac_init", rc);
      return FALSE;
    }
  if ((rc = gnutls_hmac (hd, pseudo_header, 13)) < 0 ||
      (size > 0 && (rc = gnutls_hmac (hd, data, size)) < 0))
    {
      gnutls_hmac_deinit (hd, NULL);
      set_gnutls_error (error, "gnutls_hmac", rc);
      return FALSE;
    }
  gnutls_hmac_deinit (hd, out);

  return TRUE;
}

/* Decrypts IV || ciphertext and checks the padding; returns the decrypted bytes without the
 * padding and its length byte. @offset is where the IV starts in the record. */
static GBytes *
cbc_decrypt_unpad (const HlRecordKeys *keys,
                   const guint8       *iv_and_ciphertext,
                   gsize               size,
                   gsize               offset,
                   GError            **error)
{
  gsize block = gnutls_cipher_get_block_size (keys->cipher);
  gnutls_cipher_hd_t hd;
  gnutls_datum_t key = datum (keys->key);
  gnutls_datum_t iv = { (unsigned char *) iv_and_ciphertext, block };
  gsize plain_size = size - block;
  guint8 *plain;
  guint8 pad;
  int rc;

  g_assert (size >= 2 * block && size % block == 0);

  rc = gnutls_cipher_init (&hd, keys->cipher, &key, &iv);
  if (rc < 0)
    {
      set_gnutls_error (error, "gnutls_cipher_init", rc);
      return NULL;
    }

  plain = g_malloc (plain_size);
  rc = gnutls_cipher_decrypt2 (hd, iv_and_ciphertext + block, plain_size, plain, plain_size);
  gnutls_cipher_deinit (hd);
  if (rc < 0)
    {
      g_free (plain);
      set_gnutls_error (error, "gnutls_cipher_decrypt2", rc);
      return NULL;
    }

  /* RFC 5246 §6.2.3.2: padding_length bytes, each equal to padding_length, then
   * padding_length itself. */
  pad = plain[plain_size - 1];
  if ((gsize) pad + 1 > plain_size)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_BAD_PADDING,
                   "padding_length %u at offset %" G_GSIZE_FORMAT " exceeds the %" G_GSIZE_FORMAT
                   " decrypted bytes", pad, offset + size - 1, plain_size);
      g_free (plain);
      return NULL;
    }
  for (gsize i = plain_size - 1 - pad; i < plain_size - 1; i++)
    {
      if (plain[i] != pad)
        {
          g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_BAD_PADDING,
                       "padding byte at offset %" G_GSIZE_FORMAT " is 0x%02x, expected 0x%02x "
                       "(padding_length %u)", offset + block + i, plain[i], pad, pad);
          g_free (plain);
          return NULL;
        }
    }

  return g_bytes_new_take (plain, plain_size - pad - 1);
}

/* Where the parts of a CBC record sit, once its content size is known. */
static void
note_cbc (HlRecordInternals *ri,
          const guint8       pseudo[13],
          gsize              block,
          gsize              encrypted_size,
          gsize              mac_size,
          gboolean           etm,
          gsize              content_size)
{
  memcpy (ri->aad, pseudo, 13);
  ri->aad_size = 13;
  ri->explicit_offset = HEADER_SIZE;
  ri->explicit_size = block;
  ri->encrypted_offset = HEADER_SIZE + block;
  ri->encrypted_size = encrypted_size - block;
  ri->tag_offset = etm ? HEADER_SIZE + encrypted_size : 0;
  ri->tag_size = etm ? mac_size : 0;
  ri->mac_size = mac_size;
  ri->content_size = content_size;
  ri->padding_size = encrypted_size - block - content_size - (etm ? 0 : mac_size);
}

static GBytes *
tls12_cbc_decrypt (const HlRecordKeys *keys,
                   guint64             seq,
                   GBytes             *record,
                   guint8             *content_type,
                   HlRecordInternals  *ri,
                   GError            **error)
{
  gboolean etm = keys->protection == HL_RECORD_PROTECTION_TLS12_CBC_ETM;
  gsize block = gnutls_cipher_get_block_size (keys->cipher);
  gsize mac_size = gnutls_hmac_get_len (keys->mac);
  const guint8 *header, *fragment;
  gsize fragment_size, encrypted_size;
  guint8 pseudo[13];
  guint8 mac[64];
  g_autoptr(GBytes) unpadded = NULL;
  const guint8 *content;
  gsize content_size;

  g_assert (mac_size <= sizeof mac);

  if (!split_record (record, TLS12_MAX_CIPHERTEXT, &header, &fragment, &fragment_size, error))
    return NULL;

  /* MAC-then-encrypt: IV || E(content || MAC || padding); encrypt-then-MAC (RFC 7366):
   * IV || E(content || padding) || MAC. */
  encrypted_size = etm ? (fragment_size >= mac_size ? fragment_size - mac_size : 0)
                       : fragment_size;
  if (encrypted_size < 2 * block || encrypted_size % block != 0 ||
      (!etm && encrypted_size - block < mac_size + 1))
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH,
                   "record fragment at offset %d: %" G_GSIZE_FORMAT " bytes are not an explicit "
                   "IV plus whole %" G_GSIZE_FORMAT "-byte blocks%s", HEADER_SIZE, fragment_size,
                   block, etm ? " plus the MAC" : " holding the MAC");
      return NULL;
    }

  if (etm)
    {
      /* MAC(MAC_write_key, seq_num || type || version || length || IV || ciphertext), where
       * length is that of IV || ciphertext; checked before decrypting. */
      tls12_pseudo_header (pseudo, seq, header, encrypted_size);
      if (!record_mac (keys, pseudo, fragment, encrypted_size, mac, error))
        return NULL;
      if (memcmp (mac, fragment + encrypted_size, mac_size) != 0)
        {
          g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_BAD_MAC,
                       "encrypt-then-MAC: the %" G_GSIZE_FORMAT "-byte %s MAC at offset %"
                       G_GSIZE_FORMAT " does not verify", mac_size,
                       gnutls_mac_get_name (keys->mac), HEADER_SIZE + encrypted_size);
          return NULL;
        }

      unpadded = cbc_decrypt_unpad (keys, fragment, encrypted_size, HEADER_SIZE, error);
      if (unpadded == NULL)
        return NULL;

      note_cbc (ri, pseudo, block, encrypted_size, mac_size, TRUE,
                g_bytes_get_size (unpadded));
      *content_type = header[0];
      return g_steal_pointer (&unpadded);
    }

  unpadded = cbc_decrypt_unpad (keys, fragment, encrypted_size, HEADER_SIZE, error);
  if (unpadded == NULL)
    return NULL;

  content = g_bytes_get_data (unpadded, &content_size);
  if (content_size < mac_size)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_BAD_MAC,
                   "after removing the padding only %" G_GSIZE_FORMAT
                   " bytes are left, too few for the %" G_GSIZE_FORMAT "-byte MAC",
                   content_size, mac_size);
      return NULL;
    }
  content_size -= mac_size;

  /* MAC(MAC_write_key, seq_num || type || version || length || content) (RFC 5246 §6.2.3.1). */
  tls12_pseudo_header (pseudo, seq, header, content_size);
  if (!record_mac (keys, pseudo, content, content_size, mac, error))
    return NULL;
  if (memcmp (mac, content + content_size, mac_size) != 0)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_BAD_MAC,
                   "MAC-then-encrypt: the %" G_GSIZE_FORMAT "-byte %s MAC at offset %"
                   G_GSIZE_FORMAT " does not verify", mac_size, gnutls_mac_get_name (keys->mac),
                   HEADER_SIZE + block + content_size);
      return NULL;
    }

  note_cbc (ri, pseudo, block, encrypted_size, mac_size, FALSE, content_size);
  *content_type = header[0];

  return g_bytes_new_from_bytes (unpadded, 0, content_size);
}

/* --- Entry points ---------------------------------------------------------------------------- */

/**
 * hl_record_decrypt:
 * @keys: the sender's keys for the record's epoch
 * @seq: the record's sequence number in its direction and epoch (64-bit, implicit on the wire)
 * @record: one whole record: the 5-byte header and exactly the fragment it announces
 * @content_type: (out): the content type: the header's in TLS 1.2, the inner one in TLS 1.3
 * @error: return location for a #GError
 *
 * Decrypts and authenticates one protected record.
 *
 * Returns: (transfer full) (nullable): the plaintext (TLS 1.3: without type and padding), or
 *   %NULL with @error set: %HL_PARSE_ERROR for a truncated, oversized or malformed record,
 *   %HL_RECORD_CRYPTO_ERROR when it does not decrypt or authenticate
 */
GBytes *
hl_record_decrypt (const HlRecordKeys *keys,
                   guint64             seq,
                   GBytes             *record,
                   guint8             *content_type,
                   GError            **error)
{
  return hl_record_decrypt_full (keys, seq, record, content_type, NULL, error);
}

/**
 * hl_record_decrypt_full:
 * @keys: the sender's keys for the record's epoch
 * @seq: the record's sequence number
 * @record: one whole record
 * @content_type: (out) (optional): as for hl_record_decrypt()
 * @internals: (out) (optional): how the record was opened: nonce, additional data, where the
 *   explicit nonce or IV, the ciphertext, the tag or MAC and (TLS 1.3) the padding sit; set
 *   when the plaintext is returned
 * @error: return location for a #GError
 *
 * hl_record_decrypt() that also tells how: the values shown as a record's internals are the
 * ones this call used.
 *
 * Returns: (transfer full) (nullable): the plaintext, or %NULL with @error set
 */
GBytes *
hl_record_decrypt_full (const HlRecordKeys *keys,
                        guint64             seq,
                        GBytes             *record,
                        guint8             *content_type,
                        HlRecordInternals  *internals,
                        GError            **error)
{
  HlRecordInternals ri = { 0 };
  guint8 type = 0;
  GBytes *plain;

  g_return_val_if_fail (keys != NULL, NULL);
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_keys (keys, error))
    return NULL;

  ri.protection = keys->protection;
  ri.seq = seq;
  switch (keys->protection)
    {
    case HL_RECORD_PROTECTION_TLS12_AEAD:
      plain = tls12_aead_decrypt (keys, seq, record, &type, &ri, error);
      break;
    case HL_RECORD_PROTECTION_TLS13_AEAD:
      plain = tls13_aead_decrypt (keys, seq, record, &type, &ri, error);
      break;
    case HL_RECORD_PROTECTION_TLS12_CBC:
    case HL_RECORD_PROTECTION_TLS12_CBC_ETM:
      plain = tls12_cbc_decrypt (keys, seq, record, &type, &ri, error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (plain != NULL && content_type != NULL)
    *content_type = type;
  if (plain != NULL && internals != NULL)
    *internals = ri;

  return plain;
}

/**
 * hl_record_encrypt:
 * @keys: the sender's keys; AEAD protections only
 * @seq: the record's sequence number
 * @content_type: the content type (TLS 1.3: the inner type; the header says 23)
 * @plaintext: the content
 * @padding: TLS 1.3: how many zero bytes to add after the inner type; must be 0 for TLS 1.2
 * @error: return location for a #GError
 *
 * The inverse of hl_record_decrypt() for AEAD records, with the explicit GCM nonce of TLS 1.2 set
 * to the sequence number as GnuTLS does. Meant for tests and demonstrations.
 *
 * Returns: (transfer full) (nullable): the whole record, header included
 */
GBytes *
hl_record_encrypt (const HlRecordKeys *keys,
                   guint64             seq,
                   guint8              content_type,
                   GBytes             *plaintext,
                   gsize               padding,
                   GError            **error)
{
  gboolean tls13 = keys->protection == HL_RECORD_PROTECTION_TLS13_AEAD;
  gnutls_aead_cipher_hd_t hd;
  gnutls_datum_t key;
  gsize tag_size, explicit_size, plain_size, fragment_size, max;
  const guint8 *plain_data;
  const guint8 *iv;
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autofree guint8 *out = NULL;
  guint8 nonce[AEAD_NONCE_SIZE];
  guint8 header[HEADER_SIZE];
  guint8 aad[13];
  size_t sealed_size;
  int rc;

  g_return_val_if_fail (keys != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (keys->protection != HL_RECORD_PROTECTION_TLS12_AEAD && !tls13)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_UNSUPPORTED,
                   "encryption is implemented for AEAD records only, not %s",
                   hl_record_protection_to_string (keys->protection));
      return NULL;
    }
  if (!tls13 && padding > 0)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_UNSUPPORTED,
                   "TLS 1.2 records have no padding");
      return NULL;
    }
  if (!check_keys (keys, error))
    return NULL;

  key = datum (keys->key);
  iv = g_bytes_get_data (keys->iv, NULL);
  tag_size = gnutls_cipher_get_tag_size (keys->cipher);
  plain_data = g_bytes_get_data (plaintext, &plain_size);

  g_byte_array_append (input, plain_data, plain_size);
  if (tls13)
    {
      static const guint8 zero = 0;

      g_byte_array_append (input, &content_type, 1);
      for (gsize i = 0; i < padding; i++)
        g_byte_array_append (input, &zero, 1);
    }

  explicit_size = !tls13 && keys->cipher != GNUTLS_CIPHER_CHACHA20_POLY1305 ? GCM_EXPLICIT_SIZE
                                                                              : 0;
  fragment_size = explicit_size + input->len + tag_size;
  max = tls13 ? TLS13_MAX_CIPHERTEXT : TLS12_MAX_CIPHERTEXT;
  if (fragment_size > max)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_LENGTH,
                   "a %" G_GSIZE_FORMAT "-byte fragment exceeds the record limit of %"
                   G_GSIZE_FORMAT, fragment_size, max);
      return NULL;
    }

  header[0] = tls13 ? CONTENT_APPLICATION_DATA : content_type;
  header[1] = TLS_VERSION_12_MAJOR;
  header[2] = TLS_VERSION_12_MINOR;
  header[3] = (fragment_size >> 8) & 0xff;
  header[4] = fragment_size & 0xff;

  out = g_malloc (HEADER_SIZE + fragment_size);
  memcpy (out, header, HEADER_SIZE);

  if (explicit_size > 0)
    {
      memcpy (nonce, iv, GCM_SALT_SIZE);
      put_u64 (nonce + GCM_SALT_SIZE, seq);
      memcpy (out + HEADER_SIZE, nonce + GCM_SALT_SIZE, GCM_EXPLICIT_SIZE);
    }
  else
    {
      xor_nonce (iv, seq, nonce);
    }

  if (tls13)
    memcpy (aad, header, HEADER_SIZE);
  else
    tls12_pseudo_header (aad, seq, header, input->len);

  rc = gnutls_aead_cipher_init (&hd, keys->cipher, &key);
  if (rc < 0)
    {
      set_gnutls_error (error, "gnutls_aead_cipher_init", rc);
      return NULL;
    }
  sealed_size = input->len + tag_size;
  rc = gnutls_aead_cipher_encrypt (hd, nonce, AEAD_NONCE_SIZE, aad, tls13 ? HEADER_SIZE : 13,
                                   tag_size, input->data, input->len,
                                   out + HEADER_SIZE + explicit_size, &sealed_size);
  gnutls_aead_cipher_deinit (hd);
  if (rc < 0)
    {
      set_gnutls_error (error, "gnutls_aead_cipher_encrypt", rc);
      return NULL;
    }
  g_assert (sealed_size == input->len + tag_size);

  return g_bytes_new_take (g_steal_pointer (&out), HEADER_SIZE + fragment_size);
}
