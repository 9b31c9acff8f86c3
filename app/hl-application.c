/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "handshake-lens"
#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <gmodule.h>

#include "hl-application.h"
#include "hl-cli.h"
#include "hl-compare.h"
#include "hl-compare-export.h"
#include "hl-compare-window.h"
#include "hl-diagram-export.h"
#include "hl-live.h"
#include "hl-pki.h"
#include "hl-screenshot.h"
#include "hl-settings.h"
#include "hl-scenario.h"
#include "hl-trace-check.h"
#include "hl-trace-io.h"
#include "hl-video-export.h"
#include "hl-window.h"

struct _HlApplication
{
  AdwApplication  parent_instance;

  char           *scenario_id;   /* --scenario for the window */
  HlTrace        *opened;        /* --open, loaded before the window exists */
  HlTraceCheck   *opened_check;  /* what re-checking it found */
  char           *screenshot;    /* --screenshot: render the window to this PNG and quit */
  int             width;         /* --size */
  int             height;
  gboolean        dark;          /* --dark */
  gboolean        high_contrast; /* --high-contrast */
  gboolean        present;       /* --present */
  int             step;          /* --step: the playhead for --screenshot (-1: the end) */
  char           *inspector_tab; /* --inspector-tab */
  int             exit_status;
  GSettings      *settings;      /* NULL when the schema is not installed */
  char           *compare[2];    /* --compare A B: scenario ids or trace files */
  HlLiveOptions  *live;          /* --connect/--listen in the window */
  gboolean        live_listen;
};

G_DEFINE_FINAL_TYPE (HlApplication, hl_application, ADW_TYPE_APPLICATION)

/* The diagram and its animation: --export-svg/-pdf/-png/-video, drawn without a display. */
/* The image exports' options (--step, --dark, --high-contrast, --scale) into @diagram. */
static int
diagram_options (HlApplication *self, GVariantDict *options, HlDiagramOptions *diagram)
{
  const char *text = NULL;
  guint64 scale = 0;

  hl_diagram_options_init (diagram);
  diagram->step = self->step;
  diagram->dark = self->dark;
  diagram->high_contrast = self->high_contrast;
  if (!g_variant_dict_lookup (options, "scale", "&s", &text))
    return HL_EXIT_OK;
  if (!g_ascii_string_to_unsigned (text, 10, 1, (guint64) HL_DIAGRAM_MAX_SCALE, &scale, NULL))
    return hl_cli_fail (HL_EXIT_USAGE, "--scale wants a whole number from 1 to %d, not “%s”",
                        (int) HL_DIAGRAM_MAX_SCALE, text);
  diagram->scale = scale;
  return HL_EXIT_OK;
}

static void
video_progress_cb (guint64 frame, guint64 n_frames, gpointer user_data)
{
  if (frame == n_frames || frame % 30 == 0)
    g_printerr ("\rhandshake-lens: encoding frame %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                "%s", frame, n_frames, frame == n_frames ? "\n" : "");
}

static int
export_media (HlApplication *self, HlTrace *trace, GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  const char *path = NULL, *text = NULL;
  HlDiagramOptions diagram;
  HlVideoOptions video;
  int rc;

  if ((rc = diagram_options (self, options, &diagram)) != HL_EXIT_OK)
    return rc;
  for (HlDiagramFormat f = HL_DIAGRAM_SVG; f <= HL_DIAGRAM_PNG; f++)
    if (g_variant_dict_lookup (options, hl_cli_media_options[f], "^&ay", &path))
      {
        g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

        if (!hl_diagram_export (trace, f, &diagram, file, NULL, &error))
          return hl_cli_fail (HL_EXIT_USAGE, "%s", error->message);
      }
  if (!g_variant_dict_lookup (options, "export-video", "^&ay", &path))
    return HL_EXIT_OK;

  hl_video_options_init (&video);
  video.dark = self->dark;
  video.high_contrast = self->high_contrast;
  if (self->width > 0)
    {
      video.width = self->width;
      video.height = self->height;
    }
  if (g_variant_dict_lookup (options, "fps", "&s", &text))
    {
      guint64 fps = 0;

      if (!g_ascii_string_to_unsigned (text, 10, HL_VIDEO_MIN_FPS, HL_VIDEO_MAX_FPS, &fps, NULL))
        return hl_cli_fail (HL_EXIT_USAGE, "--fps wants a number from %d to %d, not “%s”",
                            HL_VIDEO_MIN_FPS, HL_VIDEO_MAX_FPS, text);
      video.fps = (int) fps;
    }
  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

    if (!hl_video_export (trace, &video, file, isatty (2) ? video_progress_cb : NULL, NULL,
                          NULL, &error))
      return hl_cli_fail (HL_EXIT_USAGE, "%s", error->message);
  }
  return HL_EXIT_OK;
}

/* --compare A B: the aligned table and summary (--print) and the side-by-side images
 * (--export-svg/-pdf/-png) of two handshakes, headless. */
static int
run_compare_headless (HlApplication *self, GVariantDict *options, gboolean print)
{
  g_autoptr(GPtrArray) traces = g_ptr_array_new_with_free_func (g_object_unref);
  HlDiagramOptions diagram;
  int rc = HL_EXIT_OK, options_rc;

  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(GError) error = NULL;
      HlTrace *trace = hl_compare_load (self->compare[s], NULL, &error);

      if (trace == NULL)
        return hl_cli_fail (hl_scenario_lookup (self->compare[s]) ? HL_EXIT_ENGINE : HL_EXIT_USAGE,
                            "cannot compare %s: %s", self->compare[s], error->message);
      g_ptr_array_add (traces, trace);
    }
  if (print)
    {
      g_autofree char *out = hl_compare_dup_text (traces->pdata[0], traces->pdata[1]);

      rc = hl_cli_write_output ("-", out, strlen (out));
    }

  if ((options_rc = diagram_options (self, options, &diagram)) != HL_EXIT_OK)
    return options_rc;
  for (HlDiagramFormat f = HL_DIAGRAM_SVG; rc == HL_EXIT_OK && f <= HL_DIAGRAM_PNG; f++)
    {
      const char *path = NULL;

      if (g_variant_dict_lookup (options, hl_cli_media_options[f], "^&ay", &path))
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
          g_autoptr(GError) error = NULL;

          if (!hl_compare_export (traces->pdata[0], traces->pdata[1], f, &diagram, file, &error))
            rc = hl_cli_fail (HL_EXIT_USAGE, "%s", error->message);
        }
    }
  return rc;
}

/* --compare: checks the pair and what goes with it. Returns -1 to go on (a window), else the
 * exit status. */
static int
handle_compare_options (HlApplication *self, GVariantDict *options, gboolean print,
                        gboolean exporting)
{
  const char *a = NULL, *b = NULL;

  if (!g_variant_dict_lookup (options, "compare", "^&ay", &a))
    return -2;
  if (!g_variant_dict_lookup (options, "compare-with", "^&ay", &b))
    return hl_cli_fail (HL_EXIT_USAGE, "--compare wants two handshakes: scenario ids or "
                        ".hltrace files, e.g. --compare tls12-rsa tls13");
  if (g_variant_dict_contains (options, "export-video") || hl_cli_json_requested ())
    return hl_cli_fail (HL_EXIT_USAGE, "--compare goes with --print, --export-svg/-pdf/-png and "
                        "--screenshot, not with --json or --export-video");
  self->compare[0] = g_strdup (a);
  self->compare[1] = g_strdup (b);
  if (print || exporting)
    return run_compare_headless (self, options, print);
  return -1;
}

/* What the window's own options ask (checked before anything runs). */
static int
window_options (HlApplication *self, GVariantDict *options)
{
  const char *shot = NULL, *size = NULL, *step = NULL, *tab = NULL;
  guint64 n = 0;

  g_variant_dict_lookup (options, "screenshot", "^&ay", &shot);
  g_variant_dict_lookup (options, "size", "&s", &size);
  if (size && (sscanf (size, "%dx%d", &self->width, &self->height) != 2 ||
               self->width < 320 || self->height < 240 || self->width > 7680 ||
               self->height > 4320))
    return hl_cli_fail (HL_EXIT_USAGE, "--size wants WIDTHxHEIGHT between 320x240 and "
                        "7680x4320, not “%s”", size);
  self->screenshot = g_strdup (shot);
  self->dark = g_variant_dict_contains (options, "dark");
  self->high_contrast = g_variant_dict_contains (options, "high-contrast");
  self->present = g_variant_dict_contains (options, "present");
  self->step = -1;
  if (g_variant_dict_lookup (options, "step", "&s", &step))
    {
      if (!g_ascii_string_to_unsigned (step, 10, 0, G_MAXINT, &n, NULL))
        return hl_cli_fail (HL_EXIT_USAGE, "--step wants a step number from 0, not “%s”", step);
      self->step = (int) n;
    }
  if (g_variant_dict_lookup (options, "inspector-tab", "&s", &tab))
    {
      if (!hl_inspector_is_tab_name (tab))
        return hl_cli_fail (HL_EXIT_USAGE, "--inspector-tab wants fields, bytes, certificates, "
                            "secrets or hashes, not “%s”", tab);
      self->inspector_tab = g_strdup (tab);
    }
  return -1;
}

/* --connect/--listen without an output: the window's dialog, filled in and started. */
static int
live_dialog_options (HlApplication *self, GVariantDict *options)
{
  const char *connect = NULL, *listen = NULL;
  g_autoptr(GError) error = NULL;
  HlLiveOptions *live;
  int rc;
  gboolean parsed;

  g_variant_dict_lookup (options, "connect", "&s", &connect);
  g_variant_dict_lookup (options, "listen", "&s", &listen);
  if (!connect && !listen)
    return -1;
  live = g_new0 (HlLiveOptions, 1);
  rc = hl_cli_live_options (options, live);
  parsed = rc == HL_EXIT_OK &&
           (connect ? hl_live_parse_address (connect, NULL, 443, &live->host, &live->port,
                                             &error)
                    : hl_live_parse_address (listen, "127.0.0.1", 0, &live->address,
                                             &live->port, &error));
  if (!parsed)
    {
      if (rc == HL_EXIT_OK)
        rc = hl_cli_fail (HL_EXIT_USAGE, "--%s: %s", connect ? "connect" : "listen",
                          error->message);
      hl_live_options_clear (live);
      g_free (live);
      return rc;
    }
  self->live = live;
  self->live_listen = listen != NULL;
  return -1;
}

static int
media_cb (HlTrace *trace, GVariantDict *options, gpointer data)
{
  return export_media (data, trace, options);
}

static int
hl_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  HlApplication *self = HL_APPLICATION (app);
  const char *scenario_id = NULL, *open_path = NULL;
  gboolean print = g_variant_dict_contains (options, "print");
  gboolean exporting = g_variant_dict_contains (options, "export-pcapng") ||
                       g_variant_dict_contains (options, "export-keylog") ||
                       g_variant_dict_contains (options, "export-markdown");
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (hl_cli_media_options); i++)
    exporting |= g_variant_dict_contains (options, hl_cli_media_options[i]);
  if (!g_variant_dict_contains (options, "list-scenarios") &&
      (rc = window_options (self, options)) >= 0)
    return rc;
  if ((rc = handle_compare_options (self, options, print, exporting)) != -2)
    return rc;
  /* everything the window-less command line does, with the media exports added */
  if ((rc = hl_cli_handle (options, media_cb, self)) >= 0)
    return rc;
  if ((rc = live_dialog_options (self, options)) >= 0)
    return rc;

  g_variant_dict_lookup (options, "scenario", "&s", &scenario_id);
  g_variant_dict_lookup (options, "open", "^&ay", &open_path);
  if (open_path)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (open_path);
      g_autoptr(GError) error = NULL;

      self->opened = hl_trace_load_file (file, NULL, &error);
      if (self->opened == NULL)
        return hl_cli_fail (HL_EXIT_USAGE, "cannot open %s: %s", open_path, error->message);
      self->opened_check = hl_trace_check (self->opened);
      hl_trace_check_mark (self->opened, self->opened_check);
    }
  g_free (self->scenario_id);
  self->scenario_id = g_strdup (scenario_id);
  return -1;
}

/* The picture is written: the window is hidden at once, so the frame whose tick took it is not
 * drawn as well (a whole window drawn for nobody, 5% of a --screenshot run's CPU). */
static void
quit_after_screenshot (HlApplication *self, GtkWidget *window)
{
  gtk_widget_set_visible (window, FALSE);
  g_application_quit (G_APPLICATION (self));
}

/* --screenshot: wait until the window is mapped and the trace (or why there is none) shown,
 * let three frames go by, then render (again on the next frame if the window could not draw
 * yet). A picture of the error page still exits with HL_EXIT_ENGINE. */
static gboolean
screenshot_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  HlApplication *self = user_data;
  HlWindow *window = HL_WINDOW (widget);
  int *frames = g_object_get_data (G_OBJECT (widget), "hl-frames");
  g_autoptr(GError) error = NULL;

  if (!gtk_widget_get_mapped (widget) || hl_window_is_busy (window) ||
      (hl_window_get_trace (window) == NULL && !hl_window_shows_error (window)))
    return G_SOURCE_CONTINUE;
  if (++*frames < 3)
    return G_SOURCE_CONTINUE;
  if (!hl_widget_save_png (widget, self->screenshot, &error) && *frames < 60)
    return G_SOURCE_CONTINUE;
  if (error)
    {
      g_printerr ("handshake-lens: %s\n", error->message);
      self->exit_status = HL_EXIT_ENGINE;
    }
  if (hl_window_shows_error (window))
    self->exit_status = HL_EXIT_ENGINE;
  quit_after_screenshot (self, widget);
  return G_SOURCE_REMOVE;
}

/* --compare A B in the window: a comparison window of its own (and its --screenshot). */
static gboolean
compare_screenshot_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  HlApplication *self = user_data;
  int *frames = g_object_get_data (G_OBJECT (widget), "hl-frames");
  g_autoptr(GError) error = NULL;

  if (!gtk_widget_get_mapped (widget) ||
      !hl_compare_window_is_ready (HL_COMPARE_WINDOW (widget)))
    return G_SOURCE_CONTINUE;
  if (++*frames < 3)
    return G_SOURCE_CONTINUE;
  if (!hl_widget_save_png (widget, self->screenshot, &error) && *frames < 60)
    return G_SOURCE_CONTINUE;
  if (error)
    {
      g_printerr ("handshake-lens: %s\n", error->message);
      self->exit_status = HL_EXIT_ENGINE;
    }
  quit_after_screenshot (self, widget);
  return G_SOURCE_REMOVE;
}

static GtkWindow *
activate_compare (HlApplication *self)
{
  HlCompareWindow *win = hl_compare_window_new (GTK_APPLICATION (self));

  if (self->width > 0)
    gtk_window_set_default_size (GTK_WINDOW (win), self->width, self->height);
  if (self->dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  if (self->screenshot)
    {
      g_object_set_data_full (G_OBJECT (win), "hl-frames", g_new0 (int, 1), g_free);
      gtk_widget_add_tick_callback (GTK_WIDGET (win), compare_screenshot_tick_cb, self, NULL);
    }
  hl_compare_window_load (win, self->compare[0], self->compare[1]);
  if (self->present)
    hl_compare_window_set_presenting (win, TRUE);
  return GTK_WINDOW (win);
}

static void
hl_application_activate (GApplication *app)
{
  HlApplication *self = HL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL && self->compare[0])
    window = activate_compare (self);
  if (window == NULL)
    {
      HlWindow *win = hl_window_new (GTK_APPLICATION (app));
      g_autofree char *last = NULL;

      /* A screenshot is a one-off: it neither reads nor changes what the app remembers. */
      if (self->settings && !self->screenshot)
        hl_settings_bind_window (self->settings, win,
                                 HL_SETTINGS_BIND_ALL & ~(self->dark ? HL_SETTINGS_BIND_STYLE : 0)
                                   & ~(self->width > 0 ? HL_SETTINGS_BIND_GEOMETRY : 0));
      if (self->settings && !self->screenshot)
        last = hl_settings_dup_last_scenario (self->settings);
      if (self->width > 0)
        gtk_window_set_default_size (GTK_WINDOW (win), self->width, self->height);
      if (self->dark)
        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            ADW_COLOR_SCHEME_FORCE_DARK);
      if (self->screenshot)
        {
          /* a still picture: no playback, the playhead where asked */
          hl_window_set_autoplay (win, FALSE);
          hl_window_set_start_step (win, self->step);
          g_object_set_data_full (G_OBJECT (win), "hl-frames", g_new0 (int, 1), g_free);
          gtk_widget_add_tick_callback (GTK_WIDGET (win), screenshot_tick_cb, self, NULL);
        }
      if (self->inspector_tab)
        hl_inspector_set_tab (hl_window_get_inspector (win), self->inspector_tab);
      hl_presenter_set_high_contrast (hl_window_get_presenter (win), self->high_contrast);

      if (self->opened)
        hl_window_set_checked_trace (win, self->opened, self->opened_check);
      else
        hl_window_run_scenario (win, self->scenario_id ? self->scenario_id
                                     : last ? last : "tls12-rsa");
      hl_presenter_set_active (hl_window_get_presenter (win), self->present);
      window = GTK_WINDOW (win);
      gtk_window_present (window);
      if (self->live && self->live_listen)
        hl_window_show_listen (win, self->live, TRUE);
      else if (self->live)
        hl_window_show_connect (win, self->live, TRUE);
      return;
    }
  gtk_window_present (window);
}

/* A trace file given to the application (a double click in the file manager: the desktop file's
 * `%f`): the window opens it as File → Open does, or says why it cannot. */
static void
hl_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (n_files > 1)
    g_warning ("%d files given: opening the first", n_files);
  if (window && n_files > 0)
    hl_file_actions_open (hl_window_get_file_actions (HL_WINDOW (window)), files[0]);
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *parent = gtk_application_get_active_window (app);
  const char *developers[] = { "The Handshake Lens developers", NULL };
  const char *credits[] = { "GnuTLS, the TLS library that really runs both ends",
                            "GTK and libadwaita", NULL };
  const char *comments = _("See the TLS handshake happen: a real client and server, every "
                           "byte, key and hash — decoded, re-derived and checked.");

  /* AdwAboutDialog (libadwaita 1.5) adapts to small windows; 1.2 has the window */
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about = adw_about_dialog_new ();

  g_object_set (about, "application-name", _("Handshake Lens"), "application-icon", APP_ID,
                "version", PACKAGE_VERSION, "comments", comments,
                "website", "https://github.com/handshakelens/handshake-lens",
                "issue-url", "https://github.com/handshakelens/handshake-lens/issues",
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 The Handshake Lens developers", "developers", developers,
                "translator-credits", _("translator-credits"), NULL);
  adw_about_dialog_add_credit_section (ADW_ABOUT_DIALOG (about), _("Built on"), credits);
  adw_dialog_present (about, parent ? GTK_WIDGET (parent) : NULL);
#else
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about, "application-name", _("Handshake Lens"), "application-icon", APP_ID,
                "version", PACKAGE_VERSION, "comments", comments,
                "website", "https://github.com/handshakelens/handshake-lens",
                "issue-url", "https://github.com/handshakelens/handshake-lens/issues",
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 The Handshake Lens developers", "developers", developers,
                "translator-credits", _("translator-credits"), NULL);
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about), _("Built on"), credits);
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_present (GTK_WINDOW (about));
#endif
}

/* Make New Certificates: every key and certificate of the demo PKI generated again (on this
 * machine, in a thread) and kept for the next starts; the window runs its scenario again with
 * them. */
static void
renew_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (hl_pki_renew_default (&error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
renew_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (source);
  GSimpleAction *action = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);
  g_autoptr(GError) error = NULL;

  g_simple_action_set_enabled (action, TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("%s", error->message);
  else if (HL_IS_WINDOW (window))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.run-again", NULL);
}

static void
new_certificates_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (user_data, NULL, renew_done_cb, action);

  g_simple_action_set_enabled (action, FALSE);
  g_task_run_in_thread (task, renew_thread);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
hl_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "about", about_action },
    { "new-certificates", new_certificates_action },
    { "quit", quit_action },
  };
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *run_accels[] = { "<Control>r", NULL };
  const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (hl_application_parent_class)->startup (app);
  HL_APPLICATION (app)->settings = hl_settings_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.run-again", run_accels);
  /* GtkApplication set this itself while the shortcuts were at gtk/help-overlay.ui */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_accels);
}

static void
hl_application_finalize (GObject *object)
{
  HlApplication *self = HL_APPLICATION (object);

  g_free (self->scenario_id);
  g_free (self->screenshot);
  g_free (self->inspector_tab);
  g_free (self->compare[0]);
  g_free (self->compare[1]);
  g_clear_object (&self->settings);
  g_clear_object (&self->opened);
  g_clear_pointer (&self->opened_check, hl_trace_check_free);
  if (self->live)
    {
      hl_live_options_clear (self->live);
      g_free (self->live);
    }
  G_OBJECT_CLASS (hl_application_parent_class)->finalize (object);
}

static void
hl_application_class_init (HlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = hl_application_finalize;
  app_class->handle_local_options = hl_application_handle_local_options;
  app_class->activate = hl_application_activate;
  app_class->open = hl_application_open;
  app_class->startup = hl_application_startup;
}

static void
hl_application_init (HlApplication *self)
{
  hl_cli_add_options (G_APPLICATION (self));
}

HlApplication *
hl_application_new (void)
{
  return g_object_new (HL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

int
hl_application_run (HlApplication *self, int argc, char **argv)
{
  g_auto(GStrv) args = hl_cli_split_compare_arguments (argc, argv);
  int status = g_application_run (G_APPLICATION (self), (int) g_strv_length (args), args);

  return status != 0 ? status : self->exit_status;
}

/* The window's module entry point (main.c loads this module for everything the window-less
 * command line does not do). */
G_MODULE_EXPORT int hl_gui_main (int argc, char **argv);

G_MODULE_EXPORT int
hl_gui_main (int argc, char **argv)
{
  g_autoptr(HlApplication) app = hl_application_new ();

  return hl_application_run (app, argc, argv);
}
