/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gnutls/gnutls.h>

G_BEGIN_DECLS

/*
 * Our own key schedule: every function recomputes a TLS secret from its inputs with GnuTLS's
 * HMAC and hash primitives only, so that the app can compare the result with the value the
 * library used. Secrets are returned as GBytes whose memory is wiped with gnutls_memset when the
 * last reference goes away.
 *
 * Hash and MAC algorithms share their numeric values in GnuTLS (GNUTLS_DIG_SHA256 ==
 * GNUTLS_MAC_SHA256), so the TLS 1.3 functions take the suite's hash as a gnutls_mac_algorithm_t
 * for HMAC and hash with the digest of the same number.
 *
 * All functions return %NULL only when GnuTLS refuses the algorithm or an argument is out of the
 * range the RFCs allow (checked with g_return_val_if_fail).
 */

/* Lengths fixed by the RFCs. */
#define HL_TLS12_MASTER_SECRET_SIZE 48 /* RFC 5246 §8.1 */
#define HL_TLS12_VERIFY_DATA_SIZE   12 /* RFC 5246 §7.4.9 */
#define HL_TLS_RANDOM_SIZE          32 /* RFC 5246 §7.4.1.2, RFC 8446 §4.1.2 */

/* TLS 1.3 handshake message type of the synthetic message_hash (RFC 8446 §4.4.1). */
#define HL_HANDSHAKE_MESSAGE_HASH 254

GBytes *hl_secret_bytes_new (gconstpointer data,
                             gsize         size);

/* TLS 1.2 (RFC 5246 §5, §6.3, §7.4.9, §8.1; RFC 7627 §4) */

GBytes *hl_prf_tls12 (gnutls_mac_algorithm_t mac,
                      GBytes                *secret,
                      const char            *label,
                      GBytes                *seed,
                      gsize                  length);

GBytes *hl_tls12_master_secret (gnutls_mac_algorithm_t mac,
                                GBytes                *premaster_secret,
                                GBytes                *client_random,
                                GBytes                *server_random);

GBytes *hl_tls12_extended_master_secret (gnutls_mac_algorithm_t mac,
                                         GBytes                *premaster_secret,
                                         GBytes                *session_hash);

/**
 * HlTls12KeyBlock:
 * @client_mac_key: client_write_MAC_key (empty for AEAD suites)
 * @server_mac_key: server_write_MAC_key
 * @client_key: client_write_key
 * @server_key: server_write_key
 * @client_iv: client_write_IV (the 4-byte GCM salt, the 12-byte ChaCha20 IV, empty for CBC)
 * @server_iv: server_write_IV
 * @block: the whole key block the six values were cut from, in that order
 *
 * The key block of RFC 5246 §6.3, split in the order the RFC gives.
 */
typedef struct
{
  GBytes *client_mac_key;
  GBytes *server_mac_key;
  GBytes *client_key;
  GBytes *server_key;
  GBytes *client_iv;
  GBytes *server_iv;
  GBytes *block;
} HlTls12KeyBlock;

HlTls12KeyBlock *hl_tls12_key_block_new (gnutls_mac_algorithm_t mac,
                                         GBytes                *master_secret,
                                         GBytes                *server_random,
                                         GBytes                *client_random,
                                         gsize                  mac_key_size,
                                         gsize                  key_size,
                                         gsize                  iv_size);
void             hl_tls12_key_block_free (HlTls12KeyBlock *key_block);

GBytes *hl_tls12_verify_data (gnutls_mac_algorithm_t mac,
                              GBytes                *master_secret,
                              gboolean               from_client,
                              GBytes                *handshake_hash);

/* Transcripts (RFC 5246 §7.4.9, RFC 7627 §3, RFC 8446 §4.4.1) */

GBytes *hl_handshake_message_frame (guint8  msg_type,
                                    GBytes *body);

GBytes *hl_tls13_message_hash (gnutls_digest_algorithm_t hash,
                               GBytes                   *client_hello1);

GBytes *hl_transcript_hash (gnutls_digest_algorithm_t hash,
                            GBytes *const            *messages,
                            gsize                     n_messages,
                            gboolean                  after_hello_retry);

/* TLS 1.3 (RFC 5869 §2; RFC 8446 §4.4.4, §4.6.1, §7.1, §7.3, §7.5) */

GBytes *hl_hkdf_extract (gnutls_mac_algorithm_t mac,
                         GBytes                *salt,
                         GBytes                *ikm);

GBytes *hl_hkdf_expand (gnutls_mac_algorithm_t mac,
                        GBytes                *prk,
                        GBytes                *info,
                        gsize                  length);

GBytes *hl_hkdf_label (const char *label,
                       GBytes     *context,
                       gsize       length);

GBytes *hl_hkdf_expand_label (gnutls_mac_algorithm_t mac,
                              GBytes                *secret,
                              const char            *label,
                              GBytes                *context,
                              gsize                  length);

GBytes *hl_tls13_derive_secret (gnutls_mac_algorithm_t mac,
                                GBytes                *secret,
                                const char            *label,
                                GBytes                *transcript_hash);

GBytes *hl_tls13_early_secret (gnutls_mac_algorithm_t mac,
                               GBytes                *psk);

GBytes *hl_tls13_derived (gnutls_mac_algorithm_t mac,
                          GBytes                *secret);

GBytes *hl_tls13_handshake_secret (gnutls_mac_algorithm_t mac,
                                   GBytes                *early_secret,
                                   GBytes                *shared_secret);

GBytes *hl_tls13_master_secret (gnutls_mac_algorithm_t mac,
                                GBytes                *handshake_secret);

gboolean hl_tls13_traffic_keys (gnutls_mac_algorithm_t mac,
                                GBytes                *traffic_secret,
                                gsize                  key_size,
                                gsize                  iv_size,
                                GBytes               **key,
                                GBytes               **iv);

GBytes *hl_tls13_next_traffic_secret (gnutls_mac_algorithm_t mac,
                                      GBytes                *traffic_secret);

GBytes *hl_tls13_finished_key (gnutls_mac_algorithm_t mac,
                               GBytes                *base_key);

GBytes *hl_tls13_finished (gnutls_mac_algorithm_t mac,
                           GBytes                *base_key,
                           GBytes                *transcript_hash);

GBytes *hl_tls13_export (gnutls_mac_algorithm_t mac,
                         GBytes                *exporter_master_secret,
                         const char            *label,
                         GBytes                *context,
                         gsize                  length);

GBytes *hl_tls13_resumption_psk (gnutls_mac_algorithm_t mac,
                                 GBytes                *resumption_master_secret,
                                 GBytes                *ticket_nonce);

GBytes *hl_tls13_binder_key (gnutls_mac_algorithm_t mac,
                             GBytes                *early_secret,
                             gboolean               external);

GBytes *hl_tls13_binder (gnutls_mac_algorithm_t mac,
                         GBytes                *binder_key,
                         GBytes                *partial_client_hello_hash);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTls12KeyBlock, hl_tls12_key_block_free)

G_END_DECLS
