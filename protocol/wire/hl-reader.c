/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include <string.h>

#include "hl-reader.h"

/*
 * The only place in the project that indexes into wire bytes. Every read checks the bound
 * first, in terms of the remaining count (never pos + n, which could overflow), and fails
 * with the field name and absolute offset. All other parsing code goes through here.
 */

static HlReader *
get_root (HlReader *self)
{
  return self->root != NULL ? self->root : self;
}

static gsize
abs_offset (HlReader *self,
            gsize     index)
{
  return self->base + index;
}

static gsize
remaining (HlReader *self)
{
  return self->end > self->pos ? self->end - self->pos : 0;
}

static void
set_error_valist (HlReader     *self,
                  HlParseError  code,
                  const char   *field,
                  const char   *format,
                  va_list       args)
{
  HlReader *root = get_root (self);
  g_autofree char *detail = NULL;

  if (root->error != NULL)
    return;

  detail = g_strdup_vprintf (format, args);
  if (self->scope != NULL && field != NULL && field[0] != '\0')
    root->error = g_error_new (HL_PARSE_ERROR, code, "%s.%s: %s", self->scope, field, detail);
  else if (self->scope != NULL)
    root->error = g_error_new (HL_PARSE_ERROR, code, "%s: %s", self->scope, detail);
  else
    root->error = g_error_new (HL_PARSE_ERROR, code, "%s: %s",
                               field != NULL ? field : "(unnamed)", detail);
}

static gboolean G_GNUC_PRINTF (4, 5)
set_error (HlReader     *self,
           HlParseError  code,
           const char   *field,
           const char   *format,
           ...)
{
  va_list args;

  va_start (args, format);
  set_error_valist (self, code, field, format, args);
  va_end (args);

  return FALSE;
}

/* Checks that @n bytes can be read; fails with TRUNCATED otherwise. */
static gboolean
ensure (HlReader   *self,
        gsize       n,
        const char *field)
{
  gsize left;

  if (hl_reader_has_error (self))
    return FALSE;

  left = remaining (self);
  if (n > left)
    return set_error (self, HL_PARSE_ERROR_TRUNCATED, field,
                      "needs %" G_GSIZE_FORMAT " bytes but only %" G_GSIZE_FORMAT
                      " are left at offset %" G_GSIZE_FORMAT,
                      n, left, abs_offset (self, self->pos));
  return TRUE;
}

static guint32
take_uint (HlReader *self,
           guint     n)
{
  guint32 value = 0;

  for (guint i = 0; i < n; i++)
    value = (value << 8) | self->data[self->pos + i];
  self->pos += n;

  return value;
}

/**
 * hl_reader_init:
 * @self: an uninitialised reader
 * @bytes: the bytes to read; a reference is taken
 * @base_offset: the absolute offset of the first byte of @bytes
 *
 * Sets up a root reader over all of @bytes.
 */
void
hl_reader_init (HlReader *self,
                GBytes   *bytes,
                gsize     base_offset)
{
  gsize size = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (bytes != NULL);

  memset (self, 0, sizeof *self);
  self->bytes = g_bytes_ref (bytes);
  self->data = g_bytes_get_data (bytes, &size);
  self->base = base_offset;
  self->pos = 0;
  self->end = size;
}

/**
 * hl_reader_clear:
 * @self: a reader
 *
 * Releases what a root reader holds. Harmless on a sub-reader or a cleared reader.
 */
void
hl_reader_clear (HlReader *self)
{
  g_return_if_fail (self != NULL);

  if (self->root != NULL)
    return;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_error (&self->error);
  self->data = NULL;
  self->pos = self->end = 0;
}

/**
 * hl_reader_set_scope:
 * @self: a reader
 * @scope: (nullable): a prefix for field names in error messages, e.g. "ClientHello"; it is
 *   borrowed and must outlive the reader and its sub-readers
 *
 * Sub-readers made afterwards inherit the scope.
 */
void
hl_reader_set_scope (HlReader   *self,
                     const char *scope)
{
  g_return_if_fail (self != NULL);

  self->scope = scope;
}

const char *
hl_reader_get_scope (HlReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->scope;
}

/**
 * hl_reader_get_offset:
 * @self: a reader
 *
 * Returns: the absolute offset of the next byte to be read
 */
gsize
hl_reader_get_offset (HlReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return abs_offset (self, self->pos);
}

/**
 * hl_reader_get_end:
 * @self: a reader
 *
 * Returns: the absolute offset just past the last byte this reader may read
 */
gsize
hl_reader_get_end (HlReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return abs_offset (self, self->end);
}

gsize
hl_reader_get_remaining (HlReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return remaining (self);
}

gboolean
hl_reader_is_empty (HlReader *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return remaining (self) == 0;
}

gboolean
hl_reader_has_error (HlReader *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return get_root (self)->error != NULL;
}

/**
 * hl_reader_get_error:
 * @self: a reader
 *
 * Returns: (nullable) (transfer none): the first error of this reader's tree
 */
const GError *
hl_reader_get_error (HlReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return get_root (self)->error;
}

/**
 * hl_reader_propagate_error:
 * @self: a reader
 * @error: return location for the error
 *
 * Copies the first error (if any) into @error.
 *
 * Returns: %TRUE if there was an error
 */
gboolean
hl_reader_propagate_error (HlReader  *self,
                           GError   **error)
{
  HlReader *root;

  g_return_val_if_fail (self != NULL, TRUE);

  root = get_root (self);
  if (root->error == NULL)
    return FALSE;

  if (error != NULL)
    *error = g_error_copy (root->error);
  return TRUE;
}

gboolean
hl_reader_read_u8 (HlReader   *self,
                   const char *field,
                   guint8     *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ensure (self, 1, field))
    return FALSE;

  *out = (guint8) take_uint (self, 1);
  return TRUE;
}

gboolean
hl_reader_read_u16 (HlReader   *self,
                    const char *field,
                    guint16    *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ensure (self, 2, field))
    return FALSE;

  *out = (guint16) take_uint (self, 2);
  return TRUE;
}

gboolean
hl_reader_read_u24 (HlReader   *self,
                    const char *field,
                    guint32    *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ensure (self, 3, field))
    return FALSE;

  *out = take_uint (self, 3);
  return TRUE;
}

gboolean
hl_reader_read_u32 (HlReader   *self,
                    const char *field,
                    guint32    *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ensure (self, 4, field))
    return FALSE;

  *out = take_uint (self, 4);
  return TRUE;
}

/**
 * hl_reader_peek_u8:
 * @self: a reader
 * @field: the field name for an error
 * @out: (out): the next byte
 *
 * Like hl_reader_read_u8() but does not advance.
 */
gboolean
hl_reader_peek_u8 (HlReader   *self,
                   const char *field,
                   guint8     *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ensure (self, 1, field))
    return FALSE;

  *out = self->data[self->pos];
  return TRUE;
}

/**
 * hl_reader_peek_bytes:
 * @self: a reader
 * @skip: how many bytes to skip first
 * @n: how many bytes to look at
 * @out: (out): a view of the bytes
 *
 * Looks ahead without consuming and without failing: a probe, e.g. for the
 * HelloRetryRequest random before a ServerHello is named.
 *
 * Returns: %FALSE (and no error) if fewer than @skip + @n bytes remain or an error is
 *   pending
 */
gboolean
hl_reader_peek_bytes (HlReader *self,
                      gsize     skip,
                      gsize     n,
                      HlSpan   *out)
{
  gsize left;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  left = remaining (self);
  if (hl_reader_has_error (self) || skip > left || n > left - skip)
    return FALSE;

  out->data = self->data + self->pos + skip;
  out->len = n;
  out->offset = abs_offset (self, self->pos + skip);
  return TRUE;
}

/**
 * hl_reader_peek_uint:
 * @self: a reader
 * @skip: how many bytes to skip first
 * @n: 1 to 4: the size of the big-endian integer
 * @out: (out): the value
 *
 * Looks ahead without consuming and without failing.
 *
 * Returns: %FALSE (and no error) if the bytes are not there or an error is pending
 */
gboolean
hl_reader_peek_uint (HlReader *self,
                     gsize     skip,
                     guint     n,
                     guint32  *out)
{
  HlSpan span;
  guint32 value = 0;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (n >= 1 && n <= 4, FALSE);

  if (!hl_reader_peek_bytes (self, skip, n, &span))
    return FALSE;

  for (guint i = 0; i < n; i++)
    value = (value << 8) | span.data[i];
  *out = value;
  return TRUE;
}

/**
 * hl_reader_read_bytes:
 * @self: a reader
 * @n: how many bytes
 * @field: the field name for an error
 * @out: (out): a view of the bytes read
 */
gboolean
hl_reader_read_bytes (HlReader   *self,
                      gsize       n,
                      const char *field,
                      HlSpan     *out)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!ensure (self, n, field))
    return FALSE;

  out->data = self->data + self->pos;
  out->len = n;
  out->offset = abs_offset (self, self->pos);
  self->pos += n;
  return TRUE;
}

/**
 * hl_reader_read_rest:
 * @self: a reader
 * @field: the field name for an error
 * @out: (out): a view of all remaining bytes (possibly none)
 */
gboolean
hl_reader_read_rest (HlReader   *self,
                     const char *field,
                     HlSpan     *out)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return hl_reader_read_bytes (self, remaining (self), field, out);
}

/**
 * hl_reader_get_span:
 * @self: a reader
 * @out: (out): a view of the remaining bytes, without consuming them
 */
gboolean
hl_reader_get_span (HlReader *self,
                    HlSpan   *out)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (hl_reader_has_error (self))
    return FALSE;

  out->data = self->data + self->pos;
  out->len = remaining (self);
  out->offset = abs_offset (self, self->pos);
  return TRUE;
}

/**
 * hl_reader_read_sub:
 * @self: a reader
 * @n: how many bytes
 * @field: the field name for an error
 * @sub: (out caller-allocates): a reader over exactly the next @n bytes
 *
 * Consumes @n bytes from @self and hands them out as a sub-reader that shares the scope
 * and the error of @self.
 */
gboolean
hl_reader_read_sub (HlReader   *self,
                    gsize       n,
                    const char *field,
                    HlReader   *sub)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sub != NULL, FALSE);
  g_return_val_if_fail (sub != self, FALSE);

  memset (sub, 0, sizeof *sub);
  sub->root = get_root (self);
  sub->scope = self->scope;
  sub->data = self->data;
  sub->base = self->base;
  sub->pos = sub->end = self->pos;

  if (!ensure (self, n, field))
    return FALSE;

  sub->end = self->pos + n;
  self->pos += n;
  return TRUE;
}

/**
 * hl_reader_read_vector:
 * @self: a reader
 * @prefix_len: 1, 2 or 3: the size of the length prefix
 * @field: the field name for an error
 * @sub: (out caller-allocates): a reader over exactly the declared length
 *
 * Reads a TLS variable-length vector (RFC 8446 §3.4). Even on failure @sub is a valid,
 * empty reader, so callers may keep going and let the sticky error end the parse.
 */
gboolean
hl_reader_read_vector (HlReader   *self,
                       guint       prefix_len,
                       const char *field,
                       HlReader   *sub)
{
  guint32 declared;
  gsize left;
  gsize contents_at;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sub != NULL, FALSE);
  g_return_val_if_fail (prefix_len >= 1 && prefix_len <= 3, FALSE);

  memset (sub, 0, sizeof *sub);
  sub->root = get_root (self);
  sub->scope = self->scope;
  sub->data = self->data;
  sub->base = self->base;
  sub->pos = sub->end = self->pos;

  if (hl_reader_has_error (self))
    return FALSE;

  if (remaining (self) < prefix_len)
    return set_error (self, HL_PARSE_ERROR_TRUNCATED, field,
                      "the %u-byte vector length needs %u bytes but only %" G_GSIZE_FORMAT
                      " are left at offset %" G_GSIZE_FORMAT,
                      prefix_len * 8, prefix_len, remaining (self),
                      abs_offset (self, self->pos));

  declared = take_uint (self, prefix_len);
  left = remaining (self);
  contents_at = abs_offset (self, self->pos);
  sub->pos = sub->end = self->pos;

  if (declared > left)
    return set_error (self, HL_PARSE_ERROR_TRUNCATED, field,
                      "vector length %u exceeds the %" G_GSIZE_FORMAT
                      " bytes left at offset %" G_GSIZE_FORMAT,
                      declared, left, contents_at);

  sub->end = self->pos + declared;
  self->pos += declared;
  return TRUE;
}

gboolean
hl_reader_read_vector8 (HlReader   *self,
                        const char *field,
                        HlReader   *sub)
{
  return hl_reader_read_vector (self, 1, field, sub);
}

gboolean
hl_reader_read_vector16 (HlReader   *self,
                         const char *field,
                         HlReader   *sub)
{
  return hl_reader_read_vector (self, 2, field, sub);
}

gboolean
hl_reader_read_vector24 (HlReader   *self,
                         const char *field,
                         HlReader   *sub)
{
  return hl_reader_read_vector (self, 3, field, sub);
}

/**
 * hl_reader_finish:
 * @self: a reader
 * @field: the name of the structure this reader covers, for an error
 *
 * Checks that everything was consumed.
 *
 * Returns: %FALSE with a TRAILING_DATA error if bytes remain, or if an error is pending
 */
gboolean
hl_reader_finish (HlReader   *self,
                  const char *field)
{
  gsize left;

  g_return_val_if_fail (self != NULL, FALSE);

  if (hl_reader_has_error (self))
    return FALSE;

  left = remaining (self);
  if (left != 0)
    return set_error (self, HL_PARSE_ERROR_TRAILING_DATA, field,
                      "%" G_GSIZE_FORMAT " unexpected trailing byte%s at offset %" G_GSIZE_FORMAT,
                      left, left == 1 ? "" : "s", abs_offset (self, self->pos));
  return TRUE;
}

/**
 * hl_reader_fail:
 * @self: a reader
 * @code: the error code
 * @offset: the absolute offset the problem is at
 * @field: the field name
 * @format: printf-style description, without the offset
 *
 * Records a semantic error found by the caller (a bad value, a length that does not match
 * what the field requires). The message ends with " at offset N". Only the first error of
 * a reader tree is kept.
 *
 * Returns: %FALSE, for tail calls
 */
gboolean
hl_reader_fail (HlReader     *self,
                HlParseError  code,
                gsize         offset,
                const char   *field,
                const char   *format,
                ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  g_return_val_if_fail (self != NULL, FALSE);

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  return set_error (self, code, field, "%s at offset %" G_GSIZE_FORMAT, detail, offset);
}

/**
 * hl_span_dup_bytes:
 * @span: a span
 *
 * Returns: (transfer full): a copy of the bytes
 */
GBytes *
hl_span_dup_bytes (const HlSpan *span)
{
  g_return_val_if_fail (span != NULL, NULL);

  return g_bytes_new (span->data, span->len);
}

/**
 * hl_span_to_hex:
 * @span: a span
 * @max_bytes: show at most this many bytes, then "…"; 0 for all
 *
 * Returns: (transfer full): lower-case hex, bytes separated by spaces
 */
char *
hl_span_to_hex (const HlSpan *span,
                gsize         max_bytes)
{
  static const char digits[] = "0123456789abcdef";
  GString *str;
  gsize shown;

  g_return_val_if_fail (span != NULL, NULL);

  shown = (max_bytes == 0 || span->len <= max_bytes) ? span->len : max_bytes;
  str = g_string_sized_new (shown * 3 + 4);
  for (gsize i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append_c (str, ' ');
      g_string_append_c (str, digits[span->data[i] >> 4]);
      g_string_append_c (str, digits[span->data[i] & 0xf]);
    }
  if (shown < span->len)
    g_string_append (str, " …");

  return g_string_free (str, FALSE);
}

/**
 * hl_span_equal:
 * @span: a span
 * @data: bytes to compare with
 * @len: length of @data
 *
 * Returns: whether @span holds exactly @data
 */
gboolean
hl_span_equal (const HlSpan *span,
               const guint8 *data,
               gsize         len)
{
  g_return_val_if_fail (span != NULL, FALSE);

  return span->len == len && (len == 0 || memcmp (span->data, data, len) == 0);
}
