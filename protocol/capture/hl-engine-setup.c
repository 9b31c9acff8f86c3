/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include <string.h>

#include "hl-engine-private.h"
#include "hl-engine-parts.h"

/* Sessions: credentials from the PKI, one GnuTLS session per side, and tearing them down. */

static HlIdentity
server_identity (const HlConfig *config)
{
  switch (config->failure)
    {
    case HL_FAILURE_UNTRUSTED_CA: return HL_IDENTITY_SERVER_UNTRUSTED;
    case HL_FAILURE_EXPIRED: return HL_IDENTITY_SERVER_EXPIRED;
    case HL_FAILURE_HOSTNAME: return HL_IDENTITY_SERVER_WRONG_HOST;
    default:
      return config->cert == HL_CERT_ECDSA ? HL_IDENTITY_SERVER_ECDSA : HL_IDENTITY_SERVER_RSA;
    }
}

gboolean
hl_engine_setup_credentials (Run *run, GError **error)
{
  const HlConfig *config = run->config;
  gnutls_x509_privkey_t key;

  run->pki = hl_pki_get_default (error);
  if (run->pki == NULL)
    return FALSE;
  run->server_identity = server_identity (config);

  if (!check_gnutls (run, gnutls_certificate_allocate_credentials (&run->client_cred),
                     "allocating client credentials") ||
      !check_gnutls (run, gnutls_certificate_allocate_credentials (&run->server_cred),
                     "allocating server credentials"))
    return FALSE;

  key = hl_pki_get_key (run->pki, run->server_identity);
  if (!check_gnutls (run, gnutls_privkey_init (&run->server_privkey), "gnutls_privkey_init") ||
      !check_gnutls (run, gnutls_privkey_import_x509 (run->server_privkey, key, 0),
                     "importing the server key"))
    return FALSE;
  /* a captured RSA key exchange shows the premaster secret: the server's own decryption of it
   * is kept (hl-engine-server-key.c) rather than made again */
  run->server_key_ours = run->capture && run->local == HL_SIDE_NONE &&
                         config->kx == HL_KX_RSA && config->cert != HL_CERT_ECDSA &&
                         config->attack == HL_ATTACK_NONE;
  if (!hl_pki_trust (run->pki, HL_IDENTITY_CA, run->client_cred, error) ||
      !hl_pki_trust (run->pki, HL_IDENTITY_CA, run->server_cred, error))
    return FALSE;
  if (run->server_key_ours ? !hl_engine_add_server_key (run, error)
                           : !hl_pki_add_to_credentials (run->pki, run->server_identity,
                                                         run->server_cred, error))
    return FALSE;
  if (config->client_auth && config->failure != HL_FAILURE_MISSING_CLIENT_CERT &&
      !hl_pki_add_to_credentials (run->pki, HL_IDENTITY_CLIENT, run->client_cred, error))
    return FALSE;
  if (!hl_engine_setup_ocsp (run, error))
    return FALSE;
  gnutls_certificate_set_verify_function (run->client_cred, hl_engine_verify_cb);
  gnutls_certificate_set_verify_function (run->server_cred, hl_engine_verify_cb);

  if (config->resumption &&
      !check_gnutls (run, gnutls_session_ticket_key_generate (&run->ticket_key),
                     "gnutls_session_ticket_key_generate"))
    return FALSE;
  return TRUE;
}

static void
peer_clear (Peer *peer)
{
  g_queue_clear_full (&peer->pending, g_object_unref);
  g_clear_pointer (&peer->session, gnutls_deinit);
}

gboolean
hl_engine_setup_peer (Run *run, HlSide side)
{
  Peer *peer = peer_of (run, side);
  gboolean server = side == HL_SIDE_SERVER;
  g_autofree char *priority = hl_config_dup_priority (run->config, server);
  const char *err_pos = NULL;
  int rc;

  peer_clear (peer);
  memset (peer, 0, sizeof *peer);
  peer->run = run;
  peer->side = side;
  peer->last_record = -1;
  g_queue_init (&peer->pending);

  rc = gnutls_init (&peer->session, (server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NONBLOCK);
  if (!check_gnutls (run, rc, "gnutls_init"))
    return FALSE;
  gnutls_session_set_ptr (peer->session, peer);

  rc = gnutls_priority_set_direct (peer->session, priority, &err_pos);
  if (rc < 0)
    {
      hl_engine_set_error (run, HL_ENGINE_ERROR_SETUP,
                           "priority string “%s” rejected at “%s”: %s", priority,
                           err_pos ? err_pos : "?", gnutls_strerror (rc));
      return FALSE;
    }
  rc = gnutls_credentials_set (peer->session, GNUTLS_CRD_CERTIFICATE,
                               server ? run->server_cred : run->client_cred);
  if (!check_gnutls (run, rc, "gnutls_credentials_set"))
    return FALSE;

  if (server)
    {
      if (run->config->client_auth)
        gnutls_certificate_server_set_request (peer->session, GNUTLS_CERT_REQUIRE);
      if (run->config->resumption &&
          !check_gnutls (run, gnutls_session_ticket_enable_server (peer->session,
                                                                   &run->ticket_key),
                         "gnutls_session_ticket_enable_server"))
        return FALSE;
    }
  else if (!check_gnutls (run, gnutls_server_name_set (peer->session, GNUTLS_NAME_DNS,
                                                       HL_PKI_SERVER_NAME,
                                                       strlen (HL_PKI_SERVER_NAME)),
                          "gnutls_server_name_set"))
    return FALSE;

  if (!hl_engine_setup_alpn (run, peer))
    return FALSE;

  hl_pipe_attach (run->pipe, side, peer->session);
  if (run->capture)
    hl_engine_attach_capture (run, peer);
  return TRUE;
}

void
hl_engine_run_clear (Run *run)
{
  hl_engine_join_premaster (run);
  g_clear_pointer (&run->signature_checks, g_ptr_array_unref);
  g_clear_pointer (&run->server_opened, g_ptr_array_unref);
  for (guint i = 0; i < 2; i++)
    peer_clear (&run->peers[i]);
  g_clear_pointer (&run->server_privkey, gnutls_privkey_deinit);
  g_clear_pointer (&run->client_cred, gnutls_certificate_free_credentials);
  g_clear_pointer (&run->server_cred, gnutls_certificate_free_credentials);
  if (run->ticket_key.data)
    {
      gnutls_memset (run->ticket_key.data, 0, run->ticket_key.size);
      gnutls_free (run->ticket_key.data);
      run->ticket_key.data = NULL;
    }
  g_clear_pointer (&run->pipe, hl_pipe_free);
  hl_engine_clear_order (run);
  g_clear_error (&run->error);
}

/* Shared with live mode (hl-engine-private.h) */

gboolean
hl_engine_gnutls_ok (int rc, const char *what, GError **error)
{
  if (rc >= 0)
    return TRUE;
  g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP, "%s: %s (%d)", what,
               gnutls_strerror (rc), rc);
  return FALSE;
}

Peer *
hl_engine_peer_of (Run *run, HlSide side)
{
  return peer_of (run, side);
}

gboolean
hl_engine_is_tls13 (Peer *peer)
{
  return is_tls13 (peer);
}
