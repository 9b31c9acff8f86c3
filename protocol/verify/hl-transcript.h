/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hl-trace.h"

G_BEGIN_DECLS

/**
 * hl_trace_transcript:
 * @finished: index of a Finished message event (or of any handshake message event)
 * @after_hello_retry: (out) (optional): set when the first entry is the TLS 1.3 ClientHello
 *   that a HelloRetryRequest replaced by its hash (RFC 8446 §4.4.1 message_hash)
 *
 * The handshake messages whose hash the Finished at @finished covers, in order, as indexes of
 * message events (RFC 5246 §7.4.9: every handshake message of this handshake before it,
 * including a TLS 1.2 NewSessionTicket; RFC 8446 §4.4.4: the same without post-handshake
 * messages). ChangeCipherSpec and alerts are not handshake messages and never count.
 */
GArray *hl_trace_transcript (HlTrace *trace, guint finished, gboolean *after_hello_retry);

G_END_DECLS
