/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-live"
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "hl-engine-private.h"
#include "hl-error.h"
#include "hl-keyschedule.h"
#include "hl-signature.h"
#include "hl-live.h"

/*
 * Sections: options · sessions and credentials · what the peer said · the conversation (shared
 * by both directions) · connect · listen · public API.
 *
 * A live run is a Run (hl-engine-private.h) with one Peer of ours and one remote Peer: the
 * same callbacks capture our session; the remote's messages are taken from our session's
 * incoming hook, its records from the transport when GnuTLS starts reading them. Each step of
 * the conversation has a deadline; the whole exchange has one too.
 */

#define LIVE_ALPN "http/1.1"
#define SERVER_BODY "Hello from Handshake Lens. This response, and everything before it, was " \
                    "captured and decrypted by the server you are talking to.\n"

/* Options */

void
hl_live_options_init (HlLiveOptions *options)
{
  memset (options, 0, sizeof *options);
  options->connect_timeout_ms = HL_LIVE_DEFAULT_CONNECT_TIMEOUT_MS;
  options->handshake_timeout_ms = HL_LIVE_DEFAULT_HANDSHAKE_TIMEOUT_MS;
  options->total_timeout_ms = HL_LIVE_DEFAULT_TOTAL_TIMEOUT_MS;
  options->capture_limit = HL_LIVE_DEFAULT_CAPTURE_LIMIT;
}

void
hl_live_options_clear (HlLiveOptions *options)
{
  g_clear_pointer (&options->host, g_free);
  g_clear_pointer (&options->server_name, g_free);
  g_clear_pointer (&options->ca_file, g_free);
  g_clear_pointer (&options->request, g_free);
  g_clear_pointer (&options->address, g_free);
  g_clear_pointer (&options->cert_file, g_free);
  g_clear_pointer (&options->key_file, g_free);
}

void
hl_live_options_copy (HlLiveOptions *dest, const HlLiveOptions *src)
{
  *dest = *src;
  dest->host = g_strdup (src->host);
  dest->server_name = g_strdup (src->server_name);
  dest->ca_file = g_strdup (src->ca_file);
  dest->request = g_strdup (src->request);
  dest->address = g_strdup (src->address);
  dest->cert_file = g_strdup (src->cert_file);
  dest->key_file = g_strdup (src->key_file);
}

gboolean
hl_live_parse_address (const char *text, const char *default_host, guint16 default_port,
                       char **host, guint16 *port, GError **error)
{
  g_autofree char *h = NULL;
  const char *port_text = NULL;
  guint64 value;

  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s”: an IPv6 address is written [address]:port", text);
          return FALSE;
        }
      h = g_strndup (text + 1, end - text - 1);
      port_text = end[1] == ':' ? end + 2 : NULL;
    }
  else if (g_ascii_string_to_unsigned (text, 10, 0, 65535, &value, NULL) && default_host)
    {
      h = g_strdup (default_host);
      port_text = text;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon != NULL && strchr (text, ':') == colon)
        {
          h = g_strndup (text, colon - text);
          port_text = colon + 1;
        }
      else
        h = g_strdup (text); /* a bare host, or a bare IPv6 address */
    }

  if (*h == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” names no host", text);
      return FALSE;
    }
  if (port_text == NULL)
    value = default_port;
  else if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s”: the port must be a number from 1 to 65535", text);
      return FALSE;
    }
  *host = g_steal_pointer (&h);
  *port = (guint16) value;
  return TRUE;
}

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

static gboolean
gnutls_ok (int rc, const char *what, GError **error)
{
  if (rc >= 0)
    return TRUE;
  g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP, "%s: %s (%d)", what,
               gnutls_strerror (rc), rc);
  return FALSE;
}

/* Our session for @side over the run's transport, captured like an in-memory one. */
static gboolean
setup_local_peer (Run *run, HlSide side, HlLiveVersions versions, GError **error)
{
  Peer *peer = hl_engine_peer_of (run, side);
  Peer *remote = hl_engine_peer_of (run, side == HL_SIDE_CLIENT ? HL_SIDE_SERVER
                                                                : HL_SIDE_CLIENT);
  gboolean server = side == HL_SIDE_SERVER;
  gnutls_datum_t alpn = { (unsigned char *) LIVE_ALPN, strlen (LIVE_ALPN) };
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
  if (!gnutls_ok (rc, "gnutls_init", error))
    return FALSE;
  rc = gnutls_priority_set_direct (peer->session, priority_for (versions), &err_pos);
  if (!gnutls_ok (rc, "gnutls_priority_set_direct", error))
    return FALSE;
  rc = gnutls_credentials_set (peer->session, GNUTLS_CRD_CERTIFICATE,
                               server ? run->server_cred : run->client_cred);
  if (!gnutls_ok (rc, "gnutls_credentials_set", error))
    return FALSE;
  /* Offered by our client, chosen by our server when the client offers it (RFC 7301). */
  rc = gnutls_alpn_set_protocols (peer->session, &alpn, 1, 0);
  if (!gnutls_ok (rc, "gnutls_alpn_set_protocols", error))
    return FALSE;

  if (!server && run->hostname != NULL && !g_hostname_is_ip_address (run->hostname))
    {
      /* RFC 6066 §3: SNI carries host names only, never addresses. */
      rc = gnutls_server_name_set (peer->session, GNUTLS_NAME_DNS, run->hostname,
                                   strlen (run->hostname));
      if (!gnutls_ok (rc, "gnutls_server_name_set", error))
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
static void
record_trust_anchor (Run *run, gnutls_certificate_credentials_t cred, GPtrArray *chain)
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
static char *
http_header (const char *text, gsize len, const char *name)
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

static char *
describe_remote (GSocket *socket)
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

typedef struct
{
  Run           run;
  HlConfig      config;      /* only client_auth is used */
  HlLive        live;
  gint64        total_deadline;
  HlLiveOptions options;
  HlSide        local;
  GString      *received;    /* application data from the peer */
  gboolean      peer_closed_tls; /* it sent close_notify */
  guint         peer_alert;  /* the fatal alert it sent, or 0 */
  gboolean      peer_sent_alert;
} Live;

static Peer *
local_peer (Live *live)
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

static gboolean
handshake (Live *live, GError **error)
{
  Peer *peer = local_peer (live);
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

static gboolean
send_app_data (Live *live, const char *name, const char *data, gsize len, GError **error)
{
  Peer *peer = local_peer (live);
  g_autoptr(GError) local_error = NULL;

  set_deadline (live, live->options.handshake_timeout_ms, name);
  if (hl_engine_send_data (peer, name, NULL, data, len, &local_error))
    return TRUE;
  if (!transport_failed (live, GNUTLS_E_PUSH_ERROR, name, error))
    return FALSE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Reads the peer's application data until @done says it is complete, the peer closes, the
 * capture limit or the deadline. Each record read becomes one event of the peer's. */
static gboolean
receive_app_data (Live *live, const char *name, gboolean (*done) (GString *), GError **error)
{
  Run *run = &live->run;
  Peer *peer = local_peer (live);
  Peer *remote = remote_peer (live);
  char buf[16384];

  set_deadline (live, live->options.handshake_timeout_ms, name);
  for (;;)
    {
      ssize_t rc = gnutls_record_recv (peer->session, buf, sizeof buf);

      if (rc > 0)
        {
          HlEvent *event = hl_engine_new_event (run, HL_EVENT_APP_DATA, remote->side, peer->side,
                                                name);
          g_autoptr(GBytes) bytes = g_bytes_new (buf, (gsize) rc);
          g_autofree char *cap = g_strdup_printf ("The %s sends %zd bytes of application data, "
                                                  "encrypted and authenticated with the session "
                                                  "keys: an eavesdropper sees only their length.",
                                                  remote->side == HL_SIDE_CLIENT ? "client"
                                                                                 : "server", rc);
          g_autofree char *tech = g_strdup_printf ("application_data · %zd bytes of plaintext, "
                                                   "as our session read them", rc);

          hl_event_set_bytes (event, bytes);
          hl_event_set_content_type (event, HL_CONTENT_APPLICATION_DATA);
          hl_event_set_caption (event, cap);
          hl_event_set_technical (event, tech);
          hl_engine_add_remote_item (run, event);
          g_string_append_len (live->received, buf, rc);
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
      {
        g_autoptr(GError) io = hl_socket_transport_take_error (run->transport);

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
      }
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_GNUTLS,
                   "%s: reading the %s failed: %s (%zd)", live->live.address, name,
                   gnutls_strerror ((int) rc), rc);
      return FALSE;
    }
}

static void
close_ours (Live *live)
{
  Peer *peer = local_peer (live);

  set_deadline (live, 2000, "close_notify");
  hl_engine_add_close_notify (peer);
  gnutls_bye (peer->session, GNUTLS_SHUT_WR);
  g_clear_error (&live->run.error);
}

static void
live_outcome (Live *live)
{
  Run *run = &live->run;
  Peer *peer = local_peer (live);
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

static gboolean
request_complete (GString *text)
{
  return strstr (text->str, "\r\n\r\n") != NULL || strstr (text->str, "\n\n") != NULL;
}

/* After the conversation: negotiated values, the key schedule, the live facts. */
static HlTrace *
finish_live (Live *live, GError **error)
{
  Run *run = &live->run;

  hl_engine_collect_negotiated (run);
  hl_engine_flush_leftovers (run);
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

static void
live_clear (Live *live)
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

static void
live_init (Live *live, const HlLiveOptions *options, HlSide local)
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

/* Connect */

static char *
default_request (const char *host, guint16 port)
{
  g_autofree char *authority = port == 443 ? g_strdup (host)
                               : strchr (host, ':') ? g_strdup_printf ("[%s]:%u", host, port)
                                                    : g_strdup_printf ("%s:%u", host, port);

  return g_strdup_printf ("HEAD / HTTP/1.1\r\nHost: %s\r\nUser-Agent: handshake-lens/%s\r\n"
                          "Accept: */*\r\nConnection: close\r\n\r\n", authority, PACKAGE_VERSION);
}

static gboolean
client_credentials (Live *live, GError **error)
{
  Run *run = &live->run;
  int rc;

  if (!gnutls_ok (gnutls_certificate_allocate_credentials (&run->client_cred),
                  "allocating client credentials", error))
    return FALSE;
  if (live->options.ca_file)
    {
      rc = gnutls_certificate_set_x509_trust_file (run->client_cred, live->options.ca_file,
                                                   GNUTLS_X509_FMT_PEM);
      if (rc <= 0)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP,
                       "%s: %s", live->options.ca_file,
                       rc == 0 ? "no PEM certificate in this file" : gnutls_strerror (rc));
          return FALSE;
        }
      run->trust = g_strdup_printf ("the CA file %s", live->options.ca_file);
    }
  else
    {
      rc = gnutls_certificate_set_x509_system_trust (run->client_cred);
      if (rc < 0)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP,
                       "the system trust store could not be loaded: %s (%d)",
                       gnutls_strerror (rc), rc);
          return FALSE;
        }
      run->trust = g_strdup ("the system trust store");
    }
  gnutls_certificate_set_verify_function (run->client_cred, hl_engine_verify_cb);
  return TRUE;
}

static HlTrace *
connect_run (Live *live, GCancellable *cancellable, GError **error)
{
  Run *run = &live->run;
  const HlLiveOptions *o = &live->options;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *request = NULL;
  guint16 port = o->port ? o->port : 443;
  GSocket *socket;

  if (o->host == NULL || *o->host == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no host to connect to");
      return NULL;
    }
  run->hostname = g_strdup (o->server_name && *o->server_name ? o->server_name : o->host);
  if (!client_credentials (live, error))
    return NULL;

  /* direct: a proxy would put its own hop (and lookups of its own) into the capture */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, MAX (1u, (o->connect_timeout_ms + 999) / 1000));
  connection = g_socket_client_connect_to_host (client, o->host, port, cancellable,
                                                &local_error);
  if (connection == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_TIMED_OUT,
                     "could not connect to %s port %u: timed out after %u s", o->host, port,
                     MAX (1u, (o->connect_timeout_ms + 999) / 1000));
      else
        {
          /* GIO says "Could not connect to HOST: reason"; keep the reason */
          const char *reason = strrchr (local_error->message, ':');

          reason = reason && g_str_has_prefix (local_error->message, "Could not connect")
                     ? reason + 2 : local_error->message;
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_NETWORK,
                       "could not connect to %s port %u: %s", o->host, port, reason);
        }
      return NULL;
    }
  socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (socket, 0);

  live->live.address = describe_remote (socket);
  live->live.server_name = g_strdup (run->hostname);
  live->live.trust = g_strdup (run->trust);
  {
    g_autofree char *title = g_strdup_printf ("Connect to %s", run->hostname);
    g_autofree char *description =
      g_strdup_printf ("Handshake Lens's GnuTLS client meets the real server at %s (%s), checks "
                       "its certificate against %s, sends one request and reads the answer. "
                       "The server's private values stay with it.", live->live.address,
                       run->hostname, run->trust);

    run->trace = hl_trace_new ("live-connect", title, description);
  }
  run->transport = hl_socket_transport_new (socket, HL_SIDE_CLIENT, o->capture_limit,
                                            cancellable);
  hl_socket_transport_set_record_func (run->transport, hl_engine_record_cb, run);
  if (!setup_local_peer (run, HL_SIDE_CLIENT, o->versions, error))
    return NULL;

  if (!handshake (live, error))
    return NULL;
  if (local_peer (live)->state == PEER_DONE)
    {
      if (run->client_cred)
        record_trust_anchor (run, run->client_cred, hl_trace_get_server_chain (run->trace));
      request = o->request ? g_strcompress (o->request) : default_request (o->host, port);
      if (!send_app_data (live, "Request", request, strlen (request), error) ||
          !receive_app_data (live, "Response", NULL, error))
        return NULL;
      live->live.software = http_header (live->received->str, live->received->len, "Server");
      if (local_peer (live)->state == PEER_DONE)
        close_ours (live);
    }
  return finish_live (live, error);
}

HlTrace *
hl_live_connect (const HlLiveOptions *options, GCancellable *cancellable, GError **error)
{
  Live live;
  HlTrace *trace;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  live_init (&live, options, HL_SIDE_CLIENT);
  trace = connect_run (&live, cancellable, error);
  live_clear (&live);
  return trace;
}

gboolean
hl_live_trace_succeeded (HlTrace *trace, char **why)
{
  const HlLive *live = hl_trace_get_live (trace);
  const HlOutcome *outcome = hl_trace_get_outcome (trace);
  gboolean ok;
  const char *ours, *theirs;

  g_return_val_if_fail (live != NULL, FALSE);

  ok = outcome->client_ok && outcome->server_ok;
  if (ok || why == NULL)
    return ok;
  ours = live->local == HL_SIDE_CLIENT ? outcome->client_error : outcome->server_error;
  theirs = live->local == HL_SIDE_CLIENT ? outcome->server_error : outcome->client_error;
  if (ours != NULL)
    *why = g_strdup_printf ("our %s failed: %s", hl_side_to_string (live->local), ours);
  else
    *why = g_strdup_printf ("the %s at %s %s", live->local == HL_SIDE_CLIENT ? "server" : "client",
                            live->address ? live->address : "?", theirs ? theirs : "failed");
  return FALSE;
}

/* Listen */

struct _HlLiveListener
{
  GSocketListener *listener;
  HlLiveOptions    options;
  char            *address;
  guint16          port;
};

HlLiveListener *
hl_live_listener_new (const HlLiveOptions *options, GError **error)
{
  g_autoptr(HlLiveListener) self = g_new0 (HlLiveListener, 1);
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  const char *host;

  g_return_val_if_fail (options != NULL, NULL);

  hl_live_options_copy (&self->options, options);
  host = options->address && *options->address ? options->address : "127.0.0.1";
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address to listen on", host);
      return NULL;
    }
  if (options->cert_file != NULL && options->key_file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "a certificate file needs its key file (--key)");
      return NULL;
    }
  address = g_inet_socket_address_new (inet, options->port);
  self->listener = g_socket_listener_new ();
  if (!g_socket_listener_add_address (self->listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    return NULL;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->address = g_strdup (host);
  return g_steal_pointer (&self);
}

void
hl_live_listener_free (HlLiveListener *self)
{
  if (self == NULL)
    return;
  if (self->listener)
    g_socket_listener_close (self->listener);
  g_clear_object (&self->listener);
  hl_live_options_clear (&self->options);
  g_free (self->address);
  g_free (self);
}

guint16
hl_live_listener_get_port (HlLiveListener *self)
{
  return self->port;
}

const char *
hl_live_listener_get_address (HlLiveListener *self)
{
  return self->address;
}

char *
hl_live_listener_dup_commands (HlLiveListener *self, const char *ca_path)
{
  const char *name = HL_PKI_SERVER_NAME;
  gboolean v6 = strchr (self->address, ':') != NULL;
  g_autofree char *connect = v6 ? g_strdup_printf ("[%s]:%u", self->address, self->port)
                                : g_strdup_printf ("%s:%u", self->address, self->port);
  g_autofree char *resolve = v6 ? g_strdup_printf ("[%s]", self->address)
                                : g_strdup (self->address);

  if (self->options.cert_file != NULL)
    return g_strdup_printf ("curl --cacert %s https://%s/\n"
                            "openssl s_client -connect %s -CAfile %s\n",
                            ca_path, connect, connect, ca_path);
  return g_strdup_printf ("curl --cacert %s --resolve %s:%u:%s https://%s:%u/\n"
                          "openssl s_client -connect %s -servername %s -CAfile %s\n"
                          "gnutls-cli --x509cafile %s --sni-hostname %s -p %u %s\n",
                          ca_path, name, self->port, resolve, name, self->port,
                          connect, name, ca_path,
                          ca_path, name, self->port, self->address);
}

static gboolean
server_credentials (Live *live, GError **error)
{
  Run *run = &live->run;
  const HlLiveOptions *o = &live->options;
  gnutls_x509_privkey_t key;
  int rc;

  run->pki = hl_pki_get_default (error);
  if (run->pki == NULL)
    return FALSE;
  if (!gnutls_ok (gnutls_certificate_allocate_credentials (&run->server_cred),
                  "allocating server credentials", error) ||
      !gnutls_ok (gnutls_privkey_init (&run->server_privkey), "gnutls_privkey_init", error))
    return FALSE;
  /* client certificates are checked against the demo CA */
  if (!hl_pki_trust (run->pki, HL_IDENTITY_CA, run->server_cred, error))
    return FALSE;
  gnutls_certificate_set_verify_function (run->server_cred, hl_engine_verify_cb);

  if (o->cert_file != NULL)
    {
      gnutls_datum_t data = { NULL, 0 };

      rc = gnutls_certificate_set_x509_key_file (run->server_cred, o->cert_file, o->key_file,
                                                 GNUTLS_X509_FMT_PEM);
      if (rc < 0)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP, "%s / %s: %s (%d)",
                       o->cert_file, o->key_file, gnutls_strerror (rc), rc);
          return FALSE;
        }
      /* our own copy of the key, to open an RSA premaster as the server does */
      if (gnutls_load_file (o->key_file, &data) == 0)
        {
          if (gnutls_privkey_import_x509_raw (run->server_privkey, &data, GNUTLS_X509_FMT_PEM,
                                              NULL, 0) < 0)
            g_clear_pointer (&run->server_privkey, gnutls_privkey_deinit);
          gnutls_memset (data.data, 0, data.size);
          gnutls_free (data.data);
        }
      else
        g_clear_pointer (&run->server_privkey, gnutls_privkey_deinit);
      return TRUE;
    }

  run->server_identity = HL_IDENTITY_SERVER_RSA;
  if (!hl_pki_add_to_credentials (run->pki, run->server_identity, run->server_cred, error))
    return FALSE;
  key = hl_pki_get_key (run->pki, run->server_identity);
  if (!gnutls_ok (gnutls_privkey_import_x509 (run->server_privkey, key, 0),
                  "importing the server key", error))
    return FALSE;
  return TRUE;
}

/* What our server sent in its Certificate message: its chain, leaf first (the client's side
 * records the server chain in memory runs; here the client is not ours). */
static void
record_own_chain (Live *live)
{
  Run *run = &live->run;
  gnutls_x509_crt_t *crts = NULL;
  unsigned n = 0;

  if (hl_trace_get_server_chain (run->trace)->len > 0 ||
      gnutls_certificate_get_x509_crt (run->server_cred, 0, &crts, &n) < 0)
    return;
  for (unsigned i = 0; i < n; i++)
    {
      gnutls_datum_t der = { NULL, 0 };

      if (gnutls_x509_crt_export2 (crts[i], GNUTLS_X509_FMT_DER, &der) == 0)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (der.data, der.size);

          hl_trace_add_server_certificate (run->trace, bytes);
          gnutls_free (der.data);
        }
      gnutls_x509_crt_deinit (crts[i]);
    }
  gnutls_free (crts);
}

static char *
server_response (void)
{
  return g_strdup_printf ("HTTP/1.1 200 OK\r\nServer: handshake-lens/%s\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n%s",
                          PACKAGE_VERSION, strlen (SERVER_BODY), SERVER_BODY);
}

static HlTrace *
serve_run (Live *live, GSocket *socket, GCancellable *cancellable, GError **error)
{
  Run *run = &live->run;
  Peer *peer;

  if (!server_credentials (live, error))
    return NULL;
  live->live.address = describe_remote (socket);
  live->live.trust = g_strdup ("the Handshake Lens Demo CA");
  {
    g_autofree char *title = g_strdup_printf ("Client at %s", live->live.address);
    g_autofree char *description =
      g_strdup_printf ("A real client at %s meets Handshake Lens's GnuTLS server, which shows "
                       "the demo certificate for %s. The client's private values stay with it.",
                       live->live.address, HL_PKI_SERVER_NAME);

    run->trace = hl_trace_new ("live-listen", title, description);
  }
  if (run->pki && live->options.cert_file == NULL)
    {
      hl_trace_set_ca_certificate (run->trace, hl_pki_get_certificate_der (run->pki,
                                                                           HL_IDENTITY_CA));
      hl_trace_set_server_key (run->trace, hl_pki_get_key_pem (run->pki, run->server_identity));
    }
  g_socket_set_timeout (socket, 0);
  run->transport = hl_socket_transport_new (socket, HL_SIDE_SERVER, live->options.capture_limit,
                                            cancellable);
  hl_socket_transport_set_record_func (run->transport, hl_engine_record_cb, run);
  if (!setup_local_peer (run, HL_SIDE_SERVER, live->options.versions, error))
    return NULL;
  peer = local_peer (live);

  if (!handshake (live, error))
    return NULL;
  record_own_chain (live);
  {
    char name[256];
    size_t size = sizeof name;
    unsigned type = 0;

    if (gnutls_server_name_get (peer->session, name, &size, &type, 0) == 0 &&
        type == GNUTLS_NAME_DNS && g_utf8_validate (name, -1, NULL))
      live->live.server_name = g_strndup (name, size);
  }
  if (peer->state == PEER_DONE)
    {
      g_autofree char *response = server_response ();

      if (!receive_app_data (live, "Request", request_complete, error))
        return NULL;
      live->live.software = http_header (live->received->str, live->received->len,
                                         "User-Agent");
      if (peer->state == PEER_DONE && live->received->len > 0 && !live->peer_closed_tls &&
          !send_app_data (live, "Response", response, strlen (response), error))
        return NULL;
      if (peer->state == PEER_DONE)
        {
          close_ours (live);
          if (!live->peer_closed_tls)
            {
              /* the client's close_notify, if it sends one soon */
              g_string_truncate (live->received, 0);
              live->options.handshake_timeout_ms = MIN (live->options.handshake_timeout_ms, 2000);
              if (!receive_app_data (live, "Data", NULL, error))
                return NULL;
            }
        }
    }
  return finish_live (live, error);
}

HlTrace *
hl_live_listener_accept (HlLiveListener *self, GCancellable *cancellable, GError **error)
{
  g_autoptr(GSocketConnection) connection = NULL;
  Live live;
  HlTrace *trace;

  g_return_val_if_fail (self != NULL, NULL);

  connection = g_socket_listener_accept (self->listener, NULL, cancellable, error);
  if (connection == NULL)
    return NULL;
  live_init (&live, &self->options, HL_SIDE_SERVER);
  trace = serve_run (&live, g_socket_connection_get_socket (connection), cancellable, error);
  live_clear (&live);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return trace;
}

/* Public API: asynchronous forms (a worker thread each; the caller's context gets the result) */

static void
connect_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  HlTrace *trace = hl_live_connect (task_data, cancellable, &error);

  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, g_object_unref);
}

static void
options_free (gpointer data)
{
  hl_live_options_clear (data);
  g_free (data);
}

void
hl_live_connect_async (const HlLiveOptions *options, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  HlLiveOptions *copy = g_new0 (HlLiveOptions, 1);

  hl_live_options_copy (copy, options);
  g_task_set_source_tag (task, hl_live_connect_async);
  g_task_set_task_data (task, copy, options_free);
  g_task_run_in_thread (task, connect_thread);
}

HlTrace *
hl_live_connect_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
accept_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  HlTrace *trace = hl_live_listener_accept (task_data, cancellable, &error);

  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, g_object_unref);
}

/* @self must stay alive until the callback runs (cancel, then wait for it, before freeing). */
void
hl_live_listener_accept_async (HlLiveListener *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, hl_live_listener_accept_async);
  g_task_set_task_data (task, self, NULL);
  g_task_run_in_thread (task, accept_thread);
}

HlTrace *
hl_live_listener_accept_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
