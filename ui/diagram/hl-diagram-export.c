/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-diagram-export"
#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "hl-diagram-export.h"
#include "hl-export.h"

/* Order of this file: options and palettes, the layout, the three formats, files.
 *
 * The diagram is drawn by HlSequencePainter into a Cairo surface of the format asked for, from a
 * layout at its natural width: the same painter, layout and fonts as the window (the window
 * passes its interface font), so nothing is redrawn by hand. Cairo's SVG output has no ids, so
 * each step gets an invisible rectangle of its own on top, with the caption as its <title>:
 * browsers show it on hover, and scripts and tests can find the arrows. Needs no display. */

#define PDF_POINTS_PER_PIXEL 0.75         /* CSS pixels at 96 dpi */
#define PDF_MAX_POINTS       14400.0      /* 200 inches: the largest page readers accept */

void
hl_diagram_options_init (HlDiagramOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->step = -1;
  options->scale = 1;
}

void
hl_diagram_palette_init (HlSequencePalette *palette, gboolean dark, gboolean high_contrast)
{
  /* in the order of HlSequenceColor: opaque text, lines that carry meaning drawn darker (or
   * lighter), tints twice as strong as the everyday palette */
  static const char *light[HL_SEQUENCE_N_COLORS] = {
    "#000000", "rgba(0,0,0,0.78)", "#ffffff", "#ffffff", "rgba(0,0,0,0.55)",
    "#0b4fa8", "#5f2a80", "#9a3600", "#000000", "#0a6a3c", "#7a5000",
    "#a0000f", "#0a6a3c", "#a0000f",
    "rgba(229,165,10,0.20)", "rgba(145,65,172,0.15)", "rgba(38,162,105,0.18)",
    "#5c4000", "#5f2a80", "#0a6a3c", "rgba(28,113,216,0.24)", "#0b4fa8",
    "rgba(0,0,0,0.07)", "rgba(0,0,0,0.75)", "#ffffff", "#8a0010",
  };
  static const char *night[HL_SEQUENCE_N_COLORS] = {
    "#ffffff", "rgba(255,255,255,0.82)", "#000000", "#141414", "rgba(255,255,255,0.55)",
    "#8cc2ff", "#e6a6ff", "#ffb870", "#ffffff", "#7dffae", "#ffe873",
    "#ff8f7a", "#7dffae", "#ff8f7a",
    "rgba(248,228,92,0.14)", "rgba(192,97,203,0.20)", "rgba(87,227,137,0.14)",
    "#ffe873", "#e6a6ff", "#a6ffc0", "rgba(120,174,237,0.34)", "#8cc2ff",
    "rgba(255,255,255,0.09)", "rgba(255,255,255,0.75)", "#000000", "#ff9a8a",
  };

  g_return_if_fail (palette != NULL);

  if (!high_contrast)
    {
      hl_sequence_palette_init_default (palette, dark);
      return;
    }
  for (guint i = 0; i < HL_SEQUENCE_N_COLORS; i++)
    gdk_rgba_parse (&palette->colors[i], dark ? night[i] : light[i]);
}

/* The layout */

HlSequenceLayout *
hl_diagram_layout_new (HlTrace                 *trace,
                       const HlDiagramOptions  *options,
                       HlSequencePainter      **painter_out)
{
  PangoContext *context;
  g_autoptr(PangoFontDescription) font = NULL;
  g_autoptr(HlSequencePainter) painter = NULL;
  HlSequenceLayout *layout;
  HlSequencePalette palette;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  /* the default font map is per thread: exports may run in a worker */
  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  painter = hl_sequence_painter_new (context);
  g_object_unref (context);
  font = pango_font_description_from_string (options->font ? options->font
                                                           : HL_DIAGRAM_DEFAULT_FONT);
  if (pango_font_description_get_size (font) <= 0)
    pango_font_description_set_size (font, 11 * PANGO_SCALE);
  hl_sequence_painter_set_font (painter, font);
  hl_diagram_palette_init (&palette, options->dark, options->high_contrast);
  hl_sequence_painter_set_palette (painter, &palette);

  layout = hl_sequence_layout_new (hl_sequence_painter_measure, g_object_ref (painter),
                                   g_object_unref);
  hl_sequence_layout_set_show_records (layout, options->show_records);
  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, hl_sequence_layout_get_natural_width (layout));
  if (painter_out)
    *painter_out = g_steal_pointer (&painter);
  return layout;
}

void
hl_diagram_get_size (HlTrace *trace, const HlDiagramOptions *options, double *width,
                     double *height)
{
  g_autoptr(HlSequenceLayout) layout = hl_diagram_layout_new (trace, options, NULL);

  hl_sequence_layout_get_size (layout, width, height);
}

/* The current step for draw_all(): -1 … n - 1, or n for every step with none highlighted. */
static int
current_step (HlSequenceLayout *layout, const HlDiagramOptions *options)
{
  guint n = hl_sequence_layout_get_n_steps (layout);

  if (options->step < 0 || (guint) options->step > n)
    return (int) n;
  return options->step - 1;
}

static void
draw (HlSequencePainter      *painter,
      HlSequenceLayout       *layout,
      const HlDiagramOptions *options,
      cairo_t                *cr)
{
  double height;

  hl_sequence_layout_get_size (layout, NULL, &height);
  hl_sequence_painter_draw_all (painter, cr, layout, 0, height, current_step (layout, options));
}

/* Formats */

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_surface (cairo_surface_t *surface, const char *failed, GError **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", failed,
               cairo_status_to_string (status));
  return FALSE;
}

/**
 * hl_diagram_canvas_new:
 * @format: the format
 * @width: the picture's width in logical pixels
 * @height: its height
 * @png_scale: PNG only: pixels per logical pixel; the caller checked that the image is no larger
 *   than %HL_DIAGRAM_PNG_MAX_PIXELS
 * @pdf_title: (nullable): PDF only: the document's title
 * @data: where the surface writes the document
 * @failed: the caller's words for a failure ("Could not draw the diagram"), before Cairo's
 * @error: return location for a #GError
 *
 * A Cairo context on a new surface of @format that writes into @data, scaled so that the picture
 * is drawn in logical pixels: PDF in points (a very long picture is shrunk onto the largest
 * page rather than cut), PNG at @png_scale. Finish it with hl_diagram_canvas_finish(). The
 * comparison's exports use it too.
 *
 * Returns: (transfer full) (nullable): the context, or %NULL with the error Cairo gives
 */
cairo_t *
hl_diagram_canvas_new (HlDiagramFormat  format,
                       double           width,
                       double           height,
                       double           png_scale,
                       const char      *pdf_title,
                       GByteArray      *data,
                       const char      *failed,
                       GError         **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;

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

        /* a very long trace is shrunk onto the largest page rather than cut */
        if (height * scale > PDF_MAX_POINTS)
          scale = PDF_MAX_POINTS / height;
        surface = cairo_pdf_surface_create_for_stream (append_cb, data, width * scale,
                                                       height * scale);
        if (pdf_title)
          cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, pdf_title);
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR,
                                        "Handshake Lens " PACKAGE_VERSION);
        cr = cairo_create (surface);
        cairo_scale (cr, scale, scale);
      }
      break;

    case HL_DIAGRAM_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * png_scale),
                                            (int) ceil (height * png_scale));
      cr = cairo_create (surface);
      cairo_scale (cr, png_scale, png_scale);
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  cairo_surface_destroy (surface);   /* @cr holds it */
  if (!check_surface (cairo_get_target (cr), failed, error))
    {
      cairo_destroy (cr);
      return NULL;
    }
  return cr;
}

/**
 * hl_diagram_canvas_finish:
 * @cr: (transfer full): a context from hl_diagram_canvas_new(), drawn on
 * @format: its format
 * @data: where its surface writes
 * @failed: the caller's words for a failure, as for hl_diagram_canvas_new()
 * @error: return location for a #GError
 *
 * Ends the document (a PNG is encoded into @data here) and frees @cr with its surface.
 *
 * Returns: %FALSE with the error Cairo gives
 */
gboolean
hl_diagram_canvas_finish (cairo_t          *cr,
                          HlDiagramFormat   format,
                          GByteArray       *data,
                          const char       *failed,
                          GError          **error)
{
  cairo_surface_t *surface = cairo_surface_reference (cairo_get_target (cr));
  gboolean ok;

  cairo_destroy (cr);
  if (format == HL_DIAGRAM_PNG)
    cairo_surface_write_to_png_stream (surface, append_cb, data);
  cairo_surface_finish (surface);
  ok = check_surface (surface, failed, error);
  cairo_surface_destroy (surface);
  return ok;
}

static const char *
step_class (const HlSequenceItem *item)
{
  switch (item->kind)
    {
    case HL_SEQUENCE_ITEM_ARROW: return "hl-arrow";
    case HL_SEQUENCE_ITEM_ACTION: return "hl-action";
    case HL_SEQUENCE_ITEM_NOTE: return "hl-note";
    case HL_SEQUENCE_ITEM_HEADER:
    case HL_SEQUENCE_ITEM_LIFELINE:
    case HL_SEQUENCE_ITEM_CA_LINK:
    case HL_SEQUENCE_ITEM_BAND:
    case HL_SEQUENCE_ITEM_SEPARATOR:
    case HL_SEQUENCE_ITEM_GROUP:
    default: return "hl-other";
    }
}

/* The invisible step rectangles and the document title, spliced into Cairo's SVG. */
static gboolean
annotate_svg (GByteArray             *svg,
              HlTrace                *trace,
              HlSequenceLayout       *layout,
              const HlDiagramOptions *options,
              GError                **error)
{
  g_autoptr(GString) out = g_string_new_len ((const char *) svg->data, svg->len);
  g_autoptr(GString) steps = g_string_new ("<g id=\"hl-steps\" fill=\"#000\" "
                                           "fill-opacity=\"0\" stroke=\"none\">\n");
  const char *name = hl_trace_get_title (trace);
  g_autofree char *title = g_markup_printf_escaped ("<title>%s</title>\n", name ? name : "");
  int current = current_step (layout, options);
  const char *open, *close;
  gsize open_at, close_at;

  open = strstr (out->str, "<svg");
  open = open ? strchr (open, '>') : NULL;
  close = g_strrstr (out->str, "</svg>");
  if (open == NULL || close == NULL || close < open)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not draw the diagram: Cairo wrote no SVG document"));
      return FALSE;
    }
  /* Offsets, not pointers: every g_string_insert() below may move out->str. */
  open_at = (gsize) (open - out->str) + 1;
  close_at = (gsize) (close - out->str);
  for (guint s = 0; s < hl_sequence_layout_get_n_steps (layout); s++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_step (layout, s);
      HlEvent *event = hl_trace_get_event (trace, item->event);
      const char *state = (int) s < current ? "hl-shown"
                          : (int) s == current ? "hl-current" : "hl-future";
      g_autofree char *text = NULL;

      if (current == (int) hl_sequence_layout_get_n_steps (layout))
        state = "hl-shown";
      text = g_markup_printf_escaped ("<g id=\"hl-step-%u\" class=\"hl-step %s %s\">"
                                      "<title>%u. %s — %s</title>"
                                      "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                                      "height=\"%.2f\"/></g>\n",
                                      s + 1, step_class (item), state, s + 1,
                                      item->text ? item->text : "",
                                      event ? hl_event_get_caption (event) : "",
                                      item->bounds.x, item->bounds.y, item->bounds.width,
                                      item->bounds.height);
      g_string_append (steps, text);
    }
  g_string_append (steps, "</g>\n");

  /* the steps before </svg>, then the title right after <svg …> (earlier in the text) */
  g_string_insert (out, close_at, steps->str);
  g_string_insert (out, open_at, "\n");
  g_string_insert (out, open_at + 1, title);

  g_byte_array_set_size (svg, 0);
  g_byte_array_append (svg, (const guint8 *) out->str, out->len);
  return TRUE;
}

GBytes *
hl_diagram_render (HlTrace                *trace,
                   HlDiagramFormat         format,
                   const HlDiagramOptions *options,
                   GError                **error)
{
  g_autoptr(HlSequencePainter) painter = NULL;
  g_autoptr(HlSequenceLayout) layout = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  double width, height, scale = 1, w, h;
  cairo_t *cr;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  layout = hl_diagram_layout_new (trace, options, &painter);
  hl_sequence_layout_get_size (layout, &width, &height);
  width = ceil (width);
  height = ceil (height);

  if (format == HL_DIAGRAM_PNG)
    {
      scale = CLAMP (options->scale, 0.25, HL_DIAGRAM_MAX_SCALE);
      w = ceil (width * scale);
      h = ceil (height * scale);
      if (w > HL_DIAGRAM_PNG_MAX_PIXELS || h > HL_DIAGRAM_PNG_MAX_PIXELS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("The diagram is too large for a PNG image at %g× (%.0f × %.0f pixels, "
                         "at most %d): choose a smaller scale, or SVG or PDF"),
                       scale, w, h, HL_DIAGRAM_PNG_MAX_PIXELS);
          return NULL;
        }
    }
  cr = hl_diagram_canvas_new (format, width, height, scale, hl_trace_get_title (trace), data,
                              _("Could not draw the diagram"), error);
  if (cr == NULL)
    return NULL;
  draw (painter, layout, options, cr);
  if (!hl_diagram_canvas_finish (cr, format, data, _("Could not draw the diagram"), error))
    return NULL;

  if (format == HL_DIAGRAM_SVG && !annotate_svg (data, trace, layout, options, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* Files */

gboolean
hl_diagram_export (HlTrace                *trace,
                   HlDiagramFormat         format,
                   const HlDiagramOptions *options,
                   GFile                  *file,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = hl_diagram_render (trace, format, options, error);
  if (bytes == NULL)
    return FALSE;
  if (!hl_file_write_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                               G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &local))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, local->domain, local->code, _("Could not write %s: %s"), name,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  HlTrace          *trace;
  HlDiagramFormat   format;
  HlDiagramOptions  options;
  char             *font;
  GFile            *file;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  g_object_unref (d->trace);
  g_object_unref (d->file);
  g_free (d->font);
  g_free (d);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *d = task_data;
  GError *error = NULL;

  if (hl_diagram_export (d->trace, d->format, &d->options, d->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
hl_diagram_export_async (HlTrace                *trace,
                         HlDiagramFormat         format,
                         const HlDiagramOptions *options,
                         GFile                  *file,
                         GCancellable           *cancellable,
                         GAsyncReadyCallback     callback,
                         gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *d;

  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (options != NULL);
  g_return_if_fail (G_IS_FILE (file));

  d = g_new0 (ExportData, 1);
  d->trace = g_object_ref (trace);
  d->format = format;
  d->options = *options;
  d->font = g_strdup (options->font);
  d->options.font = d->font;
  d->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_diagram_export_async);
  g_task_set_task_data (task, d, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
hl_diagram_export_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
hl_diagram_format_get_extension (HlDiagramFormat format)
{
  static const char *extensions[] = { "svg", "pdf", "png" };

  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (extensions), NULL);
  return extensions[format];
}

const char *
hl_diagram_format_get_mime_type (HlDiagramFormat format)
{
  static const char *types[] = { "image/svg+xml", "application/pdf", "image/png" };

  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (types), NULL);
  return types[format];
}
