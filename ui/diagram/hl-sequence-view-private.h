/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-sequence-painter.h"
#include "hl-sequence-view.h"

G_BEGIN_DECLS

/* The sequence view in parts, shared through this header: hl-sequence-view.c (the object,
 * trace, input, GtkWidget and GObject plumbing), hl-sequence-view-tiles.c (the cache of the
 * static drawing), hl-sequence-view-scroll.c (scrolling and zoom) and
 * hl-sequence-view-playhead.c (the playhead and its animation). */

#define TILE_HEIGHT        512     /* device-independent pixels, so tiles meet on whole pixels */
#define TILE_BYTES         (48 << 20)   /* the tiles kept, at most: 2 MiB each at 1000 px */
#define MIN_FIT            0.8
/* Four lifelines (an attacker in the middle) need about 1.5 times the width of two: so that
 * the whole diagram stays in view beside the inspector at 1280×800, they may shrink further
 * (arrow labels stay legible there; the small second lines get hard to read below it). */
#define MIN_FIT_FOUR       0.64
#define MAX_FIT            1.6
#define MIN_ZOOM           0.4
#define MAX_ZOOM           4.0
#define ZOOM_STEP          1.15
#define ARROW_MS           1100
#define ACTION_MS          650
#define HOLD_MS            1000
#define SCROLL_MS          420

typedef struct _HlSeqTile HlSeqTile;

struct _HlSequenceView
{
  GtkWidget           parent_instance;

  /* owned */
  HlTrace            *trace;
  HlSequenceLayout   *layout;
  HlSequencePainter  *painter;
  GtkWidget          *swatches[HL_SEQUENCE_N_COLORS];
  GtkAdjustment      *hadjustment;
  GtkAdjustment      *vadjustment;
  AdwAnimation       *step_animation;
  AdwAnimation       *scroll_animation;
  GHashTable         *tiles;          /* tile index → HlSeqTile */
  HlSeqTile          *header;
  HlSeqTile          *current_row;    /* the current step's row, once settled */
  HlSeqTile          *hover_row;
  guint               frame;          /* snapshots taken, to tell a tile's first frame */
  guint               hold_source;

  guint               hscroll_policy : 1;
  guint               vscroll_policy : 1;
  guint               playing : 1;
  guint               header_shadow : 1;
  guint               scroll_pending : 1;

  guint               step;           /* steps shown; the current one is step - 1 */
  double              position;       /* animated towards step */
  double              speed;
  double              zoom_level;     /* people's factor on top of the fit */
  double              zoom;           /* effective */
  double              layout_width;
  int                 hover;          /* step under the pointer, or -1 */
  int                 current_row_step;
  int                 hover_row_step;
  int                 tiles_current;  /* the current step the tiles were drawn for */
  double              anchor_layout_y;/* zoom around this point … */
  double              anchor_widget_y;/* … kept at this height */
  gboolean            anchored;
};

enum
{
  PROP_0,
  PROP_TRACE,
  PROP_STEP,
  PROP_N_STEPS,
  PROP_PLAYING,
  PROP_SPEED,
  PROP_ZOOM,
  PROP_SHOW_RECORDS,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static inline int
current_step (HlSequenceView *self)
{
  return (int) self->step - 1;
}

/* hl-sequence-view.c */
void hl_seqview_notify (HlSequenceView *self, guint prop);

/* hl-sequence-view-tiles.c */
void hl_seqview_invalidate_steps (HlSequenceView *self, int a, int b);
void hl_seqview_tile_free (HlSeqTile *tile);
double hl_seqview_tiles_width (HlSequenceView *self);
GskRenderNode *hl_seqview_ensure_tile (HlSequenceView *self, int t);
GskRenderNode *hl_seqview_ensure_header (HlSequenceView *self, gboolean shadow);
void hl_seqview_draw_row (HlSequenceView *self, cairo_t *cr, int step, gboolean current,
                          double progress);
GskRenderNode *hl_seqview_ensure_row (HlSequenceView *self, HlSeqTile **row, int *row_step,
                                      int step, gboolean current);

/* hl-sequence-view-scroll.c */
void hl_seqview_update_geometry (HlSequenceView *self, int width, int height);
void hl_seqview_adjustment_value_changed_cb (GtkAdjustment *adj, HlSequenceView *self);
void hl_seqview_set_adjustment (HlSequenceView *self, GtkAdjustment **slot, GtkAdjustment *adj);
double hl_seqview_hvalue (HlSequenceView *self);
double hl_seqview_vvalue (HlSequenceView *self);
void hl_seqview_zoom_around (HlSequenceView *self, double level, double widget_y);
void hl_seqview_ensure_current_visible (HlSequenceView *self, gboolean animate);

/* hl-sequence-view-playhead.c */
void hl_seqview_update_accessible (HlSequenceView *self);
void hl_seqview_move_to (HlSequenceView *self, guint step, gboolean animate);
void hl_seqview_set_playing (HlSequenceView *self, gboolean playing);
void hl_seqview_step_animation_cb (double value, gpointer user_data);
void hl_seqview_step_animation_done_cb (AdwAnimation *animation, HlSequenceView *self);

G_END_DECLS
