/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>

#include "hl-pipe.h"
#include "hl-types.h"

G_BEGIN_DECLS

/**
 * HlSocketTransport:
 * The transport of a live session: our gnutls_session_t on one side of a connected #GSocket,
 * a real peer on the other. Like #HlPipe, it installs its own push and pull functions (never
 * gnutls_transport_set_int(), which would hide the bytes), cuts both directions into TLS
 * records and reports each one with its sender and a monotonic timestamp: ours when GnuTLS
 * pushes it, the peer's when GnuTLS starts reading it (a pull never goes past the end of the
 * record being read), so the trace order is the order in which records were processed.
 *
 * Every wait has a deadline (hl_socket_transport_set_deadline()) and honours the cancellable;
 * a pull or push that fails sets errno for GnuTLS and keeps the reason, which
 * hl_socket_transport_take_error() hands out. Captured bytes are bounded: past the limit the
 * transport still carries the connection but reports no more records.
 */
typedef struct _HlSocketTransport HlSocketTransport;

HlSocketTransport *hl_socket_transport_new (GSocket      *socket,
                                            HlSide        local,
                                            gsize         capture_limit,
                                            GCancellable *cancellable);
void     hl_socket_transport_free (HlSocketTransport *self);

void     hl_socket_transport_attach (HlSocketTransport *self, gnutls_session_t session);
void     hl_socket_transport_set_record_func (HlSocketTransport *self, HlPipeRecordFunc func,
                                              gpointer user_data);
/* Waits end at @deadline (g_get_monotonic_time() clock); @phase names what was going on for
 * the timeout message ("the handshake", "the response"). */
void     hl_socket_transport_set_deadline (HlSocketTransport *self, gint64 deadline,
                                           const char *phase);
/* Microseconds since the transport was created (the trace's clock). */
gint64   hl_socket_transport_get_time (HlSocketTransport *self);

/* Why the last push or pull failed (timed out, reset, cancelled), or NULL. */
GError  *hl_socket_transport_take_error (HlSocketTransport *self);
/* The peer closed its end of the TCP connection (a read returned 0 bytes). */
gboolean hl_socket_transport_peer_closed (HlSocketTransport *self);
/* The first bytes the peer sent (up to 64), to show what a peer that is not speaking TLS said. */
GBytes  *hl_socket_transport_get_first_bytes (HlSocketTransport *self);
/* The peer's first bytes do not start a TLS record (RFC 8446 §5.1: type 20–24, version 3.x). */
gboolean hl_socket_transport_not_tls (HlSocketTransport *self);
gboolean hl_socket_transport_is_truncated (HlSocketTransport *self);
guint64  hl_socket_transport_get_sent (HlSocketTransport *self);
guint64  hl_socket_transport_get_received (HlSocketTransport *self);

/* "HTTP/1.1 400 Bad Request\r\n…" → “HTTP/1.1 400 Bad Request” (printable text, or hex). */
char    *hl_socket_transport_describe_bytes (GBytes *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlSocketTransport, hl_socket_transport_free)

G_END_DECLS
