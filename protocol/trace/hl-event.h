/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hl-types.h"

G_BEGIN_DECLS

#define HL_TYPE_EVENT (hl_event_get_type ())
G_DECLARE_FINAL_TYPE (HlEvent, hl_event, HL, EVENT, GObject)

/**
 * HlEvent:
 * One step of a trace. Immutable once its trace is finished.
 *
 * - record: bytes on the wire (the whole record, 5-byte header included); `side` sent it to `peer`.
 * - message: a handshake message, bytes = 4-byte header + body (plaintext, even when it travelled
 *   encrypted); `record` is the index of the first record event that carried it, or -1.
 *   ChangeCipherSpec and alerts are also messages (taken from the wire / from the engine).
 * - action: a local step on `side`'s lifeline; `check` tells its outcome where it is a check.
 * - alert: an alert sent by `side` (bytes = level, description).
 * - app-data: application data plaintext sent by `side`.
 * - note: a remark that belongs to no exchange (e.g. a value the library does not expose).
 *
 * Order: a trace lists its events in causal order. A wire item stands where its receiver
 * processed it (the receiver's incoming hook for a handshake message; the moment its record
 * was read for ChangeCipherSpec, alerts and application data), so what a side does with a
 * message follows the message; items a receiver never read, and items sent to a remote peer,
 * stand where they were sent.
 */

guint        hl_event_get_index (HlEvent *self);
HlEventKind  hl_event_get_kind (HlEvent *self);
HlSide       hl_event_get_side (HlEvent *self);
HlSide       hl_event_get_peer (HlEvent *self);
/* The TLS role (client or server) its side and its peer play on its connection: the same as
 * the sides, except for the attacker (hl_side_get_role()). */
HlSide       hl_event_get_role (HlEvent *self);
HlSide       hl_event_get_peer_role (HlEvent *self);
guint        hl_event_get_handshake (HlEvent *self);
/* When the event stands in the trace (µs on the trace's clock): for a wire item, the moment
 * hl_event_get_moment() names; for an action, when it happened. */
gint64       hl_event_get_timestamp (HlEvent *self);
/* Which moment of a wire item the trace shows it at, and when it was sent (-1: unknown, e.g.
 * sent by a remote peer, or not a wire item). */
HlMoment     hl_event_get_moment (HlEvent *self);
gint64       hl_event_get_sent_timestamp (HlEvent *self);
const char  *hl_event_get_name (HlEvent *self);
const char  *hl_event_get_caption (HlEvent *self);
const char  *hl_event_get_technical (HlEvent *self);
GBytes      *hl_event_get_bytes (HlEvent *self);
gsize        hl_event_get_length (HlEvent *self);
HlEpoch      hl_event_get_epoch (HlEvent *self);
guint        hl_event_get_content_type (HlEvent *self);
int          hl_event_get_handshake_type (HlEvent *self);
int          hl_event_get_record (HlEvent *self);
/* Attack scenarios: the index of the event of the other connection whose content this one
 * passes on (the attacker relays what it read on one connection to the other), or -1. */
int          hl_event_get_forwarded (HlEvent *self);
guint        hl_event_get_alert_level (HlEvent *self);
guint        hl_event_get_alert_description (HlEvent *self);
HlCheck      hl_event_get_check (HlEvent *self);
GBytes      *hl_event_get_plaintext (HlEvent *self);
/* The content type found inside a decrypted record (TLS 1.3: the inner type of RFC 8446 §5.2;
 * TLS 1.2: the header's), or 0 when the record was not decrypted. */
guint        hl_event_get_inner_type (HlEvent *self);

G_END_DECLS
