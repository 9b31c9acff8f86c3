/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare-painter"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hl-compare-painter-private.h"
#include "hl-compare-painter.h"
#include "hl-side-text.h"

/* Order of this file: fonts, the object, layout (rows → positions and Pango layouts, once per
 * width), hit-testing. Drawing and the summary table are in hl-compare-painter-draw.c; the
 * struct in hl-compare-painter-private.h.
 *
 * Two sequence diagrams side by side, one row per row of the alignment (hl_compare_align()):
 * a matched message sits at the same height on both sides, a message only one handshake has
 * faces a labelled gap. Positions are computed once per width and font; drawing only strokes
 * them, so the window, the exports and the screenshots show the same picture. Needs no
 * display: the exports run it on a PangoCairo context of their own. */

static const struct { double scale; PangoWeight weight; PangoStyle style; } font_specs[] = {
  [FONT_TITLE] = { 1.25, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
  [FONT_SUBTITLE] = { 0.9, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [FONT_LABEL] = { 1.0, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
  [FONT_DETAIL] = { 0.86, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [FONT_ACTION] = { 0.92, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [FONT_MARK] = { 1.05, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
};

G_DEFINE_FINAL_TYPE (HlComparePainter, hl_compare_painter, G_TYPE_OBJECT)

void
hl_compare_draw_state_init (HlCompareDrawState *state)
{
  g_return_if_fail (state != NULL);
  state->shown[0] = state->shown[1] = -1;
  state->selected = -1;
  state->hover = -1;
}

/* The object */

static void
clear_rows (HlComparePainter *self)
{
  for (guint i = 0; self->rows && i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      for (guint s = 0; s < 2; s++)
        {
          g_clear_object (&row->cells[s].label);
          g_clear_object (&row->cells[s].detail);
        }
      g_clear_object (&row->mark);
    }
  g_clear_pointer (&self->rows, g_array_unref);
  for (guint s = 0; s < 2; s++)
    {
      g_clear_object (&self->titles[s]);
      g_clear_object (&self->subtitles[s]);
      g_clear_object (&self->names[s][0]);
      g_clear_object (&self->names[s][1]);
    }
  self->width = -1;
}

static void
hl_compare_painter_finalize (GObject *object)
{
  HlComparePainter *self = HL_COMPARE_PAINTER (object);

  clear_rows (self);
  g_clear_pointer (&self->alignment, g_array_unref);
  g_clear_object (&self->traces[0]);
  g_clear_object (&self->traces[1]);
  for (guint i = 0; i < N_FONTS; i++)
    g_clear_pointer (&self->fonts[i], pango_font_description_free);
  g_clear_pointer (&self->base, pango_font_description_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (hl_compare_painter_parent_class)->finalize (object);
}

static void
hl_compare_painter_class_init (HlComparePainterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_compare_painter_finalize;
}

static void
hl_compare_painter_init (HlComparePainter *self)
{
  self->width = -1;
  self->unit = self->base_unit = self->zoom = 1;
  hl_sequence_palette_init_default (&self->palette, FALSE);
}

HlComparePainter *
hl_compare_painter_new (PangoContext *context)
{
  HlComparePainter *self = g_object_new (HL_TYPE_COMPARE_PAINTER, NULL);
  g_autoptr(PangoFontDescription) base = pango_font_description_from_string ("Cantarell 11");

  self->context = context ? g_object_ref (context)
                          : pango_font_map_create_context (pango_cairo_font_map_get_default ());
  hl_compare_painter_set_font (self, base);
  return self;
}

void
hl_compare_painter_set_traces (HlComparePainter *self, HlTrace *left, HlTrace *right)
{
  g_return_if_fail (HL_IS_COMPARE_PAINTER (self));
  g_return_if_fail (left == NULL || HL_IS_TRACE (left));
  g_return_if_fail (right == NULL || HL_IS_TRACE (right));

  clear_rows (self);
  g_set_object (&self->traces[0], left);
  g_set_object (&self->traces[1], right);
  g_clear_pointer (&self->alignment, g_array_unref);
  if (left && right)
    self->alignment = hl_compare_align (left, right);
}

HlTrace *
hl_compare_painter_get_trace (HlComparePainter *self, guint side)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), NULL);
  g_return_val_if_fail (side < 2, NULL);
  return self->traces[side];
}

GArray *
hl_compare_painter_get_rows (HlComparePainter *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), NULL);
  return self->alignment;
}

/* The fonts at @zoom times the base size. */
static void
make_fonts (HlComparePainter *self, double zoom)
{
  int size = pango_font_description_get_size (self->base);

  for (guint i = 0; i < N_FONTS; i++)
    {
      g_clear_pointer (&self->fonts[i], pango_font_description_free);
      self->fonts[i] = pango_font_description_copy (self->base);
      pango_font_description_set_size (self->fonts[i],
                                       (int) (size * zoom * font_specs[i].scale));
      pango_font_description_set_weight (self->fonts[i], font_specs[i].weight);
      pango_font_description_set_style (self->fonts[i], font_specs[i].style);
    }
  self->zoom = zoom;
  self->unit = self->base_unit * zoom;
}

gboolean
hl_compare_painter_set_font (HlComparePainter *self, const PangoFontDescription *base)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), FALSE);
  g_return_val_if_fail (base != NULL, FALSE);

  if (self->base && pango_font_description_equal (self->base, base))
    return FALSE;
  g_clear_pointer (&self->base, pango_font_description_free);
  self->base = pango_font_description_copy (base);
  if (pango_font_description_get_size (self->base) <= 0)
    pango_font_description_set_size (self->base, 11 * PANGO_SCALE);
  self->base_unit = (double) pango_font_description_get_size (self->base) / (11 * PANGO_SCALE);
  make_fonts (self, 1);
  clear_rows (self);
  return TRUE;
}

gboolean
hl_compare_painter_set_palette (HlComparePainter *self, const HlSequencePalette *palette)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), FALSE);
  g_return_val_if_fail (palette != NULL, FALSE);

  if (memcmp (&self->palette, palette, sizeof *palette) == 0)
    return FALSE;
  self->palette = *palette;
  return TRUE;
}

const HlSequencePalette *
hl_compare_painter_get_palette (HlComparePainter *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), NULL);
  return &self->palette;
}

/* Layout */

static gboolean
is_wire (HlEvent *event)
{
  HlEventKind kind = hl_event_get_kind (event);

  return kind == HL_EVENT_MESSAGE || kind == HL_EVENT_ALERT || kind == HL_EVENT_APP_DATA;
}

static char *
wire_detail (HlEvent *event)
{
  gsize len = hl_event_get_length (event);
  g_autofree char *size = g_strdup_printf (ngettext ("%zu byte", "%zu bytes", len), len);
  guint handshake = hl_event_get_handshake (event);
  g_autofree char *connection = handshake > 0
                                ? g_strdup_printf (_(" · connection %u"), handshake + 1)
                                : g_strdup ("");

  switch (hl_event_get_epoch (event))
    {
    case HL_EPOCH_HANDSHAKE:
      return g_strdup_printf (_("%s · encrypted (handshake traffic keys)%s"), size, connection);
    case HL_EPOCH_APPLICATION:
      return g_strdup_printf (_("%s · encrypted%s"), size, connection);
    case HL_EPOCH_PLAINTEXT:
    default:
      return g_strdup_printf (_("%s · in the clear%s"), size, connection);
    }
}

/* Connections are paired from the last one back (hl_compare_align()): how many more the other
 * trace has than @side's, or 0. */
static guint
shift (HlComparePainter *self, guint side)
{
  guint n[2];

  for (guint s = 0; s < 2; s++)
    n[s] = MAX (1, hl_trace_get_n_handshakes (self->traces[s]));
  return MAX (n[0], n[1]) - n[side];
}

/* A cell's layouts and its height (without the row's padding). */
static double
layout_cell (HlComparePainter *self, Cell *cell, guint side, HlEvent *opposite,
             gboolean *unpaired_said)
{
  double cx = self->lifeline[side][0], sx = self->lifeline[side][1];
  double span = sx - cx, h = 0, lh = 0, dh = 0;

  if (cell->event == NULL)
    {
      /* a gap: name what is missing where the other side has a message — unless the other
       * side's connection has no counterpart here at all (the first connection of a
       * resumption scenario): then say that once */
      g_autofree char *text = NULL;

      if (opposite == NULL)
        return 0;
      if (hl_event_get_handshake (opposite) + shift (self, 1 - side) < shift (self, side))
        {
          if (*unpaired_said)
            return 0;
          *unpaired_said = TRUE;
          text = g_strdup_printf (_("%s has no connection to pair with this one"),
                                  hl_trace_get_scenario (self->traces[side]));
        }
      else if (!is_wire (opposite))
        return 0;
      else
        text = g_strdup_printf (_("no %s"), hl_compare_step_label (opposite));
      cell->label = text_layout (self, FONT_DETAIL, text, span - U (16), FALSE);
      layout_size (cell->label, NULL, &lh);
      return lh + U (14);
    }

  cell->wire = is_wire (cell->event);
  if (cell->wire)
    {
      g_autofree char *detail = wire_detail (cell->event);
      /* by TLS role: an attacker's lanes are the client's end and the server's end of each
       * of its connections */
      gboolean from_client = hl_event_get_role (cell->event) == HL_SIDE_CLIENT;

      cell->x1 = from_client ? cx : sx;
      cell->x2 = from_client ? sx : cx;
      cell->label = text_layout (self, FONT_LABEL, hl_compare_step_label (cell->event),
                                 span - U (16), FALSE);
      cell->detail = text_layout (self, FONT_DETAIL, detail, span - U (16), FALSE);
      layout_size (cell->label, NULL, &lh);
      layout_size (cell->detail, NULL, &dh);
      return lh + U (16) + dh;
    }
  else
    {
      double wrap = MAX (U (120), self->side_w * 0.62 - U (20)), tw = 0;
      HlSide who = hl_event_get_role (cell->event);

      cell->label = text_layout (self, FONT_ACTION, hl_compare_step_label (cell->event), wrap,
                                 TRUE);
      layout_size (cell->label, &tw, &lh);
      cell->box_w = tw + U (20);
      cell->box_h = lh + U (12);
      if (hl_event_get_kind (cell->event) == HL_EVENT_NOTE)
        cell->box_x = (cx + sx - cell->box_w) / 2;
      else if (who == HL_SIDE_SERVER)
        cell->box_x = sx + U (10) - cell->box_w;
      else
        cell->box_x = cx - U (10);
      h = cell->box_h;
    }
  return h;
}

/* The two columns, their lifelines and the headers over them (title, scenario, the two
 * sides' names). */
static void
layout_header (HlComparePainter *self, double width)
{
  double margin = U (20), gutter = U (56), th = 0, sh = 0, nh = 0;

  self->side_w = (width - 2 * margin - gutter) / 2;
  self->side_x[0] = margin;
  self->side_x[1] = margin + self->side_w + gutter;
  for (guint s = 0; s < 2; s++)
    {
      HlTrace *trace = self->traces[s];
      g_autofree char *subtitle = g_strdup_printf ("%s", hl_trace_get_scenario (trace));
      double inset = MIN (U (70), self->side_w * 0.14);

      self->lifeline[s][0] = self->side_x[s] + inset;
      self->lifeline[s][1] = self->side_x[s] + self->side_w - inset;
      self->titles[s] = text_layout (self, FONT_TITLE, hl_trace_get_title (trace),
                                     self->side_w, FALSE);
      self->subtitles[s] = text_layout (self, FONT_SUBTITLE, subtitle, self->side_w, FALSE);
      /* with an attacker in the middle each lane holds two participants: the client end of
       * its connections (client, then attacker) and the server end (attacker, then server) */
      self->names[s][0] = text_layout (self, FONT_LABEL,
                                       hl_trace_get_attacker (trace) ? _("Client / Attacker")
                                       : hl_side_text_label (HL_SIDE_CLIENT), -1, FALSE);
      self->names[s][1] = text_layout (self, FONT_LABEL,
                                       hl_trace_get_attacker (trace) ? _("Attacker / Server")
                                       : hl_side_text_label (HL_SIDE_SERVER), -1, FALSE);
      layout_size (self->titles[s], NULL, &th);
      layout_size (self->subtitles[s], NULL, &sh);
      layout_size (self->names[s][0], NULL, &nh);
    }
  self->header_height = U (14) + th + U (2) + sh + U (12) + nh + U (12) + U (10);
}

/* Places row @al at @y and appends it; @tint and @unpaired_said carry over from row to row.
 * Returns its height. */
static double
layout_row (HlComparePainter *self, const HlCompareRow *al, double y, gboolean tint[2],
            gboolean unpaired_said[2])
{
  Row row = { 0 };
  int index[2] = { al->left, al->right };
  HlEvent *events[2] = { NULL, NULL };
  double h = 0, label_h = 0;
  const char *mark = al->kind == HL_COMPARE_ROW_MATCH ? "="
                     : al->kind == HL_COMPARE_ROW_PAIR ? "≠" : "–";

  for (guint s = 0; s < 2; s++)
    events[s] = index[s] >= 0 ? hl_trace_get_event (self->traces[s], index[s]) : NULL;
  row.kind = al->kind;
  for (guint s = 0; s < 2; s++)
    {
      row.cells[s].event = events[s];
      h = MAX (h, layout_cell (self, &row.cells[s], s, events[1 - s], &unpaired_said[s]));
    }
  /* arrows of both sides at one height: under the taller label */
  for (guint s = 0; s < 2; s++)
    if (row.cells[s].wire)
      {
        double lh = 0;

        layout_size (row.cells[s].label, NULL, &lh);
        label_h = MAX (label_h, lh);
      }
  row.arrow_y = U (10) + label_h + U (7);
  row.y = y;
  row.height = h + U (20);
  for (guint s = 0; s < 2; s++)
    {
      Cell *cell = &row.cells[s];

      if (cell->event && !cell->wire)
        cell->box_y = (row.height - cell->box_h) / 2;
      else if (cell->event == NULL && cell->label)
        {
          double lw = 0, lh = 0;

          layout_size (cell->label, &lw, &lh);
          cell->box_w = lw + U (20);
          cell->box_h = lh + U (8);
          cell->box_x = (self->lifeline[s][0] + self->lifeline[s][1] - cell->box_w) / 2;
          cell->box_y = (row.height - cell->box_h) / 2;
        }
    }
  /* the encrypted part of each side: from an encrypted message on, through local steps
   * and gaps, until a message goes in the clear again */
  for (guint s = 0; s < 2; s++)
    {
      if (events[s] && is_wire (events[s]))
        tint[s] = hl_event_get_epoch (events[s]) != HL_EPOCH_PLAINTEXT;
      row.tint[s] = tint[s];
    }
  row.mark = text_layout (self, FONT_MARK, mark, -1, FALSE);
  g_array_append_val (self->rows, row);
  return row.height;
}

double
hl_compare_painter_layout (HlComparePainter *self, double width)
{
  double y;
  gboolean tint[2] = { FALSE, FALSE };
  gboolean unpaired_said[2] = { FALSE, FALSE };

  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), 0);

  width = MAX (width, hl_compare_painter_get_min_width (self));
  if (self->rows && self->width == width)
    return self->height;
  clear_rows (self);
  /* a wide window (a projector) gets larger type, up to half as large again */
  {
    double zoom = CLAMP (width / (1100 * self->base_unit), 1, 1.5);

    if (fabs (zoom - self->zoom) > 0.01)
      make_fonts (self, zoom);
  }
  self->width = width;
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  if (self->alignment == NULL)
    {
      self->height = 0;
      return 0;
    }

  layout_header (self, width);
  y = self->header_height;
  for (guint i = 0; i < self->alignment->len; i++)
    y += layout_row (self, &g_array_index (self->alignment, HlCompareRow, i), y, tint,
                     unpaired_said);
  self->height = y + U (24);
  return self->height;
}

double
hl_compare_painter_get_width (HlComparePainter *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), 0);
  return MAX (self->width, 0);
}

double
hl_compare_painter_get_height (HlComparePainter *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), 0);
  return self->rows ? self->height : 0;
}

double
hl_compare_painter_get_min_width (HlComparePainter *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), 0);
  /* room for "EncryptedExtensions" between the lifelines of each side */
  return 760 * self->base_unit;
}

/* Hit-testing */

int
hl_compare_painter_row_at (HlComparePainter *self, double x, double y, guint *side)
{
  g_return_val_if_fail (HL_IS_COMPARE_PAINTER (self), -1);

  if (self->rows == NULL || y < self->header_height || y >= self->height)
    return -1;
  if (side)
    *side = x < self->width / 2 ? 0 : 1;
  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);

      if (y >= row->y && y < row->y + row->height)
        return (int) i;
    }
  return -1;
}

void
hl_compare_painter_get_row_point (HlComparePainter *self,
                                  guint             index,
                                  guint             side,
                                  double           *x,
                                  double           *y)
{
  const Row *row;

  g_return_if_fail (HL_IS_COMPARE_PAINTER (self));
  g_return_if_fail (self->rows && index < self->rows->len && side < 2);

  row = &g_array_index (self->rows, Row, index);
  *x = (self->lifeline[side][0] + self->lifeline[side][1]) / 2;
  *y = row->y + row->height / 2;
}

void
hl_compare_painter_get_row_extent (HlComparePainter *self,
                                   guint             index,
                                   double           *y,
                                   double           *height)
{
  const Row *row;

  g_return_if_fail (HL_IS_COMPARE_PAINTER (self));
  g_return_if_fail (self->rows && index < self->rows->len);

  row = &g_array_index (self->rows, Row, index);
  *y = row->y;
  *height = row->height;
}

const char *
hl_compare_tr (const char *text)
{
  /* gettext ("") is the catalogue's header */
  return text && *text ? _(text) : text;
}
