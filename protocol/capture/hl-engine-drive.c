/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include "hl-engine-private.h"
#include "hl-engine-parts.h"
#include "hl-keyschedule.h"
#include "hl-signature.h"

/* Driving the handshake: both sessions take turns over the in-memory pipe until each is done or
 * has failed; then the data exchange, a resumed second connection, and the outcome. */

#define MAX_ROUNDS 64

static guint64
traffic (Run *run)
{
  return hl_pipe_get_pushed (run->pipe, HL_SIDE_CLIENT) +
         hl_pipe_get_pushed (run->pipe, HL_SIDE_SERVER) +
         hl_pipe_get_pending (run->pipe, HL_SIDE_CLIENT) +
         hl_pipe_get_pending (run->pipe, HL_SIDE_SERVER);
}

/* GnuTLS 3.7.9 does not send an alert when its own handshake fails: send the appropriate one
 * (certificate problems get the precise code, RFC 5246 §7.2.2) so the peer learns why. */
static void
send_failure_alert (Peer *peer, int rc)
{
  Run *run = peer->run;
  int level = GNUTLS_AL_FATAL;
  int desc;

  if (peer->verified && peer->verify_result == HL_CHECK_FAILED)
    desc = hl_engine_alert_for_status (peer->verify_status);
  else if (rc == GNUTLS_E_NO_CERTIFICATE_FOUND && peer->side == HL_SIDE_SERVER)
    /* RFC 5246 §7.4.6 (handshake_failure); RFC 8446 §4.4.2.4 (certificate_required) */
    desc = is_tls13 (peer) ? GNUTLS_A_CERTIFICATE_REQUIRED : GNUTLS_A_HANDSHAKE_FAILURE;
  else
    desc = gnutls_error_to_alert (rc, &level);
  if (desc < 0)
    return;

  if (run->capture)
    {
      HlEvent *event = alert_event (run, peer->side, level, desc);

      hl_event_set_epoch (event, peer->write_epoch);
      /* Alerts go out ahead of anything still unsent in the flight. */
      g_queue_push_head (&peer->pending, event);
    }

  gnutls_alert_send (peer->session, level, desc);
}

/* Plain words for the failures the scenarios provoke; GnuTLS's own text otherwise. */
static const char *
failure_reason (Peer *peer, int rc)
{
  switch (rc)
    {
    case GNUTLS_E_NO_CERTIFICATE_FOUND:
      return peer->side == HL_SIDE_SERVER ? "the client sent no certificate, but this server "
                                            "requires one"
                                          : "no certificate was found";
    case GNUTLS_E_UNSUPPORTED_VERSION_PACKET:
      return "the other side offers no protocol version it accepts";
    case GNUTLS_E_NO_CIPHER_SUITES:
    case GNUTLS_E_UNKNOWN_CIPHER_SUITE:
    case GNUTLS_E_INSUFFICIENT_CREDENTIALS:
      return "the two sides have no cipher suite in common";
    default:
      return gnutls_strerror (rc);
    }
}

void
hl_engine_peer_failed (Peer *peer, int rc)
{
  Run *run = peer->run;
  g_autofree char *tech = NULL;

  peer->state = PEER_FAILED;
  peer->rc = rc;
  if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED)
    {
      gnutls_alert_description_t desc = gnutls_alert_get (peer->session);
      const char *name = hl_alert_description_name (desc);
      g_autofree char *cap = g_strdup_printf ("The %s receives the %s alert and abandons the "
                                              "connection.", who (peer->side),
                                              name ? name : "fatal");

      if (run->capture)
        {
          tech = g_strdup_printf ("%s: %s (%d)", name ? name : "?", gnutls_strerror (rc), rc);
          add_action (run, peer->side, HL_SIDE_NONE, "Abort on alert", HL_CHECK_FAILED, cap,
                      tech);
        }
      return;
    }

  if (run->capture && !(peer->verified && peer->verify_result == HL_CHECK_FAILED))
    {
      g_autofree char *cap = g_strdup_printf ("The %s cannot continue: %s.", who (peer->side),
                                              failure_reason (peer, rc));

      tech = g_strdup_printf ("gnutls_handshake: %s (%d)", gnutls_strerror (rc), rc);
      add_action (run, peer->side, HL_SIDE_NONE, "Abort the handshake", HL_CHECK_FAILED, cap,
                  tech);
    }
  send_failure_alert (peer, rc);
}

static gboolean
drive_handshake (Run *run, GCancellable *cancellable, GError **error)
{
  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      gboolean progress = FALSE;
      Peer *c = peer_of (run, HL_SIDE_CLIENT);
      Peer *s = peer_of (run, HL_SIDE_SERVER);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      for (guint i = 0; i < 2; i++)
        {
          Peer *peer = &run->peers[i];
          guint64 before = traffic (run);
          int rc;

          if (peer->state != PEER_RUNNING)
            continue;
          rc = gnutls_handshake (peer->session);
          if (rc == GNUTLS_E_SUCCESS)
            {
              peer->state = PEER_DONE;
              progress = TRUE;
            }
          else if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED ||
                   !gnutls_error_is_fatal (rc))
            progress |= traffic (run) != before;
          else
            {
              hl_engine_peer_failed (peer, rc);
              progress = TRUE;
            }
        }

      if (c->state == PEER_DONE && s->state == PEER_DONE)
        return TRUE;
      if (c->state == PEER_FAILED && s->state == PEER_FAILED)
        return TRUE;
      /* One side failed and the other already finished: it learns in the record phase. */
      if ((c->state == PEER_FAILED || s->state == PEER_FAILED) &&
          (c->state == PEER_DONE || s->state == PEER_DONE))
        return TRUE;
      if (!progress)
        {
          if (c->state == PEER_FAILED || s->state == PEER_FAILED)
            return TRUE; /* the survivor waits for data that will never come */
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_STALLED,
                       "the handshake stalled: neither side made progress (client %s, server %s)",
                       c->state == PEER_DONE ? "done" : "waiting",
                       s->state == PEER_DONE ? "done" : "waiting");
          return FALSE;
        }
    }
  g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_STALLED,
               "the handshake did not finish in %d rounds", MAX_ROUNDS);
  return FALSE;
}

/* One connection: handshake, then (if it succeeded) data and close. */
static gboolean
run_connection (Run *run, const gnutls_datum_t *resume_data, GCancellable *cancellable,
                GError **error)
{
  Peer *c, *s;

  hl_pipe_reset (run->pipe);
  if (!hl_engine_setup_peer (run, HL_SIDE_CLIENT) || !hl_engine_setup_peer (run, HL_SIDE_SERVER))
    {
      g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  c = peer_of (run, HL_SIDE_CLIENT);
  s = peer_of (run, HL_SIDE_SERVER);
  if (resume_data != NULL &&
      !check_gnutls (run, gnutls_session_set_data (c->session, resume_data->data,
                                                   resume_data->size),
                     "gnutls_session_set_data"))
    {
      g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }

  if (!drive_handshake (run, cancellable, error))
    return FALSE;

  if (c->state == PEER_DONE && s->state == PEER_DONE)
    {
      if (!hl_engine_exchange_data (run, error))
        return FALSE;
    }
  else
    hl_engine_deliver_alert (run);

  if (run->capture)
    {
      hl_engine_collect_negotiated (run);
      hl_engine_flush_leftovers (run);
    }
  return TRUE;
}

void
hl_engine_set_outcome (Run *run)
{
  Peer *c = peer_of (run, HL_SIDE_CLIENT);
  Peer *s = peer_of (run, HL_SIDE_SERVER);
  HlOutcome outcome = { 0 };
  g_autofree char *cerr = NULL;
  g_autofree char *serr = NULL;

  outcome.client_ok = c->state == PEER_DONE;
  outcome.server_ok = s->state == PEER_DONE;
  if (c->state == PEER_FAILED)
    outcome.client_error = cerr = g_strdup_printf ("%s (%d)", gnutls_strerror (c->rc), c->rc);
  if (s->state == PEER_FAILED)
    outcome.server_error = serr = g_strdup_printf ("%s (%d)", gnutls_strerror (s->rc), s->rc);
  outcome.alert_sender = HL_SIDE_NONE;

  /* the fatal alert is the one the failing side sent (not received) */
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
check_outcome (Run *run, GError **error)
{
  Peer *c = peer_of (run, HL_SIDE_CLIENT);
  Peer *s = peer_of (run, HL_SIDE_SERVER);
  gboolean ok = c->state == PEER_DONE && s->state == PEER_DONE;

  if (hl_config_expects_failure (run->config))
    {
      if (ok)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                       "the handshake succeeded although the scenario should fail");
          return FALSE;
        }
      return TRUE;
    }
  if (!ok)
    {
      Peer *failed = c->state == PEER_FAILED ? c : s;
      int rc = failed->rc;

      if (run->config->version == HL_VERSION_TLS12 && run->config->kx == HL_KX_RSA &&
          (rc == GNUTLS_E_UNWANTED_ALGORITHM || rc == GNUTLS_E_INSUFFICIENT_SECURITY ||
           rc == GNUTLS_E_NO_CIPHER_SUITES || rc == GNUTLS_E_UNKNOWN_CIPHER_SUITE ||
#ifdef GNUTLS_E_UNSUPPORTED_ENCRYPTION_ALGORITHM
           /* 3.8 with [overrides] allow-rsa-pkcs1-encrypt = false */
           rc == GNUTLS_E_UNSUPPORTED_ENCRYPTION_ALGORITHM ||
#endif
           rc == GNUTLS_E_DECRYPTION_FAILED))
        g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_REFUSED,
                     "GnuTLS %s refuses RSA key exchange (RSAES-PKCS1-v1_5), which this scenario "
                     "needs: the %s failed with “%s”. The system's GnuTLS configuration may "
                     "disable it (allow-rsa-pkcs1-encrypt).",
                     gnutls_check_version (NULL), who (failed->side), gnutls_strerror (rc));
      else
        g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                     "the handshake failed unexpectedly: the %s reported “%s” (%d)",
                     who (failed->side), gnutls_strerror (rc), rc);
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_engine_run_all (Run *run, GCancellable *cancellable, GError **error)
{
  gnutls_datum_t resume = { NULL, 0 };
  gboolean ok;

  run->pipe = hl_pipe_new ();
  hl_pipe_set_one_record_per_pull (run->pipe, TRUE);
  if (run->capture)
    {
      hl_pipe_set_record_func (run->pipe, hl_engine_record_cb, run);
      hl_pipe_set_read_func (run->pipe, hl_engine_record_read_cb, run);
    }

  if (!hl_engine_setup_credentials (run, error))
    {
      if (run->error)
        g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  if (run->capture)
    {
      hl_trace_set_ca_certificate (run->trace, hl_pki_get_certificate_der (run->pki,
                                                                           HL_IDENTITY_CA));
      hl_trace_set_server_key (run->trace, hl_pki_get_key_pem (run->pki, run->server_identity));
    }

  if (!run_connection (run, NULL, cancellable, error))
    return FALSE;

  if (run->config->resumption && !hl_config_expects_failure (run->config) &&
      peer_of (run, HL_SIDE_CLIENT)->state == PEER_DONE)
    {
      int rc = gnutls_session_get_data2 (peer_of (run, HL_SIDE_CLIENT)->session, &resume);

      if (rc < 0)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_GNUTLS,
                       "gnutls_session_get_data2: %s (%d)", gnutls_strerror (rc), rc);
          return FALSE;
        }
      run->handshake = 1;
      if (run->capture)
        hl_trace_set_n_handshakes (run->trace, 2);
      ok = run_connection (run, &resume, cancellable, error);
      gnutls_free (resume.data);
      if (!ok)
        return FALSE;
      if (!gnutls_session_is_resumed (peer_of (run, HL_SIDE_CLIENT)->session))
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                       "the second handshake was not resumed: it became a full handshake");
          return FALSE;
        }
    }

  if (run->capture)
    {
      hl_engine_join_premaster (run);
      hl_engine_settle_order (run);
    }
  if (run->capture && !hl_keyschedule_apply (run->trace, error))
    return FALSE;
  if (run->capture)
    hl_engine_apply_signatures (run);
  if (run->capture)
    hl_engine_set_outcome (run);
  return check_outcome (run, error);
}
