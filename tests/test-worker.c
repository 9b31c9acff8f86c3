/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hl-worker.h"

/*
 * The worker thread (hl-worker.h): every job runs exactly once, on the worker or in the thread
 * that collects it when the worker has not got to it; a dropped job that had not started never
 * runs. The worker is held busy on purpose (a job that waits for the test to let it go), so
 * where each job runs does not depend on timing.
 */

typedef struct
{
  gint      runs;
  GThread  *ran_on;
} Count;

static void
count_cb (gpointer data, gpointer unused)
{
  Count *count = data;

  g_atomic_int_inc (&count->runs);
  count->ran_on = g_thread_self ();
}

/* A job that holds the worker until the test opens the gate. */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean entered;
  gboolean open;
} Gate;

static void
gate_cb (gpointer data, gpointer unused)
{
  Gate *gate = data;

  g_mutex_lock (&gate->lock);
  gate->entered = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

/* Starts a gate job and waits until the worker is inside it. */
static HlWorkerJob *
hold_worker (Gate *gate)
{
  HlWorkerJob *job;

  g_mutex_init (&gate->lock);
  g_cond_init (&gate->cond);
  gate->entered = gate->open = FALSE;
  job = hl_worker_start (gate_cb, gate);
  g_mutex_lock (&gate->lock);
  while (!gate->entered)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
  return job;
}

static void
release_worker (Gate *gate, HlWorkerJob *job)
{
  g_mutex_lock (&gate->lock);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
  hl_worker_finish (job);
  g_mutex_clear (&gate->lock);
  g_cond_clear (&gate->cond);
}

/* Many jobs: each ran once, wherever it ran. */
static void
test_many (void)
{
  Count counts[64] = { { 0 } };
  HlWorkerJob *jobs[64];

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    jobs[i] = hl_worker_start (count_cb, &counts[i]);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      hl_worker_finish (jobs[i]);
      g_assert_cmpint (counts[i].runs, ==, 1);
    }
}

/* While the worker is busy, a job collected runs in the collecting thread. */
static void
test_in_line (void)
{
  Gate gate;
  HlWorkerJob *held = hold_worker (&gate);
  Count count = { 0 };
  HlWorkerJob *job = hl_worker_start (count_cb, &count);

  hl_worker_finish (job);
  g_assert_cmpint (count.runs, ==, 1);
  g_assert_true (count.ran_on == g_thread_self ());
  release_worker (&gate, held);
}

/* A job the worker already ran is only collected; it ran on the worker. */
static void
test_on_worker (void)
{
  Gate gate;
  HlWorkerJob *held = hold_worker (&gate);
  Count count = { 0 };
  HlWorkerJob *job = hl_worker_start (count_cb, &count);
  Gate after;
  HlWorkerJob *behind;

  /* the worker takes jobs in order: once it holds the next gate, @job is done */
  release_worker (&gate, held);
  behind = hold_worker (&after);
  hl_worker_finish (job);
  g_assert_cmpint (count.runs, ==, 1);
  g_assert_true (count.ran_on != g_thread_self ());
  release_worker (&after, behind);
}

/* Dropped before the worker got to it: it never runs, now or later. */
static void
test_drop (void)
{
  Gate gate;
  HlWorkerJob *held = hold_worker (&gate);
  Count count = { 0 };
  HlWorkerJob *job = hl_worker_start (count_cb, &count);
  Gate after;
  HlWorkerJob *behind;

  hl_worker_drop (job);
  release_worker (&gate, held);
  behind = hold_worker (&after);
  release_worker (&after, behind);
  g_assert_cmpint (count.runs, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/worker/many", test_many);
  g_test_add_func ("/protocol/worker/in-line", test_in_line);
  g_test_add_func ("/protocol/worker/on-worker", test_on_worker);
  g_test_add_func ("/protocol/worker/drop", test_drop);
  return g_test_run ();
}
