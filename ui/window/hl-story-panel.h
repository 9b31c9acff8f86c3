/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_STORY_PANEL (hl_story_panel_get_type ())
G_DECLARE_FINAL_TYPE (HlStoryPanel, hl_story_panel, HL, STORY_PANEL, AdwBin)

GtkWidget  *hl_story_panel_new         (void);
/* Step @step of @n_steps (1-based; 0 shows @intro), told by @event's caption. */
void        hl_story_panel_set_step    (HlStoryPanel *self,
                                        guint         step,
                                        guint         n_steps,
                                        HlEvent      *event,
                                        const char   *intro);
void        hl_story_panel_set_playing (HlStoryPanel *self,
                                        gboolean      playing);
void        hl_story_panel_set_speed   (HlStoryPanel *self,
                                        double        speed);
const char *hl_story_panel_get_caption (HlStoryPanel *self);

G_END_DECLS
