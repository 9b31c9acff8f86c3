/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare-export"
#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "hl-compare-export.h"
#include "hl-compare-painter.h"

/* The comparison as SVG, PDF or PNG: the aligned diagrams on top, the summary under them, on
 * one page. The same painter as the window, on a PangoCairo context of its own (no display,
 * any thread). */

#define PDF_POINTS_PER_PIXEL 0.75
#define PDF_MAX_POINTS       14400.0
#define PNG_MAX_PIXELS       32767

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_surface (cairo_surface_t *surface, GError **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not draw the comparison: %s"),
               cairo_status_to_string (status));
  return FALSE;
}

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
  cairo_surface_t *surface = NULL;
  cairo_t *cr = NULL;
  double width, diagram_h, summary_h, height;

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

  switch (format)
    {
    case HL_DIAGRAM_SVG:
      surface = cairo_svg_surface_create_for_stream (append_cb, data, width, height);
      cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      cr = cairo_create (surface);
      break;

    case HL_DIAGRAM_PDF:
      {
        double scale = PDF_POINTS_PER_PIXEL;

        if (height * scale > PDF_MAX_POINTS)
          scale = PDF_MAX_POINTS / height;
        surface = cairo_pdf_surface_create_for_stream (append_cb, data, width * scale,
                                                       height * scale);
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR,
                                        "Handshake Lens " PACKAGE_VERSION);
        cr = cairo_create (surface);
        cairo_scale (cr, scale, scale);
      }
      break;

    case HL_DIAGRAM_PNG:
      {
        double scale = CLAMP (options->scale, 0.25, HL_DIAGRAM_MAX_SCALE);
        double w = ceil (width * scale), h = ceil (height * scale);

        if (w > PNG_MAX_PIXELS || h > PNG_MAX_PIXELS)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                         _("The comparison is too large for a PNG image at %g×: choose a "
                           "smaller scale, or SVG or PDF"), scale);
            return NULL;
          }
        surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) w, (int) h);
        cr = cairo_create (surface);
        cairo_scale (cr, scale, scale);
      }
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  if (!check_surface (surface, error))
    {
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return NULL;
    }
  hl_compare_painter_draw (painter, cr, 0, diagram_h, &state);
  hl_compare_painter_draw_summary (painter, cr, diagram_h, width);
  cairo_destroy (cr);
  if (format == HL_DIAGRAM_PNG)
    cairo_surface_write_to_png_stream (surface, append_cb, data);
  cairo_surface_finish (surface);
  if (!check_surface (surface, error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  cairo_surface_destroy (surface);
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
  if (!g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL,
                                &local))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, local->domain, local->code, _("Could not write %s: %s"), name,
                   local->message);
      return FALSE;
    }
  return TRUE;
}
