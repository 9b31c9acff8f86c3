/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hl-trace.h"
#include "hl-trace-check.h"

G_BEGIN_DECLS

/*
 * The opened-trace check in parts, one per kind of claim: hl-trace-check.c (results, where a
 * difference shows, public API), hl-trace-check-events.c (timestamps, records, messages,
 * alerts, links, captions, plaintext records, what the hellos negotiated),
 * hl-trace-check-keyschedule.c (re-derived values and decryptions, grouped by the library value
 * they come from) and hl-trace-check-certificates.c (signatures, chains, chain verifications).
 *
 * Each check compares a claim of the file with what its bytes give and adds one difference per
 * claim that does not hold, on the step it concerns, so one changed byte shows where it was
 * changed and on what follows from it (a changed secret fails every value computed with it).
 */

#define HT_CERTIFICATE 11
#define HT_FINISHED 20

static inline void add (HlTraceCheck *check, int event, char *path, const char *claim,
                        const char *format, ...) G_GNUC_PRINTF (5, 6);

/* Adds a difference on step @event (or -1). Takes @path. */
static inline void
add (HlTraceCheck *check, int event, char *path, const char *claim, const char *format, ...)
{
  HlDifference *d = g_new0 (HlDifference, 1);
  va_list args;

  d->event = event;
  d->path = path;
  d->claim = g_strdup (claim);
  va_start (args, format);
  d->found = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (check->differences, d);
}

/* "0a1b2c3d4e5f6071… (32 bytes)", or "none". */
static inline char *
short_hex (GBytes *bytes)
{
  gsize n = 0;
  const guint8 *p;
  GString *s;

  if (bytes == NULL)
    return g_strdup ("none");
  p = g_bytes_get_data (bytes, &n);
  s = g_string_new (NULL);
  for (gsize i = 0; i < MIN (n, 8); i++)
    g_string_append_printf (s, "%02x", p[i]);
  if (n > 8)
    g_string_append (s, "…");
  g_string_append_printf (s, " (%" G_GSIZE_FORMAT " bytes)", n);
  return g_string_free (s, FALSE);
}

static inline const char *
check_word (HlCheck check)
{
  return check == HL_CHECK_OK ? "✓" : check == HL_CHECK_FAILED ? "✗" : "· (no check)";
}

static inline gboolean
same_bytes (GBytes *a, GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

/* hl-trace-check-events.c */
void     hl_recheck_timestamps         (HlTrace *trace, HlTraceCheck *check);
void     hl_recheck_events             (HlTrace *trace, HlTraceCheck *check);
gboolean hl_recheck_links              (HlTrace *trace, HlTraceCheck *check);
void     hl_recheck_plaintext_records  (HlTrace *trace, HlTraceCheck *check);
void     hl_recheck_negotiated         (HlTrace *trace, HlTraceCheck *check);

/* hl-trace-check-keyschedule.c */
void     hl_recheck_keyschedule        (HlTrace *trace, HlTraceCheck *check);
void     hl_recheck_mark_secrets       (HlTrace *trace, HlTraceCheck *check);

/* hl-trace-check-certificates.c */
void     hl_recheck_signatures         (HlTrace *trace, HlTraceCheck *check);
void     hl_recheck_chain              (HlTrace *trace, HlTraceCheck *check, HlSide side);
void     hl_recheck_verifications      (HlTrace *trace, HlTraceCheck *check);
/* hl-trace-check-ocsp.c */
void     hl_recheck_ocsp               (HlTrace *trace, HlTraceCheck *check);

G_END_DECLS
