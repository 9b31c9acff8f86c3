/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the whole process, from exec to the first full frame written to PNG, of
 * `handshake-lens --scenario tls12-rsa --screenshot FILE --size 1280x800` against
 * bench-launch-bare (a bare libadwaita program of the same shape), interleaved, median of N
 * (10 unless given; a second argument names another build of the app): wall time, CPU time
 * (user + system) and peak RSS, and their ratios beside the goals. Needs a display (make bench
 * runs it under Xvfb); asserts nothing about time. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#define SIZE "1280x800"

typedef struct
{
  double wall_ms;
  double cpu_ms;
  double rss_mib;
} Run;

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Runs @argv to its end; FALSE when it could not start or did not exit 0. */
static gboolean
run (char **argv, Run *out)
{
  struct rusage usage;
  gint64 t0 = g_get_monotonic_time ();
  int status = 0;
  pid_t pid = fork ();

  if (pid < 0)
    return FALSE;
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);

      /* the figures are the program's, not its messages' */
      if (null >= 0)
        {
          dup2 (null, STDOUT_FILENO);
          dup2 (null, STDERR_FILENO);
        }
      execv (argv[0], argv);
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      return FALSE;
  out->wall_ms = (g_get_monotonic_time () - t0) / 1000.0;
  out->cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
                (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
  out->rss_mib = usage.ru_maxrss / 1024.0;   /* Linux: KiB */
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
summarize (Run *runs, guint n, Run *out)
{
  g_autofree double *v = g_new (double, n);

  for (guint i = 0; i < n; i++)
    v[i] = runs[i].wall_ms;
  out->wall_ms = median (v, n);
  for (guint i = 0; i < n; i++)
    v[i] = runs[i].cpu_ms;
  out->cpu_ms = median (v, n);
  for (guint i = 0; i < n; i++)
    v[i] = runs[i].rss_mib;
  out->rss_mib = median (v, n);
}

int
main (int argc, char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10;
  /* another build of the app (an older one, to compare) */
  const char *app_path = argc > 2 ? argv[2] : BENCH_APP;
  g_autofree char *dir = NULL;
  g_autofree char *shot = NULL;
  g_autofree Run *bare_runs = NULL;
  g_autofree Run *app_runs = NULL;
  g_autoptr(GError) error = NULL;
  Run bare, app, ignored;
  char *bare_argv[] = { (char *) BENCH_BARE, "--screenshot", NULL, "--size", (char *) SIZE,
                        NULL };
  char *app_argv[] = { (char *) app_path, "--scenario", "tls12-rsa", "--screenshot", NULL,
                       "--size", (char *) SIZE, NULL };

  if (n == 0)
    n = 1;
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-launch: needs a display (make bench runs it under xvfb-run)\n");
      return 77;
    }
  /* as in a test run: the schema from the build tree, settings neither read nor kept */
  g_setenv ("GSETTINGS_SCHEMA_DIR", BENCH_SCHEMA_DIR, FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  dir = g_dir_make_tmp ("bench-launch-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-launch: %s\n", error->message);
      return 1;
    }
  shot = g_build_filename (dir, "shot.png", NULL);
  bare_argv[2] = shot;
  app_argv[4] = shot;
  bare_runs = g_new0 (Run, n);
  app_runs = g_new0 (Run, n);

  /* one of each first, unmeasured: the page cache and the font cache warm for both */
  if (!run (bare_argv, &ignored) || !run (app_argv, &ignored))
    {
      g_printerr ("bench-launch: %s or %s failed\n", BENCH_BARE, app_path);
      return 1;
    }
  for (guint i = 0; i < n; i++)
    {
      /* alternate which goes first, so neither always follows the other */
      gboolean ok = i % 2 ? run (app_argv, &app_runs[i]) && run (bare_argv, &bare_runs[i])
                          : run (bare_argv, &bare_runs[i]) && run (app_argv, &app_runs[i]);

      if (!ok)
        {
          g_printerr ("bench-launch: a run failed\n");
          return 1;
        }
    }
  g_unlink (shot);
  g_rmdir (dir);

  summarize (bare_runs, n, &bare);
  summarize (app_runs, n, &app);
  printf ("Launch: exec → first frame written (--screenshot, %s), whole process, interleaved, "
           "median of %u\n", SIZE, n);
  printf ("  %-34s %10s %10s %12s\n", "", "wall ms", "CPU ms", "peak RSS MiB");
  printf ("  %-34s %10.0f %10.0f %12.1f\n", "bare libadwaita program", bare.wall_ms,
           bare.cpu_ms, bare.rss_mib);
  printf ("  %-34s %10.0f %10.0f %12.1f\n", "handshake-lens -s tls12-rsa", app.wall_ms,
           app.cpu_ms, app.rss_mib);
  printf ("  ratio wall %.2fx (goal ≤ 1.5x), CPU %.2fx (goal ≤ 1.5x), peak RSS %.2fx "
           "(goal ≤ 1.2x)\n", app.wall_ms / bare.wall_ms, app.cpu_ms / bare.cpu_ms,
           app.rss_mib / bare.rss_mib);
  return 0;
}
