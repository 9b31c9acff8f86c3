/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hl-field.h"
#include "hl-trace.h"

G_BEGIN_DECLS

/**
 * hl_trace_decode_event:
 * Decodes the bytes of one event of @trace into a field tree, with what the trace knows about
 * its connection (version, key exchange, whether the record was protected). Offsets are
 * relative to the event's bytes. Records decode their header and, when protected, show the
 * fragment as opaque; hl_trace_decode_plaintext() decodes what was inside. Actions and notes
 * have no bytes: the result is then NULL without an error.
 */
HlField *hl_trace_decode_event (HlTrace *trace, HlEvent *event, GError **error);

/* The decrypted content of a protected record (inner content type from the event), or NULL
 * without an error when the record was not protected or has no plaintext. */
HlField *hl_trace_decode_plaintext (HlTrace *trace, HlEvent *event, GError **error);

G_END_DECLS
