/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-painter"
#include "config.h"

#include <math.h>
#include <string.h>

#include "hl-sequence-painter.h"
#include "hl-sequence-painter-private.h"

/* Shapes and icons (rounded boxes, lock, key, check mark, envelope, number pill) and the colours
 * of sides, bands and arrows. */

void
hl_painter_draw_lock (HlSequencePainter *self, cairo_t *cr, double x, double cy, double size,
                      HlSequenceColor color, gboolean open)
{
  double body_h = size * 0.62, body_y = cy - body_h / 2 + size * 0.2;
  double r = size * 0.3;

  set_color (self, cr, color, 1);
  cairo_set_line_width (cr, size * 0.15);
  cairo_new_path (cr);
  cairo_arc (cr, x + size / 2 + (open ? size * 0.35 : 0), body_y - r * 0.15, r, G_PI, 0);
  if (!open)
    cairo_line_to (cr, x + size / 2 + r, body_y);
  cairo_move_to (cr, x + size / 2 - r + (open ? size * 0.35 : 0), body_y - r * 0.15);
  cairo_line_to (cr, x + size / 2 - r + (open ? size * 0.35 : 0), body_y);
  cairo_stroke (cr);
  rounded_rect (cr, x, body_y, size, body_h, size * 0.12);
  cairo_fill (cr);
}

void
hl_painter_draw_key (HlSequencePainter *self, cairo_t *cr, double x, double cy, double size,
                     HlSequenceColor color)
{
  double r = size * 0.26;

  set_color (self, cr, color, 1);
  cairo_set_line_width (cr, size * 0.14);
  cairo_new_path (cr);
  cairo_arc (cr, x + r + 1, cy, r, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_move_to (cr, x + 2 * r + 1, cy);
  cairo_line_to (cr, x + size, cy);
  cairo_move_to (cr, x + size * 0.78, cy);
  cairo_line_to (cr, x + size * 0.78, cy + size * 0.24);
  cairo_move_to (cr, x + size * 0.95, cy);
  cairo_line_to (cr, x + size * 0.95, cy + size * 0.2);
  cairo_stroke (cr);
}

void
hl_painter_draw_check (HlSequencePainter *self, cairo_t *cr, const HlSequenceRect *r, gboolean ok)
{
  double cx = r->x + r->width / 2, cy = r->y + r->height / 2, d = r->width;

  set_color (self, cr, ok ? HL_SEQUENCE_COLOR_OK : HL_SEQUENCE_COLOR_FAILED, 1);
  cairo_new_path (cr);
  cairo_arc (cr, cx, cy, d / 2, 0, 2 * G_PI);
  cairo_fill (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_ON_COLOR, 1);
  cairo_set_line_width (cr, d * 0.13);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (ok)
    {
      cairo_move_to (cr, cx - d * 0.22, cy + d * 0.02);
      cairo_line_to (cr, cx - d * 0.06, cy + d * 0.18);
      cairo_line_to (cr, cx + d * 0.24, cy - d * 0.16);
    }
  else
    {
      cairo_move_to (cr, cx - d * 0.17, cy - d * 0.17);
      cairo_line_to (cr, cx + d * 0.17, cy + d * 0.17);
      cairo_move_to (cr, cx + d * 0.17, cy - d * 0.17);
      cairo_line_to (cr, cx - d * 0.17, cy + d * 0.17);
    }
  cairo_stroke (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
}

/* The packet travelling along an arrow: an envelope, sealed with a lock when encrypted. */
void
hl_painter_draw_envelope (HlSequencePainter *self, cairo_t *cr, double cx, double cy,
                          HlSequenceColor color, gboolean locked)
{
  double w = 26, h = 18, x = cx - w / 2, y = cy - h / 2;

  set_color (self, cr, HL_SEQUENCE_COLOR_CARD, 1);
  rounded_rect (cr, x, y, w, h, 3);
  cairo_fill_preserve (cr);
  set_color (self, cr, color, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, x + 2, y + 2);
  cairo_line_to (cr, cx, cy + 2);
  cairo_line_to (cr, x + w - 2, y + 2);
  cairo_stroke (cr);
  if (locked)
    {
      set_color (self, cr, HL_SEQUENCE_COLOR_CARD, 1);
      cairo_new_path (cr);
      cairo_arc (cr, x + w, y + h, 9, 0, 2 * G_PI);
      cairo_fill (cr);
      hl_painter_draw_lock (self, cr, x + w - 6, y + h, 12, HL_SEQUENCE_COLOR_PROTECTED, FALSE);
    }
}

void
hl_painter_draw_pill (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item,
                      HlSequenceColor color)
{
  const HlSequenceRect *r = &item->number;
  double tw, th;

  if (item->number_text == NULL || r->width <= 0)
    return;
  set_color (self, cr, color, 1);
  rounded_rect (cr, r->x, r->y, r->width, r->height, r->height / 2);
  cairo_fill (cr);
  hl_sequence_painter_measure (HL_SEQUENCE_FONT_NUMBER, item->number_text, -1, &tw, &th, self);
  hl_painter_show_text (self, cr, HL_SEQUENCE_FONT_NUMBER, item->number_text,
                        strlen (item->number_text), -1, r->x + (r->width - tw) / 2,
                        r->y + (r->height - th) / 2, HL_SEQUENCE_COLOR_ON_COLOR, 1);
}
