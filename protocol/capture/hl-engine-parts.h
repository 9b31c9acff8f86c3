/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of the in-memory engine only (hl-engine*.c): the small helpers and the
 * steps one part calls in another. What hl-mitm.c and hl-live.c use is in hl-engine-private.h.
 * Not installed, not API. */

#include "hl-engine-private.h"
#include "hl-error.h"

G_BEGIN_DECLS

/* hl-engine-events.c */
void         hl_engine_set_error (Run *run, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);
char        *hl_engine_short_hex (GBytes *bytes);
HlEvent     *hl_engine_append_at (Run *run, HlEvent *event, gint64 timestamp);
void         hl_engine_queue_item (Peer *peer, HlEvent *event);
void         hl_engine_append_item (Run *run, HlEvent *item, int record_index);

/* hl-engine-order.c */
void         hl_engine_take_key (Run *run, HlEvent *event);
void         hl_engine_message_processed (Run *run, HlSide sender, guint type);

/* hl-engine-captions.c */
char        *hl_engine_message_caption (Peer *peer, guint type, gboolean hrr, const guint8 *body,
                                        gsize body_len);
const char  *hl_engine_message_name (guint type, gboolean hrr);

/* hl-engine-records.c */
void         hl_engine_queue_message (Peer *peer, guint htype, const gnutls_datum_t *msg);
void         hl_engine_describe_tls12_records (Run *run);

/* hl-engine-hooks.c */
void         hl_engine_add_record_state (Peer *peer, HlEpoch epoch, gboolean want_read,
                                         gboolean want_write);
guint        hl_engine_alert_for_status (guint status);


/* hl-engine-server-key.c: the server's certificate and RSA key in @run's server credentials,
 * through a key that keeps what the server decrypts (a captured RSA key exchange); and the
 * premaster it opened from @ciphertext, moved to @plaintext, or FALSE. */
gboolean     hl_engine_add_server_key (Run *run, GError **error);
gboolean     hl_engine_take_opened (Run *run, const guint8 *ciphertext, gsize size,
                                    gnutls_datum_t *plaintext);

/* hl-engine-traffic.c */
gboolean     hl_engine_exchange_data (Run *run, GError **error);
void         hl_engine_deliver_alert (Run *run);

/* Small helpers */

static inline Peer *
peer_of (Run *run, HlSide side)
{
  return &run->peers[side == HL_SIDE_CLIENT ? 0 : 1];
}

static inline Peer *
other_of (Peer *peer)
{
  return peer_of (peer->run, peer->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT);
}

static inline const char *
who (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "client" : "server";
}

static inline const char *
Who (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "Client" : "Server";
}

/* The session that speaks for @peer: its own, or ours when it is a remote peer (both ends of
 * one connection agree on what was negotiated). */
static inline gnutls_session_t
session_of (Peer *peer)
{
  return peer->session != NULL ? peer->session : other_of (peer)->session;
}

static inline gboolean
is_tls13 (Peer *peer)
{
  return gnutls_protocol_get_version (session_of (peer)) == GNUTLS_TLS1_3;
}

static inline gint64
run_time (Run *run)
{
  return run->transport ? hl_socket_transport_get_time (run->transport)
                        : hl_pipe_get_time (run->pipe);
}

static inline GBytes *
datum_bytes (const gnutls_datum_t *d)
{
  return g_bytes_new (d->data, d->size);
}

static inline guint
side_index (HlSide side)
{
  return side == HL_SIDE_CLIENT ? 0 : 1;
}

/* Sessions */

static inline gboolean
check_gnutls (Run *run, int rc, const char *what)
{
  if (rc >= 0)
    return TRUE;
  hl_engine_set_error (run, HL_ENGINE_ERROR_SETUP, "%s: %s (%d)", what, gnutls_strerror (rc), rc);
  return FALSE;
}

/* The steps every part takes, by the short names the engine has always used for them (they are
 * the hl_engine_*() functions of hl-engine-private.h, which hl-mitm.c and hl-live.c call). */

static inline HlEvent *
new_event (Run *run, HlEventKind kind, HlSide side, HlSide peer, const char *name)
{
  return hl_engine_new_event (run, kind, side, peer, name);
}

static inline HlEvent *
add_action (Run *run, HlSide side, HlSide peer, const char *name, HlCheck check,
            const char *caption, const char *technical)
{
  return hl_engine_add_action (run, side, peer, name, check, caption, technical);
}

static inline void
add_secret (Run *run, const char *name, const char *label, GBytes *value, HlSide holder,
            HlSource source, const char *note)
{
  hl_engine_add_secret (run, name, label, value, holder, source, note);
}

static inline HlEvent *
alert_event (Run *run, HlSide sender, guint level, guint desc)
{
  return hl_engine_alert_event (run, sender, level, desc);
}

G_END_DECLS
