/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-window"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-connect-dialog.h"
#include "hl-engine.h"
#include "hl-listen-dialog.h"
#include "hl-window-private.h"

/* The window, running handshakes (see hl-window-private.h): a scenario or a custom
 * configuration in the in-memory engine, or live mode against a real peer. Each run replaces
 * the trace shown when it finishes. */

/* Scenarios and custom runs */

static void
run_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(HlWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_finish (result, &error);
  gboolean rerun = self->rerun;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  if (trace == NULL)
    {
      self->rerun = FALSE;
      hl_win_show_error (self, error);
      return;
    }
  hl_window_set_trace (self, trace);
  if (rerun)
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (_("A fresh handshake: new random values, new "
                                                  "keys")));
}

void
hl_win_start_run (HlWindow *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_spinner_start (self->spinner);
  /* keep showing the previous trace while a re-run of the same handshake is in flight */
  if (!self->rerun)
    {
      hl_sequence_view_pause (self->sequence_view);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  hl_win_update_actions (self);
  hl_engine_run_async (&self->config, self->scenario_id ? self->scenario_id : "custom",
                       self->title, self->description, self->cancellable, run_done_cb,
                       g_object_ref (self));
}

static void
set_run (HlWindow       *self,
         const char     *scenario_id,
         const HlConfig *config,
         const char     *title,
         const char     *description)
{
  g_free (self->scenario_id);
  self->scenario_id = g_strdup (scenario_id);
  self->config = *config;
  self->has_config = TRUE;
  g_free (self->title);
  self->title = g_strdup (title);
  g_free (self->description);
  self->description = g_strdup (description);
}

void
hl_window_run_scenario (HlWindow *self, const char *scenario_id)
{
  const HlScenario *scenario;

  g_return_if_fail (HL_IS_WINDOW (self));
  g_return_if_fail (scenario_id != NULL);

  scenario = hl_scenario_lookup (scenario_id);
  if (scenario == NULL)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                             _("Unknown scenario “%s”"), scenario_id);
      hl_win_show_error (self, error);
      return;
    }
  self->rerun = self->trace != NULL &&
                g_strcmp0 (hl_trace_get_scenario (self->trace), scenario_id) == 0;
  set_run (self, scenario->id, &scenario->config, scenario->title, scenario->description);
  hl_scenario_chooser_set_current (self->chooser, scenario->id, NULL);
  hl_win_start_run (self);
}

void
hl_window_run_config (HlWindow       *self,
                      const HlConfig *config,
                      const char     *title,
                      const char     *description)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (HL_IS_WINDOW (self));
  g_return_if_fail (config != NULL);

  summary = hl_config_dup_summary (config);
  self->rerun = FALSE;
  set_run (self, NULL, config, title ? title : _("Custom handshake"),
           description ? description : summary);
  hl_win_start_run (self);
}

void
hl_win_scenario_activated_cb (HlWindow *self, const char *scenario_id)
{
  self->autoplay = TRUE;
  hl_window_run_scenario (self, scenario_id);
}

/* Live mode: a real server or a real client on one side */

static void
live_trace_cb (GObject *dialog, HlTrace *trace, HlWindow *self)
{
  self->autoplay = TRUE;
  hl_window_set_trace (self, trace);
}

void
hl_window_show_connect (HlWindow *self, const HlLiveOptions *options, gboolean start)
{
  HlConnectDialog *dialog;

  g_return_if_fail (HL_IS_WINDOW (self));

  dialog = hl_connect_dialog_new (GTK_WINDOW (self));
  if (options)
    hl_connect_dialog_set_options (dialog, options);
  g_signal_connect_object (dialog, "trace-ready", G_CALLBACK (live_trace_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  if (start)
    hl_connect_dialog_connect (dialog);
}

void
hl_window_show_listen (HlWindow *self, const HlLiveOptions *options, gboolean start)
{
  g_return_if_fail (HL_IS_WINDOW (self));

  if (self->listen_dialog == NULL)
    {
      self->listen_dialog = hl_listen_dialog_new (GTK_WINDOW (self));
      g_object_add_weak_pointer (G_OBJECT (self->listen_dialog),
                                 (gpointer *) &self->listen_dialog);
      g_signal_connect_object (self->listen_dialog, "trace-ready", G_CALLBACK (live_trace_cb),
                               self, 0);
    }
  if (options)
    hl_listen_dialog_set_options (self->listen_dialog, options);
  gtk_window_present (GTK_WINDOW (self->listen_dialog));
  if (start)
    hl_listen_dialog_start (self->listen_dialog);
}
