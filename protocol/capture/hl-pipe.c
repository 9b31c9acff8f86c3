/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-pipe"
#include "config.h"

#include <errno.h>
#include <string.h>

#include "hl-pipe.h"

#define RECORD_HEADER 5

/* One direction of the pipe: the queue its receiver pulls from, and the record splitter that
 * watches what its sender pushes. */
typedef struct
{
  GByteArray *queue;       /* bytes not yet pulled */
  gsize       record_left; /* bytes of the current record still to deliver (one-record mode) */
  GByteArray *assembling;  /* bytes of the record being cut from the pushed stream */
  guint64     pushed;
} Direction;

typedef struct
{
  HlPipe           *pipe;
  HlSide            side;
  gnutls_session_t  session;
} Endpoint;

struct _HlPipe
{
  Direction         to_server; /* pushed by the client */
  Direction         to_client; /* pushed by the server */
  Endpoint          ends[2];
  gboolean          one_record;
  gint64            start;
  HlPipeRecordFunc  record_func;
  gpointer          record_data;
  HlPipeReadFunc    read_func;
  gpointer          read_data;
};

static Direction *
outgoing (HlPipe *pipe, HlSide sender)
{
  return sender == HL_SIDE_CLIENT ? &pipe->to_server : &pipe->to_client;
}

static Direction *
incoming (HlPipe *pipe, HlSide receiver)
{
  return receiver == HL_SIDE_CLIENT ? &pipe->to_client : &pipe->to_server;
}

/* Cuts complete records from the pushed stream and reports each one. */
static void
split_records (HlPipe *pipe, HlSide sender, const guint8 *data, gsize len)
{
  Direction *dir = outgoing (pipe, sender);

  g_byte_array_append (dir->assembling, data, len);
  for (;;)
    {
      gsize total;
      GBytes *record;

      if (dir->assembling->len < RECORD_HEADER)
        return;
      total = RECORD_HEADER + ((gsize) dir->assembling->data[3] << 8 | dir->assembling->data[4]);
      if (dir->assembling->len < total)
        return;
      record = g_bytes_new (dir->assembling->data, total);
      g_byte_array_remove_range (dir->assembling, 0, total);
      if (pipe->record_func)
        pipe->record_func (sender, record, hl_pipe_get_time (pipe), pipe->record_data);
      g_bytes_unref (record);
    }
}

void
hl_pipe_write (HlPipe *pipe, HlSide sender, const void *data, gsize len)
{
  Direction *dir = outgoing (pipe, sender);

  g_byte_array_append (dir->queue, data, len);
  dir->pushed += len;
  split_records (pipe, sender, data, len);
}

gssize
hl_pipe_read (HlPipe *pipe, HlSide receiver, void *data, gsize len)
{
  Direction *dir = incoming (pipe, receiver);
  gsize n;

  if (dir->queue->len == 0)
    return -1;

  n = MIN (len, dir->queue->len);
  if (pipe->one_record)
    {
      if (dir->record_left == 0)
        {
          if (pipe->read_func)
            pipe->read_func (receiver, pipe->read_data);
          if (dir->queue->len >= RECORD_HEADER)
            dir->record_left = RECORD_HEADER + ((gsize) dir->queue->data[3] << 8 |
                                                dir->queue->data[4]);
          else
            dir->record_left = dir->queue->len;
        }
      n = MIN (n, dir->record_left);
      dir->record_left -= n;
    }

  memcpy (data, dir->queue->data, n);
  g_byte_array_remove_range (dir->queue, 0, n);
  return (gssize) n;
}

static ssize_t
push_cb (gnutls_transport_ptr_t ptr, const void *data, size_t len)
{
  Endpoint *end = ptr;

  hl_pipe_write (end->pipe, end->side, data, len);
  return (ssize_t) len;
}

static ssize_t
pull_cb (gnutls_transport_ptr_t ptr, void *data, size_t len)
{
  Endpoint *end = ptr;
  gssize n = hl_pipe_read (end->pipe, end->side, data, len);

  if (n < 0)
    gnutls_transport_set_errno (end->session, EAGAIN);
  return n;
}

static int
pull_timeout_cb (gnutls_transport_ptr_t ptr, unsigned int ms)
{
  Endpoint *end = ptr;

  return incoming (end->pipe, end->side)->queue->len > 0 ? 1 : 0;
}

static void
direction_init (Direction *dir)
{
  dir->queue = g_byte_array_new ();
  dir->assembling = g_byte_array_new ();
}

static void
direction_clear (Direction *dir)
{
  g_clear_pointer (&dir->queue, g_byte_array_unref);
  g_clear_pointer (&dir->assembling, g_byte_array_unref);
}

HlPipe *
hl_pipe_new (void)
{
  HlPipe *pipe = g_new0 (HlPipe, 1);

  direction_init (&pipe->to_server);
  direction_init (&pipe->to_client);
  pipe->ends[0] = (Endpoint) { pipe, HL_SIDE_CLIENT, NULL };
  pipe->ends[1] = (Endpoint) { pipe, HL_SIDE_SERVER, NULL };
  pipe->start = g_get_monotonic_time ();
  return pipe;
}

void
hl_pipe_free (HlPipe *pipe)
{
  if (pipe == NULL)
    return;
  direction_clear (&pipe->to_server);
  direction_clear (&pipe->to_client);
  g_free (pipe);
}

void
hl_pipe_attach (HlPipe *pipe, HlSide side, gnutls_session_t session)
{
  g_return_if_fail (pipe != NULL);
  g_return_if_fail (side == HL_SIDE_CLIENT || side == HL_SIDE_SERVER);

  Endpoint *end = &pipe->ends[side == HL_SIDE_CLIENT ? 0 : 1];

  end->session = session;
  gnutls_transport_set_ptr (session, end);
  gnutls_transport_set_push_function (session, push_cb);
  gnutls_transport_set_pull_function (session, pull_cb);
  gnutls_transport_set_pull_timeout_function (session, pull_timeout_cb);
}

void
hl_pipe_set_record_func (HlPipe *pipe, HlPipeRecordFunc func, gpointer user_data)
{
  g_return_if_fail (pipe != NULL);
  pipe->record_func = func;
  pipe->record_data = user_data;
}

void
hl_pipe_set_one_record_per_pull (HlPipe *pipe, gboolean one_record)
{
  g_return_if_fail (pipe != NULL);
  pipe->one_record = one_record;
}

gsize
hl_pipe_get_pending (HlPipe *pipe, HlSide receiver)
{
  g_return_val_if_fail (pipe != NULL, 0);
  return incoming (pipe, receiver)->queue->len;
}

guint64
hl_pipe_get_pushed (HlPipe *pipe, HlSide sender)
{
  g_return_val_if_fail (pipe != NULL, 0);
  return outgoing (pipe, sender)->pushed;
}

void
hl_pipe_share_clock (HlPipe *pipe, HlPipe *with)
{
  pipe->start = with->start;
}

gint64
hl_pipe_get_time (HlPipe *pipe)
{
  g_return_val_if_fail (pipe != NULL, 0);
  return g_get_monotonic_time () - pipe->start;
}

void
hl_pipe_reset (HlPipe *pipe)
{
  g_return_if_fail (pipe != NULL);
  for (guint i = 0; i < 2; i++)
    {
      Direction *dir = i == 0 ? &pipe->to_server : &pipe->to_client;

      g_byte_array_set_size (dir->queue, 0);
      g_byte_array_set_size (dir->assembling, 0);
      dir->record_left = 0;
    }
}

void
hl_pipe_set_read_func (HlPipe *pipe, HlPipeReadFunc func, gpointer user_data)
{
  g_return_if_fail (pipe != NULL);
  pipe->read_func = func;
  pipe->read_data = user_data;
}
