/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

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

/* Adds each event's decoded field tree to a trace's JSON (from hl_trace_to_json()) as members
 * "fields" (and "plaintext_fields" for decrypted records): name, offset, length, value,
 * explanation, rfc, children. The trace loader ignores them; they are for people and scripts
 * that read `--json` output. Events that do not decode get "fields_error" instead. */
void hl_trace_json_add_fields (HlTrace *trace, JsonNode *root);

G_END_DECLS
