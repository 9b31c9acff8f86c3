/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare-view"
#include "config.h"

#include <math.h>
#include <adwaita.h>

#include "hl-compare-view.h"

/* Order of this file: the struct, style, size and drawing, pointer, public API, GObject.
 *
 * The two diagrams of a comparison in one widget (height for width, inside a scrolled window):
 * HlComparePainter lays them out and draws them; this widget keeps the playheads, the hovered
 * and the selected row, and follows the light or dark style. */

struct _HlCompareView
{
  GtkWidget         parent_instance;

  HlComparePainter *painter;
  guint             shown[2];
  int               selected;
  guint             selected_side;
  int               hover;
  double            font_scale;
  int               pending_scroll;  /* a row to bring into view once laid out, or -1 */
  guint             scroll_idle;
};

enum
{
  SIGNAL_SELECTION_CHANGED,
  SIGNAL_SHOWN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlCompareView, hl_compare_view, GTK_TYPE_WIDGET)

/* Style */

static void
reload_style (HlCompareView *self)
{
  HlSequencePalette palette;
  const PangoFontDescription *base =
    pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  g_autoptr(PangoFontDescription) font = pango_font_description_copy (base);
  int size = pango_font_description_get_size (font);
  gboolean changed;

  /* the export palettes, so that the window and the SVG agree in both styles */
  hl_sequence_palette_init_default (&palette,
                                    adw_style_manager_get_dark (adw_style_manager_get_default ()));
  changed = hl_compare_painter_set_palette (self->painter, &palette);
  if (size <= 0)
    size = 11 * PANGO_SCALE;
  if (pango_font_description_get_size_is_absolute (font))
    size = (int) (size * 0.75);
  pango_font_description_set_size (font, (int) (size * self->font_scale));
  if (hl_compare_painter_set_font (self->painter, font))
    {
      gtk_widget_queue_resize (GTK_WIDGET (self));
      changed = TRUE;
    }
  if (changed)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
style_changed_cb (HlCompareView *self)
{
  reload_style (self);
}

static void
hl_compare_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (hl_compare_view_parent_class)->css_changed (widget, change);
  reload_style (HL_COMPARE_VIEW (widget));
}

/* Size and drawing */

static GtkSizeRequestMode
hl_compare_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hl_compare_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  HlCompareView *self = HL_COMPARE_VIEW (widget);
  double min_width = hl_compare_painter_get_min_width (self->painter);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (min_width);
      *natural = MAX (*minimum, 1200);
    }
  else
    {
      double width = for_size > 0 ? for_size : MAX (min_width, 1200);

      *minimum = *natural = (int) ceil (hl_compare_painter_layout (self->painter, width));
    }
}

static void scroll_to_row (HlCompareView *self, guint row);

static gboolean
scroll_idle_cb (gpointer user_data)
{
  HlCompareView *self = user_data;

  self->scroll_idle = 0;
  if (self->pending_scroll >= 0)
    scroll_to_row (self, (guint) self->pending_scroll);
  self->pending_scroll = -1;
  return G_SOURCE_REMOVE;
}

static void
hl_compare_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlCompareView *self = HL_COMPARE_VIEW (widget);

  hl_compare_painter_layout (self->painter, width);
  /* scrolling changes the adjustment: not while allocating */
  if (self->pending_scroll >= 0 && self->scroll_idle == 0)
    self->scroll_idle = g_idle_add (scroll_idle_cb, self);
}

static void
hl_compare_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlCompareView *self = HL_COMPARE_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  HlCompareDrawState state;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  hl_compare_painter_layout (self->painter, width);
  hl_compare_draw_state_init (&state);
  state.shown[0] = (int) self->shown[0];
  state.shown[1] = (int) self->shown[1];
  if (self->shown[0] >= hl_compare_view_get_n_rows (self) &&
      self->shown[1] >= hl_compare_view_get_n_rows (self))
    state.shown[0] = state.shown[1] = -1;   /* all shown: no current row */
  state.selected = self->selected;
  state.hover = self->hover;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  hl_compare_painter_draw (self->painter, cr, 0, height, &state);
  cairo_destroy (cr);
}

/* Pointer */

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, HlCompareView *self)
{
  guint side = 0;
  int row = hl_compare_painter_row_at (self->painter, x, y, &side);

  if (row >= 0)
    hl_compare_view_select (self, row, side);
}

static void
motion_cb (GtkEventControllerMotion *controller, double x, double y, HlCompareView *self)
{
  int row = hl_compare_painter_row_at (self->painter, x, y, NULL);

  if (row != self->hover)
    {
      self->hover = row;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (GtkEventControllerMotion *controller, HlCompareView *self)
{
  if (self->hover != -1)
    {
      self->hover = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/* Keeps @row visible in the scrolled window around the view. */
static void
scroll_to_row (HlCompareView *self, guint row)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;
  double y, h, top, page;

  if (row >= hl_compare_view_get_n_rows (self))
    return;
  if (scroller == NULL || hl_compare_painter_get_height (self->painter) <= 0 ||
      gtk_widget_get_height (GTK_WIDGET (self)) <= 0)
    {
      self->pending_scroll = (int) row;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      return;
    }
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  hl_compare_painter_get_row_extent (self->painter, row, &y, &h);
  top = gtk_adjustment_get_value (adj);
  page = gtk_adjustment_get_page_size (adj);
  /* out of view: to a third of the way down, with what led to it above */
  if (y < top || y + h > top + page)
    gtk_adjustment_set_value (adj, MAX (0, y - page / 3));
}

/* Public API */

GtkWidget *
hl_compare_view_new (void)
{
  return g_object_new (HL_TYPE_COMPARE_VIEW, NULL);
}

void
hl_compare_view_set_traces (HlCompareView *self, HlTrace *left, HlTrace *right)
{
  g_return_if_fail (HL_IS_COMPARE_VIEW (self));

  hl_compare_painter_set_traces (self->painter, left, right);
  self->selected = -1;
  self->hover = -1;
  self->shown[0] = self->shown[1] = hl_compare_view_get_n_rows (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_SHOWN_CHANGED], 0);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

HlTrace *
hl_compare_view_get_trace (HlCompareView *self, guint side)
{
  g_return_val_if_fail (HL_IS_COMPARE_VIEW (self), NULL);
  return hl_compare_painter_get_trace (self->painter, side);
}

HlComparePainter *
hl_compare_view_get_painter (HlCompareView *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_VIEW (self), NULL);
  return self->painter;
}

GArray *
hl_compare_view_get_rows (HlCompareView *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_VIEW (self), NULL);
  return hl_compare_painter_get_rows (self->painter);
}

guint
hl_compare_view_get_n_rows (HlCompareView *self)
{
  GArray *rows;

  g_return_val_if_fail (HL_IS_COMPARE_VIEW (self), 0);
  rows = hl_compare_painter_get_rows (self->painter);
  return rows ? rows->len : 0;
}

guint
hl_compare_view_get_shown (HlCompareView *self, guint side)
{
  g_return_val_if_fail (HL_IS_COMPARE_VIEW (self), 0);
  g_return_val_if_fail (side < 2, 0);
  return self->shown[side];
}

void
hl_compare_view_set_shown (HlCompareView *self, guint side, guint shown)
{
  g_return_if_fail (HL_IS_COMPARE_VIEW (self));
  g_return_if_fail (side < 2);

  shown = MIN (shown, hl_compare_view_get_n_rows (self));
  if (self->shown[side] == shown)
    return;
  self->shown[side] = shown;
  if (shown > 0)
    scroll_to_row (self, shown - 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_SHOWN_CHANGED], 0);
}

int
hl_compare_view_get_selected (HlCompareView *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_VIEW (self), -1);
  return self->selected;
}

guint
hl_compare_view_get_selected_side (HlCompareView *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_VIEW (self), 0);
  return self->selected_side;
}

void
hl_compare_view_select (HlCompareView *self, int row, guint side)
{
  g_return_if_fail (HL_IS_COMPARE_VIEW (self));
  g_return_if_fail (side < 2);

  if (row >= (int) hl_compare_view_get_n_rows (self))
    row = -1;
  if (row == self->selected && side == self->selected_side)
    return;
  self->selected = row;
  self->selected_side = side;
  if (row >= 0)
    scroll_to_row (self, (guint) row);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

void
hl_compare_view_set_font_scale (HlCompareView *self, double scale)
{
  g_return_if_fail (HL_IS_COMPARE_VIEW (self));

  scale = CLAMP (scale, 0.5, 3);
  if (scale == self->font_scale)
    return;
  self->font_scale = scale;
  reload_style (self);
}

void
hl_compare_view_get_row_point (HlCompareView *self,
                               guint          row,
                               guint          side,
                               double        *x,
                               double        *y)
{
  g_return_if_fail (HL_IS_COMPARE_VIEW (self));
  hl_compare_painter_get_row_point (self->painter, row, side, x, y);
}

/* GObject */

static void
hl_compare_view_dispose (GObject *object)
{
  HlCompareView *self = HL_COMPARE_VIEW (object);

  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (), style_changed_cb,
                                        self);
  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  g_clear_object (&self->painter);
  G_OBJECT_CLASS (hl_compare_view_parent_class)->dispose (object);
}

static void
hl_compare_view_class_init (HlCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_compare_view_dispose;
  widget_class->get_request_mode = hl_compare_view_get_request_mode;
  widget_class->measure = hl_compare_view_measure;
  widget_class->size_allocate = hl_compare_view_size_allocate;
  widget_class->snapshot = hl_compare_view_snapshot;
  widget_class->css_changed = hl_compare_view_css_changed;

  signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SHOWN_CHANGED] =
    g_signal_new ("shown-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "hlcompareview");
}

static void
hl_compare_view_init (HlCompareView *self)
{
  GtkGesture *click;
  GtkEventController *motion;
  PangoContext *context = gtk_widget_create_pango_context (GTK_WIDGET (self));

  self->selected = -1;
  self->hover = -1;
  self->pending_scroll = -1;
  self->font_scale = 1;
  self->painter = hl_compare_painter_new (context);
  g_object_unref (context);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (style_changed_cb), self);
  reload_style (self);
}
