/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_DETAILS_PANE (hl_details_pane_get_type ())
G_DECLARE_FINAL_TYPE (HlDetailsPane, hl_details_pane, HL, DETAILS_PANE, AdwBin)

GtkWidget *hl_details_pane_new       (void);
/* Shows @event of @trace as step @step_number (1-based), or nothing when @event is NULL. */
void       hl_details_pane_set_event (HlDetailsPane *self,
                                      HlTrace       *trace,
                                      HlEvent       *event,
                                      guint          step_number);
HlEvent   *hl_details_pane_get_event (HlDetailsPane *self);
/* Where the field inspector goes (decoded fields with their byte ranges). */
GtkBox    *hl_details_pane_get_inspector_slot (HlDetailsPane *self);

G_END_DECLS
