/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Builder API used by the engine and trace I/O while a trace is being filled. Every setter
 * refuses to change a finished trace. */

#include "hl-trace.h"
#include "hl-event-private.h"

G_BEGIN_DECLS

HlTrace *hl_trace_new (const char *scenario, const char *title, const char *description);

void     hl_trace_set_library_version (HlTrace *self, const char *version);
void     hl_trace_set_created (HlTrace *self, gint64 created);
/* Takes ownership of @event, sets its index and returns it (borrowed). */
HlEvent *hl_trace_append (HlTrace *self, HlEvent *event);
void     hl_trace_add_secret (HlTrace *self, HlSecret *secret);          /* takes ownership */
void     hl_trace_add_negotiated (HlTrace *self, HlNegotiated *negotiated); /* takes ownership */
void     hl_trace_add_verification (HlTrace *self, HlVerification *verification);
void     hl_trace_set_outcome (HlTrace *self, const HlOutcome *outcome);    /* copies */
void     hl_trace_add_server_certificate (HlTrace *self, GBytes *der);
void     hl_trace_add_client_certificate (HlTrace *self, GBytes *der);
void     hl_trace_set_ca_certificate (HlTrace *self, GBytes *der);
void     hl_trace_set_server_key (HlTrace *self, GBytes *pem);
void     hl_trace_set_n_handshakes (HlTrace *self, guint n);
void     hl_trace_set_live (HlTrace *self, const HlLive *live);             /* copies */
void     hl_trace_set_attacker (HlTrace *self, const HlAttacker *attacker);     /* copies */
void     hl_trace_set_order_approximate (HlTrace *self, gboolean approximate);
/* Puts the events in the order of @keys (one per event, by index; ties keep their order) and
 * renumbers them and their record links. */
void     hl_trace_sort_events (HlTrace *self, const guint64 *keys);
/* Makes the trace immutable. A trace is handed to other threads (the UI) only once finished, so
 * the list model never changes while anyone watches it. */
void     hl_trace_finish (HlTrace *self);

G_END_DECLS
