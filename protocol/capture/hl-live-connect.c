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
 * Live mode, connect (see hl-live-private.h): our GnuTLS client meets a real server, checks its
 * certificate against the CA file or the system store, sends one request and reads the answer.
 */

/* Connect */

static char *
default_request (const char *host, guint16 port)
{
  g_autofree char *authority = port == 443 ? g_strdup (host)
                               : strchr (host, ':') ? g_strdup_printf ("[%s]:%u", host, port)
                                                    : g_strdup_printf ("%s:%u", host, port);

  return g_strdup_printf ("GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: handshake-lens/%s\r\n"
                          "Accept: */*\r\nConnection: close\r\n\r\n", authority, PACKAGE_VERSION);
}

static gboolean
client_credentials (Live *live, GError **error)
{
  Run *run = &live->run;
  int rc;

  if (!hl_live_gnutls_ok (gnutls_certificate_allocate_credentials (&run->client_cred),
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

/* A TCP connection to the server, or NULL with the error a person reads ("could not connect to
 * HOST port N: reason"). */
static GSocketConnection *
open_connection (const HlLiveOptions *o, guint16 port, GCancellable *cancellable, GError **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) local_error = NULL;
  GSocketConnection *connection;

  /* direct: a proxy would put its own hop (and lookups of its own) into the capture */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, MAX (1u, (o->connect_timeout_ms + 999) / 1000));
  connection = g_socket_client_connect_to_host (client, o->host, port, cancellable,
                                                &local_error);
  if (connection != NULL)
    return connection;
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

static HlTrace *
connect_run (Live *live, GCancellable *cancellable, GError **error)
{
  Run *run = &live->run;
  const HlLiveOptions *o = &live->options;
  g_autoptr(GSocketConnection) connection = NULL;
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

  connection = open_connection (o, port, cancellable, error);
  if (connection == NULL)
    return NULL;
  socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (socket, 0);

  live->live.address = hl_live_describe_remote (socket);
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
  if (!hl_live_setup_local_peer (run, HL_SIDE_CLIENT, o->versions, error))
    return NULL;

  if (!hl_live_handshake (live, error))
    return NULL;
  if (hl_live_local_peer (live)->state == PEER_DONE)
    {
      if (run->client_cred)
        hl_live_record_trust_anchor (run, run->client_cred, hl_trace_get_server_chain (run->trace));
      request = o->request ? g_strcompress (o->request) : default_request (o->host, port);
      if (!hl_live_send_app_data (live, "Request", request, strlen (request), error) ||
          !hl_live_receive_app_data (live, "Response", NULL, error))
        return NULL;
      live->live.software = hl_live_http_header (live->received->str, live->received->len,
                                                 "Server");
      if (hl_live_local_peer (live)->state == PEER_DONE)
        hl_live_close_ours (live);
    }
  return hl_live_finish (live, error);
}

HlTrace *
hl_live_connect (const HlLiveOptions *options, GCancellable *cancellable, GError **error)
{
  Live live;
  HlTrace *trace;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  hl_live_init (&live, options, HL_SIDE_CLIENT);
  trace = connect_run (&live, cancellable, error);
  hl_live_clear (&live);
  return trace;
}
