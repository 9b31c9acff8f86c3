/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inspector in the window under a display (Xvfb in CI): every event of every scenario in
 * every tab without a critical, checked on the tabs' models in a window never shown, and every
 * step of tls12-rsa drawn in every tab of a shown one; the field tree has as many rows as the
 * decoder's tree (with the record internals) has fields; the byte at offset K selects the field
 * the decoder maps K to; the certificates tab explains the three certificate failures; the keys
 * tab shows the RSA premaster secret and all ✓, and ✗ for a trace whose master secret was
 * corrupted; the hashes tab shows the transcript of each Finished; search, the two forms of a
 * protected message, and the tabs the local steps open; the Fields and Bytes tabs are made only
 * when first shown, with what the steps before put in them. Skips without a display. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "hl-engine.h"
#include "hl-inspector.h"
#include "hl-keyschedule.h"
#include "hl-scenario.h"
#include "hl-sequence-view.h"
#include "hl-record-internals.h"
#include "hl-tab-bin.h"
#include "hl-trace-decode.h"
#include "hl-trace-io.h"
#include "hl-transcript.h"
#include "hl-value-row.h"
#include "hl-screenshot.h"
#include "hl-window.h"
#include "hl-test-ui.h"
#include "hl-test-traces.h"
#include "hl-test-wait.h"

static GtkApplication *app;

static const char *const tabs[] = {
  HL_INSPECTOR_TAB_FIELDS, HL_INSPECTOR_TAB_BYTES, HL_INSPECTOR_TAB_CERTIFICATES,
  HL_INSPECTOR_TAB_SECRETS, HL_INSPECTOR_TAB_HASHES,
};

/* Windows */

static HlWindow *
new_window (HlTrace *trace)
{
  HlWindow *window = hl_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  hl_window_set_autoplay (window, FALSE);
  hl_window_set_start_step (window, 0);
  gtk_window_present (GTK_WINDOW (window));
  hl_window_set_trace (window, trace);
  hl_test_wait_frames (GTK_WIDGET (window), 3);
  return window;
}

/* The same window never shown: no frame is drawn, the widgets and their models still follow. */
static HlWindow *
new_hidden_window (HlTrace *trace)
{
  HlWindow *window = hl_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  hl_window_set_autoplay (window, FALSE);
  hl_window_set_start_step (window, 0);
  hl_window_set_trace (window, trace);
  return window;
}

/* Moves the playhead to @event (showing records when it is one). */
static void
select_event (HlWindow *window, HlEvent *event)
{
  GListModel *steps = hl_window_get_event_model (window);

  if (hl_event_get_kind (event) == HL_EVENT_RECORD)
    g_object_set (window, "show-records", TRUE, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(HlEvent) item = g_list_model_get_item (steps, i);

      if (item == event)
        {
          hl_sequence_view_set_step (hl_window_get_sequence_view (window), i + 1);
          g_assert_true (hl_inspector_get_event (hl_window_get_inspector (window)) == event);
          return;
        }
    }
  g_assert_not_reached ();
}

static HlEvent *
find_event (HlTrace *trace, HlEventKind kind, int handshake_type, HlSide side, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == kind &&
          (handshake_type < 0 || hl_event_get_handshake_type (event) == handshake_type) &&
          (side == HL_SIDE_NONE || hl_event_get_side (event) == side) &&
          (name == NULL || strstr (hl_event_get_name (event), name)))
        return event;
    }
  return NULL;
}

/* The field view's selection is the field the decoder maps @offset to: the same node of the
 * tree shown, and the same path and range in a fresh decoding. */
static void
check_offset (HlInspector *inspector, HlField *fresh, gsize offset)
{
  HlField *shown = hl_inspector_get_fields (inspector);
  HlField *expected = hl_field_find_at_offset (shown, offset);
  HlField *decoder = hl_field_find_at_offset (fresh, offset);
  HlField *selected;
  g_autofree char *path = NULL;
  g_autofree char *decoder_path = NULL;

  hl_hex_view_activate_offset (hl_inspector_get_hex_view (inspector), offset);
  selected = hl_field_view_get_selected_field (hl_inspector_get_field_view (inspector));
  g_assert_nonnull (expected);
  g_assert_nonnull (decoder);
  g_assert_true (selected == expected);
  g_assert_true (hl_hex_view_get_selected_field (hl_inspector_get_hex_view (inspector)) ==
                 expected);
  path = hl_field_dup_path (selected);
  decoder_path = hl_field_dup_path (decoder);
  g_assert_cmpstr (path, ==, decoder_path);
  g_assert_cmpuint (hl_field_get_offset (selected), ==, hl_field_get_offset (decoder));
  g_assert_cmpuint (hl_field_get_length (selected), ==, hl_field_get_length (decoder));
}

/* Offsets + 1 (0 is no key) of the first and last byte of every field with bytes. */
static void
collect_edges (HlField *field, GHashTable *offsets)
{
  if (!hl_field_get_derived (field) && hl_field_get_length (field) > 0)
    {
      g_hash_table_add (offsets, GSIZE_TO_POINTER (hl_field_get_offset (field) + 1));
      g_hash_table_add (offsets, GSIZE_TO_POINTER (hl_field_get_end (field)));
    }
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    collect_edges (hl_field_get_child (field, i), offsets);
}

/* Every event of @trace, records included, in every tab: no critical, the inspector never
 * wider than 480 px, and the Fields and Bytes tabs on the decoder's tree. With @draw each tab
 * of each step is also laid out and painted; without, the checks run on what the tabs hold
 * (their models: rows, selections, cards) in a window that is never shown, so no frame is drawn
 * and hidden tabs are built only when selected, as in the app. */
static void
walk_events (HlWindow *window, HlTrace *trace, gboolean draw)
{
  HlInspector *inspector = hl_window_get_inspector (window);
  HlFieldView *fields = hl_inspector_get_field_view (inspector);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(HlField) fresh = hl_trace_decode_with_internals (trace, event, &error);
      int min_width = 0;

      g_assert_no_error (error);
      select_event (window, event);
      for (guint t = 0; t < G_N_ELEMENTS (tabs); t++)
        {
          g_assert_true (hl_inspector_set_tab (inspector, tabs[t]));
          g_assert_cmpstr (hl_inspector_get_tab (inspector), ==, tabs[t]);
          if (draw)
            hl_test_wait_frames (GTK_WIDGET (window), 1);
        }

      /* whatever the step shows, the inspector never pushes the diagram aside */
      gtk_widget_measure (GTK_WIDGET (inspector), GTK_ORIENTATION_HORIZONTAL, -1, &min_width,
                          NULL, NULL, NULL);
      g_assert_cmpint (min_width, <=, 480);

      /* the default form is the decoder's tree of the event's own bytes */
      if (fresh == NULL)
        {
          g_assert_null (hl_inspector_get_fields (inspector));
          continue;
        }
      g_assert_false (hl_inspector_get_show_decrypted (inspector) &&
                      hl_event_get_kind (event) == HL_EVENT_RECORD);
      hl_field_view_expand_all (fields);
      g_assert_cmpuint (hl_field_view_get_n_rows (fields), ==, hl_field_count (fresh));

      /* the first and last byte of every field, and every 17th byte between */
      {
        g_autoptr(GHashTable) offsets = g_hash_table_new (NULL, NULL);
        GHashTableIter iter;
        gpointer key;

        collect_edges (fresh, offsets);
        for (gsize k = 0; k < hl_event_get_length (event); k += 17)
          g_hash_table_add (offsets, GSIZE_TO_POINTER (k + 1));
        g_hash_table_iter_init (&iter, offsets);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          check_offset (inspector, fresh, GPOINTER_TO_SIZE (key) - 1);
      }
    }
}

/* Every event of every scenario in every tab, checked on the tabs' models. */
static void
test_every_event (void)
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);
  HlWindow *window = new_hidden_window (hl_test_trace (all[0].id));

  /* one window, its trace replaced as when another scenario is chosen */
  for (guint s = 0; s < n; s++)
    {
      HlTrace *trace = hl_test_trace (all[s].id);

      g_test_message ("%s: %u events", all[s].id, hl_trace_get_n_events (trace));
      hl_inspector_set_tab (hl_window_get_inspector (window), HL_INSPECTOR_TAB_FIELDS);
      g_object_set (window, "show-records", FALSE, NULL);
      hl_window_set_trace (window, trace);
      walk_events (window, trace, FALSE);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The representative walk on screen: every step of tls12-rsa (records, messages, local steps,
 * application data, the alert) in every tab, each laid out and painted. */
static void
test_every_event_drawn (void)
{
  HlTrace *trace = hl_test_trace ("tls12-rsa");
  HlWindow *window = new_window (trace);

  walk_events (window, trace, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A real click on a byte (through the hex view's gesture) selects its field. */
static void
test_click_byte (void)
{
  HlTrace *trace = hl_test_trace ("tls12-rsa");
  HlWindow *window = new_window (trace);
  HlInspector *inspector = hl_window_get_inspector (window);
  HlHexView *hex = hl_inspector_get_hex_view (inspector);
  HlEvent *hello = find_event (trace, HL_EVENT_MESSAGE, 1, HL_SIDE_CLIENT, NULL);
  g_autoptr(GListModel) controllers = NULL;
  GObject *drag = NULL;
  const gsize offsets[] = { 0, 1, 6, 37, 40, 100, 132 };

  select_event (window, hello);
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_BYTES);
  hl_test_wait_frames (GTK_WIDGET (window), 2);

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (hex));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        drag = controller;
    }
  g_assert_nonnull (drag);

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      const HlHexLayout *layout = hl_hex_view_get_layout (hex);
      GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (hex));
      gsize k = offsets[i];
      double x = hl_hex_layout_hex_x (layout, k) + layout->char_width;
      double y = hl_hex_layout_row_y (layout, hl_hex_layout_row_of (layout, k)) +
                 layout->row_height / 2 - gtk_adjustment_get_value (vadj);
      HlField *expected = hl_field_find_at_offset (hl_inspector_get_fields (inspector), k);

      g_assert_cmpuint (layout->bytes_per_row, >=, 8);
      g_signal_emit_by_name (drag, "drag-begin", x, y);
      g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
      g_assert_true (hl_field_view_get_selected_field (hl_inspector_get_field_view (inspector)) ==
                     expected);
      hl_test_wait_frames (GTK_WIDGET (window), 1);
    }

  /* the selection copies as hex: the 32-byte random */
  {
    HlField *random = hl_field_find (hl_inspector_get_fields (inspector), "random");
    g_autofree char *copied = NULL;

    hl_hex_view_activate_offset (hex, hl_field_get_offset (random));
    copied = hl_hex_view_dup_selection_hex (hex);
    g_assert_cmpuint (strlen (copied), ==, 32 * 3 - 1);
    g_assert_true (hl_field_view_get_selected_field (hl_inspector_get_field_view (inspector)) ==
                   random);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Shows @trace in @window (as choosing another scenario does), from the first step. */
static void
show_trace (HlWindow *window, HlTrace *trace)
{
  hl_inspector_set_tab (hl_window_get_inspector (window), HL_INSPECTOR_TAB_FIELDS);
  g_object_set (window, "show-records", FALSE, NULL);
  hl_window_set_trace (window, trace);
  hl_test_wait_frames (GTK_WIDGET (window), 2);
}

static char *
verification_text (HlWindow *window, const char *scenario)
{
  HlTrace *trace = hl_test_trace (scenario);
  HlInspector *inspector = hl_window_get_inspector (window);
  HlEvent *certificate = find_event (trace, HL_EVENT_MESSAGE, 11, HL_SIDE_SERVER, NULL);
  char *text;

  select_event (window, certificate);
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_CERTIFICATES);
  hl_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_cmpuint (hl_certificate_view_get_n_certificates (
                      hl_inspector_get_certificate_view (inspector)), ==, 2);
  text = hl_certificate_view_dup_verification_text (hl_inspector_get_certificate_view (inspector));
  g_test_message ("%s:\n%s", scenario, text);
  return text;
}

static void
test_certificates (void)
{
  /* one window, the scenarios one after the other */
  HlWindow *window = new_window (hl_test_trace ("tls12-rsa"));
  g_autofree char *ok = verification_text (window, "tls12-rsa");
  g_autofree char *expired = NULL;
  g_autofree char *untrusted = NULL;
  g_autofree char *hostname = NULL;

  show_trace (window, hl_test_trace ("fail-expired"));
  expired = verification_text (window, "fail-expired");
  show_trace (window, hl_test_trace ("fail-untrusted-ca"));
  untrusted = verification_text (window, "fail-untrusted-ca");
  show_trace (window, hl_test_trace ("fail-hostname"));
  hostname = verification_text (window, "fail-hostname");
  gtk_window_destroy (GTK_WINDOW (window));

  g_assert_true (g_str_has_prefix (ok, "The client trusted the server's certificate\n"));
  g_assert_null (strstr (ok, "✗"));

  g_assert_true (g_str_has_prefix (expired, "The client rejected"));
  g_assert_nonnull (strstr (expired, "✗ Valid at the time of the handshake — The certificate "
                                     "expired"));
  g_assert_nonnull (strstr (untrusted, "✗ Issued by a trusted authority — Unknown issuer"));
  g_assert_nonnull (strstr (hostname, "✗ Issued for the name the client asked for — The client "
                                      "asked for server.test, but the certificate is for"));
  /* each failure is that failure only */
  g_assert_nonnull (strstr (expired, "✓ Issued by a trusted authority"));
  g_assert_nonnull (strstr (untrusted, "✓ Valid at the time of the handshake"));
  g_assert_nonnull (strstr (hostname, "✓ Valid at the time of the handshake"));
}

/* The labels and buttons of @widget, one a line. */
static void
collect_text (GtkWidget *widget, GString *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

/* The first widget under @widget (itself included, depth first) that @match accepts. */
typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_descendant (GtkWidget *widget, WidgetMatch match, gconstpointer data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, match, data);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
is_value_row_titled (GtkWidget *widget, gconstpointer title_prefix)
{
  return HL_IS_VALUE_ROW (widget) &&
         g_str_has_prefix (hl_value_row_get_title (HL_VALUE_ROW (widget)), title_prefix);
}

static HlValueRow *
find_value_row (GtkWidget *widget, const char *title_prefix)
{
  GtkWidget *row = find_descendant (widget, is_value_row_titled, title_prefix);

  return row ? HL_VALUE_ROW (row) : NULL;
}

/* The button that links to the card of @input. */
static gboolean
is_input_link (GtkWidget *widget, gconstpointer input)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (g_object_get_data (G_OBJECT (widget), "hl-input"), input) == 0;
}

static void
test_secrets_rsa (void)
{
  HlTrace *trace = hl_test_trace ("tls12-rsa");
  HlWindow *window = new_window (trace);
  HlInspector *inspector = hl_window_get_inspector (window);
  HlSecretsView *secrets = hl_inspector_get_secrets_view (inspector);
  HlEvent *cke = find_event (trace, HL_EVENT_MESSAGE, 16, HL_SIDE_CLIENT, NULL);
  g_autofree char *card = NULL;
  HlValueRow *decrypted;
  GtkWidget *premaster;

  select_event (window, cke);
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_SECRETS);
  hl_test_wait_frames (GTK_WIDGET (window), 2);

  premaster = hl_secrets_view_get_card (secrets, "premaster_secret", 0);
  g_assert_nonnull (premaster);
  g_assert_true (gtk_widget_has_css_class (premaster, "focused"));
  /* … and scrolled to: its top is in view */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (premaster, GTK_TYPE_SCROLLED_WINDOW);
    double y = 0;

    hl_test_wait_frames (GTK_WIDGET (window), 10);
#if GTK_CHECK_VERSION (4, 12, 0)
    {
      graphene_point_t point;

      g_assert_true (gtk_widget_compute_point (premaster, scroller, &GRAPHENE_POINT_INIT (0, 0),
                                               &point));
      y = point.y;
    }
#else
    {
      double x = 0;

      g_assert_true (gtk_widget_translate_coordinates (premaster, scroller, 0, 0, &x, &y));
    }
#endif
    g_assert_cmpfloat (y, >=, 0);
    g_assert_cmpfloat (y, <, gtk_widget_get_height (scroller) / 2);
  }
  card = hl_secrets_view_dup_card_text (secrets, "premaster_secret", 0);
  g_test_message ("%s", card);
  g_assert_nonnull (strstr (card, "Premaster secret\n48 bytes\n"));
  decrypted = find_value_row (premaster, "2. Decrypted with the server's private key: 48 bytes");
  g_assert_nonnull (decrypted);
  g_assert_true (g_str_has_prefix (hl_value_row_get_text (decrypted), "03 03 "));
  g_assert_true (g_str_has_prefix (hl_value_row_get_copy_text (decrypted), "0303"));
  g_assert_cmpuint (strlen (hl_value_row_get_copy_text (decrypted)), ==, 96);
  g_assert_nonnull (find_value_row (premaster, "1. On the wire, in the ClientKeyExchange: 256"));

  /* every recomputed value is equal to GnuTLS's */
  g_assert_cmpuint (hl_secrets_view_count (secrets, HL_CHECK_FAILED), ==, 0);
  g_assert_cmpuint (hl_secrets_view_count (secrets, HL_CHECK_OK), ==, 10);
  {
    g_autoptr(GString) all = g_string_new (NULL);

    collect_text (GTK_WIDGET (secrets), all);
    g_assert_null (strstr (all->str, "✗"));
    g_assert_nonnull (strstr (all->str, "All are equal to what GnuTLS used ✓."));
  }

  /* the master secret's inputs are links to their cards */
  {
    HlValueRow *ours = NULL;
    GtkWidget *master = hl_secrets_view_get_card (secrets, "master_secret", 0);
    GtkWidget *link;

    g_assert_nonnull (master);
    ours = find_value_row (master, "Recomputed by Handshake Lens");
    g_assert_nonnull (ours);
    g_assert_cmpint (hl_value_row_get_check (ours), ==, HL_CHECK_OK);
    link = find_descendant (master, is_input_link, "client_random");
    g_assert_nonnull (link);
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (link)), ==, "Client random");
    g_assert_false (gtk_widget_has_css_class (hl_secrets_view_get_card (secrets, "client_random",
                                                                        0), "focused"));
    g_signal_emit_by_name (link, "clicked");
    g_assert_true (gtk_widget_has_css_class (hl_secrets_view_get_card (secrets, "client_random",
                                                                       0), "focused"));
    g_assert_true (hl_secrets_view_focus (secrets, "premaster_secret", 0));
    g_assert_true (hl_secrets_view_focus (secrets, "client_random", 0));
    g_assert_true (gtk_widget_has_css_class (hl_secrets_view_get_card (secrets, "client_random",
                                                                       0), "focused"));
  }

  /* the derive-keys box opens this tab and the master secret */
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_FIELDS);
  select_event (window, find_event (trace, HL_EVENT_ACTION, -1, HL_SIDE_CLIENT,
                                    "Derive the master secret"));
  g_assert_cmpstr (hl_inspector_get_tab (inspector), ==, HL_INSPECTOR_TAB_SECRETS);
  g_assert_true (gtk_widget_has_css_class (hl_secrets_view_get_card (secrets, "master_secret", 0),
                                           "focused"));
  /* … and a message goes back to the tab chosen by hand */
  select_event (window, cke);
  g_assert_cmpstr (hl_inspector_get_tab (inspector), ==, HL_INSPECTOR_TAB_FIELDS);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A trace whose master secret was altered: the key schedule recomputed on it finds the
 * difference, and the trace carries that ✗. */
static HlTrace *
corrupted_trace (void)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *data = hl_trace_to_data (hl_test_trace ("tls12-rsa"), &len);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *secrets;
  g_autoptr(HlTrace) altered = NULL;
  g_autoptr(HlKeySchedule) schedule = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  HlTrace *trace;
  gboolean flipped = FALSE;

  g_assert_true (json_parser_load_from_data (parser, data, (gssize) len, &error));
  g_assert_no_error (error);
  secrets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "secrets");
  for (guint i = 0; i < json_array_get_length (secrets); i++)
    {
      JsonObject *s = json_array_get_object_element (secrets, i);

      if (g_str_equal (json_object_get_string_member (s, "name"), "master_secret"))
        {
          g_autofree char *value = g_strdup (json_object_get_string_member (s, "value"));

          value[0] = value[0] == '0' ? '1' : '0';
          json_object_set_string_member (s, "value", value);
          flipped = TRUE;
        }
    }
  g_assert_true (flipped);

  /* recompute the schedule on the altered trace and store what it finds */
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, &len);
  altered = hl_trace_load_data (text, (gssize) len, &error);
  g_assert_no_error (error);
  schedule = hl_keyschedule_compute (altered, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hl_keyschedule_count (schedule, HL_CHECK_FAILED), >, 0);
  for (guint i = 0; i < json_array_get_length (secrets); i++)
    {
      JsonObject *s = json_array_get_object_element (secrets, i);
      const HlSecret *ours;

      if (!g_str_equal (json_object_get_string_member (s, "source"), "derived"))
        continue;
      ours = hl_keyschedule_find (schedule, json_object_get_string_member (s, "name"),
                                  (guint) json_object_get_int_member (s, "handshake"));
      g_assert_nonnull (ours);
      json_object_set_string_member (s, "check", hl_check_to_string (ours->check));
      if (ours->note)
        json_object_set_string_member (s, "note", ours->note);
      if (ours->value)
        {
          gsize n = 0;
          const guint8 *bytes = g_bytes_get_data (ours->value, &n);
          GString *hex = g_string_new (NULL);

          for (gsize k = 0; k < n; k++)
            g_string_append_printf (hex, "%02x", bytes[k]);
          json_object_set_string_member (s, "value", hex->str);
          g_string_free (hex, TRUE);
        }
    }
  g_free (text);
  text = json_generator_to_data (generator, &len);
  trace = hl_trace_load_data (text, (gssize) len, &error);
  g_assert_no_error (error);
  return trace;
}

static void
test_secrets_corrupted (void)
{
  g_autoptr(HlTrace) trace = corrupted_trace ();
  HlWindow *window = new_window (trace);
  HlInspector *inspector = hl_window_get_inspector (window);
  HlSecretsView *secrets = hl_inspector_get_secrets_view (inspector);
  GtkWidget *master;
  HlValueRow *ours;
  g_autofree char *card = NULL;

  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_SECRETS);
  hl_test_wait_frames (GTK_WIDGET (window), 2);

  g_assert_cmpuint (hl_secrets_view_count (secrets, HL_CHECK_FAILED), >, 0);
  master = hl_secrets_view_get_card (secrets, "master_secret", 0);
  ours = find_value_row (master, "Recomputed by Handshake Lens");
  g_assert_cmpint (hl_value_row_get_check (ours), ==, HL_CHECK_FAILED);
  card = hl_secrets_view_dup_card_text (secrets, "master_secret", 0);
  g_test_message ("%s", card);
  g_assert_nonnull (strstr (card, "✗ different"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Each Finished shows its transcript (hl_trace_transcript's), the verify_data sent and the
 * one recomputed, equal. */
static void
test_hashes (void)
{
  const char *scenarios[] = { "tls12-rsa", "tls13", "tls13-hrr", "tls12-resume-ticket" };
  HlWindow *window = new_window (hl_test_trace (scenarios[0]));

  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    {
      HlTrace *trace = hl_test_trace (scenarios[s]);
      HlInspector *inspector = hl_window_get_inspector (window);
      HlHashesView *hashes = hl_inspector_get_hashes_view (inspector);
      guint n_finished = 0;

      for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);
          g_autoptr(GArray) expected = NULL;
          GArray *shown;
          gboolean after_hrr = FALSE;

          if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
              hl_event_get_handshake_type (event) != 20)
            continue;
          n_finished++;
          select_event (window, event);
          hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_HASHES);
          hl_test_wait_frames (GTK_WIDGET (window), 1);
          g_assert_cmpint (hl_hashes_view_get_message (hashes), ==, (int) i);
          expected = hl_trace_transcript (trace, i, &after_hrr);
          shown = hl_hashes_view_get_transcript (hashes);
          g_assert_cmpuint (shown->len, ==, expected->len);
          g_assert_cmpmem (shown->data, shown->len * sizeof (guint), expected->data,
                           expected->len * sizeof (guint));
          g_assert_cmpint (after_hrr, ==, g_str_equal (scenarios[s], "tls13-hrr"));
          g_assert_cmpint (hl_hashes_view_get_check (hashes), ==, HL_CHECK_OK);
        }
      g_assert_cmpuint (n_finished, >=, 2);

      /* the comparison step opens the hashes of the Finished it compares */
      {
        HlEvent *compare = find_event (trace, HL_EVENT_ACTION, -1, HL_SIDE_SERVER,
                                       "Compare the Finished");
        HlEvent *finished = find_event (trace, HL_EVENT_MESSAGE, 20, HL_SIDE_CLIENT, NULL);

        hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_FIELDS);
        select_event (window, compare);
        g_assert_cmpstr (hl_inspector_get_tab (inspector), ==, HL_INSPECTOR_TAB_HASHES);
        g_assert_cmpint (hl_hashes_view_get_message (hashes), ==,
                         (int) hl_event_get_index (finished));
      }
      if (s + 1 < G_N_ELEMENTS (scenarios))
        show_trace (window, hl_test_trace (scenarios[s + 1]));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A message that travelled encrypted shows its plaintext, and on request the record. */
static void
test_two_forms (void)
{
  HlTrace *trace = hl_test_trace ("tls13");
  HlWindow *window = new_window (trace);
  HlInspector *inspector = hl_window_get_inspector (window);
  HlEvent *certificate = find_event (trace, HL_EVENT_MESSAGE, 11, HL_SIDE_SERVER, NULL);
  HlEvent *record = hl_trace_get_event (trace, (guint) hl_event_get_record (certificate));
  HlEvent *hello = find_event (trace, HL_EVENT_MESSAGE, 1, HL_SIDE_CLIENT, NULL);

  select_event (window, certificate);
  g_assert_true (hl_inspector_has_two_forms (inspector));
  g_assert_true (hl_inspector_get_show_decrypted (inspector));
  g_assert_true (g_bytes_equal (hl_inspector_get_bytes (inspector),
                                hl_event_get_bytes (certificate)));
  hl_inspector_set_show_decrypted (inspector, FALSE);
  hl_test_wait_frames (GTK_WIDGET (window), 1);
  g_assert_true (g_bytes_equal (hl_inspector_get_bytes (inspector), hl_event_get_bytes (record)));
  g_assert_cmpstr (hl_field_get_name (hl_inspector_get_fields (inspector)), ==, "TLSCiphertext");
  /* with how it was opened: sequence number, nonce, and the tag split out of its bytes */
  g_assert_nonnull (hl_field_find (hl_inspector_get_fields (inspector), "nonce"));
  g_assert_nonnull (hl_field_find (hl_inspector_get_fields (inspector), "sequence_number"));
  g_assert_cmpuint (hl_field_get_length (hl_field_find (hl_inspector_get_fields (inspector),
                                                        "tag")), ==, 16);
  if (g_getenv ("HL_TEST_PICTURE_DIR"))
    {
      g_autofree char *png = g_build_filename (g_getenv ("HL_TEST_PICTURE_DIR"), "record.png",
                                               NULL);

      hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_FIELDS);
      hl_field_view_expand_all (hl_inspector_get_field_view (inspector));
      hl_test_wait_frames (GTK_WIDGET (window), 2);
      hl_widget_save_png (GTK_WIDGET (window), png, NULL);
    }

  /* the record itself opens encrypted and decrypts on request */
  select_event (window, record);
  g_assert_false (hl_inspector_get_show_decrypted (inspector));
  hl_inspector_set_show_decrypted (inspector, TRUE);
  g_assert_true (g_bytes_equal (hl_inspector_get_bytes (inspector),
                                hl_event_get_plaintext (record)));

  /* a plaintext message has one form */
  select_event (window, hello);
  g_assert_false (hl_inspector_has_two_forms (inspector));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+F: a field by name, a value, bytes in hex; the hits move the playhead there. */
static void
test_search (void)
{
  HlTrace *trace = hl_test_trace ("tls12-rsa");
  HlWindow *window = new_window (trace);
  HlInspector *inspector = hl_window_get_inspector (window);
  HlSequenceView *view = hl_window_get_sequence_view (window);
  HlField *selected;
  gsize offset = 0, length = 0;

  g_assert_cmpuint (hl_inspector_find (inspector, "nothing-like-this"), ==, 0);
  g_assert_false (hl_inspector_find_next (inspector, FALSE));

  /* the ClientHello's host_name: a field found by name (and name_type by its value) */
  g_assert_cmpuint (hl_inspector_find (inspector, "host_name"), ==, 2);
  g_assert_true (hl_inspector_find_next (inspector, FALSE));
  g_assert_cmpstr (hl_event_get_name (hl_sequence_view_get_current_event (view)), ==,
                   "ClientHello");
  g_assert_cmpstr (hl_inspector_get_tab (inspector), ==, HL_INSPECTOR_TAB_FIELDS);
  selected = hl_field_view_get_selected_field (hl_inspector_get_field_view (inspector));
  g_assert_cmpstr (hl_field_get_name (selected), ==, "host_name");

  /* by value */
  g_assert_cmpuint (hl_inspector_find (inspector, "TLS_RSA_WITH_AES_128_GCM"), >=, 2);

  /* bytes: "server.test" in ASCII, in the ClientHello and the certificate */
  g_assert_cmpuint (hl_inspector_find (inspector, "73 65 72 76 65 72 2e 74 65 73 74"), >=, 2);
  g_assert_true (hl_inspector_find_next (inspector, FALSE));
  g_assert_cmpstr (hl_inspector_get_tab (inspector), ==, HL_INSPECTOR_TAB_BYTES);
  g_assert_true (hl_hex_view_get_selection (hl_inspector_get_hex_view (inspector), &offset,
                                            &length));
  g_assert_cmpuint (length, ==, 11);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (hl_inspector_get_bytes (inspector), NULL) +
                   offset, 11, "server.test", 11);
  /* and backwards wraps round */
  g_assert_true (hl_inspector_find_next (inspector, TRUE));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The toggle button that opens the search bar. */
static gboolean
is_search_toggle (GtkWidget *widget, gconstpointer unused)
{
  return GTK_IS_TOGGLE_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "edit-find-symbolic") == 0;
}

static gboolean
is_of_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static GtkWidget *
find_widget (GtkWidget *widget, GType type)
{
  return find_descendant (widget, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
go_to_next_match (gpointer inspector)
{
  return hl_inspector_find_next (inspector, FALSE);
}

/* The search bar's entry is made the first time the bar opens, with the focus in it, and
 * searches as one types. */
static void
test_search_bar (void)
{
  HlTrace *trace = hl_test_trace ("tls12-rsa");
  HlWindow *window = new_window (trace);
  HlInspector *inspector = hl_window_get_inspector (window);
  HlSequenceView *view = hl_window_get_sequence_view (window);
  GtkWidget *entry;
  GtkWidget *toggle;

  g_assert_null (find_widget (GTK_WIDGET (inspector), GTK_TYPE_SEARCH_ENTRY));
  /* the bar's button, as a click does */
  toggle = find_descendant (GTK_WIDGET (inspector), is_search_toggle, NULL);
  g_assert_nonnull (toggle);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  entry = find_widget (GTK_WIDGET (inspector), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (window)), entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "host_name");
  /* search-changed comes after a short delay; then the first hit */
  hl_test_wait_for (go_to_next_match, inspector, 10000);
  g_assert_cmpstr (hl_event_get_name (hl_sequence_view_get_current_event (view)), ==,
                   "ClientHello");
  hl_test_maybe_save_png (GTK_WIDGET (window), "inspector-search-bar.png");

  /* closed and opened again (Ctrl+F): the same entry */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  hl_inspector_start_search (inspector);
  g_assert_true (find_widget (GTK_WIDGET (inspector), GTK_TYPE_SEARCH_ENTRY) == entry);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* What the tab @name holds: its HlTabBin's child, NULL until the tab is made. */
static GtkWidget *
tab_page (HlInspector *inspector, const char *name)
{
  GtkWidget *stack = find_widget (GTK_WIDGET (inspector), ADW_TYPE_VIEW_STACK);

  g_assert_nonnull (stack);
  return hl_tab_bin_get_child (HL_TAB_BIN (adw_view_stack_get_child_by_name (ADW_VIEW_STACK (stack),
                                                                             name)));
}

static gboolean
page_says (GtkWidget *page, const char *text)
{
  g_autoptr(GString) all = g_string_new (NULL);

  collect_text (page, all);
  return strstr (all->str, text) != NULL;
}

/* A window that opens on a local step (the Keys tab) builds neither the Fields tab nor the Bytes
 * tab; each is made when first shown, with the step shown then and the field chosen in the
 * other. */
static void
test_lazy_pages (void)
{
  HlTrace *trace = hl_test_trace ("tls12-rsa");
  HlEvent *derive = find_event (trace, HL_EVENT_ACTION, -1, HL_SIDE_CLIENT,
                                "Derive the master secret");
  HlEvent *cke = find_event (trace, HL_EVENT_MESSAGE, 16, HL_SIDE_CLIENT, NULL);
  HlWindow *window = new_hidden_window (trace);
  HlInspector *inspector = hl_window_get_inspector (window);
  g_autoptr(HlField) fresh = hl_trace_decode_with_internals (trace, cke, NULL);
  GtkWidget *fields_page, *bytes_page, *column_view;
  HlFieldView *field_view;
  HlHexView *hex_view;
  HlField *chosen;

  /* the first step the window shows is a local one */
  select_event (window, derive);
  gtk_window_present (GTK_WINDOW (window));
  hl_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_cmpstr (hl_inspector_get_tab (inspector), ==, HL_INSPECTOR_TAB_SECRETS);
  g_assert_null (tab_page (inspector, HL_INSPECTOR_TAB_FIELDS));
  g_assert_null (tab_page (inspector, HL_INSPECTOR_TAB_BYTES));
  g_assert_null (find_widget (GTK_WIDGET (window), HL_TYPE_FIELD_VIEW));
  g_assert_null (find_widget (GTK_WIDGET (window), HL_TYPE_HEX_VIEW));

  /* Fields shown: made, and it says what the step is, with the way to its tab */
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_FIELDS);
  fields_page = tab_page (inspector, HL_INSPECTOR_TAB_FIELDS);
  g_assert_nonnull (fields_page);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (fields_page)), ==, "none");
  g_assert_true (page_says (fields_page, "A Local Step"));
  g_assert_true (page_says (fields_page, "Show Secrets & Keys"));
  hl_test_wait_frames (GTK_WIDGET (window), 1);
  g_assert_null (tab_page (inspector, HL_INSPECTOR_TAB_BYTES));

  /* back to Keys by hand, and a message there: the Fields tab follows while hidden */
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_SECRETS);
  select_event (window, cke);
  g_assert_cmpstr (hl_inspector_get_tab (inspector), ==, HL_INSPECTOR_TAB_SECRETS);
  field_view = HL_FIELD_VIEW (find_widget (fields_page, HL_TYPE_FIELD_VIEW));
  g_assert_true (hl_field_view_get_root (field_view) == hl_inspector_get_fields (inspector));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (fields_page)), ==, "tree");
  g_assert_true (page_says (fields_page, "The premaster secret inside, decrypted"));

  /* a field chosen as a click would: the Bytes tab, made later, selects it too */
  column_view = find_widget (fields_page, GTK_TYPE_COLUMN_VIEW);
  g_assert_true (gtk_selection_model_select_item (
                   gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view)), 1, TRUE));
  chosen = hl_field_view_get_selected_field (field_view);
  g_assert_nonnull (chosen);
  g_assert_true (hl_field_get_parent (chosen) == hl_inspector_get_fields (inspector));
  g_assert_null (tab_page (inspector, HL_INSPECTOR_TAB_BYTES));

  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_BYTES);
  bytes_page = tab_page (inspector, HL_INSPECTOR_TAB_BYTES);
  g_assert_nonnull (bytes_page);
  hex_view = HL_HEX_VIEW (find_widget (bytes_page, HL_TYPE_HEX_VIEW));
  g_assert_true (hex_view == hl_inspector_get_hex_view (inspector));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (bytes_page)), ==, "hex");
  g_assert_true (g_bytes_equal (hl_hex_view_get_data (hex_view), hl_event_get_bytes (cke)));
  g_assert_true (hl_hex_view_get_selected_field (hex_view) == chosen);
  g_assert_true (page_says (bytes_page, hl_field_get_name (chosen)));
  hl_test_wait_frames (GTK_WIDGET (window), 1);

  /* and Fields again: the message's whole tree, as the decoder has it */
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_FIELDS);
  g_assert_true (hl_inspector_get_field_view (inspector) == field_view);
  g_assert_true (hl_field_view_get_selected_field (field_view) == chosen);
  hl_field_view_expand_all (field_view);
  g_assert_cmpuint (hl_field_view_get_n_rows (field_view), ==, hl_field_count (fresh));
  hl_test_wait_frames (GTK_WIDGET (window), 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

/* An attacker in the middle: the client's certificate check shows the attacker's certificate and
 * both CAs of its trust store; the secrets say who holds each connection's keys. */
static void
test_attacker (void)
{
  HlTrace *trace = hl_test_trace ("mitm-trusted-ca");
  HlWindow *window = new_window (trace);
  HlInspector *inspector = hl_window_get_inspector (window);
  HlSecretsView *secrets = hl_inspector_get_secrets_view (inspector);
  HlEvent *certificate = find_event (trace, HL_EVENT_MESSAGE, 11, HL_SIDE_ATTACKER, NULL);
  HlEvent *request = find_event (trace, HL_EVENT_APP_DATA, -1, HL_SIDE_CLIENT, "Request");
  g_autofree char *verification = NULL;
  g_autofree char *front = NULL;
  g_autofree char *back = NULL;

  g_assert_nonnull (certificate);
  g_assert_cmpuint (hl_event_get_handshake (certificate), ==, 0);
  select_event (window, certificate);
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_CERTIFICATES);
  hl_test_wait_frames (GTK_WIDGET (window), 2);
  /* its leaf, the demo CA and the attacker's CA the client trusts */
  g_assert_cmpuint (hl_certificate_view_get_n_certificates (
                      hl_inspector_get_certificate_view (inspector)), ==, 3);
  verification = hl_certificate_view_dup_verification_text (
                   hl_inspector_get_certificate_view (inspector));
  g_test_message ("%s", verification);
  g_assert_true (g_str_has_prefix (verification,
                                   "The client trusted the attacker's certificate\n"));
  g_assert_nonnull (strstr (verification, "Intercepting Proxy CA"));

  select_event (window, request);
  hl_inspector_set_tab (inspector, HL_INSPECTOR_TAB_SECRETS);
  hl_test_wait_frames (GTK_WIDGET (window), 2);
  front = hl_secrets_view_dup_card_text (secrets, "client_write_key", 0);
  back = hl_secrets_view_dup_card_text (secrets, "client_write_key", 1);
  g_assert_nonnull (front);
  g_assert_nonnull (back);
  g_assert_nonnull (strstr (front, "Known to the client and the attacker — not to the server"));
  g_assert_nonnull (strstr (back, "Known to the attacker and the server — not to the client"));
  g_assert_cmpstr (front, !=, back);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  const struct { const char *path; GTestFunc func; } tests[] = {
    { "/ui/inspector/attacker", test_attacker },
    { "/ui/inspector/every-event", test_every_event },
    { "/ui/inspector/every-event-drawn", test_every_event_drawn },
    { "/ui/inspector/click-byte", test_click_byte },
    { "/ui/inspector/certificates", test_certificates },
    { "/ui/inspector/secrets-rsa", test_secrets_rsa },
    { "/ui/inspector/secrets-corrupted", test_secrets_corrupted },
    { "/ui/inspector/hashes", test_hashes },
    { "/ui/inspector/two-forms", test_two_forms },
    { "/ui/inspector/search", test_search },
    { "/ui/inspector/search-bar", test_search_bar },
    { "/ui/inspector/lazy-pages", test_lazy_pages },
  };
  gboolean display;
  int rc;

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  display = gtk_init_check ();
  if (display)
    {
      g_autoptr(GError) error = NULL;

      adw_init ();
      app = g_object_new (ADW_TYPE_APPLICATION,
                          "application-id", APP_ID ".InspectorTest",
                          "flags", G_APPLICATION_NON_UNIQUE,
                          "resource-base-path", RESOURCE_PREFIX,
                          NULL);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, display ? tests[i].func : skip_no_display);
  rc = g_test_run ();
  hl_test_traces_free ();
  g_clear_object (&app);
  return rc;
}
