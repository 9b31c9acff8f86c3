/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hl-tls-names.h" /* HL_CONTENT_* */

G_BEGIN_DECLS

/**
 * HlSide:
 * The participants of a trace. `HL_SIDE_BOTH` is only used for secrets that both
 * endpoints of a connection know; `HL_SIDE_NONE` for events that belong to no lifeline.
 * `HL_SIDE_ATTACKER` sits between client and server in the attack scenarios: the TLS server
 * of the client's connection and the TLS client of the server's (hl_trace_get_role()). It comes
 * last so that the serialised names of the others keep their values.
 */
typedef enum
{
  HL_SIDE_CLIENT,
  HL_SIDE_SERVER,
  HL_SIDE_CA,
  HL_SIDE_BOTH,
  HL_SIDE_NONE,
  HL_SIDE_ATTACKER,
} HlSide;

typedef enum
{
  HL_EVENT_RECORD,
  HL_EVENT_MESSAGE,
  HL_EVENT_ACTION,
  HL_EVENT_ALERT,
  HL_EVENT_APP_DATA,
  HL_EVENT_NOTE,
} HlEventKind;

/* Which keys protect a record (RFC 8446 §7; TLS 1.2 has no handshake epoch). */
typedef enum
{
  HL_EPOCH_PLAINTEXT,
  HL_EPOCH_HANDSHAKE,
  HL_EPOCH_APPLICATION,
} HlEpoch;

/* The outcome of a local check (chain verification, Finished comparison, re-derivation). */
typedef enum
{
  HL_CHECK_NONE,
  HL_CHECK_OK,
  HL_CHECK_FAILED,
} HlCheck;

/* Where a wire item (record, message, alert, application data) stands in the trace's order
 * (RFC-free: our own model). Actions and notes stand where they happened. */
typedef enum
{
  HL_MOMENT_NONE,        /* not a wire item */
  HL_MOMENT_PROCESSED,   /* shown when the receiver's TLS library processed it */
  HL_MOMENT_SENT,        /* shown when it was sent: the receiver is a remote peer (its
                          * processing is not observable) */
  HL_MOMENT_UNREAD,      /* shown when it was sent: the receiver stopped before reading it */
} HlMoment;

/* How a secret became known to us. */
typedef enum
{
  HL_SOURCE_LIBRARY,   /* GnuTLS handed it out (keylog, secret function, record state) */
  HL_SOURCE_DECRYPTED, /* we decrypted it from the wire (RSA premaster) */
  HL_SOURCE_DERIVED,   /* computed by our own key schedule */
  HL_SOURCE_WIRE,      /* sent in the clear (randoms) */
} HlSource;

/* "client", "server", "ca", "both", "none", "attacker" */
const char *hl_side_to_string (HlSide side);
const char *hl_side_to_label (HlSide side);         /* "Client", "Server", "Certificate Authority" */
gboolean    hl_side_from_string (const char *str, HlSide *out);
/* The TLS role @side plays in connection @handshake: the attacker is the server of the
 * client's connection (0) and the client of the server's (1); every other side is its own. */
HlSide      hl_side_get_role (HlSide side, guint handshake);
const char *hl_event_kind_to_string (HlEventKind kind); /* "record", "message", "action", … */
gboolean    hl_event_kind_from_string (const char *str, HlEventKind *out);
const char *hl_epoch_to_string (HlEpoch epoch);     /* "plaintext", "handshake", "application" */
gboolean    hl_epoch_from_string (const char *str, HlEpoch *out);
const char *hl_check_to_string (HlCheck check);     /* "none", "ok", "failed" */
gboolean    hl_check_from_string (const char *str, HlCheck *out);
const char *hl_moment_to_string (HlMoment moment);   /* "none", "processed", "sent", "unread" */
gboolean    hl_moment_from_string (const char *str, HlMoment *out);
const char *hl_source_to_string (HlSource source);  /* "library", "decrypted", "derived", "wire" */
gboolean    hl_source_from_string (const char *str, HlSource *out);

const char *hl_content_type_name (guint content_type);  /* "handshake", … or NULL */
const char *hl_handshake_type_name (guint type);        /* "ClientHello", … or NULL */
const char *hl_alert_description_name (guint desc);     /* "unknown_ca", … or NULL */

G_END_DECLS
