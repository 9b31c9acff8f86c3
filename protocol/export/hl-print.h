/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hl-trace.h"

G_BEGIN_DECLS

typedef enum
{
  HL_PRINT_DEFAULT = 0,
  HL_PRINT_VERBOSE = 1 << 0, /* decoded field trees and the key schedule */
} HlPrintFlags;

/* The annotated trace as text: one line per event (number, side, kind, name, length, caption),
 * then negotiated parameters, verification results, and every secret with its length and hex. */
char *hl_trace_dup_text (HlTrace *trace, HlPrintFlags flags);

/* Lowercase hex of @bytes (NULL gives ""). */
char *hl_bytes_to_hex (GBytes *bytes);

/* When the event stands (the "when" column): "processed", "sent", "sent · never read", or "" for
 * local steps; with the sending time where it differs from the time shown. Newly allocated. */
char *hl_event_dup_when (HlEvent *event);

/* The keys that protect @event, in the words each version teaches: "session keys" (TLS 1.2),
 * "handshake traffic keys" and "application traffic keys" (TLS 1.3), or "plaintext". */
const char *hl_event_keys_text (HlTrace *trace, HlEvent *event);

/* What a negotiated parameter set says, honestly for handshakes that did not finish: the
 * version ("not negotiated (the client offered TLS1.2)" when no ServerHello was sent), EMS/ETM
 * ("not applicable" in TLS 1.3, "not reached" when unfinished) and a yes/no fact ("not reached"
 * when unfinished). Newly allocated / static. */
char       *hl_negotiated_dup_version_text (HlTrace *trace, const HlNegotiated *neg);
char       *hl_negotiated_dup_ems_etm_text (const HlNegotiated *neg);
const char *hl_negotiated_flag_text (const HlNegotiated *neg, gboolean value);
/* The selected application protocol (ALPN), "none selected" or "not reached". */
const char *hl_negotiated_alpn_text (const HlNegotiated *neg);

/* The key exchange, group and session ID of a connection, never a value it did not use: a
 * resumed TLS 1.2 handshake has no key exchange, so no group; the session ID is the
 * ServerHello's, "empty (the server sent a ticket)" when it was empty, "not used" in TLS 1.3.
 * Newly allocated. */
char       *hl_negotiated_dup_kx_text (const HlNegotiated *neg);
char       *hl_negotiated_dup_group_text (const HlNegotiated *neg);
char       *hl_negotiated_dup_session_id_text (HlTrace *trace, const HlNegotiated *neg);

G_END_DECLS
