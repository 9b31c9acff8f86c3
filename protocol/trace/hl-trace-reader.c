/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-io"
#include "config.h"

#include <string.h>

#include "hl-trace-io-private.h"
#include "hl-trace-private.h"

#define MAX_CHAIN 64
#define MAX_INPUTS 64
#define QUOTE_MAX_CHARS 40

/* The member readers: see hl-trace-io-private.h. */

gboolean
hl_trace_reader_fail (HlTraceReader *r, int code, const char *member, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (r->error != NULL)
    return FALSE;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (member == NULL)
    g_set_error (&r->error, HL_TRACE_ERROR, code, "%s: %s",
                 r->path->len > 0 ? r->path->str : "document", what);
  else
    g_set_error (&r->error, HL_TRACE_ERROR, code, "%s%s%s: %s", r->path->str,
                 r->path->len > 0 ? "." : "", member, what);
  return FALSE;
}


gsize
hl_trace_reader_enter (HlTraceReader *r, const char *member, gint64 index)
{
  gsize saved = r->path->len;

  if (member != NULL)
    g_string_append_printf (r->path, "%s%s", r->path->len > 0 ? "." : "", member);
  if (index >= 0)
    g_string_append_printf (r->path, "[%" G_GINT64_FORMAT "]", index);
  return saved;
}

void
hl_trace_reader_leave (HlTraceReader *r, gsize saved)
{
  g_string_truncate (r->path, saved);
}

/* “value”, cut short; for messages. */
char *
hl_trace_reader_quote (const char *str)
{
  if (g_utf8_strlen (str, -1) <= QUOTE_MAX_CHARS)
    return g_strdup_printf ("“%s”", str);
  else
    {
      g_autofree char *start = g_utf8_substring (str, 0, QUOTE_MAX_CHARS);

      return g_strdup_printf ("“%s…”", start);
    }
}

const char *
hl_trace_reader_describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_INT64:
          return "an integer";
        case G_TYPE_DOUBLE:
          return "a fractional number";
        case G_TYPE_BOOLEAN:
          return "a boolean";
        default:
          return "an unknown value";
        }
    }
}

static gboolean
node_has_type (JsonNode *node, ValueType type)
{
  switch (type)
    {
    case TYPE_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    case TYPE_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    case TYPE_STRING:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
    case TYPE_INTEGER:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
    case TYPE_BOOLEAN:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    default:
      g_assert_not_reached ();
    }
}

static const char *
describe_type (ValueType type)
{
  static const char *const names[] = { "a string", "an integer", "a boolean", "an object",
                                       "an array" };

  return names[type];
}

/* Checks that @node (an array element, or a member found by get_member) has @type. */
gboolean
hl_trace_reader_check_node (HlTraceReader *r, const char *member, JsonNode *node, ValueType type)
{
  if (node_has_type (node, type))
    {
      /* Strings come from validated JSON text; a tree built by a caller is checked here. */
      if (type == TYPE_STRING && !g_utf8_validate (json_node_get_string (node), -1, NULL))
        return invalid (r, member, "not valid UTF-8");
      return TRUE;
    }
  return invalid (r, member, "expected %s, found %s", describe_type (type),
                  hl_trace_reader_describe_node (node));
}

/* Looks up @name. On success *out is the member's node, or NULL when it is null (and
 * MEMBER_NULLABLE) or absent (and MEMBER_OPTIONAL). */
gboolean
hl_trace_reader_get_member (HlTraceReader *r, JsonObject *object, const char *name, ValueType type,
                            MemberFlags flags, JsonNode **out)
{
  JsonNode *node;

  *out = NULL;
  if (r->error != NULL)
    return FALSE;

  node = json_object_get_member (object, name);
  if (node == NULL)
    {
      if (flags & MEMBER_OPTIONAL)
        return TRUE;
      return invalid (r, name, "missing");
    }
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (flags & MEMBER_NULLABLE)
        return TRUE;
      return invalid (r, name, "expected %s, found null", describe_type (type));
    }
  if (!hl_trace_reader_check_node (r, name, node, type))
    return FALSE;
  *out = node;
  return TRUE;
}

gboolean
hl_trace_reader_string (HlTraceReader *r, JsonObject *object, const char *name, MemberFlags flags,
                        char **out)
{
  JsonNode *node;

  if (!hl_trace_reader_get_member (r, object, name, TYPE_STRING, flags, &node))
    return FALSE;
  *out = node != NULL ? g_strdup (json_node_get_string (node)) : NULL;
  return TRUE;
}

gboolean
hl_trace_reader_int (HlTraceReader *r, JsonObject *object, const char *name, gint64 min, gint64 max,
                     gint64 *out)
{
  JsonNode *node;
  gint64 value;

  if (!hl_trace_reader_get_member (r, object, name, TYPE_INTEGER, MEMBER_REQUIRED, &node))
    return FALSE;
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      if (min == max)
        return invalid (r, name, "%" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, value, min);
      return invalid (r, name, "%" G_GINT64_FORMAT " is out of range %" G_GINT64_FORMAT
                      "…%" G_GINT64_FORMAT, value, min, max);
    }
  *out = value;
  return TRUE;
}

gboolean
hl_trace_reader_uint (HlTraceReader *r, JsonObject *object, const char *name, gint64 min,
                      gint64 max, guint *out)
{
  gint64 value;

  g_assert (min >= 0 && max <= G_MAXUINT);
  if (!hl_trace_reader_int (r, object, name, min, max, &value))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

gboolean
hl_trace_reader_bool (HlTraceReader *r, JsonObject *object, const char *name, gboolean *out)
{
  JsonNode *node;

  if (!hl_trace_reader_get_member (r, object, name, TYPE_BOOLEAN, MEMBER_REQUIRED, &node))
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

#define DEFINE_READ_ENUM(Type, what, from_string)                                                  \
  gboolean                                                                                         \
  hl_trace_reader_##what (HlTraceReader *r, JsonObject *object, const char *name, Type *out)       \
  {                                                                                                \
    JsonNode *node;                                                                                \
    const char *str;                                                                               \
                                                                                                   \
    if (!hl_trace_reader_get_member (r, object, name, TYPE_STRING, MEMBER_REQUIRED, &node))        \
      return FALSE;                                                                                \
    str = json_node_get_string (node);                                                             \
    if (!from_string (str, out))                                                                   \
      {                                                                                            \
        g_autofree char *quoted = hl_trace_reader_quote (str);                                     \
                                                                                                   \
        return invalid (r, name, "unknown value %s", quoted);                                      \
      }                                                                                            \
    return TRUE;                                                                                   \
  }

DEFINE_READ_ENUM (HlSide, side, hl_side_from_string)
DEFINE_READ_ENUM (HlEventKind, kind, hl_event_kind_from_string)
DEFINE_READ_ENUM (HlEpoch, epoch, hl_epoch_from_string)
DEFINE_READ_ENUM (HlCheck, check, hl_check_from_string)
DEFINE_READ_ENUM (HlSource, source, hl_source_from_string)
DEFINE_READ_ENUM (HlMoment, moment, hl_moment_from_string)

/* Decodes the hex string in @node; @member names it in messages (NULL: the path is enough). */
GBytes *
hl_trace_reader_decode_hex (HlTraceReader *r, const char *member, JsonNode *node)
{
  const char *hex;
  gsize length;
  guint8 *data;

  if (!hl_trace_reader_check_node (r, member, node, TYPE_STRING))
    return NULL;
  hex = json_node_get_string (node);
  length = strlen (hex);

  if (length / 2 > HL_TRACE_MAX_FIELD_SIZE)
    {
      invalid (r, member, "%" G_GSIZE_FORMAT " bytes, more than the %d allowed", length / 2,
               HL_TRACE_MAX_FIELD_SIZE);
      return NULL;
    }
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (hex[i]))
      {
        invalid (r, member, "“%.*s” at position %" G_GSIZE_FORMAT " is not a hex digit",
                 (int) (g_utf8_next_char (hex + i) - (hex + i)), hex + i, i);
        return NULL;
      }
  if (length % 2 != 0)
    {
      invalid (r, member, "odd number of hex digits (%" G_GSIZE_FORMAT ")", length);
      return NULL;
    }

  data = g_malloc (length / 2);
  for (gsize i = 0; i < length / 2; i++)
    data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 |
                        g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (data, length / 2);
}

gboolean
hl_trace_reader_hex (HlTraceReader *r, JsonObject *object, const char *name, MemberFlags flags,
                     GBytes **out)
{
  JsonNode *node;
  GBytes *bytes;

  if (!hl_trace_reader_get_member (r, object, name, TYPE_STRING, flags, &node))
    return FALSE;
  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }
  bytes = hl_trace_reader_decode_hex (r, name, node);
  if (bytes == NULL)
    return FALSE;
  *out = bytes;
  return TRUE;
}

gboolean
hl_trace_reader_array (HlTraceReader *r, JsonObject *object, const char *name, MemberFlags flags,
                       guint max, const char *what, JsonArray **out)
{
  JsonNode *node;
  JsonArray *array;

  if (!hl_trace_reader_get_member (r, object, name, TYPE_ARRAY, flags, &node))
    return FALSE;
  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > max)
    return invalid (r, name, "%u %s, more than the %u allowed", json_array_get_length (array),
                    what, max);
  *out = array;
  return TRUE;
}

gboolean
hl_trace_reader_object (HlTraceReader *r, JsonObject *object, const char *name, MemberFlags flags,
             JsonObject **out)
{
  JsonNode *node;

  if (!hl_trace_reader_get_member (r, object, name, TYPE_OBJECT, flags, &node))
    return FALSE;
  *out = node != NULL ? json_node_get_object (node) : NULL;
  return TRUE;
}

/* The element @index of @array as an object; the reader's path must already name the element. */
JsonObject *
hl_trace_reader_element_object (HlTraceReader *r, JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!hl_trace_reader_check_node (r, NULL, node, TYPE_OBJECT))
    return NULL;
  return json_node_get_object (node);
}

gboolean
hl_trace_reader_strv (HlTraceReader *r, JsonObject *object, const char *name, MemberFlags flags,
                      GStrv *out)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = NULL;
  gsize saved;

  if (!hl_trace_reader_array (r, object, name, flags, MAX_INPUTS, "entries", &array))
    return FALSE;
  if (array == NULL)
    {
      *out = NULL;
      return TRUE;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      saved = hl_trace_reader_enter (r, name, i);
      hl_trace_reader_check_node (r, NULL, node, TYPE_STRING);
      hl_trace_reader_leave (r, saved);
      if (r->error != NULL)
        return FALSE;
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
hl_trace_reader_chain (HlTraceReader *r, JsonObject *object, const char *name, GPtrArray **out)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  JsonArray *array;

  if (!hl_trace_reader_array (r, object, name, MEMBER_REQUIRED, MAX_CHAIN, "certificates", &array))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gsize saved = hl_trace_reader_enter (r, name, i);
      GBytes *der = hl_trace_reader_decode_hex (r, NULL, json_array_get_element (array, i));

      hl_trace_reader_leave (r, saved);
      if (der == NULL)
        return FALSE;
      g_ptr_array_add (chain, der);
    }
  *out = g_steal_pointer (&chain);
  return TRUE;
}
