/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-fuzz"

#include "config.h"

#include <gio/gio.h>

#include "hl-test-capture.h"

/*
 * Writes a seed corpus for fuzz-decoder from real handshakes: every record and every
 * handshake message of the scenarios below, each prefixed with the mode byte that
 * fuzz-decoder.c reads (TLS 1.3, key exchange, protected, record). Usage:
 *   gen-decoder-corpus OUTDIR [RFC8448-DIR]
 * With RFC8448-DIR, the RFC 8448 messages (hex files) are added too.
 */

static const HlTestCaptureOptions runs[] = {
  { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA", .tickets = TRUE,
    .resume = TRUE },
  { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA", .client_cert = TRUE },
  { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA", .ecdsa = TRUE },
  { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3", .client_cert = TRUE, .tickets = TRUE,
    .resume = TRUE },
  { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP256R1:"
                       "+GROUP-SECP384R1",
    .server_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1" },
  { .client_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2",
    .server_priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3", .expect_failure = TRUE },
};

static guint n_written;

static void
write_seed (const char *dir,
            guint8      mode,
            GBytes     *bytes)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  g_autofree char *name = g_strdup_printf ("seed-%04u", n_written++);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_byte_array_append (buf, &mode, 1);
  g_byte_array_append (buf, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!g_file_set_contents (path, (const char *) buf->data, buf->len, &error))
    g_error ("%s", error->message);
}

static guint8
mode_for (HlTestCapture *capture,
          gboolean       record,
          gboolean       protected_record)
{
  return (capture->tls13 ? 1 : 0) | (guint8) (capture->key_exchange << 1) |
         (protected_record ? 8 : 0) | (record ? 0x10 : 0);
}

static GBytes *
read_hex (const char *path)
{
  g_autofree char *text = NULL;
  GByteArray *out = g_byte_array_new ();
  gboolean comment = FALSE;
  int high = -1;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  for (const char *p = text; *p != '\0'; p++)
    {
      int v;

      if (*p == '#')
        comment = TRUE;
      if (*p == '\n')
        comment = FALSE;
      v = g_ascii_xdigit_value (*p);
      if (comment || v < 0)
        continue;
      if (high < 0)
        high = v;
      else
        {
          guint8 b = (guint8) (high << 4 | v);

          g_byte_array_append (out, &b, 1);
          high = -1;
        }
    }
  return g_byte_array_free_to_bytes (out);
}

int
main (int   argc,
      char *argv[])
{
  if (argc < 2)
    {
      g_printerr ("usage: %s OUTDIR [RFC8448-DIR]\n", argv[0]);
      return 2;
    }
  g_mkdir_with_parents (argv[1], 0755);

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlTestCapture) capture = hl_test_capture_run (&runs[i], &error);

      if (capture == NULL)
        g_error ("run %u: %s", i, error->message);
      for (guint j = 0; j < capture->records->len; j++)
        {
          HlTestRecord *rec = g_ptr_array_index (capture->records, j);

          write_seed (argv[1], mode_for (capture, TRUE, rec->protected_record), rec->bytes);
        }
      for (guint j = 0; j < capture->messages->len; j++)
        {
          HlTestMessage *m = g_ptr_array_index (capture->messages, j);

          write_seed (argv[1], mode_for (capture, FALSE, FALSE), m->message);
        }
    }

  if (argc > 2)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[2], 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[2], name, NULL);
          g_autoptr(GBytes) bytes = NULL;

          if (!g_str_has_suffix (name, ".hex"))
            continue;
          bytes = read_hex (path);
          write_seed (argv[1], 1, bytes);
        }
    }

  g_print ("%u seeds written to %s\n", n_written, argv[1]);
  return 0;
}
