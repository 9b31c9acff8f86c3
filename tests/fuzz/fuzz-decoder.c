/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-fuzz"

#include "config.h"

#include <stdint.h>

#include "hl-decoder.h"
#include "hl-reader.h"

/*
 * libFuzzer harness for the wire decoder. The first input byte picks what to decode and
 * the context; the rest is the record or handshake message:
 *   bit 0  TLS 1.3 layouts          bits 1-2  key exchange (HlKeyExchange)
 *   bit 3  protected record         bit 4     record (set) or handshake message (clear)
 * A successful decode is walked (print, count, offset lookups) so the tree is exercised too.
 */

static void
walk (HlField *field,
      gsize    size)
{
  g_autoptr(GString) out = g_string_new (NULL);

  hl_field_print (field, out, 0);
  g_assert (hl_field_count (field) >= 1);
  g_assert (hl_field_get_length (field) == size);
  for (gsize off = 0; off < size; off += 7)
    g_assert (hl_field_find_at_offset (field, 1000 + off) != NULL);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) input = g_bytes_new_static (data, size);
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) field = NULL;
  g_auto(HlReader) r = { 0 };
  HlDecodeContext ctx = { 0 };
  HlSpan rest;
  guint8 mode = 0;

  hl_reader_init (&r, input, 0);
  if (!hl_reader_read_u8 (&r, "mode", &mode) || !hl_reader_read_rest (&r, "input", &rest))
    return 0;
  payload = g_bytes_new_static (rest.data, rest.len);

  ctx.tls13 = mode & 1;
  ctx.key_exchange = (HlKeyExchange) ((mode >> 1) & 3);
  ctx.protected_record = (mode >> 3) & 1;

  if (mode & 0x10)
    field = hl_decode_record_full (payload, 1000, &ctx, &error);
  else
    field = hl_decode_handshake_full (payload, 1000, &ctx, &error);

  if (field != NULL)
    {
      g_assert (error == NULL);
      walk (field, rest.len);
    }
  else
    {
      g_assert (error != NULL && error->domain == HL_PARSE_ERROR);
    }

  return 0;
}
