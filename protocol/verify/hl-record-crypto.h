/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gnutls/gnutls.h>

G_BEGIN_DECLS

/*
 * Decrypting one protected TLS record with known keys, using GnuTLS's AEAD, block cipher and
 * HMAC functions. Truncated or oversized records are HL_PARSE_ERROR; records that are well formed
 * but do not authenticate or decrypt are HL_RECORD_CRYPTO_ERROR. Messages name the check that
 * failed and the offset within the record.
 */

#define HL_RECORD_CRYPTO_ERROR (hl_record_crypto_error_quark ())

typedef enum
{
  HL_RECORD_CRYPTO_ERROR_UNSUPPORTED,     /* cipher, MAC or protection we do not handle */
  HL_RECORD_CRYPTO_ERROR_BAD_KEY,         /* key, IV or MAC key of the wrong size */
  HL_RECORD_CRYPTO_ERROR_BAD_TAG,         /* AEAD authentication failed */
  HL_RECORD_CRYPTO_ERROR_BAD_MAC,         /* CBC record MAC mismatch */
  HL_RECORD_CRYPTO_ERROR_BAD_PADDING,     /* CBC padding malformed */
  HL_RECORD_CRYPTO_ERROR_NO_CONTENT_TYPE, /* TLS 1.3 inner plaintext is all zeros */
  HL_RECORD_CRYPTO_ERROR_GNUTLS,          /* GnuTLS refused; the message keeps code and text */
} HlRecordCryptoError;

/**
 * HlRecordProtection:
 * @HL_RECORD_PROTECTION_TLS12_AEAD: TLS 1.2 AES-GCM (explicit 8-byte nonce, RFC 5288) or
 *   ChaCha20-Poly1305 (nonce = IV xor sequence number, RFC 7905)
 * @HL_RECORD_PROTECTION_TLS12_CBC: TLS 1.2 CBC, MAC-then-encrypt (RFC 5246 §6.2.3.2)
 * @HL_RECORD_PROTECTION_TLS12_CBC_ETM: TLS 1.2 CBC, encrypt-then-MAC (RFC 7366)
 * @HL_RECORD_PROTECTION_TLS13_AEAD: TLS 1.3 AEAD with inner content type (RFC 8446 §5.2)
 */
typedef enum
{
  HL_RECORD_PROTECTION_TLS12_AEAD,
  HL_RECORD_PROTECTION_TLS12_CBC,
  HL_RECORD_PROTECTION_TLS12_CBC_ETM,
  HL_RECORD_PROTECTION_TLS13_AEAD,
} HlRecordProtection;

/**
 * HlRecordKeys:
 * @protection: how the record is protected
 * @cipher: %GNUTLS_CIPHER_AES_128_GCM, %GNUTLS_CIPHER_AES_256_GCM,
 *   %GNUTLS_CIPHER_CHACHA20_POLY1305, %GNUTLS_CIPHER_AES_128_CBC or %GNUTLS_CIPHER_AES_256_CBC
 * @mac: the record MAC for CBC (%GNUTLS_MAC_SHA1, %GNUTLS_MAC_SHA256, %GNUTLS_MAC_SHA384);
 *   ignored for AEAD
 * @key: the sender's write key
 * @iv: TLS 1.2 GCM: the 4-byte salt (client/server_write_IV); ChaCha20-Poly1305 and TLS 1.3:
 *   the 12-byte IV; CBC: unused (the IV is explicit in each record)
 * @mac_key: the sender's write MAC key for CBC; ignored for AEAD
 *
 * The keys of one direction of one epoch. The struct borrows the #GBytes.
 */
typedef struct
{
  HlRecordProtection        protection;
  gnutls_cipher_algorithm_t cipher;
  gnutls_mac_algorithm_t    mac;
  GBytes                   *key;
  GBytes                   *iv;
  GBytes                   *mac_key;
} HlRecordKeys;

GQuark      hl_record_crypto_error_quark (void);
const char *hl_record_protection_to_string (HlRecordProtection protection);

GBytes *hl_record_decrypt (const HlRecordKeys *keys,
                           guint64             seq,
                           GBytes             *record,
                           guint8             *content_type,
                           GError            **error);

GBytes *hl_record_encrypt (const HlRecordKeys *keys,
                           guint64             seq,
                           guint8              content_type,
                           GBytes             *plaintext,
                           gsize               padding,
                           GError            **error);

G_END_DECLS
