/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-test"

#include "config.h"

#include <string.h>

#include "hl-reader.h"

static GBytes *
bytes_of (const guint8 *data,
          gsize         len)
{
  return g_bytes_new (data, len);
}

static void
test_integers (void)
{
  static const guint8 data[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  guint8 u8 = 0;
  guint16 u16 = 0;
  guint32 u24 = 0;
  guint32 u32 = 0;

  hl_reader_init (&r, bytes, 100);
  g_assert_cmpuint (hl_reader_get_offset (&r), ==, 100);
  g_assert_cmpuint (hl_reader_get_end (&r), ==, 110);
  g_assert_true (hl_reader_read_u8 (&r, "a", &u8));
  g_assert_true (hl_reader_read_u16 (&r, "b", &u16));
  g_assert_true (hl_reader_read_u24 (&r, "c", &u24));
  g_assert_true (hl_reader_read_u32 (&r, "d", &u32));
  g_assert_cmpuint (u8, ==, 0x01);
  g_assert_cmpuint (u16, ==, 0x0203);
  g_assert_cmpuint (u24, ==, 0x040506);
  g_assert_cmpuint (u32, ==, 0x0708090a);
  g_assert_cmpuint (hl_reader_get_offset (&r), ==, 110);
  g_assert_true (hl_reader_is_empty (&r));
  g_assert_true (hl_reader_finish (&r, "all"));
  g_assert_false (hl_reader_has_error (&r));
}

static void
test_truncated (void)
{
  static const guint8 data[] = { 0x01, 0x02, 0x03 };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  g_autoptr(GError) error = NULL;
  guint32 v = 0xdeadbeef;

  hl_reader_init (&r, bytes, 40);
  hl_reader_set_scope (&r, "ClientHello");
  g_assert_false (hl_reader_read_u32 (&r, "random", &v));
  /* A failed read leaves the output alone and consumes nothing. */
  g_assert_cmpuint (v, ==, 0xdeadbeef);
  g_assert_cmpuint (hl_reader_get_offset (&r), ==, 40);
  g_assert_true (hl_reader_propagate_error (&r, &error));
  g_assert_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED);
  g_assert_cmpstr (error->message, ==,
                   "ClientHello.random: needs 4 bytes but only 3 are left at offset 40");
}

/* The example from the brief: a vector longer than what is left. */
static void
test_vector16_truncated (void)
{
  guint8 data[43 + 2 + 12] = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_auto(HlReader) r = { 0 };
  g_autoptr(GError) error = NULL;
  HlReader sub;
  HlSpan skip;

  data[43] = 300 >> 8;
  data[44] = 300 & 0xff;
  bytes = bytes_of (data, sizeof data);

  hl_reader_init (&r, bytes, 0);
  hl_reader_set_scope (&r, "ClientHello");
  g_assert_true (hl_reader_read_bytes (&r, 43, "prefix", &skip));
  g_assert_false (hl_reader_read_vector16 (&r, "cipher_suites", &sub));
  g_assert_true (hl_reader_is_empty (&sub));
  g_assert_true (hl_reader_propagate_error (&r, &error));
  g_assert_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED);
  g_assert_cmpstr (error->message, ==,
                   "ClientHello.cipher_suites: vector length 300 exceeds the 12 bytes left at "
                   "offset 45");
}

static void
test_vector_prefix_truncated (void)
{
  static const guint8 data[] = { 0x00, 0x00 };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  HlReader sub;

  hl_reader_init (&r, bytes, 7);
  g_assert_false (hl_reader_read_vector24 (&r, "certificate_list", &sub));
  g_assert_error (hl_reader_get_error (&r), HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (hl_reader_get_error (&r)->message, "certificate_list"));
  g_assert_nonnull (strstr (hl_reader_get_error (&r)->message, "offset 7"));
}

static void
test_vectors_nested (void)
{
  /* vector16 { vector8 { 0xaa 0xbb } 0xcc } 0xdd */
  static const guint8 data[] = { 0x00, 0x04, 0x02, 0xaa, 0xbb, 0xcc, 0xdd };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  HlReader outer;
  HlReader inner;
  HlSpan span;
  guint8 v = 0;

  hl_reader_init (&r, bytes, 1000);
  g_assert_true (hl_reader_read_vector16 (&r, "outer", &outer));
  g_assert_cmpuint (hl_reader_get_offset (&outer), ==, 1002);
  g_assert_cmpuint (hl_reader_get_remaining (&outer), ==, 4);
  g_assert_true (hl_reader_read_vector8 (&outer, "inner", &inner));
  g_assert_cmpuint (hl_reader_get_offset (&inner), ==, 1003);
  g_assert_true (hl_reader_read_rest (&inner, "data", &span));
  g_assert_cmpuint (span.len, ==, 2);
  g_assert_cmpuint (span.offset, ==, 1003);
  g_assert_cmpuint (span.data[0], ==, 0xaa);
  g_assert_true (hl_reader_finish (&inner, "inner"));
  /* The sub-reader cannot read past its end even though the parent has more bytes. */
  g_assert_true (hl_reader_read_u8 (&outer, "last", &v));
  g_assert_cmpuint (v, ==, 0xcc);
  g_assert_false (hl_reader_read_u8 (&outer, "beyond", &v));
  g_assert_error (hl_reader_get_error (&r), HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (hl_reader_get_error (&r)->message, "offset 1006"));
}

static void
test_trailing (void)
{
  static const guint8 data[] = { 0x00, 0x02, 0x11, 0x22, 0x33 };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  HlReader sub;
  guint8 v = 0;

  hl_reader_init (&r, bytes, 10);
  hl_reader_set_scope (&r, "ServerHello");
  g_assert_true (hl_reader_read_vector16 (&r, "extensions", &sub));
  g_assert_true (hl_reader_read_u8 (&sub, "x", &v));
  g_assert_false (hl_reader_finish (&sub, "extensions"));
  g_assert_error (hl_reader_get_error (&r), HL_PARSE_ERROR, HL_PARSE_ERROR_TRAILING_DATA);
  g_assert_cmpstr (hl_reader_get_error (&r)->message, ==,
                   "ServerHello.extensions: 1 unexpected trailing byte at offset 13");
}

static void
test_trailing_outer (void)
{
  static const guint8 data[] = { 0x01, 0x02, 0x03 };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  guint8 v = 0;

  hl_reader_init (&r, bytes, 0);
  g_assert_true (hl_reader_read_u8 (&r, "a", &v));
  g_assert_false (hl_reader_finish (&r, "Alert"));
  g_assert_error (hl_reader_get_error (&r), HL_PARSE_ERROR, HL_PARSE_ERROR_TRAILING_DATA);
  g_assert_cmpstr (hl_reader_get_error (&r)->message, ==,
                   "Alert: 2 unexpected trailing bytes at offset 1");
}

/* After the first error every read fails and the message stays the first one. */
static void
test_error_sticks (void)
{
  static const guint8 data[] = { 0x05, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  g_autofree char *first = NULL;
  HlReader sub;
  HlSpan span;
  guint8 v = 0;

  hl_reader_init (&r, bytes, 0);
  g_assert_true (hl_reader_read_vector8 (&r, "v", &sub));
  g_assert_false (hl_reader_read_bytes (&sub, 6, "too_long", &span));
  first = g_strdup (hl_reader_get_error (&r)->message);
  g_assert_nonnull (strstr (first, "too_long"));

  /* The parent shares the error: its next read fails although a byte is there. */
  g_assert_cmpuint (hl_reader_get_remaining (&r), ==, 1);
  g_assert_false (hl_reader_read_u8 (&r, "next", &v));
  g_assert_false (hl_reader_read_u8 (&sub, "inner", &v));
  g_assert_false (hl_reader_finish (&r, "all"));
  hl_reader_fail (&r, HL_PARSE_ERROR_BAD_VALUE, 0, "other", "ignored");
  g_assert_cmpstr (hl_reader_get_error (&r)->message, ==, first);
  g_assert_error (hl_reader_get_error (&r), HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED);
}

static void
test_fail (void)
{
  static const guint8 data[] = { 0x02 };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  g_autoptr(GError) error = NULL;

  hl_reader_init (&r, bytes, 5);
  hl_reader_set_scope (&r, "ChangeCipherSpec");
  g_assert_false (hl_reader_fail (&r, HL_PARSE_ERROR_BAD_VALUE, 5, "type", "must be 1, found %u",
                                  2u));
  g_assert_true (hl_reader_propagate_error (&r, &error));
  g_assert_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, ==, "ChangeCipherSpec.type: must be 1, found 2 at offset 5");
}

static void
test_peek (void)
{
  static const guint8 data[] = { 0x12, 0x34, 0x56 };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);
  g_auto(HlReader) r = { 0 };
  HlSpan span;
  guint32 v = 0;
  guint8 b = 0;

  hl_reader_init (&r, bytes, 0);
  g_assert_true (hl_reader_peek_uint (&r, 1, 2, &v));
  g_assert_cmpuint (v, ==, 0x3456);
  g_assert_false (hl_reader_peek_uint (&r, 2, 2, &v));
  g_assert_false (hl_reader_peek_bytes (&r, G_MAXSIZE, 2, &span));
  g_assert_false (hl_reader_peek_bytes (&r, 1, G_MAXSIZE, &span));
  g_assert_true (hl_reader_peek_u8 (&r, "first", &b));
  g_assert_cmpuint (b, ==, 0x12);
  /* Peeking neither consumes nor fails. */
  g_assert_cmpuint (hl_reader_get_remaining (&r), ==, 3);
  g_assert_false (hl_reader_has_error (&r));
}

/* Huge requested lengths must not wrap around. */
static void
test_overflow (void)
{
  static const guint8 data[] = { 0xff, 0xff, 0xff, 0x00 };
  g_autoptr(GBytes) bytes = bytes_of (data, sizeof data);

  for (guint which = 0; which < 3; which++)
    {
      g_auto(HlReader) r = { 0 };
      HlReader sub;
      HlSpan span;
      gboolean ok;

      hl_reader_init (&r, bytes, G_MAXSIZE - 10);
      if (which == 0)
        ok = hl_reader_read_bytes (&r, G_MAXSIZE, "huge", &span);
      else if (which == 1)
        ok = hl_reader_read_sub (&r, G_MAXSIZE - 1, "huge", &sub);
      else
        ok = hl_reader_read_vector24 (&r, "vec", &sub);
      g_assert_false (ok);
      g_assert_error (hl_reader_get_error (&r), HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED);
      g_assert_cmpuint (hl_reader_get_remaining (&r), <=, 4);
    }
}

static void
test_empty (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new (NULL, 0);
  g_auto(HlReader) r = { 0 };
  HlSpan span;
  guint8 v;

  hl_reader_init (&r, bytes, 0);
  g_assert_true (hl_reader_is_empty (&r));
  g_assert_true (hl_reader_read_rest (&r, "nothing", &span));
  g_assert_cmpuint (span.len, ==, 0);
  g_assert_true (hl_reader_finish (&r, "empty"));
  g_assert_false (hl_reader_read_u8 (&r, "one", &v));
}

/* Every truncation of a nested structure fails cleanly, never reading past the end. */
static void
test_truncate_every_offset (void)
{
  static const guint8 data[] = {
    /* header, then vector16 { vector16 { aa }, vector8 { bb cc } } */
    0x16, 0x03, 0x03, 0x00, 0x08,
    0x00, 0x06, 0x00, 0x01, 0xaa, 0x01, 0xbb, 0xcc,
  };

  for (gsize cut = 0; cut < sizeof data; cut++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (data, cut);
      g_auto(HlReader) r = { 0 };
      HlReader body, list, a, b;
      guint8 t = 0;
      guint16 v = 0;

      hl_reader_init (&r, bytes, 0);
      hl_reader_read_u8 (&r, "type", &t);
      hl_reader_read_u16 (&r, "version", &v);
      hl_reader_read_vector16 (&r, "fragment", &body);
      hl_reader_read_vector16 (&body, "list", &list);
      hl_reader_read_vector16 (&list, "a", &a);
      hl_reader_read_vector8 (&list, "b", &b);
      hl_reader_finish (&list, "list");
      hl_reader_finish (&body, "fragment");
      hl_reader_finish (&r, "record");
      g_assert_true (hl_reader_has_error (&r));
      g_assert_error (hl_reader_get_error (&r), HL_PARSE_ERROR, HL_PARSE_ERROR_TRUNCATED);
    }
}

static void
test_span_hex (void)
{
  static const guint8 data[] = { 0x00, 0x0f, 0xf0, 0xff };
  HlSpan span = { data, sizeof data, 0 };
  g_autofree char *all = hl_span_to_hex (&span, 0);
  g_autofree char *some = hl_span_to_hex (&span, 2);
  g_autoptr(GBytes) copy = hl_span_dup_bytes (&span);

  g_assert_cmpstr (all, ==, "00 0f f0 ff");
  g_assert_cmpstr (some, ==, "00 0f …");
  g_assert_cmpuint (g_bytes_get_size (copy), ==, 4);
  g_assert_true (hl_span_equal (&span, data, sizeof data));
  g_assert_false (hl_span_equal (&span, data, 3));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/reader/integers", test_integers);
  g_test_add_func ("/protocol/reader/truncated", test_truncated);
  g_test_add_func ("/protocol/reader/vector16-truncated", test_vector16_truncated);
  g_test_add_func ("/protocol/reader/vector-prefix-truncated", test_vector_prefix_truncated);
  g_test_add_func ("/protocol/reader/vectors-nested", test_vectors_nested);
  g_test_add_func ("/protocol/reader/trailing", test_trailing);
  g_test_add_func ("/protocol/reader/trailing-outer", test_trailing_outer);
  g_test_add_func ("/protocol/reader/error-sticks", test_error_sticks);
  g_test_add_func ("/protocol/reader/fail", test_fail);
  g_test_add_func ("/protocol/reader/peek", test_peek);
  g_test_add_func ("/protocol/reader/overflow", test_overflow);
  g_test_add_func ("/protocol/reader/empty", test_empty);
  g_test_add_func ("/protocol/reader/truncate-every-offset", test_truncate_every_offset);
  g_test_add_func ("/protocol/reader/span-hex", test_span_hex);

  return g_test_run ();
}
