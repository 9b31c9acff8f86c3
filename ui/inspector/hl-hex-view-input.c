/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-hex-view"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-hex-view-private.h"

/* The hex view, input (see hl-hex-view-private.h): dragging a selection, hover and tooltips,
 * moving the cursor with the keys, copying. */

/* Input */

static gboolean
offset_at_point (HlHexView *self, double x, double y, gsize *offset)
{
  double top = gtk_adjustment_get_value (self->vadjustment);

  return hl_hex_layout_offset_at (&self->layout, x, y + top, offset);
}

void
hl_hexview_drag_begin_cb (GtkGestureDrag *gesture, double x, double y, HlHexView *self)
{
  GtkEventController *controller = GTK_EVENT_CONTROLLER (gesture);
  GdkModifierType state = gtk_event_controller_get_current_event_state (controller);
  gsize offset;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->dragged = FALSE;
  if (!offset_at_point (self, x, y, &offset))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  if (state & GDK_SHIFT_MASK)
    {
      self->dragged = TRUE;
      hl_hexview_extend_to (self, offset);
      return;
    }
  self->anchor = offset;
  self->cursor = offset;
}

void
hl_hexview_drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, HlHexView *self)
{
  double x, y;
  gsize offset;

  if (!gtk_gesture_drag_get_start_point (gesture, &x, &y))
    return;
  if (!offset_at_point (self, x + dx, y + dy, &offset))
    return;
  if (offset != self->anchor || self->dragged)
    {
      self->dragged = TRUE;
      hl_hexview_extend_to (self, offset);
    }
}

void
hl_hexview_drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, HlHexView *self)
{
  if (!self->dragged)
    hl_hexview_activate (self, self->anchor);
}

void
hl_hexview_motion_cb (GtkEventControllerMotion *controller, double x, double y, HlHexView *self)
{
  gsize offset;
  HlField *field = NULL;

  if (offset_at_point (self, x, y, &offset))
    field = hl_hexview_innermost_at (self, offset);
  if (field != self->hover)
    {
      self->hover = field;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
hl_hexview_leave_cb (GtkEventControllerMotion *controller, HlHexView *self)
{
  if (self->hover)
    {
      self->hover = NULL;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

gboolean
hl_hexview_query_tooltip_cb (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard,
                             GtkTooltip *tooltip,
                             gpointer    user_data)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  g_autofree char *text = NULL;
  g_autofree char *range = NULL;
  HlField *field;
  gsize offset;

  if (keyboard)
    offset = self->cursor;
  else if (!offset_at_point (self, x, y, &offset))
    return FALSE;
  field = hl_hexview_innermost_at (self, offset);
  if (field == NULL)
    return FALSE;
  range = g_strdup_printf (_("bytes %zu–%zu (%zu)"), hl_field_get_offset (field),
                           hl_field_get_end (field) - 1, hl_field_get_length (field));
  if (hl_field_get_value (field))
    text = g_strdup_printf ("%s = %s\n%s", hl_field_get_name (field), hl_field_get_value (field),
                            range);
  else
    text = g_strdup_printf ("%s\n%s", hl_field_get_name (field), range);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

typedef enum
{
  MOVE_BYTE,
  MOVE_ROW,
  MOVE_PAGE,
  MOVE_END,
} Move;

static gboolean
move_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  gsize n = n_bytes (self);
  int kind, sign;
  gboolean extend;
  gint64 target, step = 1;

  if (n == 0)
    return FALSE;
  g_variant_get (args, "(iib)", &kind, &sign, &extend);
  switch ((Move) kind)
    {
    case MOVE_BYTE: step = 1; break;
    case MOVE_ROW: step = self->layout.bytes_per_row; break;
    case MOVE_PAGE:
      step = (gint64) self->layout.bytes_per_row *
             MAX (1, (gint64) (gtk_widget_get_height (widget) / self->row_height) - 1);
      break;
    case MOVE_END: step = (gint64) n; break;
    default: break;
    }
  target = CLAMP ((gint64) self->cursor + sign * step, 0, (gint64) n - 1);
  if (extend)
    hl_hexview_extend_to (self, (gsize) target);
  else
    hl_hexview_activate (self, (gsize) target);
  return TRUE;
}

static gboolean
copy_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return hl_hex_view_copy_selection (HL_HEX_VIEW (widget));
}

static gboolean
select_all_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  HlHexView *self = HL_HEX_VIEW (widget);

  if (n_bytes (self) == 0)
    return FALSE;
  self->anchor = 0;
  hl_hexview_set_selection (self, NULL, 0, n_bytes (self));
  return TRUE;
}

static void
add_move_binding (GtkWidgetClass *widget_class, guint key, guint kp_key, Move move, int sign)
{
  gtk_widget_class_add_binding (widget_class, key, 0, move_cb, "(iib)", move, sign, FALSE);
  gtk_widget_class_add_binding (widget_class, key, GDK_SHIFT_MASK, move_cb, "(iib)", move, sign,
                                TRUE);
  gtk_widget_class_add_binding (widget_class, kp_key, 0, move_cb, "(iib)", move, sign, FALSE);
  gtk_widget_class_add_binding (widget_class, kp_key, GDK_SHIFT_MASK, move_cb, "(iib)", move,
                                sign, TRUE);
}

/* The keys: arrows, pages, Home and End move the cursor (with Shift, the selection); Ctrl+C
 * copies, Ctrl+A selects all. */
void
hl_hexview_install_bindings (GtkWidgetClass *widget_class)
{
  add_move_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, MOVE_BYTE, -1);
  add_move_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, MOVE_BYTE, 1);
  add_move_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, MOVE_ROW, -1);
  add_move_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, MOVE_ROW, 1);
  add_move_binding (widget_class, GDK_KEY_Page_Up, GDK_KEY_KP_Page_Up, MOVE_PAGE, -1);
  add_move_binding (widget_class, GDK_KEY_Page_Down, GDK_KEY_KP_Page_Down, MOVE_PAGE, 1);
  add_move_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, MOVE_END, -1);
  add_move_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, MOVE_END, 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, copy_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, select_all_cb, NULL);
}
