/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-shortcuts"
#include "config.h"

#include <adwaita.h>

#include "hl-shortcuts.h"

#if ADW_CHECK_VERSION (1, 8, 0)
static void
show_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource (RESOURCE_PREFIX "/shortcuts-dialog.ui");
  AdwDialog *dialog = ADW_DIALOG (gtk_builder_get_object (builder, "shortcuts_dialog"));

  adw_dialog_present (dialog, GTK_WIDGET (user_data));
}
#else
/* Built on first use, not with the window: most runs never open it, and building it costs
 * almost a megabyte at start-up. Once set, GTK's own win.show-help-overlay would show it; ours
 * stays (GTK adds its action only where the name is free) and shows it from then on too. */
static void
show_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplicationWindow *window = user_data;
  GtkShortcutsWindow *overlay;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  overlay = gtk_application_window_get_help_overlay (window);
  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_PREFIX "/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_window_present (GTK_WINDOW (overlay));
}
#endif

void
hl_shortcuts_install (GtkApplicationWindow *window)
{
  g_autoptr(GSimpleAction) action = NULL;

  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));

  /* AdwShortcutsDialog where libadwaita has it (1.8); before, GtkShortcutsWindow is the only
   * shortcuts window, though GTK 4.18 (Debian 13) deprecates it */
  action = g_simple_action_new ("show-help-overlay", NULL);
  g_signal_connect_object (action, "activate", G_CALLBACK (show_cb), window, 0);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
}
