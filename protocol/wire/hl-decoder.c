/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include <string.h>

#include "hl-decoder-private.h"
#include "hl-tls-names.h"

/*
 * Records (RFC 5246 §6.2, RFC 8446 §5.1), alerts, ChangeCipherSpec, and the handshake
 * message framing with a descriptor table that hands each message body to its decoder in
 * hl-decode-*.c.
 *
 * Section order: message table, handshake framing, alert and CCS, records, public API.
 */

/* RFC 8446 §4.1.3: the ServerHello.random that marks a HelloRetryRequest, SHA-256 of
 * "HelloRetryRequest". */
static const guint8 hello_retry_random[32] = {
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* RFC 8446 §5.1: 2^14 plus the most expansion a record may carry (2048 for TLS 1.2
 * ciphertext, RFC 5246 §6.2.3). */
#define MAX_RECORD_LENGTH (16384 + 2048)

typedef struct
{
  guint8         type;
  const char    *rfc;          /* where the message is defined (TLS 1.3 when it has both) */
  const char    *explanation;
  HlMessageFunc  decode;
  const char    *rfc12;        /* its TLS 1.2 definition, when that is elsewhere */
} MessageDesc;

static const MessageDesc messages[] = {
  { 0, "RFC 5246 §7.4.1.1",
    "The server asks the client to start a new handshake (renegotiation). TLS 1.3 removed it.",
    hl_decode_empty },
  { 1, "RFC 8446 §4.1.2",
    "The client opens the handshake: its random, the cipher suites it supports and its "
    "extensions (groups, key shares, signature algorithms, …).",
    hl_decode_client_hello, "RFC 5246 §7.4.1.2" },
  { 2, "RFC 8446 §4.1.3",
    "The server picks the version, cipher suite and key exchange from what the client "
    "offered, and sends its own random.",
    hl_decode_server_hello, "RFC 5246 §7.4.1.3" },
  { 4, "RFC 8446 §4.6.1",
    "The server hands the client a ticket it can present later to resume this session "
    "without a full handshake.",
    hl_decode_new_session_ticket, "RFC 5077 §3.3" },
  { 5, "RFC 8446 §4.5",
    "The client says its 0-RTT early data is over.",
    hl_decode_empty },
  { 8, "RFC 8446 §4.3.1",
    "Extensions the server answers under encryption, right after the ServerHello.",
    hl_decode_encrypted_extensions },
  { 11, "RFC 8446 §4.4.2",
    "The sender's certificate chain, leaf first.",
    hl_decode_certificate, "RFC 5246 §7.4.2" },
  { 12, "RFC 5246 §7.4.3",
    "The server's ephemeral key-exchange parameters, signed with its certificate key so the "
    "client knows they come from the server.",
    hl_decode_server_key_exchange },
  { 13, "RFC 8446 §4.3.2",
    "The server asks the client for a certificate (client authentication).",
    hl_decode_certificate_request, "RFC 5246 §7.4.4" },
  { 14, "RFC 5246 §7.4.5",
    "The server has sent everything for its part of the key exchange.",
    hl_decode_empty },
  { 15, "RFC 8446 §4.4.3",
    "A signature over the handshake so far, made with the private key of the certificate "
    "just sent: proof that the sender holds that key.",
    hl_decode_certificate_verify, "RFC 5246 §7.4.8" },
  { 16, "RFC 5246 §7.4.7",
    "The client's part of the key exchange: an encrypted premaster secret (RSA) or its "
    "ephemeral public key (ECDHE).",
    hl_decode_client_key_exchange },
  { 20, "RFC 8446 §4.4.4",
    "A MAC over the whole handshake with a key only the two peers can know: it proves the "
    "handshake was not tampered with.",
    hl_decode_finished, "RFC 5246 §7.4.9" },
  { 22, "RFC 6066 §8",
    "An OCSP response about the server certificate (TLS 1.2 stapling).",
    hl_decode_certificate_status },
  { 24, "RFC 8446 §4.6.3",
    "The sender switches to fresh traffic keys and may ask the peer to do the same.",
    hl_decode_key_update },
  { 254, "RFC 8446 §4.4.1",
    "Not sent on the wire: after a HelloRetryRequest the first ClientHello is replaced in "
    "the transcript by this synthetic message holding its hash.",
    hl_decode_message_hash },
};

static const MessageDesc *
find_message (guint8 type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (messages); i++)
    if (messages[i].type == type)
      return &messages[i];
  return NULL;
}

/**
 * hl_decoder_is_hello_retry_random:
 * @random: a ServerHello.random
 * @len: its length
 *
 * Returns: whether @random is the special value that makes a ServerHello a
 *   HelloRetryRequest (RFC 8446 §4.1.3)
 */
gboolean
hl_decoder_is_hello_retry_random (const guint8 *random,
                                  gsize         len)
{
  return random != NULL && len == sizeof hello_retry_random &&
         memcmp (random, hello_retry_random, len) == 0;
}

/* Decodes one handshake message (header + body) from @r into a new child of @parent. */
static HlField *
decode_one_handshake (HlReader              *r,
                      HlField               *parent,
                      const HlDecodeContext *context)
{
  gsize start = hl_reader_get_offset (r);
  const MessageDesc *desc;
  const char *msg_name;
  const char *old_scope;
  HlField *msg;
  HlField *f;
  HlReader body;
  guint8 type = 0;
  guint32 length = 0;
  char unknown_name[32];
  gboolean is_hello_retry;
  HlSpan random;

  old_scope = hl_reader_get_scope (r);
  hl_reader_set_scope (r, "Handshake");

  /* Peek the type to name the message (and the error scope) before reading anything. */
  if (!hl_reader_peek_u8 (r, "msg_type", &type))
    type = 0;
  /* A ServerHello is a HelloRetryRequest when its random (after the 4-byte header and the
   * 2-byte legacy_version) is the special value; it gets its own name in the tree. */
  is_hello_retry = type == 2 && hl_reader_peek_bytes (r, 4 + 2, 32, &random) &&
                   hl_decoder_is_hello_retry_random (random.data, random.len);
  msg_name = hl_tls_handshake_message_name (type);
  if (type == 2 && is_hello_retry)
    msg_name = "HelloRetryRequest";
  if (msg_name == NULL)
    {
      g_snprintf (unknown_name, sizeof unknown_name, "UnknownHandshake(%u)", type);
      msg_name = unknown_name;
    }

  msg = dec_node (parent, msg_name, start, 0);
  hl_reader_set_scope (r, hl_field_get_name (msg));

  f = dec_u8 (r, msg, "msg_type", &type);
  {
    /* The registry marks the TLS 1.2-only types "_RESERVED" (reserved in TLS 1.3); on a
     * TLS 1.2 wire they are live, so show the plain name. */
    const char *type_name = hl_tls_handshake_type_name (type);
    g_autofree char *plain = NULL;

    if (type_name != NULL && g_str_has_suffix (type_name, "_RESERVED"))
      type_name = plain = g_strndup (type_name, strlen (type_name) - strlen ("_RESERVED"));
    dec_name8 (f, type_name, type);
  }
  dec_annotate (f, context->tls13 ? "RFC 8446 §4" : "RFC 5246 §7.4",
                "Which handshake message this is.");

  f = dec_u24 (r, msg, "length", &length);
  hl_field_set_value_printf (f, "%u", length);
  dec_annotate (f, context->tls13 ? "RFC 8446 §4" : "RFC 5246 §7.4",
                "How many bytes of message body follow this 4-byte header.");

  /* The body: exactly @length bytes, or TRUNCATED naming "<Message>.body". */
  hl_reader_read_sub (r, hl_reader_has_error (r) ? 0 : length, "body", &body);

  desc = find_message (type);
  if (desc != NULL)
    {
      dec_annotate (msg, !context->tls13 && desc->rfc12 ? desc->rfc12 : desc->rfc,
                    desc->explanation);
      desc->decode (&body, msg, context);
    }
  else
    {
      dec_annotate (msg, "RFC 8446 §4",
                    "A handshake message type this decoder does not know; its body is "
                    "shown as raw bytes.");
      hl_decode_unknown (&body, msg, context);
    }
  hl_reader_finish (&body, "body");

  hl_field_set_length (msg, hl_reader_get_offset (r) - start);
  hl_reader_set_scope (r, old_scope);

  return msg;
}

/* --- Alert and ChangeCipherSpec ------------------------------------------------------ */

/* The alert protocol is RFC 5246 §7.2 in TLS 1.2 and RFC 8446 §6 in TLS 1.3. */
static const char *
alert_rfc (gboolean tls13)
{
  return tls13 ? "RFC 8446 §6" : "RFC 5246 §7.2";
}

static void
decode_alert_fields (HlReader *r,
                     HlField  *node,
                     gboolean  tls13)
{
  HlField *f;
  guint8 level = 0;
  guint8 desc = 0;

  f = dec_u8 (r, node, "level", &level);
  dec_name8 (f, hl_tls_alert_level_name (level), level);
  dec_annotate (f, "RFC 5246 §7.2",
                "warning (1) or fatal (2). A fatal alert ends the connection at once; TLS 1.3 "
                "treats every alert but close_notify and user_canceled as fatal.");

  f = dec_u8 (r, node, "description", &desc);
  dec_name8 (f, hl_tls_alert_description_name (desc), desc);
  dec_annotate (f, alert_rfc (tls13), "Why the sender closes or complains.");

  hl_field_set_value_printf (node, "%s %s",
                             hl_tls_alert_level_name (level) ? hl_tls_alert_level_name (level)
                                                             : "level?",
                             hl_tls_alert_description_name (desc)
                               ? hl_tls_alert_description_name (desc) : "unknown");
}

static void
decode_ccs_fields (HlReader *r,
                   HlField  *node)
{
  gsize at = hl_reader_get_offset (r);
  HlField *f;
  guint8 v = 0;

  f = dec_u8 (r, node, "type", &v);
  dec_annotate (f, "RFC 5246 §7.1",
                "Always 1. In TLS 1.2 it tells the peer that the sender's next records are "
                "protected with the new keys; in TLS 1.3 it is only sent for middlebox "
                "compatibility (RFC 8446 §D.4) and means nothing.");
  if (!hl_reader_has_error (r) && v != 1)
    hl_reader_fail (r, HL_PARSE_ERROR_BAD_VALUE, at, "type",
                    "ChangeCipherSpec must be 1, found %u", v);
  hl_field_set_value (f, "change_cipher_spec (1)");
  hl_field_set_value (node, "change_cipher_spec");
}

/* --- Records --------------------------------------------------------------------------- */

static void
decode_fragment (HlReader              *r,
                 HlField               *fragment,
                 guint8                 content_type,
                 const HlDecodeContext *context)
{
  HlSpan span;
  HlField *f;
  guint n = 0;

  if (context->protected_record)
    {
      f = dec_rest (r, fragment, "encrypted_record", &span);
      if (context->tls13)
        dec_annotate (f, "RFC 8446 §5.2",
                      "The AEAD encryption of TLSInnerPlaintext (the content, its real content "
                      "type, optional zero padding) followed by the 16-byte authentication tag. "
                      "Only the record keys can open it.");
      else
        dec_annotate (f, "RFC 5246 §6.2.3",
                      "The protected fragment. AES-GCM: an 8-byte explicit nonce, the ciphertext "
                      "and a 16-byte tag (RFC 5288 §3); ChaCha20-Poly1305: the ciphertext and "
                      "its tag (RFC 7905); CBC: an explicit IV, then the encrypted data, MAC and "
                      "padding — with encrypt-then-MAC, IV ‖ ciphertext ‖ MAC (RFC 7366). Only "
                      "the record keys can open it.");
      hl_field_set_value_printf (fragment, "%" G_GSIZE_FORMAT " encrypted bytes", span.len);
      return;
    }

  switch (content_type)
    {
    case HL_CONTENT_HANDSHAKE:
      /* One or more whole handshake messages (RFC 5246 §6.2.1 allows coalescing). An empty
       * handshake record is not allowed (RFC 8446 §5.1). */
      if (hl_reader_is_empty (r))
        hl_reader_fail (r, HL_PARSE_ERROR_BAD_LENGTH, hl_reader_get_offset (r), "fragment",
                        "a handshake record must not be empty");
      while (dec_more (r))
        {
          decode_one_handshake (r, fragment, context);
          n++;
        }
      hl_field_set_value_printf (fragment, "%u handshake message%s", n, n == 1 ? "" : "s");
      break;

    case HL_CONTENT_ALERT:
      decode_alert_fields (r, fragment, context->tls13);
      break;

    case HL_CONTENT_CHANGE_CIPHER_SPEC:
      decode_ccs_fields (r, fragment);
      break;

    case HL_CONTENT_APPLICATION_DATA:
      f = dec_rest (r, fragment, "encrypted_data", &span);
      dec_annotate (f, "RFC 8446 §5.2",
                    "Application data is always protected; without the keys it is opaque.");
      hl_field_set_value_printf (fragment, "%" G_GSIZE_FORMAT " bytes", span.len);
      break;

    default:
      f = dec_rest (r, fragment, "data", &span);
      dec_annotate (f, NULL, "A content type this decoder does not know, shown raw.");
      dec_set_hex (fragment, &span);
      break;
    }
}

static HlField *
decode_record (GBytes                *record,
               gsize                  base_offset,
               const HlDecodeContext *context,
               GError               **error)
{
  g_auto(HlReader) r = { 0 };
  g_autoptr(HlField) root = NULL;
  HlReader fragment_r;
  HlField *f;
  HlField *fragment;
  guint8 type = 0;
  guint16 version = 0;
  guint16 length = 0;
  gsize length_at;
  const char *type_name;
  const char *rfc;

  hl_reader_init (&r, record, base_offset);
  hl_reader_set_scope (&r, context->protected_record ? "TLSCiphertext" : "TLSPlaintext");

  root = hl_field_new (context->protected_record ? "TLSCiphertext" : "TLSPlaintext",
                       base_offset, g_bytes_get_size (record));
  /* RFC 5246 §6.2.1 defines the TLS 1.2 record, RFC 8446 §5.1 the TLS 1.3 one */
  rfc = context->tls13 ? "RFC 8446 §5.1" : "RFC 5246 §6.2.1";
  dec_annotate (root, rfc,
                context->tls13
                  ? "One TLS record: a 5-byte header (content type, legacy version, length) "
                    "and the fragment it carries."
                  : "One TLS record: a 5-byte header (content type, version, length) and the "
                    "fragment it carries.");

  f = dec_u8 (&r, root, "type", &type);
  type_name = hl_tls_content_type_name (type);
  dec_name8 (f, type_name, type);
  dec_annotate (f, rfc, context->tls13 && context->protected_record
                          ? "Always application_data on a protected TLS 1.3 record: a disguise. "
                            "The real content type is inside, after decryption (RFC 8446 §5.2)."
                          : "What the record carries.");

  f = dec_u16 (&r, root, context->tls13 ? "legacy_record_version" : "version", &version);
  dec_name16 (f, hl_tls_version_name (version), version);
  dec_annotate (f, rfc, context->tls13
                ? "Kept for compatibility: TLS 1.3 writes 0x0303 (TLS 1.2) here, or 0x0301 in "
                "an initial ClientHello; the real version is negotiated in the hellos."
                : "The protocol version of the record layer (0x0303 for TLS 1.2).");

  length_at = hl_reader_get_offset (&r);
  f = dec_u16 (&r, root, "length", &length);
  dec_annotate (f, rfc, "How many bytes of fragment follow the header.");
  if (!hl_reader_has_error (&r) && length > MAX_RECORD_LENGTH)
    hl_reader_fail (&r, HL_PARSE_ERROR_BAD_LENGTH, length_at, "length",
                    "record length %u exceeds the maximum of %u", length, MAX_RECORD_LENGTH);

  hl_reader_read_sub (&r, hl_reader_has_error (&r) ? 0 : length, "fragment", &fragment_r);
  fragment = dec_node (root, "fragment", hl_reader_get_offset (&fragment_r),
                       hl_reader_get_remaining (&fragment_r));
  dec_annotate (fragment, rfc, NULL);
  decode_fragment (&fragment_r, fragment, type, context);
  hl_reader_finish (&fragment_r, "fragment");
  hl_reader_finish (&r, NULL);

  if (hl_reader_propagate_error (&r, error))
    return NULL;

  hl_field_set_value_printf (root, "%s, %u bytes", type_name ? type_name : "unknown", length);
  return g_steal_pointer (&root);
}

/* --- Public API ------------------------------------------------------------------------ */

/**
 * hl_decode_record_full:
 * @record: one whole record: 5-byte header and fragment
 * @base_offset: absolute offset of the record's first byte (e.g. in the direction's stream)
 * @context: (nullable): what the bytes do not say; %NULL for plaintext TLS 1.2 defaults
 * @error: return location for an %HL_PARSE_ERROR
 *
 * Decodes a record. A plaintext handshake record holds one or more whole handshake
 * messages, each decoded; a protected record is shown as opaque ciphertext.
 *
 * Returns: (transfer full) (nullable): the record's field tree, or %NULL on malformed input
 */
HlField *
hl_decode_record_full (GBytes                *record,
                       gsize                  base_offset,
                       const HlDecodeContext *context,
                       GError               **error)
{
  static const HlDecodeContext defaults = { 0 };

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return decode_record (record, base_offset, context != NULL ? context : &defaults, error);
}

/**
 * hl_decode_record:
 * @record: one whole record: 5-byte header and fragment
 * @base_offset: absolute offset of the record's first byte
 * @error: return location for an %HL_PARSE_ERROR
 *
 * Like hl_decode_record_full() for a plaintext record with TLS 1.2 layouts.
 *
 * Returns: (transfer full) (nullable): the record's field tree
 */
HlField *
hl_decode_record (GBytes  *record,
                  gsize    base_offset,
                  GError **error)
{
  return hl_decode_record_full (record, base_offset, NULL, error);
}

/**
 * hl_decode_handshake_full:
 * @message: one handshake message including its 4-byte header
 * @base_offset: absolute offset of the message's first byte
 * @context: (nullable): the connection facts the layout depends on
 * @error: return location for an %HL_PARSE_ERROR
 *
 * Decodes one handshake message. Unknown message types are shown raw, not refused. A
 * ServerHello whose random is the HelloRetryRequest value is named "HelloRetryRequest".
 *
 * Returns: (transfer full) (nullable): the message's field tree
 */
HlField *
hl_decode_handshake_full (GBytes                *message,
                          gsize                  base_offset,
                          const HlDecodeContext *context,
                          GError               **error)
{
  static const HlDecodeContext defaults = { 0 };
  g_auto(HlReader) r = { 0 };
  g_autoptr(HlField) holder = NULL;
  HlField *msg;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (context == NULL)
    context = &defaults;

  hl_reader_init (&r, message, base_offset);
  holder = hl_field_new ("holder", base_offset, g_bytes_get_size (message));
  msg = decode_one_handshake (&r, holder, context);
  hl_reader_finish (&r, hl_field_get_name (msg));

  if (hl_reader_propagate_error (&r, error))
    return NULL;

  return hl_field_ref (msg);
}

/**
 * hl_decode_handshake:
 * @message: one handshake message including its 4-byte header
 * @base_offset: absolute offset of the message's first byte
 * @tls13: whether the connection is TLS 1.3 (Certificate, CertificateRequest and
 *   NewSessionTicket differ)
 * @error: return location for an %HL_PARSE_ERROR
 *
 * Returns: (transfer full) (nullable): the message's field tree
 */
HlField *
hl_decode_handshake (GBytes   *message,
                     gsize     base_offset,
                     gboolean  tls13,
                     GError  **error)
{
  HlDecodeContext context = { 0 };

  context.tls13 = tls13;
  return hl_decode_handshake_full (message, base_offset, &context, error);
}

/**
 * hl_decode_alert:
 * @fragment: the 2-byte alert (a record's plaintext fragment)
 * @base_offset: absolute offset of its first byte
 * @error: return location for an %HL_PARSE_ERROR
 *
 * Returns: (transfer full) (nullable): an "Alert" field with level and description
 */
HlField *
hl_decode_alert (GBytes  *fragment,
                 gsize    base_offset,
                 GError **error)
{
  HlDecodeContext context = { 0 };

  return hl_decode_alert_full (fragment, base_offset, &context, error);
}

/**
 * hl_decode_alert_full:
 * @context: what the bytes do not say (its @tls13 picks the RFC the fields refer to)
 *
 * hl_decode_alert() for a connection of a known version.
 */
HlField *
hl_decode_alert_full (GBytes                *fragment,
                      gsize                  base_offset,
                      const HlDecodeContext *context,
                      GError               **error)
{
  g_auto(HlReader) r = { 0 };
  g_autoptr(HlField) node = NULL;

  g_return_val_if_fail (fragment != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);

  hl_reader_init (&r, fragment, base_offset);
  hl_reader_set_scope (&r, "Alert");
  node = hl_field_new ("Alert", base_offset, g_bytes_get_size (fragment));
  dec_annotate (node, alert_rfc (context->tls13),
                "A warning or the reason the connection is closed.");
  decode_alert_fields (&r, node, context->tls13);
  hl_reader_finish (&r, NULL);

  if (hl_reader_propagate_error (&r, error))
    return NULL;
  return g_steal_pointer (&node);
}

/**
 * hl_decode_ccs:
 * @fragment: the 1-byte ChangeCipherSpec fragment
 * @base_offset: absolute offset of its first byte
 * @error: return location for an %HL_PARSE_ERROR
 *
 * Returns: (transfer full) (nullable): a "ChangeCipherSpec" field
 */
HlField *
hl_decode_ccs (GBytes  *fragment,
               gsize    base_offset,
               GError **error)
{
  g_auto(HlReader) r = { 0 };
  g_autoptr(HlField) node = NULL;

  g_return_val_if_fail (fragment != NULL, NULL);

  hl_reader_init (&r, fragment, base_offset);
  hl_reader_set_scope (&r, "ChangeCipherSpec");
  node = hl_field_new ("ChangeCipherSpec", base_offset, g_bytes_get_size (fragment));
  dec_annotate (node, "RFC 5246 §7.1", NULL);
  decode_ccs_fields (&r, node);
  hl_reader_finish (&r, NULL);

  if (hl_reader_propagate_error (&r, error))
    return NULL;
  return g_steal_pointer (&node);
}

static gsize
u24_at (const guint8 *p, gsize len, gsize at)
{
  return at + 3 <= len ? (gsize) p[at] << 16 | (gsize) p[at + 1] << 8 | p[at + 2] : 0;
}

static gsize
u16_at (const guint8 *p, gsize len, gsize at)
{
  return at + 2 <= len ? (gsize) p[at] << 8 | p[at + 1] : 0;
}

/* TLS 1.3 Certificate: the status_request extension of the first CertificateEntry,
 * { cert_data<3>, extensions<2> { type(2), data<2> { status_type(1), response<3> } } }. */
static gsize
entry_ocsp_size (const guint8 *body, gsize n)
{
  gsize at = n > 0 ? 1 + (gsize) body[0] + 3 : 0;
  gsize ext_end;

  if (at == 0 || at + 3 > n)
    return 0;
  at += 3 + u24_at (body, n, at);
  ext_end = at + 2 + u16_at (body, n, at);
  at += 2;
  while (at + 4 <= MIN (ext_end, n))
    {
      gsize type = u16_at (body, n, at);
      gsize ext_len = u16_at (body, n, at + 2);

      if (type == 5 && ext_len >= 4 && at + 5 < n && body[at + 4] == 1)
        return u24_at (body, n, at + 5);
      at += 4 + ext_len;
    }
  return 0;
}

HlInnerSizes
hl_decoder_inner_sizes (const guint8 *message, gsize len, gboolean tls13)
{
  HlInnerSizes sizes = { 0, 0, 0, 0 };
  const guint8 *body = message + 4;
  gsize n;

  if (message == NULL || len < 4)
    return sizes;
  n = len - 4;
  switch (message[0])
    {
    case 11:
      /* [context<0..255>] certificate_list<3> { cert_data<3> … } */
      sizes.certificate = u24_at (body, n, (tls13 ? (n > 0 ? 1 + (gsize) body[0] : 0) : 0) + 3);
      if (tls13)
        sizes.ocsp = entry_ocsp_size (body, n);
      break;
    case 22:
      /* status_type (1 = ocsp), response<3> */
      sizes.ocsp = n > 0 && body[0] == 1 ? u24_at (body, n, 1) : 0;
      break;
    case 12:
      /* curve_type, named_curve, point<1..255> */
      sizes.point = n > 3 && body[0] == 3 ? body[3] : 0;
      break;
    case 16:
      /* ECDHE: point<1..255>; RSA's 2-byte length prefix makes n - 1 ≠ body[0] */
      sizes.point = n > 1 && (gsize) body[0] == n - 1 ? n - 1 : 0;
      break;
    case 4:
      if (!tls13)
        sizes.ticket = u16_at (body, n, 4);
      else if (n >= 9)
        sizes.ticket = u16_at (body, n, 9 + (gsize) body[8]);
      break;
    default:
      break;
    }
  return sizes;
}

/* ALPN without a field tree (RFC 7301 §3.1): the engine asks for it after every handshake, and
 * decoding a whole hello for one extension costs more than the rest of its bookkeeping. The
 * reads below are the ones the message decoders make, in the same order and with the same
 * bounds, so that a message they refuse is refused here too. */

/* `ProtocolName protocol_name_list<2..2^16-1>` filling @data exactly; the non-empty names go
 * into @names (when not NULL), as ext_alpn() shows them. */
static void
read_alpn_list (HlReader *data,
                GString  *names)
{
  HlReader list;

  hl_reader_read_vector16 (data, "protocol_name_list", &list);
  while (!hl_reader_has_error (&list) && !hl_reader_is_empty (&list))
    {
      HlReader name_r;
      HlSpan name = { NULL, 0, 0 };

      hl_reader_read_vector8 (&list, "protocol_name", &name_r);
      if (hl_reader_read_rest (&name_r, "data", &name) && name.len > 0 && names != NULL)
        {
          g_autofree char *valid = g_utf8_make_valid ((const char *) name.data,
                                                      (gssize) name.len);

          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, valid);
        }
    }
  hl_reader_finish (data, "extension_data");
}

/* `Extension extensions<0..2^16-1>`: every extension's framing, and the contents of the ALPN
 * ones (the first is the one a field search finds); returns its names, or NULL. */
static GString *
read_extensions_alpn (HlReader *r)
{
  HlReader list;
  GString *names = NULL;

  hl_reader_read_vector16 (r, "extensions", &list);
  while (!hl_reader_has_error (&list) && !hl_reader_is_empty (&list))
    {
      HlReader data;
      guint16 type = 0;

      hl_reader_read_u16 (&list, "extension_type", &type);
      hl_reader_read_vector16 (&list, "extension_data", &data);
      if (hl_reader_has_error (&list) || type != 16)
        continue;
      if (names == NULL)
        read_alpn_list (&data, names = g_string_new (NULL));
      else
        read_alpn_list (&data, NULL);
    }
  hl_reader_finish (&list, "extensions");
  return names;
}

/**
 * hl_decoder_alpn:
 * @message: a ClientHello, ServerHello (or HelloRetryRequest) or EncryptedExtensions,
 *   4-byte header first
 *
 * The application protocols its ALPN extension names, joined by ", " ("h2, http/1.1"), as
 * hl_decode_handshake() shows them in the extension's value — without building the field tree.
 * Only the framing of the other extensions is read, not their contents: for a message whose
 * only fault lies inside another extension, the full decoder refuses the message and this
 * still answers.
 *
 * Returns: (transfer full) (nullable): the names, or %NULL when the message has no ALPN
 *   extension, is of another type or does not parse
 */
char *
hl_decoder_alpn (GBytes *message)
{
  g_auto(HlReader) r = { 0 };
  HlReader body, sub;
  HlSpan skipped;
  GString *names = NULL;
  guint8 type = 0;
  guint32 length = 0;

  g_return_val_if_fail (message != NULL, NULL);

  hl_reader_init (&r, message, 0);
  hl_reader_read_u8 (&r, "msg_type", &type);
  hl_reader_read_u24 (&r, "length", &length);
  hl_reader_read_sub (&r, hl_reader_has_error (&r) ? 0 : length, "body", &body);
  switch (type)
    {
    case 1:
      /* version, random, session_id<0..32>, cipher_suites<2..2^16-2>, compression<1..2^8-1>
       * (RFC 8446 §4.1.2); each suite is read as a u16, so an odd count of bytes fails */
      hl_reader_read_bytes (&body, 2 + 32, "random", &skipped);
      hl_reader_read_vector8 (&body, "session_id", &sub);
      hl_reader_read_vector16 (&body, "cipher_suites", &sub);
      if (!hl_reader_has_error (&body) && hl_reader_get_remaining (&sub) % 2 != 0)
        hl_reader_fail (&sub, HL_PARSE_ERROR_TRUNCATED, hl_reader_get_end (&sub) - 1,
                        "cipher_suite", "a cipher suite is cut short");
      hl_reader_read_vector8 (&body, "compression_methods", &sub);
      break;
    case 2:
      /* version, random, session_id<0..32>, cipher_suite, compression_method (§4.1.3) */
      hl_reader_read_bytes (&body, 2 + 32, "random", &skipped);
      hl_reader_read_vector8 (&body, "session_id", &sub);
      hl_reader_read_bytes (&body, 2 + 1, "cipher_suite", &skipped);
      break;
    case 8:
      break;
    default:
      return NULL;
    }
  /* the hellos may end before their extensions (RFC 5246 §7.4.1.2); EncryptedExtensions not */
  if (type == 8 || (!hl_reader_has_error (&body) && !hl_reader_is_empty (&body)))
    names = read_extensions_alpn (&body);
  hl_reader_finish (&body, "body");
  hl_reader_finish (&r, NULL);
  if (hl_reader_has_error (&r))
    {
      if (names != NULL)
        g_string_free (names, TRUE);
      return NULL;
    }
  return names != NULL ? g_string_free (names, FALSE) : NULL;
}
