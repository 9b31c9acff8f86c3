/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of HlSequencePainter only (hl-sequence-painter*.c): the object's struct,
 * the drawing constants, and the helpers one part calls in another. Not installed, not API. */

#include "hl-sequence-painter.h"

G_BEGIN_DECLS

#define GHOST_ALPHA      0.22
#define ARROW_WIDTH      2.0
#define PIPE_WIDTH       10.0
#define HEAD_LENGTH      12.0
#define HEAD_HALF        6.0
#define CORNER           8.0
#define LAYOUT_CACHE_MAX 4096

struct _HlSequencePainter
{
  GObject                parent_instance;

  PangoContext          *context;
  PangoFontDescription  *base;
  PangoFontDescription  *fonts[HL_SEQUENCE_N_FONTS];
  HlSequencePalette      palette;
  GHashTable            *layouts;   /* "font \x1f wrap \x1f text" → PangoLayout */
  double                 alpha;     /* of what is being drawn: faint future steps, fades */
};

/* Small helpers: the colour to draw with, rounded rectangles, the colours of sides, bands and
 * arrows */

static inline void
set_color (HlSequencePainter *self, cairo_t *cr, HlSequenceColor color, double alpha)
{
  const GdkRGBA *c = &self->palette.colors[color];

  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha * self->alpha);
}

static inline void
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

static inline HlSequenceColor
side_color (HlSide side)
{
  switch (side)
    {
    case HL_SIDE_SERVER: return HL_SEQUENCE_COLOR_SERVER;
    case HL_SIDE_CA: return HL_SEQUENCE_COLOR_CA;
    case HL_SIDE_ATTACKER: return HL_SEQUENCE_COLOR_ATTACKER;
    case HL_SIDE_CLIENT:
    default: return HL_SEQUENCE_COLOR_CLIENT;
    }
}

static inline HlSequenceColor
band_color (HlSequencePhase phase, gboolean title)
{
  switch (phase)
    {
    case HL_SEQUENCE_PHASE_KEY_EXCHANGE:
      return title ? HL_SEQUENCE_COLOR_KEY_EXCHANGE_TITLE : HL_SEQUENCE_COLOR_KEY_EXCHANGE;
    case HL_SEQUENCE_PHASE_SYMMETRIC:
      return title ? HL_SEQUENCE_COLOR_SYMMETRIC_TITLE : HL_SEQUENCE_COLOR_SYMMETRIC;
    case HL_SEQUENCE_PHASE_NEGOTIATION:
    default:
      return title ? HL_SEQUENCE_COLOR_NEGOTIATION_TITLE : HL_SEQUENCE_COLOR_NEGOTIATION;
    }
}

static inline HlSequenceColor
arrow_color (const HlSequenceItem *item)
{
  if (item->flags & HL_SEQUENCE_FLAG_FATAL)
    return HL_SEQUENCE_COLOR_ALERT;
  if (item->flags & HL_SEQUENCE_FLAG_RECORD)
    return HL_SEQUENCE_COLOR_DIM;
  if (item->flags & HL_SEQUENCE_FLAG_CCS)
    return (item->flags & HL_SEQUENCE_FLAG_COMPAT) ? HL_SEQUENCE_COLOR_DIM
                                                    : HL_SEQUENCE_COLOR_SWITCH;
  if (item->flags & HL_SEQUENCE_FLAG_PROTECTED)
    return HL_SEQUENCE_COLOR_PROTECTED;
  return HL_SEQUENCE_COLOR_PLAIN;
}

/* hl-sequence-painter.c */
void hl_painter_show_text (HlSequencePainter *self, cairo_t *cr, HlSequenceFont font,
                           const char *text, gsize len, double wrap, double x, double y,
                           HlSequenceColor color, double alpha);
void hl_painter_show_item_text (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item,
                                double wrap, HlSequenceColor color, double alpha);

/* hl-sequence-painter-shapes.c */
void hl_painter_draw_lock (HlSequencePainter *self, cairo_t *cr, double x, double cy, double size,
                           HlSequenceColor color, gboolean open);
void hl_painter_draw_key (HlSequencePainter *self, cairo_t *cr, double x, double cy, double size,
                          HlSequenceColor color);
void hl_painter_draw_check (HlSequencePainter *self, cairo_t *cr, const HlSequenceRect *r,
                            gboolean ok);
void hl_painter_draw_envelope (HlSequencePainter *self, cairo_t *cr, double cx, double cy,
                               HlSequenceColor color, gboolean locked);
void hl_painter_draw_pill (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item,
                           HlSequenceColor color);

/* hl-sequence-painter-backdrop.c */
void hl_painter_draw_threat (HlSequencePainter *self, cairo_t *cr, double right, double top,
                             double size);

G_END_DECLS
