/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare-painter"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hl-compare-painter-private.h"

/* The compare painter, drawing (see hl-compare-painter-private.h): it only strokes what the
 * layout placed; and the summary table of the exports. */

/* Drawing */

static void
set_color (cairo_t *cr, const GdkRGBA *color, double alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static const GdkRGBA *
color (HlComparePainter *self, HlSequenceColor which)
{
  return &self->palette.colors[which];
}

static void
show_layout (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static HlSequenceColor
arrow_color (HlEvent *event)
{
  if (hl_event_get_kind (event) == HL_EVENT_ALERT)
    return hl_event_get_alert_level (event) == 2 ? HL_SEQUENCE_COLOR_ALERT
                                                 : HL_SEQUENCE_COLOR_PROTECTED;
  if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && hl_event_get_handshake_type (event) < 0)
    return HL_SEQUENCE_COLOR_SWITCH;
  return hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT ? HL_SEQUENCE_COLOR_PLAIN
                                                          : HL_SEQUENCE_COLOR_PROTECTED;
}

static void
draw_cell (HlComparePainter *self, cairo_t *cr, const Row *row, guint side, double alpha)
{
  const Cell *cell = &row->cells[side];
  double lw = 0, lh = 0;

  if (cell->event == NULL)
    {
      if (cell->label == NULL)
        return;
      /* the gap: a dashed outline around "no ServerKeyExchange" */
      cairo_save (cr);
      rounded_rect (cr, cell->box_x, row->y + cell->box_y, cell->box_w, cell->box_h, U (6));
      set_color (cr, color (self, HL_SEQUENCE_COLOR_DIM), 0.7 * alpha);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, (double[]) { U (4), U (3) }, 2, 0);
      cairo_stroke (cr);
      cairo_restore (cr);
      set_color (cr, color (self, HL_SEQUENCE_COLOR_DIM), alpha);
      show_layout (cr, cell->label, cell->box_x + U (10), row->y + cell->box_y + U (4));
      return;
    }

  if (cell->wire)
    {
      double y = row->y + row->arrow_y, dir = cell->x2 > cell->x1 ? 1 : -1, head = U (9);
      double cx = (cell->x1 + cell->x2) / 2;
      const GdkRGBA *c = color (self, arrow_color (cell->event));

      set_color (cr, c, alpha);
      cairo_set_line_width (cr, U (2.2));
      cairo_move_to (cr, cell->x1, y);
      cairo_line_to (cr, cell->x2 - dir * head, y);
      cairo_stroke (cr);
      cairo_move_to (cr, cell->x2, y);
      cairo_line_to (cr, cell->x2 - dir * head, y - head * 0.55);
      cairo_line_to (cr, cell->x2 - dir * head, y + head * 0.55);
      cairo_close_path (cr);
      cairo_fill (cr);

      layout_size (cell->label, &lw, &lh);
      set_color (cr, color (self, HL_SEQUENCE_COLOR_FOREGROUND), alpha);
      show_layout (cr, cell->label, cx - lw / 2, y - U (6) - lh);
      layout_size (cell->detail, &lw, NULL);
      set_color (cr, hl_event_get_epoch (cell->event) == HL_EPOCH_PLAINTEXT
                     ? color (self, HL_SEQUENCE_COLOR_DIM) : c, alpha);
      show_layout (cr, cell->detail, cx - lw / 2, y + U (6));
      return;
    }

  /* an action or note: a card on its lifeline */
  {
    HlSequenceColor edge = hl_event_get_side (cell->event) == HL_SIDE_ATTACKER
                           ? HL_SEQUENCE_COLOR_ATTACKER
                           : hl_event_get_side (cell->event) == HL_SIDE_SERVER
                             ? HL_SEQUENCE_COLOR_SERVER : HL_SEQUENCE_COLOR_CLIENT;
    HlCheck check = hl_event_get_check (cell->event);

    if (hl_event_get_kind (cell->event) == HL_EVENT_NOTE)
      edge = HL_SEQUENCE_COLOR_DIM;
    if (check == HL_CHECK_FAILED)
      edge = HL_SEQUENCE_COLOR_FAILED;
    rounded_rect (cr, cell->box_x, row->y + cell->box_y, cell->box_w, cell->box_h, U (6));
    set_color (cr, color (self, HL_SEQUENCE_COLOR_CARD), alpha);
    cairo_fill_preserve (cr);
    set_color (cr, color (self, edge), alpha);
    cairo_set_line_width (cr, U (1.5));
    cairo_stroke (cr);
    set_color (cr, color (self, HL_SEQUENCE_COLOR_FOREGROUND), alpha);
    show_layout (cr, cell->label, cell->box_x + U (10), row->y + cell->box_y + U (6));
  }
}

static void
draw_headers (HlComparePainter *self, cairo_t *cr)
{
  for (guint s = 0; s < 2; s++)
    {
      double y = U (14), th = 0, sh = 0;

      set_color (cr, color (self, HL_SEQUENCE_COLOR_FOREGROUND), 1);
      show_layout (cr, self->titles[s], self->side_x[s], y);
      layout_size (self->titles[s], NULL, &th);
      y += th + U (2);
      set_color (cr, color (self, HL_SEQUENCE_COLOR_DIM), 1);
      show_layout (cr, self->subtitles[s], self->side_x[s], y);
      layout_size (self->subtitles[s], NULL, &sh);
      y += sh + U (12);
      for (guint who = 0; who < 2; who++)
        {
          double nw = 0, nh = 0, x = self->lifeline[s][who];

          layout_size (self->names[s][who], &nw, &nh);
          rounded_rect (cr, x - nw / 2 - U (12), y - U (5), nw + U (24), nh + U (10), U (8));
          set_color (cr, color (self, who ? HL_SEQUENCE_COLOR_SERVER : HL_SEQUENCE_COLOR_CLIENT),
                     1);
          cairo_fill (cr);
          set_color (cr, color (self, HL_SEQUENCE_COLOR_ON_COLOR), 1);
          show_layout (cr, self->names[s][who], x - nw / 2, y);
        }
    }
}

/* The lifelines of both sides and the middle gutter. */
static void
draw_lifelines (HlComparePainter *self, cairo_t *cr)
{
  for (guint s = 0; s < 2; s++)
    for (guint who = 0; who < 2; who++)
      {
        set_color (cr, color (self, who ? HL_SEQUENCE_COLOR_SERVER : HL_SEQUENCE_COLOR_CLIENT),
                   0.55);
        cairo_set_line_width (cr, U (1.5));
        cairo_move_to (cr, self->lifeline[s][who], self->header_height - U (8));
        cairo_line_to (cr, self->lifeline[s][who], self->height - U (12));
        cairo_stroke (cr);
      }
  set_color (cr, color (self, HL_SEQUENCE_COLOR_BORDER), 1);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, self->width / 2, U (10));
  cairo_line_to (cr, self->width / 2, self->height - U (10));
  cairo_stroke (cr);
}

/* Row @i: hover, the tint of the encrypted part, the current step, both cells, the mark in
 * the gutter and the selection. */
static void
draw_row (HlComparePainter *self, cairo_t *cr, const Row *row, int i,
          const HlCompareDrawState *state)
{
  double mw = 0, mh = 0, mx = self->width / 2;

  if (i == state->hover)
    {
      set_color (cr, color (self, HL_SEQUENCE_COLOR_HOVER), 1);
      cairo_rectangle (cr, 0, row->y, self->width, row->height);
      cairo_fill (cr);
    }
  for (guint s = 0; s < 2; s++)
    {
      int shown = state->shown[s];
      double alpha = shown < 0 || i < shown ? 1 : 0.22;

      if (row->tint[s])
        {
          /* tinted as the diagram's symmetric band */
          set_color (cr, color (self, HL_SEQUENCE_COLOR_SYMMETRIC), 1);
          cairo_rectangle (cr, self->side_x[s] - U (8), row->y, self->side_w + U (16),
                           row->height);
          cairo_fill (cr);
        }

      if (shown > 0 && i == shown - 1 && row->cells[s].event)
        {
          set_color (cr, color (self, HL_SEQUENCE_COLOR_CURRENT), 1);
          cairo_rectangle (cr, self->side_x[s] - U (8), row->y, self->side_w + U (16),
                           row->height);
          cairo_fill (cr);
          set_color (cr, color (self, HL_SEQUENCE_COLOR_ACCENT), 1);
          cairo_rectangle (cr, self->side_x[s] - U (8), row->y, U (4), row->height);
          cairo_fill (cr);
        }
      draw_cell (self, cr, row, s, alpha);
    }

  /* the gutter: = the same step, ≠ different local steps, – one side only */
  layout_size (row->mark, &mw, &mh);
  rounded_rect (cr, mx - U (13), row->y + row->height / 2 - U (13), U (26), U (26), U (13));
  set_color (cr, color (self, HL_SEQUENCE_COLOR_BACKGROUND), 1);
  cairo_fill_preserve (cr);
  set_color (cr, color (self, row->kind == HL_COMPARE_ROW_MATCH ? HL_SEQUENCE_COLOR_OK
                                                                : HL_SEQUENCE_COLOR_DIM),
             row->kind == HL_COMPARE_ROW_MATCH ? 1 : 0.8);
  cairo_set_line_width (cr, U (1.5));
  cairo_stroke (cr);
  show_layout (cr, row->mark, mx - mw / 2, row->y + row->height / 2 - mh / 2);

  if (i == state->selected)
    {
      rounded_rect (cr, U (4), row->y + 1, self->width - U (8), row->height - 2, U (8));
      set_color (cr, color (self, HL_SEQUENCE_COLOR_ACCENT), 1);
      cairo_set_line_width (cr, U (2.5));
      cairo_stroke (cr);
    }
}

void
hl_compare_painter_draw (HlComparePainter         *self,
                         cairo_t                  *cr,
                         double                    y0,
                         double                    y1,
                         const HlCompareDrawState *state)
{
  HlCompareDrawState fallback;

  g_return_if_fail (HL_IS_COMPARE_PAINTER (self));
  g_return_if_fail (cr != NULL);

  if (state == NULL)
    {
      hl_compare_draw_state_init (&fallback);
      state = &fallback;
    }
  set_color (cr, color (self, HL_SEQUENCE_COLOR_BACKGROUND), 1);
  cairo_paint (cr);
  if (self->rows == NULL || self->alignment == NULL)
    return;

  draw_lifelines (self, cr);
  if (y0 < self->header_height)
    draw_headers (self, cr);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);

      if (row->y + row->height >= y0 && row->y <= y1)
        draw_row (self, cr, row, (int) i, state);
    }
}

/* The summary table */

double
hl_compare_painter_draw_summary (HlComparePainter *self, cairo_t *cr, double y, double width)
{
  g_autoptr(HlCompareSummary) left = NULL;
  g_autoptr(HlCompareSummary) right = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  double margin = U (20), label_w, value_w, top = y;

  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), 0);
  if (self->traces[0] == NULL || self->traces[1] == NULL)
    return 0;

  left = hl_compare_summary_new (self->traces[0]);
  right = hl_compare_summary_new (self->traces[1]);
  lines = hl_compare_summary_lines (left, right);
  label_w = (width - 2 * margin) * 0.3;
  value_w = (width - 2 * margin - label_w) / 2 - U (12);

  y += U (16);
  {
    /* the column heads: which handshake is which */
    g_autoptr(PangoLayout) head = text_layout (self, FONT_TITLE, _("Summary"), label_w, FALSE);
    double h = 0, hh = 0;

    layout_size (head, NULL, &h);
    if (cr)
      {
        set_color (cr, color (self, HL_SEQUENCE_COLOR_FOREGROUND), 1);
        show_layout (cr, head, margin + U (8), y);
      }
    for (guint s = 0; s < 2; s++)
      {
        g_autofree char *text = g_strdup_printf ("%s (%s)", hl_trace_get_title (self->traces[s]),
                                                 hl_trace_get_scenario (self->traces[s]));
        g_autoptr(PangoLayout) title = text_layout (self, FONT_LABEL, text, value_w, TRUE);

        layout_size (title, NULL, &hh);
        h = MAX (h, hh);
        if (cr)
          show_layout (cr, title, margin + label_w + s * (value_w + U (24)), y + U (4));
      }
    y += h + U (10);
  }
  for (guint i = 0; i < lines->len; i++)
    {
      const HlCompareLine *line = lines->pdata[i];
      g_autoptr(PangoLayout) label = text_layout (self, FONT_DETAIL, hl_compare_tr (line->label),
                                                  label_w - U (12), TRUE);
      g_autoptr(PangoLayout) l = text_layout (self, line->differs ? FONT_LABEL : FONT_ACTION,
                                              hl_compare_tr (line->left), value_w, TRUE);
      g_autoptr(PangoLayout) r = text_layout (self, line->differs ? FONT_LABEL : FONT_ACTION,
                                              hl_compare_tr (line->right), value_w, TRUE);
      double h = 0, hh;

      layout_size (label, NULL, &hh);
      h = MAX (h, hh);
      layout_size (l, NULL, &hh);
      h = MAX (h, hh);
      layout_size (r, NULL, &hh);
      h = MAX (h, hh);
      h += U (10);
      if (cr)
        {
          if (i % 2 == 0)
            {
              set_color (cr, color (self, HL_SEQUENCE_COLOR_HOVER), 1.5);
              cairo_rectangle (cr, margin, y, width - 2 * margin, h);
              cairo_fill (cr);
            }
          set_color (cr, color (self, HL_SEQUENCE_COLOR_DIM), 1);
          show_layout (cr, label, margin + U (8), y + U (5));
          set_color (cr, color (self, HL_SEQUENCE_COLOR_FOREGROUND), 1);
          show_layout (cr, l, margin + label_w, y + U (5));
          show_layout (cr, r, margin + label_w + value_w + U (24), y + U (5));
        }
      y += h;
    }
  return y - top + U (12);
}
