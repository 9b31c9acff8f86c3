/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-kdf"

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>

#include "hl-kdf-private.h"

/*
 * Sections: wiped secret storage, HMAC and hash helpers, TLS 1.2 PRF and its uses, transcripts.
 * HKDF and the TLS 1.3 schedule are in hl-kdf-tls13.c.
 *
 * Nothing here implements a primitive: HMAC and the hashes are GnuTLS's. What is ours is the
 * composition the RFCs define on top of them (P_hash, HKDF-Expand, HkdfLabel, the schedule),
 * because that composition is what the app checks against the library.
 */

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
GBytes *
hl_kdf_secret_alloc (gsize    size,
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

  bytes = hl_kdf_secret_alloc (size, &out);
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

const guint8 *
hl_kdf_bytes_data (GBytes *bytes,
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

gsize
hl_kdf_mac_size (gnutls_mac_algorithm_t mac)
{
  /* Only the SHA-2 family (and SHA-1 for record MACs) is used in TLS key schedules; their hash
   * and MAC numbers coincide in GnuTLS. */
  return gnutls_hmac_get_len (mac);
}

/* HMAC over the concatenation of up to three parts; any part may be NULL. */
gboolean
hl_kdf_hmac3 (gnutls_mac_algorithm_t mac,
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

GBytes *
hl_kdf_hash_bytes (gnutls_digest_algorithm_t hash,
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
  gsize hlen = hl_kdf_mac_size (mac);
  gsize secret_size, seed_size, label_size, done = 0;
  const guint8 *secret_data, *seed_data;
  guint8 a[64], block[64];
  guint8 *out;
  g_autoptr(GBytes) result = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (hlen > 0 && hlen <= sizeof a, NULL);
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  secret_data = hl_kdf_bytes_data (secret, &secret_size);
  seed_data = hl_kdf_bytes_data (seed, &seed_size);
  label_size = strlen (label);

  result = hl_kdf_secret_alloc (length, &out);

  /* A(1) = HMAC(secret, label + seed) */
  ok = hl_kdf_hmac3 (mac, secret_data, secret_size, (const guint8 *) label, label_size,
                     seed_data, seed_size, NULL, 0, a);

  while (ok && done < length)
    {
      gsize take;

      ok = hl_kdf_hmac3 (mac, secret_data, secret_size, a, hlen, (const guint8 *) label, label_size,
                         seed_data, seed_size, block);
      if (!ok)
        break;

      take = MIN (hlen, length - done);
      memcpy (out + done, block, take);
      done += take;

      if (done < length)
        ok = hl_kdf_hmac3 (mac, secret_data, secret_size, a, hlen, NULL, 0, NULL, 0, a);
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
  const guint8 *a_data = hl_kdf_bytes_data (a, &a_size);
  const guint8 *b_data = hl_kdf_bytes_data (b, &b_size);
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
  const guint8 *data = hl_kdf_bytes_data (body, &size);
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

  data = hl_kdf_bytes_data (client_hello1, &size);
  digest = hl_kdf_hash_bytes (hash, data, size);
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

      data = hl_kdf_bytes_data (message, &size);
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
