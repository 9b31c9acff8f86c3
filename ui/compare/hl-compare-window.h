/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-compare-view.h"
#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_COMPARE_WINDOW (hl_compare_window_get_type ())
G_DECLARE_FINAL_TYPE (HlCompareWindow, hl_compare_window, HL, COMPARE_WINDOW, AdwApplicationWindow)

HlCompareWindow *hl_compare_window_new          (GtkApplication  *application);
/* Shows two finished traces side by side. */
void             hl_compare_window_set_traces   (HlCompareWindow *self,
                                                 HlTrace         *left,
                                                 HlTrace         *right);
/* Loads (scenario id: runs; else a .hltrace file) both in the background, then shows them. */
void             hl_compare_window_load         (HlCompareWindow *self,
                                                 const char      *left,
                                                 const char      *right);
/* @left as it is, against @right loaded in the background (the window's Compare With). */
void             hl_compare_window_compare_with (HlCompareWindow *self,
                                                 HlTrace         *left,
                                                 const char      *right);
/* TRUE once both traces are shown (for --screenshot). */
gboolean         hl_compare_window_is_ready     (HlCompareWindow *self);
HlCompareView   *hl_compare_window_get_view     (HlCompareWindow *self);
/* Rows of the field difference shown for the selected row. */
guint            hl_compare_window_get_n_differences (HlCompareWindow *self);
const char      *hl_compare_window_get_difference_title (HlCompareWindow *self);
void             hl_compare_window_set_presenting (HlCompareWindow *self,
                                                   gboolean         presenting);
gboolean         hl_compare_window_get_presenting (HlCompareWindow *self);

G_END_DECLS
