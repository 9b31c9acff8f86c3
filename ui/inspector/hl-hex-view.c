/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-hex-view"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hl-hex-view-private.h"
#include "hl-hex-view.h"
#include "hl-swatch.h"

/* Order of this file: style nodes, geometry and scrolling, selection, GtkScrollable, public
 * API, GObject. Drawing is in hl-hex-view-paint.c, input in hl-hex-view-input.c; the struct in
 * hl-hex-view-private.h.
 *
 * A hex + ASCII dump that draws only the rows in view (a 16 KiB record is a thousand rows at
 * 16 bytes a row). The geometry is HlHexLayout's; this widget only measures the monospace
 * font, multiplies and paints. The selected field is painted in the accent colour and its
 * children in two alternating tints, so the structure inside a selection shows at a glance. */

enum
{
  PROP_0,
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
  N_PROPS
};

enum
{
  FIELD_ACTIVATED,
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (HlHexView, hl_hex_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

/* Geometry and scrolling */
static void
ensure_metrics (HlHexView *self)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;

  if (self->metrics_valid)
    return;
  /* sixteen digits: the advance of one cell with sub-pixel precision */
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0000000000000000");
  pango_layout_get_extents (layout, NULL, &logical);
  self->char_width = (double) logical.width / PANGO_SCALE / 16;
  self->row_height = ceil ((double) logical.height / PANGO_SCALE + ROW_EXTRA);
  self->metrics_valid = TRUE;
  hl_hex_layout_init (&self->layout, n_bytes (self), self->layout.bytes_per_row,
                      self->char_width, self->row_height, PADDING);
}

static void
relayout (HlHexView *self, guint bytes_per_row)
{
  ensure_metrics (self);
  hl_hex_layout_init (&self->layout, n_bytes (self), bytes_per_row, self->char_width,
                      self->row_height, PADDING);
}

static double
layout_width_for (HlHexView *self, guint bytes_per_row)
{
  HlHexLayout layout;

  ensure_metrics (self);
  hl_hex_layout_init (&layout, n_bytes (self), bytes_per_row, self->char_width, self->row_height,
                      PADDING);
  return hl_hex_layout_get_width (&layout);
}

static void
configure_adjustments (HlHexView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double upper = MAX (hl_hex_layout_get_height (&self->layout), height);
  double value = CLAMP (gtk_adjustment_get_value (self->vadjustment), 0, upper - height);

  gtk_adjustment_configure (self->vadjustment, value, 0, upper, self->row_height,
                            height * 0.9, height);
  gtk_adjustment_configure (self->hadjustment, 0, 0, width, width * 0.1, width * 0.9, width);
}

/* Scrolls so that the selection (or the cursor) is in view. */
static void
scroll_to_selection (HlHexView *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  gsize start = self->has_selection ? self->sel_start : self->cursor;
  gsize end = self->has_selection ? self->sel_start + MAX (self->sel_length, 1) - 1
                                  : self->cursor;
  double top, bottom, value;

  /* not shown, or the data changed since the last allocation: when it is allocated next */
  if (height <= 0 || n_bytes (self) == 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      self->data_changed)
    {
      self->scroll_pending = TRUE;
      return;
    }
  self->scroll_pending = FALSE;
  top = hl_hex_layout_row_y (&self->layout, hl_hex_layout_row_of (&self->layout, start));
  bottom = hl_hex_layout_row_y (&self->layout, hl_hex_layout_row_of (&self->layout, end)) +
           self->row_height;
  value = gtk_adjustment_get_value (self->vadjustment);
  if (top - PADDING < value || bottom - top > height)
    value = top - PADDING;
  else if (bottom + PADDING > value + height)
    value = bottom + PADDING - height;
  gtk_adjustment_set_value (self->vadjustment, value);
}

static void
hl_hex_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  HlHexView *self = HL_HEX_VIEW (widget);

  ensure_metrics (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (layout_width_for (self, 4));
      *natural = (int) ceil (layout_width_for (self, 8));
    }
  else
    {
      /* as tall as the rows that @for_size wide makes: the scrolled window decides about its
       * scrollbar from this, so it must agree with the adjustment set in size_allocate */
      HlHexLayout layout = self->layout;

      if (for_size > 0)
        hl_hex_layout_init (&layout, n_bytes (self),
                            hl_hex_layout_bytes_per_row_for_width (n_bytes (self),
                                                                   self->char_width, PADDING,
                                                                   for_size),
                            self->char_width, self->row_height, PADDING);
      *minimum = (int) ceil (2 * PADDING + 3 * self->row_height);
      *natural = (int) ceil (MAX (*minimum, hl_hex_layout_get_height (&layout)));
    }
}

static GtkSizeRequestMode
hl_hex_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hl_hex_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlHexView *self = HL_HEX_VIEW (widget);

  ensure_metrics (self);
  relayout (self, hl_hex_layout_bytes_per_row_for_width (n_bytes (self), self->char_width,
                                                         PADDING, width));
  self->data_changed = FALSE;
  configure_adjustments (self);
  if (self->scroll_pending)
    scroll_to_selection (self);
}

/* Only a new font changes the geometry; hover, focus and selection states do not (and they
 * change between a layout and the drawing that follows it). */
static void
hl_hex_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  const PangoFontDescription *font;

  GTK_WIDGET_CLASS (hl_hex_view_parent_class)->css_changed (widget, change);
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (self->font && font && pango_font_description_equal (self->font, font))
    return;
  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = font ? pango_font_description_copy (font) : NULL;
  self->metrics_valid = FALSE;
  gtk_widget_queue_resize (widget);
}

/* Selection */

void
hl_hexview_set_selection (HlHexView *self, HlField *field, gsize start, gsize length)
{
  if (field != self->selected)
    {
      g_clear_pointer (&self->selected, hl_field_unref);
      self->selected = field ? hl_field_ref (field) : NULL;
    }
  self->has_selection = length > 0 && start < n_bytes (self);
  self->sel_start = start;
  self->sel_length = self->has_selection ? MIN (length, n_bytes (self) - start) : 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

void
hl_hexview_activate (HlHexView *self, gsize offset)
{
  HlField *field = hl_hexview_innermost_at (self, offset);

  self->cursor = offset;
  self->anchor = offset;
  if (field)
    hl_hexview_set_selection (self, field, hl_field_get_offset (field),
                              hl_field_get_length (field));
  else
    hl_hexview_set_selection (self, NULL, offset, 1);
  scroll_to_selection (self);
  if (field)
    g_signal_emit (self, signals[FIELD_ACTIVATED], 0, field);
}

void
hl_hexview_extend_to (HlHexView *self, gsize offset)
{
  gsize lo = MIN (self->anchor, offset), hi = MAX (self->anchor, offset);

  self->cursor = offset;
  hl_hexview_set_selection (self, NULL, lo, hi - lo + 1);
  scroll_to_selection (self);
}

/* GtkScrollable */

static void
adjustment_changed_cb (HlHexView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (HlHexView *self, GtkAdjustment **slot, GtkAdjustment *adjustment)
{
  if (adjustment && adjustment == *slot)
    return;
  if (*slot)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_changed_cb, self);
      g_object_unref (*slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (adjustment_changed_cb), self);
}

/* Public API */

void
hl_hex_view_set_data (HlHexView *self, GBytes *bytes, HlField *root)
{
  g_return_if_fail (HL_IS_HEX_VIEW (self));

  if (bytes != self->bytes)
    {
      g_clear_pointer (&self->bytes, g_bytes_unref);
      self->bytes = bytes ? g_bytes_ref (bytes) : NULL;
    }
  if (root != self->root)
    {
      g_clear_pointer (&self->root, hl_field_unref);
      self->root = root ? hl_field_ref (root) : NULL;
    }
  self->hover = NULL;
  self->cursor = 0;
  self->anchor = 0;
  g_clear_pointer (&self->selected, hl_field_unref);
  self->has_selection = FALSE;
  relayout (self, self->layout.bytes_per_row ? self->layout.bytes_per_row : 8);
  self->data_changed = TRUE;
  self->scroll_pending = FALSE;
  gtk_adjustment_set_value (self->vadjustment, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

GBytes *
hl_hex_view_get_data (HlHexView *self)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), NULL);
  return self->bytes;
}

HlField *
hl_hex_view_get_root (HlHexView *self)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), NULL);
  return self->root;
}

void
hl_hex_view_select_field (HlHexView *self, HlField *field)
{
  g_return_if_fail (HL_IS_HEX_VIEW (self));

  if (field == NULL)
    {
      hl_hexview_set_selection (self, NULL, 0, 0);
      return;
    }
  self->cursor = MIN (hl_field_get_offset (field), n_bytes (self) ? n_bytes (self) - 1 : 0);
  self->anchor = self->cursor;
  hl_hexview_set_selection (self, field, hl_field_get_offset (field), hl_field_get_length (field));
  scroll_to_selection (self);
}

HlField *
hl_hex_view_get_selected_field (HlHexView *self)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), NULL);
  return self->selected;
}

void
hl_hex_view_select_range (HlHexView *self, gsize offset, gsize length)
{
  g_return_if_fail (HL_IS_HEX_VIEW (self));

  self->cursor = MIN (offset, n_bytes (self) ? n_bytes (self) - 1 : 0);
  self->anchor = self->cursor;
  hl_hexview_set_selection (self, NULL, offset, length);
  scroll_to_selection (self);
}

gboolean
hl_hex_view_get_selection (HlHexView *self, gsize *offset, gsize *length)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), FALSE);

  if (offset)
    *offset = self->sel_start;
  if (length)
    *length = self->sel_length;
  return self->has_selection;
}

void
hl_hex_view_activate_offset (HlHexView *self, gsize offset)
{
  g_return_if_fail (HL_IS_HEX_VIEW (self));
  g_return_if_fail (offset < n_bytes (self));

  hl_hexview_activate (self, offset);
}

char *
hl_hex_view_dup_selection_hex (HlHexView *self)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), NULL);

  if (!self->has_selection)
    return NULL;
  return hl_hex_layout_dup_hex ((const guint8 *) g_bytes_get_data (self->bytes, NULL) +
                                self->sel_start, self->sel_length);
}

gboolean
hl_hex_view_copy_selection (HlHexView *self)
{
  g_autofree char *hex = NULL;

  g_return_val_if_fail (HL_IS_HEX_VIEW (self), FALSE);

  hex = hl_hex_view_dup_selection_hex (self);
  if (hex == NULL)
    return FALSE;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), hex);
  return TRUE;
}

const HlHexLayout *
hl_hex_view_get_layout (HlHexView *self)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), NULL);
  return &self->layout;
}

/* GObject */

static void
hl_hex_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HlHexView *self = HL_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT: g_value_set_object (value, self->hadjustment); break;
    case PROP_VADJUSTMENT: g_value_set_object (value, self->vadjustment); break;
    case PROP_HSCROLL_POLICY: g_value_set_enum (value, self->hscroll_policy); break;
    case PROP_VSCROLL_POLICY: g_value_set_enum (value, self->vscroll_policy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_hex_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HlHexView *self = HL_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_hex_view_dispose (GObject *object)
{
  HlHexView *self = HL_HEX_VIEW (object);

  for (guint i = 0; i < N_PAINTS; i++)
    g_clear_pointer (&self->swatches[i], gtk_widget_unparent);
  if (self->hadjustment)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_changed_cb, self);
  if (self->vadjustment)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  G_OBJECT_CLASS (hl_hex_view_parent_class)->dispose (object);
}

static void
hl_hex_view_finalize (GObject *object)
{
  HlHexView *self = HL_HEX_VIEW (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->selected, hl_field_unref);
  g_clear_pointer (&self->root, hl_field_unref);
  g_clear_pointer (&self->font, pango_font_description_free);
  G_OBJECT_CLASS (hl_hex_view_parent_class)->finalize (object);
}

static void
hl_hex_view_class_init (HlHexViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hl_hex_view_get_property;
  object_class->set_property = hl_hex_view_set_property;
  object_class->dispose = hl_hex_view_dispose;
  object_class->finalize = hl_hex_view_finalize;
  widget_class->get_request_mode = hl_hex_view_get_request_mode;
  widget_class->measure = hl_hex_view_measure;
  widget_class->size_allocate = hl_hex_view_size_allocate;
  widget_class->snapshot = hl_hexview_paint_snapshot;
  widget_class->css_changed = hl_hex_view_css_changed;

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * HlHexView::field-activated:
   * @field: the innermost field containing the byte someone clicked or moved to
   */
  signals[FIELD_ACTIVATED] =
    g_signal_new ("field-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, HL_TYPE_FIELD | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  hl_hexview_install_bindings (widget_class);

  gtk_widget_class_set_css_name (widget_class, "hlhexview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
hl_hex_view_init (HlHexView *self)
{
  GtkGesture *drag;
  GtkEventController *motion;

  /* the scrolled window decides about its scrollbar from the natural height, which is what
   * size_allocate gives the adjustment (with the minimum it would flip on every layout) */
  self->vscroll_policy = GTK_SCROLL_NATURAL;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "monospace");
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);
  hl_hex_layout_init (&self->layout, 0, 8, 0, 0, PADDING);

  for (guint i = 1; i < N_PAINTS; i++)
    {
      const char *classes[] = { paint_classes[i], NULL };

      self->swatches[i] = g_object_new (HL_TYPE_SWATCH, "css-classes", classes,
                                        "visible", FALSE, NULL);
      gtk_widget_set_parent (self->swatches[i], GTK_WIDGET (self));
    }

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (hl_hexview_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (hl_hexview_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (hl_hexview_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (hl_hexview_motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (hl_hexview_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (hl_hexview_query_tooltip_cb), NULL);
}

GtkWidget *
hl_hex_view_new (void)
{
  return g_object_new (HL_TYPE_HEX_VIEW, NULL);
}
