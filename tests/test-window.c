/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "hl-window.h"

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until_idle (HlWindow *window)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (hl_window_is_busy (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  /* let the list view lay out its rows */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The window opens, runs tls12-rsa in the background and fills its event list. */
static void
test_runs_scenario (void)
{
  HlWindow *window = hl_window_new (NULL);
  GListModel *events;
  HlTrace *trace;
  g_autoptr(HlEvent) first = NULL;

  gtk_window_present (GTK_WINDOW (window));
  hl_window_run_scenario (window, "tls12-rsa");
  g_assert_true (hl_window_is_busy (window));
  wait_until_idle (window);

  trace = hl_window_get_trace (window);
  g_assert_nonnull (trace);
  g_assert_cmpstr (hl_trace_get_scenario (trace), ==, "tls12-rsa");
  events = hl_window_get_event_model (window);
  g_assert_cmpuint (g_list_model_get_n_items (events), >=, 15);
  /* records are hidden by default, so the first row is the ClientHello message */
  first = g_list_model_get_item (events, 0);
  g_assert_cmpstr (hl_event_get_name (first), ==, "ClientHello");
  g_assert_cmpuint (g_list_model_get_n_items (events), <,
                    g_list_model_get_n_items (G_LIST_MODEL (trace)));

  /* Run again: a fresh handshake replaces the trace */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-again", NULL));
  wait_until_idle (window);
  g_assert_true (hl_window_get_trace (window) != trace);

  /* a failure scenario shows its alert */
  hl_window_run_scenario (window, "fail-untrusted-ca");
  wait_until_idle (window);
  g_assert_cmpstr (hl_trace_get_scenario (hl_window_get_trace (window)), ==, "fail-untrusted-ca");

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
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/window/runs-scenario", skip_no_display);
      return g_test_run ();
    }
  adw_init ();
  g_test_add_func ("/ui/window/runs-scenario", test_runs_scenario);
  return g_test_run ();
}
