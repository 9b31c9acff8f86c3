/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The comparison window under a display (Xvfb in CI): a synthesized click on each side selects
 * a row and the field difference follows; the playheads step together, alone and by phase;
 * presenting hides everything but the diagrams; the window renders itself light and dark; the
 * main window's Compare With opens one. The exports need no display and always run. */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "hl-compare-export.h"
#include "hl-compare-window.h"
#include "hl-engine.h"
#include "hl-screenshot.h"
#include "hl-window.h"
#include "hl-test-ui.h"
#include "hl-test-wait.h"

static GtkApplication *app;
static HlTrace *tls12;
static HlTrace *tls13;

static HlCompareWindow *
new_window (void)
{
  HlCompareWindow *window = hl_compare_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  hl_compare_window_set_traces (window, tls12, tls13);
  gtk_window_present (GTK_WINDOW (window));
  hl_test_wait_frames (GTK_WIDGET (window), 3);
  return window;
}

static void
click_at (GtkWidget *widget, double x, double y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean clicked = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "pressed", 1, x, y);
          g_signal_emit_by_name (controller, "released", 1, x, y);
          clicked = TRUE;
        }
    }
  g_assert_true (clicked);
}

/* The first row of @kind whose step on @side is the message @name. */
static int
find_row (HlCompareView *view, HlCompareRowKind kind, guint side, const char *name)
{
  GArray *rows = hl_compare_view_get_rows (view);

  for (guint i = 0; i < rows->len; i++)
    {
      const HlCompareRow *row = &g_array_index (rows, HlCompareRow, i);
      int index = side == 0 ? row->left : row->right;

      if (row->kind == kind && index >= 0 &&
          g_strcmp0 (hl_event_get_name (hl_trace_get_event (hl_compare_view_get_trace (view,
                                                                                        side),
                                                            index)), name) == 0)
        return (int) i;
    }
  g_assert_not_reached ();
  return -1;
}

static void
activate (HlCompareWindow *window, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
}

/* A click on the left half selects the row there; one on the right half too; the inspector
 * pane shows the field difference of the two messages of the row. */
static void
test_click_both_sides (void)
{
  HlCompareWindow *window = new_window ();
  HlCompareView *view = hl_compare_window_get_view (window);
  int certificate = find_row (view, HL_COMPARE_ROW_MATCH, 0, "Certificate");
  int extensions = find_row (view, HL_COMPARE_ROW_RIGHT, 1, "EncryptedExtensions");
  double x, y;

  g_assert_true (hl_compare_window_is_ready (window));
  g_assert_cmpuint (hl_compare_view_get_n_rows (view), >, 20);
  /* opens on the two ClientHellos */
  g_assert_cmpint (hl_compare_view_get_selected (view), ==, 0);
  g_assert_nonnull (strstr (hl_compare_window_get_difference_title (window), "ClientHello"));
  g_assert_cmpuint (hl_compare_window_get_n_differences (window), >, 3);

  hl_compare_view_get_row_point (view, certificate, 0, &x, &y);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (view)) / 2.0);
  click_at (GTK_WIDGET (view), x, y);
  g_assert_cmpint (hl_compare_view_get_selected (view), ==, certificate);
  g_assert_cmpuint (hl_compare_view_get_selected_side (view), ==, 0);
  g_assert_cmpstr (hl_compare_window_get_difference_title (window), ==,
                   "Certificate  ↔  Certificate");
  /* at least the certificates themselves differ (keys, serial numbers) */
  g_assert_cmpuint (hl_compare_window_get_n_differences (window), >, 0);

  hl_compare_view_get_row_point (view, extensions, 1, &x, &y);
  g_assert_cmpfloat (x, >, gtk_widget_get_width (GTK_WIDGET (view)) / 2.0);
  click_at (GTK_WIDGET (view), x, y);
  g_assert_cmpint (hl_compare_view_get_selected (view), ==, extensions);
  g_assert_cmpuint (hl_compare_view_get_selected_side (view), ==, 1);
  g_assert_nonnull (strstr (hl_compare_window_get_difference_title (window),
                            "EncryptedExtensions"));
  /* a message only one side has: all its fields */
  g_assert_cmpuint (hl_compare_window_get_n_differences (window), >, 1);

  /* equal fields on request */
  click_at (GTK_WIDGET (view), x, 0);   /* the headers: nothing changes */
  g_assert_cmpint (hl_compare_view_get_selected (view), ==, extensions);
  hl_compare_view_select (view, 0, 0);
  {
    guint only_differences = hl_compare_window_get_n_differences (window);

    g_object_set (window, "show-equal", TRUE, NULL);
    g_assert_cmpuint (hl_compare_window_get_n_differences (window), >, only_differences);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Together: both sides one row at a time; alone: only the side last clicked, to its next own
 * step; next phase: both to where a side changes between clear and encrypted. */
static void
test_playheads (void)
{
  HlCompareWindow *window = new_window ();
  HlCompareView *view = hl_compare_window_get_view (window);
  guint n = hl_compare_view_get_n_rows (view);
  int extensions = find_row (view, HL_COMPARE_ROW_RIGHT, 1, "EncryptedExtensions");
  guint right;
  double x, y;

  g_assert_cmpuint (hl_compare_view_get_shown (view, 0), ==, n);
  activate (window, "win.first");
  g_assert_cmpuint (hl_compare_view_get_shown (view, 0), ==, 0);
  g_assert_cmpuint (hl_compare_view_get_shown (view, 1), ==, 0);
  activate (window, "win.step-forward");
  activate (window, "win.step-forward");
  g_assert_cmpuint (hl_compare_view_get_shown (view, 0), ==, 2);
  g_assert_cmpuint (hl_compare_view_get_shown (view, 1), ==, 2);
  activate (window, "win.step-back");
  g_assert_cmpuint (hl_compare_view_get_shown (view, 0), ==, 1);

  /* alone, on the right (clicked last) */
  hl_compare_view_get_row_point (view, extensions, 1, &x, &y);
  click_at (GTK_WIDGET (view), x, y);
  g_object_set (window, "linked", FALSE, NULL);
  activate (window, "win.step-forward");
  activate (window, "win.step-forward");
  right = hl_compare_view_get_shown (view, 1);
  g_assert_cmpuint (hl_compare_view_get_shown (view, 0), ==, 1);
  g_assert_cmpuint (right, ==, 3);   /* ServerHello, then the dummy ChangeCipherSpec */
  activate (window, "win.last");
  g_assert_cmpuint (hl_compare_view_get_shown (view, 1), ==, n);
  g_assert_cmpuint (hl_compare_view_get_shown (view, 0), ==, 1);
  /* together again: both where the one ahead is */
  g_object_set (window, "linked", TRUE, NULL);
  g_assert_cmpuint (hl_compare_view_get_shown (view, 0), ==, n);

  activate (window, "win.first");
  activate (window, "win.next-phase");
  {
    guint k = hl_compare_view_get_shown (view, 0);

    /* ClientHello and ServerHello in the clear on both sides, then TLS 1.3 encrypts */
    g_assert_cmpuint (k, >=, 2);
    g_assert_cmpuint (k, <, n);
    g_assert_cmpuint (hl_compare_view_get_shown (view, 1), ==, k);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_presenting (void)
{
  HlCompareWindow *window = new_window ();

  activate (window, "win.present");
  g_assert_true (hl_compare_window_get_presenting (window));
  hl_test_wait_frames (GTK_WIDGET (window), 2);
  activate (window, "win.leave-present");
  g_assert_false (hl_compare_window_get_presenting (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static double
mean_luminance (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
  g_autofree guint32 *p = NULL;
  gsize n;
  double sum = 0;

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 1000);
  n = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture);
  p = g_new (guint32, n);
  gdk_texture_download (texture, (guchar *) p, gdk_texture_get_width (texture) * 4);
  for (gsize i = 0; i < n; i++)
    sum += 0.2126 * ((p[i] >> 16) & 0xff) + 0.7152 * ((p[i] >> 8) & 0xff) +
           0.0722 * (p[i] & 0xff);
  return sum / n;
}

/* Light and dark, rendered by GTK: the light picture is light and the dark one dark. */
static void
test_screenshot (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-test-XXXXXX", NULL);

  for (int dark = 0; dark <= 1; dark++)
    {
      g_autofree char *path = g_build_filename (dir, dark ? "dark.png" : "light.png", NULL);
      g_autoptr(GError) error = NULL;
      HlCompareWindow *window;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                               : ADW_COLOR_SCHEME_FORCE_LIGHT);
      window = new_window ();
      g_assert_true (hl_widget_save_png (GTK_WIDGET (window), path, &error));
      g_assert_no_error (error);
      if (dark)
        g_assert_cmpfloat (mean_luminance (path), <, 100);
      else
        g_assert_cmpfloat (mean_luminance (path), >, 160);
      g_remove (path);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  g_rmdir (dir);
}

static GtkWindow *
find_compare_window (void)
{
  for (GList *l = gtk_application_get_windows (app); l; l = l->next)
    if (HL_IS_COMPARE_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
compare_window_ready (gpointer unused)
{
  GtkWindow *compare = find_compare_window ();

  return compare != NULL && hl_compare_window_is_ready (HL_COMPARE_WINDOW (compare));
}

/* The main window's Compare With: its trace on the left, the scenario chosen on the right. */
static void
test_compare_with (void)
{
  HlWindow *main_window = hl_window_new (app);
  GtkWindow *compare;

  hl_window_set_autoplay (main_window, FALSE);
  hl_window_set_trace (main_window, tls13);
  gtk_window_present (GTK_WINDOW (main_window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.compare-with", "s",
                                             "tls12-rsa"));
  hl_test_wait_for (compare_window_ready, NULL, 60000);
  compare = find_compare_window ();
  {
    HlCompareView *view = hl_compare_window_get_view (HL_COMPARE_WINDOW (compare));

    g_assert_true (hl_compare_view_get_trace (view, 0) == tls13);
    g_assert_cmpstr (hl_trace_get_scenario (hl_compare_view_get_trace (view, 1)), ==,
                     "tls12-rsa");
  }
  gtk_window_destroy (compare);
  gtk_window_destroy (GTK_WINDOW (main_window));
}

/* SVG, PDF and PNG of a pair, drawn without a display; the PNG is the export's width. */
static void
test_export (void)
{
  HlDiagramOptions options;

  hl_diagram_options_init (&options);
  for (HlDiagramFormat f = HL_DIAGRAM_SVG; f <= HL_DIAGRAM_PNG; f++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = hl_compare_render (tls12, tls13, f, &options, &error);
      const char *data;
      gsize len;

      g_assert_no_error (error);
      g_assert_nonnull (bytes);
      data = g_bytes_get_data (bytes, &len);
      g_assert_cmpuint (len, >, 10000);
      if (f == HL_DIAGRAM_SVG)
        {
          g_assert_nonnull (g_strstr_len (data, MIN (len, 400), "<svg"));
          g_assert_nonnull (g_strstr_len (data, MIN (len, 1000),
                                          "<title>TLS 1.2 with RSA key exchange — TLS 1.3"
                                          "</title>"));
        }
      else if (f == HL_DIAGRAM_PDF)
        g_assert_true (memcmp (data, "%PDF", 4) == 0);
      else
        {
          /* PNG: IHDR width right after the signature and chunk header */
          const guint8 *p = (const guint8 *) data;
          guint32 width = (guint32) p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19];

          g_assert_cmpuint (width, ==, (guint32) HL_COMPARE_EXPORT_WIDTH);
        }
    }
  /* dark and a playhead: still drawn */
  options.dark = TRUE;
  options.step = 3;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = hl_compare_render (tls12, tls13, HL_DIAGRAM_PNG, &options,
                                                 &error);

    g_assert_no_error (error);
    g_assert_nonnull (bytes);
  }
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int argc, char *argv[])
{
  const struct { const char *path; GTestFunc func; } tests[] = {
    { "/ui/compare/click-both-sides", test_click_both_sides },
    { "/ui/compare/playheads", test_playheads },
    { "/ui/compare/presenting", test_presenting },
    { "/ui/compare/screenshot", test_screenshot },
    { "/ui/compare/compare-with", test_compare_with },
  };
  g_autoptr(GError) error = NULL;
  gboolean display;
  int rc;

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  tls12 = hl_engine_run_scenario ("tls12-rsa", NULL, &error);
  g_assert_no_error (error);
  tls13 = hl_engine_run_scenario ("tls13", NULL, &error);
  g_assert_no_error (error);

  display = gtk_init_check ();
  if (display)
    {
      adw_init ();
      app = g_object_new (ADW_TYPE_APPLICATION,
                          "application-id", APP_ID ".CompareTest",
                          "flags", G_APPLICATION_NON_UNIQUE,
                          "resource-base-path", RESOURCE_PREFIX,
                          NULL);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, display ? tests[i].func : skip_no_display);
  g_test_add_func ("/ui/compare/export", test_export);
  rc = g_test_run ();
  g_clear_object (&app);
  g_clear_object (&tls12);
  g_clear_object (&tls13);
  return rc;
}
