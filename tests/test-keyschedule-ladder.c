/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keyschedule-ladder"

#include "config.h"

#include <string.h>

#include "hl-engine.h"
#include "hl-keyschedule.h"
#include "hl-keyschedule-ladder.h"
#include "hl-print.h"
#include "hl-export.h"
#include "hl-test-tls.h"
#include "hl-trace-check.h"
#include "hl-trace-io.h"
#include "hl-test-traces.h"

/*
 * Tests for the TLS 1.3 links above the traffic secrets (hl-keyschedule-tls13.c) and the ladder
 * that shows them (hl-keyschedule-ladder.c), on real engine runs:
 * - the early secret and its "derived" salt of a full SHA-256 handshake equal RFC 8448's
 *   published values (tests/data/rfc8448.ini, sections 3 and 5): the app computes them, the
 *   RFC confirms them;
 * - each rung says what the trace has: computed, GnuTLS's key log (the very value), held inside
 *   GnuTLS, a constant; on resumption the PSK path with the ticket nonce read from the
 *   NewSessionTicket on the wire (parsed here on its own) and the earlier connection's
 *   resumption master secret;
 * - the text form in --print --verbose and Markdown;
 * - a file saved before these values existed still opens with no difference, and its ladder
 *   gains them.
 */

static GBytes *
rfc8448 (const char *group, const char *key)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "rfc8448.ini", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;

  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  hex = g_key_file_get_string (kf, group, key, &error);
  g_assert_no_error (error);
  return hl_test_hex (hex);
}

static const HlRung *
rung (GPtrArray *ladder, const char *name, guint handshake)
{
  for (guint i = 0; i < ladder->len; i++)
    {
      const HlRung *r = g_ptr_array_index (ladder, i);

      if (g_strcmp0 (r->name, name) == 0 && r->handshake == handshake)
        return r;
    }
  g_test_message ("no rung %s of connection %u", name, handshake + 1);
  g_assert_not_reached ();
  return NULL;
}

/* --- RFC 8448 -------------------------------------------------------------------------------- */

static void
test_rfc8448 (gconstpointer data)
{
  const char *id = data;
  HlTrace *trace = hl_test_trace (id);
  const char *group = g_str_equal (id, "tls13-hrr") ? "hello-retry" : "simple-1rtt";
  const HlNegotiated *neg = g_ptr_array_index (hl_trace_get_negotiated (trace), 0);
  const HlSecret *early = hl_trace_find_secret (trace, "early_secret.derived", 0);
  const HlSecret *salt = hl_trace_find_secret (trace, "derived_for_handshake.derived", 0);
  g_autoptr(GBytes) rfc_early = rfc8448 (group, "early_secret");
  g_autoptr(GBytes) rfc_salt = rfc8448 ("simple-1rtt", "derived_for_handshake");

  /* RFC 8448 uses SHA-256 suites; so does this run */
  g_assert_true (g_str_has_suffix (neg->cipher_suite, "_SHA256"));
  g_assert_nonnull (early);
  g_assert_nonnull (salt);
  hl_test_assert_bytes_equal (early->value, rfc_early);
  hl_test_assert_bytes_equal (salt->value, rfc_salt);
  g_assert_cmpint (early->source, ==, HL_SOURCE_DERIVED);
  /* no value of the run confirms a constant: no ✓ */
  g_assert_cmpint (early->check, ==, HL_CHECK_NONE);
  g_assert_cmpstr (salt->inputs[0], ==, "early_secret");
}

/* --- The ladder ------------------------------------------------------------------------------ */

static void
test_full (void)
{
  HlTrace *trace = hl_test_trace ("tls13");
  g_autoptr(GPtrArray) ladder = hl_keyschedule_ladder_new (trace, 0);
  const HlRung *early = rung (ladder, "early_secret", 0);
  const HlRung *chts = rung (ladder, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", 0);
  const HlRung *hidden[] = {
    rung (ladder, "ecdhe_shared_secret", 0), rung (ladder, "handshake_secret", 0),
    rung (ladder, "derived_for_master", 0), rung (ladder, "master_secret_13", 0),
    rung (ladder, "resumption_master_secret", 0),
  };
  guint n_spine = 0, n_constant = 0;

  g_assert_true (hl_keyschedule_ladder_applies (trace, 0));
  g_assert_cmpint (early->place, ==, HL_RUNG_SPINE);
  g_assert_cmpint (early->state, ==, HL_RUNG_COMPUTED);
  g_assert_true (g_bytes_equal (early->value,
                                hl_trace_find_secret (trace, "early_secret.derived", 0)->value));
  g_assert_cmpint (rung (ladder, "derived_for_handshake", 0)->state, ==, HL_RUNG_COMPUTED);
  g_assert_cmpint (chts->state, ==, HL_RUNG_LIBRARY);
  g_assert_cmpint (chts->place, ==, HL_RUNG_BRANCH);
  g_assert_true (g_bytes_equal (chts->value,
                                hl_trace_find_secret (trace, "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                                                      0)->value));
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    {
      g_assert_cmpint (hidden[i]->state, ==, HL_RUNG_HIDDEN);
      g_assert_null (hidden[i]->value);
    }
  for (guint i = 0; i < ladder->len; i++)
    {
      const HlRung *r = g_ptr_array_index (ladder, i);

      n_spine += r->place == HL_RUNG_SPINE;
      n_constant += r->state == HL_RUNG_CONSTANT;
      /* inputs and branches hang on a spine rung before them */
      if (r->place != HL_RUNG_SPINE)
        {
          g_assert_cmpint (r->spine, >=, 0);
          g_assert_cmpint (((const HlRung *) g_ptr_array_index (ladder, r->spine))->place, ==,
                           HL_RUNG_SPINE);
        }
      g_assert_nonnull (r->formula);
    }
  /* early secret, salt, handshake secret, salt, master secret; PSK = 0 and the master's 0 */
  g_assert_cmpuint (n_spine, ==, 5);
  g_assert_cmpuint (n_constant, ==, 2);
  g_assert_false (hl_keyschedule_ladder_applies (hl_test_trace ("tls12-ecdhe-rsa"), 0));
}

/* The ticket_nonce of the NewSessionTicket whose ticket the second ClientHello presents
 * (RFC 8446 §4.6.1), read here on its own. */
static GBytes *
nonce_of_ticket (HlTrace *trace)
{
  GBytes *presented = hl_trace_find_secret (trace, "resumption_ticket", 1)->value;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      gsize n, at;
      const guint8 *p;

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_handshake_type (event) != 4 || hl_event_get_handshake (event) != 0)
        continue;
      p = g_bytes_get_data (hl_event_get_bytes (event), &n);
      /* header (4), ticket_lifetime (4), ticket_age_add (4), nonce<1..255>, ticket<1..2^16-1> */
      g_assert_cmpuint (n, >, 13 + p[12] + 2);
      at = 13 + p[12];
      if ((gsize) (p[at] << 8 | p[at + 1]) == g_bytes_get_size (presented) &&
          memcmp (p + at + 2, g_bytes_get_data (presented, NULL),
                  g_bytes_get_size (presented)) == 0)
        return g_bytes_new (p + 13, p[12]);
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_resumption (void)
{
  HlTrace *trace = hl_test_trace ("tls13-resume-psk");
  g_autoptr(GPtrArray) ladder = hl_keyschedule_ladder_new (trace, 1);
  g_autoptr(GBytes) nonce = nonce_of_ticket (trace);
  const HlRung *psk = rung (ladder, "resumption_psk", 1);
  const HlRung *wire = rung (ladder, "ticket_nonce", 1);
  const HlRung *rms = rung (ladder, "resumption_master_secret", 0);
  const HlRung *early = rung (ladder, "early_secret", 1);

  g_assert_cmpint (psk->place, ==, HL_RUNG_SPINE);
  g_assert_cmpint (psk->state, ==, HL_RUNG_HIDDEN);
  g_assert_cmpint (wire->state, ==, HL_RUNG_WIRE);
  g_assert_cmpint (wire->check, ==, HL_CHECK_OK);
  hl_test_assert_bytes_equal (wire->value, nonce);
  g_assert_cmpint (rms->state, ==, HL_RUNG_HIDDEN);
  g_assert_cmpint (rms->place, ==, HL_RUNG_INPUT);
  g_assert_cmpint (early->state, ==, HL_RUNG_HIDDEN);
  g_assert_cmpint (rung (ladder, "binder_key", 1)->state, ==, HL_RUNG_HIDDEN);
  /* GnuTLS logs the early traffic secret of a PSK handshake */
  g_assert_cmpint (rung (ladder, "CLIENT_EARLY_TRAFFIC_SECRET", 1)->state, ==,
                   HL_RUNG_LIBRARY);
  /* the first connection is a full handshake */
  {
    g_autoptr(GPtrArray) first = hl_keyschedule_ladder_new (trace, 0);

    g_assert_cmpint (rung (first, "early_secret", 0)->state, ==, HL_RUNG_COMPUTED);
  }
}

static void
test_text (void)
{
  HlTrace *trace = hl_test_trace ("tls13-resume-psk");
  g_autofree char *verbose = hl_trace_dup_text (trace, HL_PRINT_VERBOSE);
  g_autofree char *plain = hl_trace_dup_text (trace, 0);
  g_autofree char *markdown = hl_trace_dup_markdown (trace);
  const HlSecret *early = hl_trace_find_secret (trace, "early_secret.derived", 0);
  g_autofree char *hex = hl_bytes_to_hex (early->value);
  g_autofree char *head = g_strndup (hex, 16);

  g_assert_nonnull (strstr (verbose, "TLS 1.3 key schedule, connection 1 (RFC 8446 §7.1)"));
  g_assert_nonnull (strstr (verbose, "TLS 1.3 key schedule, connection 2 (RFC 8446 §7.1)"));
  g_assert_nonnull (strstr (verbose, head));
  g_assert_nonnull (strstr (verbose, "held inside GnuTLS"));
  g_assert_nonnull (strstr (verbose, "Resumption master secret (connection 1)"));
  g_assert_null (strstr (plain, "TLS 1.3 key schedule, connection"));
  g_assert_nonnull (strstr (markdown, "## TLS 1.3 key schedule"));
  g_assert_nonnull (strstr (markdown, head));
}

/* A file saved before the early secret and its salt were part of the schedule opens without a
 * difference, and its ladder still shows them, recomputed from the file's bytes. */
static void
test_old_file (void)
{
  HlTrace *trace = hl_test_trace ("tls13");
  g_autofree char *json = hl_trace_to_data (trace, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(HlTrace) old = NULL;
  g_autofree char *old_json = NULL;
  g_autoptr(GPtrArray) ladder = NULL;
  JsonArray *secrets;
  HlTraceCheck *check;
  guint removed = 0;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  secrets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "secrets");
  for (guint i = json_array_get_length (secrets); i-- > 0;)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (secrets,
                                                                                       i),
                                                        "name");

      if (g_str_equal (name, "early_secret.derived") ||
          g_str_equal (name, "derived_for_handshake.derived"))
        {
          json_array_remove_element (secrets, i);
          removed++;
        }
    }
  g_assert_cmpuint (removed, ==, 2);
  json_generator_set_root (gen, json_parser_get_root (parser));
  old_json = json_generator_to_data (gen, NULL);
  old = hl_trace_load_data (old_json, -1, &error);
  g_assert_no_error (error);
  g_assert_null (hl_trace_find_secret (old, "early_secret.derived", 0));

  check = hl_trace_check (old);
  if (hl_trace_check_count (check) > 0)
    {
      g_autofree char *text = hl_trace_check_dup_text (check);

      g_test_message ("%s", text);
    }
  g_assert_cmpuint (hl_trace_check_count (check), ==, 0);
  hl_trace_check_free (check);

  ladder = hl_keyschedule_ladder_new (old, 0);
  g_assert_cmpint (rung (ladder, "early_secret", 0)->state, ==, HL_RUNG_COMPUTED);
  g_assert_true (g_bytes_equal (rung (ladder, "early_secret", 0)->value,
                                hl_trace_find_secret (trace, "early_secret.derived",
                                                      0)->value));
}

int
main (int argc, char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/protocol/ladder/rfc8448/tls13", "tls13", test_rfc8448);
  g_test_add_data_func ("/protocol/ladder/rfc8448/tls13-hrr", "tls13-hrr", test_rfc8448);
  g_test_add_data_func ("/protocol/ladder/rfc8448/tls13-mtls", "tls13-mtls", test_rfc8448);
  g_test_add_func ("/protocol/ladder/full", test_full);
  g_test_add_func ("/protocol/ladder/resumption", test_resumption);
  g_test_add_func ("/protocol/ladder/text", test_text);
  g_test_add_func ("/protocol/ladder/old-file", test_old_file);
  rc = g_test_run ();
  hl_test_traces_free ();
  return rc;
}
