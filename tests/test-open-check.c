/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An opened trace is checked, not believed, in the window (Xvfb): a file whose claims do not
 * match its bytes opens with the banner ("This file's claims do not match its bytes: 1
 * difference") and ✗ on the steps the difference shows on; the untampered file, and a scenario
 * run afterwards, show no banner. Skips without a display. */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hl-engine.h"
#include "hl-file-actions.h"
#include "hl-trace-io.h"
#include "hl-window.h"
#include "hl-test-ui.h"
#include "hl-test-wait.h"

static GtkApplication *app;

static gboolean
is_idle (gpointer window)
{
  return !hl_window_is_busy (window) &&
         !hl_file_actions_is_busy (hl_window_get_file_actions (window));
}

static gboolean
is_mapped (gpointer window)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window));
}

static GtkWidget *
find_by_class (GtkWidget *widget, const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_class (child, css_class);

      if (found)
        return found;
    }
  return NULL;
}

/* The banner's text when it is shown, else NULL (a window builds it the first time it needs
 * it). */
static const char *
banner_text (HlWindow *window)
{
  GtkWidget *box = find_by_class (GTK_WIDGET (window), "check-banner");
  GtkWidget *revealer;

  if (box == NULL)
    return NULL;
  revealer = gtk_widget_get_parent (box);
  g_assert_true (GTK_IS_REVEALER (revealer));
  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)))
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (box); child;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      return gtk_label_get_text (GTK_LABEL (child));
  g_assert_not_reached ();
}

/* @trace written to a file, its master secret changed by one byte when @tamper. */
static GFile *
write_trace (HlTrace *trace, gboolean tamper, const char *dir)
{
  g_autoptr(JsonNode) root = hl_trace_to_json (trace);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, tamper ? "tampered.hltrace" : "original.hltrace",
                                            NULL);
  JsonArray *secrets = json_object_get_array_member (json_node_get_object (root), "secrets");

  for (guint i = 0; tamper && i < json_array_get_length (secrets); i++)
    {
      JsonObject *secret = json_array_get_object_element (secrets, i);

      if (g_str_equal (json_object_get_string_member (secret, "name"), "master_secret"))
        {
          g_autofree char *hex = g_strdup (json_object_get_string_member (secret, "value"));

          hex[1] = hex[1] == '0' ? '1' : '0';
          json_object_set_string_member (secret, "value", hex);
        }
    }
  json_generator_set_root (generator, root);
  g_assert_true (json_generator_to_file (generator, path, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
test_banner (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario ("tls12-rsa", NULL, &error);
  g_autofree char *dir = g_dir_make_tmp ("hl-open-check-XXXXXX", &error);
  g_autoptr(GFile) tampered = NULL;
  g_autoptr(GFile) original = NULL;
  HlWindow *window;
  HlTrace *shown;
  guint failed_derive = 0;

  g_assert_no_error (error);
  tampered = write_trace (trace, TRUE, dir);
  original = write_trace (trace, FALSE, dir);

  window = hl_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  hl_window_set_autoplay (window, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  hl_test_wait_for (is_mapped, window, 20000);
  hl_test_wait_for (is_idle, window, 60000);
  /* not even built until a file needs it */
  g_assert_null (find_by_class (GTK_WIDGET (window), "check-banner"));

  hl_file_actions_open (hl_window_get_file_actions (window), tampered);
  hl_test_wait_for (is_idle, window, 60000);
  g_assert_cmpstr (banner_text (window), ==,
                   "This file's claims do not match its bytes: 1 difference");
  /* ✗ on both sides' "Derive the master secret" steps, with why */
  shown = hl_window_get_trace (window);
  for (guint i = 0; i < hl_trace_get_n_events (shown); i++)
    {
      HlEvent *event = hl_trace_get_event (shown, i);

      if (g_str_equal (hl_event_get_name (event), "Derive the master secret and session keys"))
        {
          g_assert_cmpint (hl_event_get_check (event), ==, HL_CHECK_FAILED);
          g_assert_nonnull (strstr (hl_event_get_technical (event), "master_secret"));
          failed_derive++;
        }
    }
  g_assert_cmpuint (failed_derive, ==, 2);

  hl_file_actions_open (hl_window_get_file_actions (window), original);
  hl_test_wait_for (is_idle, window, 60000);
  g_assert_true (hl_window_get_trace (window) != shown);
  g_assert_null (banner_text (window));

  hl_file_actions_open (hl_window_get_file_actions (window), tampered);
  hl_test_wait_for (is_idle, window, 60000);
  g_assert_nonnull (banner_text (window));
  hl_window_run_scenario (window, "tls13");
  hl_test_wait_for (is_idle, window, 60000);
  g_assert_null (banner_text (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (g_file_peek_path (tampered));
  g_remove (g_file_peek_path (original));
  g_rmdir (dir);
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int argc, char *argv[])
{
  gboolean display;
  int status;

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  display = gtk_init_check ();
  if (display)
    {
      adw_init ();
      app = GTK_APPLICATION (adw_application_new ("io.github.handshakelens.TestOpenCheck",
                                                  G_APPLICATION_NON_UNIQUE));
      g_application_register (G_APPLICATION (app), NULL, NULL);
    }
  g_test_add_func ("/open-check/banner", display ? test_banner : skip_no_display);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
