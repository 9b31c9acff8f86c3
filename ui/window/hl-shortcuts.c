/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-shortcuts"
#include "config.h"

#include <adwaita.h>

#include "hl-shortcuts.h"

/* Built when first opened, not with the window: most runs never open it, and the shortcuts
 * window is some hundred widgets (almost a megabyte, and a display round trip for each of its
 * tooltips), 4% of the window's first frame. */

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
/* Only where libadwaita has no AdwShortcutsDialog (before 1.8): there GtkShortcutsWindow is the
 * only shortcuts window, though GTK 4.18 (Debian 13) deprecates it. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
show_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *overlay = GTK_WINDOW (hl_shortcuts_ensure (GTK_APPLICATION_WINDOW (user_data)));

  gtk_window_present (overlay);
}
G_GNUC_END_IGNORE_DEPRECATIONS
#endif

void
hl_shortcuts_install (GtkApplicationWindow *window)
{
  g_autoptr(GSimpleAction) action = NULL;

  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));

  /* ours, before gtk_application_window_set_help_overlay () could add its own */
  action = g_simple_action_new ("show-help-overlay", NULL);
  g_signal_connect_object (action, "activate", G_CALLBACK (show_cb), window, 0);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
}

GtkWidget *
hl_shortcuts_ensure (GtkApplicationWindow *window)
{
  g_return_val_if_fail (GTK_IS_APPLICATION_WINDOW (window), NULL);

#if ADW_CHECK_VERSION (1, 8, 0)
  return NULL;
#else
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_application_window_get_help_overlay (window) == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_PREFIX "/help-overlay.ui");

      /* modal, transient for @window, hidden on close; win.show-help-overlay is ours already */
      gtk_application_window_set_help_overlay (
        window, GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }
  return GTK_WIDGET (gtk_application_window_get_help_overlay (window));
  G_GNUC_END_IGNORE_DEPRECATIONS
#endif
}
