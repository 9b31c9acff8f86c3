/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-view"
#include "config.h"

#include <math.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "hl-sequence-painter.h"
#include "hl-sequence-view-private.h"
#include "hl-sequence-view.h"
#include "hl-swatch.h"

/* Order of this file: the style nodes the palette comes from, trace, input, GtkWidget and
 * GObject plumbing. The cache of the static drawing is in hl-sequence-view-tiles.c, scrolling
 * and zoom in hl-sequence-view-scroll.c, the playhead and its animation in
 * hl-sequence-view-playhead.c; the object's struct in hl-sequence-view-private.h.
 *
 * Model → layout → render: HlSequenceLayout places everything in layout units; this widget
 * multiplies by the zoom, scrolls, and asks HlSequencePainter to stroke. The static drawing is
 * kept in tiles, one per horizontal band of the layout (images once seen twice, see
 * hl-sequence-view-tiles.c), and dropped on size, scale, style, trace and playhead changes
 * (only the tiles whose rows changed). Hover and the current step are drawn on top (rows kept
 * like tiles once the step has settled; anew each frame while it animates), and the lifeline
 * headers last, pinned to the top. */

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE_WITH_CODE (HlSequenceView, hl_sequence_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static void
scale_factor_cb (HlSequenceView *self, GParamSpec *pspec, gpointer user_data)
{
  hl_sequence_view_invalidate (self);
}

/* The palette and fonts come from CSS; a change drops everything drawn. */
static void
reload_style (HlSequenceView *self)
{
  HlSequencePalette palette;
  gboolean changed;

  for (guint i = 0; i < HL_SEQUENCE_N_COLORS; i++)
    hl_swatch_get_color (self->swatches[i], &palette.colors[i]);
  changed = hl_sequence_painter_set_palette (self->painter, &palette);
  if (hl_sequence_painter_set_font (self->painter, pango_context_get_font_description (
                                      gtk_widget_get_pango_context (GTK_WIDGET (self)))))
    {
      hl_sequence_layout_invalidate (self->layout);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      changed = TRUE;
    }
  if (changed)
    hl_sequence_view_invalidate (self);
}

/* Trace */

void
hl_sequence_view_set_trace (HlSequenceView *self, HlTrace *trace)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));

  if (!g_set_object (&self->trace, trace))
    return;
  hl_seqview_set_playing (self, FALSE);
  adw_animation_reset (self->step_animation);
  hl_sequence_layout_set_trace (self->layout, trace);
  self->hover = -1;
  self->step = 0;
  self->position = 0;
  self->layout_width = -1;
  hl_sequence_view_invalidate (self);
  if (self->vadjustment)
    gtk_adjustment_set_value (self->vadjustment, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  hl_seqview_update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STEPS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

HlTrace *
hl_sequence_view_get_trace (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), NULL);
  return self->trace;
}

HlSequenceLayout *
hl_sequence_view_get_layout (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), NULL);
  return self->layout;
}

void
hl_sequence_view_set_show_records (HlSequenceView *self, gboolean show_records)
{
  HlEvent *current;

  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  show_records = !!show_records;
  if (show_records == hl_sequence_layout_get_show_records (self->layout))
    return;
  /* the same event stays current */
  current = hl_sequence_view_get_current_event (self);
  adw_animation_reset (self->step_animation);
  hl_sequence_layout_set_show_records (self->layout, show_records);
  if (current)
    {
      int s = hl_sequence_layout_find_step (self->layout, hl_event_get_index (current));

      /* a record hidden: its message is the next step */
      self->step = s >= 0 ? (guint) s + 1 : MIN (self->step, hl_sequence_layout_get_n_steps (
                                                                  self->layout));
    }
  self->position = self->step;
  hl_sequence_view_invalidate (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  hl_seqview_ensure_current_visible (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_RECORDS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STEPS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

gboolean
hl_sequence_view_get_show_records (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), FALSE);
  return hl_sequence_layout_get_show_records (self->layout);
}

/* Input */

static const HlSequenceItem *
item_at (HlSequenceView *self, double x, double y)
{
  if (self->trace == NULL || self->zoom <= 0)
    return NULL;
  /* the headers cover whatever scrolled under them */
  if (y < hl_sequence_layout_get_header_height (self->layout) * self->zoom)
    return hl_sequence_layout_lookup (self->layout, (x + hl_seqview_hvalue (self)) / self->zoom,
                                      y / self->zoom);
  return hl_sequence_layout_lookup (self->layout, (x + hl_seqview_hvalue (self)) / self->zoom,
                                    (y + hl_seqview_vvalue (self)) / self->zoom);
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, HlSequenceView *self)
{
  const HlSequenceItem *item = item_at (self, x, y);

  if (item == NULL || item->event == G_MAXUINT || item->kind == HL_SEQUENCE_ITEM_GROUP)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  hl_seqview_set_playing (self, FALSE);
  hl_seqview_move_to (self, item->step + 1, FALSE);
}

static void
set_hover (HlSequenceView *self, int hover)
{
  if (hover == self->hover)
    return;
  self->hover = hover;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), hover >= 0 ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *motion, double x, double y, HlSequenceView *self)
{
  const HlSequenceItem *item = item_at (self, x, y);

  set_hover (self, item && item->event != G_MAXUINT ? item->step : -1);
}

static void
leave_cb (GtkEventControllerMotion *motion, HlSequenceView *self)
{
  set_hover (self, -1);
}

static gboolean
scroll_cb (GtkEventControllerScroll *scroll, double dx, double dy, HlSequenceView *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (scroll));
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (scroll));
  double x = 0, y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  if (!(state & GDK_CONTROL_MASK) || dy == 0)
    return FALSE;
  if (event)
    {
      graphene_point_t p;
      GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));

      if (gdk_event_get_position (event, &x, &y) && native &&
          gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self),
                                    &GRAPHENE_POINT_INIT (x, y), &p))
        y = p.y;
    }
  hl_seqview_zoom_around (self, self->zoom_level * pow (ZOOM_STEP, -dy), y);
  return TRUE;
}

static gboolean
query_tooltip_cb (GtkWidget      *widget,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip,
                  HlSequenceView *self)
{
  const HlSequenceItem *item = keyboard ? NULL : item_at (self, x, y);

  if (item == NULL)
    return FALSE;
  if (item->event != G_MAXUINT && self->trace)
    gtk_tooltip_set_text (tooltip, hl_event_get_caption (hl_trace_get_event (self->trace,
                                                                             item->event)));
  else if (item->kind == HL_SEQUENCE_ITEM_GROUP)
    gtk_tooltip_set_text (tooltip, _("A flight: the messages one side sends before it waits "
                                     "for the other"));
  else if (item->kind == HL_SEQUENCE_ITEM_HEADER && item->side == HL_SIDE_CA)
    gtk_tooltip_set_text (tooltip, _("The certificate authority signed the server’s certificate "
                                     "when it was set up. Clients check certificates against "
                                     "the authorities they trust locally: the CA is never "
                                     "contacted during the handshake."));
  else if (item->kind == HL_SEQUENCE_ITEM_BAND && item->detail)
    gtk_tooltip_set_text (tooltip, item->detail);
  else
    return FALSE;
  return TRUE;
}

/* GtkWidget */

static void
hl_sequence_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (widget);
  double w, h;

  hl_sequence_layout_get_size (self->layout, &w, &h);
  *minimum = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = (int) ceil (hl_sequence_layout_get_natural_width (self->layout));
  else
    *natural = (int) ceil (h);
}

static void
hl_sequence_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (widget);

  hl_seqview_update_geometry (self, width, height);
  if (self->scroll_pending && gtk_widget_get_mapped (widget))
    {
      self->scroll_pending = FALSE;
      hl_seqview_ensure_current_visible (self, FALSE);
    }
}

static void
hl_sequence_view_map (GtkWidget *widget)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (widget);

  GTK_WIDGET_CLASS (hl_sequence_view_parent_class)->map (widget);
  if (self->step > 0)
    {
      self->scroll_pending = TRUE;
      gtk_widget_queue_allocate (widget);
    }
}

static void
hl_sequence_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (hl_sequence_view_parent_class)->css_changed (widget, change);
  reload_style (HL_SEQUENCE_VIEW (widget));
}

/* Drawn on top every frame, in widget pixels before scrolling: hover and the current step.
 * While the current step animates it is drawn anew each frame; settled, both rows are kept
 * (hl_seqview_ensure_row). */
static void
snapshot_overlay (HlSequenceView *self, GtkSnapshot *snapshot, int current, double top,
                  double bottom)
{
  const HlSequenceItem *cur = current >= 0 ? hl_sequence_layout_get_step (self->layout, current)
                                           : NULL;
  gboolean hover = self->hover >= 0 && self->hover != current &&
                   (guint) self->hover < hl_sequence_layout_get_n_steps (self->layout);
  gboolean show_current = cur && cur->bounds.y < bottom &&
                          cur->bounds.y + cur->bounds.height > top;
  double progress = self->position - (self->step - 1);

  /* one small node per row: the renderer rasterises only those rows again */
  if (hover)
    gtk_snapshot_append_node (snapshot, hl_seqview_ensure_row (self, &self->hover_row,
                                                    &self->hover_row_step, self->hover, FALSE));
  if (show_current && progress >= 1)
    gtk_snapshot_append_node (snapshot, hl_seqview_ensure_row (self, &self->current_row,
                                                    &self->current_row_step, current, TRUE));
  else if (show_current)
    {
      cairo_t *cr;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_scale (snapshot, self->zoom, self->zoom);
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (cur->bounds.x, cur->bounds.y,
                                                                     cur->bounds.width,
                                                                     cur->bounds.height));
      hl_seqview_draw_row (self, cr, current, TRUE, progress);
      cairo_destroy (cr);
      gtk_snapshot_restore (snapshot);
    }
}

/* The title of the band in view stays under the headers, pushed up by the next one. */
static void
snapshot_band_title (HlSequenceView *self, GtkSnapshot *snapshot, double left, double top,
                     double view_width)
{
  double pin = top + hl_sequence_layout_get_header_height (self->layout);
  guint n = hl_sequence_layout_get_n_structural (self->layout);

  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *band = hl_sequence_layout_get_structural (self->layout, i);
      double y = pin;

      if (band->kind != HL_SEQUENCE_ITEM_BAND || band->box.y >= pin ||
          band->bounds.y + band->bounds.height <= pin)
        continue;
      for (guint j = i + 1; j < n; j++)
        {
          const HlSequenceItem *next = hl_sequence_layout_get_structural (self->layout, j);

          if (next->kind == HL_SEQUENCE_ITEM_BAND || next->kind == HL_SEQUENCE_ITEM_SEPARATOR)
            {
              y = MIN (y, next->box.y - band->box.height);
              break;
            }
        }
      {
        cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                                 &GRAPHENE_RECT_INIT (left, y, view_width,
                                                                      band->box.height));

        hl_sequence_painter_draw_band_title (self->painter, cr, band, y);
        cairo_destroy (cr);
      }
      break;
    }
}

static void
hl_sequence_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (widget);
  const HlSequencePalette *palette = hl_sequence_painter_get_palette (self->painter);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double zoom = self->zoom, top, bottom, left, right, ox, oy;
  int current = current_step (self);

  if (self->trace == NULL || zoom <= 0 || hl_sequence_layout_get_n_steps (self->layout) == 0)
    {
      gtk_snapshot_append_color (snapshot, &palette->colors[HL_SEQUENCE_COLOR_BACKGROUND],
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));
      return;
    }
  self->frame++;

  if (self->tiles_current != current)
    {
      hl_seqview_invalidate_steps (self, self->tiles_current, current);
      self->tiles_current = current;
    }
  ox = hl_seqview_hvalue (self);
  oy = hl_seqview_vvalue (self);
  left = ox / zoom;
  top = oy / zoom;
  bottom = (oy + height) / zoom;

  /* The tiles are opaque, span every row in view and the diagram's width: the background is
   * needed only right of them (a fill under them would be one more pass over every pixel). */
  right = MAX (0, hl_seqview_tiles_width (self) - ox);
  if (right < width)
    gtk_snapshot_append_color (snapshot, &palette->colors[HL_SEQUENCE_COLOR_BACKGROUND],
                               &GRAPHENE_RECT_INIT (right, 0, width - right, height));

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-ox, -oy));

  /* only the tiles in view */
  for (int t = (int) floor (oy / TILE_HEIGHT); t <= (int) floor ((oy + height) / TILE_HEIGHT); t++)
    gtk_snapshot_append_node (snapshot, hl_seqview_ensure_tile (self, t));
  snapshot_overlay (self, snapshot, current, top, bottom);
  gtk_snapshot_scale (snapshot, zoom, zoom);

  snapshot_band_title (self, snapshot, left, top, width / zoom);
  gtk_snapshot_restore (snapshot);

  /* the headers stay at the top */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-ox, 0));
  gtk_snapshot_append_node (snapshot, hl_seqview_ensure_header (self, oy > 1));
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

/* GObject */

static void
hl_sequence_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TRACE: g_value_set_object (value, self->trace); break;
    case PROP_STEP: g_value_set_uint (value, self->step); break;
    case PROP_N_STEPS: g_value_set_uint (value, hl_sequence_view_get_n_steps (self)); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    case PROP_SPEED: g_value_set_double (value, self->speed); break;
    case PROP_ZOOM: g_value_set_double (value, self->zoom); break;
    case PROP_SHOW_RECORDS:
      g_value_set_boolean (value, hl_sequence_view_get_show_records (self));
      break;
    case PROP_HADJUSTMENT: g_value_set_object (value, self->hadjustment); break;
    case PROP_VADJUSTMENT: g_value_set_object (value, self->vadjustment); break;
    case PROP_HSCROLL_POLICY: g_value_set_enum (value, self->hscroll_policy); break;
    case PROP_VSCROLL_POLICY: g_value_set_enum (value, self->vscroll_policy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_sequence_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TRACE: hl_sequence_view_set_trace (self, g_value_get_object (value)); break;
    case PROP_STEP: hl_sequence_view_set_step (self, g_value_get_uint (value)); break;
    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        hl_sequence_view_play (self);
      else
        hl_sequence_view_pause (self);
      break;
    case PROP_SPEED: hl_sequence_view_set_speed (self, g_value_get_double (value)); break;
    case PROP_SHOW_RECORDS:
      hl_sequence_view_set_show_records (self, g_value_get_boolean (value));
      break;
    case PROP_HADJUSTMENT:
      hl_seqview_set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      hl_seqview_set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_sequence_view_dispose (GObject *object)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (object);

  g_clear_handle_id (&self->hold_source, g_source_remove);
  g_clear_object (&self->step_animation);
  g_clear_object (&self->scroll_animation);
  for (guint i = 0; i < HL_SEQUENCE_N_COLORS; i++)
    g_clear_pointer (&self->swatches[i], gtk_widget_unparent);
  if (self->hadjustment)
    g_signal_handlers_disconnect_by_func (self->hadjustment,
                                          hl_seqview_adjustment_value_changed_cb, self);
  if (self->vadjustment)
    g_signal_handlers_disconnect_by_func (self->vadjustment,
                                          hl_seqview_adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_object (&self->trace);
  G_OBJECT_CLASS (hl_sequence_view_parent_class)->dispose (object);
}

static void
hl_sequence_view_finalize (GObject *object)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (object);

  g_clear_object (&self->layout);
  g_clear_object (&self->painter);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->header, hl_seqview_tile_free);
  g_clear_pointer (&self->current_row, hl_seqview_tile_free);
  g_clear_pointer (&self->hover_row, hl_seqview_tile_free);
  G_OBJECT_CLASS (hl_sequence_view_parent_class)->finalize (object);
}

static void
hl_sequence_view_class_init (HlSequenceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hl_sequence_view_get_property;
  object_class->set_property = hl_sequence_view_set_property;

  object_class->dispose = hl_sequence_view_dispose;
  object_class->finalize = hl_sequence_view_finalize;
  widget_class->measure = hl_sequence_view_measure;
  widget_class->size_allocate = hl_sequence_view_size_allocate;
  widget_class->snapshot = hl_sequence_view_snapshot;
  widget_class->css_changed = hl_sequence_view_css_changed;
  widget_class->map = hl_sequence_view_map;

  properties[PROP_TRACE] =
    g_param_spec_object ("trace", NULL, NULL, HL_TYPE_TRACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_STEPS] =
    g_param_spec_uint ("n-steps", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, HL_SEQUENCE_VIEW_MIN_SPEED,
                         HL_SEQUENCE_VIEW_MAX_SPEED, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, G_MAXDOUBLE, 1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_RECORDS] =
    g_param_spec_boolean ("show-records", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "hlsequenceview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hl_sequence_view_init (HlSequenceView *self)
{
  GtkEventController *controller;
  GtkGesture *click;
  PangoContext *context = gtk_widget_create_pango_context (GTK_WIDGET (self));

  self->speed = 1;
  self->zoom_level = 1;
  self->zoom = 1;
  self->hover = -1;
  self->tiles_current = -1;
  self->layout_width = -1;
  self->tiles = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hl_seqview_tile_free);
  self->painter = hl_sequence_painter_new (context);
  g_object_unref (context);
  self->layout = hl_sequence_layout_new (hl_sequence_painter_measure, g_object_ref (self->painter),
                                         g_object_unref);

  for (guint i = 0; i < HL_SEQUENCE_N_COLORS; i++)
    {
      const char *classes[] = { hl_sequence_color_to_class (i), NULL };

      self->swatches[i] = g_object_new (HL_TYPE_SWATCH, "css-classes", classes,
                                        "visible", FALSE, NULL);
      gtk_widget_set_parent (self->swatches[i], GTK_WIDGET (self));
    }

  self->step_animation =
    adw_timed_animation_new (GTK_WIDGET (self), 0, 1, ARROW_MS,
                             adw_callback_animation_target_new (hl_seqview_step_animation_cb,
                                                                self, NULL));
  adw_timed_animation_set_easing (ADW_TIMED_ANIMATION (self->step_animation),
                                  ADW_EASE_IN_OUT_CUBIC);
  g_signal_connect (self->step_animation, "done",
                    G_CALLBACK (hl_seqview_step_animation_done_cb), self);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_cb), NULL);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  hl_seqview_set_adjustment (self, &self->hadjustment, NULL);
  hl_seqview_set_adjustment (self, &self->vadjustment, NULL);
  reload_style (self);
}

GtkWidget *
hl_sequence_view_new (void)
{
  return g_object_new (HL_TYPE_SEQUENCE_VIEW, NULL);
}

void
hl_seqview_notify (HlSequenceView *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}
