/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include <string.h>

#include "hl-engine-private.h"
#include "hl-engine-parts.h"

/* Application data: the request, the response and close_notify both ways, once the handshake is
 * done (or the alert a side only sees when it reads). */

#define REQUEST "GET / HTTP/1.1\r\nHost: " HL_PKI_SERVER_NAME "\r\n\r\n"
#define RESPONSE "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\n" \
                 "Hello from the server"

static char *
app_data_caption (Peer *peer, gsize len)
{
  return g_strdup_printf ("The %s sends %" G_GSIZE_FORMAT " bytes of %s, encrypted and "
                          "authenticated with the %s: an eavesdropper sees only their "
                          "length.", who (peer->side), len,
                          peer->side == HL_SIDE_CLIENT ? "an HTTP request" : "an HTTP response",
                          hl_engine_keys_words (session_of (peer), HL_EPOCH_APPLICATION));
}

gboolean
hl_engine_send_data (Peer *peer, const char *name, const char *caption, const char *text, gsize len,
                     GError **error)
{
  Run *run = peer->run;
  ssize_t rc;

  if (run->capture)
    {
      HlSide other = other_of (peer)->side;
      HlEvent *event = new_event (run, HL_EVENT_APP_DATA, peer->side, other, name);
      g_autoptr(GBytes) bytes = g_bytes_new (text, len);
      g_autofree char *cap = caption ? g_strdup (caption) : app_data_caption (peer, len);
      g_autofree char *tech = g_strdup_printf ("application_data · %" G_GSIZE_FORMAT
                                               " bytes of plaintext", len);

      hl_event_set_bytes (event, bytes);
      hl_event_set_content_type (event, HL_CONTENT_APPLICATION_DATA);
      hl_event_set_caption (event, cap);
      hl_event_set_technical (event, tech);
      peer->write_epoch = HL_EPOCH_APPLICATION;
      hl_engine_queue_item (peer, event);
    }
  while (len > 0)
    {
      do
        rc = gnutls_record_send (peer->session, text, len);
      while (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED);
      if (rc < 0)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_GNUTLS,
                       "%s could not send application data: %s (%d)", who (peer->side),
                       gnutls_strerror ((int) rc), (int) rc);
          return FALSE;
        }
      text += rc;
      len -= (gsize) rc;
    }
  return TRUE;
}

static gboolean
send_data (Peer *peer, const char *text, GError **error)
{
  return hl_engine_send_data (peer, peer->side == HL_SIDE_CLIENT ? "Request" : "Response", NULL,
                              text, strlen (text), error);
}

/* Reads whatever is queued for @peer. Returns the GnuTLS result of the last read: bytes,
 * 0 for close_notify, GNUTLS_E_AGAIN when the queue is empty, or an error. */
static ssize_t
receive (Peer *peer, GString *into)
{
  HlPipe *pipe = peer->run->pipe;
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
      /* A post-handshake message (TLS 1.3 NewSessionTicket) also ends a read with EAGAIN. */
      if (rc == GNUTLS_E_INTERRUPTED ||
          (rc == GNUTLS_E_AGAIN && hl_pipe_get_pending (pipe, peer->side) > 0))
        continue;
      return rc;
    }
}

void
hl_engine_add_close_notify (Peer *peer)
{
  Run *run = peer->run;

  if (run->capture)
    {
      HlEvent *event = alert_event (run, peer->side, GNUTLS_AL_WARNING, GNUTLS_A_CLOSE_NOTIFY);

      hl_event_set_epoch (event, peer->write_epoch);
      g_queue_push_tail (&peer->pending, event);
    }
}

gboolean
hl_engine_exchange_data (Run *run, GError **error)
{
  Peer *c = peer_of (run, HL_SIDE_CLIENT);
  Peer *s = peer_of (run, HL_SIDE_SERVER);
  g_autoptr(GString) got = g_string_new (NULL);
  ssize_t rc;

  if (!send_data (c, REQUEST, error))
    return FALSE;
  rc = receive (s, got);
  if (rc != GNUTLS_E_AGAIN || !g_str_equal (got->str, REQUEST))
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the server did not receive the request (%s)",
                   rc < 0 ? gnutls_strerror ((int) rc) : "unexpected data");
      return FALSE;
    }
  g_string_truncate (got, 0);
  if (!send_data (s, RESPONSE, error))
    return FALSE;
  rc = receive (c, got);
  if (rc != GNUTLS_E_AGAIN || !g_str_equal (got->str, RESPONSE))
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the client did not receive the response (%s)",
                   rc < 0 ? gnutls_strerror ((int) rc) : "unexpected data");
      return FALSE;
    }

  /* close_notify both ways (RFC 8446 §6.1) */
  hl_engine_add_close_notify (c);
  gnutls_bye (c->session, GNUTLS_SHUT_WR);
  rc = receive (s, got);
  if (rc != 0)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the server did not see the client's close_notify (%s)",
                   gnutls_strerror ((int) rc));
      return FALSE;
    }
  hl_engine_add_close_notify (s);
  gnutls_bye (s->session, GNUTLS_SHUT_WR);
  rc = receive (c, got);
  if (rc != 0)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the client did not see the server's close_notify (%s)",
                   gnutls_strerror ((int) rc));
      return FALSE;
    }
  return TRUE;
}

/* After a failed handshake where one side thinks it is done (TLS 1.3 client), it only sees the
 * alert when it reads. */
void
hl_engine_deliver_alert (Run *run)
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
