/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hl-engine.h"
#include "hl-ticket.h"

/*
 * Opening the TLS 1.2 tickets GnuTLS makes (hl-ticket.h): a ticket of a real run opens with the
 * server's key at the period of its time of issue and holds that connection's master secret;
 * every cut of it, a byte too many, a changed byte and a wrong time are refused with the reason,
 * never a crash.
 */

typedef struct
{
  HlTrace *trace;
  GBytes  *key;      /* borrowed from the trace */
  GBytes  *ticket;   /* owned */
  gint64   issued;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->trace = hl_engine_run_scenario ("tls12-resume-ticket", NULL, &error);
  g_assert_no_error (error);
  f->key = hl_trace_find_secret (f->trace, "session_ticket_key", 0)->value;
  for (guint i = 0; i < hl_trace_get_n_events (f->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (f->trace, i);
      GBytes *bytes = hl_event_get_bytes (event);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && hl_event_get_handshake (event) == 0 &&
          g_strcmp0 (hl_event_get_name (event), "NewSessionTicket") == 0)
        {
          /* header (4), ticket_lifetime_hint (4), ticket length (2), ticket */
          f->ticket = g_bytes_new_from_bytes (bytes, 10, g_bytes_get_size (bytes) - 10);
          f->issued = (hl_trace_get_created (f->trace) + hl_event_get_timestamp (event)) /
                      G_USEC_PER_SEC;
        }
    }
  g_assert_nonnull (f->ticket);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_bytes_unref (f->ticket);
  g_object_unref (f->trace);
}

static void
test_opens (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  HlTicketContents contents;
  GBytes *master = hl_trace_find_secret (f->trace, "master_secret", 0)->value;
  gsize len;
  const guint8 *state;
  gboolean found = FALSE;

  g_assert_true (hl_ticket_open (f->key, f->ticket, f->issued, &contents, &error));
  g_assert_no_error (error);
  g_assert_cmpint (contents.period, ==, f->issued / HL_TICKET_PERIOD);
  state = g_bytes_get_data (contents.state, &len);
  /* AES-CBC blocks: 16 bytes each; the ticket around it is 16 + 16 + 2 + state + 20 */
  g_assert_cmpuint (len % 16, ==, 0);
  g_assert_cmpuint (len + 54, ==, g_bytes_get_size (f->ticket));
  for (gsize i = 0; i + 48 <= len && !found; i++)
    found = memcmp (state + i, g_bytes_get_data (master, NULL), 48) == 0;
  g_assert_true (found);
  g_bytes_unref (contents.state);
}

static void
assert_refused (GBytes *key, GBytes *ticket, gint64 issued, int code)
{
  g_autoptr(GError) error = NULL;
  HlTicketContents contents;

  g_assert_false (hl_ticket_open (key, ticket, issued, &contents, &error));
  g_assert_error (error, HL_TICKET_ERROR, code);
  g_assert_null (contents.state);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  gsize len = g_bytes_get_size (f->ticket);

  for (gsize n = 0; n < len; n++)
    {
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (f->ticket, 0, n);

      assert_refused (f->key, cut, f->issued, HL_TICKET_ERROR_FORMAT);
    }
}

/* A copy of @bytes with the byte at @flip changed (none when past the end) and @extra zero
 * bytes added. */
static GBytes *
edited (GBytes *bytes, gsize flip, gsize extra)
{
  GByteArray *copy = g_byte_array_new ();

  g_byte_array_append (copy, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (flip < copy->len)
    copy->data[flip] ^= 0x80;
  g_byte_array_set_size (copy, copy->len + extra);
  if (extra > 0)
    memset (copy->data + copy->len - extra, 0, extra);
  return g_byte_array_free_to_bytes (copy);
}

static void
test_trailing (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) longer = edited (f->ticket, G_MAXSIZE, 1);

  assert_refused (f->key, longer, f->issued, HL_TICKET_ERROR_FORMAT);
}

/* A changed IV byte: the key name still fits, the MAC does not. */
static void
test_changed (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) changed = edited (f->ticket, 20, 0);

  assert_refused (f->key, changed, f->issued, HL_TICKET_ERROR_MAC);
}

/* Two periods away, or with another key, the key name is nobody's. */
static void
test_wrong_key (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) other_key = edited (f->key, 0, 0);
  g_autoptr(GBytes) short_key = g_bytes_new_from_bytes (f->key, 0, 32);

  assert_refused (other_key, f->ticket, f->issued, HL_TICKET_ERROR_KEY_NAME);
  assert_refused (f->key, f->ticket, f->issued + 2 * HL_TICKET_PERIOD, HL_TICKET_ERROR_KEY_NAME);
  assert_refused (short_key, f->ticket, f->issued, HL_TICKET_ERROR_FORMAT);
}

int
main (int argc, char *argv[])
{
  static const struct
  {
    const char *path;
    void      (*test) (Fixture *, gconstpointer);
  } tests[] = {
    { "/protocol/ticket/opens", test_opens },
    { "/protocol/ticket/truncated", test_truncated },
    { "/protocol/ticket/trailing", test_trailing },
    { "/protocol/ticket/changed", test_changed },
    { "/protocol/ticket/wrong-key", test_wrong_key },
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, fixture_set_up, tests[i].test, fixture_tear_down);
  return g_test_run ();
}
