/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-details-pane.h"
#include "hl-file-actions.h"
#include "hl-inspector.h"
#include "hl-live.h"
#include "hl-presenter.h"
#include "hl-scenario.h"
#include "hl-sequence-view.h"
#include "hl-story-panel.h"
#include "hl-trace.h"
#include "hl-trace-check.h"

G_BEGIN_DECLS

#define HL_TYPE_WINDOW (hl_window_get_type ())
G_DECLARE_FINAL_TYPE (HlWindow, hl_window, HL, WINDOW, AdwApplicationWindow)

HlWindow       *hl_window_new (GtkApplication *application);

/* Runs a scenario in the background and shows its trace when done. */
void            hl_window_run_scenario (HlWindow *self, const char *scenario_id);
/* Runs a configuration of one's own (the Custom dialog). */
void            hl_window_run_config (HlWindow       *self,
                                      const HlConfig *config,
                                      const char     *title,
                                      const char     *description);
/* Shows an existing (finished) trace, e.g. one opened from a file. */
void            hl_window_set_trace (HlWindow *self, HlTrace *trace);
/* The same for a trace opened from a file, with what re-checking it found (hl-trace-check.h):
 * a banner when the file's claims do not match its bytes. */
void            hl_window_set_checked_trace (HlWindow *self, HlTrace *trace,
                                             HlTraceCheck *check);
HlTrace        *hl_window_get_trace (HlWindow *self);
gboolean        hl_window_is_busy (HlWindow *self);
gboolean        hl_window_shows_error (HlWindow *self);
/* The events drawn as steps, in order (records filtered out unless shown). */
GListModel     *hl_window_get_event_model (HlWindow *self);

/* Whether a newly loaded trace plays from the start (the default), or else opens at
 * @start_step (-1: every step shown). */
void            hl_window_set_autoplay (HlWindow *self, gboolean autoplay);
void            hl_window_set_start_step (HlWindow *self, int start_step);

HlSequenceView *hl_window_get_sequence_view (HlWindow *self);
HlStoryPanel   *hl_window_get_story_panel (HlWindow *self);
HlDetailsPane  *hl_window_get_details_pane (HlWindow *self);
HlInspector    *hl_window_get_inspector (HlWindow *self);
HlFileActions  *hl_window_get_file_actions (HlWindow *self);
HlPresenter    *hl_window_get_presenter (HlWindow *self);
void            hl_window_add_toast (HlWindow *self, AdwToast *toast);
/* Live mode: the Connect to Server and Listen for a Client dialogs, filled from @options
 * (nullable), and started right away when @start. */
void            hl_window_show_connect (HlWindow            *self,
                                        const HlLiveOptions *options,
                                        gboolean             start);
void            hl_window_show_listen (HlWindow            *self,
                                       const HlLiveOptions *options,
                                       gboolean             start);

G_END_DECLS
