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

/**
 * HlRecordInternals:
 * @protection: how the record is protected
 * @seq: its sequence number (implicit: never on the wire)
 * @nonce_size: 12 for AEAD records, 0 for CBC
 * @iv: AEAD: the write IV that enters the nonce (TLS 1.3 and ChaCha20-Poly1305: 12 bytes;
 *   TLS 1.2 AES-GCM: the 4-byte implicit salt)
 * @iv_size: its size
 * @padded_seq: TLS 1.3 and ChaCha20-Poly1305: the sequence number left-padded with zeros to
 *   the IV's length, which is XORed with the IV
 * @nonce: the AEAD nonce the record was opened with
 * @aad: AEAD: the additional data (TLS 1.3: the 5-byte record header; TLS 1.2: seq_num ‖ type
 *   ‖ version ‖ length of the plaintext); CBC: the start of the MAC input (seq_num ‖ type ‖
 *   version ‖ length)
 * @aad_size: its size (5 or 13)
 * @explicit_offset: where the explicit part sits in the record: the 8-byte GCM nonce, or the
 *   CBC per-record IV
 * @explicit_size: its size, 0 if none
 * @encrypted_offset: where the encrypted bytes start in the record
 * @encrypted_size: how many (without the AEAD tag or an encrypt-then-MAC MAC)
 * @tag_offset: where the AEAD tag or the encrypt-then-MAC MAC sits
 * @tag_size: its size, 0 when there is none outside the encrypted bytes (MAC-then-encrypt)
 * @content_size: the plaintext's size (TLS 1.3: without inner type and padding)
 * @inner_type: TLS 1.3: the real content type inside TLSInnerPlaintext
 * @padding_size: TLS 1.3: zero bytes after the inner type; CBC: the padding including its
 *   length byte
 * @mac_size: CBC: the record MAC's size (inside the encrypted bytes with MAC-then-encrypt)
 *
 * How one record was opened: what hl_record_decrypt_full() computed and where each part
 * sits in the record's bytes (offsets count from the record header's first byte).
 */
typedef struct
{
  HlRecordProtection protection;
  guint64            seq;
  gsize              nonce_size;
  guint8             iv[12];
  gsize              iv_size;
  guint8             padded_seq[12];
  guint8             nonce[12];
  guint8             aad[13];
  gsize              aad_size;
  gsize              explicit_offset;
  gsize              explicit_size;
  gsize              encrypted_offset;
  gsize              encrypted_size;
  gsize              tag_offset;
  gsize              tag_size;
  gsize              content_size;
  guint8             inner_type;
  gsize              padding_size;
  gsize              mac_size;
} HlRecordInternals;

GQuark      hl_record_crypto_error_quark (void);
const char *hl_record_protection_to_string (HlRecordProtection protection);

GBytes *hl_record_decrypt (const HlRecordKeys *keys,
                           guint64             seq,
                           GBytes             *record,
                           guint8             *content_type,
                           GError            **error);

GBytes *hl_record_decrypt_full (const HlRecordKeys *keys,
                                guint64             seq,
                                GBytes             *record,
                                guint8             *content_type,
                                HlRecordInternals  *internals,
                                GError            **error);

GBytes *hl_record_encrypt (const HlRecordKeys *keys,
                           guint64             seq,
                           guint8              content_type,
                           GBytes             *plaintext,
                           gsize               padding,
                           GError            **error);

G_END_DECLS
