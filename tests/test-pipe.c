/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gnutls/gnutls.h>

#include "hl-pipe.h"

typedef struct
{
  GPtrArray *records;
  GArray    *senders;
} Seen;

static void
record_cb (HlSide sender, GBytes *record, gint64 timestamp, gpointer user_data)
{
  Seen *seen = user_data;

  g_ptr_array_add (seen->records, g_bytes_ref (record));
  g_array_append_val (seen->senders, sender);
}

static gnutls_session_t
client_session (HlPipe *pipe)
{
  gnutls_session_t s;

  g_assert_cmpint (gnutls_init (&s, GNUTLS_CLIENT | GNUTLS_NONBLOCK), ==, 0);
  g_assert_cmpint (gnutls_set_default_priority (s), ==, 0);
  hl_pipe_attach (pipe, HL_SIDE_CLIENT, s);
  return s;
}

/* A ClientHello pushed by a real session is cut into exactly one record, reported once. */
static void
test_split (void)
{
  g_autoptr(HlPipe) pipe = hl_pipe_new ();
  Seen seen = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                g_array_new (FALSE, FALSE, sizeof (HlSide)) };
  gnutls_certificate_credentials_t cred;
  gnutls_session_t s;
  const guint8 *p;
  gsize len;

  hl_pipe_set_record_func (pipe, record_cb, &seen);
  s = client_session (pipe);
  gnutls_certificate_allocate_credentials (&cred);
  gnutls_credentials_set (s, GNUTLS_CRD_CERTIFICATE, cred);
  g_assert_cmpint (gnutls_handshake (s), ==, GNUTLS_E_AGAIN);

  g_assert_cmpuint (seen.records->len, ==, 1);
  g_assert_cmpint (g_array_index (seen.senders, HlSide, 0), ==, HL_SIDE_CLIENT);
  p = g_bytes_get_data (g_ptr_array_index (seen.records, 0), &len);
  g_assert_cmpuint (p[0], ==, 22);
  g_assert_cmpuint (len, ==, 5 + ((p[3] << 8) | p[4]));
  g_assert_cmpuint (hl_pipe_get_pending (pipe, HL_SIDE_SERVER), ==, len);
  g_assert_cmpuint (hl_pipe_get_pending (pipe, HL_SIDE_CLIENT), ==, 0);
  g_assert_cmpuint (hl_pipe_get_pushed (pipe, HL_SIDE_CLIENT), ==, len);

  hl_pipe_reset (pipe);
  g_assert_cmpuint (hl_pipe_get_pending (pipe, HL_SIDE_SERVER), ==, 0);

  gnutls_deinit (s);
  gnutls_certificate_free_credentials (cred);
  g_ptr_array_unref (seen.records);
  g_array_unref (seen.senders);
}

/* Pulling from an empty queue says EAGAIN, so a non-blocking handshake returns
 * GNUTLS_E_AGAIN instead of failing. */
static void
test_empty_pull_is_again (void)
{
  g_autoptr(HlPipe) pipe = hl_pipe_new ();
  gnutls_session_t s;
  gnutls_certificate_credentials_t cred;

  s = client_session (pipe);
  gnutls_certificate_allocate_credentials (&cred);
  gnutls_credentials_set (s, GNUTLS_CRD_CERTIFICATE, cred);
  g_assert_cmpint (gnutls_handshake (s), ==, GNUTLS_E_AGAIN);
  g_assert_cmpint (gnutls_handshake (s), ==, GNUTLS_E_AGAIN);
  gnutls_deinit (s);
  gnutls_certificate_free_credentials (cred);
}

/* Bytes written in odd pieces still come out as whole records, in order, and one-record mode
 * never hands out bytes past the end of the current record. */
static void
test_records_across_writes (void)
{
  g_autoptr(HlPipe) pipe = hl_pipe_new ();
  Seen seen = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                g_array_new (FALSE, FALSE, sizeof (HlSide)) };
  const guint8 stream[] = { 23, 3, 3, 0, 2, 0xaa, 0xbb, 21, 3, 3, 0, 2, 1, 0 };
  guint8 buf[64];
  const guint8 *p;
  gsize len;

  hl_pipe_set_record_func (pipe, record_cb, &seen);
  hl_pipe_set_one_record_per_pull (pipe, TRUE);
  for (gsize i = 0; i < sizeof stream; i += 3)
    {
      hl_pipe_write (pipe, HL_SIDE_SERVER, stream + i, MIN (3, sizeof stream - i));
      g_assert_cmpuint (seen.records->len, ==, i + 3 >= 14 ? 2 : i + 3 >= 7 ? 1 : 0);
    }
  g_assert_cmpint (g_array_index (seen.senders, HlSide, 1), ==, HL_SIDE_SERVER);
  p = g_bytes_get_data (g_ptr_array_index (seen.records, 1), &len);
  g_assert_cmpuint (len, ==, 7);
  g_assert_cmpuint (p[0], ==, 21);

  g_assert_cmpuint (hl_pipe_get_pending (pipe, HL_SIDE_CLIENT), ==, 14);
  g_assert_cmpint (hl_pipe_read (pipe, HL_SIDE_CLIENT, buf, sizeof buf), ==, 7);
  g_assert_cmpuint (buf[5], ==, 0xaa);
  g_assert_cmpint (hl_pipe_read (pipe, HL_SIDE_CLIENT, buf, 3), ==, 3);
  g_assert_cmpint (hl_pipe_read (pipe, HL_SIDE_CLIENT, buf, sizeof buf), ==, 4);
  g_assert_cmpint (hl_pipe_read (pipe, HL_SIDE_CLIENT, buf, sizeof buf), ==, -1);
  g_assert_cmpint (hl_pipe_read (pipe, HL_SIDE_SERVER, buf, sizeof buf), ==, -1);

  g_ptr_array_unref (seen.records);
  g_array_unref (seen.senders);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/pipe/split", test_split);
  g_test_add_func ("/protocol/pipe/empty-pull-is-again", test_empty_pull_is_again);
  g_test_add_func ("/protocol/pipe/records-across-writes", test_records_across_writes);
  return g_test_run ();
}
