/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare-painter"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hl-compare-painter.h"

/* Order of this file: fonts, the object, layout (rows → positions and Pango layouts, once per
 * width), hit-testing, drawing, the summary table.
 *
 * Two sequence diagrams side by side, one row per row of the alignment (hl_compare_align()):
 * a matched message sits at the same height on both sides, a message only one handshake has
 * faces a labelled gap. Positions are computed once per width and font; drawing only strokes
 * them, so the window, the exports and the screenshots show the same picture. Needs no
 * display: the exports run it on a PangoCairo context of their own. */

typedef enum
{
  FONT_TITLE,
  FONT_SUBTITLE,
  FONT_LABEL,
  FONT_DETAIL,
  FONT_ACTION,
  FONT_MARK,
  N_FONTS
} Font;

static const struct { double scale; PangoWeight weight; PangoStyle style; } font_specs[] = {
  [FONT_TITLE] = { 1.25, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
  [FONT_SUBTITLE] = { 0.9, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [FONT_LABEL] = { 1.0, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
  [FONT_DETAIL] = { 0.86, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [FONT_ACTION] = { 0.92, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [FONT_MARK] = { 1.05, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
};

/* One side of a row. */
typedef struct
{
  HlEvent     *event;     /* borrowed from the trace; NULL: a gap */
  gboolean     wire;      /* an arrow (message, alert, application data) */
  PangoLayout *label;
  PangoLayout *detail;
  double       x1, x2;    /* arrow: from the sender to the receiver */
  double       box_x, box_y, box_w, box_h;  /* action, note or gap box */
} Cell;

typedef struct
{
  HlCompareRowKind kind;
  double           y;
  double           height;
  double           arrow_y;  /* offset of the arrows from y */
  gboolean         tint[2];  /* the side is in its encrypted part here */
  Cell             cells[2];
  PangoLayout     *mark;
} Row;

struct _HlComparePainter
{
  GObject                parent_instance;

  PangoContext          *context;
  PangoFontDescription  *base;
  PangoFontDescription  *fonts[N_FONTS];
  double                 base_unit;  /* 1 at an 11-point interface font */
  double                 zoom;       /* the fonts grow with the width (see layout) */
  double                 unit;       /* base_unit × zoom: every length is in these */
  HlSequencePalette      palette;
  HlTrace               *traces[2];
  GArray                *alignment;  /* of HlCompareRow */
  GArray                *rows;       /* of Row */
  PangoLayout           *titles[2];
  PangoLayout           *subtitles[2];
  PangoLayout           *names[2][2];  /* "Client", "Server" per side */
  double                 width;
  double                 height;
  double                 header_height;
  double                 side_x[2];
  double                 side_w;
  double                 lifeline[2][2];  /* [side][client/server] x */
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

#define U(x) ((x) * self->unit)

static PangoLayout *
text_layout (HlComparePainter *self, Font font, const char *text, double width, gboolean wrap)
{
  PangoLayout *layout = pango_layout_new (self->context);

  pango_layout_set_font_description (layout, self->fonts[font]);
  pango_layout_set_text (layout, text ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      if (wrap)
        pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      else
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

static void
layout_size (PangoLayout *layout, double *width, double *height)
{
  int w = 0, h = 0;

  if (layout)
    pango_layout_get_pixel_size (layout, &w, &h);
  if (width)
    *width = w;
  if (height)
    *height = h;
}

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
      return g_strdup_printf (_("%s · encrypted (handshake keys)%s"), size, connection);
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

double
hl_compare_painter_layout (HlComparePainter *self, double width)
{
  double margin, gutter, y, th = 0, sh = 0, nh = 0;
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

  margin = U (20);
  gutter = U (56);
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
                                       : hl_side_to_label (HL_SIDE_CLIENT), -1, FALSE);
      self->names[s][1] = text_layout (self, FONT_LABEL,
                                       hl_trace_get_attacker (trace) ? _("Attacker / Server")
                                       : hl_side_to_label (HL_SIDE_SERVER), -1, FALSE);
      layout_size (self->titles[s], NULL, &th);
      layout_size (self->subtitles[s], NULL, &sh);
      layout_size (self->names[s][0], NULL, &nh);
    }
  self->header_height = U (14) + th + U (2) + sh + U (12) + nh + U (12) + U (10);

  y = self->header_height;
  for (guint i = 0; i < self->alignment->len; i++)
    {
      const HlCompareRow *al = &g_array_index (self->alignment, HlCompareRow, i);
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
      y += row.height;
    }
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

  /* the middle gutter and the lifelines */
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

  if (y0 < self->header_height)
    draw_headers (self, cr);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      double mw = 0, mh = 0, mx = self->width / 2;

      if (row->y + row->height < y0 || row->y > y1)
        continue;
      if ((int) i == state->hover)
        {
          set_color (cr, color (self, HL_SEQUENCE_COLOR_HOVER), 1);
          cairo_rectangle (cr, 0, row->y, self->width, row->height);
          cairo_fill (cr);
        }
      for (guint s = 0; s < 2; s++)
        {
          int shown = state->shown[s];
          double alpha = shown < 0 || (int) i < shown ? 1 : 0.22;

          if (row->tint[s])
            {
              /* tinted as the diagram's symmetric band */
              set_color (cr, color (self, HL_SEQUENCE_COLOR_SYMMETRIC), 1);
              cairo_rectangle (cr, self->side_x[s] - U (8), row->y, self->side_w + U (16),
                               row->height);
              cairo_fill (cr);
            }

          if (shown > 0 && (int) i == shown - 1 && row->cells[s].event)
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

      if ((int) i == state->selected)
        {
          rounded_rect (cr, U (4), row->y + 1, self->width - U (8), row->height - 2, U (8));
          set_color (cr, color (self, HL_SEQUENCE_COLOR_ACCENT), 1);
          cairo_set_line_width (cr, U (2.5));
          cairo_stroke (cr);
        }
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
      g_autoptr(PangoLayout) label = text_layout (self, FONT_DETAIL, line->label, label_w - U (12),
                                                  TRUE);
      g_autoptr(PangoLayout) l = text_layout (self, line->differs ? FONT_LABEL : FONT_ACTION,
                                              line->left, value_w, TRUE);
      g_autoptr(PangoLayout) r = text_layout (self, line->differs ? FONT_LABEL : FONT_ACTION,
                                              line->right, value_w, TRUE);
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
