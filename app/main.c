/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "handshake-lens"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "hl-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(HlApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = hl_application_new ();
  return hl_application_run (app, argc, argv);
}
