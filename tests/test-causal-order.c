/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hl-engine.h"
#include "hl-scenario.h"
#include "hl-trace.h"

/*
 * The order of a trace is causal: what a side does with a message stands after that message,
 * and before the messages that need it. Checked on every scenario with the dependencies a TLS
 * teacher would name (RFC 5246 §7.3, RFC 8446 §2 and §7):
 * - TLS 1.3: a side derives its handshake keys after the hello it needs (ServerHello for the
 *   client, the last ClientHello for the server) and before reading anything encrypted with them
 * - RSA key exchange: the server decrypts the premaster after the ClientKeyExchange and before
 *   the client's Finished
 * - TLS 1.2 ECDHE: the client computes the shared secret between the server's share and its
 *   own, the server after the client's share; each before it derives the master secret
 * - a side verifies the peer's chain after the peer's Certificate and before the peer's Finished
 * - a side compares the peer's Finished right after reading it: no wire message in between
 * - a failure alert comes after the failed check of the side that sends it
 * - a side's received messages are processed in the order they were sent (TCP keeps order)
 */

static int
find (HlTrace *trace, guint handshake, HlEventKind kind, HlSide side, const char *name,
      gboolean last)
{
  int found = -1;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      /* by TLS role: the attacker is the server of connection 1 and the client of 2 */
      if (hl_event_get_handshake (event) == handshake && hl_event_get_kind (event) == kind &&
          hl_event_get_role (event) == side && g_strcmp0 (hl_event_get_name (event), name) == 0)
        {
          found = (int) i;
          if (!last)
            break;
        }
    }
  return found;
}

static HlSide
other (HlSide side)
{
  return side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
}

static const char *
who (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "client" : "server";
}

#define BEFORE(a, b, what)                                                                     \
  G_STMT_START {                                                                               \
    if ((a) >= 0 && (b) >= 0 && !((a) < (b)))                                                  \
      g_error ("%s: %s (event %d should come before event %d)", id, what, (int) (a), (int) (b)); \
  } G_STMT_END

static void
test_scenario (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario (id, NULL, &error);
  guint checked = 0;

  g_assert_no_error (error);
  g_assert_false (hl_trace_is_order_approximate (trace));

  for (guint h = 0; h < hl_trace_get_n_handshakes (trace); h++)
    for (HlSide side = HL_SIDE_CLIENT; side <= HL_SIDE_SERVER; side++)
      {
        HlSide peer = other (side);
        int keys = find (trace, h, HL_EVENT_ACTION, side, "Derive the handshake keys", FALSE);
        int peer_cert = find (trace, h, HL_EVENT_MESSAGE, peer, "Certificate", FALSE);
        int peer_fin = find (trace, h, HL_EVENT_MESSAGE, peer, "Finished", FALSE);
        int verify = find (trace, h, HL_EVENT_ACTION, side, "Verify the certificate chain", FALSE);
        int compare = find (trace, h, HL_EVENT_ACTION, side, "Compare the Finished hash", FALSE);

        if (keys >= 0)
          {
            int hello = side == HL_SIDE_CLIENT
                          ? find (trace, h, HL_EVENT_MESSAGE, peer, "ServerHello", FALSE)
                          : find (trace, h, HL_EVENT_MESSAGE, peer, "ClientHello", TRUE);
            int encrypted = find (trace, h, HL_EVENT_MESSAGE, peer,
                                  side == HL_SIDE_CLIENT ? "EncryptedExtensions" : "Finished",
                                  FALSE);

            g_assert_cmpint (hello, >=, 0);
            BEFORE (hello, keys, "the hello before the handshake keys derived from it");
            BEFORE (keys, encrypted, "the handshake keys before what they decrypt");
            checked += 2;
          }
        if (verify >= 0)
          {
            g_assert_cmpint (peer_cert, >=, 0);
            BEFORE (peer_cert, verify, "the Certificate before its chain is verified");
            BEFORE (verify, peer_fin, "the chain verified before the peer's Finished is read");
            checked += 2;
          }
        if (compare >= 0)
          {
            g_assert_cmpint (peer_fin, >=, 0);
            BEFORE (peer_fin, compare, "the peer's Finished before it is compared");
            for (int i = peer_fin + 1; i < compare; i++)
              {
                HlEventKind kind = hl_event_get_kind (hl_trace_get_event (trace, i));

                if (kind == HL_EVENT_MESSAGE || kind == HL_EVENT_ALERT || kind == HL_EVENT_APP_DATA)
                  g_error ("%s: the %s compares the Finished at %d, but event %d comes first", id,
                           who (side), compare, i);
              }
            checked++;
          }

        /* received messages are processed in the order they were sent */
        {
          gint64 last_sent = -1;

          for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
            {
              HlEvent *event = hl_trace_get_event (trace, i);

              if (hl_event_get_handshake (event) != h || hl_event_get_role (event) != peer ||
                  hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
                  hl_event_get_moment (event) != HL_MOMENT_PROCESSED)
                continue;
              g_assert_cmpint (hl_event_get_sent_timestamp (event), >=, last_sent);
              g_assert_cmpint (hl_event_get_sent_timestamp (event), <=,
                               hl_event_get_timestamp (event));
              last_sent = hl_event_get_sent_timestamp (event);
              checked++;
            }
        }
      }

  /* RSA key exchange: the server opens the premaster between the two messages */
  {
    int decrypt = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_SERVER, "Decrypt the premaster secret",
                        FALSE);

    if (decrypt >= 0)
      {
        BEFORE (find (trace, 0, HL_EVENT_MESSAGE, HL_SIDE_CLIENT, "ClientKeyExchange", FALSE),
                decrypt, "the ClientKeyExchange before the premaster is decrypted");
        BEFORE (decrypt, find (trace, 0, HL_EVENT_MESSAGE, HL_SIDE_CLIENT, "Finished", FALSE),
                "the premaster decrypted before the client's Finished is read");
        checked += 2;
      }
  }

  /* TLS 1.2 ECDHE (RFC 8422 §5.10): the client computes the shared secret from the server's
   * share before it sends its own; the server once it has read the client's; each before it
   * derives the master secret from it */
  {
    int ske = find (trace, 0, HL_EVENT_MESSAGE, HL_SIDE_SERVER, "ServerKeyExchange", FALSE);
    int cke = find (trace, 0, HL_EVENT_MESSAGE, HL_SIDE_CLIENT, "ClientKeyExchange", FALSE);

    if (ske >= 0 && cke >= 0)
      {
        const char *compute = "Compute the shared secret";
        const char *derive = "Derive the master secret and session keys";
        int client = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_CLIENT, compute, FALSE);
        int server = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_SERVER, compute, FALSE);
        int server_derive = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_SERVER, derive, FALSE);

        g_assert_cmpint (client, >=, 0);
        BEFORE (ske, client, "the server's share before the client computes the secret");
        BEFORE (client, cke, "the client computes the secret before it sends its share");
        BEFORE (client, find (trace, 0, HL_EVENT_ACTION, HL_SIDE_CLIENT, derive, FALSE),
                "the client's shared secret before its master secret");
        /* a server that stopped before the ClientKeyExchange computes nothing */
        if (hl_event_get_moment (hl_trace_get_event (trace, cke)) == HL_MOMENT_PROCESSED &&
            server_derive >= 0)
          {
            g_assert_cmpint (server, >=, 0);
            BEFORE (cke, server, "the client's share before the server computes the secret");
            BEFORE (server, server_derive, "the server's shared secret before its master secret");
            checked += 2;
          }
        else
          g_assert_cmpint (server, <, 0);
        checked += 3;
      }
  }

  /* a failure alert follows the failed check (or abort) of the side that sends it */
  {
    const HlOutcome *outcome = hl_trace_get_outcome (trace);

    if (outcome->alert_sender != HL_SIDE_NONE)
      {
        int alert = -1, failed = -1;

        for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
          {
            HlEvent *event = hl_trace_get_event (trace, i);

            if (hl_event_get_side (event) != outcome->alert_sender)
              continue;
            if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
                hl_event_get_check (event) == HL_CHECK_FAILED && failed < 0)
              failed = (int) i;
            if (hl_event_get_kind (event) == HL_EVENT_ALERT &&
                hl_event_get_alert_level (event) == 2 && alert < 0)
              alert = (int) i;
          }
        g_assert_cmpint (failed, >=, 0);
        g_assert_cmpint (alert, >=, 0);
        BEFORE (failed, alert, "the failed check before the alert that reports it");
        checked++;
      }
  }
  /* an attacker in the middle: it reads the client's hello before it connects to the server,
   * and reads the request before it forwards it */
  /* an attacker in the middle: it acts on the client's hello before the server reads one —
   * holds it while it connects, or (mitm-downgrade, relaying bytes) changes it — and answers
   * the client once the server has answered it; it reads the request before it forwards it */
  if (hl_trace_get_attacker (trace) != NULL)
    {
      gboolean relay = g_str_equal (id, "mitm-downgrade");
      int act = relay ? find (trace, 1, HL_EVENT_ACTION, HL_SIDE_CLIENT, "Hide the TLS 1.3 offer",
                              FALSE)
                      : find (trace, 0, HL_EVENT_ACTION, HL_SIDE_SERVER,
                              "Hold the ClientHello and connect to the server", FALSE);
      int decrypt = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_SERVER,
                          "Decrypt the client's request", FALSE);
      int forwarded = find (trace, 1, HL_EVENT_APP_DATA, HL_SIDE_CLIENT, "Request (changed)",
                            FALSE);

      g_assert_cmpint (act, >=, 0);
      BEFORE (find (trace, 0, HL_EVENT_MESSAGE, HL_SIDE_CLIENT, "ClientHello", FALSE), act,
              "the client's hello before the attacker acts on it");
      BEFORE (act, find (trace, 1, HL_EVENT_MESSAGE, HL_SIDE_CLIENT, "ClientHello", FALSE),
              "the attacker acts before the server reads a hello");
      BEFORE (find (trace, 1, HL_EVENT_MESSAGE, HL_SIDE_SERVER, relay ? "ServerHello" : "Finished",
                    FALSE),
              find (trace, 0, HL_EVENT_MESSAGE, HL_SIDE_SERVER, "ServerHello", FALSE),
              "the attacker answers the client once the server has answered it");
      if (decrypt >= 0)
        {
          BEFORE (find (trace, 0, HL_EVENT_APP_DATA, HL_SIDE_CLIENT, "Request", FALSE), decrypt,
                  "the request before the attacker reads it");
          BEFORE (decrypt, forwarded, "the attacker reads the request before it forwards it");
          checked += 2;
        }
      checked += 3;
    }
  g_assert_cmpuint (checked, >, 0);
}

int
main (int argc, char *argv[])
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/causal-order/%s", all[i].id);

      g_test_add_data_func (path, all[i].id, test_scenario);
    }
  return g_test_run ();
}
