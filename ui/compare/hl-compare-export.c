/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare-export"
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hl-compare-export.h"
#include "hl-export.h"
#include "hl-compare-painter.h"

/* The comparison as SVG, PDF or PNG: the aligned diagrams on top, the summary under them, on
 * one page. The same painter as the window, on a PangoCairo context of its own (no display,
 * any thread). */

/* The document's title (what browsers and screen readers name the picture by), right after the
 * opening <svg …> that Cairo writes. */
static void
title_svg (GByteArray *svg, HlTrace *left, HlTrace *right)
{
  g_autoptr(GString) out = g_string_new_len ((const char *) svg->data, svg->len);
  g_autofree char *title = g_markup_printf_escaped ("\n<title>%s — %s</title>",
                                                    hl_trace_get_title (left),
                                                    hl_trace_get_title (right));
  const char *open = strstr (out->str, "<svg");

  open = open ? strchr (open, '>') : NULL;
  if (open == NULL)
    return;
  g_string_insert (out, (open - out->str) + 1, title);
  g_byte_array_set_size (svg, 0);
  g_byte_array_append (svg, (const guint8 *) out->str, out->len);
}

GBytes *
hl_compare_render (HlTrace                *left,
                   HlTrace                *right,
                   HlDiagramFormat         format,
                   const HlDiagramOptions *options,
                   GError                **error)
{
  g_autoptr(HlComparePainter) painter = NULL;
  g_autoptr(PangoFontDescription) font = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  PangoContext *context;
  HlSequencePalette palette;
  HlCompareDrawState state;
  cairo_t *cr;
  double width, diagram_h, summary_h, height, scale = 1;

  g_return_val_if_fail (HL_IS_TRACE (left) && HL_IS_TRACE (right), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  painter = hl_compare_painter_new (context);
  g_object_unref (context);
  font = pango_font_description_from_string (options->font ? options->font
                                                           : HL_DIAGRAM_DEFAULT_FONT);
  if (pango_font_description_get_size (font) <= 0)
    pango_font_description_set_size (font, 11 * PANGO_SCALE);
  hl_compare_painter_set_font (painter, font);
  hl_diagram_palette_init (&palette, options->dark, options->high_contrast);
  hl_compare_painter_set_palette (painter, &palette);
  hl_compare_painter_set_traces (painter, left, right);

  diagram_h = hl_compare_painter_layout (painter, HL_COMPARE_EXPORT_WIDTH);
  width = ceil (hl_compare_painter_get_width (painter));
  summary_h = hl_compare_painter_draw_summary (painter, NULL, 0, width);
  height = ceil (diagram_h + summary_h);

  hl_compare_draw_state_init (&state);
  if (options->step >= 0)
    state.shown[0] = state.shown[1] = options->step;

  if (format == HL_DIAGRAM_PNG)
    {
      scale = CLAMP (options->scale, 0.25, HL_DIAGRAM_MAX_SCALE);
      if (ceil (width * scale) > HL_DIAGRAM_PNG_MAX_PIXELS ||
          ceil (height * scale) > HL_DIAGRAM_PNG_MAX_PIXELS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("The comparison is too large for a PNG image at %g×: choose a "
                         "smaller scale, or SVG or PDF"), scale);
          return NULL;
        }
    }
  cr = hl_diagram_canvas_new (format, width, height, scale, NULL, data,
                              _("Could not draw the comparison"), error);
  if (cr == NULL)
    return NULL;
  hl_compare_painter_draw (painter, cr, 0, diagram_h, &state);
  hl_compare_painter_draw_summary (painter, cr, diagram_h, width);
  if (!hl_diagram_canvas_finish (cr, format, data, _("Could not draw the comparison"), error))
    return NULL;
  if (format == HL_DIAGRAM_SVG)
    title_svg (data, left, right);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

gboolean
hl_compare_export (HlTrace                *left,
                   HlTrace                *right,
                   HlDiagramFormat         format,
                   const HlDiagramOptions *options,
                   GFile                  *file,
                   GError                **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = hl_compare_render (left, right, format, options, error);
  if (bytes == NULL)
    return FALSE;
  if (!hl_file_write_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                               G_FILE_CREATE_REPLACE_DESTINATION, NULL, &local))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, local->domain, local->code, _("Could not write %s: %s"), name,
                   local->message);
      return FALSE;
    }
  return TRUE;
}
