/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the parts of the trace file code (hl-trace-io.c writes and opens files,
 * hl-trace-scan.c checks the JSON text, hl-trace-reader.c reads members, hl-trace-read.c reads
 * the model, hl-trace-equal.c compares two traces). Not for use outside protocol/trace/. */

#include <json-glib/json-glib.h>

#include "hl-error.h"
#include "hl-trace-io.h"

G_BEGIN_DECLS

/* A strict RFC 8259 check of @data before json-glib parses it (hl-trace-scan.c). */
gboolean hl_trace_scan_document (const char *data, gsize length, GError **error);

/* Reading members (hl-trace-reader.c)
 *
 * An HlTraceReader walks the tree with the JSON path of where it is, so every message names the
 * member ("events[3].side: unknown value “martian”"). The first error sticks: once one is set,
 * every hl_trace_reader_*() returns FALSE and leaves its output alone, so a struct reader can
 * read all its members in a row and check once at the end. */

typedef enum
{
  MEMBER_REQUIRED = 0,
  MEMBER_NULLABLE = 1 << 0,   /* JSON null stands for NULL */
  MEMBER_OPTIONAL = 1 << 1,   /* may be absent: members added after format_version 1 */
} MemberFlags;

typedef enum
{
  TYPE_STRING,
  TYPE_INTEGER,
  TYPE_BOOLEAN,
  TYPE_OBJECT,
  TYPE_ARRAY,
} ValueType;

typedef struct
{
  GString *path;   /* of the object being read: "", "events[3]", "events[3].alert" */
  GError  *error;
  gint64   version; /* format_version of the document */
} HlTraceReader;

#define invalid(r, member, ...) \
  hl_trace_reader_fail (r, HL_TRACE_ERROR_INVALID, member, __VA_ARGS__)

gboolean hl_trace_reader_fail (HlTraceReader *r, int code, const char *member, const char *format,
                               ...) G_GNUC_PRINTF (4, 5);
gsize hl_trace_reader_enter (HlTraceReader *r, const char *member, gint64 index);
void hl_trace_reader_leave (HlTraceReader *r, gsize saved);
char *hl_trace_reader_quote (const char *str);
const char *hl_trace_reader_describe_node (JsonNode *node);
gboolean hl_trace_reader_check_node (HlTraceReader *r, const char *member, JsonNode *node,
                                     ValueType type);
gboolean hl_trace_reader_get_member (HlTraceReader *r, JsonObject *object, const char *name,
                                     ValueType type, MemberFlags flags, JsonNode **out);
gboolean hl_trace_reader_string (HlTraceReader *r, JsonObject *object, const char *name,
                                 MemberFlags flags, char **out);
gboolean hl_trace_reader_int (HlTraceReader *r, JsonObject *object, const char *name, gint64 min,
                              gint64 max, gint64 *out);
gboolean hl_trace_reader_uint (HlTraceReader *r, JsonObject *object, const char *name, gint64 min,
                               gint64 max, guint *out);
gboolean hl_trace_reader_bool (HlTraceReader *r, JsonObject *object, const char *name,
                               gboolean *out);
GBytes *hl_trace_reader_decode_hex (HlTraceReader *r, const char *member, JsonNode *node);
gboolean hl_trace_reader_hex (HlTraceReader *r, JsonObject *object, const char *name,
                              MemberFlags flags, GBytes **out);
gboolean hl_trace_reader_array (HlTraceReader *r, JsonObject *object, const char *name,
                                MemberFlags flags, guint max, const char *what, JsonArray **out);
gboolean hl_trace_reader_object (HlTraceReader *r, JsonObject *object, const char *name,
                                 MemberFlags flags, JsonObject **out);
JsonObject *hl_trace_reader_element_object (HlTraceReader *r, JsonArray *array, guint index);
gboolean hl_trace_reader_strv (HlTraceReader *r, JsonObject *object, const char *name,
                               MemberFlags flags, GStrv *out);
gboolean hl_trace_reader_chain (HlTraceReader *r, JsonObject *object, const char *name,
                                GPtrArray **out);

/* The enumerations by their names in the file ("client", "record", …). */
gboolean hl_trace_reader_side (HlTraceReader *r, JsonObject *object, const char *name, HlSide *out);
gboolean hl_trace_reader_kind (HlTraceReader *r, JsonObject *object, const char *name,
                               HlEventKind *out);
gboolean hl_trace_reader_epoch (HlTraceReader *r, JsonObject *object, const char *name,
                                HlEpoch *out);
gboolean hl_trace_reader_check (HlTraceReader *r, JsonObject *object, const char *name,
                                HlCheck *out);
gboolean hl_trace_reader_source (HlTraceReader *r, JsonObject *object, const char *name,
                                 HlSource *out);
gboolean hl_trace_reader_moment (HlTraceReader *r, JsonObject *object, const char *name,
                                 HlMoment *out);

G_END_DECLS
