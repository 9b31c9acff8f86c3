/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: one full frame of the sequence diagram at 1920×1080 — render node creation (the
 * view's snapshot) plus Cairo rasterisation — for a real 33-event trace and a synthetic
 * 10 000-event one, median of N, with the cached drawing dropped (cold) and kept (warm, as
 * during an animation). The view sits in a window named like the app's (hlwindow), so the
 * app's style.css, scoped under that name, gives it the app's palette: translucent band tints,
 * an opaque background (before, the view had only inherited colours: every swatch was the
 * window's translucent foreground). Each frame is the view as GTK snapshots it (its CSS
 * background included, a redraw queued as an animation would) over a target that already
 * holds a pixel, as the window's background is drawn first in the app: Cairo copies rather
 * than blends what is painted first on a clear target, a shortcut the view never gets in the
 * app. Then the first frame of the app window against a bare AdwApplicationWindow, measured
 * the same way in the same run. Prints figures and ratios; asserts nothing about time. Needs a
 * display (make bench runs it under Xvfb).
 *
 * Usage: bench-render [ITERATIONS [WINDOWS [TYPE,TYPE…]]]. With type names (HlInspector,
 * HlSecretsView, AdwViewSwitcher…), the app window's widgets of those types are hidden before
 * its first frame: what is left of the ratio is what the rest of the window costs. A profiling
 * aid; make bench hides nothing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <adwaita.h>

#include "hl-engine.h"
#include "hl-sequence-view.h"
#include "hl-trace-private.h"
#include "hl-window.h"

#define WIDTH  1920
#define HEIGHT 1080

static int
compare (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
median_ms (gint64 *v, guint n)
{
  qsort (v, n, sizeof *v, compare);
  return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) / 1000.0;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A trace as long as asked, made of the events of a real one over and over (records and their
 * messages stay linked), as one long connection. */
static HlTrace *
synthesize (HlTrace *model, guint n_events)
{
  HlTrace *trace = hl_trace_new ("synthetic", "Synthetic trace", "");
  guint n = hl_trace_get_n_events (model);

  for (guint i = 0; i < n_events; i++)
    {
      HlEvent *src = hl_trace_get_event (model, i % n);
      guint base = i - i % n;
      HlEvent *e = hl_event_new (hl_event_get_kind (src), hl_event_get_side (src),
                                 hl_event_get_peer (src), hl_event_get_name (src));

      hl_event_set_caption (e, hl_event_get_caption (src));
      hl_event_set_technical (e, hl_event_get_technical (src));
      if (hl_event_get_bytes (src))
        hl_event_set_bytes (e, hl_event_get_bytes (src));
      hl_event_set_epoch (e, hl_event_get_epoch (src));
      hl_event_set_content_type (e, hl_event_get_content_type (src));
      hl_event_set_handshake_type (e, hl_event_get_handshake_type (src));
      if (hl_event_get_record (src) >= 0 && base + hl_event_get_record (src) < n_events)
        hl_event_set_record (e, base + hl_event_get_record (src));
      if (hl_event_get_kind (src) == HL_EVENT_ALERT)
        hl_event_set_alert (e, hl_event_get_alert_level (src),
                            hl_event_get_alert_description (src));
      hl_event_set_check (e, hl_event_get_check (src));
      hl_trace_append (trace, e);
    }
  hl_trace_finish (trace);
  return trace;
}

typedef struct
{
  double node;
  double raster;
  double total;
  double best;   /* the fastest total: what the code costs without the machine's noise */
} Frame;

/* One frame of @view: its snapshot (our render code) and the Cairo renderer's pass. */
static void
measure_frames (GtkWidget *window, HlSequenceView *view, GskRenderer *renderer, gboolean cold,
                guint iterations, Frame *out)
{
  g_autofree gint64 *node_us = g_new (gint64, iterations);
  g_autofree gint64 *raster_us = g_new (gint64, iterations);
  g_autofree gint64 *total_us = g_new (gint64, iterations);
  int w = gtk_widget_get_width (GTK_WIDGET (view)), h = gtk_widget_get_height (GTK_WIDGET (view));

  for (guint i = 0; i < iterations; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gint64 t0, t1, t2;

      /* as during an animation, the view is redrawn (GTK keeps a widget's last node until
       * then); cold, its cache is dropped as well */
      if (cold)
        hl_sequence_view_invalidate (view);
      else
        gtk_widget_queue_draw (GTK_WIDGET (view));
      /* In the app the window's background is drawn before the view: Cairo then never sees a
       * clear target, on which it copies the first thing painted instead of blending it. One
       * pixel does that here, at no cost worth counting. */
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 },
                                 &GRAPHENE_RECT_INIT (0, 0, 1, 1));
      t0 = g_get_monotonic_time ();
      /* the view as GTK draws it each frame: its CSS background, then its own snapshot */
      gtk_widget_snapshot_child (gtk_widget_get_parent (GTK_WIDGET (view)), GTK_WIDGET (view),
                                 snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      g_assert (node != NULL);
      t1 = g_get_monotonic_time ();
      texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
      t2 = g_get_monotonic_time ();
      node_us[i] = t1 - t0;
      raster_us[i] = t2 - t1;
      total_us[i] = t2 - t0;
    }
  out->node = median_ms (node_us, iterations);
  out->raster = median_ms (raster_us, iterations);
  out->total = median_ms (total_us, iterations);
  out->best = total_us[0] / 1000.0;   /* sorted by median_ms */
}

/* A plain GtkWindow type with the app window's CSS name: style.css styles what is under it. */
static void
name_like_app_window (gpointer klass, gpointer data)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "hlwindow");
}

static GType
bench_window_type (void)
{
  static GType type;

  if (type == 0)
    type = g_type_register_static_simple (GTK_TYPE_WINDOW, "BenchWindow", sizeof (GtkWindowClass),
                                          name_like_app_window, sizeof (GtkWindow), NULL, 0);
  return type;
}

static GtkWidget *
new_view_window (HlSequenceView **view_out)
{
  GtkWidget *window = g_object_new (bench_window_type (), NULL);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = hl_sequence_view_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  *view_out = HL_SEQUENCE_VIEW (view);
  return window;
}

static void
settle (GtkWidget *widget)
{
  for (int i = 0; i < 20; i++)
    {
      g_usleep (2000);
      iterate ();
    }
  (void) widget;
}

static void
bench_trace (GtkWidget *window, HlSequenceView *view, GskRenderer *renderer, HlTrace *trace,
             gboolean records, const char *what, guint iterations, Frame *cold, Frame *warm)
{
  gint64 t0 = g_get_monotonic_time ();
  guint steps;

  hl_sequence_view_set_trace (view, trace);
  hl_sequence_view_set_show_records (view, records);
  /* measuring every text and placing every item happens here, once per trace */
  steps = hl_sequence_view_get_n_steps (view);
  t0 = g_get_monotonic_time () - t0;
  /* the playhead in the middle, scrolled into view: a frame like any other */
  hl_sequence_view_set_step (view, steps / 2);
  settle (window);
  g_print ("  %-34s %6u steps, laid out in %.1f ms\n", what, steps, t0 / 1000.0);
  measure_frames (window, view, renderer, TRUE, iterations, cold);
  measure_frames (window, view, renderer, FALSE, iterations, warm);
  g_print ("  %-34s %9.3f %9.3f %9.3f %9.3f  (goal ≤ 2 ms)\n", "  cold (cache dropped)",
           cold->node, cold->raster, cold->total, cold->best);
  g_print ("  %-34s %9.3f %9.3f %9.3f %9.3f  (goal ≤ 2 ms)\n", "  warm (cache kept)", warm->node,
           warm->raster, warm->total, warm->best);
}

/* First frame: from creating the window to the end of its first paint. */
static gboolean first_painted;
/* the main thread's CPU time of the last first frame: what the machine's other load does not
 * change as much as the wall clock */
static gint64 last_cpu_us;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000) + ts.tv_nsec / 1000;
}
/* when each part of the first frame ended: built, shown, laid out, painted, after paint. The
 * frame clock's handlers here run after the toolkit's own (connected when the window was
 * realized), so each signal marks the end of its phase. */
static gint64 phase_at[5];

static void
after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  if (!first_painted)
    phase_at[4] = g_get_monotonic_time ();
  first_painted = TRUE;
}

static void
layout_cb (GdkFrameClock *clock, gpointer user_data)
{
  if (!first_painted)
    phase_at[2] = g_get_monotonic_time ();
}

static void
paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  if (!first_painted)
    phase_at[3] = g_get_monotonic_time ();
}

typedef GtkWidget *(*NewWindow) (GtkApplication *app, HlTrace *trace);

/* Creating the window is part of it: a window that is slow to build is slow to appear.
 * @phases_us gets how long each part took: building, realizing and presenting, then the first
 * frame's measuring and allocating (with whatever ran before it), its painting (drawing and
 * copying to the window) and what ran after that. */
static gint64
first_frame_us (NewWindow new_window, GtkApplication *app, HlTrace *trace, gint64 *phases_us)
{
  gint64 t0 = g_get_monotonic_time (), c0 = thread_cpu_us ();
  GtkWidget *window = new_window (app, trace);
  GdkFrameClock *clock;
  gulong ids[3];

  first_painted = FALSE;
  memset (phase_at, 0, sizeof phase_at);
  phase_at[0] = g_get_monotonic_time ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_widget_realize (window);
  clock = gtk_widget_get_frame_clock (window);
  ids[0] = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  ids[1] = g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), NULL);
  ids[2] = g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
  phase_at[1] = g_get_monotonic_time ();
  while (!first_painted)
    g_main_context_iteration (NULL, TRUE);
  last_cpu_us = thread_cpu_us () - c0;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_signal_handler_disconnect (clock, ids[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  if (phase_at[2] == 0)
    phase_at[2] = phase_at[1];
  if (phase_at[3] == 0)
    phase_at[3] = phase_at[2];
  phases_us[0] = phase_at[0] - t0;
  phases_us[1] = phase_at[1] - phase_at[0];
  phases_us[2] = phase_at[2] - phase_at[1];
  phases_us[3] = phase_at[3] - phase_at[2];
  phases_us[4] = phase_at[4] - phase_at[3];
  return phase_at[4] - t0;
}

static GtkWidget *
new_bare_window (GtkApplication *app, G_GNUC_UNUSED HlTrace *trace)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Handshake Lens");

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  return window;
}

/* the type names given on the command line: their widgets are hidden in the app window */
static char **hidden_types;

static void
hide_widgets (GtkWidget *widget, const char *const *types)
{
  if (g_strv_contains (types, G_OBJECT_TYPE_NAME (widget)))
    {
      gtk_widget_set_visible (widget, FALSE);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    hide_widgets (child, types);
}

static GtkWidget *
new_app_window (GtkApplication *app, HlTrace *trace)
{
  HlWindow *window = hl_window_new (app);

  hl_window_set_autoplay (window, FALSE);
  hl_window_set_start_step (window, 6);
  hl_window_set_trace (window, trace);
  if (hidden_types)
    hide_widgets (GTK_WIDGET (window), (const char *const *) hidden_types);
  return GTK_WIDGET (window);
}

/* The app window with all it shows under its header bar hidden: built, styled and laid out as
 * it is, but nothing of it drawn. No window that shows the diagram and the panes can have a
 * first frame faster than this one. */
static GtkWidget *
new_shell_window (GtkApplication *app, HlTrace *trace)
{
  static const char *const panes[] = { "HlSequenceView", "HlStoryPanel", "HlDetailsPane",
                                       "HlInspector", NULL };
  GtkWidget *window = new_app_window (app, trace);

  hide_widgets (window, panes);
  return window;
}

int
main (int argc, char *argv[])
{
  guint iterations = argc > 1 ? (guint) atoi (argv[1]) : 100;
  guint windows = argc > 2 ? (guint) atoi (argv[2]) : 15;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) real = NULL;
  g_autoptr(HlTrace) big = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GtkApplication) app = NULL;
  HlSequenceView *view;
  GtkWidget *window;
  Frame cold30, warm30, cold10k, warm10k;

  if (argc > 3)
    hidden_types = g_strsplit (argv[3], ",", -1);
  if (iterations == 0)
    iterations = 1;
  if (windows == 0)
    windows = 1;
  if (!gtk_init_check ())
    {
      g_printerr ("bench-render: needs a display (make bench runs it under xvfb-run)\n");
      return 77;
    }
  adw_init ();
  /* styled like the app: the application's startup loads style.css */
  app = g_object_new (ADW_TYPE_APPLICATION, "application-id", APP_ID ".Bench",
                      "flags", G_APPLICATION_NON_UNIQUE, "resource-base-path", RESOURCE_PREFIX,
                      NULL);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("bench-render: %s\n", error->message);
      return 1;
    }

  real = hl_engine_run_scenario ("tls12-rsa", NULL, &error);
  if (real == NULL)
    {
      g_printerr ("bench-render: %s\n", error->message);
      return 1;
    }
  big = synthesize (real, 10000);

  window = new_view_window (&view);
  settle (window);
  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, gtk_native_get_surface (GTK_NATIVE (window)), &error))
    {
      g_printerr ("bench-render: %s\n", error->message);
      return 1;
    }

  g_print ("Diagram frame at %d×%d, Cairo renderer, median of %u%46s\n", WIDTH, HEIGHT,
           iterations, "node ms  raster ms  total ms   best ms");
  {
    /* the floor: filling the frame with one colour */
    g_autofree gint64 *us = g_new (gint64, iterations);

    for (guint i = 0; i < iterations; i++)
      {
        g_autoptr(GskRenderNode) node = gsk_color_node_new (&(GdkRGBA) { 1, 1, 1, 1 },
                                                            &GRAPHENE_RECT_INIT (0, 0, WIDTH,
                                                                                 HEIGHT));
        g_autoptr(GdkTexture) texture = NULL;
        gint64 t0 = g_get_monotonic_time ();

        texture = gsk_renderer_render_texture (renderer, node,
                                               &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
        us[i] = g_get_monotonic_time () - t0;
      }
    double median = median_ms (us, iterations);

    g_print ("  %-34s %9s %9.3f %9.3f %9.3f\n", "one colour (the floor)", "", median, median,
             us[0] / 1000.0);
  }
  bench_trace (window, view, renderer, real, TRUE, "tls12-rsa (records shown)", iterations,
               &cold30, &warm30);
  bench_trace (window, view, renderer, big, TRUE, "synthetic", iterations, &cold10k, &warm10k);
  g_print ("  ratio 10 000 / %u events: median cold %.2f, warm %.2f; best cold %.2f, warm %.2f "
           "(goal ≤ 1.2); frame goal ≤ 2 ms\n", hl_trace_get_n_events (real),
           cold10k.total / cold30.total, warm10k.total / warm30.total, cold10k.best / cold30.best,
           warm10k.best / warm30.best);
  gsk_renderer_unrealize (renderer);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();

  {
    g_autofree gint64 *bare = g_new (gint64, windows);
    g_autofree gint64 *ours = g_new (gint64, windows);
    g_autofree gint64 *shell = g_new (gint64, windows);
    g_autofree gint64 *phases[2][5] = { { NULL } };
    static const char *const phase_names[5] = { "build", "show", "layout", "paint",
                                                "after paint" };
    gint64 scratch[5];
    g_autofree gint64 *cpu[2] = { g_new (gint64, windows), g_new (gint64, windows) };
    double b, o;

    for (guint k = 0; k < 2; k++)
      for (guint p = 0; p < 5; p++)
        phases[k][p] = g_new (gint64, windows);
    /* one of each first, unmeasured: loading resources, icons and fonts once */
    first_frame_us (new_bare_window, app, real, scratch);
    first_frame_us (new_app_window, app, real, scratch);
    first_frame_us (new_shell_window, app, real, scratch);
    for (guint i = 0; i < windows; i++)
      {
        bare[i] = first_frame_us (new_bare_window, app, real, scratch);
        cpu[0][i] = last_cpu_us;
        for (guint p = 0; p < 5; p++)
          phases[0][p][i] = scratch[p];
        ours[i] = first_frame_us (new_app_window, app, real, scratch);
        cpu[1][i] = last_cpu_us;
        for (guint p = 0; p < 5; p++)
          phases[1][p][i] = scratch[p];
        shell[i] = first_frame_us (new_shell_window, app, real, scratch);
      }
    b = median_ms (bare, windows);
    o = median_ms (ours, windows);
    g_print ("\nFirst frame at %d×%d (create → end of first paint), interleaved, "
             "median and best of %u\n", WIDTH, HEIGHT, windows);
    g_print ("  %-34s %9.2f ms %9.2f ms\n", "bare AdwApplicationWindow", b, bare[0] / 1000.0);
    g_print ("  %-34s %9.2f ms %9.2f ms\n", "Handshake Lens window (tls12-rsa)", o,
             ours[0] / 1000.0);
    if (hidden_types)
      g_print ("  (hidden in it: %s)\n", argv[3]);
    g_print ("  ratio %.2f, best %.2f (goal ≤ 1.3)\n", o / b, (double) ours[0] / bare[0]);
    g_print ("  the same window with the diagram and the panes hidden (built, not drawn): "
             "%.2f ms, ratio %.2f\n", median_ms (shell, windows), median_ms (shell, windows) / b);
    g_print ("  main thread CPU, median: bare %.1f ms, ours %.1f ms (ratio %.2f)\n",
             median_ms (cpu[0], windows), median_ms (cpu[1], windows),
             median_ms (cpu[1], windows) / median_ms (cpu[0], windows));
    g_print ("  median ms of each part, bare / ours:");
    for (guint p = 0; p < 5; p++)
      g_print (" %s %.1f / %.1f%s", phase_names[p], median_ms (phases[0][p], windows),
               median_ms (phases[1][p], windows), p < 4 ? ";" : "\n");
  }
  g_strfreev (hidden_types);
  return 0;
}
