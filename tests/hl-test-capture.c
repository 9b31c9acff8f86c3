/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-test"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-reader.h"
#include "hl-test-capture.h"

/*
 * Memory transport as in DESIGN.md "GnuTLS facts": GNUTLS_NONBLOCK sessions, push appends
 * to the peer's queue, pull returns EAGAIN when the queue is empty, and gnutls_handshake()
 * is called on client then server until both finish. Incoming handshake messages are
 * captured by the PRE hook (the POST hook may hand over a consumed buffer).
 */

typedef struct _Run Run;

typedef struct
{
  Run              *run;
  gnutls_session_t  session;
  gboolean          is_client;
  GByteArray       *inbox;    /* bytes the peer sent, not yet pulled */
  GByteArray       *sent;     /* everything this side pushed, for splitting into records */
} Side;

struct _Run
{
  HlTestCapture *capture;
  guint          connection;
  Side           client;
  Side           server;
};

static void
record_free (gpointer data)
{
  HlTestRecord *rec = data;

  g_bytes_unref (rec->bytes);
  g_free (rec);
}

static void
message_free (gpointer data)
{
  HlTestMessage *msg = data;

  g_bytes_unref (msg->message);
  g_free (msg);
}

void
hl_test_capture_free (HlTestCapture *capture)
{
  if (capture == NULL)
    return;
  g_ptr_array_unref (capture->records);
  g_ptr_array_unref (capture->messages);
  g_free (capture);
}

static Side *
peer_of (Side *side)
{
  return side->is_client ? &side->run->server : &side->run->client;
}

static ssize_t
push_cb (gnutls_transport_ptr_t ptr,
         const void            *data,
         size_t                 len)
{
  Side *side = ptr;

  g_byte_array_append (peer_of (side)->inbox, data, len);
  g_byte_array_append (side->sent, data, len);
  return (ssize_t) len;
}

static ssize_t
pull_cb (gnutls_transport_ptr_t ptr,
         void                  *data,
         size_t                 len)
{
  Side *side = ptr;
  size_t n;

  if (side->inbox->len == 0)
    {
      gnutls_transport_set_errno (side->session, EAGAIN);
      return -1;
    }
  n = MIN (len, side->inbox->len);
  memcpy (data, side->inbox->data, n);
  g_byte_array_remove_range (side->inbox, 0, n);
  return (ssize_t) n;
}

static int
pull_timeout_cb (gnutls_transport_ptr_t ptr,
                 unsigned int           ms)
{
  Side *side = ptr;

  return side->inbox->len > 0 ? 1 : 0;
}

static int
hook_cb (gnutls_session_t       session,
         unsigned int           htype,
         unsigned               when,
         unsigned int           incoming,
         const gnutls_datum_t  *msg)
{
  Side *side = gnutls_session_get_ptr (session);
  HlTestMessage *m;
  GByteArray *buf;
  guint8 header[4];
  guint type;

  if (!incoming || when != GNUTLS_HOOK_PRE || msg == NULL)
    return 0;

  /* GnuTLS reports a HelloRetryRequest as 1025; on the wire it is a ServerHello. */
  if (htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST)
    type = GNUTLS_HANDSHAKE_SERVER_HELLO;
  else if (htype < 254)
    type = htype;
  else
    return 0;

  header[0] = (guint8) type;
  header[1] = (guint8) (msg->size >> 16);
  header[2] = (guint8) (msg->size >> 8);
  header[3] = (guint8) msg->size;
  buf = g_byte_array_new ();
  g_byte_array_append (buf, header, 4);
  if (msg->size > 0)
    g_byte_array_append (buf, msg->data, msg->size);

  m = g_new0 (HlTestMessage, 1);
  m->connection = side->run->connection;
  m->from_client = !side->is_client;
  m->type = (guint8) type;
  m->message = g_byte_array_free_to_bytes (buf);
  g_ptr_array_add (side->run->capture->messages, m);

  return 0;
}

/* Splits one direction's stream into records with the project's own reader. */
static gboolean
split_records (Run      *run,
               Side     *side,
               GError  **error)
{
  g_autoptr(GBytes) stream = g_bytes_new (side->sent->data, side->sent->len);
  g_auto(HlReader) r = { 0 };
  gboolean after_ccs = FALSE;

  hl_reader_init (&r, stream, 0);
  hl_reader_set_scope (&r, "stream");
  while (!hl_reader_is_empty (&r) && !hl_reader_has_error (&r))
    {
      gsize start = hl_reader_get_offset (&r);
      HlTestRecord *rec;
      HlReader fragment;
      guint8 type = 0;
      guint16 version = 0;

      hl_reader_read_u8 (&r, "type", &type);
      hl_reader_read_u16 (&r, "version", &version);
      hl_reader_read_vector16 (&r, "fragment", &fragment);
      if (hl_reader_has_error (&r))
        break;

      rec = g_new0 (HlTestRecord, 1);
      rec->connection = run->connection;
      rec->from_client = side->is_client;
      rec->offset = start;
      rec->content_type = type;
      rec->bytes = g_bytes_new_from_bytes (stream, start, hl_reader_get_offset (&r) - start);
      /* TLS 1.2: everything after the sender's ChangeCipherSpec is protected. TLS 1.3:
       * protected records are all application_data on the outside (RFC 8446 §5.2). */
      if (run->capture->tls13)
        rec->protected_record = type == 23;
      else
        rec->protected_record = after_ccs;
      if (type == 20)
        after_ccs = TRUE;
      g_ptr_array_add (run->capture->records, rec);
    }

  return !hl_reader_propagate_error (&r, error);
}

static gboolean
check (int       rc,
       const char *what,
       GError  **error)
{
  if (rc >= 0)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, gnutls_strerror (rc));
  return FALSE;
}

typedef struct
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t     crt;
} KeyAndCert;

static gboolean
make_key_and_cert (gboolean     ecdsa,
                   const char  *dn,
                   KeyAndCert  *out,
                   GError     **error)
{
  time_t now = time (NULL);
  guint bits = ecdsa ? GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1) : 2048;
  guint8 serial = 1;

  if (!check (gnutls_x509_privkey_init (&out->key), "privkey_init", error) ||
      !check (gnutls_x509_privkey_generate (out->key,
                                            ecdsa ? GNUTLS_PK_ECDSA : GNUTLS_PK_RSA, bits, 0),
              "privkey_generate", error) ||
      !check (gnutls_x509_crt_init (&out->crt), "crt_init", error) ||
      !check (gnutls_x509_crt_set_version (out->crt, 3), "set_version", error) ||
      !check (gnutls_x509_crt_set_serial (out->crt, &serial, 1), "set_serial", error) ||
      !check (gnutls_x509_crt_set_activation_time (out->crt, now - 3600), "activation", error) ||
      !check (gnutls_x509_crt_set_expiration_time (out->crt, now + 86400), "expiration", error) ||
      !check (gnutls_x509_crt_set_dn (out->crt, dn, NULL), "set_dn", error) ||
      !check (gnutls_x509_crt_set_key (out->crt, out->key), "set_key", error) ||
      !check (gnutls_x509_crt_set_key_usage (out->crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                       (ecdsa ? 0 : GNUTLS_KEY_KEY_ENCIPHERMENT)),
              "key_usage", error) ||
      !check (gnutls_x509_crt_sign2 (out->crt, out->crt, out->key, GNUTLS_DIG_SHA256, 0),
              "sign", error))
    return FALSE;

  return TRUE;
}

/* Keys are made once per process: RSA-2048 generation costs up to a few hundred ms. */
static gboolean
get_credentials (gboolean                           ecdsa,
                 gboolean                           client,
                 gnutls_certificate_credentials_t  *out,
                 GError                           **error)
{
  static KeyAndCert cache[3];
  static gboolean made[3];
  guint slot = client ? 2 : ecdsa ? 1 : 0;

  if (!made[slot])
    {
      if (!make_key_and_cert (ecdsa && !client, client ? "CN=client.test" : "CN=server.test",
                              &cache[slot], error))
        return FALSE;
      made[slot] = TRUE;
    }

  return check (gnutls_certificate_allocate_credentials (out), "credentials", error) &&
         check (gnutls_certificate_set_x509_key (*out, &cache[slot].crt, 1, cache[slot].key),
                "set_x509_key", error);
}

static gboolean
setup_side (Run                              *run,
            Side                             *side,
            gboolean                          is_client,
            const char                       *priority,
            gnutls_certificate_credentials_t  cred,
            GError                          **error)
{
  const char *err_pos = NULL;

  side->run = run;
  side->is_client = is_client;
  side->inbox = g_byte_array_new ();
  side->sent = g_byte_array_new ();

  if (!check (gnutls_init (&side->session, (is_client ? GNUTLS_CLIENT : GNUTLS_SERVER) |
                                           GNUTLS_NONBLOCK), "init", error))
    return FALSE;
  if (gnutls_priority_set_direct (side->session, priority, &err_pos) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "bad priority at \"%s\"",
                   err_pos != NULL ? err_pos : "?");
      return FALSE;
    }
  gnutls_session_set_ptr (side->session, side);
  gnutls_transport_set_ptr (side->session, side);
  gnutls_transport_set_push_function (side->session, push_cb);
  gnutls_transport_set_pull_function (side->session, pull_cb);
  gnutls_transport_set_pull_timeout_function (side->session, pull_timeout_cb);
  gnutls_handshake_set_hook_function (side->session, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_BOTH,
                                      hook_cb);
  return check (gnutls_credentials_set (side->session, GNUTLS_CRD_CERTIFICATE, cred),
                "credentials_set", error);
}

static void
clear_side (Side *side)
{
  if (side->session != NULL)
    gnutls_deinit (side->session);
  g_clear_pointer (&side->inbox, g_byte_array_unref);
  g_clear_pointer (&side->sent, g_byte_array_unref);
}

/* Receives on @side until something arrives or nothing is left to process. */
static void
pump_recv (Side *side)
{
  char buf[256];

  for (guint i = 0; i < 8; i++)
    {
      ssize_t n = gnutls_record_recv (side->session, buf, sizeof buf);

      if (n > 0 || (n < 0 && n != GNUTLS_E_AGAIN && n != GNUTLS_E_INTERRUPTED))
        return;
      if (side->inbox->len == 0)
        return;
    }
}

static gboolean
run_connection (HlTestCapture              *capture,
                const HlTestCaptureOptions *options,
                guint                       connection,
                gnutls_datum_t             *resume_data,
                gnutls_datum_t             *ticket_key,
                GError                    **error)
{
  gnutls_certificate_credentials_t server_cred = NULL;
  gnutls_certificate_credentials_t client_cred = NULL;
  Run run = { 0 };
  gboolean client_done = FALSE;
  gboolean server_done = FALSE;
  gboolean ok = FALSE;
  int client_rc = GNUTLS_E_AGAIN;
  int server_rc = GNUTLS_E_AGAIN;

  run.capture = capture;
  run.connection = connection;

  if (!get_credentials (options->ecdsa, FALSE, &server_cred, error))
    goto out;
  if (options->client_cert)
    {
      if (!get_credentials (FALSE, TRUE, &client_cred, error))
        goto out;
    }
  else if (!check (gnutls_certificate_allocate_credentials (&client_cred), "credentials",
                   error))
    goto out;

  if (!setup_side (&run, &run.client, TRUE, options->client_priority, client_cred, error) ||
      !setup_side (&run, &run.server, FALSE,
                   options->server_priority ? options->server_priority
                                            : options->client_priority,
                   server_cred, error))
    goto out;

  gnutls_server_name_set (run.client.session, GNUTLS_NAME_DNS, "server.test",
                          strlen ("server.test"));
  if (options->client_cert)
    gnutls_certificate_server_set_request (run.server.session, GNUTLS_CERT_REQUIRE);
  if (options->tickets &&
      !check (gnutls_session_ticket_enable_server (run.server.session, ticket_key), "tickets",
              error))
    goto out;
  if (resume_data != NULL && resume_data->size > 0 &&
      !check (gnutls_session_set_data (run.client.session, resume_data->data,
                                       resume_data->size), "set_data", error))
    goto out;

  for (guint i = 0; i < 50 && !(client_done && server_done); i++)
    {
      if (!client_done)
        {
          client_rc = gnutls_handshake (run.client.session);
          if (client_rc == 0 || gnutls_error_is_fatal (client_rc))
            client_done = TRUE;
        }
      if (!server_done)
        {
          server_rc = gnutls_handshake (run.server.session);
          if (server_rc == 0 || gnutls_error_is_fatal (server_rc))
            server_done = TRUE;
        }
      if (client_rc < 0 && gnutls_error_is_fatal (client_rc) && !server_done &&
          run.server.inbox->len == 0)
        break;
      if (server_rc < 0 && gnutls_error_is_fatal (server_rc) && !client_done &&
          run.client.inbox->len == 0)
        {
          /* 3.7.9 sends no alert on its own when its handshake fails (DESIGN.md). */
          gnutls_alert_send_appropriate (run.server.session, server_rc);
          client_rc = gnutls_handshake (run.client.session);
          client_done = TRUE;
          break;
        }
    }

  if (options->expect_failure)
    {
      if (client_rc == 0 && server_rc == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "handshake unexpectedly worked");
          goto out;
        }
    }
  else
    {
      if (client_rc != 0 || server_rc != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "handshake failed: %s / %s",
                       gnutls_strerror (client_rc), gnutls_strerror (server_rc));
          goto out;
        }

      capture->tls13 = gnutls_protocol_get_version (run.client.session) == GNUTLS_TLS1_3;
      switch (gnutls_kx_get (run.client.session))
        {
        case GNUTLS_KX_RSA: capture->key_exchange = HL_KEY_EXCHANGE_RSA; break;
        case GNUTLS_KX_ECDHE_RSA:
        case GNUTLS_KX_ECDHE_ECDSA: capture->key_exchange = HL_KEY_EXCHANGE_ECDHE; break;
        case GNUTLS_KX_DHE_RSA: capture->key_exchange = HL_KEY_EXCHANGE_DHE; break;
        default: capture->key_exchange = HL_KEY_EXCHANGE_UNKNOWN; break;
        }

      /* Application data both ways; the client's receive also takes in a TLS 1.3
       * NewSessionTicket. Then close_notify from the client. */
      gnutls_record_send (run.client.session, "ping", 4);
      pump_recv (&run.server);
      gnutls_record_send (run.server.session, "pong", 4);
      pump_recv (&run.client);
      if (resume_data != NULL && connection == 0)
        {
          if (!check (gnutls_session_get_data2 (run.client.session, resume_data), "get_data",
                      error))
            goto out;
        }
      gnutls_bye (run.client.session, GNUTLS_SHUT_WR);
    }

  ok = split_records (&run, &run.client, error) && split_records (&run, &run.server, error);

out:
  clear_side (&run.client);
  clear_side (&run.server);
  if (server_cred != NULL)
    gnutls_certificate_free_credentials (server_cred);
  if (client_cred != NULL)
    gnutls_certificate_free_credentials (client_cred);
  return ok;
}

/**
 * hl_test_capture_run:
 * @options: what to run
 * @error: return location for a setup or handshake error
 *
 * Returns: (transfer full) (nullable): every record both sides sent and every handshake
 *   message as its receiver saw it
 */
HlTestCapture *
hl_test_capture_run (const HlTestCaptureOptions *options,
                     GError                    **error)
{
  g_autoptr(HlTestCapture) capture = g_new0 (HlTestCapture, 1);
  gnutls_datum_t ticket_key = { NULL, 0 };
  gnutls_datum_t resume = { NULL, 0 };
  gboolean ok;

  capture->records = g_ptr_array_new_with_free_func (record_free);
  capture->messages = g_ptr_array_new_with_free_func (message_free);

  if (options->tickets && !check (gnutls_session_ticket_key_generate (&ticket_key),
                                  "ticket key", error))
    return NULL;

  ok = run_connection (capture, options, 0, options->resume ? &resume : NULL, &ticket_key,
                       error);
  if (ok && options->resume)
    ok = run_connection (capture, options, 1, &resume, &ticket_key, error);

  if (resume.data != NULL)
    gnutls_free (resume.data);
  if (ticket_key.data != NULL)
    {
      gnutls_memset (ticket_key.data, 0, ticket_key.size);
      gnutls_free (ticket_key.data);
    }

  return ok ? g_steal_pointer (&capture) : NULL;
}

/**
 * hl_test_capture_context:
 * @capture: a capture
 * @protected_record: whether the record to decode is protected
 *
 * Returns: the decode context matching the captured connection
 */
HlDecodeContext
hl_test_capture_context (HlTestCapture *capture,
                         gboolean       protected_record)
{
  HlDecodeContext ctx = { 0 };

  ctx.tls13 = capture->tls13;
  ctx.key_exchange = capture->key_exchange;
  ctx.protected_record = protected_record;
  return ctx;
}

/**
 * hl_test_capture_find_message:
 * @capture: a capture
 * @type: wire handshake type
 * @from_client: the sender
 *
 * Returns: (nullable): the first such message
 */
const HlTestMessage *
hl_test_capture_find_message (HlTestCapture *capture,
                              guint8         type,
                              gboolean       from_client)
{
  for (guint i = 0; i < capture->messages->len; i++)
    {
      const HlTestMessage *m = g_ptr_array_index (capture->messages, i);

      if (m->type == type && m->from_client == from_client)
        return m;
    }
  return NULL;
}
