/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include "hl-decoder-private.h"

/* How many bytes of an opaque value to show inline; the hex view shows them all. */
#define PREVIEW_BYTES 32

gboolean
dec_more (HlReader *r)
{
  return !hl_reader_has_error (r) && !hl_reader_is_empty (r);
}

HlField *
dec_node (HlField    *parent,
          const char *name,
          gsize       offset,
          gsize       length)
{
  return hl_field_add_child (parent, hl_field_new (name, offset, length));
}

/* A child for the bytes from @start to the reader's current position. */
static HlField *
node_since (HlReader   *r,
            HlField    *parent,
            const char *name,
            gsize       start)
{
  gsize now = hl_reader_get_offset (r);

  return dec_node (parent, name, start, now >= start ? now - start : 0);
}

HlField *
dec_u8 (HlReader   *r,
        HlField    *parent,
        const char *name,
        guint8     *out)
{
  gsize start = hl_reader_get_offset (r);
  guint8 v = 0;
  HlField *f;

  if (!hl_reader_read_u8 (r, name, &v))
    v = 0;
  f = node_since (r, parent, name, start);
  hl_field_set_value_printf (f, "%u", v);
  if (out != NULL)
    *out = v;
  return f;
}

HlField *
dec_u16 (HlReader   *r,
         HlField    *parent,
         const char *name,
         guint16    *out)
{
  gsize start = hl_reader_get_offset (r);
  guint16 v = 0;
  HlField *f;

  if (!hl_reader_read_u16 (r, name, &v))
    v = 0;
  f = node_since (r, parent, name, start);
  hl_field_set_value_printf (f, "%u", v);
  if (out != NULL)
    *out = v;
  return f;
}

HlField *
dec_u24 (HlReader   *r,
         HlField    *parent,
         const char *name,
         guint32    *out)
{
  gsize start = hl_reader_get_offset (r);
  guint32 v = 0;
  HlField *f;

  if (!hl_reader_read_u24 (r, name, &v))
    v = 0;
  f = node_since (r, parent, name, start);
  hl_field_set_value_printf (f, "%u", v);
  if (out != NULL)
    *out = v;
  return f;
}

HlField *
dec_u32 (HlReader   *r,
         HlField    *parent,
         const char *name,
         guint32    *out)
{
  gsize start = hl_reader_get_offset (r);
  guint32 v = 0;
  HlField *f;

  if (!hl_reader_read_u32 (r, name, &v))
    v = 0;
  f = node_since (r, parent, name, start);
  hl_field_set_value_printf (f, "%u", v);
  if (out != NULL)
    *out = v;
  return f;
}

void
dec_set_hex (HlField      *field,
             const HlSpan *span)
{
  g_autofree char *hex = NULL;

  if (span->len == 0)
    {
      hl_field_set_value (field, "(empty)");
      return;
    }

  hex = hl_span_to_hex (span, span->len > PREVIEW_BYTES ? PREVIEW_BYTES / 2 : 0);
  if (span->len > PREVIEW_BYTES)
    hl_field_set_value_printf (field, "%" G_GSIZE_FORMAT " bytes: %s", span->len, hex);
  else
    hl_field_take_value (field, g_steal_pointer (&hex));
}

HlField *
dec_bytes (HlReader   *r,
           HlField    *parent,
           const char *name,
           gsize       n,
           HlSpan     *out)
{
  gsize start = hl_reader_get_offset (r);
  HlSpan span = { NULL, 0, start };
  HlField *f;

  if (!hl_reader_read_bytes (r, n, name, &span))
    span = (HlSpan) { NULL, 0, start };
  f = node_since (r, parent, name, start);
  dec_set_hex (f, &span);
  if (out != NULL)
    *out = span;
  return f;
}

HlField *
dec_rest (HlReader   *r,
          HlField    *parent,
          const char *name,
          HlSpan     *out)
{
  return dec_bytes (r, parent, name, hl_reader_get_remaining (r), out);
}

/*
 * A vector node covers the length prefix and the contents; its first child is the prefix,
 * named "length". The caller reads the contents from @sub, adding children to the node.
 */
HlField *
dec_vector (HlReader   *r,
            HlField    *parent,
            const char *name,
            guint       prefix_len,
            HlReader   *sub)
{
  gsize start = hl_reader_get_offset (r);
  HlField *node;
  HlField *len;
  gsize declared;

  hl_reader_read_vector (r, prefix_len, name, sub);
  node = node_since (r, parent, name, start);

  declared = hl_reader_get_remaining (sub);
  len = dec_node (node, "length", start, hl_field_get_length (node) >= prefix_len ? prefix_len : 0);
  hl_field_set_value_printf (len, "%" G_GSIZE_FORMAT, declared);
  hl_field_set_explanation (len, "How many bytes follow in this vector (RFC 8446 §3.4: "
                                 "variable-length vectors carry their length first).");
  hl_field_set_rfc (len, "RFC 8446 §3.4");

  return node;
}

/* An opaque vector: node = "length" + "data"; the node's value previews the data. */
HlField *
dec_opaque (HlReader   *r,
            HlField    *parent,
            const char *name,
            guint       prefix_len,
            HlSpan     *out)
{
  HlReader sub;
  HlSpan span = { NULL, 0, hl_reader_get_offset (r) };
  HlField *node;

  node = dec_vector (r, parent, name, prefix_len, &sub);
  dec_rest (&sub, node, "data", &span);
  dec_set_hex (node, &span);
  if (out != NULL)
    *out = span;
  return node;
}

HlField *
dec_derived (HlField    *parent,
             const char *name,
             const char *value)
{
  HlField *f = dec_node (parent, name, hl_field_get_offset (parent),
                         hl_field_get_length (parent));

  hl_field_set_derived (f, TRUE);
  hl_field_set_value (f, value);
  return f;
}

char *
dec_format_time (time_t t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == (time_t) -1)
    return g_strdup ("(not set)");
  dt = g_date_time_new_from_unix_utc ((gint64) t);
  if (dt == NULL)
    return g_strdup ("(out of range)");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S UTC");
}

void
dec_annotate (HlField    *field,
              const char *rfc,
              const char *explanation)
{
  if (rfc != NULL)
    hl_field_set_rfc (field, rfc);
  if (explanation != NULL)
    hl_field_set_explanation (field, explanation);
}

void
dec_set_count (HlField    *field,
               guint       count,
               const char *singular,
               const char *plural)
{
  hl_field_set_value_printf (field, "%u %s", count, count == 1 ? singular : plural);
}

void
dec_name16 (HlField    *field,
            const char *name,
            guint16     value)
{
  hl_field_take_value (field, hl_tls_describe16 (name, value));
}

void
dec_name8 (HlField    *field,
           const char *name,
           guint8      value)
{
  hl_field_take_value (field, hl_tls_describe8 (name, value));
}
