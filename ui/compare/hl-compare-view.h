/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hl-compare-painter.h"
#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_COMPARE_VIEW (hl_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (HlCompareView, hl_compare_view, HL, COMPARE_VIEW, GtkWidget)

GtkWidget        *hl_compare_view_new          (void);
void              hl_compare_view_set_traces   (HlCompareView *self,
                                                HlTrace       *left,
                                                HlTrace       *right);
HlTrace          *hl_compare_view_get_trace    (HlCompareView *self,
                                                guint          side);
HlComparePainter *hl_compare_view_get_painter  (HlCompareView *self);
/* The alignment shown (borrowed), or NULL. */
GArray           *hl_compare_view_get_rows     (HlCompareView *self);
guint             hl_compare_view_get_n_rows   (HlCompareView *self);

/* The playheads: rows revealed per side (0 … n_rows). */
guint             hl_compare_view_get_shown    (HlCompareView *self,
                                                guint          side);
void              hl_compare_view_set_shown    (HlCompareView *self,
                                                guint          side,
                                                guint          shown);

/* The selected row (-1: none) and the side it was picked on. */
int               hl_compare_view_get_selected (HlCompareView *self);
guint             hl_compare_view_get_selected_side (HlCompareView *self);
void              hl_compare_view_select       (HlCompareView *self,
                                                int            row,
                                                guint          side);

/* Presentation: everything drawn larger. */
void              hl_compare_view_set_font_scale (HlCompareView *self,
                                                  double         scale);
/* A point of @row on @side in widget coordinates (what a click there hits). */
void              hl_compare_view_get_row_point (HlCompareView *self,
                                                 guint          row,
                                                 guint          side,
                                                 double        *x,
                                                 double        *y);

G_END_DECLS
