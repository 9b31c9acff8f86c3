/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include "hl-decoder-private.h"

/*
 * ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), ServerHello and HelloRetryRequest
 * (RFC 8446 §4.1.3, §4.1.4, RFC 5246 §7.4.1.3) and EncryptedExtensions (RFC 8446 §4.3.1).
 * The fields carry the names and the section of the version the connection speaks: RFC 5246
 * says client_version, session_id and compression_methods where RFC 8446, which keeps them
 * only for compatibility, says legacy_version, legacy_session_id and
 * legacy_compression_methods.
 */

/* The section defining the hello, by version: the client's or the server's. */
static const char *
hello_rfc (const HlDecodeContext *context, gboolean client)
{
  if (context->tls13)
    return client ? "RFC 8446 §4.1.2" : "RFC 8446 §4.1.3";
  return client ? "RFC 5246 §7.4.1.2" : "RFC 5246 §7.4.1.3";
}

/* RFC 8446 §4.1.3: a TLS 1.3 server negotiating an older version puts one of these in the
 * last 8 bytes of its random, so a client that supports 1.3 can detect a downgrade. */
static const guint8 downgrade_tls12[8] = { 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01 };
static const guint8 downgrade_tls11[8] = { 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00 };

/* RFC 8446 §4.1.3: the sentinel is the last 8 bytes of ServerHello.random. A client that
 * offered TLS 1.3 and finds it must abort with illegal_parameter; a client that offered only
 * what the server picked was not downgraded and goes on. */
static void
decode_downgrade_sentinel (HlField      *random_field,
                           const HlSpan *random)
{
  HlSpan last8 = { random->data + 24, 8, random->offset + 24 };
  gboolean tls12 = hl_span_equal (&last8, downgrade_tls12, 8);
  HlField *f;

  if (!tls12 && !hl_span_equal (&last8, downgrade_tls11, 8))
    return;
  f = dec_node (random_field, "downgrade_sentinel", last8.offset, 8);
  hl_field_set_value (f, tls12 ? "DOWNGRD 01" : "DOWNGRD 00");
  dec_annotate (f, "RFC 8446 §4.1.3",
                tls12 ? "DOWNGRD 01: this server speaks TLS 1.3 but negotiated TLS 1.2. A client "
                        "that offered TLS 1.3 must abort with illegal_parameter here: someone "
                        "removed its offer. A client that offered only TLS 1.2 goes on."
                      : "DOWNGRD 00: this server speaks TLS 1.3 (or 1.2) but negotiated TLS 1.1 "
                        "or older. A client that offered more must abort with "
                        "illegal_parameter.");
}

static void
decode_version (HlReader              *r,
                HlField               *msg,
                const HlDecodeContext *context,
                gboolean               client)
{
  HlField *f;
  guint16 version = 0;

  if (context->tls13)
    {
      f = dec_u16 (r, msg, "legacy_version", &version);
      dec_annotate (f, hello_rfc (context, client),
                    "Frozen at 0x0303 (TLS 1.2) for compatibility: TLS 1.3 negotiates the real "
                    "version in the supported_versions extension.");
    }
  else
    {
      f = dec_u16 (r, msg, client ? "client_version" : "server_version", &version);
      dec_annotate (f, hello_rfc (context, client),
                    client ? "The highest version the client supports."
                           : "The version the server chose: the highest both support.");
    }
  dec_name16 (f, hl_tls_version_name (version), version);
}

static void
decode_session_id (HlReader              *r,
                   HlField               *msg,
                   const HlDecodeContext *context,
                   gboolean               client)
{
  HlField *f;
  HlSpan id;

  f = dec_opaque (r, msg, context->tls13 ? "legacy_session_id" : "session_id", 1, &id);
  if (context->tls13)
    dec_annotate (f, hello_rfc (context, client),
                  "Kept for middlebox compatibility: a TLS 1.3 client sends 32 random bytes "
                  "here and the server echoes them. TLS 1.3 resumes with a PSK instead.");
  else
    dec_annotate (f, hello_rfc (context, client),
                  client ? "The ID of a session the client wants to resume, or empty."
                         : "The ID under which the server keeps this session for resumption "
                           "(empty: it will not; with a ticket the client resumes by the "
                           "ticket instead, RFC 5077 §3.4).");
  if (id.len == 0)
    hl_field_set_value (f, "(empty)");
}

void
hl_decode_client_hello (HlReader              *r,
                        HlField               *msg,
                        const HlDecodeContext *context)
{
  HlReader sub;
  HlField *f;
  HlField *list;
  guint n;

  decode_version (r, msg, context, TRUE);

  f = dec_bytes (r, msg, "random", 32, NULL);
  dec_annotate (f, hello_rfc (context, TRUE),
                "32 bytes from a secure random generator. Both randoms go into the key "
                "derivation so every connection gets fresh keys.");

  decode_session_id (r, msg, context, TRUE);

  list = dec_vector (r, msg, "cipher_suites", 2, &sub);
  dec_annotate (list, hello_rfc (context, TRUE),
                "The cipher suites the client supports, most preferred first.");
  n = 0;
  while (dec_more (&sub))
    {
      guint16 suite = 0;

      f = dec_u16 (&sub, list, "cipher_suite", &suite);
      dec_name16 (f, hl_tls_cipher_suite_name (suite), suite);
      n++;
    }
  dec_set_count (list, n, "suite", "suites");

  list = dec_vector (r, msg, context->tls13 ? "legacy_compression_methods"
                                            : "compression_methods", 1, &sub);
  dec_annotate (list, hello_rfc (context, TRUE),
                "Compression is no longer used (CRIME attack); clients send only null (0).");
  n = 0;
  while (dec_more (&sub))
    {
      guint8 method = 0;

      f = dec_u8 (&sub, list, "compression_method", &method);
      dec_name8 (f, hl_tls_compression_name (method), method);
      n++;
    }
  dec_set_count (list, n, "method", "methods");

  /* RFC 5246 §7.4.1.2: a TLS 1.2 ClientHello may end without an extensions block. */
  if (dec_more (r))
    hl_decode_extensions (r, msg, HL_EXT_CLIENT_HELLO, context);
}

void
hl_decode_server_hello (HlReader              *r,
                        HlField               *msg,
                        const HlDecodeContext *context)
{
  HlField *f;
  HlSpan random = { NULL, 0, 0 };
  guint16 suite = 0;
  guint8 method = 0;
  gboolean hrr;

  decode_version (r, msg, context, FALSE);

  f = dec_bytes (r, msg, "random", 32, &random);
  hrr = hl_decoder_is_hello_retry_random (random.data, random.len);
  if (hrr)
    {
      hl_field_set_value (f, "HelloRetryRequest (SHA-256 of \"HelloRetryRequest\")");
      dec_annotate (f, "RFC 8446 §4.1.3",
                    "This fixed value marks the message as a HelloRetryRequest: the server "
                    "cannot use any key share the client sent and asks it to try again "
                    "with the group named in key_share.");
    }
  else
    {
      dec_annotate (f, hello_rfc (context, FALSE),
                    "32 bytes from the server's random generator; with the client random it "
                    "makes every connection's keys unique.");
      if (random.len == 32)
        decode_downgrade_sentinel (f, &random);
    }

  decode_session_id (r, msg, context, FALSE);

  f = dec_u16 (r, msg, "cipher_suite", &suite);
  dec_name16 (f, hl_tls_cipher_suite_name (suite), suite);
  dec_annotate (f, hello_rfc (context, FALSE),
                "The one cipher suite the server picked from the client's list.");

  f = dec_u8 (r, msg, context->tls13 ? "legacy_compression_method" : "compression_method",
              &method);
  dec_name8 (f, hl_tls_compression_name (method), method);
  dec_annotate (f, hello_rfc (context, FALSE), "Always null (0).");

  if (dec_more (r))
    hl_decode_extensions (r, msg,
                          hrr ? HL_EXT_HELLO_RETRY_REQUEST : HL_EXT_SERVER_HELLO, context);

  hl_field_set_value (msg, hl_tls_cipher_suite_name (suite));
}

void
hl_decode_encrypted_extensions (HlReader              *r,
                                HlField               *msg,
                                const HlDecodeContext *context)
{
  hl_decode_extensions (r, msg, HL_EXT_ENCRYPTED_EXTENSIONS, context);
}
