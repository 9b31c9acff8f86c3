/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-check"
#include "config.h"

#include "hl-event-private.h"
#include "hl-trace-check-private.h"

/*
 * Sections: results · where a difference shows · public API. The checks themselves are in
 * hl-trace-check-events.c, hl-trace-check-keyschedule.c and hl-trace-check-certificates.c (see
 * hl-trace-check-private.h).
 */

/* Results */

static void
difference_free (HlDifference *d)
{
  g_free (d->path);
  g_free (d->claim);
  g_free (d->found);
  if (d->events)
    g_array_unref (d->events);
  g_free (d);
}

/* A record is drawn with what it carried (records are hidden unless asked for): a difference on
 * a record shows on the messages, alerts and application data linked to it too. */
static void
show_on_carried (HlTrace *trace, HlTraceCheck *check)
{
  for (guint k = 0; k < check->differences->len; k++)
    {
      HlDifference *d = g_ptr_array_index (check->differences, k);
      HlEvent *record;

      if (d->event < 0)
        continue;
      record = hl_trace_get_event (trace, (guint) d->event);
      if (hl_event_get_kind (record) != HL_EVENT_RECORD)
        continue;
      for (guint i = (guint) d->event + 1; i < hl_trace_get_n_events (trace); i++)
        if (hl_event_get_record (hl_trace_get_event (trace, i)) == d->event)
          {
            int index = (int) i;

            if (d->events == NULL)
              d->events = g_array_new (FALSE, FALSE, sizeof (int));
            g_array_append_val (d->events, index);
          }
    }
}

/* Both sides derive the keys: a difference on one side's "Derive …" step shows on the other
 * side's step of the same name too. */
static void
show_on_peers (HlTrace *trace, HlTraceCheck *check)
{
  for (guint k = 0; k < check->differences->len; k++)
    {
      HlDifference *d = g_ptr_array_index (check->differences, k);
      HlEvent *step;

      if (d->event < 0 || !g_str_has_prefix (d->path, "secrets"))
        continue;
      step = hl_trace_get_event (trace, (guint) d->event);
      if (hl_event_get_kind (step) != HL_EVENT_ACTION)
        continue;
      for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *other = hl_trace_get_event (trace, i);
          int index = (int) i;

          if (index != d->event && hl_event_get_kind (other) == HL_EVENT_ACTION &&
              hl_event_get_handshake (other) == hl_event_get_handshake (step) &&
              g_str_equal (hl_event_get_name (other), hl_event_get_name (step)))
            {
              if (d->events == NULL)
                d->events = g_array_new (FALSE, FALSE, sizeof (int));
              g_array_append_val (d->events, index);
            }
        }
    }
}

/* Public API */

/**
 * hl_trace_check:
 * @trace: a finished trace, typically just loaded from a file
 *
 * Re-derives what @trace's bytes allow and compares it with what the trace claims (see the top
 * of this file). Any input is safe: the trace was accepted by the loader, whose range checks
 * this relies on, and every number is checked again before it is used for arithmetic.
 *
 * Returns: (transfer full): the differences and the unchecked values
 */
HlTraceCheck *
hl_trace_check (HlTrace *trace)
{
  HlTraceCheck *check;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);

  check = g_new0 (HlTraceCheck, 1);
  check->differences = g_ptr_array_new_with_free_func ((GDestroyNotify) difference_free);
  check->unchecked = g_ptr_array_new_with_free_func (g_free);

  hl_recheck_timestamps (trace, check);
  hl_recheck_events (trace, check);
  if (hl_recheck_links (trace, check))
    {
      hl_recheck_plaintext_records (trace, check);
      hl_recheck_keyschedule (trace, check);
    }
  hl_recheck_signatures (trace, check);
  hl_recheck_chain (trace, check, HL_SIDE_SERVER);
  hl_recheck_chain (trace, check, HL_SIDE_CLIENT);
  hl_recheck_verifications (trace, check);
  hl_recheck_ocsp (trace, check);
  hl_recheck_negotiated (trace, check);
  show_on_carried (trace, check);
  show_on_peers (trace, check);
  return check;
}

void
hl_trace_check_free (HlTraceCheck *check)
{
  if (check == NULL)
    return;
  g_ptr_array_unref (check->differences);
  g_ptr_array_unref (check->unchecked);
  g_free (check);
}

guint
hl_trace_check_count (HlTraceCheck *check)
{
  g_return_val_if_fail (check != NULL, 0);
  return check->differences->len;
}

static gboolean
shows_on (const HlDifference *d, int index)
{
  if (d->event == index)
    return TRUE;
  for (guint i = 0; d->events && i < d->events->len; i++)
    if (g_array_index (d->events, int, i) == index)
      return TRUE;
  return FALSE;
}

static void
append_difference (GString *out, const HlDifference *d)
{
  g_string_append_printf (out, "%s: the file says %s; its bytes say %s", d->path, d->claim,
                          d->found);
}

char *
hl_trace_check_dup_event_text (HlTraceCheck *check, guint index)
{
  GString *out = NULL;

  g_return_val_if_fail (check != NULL, NULL);

  for (guint i = 0; i < check->differences->len; i++)
    {
      const HlDifference *d = g_ptr_array_index (check->differences, i);

      if (!shows_on (d, (int) index))
        continue;
      if (out == NULL)
        out = g_string_new (NULL);
      else
        g_string_append_c (out, '\n');
      append_difference (out, d);
    }
  return out ? g_string_free (out, FALSE) : NULL;
}

char *
hl_trace_check_dup_text (HlTraceCheck *check)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (check != NULL, NULL);

  if (check->differences->len > 0)
    {
      g_string_append_printf (out, "This file's claims do not match its bytes: %u difference%s\n",
                              check->differences->len, check->differences->len == 1 ? "" : "s");
      for (guint i = 0; i < check->differences->len; i++)
        {
          const HlDifference *d = g_ptr_array_index (check->differences, i);

          if (d->event >= 0)
            g_string_append_printf (out, "  ✗ step %d  ", d->event);
          else
            g_string_append (out, "  ✗ ");
          append_difference (out, d);
          g_string_append_c (out, '\n');
        }
    }
  if (check->unchecked->len > 0)
    {
      g_string_append (out, "From the file, not checked (nothing in it recomputes or confirms "
                            "them):\n");
      for (guint i = 0; i < check->unchecked->len; i++)
        g_string_append_printf (out, "  · %s\n", (char *) g_ptr_array_index (check->unchecked, i));
    }
  return g_string_free (out, FALSE);
}

/**
 * hl_trace_check_mark:
 * @trace: the trace @check was made from, not yet shown or handed to another thread
 * @check: its check
 *
 * Marks each step a difference shows on as failed and puts the differences in front of its
 * technical line, so the diagram and the inspector show them where they are.
 */
void
hl_trace_check_mark (HlTrace *trace, HlTraceCheck *check)
{
  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (check != NULL);

  /* A file that holds what its bytes say opens exactly as it was saved (a clean trace saved
   * again is the same file); its unchecked values are listed by hl_trace_check_dup_text(). */
  if (check->differences->len == 0)
    return;

  hl_recheck_mark_secrets (trace, check);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      g_autofree char *text = hl_trace_check_dup_event_text (check, i);
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autofree char *technical = NULL;

      if (text == NULL)
        continue;
      technical = g_strdup_printf ("✗ Not what the bytes say — %s\n%s", text,
                                   hl_event_get_technical (event));
      hl_event_set_check (event, HL_CHECK_FAILED);
      hl_event_set_technical (event, technical);
    }
}
