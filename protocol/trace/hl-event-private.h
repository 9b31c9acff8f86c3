/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Builder API for protocol/ code that creates events (engine, trace I/O). Not for the UI. */

#include "hl-event.h"

G_BEGIN_DECLS

HlEvent *hl_event_new (HlEventKind kind, HlSide side, HlSide peer, const char *name);

void hl_event_set_index (HlEvent *self, guint index);
void hl_event_set_handshake (HlEvent *self, guint handshake);
void hl_event_set_timestamp (HlEvent *self, gint64 timestamp);
void hl_event_set_moment (HlEvent *self, HlMoment moment, gint64 sent_timestamp);
void hl_event_set_name (HlEvent *self, const char *name);
void hl_event_set_caption (HlEvent *self, const char *caption);
void hl_event_set_technical (HlEvent *self, const char *technical);
void hl_event_set_bytes (HlEvent *self, GBytes *bytes);
void hl_event_set_epoch (HlEvent *self, HlEpoch epoch);
void hl_event_set_content_type (HlEvent *self, guint content_type);
void hl_event_set_handshake_type (HlEvent *self, int handshake_type);
void hl_event_set_record (HlEvent *self, int record);
/* Who sent it and to whom (the attack scenarios name the attacker once a run is over). */
void hl_event_set_sides (HlEvent *self, HlSide side, HlSide peer);
void hl_event_set_forwarded (HlEvent *self, int forwarded);
void hl_event_set_alert (HlEvent *self, guint level, guint description);
void hl_event_set_check (HlEvent *self, HlCheck check);
void hl_event_set_plaintext (HlEvent *self, GBytes *plaintext);
void hl_event_set_inner_type (HlEvent *self, guint inner_type);

G_END_DECLS
