/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-hex-view"
#include "config.h"

#include <math.h>

#include "hl-hex-view-private.h"

/* The hex view, drawing (see hl-hex-view-private.h): only the rows in view, each byte in the
 * paint of the field it belongs to, the cursor on top. */

/* Drawing */

HlField *
hl_hexview_innermost_at (HlHexView *self, gsize offset)
{
  return self->root ? hl_field_find_at_offset (self->root, offset) : NULL;
}

static gboolean
field_contains (HlField *field, gsize offset)
{
  return field != NULL && offset >= hl_field_get_offset (field) &&
         offset < hl_field_get_end (field);
}

static gboolean
in_selection (HlHexView *self, gsize offset)
{
  return self->has_selection && offset >= self->sel_start &&
         offset < self->sel_start + self->sel_length;
}

/* How the byte at @offset is painted; @group tells neighbours with the same paint apart (the
 * child of the selected field it belongs to). */
static Paint
paint_for (HlHexView *self, gsize offset, guint *group)
{
  *group = 0;
  if (in_selection (self, offset))
    {
      HlField *sel = self->selected;
      guint n = sel ? hl_field_get_n_children (sel) : 0;
      guint k = 0;

      for (guint i = 0; i < n; i++)
        {
          HlField *child = hl_field_get_child (sel, i);

          if (hl_field_get_derived (child))
            continue;
          if (field_contains (child, offset))
            {
              *group = i + 1;
              return k % 2 == 0 ? PAINT_CHILD_A : PAINT_CHILD_B;
            }
          k++;
        }
      return PAINT_SELECTION;
    }
  if (field_contains (self->hover, offset))
    return PAINT_HOVER;
  return PAINT_NONE;
}

static void
append_rect (GtkSnapshot *snapshot, const GdkRGBA *color, double x, double y, double w, double h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

static void
paint_row_backgrounds (HlHexView *self, GtkSnapshot *snapshot, const GdkRGBA *colors, guint row)
{
  const HlHexLayout *l = &self->layout;
  gsize start = (gsize) row * l->bytes_per_row;
  gsize end = MIN (start + l->bytes_per_row, n_bytes (self));
  double y = hl_hex_layout_row_y (l, row);
  double cw = l->char_width;
  gsize run = start;

  while (run < end)
    {
      guint group, next_group;
      Paint paint = paint_for (self, run, &group);
      gsize stop = run + 1;

      while (stop < end && paint_for (self, stop, &next_group) == paint && next_group == group)
        stop++;
      if (paint != PAINT_NONE)
        {
          /* hex: from half a space before the first pair to half a space after the last */
          double x0 = hl_hex_layout_hex_x (l, run) - cw / 2;
          double x1 = hl_hex_layout_hex_x (l, stop - 1) + 2.5 * cw;

          append_rect (snapshot, &colors[paint], x0, y, x1 - x0, l->row_height);
          x0 = hl_hex_layout_ascii_x (l, run);
          x1 = hl_hex_layout_ascii_x (l, stop - 1) + cw;
          append_rect (snapshot, &colors[paint], x0, y, x1 - x0, l->row_height);
        }
      run = stop;
    }
}

static void
append_text (GtkSnapshot *snapshot, PangoLayout *layout, const char *text, double x, double y,
             const GdkRGBA *color)
{
  pango_layout_set_text (layout, text, -1);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
paint_row_text (HlHexView   *self,
                GtkSnapshot *snapshot,
                PangoLayout *layout,
                const GdkRGBA *fg,
                const GdkRGBA *dim,
                guint        row)
{
  const HlHexLayout *l = &self->layout;
  const guint8 *data = g_bytes_get_data (self->bytes, NULL);
  gsize start = (gsize) row * l->bytes_per_row;
  gsize end = MIN (start + l->bytes_per_row, n_bytes (self));
  double y = hl_hex_layout_row_y (l, row) + ROW_EXTRA / 2;
  char offset[32];
  GString *hex = g_string_sized_new (l->bytes_per_row * 3 + 2);
  GString *ascii = g_string_sized_new (l->bytes_per_row);

  g_snprintf (offset, sizeof offset, "%0*" G_GSIZE_MODIFIER "x", (int) l->offset_digits, start);
  append_text (snapshot, layout, offset, l->padding, y, dim);

  for (gsize i = start; i < end; i++)
    {
      guint column = (guint) (i - start);

      if (column > 0)
        g_string_append_c (hex, ' ');
      if (column > 0 && column % 8 == 0)
        g_string_append_c (hex, ' ');
      g_string_append_printf (hex, "%02x", data[i]);
      g_string_append_c (ascii, data[i] >= 0x20 && data[i] < 0x7f ? (char) data[i] : '.');
    }
  append_text (snapshot, layout, hex->str, hl_hex_layout_hex_x (l, start), y, fg);
  append_text (snapshot, layout, ascii->str, hl_hex_layout_ascii_x (l, start), y, fg);
  g_string_free (hex, TRUE);
  g_string_free (ascii, TRUE);
}

static void
paint_cursor (HlHexView *self, GtkSnapshot *snapshot, const GdkRGBA *color)
{
  const HlHexLayout *l = &self->layout;
  double y = hl_hex_layout_row_y (l, hl_hex_layout_row_of (l, self->cursor));
  double cw = l->char_width;
  double hex_x = hl_hex_layout_hex_x (l, self->cursor) - cw / 2;
  double ascii_x = hl_hex_layout_ascii_x (l, self->cursor) - 1;
  const float widths[4] = { 2, 2, 2, 2 };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };
  GskRoundedRect rect;

  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (hex_x, y, 3 * cw, l->row_height), 3);
  gtk_snapshot_append_border (snapshot, &rect, widths, colors);
  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (ascii_x, y, cw + 2, l->row_height),
                                   3);
  gtk_snapshot_append_border (snapshot, &rect, widths, colors);
}

void
hl_hexview_paint_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA colors[N_PAINTS], fg;
  double value = gtk_adjustment_get_value (self->vadjustment);
  int height = gtk_widget_get_height (widget);
  guint first, end;

  if (n_bytes (self) == 0)
    return;

  hl_swatch_get_color (widget, &fg);
  for (guint i = 1; i < N_PAINTS; i++)
    hl_swatch_get_color (self->swatches[i], &colors[i]);

  hl_hex_layout_visible_rows (&self->layout, value, height, &first, &end);
  layout = gtk_widget_create_pango_layout (widget, NULL);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, (float) -value));
  for (guint row = first; row < end; row++)
    paint_row_backgrounds (self, snapshot, colors, row);
  for (guint row = first; row < end; row++)
    paint_row_text (self, snapshot, layout, &fg, &colors[PAINT_DIM], row);
  if (gtk_widget_has_visible_focus (widget) && self->cursor < n_bytes (self))
    paint_cursor (self, snapshot, &colors[PAINT_CURSOR]);
  gtk_snapshot_restore (snapshot);
}
