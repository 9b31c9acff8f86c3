/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-painter"
#include "config.h"

#include <math.h>
#include <string.h>

#include "hl-sequence-painter.h"
#include "hl-sequence-painter-private.h"

/* The steps: arrows (with their animation), action and note boxes, and the highlight of the
 * selected or hovered step. */

static double
ease_out (double t)
{
  t = CLAMP (t, 0, 1);
  return 1 - (1 - t) * (1 - t) * (1 - t);
}

static void
draw_arrow (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item, double progress)
{
  HlSequenceColor color = arrow_color (item);
  double dir = item->x2 >= item->x1 ? 1 : -1;
  double tip = item->x1 + (item->x2 - item->x1) * progress;
  gboolean arrived = progress >= 1;
  double saved = self->alpha;

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if ((item->flags & HL_SEQUENCE_FLAG_PROTECTED) && !(item->flags & HL_SEQUENCE_FLAG_RECORD))
    {
      /* the protected channel: a tinted pipe under the line */
      set_color (self, cr, color, 0.16);
      cairo_set_line_width (cr, PIPE_WIDTH);
      cairo_move_to (cr, item->x1, item->y);
      cairo_line_to (cr, tip, item->y);
      cairo_stroke (cr);
    }
  set_color (self, cr, color, 1);
  cairo_set_line_width (cr, (item->flags & HL_SEQUENCE_FLAG_RECORD) ? 1.5 : ARROW_WIDTH);
  if (item->flags & (HL_SEQUENCE_FLAG_CCS | HL_SEQUENCE_FLAG_RECORD))
    {
      double dash[] = { 6, 5 };

      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_move_to (cr, item->x1, item->y);
  cairo_line_to (cr, arrived ? item->x2 - dir * HEAD_LENGTH * 0.8 : tip, item->y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_new_path (cr);
  cairo_arc (cr, item->x1, item->y, 4, 0, 2 * G_PI);
  cairo_fill (cr);
  if (arrived)
    {
      cairo_move_to (cr, item->x2, item->y);
      cairo_line_to (cr, item->x2 - dir * HEAD_LENGTH, item->y - HEAD_HALF);
      cairo_line_to (cr, item->x2 - dir * HEAD_LENGTH, item->y + HEAD_HALF);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
  cairo_restore (cr);

  if (!arrived)
    hl_painter_draw_envelope (self, cr, tip, item->y, color,
                              item->flags & HL_SEQUENCE_FLAG_PROTECTED);

  /* the label arrives with the packet's departure */
  self->alpha = saved * ease_out (progress * 3);
  hl_painter_draw_pill (self, cr, item, side_color (item->side));
  if ((item->flags & HL_SEQUENCE_FLAG_PROTECTED) && !(item->flags & HL_SEQUENCE_FLAG_RECORD))
    hl_painter_draw_lock (self, cr, item->text_rect.x - 8 - 12, item->text_rect.y +
                          item->text_rect.height / 2, 12, HL_SEQUENCE_COLOR_PROTECTED, FALSE);
  hl_painter_show_item_text (self, cr, item, -1,
                             (item->flags & HL_SEQUENCE_FLAG_FATAL) ? HL_SEQUENCE_COLOR_ALERT
                                                                    : HL_SEQUENCE_COLOR_FOREGROUND,
                             1);
  if (item->detail)
    hl_painter_show_text (self, cr, HL_SEQUENCE_FONT_DETAIL, item->detail, strlen (item->detail),
                          -1, item->detail_rect.x, item->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
  if (item->flags & HL_SEQUENCE_FLAG_CHECK_FAILED)
    {
      /* a message whose claims do not hold (a record that does not decrypt to it, a trace
       * file contradicted by its bytes): ✗ after its name */
      double d = item->text_rect.height * 0.8;
      HlSequenceRect badge = { item->text_rect.x + item->text_rect.width + 6,
                               item->text_rect.y + (item->text_rect.height - d) / 2, d, d };

      hl_painter_draw_check (self, cr, &badge, FALSE);
    }
  self->alpha = saved;
}

/* From an action box to the CA lifeline: a local lookup in the trust store, dotted, never an
 * arrow on the wire. */
static void
draw_ca_lookup (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item)
{
  const HlSequenceRect *b = &item->box;
  double dash[] = { 2, 5 };
  double edge = item->x2 < b->x ? b->x : b->x + b->width;

  if (item->x2 > b->x && item->x2 < b->x + b->width)
    edge = item->x2;
  cairo_save (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_CA, 1);
  cairo_set_line_width (cr, 2.5);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, edge, item->y);
  cairo_line_to (cr, item->x2, item->y);
  cairo_stroke (cr);
  cairo_restore (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_CA, 1);
  cairo_move_to (cr, item->x2, item->y - 7);
  cairo_line_to (cr, item->x2 + 7, item->y);
  cairo_line_to (cr, item->x2, item->y + 7);
  cairo_line_to (cr, item->x2 - 7, item->y);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_box (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item, double progress)
{
  const HlSequenceRect *b = &item->box;
  gboolean failed = item->flags & HL_SEQUENCE_FLAG_CHECK_FAILED;
  HlSequenceColor border = failed ? HL_SEQUENCE_COLOR_FAILED : side_color (item->side);
  double saved = self->alpha;
  double cx = b->x + b->width / 2, cy = b->y + b->height / 2;
  double scale = 0.88 + 0.12 * ease_out (progress);

  self->alpha = saved * ease_out (progress * 1.4);
  cairo_save (cr);

  if (item->flags & HL_SEQUENCE_FLAG_CONSULTS_CA)
    draw_ca_lookup (self, cr, item);

  cairo_translate (cr, cx, cy);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -cx, -cy);

  set_color (self, cr, HL_SEQUENCE_COLOR_CARD, 1);
  rounded_rect (cr, b->x, b->y, b->width, b->height, CORNER);
  cairo_fill_preserve (cr);
  if (item->kind == HL_SEQUENCE_ITEM_ACTION)
    {
      /* the attacker reading or changing what it relays: the moment of interception */
      gboolean intercept = item->flags & HL_SEQUENCE_FLAG_INTERCEPT;

      set_color (self, cr, border, failed || intercept ? 0.14 : 0.07);
      cairo_fill_preserve (cr);
      set_color (self, cr, border, 0.85);
      cairo_set_line_width (cr, failed || intercept ? 2.5 : 1.5);
      cairo_stroke (cr);
      if (intercept)
        hl_painter_draw_threat (self, cr, b->x + b->width + 22, b->y + (b->height - 16) / 2, 16);
    }
  else
    {
      double dash[] = { 5, 4 };

      set_color (self, cr, HL_SEQUENCE_COLOR_DIM, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  hl_painter_draw_pill (self, cr, item,
                        item->kind == HL_SEQUENCE_ITEM_NOTE && item->side == HL_SIDE_NONE &&
                        (item->flags & HL_SEQUENCE_FLAG_THREAT)
                          ? HL_SEQUENCE_COLOR_ATTACKER : side_color (item->side));
  hl_painter_show_item_text (self, cr, item,
                             item->kind == HL_SEQUENCE_ITEM_NOTE ? HL_SEQUENCE_NOTE_WRAP
                                                                 : HL_SEQUENCE_ACTION_WRAP,
                             failed ? HL_SEQUENCE_COLOR_FAILED : HL_SEQUENCE_COLOR_FOREGROUND, 1);
  if (item->flags & (HL_SEQUENCE_FLAG_CHECK_OK | HL_SEQUENCE_FLAG_CHECK_FAILED))
    hl_painter_draw_check (self, cr, &item->detail_rect, item->flags & HL_SEQUENCE_FLAG_CHECK_OK);

  cairo_restore (cr);
  self->alpha = saved;
}

void
hl_sequence_painter_draw_step (HlSequencePainter   *self,
                               cairo_t             *cr,
                               HlSequenceLayout    *layout,
                               guint                step,
                               HlSequenceStepState  state,
                               double               progress)
{
  const HlSequenceItem *item;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (layout));

  item = hl_sequence_layout_get_step (layout, step);
  g_return_if_fail (item != NULL);
  self->alpha = state == HL_SEQUENCE_STEP_FUTURE ? GHOST_ALPHA : 1;
  if (state != HL_SEQUENCE_STEP_CURRENT)
    progress = 1;
  progress = CLAMP (progress, 0, 1);
  if (item->kind == HL_SEQUENCE_ITEM_ARROW)
    draw_arrow (self, cr, item, progress);
  else
    draw_box (self, cr, item, progress);
  self->alpha = 1;
}

void
hl_sequence_painter_draw_steps (HlSequencePainter *self,
                                cairo_t           *cr,
                                HlSequenceLayout  *layout,
                                double             y0,
                                double             y1,
                                int                current,
                                gboolean           include_current)
{
  guint first, end;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (layout));

  hl_sequence_layout_find_steps (layout, y0, y1, &first, &end);
  for (guint s = first; s < end; s++)
    {
      if ((int) s == current && !include_current)
        continue;
      hl_sequence_painter_draw_step (self, cr, layout, s,
                                     (int) s <= current ? HL_SEQUENCE_STEP_SHOWN
                                                        : HL_SEQUENCE_STEP_FUTURE, 1);
    }
}

void
hl_sequence_painter_draw_highlight (HlSequencePainter *self,
                                    cairo_t           *cr,
                                    HlSequenceLayout  *layout,
                                    guint              step,
                                    gboolean           current)
{
  const HlSequenceItem *item;
  const HlSequenceRect *r;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));

  item = hl_sequence_layout_get_step (layout, step);
  g_return_if_fail (item != NULL);
  r = &item->bounds;
  self->alpha = 1;
  set_color (self, cr, current ? HL_SEQUENCE_COLOR_CURRENT : HL_SEQUENCE_COLOR_HOVER, 1);
  rounded_rect (cr, r->x + 6, r->y + 1, r->width - 12, r->height - 2, 6);
  cairo_fill (cr);
  if (current)
    {
      set_color (self, cr, HL_SEQUENCE_COLOR_ACCENT, 1);
      rounded_rect (cr, r->x + 6, r->y + 1, 5, r->height - 2, 2.5);
      cairo_fill (cr);
    }
}
