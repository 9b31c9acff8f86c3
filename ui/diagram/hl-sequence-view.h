/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hl-sequence-layout.h"
#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_SEQUENCE_VIEW (hl_sequence_view_get_type ())
G_DECLARE_FINAL_TYPE (HlSequenceView, hl_sequence_view, HL, SEQUENCE_VIEW, GtkWidget)

/* Speeds offered to people; hl_sequence_view_set_speed() accepts anything in between. */
#define HL_SEQUENCE_VIEW_MIN_SPEED 0.25
#define HL_SEQUENCE_VIEW_MAX_SPEED 4.0

GtkWidget        *hl_sequence_view_new              (void);

void              hl_sequence_view_set_trace        (HlSequenceView *self,
                                                     HlTrace        *trace);
HlTrace          *hl_sequence_view_get_trace        (HlSequenceView *self);
HlSequenceLayout *hl_sequence_view_get_layout       (HlSequenceView *self);
void              hl_sequence_view_set_show_records (HlSequenceView *self,
                                                     gboolean        show_records);
gboolean          hl_sequence_view_get_show_records (HlSequenceView *self);

/* The playhead: @step steps are shown (0 … n); the current one is @step - 1. */
guint             hl_sequence_view_get_n_steps      (HlSequenceView *self);
guint             hl_sequence_view_get_step         (HlSequenceView *self);
/* Jumps there without animation (and scrolls it into view). */
void              hl_sequence_view_set_step         (HlSequenceView *self,
                                                     guint           step);
/* The event of the current step, or NULL at step 0. */
HlEvent          *hl_sequence_view_get_current_event (HlSequenceView *self);
/* Shows the next step with its animation; while one is animating, finishes it instead. */
void              hl_sequence_view_step_forward     (HlSequenceView *self);
void              hl_sequence_view_step_backward    (HlSequenceView *self);
gboolean          hl_sequence_view_is_animating     (HlSequenceView *self);

void              hl_sequence_view_play             (HlSequenceView *self);
void              hl_sequence_view_pause            (HlSequenceView *self);
gboolean          hl_sequence_view_get_playing      (HlSequenceView *self);
void              hl_sequence_view_set_speed        (HlSequenceView *self,
                                                     double          speed);
double            hl_sequence_view_get_speed        (HlSequenceView *self);

/* Zoom is relative to the size that fits the width: 1 fits. */
double            hl_sequence_view_get_zoom         (HlSequenceView *self);
double            hl_sequence_view_get_zoom_level   (HlSequenceView *self);
void              hl_sequence_view_set_zoom_level   (HlSequenceView *self,
                                                     double          level);
gboolean          hl_sequence_view_can_zoom_in      (HlSequenceView *self);
gboolean          hl_sequence_view_can_zoom_out     (HlSequenceView *self);

/* Converts a point of the layout to the widget's coordinates (scroll and zoom applied).
 * Returns FALSE when it is not visible. */
gboolean          hl_sequence_view_layout_to_widget (HlSequenceView *self,
                                                     double          x,
                                                     double          y,
                                                     double         *widget_x,
                                                     double         *widget_y);
/* A point where clicking selects @step (on its arrow or box), in layout units. */
void              hl_sequence_view_get_step_point   (HlSequenceView *self,
                                                     guint           step,
                                                     double         *x,
                                                     double         *y);

/* Drops the cached drawing (tests and benchmarks measure a cold frame this way). */
void              hl_sequence_view_invalidate       (HlSequenceView *self);

G_END_DECLS
