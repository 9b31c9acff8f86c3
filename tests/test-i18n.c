/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
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

/* With LANGUAGE=de the German catalogue built from po/de.po is used, and the window shows it. */
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

int
main (int argc, char *argv[])
{
  g_autofree char *podir = g_build_filename (HL_BUILD_ROOT, "po", NULL);

  /* glibc honours LANGUAGE in any locale but plain C/POSIX; C.UTF-8 exists everywhere */
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/i18n/german-window", skip_no_display);
      return g_test_run ();
    }
  adw_init ();
  g_test_add_func ("/ui/i18n/german-window", test_german_window);
  return g_test_run ();
}
