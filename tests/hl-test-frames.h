/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Test-only, for widget tests under a display: wait until a shown widget has been laid out and
 * painted @n more times (at most 20 s). Static, one copy per test program (as hl-test-tls.h).
 */

#include <gtk/gtk.h>

static inline gboolean
hl_test_frames_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static inline gboolean
hl_test_frames_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static inline void
hl_test_wait_frames (GtkWidget *widget, guint n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, hl_test_frames_tick_cb, &frames, NULL);
  gboolean timed_out = FALSE;
  guint timer = g_timeout_add_seconds (20, hl_test_frames_timeout_cb, &timed_out);

  while (frames < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timer);
  gtk_widget_remove_tick_callback (widget, id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
