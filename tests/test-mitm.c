/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>

#include "hl-engine.h"
#include "hl-export.h"
#include "hl-keyschedule.h"
#include "hl-print.h"
#include "hl-trace-check.h"
#include "hl-trace-io.h"

/*
 * The attacker in the middle (issue 17), from the trace of real runs: who takes part, what
 * goes over each of the two connections, who sends which alert, what the attacker read and
 * what the server got, and that each connection has its own checked key schedule.
 */

static HlTrace *
get_trace (const char *id)
{
  static GHashTable *traces;
  HlTrace *trace;

  if (traces == NULL)
    traces = g_hash_table_new (g_str_hash, g_str_equal);
  trace = g_hash_table_lookup (traces, id);
  if (trace == NULL)
    {
      g_autoptr(GError) error = NULL;

      trace = hl_engine_run_scenario (id, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (trace);
      g_hash_table_insert (traces, (gpointer) id, trace);
    }
  return trace;
}

/* The names of the messages @side sent on connection @handshake, in order. */
static char *
messages_on (HlTrace *trace, guint handshake, HlSide side)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_handshake (event) == handshake && hl_event_get_side (event) == side &&
          (hl_event_get_kind (event) == HL_EVENT_MESSAGE ||
           hl_event_get_kind (event) == HL_EVENT_ALERT ||
           hl_event_get_kind (event) == HL_EVENT_APP_DATA))
        g_string_append_printf (s, "%s%s", s->len ? " " : "", hl_event_get_name (event));
    }
  return g_string_free (s, FALSE);
}

static int
find (HlTrace *trace, guint handshake, HlEventKind kind, HlSide side, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_handshake (event) == handshake && hl_event_get_kind (event) == kind &&
          hl_event_get_side (event) == side && g_strcmp0 (hl_event_get_name (event), name) == 0)
        return (int) i;
    }
  return -1;
}

static GBytes *
bytes_of (HlTrace *trace, int index)
{
  g_assert_cmpint (index, >=, 0);
  return hl_event_get_bytes (hl_trace_get_event (trace, (guint) index));
}

/* Four participants: the three lifelines of every trace and the attacker, each connection
 * between its two ends. */
static void
test_participants (gconstpointer data)
{
  HlTrace *trace = get_trace (data);
  const HlAttacker *attacker = hl_trace_get_attacker (trace);
  gboolean seen[HL_SIDE_ATTACKER + 1] = { FALSE };
  HlSide client, server;

  g_assert_nonnull (attacker);
  g_assert_cmpuint (hl_trace_get_n_handshakes (trace), ==, 2);
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlSide side = hl_event_get_side (event), peer = hl_event_get_peer (event);

      seen[side] = TRUE;
      seen[peer] = TRUE;
      if (hl_event_get_kind (event) != HL_EVENT_RECORD)
        continue;
      /* connection 1 joins client and attacker, connection 2 attacker and server */
      hl_trace_get_endpoints (trace, hl_event_get_handshake (event), &client, &server);
      g_assert_true ((side == client && peer == server) || (side == server && peer == client));
    }
  g_assert_true (seen[HL_SIDE_CLIENT]);
  g_assert_true (seen[HL_SIDE_ATTACKER]);
  g_assert_true (seen[HL_SIDE_SERVER]);
  g_assert_true (seen[HL_SIDE_CA]);   /* the verification steps consult it */
  hl_trace_get_endpoints (trace, 0, &client, &server);
  g_assert_cmpint (client, ==, HL_SIDE_CLIENT);
  g_assert_cmpint (server, ==, HL_SIDE_ATTACKER);
  hl_trace_get_endpoints (trace, 1, &client, &server);
  g_assert_cmpint (client, ==, HL_SIDE_ATTACKER);
  g_assert_cmpint (server, ==, HL_SIDE_SERVER);

  /* the attacker showed the client its own certificate for server.test, from its own CA */
  g_assert_cmpuint (attacker->chain->len, ==, 1);
  g_assert_nonnull (attacker->ca_certificate);
  g_assert_false (g_bytes_equal (g_ptr_array_index (attacker->chain, 0),
                                 g_ptr_array_index (hl_trace_get_server_chain (trace), 0)));
  g_assert_false (g_bytes_equal (attacker->ca_certificate, hl_trace_get_ca_certificate (trace)));
  g_assert_true (attacker->trusted == (strcmp (data, "mitm-trusted-ca") == 0));
  g_assert_true (attacker->unchecked == (strcmp (data, "mitm-no-check") == 0));
}

#define TLS13_SERVER "ServerHello ChangeCipherSpec EncryptedExtensions Certificate " \
                     "CertificateVerify Finished"

/* The client refuses the attacker's certificate: the real alert, from the client, to the
 * attacker; the server never gets application data. */
static void
test_rejected (void)
{
  HlTrace *trace = get_trace ("mitm-rejected");
  g_autofree char *client = messages_on (trace, 0, HL_SIDE_CLIENT);
  g_autofree char *attacker_in = messages_on (trace, 0, HL_SIDE_ATTACKER);
  g_autofree char *attacker_out = messages_on (trace, 1, HL_SIDE_ATTACKER);
  g_autofree char *server = messages_on (trace, 1, HL_SIDE_SERVER);
  const HlOutcome *outcome = hl_trace_get_outcome (trace);
  GPtrArray *vs = hl_trace_get_verifications (trace);
  int alert = find (trace, 0, HL_EVENT_ALERT, HL_SIDE_CLIENT, "unknown_ca");
  int verify = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_CLIENT, "Verify the certificate chain");
  int abort = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_ATTACKER, "Abort on alert");
  HlEvent *event;

  g_assert_cmpstr (client, ==, "ClientHello ChangeCipherSpec unknown_ca");
  g_assert_cmpstr (attacker_in, ==, TLS13_SERVER);
  g_assert_cmpstr (attacker_out, ==, "ClientHello ChangeCipherSpec Finished close_notify");
  g_assert_cmpstr (server, ==, TLS13_SERVER " close_notify");

  /* the real alert: fatal unknown_ca, sent by the client, read by the attacker's GnuTLS */
  g_assert_cmpint (alert, >=, 0);
  event = hl_trace_get_event (trace, (guint) alert);
  g_assert_cmpuint (hl_event_get_alert_level (event), ==, 2);
  g_assert_cmpuint (hl_event_get_alert_description (event), ==, GNUTLS_A_UNKNOWN_CA);
  g_assert_cmpint (hl_event_get_peer (event), ==, HL_SIDE_ATTACKER);
  g_assert_cmpint (hl_event_get_moment (event), ==, HL_MOMENT_PROCESSED);
  g_assert_cmpint (outcome->alert_sender, ==, HL_SIDE_CLIENT);
  g_assert_cmpuint (outcome->alert, ==, GNUTLS_A_UNKNOWN_CA);
  g_assert_false (outcome->client_ok);
  g_assert_true (outcome->server_ok);
  g_assert_cmpint (verify, >=, 0);
  g_assert_cmpint (verify, <, alert);
  g_assert_cmpint (hl_event_get_check (hl_trace_get_event (trace, (guint) verify)), ==,
                   HL_CHECK_FAILED);
  g_assert_cmpint (abort, >, alert);

  /* the client's GnuTLS found the issuer unknown; the attacker's found the server fine */
  g_assert_cmpuint (vs->len, ==, 2);
  for (guint i = 0; i < vs->len; i++)
    {
      const HlVerification *v = g_ptr_array_index (vs, i);

      if (v->verifier == HL_SIDE_CLIENT)
        {
          g_assert_false (v->trusted);
          g_assert_true (v->status & GNUTLS_CERT_SIGNER_NOT_FOUND);
          g_assert_cmpuint (v->handshake, ==, 0);
        }
      else
        {
          g_assert_cmpint (v->verifier, ==, HL_SIDE_ATTACKER);
          g_assert_true (v->trusted);
          g_assert_cmpuint (v->handshake, ==, 1);
        }
    }

  /* no application data at all: nothing reached the server, nothing left the client */
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    g_assert_cmpint (hl_event_get_kind (hl_trace_get_event (trace, i)), !=, HL_EVENT_APP_DATA);
  /* the client never got application keys: only the attacker derived connection 1's */
  {
    const HlSecret *s = hl_trace_find_secret (trace, "CLIENT_TRAFFIC_SECRET_0", 0);

    g_assert_true (s == NULL || s->holder == HL_SIDE_ATTACKER);
  }
}

/* The attacker reads the client's request in the clear, changes one header, and the server gets
 * the changed request; the response comes back through it. */
static void
test_intercepted (gconstpointer data)
{
  HlTrace *trace = get_trace (data);
  int request = find (trace, 0, HL_EVENT_APP_DATA, HL_SIDE_CLIENT, "Request");
  int changed = find (trace, 1, HL_EVENT_APP_DATA, HL_SIDE_ATTACKER, "Request (changed)");
  int response = find (trace, 1, HL_EVENT_APP_DATA, HL_SIDE_SERVER, "Response");
  int relayed = find (trace, 0, HL_EVENT_APP_DATA, HL_SIDE_ATTACKER, "Response (relayed)");
  int decrypt = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_ATTACKER,
                      "Decrypt the client's request");
  GBytes *sent, *received;
  g_autofree char *sent_text = NULL;
  g_autofree char *received_text = NULL;
  g_autofree char *client = messages_on (trace, 0, HL_SIDE_CLIENT);
  g_autofree char *server = messages_on (trace, 1, HL_SIDE_SERVER);
  guint server_data = 0;

  g_assert_cmpstr (client, ==, "ClientHello ChangeCipherSpec Finished Request close_notify");
  g_assert_cmpstr (server, ==, TLS13_SERVER " Response close_notify");
  g_assert_cmpint (request, >=, 0);
  g_assert_cmpint (changed, >, request);
  g_assert_cmpint (decrypt, >, request);
  g_assert_cmpint (decrypt, <, changed);
  g_assert_cmpint (response, >, changed);
  g_assert_cmpint (relayed, >, response);

  /* what was forwarded is linked to what the attacker read */
  g_assert_cmpint (hl_event_get_forwarded (hl_trace_get_event (trace, (guint) changed)), ==,
                   request);
  g_assert_cmpint (hl_event_get_forwarded (hl_trace_get_event (trace, (guint) relayed)), ==,
                   response);
  g_assert_cmpint (hl_event_get_forwarded (hl_trace_get_event (trace, (guint) request)), ==, -1);

  /* The attacker's plaintext is the client's request: the record that carried it decrypts, with
   * connection 1's keys, to exactly those bytes (hl-keyschedule checked it against them). */
  sent = bytes_of (trace, request);
  received = bytes_of (trace, changed);
  {
    HlEvent *record = hl_trace_get_event (trace, (guint) hl_event_get_record (
                                            hl_trace_get_event (trace, (guint) request)));

    g_assert_cmpint (hl_event_get_check (record), ==, HL_CHECK_OK);
    g_assert_true (g_bytes_equal (hl_event_get_plaintext (record), sent));
  }
  /* … and differs from what the server received, in the one header the attacker changed */
  g_assert_false (g_bytes_equal (sent, received));
  sent_text = g_strndup (g_bytes_get_data (sent, NULL), g_bytes_get_size (sent));
  received_text = g_strndup (g_bytes_get_data (received, NULL), g_bytes_get_size (received));
  g_assert_nonnull (strstr (sent_text, "Accept-Encoding: gzip, br\r\n"));
  g_assert_nonnull (strstr (received_text, "Accept-Encoding: identity\r\n"));
  g_assert_null (strstr (received_text, "gzip"));
  g_assert_true (g_str_has_prefix (received_text,
                                   "GET /account HTTP/1.1\r\nHost: server.test\r\n"));
  {
    HlEvent *record = hl_trace_get_event (trace, (guint) hl_event_get_record (
                                            hl_trace_get_event (trace, (guint) changed)));

    g_assert_cmpint (hl_event_get_check (record), ==, HL_CHECK_OK);
    g_assert_true (g_bytes_equal (hl_event_get_plaintext (record), received));
    g_assert_cmpint (hl_event_get_peer (record), ==, HL_SIDE_SERVER);
  }
  /* the response is relayed unchanged */
  g_assert_true (g_bytes_equal (bytes_of (trace, response), bytes_of (trace, relayed)));

  /* the server got one item of application data, and it came from the attacker */
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_APP_DATA &&
          hl_event_get_peer (event) == HL_SIDE_SERVER)
        {
          server_data++;
          g_assert_cmpint (hl_event_get_side (event), ==, HL_SIDE_ATTACKER);
        }
    }
  g_assert_cmpuint (server_data, ==, 1);
  g_assert_true (hl_trace_get_outcome (trace)->client_ok);
  g_assert_true (hl_trace_get_outcome (trace)->server_ok);
  g_assert_cmpint (hl_trace_get_outcome (trace)->alert_sender, ==, HL_SIDE_NONE);
}

/* Each connection has its own key schedule, re-derived and checked; the client's keys are not
 * the server's. */
static void
test_key_schedules (gconstpointer data)
{
  HlTrace *trace = get_trace (data);
  gboolean rejected = strcmp (data, "mitm-rejected") == 0;
  static const char *const both[] = {
    "client_handshake_write_key.derived", "server_handshake_write_key.derived",
    "server_verify_data", NULL,
  };
  static const char *const finished[] = {
    "client_write_key.derived", "server_write_key.derived", "client_verify_data", NULL,
  };
  guint records[2] = { 0, 0 };

  for (guint h = 0; h < 2; h++)
    {
      for (guint i = 0; both[i]; i++)
        {
          const HlSecret *s = hl_trace_find_secret (trace, both[i], h);

          g_assert_nonnull (s);
          g_assert_nonnull (s->value);
          g_assert_cmpint (s->check, ==, HL_CHECK_OK);
        }
      for (guint i = 0; finished[i]; i++)
        {
          const HlSecret *s = hl_trace_find_secret (trace, finished[i], h);

          if (rejected && h == 0 && g_str_equal (finished[i], "client_verify_data"))
            {
              /* the client stopped before its Finished; the application keys are the
               * attacker's, derived after its own Finished */
              g_assert_null (s);
              continue;
            }
          if (rejected && h == 0 && g_str_equal (finished[i], "client_write_key.derived"))
            {
              /* derived from the attacker's secret, but no record and no GnuTLS value to
               * compare it with: not comparable, never wrong */
              g_assert_nonnull (s);
              g_assert_cmpint (s->check, ==, HL_CHECK_NONE);
              continue;
            }
          g_assert_nonnull (s);
          g_assert_cmpint (s->check, ==, HL_CHECK_OK);
        }
    }
  /* two connections, two sets of keys */
  g_assert_false (g_bytes_equal (
    hl_trace_find_secret (trace, "client_handshake_write_key", 0)->value,
    hl_trace_find_secret (trace, "client_handshake_write_key", 1)->value));
  if (!rejected)
    g_assert_false (g_bytes_equal (hl_trace_find_secret (trace, "client_write_key", 0)->value,
                                   hl_trace_find_secret (trace, "client_write_key", 1)->value));

  /* every protected record of either connection decrypted to what was captured */
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) != HL_EVENT_RECORD ||
          hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT)
        continue;
      g_assert_cmpint (hl_event_get_check (event), ==, HL_CHECK_OK);
      records[hl_event_get_handshake (event)]++;
    }
  g_assert_cmpuint (records[0], >=, rejected ? 4 : 8);
  g_assert_cmpuint (records[1], >=, rejected ? 6 : 8);

  /* and a fresh computation agrees */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HlKeySchedule) ks = hl_keyschedule_compute (trace, &error);

    g_assert_no_error (error);
    g_assert_cmpint (hl_keyschedule_find (ks, "server_verify_data", 0)->check, ==, HL_CHECK_OK);
    g_assert_cmpint (hl_keyschedule_find (ks, "server_verify_data", 1)->check, ==, HL_CHECK_OK);
  }
}

/* Saved and opened again: the same trace, and the opened-trace check finds nothing wrong. The
 * exports hold both connections. */
static void
test_file_and_exports (gconstpointer data)
{
  HlTrace *trace = get_trace (data);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *json = hl_trace_to_data (trace, &len);
  g_autoptr(HlTrace) loaded = hl_trace_load_data (json, len, &error);
  g_autoptr(GString) why = g_string_new (NULL);
  g_autoptr(HlTraceCheck) check = NULL;
  g_autofree char *keylog = hl_trace_dup_keylog (trace);
  g_auto(GStrv) lines = g_strsplit (keylog, "\n", -1);
  g_autoptr(GHashTable) randoms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GBytes) pcapng = NULL;
  g_autofree char *text = hl_trace_dup_text (trace, HL_PRINT_DEFAULT);

  g_assert_no_error (error);
  g_assert_true (hl_trace_equal (trace, loaded, why));
  g_assert_nonnull (hl_trace_get_attacker (loaded));
  check = hl_trace_check (loaded);
  if (hl_trace_check_count (check) != 0)
    {
      g_autofree char *listing = hl_trace_check_dup_text (check);

      g_test_message ("%s", listing);
    }
  g_assert_cmpuint (hl_trace_check_count (check), ==, 0);

  /* the key log names both connections by their client randoms */
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", 3);

      if (g_strv_length (f) == 3)
        g_hash_table_add (randoms, g_strdup (f[1]));
    }
  g_assert_cmpuint (g_hash_table_size (randoms), ==, 2);

  pcapng = hl_trace_to_pcapng (trace, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pcapng);

  g_assert_nonnull (strstr (text, "participants   Client, Attacker, Server, "
                                  "Certificate Authority"));
  if (strcmp (data, "mitm-rejected") == 0)
    g_assert_nonnull (strstr (text, "server got     0 application-data items"));
  else
    g_assert_nonnull (strstr (text, "Accept-Encoding: identity"));
}

/* A client that checks nothing: no verification by the client at all, and its acceptance is
 * marked as the bug it is. */
static void
test_no_check (void)
{
  HlTrace *trace = get_trace ("mitm-no-check");
  GPtrArray *vs = hl_trace_get_verifications (trace);
  int accept = find (trace, 0, HL_EVENT_ACTION, HL_SIDE_CLIENT,
                     "Accept the certificate unchecked");

  g_assert_cmpint (accept, >=, 0);
  g_assert_cmpint (hl_event_get_check (hl_trace_get_event (trace, (guint) accept)), ==,
                   HL_CHECK_FAILED);
  for (guint i = 0; i < vs->len; i++)
    g_assert_cmpint (((HlVerification *) g_ptr_array_index (vs, i))->verifier, !=,
                     HL_SIDE_CLIENT);
}

/* "attacker" is a side only where the trace has an attacker; the loader names the member. */
static void
test_attacker_needs_attacker (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) direct = hl_engine_run_scenario ("tls13", NULL, &error);
  g_autofree char *json = hl_trace_to_data (direct, NULL);
  char *at = strstr (json, "\"side\" : \"server\"");
  g_autoptr(GString) edited = g_string_new (NULL);
  g_autoptr(HlTrace) loaded = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (at);
  g_string_append_len (edited, json, at - json);
  g_string_append (edited, "\"side\" : \"attacker\"");
  g_string_append (edited, at + strlen ("\"side\" : \"server\""));
  loaded = hl_trace_load_data (edited->str, edited->len, &error);
  g_assert_null (loaded);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "side"));
  g_assert_nonnull (strstr (error->message, "no attacker"));
}

int
main (int argc, char *argv[])
{
  static const char *const ids[] = { "mitm-rejected", "mitm-trusted-ca", "mitm-no-check" };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *p = g_strdup_printf ("/protocol/mitm/participants/%s", ids[i]);
      g_autofree char *k = g_strdup_printf ("/protocol/mitm/key-schedules/%s", ids[i]);
      g_autofree char *f = g_strdup_printf ("/protocol/mitm/file-and-exports/%s", ids[i]);

      g_test_add_data_func (p, ids[i], test_participants);
      g_test_add_data_func (k, ids[i], test_key_schedules);
      g_test_add_data_func (f, ids[i], test_file_and_exports);
    }
  g_test_add_func ("/protocol/mitm/rejected", test_rejected);
  g_test_add_data_func ("/protocol/mitm/intercepted/trusted-ca", "mitm-trusted-ca",
                        test_intercepted);
  g_test_add_data_func ("/protocol/mitm/intercepted/no-check", "mitm-no-check",
                        test_intercepted);
  g_test_add_func ("/protocol/mitm/no-check", test_no_check);
  g_test_add_func ("/protocol/mitm/attacker-needs-attacker", test_attacker_needs_attacker);
  return g_test_run ();
}
