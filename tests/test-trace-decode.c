/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hl-engine.h"
#include "hl-trace-decode.h"
#include "hl-trace-io.h"

/* Every byte of every real trace has a name: each record, message, alert and application data
 * event decodes with no error and no trailing bytes, the tree covers exactly the event's bytes,
 * and each protected record's decrypted content decodes too. */
static void
test_scenario (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario (id, NULL, &error);
  guint decoded = 0, inner = 0, protected = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlEventKind kind = hl_event_get_kind (event);
      g_autoptr(HlField) root = hl_trace_decode_event (trace, event, &error);
      g_autoptr(HlField) plain = NULL;

      g_assert_no_error (error);
      if (kind == HL_EVENT_ACTION || kind == HL_EVENT_NOTE)
        {
          g_assert_null (root);
          continue;
        }
      g_assert_nonnull (root);
      g_assert_cmpuint (hl_field_get_offset (root), ==, 0);
      g_assert_cmpuint (hl_field_get_length (root), ==, hl_event_get_length (event));
      g_assert_cmpuint (hl_field_count (root), >=, kind == HL_EVENT_RECORD ? 4 : 1);
      /* every byte maps to a field */
      for (gsize off = 0; off < hl_event_get_length (event); off++)
        g_assert_nonnull (hl_field_find_at_offset (root, off));
      decoded++;

      if (kind != HL_EVENT_RECORD || hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT)
        continue;
      protected++;
      plain = hl_trace_decode_plaintext (trace, event, &error);
      g_assert_no_error (error);
      g_assert_nonnull (plain);
      g_assert_cmpuint (hl_field_get_length (plain), ==,
                        g_bytes_get_size (hl_event_get_plaintext (event)));
      inner++;
    }
  g_assert_cmpuint (decoded, >=, 4);
  g_assert_cmpuint (inner, ==, protected);

  /* --json output: fields added for readers, and the file still loads as the same trace */
  {
    g_autoptr(JsonNode) root = hl_trace_to_json (trace);
    g_autoptr(JsonGenerator) gen = json_generator_new ();
    g_autofree char *text = NULL;
    g_autoptr(HlTrace) loaded = NULL;
    g_autoptr(GString) why = g_string_new (NULL);
    JsonObject *first;

    hl_trace_json_add_fields (trace, root);
    first = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (root), "events"), 0);
    g_assert_true (json_object_has_member (first, "fields"));
    g_assert_false (json_object_has_member (first, "fields_error"));
    json_generator_set_root (gen, root);
    text = json_generator_to_data (gen, NULL);
    loaded = hl_trace_load_data (text, -1, &error);
    g_assert_no_error (error);
    g_assert_true (hl_trace_equal (trace, loaded, why));
  }
}

int
main (int argc, char *argv[])
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/trace-decode/%s", all[i].id);

      g_test_add_data_func (path, all[i].id, test_scenario);
    }
  return g_test_run ();
}
