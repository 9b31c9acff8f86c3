/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "hl-window.h"
#include "hl-test-ui.h"

/* Every label and tooltip in the window, to look for a translated string. */
static void
collect_texts (GtkWidget *widget, GString *out)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip)
    g_string_append_printf (out, "%s\n", tooltip);
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, out);
}

/* In a German locale (see use_german_locale) the German catalogue built from po/de.po is used, and the window shows it. */
static void
test_german_window (void)
{
  HlWindow *window;
  g_autoptr(GString) texts = g_string_new (NULL);

  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Main Menu"), ==, "Hauptmenü");
  window = hl_window_new (NULL);
  collect_texts (GTK_WIDGET (window), texts);
  g_assert_nonnull (strstr (texts->str, "Hauptmenü"));
  g_assert_null (strstr (texts->str, "Main Menu"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

/* A German locale for gettext. glibc 2.41 ignores LANGUAGE under C.UTF-8 as it always did under C,
 * and a fresh system has no German locale to switch to (that needs the locales package and
 * locale-gen as root). gettext picks the catalogue by the locale's name, so where de_DE.UTF-8
 * is missing, the compiled C.UTF-8 data under that name (LOCPATH) serves: German messages,
 * C.UTF-8 formats. */
static char *
use_german_locale (void)
{
  static const char *const c_utf8[] = { "/usr/lib/locale/C.utf8", "/usr/lib/locale/C.UTF-8" };
  char *dir = NULL;

  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  if (setlocale (LC_ALL, "") != NULL)
    return NULL;
  dir = g_dir_make_tmp ("hl-test-locale-XXXXXX", NULL);
  g_assert_nonnull (dir);
  for (guint i = 0; i < G_N_ELEMENTS (c_utf8); i++)
    if (g_file_test (c_utf8[i], G_FILE_TEST_IS_DIR))
      {
        g_autofree char *link = g_build_filename (dir, "de_DE.UTF-8", NULL);

        g_assert_cmpint (symlink (c_utf8[i], link), ==, 0);
        break;
      }
  g_setenv ("LOCPATH", dir, TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("no de_DE.UTF-8 locale and no compiled C.UTF-8 to stand in for it");
  return dir;
}

int
main (int argc, char *argv[])
{
  g_autofree char *podir = g_build_filename (HL_BUILD_ROOT, "po", NULL);
  g_autofree char *locale_dir = use_german_locale ();
  int rc;

  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  if (!gtk_init_check ())
    g_test_add_func ("/ui/i18n/german-window", skip_no_display);
  else
    {
      adw_init ();
      g_test_add_func ("/ui/i18n/german-window", test_german_window);
    }
  rc = g_test_run ();
  if (locale_dir != NULL)
    {
      g_autofree char *link = g_build_filename (locale_dir, "de_DE.UTF-8", NULL);

      g_unlink (link);
      g_rmdir (locale_dir);
    }
  return rc;
}
