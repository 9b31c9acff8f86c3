/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-worker"
#include "config.h"

#include "hl-worker.h"

/* Sections: the job · the thread · collecting. */

/* Whoever moves @state on from WAITING runs the job (or, for hl_worker_drop(), skips it). */
enum { JOB_WAITING, JOB_RUNNING, JOB_DONE, JOB_TAKEN };

struct _HlWorkerJob
{
  gint     refs;   /* the queue's and the caller's */
  gint     state;
  GFunc    func;
  gpointer data;
};

static GAsyncQueue *queue;
/* one lock and condition for every job: there is one worker, and jobs finish one at a time */
static GMutex done_lock;
static GCond  done_cond;

static void
job_unref (HlWorkerJob *job)
{
  if (g_atomic_int_dec_and_test (&job->refs))
    g_free (job);
}

/* The thread */

static gpointer
worker_thread (gpointer unused)
{
  for (;;)
    {
      HlWorkerJob *job = g_async_queue_pop (queue);

      if (g_atomic_int_compare_and_exchange (&job->state, JOB_WAITING, JOB_RUNNING))
        {
          job->func (job->data, NULL);
          g_mutex_lock (&done_lock);
          g_atomic_int_set (&job->state, JOB_DONE);
          g_cond_broadcast (&done_cond);
          g_mutex_unlock (&done_lock);
        }
      job_unref (job);
    }
  return NULL;
}

/* The process keeps the thread: it waits on the queue between runs, costing nothing, and a
 * thread made per job would cost its start-up each time (tens of µs, and a core to be given). */
static void
ensure_worker (void)
{
  static gsize started = 0;

  if (g_once_init_enter (&started))
    {
      queue = g_async_queue_new ();
      g_thread_unref (g_thread_new ("hl-worker", worker_thread, NULL));
      g_once_init_leave (&started, 1);
    }
}

HlWorkerJob *
hl_worker_start (GFunc    func,
                 gpointer data)
{
  HlWorkerJob *job;

  g_return_val_if_fail (func != NULL, NULL);

  ensure_worker ();
  job = g_new0 (HlWorkerJob, 1);
  job->refs = 2;
  job->state = JOB_WAITING;
  job->func = func;
  job->data = data;
  g_async_queue_push (queue, job);
  return job;
}

/* Collecting */

static void
collect (HlWorkerJob *job,
         gboolean     wanted)
{
  if (g_atomic_int_compare_and_exchange (&job->state, JOB_WAITING, JOB_TAKEN))
    {
      if (wanted)
        job->func (job->data, NULL);
    }
  else
    {
      g_mutex_lock (&done_lock);
      while (g_atomic_int_get (&job->state) != JOB_DONE)
        g_cond_wait (&done_cond, &done_lock);
      g_mutex_unlock (&done_lock);
    }
  job_unref (job);
}

void
hl_worker_finish (HlWorkerJob *job)
{
  g_return_if_fail (job != NULL);
  collect (job, TRUE);
}

void
hl_worker_drop (HlWorkerJob *job)
{
  g_return_if_fail (job != NULL);
  collect (job, FALSE);
}
