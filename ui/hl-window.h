/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_WINDOW (hl_window_get_type ())
G_DECLARE_FINAL_TYPE (HlWindow, hl_window, HL, WINDOW, AdwApplicationWindow)

HlWindow *hl_window_new (GtkApplication *application);

/* Runs a scenario in the background and shows its trace when done. */
void      hl_window_run_scenario (HlWindow *self, const char *scenario_id);
/* Shows an existing (finished) trace, e.g. one opened from a file. */
void      hl_window_set_trace (HlWindow *self, HlTrace *trace);
HlTrace  *hl_window_get_trace (HlWindow *self);
gboolean  hl_window_is_busy (HlWindow *self);
/* The list of events as shown (records filtered out unless asked for). */
GListModel *hl_window_get_event_model (HlWindow *self);

G_END_DECLS
