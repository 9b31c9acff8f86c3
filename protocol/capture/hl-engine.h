/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-scenario.h"
#include "hl-trace.h"

G_BEGIN_DECLS

/**
 * hl_engine_run:
 * Runs a real GnuTLS client and server against each other in memory, as @config says, and
 * records everything in a finished #HlTrace. Blocks (RSA key generation on first use, then a
 * few milliseconds): call it from a worker thread, or use hl_engine_run_async().
 *
 * A handshake that fails *as the scenario designs* (a failure scenario ending in its alert) is a
 * successful run; the error is set only when the engine itself broke or the run ended in a way
 * the configuration does not expect.
 */
HlTrace *hl_engine_run (const HlConfig *config,
                        const char     *scenario_id,
                        const char     *title,
                        const char     *description,
                        GCancellable   *cancellable,
                        GError        **error);

/* Convenience: looks up @scenario_id (an id from hl_scenario_get_all()) and runs it. */
HlTrace *hl_engine_run_scenario (const char    *scenario_id,
                                 GCancellable  *cancellable,
                                 GError       **error);

void     hl_engine_run_async (const HlConfig      *config,
                              const char          *scenario_id,
                              const char          *title,
                              const char          *description,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
HlTrace *hl_engine_run_finish (GAsyncResult *result, GError **error);

/* The same sessions, pipe and credentials with no capture at all: the baseline for benchmarks. */
gboolean hl_engine_run_bare (const HlConfig *config, GError **error);

G_END_DECLS
