/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hl-hex-view.h"
#include "hl-swatch.h"

G_BEGIN_DECLS

/* The hex view in parts, shared through this header: hl-hex-view.c (geometry and scrolling,
 * selection, GtkScrollable, public API, GObject), hl-hex-view-paint.c (drawing) and
 * hl-hex-view-input.c (input). */

#define PADDING   8.0
#define ROW_EXTRA 5.0   /* pixels between rows on top of the font's line height */

typedef enum
{
  PAINT_NONE,
  PAINT_SELECTION,
  PAINT_CHILD_A,
  PAINT_CHILD_B,
  PAINT_HOVER,
  PAINT_DIM,       /* the offset column and non-printable characters */
  PAINT_CURSOR,
  N_PAINTS
} Paint;

static const char *const paint_classes[N_PAINTS] = {
  NULL, "selection", "child-a", "child-b", "hover", "dim", "cursor",
};

struct _HlHexView
{
  GtkWidget      parent_instance;

  /* owned */
  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  GtkWidget     *swatches[N_PAINTS];
  GBytes        *bytes;
  HlField       *root;
  HlField       *selected;       /* a field of root, or NULL */
  HlField       *hover;          /* borrowed from root */
  PangoFontDescription *font;   /* what the metrics were measured with */

  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;
  guint          has_selection : 1;
  guint          metrics_valid : 1;
  guint          scroll_pending : 1;
  guint          data_changed : 1;    /* new data, not allocated yet */
  guint          dragged : 1;

  HlHexLayout    layout;
  double         char_width;
  double         row_height;
  gsize          sel_start;
  gsize          sel_length;
  gsize          cursor;
  gsize          anchor;
};

static inline gsize
n_bytes (HlHexView *self)
{
  return self->bytes ? g_bytes_get_size (self->bytes) : 0;
}

/* hl-hex-view.c */
void hl_hexview_set_selection (HlHexView *self, HlField *field, gsize start, gsize length);
void hl_hexview_activate (HlHexView *self, gsize offset);
void hl_hexview_extend_to (HlHexView *self, gsize offset);

/* hl-hex-view-paint.c */
HlField *hl_hexview_innermost_at (HlHexView *self, gsize offset);
void hl_hexview_paint_snapshot (GtkWidget *widget, GtkSnapshot *snapshot);

/* hl-hex-view-input.c */
void hl_hexview_drag_begin_cb (GtkGestureDrag *gesture, double x, double y, HlHexView *self);
void hl_hexview_drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, HlHexView *self);
void hl_hexview_drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, HlHexView *self);
void hl_hexview_motion_cb (GtkEventControllerMotion *controller, double x, double y,
                          HlHexView *self);
void hl_hexview_leave_cb (GtkEventControllerMotion *controller, HlHexView *self);
gboolean hl_hexview_query_tooltip_cb (GtkWidget  *widget,
                                      int         x,
                                      int         y,
                                      gboolean    keyboard,
                                      GtkTooltip *tooltip,
                                      gpointer    user_data);
void hl_hexview_install_bindings (GtkWidgetClass *widget_class);

G_END_DECLS
