/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-transcript"
#include "config.h"

#include "hl-transcript.h"

enum
{
  HT_SERVER_HELLO = 2,
  HT_NEW_SESSION_TICKET = 4,
  HT_KEY_UPDATE = 24,
};

static gboolean
handshake_is_tls13 (HlTrace *trace, guint handshake)
{
  GPtrArray *negs = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negs->len; i++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, i);

      if (neg->handshake == handshake)
        return g_strcmp0 (neg->version, "TLS1.3") == 0;
    }
  return FALSE;
}

GArray *
hl_trace_transcript (HlTrace *trace, guint finished, gboolean *after_hello_retry)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (guint));
  HlEvent *target;
  guint handshake;
  gboolean tls13;
  gboolean hrr = FALSE;

  g_return_val_if_fail (HL_IS_TRACE (trace), entries);
  g_return_val_if_fail (finished < hl_trace_get_n_events (trace), entries);

  target = hl_trace_get_event (trace, finished);
  handshake = hl_event_get_handshake (target);
  tls13 = handshake_is_tls13 (trace, handshake);

  for (guint i = 0; i < finished; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int type = hl_event_get_handshake_type (event);

      if (hl_event_get_handshake (event) != handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_content_type (event) != HL_CONTENT_HANDSHAKE)
        continue;
      if (tls13 && (type == HT_NEW_SESSION_TICKET || type == HT_KEY_UPDATE))
        continue;
      if (tls13 && type == HT_SERVER_HELLO &&
          g_str_equal (hl_event_get_name (event), "HelloRetryRequest"))
        hrr = TRUE;
      g_array_append_val (entries, i);
    }
  if (after_hello_retry)
    *after_hello_retry = hrr;
  return entries;
}
