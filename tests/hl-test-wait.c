/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hl-screenshot.h"
#include "hl-test-wait.h"

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * hl_test_wait_for:
 * @condition: checked before each main-loop iteration
 * @data: its argument
 * @timeout_ms: how long it may take; longer fails the test
 */
void
hl_test_wait_for (HlTestCondition condition,
                  gpointer        data,
                  guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, set_flag_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(const gboolean *) data;
}

/* Until *@flag is set (by a callback the test installed). */
void
hl_test_wait_flag (const gboolean *flag,
                   guint           timeout_ms)
{
  hl_test_wait_for (flag_is_set, (gpointer) flag, timeout_ms);
}

/* Runs the main loop for @ms, for what a test must let happen (or let not happen). */
void
hl_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
count_frame_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
enough_frames (gpointer data)
{
  const guint *counts = data;

  return counts[0] >= counts[1];
}

/* Until @widget has drawn @n frames (it is allocated, laid out and painted), then whatever
 * is pending. */
void
hl_test_wait_frames (GtkWidget *widget,
                     guint      n)
{
  guint counts[2] = { 0, n };
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &counts[0], NULL);

  hl_test_wait_for (enough_frames, counts, 20000);
  gtk_widget_remove_tick_callback (widget, id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
hl_test_maybe_save_png (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("HL_TEST_SCREENSHOTS");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  hl_test_wait_frames (widget, 2);
  path = g_build_filename (dir, name, NULL);
  hl_widget_save_png (widget, path, &error);
  g_assert_no_error (error);
}
