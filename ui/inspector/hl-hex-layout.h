/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * HlHexLayout:
 * Where each byte of a hex dump goes, without a widget: an offset column, the bytes in hex (an
 * extra space after every eighth) and the same bytes as ASCII. Positions are in pixels from
 * the top left of the content; every cell is @char_width wide (a monospace font).
 *
 * ```
 * 0000  16 03 03 00 85 01 00 00  81 03 03 ef 94 b4 2f 2d  ............../-
 * ```
 *
 * The hex view (HlHexView) only multiplies with these numbers; tests check them without a
 * display.
 */
typedef struct
{
  gsize  n_bytes;
  guint  bytes_per_row;
  guint  offset_digits;   /* hex digits of the offset column, at least 4 */
  double char_width;      /* pixels per cell */
  double row_height;
  double padding;         /* around the whole dump */
} HlHexLayout;

/* The widest row that fits @width: 16, 8 or 4 bytes (4 when nothing fits). */
guint    hl_hex_layout_bytes_per_row_for_width (gsize  n_bytes,
                                                double char_width,
                                                double padding,
                                                double width);
void     hl_hex_layout_init                    (HlHexLayout *layout,
                                                gsize        n_bytes,
                                                guint        bytes_per_row,
                                                double       char_width,
                                                double       row_height,
                                                double       padding);

guint    hl_hex_layout_get_n_rows              (const HlHexLayout *layout);
/* Cells of one row, from the offset column to the end of the ASCII column. */
guint    hl_hex_layout_get_row_cells           (const HlHexLayout *layout);
double   hl_hex_layout_get_width               (const HlHexLayout *layout);
double   hl_hex_layout_get_height              (const HlHexLayout *layout);

guint    hl_hex_layout_row_of                  (const HlHexLayout *layout,
                                                gsize              offset);
double   hl_hex_layout_row_y                   (const HlHexLayout *layout,
                                                guint              row);
/* Cell index (from the left edge, padding excluded) of column @column's hex pair / ASCII char. */
guint    hl_hex_layout_hex_cell                (const HlHexLayout *layout,
                                                guint              column);
guint    hl_hex_layout_ascii_cell              (const HlHexLayout *layout,
                                                guint              column);
/* Left edge in pixels of the byte at @offset in the hex part and in the ASCII part. */
double   hl_hex_layout_hex_x                   (const HlHexLayout *layout,
                                                gsize              offset);
double   hl_hex_layout_ascii_x                 (const HlHexLayout *layout,
                                                gsize              offset);

/* The byte under a point (in content pixels), in the hex or the ASCII part; FALSE between
 * the columns, in the offset column or past the last byte. */
gboolean hl_hex_layout_offset_at               (const HlHexLayout *layout,
                                                double             x,
                                                double             y,
                                                gsize             *offset);
/* The rows that a viewport from @y, @height tall shows, even partly: [*first, *end). */
void     hl_hex_layout_visible_rows            (const HlHexLayout *layout,
                                                double             y,
                                                double             height,
                                                guint             *first,
                                                guint             *end);

/* "16 03 03 00 85": @length bytes from @offset of @data in hex, space separated. */
char    *hl_hex_layout_dup_hex                 (const guint8 *data,
                                                gsize         length);
/* Parses "16 03 03", "160303", "16:03:03" (at least one byte) into bytes; NULL if it is not. */
GBytes  *hl_hex_layout_parse_hex               (const char   *text);

G_END_DECLS
