/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hl-error.h"
#include "hl-field.h"

G_BEGIN_DECLS

/**
 * HlKeyExchange:
 * @HL_KEY_EXCHANGE_UNKNOWN: not known; ClientKeyExchange is recognised by its layout and
 *   ServerKeyExchange by its curve type
 * @HL_KEY_EXCHANGE_RSA: TLS 1.2 RSA key transport (RFC 5246 §7.4.7.1)
 * @HL_KEY_EXCHANGE_ECDHE: TLS 1.2 ECDHE (RFC 8422 §5.4, §5.7)
 * @HL_KEY_EXCHANGE_DHE: TLS 1.2 finite-field DHE (RFC 5246 §7.4.3)
 *
 * The TLS 1.2 key exchange, which the key exchange messages do not state themselves.
 */
typedef enum
{
  HL_KEY_EXCHANGE_UNKNOWN,
  HL_KEY_EXCHANGE_RSA,
  HL_KEY_EXCHANGE_ECDHE,
  HL_KEY_EXCHANGE_DHE,
} HlKeyExchange;

/**
 * HlDecodeContext:
 * @tls13: the connection negotiated TLS 1.3; picks the layout of Certificate,
 *   CertificateRequest and NewSessionTicket, which differ between 1.2 and 1.3
 * @key_exchange: the TLS 1.2 key exchange
 * @protected_record: the record's fragment is encrypted (after ChangeCipherSpec in 1.2,
 *   any non-initial epoch in 1.3); hl_decode_record_full() then shows it as opaque
 *
 * What a decoder needs to know about the connection that the bytes do not say. Zeroed, it
 * means: TLS 1.2 layouts, plaintext, key exchange recognised from the bytes.
 */
typedef struct
{
  gboolean      tls13;
  HlKeyExchange key_exchange;
  gboolean      protected_record;
} HlDecodeContext;

HlField *hl_decode_record         (GBytes                *record,
                                   gsize                  base_offset,
                                   GError               **error);
HlField *hl_decode_record_full    (GBytes                *record,
                                   gsize                  base_offset,
                                   const HlDecodeContext *context,
                                   GError               **error);
HlField *hl_decode_handshake      (GBytes                *message,
                                   gsize                  base_offset,
                                   gboolean               tls13,
                                   GError               **error);
HlField *hl_decode_handshake_full (GBytes                *message,
                                   gsize                  base_offset,
                                   const HlDecodeContext *context,
                                   GError               **error);
HlField *hl_decode_alert          (GBytes                *fragment,
                                   gsize                  base_offset,
                                   GError               **error);
HlField *hl_decode_alert_full     (GBytes                *fragment,
                                   gsize                  base_offset,
                                   const HlDecodeContext *context,
                                   GError               **error);
HlField *hl_decode_ccs            (GBytes                *fragment,
                                   gsize                  base_offset,
                                   GError               **error);

gboolean hl_decoder_is_hello_retry_random (const guint8 *random,
                                           gsize         len);

/**
 * HlInnerSizes:
 * Sizes inside a handshake message that captions name, 0 where the message has none: the first
 * certificate's DER (Certificate, RFC 5246 §7.4.2 / RFC 8446 §4.4.2), the ephemeral public
 * key's point (ServerKeyExchange RFC 8422 §5.4, ECDHE ClientKeyExchange §5.7) and the ticket
 * (NewSessionTicket, RFC 5077 §3.3 / RFC 8446 §4.6.1), and a stapled OCSP response's DER
 * (CertificateStatus, RFC 6066 §8; the first TLS 1.3 CertificateEntry, RFC 8446 §4.4.2.1).
 */
typedef struct
{
  gsize certificate;
  gsize point;
  gsize ticket;
  gsize ocsp;
} HlInnerSizes;

/* @message: the wire form, 4-byte header first. Never reads past its end. */
HlInnerSizes hl_decoder_inner_sizes (const guint8 *message, gsize len, gboolean tls13);

char        *hl_decoder_alpn         (GBytes *message);

G_END_DECLS
