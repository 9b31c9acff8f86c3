/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-kdf"

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>

#include "hl-kdf-private.h"

/*
 * HKDF (RFC 5869) and the TLS 1.3 key schedule (RFC 8446 §7.1, §7.3, §4.4.4, §7.5, §4.6.1,
 * §4.2.11.2), composed over GnuTLS's HMAC as in hl-kdf.c.
 */

/* RFC 5869 §2.3: L <= 255 * HashLen. */
#define HKDF_MAX_BLOCKS 255
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
  gsize hlen = hl_kdf_mac_size (mac);
  const guint8 *salt_data = zeros, *ikm_data = zeros;
  gsize salt_size = hlen, ikm_size = hlen;
  guint8 *out;
  g_autoptr(GBytes) result = NULL;

  g_return_val_if_fail (hlen > 0 && hlen <= sizeof zeros, NULL);

  if (salt != NULL)
    salt_data = hl_kdf_bytes_data (salt, &salt_size);
  if (ikm != NULL)
    ikm_data = hl_kdf_bytes_data (ikm, &ikm_size);

  result = hl_kdf_secret_alloc (hlen, &out);
  if (!hl_kdf_hmac3 (mac, salt_data, salt_size, ikm_data, ikm_size, NULL, 0, NULL, 0, out))
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
  gsize hlen = hl_kdf_mac_size (mac);
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

  prk_data = hl_kdf_bytes_data (prk, &prk_size);
  info_data = hl_kdf_bytes_data (info, &info_size);
  result = hl_kdf_secret_alloc (length, &out);

  while (ok && done < length)
    {
      gsize take;

      counter++;
      ok = hl_kdf_hmac3 (mac, prk_data, prk_size, t, t_size, info_data, info_size, &counter, 1, t);
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
  context_data = hl_kdf_bytes_data (context, &context_size);

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

  return hl_hkdf_expand_label (mac, secret, label, transcript_hash, hl_kdf_mac_size (mac));
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
  return hl_hkdf_expand_label (mac, traffic_secret, "traffic upd", NULL, hl_kdf_mac_size (mac));
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
  return hl_hkdf_expand_label (mac, base_key, "finished", NULL, hl_kdf_mac_size (mac));
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
  gsize hlen = hl_kdf_mac_size (mac);
  gsize key_size, hash_size;
  const guint8 *key_data, *hash_data;
  guint8 out[64];

  g_return_val_if_fail (hlen > 0 && hlen <= sizeof out, NULL);
  g_return_val_if_fail (transcript_hash != NULL, NULL);

  finished_key = hl_tls13_finished_key (mac, base_key);
  if (finished_key == NULL)
    return NULL;

  key_data = hl_kdf_bytes_data (finished_key, &key_size);
  hash_data = hl_kdf_bytes_data (transcript_hash, &hash_size);
  if (!hl_kdf_hmac3 (mac, key_data, key_size, hash_data, hash_size, NULL, 0, NULL, 0, out))
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
  data = hl_kdf_bytes_data (context, &size);
  context_hash = hl_kdf_hash_bytes (hash, data, size);
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
                               hl_kdf_mac_size (mac));
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
