/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_HASHES_VIEW (hl_hashes_view_get_type ())
G_DECLARE_FINAL_TYPE (HlHashesView, hl_hashes_view, HL, HASHES_VIEW, AdwBin)

GtkWidget *hl_hashes_view_new          (void);
/* @steps: the events the diagram shows (for step numbers), or NULL for all of @trace's. */
void       hl_hashes_view_set_trace    (HlHashesView *self,
                                        HlTrace      *trace,
                                        GListModel   *steps);
/* Follows the selected step: a Finished or CertificateVerify shows its own transcript, the
 * comparison of a Finished shows that Finished, any other handshake message the first Finished
 * whose hash covers it (with the message marked). */
void       hl_hashes_view_set_event    (HlHashesView *self,
                                        HlEvent      *event);
/* Shows the Finished or CertificateVerify message event at @index of the trace. */
gboolean   hl_hashes_view_show_message (HlHashesView *self,
                                        guint         index);
/* The index of the message shown, or -1. */
int        hl_hashes_view_get_message  (HlHashesView *self);
/* The transcript as shown: event indexes in hash order. */
GArray    *hl_hashes_view_get_transcript (HlHashesView *self);
/* "equal ✓" when the sender's verify_data equals the one recomputed for the receiver. */
HlCheck    hl_hashes_view_get_check    (HlHashesView *self);

G_END_DECLS
