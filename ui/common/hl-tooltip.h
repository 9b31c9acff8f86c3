/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void hl_tooltip_set_text           (GtkWidget  *widget,
                                    const char *text);
void hl_tooltip_set_template_texts (GtkWidget  *widget,
                                    GType       type,
                                    ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
