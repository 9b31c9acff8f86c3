/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hl-decoder.h"
#include "hl-engine.h"
#include "hl-print.h"
#include "hl-trace-io.h"

/* What the hellos carry beyond the basics (issue 12): ALPN in every scenario, the TLS 1.3
 * downgrade sentinel. */

/* The scenario's trace; whether its handshake should succeed is the scenario's business. */
static HlTrace *
run_ok (const char *id)
{
  GError *error = NULL;
  HlTrace *trace = hl_engine_run_scenario (id, NULL, &error);

  g_assert_no_error (error);
  return trace;
}

/* The ALPN extension of a message event, decoded from its bytes; NULL when it has none. */
static char *
alpn_field (HlEvent *message, gboolean tls13, gsize *name_offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) root = hl_decode_handshake (hl_event_get_bytes (message), 0, tls13,
                                                 &error);
  HlField *ext;
  HlField *name;

  g_assert_no_error (error);
  ext = hl_field_find (root, "application_layer_protocol_negotiation");
  if (ext == NULL)
    return NULL;
  name = hl_field_find (ext, "protocol_name");
  g_assert_nonnull (name);
  *name_offset = hl_field_get_offset (name);
  return g_strdup (hl_field_get_value (ext));
}

/* Every ClientHello offers h2 and http/1.1; every server that answered picked http/1.1, in
 * its ServerHello (1.2) or EncryptedExtensions (1.3); the negotiated fact says the same, and
 * the bytes at the field's offset spell it. */
static void
test_alpn (gconstpointer data)
{
  const HlScenario *scenario = data;
  g_autoptr(HlTrace) trace = run_ok (scenario->id);
  GPtrArray *negs = hl_trace_get_negotiated (trace);
  guint hellos = 0;
  guint answers = 0;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      const char *name = hl_event_get_name (event);
      const HlNegotiated *neg = NULL;
      gboolean tls13;
      g_autofree char *alpn = NULL;
      gsize offset = 0;

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE)
        continue;
      for (guint n = 0; n < negs->len; n++)
        if (((HlNegotiated *) g_ptr_array_index (negs, n))->handshake ==
            hl_event_get_handshake (event))
          neg = g_ptr_array_index (negs, n);
      g_assert_nonnull (neg);
      tls13 = g_strcmp0 (neg->version, "TLS1.3") == 0;

      if (g_str_equal (name, "ClientHello"))
        {
          alpn = alpn_field (event, tls13, &offset);
          g_assert_cmpstr (alpn, ==, "h2, http/1.1");
          hellos++;
        }
      else if (g_str_equal (name, tls13 ? "EncryptedExtensions" : "ServerHello"))
        {
          const guint8 *p = g_bytes_get_data (hl_event_get_bytes (event), NULL);

          alpn = alpn_field (event, tls13, &offset);
          g_assert_cmpstr (alpn, ==, "http/1.1");
          g_assert_cmpstr (neg->alpn, ==, alpn);
          /* protocol_name: a 1-byte length, then the name */
          g_assert_cmpuint (p[offset], ==, strlen ("http/1.1"));
          g_assert_cmpmem (p + offset + 1, strlen ("http/1.1"), "http/1.1", strlen ("http/1.1"));
          g_assert_nonnull (strstr (hl_event_get_caption (event), "picks http/1.1 (ALPN)"));
          answers++;
        }
    }
  g_assert_cmpuint (hellos, >=, 1);
  for (guint n = 0; n < negs->len; n++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, n);

      /* a finished handshake selected it, and it is on the wire */
      if (neg->cipher_suite != NULL)
        g_assert_cmpstr (neg->alpn, ==, "http/1.1");
      if (neg->alpn != NULL)
        g_assert_cmpuint (answers, >=, 1);
    }
}

/* "alpn" is an optional member: saved, loaded back, and absent from older files, which still
 * load (without it). */
static void
test_alpn_json (void)
{
  g_autoptr(HlTrace) trace = run_ok ("tls13");
  g_autoptr(JsonNode) root = hl_trace_to_json (trace);
  JsonObject *neg = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "negotiated"), 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) old = NULL;
  g_autofree char *text = hl_trace_dup_text (trace, HL_PRINT_DEFAULT);

  g_assert_cmpstr (json_object_get_string_member (neg, "alpn"), ==, "http/1.1");
  g_assert_nonnull (strstr (text, "  ALPN           http/1.1\n"));

  json_object_remove_member (neg, "alpn");
  old = hl_trace_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_null (((HlNegotiated *) g_ptr_array_index (hl_trace_get_negotiated (old), 0))->alpn);
  g_assert_false (hl_trace_equal (trace, old, NULL));
}

/* The first message called @name in @trace. */
static HlEvent *
find_message (HlTrace *trace, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && g_str_equal (hl_event_get_name (event),
                                                                        name))
        return event;
    }
  g_assert_not_reached ();
}

/* The downgrade_sentinel field of a ServerHello's wire form, or NULL. */
static const char *
sentinel_of (GBytes *server_hello, HlField **root, gsize *offset)
{
  g_autoptr(GError) error = NULL;
  HlField *f;

  *root = hl_decode_handshake (server_hello, 0, FALSE, &error);
  g_assert_no_error (error);
  f = hl_field_find (*root, "downgrade_sentinel");
  if (f == NULL)
    return NULL;
  *offset = hl_field_get_offset (f);
  g_assert_cmpuint (hl_field_get_length (f), ==, 8);
  g_assert_cmpstr (hl_field_get_rfc (f), ==, "RFC 8446 §4.1.3");
  return hl_field_get_value (f);
}

/* RFC 8446 §4.1.3: the TLS 1.3-capable server of tls12-downgrade-sentinel ends its random in
 * 44 4F 57 4E 47 52 44 01; the decoder names those 8 bytes, and the caption explains them. */
static void
test_sentinel (void)
{
  static const guint8 downgrd[7] = { 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44 };
  g_autoptr(HlTrace) trace = run_ok ("tls12-downgrade-sentinel");
  HlEvent *sh = find_message (trace, "ServerHello");
  gsize len;
  const guint8 *p = g_bytes_get_data (hl_event_get_bytes (sh), &len);
  /* header (4), legacy_version (2), random (32): the last 8 bytes of the random */
  const gsize at = 4 + 2 + 24;
  g_autoptr(HlField) root = NULL;
  gsize offset = 0;
  const HlNegotiated *neg = g_ptr_array_index (hl_trace_get_negotiated (trace), 0);

  g_assert_cmpstr (neg->version, ==, "TLS1.2");
  g_assert_cmpmem (p + at, 7, downgrd, 7);
  g_assert_cmpuint (p[at + 7], ==, 0x01);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (neg->server_random, NULL) + 24, 8, p + at,
                   8);
  g_assert_cmpstr (sentinel_of (hl_event_get_bytes (sh), &root, &offset), ==, "DOWNGRD 01");
  g_assert_cmpuint (offset, ==, at);
  g_assert_nonnull (strstr (hl_event_get_caption (sh), "ends in DOWNGRD 01"));
  g_assert_nonnull (strstr (hl_event_get_caption (sh), "offered nothing newer"));

  /* the same bytes with version byte 00 (negotiated TLS 1.1 or older), and with 02 (no
   * sentinel at all) */
  {
    g_autofree guint8 *copy = g_memdup2 (p, len);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(HlField) root00 = NULL;
    g_autoptr(HlField) root02 = NULL;

    copy[at + 7] = 0x00;
    bytes = g_bytes_new (copy, len);
    g_assert_cmpstr (sentinel_of (bytes, &root00, &offset), ==, "DOWNGRD 00");
    copy[at + 7] = 0x02;
    g_clear_pointer (&bytes, g_bytes_unref);
    bytes = g_bytes_new (copy, len);
    g_assert_null (sentinel_of (bytes, &root02, &offset));
  }
}

/* A server that speaks only TLS 1.2, and a TLS 1.3 server that negotiated TLS 1.3, write no
 * sentinel. */
static void
test_no_sentinel (gconstpointer data)
{
  g_autoptr(HlTrace) trace = run_ok (data);
  HlEvent *sh = find_message (trace, "ServerHello");
  g_autoptr(HlField) root = NULL;
  gsize offset = 0;

  g_assert_null (sentinel_of (hl_event_get_bytes (sh), &root, &offset));
  g_assert_null (strstr (hl_event_get_caption (sh), "DOWNGRD"));
}

int
main (int argc, char **argv)
{
  guint n = 0;
  const HlScenario *all;

  g_test_init (&argc, &argv, NULL);
  all = hl_scenario_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/hello/alpn/%s", all[i].id);

      g_test_add_data_func (path, &all[i], test_alpn);
    }
  g_test_add_func ("/protocol/hello/alpn-json", test_alpn_json);
  g_test_add_func ("/protocol/hello/sentinel/tls12-downgrade-sentinel", test_sentinel);
  g_test_add_data_func ("/protocol/hello/sentinel/none-tls12", "tls12-ecdhe-rsa",
                        test_no_sentinel);
  g_test_add_data_func ("/protocol/hello/sentinel/none-tls13", "tls13", test_no_sentinel);
  return g_test_run ();
}
