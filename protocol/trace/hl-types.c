/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-types"
#include "config.h"

#include "hl-tls-names.h"
#include "hl-types.h"

/* One table per enum: the string is the serialised form (trace JSON, CLI), so keep them stable. */

static const char *const side_names[] = { "client", "server", "ca", "both", "none", "attacker" };
static const char *const side_labels[] = { "Client", "Server", "Certificate Authority", "Both", "",
                                           "Attacker" };
static const char *const kind_names[] = { "record", "message", "action", "alert", "app-data", "note" };
static const char *const epoch_names[] = { "plaintext", "handshake", "application" };
static const char *const check_names[] = { "none", "ok", "failed" };
static const char *const source_names[] = { "library", "decrypted", "derived", "wire" };
static const char *const moment_names[] = { "none", "processed", "sent", "unread" };

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

DEFINE_ENUM_STRINGS (HlSide, hl_side, side_names, HL_SIDE_ATTACKER)
DEFINE_ENUM_STRINGS (HlEventKind, hl_event_kind, kind_names, HL_EVENT_NOTE)
DEFINE_ENUM_STRINGS (HlEpoch, hl_epoch, epoch_names, HL_EPOCH_APPLICATION)
DEFINE_ENUM_STRINGS (HlCheck, hl_check, check_names, HL_CHECK_FAILED)
DEFINE_ENUM_STRINGS (HlSource, hl_source, source_names, HL_SOURCE_WIRE)
DEFINE_ENUM_STRINGS (HlMoment, hl_moment, moment_names, HL_MOMENT_UNREAD)

const char *
hl_side_to_label (HlSide side)
{
  g_return_val_if_fail ((guint) side <= HL_SIDE_ATTACKER, "");
  return side_labels[side];
}

HlSide
hl_side_get_role (HlSide side, guint handshake)
{
  if (side != HL_SIDE_ATTACKER)
    return side;
  return handshake == 0 ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
}

/* The IANA names live in hl-tls-names.c, shared with the decoder. */

const char *
hl_content_type_name (guint content_type)
{
  return content_type <= G_MAXUINT8 ? hl_tls_content_type_name (content_type) : NULL;
}

const char *
hl_handshake_type_name (guint type)
{
  return type <= G_MAXUINT8 ? hl_tls_handshake_message_name (type) : NULL;
}

const char *
hl_alert_description_name (guint desc)
{
  return desc <= G_MAXUINT8 ? hl_tls_alert_description_name (desc) : NULL;
}
