/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "hl-settings.h"
#include "hl-window.h"
#include "hl-test-ui.h"
#include "hl-test-wait.h"

static gboolean
is_idle (gpointer window)
{
  return !hl_window_is_busy (window);
}

/* What is stored comes back into a new window, and what changes in the window is stored
 * (GSETTINGS_BACKEND=memory, the schema from the build tree). */
static void
test_round_trip (void)
{
  g_autoptr(GSettings) settings = hl_settings_new ();
  HlWindow *window;
  double speed = 0;
  gboolean details = TRUE;
  g_autofree char *variant = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *last = NULL;
  int width = 0;

  g_assert_nonnull (settings);
  g_settings_set_double (settings, "speed", 2.0);
  g_settings_set_boolean (settings, "inspector-visible", FALSE);
  g_settings_set_string (settings, "color-scheme", "dark");
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 700);

  window = hl_window_new (NULL);
  hl_settings_bind_window (settings, window, HL_SETTINGS_BIND_ALL);
  g_object_get (window, "speed", &speed, "show-details", &details, "style-variant", &variant,
                "default-width", &width, NULL);
  g_assert_cmpfloat (speed, ==, 2.0);
  g_assert_false (details);
  g_assert_cmpstr (variant, ==, "dark");
  g_assert_cmpint (width, ==, 900);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));

  g_object_set (window, "speed", 0.5, "style-variant", "light", "show-details", TRUE, NULL);
  g_assert_cmpfloat (g_settings_get_double (settings, "speed"), ==, 0.5);
  scheme = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (scheme, ==, "light");
  g_assert_true (g_settings_get_boolean (settings, "inspector-visible"));

  /* the last scenario is remembered when the window closes */
  gtk_window_present (GTK_WINDOW (window));
  hl_window_run_scenario (window, "tls13-hrr");
  hl_test_wait_for (is_idle, window, 60000);
  gtk_window_close (GTK_WINDOW (window));
  last = hl_settings_dup_last_scenario (settings);
  g_assert_cmpstr (last, ==, "tls13-hrr");

  g_settings_set_string (settings, "last-scenario", "no-such-scenario");
  g_free (last);
  last = hl_settings_dup_last_scenario (settings);
  g_assert_cmpstr (last, ==, "tls12-rsa");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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
  hl_test_ui_init_logging ();
  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/settings/round-trip", skip_no_display);
      return g_test_run ();
    }
  adw_init ();
  g_test_add_func ("/ui/settings/round-trip", test_round_trip);
  return g_test_run ();
}
