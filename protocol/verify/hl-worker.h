/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * One long-lived thread beside the caller's, for checks whose result is needed only later: a
 * signature our code re-verifies, an RSA premaster the engine decrypts to show it. They start
 * while the handshake goes on and are collected when the trace is completed.
 *
 * A job the thread has not started when it is collected runs in the collecting thread, so
 * that a busy machine never makes the caller wait for a thread that has no core: the result is
 * the same either way, only where it was computed differs.
 */

typedef struct _HlWorkerJob HlWorkerJob;

/* Runs @func (@data) on the worker thread (started on first use) or, if that has not got to it
 * by then, in hl_worker_finish(). @data belongs to the caller, who must not touch it until
 * hl_worker_finish() or hl_worker_drop() has returned. */
HlWorkerJob *hl_worker_start  (GFunc        func,
                               gpointer     data);
/* Waits for @job, or runs it here if the worker has not started it; frees @job. */
void         hl_worker_finish (HlWorkerJob *job);
/* Like hl_worker_finish(), for a result no longer wanted: a job not yet started never runs. */
void         hl_worker_drop   (HlWorkerJob *job);

G_END_DECLS
