/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-live"
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "hl-error.h"
#include "hl-keyschedule.h"
#include "hl-signature.h"
#include "hl-live-private.h"

/*
 * Live mode, the conversation (see hl-live-private.h). Sections: sessions and credentials ·
 * what the peer said · the conversation (shared by both directions).
 */

/* Sessions and credentials */

static const char *
priority_for (HlLiveVersions versions)
{
  switch (versions)
    {
    case HL_LIVE_VERSIONS_TLS12: return "NORMAL:-VERS-ALL:+VERS-TLS1.2";
    case HL_LIVE_VERSIONS_TLS13: return "NORMAL:-VERS-ALL:+VERS-TLS1.3";
    default: return "NORMAL";
    }
}

gboolean
hl_live_gnutls_ok (int rc, const char *what, GError **error)
{
  return hl_engine_gnutls_ok (rc, what, error);
}

/* Our session for @side over the run's transport, captured like an in-memory one. */
gboolean
hl_live_setup_local_peer (Run *run, HlSide side, HlLiveVersions versions, GError **error)
{
  Peer *peer = hl_engine_peer_of (run, side);
  Peer *remote = hl_engine_peer_of (run, side == HL_SIDE_CLIENT ? HL_SIDE_SERVER
                                                                : HL_SIDE_CLIENT);
  gboolean server = side == HL_SIDE_SERVER;
  gnutls_datum_t alpn = { (unsigned char *) HL_ENGINE_ALPN, strlen (HL_ENGINE_ALPN) };
  const char *err_pos = NULL;
  int rc;

  for (guint i = 0; i < 2; i++)
    {
      Peer *p = &run->peers[i];

      memset (p, 0, sizeof *p);
      p->run = run;
      p->side = i == 0 ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
      p->last_record = -1;
      g_queue_init (&p->pending);
    }
  remote->remote = TRUE;

  rc = gnutls_init (&peer->session, server ? GNUTLS_SERVER : GNUTLS_CLIENT);
  if (!hl_live_gnutls_ok (rc, "gnutls_init", error))
    return FALSE;
  rc = gnutls_priority_set_direct (peer->session, priority_for (versions), &err_pos);
  if (!hl_live_gnutls_ok (rc, "gnutls_priority_set_direct", error))
    return FALSE;
  rc = gnutls_credentials_set (peer->session, GNUTLS_CRD_CERTIFICATE,
                               server ? run->server_cred : run->client_cred);
  if (!hl_live_gnutls_ok (rc, "gnutls_credentials_set", error))
    return FALSE;
  /* Offered by our client, chosen by our server when the client offers it (RFC 7301). Only
   * http/1.1, unlike the in-memory client: a real server would pick h2, which our HTTP/1.1
   * request does not speak. */
  rc = gnutls_alpn_set_protocols (peer->session, &alpn, 1, 0);
  if (!hl_live_gnutls_ok (rc, "gnutls_alpn_set_protocols", error))
    return FALSE;

  if (!server && run->hostname != NULL && !g_hostname_is_ip_address (run->hostname))
    {
      /* RFC 6066 §3: SNI carries host names only, never addresses. */
      rc = gnutls_server_name_set (peer->session, GNUTLS_NAME_DNS, run->hostname,
                                   strlen (run->hostname));
      if (!hl_live_gnutls_ok (rc, "gnutls_server_name_set", error))
        return FALSE;
    }
  if (server && run->config != NULL && run->config->client_auth)
    gnutls_certificate_server_set_request (peer->session, GNUTLS_CERT_REQUEST);

  hl_socket_transport_attach (run->transport, peer->session);
  hl_engine_attach_capture (run, peer);
  return TRUE;
}

static void
run_free_live (Run *run)
{
  hl_engine_join_premaster (run);
  for (guint i = 0; i < 2; i++)
    {
      g_queue_clear_full (&run->peers[i].pending, g_object_unref);
      g_clear_pointer (&run->peers[i].session, gnutls_deinit);
    }
  g_clear_pointer (&run->server_privkey, gnutls_privkey_deinit);
  g_clear_pointer (&run->client_cred, gnutls_certificate_free_credentials);
  g_clear_pointer (&run->server_cred, gnutls_certificate_free_credentials);
  g_clear_pointer (&run->transport, hl_socket_transport_free);
  hl_engine_clear_order (run);
  g_clear_pointer (&run->hostname, g_free);
  g_clear_pointer (&run->trust, g_free);
  g_clear_error (&run->error);
}

static GBytes *
export_pem (gnutls_x509_crt_t crt)
{
  gnutls_datum_t out = { NULL, 0 };
  GBytes *pem;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out) < 0)
    return NULL;
  pem = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

GBytes *
hl_live_dup_demo_ca_pem (GError **error)
{
  HlPki *pki = hl_pki_get_default (error);
  GBytes *pem;

  if (pki == NULL)
    return NULL;
  pem = export_pem (hl_pki_get_certificate (pki, HL_IDENTITY_CA));
  if (pem == NULL)
    g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP,
                 "could not export the demo CA certificate");
  return pem;
}

/* The trust anchor that vouched for the peer's chain: the issuer of its last certificate, as
 * found among our trusted certificates. */
void
hl_live_record_trust_anchor (Run *run, gnutls_certificate_credentials_t cred, GPtrArray *chain)
{
  gnutls_x509_crt_t last = NULL, issuer = NULL;
  GBytes *der;
  gnutls_datum_t d, out = { NULL, 0 };

  if (chain->len == 0 || gnutls_x509_crt_init (&last) < 0)
    return;
  der = g_ptr_array_index (chain, chain->len - 1);
  d.data = (unsigned char *) g_bytes_get_data (der, NULL);
  d.size = g_bytes_get_size (der);
  if (gnutls_x509_crt_import (last, &d, GNUTLS_X509_FMT_DER) == 0 &&
      gnutls_certificate_get_issuer (cred, last, &issuer, GNUTLS_TL_GET_COPY) == 0 &&
      gnutls_x509_crt_export2 (issuer, GNUTLS_X509_FMT_DER, &out) == 0)
    {
      g_autoptr(GBytes) anchor = g_bytes_new (out.data, out.size);

      hl_trace_set_ca_certificate (run->trace, anchor);
      gnutls_free (out.data);
    }
  if (issuer)
    gnutls_x509_crt_deinit (issuer);
  gnutls_x509_crt_deinit (last);
}

/* What the peer said */

/* The value of an HTTP header in the first lines of @text, or NULL. */
char *
hl_live_http_header (const char *text, gsize len, const char *name)
{
  g_autofree char *copy = g_strndup (text, MIN (len, 8192));
  g_auto(GStrv) lines = g_strsplit (copy, "\n", 64);
  gsize n = strlen (name);

  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\r' && lines[i][0] != '\0'; i++)
    if (g_ascii_strncasecmp (lines[i], name, n) == 0 && lines[i][n] == ':')
      {
        char *value = g_strstrip (g_strdup (lines[i] + n + 1));

        if (*value && g_utf8_validate (value, -1, NULL) && strlen (value) <= 80)
          return value;
        g_free (value);
        return NULL;
      }
  return NULL;
}

char *
hl_live_describe_remote (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_remote_address (socket, NULL);
  GInetAddress *inet;
  g_autofree char *ip = NULL;
  guint16 port;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  ip = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", ip, port);
  return g_strdup_printf ("%s:%u", ip, port);
}

/* The conversation */

Peer *
hl_live_local_peer (Live *live)
{
  return hl_engine_peer_of (&live->run, live->local);
}

static Peer *
remote_peer (Live *live)
{
  return hl_engine_peer_of (&live->run, live->local == HL_SIDE_CLIENT ? HL_SIDE_SERVER
                                                                      : HL_SIDE_CLIENT);
}

static void
set_deadline (Live *live, guint limit_ms, const char *phase)
{
  gint64 until = g_get_monotonic_time () + (gint64) limit_ms * 1000;

  hl_socket_transport_set_deadline (live->run.transport, MIN (until, live->total_deadline),
                                    phase);
}

/* The remote's alert, when it came encrypted (the transport could not read it on the wire). */
static void
add_remote_alert (Live *live, guint level, guint desc)
{
  Run *run = &live->run;
  Peer *remote = remote_peer (live);
  HlEvent *last;

  if (remote->last_record < 0)
    return;
  last = hl_trace_get_event (run->trace, (guint) remote->last_record);
  /* a plaintext alert record was already turned into its alert event */
  if (hl_event_get_content_type (last) == HL_CONTENT_ALERT &&
      hl_event_get_epoch (last) == HL_EPOCH_PLAINTEXT)
    return;
  hl_engine_add_remote_item (run, hl_engine_alert_event (run, remote->side, level, desc));
}

/* Turns a failed transport or GnuTLS call into the error the caller gets, when there is no
 * TLS conversation to show. Returns FALSE with @error set in that case. */
static gboolean
transport_failed (Live *live, int rc, const char *what, GError **error)
{
  HlSocketTransport *t = live->run.transport;
  g_autoptr(GError) io = hl_socket_transport_take_error (t);

  if (hl_socket_transport_not_tls (t))
    {
      g_autoptr(GBytes) first = hl_socket_transport_get_first_bytes (t);
      g_autofree char *said = hl_socket_transport_describe_bytes (first);

      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_NOT_TLS,
                   "%s is not speaking TLS: its first bytes were %s", live->live.address, said);
      return FALSE;
    }
  if (io != NULL)
    {
      if (g_error_matches (io, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      else if (g_error_matches (io, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_TIMED_OUT, "%s: %s", live->live.address,
                     io->message);
      else
        g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_NETWORK, "%s: %s during %s",
                     live->live.address, io->message, what);
      return FALSE;
    }
  if (hl_socket_transport_peer_closed (t) &&
      (rc == GNUTLS_E_PREMATURE_TERMINATION || rc == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
       rc == GNUTLS_E_PULL_ERROR))
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_NETWORK,
                   "%s closed the connection during %s (after %" G_GUINT64_FORMAT " bytes)",
                   live->live.address, what, hl_socket_transport_get_received (t));
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_live_handshake (Live *live, GError **error)
{
  Peer *peer = hl_live_local_peer (live);
  int rc;

  set_deadline (live, live->options.handshake_timeout_ms, "the handshake");
  do
    rc = gnutls_handshake (peer->session);
  while (rc < 0 && !gnutls_error_is_fatal (rc));

  if (rc == GNUTLS_E_SUCCESS)
    {
      peer->state = PEER_DONE;
      remote_peer (live)->state = PEER_DONE;
      return TRUE;
    }
  if (!transport_failed (live, rc, "the handshake", error))
    return FALSE;

  if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED)
    {
      live->peer_sent_alert = TRUE;
      live->peer_alert = gnutls_alert_get (peer->session);
      add_remote_alert (live, GNUTLS_AL_FATAL, live->peer_alert);
      remote_peer (live)->state = PEER_FAILED;
    }
  /* Records our side's failure, and sends the alert that tells the peer why. */
  hl_engine_peer_failed (peer, rc);
  return TRUE;
}

gboolean
hl_live_send_app_data (Live *live, const char *name, const char *data, gsize len, GError **error)
{
  Peer *peer = hl_live_local_peer (live);
  g_autoptr(GError) local_error = NULL;

  set_deadline (live, live->options.handshake_timeout_ms, name);
  if (hl_engine_send_data (peer, name, NULL, data, len, &local_error))
    return TRUE;
  if (!transport_failed (live, GNUTLS_E_PUSH_ERROR, name, error))
    return FALSE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* One record of the peer's application data, as our session read it: an event of the peer's. */
static void
add_app_data (Live *live, const char *name, const char *buf, gsize n)
{
  Run *run = &live->run;
  Peer *peer = hl_live_local_peer (live);
  Peer *remote = remote_peer (live);
  HlEvent *event = hl_engine_new_event (run, HL_EVENT_APP_DATA, remote->side, peer->side, name);
  g_autoptr(GBytes) bytes = g_bytes_new (buf, n);
  g_autofree char *cap = g_strdup_printf ("The %s sends %zd bytes of application data, "
                                          "encrypted and authenticated with the %s: an "
                                          "eavesdropper sees only their length.",
                                          remote->side == HL_SIDE_CLIENT ? "client" : "server",
                                          (ssize_t) n,
                                          hl_engine_keys_words (peer->session,
                                                                HL_EPOCH_APPLICATION));
  g_autofree char *tech = g_strdup_printf ("application_data · %zd bytes of plaintext, "
                                           "as our session read them", (ssize_t) n);

  hl_event_set_bytes (event, bytes);
  hl_event_set_content_type (event, HL_CONTENT_APPLICATION_DATA);
  hl_event_set_caption (event, cap);
  hl_event_set_technical (event, tech);
  hl_engine_add_remote_item (run, event);
  g_string_append_len (live->received, buf, (gssize) n);
}

/* Reading ended with @rc, which is not an alert: TRUE when that is how the peer or the deadline
 * ends a conversation (a TCP close without close_notify, no more data in time), said as a step
 * of ours; FALSE with the error otherwise. */
static gboolean
stopped_reading (Live *live, const char *name, ssize_t rc, GError **error)
{
  Run *run = &live->run;
  Peer *peer = hl_live_local_peer (live);
  Peer *remote = remote_peer (live);
  g_autoptr(GError) io = NULL;

  if (hl_socket_transport_peer_closed (run->transport) &&
      (rc == GNUTLS_E_PREMATURE_TERMINATION || rc == GNUTLS_E_UNEXPECTED_PACKET_LENGTH))
    {
      g_autofree char *cap = g_strdup_printf ("The %s closed the TCP connection without "
                                              "sending close_notify first (RFC 8446 §6.1 "
                                              "asks for one).",
                                              remote->side == HL_SIDE_CLIENT ? "client"
                                                                             : "server");

      hl_engine_add_action (run, peer->side, HL_SIDE_NONE, "Connection closed by the peer",
                            HL_CHECK_NONE, cap, "TCP end of stream without close_notify");
      return TRUE;
    }
  io = hl_socket_transport_take_error (run->transport);
  if (io != NULL && !g_error_matches (io, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_propagate_error (error, g_steal_pointer (&io));
      return FALSE;
    }
  if (io != NULL)
    {
      g_autofree char *cap = g_strdup_printf ("Nothing more came within the time limit "
                                              "(%s); Handshake Lens stops waiting.",
                                              io->message);

      hl_engine_add_action (run, peer->side, HL_SIDE_NONE, "Stop waiting", HL_CHECK_NONE,
                            cap, io->message);
      return TRUE;
    }
  g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_GNUTLS,
               "%s: reading the %s failed: %s (%zd)", live->live.address, name,
               gnutls_strerror ((int) rc), rc);
  return FALSE;
}

/* Reads the peer's application data until @done says it is complete, the peer closes, the
 * capture limit or the deadline. Each record read becomes one event of the peer's. */
gboolean
hl_live_receive_app_data (Live *live, const char *name, gboolean (*done) (GString *),
                          GError **error)
{
  Peer *peer = hl_live_local_peer (live);
  Peer *remote = remote_peer (live);
  char buf[16384];

  set_deadline (live, live->options.handshake_timeout_ms, name);
  for (;;)
    {
      ssize_t rc = gnutls_record_recv (peer->session, buf, sizeof buf);

      if (rc > 0)
        {
          add_app_data (live, name, buf, (gsize) rc);
          if ((done && done (live->received)) ||
              live->received->len >= live->options.capture_limit)
            return TRUE;
          continue;
        }
      if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED ||
          rc == GNUTLS_E_GOT_APPLICATION_DATA || rc == GNUTLS_E_REHANDSHAKE)
        continue;
      if (rc == 0)
        {
          /* close_notify (RFC 8446 §6.1) */
          live->peer_closed_tls = TRUE;
          add_remote_alert (live, GNUTLS_AL_WARNING, GNUTLS_A_CLOSE_NOTIFY);
          return TRUE;
        }
      if (rc == GNUTLS_E_WARNING_ALERT_RECEIVED)
        {
          add_remote_alert (live, GNUTLS_AL_WARNING, gnutls_alert_get (peer->session));
          continue;
        }
      if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED)
        {
          live->peer_sent_alert = TRUE;
          live->peer_alert = gnutls_alert_get (peer->session);
          add_remote_alert (live, GNUTLS_AL_FATAL, live->peer_alert);
          remote->state = PEER_FAILED;
          hl_engine_peer_failed (peer, (int) rc);
          return TRUE;
        }
      return stopped_reading (live, name, rc, error);
    }
}

void
hl_live_close_ours (Live *live)
{
  Peer *peer = hl_live_local_peer (live);

  set_deadline (live, 2000, "close_notify");
  hl_engine_add_close_notify (peer);
  gnutls_bye (peer->session, GNUTLS_SHUT_WR);
  g_clear_error (&live->run.error);
}

static void
live_outcome (Live *live)
{
  Run *run = &live->run;
  Peer *peer = hl_live_local_peer (live);
  HlOutcome outcome = { 0 };
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  gboolean local_ok = peer->state == PEER_DONE;

  if (peer->state == PEER_FAILED && peer->rc != GNUTLS_E_FATAL_ALERT_RECEIVED)
    ours = g_strdup_printf ("%s (%d)", gnutls_strerror (peer->rc), peer->rc);
  if (live->peer_sent_alert)
    {
      const char *name = hl_alert_description_name (live->peer_alert);

      theirs = g_strdup_printf ("sent the fatal alert %s", name ? name : "?");
    }
  else if (!local_ok)
    theirs = g_strdup ("did not finish the handshake");
  if (live->local == HL_SIDE_CLIENT)
    {
      outcome.client_ok = local_ok;
      outcome.server_ok = local_ok && !live->peer_sent_alert;
      outcome.client_error = ours;
      outcome.server_error = local_ok ? NULL : theirs;
    }
  else
    {
      outcome.server_ok = local_ok;
      outcome.client_ok = local_ok && !live->peer_sent_alert;
      outcome.server_error = ours;
      outcome.client_error = local_ok ? NULL : theirs;
    }
  outcome.alert_sender = HL_SIDE_NONE;
  for (guint i = hl_trace_get_n_events (run->trace); i-- > 0;)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_ALERT && hl_event_get_alert_level (event) == 2)
        {
          outcome.alert_sender = hl_event_get_side (event);
          outcome.alert = hl_event_get_alert_description (event);
          break;
        }
    }
  hl_trace_set_outcome (run->trace, &outcome);
}

gboolean
hl_live_request_complete (GString *text)
{
  return strstr (text->str, "\r\n\r\n") != NULL || strstr (text->str, "\n\n") != NULL;
}

/* After the conversation: negotiated values, the key schedule, the live facts. */
HlTrace *
hl_live_finish (Live *live, GError **error)
{
  Run *run = &live->run;

  hl_engine_collect_negotiated (run);
  hl_engine_flush_leftovers (run);
  hl_engine_join_premaster (run);
  hl_engine_settle_order (run);
  if (!hl_keyschedule_apply (run->trace, error))
    return NULL;
  hl_signature_apply (run->trace);
  live_outcome (live);
  live->live.truncated = hl_socket_transport_is_truncated (run->transport);
  live->live.bytes_sent = hl_socket_transport_get_sent (run->transport);
  live->live.bytes_received = hl_socket_transport_get_received (run->transport);
  hl_trace_set_live (run->trace, &live->live);
  hl_trace_set_library_version (run->trace, gnutls_check_version (NULL));
  hl_trace_finish (run->trace);
  return g_object_ref (run->trace);
}

void
hl_live_clear (Live *live)
{
  run_free_live (&live->run);
  g_clear_object (&live->run.trace);
  g_free (live->live.address);
  g_free (live->live.server_name);
  g_free (live->live.software);
  g_free (live->live.trust);
  hl_live_options_clear (&live->options);
  if (live->received)
    g_string_free (live->received, TRUE);
}

void
hl_live_init (Live *live, const HlLiveOptions *options, HlSide local)
{
  memset (live, 0, sizeof *live);
  hl_live_options_copy (&live->options, options);
  live->local = local;
  live->live.local = local;
  live->run.local = local;
  live->run.capture = TRUE;
  live->run.config = &live->config;
  live->config.client_auth = options->client_auth;
  live->received = g_string_new (NULL);
  live->total_deadline = g_get_monotonic_time () + (gint64) options->total_timeout_ms * 1000;
}
