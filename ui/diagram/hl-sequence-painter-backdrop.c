/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-painter"
#include "config.h"

#include <math.h>
#include <string.h>

#include "hl-sequence-painter.h"
#include "hl-sequence-painter-private.h"

/* What stands behind the steps and above them: band strips, lifelines, the CA link, separators,
 * flight and record groups, the header cards and the band titles. */

/* Backdrop: bands, lifelines, the CA link, separators, groups */

static gboolean
intersects (const HlSequenceRect *r, double y0, double y1)
{
  return r->y < y1 && r->y + r->height > y0;
}

static void
draw_band_strip (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *band)
{
  HlSequenceColor fill = band_color (band->phase, FALSE);
  HlSequenceColor title = band_color (band->phase, TRUE);
  double icon = band->number.width;
  double ix = band->number.x;
  double cy = band->number.y + band->number.height / 2;

  /* opaque, so lifelines pause under the title: each phase reads as its own chapter */
  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 1);
  cairo_rectangle (cr, band->box.x, band->box.y, band->box.width, band->box.height);
  cairo_fill (cr);
  set_color (self, cr, fill, 2.2);
  cairo_rectangle (cr, band->box.x, band->box.y, band->box.width, band->box.height);
  cairo_fill (cr);
  set_color (self, cr, title, 0.7);
  cairo_rectangle (cr, band->box.x, band->box.y, band->box.width, 2);
  cairo_fill (cr);

  if (band->phase == HL_SEQUENCE_PHASE_KEY_EXCHANGE)
    hl_painter_draw_key (self, cr, ix, cy, icon, title);
  else
    hl_painter_draw_lock (self, cr, ix + icon * 0.1, cy, icon * 0.8, title,
                          band->phase == HL_SEQUENCE_PHASE_NEGOTIATION);
  hl_painter_show_item_text (self, cr, band, -1, title, 1);
  hl_painter_show_text (self, cr, HL_SEQUENCE_FONT_DETAIL, band->detail,
                        band->detail ? strlen (band->detail) : 0, -1, band->detail_rect.x,
                        band->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
}

/* The threat mark: a warning triangle with an exclamation mark, @size high, its right edge at
 * @right and its top at @top (drawn like the symbolic dialog-warning icon). */
void
hl_painter_draw_threat (HlSequencePainter *self, cairo_t *cr, double right, double top, double size)
{
  double w = size * 1.12, x = right - w;

  cairo_save (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_ATTACKER, 1);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, size * 0.12);
  cairo_move_to (cr, x + w / 2, top);
  cairo_line_to (cr, x + w, top + size);
  cairo_line_to (cr, x, top + size);
  cairo_close_path (cr);
  cairo_fill_preserve (cr);
  cairo_stroke (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_ON_COLOR, 1);
  cairo_rectangle (cr, x + w / 2 - size * 0.06, top + size * 0.32, size * 0.12, size * 0.36);
  cairo_fill (cr);
  cairo_arc (cr, x + w / 2, top + size * 0.82, size * 0.07, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_lifeline (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *line, double y0,
               double y1)
{
  double top = MAX (y0, line->bounds.y), bottom = MIN (y1, line->bounds.y + line->bounds.height);

  if (top >= bottom)
    return;
  cairo_save (cr);
  set_color (self, cr, side_color (line->side), line->side == HL_SIDE_CA ? 0.8 : 0.55);
  cairo_set_line_width (cr, line->side == HL_SIDE_CA ? 2 : 2.5);
  if (line->side == HL_SIDE_CA)
    {
      double dash[] = { 7, 6 };

      /* keep the dash phase fixed in layout space so tiles join seamlessly */
      cairo_set_dash (cr, dash, 2, fmod (top - line->bounds.y, 13));
    }
  else if (line->flags & HL_SEQUENCE_FLAG_THREAT)
    {
      /* the attacker: a heavier, broken line that reads as "not supposed to be here" */
      double dash[] = { 14, 5, 3, 5 };

      set_color (self, cr, side_color (line->side), 0.8);
      cairo_set_line_width (cr, 3);
      cairo_set_dash (cr, dash, 4, fmod (top - line->bounds.y, 27));
    }
  cairo_move_to (cr, line->x1, top);
  cairo_line_to (cr, line->x1, bottom);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_ca_link (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *link)
{
  double dash[] = { 7, 6 };
  double dir = link->x2 > link->x1 ? 1 : -1;

  cairo_save (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_CA, 0.9);
  cairo_set_line_width (cr, 2);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, link->x1, link->y);
  cairo_line_to (cr, link->x2 - dir * 4, link->y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  /* an open arrowhead: a signature, not a message */
  cairo_move_to (cr, link->x2 - dir * HEAD_LENGTH, link->y - HEAD_HALF);
  cairo_line_to (cr, link->x2 - dir * 2, link->y);
  cairo_line_to (cr, link->x2 - dir * HEAD_LENGTH, link->y + HEAD_HALF);
  cairo_stroke (cr);
  /* the seal */
  cairo_new_path (cr);
  cairo_arc (cr, link->x1, link->y, 6, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_restore (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 0.85);
  rounded_rect (cr, link->text_rect.x - 6, link->text_rect.y - 1, link->text_rect.width + 12,
                link->text_rect.height + 2, 4);
  cairo_fill (cr);
  hl_painter_show_item_text (self, cr, link, -1, HL_SEQUENCE_COLOR_CA, 1);
}

static void
draw_separator (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *sep)
{
  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 1);
  cairo_rectangle (cr, sep->box.x, sep->box.y, sep->box.width, sep->box.height);
  cairo_fill (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_FOREGROUND, 0.35);
  for (int i = 0; i < 2; i++)
    {
      cairo_rectangle (cr, sep->box.x, sep->box.y + i * 4, sep->box.width, 1.5);
      cairo_rectangle (cr, sep->box.x, sep->box.y + sep->box.height - 1.5 - i * 4, sep->box.width,
                       1.5);
    }
  cairo_fill (cr);
  hl_painter_show_item_text (self, cr, sep, -1, HL_SEQUENCE_COLOR_FOREGROUND, 1);
  hl_painter_show_text (self, cr, HL_SEQUENCE_FONT_DETAIL, sep->detail,
                        sep->detail ? strlen (sep->detail) : 0, -1, sep->detail_rect.x,
                        sep->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
}

static void
draw_group (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *group)
{
  const HlSequenceRect *b = &group->box;

  if (group->flags & HL_SEQUENCE_FLAG_RECORD)
    {
      double dash[] = { 4, 4 };

      cairo_save (cr);
      set_color (self, cr, HL_SEQUENCE_COLOR_DIM, 0.8);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dash, 2, 0);
      rounded_rect (cr, b->x, b->y, b->width, b->height, CORNER);
      cairo_stroke (cr);
      cairo_restore (cr);
      return;
    }

  set_color (self, cr, side_color (group->side), 0.7);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, b->x, b->y + 1);
  cairo_line_to (cr, b->x + b->width, b->y + 1);
  cairo_line_to (cr, b->x + b->width, b->y + b->height - 1);
  cairo_line_to (cr, b->x, b->y + b->height - 1);
  cairo_stroke (cr);
  hl_painter_show_item_text (self, cr, group, -1, side_color (group->side), 1);
  hl_painter_show_text (self, cr, HL_SEQUENCE_FONT_DETAIL, group->detail,
                        group->detail ? strlen (group->detail) : 0, -1, group->detail_rect.x,
                        group->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
}

static void
tint_band (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *band)
{
  set_color (self, cr, band_color (band->phase, FALSE), 1);
  cairo_rectangle (cr, band->bounds.x, band->bounds.y, band->bounds.width, band->bounds.height);
  cairo_fill (cr);
}

/* The band's tint blended over the background as Cairo's image backend does it, read back
 * from one pixel: filling with it gives the very pixels the tint would. */
static void
set_tinted_background (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *band)
{
  cairo_surface_t *pixel = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *pixel_cr = cairo_create (pixel);
  guint32 rgb;

  set_color (self, pixel_cr, HL_SEQUENCE_COLOR_BACKGROUND, 1);
  cairo_paint (pixel_cr);
  set_color (self, pixel_cr, band_color (band->phase, FALSE), 1);
  cairo_paint (pixel_cr);
  cairo_destroy (pixel_cr);
  cairo_surface_flush (pixel);
  rgb = *(const guint32 *) cairo_image_surface_get_data (pixel);
  cairo_surface_destroy (pixel);
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

/* Tints the part of @band inside the device-space rectangle @x, @y, @w, @h. */
static void
tint_band_within (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *band, double x,
                  double y, double w, double h)
{
  cairo_matrix_t user;

  if (w <= 0 || h <= 0)
    return;
  cairo_get_matrix (cr, &user);
  cairo_save (cr);
  cairo_identity_matrix (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_matrix (cr, &user);
  tint_band (self, cr, band);
  cairo_restore (cr);
}

/* On the background: the device pixels wholly inside the band are filled with the tinted
 * background, opaque, and only the partly covered pixels at its edges are blended, as
 * tint_band() blends them. Same pixels (bands do not overlap), one blend per band instead of
 * one per pixel. The transform is a scale and a translation, so whole device pixels are whole
 * pixels of the target too (the screen's scale factor is an integer). */
static void
tint_band_on_background (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *band)
{
  double x0 = band->bounds.x, y0 = band->bounds.y;
  double x1 = x0 + band->bounds.width, y1 = y0 + band->bounds.height;
  double ix0, iy0, ix1, iy1, ox0, oy0, ox1, oy1;

  cairo_user_to_device (cr, &x0, &y0);
  cairo_user_to_device (cr, &x1, &y1);
  ix0 = ceil (x0), iy0 = ceil (y0), ix1 = floor (x1), iy1 = floor (y1);
  if (ix1 <= ix0 || iy1 <= iy0)
    {
      tint_band (self, cr, band);
      return;
    }
  ox0 = floor (x0), oy0 = floor (y0), ox1 = ceil (x1), oy1 = ceil (y1);
  cairo_save (cr);
  cairo_identity_matrix (cr);
  set_tinted_background (self, cr, band);
  cairo_rectangle (cr, ix0, iy0, ix1 - ix0, iy1 - iy0);
  cairo_fill (cr);
  cairo_restore (cr);
  tint_band_within (self, cr, band, ox0, oy0, ox1 - ox0, iy0 - oy0);
  tint_band_within (self, cr, band, ox0, iy1, ox1 - ox0, oy1 - iy1);
  tint_band_within (self, cr, band, ox0, iy0, ix0 - ox0, iy1 - iy0);
  tint_band_within (self, cr, band, ix1, iy0, ox1 - ix1, iy1 - iy0);
}

void
hl_sequence_painter_draw_backdrop (HlSequencePainter *self,
                                   cairo_t           *cr,
                                   HlSequenceLayout  *layout,
                                   double             y0,
                                   double             y1,
                                   gboolean           on_background)
{
  guint n, first, end;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (layout));

  self->alpha = 1;
  n = hl_sequence_layout_get_n_structural (layout);
  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind != HL_SEQUENCE_ITEM_BAND || !intersects (&item->bounds, y0, y1))
        continue;
      if (on_background)
        tint_band_on_background (self, cr, item);
      else
        tint_band (self, cr, item);
    }
  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_LIFELINE)
        draw_lifeline (self, cr, item, y0, y1);
    }
  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_BAND && intersects (&item->box, y0, y1))
        draw_band_strip (self, cr, item);
      else if (item->kind == HL_SEQUENCE_ITEM_SEPARATOR && intersects (&item->box, y0, y1))
        draw_separator (self, cr, item);
      else if (item->kind == HL_SEQUENCE_ITEM_CA_LINK && intersects (&item->bounds, y0, y1))
        draw_ca_link (self, cr, item);
    }
  hl_sequence_layout_find_groups (layout, y0, y1, &first, &end);
  for (guint i = first; i < end; i++)
    draw_group (self, cr, hl_sequence_layout_get_group (layout, i));
}

void
hl_sequence_painter_draw_band_title (HlSequencePainter    *self,
                                     cairo_t              *cr,
                                     const HlSequenceItem *band,
                                     double                y)
{
  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail (band != NULL && band->kind == HL_SEQUENCE_ITEM_BAND);

  self->alpha = 1;
  cairo_save (cr);
  cairo_translate (cr, 0, y - band->box.y);
  draw_band_strip (self, cr, band);
  /* a hairline under it: it floats over the rows */
  set_color (self, cr, HL_SEQUENCE_COLOR_BORDER, 1);
  cairo_rectangle (cr, band->box.x, band->box.y + band->box.height - 1, band->box.width, 1);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* Headers */

void
hl_sequence_painter_draw_headers (HlSequencePainter *self,
                                  cairo_t           *cr,
                                  HlSequenceLayout  *layout,
                                  gboolean           shadow)
{
  double width, height = hl_sequence_layout_get_header_height (layout);
  guint n = hl_sequence_layout_get_n_structural (layout);

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));

  self->alpha = 1;
  hl_sequence_layout_get_size (layout, &width, NULL);
  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  if (shadow)
    {
      cairo_pattern_t *p = cairo_pattern_create_linear (0, height, 0, height + 10);

      cairo_pattern_add_color_stop_rgba (p, 0, 0, 0, 0, 0.14);
      cairo_pattern_add_color_stop_rgba (p, 1, 0, 0, 0, 0);
      cairo_set_source (cr, p);
      cairo_rectangle (cr, 0, height, width, 10);
      cairo_fill (cr);
      cairo_pattern_destroy (p);
    }
  set_color (self, cr, HL_SEQUENCE_COLOR_BORDER, 1);
  cairo_rectangle (cr, 0, height - 1, width, 1);
  cairo_fill (cr);

  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);
      HlSequenceColor color;
      const HlSequenceRect *b;

      if (item->kind == HL_SEQUENCE_ITEM_LIFELINE)
        {
          /* the stub that joins each card to its lifeline */
          set_color (self, cr, side_color (item->side), 0.55);
          cairo_rectangle (cr, item->x1 - 1.25, item->bounds.y - 14, 2.5, 14 + 1);
          cairo_fill (cr);
        }
      if (item->kind != HL_SEQUENCE_ITEM_HEADER)
        continue;
      color = side_color (item->side);
      b = &item->box;
      set_color (self, cr, HL_SEQUENCE_COLOR_CARD, 1);
      rounded_rect (cr, b->x, b->y, b->width, b->height, 12);
      cairo_fill_preserve (cr);
      set_color (self, cr, color, 0.10);
      cairo_fill_preserve (cr);
      set_color (self, cr, color, 1);
      cairo_set_line_width (cr, 2);
      if (item->side == HL_SIDE_CA)
        {
          double dash[] = { 6, 4 };

          cairo_set_dash (cr, dash, 2, 0);
        }
      if (item->flags & HL_SEQUENCE_FLAG_THREAT)
        {
          double dash[] = { 10, 4, 3, 4 };

          cairo_set_line_width (cr, 3);
          cairo_set_dash (cr, dash, 4, 0);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      if (item->flags & HL_SEQUENCE_FLAG_THREAT)
        hl_painter_draw_threat (self, cr, item->text_rect.x - 6, item->text_rect.y +
                                item->text_rect.height * 0.08, item->text_rect.height * 0.84);
      hl_painter_show_item_text (self, cr, item, -1, color, 1);
      hl_painter_show_text (self, cr, HL_SEQUENCE_FONT_SUBTITLE, item->detail,
                            strlen (item->detail), -1, item->detail_rect.x, item->detail_rect.y,
                            HL_SEQUENCE_COLOR_DIM, 1);
    }
}
