/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "hl-connect-dialog.h"
#include "hl-listen-dialog.h"
#include "hl-test-net.h"
#include "hl-test-ui.h"
#include "hl-test-wait.h"

/*
 * The live-mode dialogs with real peers on loopback: the Listen dialog serves curl (and shows
 * the command that does it), the Connect dialog reports a refused port in the dialog and an
 * incomplete form before anything is sent. HL_TEST_SCREENSHOTS=DIR saves each dialog as PNG.
 */

/* A pointer the test waits to be set by a callback. */
static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
not_listening (gpointer dialog)
{
  return hl_listen_dialog_get_port (dialog) == 0;
}

static gboolean
not_connecting (gpointer dialog)
{
  return !hl_connect_dialog_is_connecting (dialog);
}

static void
trace_ready_cb (GObject *dialog, HlTrace *trace, gpointer user_data)
{
  HlTrace **out = user_data;

  g_set_object (out, trace);
}

static void
curl_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **body = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, body, NULL, &error);
  g_assert_no_error (error);
  if (*body == NULL)
    *body = g_strdup ("");
}

static void
test_listen_curl (void)
{
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *first = NULL;
  g_autofree char *body = NULL;
  HlListenDialog *dialog;
  HlLiveOptions options;
  const char *commands;
  GBytes *request;

  if (curl == NULL)
    {
      g_test_skip ("curl is not installed (build-aux/install-deps installs it)");
      return;
    }
  dialog = hl_listen_dialog_new (NULL);
  g_signal_connect (dialog, "trace-ready", G_CALLBACK (trace_ready_cb), &trace);
  hl_live_options_init (&options);
  options.port = hl_test_free_port ();
  hl_listen_dialog_set_options (dialog, &options);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (hl_listen_dialog_start (dialog));
  g_assert_true (hl_listen_dialog_is_listening (dialog));
  g_assert_cmpuint (hl_listen_dialog_get_port (dialog), ==, options.port);

  /* the first command is the one a user pastes: run exactly it */
  commands = hl_listen_dialog_get_commands (dialog);
  g_assert_nonnull (commands);
  first = g_strndup (commands, strcspn (commands, "\n"));
  g_assert_true (g_str_has_prefix (first, "curl --cacert "));
  g_assert_nonnull (strstr (first, "127.0.0.1"));
  hl_test_maybe_save_png (GTK_WIDGET (dialog), "listen-dialog.png");
  g_shell_parse_argv (first, NULL, &words, &error);
  g_assert_no_error (error);
  client = g_subprocess_newv ((const char *const *) words, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (client, NULL, NULL, curl_done_cb, &body);

  hl_test_wait_for (is_set, &trace, 30000);
  hl_test_wait_for (is_set, &body, 30000);
  g_assert_true (g_subprocess_get_successful (client));
  g_assert_true (g_str_has_prefix (body, "Hello from Handshake Lens."));
  g_assert_nonnull (hl_trace_get_live (trace));
  g_assert_cmpint (hl_trace_get_live (trace)->local, ==, HL_SIDE_SERVER);
  request = NULL;
  for (guint i = 0; i < hl_trace_get_n_events (trace) && request == NULL; i++)
    if (hl_event_get_kind (hl_trace_get_event (trace, i)) == HL_EVENT_APP_DATA)
      request = hl_event_get_bytes (hl_trace_get_event (trace, i));
  g_assert_nonnull (request);
  g_assert_cmpmem (g_bytes_get_data (request, NULL), 6, "GET / ", 6);

  /* still listening for the next client until stopped */
  g_assert_true (hl_listen_dialog_is_listening (dialog));
  hl_listen_dialog_stop (dialog);
  g_assert_false (hl_listen_dialog_is_listening (dialog));
  hl_test_wait_for (not_listening, dialog, 30000);
  gtk_window_destroy (GTK_WINDOW (dialog));
  hl_live_options_clear (&options);
}

static void
test_connect_refused (void)
{
  HlConnectDialog *dialog = hl_connect_dialog_new (NULL);
  HlLiveOptions options;
  g_autoptr(HlTrace) trace = NULL;

  g_signal_connect (dialog, "trace-ready", G_CALLBACK (trace_ready_cb), &trace);
  hl_live_options_init (&options);
  options.host = g_strdup ("127.0.0.1");
  options.port = hl_test_free_port ();
  hl_connect_dialog_set_options (dialog, &options);
  gtk_window_present (GTK_WINDOW (dialog));
  hl_connect_dialog_connect (dialog);
  g_assert_true (hl_connect_dialog_is_connecting (dialog));
  g_assert_nonnull (strstr (hl_connect_dialog_get_status (dialog), "Connecting to 127.0.0.1"));

  hl_test_wait_for (not_connecting, dialog, 30000);
  /* the dialog stays, says what happened, and can be used again */
  g_assert_null (trace);
  g_assert_nonnull (strstr (hl_connect_dialog_get_status (dialog), "refused"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  hl_test_maybe_save_png (GTK_WIDGET (dialog), "connect-dialog-refused.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  hl_live_options_clear (&options);
}

static void
test_connect_incomplete (void)
{
  HlConnectDialog *dialog = hl_connect_dialog_new (NULL);
  HlLiveOptions options;
  g_autofree char *problem = NULL;

  g_assert_false (hl_connect_dialog_get_options (dialog, &options, &problem));
  g_assert_nonnull (strstr (problem, "host"));
  hl_live_options_clear (&options);
  hl_connect_dialog_connect (dialog);
  g_assert_false (hl_connect_dialog_is_connecting (dialog));
  g_assert_nonnull (strstr (hl_connect_dialog_get_status (dialog), "host"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = NULL;

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/live/listen-dialog/curl", skip_no_display);
      return g_test_run ();
    }
  adw_init ();
  /* the Listen dialog writes the demo CA under the cache folder: keep it out of $HOME */
  cache = g_dir_make_tmp ("hl-live-dialogs-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_add_func ("/ui/live/listen-dialog/curl", test_listen_curl);
  g_test_add_func ("/ui/live/connect-dialog/refused", test_connect_refused);
  g_test_add_func ("/ui/live/connect-dialog/incomplete", test_connect_incomplete);
  return g_test_run ();
}
