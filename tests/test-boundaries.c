/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib.h>

/* protocol/ must never include GTK, GDK or libadwaita, and ui/ must never call GnuTLS: the trace
 * is the only contract between them (DESIGN.md). */

static void
scan (const char *dir, const char *const *forbidden, const char *what)
{
  g_autofree char *path = g_build_filename (HL_SOURCE_ROOT, dir, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (path, 0, &error);
  const char *name;
  guint scanned = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *file = NULL;
      g_autofree char *text = NULL;

      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
        continue;
      file = g_build_filename (path, name, NULL);
      g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
      scanned++;
      for (guint i = 0; forbidden[i]; i++)
        if (strstr (text, forbidden[i]))
          g_error ("%s/%s: %s (“%s”)", dir, name, what, forbidden[i]);
    }
  g_assert_cmpuint (scanned, >, 0);
}

static void
test_protocol_has_no_gtk (void)
{
  const char *const forbidden[] = { "<gtk/", "<gdk/", "<adwaita.h>", "<gsk/", "\"gtk/", NULL };

  scan ("protocol", forbidden, "protocol/ includes a GTK/libadwaita header");
}

static void
test_ui_has_no_gnutls (void)
{
  const char *const forbidden[] = { "gnutls_", "<gnutls/", NULL };

  scan ("ui", forbidden, "ui/ uses GnuTLS directly");
}

static void
test_protocol_meson_deps (void)
{
  g_autofree char *file = g_build_filename (HL_SOURCE_ROOT, "protocol", "meson.build", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "protocol_deps = [glib_dep, gio_dep, gnutls_dep, json_dep]"));
  g_assert_null (strstr (text, "gtk_dep"));
  g_assert_null (strstr (text, "adw_dep"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/boundaries/protocol-has-no-gtk", test_protocol_has_no_gtk);
  g_test_add_func ("/protocol/boundaries/ui-has-no-gnutls", test_ui_has_no_gnutls);
  g_test_add_func ("/protocol/boundaries/protocol-meson-deps", test_protocol_meson_deps);
  return g_test_run ();
}
