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
 * Live mode, listen (see hl-live-private.h): our GnuTLS server with the demo PKI meets a real
 * client, reads its request and answers it.
 */

#define SERVER_BODY "Hello from Handshake Lens. This response, and everything before it, was " \
                    "captured and decrypted by the server you are talking to.\n"

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
  if (!hl_live_gnutls_ok (gnutls_certificate_allocate_credentials (&run->server_cred),
                          "allocating server credentials", error) ||
      !hl_live_gnutls_ok (gnutls_privkey_init (&run->server_privkey), "gnutls_privkey_init", error))
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
  if (!hl_live_gnutls_ok (gnutls_privkey_import_x509 (run->server_privkey, key, 0),
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
  live->live.address = hl_live_describe_remote (socket);
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
  if (!hl_live_setup_local_peer (run, HL_SIDE_SERVER, live->options.versions, error))
    return NULL;
  peer = hl_live_local_peer (live);

  if (!hl_live_handshake (live, error))
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

      if (!hl_live_receive_app_data (live, "Request", hl_live_request_complete, error))
        return NULL;
      live->live.software = hl_live_http_header (live->received->str, live->received->len,
                                                 "User-Agent");
      if (peer->state == PEER_DONE && live->received->len > 0 && !live->peer_closed_tls &&
          !hl_live_send_app_data (live, "Response", response, strlen (response), error))
        return NULL;
      if (peer->state == PEER_DONE)
        {
          hl_live_close_ours (live);
          if (!live->peer_closed_tls)
            {
              /* the client's close_notify, if it sends one soon */
              g_string_truncate (live->received, 0);
              live->options.handshake_timeout_ms = MIN (live->options.handshake_timeout_ms, 2000);
              if (!hl_live_receive_app_data (live, "Data", NULL, error))
                return NULL;
            }
        }
    }
  return hl_live_finish (live, error);
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
  hl_live_init (&live, &self->options, HL_SIDE_SERVER);
  trace = serve_run (&live, g_socket_connection_get_socket (connection), cancellable, error);
  hl_live_clear (&live);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return trace;
}
