/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _HlTraceHost HlTraceHost;

/* Installs win.compare-with (a scenario id, or "file:" to choose a saved trace) on the main
 * window's class and binds the template's "compare_section" menu. Call after the template is
 * set. The action opens a comparison window: the trace shown on the left, the one chosen on
 * the right. */
void hl_compare_actions_install (GtkWidgetClass *widget_class);
/* Fills the "Compare With" menu of @window: every scenario, then a saved trace. */
void hl_compare_actions_init    (HlTraceHost    *window);

G_END_DECLS
