/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The UI tests' log policy (hl-test-ui.c) in subprocesses: a known toolkit warning is recorded
 * and the test goes on, through either logging API; our own warnings, criticals from anyone and
 * unknown toolkit warnings still fail the test. No display needed. */
#include "config.h"

#include <string.h>

#include "hl-test-ui.h"

#define FRAME_WARNING "gdk_frame_timings_submitted() called on submitted frame"

static void
child_structured_toolkit_warning (void)
{
  g_log_structured ("Gdk", G_LOG_LEVEL_WARNING, "MESSAGE", "%s", FRAME_WARNING);
  g_assert_cmpuint (hl_test_ui_get_n_tolerated (), ==, 1);
}

static void
child_old_api_toolkit_warning (void)
{
  g_log ("Gdk", G_LOG_LEVEL_WARNING, "%s", FRAME_WARNING);
  g_assert_cmpuint (hl_test_ui_get_n_tolerated (), ==, 1);
}

static void
child_own_warning (void)
{
  g_log_structured ("hl-window", G_LOG_LEVEL_WARNING, "MESSAGE", "%s", FRAME_WARNING);
}

static void
child_toolkit_critical (void)
{
  g_log_structured ("Gdk", G_LOG_LEVEL_CRITICAL, "MESSAGE", "%s", FRAME_WARNING);
}

static void
child_unknown_toolkit_warning (void)
{
  g_log ("Gtk", G_LOG_LEVEL_WARNING, "a warning nobody has judged yet");
}

/* GTK's own search for a window's minimum size measures the toplevel (gtkwindow.c) */
static void
child_window_measure_warning (void)
{
  g_log ("Gtk", G_LOG_LEVEL_WARNING, "Trying to measure HlWindow 0x55d0 for height of 313, "
         "but it needs at least 755");
  g_assert_cmpuint (hl_test_ui_get_n_tolerated (), ==, 1);
}

/* the same warning about a widget inside a window is a layout bug of ours */
static void
child_widget_measure_warning (void)
{
  g_log ("Gtk", G_LOG_LEVEL_WARNING, "Trying to measure GtkLabel 0x55d0 for height of 40, "
         "but it needs at least 262");
}

static void
child_no_domain_warning (void)
{
  g_log_structured (NULL, G_LOG_LEVEL_WARNING, "MESSAGE", "%s", FRAME_WARNING);
}

typedef struct
{
  const char *name;
  GTestFunc   child;
  gboolean    passes;
  const char *recorded;  /* what a passing case leaves on stderr */
} Case;

static const Case cases[] = {
  { "structured-toolkit-warning", child_structured_toolkit_warning, TRUE,
    "*tolerated toolkit warning (Gdk): " FRAME_WARNING "*" },
  { "old-api-toolkit-warning", child_old_api_toolkit_warning, TRUE,
    "*tolerated toolkit warning (Gdk): " FRAME_WARNING "*" },
  { "own-warning", child_own_warning, FALSE },
  { "window-measure-warning", child_window_measure_warning, TRUE,
    "*tolerated toolkit warning (Gtk): Trying to measure HlWindow *" },
  { "widget-measure-warning", child_widget_measure_warning, FALSE },
  { "toolkit-critical", child_toolkit_critical, FALSE },
  { "unknown-toolkit-warning", child_unknown_toolkit_warning, FALSE },
  { "no-domain-warning", child_no_domain_warning, FALSE },
};

/* Every UI test program (the ui_tests of tests/meson.build) installs this policy: one that does
 * not would abort on a toolkit warning the others record, or miss our own warnings' fatality. */
static void
test_every_ui_test_uses_it (void)
{
  g_autofree char *meson = g_build_filename (HL_SOURCE_ROOT, "tests", "meson.build", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GRegex) entry = g_regex_new ("^ *'(test-[a-z-]+)': [0-9]+,$", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *start, *end;
  g_autofree char *table = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (meson, &text, NULL, NULL));
  start = strstr (text, "ui_tests = {");
  g_assert_nonnull (start);
  end = strchr (start, '}');
  g_assert_nonnull (end);
  table = g_strndup (start, end - start);
  for (g_regex_match (entry, table, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_autofree char *file = g_strdup_printf ("%s/tests/%s.c", HL_SOURCE_ROOT, name);
      g_autofree char *source = NULL;

      g_assert_true (g_file_get_contents (file, &source, NULL, NULL));
      if (strstr (source, "hl_test_ui_init_logging ()") == NULL)
        g_error ("%s.c does not call hl_test_ui_init_logging () after g_test_init ()", name);
      n++;
    }
  g_assert_cmpuint (n, >=, 8);
}

/* Each case logs in a subprocess (this same test, run again) and the parent reads the result. */
static void
test_case (gconstpointer data)
{
  const Case *c = data;

  if (g_test_subprocess ())
    {
      c->child ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  if (c->passes)
    {
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr (c->recorded);
    }
  else
    g_test_trap_assert_failed ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/log-policy/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/ui/log-policy/every-ui-test-uses-it", test_every_ui_test_uses_it);
  return g_test_run ();
}
