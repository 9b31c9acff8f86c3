/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hl-compare-painter.h"

G_BEGIN_DECLS

/* The compare painter in parts, shared through this header: hl-compare-painter.c (fonts, the
 * object, layout, hit-testing) and hl-compare-painter-draw.c (drawing, the summary table). */

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

/* Lengths in units of the base font size, so the picture scales with the type. */
#define U(x) ((x) * self->unit)

/* A layout of @text in @font, @width wide (ellipsized, or wrapped with @wrap), or as wide as
 * it is with @width <= 0. */
static inline PangoLayout *
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

static inline void
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

G_END_DECLS
