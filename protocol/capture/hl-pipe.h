/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gnutls/gnutls.h>

#include "hl-types.h"

G_BEGIN_DECLS

/**
 * HlPipe:
 * An in-memory duplex transport between a client and a server gnutls_session_t. Each side's
 * pushes go into the other side's queue; a pull from an empty queue fails with EAGAIN
 * (sessions are GNUTLS_NONBLOCK). The byte stream of each direction is also cut into TLS
 * records, and every complete record is reported with its sender and a monotonic timestamp.
 */
typedef struct _HlPipe HlPipe;

/* @record is the whole record, 5-byte header included. */
typedef void (*HlPipeRecordFunc) (HlSide   sender,
                                  GBytes  *record,
                                  gint64   timestamp,
                                  gpointer user_data);

HlPipe  *hl_pipe_new (void);
void     hl_pipe_free (HlPipe *pipe);

/* Installs the transport functions on @session for @side (client or server). */
void     hl_pipe_attach (HlPipe *pipe, HlSide side, gnutls_session_t session);
void     hl_pipe_set_record_func (HlPipe *pipe, HlPipeRecordFunc func, gpointer user_data);
/* Called when @receiver starts reading the next record of its queue (one-record mode only):
 * the moment its TLS library takes that record in. */
typedef void (*HlPipeReadFunc) (HlSide receiver, gpointer user_data);
void     hl_pipe_set_read_func (HlPipe *pipe, HlPipeReadFunc func, gpointer user_data);
/* When set, a pull never returns bytes past the end of the record being read, so every
 * gnutls call sees at most one new record at a time. */
void     hl_pipe_set_one_record_per_pull (HlPipe *pipe, gboolean one_record);
/* What the transport functions do: @sender writes into the pipe (records are reported as they
 * complete); @receiver reads up to @len bytes, or gets -1 when nothing is queued. */
void     hl_pipe_write (HlPipe *pipe, HlSide sender, const void *data, gsize len);
gssize   hl_pipe_read (HlPipe *pipe, HlSide receiver, void *data, gsize len);
/* Bytes waiting to be read by @receiver. */
gsize    hl_pipe_get_pending (HlPipe *pipe, HlSide receiver);
/* Total bytes ever pushed by @sender. */
guint64  hl_pipe_get_pushed (HlPipe *pipe, HlSide sender);
/* Microseconds since the pipe was created (the trace's clock). */
gint64   hl_pipe_get_time (HlPipe *pipe);
/* Makes @pipe's clock @with's (two connections of one trace). */
void     hl_pipe_share_clock (HlPipe *pipe, HlPipe *with);
/* Drops queued bytes in both directions (between two connections of one trace). */
void     hl_pipe_reset (HlPipe *pipe);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlPipe, hl_pipe_free)

G_END_DECLS
