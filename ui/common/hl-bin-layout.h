/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_BIN_LAYOUT (hl_bin_layout_get_type ())
G_DECLARE_FINAL_TYPE (HlBinLayout, hl_bin_layout, HL, BIN_LAYOUT, GtkLayoutManager)

/* Where the divider of a paned @size pixels long (along its orientation) goes, given the
 * largest position GtkPaned allows it there. */
typedef int (*HlPlaceFunc) (int size, int max_position, gpointer user_data);

void hl_bin_layout_set_place_func (HlBinLayout *self,
                                   HlPlaceFunc  func,
                                   gpointer     user_data);

G_END_DECLS
