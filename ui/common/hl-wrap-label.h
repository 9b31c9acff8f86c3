/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *hl_wrap_label_new      (const char *text, const char *css_class, gboolean selectable);
void       hl_wrap_label_set_text (GtkLabel *label, const char *text);

G_END_DECLS
