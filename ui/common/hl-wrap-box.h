/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_WRAP_BOX (hl_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (HlWrapBox, hl_wrap_box, HL, WRAP_BOX, GtkWidget)

GtkWidget *hl_wrap_box_new    (int spacing, int line_spacing);
void       hl_wrap_box_append (HlWrapBox *self, GtkWidget *child);

G_END_DECLS
