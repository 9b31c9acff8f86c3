/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-sequence-painter.h"
#include "hl-trace.h"

G_BEGIN_DECLS

/**
 * HlDiagramFormat:
 * @HL_DIAGRAM_SVG: a scalable vector image; every step is also a `<g class="hl-step …">` with
 *   the step's caption as its `<title>`
 * @HL_DIAGRAM_PDF: one page holding the whole diagram
 * @HL_DIAGRAM_PNG: a bitmap at #HlDiagramOptions.scale device pixels per logical pixel
 *
 * The image exports of the sequence diagram. They are drawn by the painter the window uses
 * (HlSequencePainter), so the picture is the one on screen.
 */
typedef enum
{
  HL_DIAGRAM_SVG,
  HL_DIAGRAM_PDF,
  HL_DIAGRAM_PNG,
} HlDiagramFormat;

#define HL_DIAGRAM_DEFAULT_FONT "Cantarell 11"
#define HL_DIAGRAM_MAX_SCALE    4.0
#define HL_DIAGRAM_PNG_MAX_PIXELS 32767 /* Cairo's image surfaces */

/**
 * HlDiagramOptions:
 * @step: how many steps are shown (0 … n, the last of them highlighted as current), or -1 for
 *   the complete diagram with nothing highlighted
 * @dark: the dark palette
 * @high_contrast: the palette for projectors (see hl_diagram_palette_init())
 * @show_records: a row for each TLS record as well
 * @scale: PNG only: device pixels per logical pixel (1 … %HL_DIAGRAM_MAX_SCALE)
 * @font: the interface font the diagram's fonts derive from, as a Pango font description
 *   string; NULL for %HL_DIAGRAM_DEFAULT_FONT
 */
typedef struct
{
  int         step;
  gboolean    dark;
  gboolean    high_contrast;
  gboolean    show_records;
  double      scale;
  const char *font;
} HlDiagramOptions;

void        hl_diagram_options_init (HlDiagramOptions *options);
/* The palette of the exports: the painter's built-in light or dark one, or its high-contrast
 * variant (pure black on white or white on black, opaque band titles, stronger tints). */
void        hl_diagram_palette_init (HlSequencePalette *palette,
                                     gboolean           dark,
                                     gboolean           high_contrast);

/* A painter and a layout for @trace set up like the exports (headless: a PangoCairo context of
 * the default font map), laid out at its natural width. Returns the layout; the painter is
 * kept alive by it. */
HlSequenceLayout *hl_diagram_layout_new (HlTrace                 *trace,
                                         const HlDiagramOptions  *options,
                                         HlSequencePainter      **painter);
/* The size of the picture in logical pixels (PNG: times the scale; PDF: times 0.75 in points). */
void        hl_diagram_get_size     (HlTrace                *trace,
                                     const HlDiagramOptions *options,
                                     double                 *width,
                                     double                 *height);

GBytes     *hl_diagram_render       (HlTrace                *trace,
                                     HlDiagramFormat         format,
                                     const HlDiagramOptions *options,
                                     GError                **error);
gboolean    hl_diagram_export       (HlTrace                *trace,
                                     HlDiagramFormat         format,
                                     const HlDiagramOptions *options,
                                     GFile                  *file,
                                     GCancellable           *cancellable,
                                     GError                **error);
/* Renders in a worker thread (the trace is immutable; the thread has its own fonts). */
void        hl_diagram_export_async (HlTrace                *trace,
                                     HlDiagramFormat         format,
                                     const HlDiagramOptions *options,
                                     GFile                  *file,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data);
gboolean    hl_diagram_export_finish (GAsyncResult          *result,
                                      GError               **error);

/* Pictures drawn like the diagram (the comparison's too): a context on a surface of @format
 * that writes into @data, and the end of the document. */
cairo_t    *hl_diagram_canvas_new    (HlDiagramFormat  format,
                                      double           width,
                                      double           height,
                                      double           png_scale,
                                      const char      *pdf_title,
                                      GByteArray      *data,
                                      const char      *failed,
                                      GError         **error);
gboolean    hl_diagram_canvas_finish (cairo_t          *cr,
                                      HlDiagramFormat   format,
                                      GByteArray       *data,
                                      const char       *failed,
                                      GError          **error);

const char *hl_diagram_format_get_extension (HlDiagramFormat format);  /* "svg", "pdf", "png" */
const char *hl_diagram_format_get_mime_type (HlDiagramFormat format);

G_END_DECLS
