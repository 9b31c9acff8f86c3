/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>
#include <pango/pangocairo.h>

#include "hl-sequence-layout.h"

G_BEGIN_DECLS

/* The colours of the diagram. The view reads them from CSS (light and dark); export code can
 * use the same palette on a Cairo surface. */
typedef enum
{
  HL_SEQUENCE_COLOR_FOREGROUND,
  HL_SEQUENCE_COLOR_DIM,
  HL_SEQUENCE_COLOR_BACKGROUND,
  HL_SEQUENCE_COLOR_CARD,
  HL_SEQUENCE_COLOR_BORDER,
  HL_SEQUENCE_COLOR_CLIENT,
  HL_SEQUENCE_COLOR_SERVER,
  HL_SEQUENCE_COLOR_CA,
  HL_SEQUENCE_COLOR_PLAIN,          /* arrows in the clear */
  HL_SEQUENCE_COLOR_PROTECTED,      /* encrypted arrows and their lock */
  HL_SEQUENCE_COLOR_SWITCH,         /* ChangeCipherSpec */
  HL_SEQUENCE_COLOR_ALERT,
  HL_SEQUENCE_COLOR_OK,
  HL_SEQUENCE_COLOR_FAILED,
  HL_SEQUENCE_COLOR_NEGOTIATION,    /* band fills (translucent) */
  HL_SEQUENCE_COLOR_KEY_EXCHANGE,
  HL_SEQUENCE_COLOR_SYMMETRIC,
  HL_SEQUENCE_COLOR_NEGOTIATION_TITLE,
  HL_SEQUENCE_COLOR_KEY_EXCHANGE_TITLE,
  HL_SEQUENCE_COLOR_SYMMETRIC_TITLE,
  HL_SEQUENCE_COLOR_CURRENT,        /* the current step's row (translucent) */
  HL_SEQUENCE_COLOR_ACCENT,         /* the current step's marker */
  HL_SEQUENCE_COLOR_HOVER,          /* the row under the pointer (translucent) */
  HL_SEQUENCE_COLOR_GROUP,          /* flight brackets */
  HL_SEQUENCE_COLOR_ON_COLOR,       /* text on a coloured pill or badge */
  HL_SEQUENCE_COLOR_ATTACKER,       /* the attacker in the middle: a threat */
  HL_SEQUENCE_N_COLORS
} HlSequenceColor;

typedef struct
{
  GdkRGBA colors[HL_SEQUENCE_N_COLORS];
} HlSequencePalette;

/* The CSS class of each colour's style node (see style.css) */
const char *hl_sequence_color_to_class (HlSequenceColor color);
/* A built-in light palette, for drawing without a style (benchmarks, tests). */
void        hl_sequence_palette_init_default (HlSequencePalette *palette, gboolean dark);

typedef enum
{
  HL_SEQUENCE_STEP_FUTURE,   /* not reached yet: drawn faintly */
  HL_SEQUENCE_STEP_SHOWN,
  HL_SEQUENCE_STEP_CURRENT,  /* drawn with its progress (animation) */
} HlSequenceStepState;

#define HL_TYPE_SEQUENCE_PAINTER (hl_sequence_painter_get_type ())
G_DECLARE_FINAL_TYPE (HlSequencePainter, hl_sequence_painter, HL, SEQUENCE_PAINTER, GObject)

/* @context: a PangoCairo context (NULL: a new one on the default font map) */
HlSequencePainter *hl_sequence_painter_new           (PangoContext               *context);
/* Returns TRUE when the fonts changed (measurements must be redone). */
gboolean           hl_sequence_painter_set_font      (HlSequencePainter          *self,
                                                      const PangoFontDescription *base);
/* Returns TRUE when a colour changed. */
gboolean           hl_sequence_painter_set_palette   (HlSequencePainter          *self,
                                                      const HlSequencePalette    *palette);
const HlSequencePalette *
                   hl_sequence_painter_get_palette   (HlSequencePainter          *self);

/* An #HlSequenceMeasureFunc; @user_data is the painter. */
void               hl_sequence_painter_measure       (HlSequenceFont              font,
                                                      const char                 *text,
                                                      double                      wrap_width,
                                                      double                     *width,
                                                      double                     *height,
                                                      gpointer                    user_data);

/* All drawing is in layout units; the caller sets the transform and clip. Only what intersects
 * [@y0, @y1) is drawn.
 *
 * @on_background: the target is raster (an image, or a recording played back into one) and
 * already filled with the background colour. Then the band tints, which cover nearly all of it,
 * are blended with the background once per band and filled opaque instead of blended over every
 * pixel: the same pixels, for less work. Vector exports pass FALSE. */
void               hl_sequence_painter_draw_backdrop (HlSequencePainter          *self,
                                                      cairo_t                    *cr,
                                                      HlSequenceLayout           *layout,
                                                      double                      y0,
                                                      double                      y1,
                                                      gboolean                    on_background);
/* Steps before @current shown, after it faint; @current itself is left out unless
 * @include_current (then drawn as shown). */
void               hl_sequence_painter_draw_steps    (HlSequencePainter          *self,
                                                      cairo_t                    *cr,
                                                      HlSequenceLayout           *layout,
                                                      double                      y0,
                                                      double                      y1,
                                                      int                         current,
                                                      gboolean                    include_current);
void               hl_sequence_painter_draw_step     (HlSequencePainter          *self,
                                                      cairo_t                    *cr,
                                                      HlSequenceLayout           *layout,
                                                      guint                       step,
                                                      HlSequenceStepState         state,
                                                      double                      progress);
/* The row of @step tinted as current (@current) or hovered. */
void               hl_sequence_painter_draw_highlight (HlSequencePainter         *self,
                                                       cairo_t                   *cr,
                                                       HlSequenceLayout          *layout,
                                                       guint                      step,
                                                       gboolean                   current);
/* The lifeline headers with their background, at the top of the layout (y = 0). @shadow adds
 * the edge that shows content scrolled under them. */
void               hl_sequence_painter_draw_headers  (HlSequencePainter          *self,
                                                      cairo_t                    *cr,
                                                      HlSequenceLayout           *layout,
                                                      gboolean                    shadow);
/* A band's title strip drawn with its top at @y: pinned under the headers while the band
 * scrolls by. */
void               hl_sequence_painter_draw_band_title (HlSequencePainter        *self,
                                                        cairo_t                  *cr,
                                                        const HlSequenceItem     *band,
                                                        double                    y);
/* Everything at once, every step shown up to @current: for export and benchmarks. */
void               hl_sequence_painter_draw_all      (HlSequencePainter          *self,
                                                      cairo_t                    *cr,
                                                      HlSequenceLayout           *layout,
                                                      double                      y0,
                                                      double                      y1,
                                                      int                         current);

G_END_DECLS
