/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hl-engine.h"
#include "hl-export.h"
#include "hl-print.h"
#include "hl-scenario.h"
#include "hl-trace-check.h"
#include "hl-trace-decode.h"
#include "hl-trace-io.h"

/*
 * An opened trace is checked, not believed (hl-trace-check): every scenario's trace, saved and
 * opened again, shows no difference; a table of tampered copies of real traces — one changed
 * secret byte, a swapped certificate, a caption naming a wrong byte count, a record moved to
 * another connection, a changed plaintext, timestamps at the limits, a chain verdict that the
 * chain and the trust anchor contradict — each shows exactly the
 * difference expected, on the step expected, and prints and exports without undefined behaviour
 * (the CI runs this under ASan/UBSan).
 */

/* One real trace per scenario, made once. */
static HlTrace *
trace_of (const char *id)
{
  static GHashTable *traces;
  HlTrace *trace;

  if (traces == NULL)
    traces = g_hash_table_new (g_str_hash, g_str_equal);
  trace = g_hash_table_lookup (traces, id);
  if (trace == NULL)
    {
      g_autoptr(GError) error = NULL;

      trace = hl_engine_run_scenario (id, NULL, &error);
      g_assert_no_error (error);
      g_hash_table_insert (traces, (gpointer) id, trace);
    }
  return trace;
}

/* What an opened file goes through: printing (with the check marked on the steps), the decoded
 * fields, every export. None may fail other than with a message. */
static void
exercise (HlTrace *trace, HlTraceCheck *check, gboolean pcapng_ok)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcapng = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *verbose = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *keylog = NULL;
  g_autofree char *listing = hl_trace_check_dup_text (check);

  hl_trace_check_mark (trace, check);
  text = hl_trace_dup_text (trace, HL_PRINT_DEFAULT);
  verbose = hl_trace_dup_text (trace, HL_PRINT_VERBOSE);
  markdown = hl_trace_dup_markdown (trace);
  keylog = hl_trace_dup_keylog (trace);
  root = hl_trace_to_json (trace);
  hl_trace_json_add_fields (trace, root);
  g_assert_nonnull (text);
  g_assert_nonnull (markdown);

  pcapng = hl_trace_to_pcapng (trace, &error);
  if (pcapng_ok)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (pcapng), >, 0);
    }
  else
    {
      /* refused with a clear message, not computed past the end of time */
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "9999"));
      g_assert_null (pcapng);
    }
}

/* A copy of @trace through its file format, @edit applied to the JSON. */
typedef char *(*EditFunc) (JsonObject *root, int *event);

static HlTrace *
reopen (HlTrace *trace, EditFunc edit, char **path, int *event)
{
  g_autoptr(JsonNode) root = hl_trace_to_json (trace);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  HlTrace *copy;

  *event = -1;
  *path = edit ? edit (json_node_get_object (root), event) : NULL;
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  copy = hl_trace_load_data (text, (gssize) length, &error);
  g_assert_no_error (error);
  return copy;
}

static JsonArray *
events_of (JsonObject *root)
{
  return json_object_get_array_member (root, "events");
}

static int
find_event (JsonObject *root, const char *kind, const char *name, int handshake,
            gboolean protected_only)
{
  JsonArray *events = events_of (root);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);

      if ((kind == NULL || g_str_equal (json_object_get_string_member (e, "kind"), kind)) &&
          (name == NULL || g_str_equal (json_object_get_string_member (e, "name"), name)) &&
          (handshake < 0 || json_object_get_int_member (e, "handshake") == handshake) &&
          (!protected_only || (!g_str_equal (json_object_get_string_member (e, "epoch"),
                                             "plaintext") &&
                               !json_object_get_null_member (e, "plaintext"))))
        return (int) i;
    }
  g_assert_not_reached ();
}

static void
flip_hex (JsonObject *object, const char *member, gsize offset)
{
  g_autofree char *hex = g_strdup (json_object_get_string_member (object, member));

  g_assert_cmpuint (strlen (hex), >, offset * 2 + 1);
  hex[offset * 2 + 1] = hex[offset * 2 + 1] == '0' ? '1' : '0';
  json_object_set_string_member (object, member, hex);
}

static char *
flip_secret (JsonObject *root, const char *name)
{
  JsonArray *secrets = json_object_get_array_member (root, "secrets");

  for (guint i = 0; i < json_array_get_length (secrets); i++)
    {
      JsonObject *s = json_array_get_object_element (secrets, i);

      if (g_str_equal (json_object_get_string_member (s, "name"), name))
        {
          flip_hex (s, "value", 5);
          return g_strdup_printf ("secrets[%u].value", i);
        }
    }
  g_assert_not_reached ();
}

/* The tampering */

static char *
master_secret_byte (JsonObject *root, int *event)
{
  /* shows on the first "Derive …" step; everything computed with it fails */
  *event = find_event (root, "action", "Derive the master secret and session keys", 0, FALSE);
  return flip_secret (root, "master_secret");
}

static char *
traffic_secret_byte (JsonObject *root, int *event)
{
  *event = find_event (root, "action", "Derive the application keys", 0, FALSE);
  return flip_secret (root, "SERVER_TRAFFIC_SECRET_0");
}

static char *
verify_data_byte (JsonObject *root, int *event)
{
  *event = find_event (root, "message", "Finished", 0, FALSE);   /* the server's, first */
  return flip_secret (root, "server_verify_data");
}

static char *
swapped_certificate (JsonObject *root, int *event)
{
  JsonObject *certificates = json_object_get_object_member (root, "certificates");
  JsonArray *chain = json_object_get_array_member (certificates, "server_chain");
  const char *ca = json_object_get_string_member (certificates, "ca");
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, ca);
  json_array_remove_element (chain, 0);
  /* json-glib has no insert: the demo chain is the leaf alone */
  g_assert_cmpuint (json_array_get_length (chain), ==, 0);
  json_array_add_element (chain, node);
  *event = find_event (root, "message", "Certificate", 0, FALSE);
  return g_strdup ("certificates.server_chain[0]");
}

/* Makes the first count @pattern (one group: the number) finds in event @i's caption 100 more. */
static char *
bump_caption_count (JsonObject *root, int i, const char *pattern, int *event)
{
  JsonObject *e = json_array_get_object_element (events_of (root), (guint) i);
  const char *caption = json_object_get_string_member (e, "caption");
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;
  g_autofree char *right = NULL;
  g_autofree char *bigger = NULL;
  g_autoptr(GString) wrong = NULL;
  g_autoptr(GString) changed = g_string_new (caption);

  g_assert_true (g_regex_match (regex, caption, 0, &match));
  number = g_match_info_fetch (match, 1);
  right = g_match_info_fetch (match, 0);
  bigger = g_strdup_printf ("%" G_GUINT64_FORMAT, g_ascii_strtoull (number, NULL, 10) + 100);
  wrong = g_string_new (right);
  g_assert_cmpuint (g_string_replace (wrong, number, bigger, 1), ==, 1);
  g_assert_cmpuint (g_string_replace (changed, right, wrong->str, 1), ==, 1);
  json_object_set_string_member (e, "caption", changed->str);
  *event = i;
  return g_strdup_printf ("events[%d].caption", i);
}

static char *
caption_count (JsonObject *root, int *event)
{
  /* the caption names the certificate's DER size */
  return bump_caption_count (root, find_event (root, "message", "Certificate", 0, FALSE),
                             "\\(([0-9]+) bytes of DER\\)", event);
}

static char *
padding_count (JsonObject *root, int *event)
{
  /* a MAC-then-encrypt record's caption names its padding (RFC 5246 §6.2.3.2) */
  return bump_caption_count (root, find_event (root, "record", NULL, 0, TRUE),
                             "([0-9]+) bytes of padding", event);
}

static char *
record_moved (JsonObject *root, int *event)
{
  /* the first protected record of the first connection, put in the resumed one */
  int i = find_event (root, "record", NULL, 0, TRUE);

  json_object_set_int_member (json_array_get_object_element (events_of (root), (guint) i),
                              "handshake", 1);
  *event = i;
  return g_strdup_printf ("events[%d].handshake", i);
}

static char *
plaintext_changed (JsonObject *root, int *event)
{
  int i = find_event (root, "record", NULL, -1, TRUE);

  flip_hex (json_array_get_object_element (events_of (root), (guint) i), "plaintext", 0);
  *event = i;
  return g_strdup_printf ("events[%d].plaintext", i);
}

static char *
timestamps_max (JsonObject *root, int *event)
{
  JsonArray *events = events_of (root);

  for (guint i = 0; i < json_array_get_length (events); i++)
    json_object_set_int_member (json_array_get_object_element (events, i), "timestamp_us",
                                G_MAXINT64);
  *event = 0;
  return g_strdup ("events[0].timestamp_us");
}

static char *
created_max (JsonObject *root, int *event)
{
  JsonArray *events = events_of (root);
  int first = -1;

  json_object_set_string_member (root, "created", "9999-12-31T23:59:59.999999Z");
  /* every event but those at 0 µs is past the end of time */
  for (guint i = 0; i < json_array_get_length (events) && first < 0; i++)
    if (json_object_get_int_member (json_array_get_object_element (events, i),
                                    "timestamp_us") > 0)
      first = (int) i;
  *event = first;
  return g_strdup_printf ("events[%d].timestamp_us", first);
}

static char *
created_min (JsonObject *root, int *event)
{
  /* the earliest start a file can name: a capture clamps it to 1970; but then the server's
   * certificate was not yet valid, and the client's verdict "trusted" does not hold */
  json_object_set_string_member (root, "created", "0001-01-01T00:00:00Z");
  *event = find_event (root, "action", "Verify the certificate chain", 0, FALSE);
  return g_strdup ("verifications[0]");
}

static char *
verdict_flipped (JsonObject *root, int *event)
{
  /* the untrusted authority's chain claimed trusted */
  JsonObject *v = json_array_get_object_element (json_object_get_array_member (root,
                                                                               "verifications"),
                                                 0);

  json_object_set_boolean_member (v, "trusted", TRUE);
  json_object_set_int_member (v, "status", 0);
  *event = find_event (root, "action", "Verify the certificate chain", 0, FALSE);
  return g_strdup ("verifications[0]");
}

static char *
random_changed (JsonObject *root, int *event)
{
  JsonObject *n = json_array_get_object_element (json_object_get_array_member (root,
                                                                               "negotiated"),
                                                 0);

  flip_hex (n, "client_random", 3);
  *event = find_event (root, "message", "ClientHello", 0, FALSE);
  return g_strdup ("negotiated[0].client_random");
}

static char *
outcome_alert (JsonObject *root, int *event)
{
  /* bad_certificate instead of the unknown_ca on the wire */
  json_object_set_int_member (json_object_get_object_member (root, "outcome"), "alert", 42);
  return g_strdup ("outcome.alert");
}

typedef struct
{
  const char *name;
  const char *scenario;
  EditFunc    edit;
  gboolean    pcapng_ok;
} Tamper;

static const Tamper tampers[] = {
  { "master-secret-byte", "tls12-rsa", master_secret_byte, TRUE },
  { "traffic-secret-byte", "tls13", traffic_secret_byte, TRUE },
  { "verify-data-byte", "tls13", verify_data_byte, TRUE },
  { "swapped-certificate", "tls12-rsa", swapped_certificate, TRUE },
  { "caption-byte-count", "tls12-rsa", caption_count, TRUE },
  { "padding-count", "tls12-cbc-mte", padding_count, TRUE },
  { "record-moved", "tls12-resume-ticket", record_moved, TRUE },
  { "plaintext-changed", "tls13", plaintext_changed, TRUE },
  { "timestamps-max", "tls13", timestamps_max, FALSE },
  { "created-max", "tls12-rsa", created_max, FALSE },
  { "created-min", "tls12-rsa", created_min, TRUE },
  { "verdict-flipped", "fail-untrusted-ca", verdict_flipped, TRUE },
  { "random-changed", "tls12-rsa", random_changed, TRUE },
  { "outcome-alert", "fail-untrusted-ca", outcome_alert, TRUE },
};

static void
test_tampered (gconstpointer data)
{
  const Tamper *t = data;
  g_autofree char *path = NULL;
  int event = -1;
  g_autoptr(HlTrace) copy = reopen (trace_of (t->scenario), t->edit, &path, &event);
  g_autoptr(HlTraceCheck) check = hl_trace_check (copy);
  g_autofree char *listing = hl_trace_check_dup_text (check);

  g_test_message ("%s", listing);
  if (path == NULL)
    g_assert_cmpuint (hl_trace_check_count (check), ==, 0);
  else
    {
      const HlDifference *d;

      g_assert_cmpuint (hl_trace_check_count (check), ==, 1);
      d = g_ptr_array_index (check->differences, 0);
      g_assert_cmpstr (d->path, ==, path);
      g_assert_cmpint (d->event, ==, event);
      g_assert_cmpstr (d->claim, !=, "");
      g_assert_cmpstr (d->found, !=, "");
    }
  exercise (copy, check, t->pcapng_ok);
  if (path != NULL && event >= 0)
    {
      /* the step shows ✗ and says why */
      HlEvent *marked = hl_trace_get_event (copy, (guint) event);

      g_assert_cmpint (hl_event_get_check (marked), ==, HL_CHECK_FAILED);
      g_assert_true (g_str_has_prefix (hl_event_get_technical (marked), "✗"));
    }
}

/* Untampered originals: no difference, and what cannot be checked is named. */
static void
test_original (gconstpointer data)
{
  const HlScenario *scenario = data;
  g_autofree char *path = NULL;
  int event;
  g_autoptr(HlTrace) copy = reopen (trace_of (scenario->id), NULL, &path, &event);
  g_autoptr(HlTraceCheck) check = hl_trace_check (copy);
  g_autofree char *listing = hl_trace_check_dup_text (check);

  g_autoptr(GString) why = g_string_new (NULL);

  g_test_message ("%s", listing);
  g_assert_cmpuint (hl_trace_check_count (check), ==, 0);
  g_assert_null (strstr (listing, "do not match"));
  exercise (copy, check, TRUE);
  /* marking a clean trace changes nothing: saved again, it is the same file */
  if (!hl_trace_equal (trace_of (scenario->id), copy, why))
    g_error ("%s: the checked trace differs from the original: %s", scenario->id, why->str);
}

/* A TLS 1.3 exporter secret is logged by GnuTLS and used by nothing: not checked, and said. */
static void
test_unchecked (void)
{
  g_autofree char *path = NULL;
  int event;
  g_autoptr(HlTrace) copy = reopen (trace_of ("tls13"), NULL, &path, &event);
  g_autoptr(HlTraceCheck) check = hl_trace_check (copy);
  g_autofree char *listing = hl_trace_check_dup_text (check);
  gboolean exporter = FALSE;

  for (guint i = 0; i < check->unchecked->len; i++)
    exporter |= strstr (g_ptr_array_index (check->unchecked, i), "EXPORTER_SECRET") != NULL;
  g_assert_true (exporter);
  g_assert_nonnull (strstr (listing, "From the file, not checked"));
}

/* A file cut at its very last byte (the closing newline) still opens, and nothing differs. */
static void
test_cut_newline (void)
{
  gsize length = 0;
  g_autofree char *text = hl_trace_to_data (trace_of ("tls12-rsa"), &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) copy = NULL;
  g_autoptr(HlTraceCheck) check = NULL;

  g_assert_cmpint (text[length - 1], ==, '\n');
  copy = hl_trace_load_data (text, (gssize) length - 1, &error);
  g_assert_no_error (error);
  check = hl_trace_check (copy);
  g_assert_cmpuint (hl_trace_check_count (check), ==, 0);
}

int
main (int argc, char *argv[])
{
  guint n = 0;
  const HlScenario *scenarios = hl_scenario_get_all (&n);

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tampers); i++)
    {
      g_autofree char *name = g_strdup_printf ("/trace-check/tampered/%s", tampers[i].name);

      g_test_add_data_func (name, &tampers[i], test_tampered);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("/trace-check/original/%s", scenarios[i].id);

      g_test_add_data_func (name, &scenarios[i], test_original);
    }
  g_test_add_func ("/trace-check/unchecked", test_unchecked);
  g_test_add_func ("/trace-check/cut-newline", test_cut_newline);
  return g_test_run ();
}
