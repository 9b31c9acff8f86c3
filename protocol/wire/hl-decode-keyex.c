/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include "hl-decoder-private.h"

/*
 * TLS 1.2 ServerKeyExchange (RFC 8422 §5.4 for ECDHE, RFC 5246 §7.4.3 for DHE) and
 * ClientKeyExchange (RFC 5246 §7.4.7.1 for RSA, RFC 8422 §5.7 for ECDHE, RFC 5246 §7.4.7.2
 * for DHE). The messages do not say which key exchange they belong to; the context does,
 * and when it does not, the layout is recognised from the lengths.
 */

/* RFC 8422 §5.4: ECCurveType named_curve. */
#define CURVE_TYPE_NAMED_CURVE 3

static void
decode_signature (HlReader *r,
                  HlField  *msg)
{
  HlField *f;
  guint16 scheme = 0;

  f = dec_u16 (r, msg, "signature_algorithm", &scheme);
  dec_name16 (f, hl_tls_signature_scheme_name (scheme), scheme);
  dec_annotate (f, "RFC 5246 §7.4.1.4.1", "Hash and signature algorithm of the signature.");

  f = dec_opaque (r, msg, "signature", 2, NULL);
  dec_annotate (f, "RFC 8422 §5.4",
                "The server's signature over client_random, server_random and the "
                "parameters above, made with its certificate key: it proves the ephemeral "
                "key comes from the certificate holder.");
}

static void
decode_ecdhe_params (HlReader *r,
                     HlField  *msg)
{
  HlField *f;
  HlSpan point;
  guint16 curve = 0;
  guint8 type = 0;
  gsize at = hl_reader_get_offset (r);

  f = dec_u8 (r, msg, "curve_type", &type);
  dec_name8 (f, type == CURVE_TYPE_NAMED_CURVE ? "named_curve" : NULL, type);
  dec_annotate (f, "RFC 8422 §5.4", "How the curve is given: named_curve (3) is the only "
                                    "type still allowed.");
  if (!hl_reader_has_error (r) && type != CURVE_TYPE_NAMED_CURVE)
    {
      hl_reader_fail (r, HL_PARSE_ERROR_BAD_VALUE, at, "curve_type",
                      "only named_curve (3) is supported, found %u", type);
      return;
    }

  f = dec_u16 (r, msg, "named_curve", &curve);
  dec_name16 (f, hl_tls_group_name (curve), curve);
  dec_annotate (f, "RFC 8422 §5.4", "The group of the server's ephemeral key.");

  f = dec_opaque (r, msg, "public", 1, &point);
  dec_annotate (f, "RFC 8422 §5.4",
                "The server's ephemeral public key (X25519: 32 bytes; NIST curves: 0x04 "
                "then X and Y).");

  hl_field_set_value_printf (msg, "ECDHE %s, %" G_GSIZE_FORMAT "-byte public key",
                             hl_tls_group_name (curve) ? hl_tls_group_name (curve)
                                                       : "unknown group",
                             point.len);
}

static void
decode_dhe_params (HlReader *r,
                   HlField  *msg)
{
  HlField *f;
  HlSpan p;

  f = dec_opaque (r, msg, "dh_p", 2, &p);
  dec_annotate (f, "RFC 5246 §7.4.3", "The prime modulus of the Diffie-Hellman group.");
  f = dec_opaque (r, msg, "dh_g", 2, NULL);
  dec_annotate (f, "RFC 5246 §7.4.3", "The generator.");
  f = dec_opaque (r, msg, "dh_Ys", 2, NULL);
  dec_annotate (f, "RFC 5246 §7.4.3", "The server's ephemeral public value g^Xs mod p.");
  hl_field_set_value_printf (msg, "DHE, %" G_GSIZE_FORMAT "-bit group", p.len * 8);
}

void
hl_decode_server_key_exchange (HlReader              *r,
                               HlField               *msg,
                               const HlDecodeContext *context)
{
  guint8 first = 0;

  if (context->key_exchange == HL_KEY_EXCHANGE_DHE)
    decode_dhe_params (r, msg);
  else if (context->key_exchange == HL_KEY_EXCHANGE_ECDHE)
    decode_ecdhe_params (r, msg);
  else if (hl_reader_peek_u8 (r, "curve_type", &first) && first == CURVE_TYPE_NAMED_CURVE)
    decode_ecdhe_params (r, msg);
  else
    {
      HlField *f = dec_rest (r, msg, "params", NULL);

      dec_annotate (f, "RFC 5246 §7.4.3",
                    "Key-exchange parameters of a kind this decoder was not told about.");
      return;
    }

  decode_signature (r, msg);
}

/*
 * Without context: RSA puts a 2-byte length equal to the rest of the body (RFC 5246
 * §7.4.7.1), ECDHE a 1-byte one (RFC 8422 §5.7); DHE's 2-byte length looks like RSA's and
 * needs the context.
 */
static HlKeyExchange
guess_client_kx (HlReader *r)
{
  gsize left = hl_reader_get_remaining (r);
  guint32 prefix = 0;

  if (left >= 2 && hl_reader_peek_uint (r, 0, 2, &prefix) && prefix == left - 2)
    return HL_KEY_EXCHANGE_RSA;
  if (left >= 1 && hl_reader_peek_uint (r, 0, 1, &prefix) && prefix == left - 1)
    return HL_KEY_EXCHANGE_ECDHE;
  return HL_KEY_EXCHANGE_UNKNOWN;
}

void
hl_decode_client_key_exchange (HlReader              *r,
                               HlField               *msg,
                               const HlDecodeContext *context)
{
  HlKeyExchange kx = context->key_exchange;
  HlField *f;
  HlSpan value;

  if (kx == HL_KEY_EXCHANGE_UNKNOWN)
    kx = guess_client_kx (r);

  switch (kx)
    {
    case HL_KEY_EXCHANGE_RSA:
      f = dec_opaque (r, msg, "encrypted_pre_master_secret", 2, &value);
      dec_annotate (f, "RFC 5246 §7.4.7.1",
                    "48 bytes (the client's version, 0x0303, and 46 random bytes) encrypted "
                    "with the server's RSA public key (PKCS #1 v1.5). Only the server's "
                    "private key can decrypt it; anyone who later obtains that key can too, "
                    "which is why RSA key exchange has no forward secrecy.");
      hl_field_set_value_printf (msg, "RSA, %" G_GSIZE_FORMAT "-byte encrypted premaster",
                                 value.len);
      break;

    case HL_KEY_EXCHANGE_ECDHE:
      f = dec_opaque (r, msg, "ecdh_Yc", 1, &value);
      dec_annotate (f, "RFC 8422 §5.7",
                    "The client's ephemeral public key on the server's curve. Both sides "
                    "combine it with their own private key into the premaster secret.");
      hl_field_set_value_printf (msg, "ECDHE, %" G_GSIZE_FORMAT "-byte public key", value.len);
      break;

    case HL_KEY_EXCHANGE_DHE:
      f = dec_opaque (r, msg, "dh_Yc", 2, &value);
      dec_annotate (f, "RFC 5246 §7.4.7.2", "The client's public value g^Xc mod p.");
      break;

    case HL_KEY_EXCHANGE_UNKNOWN:
    default:
      f = dec_rest (r, msg, "exchange_keys", NULL);
      dec_annotate (f, "RFC 5246 §7.4.7",
                    "Key-exchange data whose layout the bytes do not reveal.");
      break;
    }
}
