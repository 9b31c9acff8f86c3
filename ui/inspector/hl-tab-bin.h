/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A tab's page in the inspector's view stack, measured only while it is the visible one.
 * AdwViewStack (1.2) measures every page for every layout, and the hidden tabs' wrapping labels
 * (status pages, empty states, whole certificate or hash lists) cost the window's first frame
 * as much as the shown tab. A hidden page reports no size; it is measured again when shown. */
#define HL_TYPE_TAB_BIN (hl_tab_bin_get_type ())
G_DECLARE_FINAL_TYPE (HlTabBin, hl_tab_bin, HL, TAB_BIN, GtkWidget)

GtkWidget *hl_tab_bin_new (void);
void       hl_tab_bin_set_child (HlTabBin *self, GtkWidget *child);
GtkWidget *hl_tab_bin_get_child (HlTabBin *self);

G_END_DECLS
