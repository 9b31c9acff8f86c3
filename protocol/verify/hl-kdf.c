/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-kdf"

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>

#include "hl-kdf.h"

/*
 * Sections: wiped secret storage, HMAC and hash helpers, TLS 1.2 PRF and its uses, transcripts,
 * HKDF and the TLS 1.3 schedule.
 *
 * Nothing here implements a primitive: HMAC and the hashes are GnuTLS's. What is ours is the
 * composition the RFCs define on top of them (P_hash, HKDF-Expand, HkdfLabel, the schedule),
 * because that composition is what the app checks against the library.
 */

/* RFC 5869 §2.3: L <= 255 * HashLen. */
#define HKDF_MAX_BLOCKS 255

/* --- Wiped secret storage ------------------------------------------------------------------ */

typedef struct
{
  gsize  size;
  guint8 data[];
} SecretBuf;

static void
secret_buf_free (gpointer user_data)
{
  SecretBuf *buf = user_data;

  gnutls_memset (buf->data, 0, buf->size);
  g_free (buf);
}

/* Returns a GBytes over @size zeroed bytes and, in @data, the buffer to fill before the GBytes is
 * handed to anyone else. The buffer is wiped when the last reference goes. */
static GBytes *
secret_alloc (gsize    size,
              guint8 **data)
{
  SecretBuf *buf = g_malloc0 (sizeof (SecretBuf) + size);

  buf->size = size;
  *data = buf->data;

  return g_bytes_new_with_free_func (buf->data, size, secret_buf_free, buf);
}

/**
 * hl_secret_bytes_new:
 * @data: (array length=size): bytes to copy
 * @size: their number
 *
 * Copies @data into a #GBytes whose memory is wiped with gnutls_memset() when it is freed.
 * Use it for every secret handed out by the library that a trace keeps.
 *
 * Returns: (transfer full): the new bytes
 */
GBytes *
hl_secret_bytes_new (gconstpointer data,
                     gsize         size)
{
  guint8 *out;
  GBytes *bytes;

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  bytes = secret_alloc (size, &out);
  if (size > 0)
    memcpy (out, data, size);

  return bytes;
}

/* Like g_bytes_new_from_bytes, but the result is wiped on free. */
static GBytes *
secret_slice (GBytes *bytes,
              gsize   offset,
              gsize   length)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_assert (offset + length <= size);

  return hl_secret_bytes_new (data + offset, length);
}

/* --- HMAC and hash helpers ----------------------------------------------------------------- */

static const guint8 *
bytes_data (GBytes *bytes,
            gsize  *size)
{
  static const guint8 empty[1] = { 0 };
  const guint8 *data;

  if (bytes == NULL)
    {
      *size = 0;
      return empty;
    }

  data = g_bytes_get_data (bytes, size);

  return data != NULL ? data : empty;
}

static gsize
mac_size (gnutls_mac_algorithm_t mac)
{
  /* Only the SHA-2 family (and SHA-1 for record MACs) is used in TLS key schedules; their hash
   * and MAC numbers coincide in GnuTLS. */
  return gnutls_hmac_get_len (mac);
}

/* HMAC over the concatenation of up to three parts; any part may be NULL. */
static gboolean
hmac3 (gnutls_mac_algorithm_t mac,
       const guint8          *key,
       gsize                  key_size,
       const guint8          *a,
       gsize                  a_size,
       const guint8          *b,
       gsize                  b_size,
       const guint8          *c,
       gsize                  c_size,
       guint8                *out)
{
  gnutls_hmac_hd_t hd;
  int rc;

  rc = gnutls_hmac_init (&hd, mac, key, key_size);
  if (rc < 0)
    {
      g_warning ("HMAC %s unavailable: %s", gnutls_mac_get_name (mac), gnutls_strerror (rc));
      return FALSE;
    }

  if ((a_size > 0 && (rc = gnutls_hmac (hd, a, a_size)) < 0) ||
      (b_size > 0 && (rc = gnutls_hmac (hd, b, b_size)) < 0) ||
      (c_size > 0 && (rc = gnutls_hmac (hd, c, c_size)) < 0))
    {
      g_warning ("HMAC %s failed: %s", gnutls_mac_get_name (mac), gnutls_strerror (rc));
      gnutls_hmac_deinit (hd, NULL);
      return FALSE;
    }

  gnutls_hmac_deinit (hd, out);

  return TRUE;
}

static GBytes *
hash_bytes (gnutls_digest_algorithm_t hash,
            const guint8             *data,
            gsize                     size)
{
  guint8 out[64];
  gsize len = gnutls_hash_get_len (hash);
  int rc;

  g_return_val_if_fail (len > 0 && len <= sizeof out, NULL);

  rc = gnutls_hash_fast (hash, data, size, out);
  if (rc < 0)
    {
      g_warning ("hash %s failed: %s", gnutls_digest_get_name (hash), gnutls_strerror (rc));
      return NULL;
    }

  return g_bytes_new (out, len);
}

/* --- TLS 1.2 PRF ----------------------------------------------------------------------------- */

/**
 * hl_prf_tls12:
 * @mac: the PRF's HMAC: %GNUTLS_MAC_SHA256 for most suites, %GNUTLS_MAC_SHA384 for *_SHA384
 * @secret: the secret
 * @label: an ASCII label, without a terminating NUL on the wire
 * @seed: (nullable): the seed; %NULL is the empty seed
 * @length: how many bytes to produce
 *
 * PRF(secret, label, seed) = P_<hash>(secret, label + seed) of RFC 5246 §5, where
 * P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + …,
 * A(0) = seed and A(i) = HMAC(secret, A(i-1)).
 *
 * Returns: (transfer full) (nullable): @length bytes, wiped on free
 */
GBytes *
hl_prf_tls12 (gnutls_mac_algorithm_t mac,
              GBytes                *secret,
              const char            *label,
              GBytes                *seed,
              gsize                  length)
{
  gsize hlen = mac_size (mac);
  gsize secret_size, seed_size, label_size, done = 0;
  const guint8 *secret_data, *seed_data;
  guint8 a[64], block[64];
  guint8 *out;
  g_autoptr(GBytes) result = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (hlen > 0 && hlen <= sizeof a, NULL);
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  secret_data = bytes_data (secret, &secret_size);
  seed_data = bytes_data (seed, &seed_size);
  label_size = strlen (label);

  result = secret_alloc (length, &out);

  /* A(1) = HMAC(secret, label + seed) */
  ok = hmac3 (mac, secret_data, secret_size, (const guint8 *) label, label_size,
              seed_data, seed_size, NULL, 0, a);

  while (ok && done < length)
    {
      gsize take;

      ok = hmac3 (mac, secret_data, secret_size, a, hlen, (const guint8 *) label, label_size,
                  seed_data, seed_size, block);
      if (!ok)
        break;

      take = MIN (hlen, length - done);
      memcpy (out + done, block, take);
      done += take;

      if (done < length)
        ok = hmac3 (mac, secret_data, secret_size, a, hlen, NULL, 0, NULL, 0, a);
    }

  gnutls_memset (a, 0, sizeof a);
  gnutls_memset (block, 0, sizeof block);

  return ok ? g_steal_pointer (&result) : NULL;
}

static GBytes *
concat2 (GBytes *a,
         GBytes *b)
{
  gsize a_size, b_size;
  const guint8 *a_data = bytes_data (a, &a_size);
  const guint8 *b_data = bytes_data (b, &b_size);
  guint8 *out = g_malloc (a_size + b_size + 1);

  memcpy (out, a_data, a_size);
  memcpy (out + a_size, b_data, b_size);

  return g_bytes_new_take (out, a_size + b_size);
}

/**
 * hl_tls12_master_secret:
 * @mac: the PRF's HMAC
 * @premaster_secret: the premaster secret (RSA: 48 bytes, client version + 46 random)
 * @client_random: ClientHello.random
 * @server_random: ServerHello.random
 *
 * The textbook master secret of RFC 5246 §8.1:
 * PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47].
 *
 * Returns: (transfer full) (nullable): 48 bytes, wiped on free
 */
GBytes *
hl_tls12_master_secret (gnutls_mac_algorithm_t mac,
                        GBytes                *premaster_secret,
                        GBytes                *client_random,
                        GBytes                *server_random)
{
  g_autoptr(GBytes) seed = NULL;

  g_return_val_if_fail (premaster_secret != NULL, NULL);
  g_return_val_if_fail (client_random != NULL && server_random != NULL, NULL);

  seed = concat2 (client_random, server_random);

  return hl_prf_tls12 (mac, premaster_secret, "master secret", seed,
                       HL_TLS12_MASTER_SECRET_SIZE);
}

/**
 * hl_tls12_extended_master_secret:
 * @mac: the PRF's HMAC
 * @premaster_secret: the premaster secret
 * @session_hash: Hash(handshake_messages) from ClientHello up to and including
 *   ClientKeyExchange, with the PRF's hash (RFC 7627 §3)
 *
 * The extended master secret of RFC 7627 §4:
 * PRF(pre_master_secret, "extended master secret", session_hash)[0..47].
 *
 * Returns: (transfer full) (nullable): 48 bytes, wiped on free
 */
GBytes *
hl_tls12_extended_master_secret (gnutls_mac_algorithm_t mac,
                                 GBytes                *premaster_secret,
                                 GBytes                *session_hash)
{
  g_return_val_if_fail (premaster_secret != NULL, NULL);
  g_return_val_if_fail (session_hash != NULL, NULL);

  return hl_prf_tls12 (mac, premaster_secret, "extended master secret", session_hash,
                       HL_TLS12_MASTER_SECRET_SIZE);
}

/**
 * hl_tls12_key_block_new:
 * @mac: the PRF's HMAC
 * @master_secret: the 48-byte master secret
 * @server_random: ServerHello.random (it comes first here, unlike in the master secret)
 * @client_random: ClientHello.random
 * @mac_key_size: SecurityParameters.mac_key_length (0 for AEAD suites)
 * @key_size: SecurityParameters.enc_key_length
 * @iv_size: SecurityParameters.fixed_iv_length (4 for AES-GCM, 12 for ChaCha20-Poly1305,
 *   0 for CBC, whose IV is explicit in every record since TLS 1.1)
 *
 * key_block = PRF(master_secret, "key expansion", server_random + client_random), cut into
 * client/server MAC keys, keys and IVs in that order (RFC 5246 §6.3).
 *
 * Returns: (transfer full) (nullable): the split key block; free with hl_tls12_key_block_free()
 */
HlTls12KeyBlock *
hl_tls12_key_block_new (gnutls_mac_algorithm_t mac,
                        GBytes                *master_secret,
                        GBytes                *server_random,
                        GBytes                *client_random,
                        gsize                  mac_key_size,
                        gsize                  key_size,
                        gsize                  iv_size)
{
  g_autoptr(GBytes) seed = NULL;
  g_autoptr(GBytes) block = NULL;
  HlTls12KeyBlock *kb;
  gsize offset = 0;

  g_return_val_if_fail (master_secret != NULL, NULL);
  g_return_val_if_fail (server_random != NULL && client_random != NULL, NULL);

  seed = concat2 (server_random, client_random);
  block = hl_prf_tls12 (mac, master_secret, "key expansion", seed,
                        2 * (mac_key_size + key_size + iv_size));
  if (block == NULL)
    return NULL;

  kb = g_new0 (HlTls12KeyBlock, 1);
  kb->client_mac_key = secret_slice (block, offset, mac_key_size);
  offset += mac_key_size;
  kb->server_mac_key = secret_slice (block, offset, mac_key_size);
  offset += mac_key_size;
  kb->client_key = secret_slice (block, offset, key_size);
  offset += key_size;
  kb->server_key = secret_slice (block, offset, key_size);
  offset += key_size;
  kb->client_iv = secret_slice (block, offset, iv_size);
  offset += iv_size;
  kb->server_iv = secret_slice (block, offset, iv_size);
  kb->block = g_steal_pointer (&block);

  return kb;
}

/**
 * hl_tls12_key_block_free:
 * @key_block: (nullable): a key block
 *
 * Frees @key_block; its keys are wiped when their last reference goes.
 */
void
hl_tls12_key_block_free (HlTls12KeyBlock *key_block)
{
  if (key_block == NULL)
    return;

  g_clear_pointer (&key_block->client_mac_key, g_bytes_unref);
  g_clear_pointer (&key_block->server_mac_key, g_bytes_unref);
  g_clear_pointer (&key_block->client_key, g_bytes_unref);
  g_clear_pointer (&key_block->server_key, g_bytes_unref);
  g_clear_pointer (&key_block->client_iv, g_bytes_unref);
  g_clear_pointer (&key_block->server_iv, g_bytes_unref);
  g_clear_pointer (&key_block->block, g_bytes_unref);
  g_free (key_block);
}

/**
 * hl_tls12_verify_data:
 * @mac: the PRF's HMAC
 * @master_secret: the master secret
 * @from_client: %TRUE for the client's Finished ("client finished"), %FALSE for the server's
 * @handshake_hash: Hash(handshake_messages) with the PRF's hash, over every handshake message up
 *   to but not including this Finished (the client's Finished counts for the server's)
 *
 * verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]
 * (RFC 5246 §7.4.9).
 *
 * Returns: (transfer full) (nullable): 12 bytes
 */
GBytes *
hl_tls12_verify_data (gnutls_mac_algorithm_t mac,
                      GBytes                *master_secret,
                      gboolean               from_client,
                      GBytes                *handshake_hash)
{
  g_return_val_if_fail (master_secret != NULL, NULL);
  g_return_val_if_fail (handshake_hash != NULL, NULL);

  return hl_prf_tls12 (mac, master_secret, from_client ? "client finished" : "server finished",
                       handshake_hash, HL_TLS12_VERIFY_DATA_SIZE);
}

/* --- Transcripts ----------------------------------------------------------------------------- */

/**
 * hl_handshake_message_frame:
 * @msg_type: the HandshakeType
 * @body: the message body, as GnuTLS's handshake hook hands it (without the 4-byte header)
 *
 * Prepends the handshake header (type, uint24 length), which transcripts include
 * (RFC 8446 §4.4.1; RFC 5246 §7.4.9).
 *
 * Returns: (transfer full) (nullable): the framed message
 */
GBytes *
hl_handshake_message_frame (guint8  msg_type,
                            GBytes *body)
{
  gsize size;
  const guint8 *data = bytes_data (body, &size);
  guint8 *out;

  g_return_val_if_fail (size < (1u << 24), NULL);

  out = g_malloc (4 + size);
  out[0] = msg_type;
  out[1] = (size >> 16) & 0xff;
  out[2] = (size >> 8) & 0xff;
  out[3] = size & 0xff;
  memcpy (out + 4, data, size);

  return g_bytes_new_take (out, 4 + size);
}

/**
 * hl_tls13_message_hash:
 * @hash: the suite's hash
 * @client_hello1: the first ClientHello, framed
 *
 * The synthetic handshake message that replaces ClientHello1 in the transcript after a
 * HelloRetryRequest: message_hash (254) || 00 00 || Hash.length || Hash(ClientHello1)
 * (RFC 8446 §4.4.1).
 *
 * Returns: (transfer full) (nullable): the framed message_hash message
 */
GBytes *
hl_tls13_message_hash (gnutls_digest_algorithm_t hash,
                       GBytes                   *client_hello1)
{
  gsize size;
  const guint8 *data;
  g_autoptr(GBytes) digest = NULL;

  g_return_val_if_fail (client_hello1 != NULL, NULL);

  data = bytes_data (client_hello1, &size);
  digest = hash_bytes (hash, data, size);
  if (digest == NULL)
    return NULL;

  return hl_handshake_message_frame (HL_HANDSHAKE_MESSAGE_HASH, digest);
}

/**
 * hl_transcript_hash:
 * @hash: the hash: the PRF's for TLS 1.2, the suite's for TLS 1.3
 * @messages: (array length=n_messages): framed handshake messages in the order they were sent
 * @n_messages: their number (0 gives Hash(""))
 * @after_hello_retry: %TRUE when @messages[0] is a ClientHello that a HelloRetryRequest answered;
 *   it is then hashed as message_hash(ClientHello1) (RFC 8446 §4.4.1)
 *
 * Transcript-Hash(M1, M2, … Mn) = Hash(M1 || M2 || … || Mn).
 *
 * Returns: (transfer full) (nullable): the hash
 */
GBytes *
hl_transcript_hash (gnutls_digest_algorithm_t hash,
                    GBytes *const            *messages,
                    gsize                     n_messages,
                    gboolean                  after_hello_retry)
{
  gnutls_hash_hd_t hd;
  guint8 out[64];
  gsize len = gnutls_hash_get_len (hash);
  int rc;

  g_return_val_if_fail (len > 0 && len <= sizeof out, NULL);
  g_return_val_if_fail (messages != NULL || n_messages == 0, NULL);
  g_return_val_if_fail (!after_hello_retry || n_messages > 0, NULL);

  rc = gnutls_hash_init (&hd, hash);
  if (rc < 0)
    {
      g_warning ("hash %s unavailable: %s", gnutls_digest_get_name (hash), gnutls_strerror (rc));
      return NULL;
    }

  for (gsize i = 0; i < n_messages; i++)
    {
      g_autoptr(GBytes) synthetic = NULL;
      GBytes *message = messages[i];
      const guint8 *data;
      gsize size;

      if (i == 0 && after_hello_retry)
        {
          synthetic = hl_tls13_message_hash (hash, messages[0]);
          if (synthetic == NULL)
            {
              gnutls_hash_deinit (hd, NULL);
              return NULL;
            }
          message = synthetic;
        }

      data = bytes_data (message, &size);
      if (size > 0 && (rc = gnutls_hash (hd, data, size)) < 0)
        {
          g_warning ("hash %s failed: %s", gnutls_digest_get_name (hash), gnutls_strerror (rc));
          gnutls_hash_deinit (hd, NULL);
          return NULL;
        }
    }

  gnutls_hash_deinit (hd, out);

  return g_bytes_new (out, len);
}

/* --- HKDF and the TLS 1.3 key schedule ----------------------------------------------------- */

/**
 * hl_hkdf_extract:
 * @mac: the HMAC (the suite's hash)
 * @salt: (nullable): the salt; %NULL is a string of Hash.length zeros (RFC 5869 §2.2)
 * @ikm: (nullable): the input keying material; %NULL is Hash.length zeros, as TLS 1.3 uses when
 *   there is no PSK or for the master secret (RFC 8446 §7.1)
 *
 * HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM).
 *
 * Returns: (transfer full) (nullable): Hash.length bytes, wiped on free
 */
GBytes *
hl_hkdf_extract (gnutls_mac_algorithm_t mac,
                 GBytes                *salt,
                 GBytes                *ikm)
{
  static const guint8 zeros[64] = { 0 };
  gsize hlen = mac_size (mac);
  const guint8 *salt_data = zeros, *ikm_data = zeros;
  gsize salt_size = hlen, ikm_size = hlen;
  guint8 *out;
  g_autoptr(GBytes) result = NULL;

  g_return_val_if_fail (hlen > 0 && hlen <= sizeof zeros, NULL);

  if (salt != NULL)
    salt_data = bytes_data (salt, &salt_size);
  if (ikm != NULL)
    ikm_data = bytes_data (ikm, &ikm_size);

  result = secret_alloc (hlen, &out);
  if (!hmac3 (mac, salt_data, salt_size, ikm_data, ikm_size, NULL, 0, NULL, 0, out))
    return NULL;

  return g_steal_pointer (&result);
}

/**
 * hl_hkdf_expand:
 * @mac: the HMAC
 * @prk: a pseudorandom key of at least Hash.length bytes
 * @info: (nullable): context and application specific information
 * @length: the output length, at most 255 * Hash.length
 *
 * HKDF-Expand(PRK, info, L) of RFC 5869 §2.3: T(0) = "", T(i) = HMAC(PRK, T(i-1) | info | i),
 * output the first L bytes of T(1) | T(2) | ….
 *
 * Returns: (transfer full) (nullable): @length bytes, wiped on free
 */
GBytes *
hl_hkdf_expand (gnutls_mac_algorithm_t mac,
                GBytes                *prk,
                GBytes                *info,
                gsize                  length)
{
  gsize hlen = mac_size (mac);
  gsize prk_size, info_size, done = 0, t_size = 0;
  const guint8 *prk_data, *info_data;
  guint8 t[64];
  guint8 counter = 0;
  guint8 *out;
  g_autoptr(GBytes) result = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (hlen > 0 && hlen <= sizeof t, NULL);
  g_return_val_if_fail (prk != NULL, NULL);
  g_return_val_if_fail (length <= HKDF_MAX_BLOCKS * hlen, NULL);

  prk_data = bytes_data (prk, &prk_size);
  info_data = bytes_data (info, &info_size);
  result = secret_alloc (length, &out);

  while (ok && done < length)
    {
      gsize take;

      counter++;
      ok = hmac3 (mac, prk_data, prk_size, t, t_size, info_data, info_size, &counter, 1, t);
      t_size = hlen;

      take = MIN (hlen, length - done);
      memcpy (out + done, t, take);
      done += take;
    }

  gnutls_memset (t, 0, sizeof t);

  return ok ? g_steal_pointer (&result) : NULL;
}

/**
 * hl_hkdf_label:
 * @label: the label without its "tls13 " prefix, e.g. "c hs traffic"
 * @context: (nullable): the context (a transcript hash, a ticket nonce, or empty)
 * @length: the output length the label announces
 *
 * The HkdfLabel structure of RFC 8446 §7.1 — uint16 length, opaque label<7..255> = "tls13 " +
 * Label, opaque context<0..255> — which RFC 8448 prints as "info".
 *
 * Returns: (transfer full) (nullable): the encoded structure
 */
GBytes *
hl_hkdf_label (const char *label,
               GBytes     *context,
               gsize       length)
{
  static const char prefix[] = "tls13 ";
  gsize label_size, context_size, full_label;
  const guint8 *context_data;
  GByteArray *info;
  guint8 header[3];

  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (length <= G_MAXUINT16, NULL);

  label_size = strlen (label);
  full_label = strlen (prefix) + label_size;
  context_data = bytes_data (context, &context_size);

  g_return_val_if_fail (full_label >= 7 && full_label <= 255, NULL);
  g_return_val_if_fail (context_size <= 255, NULL);

  info = g_byte_array_sized_new (2 + 1 + full_label + 1 + context_size);
  header[0] = (length >> 8) & 0xff;
  header[1] = length & 0xff;
  header[2] = (guint8) full_label;
  g_byte_array_append (info, header, 3);
  g_byte_array_append (info, (const guint8 *) prefix, strlen (prefix));
  g_byte_array_append (info, (const guint8 *) label, label_size);
  header[0] = (guint8) context_size;
  g_byte_array_append (info, header, 1);
  g_byte_array_append (info, context_data, context_size);

  return g_byte_array_free_to_bytes (info);
}

/**
 * hl_hkdf_expand_label:
 * @mac: the HMAC (the suite's hash)
 * @secret: the secret to expand
 * @label: the label without the "tls13 " prefix
 * @context: (nullable): the context; %NULL is empty
 * @length: the output length
 *
 * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
 * (RFC 8446 §7.1).
 *
 * Returns: (transfer full) (nullable): @length bytes, wiped on free
 */
GBytes *
hl_hkdf_expand_label (gnutls_mac_algorithm_t mac,
                      GBytes                *secret,
                      const char            *label,
                      GBytes                *context,
                      gsize                  length)
{
  g_autoptr(GBytes) info = hl_hkdf_label (label, context, length);

  if (info == NULL)
    return NULL;

  return hl_hkdf_expand (mac, secret, info, length);
}

/**
 * hl_tls13_derive_secret:
 * @mac: the HMAC (the suite's hash)
 * @secret: the secret (early, handshake or master secret)
 * @label: e.g. "c hs traffic", "s ap traffic", "exp master", "res master", "derived"
 * @transcript_hash: Transcript-Hash(Messages), see hl_transcript_hash()
 *
 * Derive-Secret(Secret, Label, Messages) =
 * HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length) (RFC 8446 §7.1).
 *
 * Returns: (transfer full) (nullable): Hash.length bytes, wiped on free
 */
GBytes *
hl_tls13_derive_secret (gnutls_mac_algorithm_t mac,
                        GBytes                *secret,
                        const char            *label,
                        GBytes                *transcript_hash)
{
  g_return_val_if_fail (transcript_hash != NULL, NULL);

  return hl_hkdf_expand_label (mac, secret, label, transcript_hash, mac_size (mac));
}

/**
 * hl_tls13_early_secret:
 * @mac: the HMAC (the suite's hash)
 * @psk: (nullable): the PSK, or %NULL for a handshake without one
 *
 * Early Secret = HKDF-Extract(0, PSK), with Hash.length zeros for a missing PSK
 * (RFC 8446 §7.1).
 *
 * Returns: (transfer full) (nullable): the early secret
 */
GBytes *
hl_tls13_early_secret (gnutls_mac_algorithm_t mac,
                       GBytes                *psk)
{
  return hl_hkdf_extract (mac, NULL, psk);
}

/**
 * hl_tls13_derived:
 * @mac: the HMAC (the suite's hash)
 * @secret: the early or handshake secret
 *
 * Derive-Secret(., "derived", "") — the salt of the next HKDF-Extract (RFC 8446 §7.1).
 *
 * Returns: (transfer full) (nullable): Hash.length bytes
 */
GBytes *
hl_tls13_derived (gnutls_mac_algorithm_t mac,
                  GBytes                *secret)
{
  g_autoptr(GBytes) empty_hash = hl_transcript_hash ((gnutls_digest_algorithm_t) mac, NULL, 0,
                                                     FALSE);

  if (empty_hash == NULL)
    return NULL;

  return hl_tls13_derive_secret (mac, secret, "derived", empty_hash);
}

/**
 * hl_tls13_handshake_secret:
 * @mac: the HMAC (the suite's hash)
 * @early_secret: the early secret
 * @shared_secret: (nullable): the (EC)DHE shared secret; %NULL for psk_ke (zeros)
 *
 * Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE)
 * (RFC 8446 §7.1).
 *
 * Returns: (transfer full) (nullable): the handshake secret
 */
GBytes *
hl_tls13_handshake_secret (gnutls_mac_algorithm_t mac,
                           GBytes                *early_secret,
                           GBytes                *shared_secret)
{
  g_autoptr(GBytes) salt = hl_tls13_derived (mac, early_secret);

  if (salt == NULL)
    return NULL;

  return hl_hkdf_extract (mac, salt, shared_secret);
}

/**
 * hl_tls13_master_secret:
 * @mac: the HMAC (the suite's hash)
 * @handshake_secret: the handshake secret
 *
 * Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0)
 * (RFC 8446 §7.1).
 *
 * Returns: (transfer full) (nullable): the master secret
 */
GBytes *
hl_tls13_master_secret (gnutls_mac_algorithm_t mac,
                        GBytes                *handshake_secret)
{
  g_autoptr(GBytes) salt = hl_tls13_derived (mac, handshake_secret);

  if (salt == NULL)
    return NULL;

  return hl_hkdf_extract (mac, salt, NULL);
}

/**
 * hl_tls13_traffic_keys:
 * @mac: the HMAC (the suite's hash)
 * @traffic_secret: a handshake or application traffic secret
 * @key_size: the AEAD key length (16 for AES-128-GCM, 32 for AES-256-GCM and ChaCha20)
 * @iv_size: the IV length (12 for every TLS 1.3 AEAD)
 * @key: (out) (transfer full): [sender]_write_key =
 *   HKDF-Expand-Label(Secret, "key", "", key_length)
 * @iv: (out) (transfer full): [sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length)
 *
 * The traffic key calculation of RFC 8446 §7.3.
 *
 * Returns: %TRUE when both were derived
 */
gboolean
hl_tls13_traffic_keys (gnutls_mac_algorithm_t mac,
                       GBytes                *traffic_secret,
                       gsize                  key_size,
                       gsize                  iv_size,
                       GBytes               **key,
                       GBytes               **iv)
{
  g_autoptr(GBytes) k = NULL;
  g_autoptr(GBytes) v = NULL;

  g_return_val_if_fail (traffic_secret != NULL, FALSE);
  g_return_val_if_fail (key != NULL && iv != NULL, FALSE);

  k = hl_hkdf_expand_label (mac, traffic_secret, "key", NULL, key_size);
  v = hl_hkdf_expand_label (mac, traffic_secret, "iv", NULL, iv_size);
  if (k == NULL || v == NULL)
    return FALSE;

  *key = g_steal_pointer (&k);
  *iv = g_steal_pointer (&v);

  return TRUE;
}

/**
 * hl_tls13_next_traffic_secret:
 * @mac: the HMAC (the suite's hash)
 * @traffic_secret: application_traffic_secret_N
 *
 * application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N,
 * "traffic upd", "", Hash.length) (RFC 8446 §7.2).
 *
 * Returns: (transfer full) (nullable): the next secret
 */
GBytes *
hl_tls13_next_traffic_secret (gnutls_mac_algorithm_t mac,
                              GBytes                *traffic_secret)
{
  return hl_hkdf_expand_label (mac, traffic_secret, "traffic upd", NULL, mac_size (mac));
}

/**
 * hl_tls13_finished_key:
 * @mac: the HMAC (the suite's hash)
 * @base_key: the sender's handshake traffic secret (or a binder key)
 *
 * finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446 §4.4.4).
 *
 * Returns: (transfer full) (nullable): the finished key
 */
GBytes *
hl_tls13_finished_key (gnutls_mac_algorithm_t mac,
                       GBytes                *base_key)
{
  return hl_hkdf_expand_label (mac, base_key, "finished", NULL, mac_size (mac));
}

/**
 * hl_tls13_finished:
 * @mac: the HMAC (the suite's hash)
 * @base_key: the sender's handshake traffic secret (or a binder key)
 * @transcript_hash: Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*)
 *
 * verify_data = HMAC(finished_key, Transcript-Hash(...)) (RFC 8446 §4.4.4).
 *
 * Returns: (transfer full) (nullable): Hash.length bytes
 */
GBytes *
hl_tls13_finished (gnutls_mac_algorithm_t mac,
                   GBytes                *base_key,
                   GBytes                *transcript_hash)
{
  g_autoptr(GBytes) finished_key = NULL;
  gsize hlen = mac_size (mac);
  gsize key_size, hash_size;
  const guint8 *key_data, *hash_data;
  guint8 out[64];

  g_return_val_if_fail (hlen > 0 && hlen <= sizeof out, NULL);
  g_return_val_if_fail (transcript_hash != NULL, NULL);

  finished_key = hl_tls13_finished_key (mac, base_key);
  if (finished_key == NULL)
    return NULL;

  key_data = bytes_data (finished_key, &key_size);
  hash_data = bytes_data (transcript_hash, &hash_size);
  if (!hmac3 (mac, key_data, key_size, hash_data, hash_size, NULL, 0, NULL, 0, out))
    return NULL;

  return g_bytes_new (out, hlen);
}

/**
 * hl_tls13_export:
 * @mac: the HMAC (the suite's hash)
 * @exporter_master_secret: Derive-Secret(Master Secret, "exp master", ClientHello..server
 *   Finished)
 * @label: the exporter label, e.g. "EXPORTER-my-app"
 * @context: (nullable): the context value; %NULL and empty are the same in TLS 1.3
 * @length: the key length
 *
 * TLS-Exporter(label, context_value, key_length) =
 * HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value),
 * key_length) (RFC 8446 §7.5).
 *
 * Returns: (transfer full) (nullable): @length bytes, wiped on free
 */
GBytes *
hl_tls13_export (gnutls_mac_algorithm_t mac,
                 GBytes                *exporter_master_secret,
                 const char            *label,
                 GBytes                *context,
                 gsize                  length)
{
  gnutls_digest_algorithm_t hash = (gnutls_digest_algorithm_t) mac;
  g_autoptr(GBytes) empty_hash = NULL;
  g_autoptr(GBytes) context_hash = NULL;
  g_autoptr(GBytes) secret = NULL;
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (exporter_master_secret != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  empty_hash = hl_transcript_hash (hash, NULL, 0, FALSE);
  data = bytes_data (context, &size);
  context_hash = hash_bytes (hash, data, size);
  if (empty_hash == NULL || context_hash == NULL)
    return NULL;

  secret = hl_tls13_derive_secret (mac, exporter_master_secret, label, empty_hash);
  if (secret == NULL)
    return NULL;

  return hl_hkdf_expand_label (mac, secret, "exporter", context_hash, length);
}

/**
 * hl_tls13_resumption_psk:
 * @mac: the HMAC (the suite's hash)
 * @resumption_master_secret: Derive-Secret(Master Secret, "res master", ClientHello..client
 *   Finished)
 * @ticket_nonce: the NewSessionTicket's ticket_nonce
 *
 * PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
 * (RFC 8446 §4.6.1).
 *
 * Returns: (transfer full) (nullable): the PSK
 */
GBytes *
hl_tls13_resumption_psk (gnutls_mac_algorithm_t mac,
                         GBytes                *resumption_master_secret,
                         GBytes                *ticket_nonce)
{
  g_return_val_if_fail (ticket_nonce != NULL, NULL);

  return hl_hkdf_expand_label (mac, resumption_master_secret, "resumption", ticket_nonce,
                               mac_size (mac));
}

/**
 * hl_tls13_binder_key:
 * @mac: the HMAC (the suite's hash)
 * @early_secret: the early secret computed from the PSK
 * @external: %TRUE for an external PSK ("ext binder"), %FALSE for a resumption PSK
 *   ("res binder")
 *
 * binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "") (RFC 8446 §7.1).
 *
 * Returns: (transfer full) (nullable): the binder key
 */
GBytes *
hl_tls13_binder_key (gnutls_mac_algorithm_t mac,
                     GBytes                *early_secret,
                     gboolean               external)
{
  g_autoptr(GBytes) empty_hash = hl_transcript_hash ((gnutls_digest_algorithm_t) mac, NULL, 0,
                                                     FALSE);

  if (empty_hash == NULL)
    return NULL;

  return hl_tls13_derive_secret (mac, early_secret, external ? "ext binder" : "res binder",
                                 empty_hash);
}

/**
 * hl_tls13_binder:
 * @mac: the HMAC (the suite's hash)
 * @binder_key: the binder key
 * @partial_client_hello_hash: Transcript-Hash(Truncate(ClientHello1)) — the ClientHello up to
 *   but not including the binders list (RFC 8446 §4.2.11.2)
 *
 * The PSK binder is computed as a Finished message with the binder key as base key.
 *
 * Returns: (transfer full) (nullable): Hash.length bytes
 */
GBytes *
hl_tls13_binder (gnutls_mac_algorithm_t mac,
                 GBytes                *binder_key,
                 GBytes                *partial_client_hello_hash)
{
  return hl_tls13_finished (mac, binder_key, partial_client_hello_hash);
}
