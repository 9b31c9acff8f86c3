/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds win.show-help-overlay (Ctrl+?, the main menu's Keyboard Shortcuts) to @window: an
 * AdwShortcutsDialog where libadwaita has one (1.8 and later, the GNOME 50 runtime), the
 * GtkShortcutsWindow before (Debian 12 and 13). Both list resources/help-overlay.ui. Either is
 * built when first shown. */
void       hl_shortcuts_install (GtkApplicationWindow *window);

/* Before libadwaita 1.8: @window's GtkShortcutsWindow, built now if it was not yet (what the
 * action shows); NULL with the dialog, which is built anew each time. */
GtkWidget *hl_shortcuts_ensure  (GtkApplicationWindow *window);

G_END_DECLS
