/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include "hl-engine.h"
#include "hl-engine-private.h"
#include "hl-error.h"

/*
 * The in-memory engine: a real GnuTLS client and server in one thread, talking over an HlPipe,
 * every step captured into an HlTrace. Its parts, by file:
 *   hl-engine.c            public API (run, run_scenario, run_bare, run_async) and what
 *                          hl-engine-private.h gives hl-mitm.c and hl-live.c
 *   hl-engine-setup.c      credentials and one session per side
 *   hl-engine-drive.c      driving the handshake, the resumed connection, the outcome
 *   hl-engine-hooks.c      the GnuTLS callbacks: hooks, key log, secrets, certificate check
 *   hl-engine-records.c    records on the wire and the handshake messages they carry
 *   hl-engine-captions.c   plain-words captions of handshake messages
 *   hl-engine-traffic.c    application data and close_notify
 *   hl-engine-negotiated.c what was negotiated, TLS 1.2 keys and resumption steps
 *   hl-engine-events.c     creating and appending events, secrets, pending items
 *   hl-engine-order.c      causal order
 * hl-engine-parts.h is what the other files share; this one needs only hl-engine-private.h.
 *
 * Order of events: everything runs in one thread, so the order in which callbacks fire is the
 * real causal order. Outgoing handshake messages are hooked when GnuTLS queues them (before
 * encryption); they are appended to the trace when the record that carries them is pushed to
 * the pipe, right after that record. Local actions are appended when they happen.
 */

/* Public API */

HlTrace *
hl_engine_run (const HlConfig *config, const char *scenario_id, const char *title,
               const char *description, GCancellable *cancellable, GError **error)
{
  Run run = { 0 };
  g_autoptr(HlTrace) trace = NULL;
  gboolean ok;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  {
    g_autofree char *reason = NULL;

    if (!hl_config_is_available (config, &reason))
      {
        g_set_error_literal (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNAVAILABLE, reason);
        return NULL;
      }
  }
  trace = hl_trace_new (scenario_id ? scenario_id : "custom", title ? title : "Custom",
                        description ? description : "");
  run.config = config;
  run.local = HL_SIDE_NONE;
  run.capture = TRUE;
  run.trace = trace;
  ok = config->attack != HL_ATTACK_NONE ? hl_mitm_run (&run, cancellable, error)
                                        : hl_engine_run_all (&run, cancellable, error);
  hl_engine_run_clear (&run);
  if (!ok)
    return NULL;
  hl_trace_finish (trace);
  return g_steal_pointer (&trace);
}

HlTrace *
hl_engine_run_scenario (const char *scenario_id, GCancellable *cancellable, GError **error)
{
  const HlScenario *scenario;

  g_return_val_if_fail (scenario_id != NULL, NULL);

  scenario = hl_scenario_lookup (scenario_id);
  if (scenario == NULL)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP, "unknown scenario “%s”",
                   scenario_id);
      return NULL;
    }
  return hl_engine_run (&scenario->config, scenario->id, scenario->title, scenario->description,
                        cancellable, error);
}

gboolean
hl_engine_run_bare (const HlConfig *config, GError **error)
{
  Run run = { 0 };
  gboolean ok;

  g_return_val_if_fail (config != NULL, FALSE);

  run.config = config;
  run.local = HL_SIDE_NONE;
  run.capture = FALSE;
  ok = config->attack != HL_ATTACK_NONE ? hl_mitm_run (&run, NULL, error)
                                        : hl_engine_run_all (&run, NULL, error);
  hl_engine_run_clear (&run);
  return ok;
}

typedef struct
{
  HlConfig  config;
  char     *id;
  char     *title;
  char     *description;
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->id);
  g_free (data->title);
  g_free (data->description);
  g_free (data);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  HlTrace *trace = hl_engine_run (&data->config, data->id, data->title, data->description,
                                  cancellable, &error);

  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, g_object_unref);
}

void
hl_engine_run_async (const HlConfig *config, const char *scenario_id, const char *title,
                     const char *description, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (config != NULL);

  data = g_new0 (RunData, 1);
  data->config = *config;
  data->id = g_strdup (scenario_id);
  data->title = g_strdup (title);
  data->description = g_strdup (description);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_engine_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

HlTrace *
hl_engine_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
