/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hl-trace.h"

G_BEGIN_DECLS

/*
 * An opened trace is checked, not believed: what can be re-derived from a trace's own bytes
 * (record headers and message boundaries, the decoder, the plaintexts from the stored keys, the
 * key schedule, the certificates in the Certificate messages, the handshake signatures, the byte
 * counts its captions name, the range of its timestamps) is recomputed and compared with what
 * the file claims. The loader stays a loader; this runs after it.
 */

/**
 * HlDifference:
 * @event: index of the step the difference shows on, or -1 when it belongs to no step
 * @path: where in the file, named as the file names it ("events[12].plaintext",
 *   "secrets[7].check", "certificates.server_chain[0]")
 * @claim: what the file says
 * @found: what its bytes say
 * @events: (element-type int) (nullable): further steps it shows on (a changed secret shows on
 *   every step whose value or record it breaks)
 *
 * One claim of a trace file that its own bytes contradict.
 */
typedef struct
{
  int     event;
  char   *path;
  char   *claim;
  char   *found;
  GArray *events;
} HlDifference;

/**
 * HlTraceCheck:
 * @differences: (element-type HlDifference): in the order of the file
 * @unchecked: (element-type utf8): values the file claims that nothing recomputes or confirms,
 *   "from the file, not checked" ("secrets[8] EXPORTER_SECRET")
 */
typedef struct
{
  GPtrArray *differences;
  GPtrArray *unchecked;
} HlTraceCheck;

HlTraceCheck *hl_trace_check            (HlTrace      *trace);
void          hl_trace_check_free       (HlTraceCheck *check);
guint         hl_trace_check_count      (HlTraceCheck *check);
/* The differences that show on step @index, or NULL. Newly allocated, one per line. */
char         *hl_trace_check_dup_event_text (HlTraceCheck *check, guint index);
/* Every difference and what is not checked, for --print. Empty when there is no difference
 * and nothing unchecked. */
char         *hl_trace_check_dup_text   (HlTraceCheck *check);
/* Right after loading, before the trace is shown or shared: marks every step a difference shows
 * on as failed (✗) and puts the difference in front of its technical line; in the secrets, the
 * re-checked verdicts, and "from the file, not checked" on the unchecked values. Does nothing
 * when there is no difference, so a clean file opens exactly as it was saved. */
void          hl_trace_check_mark       (HlTrace      *trace,
                                         HlTraceCheck *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTraceCheck, hl_trace_check_free)

G_END_DECLS
