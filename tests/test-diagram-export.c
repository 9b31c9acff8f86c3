/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Diagram images without a display: SVG parses as XML (GMarkup) with one element per step and
 * the right number of arrows, PDF starts with %PDF, PNG decodes at the size asked for, light and
 * dark; the file export runs in a worker thread. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "hl-diagram-export.h"
#include "hl-engine.h"
#include "hl-scenario.h"
#include "hl-test-traces.h"

/* What the diagram must show: one step per event (records only when shown), an arrow for
 * everything that travels. */
static void
count_expected (HlTrace *trace, gboolean records, guint *steps, guint *arrows)
{
  *steps = *arrows = 0;
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEventKind kind = hl_event_get_kind (hl_trace_get_event (trace, i));

      if (kind == HL_EVENT_RECORD && !records)
        continue;
      (*steps)++;
      if (kind != HL_EVENT_ACTION && kind != HL_EVENT_NOTE)
        (*arrows)++;
    }
}

/* SVG, read with GMarkup */

typedef struct
{
  guint   depth;
  char   *root;
  double  width;
  double  height;
  guint   steps;
  guint   arrows;
  guint   current;
  guint   future;
  int     current_id;
  guint   glyphs;      /* <use> of a glyph: text was drawn */
  guint   titles;
  gboolean in_step_title;
  GString *step_title; /* the first step's title text */
} SvgStats;

static void
svg_start_cb (GMarkupParseContext  *context,
              const char           *element,
              const char          **names,
              const char          **values,
              gpointer              user_data,
              GError              **error)
{
  SvgStats *stats = user_data;
  const char *klass = NULL, *id = NULL;

  if (stats->depth++ == 0)
    {
      stats->root = g_strdup (element);
      for (guint i = 0; names[i]; i++)
        if (g_str_equal (names[i], "width"))
          stats->width = g_ascii_strtod (values[i], NULL);
        else if (g_str_equal (names[i], "height"))
          stats->height = g_ascii_strtod (values[i], NULL);
      return;
    }
  for (guint i = 0; names[i]; i++)
    if (g_str_equal (names[i], "class"))
      klass = values[i];
    else if (g_str_equal (names[i], "id"))
      id = values[i];
  if (g_str_equal (element, "use"))
    stats->glyphs++;
  if (g_str_equal (element, "title"))
    {
      stats->titles++;
      stats->in_step_title = stats->steps == 1 && stats->step_title->len == 0;
    }
  if (!g_str_equal (element, "g") || klass == NULL)
    return;
  {
    g_auto(GStrv) classes = g_strsplit (klass, " ", -1);

    if (!g_strv_contains ((const char *const *) classes, "hl-step"))
      return;
    stats->steps++;
    g_assert_nonnull (id);
    g_assert_true (g_str_has_prefix (id, "hl-step-"));
    if (g_strv_contains ((const char *const *) classes, "hl-arrow"))
      stats->arrows++;
    if (g_strv_contains ((const char *const *) classes, "hl-current"))
      {
        stats->current++;
        stats->current_id = atoi (id + strlen ("hl-step-"));
      }
    if (g_strv_contains ((const char *const *) classes, "hl-future"))
      stats->future++;
  }
}

static void
svg_end_cb (GMarkupParseContext *context, const char *element, gpointer user_data,
            GError **error)
{
  SvgStats *stats = user_data;

  stats->depth--;
  stats->in_step_title = FALSE;
}

static void
svg_text_cb (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data,
             GError **error)
{
  SvgStats *stats = user_data;

  if (stats->in_step_title)
    g_string_append_len (stats->step_title, text, len);
}

static void
parse_svg (GBytes *bytes, SvgStats *stats)
{
  static const GMarkupParser parser = { svg_start_cb, svg_end_cb, svg_text_cb, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  memset (stats, 0, sizeof *stats);
  stats->step_title = g_string_new (NULL);
  stats->current_id = -1;
  /* GMarkup does not read the <?xml?> declaration: start at the root element */
  g_assert_true (g_str_has_prefix (data, "<?xml"));
  {
    const char *root = strstr (data, "<svg");

    g_assert_nonnull (root);
    len -= root - data;
    data = root;
  }
  context = g_markup_parse_context_new (&parser, 0, stats, NULL);
  g_markup_parse_context_parse (context, data, len, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->depth, ==, 0);
}

static void
svg_stats_clear (SvgStats *stats)
{
  g_free (stats->root);
  g_string_free (stats->step_title, TRUE);
}

static void
test_svg (void)
{
  const char *ids[] = { "tls12-rsa", "tls13", "tls13-hrr", "tls12-resume-ticket",
                        "fail-untrusted-ca" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    for (int records = 0; records <= 1; records++)
      {
        HlTrace *trace = hl_test_trace (ids[i]);
        HlDiagramOptions options;
        g_autoptr(GBytes) svg = NULL;
        g_autoptr(GError) error = NULL;
        double width, height;
        guint steps, arrows;
        SvgStats stats;

        hl_diagram_options_init (&options);
        options.show_records = records;
        svg = hl_diagram_render (trace, HL_DIAGRAM_SVG, &options, &error);
        g_assert_no_error (error);
        parse_svg (svg, &stats);
        count_expected (trace, records, &steps, &arrows);
        hl_diagram_get_size (trace, &options, &width, &height);

        g_test_message ("%s%s: %u steps, %u arrows", ids[i], records ? " with records" : "",
                        stats.steps, stats.arrows);
        g_assert_cmpstr (stats.root, ==, "svg");
        g_assert_cmpfloat (stats.width, ==, ceil (width));
        g_assert_cmpfloat (stats.height, ==, ceil (height));
        g_assert_cmpuint (stats.steps, ==, steps);
        g_assert_cmpuint (stats.arrows, ==, arrows);
        g_assert_cmpuint (stats.arrows, >, 3);
        /* complete: nothing current, nothing faint */
        g_assert_cmpuint (stats.current, ==, 0);
        g_assert_cmpuint (stats.future, ==, 0);
        g_assert_cmpuint (stats.glyphs, >, 100);
        /* the document's title and one per step, the caption in it */
        g_assert_cmpuint (stats.titles, ==, steps + 1);
        g_assert_true (strstr (stats.step_title->str, "1. ") == stats.step_title->str);
        svg_stats_clear (&stats);
      }
}

static void
test_svg_step (void)
{
  HlTrace *trace = hl_test_trace ("tls13");
  HlDiagramOptions options;
  g_autoptr(GBytes) svg = NULL;
  g_autoptr(GError) error = NULL;
  guint steps, arrows;
  SvgStats stats;

  count_expected (trace, FALSE, &steps, &arrows);
  hl_diagram_options_init (&options);
  options.step = 5;
  options.dark = TRUE;
  svg = hl_diagram_render (trace, HL_DIAGRAM_SVG, &options, &error);
  g_assert_no_error (error);
  parse_svg (svg, &stats);
  g_assert_cmpuint (stats.steps, ==, steps);
  g_assert_cmpuint (stats.current, ==, 1);
  g_assert_cmpint (stats.current_id, ==, 5);
  g_assert_cmpuint (stats.future, ==, steps - 5);
  svg_stats_clear (&stats);
}

/* PDF and PNG */

/* @needle in binary data (g_strstr_len stops at the first NUL byte) */
static gboolean
contains (const char *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* One page, with the trace's title, as a PDF reader sees it: poppler's pdfinfo. Not by looking
 * for "/Count 1" in the bytes: cairo 1.18 writes the page tree into compressed object streams. */
static void
pdf_check_pages (GBytes *pdf, const char *title)
{
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *seen_title = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdfinfo", NULL, NULL };
  int status = 0;

  if (pdfinfo == NULL)
    {
      g_test_skip ("pdfinfo (poppler-utils, installed by build-aux/install-deps) is missing: "
                   "the page count was not checked");
      return;
    }
  dir = g_dir_make_tmp ("hl-test-pdf-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "diagram.pdf", NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                      &error));
  g_assert_no_error (error);
  argv[1] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^Pages: +1$", out, G_REGEX_MULTILINE, 0));
  g_assert_nonnull (title);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "Title:"))
      seen_title = g_strstrip (lines[i] + strlen ("Title:"));
  g_assert_cmpstr (seen_title, ==, title);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_pdf (void)
{
  HlDiagramOptions options;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  hl_diagram_options_init (&options);
  pdf = hl_diagram_render (hl_test_trace ("tls12-rsa"), HL_DIAGRAM_PDF, &options, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (pdf, &len);
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (memcmp (data, "%PDF-", 5) == 0);
  g_assert_true (contains (data + len - 32, 32, "%%EOF"));
  pdf_check_pages (pdf, hl_trace_get_title (hl_test_trace ("tls12-rsa")));
}

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         at;
} Reader;

static cairo_status_t
read_cb (void *closure, unsigned char *data, unsigned int length)
{
  Reader *r = closure;

  if (r->at + length > r->len)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->at, length);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

static guint32
pixel_at (cairo_surface_t *surface, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);
}

static void
check_png (HlTrace *trace, double scale, gboolean dark)
{
  HlDiagramOptions options;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  Reader reader = { 0 };
  double width, height;
  guint32 corner;
  gboolean varied = FALSE;

  hl_diagram_options_init (&options);
  options.scale = scale;
  options.dark = dark;
  png = hl_diagram_render (trace, HL_DIAGRAM_PNG, &options, &error);
  g_assert_no_error (error);
  reader.data = g_bytes_get_data (png, &reader.len);
  surface = cairo_image_surface_create_from_png_stream (read_cb, &reader);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpuint (reader.at, ==, reader.len);

  hl_diagram_get_size (trace, &options, &width, &height);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, (int) ceil (ceil (width) * scale));
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==,
                   (int) ceil (ceil (height) * scale));

  /* an opaque background of the style asked for, and a drawing on it */
  corner = pixel_at (surface, 0, cairo_image_surface_get_height (surface) - 1);
  g_assert_cmphex (corner >> 24, ==, 0xff);
  if (dark)
    g_assert_cmphex (corner & 0xff, <, 0x40);
  else
    g_assert_cmphex (corner & 0xff, >, 0xc0);
  for (int y = 0; y < cairo_image_surface_get_height (surface) && !varied; y += 7)
    varied = pixel_at (surface, cairo_image_surface_get_width (surface) / 2, y) != corner;
  g_assert_true (varied);
  cairo_surface_destroy (surface);
}

static void
test_png (void)
{
  check_png (hl_test_trace ("tls13"), 1, FALSE);
  check_png (hl_test_trace ("tls13"), 2, TRUE);
  check_png (hl_test_trace ("fail-expired"), 3, FALSE);
}

static void
test_high_contrast (void)
{
  HlSequencePalette normal, high;

  hl_diagram_palette_init (&normal, FALSE, FALSE);
  hl_diagram_palette_init (&high, FALSE, TRUE);
  /* text fully opaque and darker than the everyday palette's */
  g_assert_cmpfloat (high.colors[HL_SEQUENCE_COLOR_FOREGROUND].alpha, ==, 1);
  g_assert_cmpfloat (high.colors[HL_SEQUENCE_COLOR_DIM].alpha, >,
                     normal.colors[HL_SEQUENCE_COLOR_DIM].alpha);
  hl_diagram_palette_init (&high, TRUE, TRUE);
  g_assert_cmpfloat (high.colors[HL_SEQUENCE_COLOR_BACKGROUND].red, ==, 0);
  g_assert_cmpfloat (high.colors[HL_SEQUENCE_COLOR_FOREGROUND].red, ==, 1);
}

/* Files, in a worker thread */

typedef struct
{
  gboolean  done;
  GError   *error;
} Done;

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Done *done = user_data;

  hl_diagram_export_finish (result, &done->error);
  done->done = TRUE;
  g_main_context_wakeup (NULL);
}

static void
test_file_async (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-diagram-XXXXXX", NULL);

  for (HlDiagramFormat f = HL_DIAGRAM_SVG; f <= HL_DIAGRAM_PNG; f++)
    {
      g_autofree char *name = g_strconcat ("diagram.", hl_diagram_format_get_extension (f), NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *data = NULL;
      g_autofree char *font = g_strdup ("Sans 12");
      Done done = { FALSE, NULL };
      HlDiagramOptions options;
      gsize len;

      hl_diagram_options_init (&options);
      options.font = font;
      options.step = 3;
      hl_diagram_export_async (hl_test_trace ("tls12-rsa-ems"), f, &options, file, NULL,
                               export_done_cb, &done);
      /* the options are copied: the caller's strings may go at once */
      g_clear_pointer (&font, g_free);
      while (!done.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_no_error (done.error);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      if (f == HL_DIAGRAM_SVG)
        g_assert_true (g_str_has_prefix (data, "<?xml"));
      else if (f == HL_DIAGRAM_PDF)
        g_assert_true (g_str_has_prefix (data, "%PDF-"));
      else
        g_assert_true (memcmp (data, "\x89PNG", 4) == 0);
      g_assert_cmpstr (hl_diagram_format_get_mime_type (f), !=, NULL);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_unwritable (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-dir/diagram.svg");
  g_autoptr(GError) error = NULL;
  HlDiagramOptions options;

  hl_diagram_options_init (&options);
  g_assert_false (hl_diagram_export (hl_test_trace ("tls13"), HL_DIAGRAM_SVG, &options, file, NULL,
                                     &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/diagram.svg"));
}

int
main (int argc, char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/diagram-export/svg/arrows", test_svg);
  g_test_add_func ("/ui/diagram-export/svg/current-step", test_svg_step);
  g_test_add_func ("/ui/diagram-export/pdf", test_pdf);
  g_test_add_func ("/ui/diagram-export/png/size", test_png);
  g_test_add_func ("/ui/diagram-export/palette/high-contrast", test_high_contrast);
  g_test_add_func ("/ui/diagram-export/file/async", test_file_async);
  g_test_add_func ("/ui/diagram-export/file/unwritable", test_unwritable);

  rc = g_test_run ();
  hl_test_traces_free ();
  return rc;
}
