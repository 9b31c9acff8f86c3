/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-hex-layout"
#include "config.h"

#include <math.h>

#include "hl-hex-layout.h"

/* Cells of a row, for @bytes_per_row bytes and @digits offset digits:
 *   digits | 2 | bytes × 3 (−1 after the last) + 1 per full group of 8 inside | 2 | bytes */

#define GAP 2   /* cells between the offset, hex and ASCII columns */

static guint
offset_digits (gsize n_bytes)
{
  guint digits = 4;

  while (n_bytes > 0 && digits < 16 && ((n_bytes - 1) >> (4 * digits)) != 0)
    digits++;
  return digits;
}

static guint
row_cells (guint digits, guint bytes_per_row)
{
  return digits + GAP + bytes_per_row * 3 + (bytes_per_row - 1) / 8 + 1 + bytes_per_row;
}

guint
hl_hex_layout_bytes_per_row_for_width (gsize n_bytes, double char_width, double padding,
                                       double width)
{
  static const guint choices[] = { 16, 8 };
  guint digits = offset_digits (n_bytes);

  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    if (2 * padding + row_cells (digits, choices[i]) * char_width <= width)
      return choices[i];
  return 4;
}

void
hl_hex_layout_init (HlHexLayout *layout,
                    gsize        n_bytes,
                    guint        bytes_per_row,
                    double       char_width,
                    double       row_height,
                    double       padding)
{
  g_return_if_fail (layout != NULL);
  g_return_if_fail (bytes_per_row > 0);

  layout->n_bytes = n_bytes;
  layout->bytes_per_row = bytes_per_row;
  layout->offset_digits = offset_digits (n_bytes);
  layout->char_width = char_width;
  layout->row_height = row_height;
  layout->padding = padding;
}

guint
hl_hex_layout_get_n_rows (const HlHexLayout *layout)
{
  return (guint) ((layout->n_bytes + layout->bytes_per_row - 1) / layout->bytes_per_row);
}

guint
hl_hex_layout_get_row_cells (const HlHexLayout *layout)
{
  return row_cells (layout->offset_digits, layout->bytes_per_row);
}

double
hl_hex_layout_get_width (const HlHexLayout *layout)
{
  return 2 * layout->padding + hl_hex_layout_get_row_cells (layout) * layout->char_width;
}

double
hl_hex_layout_get_height (const HlHexLayout *layout)
{
  return 2 * layout->padding + hl_hex_layout_get_n_rows (layout) * layout->row_height;
}

guint
hl_hex_layout_row_of (const HlHexLayout *layout, gsize offset)
{
  return (guint) (offset / layout->bytes_per_row);
}

double
hl_hex_layout_row_y (const HlHexLayout *layout, guint row)
{
  return layout->padding + row * layout->row_height;
}

guint
hl_hex_layout_hex_cell (const HlHexLayout *layout, guint column)
{
  return layout->offset_digits + GAP + column * 3 + column / 8;
}

guint
hl_hex_layout_ascii_cell (const HlHexLayout *layout, guint column)
{
  guint bpr = layout->bytes_per_row;

  return layout->offset_digits + GAP + bpr * 3 + (bpr - 1) / 8 + 1 + column;
}

double
hl_hex_layout_hex_x (const HlHexLayout *layout, gsize offset)
{
  guint column = offset % layout->bytes_per_row;

  return layout->padding + hl_hex_layout_hex_cell (layout, column) * layout->char_width;
}

double
hl_hex_layout_ascii_x (const HlHexLayout *layout, gsize offset)
{
  guint column = offset % layout->bytes_per_row;

  return layout->padding + hl_hex_layout_ascii_cell (layout, column) * layout->char_width;
}

gboolean
hl_hex_layout_offset_at (const HlHexLayout *layout, double x, double y, gsize *offset)
{
  guint bpr = layout->bytes_per_row;
  double cell, row_f;
  guint row, column = G_MAXUINT;
  gsize found;

  g_return_val_if_fail (layout != NULL, FALSE);

  if (layout->char_width <= 0 || layout->row_height <= 0)
    return FALSE;
  row_f = floor ((y - layout->padding) / layout->row_height);
  cell = (x - layout->padding) / layout->char_width;
  if (row_f < 0 || row_f >= hl_hex_layout_get_n_rows (layout) || cell < 0)
    return FALSE;
  row = (guint) row_f;

  if (cell >= hl_hex_layout_hex_cell (layout, 0) &&
      cell < hl_hex_layout_hex_cell (layout, bpr - 1) + 2)
    {
      /* a byte owns its two digits and the space after them (not the group gap) */
      for (guint c = 0; c < bpr; c++)
        {
          double start = hl_hex_layout_hex_cell (layout, c);

          if (cell >= start && cell < start + (c + 1 == bpr ? 2 : 3))
            {
              column = c;
              break;
            }
        }
    }
  else if (cell >= hl_hex_layout_ascii_cell (layout, 0) &&
           cell < hl_hex_layout_ascii_cell (layout, bpr - 1) + 1)
    column = (guint) (cell - hl_hex_layout_ascii_cell (layout, 0));

  if (column == G_MAXUINT)
    return FALSE;
  found = (gsize) row * bpr + column;
  if (found >= layout->n_bytes)
    return FALSE;
  if (offset)
    *offset = found;
  return TRUE;
}

void
hl_hex_layout_visible_rows (const HlHexLayout *layout,
                            double             y,
                            double             height,
                            guint             *first,
                            guint             *end)
{
  guint n = hl_hex_layout_get_n_rows (layout);
  double top = floor ((y - layout->padding) / layout->row_height);
  double bottom = ceil ((y + height - layout->padding) / layout->row_height);

  *first = (guint) CLAMP (top, 0, n);
  *end = (guint) CLAMP (bottom, *first, n);
}

char *
hl_hex_layout_dup_hex (const guint8 *data, gsize length)
{
  GString *s = g_string_sized_new (length * 3);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (s, "%s%02x", i ? " " : "", data[i]);
  return g_string_free (s, FALSE);
}

GBytes *
hl_hex_layout_parse_hex (const char *text)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  int high = -1;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == ' ' || *p == ':' || *p == '\t')
        {
          if (high >= 0)   /* a separator inside a byte: "3 4" is not 0x34 */
            return NULL;
          continue;
        }
      if (!g_ascii_isxdigit (*p))
        return NULL;
      if (high < 0)
        high = g_ascii_xdigit_value (*p);
      else
        {
          guint8 byte = (guint8) (high << 4 | g_ascii_xdigit_value (*p));

          g_byte_array_append (bytes, &byte, 1);
          high = -1;
        }
    }
  if (high >= 0 || bytes->len == 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
