/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-bin-layout.h"
#include "hl-details-pane.h"
#include "hl-file-actions.h"
#include "hl-inspector.h"
#include "hl-listen-dialog.h"
#include "hl-presenter.h"
#include "hl-scenario-chooser.h"
#include "hl-sequence-view.h"
#include "hl-story-panel.h"
#include "hl-window.h"

G_BEGIN_DECLS

/* The window in parts, shared through this header: hl-window.c (following the playhead,
 * showing a trace, properties, the trace host, GObject), hl-window-run.c (running scenarios,
 * custom runs and live mode) and hl-window-actions.c (actions and keyboard shortcuts).
 *
 * The window ties the diagram (HlSequenceView), the story under it (HlStoryPanel) and the
 * details beside it (HlDetailsPane) to one playhead: the view owns it; everything else follows
 * its notify::step. */

struct _HlWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *header_revealer;
  AdwWindowTitle       *window_title;
  HlScenarioChooser    *chooser;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  GtkWidget            *ecdhe_button;
  HlBinLayout          *split;         /* places the side pane's divider */
  GtkScrolledWindow    *scroller;
  HlSequenceView       *sequence_view;
  HlStoryPanel         *story;
  HlDetailsPane        *details;
  GtkWidget            *side_bin;      /* the side pane: details over the inspector */
  HlBinLayout          *side_split;    /* places the divider between them */
  HlInspector          *inspector;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;

  /* built in code: the banner over a trace whose file's claims do not match its bytes */
  GtkRevealer          *check_banner;
  GtkLabel             *check_label;
  GtkLabel             *check_list;

  /* owned */
  HlTrace              *trace;
  HlFileActions        *files;         /* save, open, recent, drop, exports */
  HlPresenter          *presenter;     /* presentation mode (F5) */
  GtkFilterListModel   *filtered;
  GtkCustomFilter      *filter;
  GCancellable         *cancellable;
  char                 *scenario_id;   /* what Run again runs: a scenario, or … */
  HlConfig              config;        /* … this configuration (custom runs) */
  char                 *title;
  char                 *description;
  gboolean              has_config;
  gboolean              rerun;         /* the run in flight repeats the trace shown */
  gboolean              autoplay;
  int                   start_step;
  gboolean              show_details;
  gboolean              show_records;
  double                speed;
  gboolean              details_before_fullscreen;
  HlEvent              *shown_event;   /* what the story and the panels show (update_story ()) */
  guint                 shown_step;
  guint                 shown_n_steps;
  gboolean              shown_valid;

  /* borrowed */
  HlListenDialog       *listen_dialog; /* one at a time (weak pointer) */
};

enum
{
  PROP_0,
  PROP_SHOW_RECORDS,
  PROP_SHOW_DETAILS,
  PROP_SPEED,
  PROP_STYLE_VARIANT,
  N_PROPS
};

static const double speeds[] = { 0.25, 0.5, 1.0, 1.5, 2.0, 4.0 };

/* hl-window-actions.c */
void hl_win_install_actions (GtkWidgetClass *widget_class);

/* hl-window.c */
void hl_win_update_actions (HlWindow *self);
void hl_win_show_error (HlWindow *self, const GError *error);

/* hl-window-run.c */
void hl_win_start_run (HlWindow *self);
void hl_win_scenario_activated_cb (HlWindow *self, const char *scenario_id);

/* hl-window-actions.c */
void hl_win_fullscreen_changed_cb (HlWindow *self);
void hl_win_add_shortcuts (HlWindow *self);

G_END_DECLS
