/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hl-error.h"

G_BEGIN_DECLS

/**
 * HlSpan:
 * @data: the bytes, borrowed from the #GBytes the reader was made from
 * @len: how many bytes
 * @offset: absolute offset of @data[0] in the outer buffer
 *
 * A read-only view of bytes taken from an #HlReader. It stays valid while the reader's
 * #GBytes is alive.
 */
typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         offset;
} HlSpan;

/**
 * HlReader:
 *
 * A bounded reader over a #GBytes, in the manner of s2n's stuffer and BearSSL's
 * open-elt/close-elt: typed big-endian reads, nested sub-readers over exactly the declared
 * length of a vector, and trailing bytes are an error. Offsets are absolute: a reader made
 * with a base offset of 100 reports its first byte as offset 100, and a sub-reader keeps
 * counting in the same space.
 *
 * The first error sticks. It is stored in the root reader, shared by all sub-readers made
 * from it; afterwards every read on any of them fails without touching memory. Every error
 * message names the field (reads take a field name, prefixed with the reader's scope) and
 * the absolute offset.
 *
 * Readers live on the stack. A root reader is set up with hl_reader_init() and released
 * with hl_reader_clear(); sub-readers borrow from their root, need no clearing and must
 * not outlive it. Do not copy a reader by value once sub-readers exist.
 */
typedef struct _HlReader HlReader;

struct _HlReader
{
  /*< private >*/
  GBytes       *bytes;  /* owned by the root only */
  const guint8 *data;   /* the whole buffer */
  gsize         base;   /* absolute offset of data[0] */
  gsize         pos;    /* index into data */
  gsize         end;    /* index into data, exclusive */
  const char   *scope;  /* borrowed, e.g. "ClientHello" */
  HlReader     *root;   /* NULL for a root reader */
  GError       *error;  /* root only */
};

void      hl_reader_init          (HlReader    *self,
                                   GBytes      *bytes,
                                   gsize        base_offset);
void      hl_reader_clear         (HlReader    *self);

void      hl_reader_set_scope     (HlReader    *self,
                                   const char  *scope);
const char *hl_reader_get_scope   (HlReader    *self);

gsize     hl_reader_get_offset    (HlReader    *self);
gsize     hl_reader_get_end       (HlReader    *self);
gsize     hl_reader_get_remaining (HlReader    *self);
gboolean  hl_reader_is_empty      (HlReader    *self);
gboolean  hl_reader_has_error     (HlReader    *self);
const GError *hl_reader_get_error (HlReader    *self);
gboolean  hl_reader_propagate_error (HlReader  *self,
                                   GError     **error);

gboolean  hl_reader_read_u8       (HlReader    *self,
                                   const char  *field,
                                   guint8      *out);
gboolean  hl_reader_read_u16      (HlReader    *self,
                                   const char  *field,
                                   guint16     *out);
gboolean  hl_reader_read_u24      (HlReader    *self,
                                   const char  *field,
                                   guint32     *out);
gboolean  hl_reader_read_u32      (HlReader    *self,
                                   const char  *field,
                                   guint32     *out);
gboolean  hl_reader_peek_u8       (HlReader    *self,
                                   const char  *field,
                                   guint8      *out);
gboolean  hl_reader_peek_bytes    (HlReader    *self,
                                   gsize        skip,
                                   gsize        n,
                                   HlSpan      *out);
gboolean  hl_reader_peek_uint     (HlReader    *self,
                                   gsize        skip,
                                   guint        n,
                                   guint32     *out);
gboolean  hl_reader_read_bytes    (HlReader    *self,
                                   gsize        n,
                                   const char  *field,
                                   HlSpan      *out);
gboolean  hl_reader_read_rest     (HlReader    *self,
                                   const char  *field,
                                   HlSpan      *out);
gboolean  hl_reader_read_sub      (HlReader    *self,
                                   gsize        n,
                                   const char  *field,
                                   HlReader    *sub);
gboolean  hl_reader_read_vector   (HlReader    *self,
                                   guint        prefix_len,
                                   const char  *field,
                                   HlReader    *sub);
gboolean  hl_reader_read_vector8  (HlReader    *self,
                                   const char  *field,
                                   HlReader    *sub);
gboolean  hl_reader_read_vector16 (HlReader    *self,
                                   const char  *field,
                                   HlReader    *sub);
gboolean  hl_reader_read_vector24 (HlReader    *self,
                                   const char  *field,
                                   HlReader    *sub);
gboolean  hl_reader_get_span      (HlReader    *self,
                                   HlSpan      *out);
gboolean  hl_reader_finish        (HlReader    *self,
                                   const char  *field);
gboolean  hl_reader_fail          (HlReader    *self,
                                   HlParseError code,
                                   gsize        offset,
                                   const char  *field,
                                   const char  *format,
                                   ...) G_GNUC_PRINTF (5, 6);

GBytes   *hl_span_dup_bytes       (const HlSpan *span);
char     *hl_span_to_hex          (const HlSpan *span,
                                   gsize         max_bytes);
gboolean  hl_span_equal           (const HlSpan *span,
                                   const guint8 *data,
                                   gsize         len);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HlReader, hl_reader_clear)

G_END_DECLS
