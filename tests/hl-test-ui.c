/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The log policy of the UI tests. g_test_init() makes every warning and critical fatal, which
 * is what we want for our own code; but each new GTK or libadwaita release brings warnings of
 * its own that say nothing about us (GTK 4.24 under Xvfb: "gdk_frame_timings_submitted() called
 * on submitted frame"), and one of them aborting a test hides everything after it. So:
 *   - criticals and errors from anyone are fatal, as are warnings from our own domains
 *     (hl-*, and messages without a domain);
 *   - a warning from a toolkit domain that matches the list below is recorded (on stderr, and
 *     counted) and the test goes on;
 *   - any other warning stays fatal, so a new toolkit warning is seen and judged, not hidden.
 * Both logging APIs end in the writer below: structured messages (GTK, GDK and libadwaita log
 * that way) directly, old-style g_log() through GLib's default handler. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hl-test-ui.h"

typedef struct
{
  const char *domain;
  const char *text;  /* a part of the message */
  const char *why;
} Tolerated;

static const Tolerated tolerated[] = {
  { "Gdk", "gdk_frame_timings_submitted",
    "GTK 4.24's frame clock under Xvfb (no presentation feedback); a toolkit matter" },
  { "Gdk", "called on submitted frame",
    "GTK 4.24's frame clock under Xvfb (no presentation feedback); a toolkit matter" },
  /* Only GTK measures a toplevel: gtk_window_compute_min_size() (4.18) searches widths for the
   * smallest window and measures the window for a height below the height its narrowest width
   * needs whenever wrapping text makes the height depend on the width (presentation type). Our
   * own widgets' measure warnings (any other type) stay fatal. */
  { "Gtk", "Trying to measure HlWindow ",
    "GTK 4.18's own search for a window's minimum size (gtkwindow.c); a toolkit matter" },
  { "Gtk", "Trying to measure HlCompareWindow ",
    "GTK 4.18's own search for a window's minimum size (gtkwindow.c); a toolkit matter" },
};

static guint n_tolerated;

static gboolean
is_ours (const char *domain)
{
  return domain == NULL || g_str_has_prefix (domain, "hl-") || g_str_has_prefix (domain, "Hl");
}

/**
 * hl_test_ui_is_tolerated:
 * @domain: (nullable): the log domain
 * @level: the log level
 * @message: the message
 *
 * Whether a message is a known toolkit warning the UI tests record instead of failing on.
 *
 * Returns: %TRUE to record it and go on
 */
gboolean
hl_test_ui_is_tolerated (const char *domain, GLogLevelFlags level, const char *message)
{
  if ((level & G_LOG_LEVEL_MASK) != G_LOG_LEVEL_WARNING || is_ours (domain) || message == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tolerated); i++)
    if (g_strcmp0 (domain, tolerated[i].domain) == 0 && strstr (message, tolerated[i].text))
      return TRUE;
  return FALSE;
}

/**
 * hl_test_ui_get_n_tolerated:
 *
 * Returns: how many toolkit warnings were recorded and let through so far
 */
guint
hl_test_ui_get_n_tolerated (void)
{
  return g_atomic_int_get (&n_tolerated);
}

static GLogWriterOutput
writer_cb (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length >= 0)  /* strings are nul-terminated (length -1) */
        continue;
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }
  if (hl_test_ui_is_tolerated (domain, level, message))
    {
      g_atomic_int_inc (&n_tolerated);
      g_printerr ("tolerated toolkit warning (%s): %s\n", domain, message);
      return G_LOG_WRITER_HANDLED;
    }
  g_log_writer_default (level, fields, n_fields, user_data);
  /* warnings are no longer in GLib's always-fatal mask (see below): fail on them here */
  if ((level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_WARNING)
    abort ();
  return G_LOG_WRITER_HANDLED;
}

/**
 * hl_test_ui_init_logging:
 *
 * Installs the policy above. Call it right after g_test_init(), before GTK starts.
 */
void
hl_test_ui_init_logging (void)
{
  /* Warnings leave the always-fatal mask g_test_init() set, so that neither GLib's g_logv()
   * nor the default writer aborts before this writer has judged them; it aborts on every
   * warning it does not tolerate. Criticals and errors stay fatal as they were. */
  g_log_set_always_fatal (g_log_set_always_fatal (G_LOG_FATAL_MASK) & ~G_LOG_LEVEL_WARNING);
  g_log_set_writer_func (writer_cb, NULL, NULL);
}
