/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Test-only: each scenario's trace, run by the engine once per test program and kept until
 * hl_test_traces_free(). Everything is static so that each test program, built from its single
 * .c file, has its own copy (as hl-test-tls.h).
 */

#include <glib.h>

#include "hl-engine.h"

static GHashTable *hl_test_traces;   /* scenario id → HlTrace */

static inline HlTrace *
hl_test_trace (const char *id)
{
  HlTrace *trace;

  if (hl_test_traces == NULL)
    hl_test_traces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  trace = g_hash_table_lookup (hl_test_traces, id);
  if (trace == NULL)
    {
      g_autoptr(GError) error = NULL;

      trace = hl_engine_run_scenario (id, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (trace);
      g_hash_table_insert (hl_test_traces, g_strdup (id), trace);
    }
  return trace;
}

static inline void
hl_test_traces_free (void)
{
  g_clear_pointer (&hl_test_traces, g_hash_table_unref);
}
