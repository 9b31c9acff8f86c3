/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-trace-io"
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "hl-error.h"
#include "hl-engine.h"
#include "hl-trace-io.h"
#include "hl-trace-private.h"

/* Hand-built traces */

static GBytes *
bytes_from_hex (const char *hex)
{
  gsize n = strlen (hex) / 2;
  guint8 *data = g_malloc (n + 1);

  for (gsize i = 0; i < n; i++)
    data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 |
                        g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (data, n);
}

static HlEvent *
add_event (HlTrace *trace, HlEventKind kind, HlSide side, HlSide peer, const char *name,
           gint64 timestamp, const char *hex)
{
  HlEvent *event = hl_trace_append (trace, hl_event_new (kind, side, peer, name));

  hl_event_set_timestamp (event, timestamp);
  if (hex != NULL)
    {
      g_autoptr(GBytes) bytes = bytes_from_hex (hex);

      hl_event_set_bytes (event, bytes);
    }
  return event;
}

/* Every kind, every field, two handshakes, NULL and empty values, text that needs escaping. */
static HlTrace *
build_full_trace (void)
{
  HlTrace *trace = hl_trace_new ("tls12-resume-ticket", "TLS 1.2 “resumed”",
                                 "Two handshakes:\n\tfull, then \"resumed\" \\ with a ticket ✓");
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) plaintext = g_bytes_new_static ("GET / HTTP/1.1\r\n\r\n", 18);
  g_autoptr(GBytes) der1 = bytes_from_hex ("3082010a0282010100c0ffee");
  g_autoptr(GBytes) der2 = bytes_from_hex ("308201");
  g_autoptr(GBytes) der3 = bytes_from_hex ("30820100ff");
  g_autoptr(GBytes) ca = bytes_from_hex ("3082deadbeef");
  g_autoptr(GBytes) key = g_bytes_new_static ("-----BEGIN PRIVATE KEY-----\nMIIB\n"
                                              "-----END PRIVATE KEY-----\n", 60);
  HlEvent *event;
  HlSecret *secret;
  HlNegotiated *negotiated;
  HlVerification *verification;
  HlOutcome outcome = { 0, };

  hl_trace_set_library_version (trace, "3.7.9");
  hl_trace_set_created (trace, G_GINT64_CONSTANT (1714564800123456));
  hl_trace_set_n_handshakes (trace, 2);

  event = add_event (trace, HL_EVENT_RECORD, HL_SIDE_CLIENT, HL_SIDE_SERVER, "ClientHello record",
                     0, "16030100050100000100");
  hl_event_set_caption (event, "The client says hello.");
  hl_event_set_technical (event, "handshake record, 10 bytes");
  hl_event_set_content_type (event, 22);

  event = add_event (trace, HL_EVENT_MESSAGE, HL_SIDE_CLIENT, HL_SIDE_SERVER, "ClientHello",
                     0, "0100000100");
  hl_event_set_handshake_type (event, 1);
  hl_event_set_record (event, 0);
  hl_event_set_content_type (event, 22);

  event = add_event (trace, HL_EVENT_ACTION, HL_SIDE_CLIENT, HL_SIDE_NONE,
                     "verify chain", 1500, NULL);
  hl_event_set_check (event, HL_CHECK_OK);
  hl_event_set_caption (event, "The client checks the chain against the CA → trusted");

  event = add_event (trace, HL_EVENT_ACTION, HL_SIDE_SERVER, HL_SIDE_NONE,
                     "compare Finished", 1500, NULL);
  hl_event_set_check (event, HL_CHECK_FAILED);

  event = add_event (trace, HL_EVENT_RECORD, HL_SIDE_SERVER, HL_SIDE_CLIENT, "empty record",
                     2000, "");
  hl_event_set_epoch (event, HL_EPOCH_HANDSHAKE);
  hl_event_set_content_type (event, 255);

  event = add_event (trace, HL_EVENT_APP_DATA, HL_SIDE_CLIENT, HL_SIDE_SERVER, "request",
                     3000, "170303001200ff");
  hl_event_set_epoch (event, HL_EPOCH_APPLICATION);
  hl_event_set_content_type (event, 23);
  hl_event_set_plaintext (event, plaintext);
  hl_event_set_record (event, 4);
  hl_event_set_inner_type (event, 23);

  event = add_event (trace, HL_EVENT_MESSAGE, HL_SIDE_SERVER, HL_SIDE_CLIENT, "message_hash",
                     3001, "fe000020");
  hl_event_set_handshake (event, 1);
  hl_event_set_handshake_type (event, 254);
  hl_event_set_plaintext (event, empty);

  event = add_event (trace, HL_EVENT_ALERT, HL_SIDE_SERVER, HL_SIDE_CLIENT, "unknown_ca",
                     G_MAXINT64 - 1, "0230");
  hl_event_set_handshake (event, 1);
  hl_event_set_alert (event, 2, 48);
  hl_event_set_content_type (event, 21);
  hl_event_set_record (event, 0);

  event = add_event (trace, HL_EVENT_ALERT, HL_SIDE_CLIENT, HL_SIDE_SERVER, "close_notify",
                     G_MAXINT64, "0100");
  hl_event_set_handshake (event, 1);
  hl_event_set_alert (event, 1, 0);

  event = add_event (trace, HL_EVENT_NOTE, HL_SIDE_NONE, HL_SIDE_NONE, "", G_MAXINT64, NULL);
  hl_event_set_technical (event, "Ünïcödé, \u2028 and a NUL-free \x01 control character");

  add_event (trace, HL_EVENT_MESSAGE, HL_SIDE_CA, HL_SIDE_BOTH, "CA", G_MAXINT64, NULL);

  secret = hl_secret_new ("master_secret", "Master secret", NULL, HL_SIDE_BOTH, HL_SOURCE_DERIVED,
                          0);
  secret->value = bytes_from_hex ("00112233445566778899aabbccddeeff");
  secret->formula = g_strdup ("PRF(pms, \"master secret\", cr ‖ sr)[0..48]");
  secret->inputs = g_strsplit ("premaster_secret client_random server_random", " ", -1);
  secret->check = HL_CHECK_OK;
  hl_trace_add_secret (trace, secret);

  secret = hl_secret_new ("ecdhe_shared_secret", NULL, NULL, HL_SIDE_BOTH, HL_SOURCE_LIBRARY, 0);
  secret->note = g_strdup ("held inside GnuTLS");
  hl_trace_add_secret (trace, secret);

  secret = hl_secret_new ("premaster_secret", "Premaster", empty, HL_SIDE_SERVER,
                          HL_SOURCE_DECRYPTED, 1);
  secret->inputs = g_new0 (char *, 1);
  secret->check = HL_CHECK_FAILED;
  hl_trace_add_secret (trace, secret);

  secret = hl_secret_new ("client_random", "Client random", der2, HL_SIDE_CLIENT, HL_SOURCE_WIRE,
                          1);
  hl_trace_add_secret (trace, secret);

  negotiated = g_new0 (HlNegotiated, 1);
  negotiated->version = g_strdup ("TLS1.2");
  negotiated->cipher_suite = g_strdup ("TLS_RSA_WITH_AES_128_GCM_SHA256");
  negotiated->kx = g_strdup ("RSA");
  negotiated->cipher = g_strdup ("AES-128-GCM");
  negotiated->mac = g_strdup ("AEAD");
  negotiated->signature = g_strdup ("RSA-SHA256");
  negotiated->ems = TRUE;
  negotiated->client_auth = TRUE;
  negotiated->client_random = bytes_from_hex ("0102030405060708");
  negotiated->server_random = bytes_from_hex ("a1a2a3a4");
  negotiated->session_id = g_bytes_ref (empty);
  hl_trace_add_negotiated (trace, negotiated);

  negotiated = g_new0 (HlNegotiated, 1);
  negotiated->handshake = 1;
  negotiated->etm = TRUE;
  negotiated->resumed = TRUE;
  negotiated->group = g_strdup ("SECP256R1");
  hl_trace_add_negotiated (trace, negotiated);

  verification = g_new0 (HlVerification, 1);
  verification->verifier = HL_SIDE_CLIENT;
  verification->text = g_strdup ("The certificate is trusted. ");
  verification->hostname = g_strdup ("server.test");
  verification->trusted = TRUE;
  hl_trace_add_verification (trace, verification);

  verification = g_new0 (HlVerification, 1);
  verification->handshake = 1;
  verification->verifier = HL_SIDE_SERVER;
  verification->rc = G_MININT;
  verification->status = G_MAXUINT32;
  hl_trace_add_verification (trace, verification);

  outcome.client_ok = TRUE;
  outcome.server_ok = FALSE;
  outcome.server_error = (char *) "A TLS fatal alert has been received.";
  outcome.alert_sender = HL_SIDE_SERVER;
  outcome.alert = 48;
  hl_trace_set_outcome (trace, &outcome);

  hl_trace_add_server_certificate (trace, der1);
  hl_trace_add_server_certificate (trace, der2);
  hl_trace_add_client_certificate (trace, der3);
  hl_trace_set_ca_certificate (trace, ca);
  hl_trace_set_server_key (trace, key);
  hl_trace_finish (trace);
  return trace;
}

/* No events, no strings, nothing optional. */
static HlTrace *
build_minimal_trace (void)
{
  HlTrace *trace = hl_trace_new (NULL, NULL, NULL);

  hl_trace_set_library_version (trace, NULL);
  hl_trace_set_created (trace, 0);
  hl_trace_finish (trace);
  return trace;
}

/* Helpers */

static HlTrace *
load_text (const char *text, gssize length, GError **error)
{
  return hl_trace_load_data (text, length, error);
}

static void
assert_round_trip (HlTrace *trace)
{
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) why = g_string_new (NULL);
  gsize length = 0;

  text = hl_trace_to_data (trace, &length);
  g_assert_cmpuint (length, ==, strlen (text));
  g_assert_true (g_str_has_suffix (text, "}\n"));

  loaded = load_text (text, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_true (hl_trace_is_finished (loaded));
  if (!hl_trace_equal (trace, loaded, why))
    g_error ("round trip differs: %s", why->str);
  g_assert_cmpstr (why->str, ==, "");
  g_assert_cmpint (hl_trace_get_created (loaded), ==, hl_trace_get_created (trace));
  g_assert_cmpstr (hl_trace_get_library_version (loaded), ==,
                   hl_trace_get_library_version (trace));

  again = hl_trace_to_data (loaded, NULL);
  g_assert_cmpstr (again, ==, text);
}

static JsonNode *
trace_json (HlTrace *trace)
{
  g_autofree char *text = hl_trace_to_data (trace, NULL);

  return json_from_string (text, NULL);
}

/* Resolves "a.b[2].c" in @root to the container holding the last segment. */
static JsonNode *
resolve_parent (JsonNode *root, const char *path, char **last_name, int *last_index)
{
  g_auto(GStrv) segments = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  guint n = g_strv_length (segments);

  for (guint i = 0; i < n; i++)
    {
      char *bracket = strchr (segments[i], '[');
      int index = bracket ? atoi (bracket + 1) : -1;
      gboolean last = i == n - 1;

      if (bracket)
        *bracket = '\0';
      if (last && index < 0)
        {
          *last_name = g_strdup (segments[i]);
          *last_index = -1;
          return node;
        }
      node = json_object_get_member (json_node_get_object (node), segments[i]);
      g_assert_nonnull (node);
      if (last)
        {
          *last_name = NULL;
          *last_index = index;
          return node;
        }
      if (index >= 0)
        node = json_array_get_element (json_node_get_array (node), index);
    }
  g_assert_not_reached ();
}

/* Replaces the member at @path with the JSON @value, or removes it when @value is NULL. */
static void
mutate (JsonNode *root, const char *path, const char *value)
{
  g_autofree char *name = NULL;
  int index;
  JsonNode *parent = resolve_parent (root, path, &name, &index);
  JsonNode *replacement = value ? json_from_string (value, NULL) : NULL;

  if (value != NULL)
    g_assert_nonnull (replacement);
  if (name != NULL)
    {
      if (replacement)
        json_object_set_member (json_node_get_object (parent), name, replacement);
      else
        json_object_remove_member (json_node_get_object (parent), name);
    }
  else
    {
      /* json-glib cannot replace an element in place: rebuild the array around the new one. */
      JsonArray *array = json_node_get_array (parent);
      JsonArray *rebuilt = json_array_new ();

      g_assert_nonnull (replacement);
      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (rebuilt, i == (guint) index
                                ? json_node_ref (replacement)
                                : json_node_copy (json_array_get_element (array, i)));
      json_node_take_array (parent, rebuilt);
      json_node_unref (replacement);
    }
}

static char *
mutated_text (const char *path, const char *value)
{
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autoptr(JsonNode) root = trace_json (trace);

  mutate (root, path, value);
  return json_to_string (root, TRUE);
}

static void
assert_rejected (const char *text, gssize length, int code, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = load_text (text, length, &error);

  g_assert_null (trace);
  g_assert_error (error, HL_TRACE_ERROR, code);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in the message “%s”", expected, error->message);
  g_test_message ("%s", error->message);
}

/* Round trips */

static void
test_round_trip_full (void)
{
  g_autoptr(HlTrace) trace = build_full_trace ();

  assert_round_trip (trace);
}

static void
test_round_trip_minimal (void)
{
  g_autoptr(HlTrace) trace = build_minimal_trace ();
  g_autofree char *text = hl_trace_to_data (trace, NULL);

  assert_round_trip (trace);
  g_assert_nonnull (strstr (text, "\"created\" : \"1970-01-01T00:00:00Z\""));
  g_assert_nonnull (strstr (text, "\"server_chain\" : []"));
  g_assert_nonnull (strstr (text, "\"server_key\" : null"));
}

static void
test_round_trip_unfinished (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("tls13", "TLS 1.3", "not finished yet");

  add_event (trace, HL_EVENT_NOTE, HL_SIDE_NONE, HL_SIDE_NONE, "note", 5, "00");
  assert_round_trip (trace);
}

/* A key that is not text is written as {"hex": …} and still comes back byte for byte. */
static void
test_round_trip_binary_key (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("x", "y", "z");
  g_autoptr(GBytes) key = g_bytes_new_static ("PEM\0with a NUL\xff", 15);
  g_autofree char *text = NULL;

  hl_trace_set_server_key (trace, key);
  text = hl_trace_to_data (trace, NULL);
  g_assert_nonnull (strstr (text, "\"hex\" : \"50454d00776974682061204e554cff\""));
  assert_round_trip (trace);
}

static void
test_round_trip_created (void)
{
  static const struct
  {
    gint64 created;
    const char *text;
  } cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { 1, "1970-01-01T00:00:00.000001Z" },
    { G_GINT64_CONSTANT (1714564800123456), "2024-05-01T12:00:00.123456Z" },
    { G_GINT64_CONSTANT (1714564800000000), "2024-05-01T12:00:00Z" },
    { -1, "1969-12-31T23:59:59.999999Z" },
    { G_GINT64_CONSTANT (-62135596800000000), "0001-01-01T00:00:00Z" },
    { G_GINT64_CONSTANT (253402300799999999), "9999-12-31T23:59:59.999999Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HlTrace) trace = hl_trace_new ("s", "t", "d");
      g_autoptr(JsonNode) root = NULL;

      hl_trace_set_created (trace, cases[i].created);
      root = hl_trace_to_json (trace);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "created"), ==,
                       cases[i].text);
      assert_round_trip (trace);
    }
}

/* Loading is more lenient than writing in exactly these ways: uppercase hex, fewer fraction
 * digits, a byte order mark and members it does not know (added by later versions). */
static void
test_load_lenient (void)
{
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autoptr(JsonNode) root = trace_json (trace);
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) why = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *with_bom = NULL;

  mutate (root, "events[0].bytes", "\"16030100050100000100\"");
  mutate (root, "secrets[0].value", "\"00112233445566778899AABBCCDDEEFF\"");
  mutate (root, "created", "\"2024-05-01T12:00:00.123456Z\"");
  mutate (root, "future_member", "{\"anything\": [1, 2, 3]}");
  mutate (root, "events[2].decoded_fields", "[{\"name\": \"x\"}]");
  text = json_to_string (root, FALSE);
  with_bom = g_strconcat ("\xef\xbb\xbf", text, NULL);

  loaded = load_text (with_bom, -1, &error);
  g_assert_no_error (error);
  if (!hl_trace_equal (trace, loaded, why))
    g_error ("%s", why->str);

  g_clear_object (&loaded);
  mutate (root, "created", "\"2024-05-01T12:00:00.1Z\"");
  g_free (text);
  text = json_to_string (root, FALSE);
  loaded = load_text (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hl_trace_get_created (loaded), ==, G_GINT64_CONSTANT (1714564800100000));
}

/* The JSON tree entry points. */
static void
test_from_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autoptr(JsonNode) root = hl_trace_to_json (trace);
  g_autoptr(HlTrace) loaded = hl_trace_from_json (root, &error);
  g_autoptr(JsonNode) array = json_from_string ("[]", NULL);

  g_assert_no_error (error);
  g_assert_true (hl_trace_equal (trace, loaded, NULL));

  g_assert_null (hl_trace_from_json (NULL, &error));
  g_assert_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (hl_trace_from_json (array, &error));
  g_assert_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "document: expected an object, found an array; "
                   "this is not a trace");
}

/* The fuzzer's seeds are hand-written traces: they must stay valid as the format evolves.
 * Only *.hltrace files: a fuzzer run pointed at the directory adds units named by hash. */
static void
test_load_fuzz_seeds (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus-trace-json-seed",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file_path = g_build_filename (path, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (file_path);
      g_autoptr(HlTrace) trace = NULL;

      if (!g_str_has_suffix (name, ".hltrace"))
        continue;
      g_test_message ("%s", name);
      trace = hl_trace_load_file (file, NULL, &error);
      g_assert_no_error (error);
      assert_round_trip (trace);
      n++;
    }
  g_assert_cmpuint (n, >=, 3);
}

/* hl_trace_equal */

typedef struct
{
  const char *name;
  const char *path;
  const char *value;
  const char *why;
} Difference;

static const Difference differences[] = {
  { "event-byte", "events[0].bytes", "\"160301000501000001ff\"",
    "events[0].bytes: byte 9 is 0x00 vs 0xff" },
  { "event-length", "events[0].bytes", "\"1603\"", "events[0].bytes: 10 bytes vs 2" },
  { "empty-vs-null", "events[4].bytes", "null", "events[4].bytes: bytes vs null" },
  { "event-kind", "events[2].kind", "\"note\"", "events[2].kind: “action” vs “note”" },
  { "event-alert", "events[7].alert", "{\"level\": 1, \"description\": 48}",
    "events[7].alert.level: 2 vs 1" },
  { "event-caption", "events[0].caption", "\"The client says hi.\"",
    "events[0].caption: “The client says hello.” vs “The client says hi.”" },
  { "event-inner-type", "events[5].inner_type", "22", "events[5].inner_type: 23 vs 22" },
  /* inner_type is optional (added after version 1 was first written): absent means 0 */
  { "event-inner-type-absent", "events[5].inner_type", NULL, "events[5].inner_type: 23 vs 0" },
  { "secret-value", "secrets[0].value", "\"00\"", "secrets[0].value: 16 bytes vs 1" },
  { "secret-inputs", "secrets[2].inputs", "null", "secrets[2].inputs: a list vs null" },
  { "secret-input", "secrets[0].inputs", "[\"premaster_secret\", \"x\", \"server_random\"]",
    "secrets[0].inputs[1]: “client_random” vs “x”" },
  { "negotiated", "negotiated[1].group", "null", "negotiated[1].group: “SECP256R1” vs null" },
  { "verification", "verifications[1].status", "0",
    "verifications[1].status: 4294967295 vs 0" },
  { "outcome", "outcome.alert", "40", "outcome.alert: 48 vs 40" },
  { "certificate", "certificates.server_chain[1]", "\"308202\"",
    "certificates.server_chain[1]: byte 2 is 0x01 vs 0x02" },
  { "chain-length", "certificates.client_chain", "[]", "certificates.client_chain: 1 vs 0" },
  { "ca", "certificates.ca", "null", "certificates.ca: bytes vs null" },
  { "key", "server_key", "\"-----BEGIN\"", "server_key: 60 bytes vs 10" },
  { "created", "created", "\"2024-05-01T12:00:00Z\"",
    "created: 1714564800123456 vs 1714564800000000" },
  { "secrets", "secrets", "[]", "secrets: 4 entries vs 0" },
};

static void
test_equal_difference (gconstpointer data)
{
  const Difference *difference = data;
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autoptr(JsonNode) root = trace_json (trace);
  g_autoptr(HlTrace) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) why = g_string_new (NULL);

  mutate (root, difference->path, difference->value);
  changed = hl_trace_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_false (hl_trace_equal (trace, changed, why));
  g_assert_cmpstr (why->str, ==, difference->why);
  g_assert_false (hl_trace_equal (trace, changed, NULL));
  g_assert_true (hl_trace_equal (trace, trace, NULL));
}

static void
test_equal_events (void)
{
  g_autoptr(HlTrace) a = build_full_trace ();
  g_autoptr(HlTrace) b = build_minimal_trace ();
  g_autoptr(HlTrace) c = build_full_trace ();
  g_autoptr(GString) why = g_string_new (NULL);

  g_assert_true (hl_trace_equal (a, c, why));
  g_assert_false (hl_trace_equal (a, b, why));
  g_assert_cmpstr (why->str, ==, "scenario: “tls12-resume-ticket” vs null");
}

/* Broken input */

typedef struct
{
  const char *name;
  const char *text;          /* the whole input, or NULL: */
  const char *path;          /* a member of the full trace to replace, */
  const char *value;         /* with this JSON (NULL: remove it) */
  int code;
  const char *expected;      /* part of the message, with the JSON path */
} Broken;

#define INVALID HL_TRACE_ERROR_INVALID
#define VERSION HL_TRACE_ERROR_VERSION
#define REMOVE NULL

static const Broken broken[] = {
  /* not a trace at all */
  { "empty", "", NULL, NULL, INVALID, "document: empty" },
  { "whitespace", " \n\t\r ", NULL, NULL, INVALID, "document: empty" },
  { "not-json", "this is not JSON", NULL, NULL, INVALID,
    "document: not valid JSON at line 1, column 1: “t” where a value should be" },
  { "json-array", "[{\"format\": \"handshake-lens-trace\"}]", NULL, NULL, INVALID,
    "document: expected an object, found an array" },
  { "json-string", "\"handshake-lens-trace\"", NULL, NULL, INVALID,
    "document: expected an object, found a string" },
  { "json-null", "null", NULL, NULL, INVALID, "document: expected an object, found null" },
  { "empty-object", "{}", NULL, NULL, INVALID, "format: missing" },
  { "unclosed", "{\"format\": \"handshake-lens-trace\",\n  \"format_version\": 1", NULL, NULL,
    INVALID, "document: not valid JSON at line 2, column 22: the document ends" },
  { "second-document", "{} {}", NULL, NULL, INVALID, "more data after the end of the document" },
  { "comment", "{\"format\": /* hi */ 1}", NULL, NULL, INVALID, "line 1, column 12" },
  { "single-quotes", "{'format': 1}", NULL, NULL, INVALID, "a member name in quotes" },
  { "trailing-comma", "{\"format\": 1,}", NULL, NULL, INVALID, "a member name in quotes" },
  { "hex-number", "{\"format\": 0x10}", NULL, NULL, INVALID, "“x” where “,” or “}” should be" },
  { "leading-zero", "{\"format\": 01}", NULL, NULL, INVALID, "not valid JSON" },
  { "bare-minus", "{\"format\": -}", NULL, NULL, INVALID, "“}” where a digit should be" },
  { "integer-overflow", "{\"format_version\": 99999999999999999999999}", NULL, NULL, INVALID,
    "integer out of the 64-bit range" },
  { "nul-escape", "{\"format\": \"a\\u0000b\"}", NULL, NULL, INVALID, "\\u0000 is not allowed" },
  { "lone-surrogate", "{\"format\": \"\\ud800\"}", NULL, NULL, INVALID,
    "unpaired UTF-16 surrogate \\ud800" },
  { "lone-low-surrogate", "{\"format\": \"\\udc00x\"}", NULL, NULL, INVALID,
    "unpaired UTF-16 surrogate \\udc00" },
  { "short-escape", "{\"format\": \"\\u12\"}", NULL, NULL, INVALID, "four hex digits" },
  { "bad-escape", "{\"format\": \"\\q\"}", NULL, NULL, INVALID, "where an escape character" },
  { "control-character", "{\"format\": \"a\nb\"}", NULL, NULL, INVALID,
    "control character 0x0a inside a string" },
  { "not-utf8", "{\"format\": \"\xff\"}", NULL, NULL, INVALID, "not UTF-8 text (offset 12)" },
  { "truncated-utf8", "{\"format\": \"\xe2\x82\"}", NULL, NULL, INVALID, "not UTF-8" },
  { "bad-literal", "{\"format\": nul}", NULL, NULL, INVALID, "“n” where a value should be" },
  /* what the file is */
  { "format-wrong", NULL, "format", "\"handshake-lens-pcap\"", INVALID,
    "format: “handshake-lens-pcap”, expected “handshake-lens-trace”" },
  { "format-wrong-type", NULL, "format", "1", INVALID,
    "format: expected a string, found an integer" },
  { "format-missing", NULL, "format", REMOVE, INVALID, "format: missing" },
  { "version-99", NULL, "format_version", "99", VERSION,
    "format_version: unsupported version 99; this version of Handshake Lens reads versions 1 "
    "to 2" },
  { "version-0", NULL, "format_version", "0", VERSION, "format_version: unsupported version 0" },
  { "version-negative", NULL, "format_version", "-1", VERSION, "unsupported version -1" },
  { "version-string", NULL, "format_version", "\"1\"", INVALID,
    "format_version: expected an integer, found a string" },
  { "version-fraction", NULL, "format_version", "1.0", INVALID,
    "format_version: expected an integer, found a fractional number" },
  { "version-missing", NULL, "format_version", REMOVE, INVALID, "format_version: missing" },
  /* header */
  { "scenario-type", NULL, "scenario", "5", INVALID,
    "scenario: expected a string, found an integer" },
  { "title-missing", NULL, "title", REMOVE, INVALID, "title: missing" },
  { "created-null", NULL, "created", "null", INVALID, "created: expected a string, found null" },
  { "created-junk", NULL, "created", "\"yesterday\"", INVALID,
    "created: “yesterday” is not a date and time" },
  { "created-month-13", NULL, "created", "\"2024-13-01T00:00:00Z\"", INVALID, "created:" },
  { "created-no-zone", NULL, "created", "\"2024-05-01T12:00:00\"", INVALID, "created:" },
  { "created-year-0", NULL, "created", "\"0000-01-01T00:00:00Z\"", INVALID, "created:" },
  { "created-7-digits", NULL, "created", "\"2024-05-01T12:00:00.1234567Z\"", INVALID,
    "created:" },
  { "n-handshakes-0", NULL, "n_handshakes", "0", INVALID,
    "n_handshakes: 0 is out of range 1…8" },
  { "n-handshakes-9", NULL, "n_handshakes", "9", INVALID, "n_handshakes: 9 is out of range" },
  { "n-handshakes-absurd", NULL, "n_handshakes", "9223372036854775807", INVALID,
    "n_handshakes: 9223372036854775807 is out of range" },
  /* events */
  { "events-missing", NULL, "events", REMOVE, INVALID, "events: missing" },
  { "events-object", NULL, "events", "{}", INVALID,
    "events: expected an array, found an object" },
  { "event-not-object", NULL, "events[1]", "5", INVALID,
    "events[1]: expected an object, found an integer" },
  { "index-mismatch", NULL, "events[2].index", "5", INVALID,
    "events[2].index: 5, expected 2 (its position in events)" },
  { "index-negative", NULL, "events[2].index", "-2", INVALID, "events[2].index: -2 is out of" },
  { "side-wrong-type", NULL, "events[1].side", "42", INVALID,
    "events[1].side: expected a string, found an integer" },
  { "side-unknown", NULL, "events[3].side", "\"martian\"", INVALID,
    "events[3].side: unknown value “martian”" },
  { "side-case", NULL, "events[3].side", "\"Client\"", INVALID,
    "events[3].side: unknown value “Client”" },
  { "side-long", NULL, "events[3].peer",
    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", INVALID,
    "events[3].peer: unknown value “aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…”" },
  { "kind-unknown", NULL, "events[2].kind", "\"telepathy\"", INVALID,
    "events[2].kind: unknown value “telepathy”" },
  { "kind-missing", NULL, "events[2].kind", REMOVE, INVALID, "events[2].kind: missing" },
  { "epoch-unknown", NULL, "events[4].epoch", "\"later\"", INVALID,
    "events[4].epoch: unknown value “later”" },
  { "check-unknown", NULL, "events[2].check", "\"maybe\"", INVALID,
    "events[2].check: unknown value “maybe”" },
  { "handshake-out-of-range", NULL, "events[1].handshake", "2", INVALID,
    "events[1].handshake: 2 is out of range 0…1" },
  { "timestamp-negative", NULL, "events[0].timestamp_us", "-1", INVALID,
    "events[0].timestamp_us: -1 is out of range" },
  { "timestamp-decreasing", NULL, "events[3].timestamp_us", "1499", INVALID,
    "events[3].timestamp_us: 1499 is earlier than the previous event's 1500" },
  { "timestamp-fraction", NULL, "events[3].timestamp_us", "1500.5", INVALID,
    "events[3].timestamp_us: expected an integer, found a fractional number" },
  { "timestamp-exponent", NULL, "events[3].timestamp_us", "1e300", INVALID,
    "events[3].timestamp_us: expected an integer" },
  { "name-missing", NULL, "events[0].name", REMOVE, INVALID, "events[0].name: missing" },
  { "name-null", NULL, "events[0].name", "null", INVALID,
    "events[0].name: expected a string, found null" },
  { "caption-array", NULL, "events[0].caption", "[]", INVALID,
    "events[0].caption: expected a string, found an array" },
  { "content-type-256", NULL, "events[0].content_type", "256", INVALID,
    "events[0].content_type: 256 is out of range 0…255" },
  { "content-type-negative", NULL, "events[0].content_type", "-1", INVALID,
    "events[0].content_type: -1 is out of range" },
  { "content-type-absurd", NULL, "events[0].content_type", "-9223372036854775808", INVALID,
    "events[0].content_type: -9223372036854775808 is out of range" },
  { "handshake-type-256", NULL, "events[1].handshake_type", "256", INVALID,
    "events[1].handshake_type: 256 is out of range -1…255" },
  { "handshake-type-minus-2", NULL, "events[1].handshake_type", "-2", INVALID,
    "events[1].handshake_type: -2" },
  { "handshake-type-bool", NULL, "events[1].handshake_type", "true", INVALID,
    "events[1].handshake_type: expected an integer, found a boolean" },
  { "record-out-of-range", NULL, "events[1].record", "99", INVALID,
    "events[1].record: 99 is out of range -1…0" },
  { "record-self", NULL, "events[5].record", "5", INVALID,
    "events[5].record: 5 is out of range -1…4" },
  { "record-first", NULL, "events[0].record", "0", INVALID, "events[0].record: 0, expected -1" },
  { "record-below", NULL, "events[5].record", "-2", INVALID, "events[5].record: -2" },
  { "alert-string", NULL, "events[7].alert", "\"fatal\"", INVALID,
    "events[7].alert: expected an object, found a string" },
  { "alert-level-0", NULL, "events[7].alert.level", "0", INVALID,
    "events[7].alert.level: 0 is out of range 1…2" },
  { "alert-level-3", NULL, "events[7].alert.level", "3", INVALID,
    "events[7].alert.level: 3 is out of range" },
  { "alert-description-256", NULL, "events[7].alert.description", "256", INVALID,
    "events[7].alert.description: 256 is out of range 0…255" },
  { "alert-description-missing", NULL, "events[7].alert.description", REMOVE, INVALID,
    "events[7].alert.description: missing" },
  { "bytes-odd", NULL, "events[0].bytes", "\"160\"", INVALID,
    "events[0].bytes: odd number of hex digits (3)" },
  { "bytes-non-hex", NULL, "events[0].bytes", "\"16zz\"", INVALID,
    "events[0].bytes: “z” at position 2 is not a hex digit" },
  { "bytes-non-ascii", NULL, "events[0].bytes", "\"16é0\"", INVALID,
    "events[0].bytes: “é” at position 2 is not a hex digit" },
  { "bytes-space", NULL, "events[0].bytes", "\"16 03\"", INVALID,
    "events[0].bytes: “ ” at position 2" },
  { "bytes-prefix", NULL, "events[0].bytes", "\"0x16\"", INVALID,
    "events[0].bytes: “x” at position 1" },
  { "bytes-number", NULL, "events[0].bytes", "1603", INVALID,
    "events[0].bytes: expected a string, found an integer" },
  { "bytes-missing", NULL, "events[0].bytes", REMOVE, INVALID, "events[0].bytes: missing" },
  { "plaintext-odd", NULL, "events[5].plaintext", "\"a\"", INVALID,
    "events[5].plaintext: odd number of hex digits (1)" },
  { "inner-type-256", NULL, "events[5].inner_type", "256", INVALID,
    "events[5].inner_type: 256 is out of range 0…255" },
  { "inner-type-string", NULL, "events[5].inner_type", "\"23\"", INVALID,
    "events[5].inner_type: expected an integer, found a string" },
  /* secrets */
  { "secrets-missing", NULL, "secrets", REMOVE, INVALID, "secrets: missing" },
  { "secret-odd", NULL, "secrets[2].value", "\"abc\"", INVALID,
    "secrets[2].value: odd number of hex digits (3)" },
  { "secret-name-null", NULL, "secrets[1].name", "null", INVALID,
    "secrets[1].name: expected a string, found null" },
  { "secret-label-missing", NULL, "secrets[1].label", REMOVE, INVALID,
    "secrets[1].label: missing" },
  { "secret-holder", NULL, "secrets[0].holder", "\"everyone\"", INVALID,
    "secrets[0].holder: unknown value “everyone”" },
  { "secret-source", NULL, "secrets[0].source", "\"guessed\"", INVALID,
    "secrets[0].source: unknown value “guessed”" },
  { "secret-handshake", NULL, "secrets[3].handshake", "2", INVALID,
    "secrets[3].handshake: 2 is out of range 0…1" },
  { "secret-input-type", NULL, "secrets[0].inputs[1]", "3", INVALID,
    "secrets[0].inputs[1]: expected a string, found an integer" },
  { "secret-inputs-object", NULL, "secrets[0].inputs", "{}", INVALID,
    "secrets[0].inputs: expected an array, found an object" },
  { "secret-inputs-too-many", NULL, "secrets[0].inputs",
    "[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\","
    "\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\","
    "\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\","
    "\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\","
    "\"a\"]", INVALID, "secrets[0].inputs: 65 entries, more than the 64 allowed" },
  { "secret-not-object", NULL, "secrets[1]", "[]", INVALID,
    "secrets[1]: expected an object, found an array" },
  /* negotiated */
  { "negotiated-too-many", NULL, "negotiated",
    "[{}, {}, {}]", INVALID, "negotiated: 3 entries (at most one per handshake), more than the 2" },
  { "negotiated-duplicate", NULL, "negotiated[1].handshake", "0", INVALID,
    "negotiated[1].handshake: 0, already described by negotiated[0]" },
  { "negotiated-bool", NULL, "negotiated[0].ems", "\"yes\"", INVALID,
    "negotiated[0].ems: expected a boolean, found a string" },
  { "negotiated-bool-int", NULL, "negotiated[0].resumed", "1", INVALID,
    "negotiated[0].resumed: expected a boolean, found an integer" },
  { "negotiated-random", NULL, "negotiated[0].client_random", "\"0g\"", INVALID,
    "negotiated[0].client_random: “g” at position 1 is not a hex digit" },
  { "negotiated-field-missing", NULL, "negotiated[1].cipher_suite", REMOVE, INVALID,
    "negotiated[1].cipher_suite: missing" },
  /* verifications */
  { "verification-status-negative", NULL, "verifications[0].status", "-1", INVALID,
    "verifications[0].status: -1 is out of range 0…4294967295" },
  { "verification-status-33-bits", NULL, "verifications[0].status", "4294967296", INVALID,
    "verifications[0].status: 4294967296 is out of range" },
  { "verification-rc", NULL, "verifications[1].rc", "2147483648", INVALID,
    "verifications[1].rc: 2147483648 is out of range" },
  { "verification-verifier", NULL, "verifications[1].verifier", "\"ca \"", INVALID,
    "verifications[1].verifier: unknown value “ca ”" },
  { "verification-trusted", NULL, "verifications[0].trusted", "null", INVALID,
    "verifications[0].trusted: expected a boolean, found null" },
  /* outcome */
  { "outcome-missing", NULL, "outcome", REMOVE, INVALID, "outcome: missing" },
  { "outcome-array", NULL, "outcome", "[]", INVALID, "outcome: expected an object" },
  { "outcome-alert", NULL, "outcome.alert", "256", INVALID,
    "outcome.alert: 256 is out of range 0…255" },
  { "outcome-sender", NULL, "outcome.alert_sender", "\"\"", INVALID,
    "outcome.alert_sender: unknown value “”" },
  { "outcome-ok", NULL, "outcome.client_ok", "null", INVALID,
    "outcome.client_ok: expected a boolean, found null" },
  /* certificates and key */
  { "certificates-missing", NULL, "certificates", REMOVE, INVALID, "certificates: missing" },
  { "chain-not-array", NULL, "certificates.server_chain", "\"3082\"", INVALID,
    "certificates.server_chain: expected an array, found a string" },
  { "chain-null", NULL, "certificates.client_chain", "null", INVALID,
    "certificates.client_chain: expected an array, found null" },
  { "chain-entry", NULL, "certificates.server_chain[1]", "\"xyz\"", INVALID,
    "certificates.server_chain[1]: “x” at position 0 is not a hex digit" },
  { "chain-entry-null", NULL, "certificates.server_chain[0]", "null", INVALID,
    "certificates.server_chain[0]: expected a string, found null" },
  { "ca-odd", NULL, "certificates.ca", "\"308\"", INVALID,
    "certificates.ca: odd number of hex digits (3)" },
  { "key-missing", NULL, "server_key", REMOVE, INVALID, "server_key: missing" },
  { "key-number", NULL, "server_key", "5", INVALID,
    "server_key: expected a string, found an integer" },
  { "key-object-empty", NULL, "server_key", "{}", INVALID, "server_key.hex: missing" },
  { "key-object-odd", NULL, "server_key", "{\"hex\": \"0\"}", INVALID,
    "server_key.hex: odd number of hex digits (1)" },
};

static void
test_broken (gconstpointer data)
{
  const Broken *b = data;
  g_autofree char *text = NULL;

  if (b->text != NULL)
    text = g_strdup (b->text);
  else
    text = mutated_text (b->path, b->value);
  assert_rejected (text, -1, b->code, b->expected);
  assert_rejected (text, strlen (text), b->code, b->expected);
}

/* Every proper prefix of a valid file is rejected, with a message about the document. */
static void
test_truncated (gconstpointer data)
{
  HlTrace *(*build) (void) = data;
  g_autoptr(HlTrace) trace = build ();
  g_autofree char *text = hl_trace_to_data (trace, NULL);
  gsize end = strrchr (text, '}') - text;

  for (gsize length = 0; length <= end; length++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlTrace) loaded = hl_trace_load_data (text, length, &error);

      g_assert_null (loaded);
      g_assert_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "document: "));
    }
}

/* One changed byte at every offset (a digit or a quote, alternately): loaded or rejected, never
 * a crash, and what loads writes back the same. The fuzzer explores further. */
static void
test_flipped (void)
{
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autofree char *text = hl_trace_to_data (trace, NULL);
  gsize length = strlen (text);
  guint n_loaded = 0;

  for (gsize i = 0; i < length; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlTrace) loaded = NULL;
      char saved = text[i];

      text[i] = i % 2 == 0 ? '0' : '"';
      loaded = hl_trace_load_data (text, length, &error);
      text[i] = saved;

      g_assert_true ((loaded == NULL) != (error == NULL));
      if (loaded != NULL)
        {
          g_autofree char *again = hl_trace_to_data (loaded, NULL);
          g_autoptr(HlTrace) reloaded = hl_trace_load_data (again, -1, &error);

          g_assert_no_error (error);
          g_assert_true (hl_trace_equal (loaded, reloaded, NULL));
          n_loaded++;
        }
      else
        g_assert_true (error->domain == HL_TRACE_ERROR);
    }
  g_test_message ("%u of %" G_GSIZE_FORMAT " mutants loaded", n_loaded, length);
  g_assert_cmpuint (n_loaded, >, 0);
}

/* Limits */

static char *
nested (guint depth)
{
  GString *text = g_string_new ("{\"format\": ");

  for (guint i = 1; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 1; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

static void
test_limit_depth (void)
{
  g_autofree char *ok = nested (HL_TRACE_MAX_DEPTH);
  g_autofree char *deep = nested (HL_TRACE_MAX_DEPTH + 1);
  g_autofree char *deeper = nested (1000000);
  g_autoptr(GString) objects = g_string_new (NULL);

  /* Within the limit the document parses, and is then not a trace. */
  assert_rejected (ok, -1, INVALID, "format: expected a string, found an array");
  assert_rejected (deep, -1, INVALID, "column 75: nested deeper than 64 levels");
  assert_rejected (deeper, -1, INVALID, "nested deeper than 64 levels");

  for (guint i = 0; i < 100000; i++)
    g_string_append (objects, "{\"a\":");
  assert_rejected (objects->str, objects->len, INVALID, "nested deeper than 64 levels");
}

static char *
events_of (const char *element, guint n)
{
  g_autoptr(HlTrace) trace = build_minimal_trace ();
  g_autofree char *text = hl_trace_to_data (trace, NULL);
  g_autoptr(GString) result = g_string_new (NULL);
  const char *events = strstr (text, "\"events\" : [");

  g_assert_nonnull (events);
  events += strlen ("\"events\" : [");
  g_string_append_len (result, text, events - text);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (result, ',');
      g_string_append (result, element);
    }
  g_string_append (result, events);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

static void
test_limit_events (void)
{
  g_autofree char *million = events_of ("0", 1000000);
  g_autofree char *over = events_of ("0", HL_TRACE_MAX_EVENTS + 1);

  assert_rejected (million, -1, INVALID,
                   "events: 1000000 events, more than the 100000 allowed");
  assert_rejected (over, -1, INVALID, "events: 100001 events, more than the 100000 allowed");
}

/* A large trace still loads: the value and container limits leave room for the largest one
 * allowed. That one (100 000 events, 50 MB of JSON, 13 s and 550 MB here) runs with -m slow;
 * by default a tenth of it. */
static void
test_limit_events_max (void)
{
  guint n = g_test_slow () ? HL_TRACE_MAX_EVENTS : HL_TRACE_MAX_EVENTS / 10;
  g_autoptr(HlTrace) trace = hl_trace_new ("big", NULL, NULL);
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;
  gint64 start;

  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = add_event (trace, HL_EVENT_RECORD, HL_SIDE_CLIENT, HL_SIDE_SERVER,
                                  "record", i, "1603030001ff");

      hl_event_set_alert (event, 1, 0);
      hl_event_set_plaintext (event, hl_event_get_bytes (event));
    }
  hl_trace_finish (trace);
  text = hl_trace_to_data (trace, &length);
  g_test_message ("%u events: %" G_GSIZE_FORMAT " bytes", n, length);

  start = g_get_monotonic_time ();
  loaded = hl_trace_load_data (text, length, &error);
  g_test_message ("loaded in %.2f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_no_error (error);
  g_assert_true (hl_trace_equal (trace, loaded, NULL));
}

static void
test_limit_values (void)
{
  g_autofree char *values = events_of ("0", 4000001);
  g_autofree char *objects = events_of ("{}", 500001);

  assert_rejected (values, -1, INVALID, "more than 4000000 values");
  assert_rejected (objects, -1, INVALID, "more than 500000 objects and arrays");
}

static void
test_limit_field (void)
{
  g_autoptr(GString) hex = g_string_sized_new (2 * HL_TRACE_MAX_FIELD_SIZE + 8);
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autoptr(JsonNode) root = trace_json (trace);
  JsonObject *event = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "events"), 0);
  g_autofree char *text = NULL;

  g_string_append (hex, "aa");
  for (guint i = 0; i < HL_TRACE_MAX_FIELD_SIZE; i++)
    g_string_append (hex, "00");
  json_object_set_string_member (event, "bytes", hex->str);
  text = json_to_string (root, FALSE);
  assert_rejected (text, -1, INVALID,
                   "events[0].bytes: 16777217 bytes, more than the 16777216 allowed");
}

static void
test_limit_size (void)
{
  gsize size = 65 * 1024 * 1024;
  g_autofree char *junk = g_malloc (size + 1);
  gint64 start = g_get_monotonic_time ();

  for (gsize i = 0; i < size; i++)
    junk[i] = (char) ('a' + i % 26);
  junk[size] = '\0';

  assert_rejected (junk, size, INVALID, "document: larger than the 64 MiB a trace may have");
  assert_rejected (junk, -1, INVALID, "document: larger than the 64 MiB");
  /* Refused before parsing: much faster than reading 65 MiB of JSON would be. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  junk[1000] = '\0';
  assert_rejected (junk, 2000, INVALID, "document: a NUL byte at offset 1000");
}

/* Files */

typedef struct
{
  char  *dir;
  GFile *file;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-trace-io-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->file = g_file_new_build_filename (fixture->dir, "trace.hltrace", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_file_get_path (fixture->file);

  g_remove (path);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_object_unref (fixture->file);
}

static void
test_file_save_load (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autoptr(HlTrace) other = build_minimal_trace ();
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) why = g_string_new (NULL);
  g_autofree char *path = g_file_get_path (fixture->file);
  g_autofree char *contents = NULL;
  g_autofree char *expected = hl_trace_to_data (trace, NULL);
  GStatBuf st;

  /* Saving over an existing file replaces it. */
  g_assert_true (hl_trace_save (other, fixture->file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hl_trace_save (trace, fixture->file, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = hl_trace_load_file (fixture->file, NULL, &error);
  g_assert_no_error (error);
  if (!hl_trace_equal (trace, loaded, why))
    g_error ("%s", why->str);
}

static void
test_file_missing (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_trace_load_file (fixture->file, NULL, &error);

  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_file_directory (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(HlTrace) trace = hl_trace_load_file (dir, NULL, &error);

  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
}

/* A sparse 200 MiB file: refused without reading it all. */
static void
test_file_too_large (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) stream = g_file_create (fixture->file, G_FILE_CREATE_NONE, NULL,
                                                       &error);
  g_autoptr(HlTrace) trace = NULL;

  g_assert_no_error (error);
  g_assert_true (g_seekable_truncate (G_SEEKABLE (stream), 200 * 1024 * 1024, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));

  trace = hl_trace_load_file (fixture->file, NULL, &error);
  g_assert_null (trace);
  g_assert_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "document: larger than the 64 MiB a trace may have");
}

static void
test_file_cancelled (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (hl_trace_save (trace, fixture->file, NULL, &error));
  g_cancellable_cancel (cancellable);
  g_assert_null (hl_trace_load_file (fixture->file, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static HlTrace *
load_async (GFile *file, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hl_trace_load_file_async (file, NULL, load_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return hl_trace_load_file_finish (result, error);
}

static void
test_file_async (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HlTrace) trace = build_full_trace ();
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (fixture->file);

  g_assert_true (hl_trace_save (trace, fixture->file, NULL, &error));
  loaded = load_async (fixture->file, &error);
  g_assert_no_error (error);
  g_assert_true (hl_trace_equal (trace, loaded, NULL));

  g_assert_true (g_file_set_contents (path, "{\"format\": \"handshake-lens-trace\", "
                                      "\"format_version\": 3}", -1, NULL));
  g_clear_object (&loaded);
  loaded = load_async (fixture->file, &error);
  g_assert_null (loaded);
  g_assert_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_VERSION);
  g_assert_cmpstr (error->message, ==, "format_version: unsupported version 3; this version of "
                   "Handshake Lens reads versions 1 to 2");
}

/* An empty server key (a fuzzer's find: GBytes of size 0 may have no data pointer) is written as
 * "" and read back as the empty key, with no undefined behaviour on the way. */
static void
test_empty_server_key (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("empty-key", "Empty key", "");
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autofree char *text = NULL;
  g_autoptr(HlTrace) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (g_bytes_get_data (empty, NULL));
  hl_trace_set_server_key (trace, empty);
  hl_trace_finish (trace);
  text = hl_trace_to_data (trace, NULL);
  g_assert_nonnull (strstr (text, "\"server_key\" : \"\""));
  back = hl_trace_load_data (text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hl_trace_get_server_key (back));
  g_assert_cmpuint (g_bytes_get_size (hl_trace_get_server_key (back)), ==, 0);
}

/* Version 1 files (sending order, no moments) still open, and say their order is approximate;
 * version 2 keeps the moments and rejects a sending time after the shown one. */
static void
test_version1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario ("tls13", NULL, &error);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(HlTrace) again = NULL;
  JsonArray *events;
  guint processed = 0;

  g_assert_no_error (error);
  g_assert_false (hl_trace_is_order_approximate (trace));
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_moment (event) == HL_MOMENT_PROCESSED)
        {
          processed++;
          g_assert_cmpint (hl_event_get_sent_timestamp (event), >=, 0);
          g_assert_cmpint (hl_event_get_sent_timestamp (event), <=,
                           hl_event_get_timestamp (event));
        }
    }
  g_assert_cmpuint (processed, >, 10);

  root = hl_trace_to_json (trace);
  again = hl_trace_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_true (hl_trace_equal (trace, again, NULL));

  events = json_object_get_array_member (json_node_get_object (root), "events");
  json_object_set_int_member (json_array_get_object_element (events, 3), "sent_us",
                              G_MAXINT64);
  g_clear_object (&again);
  again = hl_trace_from_json (root, &error);
  g_assert_null (again);
  g_assert_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "events[3].sent_us"));
  g_clear_error (&error);

  json_object_set_int_member (json_node_get_object (root), "format_version", 1);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *object = json_array_get_object_element (events, i);

      json_object_remove_member (object, "moment");
      json_object_remove_member (object, "sent_us");
    }
  loaded = hl_trace_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_true (hl_trace_is_order_approximate (loaded));
  g_assert_cmpuint (hl_trace_get_n_events (loaded), ==, hl_trace_get_n_events (trace));
  g_assert_cmpint (hl_event_get_moment (hl_trace_get_event (loaded, 3)), ==, HL_MOMENT_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/trace-io/version-1", test_version1);
  g_test_add_func ("/protocol/trace-io/empty-server-key", test_empty_server_key);

  g_test_add_func ("/protocol/trace-io/round-trip/full", test_round_trip_full);
  g_test_add_func ("/protocol/trace-io/round-trip/minimal", test_round_trip_minimal);
  g_test_add_func ("/protocol/trace-io/round-trip/unfinished", test_round_trip_unfinished);
  g_test_add_func ("/protocol/trace-io/round-trip/binary-key", test_round_trip_binary_key);
  g_test_add_func ("/protocol/trace-io/round-trip/created", test_round_trip_created);
  g_test_add_func ("/protocol/trace-io/load/lenient", test_load_lenient);
  g_test_add_func ("/protocol/trace-io/load/from-json", test_from_json);
  g_test_add_func ("/protocol/trace-io/load/fuzz-seeds", test_load_fuzz_seeds);

  g_test_add_func ("/protocol/trace-io/equal/identical-builds", test_equal_events);
  for (guint i = 0; i < G_N_ELEMENTS (differences); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/trace-io/equal/%s",
                                               differences[i].name);

      g_test_add_data_func (path, &differences[i], test_equal_difference);
    }

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/trace-io/broken/%s", broken[i].name);

      g_test_add_data_func (path, &broken[i], test_broken);
    }
  g_test_add_data_func ("/protocol/trace-io/broken/truncated-full", build_full_trace,
                        test_truncated);
  g_test_add_data_func ("/protocol/trace-io/broken/truncated-minimal", build_minimal_trace,
                        test_truncated);
  g_test_add_func ("/protocol/trace-io/broken/flipped-bytes", test_flipped);

  g_test_add_func ("/protocol/trace-io/limits/depth", test_limit_depth);
  g_test_add_func ("/protocol/trace-io/limits/events", test_limit_events);
  g_test_add_func ("/protocol/trace-io/limits/events-max", test_limit_events_max);
  g_test_add_func ("/protocol/trace-io/limits/values", test_limit_values);
  g_test_add_func ("/protocol/trace-io/limits/field", test_limit_field);
  g_test_add_func ("/protocol/trace-io/limits/size", test_limit_size);

  g_test_add ("/protocol/trace-io/file/save-load", Fixture, NULL, fixture_set_up,
              test_file_save_load, fixture_tear_down);
  g_test_add ("/protocol/trace-io/file/missing", Fixture, NULL, fixture_set_up,
              test_file_missing, fixture_tear_down);
  g_test_add ("/protocol/trace-io/file/directory", Fixture, NULL, fixture_set_up,
              test_file_directory, fixture_tear_down);
  g_test_add ("/protocol/trace-io/file/too-large", Fixture, NULL, fixture_set_up,
              test_file_too_large, fixture_tear_down);
  g_test_add ("/protocol/trace-io/file/cancelled", Fixture, NULL, fixture_set_up,
              test_file_cancelled, fixture_tear_down);
  g_test_add ("/protocol/trace-io/file/async", Fixture, NULL, fixture_set_up,
              test_file_async, fixture_tear_down);

  return g_test_run ();
}
