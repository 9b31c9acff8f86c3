/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-trace-json"
#include "config.h"

/* libFuzzer harness for the trace file loader (protocol/trace/hl-trace-io.c).
 *
 * Every input must be either rejected with an HL_TRACE_ERROR or loaded; whatever loads must
 * write back, load again to an equal trace and write back to the same text; then it goes where
 * an opened trace goes: the re-check of its claims against its bytes (hl-trace-check), the
 * marking of its steps, the printout and every export. Criticals and warnings abort, so a
 * g_return_if_fail reached from a loaded trace counts as a finding. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hl-error.h"
#include "hl-export.h"
#include "hl-print.h"
#include "hl-trace-check.h"
#include "hl-trace-decode.h"
#include "hl-trace-io.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
  return 0;
}

/* What --open does with a trace it accepted: check it, mark it, print it, export it. An export
 * may refuse (a record too long for a segment, a time past 9999), with a message. */
static void
open_as_the_app_does (HlTrace *trace)
{
  g_autoptr(HlTraceCheck) check = hl_trace_check (trace);
  g_autofree char *listing = hl_trace_check_dup_text (check);
  g_autofree char *printed = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *keylog = NULL;
  g_autoptr(GBytes) pcapng = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!g_utf8_validate (listing, -1, NULL))
    abort ();
  hl_trace_check_mark (trace, check);
  printed = hl_trace_dup_text (trace, HL_PRINT_VERBOSE);
  markdown = hl_trace_dup_markdown (trace);
  keylog = hl_trace_dup_keylog (trace);
  root = hl_trace_to_json (trace);
  hl_trace_json_add_fields (trace, root);
  pcapng = hl_trace_to_pcapng (trace, &error);
  if ((pcapng == NULL) == (error == NULL))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(HlTrace) again = NULL;
  g_autoptr(GString) why = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gsize length;

  trace = hl_trace_load_data ((const char *) data, size, &error);
  if ((trace == NULL) == (error == NULL))
    abort ();
  if (trace == NULL)
    {
      if (error->domain != HL_TRACE_ERROR || error->message == NULL ||
          !g_utf8_validate (error->message, -1, NULL))
        abort ();
      return 0;
    }
  if (!hl_trace_is_finished (trace))
    abort ();

  text = hl_trace_to_data (trace, &length);
  again = hl_trace_load_data (text, length, &error);
  if (again == NULL)
    {
      /* the reason last: CI keeps only the tail of the log */
      g_printerr ("%s\nwritten trace (above) does not load: %s\n", text, error->message);
      abort ();
    }
  why = g_string_new (NULL);
  if (!hl_trace_equal (trace, again, why))
    {
      g_printerr ("reloaded trace differs: %s\n", why->str);
      abort ();
    }
  text_again = hl_trace_to_data (again, NULL);
  if (strcmp (text, text_again) != 0)
    {
      g_printerr ("written text differs after a reload\n");
      abort ();
    }
  open_as_the_app_does (trace);
  return 0;
}
