/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Waiting in the UI tests: each runs the default main context and fails the test (rather than
 * hanging it) when what it waits for does not come in time. */

typedef gboolean (*HlTestCondition) (gpointer data);

void hl_test_wait_for    (HlTestCondition  condition,
                          gpointer         data,
                          guint            timeout_ms);
void hl_test_wait_flag   (const gboolean  *flag,
                          guint            timeout_ms);
void hl_test_spin        (guint            ms);
void hl_test_wait_frames (GtkWidget       *widget,
                          guint            n);

G_END_DECLS
