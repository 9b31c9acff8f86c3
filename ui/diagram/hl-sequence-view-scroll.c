/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-view"
#include "config.h"

#include <math.h>

#include "hl-sequence-view-private.h"

/* The sequence view, scrolling and zoom (see hl-sequence-view-private.h): the fit, the
 * GtkScrollable adjustments, zooming around a point, and keeping the current step in view. */

/* Scrolling and zoom */

static double
fit_zoom (HlSequenceView *self, int width)
{
  double natural = hl_sequence_layout_get_natural_width (self->layout);
  gboolean four = self->trace != NULL && hl_trace_get_attacker (self->trace) != NULL;

  if (natural <= 0 || width <= 0)
    return 1;
  return CLAMP (width / natural, four ? MIN_FIT_FOUR : MIN_FIT, MAX_FIT);
}

static void
configure_adjustment (GtkAdjustment *adj, double value, double upper, double page)
{
  upper = MAX (upper, page);
  gtk_adjustment_configure (adj, CLAMP (value, 0, upper - page), 0, upper, page * 0.1,
                            page * 0.9, page);
}

void
hl_seqview_update_geometry (HlSequenceView *self, int width, int height)
{
  double zoom = CLAMP (fit_zoom (self, width) * self->zoom_level, MIN_ZOOM, MAX_ZOOM);
  double layout_width = width / zoom;
  double lw, lh;

  if (layout_width != self->layout_width)
    {
      self->layout_width = layout_width;
      hl_sequence_layout_set_width (self->layout, layout_width);
      hl_sequence_view_invalidate (self);
    }
  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      hl_sequence_view_invalidate (self);
      if (!self->anchored && self->step > 0)
        self->scroll_pending = TRUE;
      hl_seqview_notify (self, PROP_ZOOM);
    }
  hl_sequence_layout_get_size (self->layout, &lw, &lh);
  if (self->hadjustment)
    configure_adjustment (self->hadjustment, gtk_adjustment_get_value (self->hadjustment),
                          lw * zoom, width);
  if (self->vadjustment)
    {
      double value = gtk_adjustment_get_value (self->vadjustment);

      if (self->anchored)
        value = self->anchor_layout_y * zoom - self->anchor_widget_y;
      self->anchored = FALSE;
      configure_adjustment (self->vadjustment, value, lh * zoom, height);
    }
}

void
hl_seqview_adjustment_value_changed_cb (GtkAdjustment *adj, HlSequenceView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hl_seqview_set_adjustment (HlSequenceView *self, GtkAdjustment **slot, GtkAdjustment *adj)
{
  if (adj != NULL && *slot == adj)
    return;
  if (adj == NULL)
    adj = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  g_object_ref_sink (adj);
  if (*slot)
    {
      g_signal_handlers_disconnect_by_func (*slot, hl_seqview_adjustment_value_changed_cb, self);
      g_object_unref (*slot);
    }
  *slot = adj;
  g_signal_connect (adj, "value-changed", G_CALLBACK (hl_seqview_adjustment_value_changed_cb),
                    self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* The scroll offsets in whole pixels: drawing and hit-testing agree, and the cached tiles stay
 * on the pixel grid. */
double
hl_seqview_hvalue (HlSequenceView *self)
{
  return self->hadjustment ? round (gtk_adjustment_get_value (self->hadjustment)) : 0;
}

double
hl_seqview_vvalue (HlSequenceView *self)
{
  return self->vadjustment ? round (gtk_adjustment_get_value (self->vadjustment)) : 0;
}

double
hl_sequence_view_get_zoom (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), 1);
  return self->zoom;
}

double
hl_sequence_view_get_zoom_level (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), 1);
  return self->zoom_level;
}

void
hl_seqview_zoom_around (HlSequenceView *self, double level, double widget_y)
{
  level = CLAMP (level, 0.35, 3.5);
  if (level == self->zoom_level)
    return;
  self->anchor_widget_y = widget_y;
  self->anchor_layout_y = (hl_seqview_vvalue (self) + widget_y) / MAX (self->zoom, 0.01);
  self->anchored = TRUE;
  self->zoom_level = level;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
hl_sequence_view_set_zoom_level (HlSequenceView *self, double level)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));
  /* keep the current step where it is, else the top */
  hl_seqview_zoom_around (self, level, gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

gboolean
hl_sequence_view_can_zoom_in (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), FALSE);
  return self->zoom_level * ZOOM_STEP <= 3.5 && self->zoom * ZOOM_STEP <= MAX_ZOOM;
}

gboolean
hl_sequence_view_can_zoom_out (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), FALSE);
  return self->zoom_level / ZOOM_STEP >= 0.35 && self->zoom / ZOOM_STEP >= MIN_ZOOM;
}

gboolean
hl_sequence_view_layout_to_widget (HlSequenceView *self,
                                   double          x,
                                   double          y,
                                   double         *widget_x,
                                   double         *widget_y)
{
  double wx, wy;

  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), FALSE);

  wx = x * self->zoom - hl_seqview_hvalue (self);
  wy = y * self->zoom - hl_seqview_vvalue (self);
  if (widget_x)
    *widget_x = wx;
  if (widget_y)
    *widget_y = wy;
  return wx >= 0 && wx < gtk_widget_get_width (GTK_WIDGET (self)) &&
         wy >= hl_sequence_layout_get_header_height (self->layout) * self->zoom &&
         wy < gtk_widget_get_height (GTK_WIDGET (self));
}

void
hl_sequence_view_get_step_point (HlSequenceView *self, guint step, double *x, double *y)
{
  const HlSequenceItem *item;

  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));
  g_return_if_fail (step < hl_sequence_layout_get_n_steps (self->layout));

  item = hl_sequence_layout_get_step (self->layout, step);
  if (item->kind == HL_SEQUENCE_ITEM_ARROW)
    {
      *x = item->x1 + (item->x2 - item->x1) / 4;
      *y = item->y;
    }
  else
    {
      *x = item->box.x + item->box.width / 2;
      *y = item->box.y + item->box.height / 2;
    }
}

/* Keeps the current step's row in the part under the headers, a third of the way down when it
 * has to move, so what comes next is visible too. */
void
hl_seqview_ensure_current_visible (HlSequenceView *self, gboolean animate)
{
  const HlSequenceItem *item;
  double header, page, top, bottom, value, target;

  if (self->vadjustment == NULL)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->zoom <= 0 ||
      gtk_widget_get_height (GTK_WIDGET (self)) <= 0)
    {
      self->scroll_pending = TRUE;
      return;
    }
  /* stop a scroll in flight where it is */
  if (self->scroll_animation)
    adw_animation_pause (self->scroll_animation);
  if (self->step == 0)
    {
      /* back to the beginning: the CA link and the first band in view */
      gtk_adjustment_set_value (self->vadjustment, 0);
      return;
    }
  item = hl_sequence_layout_get_step (self->layout, current_step (self));
  header = hl_sequence_layout_get_header_height (self->layout) * self->zoom;
  page = gtk_adjustment_get_page_size (self->vadjustment);
  value = gtk_adjustment_get_value (self->vadjustment);
  top = item->bounds.y * self->zoom;
  bottom = (item->bounds.y + item->bounds.height) * self->zoom;
  if (top >= value + header + 8 && bottom <= value + page - page * 0.12)
    return;
  target = top - header - (page - header) * 0.33;
  target = CLAMP (target, 0, gtk_adjustment_get_upper (self->vadjustment) - page);
  if (animate)
    {
      g_clear_object (&self->scroll_animation);
      self->scroll_animation =
        adw_timed_animation_new (GTK_WIDGET (self), value, target, SCROLL_MS,
                                 adw_property_animation_target_new (G_OBJECT (self->vadjustment),
                                                                    "value"));
      adw_timed_animation_set_easing (ADW_TIMED_ANIMATION (self->scroll_animation),
                                      ADW_EASE_OUT_CUBIC);
      adw_animation_play (self->scroll_animation);
    }
  else
    gtk_adjustment_set_value (self->vadjustment, target);
}
