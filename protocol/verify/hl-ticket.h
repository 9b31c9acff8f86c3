/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Opening a TLS 1.2 session ticket (RFC 5077 §3.3: its contents are the server's business) that
 * GnuTLS sealed, with the 64-byte key the server gave gnutls_session_ticket_enable_server().
 * GnuTLS 3.6.14 and later do not seal with that key itself (lib/stek.c): every period of
 * HL_TICKET_PERIOD seconds they use SHA3-512(T ‖ key), T the period's number (Unix time / the
 * period) as a 64-bit big-endian integer. Of those 64 bytes the first 16 name the key, the next
 * 32 are an AES-256-CBC key, the last 16 an HMAC-SHA1 key; the ticket is (lib/ext/
 * session_ticket.c) key_name (16) ‖ IV (16) ‖ uint16 length ‖ encrypted state ‖ HMAC-SHA1 over
 * everything before it (20). The state is GnuTLS's own serialisation of the session, zero-padded
 * to the block size. This is GnuTLS's format, not a standard one: another library, or a GnuTLS
 * that changes it, gives an error here, never a guess.
 */

/* GnuTLS's default ticket lifetime (6 hours) times its rotation factor (3) */
#define HL_TICKET_PERIOD G_GINT64_CONSTANT (64800)

#define HL_TICKET_ERROR (hl_ticket_error_quark ())

typedef enum
{
  HL_TICKET_ERROR_FORMAT,      /* not key_name ‖ IV ‖ length ‖ state ‖ MAC */
  HL_TICKET_ERROR_KEY_NAME,    /* no period near the time of issue gives its key name */
  HL_TICKET_ERROR_MAC,         /* the key name fits but the MAC does not */
  HL_TICKET_ERROR_GNUTLS,      /* a primitive failed; the message keeps GnuTLS's text */
} HlTicketError;

/**
 * HlTicketContents:
 * @period: T, the period whose key sealed it
 * @state: the decrypted state (with GnuTLS's zero padding)
 */
typedef struct
{
  gint64  period;
  GBytes *state;
} HlTicketContents;

GQuark hl_ticket_error_quark (void);

/* Opens @ticket with @ticket_key (64 bytes), trying the periods around @issued (Unix seconds).
 * Returns %FALSE with @error when it cannot; @out->state is owned by the caller. */
gboolean hl_ticket_open (GBytes            *ticket_key,
                         GBytes            *ticket,
                         gint64             issued,
                         HlTicketContents  *out,
                         GError           **error);

G_END_DECLS
