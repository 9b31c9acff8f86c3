/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget (a realized, mapped widget, typically a window) with GTK's own renderer and
 * saves it as PNG, at the display's scale factor. */
gboolean hl_widget_save_png (GtkWidget *widget, const char *path, GError **error);

G_END_DECLS
