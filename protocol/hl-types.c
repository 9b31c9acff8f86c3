/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-types"
#include "config.h"

#include "hl-types.h"

/* One table per enum: the string is the serialised form (trace JSON, CLI), so keep them stable. */

static const char *const side_names[] = { "client", "server", "ca", "both", "none" };
static const char *const side_labels[] = { "Client", "Server", "Certificate Authority", "Both", "" };
static const char *const kind_names[] = { "record", "message", "action", "alert", "app-data", "note" };
static const char *const epoch_names[] = { "plaintext", "handshake", "application" };
static const char *const check_names[] = { "none", "ok", "failed" };
static const char *const source_names[] = { "library", "decrypted", "derived", "wire" };

static gboolean
lookup (const char *const *table, guint n, const char *str, int *out)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_str_equal (table[i], str))
      {
        *out = (int) i;
        return TRUE;
      }
  return FALSE;
}

#define DEFINE_ENUM_STRINGS(Type, prefix, table, last)                                         \
  const char *prefix##_to_string (Type value)                                                  \
  {                                                                                            \
    g_return_val_if_fail ((guint) value <= (guint) last, "");                                  \
    return table[value];                                                                       \
  }                                                                                            \
  gboolean prefix##_from_string (const char *str, Type *out)                                   \
  {                                                                                            \
    int v;                                                                                     \
    if (!lookup (table, G_N_ELEMENTS (table), str, &v))                                        \
      return FALSE;                                                                            \
    *out = (Type) v;                                                                           \
    return TRUE;                                                                               \
  }

DEFINE_ENUM_STRINGS (HlSide, hl_side, side_names, HL_SIDE_NONE)
DEFINE_ENUM_STRINGS (HlEventKind, hl_event_kind, kind_names, HL_EVENT_NOTE)
DEFINE_ENUM_STRINGS (HlEpoch, hl_epoch, epoch_names, HL_EPOCH_APPLICATION)
DEFINE_ENUM_STRINGS (HlCheck, hl_check, check_names, HL_CHECK_FAILED)
DEFINE_ENUM_STRINGS (HlSource, hl_source, source_names, HL_SOURCE_WIRE)

const char *
hl_side_to_label (HlSide side)
{
  g_return_val_if_fail ((guint) side <= HL_SIDE_NONE, "");
  return side_labels[side];
}

const char *
hl_content_type_name (guint content_type)
{
  switch (content_type)
    {
    case 20: return "change_cipher_spec";
    case 21: return "alert";
    case 22: return "handshake";
    case 23: return "application_data";
    case 24: return "heartbeat";
    default: return NULL;
    }
}

/* IANA TLS HandshakeType registry */
const char *
hl_handshake_type_name (guint type)
{
  switch (type)
    {
    case 0: return "HelloRequest";
    case 1: return "ClientHello";
    case 2: return "ServerHello";
    case 4: return "NewSessionTicket";
    case 5: return "EndOfEarlyData";
    case 8: return "EncryptedExtensions";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 16: return "ClientKeyExchange";
    case 20: return "Finished";
    case 22: return "CertificateStatus";
    case 24: return "KeyUpdate";
    case 254: return "message_hash";
    default: return NULL;
    }
}

/* IANA TLS Alert Descriptions registry */
const char *
hl_alert_description_name (guint desc)
{
  switch (desc)
    {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 21: return "decryption_failed";
    case 22: return "record_overflow";
    case 30: return "decompression_failure";
    case 40: return "handshake_failure";
    case 41: return "no_certificate";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 60: return "export_restriction";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 111: return "certificate_unobtainable";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 114: return "bad_certificate_hash_value";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return NULL;
    }
}
