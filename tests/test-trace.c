/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hl-trace-private.h"

/* The trace is a GListModel of its events, in order, with indexes set on append. */
static void
test_list_model (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("tls12-rsa", "Title", "Description");
  HlEvent *a = hl_trace_append (trace, hl_event_new (HL_EVENT_MESSAGE, HL_SIDE_CLIENT,
                                                     HL_SIDE_SERVER, "ClientHello"));
  HlEvent *b = hl_trace_append (trace, hl_event_new (HL_EVENT_ACTION, HL_SIDE_SERVER,
                                                     HL_SIDE_NONE, "Derive"));
  g_autoptr(HlEvent) item = NULL;

  g_assert_cmpuint (hl_event_get_index (a), ==, 0);
  g_assert_cmpuint (hl_event_get_index (b), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trace)), ==, 2);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (trace)) == HL_TYPE_EVENT);
  item = g_list_model_get_item (G_LIST_MODEL (trace), 1);
  g_assert_true (item == b);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (trace), 2));
  g_assert_cmpint (hl_event_get_record (a), ==, -1);
  g_assert_cmpstr (hl_event_get_caption (a), ==, "");
}

/* Once finished, a trace refuses changes (a critical, which the test expects). */
static void
test_immutable (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("x", "X", "");

  hl_trace_finish (trace);
  if (g_test_subprocess ())
    {
      hl_trace_append (trace, hl_event_new (HL_EVENT_NOTE, HL_SIDE_NONE, HL_SIDE_NONE, "n"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*!self->finished*");
  g_assert_cmpuint (hl_trace_get_n_events (trace), ==, 0);
}

static void
test_secrets (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("x", "X", "");
  g_autoptr(GBytes) v = g_bytes_new_static ("\x01\x02", 2);

  hl_trace_add_secret (trace, hl_secret_new ("master_secret", "Master secret", v, HL_SIDE_BOTH,
                                             HL_SOURCE_LIBRARY, 0));
  hl_trace_add_secret (trace, hl_secret_new ("master_secret", "Master secret", NULL,
                                             HL_SIDE_BOTH, HL_SOURCE_LIBRARY, 1));
  g_assert_nonnull (hl_trace_find_secret (trace, "master_secret", 0)->value);
  g_assert_null (hl_trace_find_secret (trace, "master_secret", 1)->value);
  g_assert_null (hl_trace_find_secret (trace, "master_secret", 2));
  g_assert_null (hl_trace_find_secret (trace, "other", 0));
}

/* Every enum's string form parses back, and junk does not. */
static void
test_enum_strings (void)
{
  HlSide side;
  HlEventKind kind;
  HlEpoch epoch;
  HlCheck check;
  HlSource source;

  for (int i = HL_SIDE_CLIENT; i <= HL_SIDE_NONE; i++)
    {
      g_assert_true (hl_side_from_string (hl_side_to_string (i), &side));
      g_assert_cmpint (side, ==, i);
    }
  for (int i = HL_EVENT_RECORD; i <= HL_EVENT_NOTE; i++)
    {
      g_assert_true (hl_event_kind_from_string (hl_event_kind_to_string (i), &kind));
      g_assert_cmpint (kind, ==, i);
    }
  for (int i = HL_EPOCH_PLAINTEXT; i <= HL_EPOCH_APPLICATION; i++)
    {
      g_assert_true (hl_epoch_from_string (hl_epoch_to_string (i), &epoch));
      g_assert_cmpint (epoch, ==, i);
    }
  for (int i = HL_CHECK_NONE; i <= HL_CHECK_FAILED; i++)
    {
      g_assert_true (hl_check_from_string (hl_check_to_string (i), &check));
      g_assert_cmpint (check, ==, i);
    }
  for (int i = HL_SOURCE_LIBRARY; i <= HL_SOURCE_WIRE; i++)
    {
      g_assert_true (hl_source_from_string (hl_source_to_string (i), &source));
      g_assert_cmpint (source, ==, i);
    }
  g_assert_false (hl_side_from_string ("martian", &side));
  g_assert_false (hl_side_from_string (NULL, &side));
  g_assert_cmpstr (hl_alert_description_name (48), ==, "unknown_ca");
  g_assert_null (hl_alert_description_name (255));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/trace/list-model", test_list_model);
  g_test_add_func ("/protocol/trace/immutable", test_immutable);
  g_test_add_func ("/protocol/trace/secrets", test_secrets);
  g_test_add_func ("/protocol/trace/enum-strings", test_enum_strings);
  return g_test_run ();
}
