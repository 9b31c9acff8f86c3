/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hl-field.h"
#include "hl-record-crypto.h"
#include "hl-trace.h"

G_BEGIN_DECLS

/*
 * The internals of protected records as fields: how each record was opened (sequence number,
 * nonce construction, additional data) and where its parts sit in its bytes (explicit nonce or
 * IV, ciphertext, tag or MAC, TLS 1.3 inner type and padding). They are recomputed from the
 * trace's keys and bytes whenever asked, never stored, so traces saved before they existed
 * show them too.
 */

void     hl_record_internals_add_fields (const HlRecordInternals *ri,
                                         const char              *keys,
                                         HlField                 *root);

HlField *hl_trace_decode_with_internals (HlTrace  *trace,
                                         HlEvent  *event,
                                         GError  **error);

G_END_DECLS
