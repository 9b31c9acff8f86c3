/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hl-trace.h"

G_BEGIN_DECLS

/* The saved-trace format (`.hltrace`): one JSON object, described in hl-trace-io.c. */
#define HL_TRACE_FORMAT_NAME "handshake-lens-trace"
/* 2: events in causal order, each wire item with its moment and sending time. Version 1 files
 * still open; their order is approximate (events as they were sent). */
#define HL_TRACE_FORMAT_VERSION 2

/* What the loader accepts at most. The size is checked before anything is parsed. */
#define HL_TRACE_MAX_DOCUMENT_SIZE (64 * 1024 * 1024)  /* bytes of JSON text */
#define HL_TRACE_MAX_EVENTS 100000
#define HL_TRACE_MAX_FIELD_SIZE (16 * 1024 * 1024)     /* decoded bytes of one byte field */
#define HL_TRACE_MAX_HANDSHAKES 8
#define HL_TRACE_MAX_DEPTH 64                          /* JSON nesting */

JsonNode *hl_trace_to_json (HlTrace *trace);
char     *hl_trace_to_data (HlTrace *trace, gsize *length);
gboolean  hl_trace_save (HlTrace *trace, GFile *file, GCancellable *cancellable, GError **error);

HlTrace  *hl_trace_from_json (JsonNode *root, GError **error);
HlTrace  *hl_trace_load_data (const char *data, gssize length, GError **error);
HlTrace  *hl_trace_load_file (GFile *file, GCancellable *cancellable, GError **error);
void      hl_trace_load_file_async (GFile *file, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
HlTrace  *hl_trace_load_file_finish (GAsyncResult *result, GError **error);

gboolean  hl_trace_equal (HlTrace *a, HlTrace *b, GString *why);

G_END_DECLS
