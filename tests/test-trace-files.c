/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saving and opening traces through the window (Xvfb): for every scenario, the trace saved by
 * the window and opened again is identical (hl_trace_equal), with no handshake run; broken
 * files from a table each end in an error dialog naming the file and the problem, with the trace
 * on screen untouched; a file dropped on the window opens; opened and saved files become recent
 * files. Skips without a display. */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hl-alert.h"
#include "hl-export-dialog.h"
#include "hl-file-actions.h"
#include "hl-scenario.h"
#include "hl-screenshot.h"
#include "hl-trace-io.h"
#include "hl-window.h"
#include "hl-test-ui.h"
#include "hl-test-wait.h"

static GtkApplication *app;
static char *tmpdir;

static gboolean
is_idle (gpointer window)
{
  return !hl_window_is_busy (window) &&
         !hl_file_actions_is_busy (hl_window_get_file_actions (window));
}

static gboolean
is_video_checked (gpointer window)
{
  return hl_file_actions_is_video_checked (hl_window_get_file_actions (window));
}

static gboolean
is_mapped (gpointer window)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window));
}

static HlWindow *
new_window (void)
{
  HlWindow *window = hl_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  hl_window_set_autoplay (window, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  hl_test_wait_for (is_mapped, window, 20000);
  return window;
}

static void
run (HlWindow *window, const char *scenario_id)
{
  hl_window_run_scenario (window, scenario_id);
  hl_test_wait_for (is_idle, window, 60000);
  g_assert_nonnull (hl_window_get_trace (window));
  g_assert_cmpstr (hl_trace_get_scenario (hl_window_get_trace (window)), ==, scenario_id);
}

static GtkWidget *
find_actionable (GtkWidget *widget, const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);

      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_header_bar (GtkWidget *widget)
{
  if (ADW_IS_HEADER_BAR (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_header_bar (child);

      if (found)
        return found;
    }
  return NULL;
}

/* Whether @action is enabled. Class actions are not in a GActionGroup one can query: an
 * invisible button in the header bar follows their state, as the menu's items do. */
static gboolean
action_enabled (HlWindow *window, const char *action)
{
  GtkWidget *probe = find_actionable (GTK_WIDGET (window), action);

  if (probe == NULL)
    {
      probe = gtk_button_new ();
      gtk_widget_set_visible (probe, FALSE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
      if (g_str_equal (action, "win.export"))
        gtk_actionable_set_action_target (GTK_ACTIONABLE (probe), "s", "pcapng");
      adw_header_bar_pack_end (ADW_HEADER_BAR (find_header_bar (GTK_WIDGET (window))), probe);
    }
  return gtk_widget_get_sensitive (probe);
}

/* The error dialogs the window shows: AdwAlertDialogs presented on it (libadwaita >= 1.6, the
 * visible one), or AdwMessageDialogs transient for it, oldest first. */
static GList *
error_dialogs (HlWindow *window)
{
  GList *found = NULL;
#if ADW_CHECK_VERSION (1, 6, 0)
  AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));

  if (ADW_IS_ALERT_DIALOG (dialog) &&
      gtk_widget_has_css_class (GTK_WIDGET (dialog), "hl-file-error"))
    found = g_list_append (found, dialog);
#else
  GListModel *toplevels = gtk_window_get_toplevels ();   /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (window) &&
          gtk_widget_has_css_class (GTK_WIDGET (w), "hl-file-error") &&
          gtk_widget_get_visible (GTK_WIDGET (w)))
        found = g_list_append (found, w);
    }
#endif
  return found;
}

static void
close_dialogs (HlWindow *window)
{
  GList *dialogs = error_dialogs (window);

  for (GList *l = dialogs; l; l = l->next)
    hl_alert_close (l->data);
  g_list_free (dialogs);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The export dialog: the alert on this libadwaita (AdwAlertDialog from 1.6, else an
 * AdwMessageDialog) with the export questions inside, the image rows shown for an image and
 * the video rows for a video; closing it exports nothing. With HL_TEST_EXPORT_SHOT set, the
 * window with the dialog is saved there as PNG (to look at). */
static GtkWidget *
shown_alert (HlWindow *window)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));

  return ADW_IS_ALERT_DIALOG (dialog) ? GTK_WIDGET (dialog) : NULL;
#else
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && !found; i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (window) &&
          gtk_widget_get_visible (GTK_WIDGET (w)))
        found = GTK_WIDGET (w);
    }
  return found;
#endif
}

static guint
count_shown_rows (GtkWidget *widget)
{
  guint n = ADW_IS_COMBO_ROW (widget) && gtk_widget_get_visible (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    n += count_shown_rows (child);
  return n;
}

static void
test_export_dialog (void)
{
  HlWindow *window = new_window ();
  const char *shot = g_getenv ("HL_TEST_EXPORT_SHOT");

  run (window, "tls13");
  /* the video export is offered once GStreamer's plugins were found (checked after start-up) */
  hl_test_wait_for (is_video_checked, window, 60000);
  for (int video = 0; video <= 1; video++)
    {
      GtkWidget *alert, *form;

      if (video)
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-video",
                                                   NULL));
      else
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export", "s",
                                                   "image"));
      for (int i = 0; i < 50 && !shown_alert (window); i++)
        g_main_context_iteration (NULL, TRUE);
      alert = shown_alert (window);
      g_assert_nonnull (alert);
      form = hl_alert_get_extra_child (alert);
      g_assert_true (HL_IS_EXPORT_DIALOG (form));
      g_assert_cmpint (hl_export_dialog_get_kind (HL_EXPORT_DIALOG (form)), ==,
                       video ? HL_EXPORT_DIALOG_VIDEO : HL_EXPORT_DIALOG_IMAGE);
      /* format, steps and style for an image (the scale only for PNG, SVG comes first); size,
       * frame rate and style for a video */
      g_assert_cmpuint (count_shown_rows (form), ==, 3);
      if (shot)
        {
          g_autofree char *path = g_strdup_printf ("%s-%s.png", shot, video ? "video" : "image");
          GtkWidget *picture = GTK_IS_WINDOW (alert) ? alert : GTK_WIDGET (window);
          g_autoptr(GError) error = NULL;

          for (int i = 0; i < 100; i++)
            {
              g_main_context_iteration (NULL, FALSE);
              g_usleep (10000);
            }
          g_assert_true (hl_widget_save_png (picture, path, &error));
        }
      hl_alert_close (alert);
      for (int i = 0; i < 50 && shown_alert (window); i++)
        g_main_context_iteration (NULL, TRUE);
      g_assert_null (shown_alert (window));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Save → open round trip, every scenario */

static void
test_round_trip (void)
{
  HlWindow *window = new_window ();
  HlFileActions *files = hl_window_get_file_actions (window);
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  /* nothing to save yet */
  g_assert_false (action_enabled (window, "win.save"));
  g_assert_true (action_enabled (window, "win.open"));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strconcat (all[i].id, ".hltrace", NULL);
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *uri = g_file_get_uri (file);
      g_autoptr(HlTrace) saved = NULL;
      g_autoptr(GString) why = g_string_new (NULL);
      HlTrace *opened;

      run (window, all[i].id);
      g_assert_true (action_enabled (window, "win.save"));
      g_assert_true (action_enabled (window, "win.export"));
      saved = g_object_ref (hl_window_get_trace (window));

      hl_file_actions_save (files, file);
      g_assert_true (hl_file_actions_is_busy (files));
      hl_test_wait_for (is_idle, window, 30000);
      g_assert_null (error_dialogs (window));
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

      /* show something else, then open the file: the saved trace comes back, replayed */
      run (window, g_str_equal (all[i].id, "tls13") ? "tls12-rsa" : "tls13");
      hl_file_actions_open (files, file);
      g_assert_false (hl_window_is_busy (window));   /* no handshake runs */
      hl_test_wait_for (is_idle, window, 30000);
      g_assert_false (hl_window_is_busy (window));
      g_assert_null (error_dialogs (window));
      opened = hl_window_get_trace (window);
      g_assert_true (opened != saved);
      if (!hl_trace_equal (saved, opened, why))
        g_error ("%s: the opened trace differs: %s", all[i].id, why->str);
      g_assert_cmpuint (hl_sequence_view_get_n_steps (hl_window_get_sequence_view (window)), >,
                        0);
      /* remembered as a recent file */
      g_assert_true (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Broken files */

typedef enum
{
  BROKEN_TEXT,       /* @data as the file's content */
  BROKEN_MEMBER,     /* a real trace with @member set to the JSON @data */
  BROKEN_TRUNCATED,  /* the first half of a real trace */
  BROKEN_HUGE,       /* 200 MB of zeros (sparse) */
  BROKEN_DIRECTORY,
  BROKEN_MISSING,
} BrokenKind;

static const struct
{
  const char *name;
  BrokenKind  kind;
  const char *member;
  const char *data;
  const char *expect;   /* in the dialog's text */
} broken[] = {
  { "not-json.hltrace", BROKEN_TEXT, NULL, "this is not JSON at all", "JSON" },
  { "empty.hltrace", BROKEN_TEXT, NULL, "", "empty" },
  { "other-json.hltrace", BROKEN_TEXT, NULL, "{\"hello\": \"world\"}", "format" },
  { "future-version.hltrace", BROKEN_MEMBER, "format_version", "99", "format_version" },
  { "wrong-format.hltrace", BROKEN_MEMBER, "format", "\"something-else\"", "format" },
  { "too-many-handshakes.hltrace", BROKEN_MEMBER, "n_handshakes", "200", "n_handshakes" },
  { "bad-events.hltrace", BROKEN_MEMBER, "events", "[{\"index\": 0}]", "events[0]" },
  { "truncated.hltrace", BROKEN_TRUNCATED, NULL, NULL, "" },
  { "junk-200mb.hltrace", BROKEN_HUGE, NULL, NULL, "" },
  { "a-directory.hltrace", BROKEN_DIRECTORY, NULL, NULL, "" },
  { "missing.hltrace", BROKEN_MISSING, NULL, NULL, "" },
};

static void
write_broken (guint i, const char *path, const char *good_json)
{
  g_autoptr(GError) error = NULL;

  switch (broken[i].kind)
    {
    case BROKEN_TEXT:
      g_assert_true (g_file_set_contents (path, broken[i].data, -1, &error));
      break;

    case BROKEN_MEMBER:
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(JsonParser) value = json_parser_new ();
        g_autoptr(JsonGenerator) gen = json_generator_new ();

        g_assert_true (json_parser_load_from_data (parser, good_json, -1, &error));
        g_assert_true (json_parser_load_from_data (value, broken[i].data, -1, &error));
        json_object_set_member (json_node_get_object (json_parser_get_root (parser)),
                                broken[i].member, json_node_copy (json_parser_get_root (value)));
        json_generator_set_root (gen, json_parser_get_root (parser));
        g_assert_true (json_generator_to_file (gen, path, &error));
      }
      break;

    case BROKEN_TRUNCATED:
      g_assert_true (g_file_set_contents (path, good_json, strlen (good_json) / 2, &error));
      break;

    case BROKEN_HUGE:
      {
        int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

        g_assert_cmpint (fd, >=, 0);
        g_assert_cmpint (ftruncate (fd, 200 * 1024 * 1024), ==, 0);
        g_assert_cmpint (close (fd), ==, 0);
      }
      break;

    case BROKEN_DIRECTORY:
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      break;

    case BROKEN_MISSING:
    default:
      break;
    }
  g_assert_no_error (error);
}

static void
test_broken (void)
{
  HlWindow *window = new_window ();
  HlFileActions *files = hl_window_get_file_actions (window);
  g_autofree char *good_json = NULL;
  HlTrace *shown;
  guint step;

  run (window, "tls12-rsa");
  good_json = hl_trace_to_data (hl_window_get_trace (window), NULL);
  hl_sequence_view_set_step (hl_window_get_sequence_view (window), 4);
  shown = hl_window_get_trace (window);
  step = hl_sequence_view_get_step (hl_window_get_sequence_view (window));

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, broken[i].name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      GList *dialogs;
      const char *body;

      write_broken (i, path, good_json);
      hl_file_actions_open (files, file);
      hl_test_wait_for (is_idle, window, 30000);

      /* one dialog, naming the file and the problem */
      dialogs = error_dialogs (window);
      g_assert_cmpuint (g_list_length (dialogs), ==, 1);
      /* the reason is in our own label (ui/window/hl-file-actions.c says why) */
      body = gtk_label_get_text (GTK_LABEL (hl_alert_get_extra_child (dialogs->data)));
      g_test_message ("%s: %s", broken[i].name, body);
      g_assert_nonnull (strstr (body, broken[i].name));
      g_assert_nonnull (strstr (body, broken[i].expect));
      g_assert_cmpuint (strlen (body), >, strlen (broken[i].name) + 8);
      g_list_free (dialogs);
      close_dialogs (window);

      /* and the trace on screen as it was */
      g_assert_true (hl_window_get_trace (window) == shown);
      g_assert_cmpuint (hl_sequence_view_get_step (hl_window_get_sequence_view (window)), ==,
                        step);

      if (broken[i].kind == BROKEN_DIRECTORY)
        g_assert_cmpint (g_rmdir (path), ==, 0);
      else if (broken[i].kind != BROKEN_MISSING)
        g_assert_cmpint (g_unlink (path), ==, 0);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Drag and drop */

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static void
test_drop (void)
{
  HlWindow *window = new_window ();
  g_autofree char *path = g_build_filename (tmpdir, "dropped.hltrace", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(HlTrace) saved = NULL;
  g_autoptr(GError) error = NULL;
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (window));
  const GType *types;
  gsize n_types = 0;
  gboolean accepted = FALSE;

  run (window, "tls13-hrr");
  saved = g_object_ref (hl_window_get_trace (window));
  g_assert_true (hl_trace_save (saved, file, NULL, &error));
  g_assert_no_error (error);
  run (window, "tls12-rsa");

  /* the window takes file lists and single files */
  g_assert_nonnull (target);
  types = gtk_drop_target_get_gtypes (target, &n_types);
  g_assert_cmpuint (n_types, ==, 2);
  g_assert_true (types[0] == GDK_TYPE_FILE_LIST || types[1] == GDK_TYPE_FILE_LIST);
  g_assert_true (types[0] == G_TYPE_FILE || types[1] == G_TYPE_FILE);

  {
    GSList *list = g_slist_prepend (NULL, file);
    g_auto(GValue) value = G_VALUE_INIT;

    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
    g_slist_free (list);
    g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  }
  g_assert_true (accepted);
  hl_test_wait_for (is_idle, window, 30000);
  g_assert_true (hl_trace_equal (saved, hl_window_get_trace (window), NULL));
  g_assert_cmpstr (hl_trace_get_scenario (hl_window_get_trace (window)), ==, "tls13-hrr");
  g_assert_cmpint (g_unlink (path), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening while a handshake is still running: the file wins. */
static void
test_open_during_run (void)
{
  HlWindow *window = new_window ();
  g_autofree char *path = g_build_filename (tmpdir, "during-run.hltrace", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(HlTrace) saved = NULL;
  g_autoptr(GError) error = NULL;

  run (window, "tls12-ecdhe-rsa");
  saved = g_object_ref (hl_window_get_trace (window));
  g_assert_true (hl_trace_save (saved, file, NULL, &error));
  run (window, "tls13");

  hl_window_run_scenario (window, "fail-expired");
  hl_file_actions_open (hl_window_get_file_actions (window), file);
  hl_test_wait_for (is_idle, window, 60000);
  /* let a late engine result arrive, should it be able to */
  hl_test_spin (300);
  g_assert_true (hl_trace_equal (saved, hl_window_get_trace (window), NULL));
  g_assert_cmpint (g_unlink (path), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int argc, char *argv[])
{
  static const struct { const char *path; GTestFunc func; } tests[] = {
    { "/ui/trace-files/round-trip/every-scenario", test_round_trip },
    { "/ui/trace-files/broken", test_broken },
    { "/ui/trace-files/drop", test_drop },
    { "/ui/trace-files/open-during-run", test_open_during_run },
    { "/ui/trace-files/export-dialog", test_export_dialog },
  };
  gboolean display;
  int rc;

  /* recent files and settings go to a scratch directory, not the home of whoever runs this */
  tmpdir = g_dir_make_tmp ("hl-trace-files-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  display = gtk_init_check ();
  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  if (display)
    {
      app = GTK_APPLICATION (adw_application_new ("io.github.handshakelens.HandshakeLens.Test",
                                                  G_APPLICATION_NON_UNIQUE));
      g_application_set_resource_base_path (G_APPLICATION (app), RESOURCE_PREFIX);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, display ? tests[i].func : skip_no_display);
  rc = g_test_run ();
  g_clear_object (&app);
  {
    g_autofree char *recent = g_build_filename (tmpdir, "recently-used.xbel", NULL);

    g_unlink (recent);
    g_rmdir (tmpdir);
  }
  return rc;
}
