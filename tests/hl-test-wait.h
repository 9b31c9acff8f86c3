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

/* With HL_TEST_SCREENSHOTS=DIR: lets two frames go by and saves @widget's window as DIR/@name
 * (PNG), to look at what a test showed. Does nothing without it. */
void hl_test_maybe_save_png (GtkWidget    *widget,
                             const char   *name);

G_END_DECLS
