/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-socket-transport"
#include "config.h"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "hl-socket-transport.h"

/* Sections: state · waiting and reading · GnuTLS transport functions · public API. */

#define RECORD_HEADER 5
#define FIRST_BYTES 64
#define READ_CHUNK 16384

struct _HlSocketTransport
{
  GSocket          *socket;
  GCancellable     *cancellable;
  gnutls_session_t  session;
  HlSide            local;
  HlSide            remote;

  GByteArray       *in;          /* received, not yet handed to GnuTLS */
  gsize             record_left; /* bytes of the record being handed over still to come */
  GByteArray       *out;         /* our pushed bytes not yet cut into a whole record */
  GByteArray       *first;       /* the peer's first bytes */
  gboolean          eof;
  gboolean          started;     /* the peer's first record has been looked at */
  gboolean          not_tls;

  gint64            start;
  gint64            deadline;
  char             *phase;
  GError           *error;

  gsize             capture_limit;
  gsize             captured;
  gboolean          truncated;
  guint64           sent;
  guint64           received;

  HlPipeRecordFunc  record_func;
  gpointer          record_data;
};

static void
report (HlSocketTransport *self, HlSide sender, const guint8 *data, gsize len)
{
  g_autoptr(GBytes) record = NULL;

  if (self->record_func == NULL || self->truncated)
    return;
  if (self->captured + len > self->capture_limit)
    {
      self->truncated = TRUE;
      return;
    }
  self->captured += len;
  record = g_bytes_new (data, len);
  self->record_func (sender, record, hl_socket_transport_get_time (self), self->record_data);
}

/* A record header as RFC 8446 §5.1 and RFC 5246 §6.2.1 allow it: a known content type and a
 * 3.x legacy version. Anything else is not TLS (or no longer is). */
static gboolean
plausible_header (const guint8 *h)
{
  return h[0] >= 20 && h[0] <= 24 && h[1] == 3;
}

/* Waiting and reading */

static gboolean
fail (HlSocketTransport *self, GError *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  return FALSE;
}

static gboolean
wait_for (HlSocketTransport *self, GIOCondition condition)
{
  gint64 left = self->deadline - g_get_monotonic_time ();
  GError *error = NULL;

  if (self->deadline > 0 && left <= 0)
    return fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out during %s",
                                    self->phase ? self->phase : "the exchange"));
  if (g_socket_condition_timed_wait (self->socket, condition, self->deadline > 0 ? left : -1,
                                     self->cancellable, &error))
    return TRUE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_clear_error (&error);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out during %s",
                           self->phase ? self->phase : "the exchange");
    }
  return fail (self, error);
}

/* Reads what the socket has (at least one byte, or end of stream). */
static gboolean
receive_some (HlSocketTransport *self)
{
  guint8 buf[READ_CHUNK];

  for (;;)
    {
      GError *error = NULL;
      gssize n;

      if (!wait_for (self, G_IO_IN | G_IO_HUP | G_IO_ERR))
        return FALSE;
      n = g_socket_receive (self->socket, (char *) buf, sizeof buf, self->cancellable, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          continue;
        }
      if (n < 0)
        return fail (self, error);
      if (n == 0)
        {
          self->eof = TRUE;
          return TRUE;
        }
      if (self->first->len < FIRST_BYTES)
        g_byte_array_append (self->first, buf, MIN ((gsize) n, FIRST_BYTES - self->first->len));
      self->received += (guint64) n;
      g_byte_array_append (self->in, buf, (guint) n);
      return TRUE;
    }
}

static gboolean
fill (HlSocketTransport *self, gsize need)
{
  while (self->in->len < need && !self->eof)
    if (!receive_some (self))
      return FALSE;
  return TRUE;
}

/* Called when GnuTLS starts on a new record: have all of it, report it, hand it over. */
static gboolean
begin_record (HlSocketTransport *self)
{
  gsize total;

  if (!fill (self, 1))
    return FALSE;
  if (self->in->len == 0)
    return TRUE; /* end of stream */
  if (!fill (self, RECORD_HEADER))
    return FALSE;
  if (self->in->len < RECORD_HEADER || !plausible_header (self->in->data))
    {
      /* Not a record: let GnuTLS see the bytes and say what is wrong with them. When the very
       * first bytes are like this, the peer is not speaking TLS at all. */
      self->not_tls = self->not_tls || !self->started;
      self->started = TRUE;
      self->record_left = self->in->len;
      return TRUE;
    }
  self->started = TRUE;
  total = RECORD_HEADER + ((gsize) self->in->data[3] << 8 | self->in->data[4]);
  if (!fill (self, total))
    return FALSE;
  if (self->in->len < total)
    {
      /* the peer closed in the middle of a record */
      self->record_left = self->in->len;
      return TRUE;
    }
  report (self, self->remote, self->in->data, total);
  self->record_left = total;
  return TRUE;
}

/* GnuTLS transport functions */

static int
errno_for (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return ETIMEDOUT;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return ECANCELED;
  return ECONNRESET;
}

static ssize_t
pull_cb (gnutls_transport_ptr_t ptr, void *data, size_t len)
{
  HlSocketTransport *self = ptr;
  gsize n;

  if (self->record_left == 0 && !begin_record (self))
    {
      gnutls_transport_set_errno (self->session, errno_for (self->error));
      return -1;
    }
  n = MIN (MIN (len, self->record_left), self->in->len);
  if (n == 0)
    return 0; /* end of stream */
  memcpy (data, self->in->data, n);
  g_byte_array_remove_range (self->in, 0, (guint) n);
  self->record_left -= n;
  return (ssize_t) n;
}

static int
pull_timeout_cb (gnutls_transport_ptr_t ptr, unsigned int ms)
{
  HlSocketTransport *self = ptr;
  gint64 wait_us = ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (gint64) ms * 1000;
  GError *error = NULL;

  if (self->in->len > 0 || self->eof)
    return 1;
  if (ms == 0)
    return g_socket_condition_check (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0;
  if (self->deadline > 0)
    {
      gint64 left = MAX (self->deadline - g_get_monotonic_time (), 0);

      /* GnuTLS's own wait is shorter: a timeout then is its business, not ours */
      if (wait_us >= 0 && wait_us < left)
        {
          if (g_socket_condition_timed_wait (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                             wait_us, self->cancellable, &error))
            return 1;
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            {
              g_error_free (error);
              return 0;
            }
          fail (self, error);
          gnutls_transport_set_errno (self->session, errno_for (self->error));
          return -1;
        }
    }
  if (wait_for (self, G_IO_IN | G_IO_HUP | G_IO_ERR))
    return 1;
  gnutls_transport_set_errno (self->session, errno_for (self->error));
  return -1;
}

static void
cut_records (HlSocketTransport *self)
{
  for (;;)
    {
      gsize total;

      if (self->out->len < RECORD_HEADER)
        return;
      total = RECORD_HEADER + ((gsize) self->out->data[3] << 8 | self->out->data[4]);
      if (self->out->len < total)
        return;
      report (self, self->local, self->out->data, total);
      g_byte_array_remove_range (self->out, 0, (guint) total);
    }
}

static ssize_t
push_cb (gnutls_transport_ptr_t ptr, const void *data, size_t len)
{
  HlSocketTransport *self = ptr;
  const char *p = data;
  gsize left = len;

  g_byte_array_append (self->out, data, (guint) len);
  cut_records (self);
  while (left > 0)
    {
      GError *error = NULL;
      gssize n;

      if (!wait_for (self, G_IO_OUT))
        {
          gnutls_transport_set_errno (self->session, errno_for (self->error));
          return -1;
        }
      n = g_socket_send (self->socket, p, left, self->cancellable, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          continue;
        }
      if (n < 0)
        {
          fail (self, error);
          gnutls_transport_set_errno (self->session, errno_for (self->error));
          return -1;
        }
      p += n;
      left -= (gsize) n;
      self->sent += (guint64) n;
    }
  return (ssize_t) len;
}

/* Public API */

HlSocketTransport *
hl_socket_transport_new (GSocket *socket, HlSide local, gsize capture_limit,
                         GCancellable *cancellable)
{
  HlSocketTransport *self;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  g_return_val_if_fail (local == HL_SIDE_CLIENT || local == HL_SIDE_SERVER, NULL);

  self = g_new0 (HlSocketTransport, 1);
  self->socket = g_object_ref (socket);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->local = local;
  self->remote = local == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  self->in = g_byte_array_new ();
  self->out = g_byte_array_new ();
  self->first = g_byte_array_new ();
  self->capture_limit = capture_limit;
  self->start = g_get_monotonic_time ();
  g_socket_set_blocking (socket, FALSE);
  /* Each record goes out when GnuTLS pushes it: without this, Nagle's algorithm holds a small
   * record back until the peer's delayed acknowledgement (40 ms on Linux) */
  if (g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  return self;
}

void
hl_socket_transport_free (HlSocketTransport *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->socket);
  g_clear_object (&self->cancellable);
  g_byte_array_unref (self->in);
  g_byte_array_unref (self->out);
  g_byte_array_unref (self->first);
  g_free (self->phase);
  g_clear_error (&self->error);
  g_free (self);
}

void
hl_socket_transport_attach (HlSocketTransport *self, gnutls_session_t session)
{
  g_return_if_fail (self != NULL);

  self->session = session;
  gnutls_transport_set_ptr (session, self);
  gnutls_transport_set_push_function (session, push_cb);
  gnutls_transport_set_pull_function (session, pull_cb);
  gnutls_transport_set_pull_timeout_function (session, pull_timeout_cb);
}

void
hl_socket_transport_set_record_func (HlSocketTransport *self, HlPipeRecordFunc func,
                                     gpointer user_data)
{
  g_return_if_fail (self != NULL);
  self->record_func = func;
  self->record_data = user_data;
}

void
hl_socket_transport_set_deadline (HlSocketTransport *self, gint64 deadline, const char *phase)
{
  g_return_if_fail (self != NULL);
  self->deadline = deadline;
  g_free (self->phase);
  self->phase = g_strdup (phase);
}

gint64
hl_socket_transport_get_time (HlSocketTransport *self)
{
  return MAX (g_get_monotonic_time () - self->start, 0);
}

GError *
hl_socket_transport_take_error (HlSocketTransport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_steal_pointer (&self->error);
}

gboolean
hl_socket_transport_peer_closed (HlSocketTransport *self)
{
  return self->eof;
}

GBytes *
hl_socket_transport_get_first_bytes (HlSocketTransport *self)
{
  return g_bytes_new (self->first->data, self->first->len);
}

gboolean
hl_socket_transport_not_tls (HlSocketTransport *self)
{
  return self->not_tls;
}

gboolean
hl_socket_transport_is_truncated (HlSocketTransport *self)
{
  return self->truncated;
}

guint64
hl_socket_transport_get_sent (HlSocketTransport *self)
{
  return self->sent;
}

guint64
hl_socket_transport_get_received (HlSocketTransport *self)
{
  return self->received;
}

char *
hl_socket_transport_describe_bytes (GBytes *bytes)
{
  gsize n;
  const guint8 *p = g_bytes_get_data (bytes, &n);
  gsize line = 0;
  gboolean text = n > 0;
  GString *out;

  while (line < n && p[line] != '\r' && p[line] != '\n')
    line++;
  for (gsize i = 0; i < line; i++)
    text = text && g_ascii_isprint (p[i]);
  out = g_string_new (NULL);
  if (text && line > 0)
    {
      g_string_append (out, "“");
      g_string_append_len (out, (const char *) p, (gssize) MIN (line, 60));
      g_string_append (out, line > 60 ? "…”" : "”");
    }
  else
    {
      for (gsize i = 0; i < MIN (n, 16); i++)
        g_string_append_printf (out, "%s%02x", i ? " " : "", p[i]);
      if (n > 16)
        g_string_append (out, " …");
    }
  return g_string_free (out, FALSE);
}
