/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-mitm"
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>

#include "hl-engine-private.h"
#include "hl-error.h"
#include "hl-keyschedule.h"
#include "hl-signature.h"

/*
 * The attack scenarios (issue 17): an attacker sits between client and server and runs two real
 * connections — a GnuTLS server towards the client, with its own certificate for server.test
 * signed by its own CA, and a GnuTLS client towards the server. Four sessions, two pipes, one
 * thread, one trace.
 *
 * Each connection is captured by the engine's own callbacks as a run of its own (client and
 * server roles, as in every other scenario); both runs fill the same trace and share one causal
 * order (Run.order). Once the runs are over, the attacker's role in each connection is renamed
 * to the attacker (handshake 0: the TLS server; handshake 1: the TLS client), and the checks run
 * on the finished picture.
 *
 * Sections: names · sessions · driving · relaying · the finished trace · entry point.
 */

#define MAX_ROUNDS 64
/* The attacker turns off compression so that it can read the response (interception proxies
 * do this): one header changed, everything else passed on. */
#define REQUEST "GET /account HTTP/1.1\r\nHost: " HL_PKI_SERVER_NAME "\r\n" \
                "Accept-Encoding: gzip, br\r\n\r\n"
#define CHANGED_HEADER "Accept-Encoding:"
#define CHANGED_VALUE " identity"
#define RESPONSE "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 22\r\n\r\n" \
                 "Balance: 1 234.56 EUR\n"

typedef struct
{
  Run           *front;     /* client ⇄ attacker (handshake 0) */
  Run            back;      /* attacker ⇄ server (handshake 1) */
  HlPki         *pki;
  gboolean       held;      /* the attacker holds the ClientHello while it connects upstream */
  gboolean       released;
  GPtrArray     *chain;     /* what the client was shown */
  int            request;   /* index of the client's request event, or -1 */
  GHashTable    *authored;  /* HlEvent*s whose captions name the attacker already */
} Mitm;

static void
authored (Mitm *mitm, HlEvent *event)
{
  if (event != NULL)
    g_hash_table_add (mitm->authored, g_object_ref (event));
}

/* Names */

static const char *
trust_store (const HlConfig *config)
{
  return config->attack == HL_ATTACK_TRUSTED_CA
           ? "its trust store (Handshake Lens Demo CA, and the attacker's Intercepting Proxy CA)"
           : "its trust store (Handshake Lens Demo CA)";
}

static gboolean
check (int rc, const char *what, GError **error)
{
  return hl_engine_gnutls_ok (rc, what, error);
}

/* Sessions */

/* The attacker reads the ClientHello and, before it answers, connects to the server the client
 * asked for (the SNI name): a GnuTLS server may put its handshake on hold here (GnuTLS ≥ 3.3.5
 * lets the post-ClientHello callback return GNUTLS_E_AGAIN). */
static int
client_hello_cb (gnutls_session_t session)
{
  Peer *peer = gnutls_session_get_ptr (session);
  Mitm *mitm = peer->run->attack;
  char name[256];
  size_t len = sizeof name;
  unsigned type = 0;

  if (mitm == NULL || mitm->released)
    return 0;
  if (!mitm->held)
    {
      mitm->held = TRUE;
      if (peer->run->capture)
        {
          g_autofree char *cap = NULL;
          g_autofree char *tech = NULL;

          if (gnutls_server_name_get (session, name, &len, &type, 0) < 0)
            g_strlcpy (name, "(no name)", sizeof name);
          cap = g_strdup_printf ("The attacker reads the name the client asked for (%s) and, "
                                 "before it answers, opens its own connection to the real "
                                 "server.", name);
          tech = g_strdup_printf ("ClientHello server_name = %s · handshake on hold "
                                  "(post-ClientHello callback → GNUTLS_E_AGAIN)", name);
          authored (mitm, hl_engine_add_action (peer->run, HL_SIDE_SERVER, HL_SIDE_NONE,
                                                "Hold the ClientHello and connect to the server",
                                                HL_CHECK_NONE, cap, tech));
        }
    }
  return GNUTLS_E_AGAIN;
}

/* The client of the no-check scenario: its verify function looks, but never refuses. */
static int
no_check_cb (gnutls_session_t session)
{
  Peer *peer = gnutls_session_get_ptr (session);
  Run *run = peer->run;
  unsigned n = 0;
  const gnutls_datum_t *certs = gnutls_certificate_get_peers (session, &n);

  for (unsigned i = 0; run->attacker_chain && run->attacker_chain->len == 0 && i < n; i++)
    g_ptr_array_add (run->attacker_chain, g_bytes_new (certs[i].data, certs[i].size));
  if (run->capture)
    authored (run->attack,
              hl_engine_add_action (run, HL_SIDE_CLIENT, HL_SIDE_NONE,
                                    "Accept the certificate unchecked",
                          HL_CHECK_FAILED,
                          "The client takes whatever certificate it is given without checking "
                          "who signed it or whom it names. That is the bug: the attacker's "
                          "certificate passes as the server's.",
                          "no gnutls_certificate_verify_peers3 call: chain and name "
                          "unchecked"));
  return 0;
}

static gboolean
setup_front (Mitm *mitm, GError **error)
{
  Run *run = mitm->front;
  const HlConfig *config = run->config;

  if (!check (gnutls_certificate_allocate_credentials (&run->client_cred), "credentials",
              error) ||
      !check (gnutls_certificate_allocate_credentials (&run->server_cred), "credentials",
              error))
    return FALSE;
  if (!hl_pki_trust (mitm->pki, HL_IDENTITY_CA, run->client_cred, error) ||
      (config->attack == HL_ATTACK_TRUSTED_CA &&
       !hl_pki_trust (mitm->pki, HL_IDENTITY_ATTACKER_CA, run->client_cred, error)) ||
      !hl_pki_add_to_credentials (mitm->pki, HL_IDENTITY_SERVER_ATTACKER, run->server_cred,
                                  error))
    return FALSE;
  gnutls_certificate_set_verify_function (run->client_cred,
                                          config->attack == HL_ATTACK_NO_CHECK
                                            ? no_check_cb : hl_engine_verify_cb);
  run->trust = g_strdup (trust_store (config));
  run->attacker_chain = mitm->chain;
  run->pipe = hl_pipe_new ();
  hl_pipe_set_one_record_per_pull (run->pipe, TRUE);
  if (run->capture)
    {
      hl_pipe_set_record_func (run->pipe, hl_engine_record_cb, run);
      hl_pipe_set_read_func (run->pipe, hl_engine_record_read_cb, run);
    }
  if (!hl_engine_setup_peer (run, HL_SIDE_CLIENT) || !hl_engine_setup_peer (run, HL_SIDE_SERVER))
    {
      g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  gnutls_handshake_set_post_client_hello_function (hl_engine_peer_of (run, HL_SIDE_SERVER)->session,
                                                   client_hello_cb);
  return TRUE;
}

static gboolean
setup_back (Mitm *mitm, GError **error)
{
  Run *run = &mitm->back;
  HlIdentity server = run->config->cert == HL_CERT_ECDSA ? HL_IDENTITY_SERVER_ECDSA
                                                         : HL_IDENTITY_SERVER_RSA;

  run->server_identity = server;
  if (!check (gnutls_certificate_allocate_credentials (&run->client_cred), "credentials",
              error) ||
      !check (gnutls_certificate_allocate_credentials (&run->server_cred), "credentials",
              error))
    return FALSE;
  /* the attacker's client trusts the real CA: it wants the real server */
  if (!hl_pki_trust (mitm->pki, HL_IDENTITY_CA, run->client_cred, error) ||
      !hl_pki_add_to_credentials (mitm->pki, server, run->server_cred, error))
    return FALSE;
  gnutls_certificate_set_verify_function (run->client_cred, hl_engine_verify_cb);
  run->trust = g_strdup ("its trust store (Handshake Lens Demo CA)");
  run->pipe = hl_pipe_new ();
  hl_pipe_share_clock (run->pipe, mitm->front->pipe);
  hl_pipe_set_one_record_per_pull (run->pipe, TRUE);
  if (run->capture)
    {
      hl_pipe_set_record_func (run->pipe, hl_engine_record_cb, run);
      hl_pipe_set_read_func (run->pipe, hl_engine_record_read_cb, run);
    }
  if (!hl_engine_setup_peer (run, HL_SIDE_CLIENT) || !hl_engine_setup_peer (run, HL_SIDE_SERVER))
    {
      g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  return TRUE;
}

/* Driving */

static guint64
traffic (Run *run)
{
  return hl_pipe_get_pushed (run->pipe, HL_SIDE_CLIENT) +
         hl_pipe_get_pushed (run->pipe, HL_SIDE_SERVER) +
         hl_pipe_get_pending (run->pipe, HL_SIDE_CLIENT) +
         hl_pipe_get_pending (run->pipe, HL_SIDE_SERVER);
}

/* One gnutls_handshake() call on @peer; TRUE when something happened. */
gboolean
hl_mitm_step (Peer *peer)
{
  guint64 before = traffic (peer->run);
  int rc;

  if (peer->state != PEER_RUNNING)
    return FALSE;
  rc = gnutls_handshake (peer->session);
  if (rc == GNUTLS_E_SUCCESS)
    {
      peer->state = PEER_DONE;
      return TRUE;
    }
  if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED || !gnutls_error_is_fatal (rc))
    return traffic (peer->run) != before;
  hl_engine_peer_failed (peer, rc);
  return TRUE;
}

static gboolean
finished (Run *run)
{
  Peer *c = hl_engine_peer_of (run, HL_SIDE_CLIENT);
  Peer *s = hl_engine_peer_of (run, HL_SIDE_SERVER);

  return (c->state != PEER_RUNNING && s->state != PEER_RUNNING) ||
         (c->state == PEER_FAILED && s->state == PEER_DONE) ||
         (s->state == PEER_FAILED && c->state == PEER_DONE);
}

/* Drives one connection until both ends are done or one failed. */
static gboolean
drive (Run *run, GCancellable *cancellable, GError **error)
{
  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      gboolean progress;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      progress = hl_mitm_step (hl_engine_peer_of (run, HL_SIDE_CLIENT));
      progress |= hl_mitm_step (hl_engine_peer_of (run, HL_SIDE_SERVER));
      if (finished (run))
        return TRUE;
      if (!progress)
        {
          if (hl_engine_peer_of (run, HL_SIDE_CLIENT)->state == PEER_FAILED ||
              hl_engine_peer_of (run, HL_SIDE_SERVER)->state == PEER_FAILED)
            return TRUE;
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_STALLED,
                       "the %s handshake stalled", run->handshake == 0 ? "client's"
                                                                       : "server's");
          return FALSE;
        }
    }
  g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_STALLED,
               "the handshake did not finish in %d rounds", MAX_ROUNDS);
  return FALSE;
}

/* The ClientHello goes out; the attacker reads it and holds it; the attacker's own connection
 * to the server runs to its end; then the attacker answers the client. */
static gboolean
drive_all (Mitm *mitm, GCancellable *cancellable, GError **error)
{
  Run *front = mitm->front;
  Peer *client = hl_engine_peer_of (front, HL_SIDE_CLIENT);
  Peer *attacker = hl_engine_peer_of (front, HL_SIDE_SERVER);

  hl_mitm_step (client);
  for (guint i = 0; i < 4 && !mitm->held && attacker->state == PEER_RUNNING; i++)
    hl_mitm_step (attacker);
  if (!mitm->held)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the attacker did not get to read the ClientHello");
      return FALSE;
    }
  if (!drive (&mitm->back, cancellable, error))
    return FALSE;
  mitm->released = TRUE;
  return drive (front, cancellable, error);
}

/* Reads whatever is queued for @peer (see receive() in hl-engine-traffic.c). */
static ssize_t
receive (Peer *peer, GString *into)
{
  char buf[4096];
  ssize_t rc;

  for (;;)
    {
      rc = gnutls_record_recv (peer->session, buf, sizeof buf);
      if (rc > 0)
        {
          g_string_append_len (into, buf, rc);
          continue;
        }
      if (rc == GNUTLS_E_INTERRUPTED ||
          (rc == GNUTLS_E_AGAIN && hl_pipe_get_pending (peer->run->pipe, peer->side) > 0))
        continue;
      return rc;
    }
}

static gboolean
expect (gboolean ok, GError **error, const char *what)
{
  if (!ok)
    g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED, "%s", what);
  return ok;
}

/* Relaying */

/* The last application-data event @side sent on @run's connection. */
static int
last_app_data (Run *run, HlSide side)
{
  if (!run->capture)
    return -1;
  for (guint i = hl_trace_get_n_events (run->trace); i-- > 0;)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_APP_DATA && hl_event_get_side (event) == side &&
          hl_event_get_handshake (event) == run->handshake)
        return (int) i;
    }
  return -1;
}

static char *
first_line (const char *text)
{
  const char *end = strstr (text, "\r\n");

  return end ? g_strndup (text, end - text) : g_strdup (text);
}

/* The one change the attacker makes: the value of one header, in the bytes it decrypted. */
static char *
change_header (const char *request, char **old_value)
{
  const char *start = strstr (request, CHANGED_HEADER);
  const char *value, *end;

  if (start == NULL)
    return NULL;
  value = start + strlen (CHANGED_HEADER);
  end = strstr (value, "\r\n");
  if (end == NULL)
    return NULL;
  *old_value = g_strstrip (g_strndup (value, end - value));
  return g_strdup_printf ("%.*s%s%s", (int) (value - request), request, CHANGED_VALUE, end);
}

static const char *
why_readable (const HlConfig *config)
{
  return config->attack == HL_ATTACK_NO_CHECK
           ? "The attacker can read this only because the client never checked the certificate"
           : "The attacker can read this only because the client trusts its CA";
}

static gboolean
relay (Mitm *mitm, GError **error)
{
  Run *front = mitm->front;
  Run *back = &mitm->back;
  Peer *client = hl_engine_peer_of (front, HL_SIDE_CLIENT);
  Peer *attacker_in = hl_engine_peer_of (front, HL_SIDE_SERVER);
  Peer *attacker_out = hl_engine_peer_of (back, HL_SIDE_CLIENT);
  Peer *server = hl_engine_peer_of (back, HL_SIDE_SERVER);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autofree char *changed = NULL;
  g_autofree char *old_value = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  ssize_t rc;
  int forwarded;

  /* the client's request, read in the clear by the attacker */
  if (!hl_engine_send_data (client, "Request", NULL, REQUEST, strlen (REQUEST), error))
    return FALSE;
  mitm->request = last_app_data (front, HL_SIDE_CLIENT);
  rc = receive (attacker_in, got);
  if (!expect (rc == GNUTLS_E_AGAIN && g_str_equal (got->str, REQUEST), error,
               "the attacker did not read the client's request"))
    return FALSE;
  changed = change_header (got->str, &old_value);
  if (!expect (changed != NULL, error, "the request has no header to change"))
    return FALSE;
  if (front->capture)
    {
      g_autofree char *line = first_line (got->str);
      g_autofree char *cap = g_strdup_printf ("%s. It decrypts the client's request with the keys "
                                              "of its own connection to the client and reads it "
                                              "in the clear: “%s”, %" G_GSIZE_FORMAT " bytes.",
                                              why_readable (front->config), line, got->len);
      g_autofree char *tech = g_strdup_printf ("gnutls_record_recv on the attacker's server "
                                               "session → %" G_GSIZE_FORMAT " bytes of "
                                               "plaintext", got->len);
      g_autofree char *cap2 = g_strdup_printf ("The attacker changes one header before passing "
                                               "the request on: %s %s becomes%s, so that the "
                                               "response comes back uncompressed and readable. "
                                               "The client cannot tell.", CHANGED_HEADER,
                                               old_value, CHANGED_VALUE);
      g_autofree char *tech2 = g_strdup_printf ("%s %s → %s", CHANGED_HEADER, old_value,
                                                CHANGED_VALUE + 1);

      authored (mitm, hl_engine_add_action (front, HL_SIDE_SERVER, HL_SIDE_NONE,
                                            "Decrypt the client's request", HL_CHECK_NONE, cap,
                                            tech));
      authored (mitm, hl_engine_add_note (front, why_readable (front->config),
                                          front->config->attack == HL_ATTACK_NO_CHECK
                                            ? "The client never looked at who signed the "
                                              "certificate, so the attacker's was as good as "
                                              "the server's: the attacker holds the keys of the "
                                              "client's connection and reads everything on it."
                                            : "The client's check passed: the certificate names "
                                              "server.test and is signed by a CA in its trust "
                                              "store — the attacker's own, installed there. So "
                                              "the attacker holds the keys of the client's "
                                              "connection and reads everything on it.",
                                          "connection 1 keys: client ⇄ attacker · connection 2 "
                                          "keys: attacker ⇄ server"));
      authored (mitm, hl_engine_add_action (back, HL_SIDE_CLIENT, HL_SIDE_NONE,
                                            "Change the request", HL_CHECK_NONE, cap2, tech2));
    }

  /* re-encrypted with the keys of the attacker's connection to the server */
  if (!hl_engine_send_data (attacker_out, "Request (changed)",
                            "The attacker sends the changed request to the server, encrypted "
                            "with the keys of its own connection: to the server it looks like "
                            "any client's.", changed, strlen (changed), error))
    return FALSE;
  forwarded = last_app_data (back, HL_SIDE_CLIENT);
  if (forwarded >= 0 && mitm->request >= 0)
    {
      hl_event_set_forwarded (hl_trace_get_event (back->trace, forwarded), mitm->request);
      authored (mitm, hl_trace_get_event (back->trace, forwarded));
    }
  g_string_truncate (got, 0);
  rc = receive (server, got);
  if (!expect (rc == GNUTLS_E_AGAIN && g_str_equal (got->str, changed), error,
               "the server did not receive the changed request"))
    return FALSE;

  /* the response, read by the attacker and passed on unchanged */
  if (!hl_engine_send_data (server, "Response", NULL, RESPONSE, strlen (RESPONSE), error))
    return FALSE;
  forwarded = last_app_data (back, HL_SIDE_SERVER);
  rc = receive (attacker_out, answer);
  if (!expect (rc == GNUTLS_E_AGAIN && g_str_equal (answer->str, RESPONSE), error,
               "the attacker did not read the response"))
    return FALSE;
  if (front->capture)
    {
      g_autofree char *line = first_line (answer->str);
      g_autofree char *cap = g_strdup_printf ("The attacker decrypts the server's response with "
                                              "the keys of its connection to the server and "
                                              "reads it (“%s”, %" G_GSIZE_FORMAT " bytes), then "
                                              "passes it on.", line, answer->len);

      authored (mitm, hl_engine_add_action (back, HL_SIDE_CLIENT, HL_SIDE_NONE,
                                            "Read the response", HL_CHECK_NONE, cap,
                                            "gnutls_record_recv on the attacker's client "
                                            "session"));
    }
  if (!hl_engine_send_data (attacker_in, "Response (relayed)",
                            "The attacker encrypts the response again with the keys of its "
                            "connection to the client, which takes it for the server's.",
                            answer->str, answer->len, error))
    return FALSE;
  if (forwarded >= 0)
    {
      int relayed = last_app_data (front, HL_SIDE_SERVER);

      if (relayed >= 0)
        {
          hl_event_set_forwarded (hl_trace_get_event (front->trace, relayed), forwarded);
          authored (mitm, hl_trace_get_event (front->trace, relayed));
        }
    }
  g_string_truncate (got, 0);
  rc = receive (client, got);
  return expect (rc == GNUTLS_E_AGAIN && g_str_equal (got->str, RESPONSE), error,
                 "the client did not receive the response");
}

/* close_notify from @from to @to (RFC 8446 §6.1); TRUE when @to saw it. */
static gboolean
close_one (Peer *from, Peer *to)
{
  g_autoptr(GString) ignored = g_string_new (NULL);

  hl_engine_add_close_notify (from);
  gnutls_bye (from->session, GNUTLS_SHUT_WR);
  return receive (to, ignored) == 0;
}

/* The client closes, the attacker closes towards the server, the server answers, the attacker
 * answers the client. After a rejected handshake only the attacker's connection is open. */
static gboolean
close_all (Mitm *mitm, gboolean front_open, GError **error)
{
  Peer *client = hl_engine_peer_of (mitm->front, HL_SIDE_CLIENT);
  Peer *attacker_in = hl_engine_peer_of (mitm->front, HL_SIDE_SERVER);
  Peer *attacker_out = hl_engine_peer_of (&mitm->back, HL_SIDE_CLIENT);
  Peer *server = hl_engine_peer_of (&mitm->back, HL_SIDE_SERVER);

  if (front_open && !close_one (client, attacker_in))
    return expect (FALSE, error, "the attacker did not see the client's close_notify");
  if (!close_one (attacker_out, server))
    return expect (FALSE, error, "the server did not see the attacker's close_notify");
  if (!close_one (server, attacker_out))
    return expect (FALSE, error, "the attacker did not see the server's close_notify");
  if (front_open && !close_one (attacker_in, client))
    return expect (FALSE, error, "the client did not see the attacker's close_notify");
  return TRUE;
}

/* After the client's alert the attacker's session has to read it to know. */
static void
deliver_alert (Run *run)
{
  for (guint i = 0; i < 2; i++)
    {
      Peer *peer = &run->peers[i];
      g_autoptr(GString) ignored = g_string_new (NULL);
      ssize_t rc;

      if (peer->state != PEER_DONE || hl_pipe_get_pending (run->pipe, peer->side) == 0)
        continue;
      rc = receive (peer, ignored);
      if (rc < 0 && rc != GNUTLS_E_AGAIN)
        hl_engine_peer_failed (peer, (int) rc);
    }
}

/* The finished trace */

/* Captions were written with the roles of each connection ("the server" of the client's
 * connection is the attacker): name the attacker. */
static gboolean
attacker_word_cb (const GMatchInfo *info, GString *result, gpointer user_data)
{
  g_autofree char *word = g_match_info_fetch (info, 0);

  g_string_append (result, g_ascii_isupper (word[0]) ? "Attacker" : "attacker");
  return FALSE;
}

static char *
rename_text (GRegex *regex, const char *text)
{
  if (text == NULL)
    return NULL;
  return g_regex_replace_eval (regex, text, -1, 0, 0, attacker_word_cb, NULL, NULL);
}

static HlSide
rename_side (HlSide side, HlSide role)
{
  return side == role ? HL_SIDE_ATTACKER : side;
}

void
hl_mitm_rename_attacker (HlTrace *trace, GHashTable *authored)
{
  /* "server"/"client" as words, not server.test, server_random or ServerHello */
  /* no G_REGEX_OPTIMIZE: a JIT for two replacements per caption is not worth it */
  g_autoptr(GRegex) server_word = g_regex_new ("\\b[Ss]erver\\b(?![._-])", 0, 0, NULL);
  g_autoptr(GRegex) client_word = g_regex_new ("\\b[Cc]lient\\b(?![._-])", 0, 0, NULL);
  GRegex *words[2] = { server_word, client_word };
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  GPtrArray *verifications = hl_trace_get_verifications (trace);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      guint h = MIN (hl_event_get_handshake (event), 1);
      HlSide role = h == 0 ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
      g_autofree char *caption = NULL;
      g_autofree char *technical = NULL;

      if (!g_hash_table_contains (authored, event))
        {
          caption = rename_text (words[h], hl_event_get_caption (event));
          hl_event_set_caption (event, caption);
        }
      /* "never read: the server stopped before it" */
      if (hl_event_get_moment (event) == HL_MOMENT_UNREAD)
        {
          technical = rename_text (words[h], hl_event_get_technical (event));
          hl_event_set_technical (event, technical);
        }
      hl_event_set_sides (event, rename_side (hl_event_get_side (event), role),
                          rename_side (hl_event_get_peer (event), role));
    }
  for (guint i = 0; i < secrets->len; i++)
    {
      HlSecret *secret = g_ptr_array_index (secrets, i);

      secret->holder = rename_side (secret->holder, secret->handshake == 0 ? HL_SIDE_SERVER
                                                                           : HL_SIDE_CLIENT);
    }
  for (guint i = 0; i < verifications->len; i++)
    {
      HlVerification *v = g_ptr_array_index (verifications, i);

      v->verifier = rename_side (v->verifier, v->handshake == 0 ? HL_SIDE_SERVER
                                                                : HL_SIDE_CLIENT);
    }
}

/* Captions only the whole picture can write. */
static void
tell_story (Mitm *mitm)
{
  HlTrace *trace = mitm->front->trace;
  gsize der = mitm->chain->len > 0 ? g_bytes_get_size (g_ptr_array_index (mitm->chain, 0)) : 0;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && hl_event_get_handshake (event) == 0 &&
          hl_event_get_side (event) == HL_SIDE_ATTACKER &&
          g_strcmp0 (hl_event_get_name (event), "Certificate") == 0)
        {
          g_autofree char *cap = g_strdup_printf ("The attacker sends a certificate of its own "
                                                  "(%" G_GSIZE_FORMAT " bytes of DER): the right "
                                                  "name, server.test, but signed by the "
                                                  "attacker's CA, not by the one that signed the "
                                                  "real server's.", der);

          hl_event_set_caption (event, cap);
        }
      else if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
               hl_event_get_handshake (event) == 0 &&
               hl_event_get_side (event) == HL_SIDE_CLIENT &&
               g_strcmp0 (hl_event_get_name (event), "ClientHello") == 0)
        hl_event_set_caption (event, "The client says hello to server.test — but the attacker "
                                     "answers: it sits on the path and takes the connection.");
    }
}

void
hl_mitm_collect (Run *front, Run *back)
{
  hl_engine_collect_negotiated (front);
  hl_engine_collect_negotiated (back);
  hl_engine_flush_leftovers (front);
  hl_engine_flush_leftovers (back);
  hl_engine_join_premaster (front);
  hl_engine_join_premaster (back);
  hl_engine_settle_order (front);
}

void
hl_mitm_set_outcome (HlTrace *trace, Peer *client, Peer *server)
{
  HlOutcome outcome = { 0 };
  g_autofree char *cerr = NULL;
  g_autofree char *serr = NULL;

  outcome.client_ok = client->state == PEER_DONE;
  outcome.server_ok = server->state == PEER_DONE;
  if (client->state == PEER_FAILED)
    outcome.client_error = cerr = g_strdup_printf ("%s (%d)", gnutls_strerror (client->rc),
                                                   client->rc);
  if (server->state == PEER_FAILED)
    outcome.server_error = serr = g_strdup_printf ("%s (%d)", gnutls_strerror (server->rc),
                                                   server->rc);
  outcome.alert_sender = HL_SIDE_NONE;
  /* the first fatal alert: the one a side sent, not the copy an attacker relayed */
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_ALERT && hl_event_get_alert_level (event) == 2)
        {
          outcome.alert_sender = hl_event_get_side (event);
          outcome.alert = hl_event_get_alert_description (event);
          break;
        }
    }
  hl_trace_set_outcome (trace, &outcome);
}

static gboolean
check_outcome (Mitm *mitm, GError **error)
{
  Peer *client = hl_engine_peer_of (mitm->front, HL_SIDE_CLIENT);
  Peer *attacker = hl_engine_peer_of (mitm->front, HL_SIDE_SERVER);
  Peer *attacker_out = hl_engine_peer_of (&mitm->back, HL_SIDE_CLIENT);
  Peer *server = hl_engine_peer_of (&mitm->back, HL_SIDE_SERVER);

  if (attacker_out->state != PEER_DONE || server->state != PEER_DONE)
    return expect (FALSE, error, "the attacker's connection to the server failed");
  if (mitm->front->config->attack == HL_ATTACK_REJECTED)
    return expect (client->state == PEER_FAILED, error,
                   "the client accepted the attacker's certificate although it should not");
  return expect (client->state == PEER_DONE && attacker->state == PEER_DONE, error,
                 "the client's handshake with the attacker failed");
}

/* Entry point */

gboolean
hl_mitm_run (Run *front, GCancellable *cancellable, GError **error)
{
  Mitm mitm = { front, { 0 } };
  gboolean ok = FALSE;

  if (front->config->attack == HL_ATTACK_DOWNGRADE)
    return hl_mitm_relay_run (front, cancellable, error);

  mitm.request = -1;
  mitm.authored = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  front->attack = mitm.back.attack = &mitm;
  mitm.chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  mitm.back.config = front->config;
  mitm.back.capture = front->capture;
  mitm.back.trace = front->trace;
  mitm.back.local = HL_SIDE_NONE;
  mitm.back.handshake = 1;
  mitm.back.order = front;
  front->handshake = 0;

  mitm.pki = hl_pki_get_default (error);
  if (mitm.pki == NULL)
    goto out;
  front->pki = mitm.back.pki = mitm.pki;
  if (front->capture)
    {
      hl_trace_set_n_handshakes (front->trace, 2);
      hl_trace_set_ca_certificate (front->trace,
                                   hl_pki_get_certificate_der (mitm.pki, HL_IDENTITY_CA));
    }
  if (!setup_front (&mitm, error) || !setup_back (&mitm, error))
    goto out;
  if (front->capture)
    hl_trace_set_server_key (front->trace,
                             hl_pki_get_key_pem (mitm.pki, mitm.back.server_identity));

  if (!drive_all (&mitm, cancellable, error))
    goto out;
  if (hl_engine_peer_of (front, HL_SIDE_CLIENT)->state == PEER_DONE &&
      hl_engine_peer_of (front, HL_SIDE_SERVER)->state == PEER_DONE &&
      hl_engine_peer_of (&mitm.back, HL_SIDE_SERVER)->state == PEER_DONE)
    {
      if (!relay (&mitm, error) || !close_all (&mitm, TRUE, error))
        goto out;
    }
  else
    {
      deliver_alert (front);
      if (front->capture)
        authored (&mitm, hl_engine_add_note (front, "The certificate check stopped the attacker",
                                             "The client did not know the CA that signed the "
                                             "attacker's certificate and ended the handshake "
                                             "before sending anything: the attacker learns "
                                             "nothing, and the server never sees the request.",
                                             "unknown_ca · no application data on either "
                                             "connection"));
      if (hl_engine_peer_of (&mitm.back, HL_SIDE_SERVER)->state == PEER_DONE &&
          !close_all (&mitm, FALSE, error))
        goto out;
    }

  if (front->capture)
    {
      HlAttacker info = { 0 };

      hl_mitm_collect (front, &mitm.back);
      hl_mitm_rename_attacker (front->trace, mitm.authored);
      info.ca_certificate = hl_pki_get_certificate_der (mitm.pki, HL_IDENTITY_ATTACKER_CA);
      info.chain = mitm.chain;
      info.trusted = front->config->attack == HL_ATTACK_TRUSTED_CA;
      info.unchecked = front->config->attack == HL_ATTACK_NO_CHECK;
      hl_trace_set_attacker (front->trace, &info);
      tell_story (&mitm);
      if (!hl_keyschedule_apply (front->trace, error))
        goto out;
      hl_engine_apply_signatures (front);
      hl_mitm_set_outcome (front->trace, hl_engine_peer_of (front, HL_SIDE_CLIENT),
                           hl_engine_peer_of (&mitm.back, HL_SIDE_SERVER));
    }
  ok = check_outcome (&mitm, error);

out:
  hl_engine_run_clear (&mitm.back);
  g_clear_pointer (&mitm.back.trust, g_free);
  g_clear_pointer (&front->trust, g_free);
  g_clear_pointer (&mitm.authored, g_hash_table_unref);
  front->attack = NULL;
  g_clear_pointer (&mitm.chain, g_ptr_array_unref);
  front->attacker_chain = NULL;
  if (front->error != NULL && error != NULL && *error == NULL)
    g_propagate_error (error, g_steal_pointer (&front->error));
  return ok;
}
