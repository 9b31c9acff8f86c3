/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule"
#include "config.h"

#include <string.h>

#include "hl-keyschedule-private.h"
#include "hl-ticket.h"

/*
 * The key schedule, TLS 1.2 tickets (see hl-keyschedule-private.h): where the trace holds the
 * server's ticket key (in-memory runs: the key the engine gave GnuTLS), the ticket of this
 * handshake's NewSessionTicket is opened (hl-ticket.h) and must hold this connection's master
 * secret, which is what the server needs to resume the session (RFC 5077 §4).
 */

/* The ticket of the server's NewSessionTicket (RFC 5077 §3.3: lifetime hint, then
 * opaque ticket<0..2^16-1>), and the event. */
static GBytes *
new_session_ticket (Handshake *hs, HlEvent **event_out)
{
  HlEvent *event = NULL;
  gsize len;
  const guint8 *p;

  /* hs->messages is the transcript, which leaves NewSessionTicket out */
  for (guint i = 0; i < hl_trace_get_n_events (hs->trace) && event == NULL; i++)
    {
      HlEvent *e = hl_trace_get_event (hs->trace, i);

      if (hl_event_get_handshake (e) == hs->handshake &&
          hl_event_get_kind (e) == HL_EVENT_MESSAGE &&
          hl_event_get_handshake_type (e) == HT_NEW_SESSION_TICKET &&
          hl_event_get_role (e) == HL_SIDE_SERVER && hl_event_get_bytes (e) != NULL)
        event = e;
    }
  if (event == NULL)
    return NULL;
  p = g_bytes_get_data (hl_event_get_bytes (event), &len);
  if (len < 4 + 4 + 2 || (gsize) ((p[8] << 8) | p[9]) != len - 10)
    return NULL;
  *event_out = event;
  return g_bytes_new_from_bytes (hl_event_get_bytes (event), 10, len - 10);
}

/* Where @needle first occurs in @haystack, or -1. */
static gssize
find_bytes (GBytes *haystack, GBytes *needle)
{
  gsize h_len, n_len;
  const guint8 *h = g_bytes_get_data (haystack, &h_len);
  const guint8 *n = g_bytes_get_data (needle, &n_len);

  for (gsize i = 0; n_len > 0 && i + n_len <= h_len; i++)
    if (memcmp (h + i, n, n_len) == 0)
      return (gssize) i;
  return -1;
}

void
hl_ks_open_ticket (Handshake *hs)
{
  GBytes *key = hl_ks_library_value (hs, "session_ticket_key");
  GBytes *master = hl_ks_library_value (hs, "master_secret");
  HlEvent *event = NULL;
  g_autoptr(GBytes) ticket = NULL;
  g_autoptr(GError) error = NULL;
  HlTicketContents contents;
  HlSecret *secret;
  g_autofree char *formula = NULL;
  gint64 issued;

  if (hs->tls13 || key == NULL || (ticket = new_session_ticket (hs, &event)) == NULL)
    return;
  issued = (hl_trace_get_created (hs->trace) + hl_event_get_timestamp (event)) / G_USEC_PER_SEC;
  if (!hl_ticket_open (key, ticket, issued, &contents, &error))
    {
      secret = hl_ks_add_hidden (hs, "ticket_state", "Session ticket contents",
                                 "AES-256-CBC-decrypt(SHA3-512(T ‖ session_ticket_key)[16..47], "
                                 "ticket IV, ticket state)",
                                 g_strdup_printf ("Not re-derived: the ticket does not open "
                                                  "with the server's ticket key: %s. GnuTLS "
                                                  "seals tickets with a key it derives from "
                                                  "that key for each period of time "
                                                  "(lib/stek.c), in a format of its own.",
                                                  error->message));
      /* the right key for the period, and still the MAC fails: the ticket was changed */
      if (g_error_matches (error, HL_TICKET_ERROR, HL_TICKET_ERROR_MAC))
        secret->check = HL_CHECK_FAILED;
      return;
    }
  formula = g_strdup_printf ("AES-256-CBC-decrypt(SHA3-512(T ‖ session_ticket_key)[16..47], "
                             "ticket IV, ticket state), T = %" G_GINT64_FORMAT, contents.period);
  secret = hl_ks_add_derived (hs, "ticket_state", "Session ticket contents", contents.state,
                              formula, "session_ticket_key NewSessionTicket master_secret");
  {
    gsize len = g_bytes_get_size (contents.state);
    gsize master_len = master ? g_bytes_get_size (master) : 0;
    gssize at = master ? find_bytes (contents.state, master) : -1;

    secret->check = at >= 0 ? HL_CHECK_OK : HL_CHECK_FAILED;
    secret->note = at >= 0
      ? g_strdup_printf ("Opened with the server's ticket key: GnuTLS sealed it with "
                         "SHA3-512(T ‖ key) for the %" G_GINT64_FORMAT "-second period T = %"
                         G_GINT64_FORMAT " (key name, then an AES-256-CBC key and an HMAC-SHA1 "
                         "key; the MAC checks out). Inside the %" G_GSIZE_FORMAT "-byte state, "
                         "at offset %" G_GSIZE_FORMAT ", is this connection's %" G_GSIZE_FORMAT
                         "-byte master secret: the one thing the server needs to resume. The "
                         "rest is GnuTLS's own record of the session (version, cipher suite, "
                         "names), a format no RFC defines.", HL_TICKET_PERIOD, contents.period,
                         len, (gsize) at, master_len)
      : g_strdup_printf ("Opened with the server's ticket key (period T = %" G_GINT64_FORMAT
                         ", the MAC checks out), but the %" G_GSIZE_FORMAT "-byte state does "
                         "not hold this connection's master secret.", contents.period, len);
  }
  g_bytes_unref (contents.state);
}
