/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pangocairo.h>

#include "hl-compare.h"
#include "hl-sequence-painter.h"

G_BEGIN_DECLS

/**
 * HlCompareDrawState:
 * @shown: per side (0 left, 1 right): how many rows are revealed; later rows are drawn faintly
 *   and the last revealed row of a side is tinted as its current one. -1 reveals everything
 *   with no current row.
 * @selected: the selected row (outlined across both sides), or -1
 * @hover: the row under the pointer, or -1
 */
typedef struct
{
  int shown[2];
  int selected;
  int hover;
} HlCompareDrawState;

void hl_compare_draw_state_init (HlCompareDrawState *state);

#define HL_TYPE_COMPARE_PAINTER (hl_compare_painter_get_type ())
G_DECLARE_FINAL_TYPE (HlComparePainter, hl_compare_painter, HL, COMPARE_PAINTER, GObject)

/* @context: a PangoCairo context (NULL: a new one on the default font map) */
HlComparePainter *hl_compare_painter_new          (PangoContext               *context);
void              hl_compare_painter_set_traces   (HlComparePainter           *self,
                                                   HlTrace                    *left,
                                                   HlTrace                    *right);
HlTrace          *hl_compare_painter_get_trace    (HlComparePainter           *self,
                                                   guint                       side);
/* The alignment drawn (borrowed), or NULL without traces. */
GArray           *hl_compare_painter_get_rows     (HlComparePainter           *self);
/* Returns TRUE when something changed (draw again). */
gboolean          hl_compare_painter_set_font     (HlComparePainter           *self,
                                                   const PangoFontDescription *base);
gboolean          hl_compare_painter_set_palette  (HlComparePainter           *self,
                                                   const HlSequencePalette    *palette);
const HlSequencePalette *
                  hl_compare_painter_get_palette  (HlComparePainter           *self);

/* Lays the rows out at @width (logical pixels); returns the total height (headers included). */
double            hl_compare_painter_layout       (HlComparePainter           *self,
                                                   double                      width);
double            hl_compare_painter_get_width    (HlComparePainter           *self);
double            hl_compare_painter_get_height   (HlComparePainter           *self);
/* The narrowest width at which labels still fit. */
double            hl_compare_painter_get_min_width (HlComparePainter          *self);
/* The row at (@x, @y) and which half it is in (0 left, 1 right), or -1. */
int               hl_compare_painter_row_at       (HlComparePainter           *self,
                                                   double                      x,
                                                   double                      y,
                                                   guint                      *side);
/* The middle of @row's step on @side (a point a click there hits). */
void              hl_compare_painter_get_row_point (HlComparePainter          *self,
                                                    guint                      row,
                                                    guint                      side,
                                                    double                    *x,
                                                    double                    *y);
void              hl_compare_painter_get_row_extent (HlComparePainter         *self,
                                                     guint                     row,
                                                     double                   *y,
                                                     double                   *height);

/* Draws the headers and the rows that meet [@y0, @y1), after filling the background. */
void              hl_compare_painter_draw         (HlComparePainter           *self,
                                                   cairo_t                    *cr,
                                                   double                      y0,
                                                   double                      y1,
                                                   const HlCompareDrawState   *state);
/* The summary as a table of @width starting at @y; returns its height. With @cr NULL it only
 * measures. */
double            hl_compare_painter_draw_summary (HlComparePainter           *self,
                                                   cairo_t                    *cr,
                                                   double                      y,
                                                   double                      width);

/* A label or value of hl_compare_summary_lines() in the user's language: its labels and fixed
 * words are marked for translation in the protocol library; anything else (a cipher suite, a
 * figure) comes back as it is. */
const char       *hl_compare_tr                   (const char                 *text);

G_END_DECLS
