/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

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

/* The RFC a message's explanation cites is the one of the version on the wire: TLS 1.2
 * messages cite RFC 5246 (RFC 5077 for its ticket), TLS 1.3 ones RFC 8446. */
static void
test_rfc_references (void)
{
  static const struct { const char *scenario, *message, *rfc; } table[] = {
    { "tls12-rsa", "ClientHello", "RFC 5246 §7.4.1.2" },
    { "tls12-rsa", "ServerHello", "RFC 5246 §7.4.1.3" },
    { "tls12-rsa", "Certificate", "RFC 5246 §7.4.2" },
    { "tls12-rsa", "Finished", "RFC 5246 §7.4.9" },
    { "tls12-mtls", "CertificateRequest", "RFC 5246 §7.4.4" },
    { "tls12-mtls", "CertificateVerify", "RFC 5246 §7.4.8" },
    { "tls12-resume-ticket", "NewSessionTicket", "RFC 5077 §3.3" },
    { "tls13", "ClientHello", "RFC 8446 §4.1.2" },
    { "tls13", "ServerHello", "RFC 8446 §4.1.3" },
    { "tls13", "Certificate", "RFC 8446 §4.4.2" },
    { "tls13", "CertificateVerify", "RFC 8446 §4.4.3" },
    { "tls13", "Finished", "RFC 8446 §4.4.4" },
    { "tls13-mtls", "CertificateRequest", "RFC 8446 §4.3.2" },
    { "tls13-resume-psk", "NewSessionTicket", "RFC 8446 §4.6.1" },
    /* alerts: the alert protocol of each version */
    { "tls12-rsa", "close_notify", "RFC 5246 §7.2" },
    { "fail-untrusted-ca", "unknown_ca", "RFC 5246 §7.2" },
    { "tls13", "close_notify", "RFC 8446 §6" },
  };

  for (guint t = 0; t < G_N_ELEMENTS (table); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlTrace) trace = hl_engine_run_scenario (table[t].scenario, NULL, &error);
      gboolean seen = FALSE;

      g_assert_no_error (error);
      for (guint i = 0; i < hl_trace_get_n_events (trace) && !seen; i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);
          g_autoptr(HlField) root = NULL;
          HlField *msg;

          if ((hl_event_get_kind (event) != HL_EVENT_MESSAGE &&
               hl_event_get_kind (event) != HL_EVENT_ALERT) ||
              g_strcmp0 (hl_event_get_name (event), table[t].message) != 0)
            continue;
          root = hl_trace_decode_event (trace, event, &error);
          g_assert_no_error (error);
          /* the message node itself, or the root when the event is the message (an alert's
           * root is its Alert) */
          msg = g_strcmp0 (hl_field_get_name (root), table[t].message) == 0 ||
                hl_event_get_kind (event) == HL_EVENT_ALERT
                  ? root : hl_field_get_child (root, 0);
          g_test_message ("%s %s: %s", table[t].scenario, table[t].message,
                          hl_field_get_rfc (msg));
          g_assert_cmpstr (hl_field_get_rfc (msg), ==, table[t].rfc);
          seen = TRUE;
        }
      g_assert_true (seen);
    }
}

/* Byte counts in captions name what they count: the certificate's DER, the key-share point
 * (also in each side's ECDHE step, with the group), the ticket, the opaque part of an
 * encrypted record. */
static void
test_caption_counts (void)
{
  static const char *const scenarios[] = { "tls12-ecdhe-rsa", "tls12-resume-ticket", "tls13",
                                           "tls13-resume-psk" };

  for (guint t = 0; t < G_N_ELEMENTS (scenarios); t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlTrace) trace = hl_engine_run_scenario (scenarios[t], NULL, &error);
      guint checked = 0;

      gsize points[2] = { 0, 0 };   /* ECDHE: the client's and the server's, from the bytes */

      g_assert_no_error (error);
      for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);
          const char *name = hl_event_get_name (event);
          gsize len = hl_event_get_length (event);

          /* ClientKeyExchange: a 1-byte length and the point; ServerKeyExchange: curve_type,
           * named_curve (3 bytes), then the same (RFC 8422 §5.4, §5.7) */
          if (hl_event_get_handshake (event) == 0 && g_str_equal (name, "ClientKeyExchange"))
            points[0] = len - 4 - 1;
          else if (hl_event_get_handshake (event) == 0 &&
                   g_str_equal (name, "ServerKeyExchange"))
            points[1] = hl_event_get_bytes (event) ? ((const guint8 *) g_bytes_get_data (
                                                        hl_event_get_bytes (event), NULL))[7] : 0;
        }
      for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);
          const char *name = hl_event_get_name (event);
          const char *caption = hl_event_get_caption (event);
          gsize len = hl_event_get_length (event);
          g_autofree char *expect = NULL;

          if (hl_event_get_kind (event) == HL_EVENT_ACTION && hl_event_get_handshake (event) == 0 &&
              g_str_equal (name, "Compute the shared secret"))
            expect = hl_event_get_side (event) == HL_SIDE_CLIENT
                       ? g_strdup_printf ("key pair on secp256r1 and combines its private key "
                                          "with the server's public key (the %" G_GSIZE_FORMAT
                                          "-byte point from ServerKeyExchange); its own public "
                                          "key (a %" G_GSIZE_FORMAT "-byte point)", points[1],
                                          points[0])
                       : g_strdup_printf ("the client's public key from ClientKeyExchange (a %"
                                          G_GSIZE_FORMAT "-byte point on secp256r1)", points[0]);
          else if (hl_event_get_kind (event) == HL_EVENT_RECORD &&
              hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT && hl_event_get_side (event) ==
              HL_SIDE_CLIENT)
            /* TLS 1.2 records go on to name the parts of the rest (test-record-layout) */
            expect = g_str_has_prefix (scenarios[t], "tls12-")
                       ? g_strdup_printf ("%" G_GSIZE_FORMAT " bytes on the wire, a 5-byte "
                                          "header anyone can read, then ", len)
                       : g_strdup_printf ("%" G_GSIZE_FORMAT " bytes on the wire, a 5-byte "
                                          "header anyone can read and %" G_GSIZE_FORMAT
                                          " opaque bytes", len, len - 5);
          else if (hl_event_get_kind (event) != HL_EVENT_MESSAGE)
            continue;
          else if (g_str_equal (name, "Certificate") &&
                   hl_event_get_side (event) == HL_SIDE_SERVER)
            expect = g_strdup_printf ("(%" G_GSIZE_FORMAT " bytes of DER)", g_bytes_get_size (
                                        g_ptr_array_index (hl_trace_get_server_chain (trace),
                                                           0)));
          else if (g_str_equal (name, "ClientKeyExchange"))
            expect = g_strdup_printf ("(a %" G_GSIZE_FORMAT "-byte point)", len - 4 - 1);
          else if (g_str_equal (name, "ClientHello"))
            expect = g_strdup_printf ("%" G_GSIZE_FORMAT "-byte body", len - 4);
          if (expect == NULL)
            continue;
          if (strstr (caption, expect) == NULL)
            g_error ("%s event %u (%s): “%s” does not say “%s”", scenarios[t], i, name, caption,
                     expect);
          checked++;
        }
      g_assert_cmpuint (checked, >=, 3);
    }
}

int
main (int argc, char *argv[])
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/trace-decode/rfc-references", test_rfc_references);
  g_test_add_func ("/protocol/trace-decode/caption-counts", test_caption_counts);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/trace-decode/%s", all[i].id);

      g_test_add_data_func (path, all[i].id, test_scenario);
    }
  return g_test_run ();
}
