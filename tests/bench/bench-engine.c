/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: per scenario, the median of N bare handshakes (same pipe and sessions, no capture)
 * against N full engine runs (capture + trace), interleaved in one process so both see the same
 * machine load. Prints both and their ratio; asserts nothing about time.
 *
 * Usage: bench-engine [ITERATIONS [SCENARIO-ID…]]; with ids, only those scenarios run. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "hl-engine.h"
#include "hl-pki.h"

static int
compare (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* TRUE when @id is among the ids on the command line (argv[2…]), or when there are none. */
static gboolean
selected (const char *id, int argc, char *argv[])
{
  if (argc <= 2)
    return TRUE;
  for (int i = 2; i < argc; i++)
    if (g_strcmp0 (argv[i], id) == 0)
      return TRUE;
  return FALSE;
}

static double
median_ms (gint64 *v, guint n)
{
  qsort (v, n, sizeof *v, compare);
  return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) / 1000.0;
}

int
main (int argc, char *argv[])
{
  guint iterations = argc > 1 ? (guint) atoi (argv[1]) : 200;
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *bare = g_new (gint64, iterations);
  g_autofree gint64 *full = g_new (gint64, iterations);
  double worst = 0;

  if (iterations == 0)
    iterations = 1;
  for (int i = 2; i < argc; i++)
    {
      guint s = 0;

      while (s < n && g_strcmp0 (all[s].id, argv[i]) != 0)
        s++;
      if (s == n)
        {
          g_printerr ("bench: no scenario '%s' (see handshake-lens --list-scenarios)\n", argv[i]);
          return 1;
        }
    }
  /* key generation is once per process: keep it out of the figures */
  if (hl_pki_get_default (&error) == NULL)
    {
      g_printerr ("bench: %s\n", error->message);
      return 1;
    }
  printf ("%-26s %12s %12s %8s   (median of %u, interleaved)\n", "scenario", "bare ms",
           "engine ms", "ratio", iterations);
  for (guint s = 0; s < n; s++)
    {
      double b, f;

      if (!selected (all[s].id, argc, argv))
        continue;
      for (guint i = 0; i < iterations; i++)
        {
          gint64 t0 = g_get_monotonic_time ();
          HlTrace *trace;

          if (!hl_engine_run_bare (&all[s].config, &error))
            {
              g_printerr ("bench: %s (bare): %s\n", all[s].id, error->message);
              return 1;
            }
          bare[i] = g_get_monotonic_time () - t0;
          t0 = g_get_monotonic_time ();
          trace = hl_engine_run (&all[s].config, all[s].id, all[s].title, "", NULL, &error);
          if (trace == NULL)
            {
              g_printerr ("bench: %s: %s\n", all[s].id, error->message);
              return 1;
            }
          g_object_unref (trace);
          full[i] = g_get_monotonic_time () - t0;
        }
      b = median_ms (bare, iterations);
      f = median_ms (full, iterations);
      worst = MAX (worst, f / b);
      printf ("%-26s %12.3f %12.3f %7.2fx  (goal ≤ 1.2x)\n", all[s].id, b, f, f / b);
    }
  printf ("worst ratio %.2fx (goal ≤ 1.2x)\n", worst);
  return 0;
}
