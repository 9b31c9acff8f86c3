/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HlHexLayout without a display: how many bytes a row holds for a width, where each byte's hex
 * pair and ASCII character are, which byte a point hits (every byte, both columns, round
 * trip), the gaps that hit nothing, the rows a viewport shows, and the hex text helpers. */
#include "config.h"

#include "hl-hex-layout.h"

#define CW  8.0    /* pixels per cell */
#define RH  20.0   /* pixels per row */
#define PAD 8.0

static void
test_bytes_per_row (void)
{
  /* 4 offset digits + 2 + 16×3 + 1 + 1 + 16 = 72 cells at 16 bytes a row; 8 → 39; 4 → 21 */
  struct { double width; guint expected; } cases[] = {
    { 2 * PAD + 72 * CW, 16 },
    { 2 * PAD + 72 * CW - 1, 8 },
    { 2 * PAD + 39 * CW, 8 },
    { 2 * PAD + 39 * CW - 1, 4 },
    { 10, 4 },
    { 4000, 16 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (hl_hex_layout_bytes_per_row_for_width (300, CW, PAD, cases[i].width), ==,
                      cases[i].expected);
}

static void
test_geometry (void)
{
  HlHexLayout l;

  hl_hex_layout_init (&l, 100, 16, CW, RH, PAD);
  g_assert_cmpuint (l.offset_digits, ==, 4);
  g_assert_cmpuint (hl_hex_layout_get_n_rows (&l), ==, 7);
  g_assert_cmpuint (hl_hex_layout_get_row_cells (&l), ==, 72);
  g_assert_cmpfloat (hl_hex_layout_get_width (&l), ==, 2 * PAD + 72 * CW);
  g_assert_cmpfloat (hl_hex_layout_get_height (&l), ==, 2 * PAD + 7 * RH);

  /* "0000  16 03 03 00 85 01 00 00  81 …": the ninth byte sits after the group gap */
  g_assert_cmpuint (hl_hex_layout_hex_cell (&l, 0), ==, 6);
  g_assert_cmpuint (hl_hex_layout_hex_cell (&l, 7), ==, 27);
  g_assert_cmpuint (hl_hex_layout_hex_cell (&l, 8), ==, 31);
  g_assert_cmpuint (hl_hex_layout_hex_cell (&l, 15), ==, 52);
  g_assert_cmpuint (hl_hex_layout_ascii_cell (&l, 0), ==, 56);
  g_assert_cmpuint (hl_hex_layout_ascii_cell (&l, 15), ==, 71);

  g_assert_cmpuint (hl_hex_layout_row_of (&l, 0), ==, 0);
  g_assert_cmpuint (hl_hex_layout_row_of (&l, 15), ==, 0);
  g_assert_cmpuint (hl_hex_layout_row_of (&l, 16), ==, 1);
  g_assert_cmpuint (hl_hex_layout_row_of (&l, 99), ==, 6);
  g_assert_cmpfloat (hl_hex_layout_row_y (&l, 3), ==, PAD + 3 * RH);
  g_assert_cmpfloat (hl_hex_layout_hex_x (&l, 17), ==, PAD + 9 * CW);
  g_assert_cmpfloat (hl_hex_layout_ascii_x (&l, 17), ==, PAD + 57 * CW);

  /* more offset digits for long data: 0x12345 needs five */
  hl_hex_layout_init (&l, 0x12346, 16, CW, RH, PAD);
  g_assert_cmpuint (l.offset_digits, ==, 5);
  hl_hex_layout_init (&l, 0x10000, 16, CW, RH, PAD);
  g_assert_cmpuint (l.offset_digits, ==, 4);
  hl_hex_layout_init (&l, 0, 8, CW, RH, PAD);
  g_assert_cmpuint (hl_hex_layout_get_n_rows (&l), ==, 0);
}

/* Every byte is hit at the middle of its hex pair, on the space after it and at its ASCII
 * character, and nowhere else maps to it. */
static void
test_offset_round_trip (void)
{
  const guint widths[] = { 4, 8, 16 };
  const gsize sizes[] = { 1, 7, 16, 100, 16384 + 5 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        HlHexLayout l;

        hl_hex_layout_init (&l, sizes[s], widths[w], CW, RH, PAD);
        for (gsize k = 0; k < sizes[s]; k++)
          {
            double y = hl_hex_layout_row_y (&l, hl_hex_layout_row_of (&l, k)) + RH / 2;
            double hx = hl_hex_layout_hex_x (&l, k);
            double ax = hl_hex_layout_ascii_x (&l, k);
            gsize hit = G_MAXSIZE;

            g_assert_true (hl_hex_layout_offset_at (&l, hx + CW, y, &hit));
            g_assert_cmpuint (hit, ==, k);
            g_assert_true (hl_hex_layout_offset_at (&l, hx + 0.1, y, &hit));
            g_assert_cmpuint (hit, ==, k);
            g_assert_true (hl_hex_layout_offset_at (&l, ax + CW / 2, y, &hit));
            g_assert_cmpuint (hit, ==, k);
            if ((k + 1) % widths[w] != 0 && k + 1 < sizes[s])
              {
                /* the space after a pair belongs to it */
                g_assert_true (hl_hex_layout_offset_at (&l, hx + 2.5 * CW, y, &hit));
                g_assert_cmpuint (hit, ==, k);
              }
          }
      }
}

static void
test_misses (void)
{
  HlHexLayout l;
  double y = PAD + RH / 2;
  gsize hit = 12345;

  hl_hex_layout_init (&l, 20, 16, CW, RH, PAD);
  /* the offset column, the padding, the gap between hex and ASCII, above and below */
  g_assert_false (hl_hex_layout_offset_at (&l, PAD + 1 * CW, y, &hit));
  g_assert_false (hl_hex_layout_offset_at (&l, 1, y, &hit));
  g_assert_false (hl_hex_layout_offset_at (&l, PAD + 54.5 * CW, y, &hit));
  g_assert_false (hl_hex_layout_offset_at (&l, PAD + 7 * CW, 1, &hit));
  g_assert_false (hl_hex_layout_offset_at (&l, PAD + 7 * CW, PAD + 2 * RH + 1, &hit));
  /* the group gap after the eighth byte */
  g_assert_false (hl_hex_layout_offset_at (&l, PAD + 30.5 * CW, y, &hit));
  /* past the last byte of a short last row: bytes 16–19 exist, 20 does not */
  g_assert_true (hl_hex_layout_offset_at (&l, hl_hex_layout_hex_x (&l, 19) + CW, y + RH, &hit));
  g_assert_cmpuint (hit, ==, 19);
  g_assert_false (hl_hex_layout_offset_at (&l, hl_hex_layout_hex_x (&l, 20) + CW, y + RH, &hit));
  g_assert_false (hl_hex_layout_offset_at (&l, hl_hex_layout_ascii_x (&l, 20) + 1, y + RH, &hit));
  g_assert_cmpuint (hit, ==, 19);
  /* no metrics yet: nothing is hit */
  hl_hex_layout_init (&l, 20, 16, 0, 0, PAD);
  g_assert_false (hl_hex_layout_offset_at (&l, 50, 10, &hit));
}

static void
test_visible_rows (void)
{
  HlHexLayout l;
  guint first, end;

  hl_hex_layout_init (&l, 16 * 1024, 16, CW, RH, PAD);   /* 1024 rows */
  hl_hex_layout_visible_rows (&l, 0, 100, &first, &end);
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (end, ==, 5);      /* (100 - 8) / 20 = 4.6 → rows 0–4 */
  hl_hex_layout_visible_rows (&l, PAD + 500 * RH + 5, 3 * RH, &first, &end);
  g_assert_cmpuint (first, ==, 500);
  g_assert_cmpuint (end, ==, 504);
  hl_hex_layout_visible_rows (&l, PAD + 1020 * RH, 50 * RH, &first, &end);
  g_assert_cmpuint (first, ==, 1020);
  g_assert_cmpuint (end, ==, 1024);
  hl_hex_layout_visible_rows (&l, 1e9, 100, &first, &end);
  g_assert_cmpuint (first, ==, 1024);
  g_assert_cmpuint (end, ==, 1024);
}

static void
test_hex_text (void)
{
  const guint8 data[] = { 0x16, 0x03, 0x03, 0x00, 0xff };
  g_autofree char *hex = hl_hex_layout_dup_hex (data, sizeof data);
  g_autofree char *empty = hl_hex_layout_dup_hex (data, 0);
  const char *good[] = { "16 03 03 00 ff", "160303 00FF", "16:03:03:00:ff", " 16 03 03 00 ff " };
  const char *bad[] = { "", " ", "1", "1 6", "16 0", "zz", "16 03 x", "random" };

  g_assert_cmpstr (hex, ==, "16 03 03 00 ff");
  g_assert_cmpstr (empty, ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GBytes) bytes = hl_hex_layout_parse_hex (good[i]);
      g_autoptr(GBytes) expected = g_bytes_new_static (data, sizeof data);

      g_assert_nonnull (bytes);
      g_assert_true (g_bytes_equal (bytes, expected));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_null (hl_hex_layout_parse_hex (bad[i]));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/hex-layout/bytes-per-row", test_bytes_per_row);
  g_test_add_func ("/ui/hex-layout/geometry", test_geometry);
  g_test_add_func ("/ui/hex-layout/offset-round-trip", test_offset_round_trip);
  g_test_add_func ("/ui/hex-layout/misses", test_misses);
  g_test_add_func ("/ui/hex-layout/visible-rows", test_visible_rows);
  g_test_add_func ("/ui/hex-layout/hex-text", test_hex_text);
  return g_test_run ();
}
