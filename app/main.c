/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "handshake-lens"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <gmodule.h>

#include "hl-cli.h"
#include "hl-pki.h"

/* This binary links GLib, GIO, GnuTLS, json-glib and protocol/ only: the headless commands
 * start without loading GTK (about 80 libraries). The window lives in a module loaded on
 * demand: next to this binary in the build tree, else in HL_GUI_MODULE_DIR. */
static char *
gui_module_path (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : NULL;
  g_autofree char *here = dir ? g_build_filename (dir, HL_GUI_MODULE_NAME, NULL) : NULL;

  if (here && g_file_test (here, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&here);
  return g_build_filename (HL_GUI_MODULE_DIR, HL_GUI_MODULE_NAME, NULL);
}

static int
run_window (int argc, char **argv)
{
  g_autofree char *path = gui_module_path ();
  GModule *module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  int (*gui_main) (int, char **) = NULL;

  if (module == NULL || !g_module_symbol (module, "hl_gui_main", (gpointer *) &gui_main))
    {
      g_printerr ("handshake-lens: cannot load the window (%s): %s\n", path,
                  g_module_error ());
      return HL_EXIT_USAGE;
    }
  g_module_make_resident (module);
  return gui_main (argc, argv);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* the demo PKI made on the first start is read back on the next ones (two RSA keys less
   * to generate before the first handshake) */
  {
    g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "handshake-lens",
                                               "demo-pki", NULL);

    hl_pki_set_cache_file (cache);
  }

  if (!hl_cli_needs_window (argc, argv))
    return hl_cli_run (argc, argv);
  return run_window (argc, argv);
}
