/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include "hl-engine-private.h"
#include "hl-engine-parts.h"

/* Causal order (see hl-event.h): every event takes the next key when it is appended, and a
 * wire item a new one when its receiver processes it; the trace is sorted by them at the end. */

void
hl_engine_take_key (Run *run, HlEvent *event)
{
  guint index = hl_event_get_index (event);

  /* the attacker's two connections share one order (hl-mitm.c) */
  if (run->order != NULL)
    run = run->order;
  if (run->keys == NULL)
    run->keys = g_array_new (FALSE, TRUE, sizeof (guint64));
  if (run->keys->len <= index)
    g_array_set_size (run->keys, index + 1);
  /* spaced, so that unread items can be slotted in after their flight (settle_order) */
  g_array_index (run->keys, guint64, index) = ++run->moment * 1024;
}

/* The receiver processed the wire item at @index now: it moves there. */
static void
mark_processed (Run *run, guint index)
{
  HlEvent *event = hl_trace_get_event (run->trace, index);

  if (hl_event_get_moment (event) == HL_MOMENT_PROCESSED)
    return;
  hl_event_set_moment (event, HL_MOMENT_PROCESSED, hl_event_get_timestamp (event));
  hl_event_set_timestamp (event, run_time (run));
  hl_engine_take_key (run, event);
}

/* The pipe: @receiver starts reading the oldest record it has not read. Alerts, CCS and
 * application data in it are processed with it; handshake messages when the receiver's hook
 * sees them (hook_cb), each in turn. */
void
hl_engine_record_read_cb (HlSide receiver, gpointer user_data)
{
  Run *run = user_data;
  HlSide sender = receiver == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  gpointer head = g_queue_pop_head (&run->unread_records[side_index (sender)]);
  guint record;

  if (head == NULL)
    return;
  record = GPOINTER_TO_UINT (head) - 1;
  mark_processed (run, record);
  for (guint i = record + 1; i < hl_trace_get_n_events (run->trace); i++)
    {
      HlEvent *item = hl_trace_get_event (run->trace, i);

      if (hl_event_get_record (item) == (int) record &&
          hl_event_get_kind (item) != HL_EVENT_MESSAGE)
        mark_processed (run, i);
      else if (hl_event_get_record (item) == (int) record &&
               hl_event_get_content_type (item) == HL_CONTENT_CHANGE_CIPHER_SPEC)
        mark_processed (run, i);
    }
}

/* The receiver's hook saw a handshake message of @sender's (wire type @type). */
void
hl_engine_message_processed (Run *run, HlSide sender, guint type)
{
  GQueue *queue = &run->unread_messages[side_index (sender)];

  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      guint index = GPOINTER_TO_UINT (l->data) - 1;
      HlEvent *event = hl_trace_get_event (run->trace, index);

      if ((guint) hl_event_get_handshake_type (event) != type)
        continue;
      /* messages before it that the receiver skipped are not read any more */
      while (queue->head != l)
        g_queue_pop_head (queue);
      g_queue_pop_head (queue);
      mark_processed (run, index);
      return;
    }
}

/* Shared with live mode (hl-engine-private.h) */

static gboolean
is_wire_item (HlEvent *event)
{
  HlEventKind kind = hl_event_get_kind (event);

  return kind == HL_EVENT_RECORD || kind == HL_EVENT_MESSAGE || kind == HL_EVENT_ALERT ||
         kind == HL_EVENT_APP_DATA;
}

/* Wire items nobody was seen processing stand where they were sent; then the events are put
 * in causal order. */
void
hl_engine_settle_order (Run *run)
{
  guint n = hl_trace_get_n_events (run->trace);
  /* the latest key of each sender's wire items so far, per connection (an attacker runs two) */
  guint64 last[4] = { 0, 0, 0, 0 };
  guint slotted = 0;

  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);
      guint64 *key = run->keys && i < run->keys->len ? &g_array_index (run->keys, guint64, i)
                                                     : NULL;
      guint s = MIN (hl_event_get_handshake (event), 1) * 2 +
                side_index (hl_event_get_side (event));

      if (!is_wire_item (event))
        continue;
      /* live mode: all we know of the remote peer's items is that our session read them */
      if (hl_event_get_moment (event) == HL_MOMENT_NONE && run->local != HL_SIDE_NONE &&
          hl_event_get_side (event) != run->local)
        hl_event_set_moment (event, HL_MOMENT_PROCESSED, -1);
      if (hl_event_get_moment (event) == HL_MOMENT_NONE)
        {
          hl_event_set_moment (event, run->local == HL_SIDE_NONE ? HL_MOMENT_UNREAD
                                                                 : HL_MOMENT_SENT,
                               hl_event_get_timestamp (event));
          if (run->local == HL_SIDE_NONE && hl_event_get_kind (event) != HL_EVENT_RECORD)
            {
              g_autofree char *tech = g_strdup_printf ("%s%snever read: the %s stopped before "
                                                       "it", hl_event_get_technical (event),
                                                       *hl_event_get_technical (event) ? " · "
                                                                                       : "",
                                                       who (hl_event_get_peer (event)));

              hl_event_set_technical (event, tech);
            }
          /* A message the receiver never read still left after the ones before it in its
           * flight (TCP keeps their order): it stands after them and after what the receiver
           * did with them, just before the next thing on the wire. */
          if (key && *key < last[s])
            {
              guint64 next = G_MAXUINT64;

              for (guint j = 0; j < n; j++)
                {
                  guint64 k = g_array_index (run->keys, guint64, j);
                  HlEvent *other = hl_trace_get_event (run->trace, j);

                  if (k > last[s] && k < next && is_wire_item (other) &&
                      hl_event_get_moment (other) == HL_MOMENT_PROCESSED)
                    next = k;
                }
              *key = next == G_MAXUINT64 ? run->moment * 1024 + 512 + ++slotted
                                         : next - 512 + ++slotted;
            }
        }
      if (key)
        last[s] = MAX (last[s], *key);
    }
  if (run->keys != NULL && run->keys->len == n)
    hl_trace_sort_events (run->trace, (const guint64 *) (gpointer) run->keys->data);
  /* an unread item shown after later steps takes their time (its own is in sent_us) */
  for (guint i = 1; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);
      gint64 before = hl_event_get_timestamp (hl_trace_get_event (run->trace, i - 1));

      if (hl_event_get_timestamp (event) < before)
        hl_event_set_timestamp (event, before);
    }
}

void
hl_engine_clear_order (Run *run)
{
  g_clear_pointer (&run->keys, g_array_unref);
  for (guint i = 0; i < 2; i++)
    {
      g_queue_clear (&run->unread_records[i]);
      g_queue_clear (&run->unread_messages[i]);
    }
}
