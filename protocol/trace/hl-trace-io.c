/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-io"
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>

#include "hl-error.h"
#include "hl-trace-io.h"
#include "hl-trace-private.h"

/*
 * The trace file format, version 2 (version 1 is read too).
 *
 * One JSON object (RFC 8259, UTF-8). Every member of every struct of the model is written; on
 * reading every member listed here must be present, with its type, and `null` only where noted.
 * Members this version does not know are ignored, so a later version may add optional members
 * without breaking older readers; a change older readers must not misread bumps format_version.
 *
 *   format          "handshake-lens-trace"
 *   format_version  2 (1: as 2 without the event members moment and sent_us; such a trace
 *                   is in sending order, which hl_trace_is_order_approximate() reports)
 *   scenario, title, description, library_version          string or null
 *   created         "2024-05-01T12:00:00.123456Z": ISO 8601 in UTC, fraction only when non-zero
 *   n_handshakes    1 … 8
 *   events          [event …], at most 100 000; events[i].index == i
 *   secrets         [secret …]
 *   negotiated      [negotiated …], at most one per handshake
 *   verifications   [verification …]
 *   outcome         {client_ok, server_ok, client_error|null, server_error|null, alert_sender,
 *                    alert 0…255}
 *   certificates    {server_chain: [hex DER …], client_chain: [hex DER …], ca: hex DER|null}
 *   server_key      PEM text, or null; {"hex": …} should the key not be text
 *   live            (optional) null, or {local: "client"|"server", address, server_name,
 *                    software, trust (strings or null), truncated, bytes_sent, bytes_received}:
 *                    one side was a real peer over a socket
 *   attacker        (optional) null, or {ca_certificate: hex DER|null, chain: [hex DER …],
 *                    trusted, unchecked (booleans)}: an attacker sits in the middle; then
 *                    n_handshakes is 2 (client ⇄ attacker, attacker ⇄ server), and only then may
 *                    a side, peer, holder or verifier be "attacker"
 *
 *   event           {index, kind, side, peer, handshake, timestamp_us, name, caption, technical,
 *                    epoch, content_type 0…255, handshake_type -1…255, record -1…index-1,
 *                    alert: {level 1…2, description 0…255} or null, check, bytes, plaintext,
 *                    inner_type 0…255 (optional: the content type inside a decrypted record),
 *                    moment "none"|"processed"|"sent"|"unread", sent_us ≥ 0 or null,
 *                    forwarded (optional) -1…events-1: the event of the other connection
 *                    whose content the attacker passes on in this one}
 *                    timestamp_us is ≥ 0 and never less than the previous event's; events are
 *                    in causal order (hl-event.h); sent_us is never later than timestamp_us
 *   secret          {name, label, holder, source, handshake, check, formula|null,
 *                    inputs: [string …]|null, note|null, value}
 *   negotiated      {handshake, version, cipher_suite, kx, cipher, mac, group, signature
 *                    (strings or null), ems, etm, resumed, client_auth (booleans),
 *                    client_random, server_random, session_id}
 *   verification    {handshake, verifier, rc, status 0…2³²-1, trusted, hostname|null, text|null}
 *
 * Enums are written with their hl_*_to_string() names (hl-types.h). Byte fields are lowercase
 * hex strings — one encoding everywhere, diffable — or null for a NULL GBytes, "" for an empty
 * one (the two stay distinct). Handshake numbers are < n_handshakes. An event's alert is null
 * when both its level and description are 0 (events that carry no alert).
 *
 * Adding a member (for instance decoded fields or key-schedule derivations): write it in the
 * struct's *_to_json(), read it in the matching read_*() with MEMBER_OPTIONAL so version 1 files
 * without it still load, compare it in hl_trace_equal(), and extend the round-trip test.
 */

#define MAX_SECRETS 10000
#define MAX_VERIFICATIONS 64
#define MAX_CHAIN 64
#define MAX_INPUTS 64
/* json-glib builds a tree of about 300 bytes per object and 70 per scalar. These bound what a
 * hostile document under the size limit can make it allocate; a real trace uses a fraction. */
#define MAX_VALUES 4000000
#define MAX_CONTAINERS 500000
#define QUOTE_MAX_CHARS 40

/* Writing */

static void
set_string (JsonObject *object, const char *name, const char *value)
{
  if (value == NULL)
    json_object_set_null_member (object, name);
  else if (g_utf8_validate (value, -1, NULL))
    json_object_set_string_member (object, name, value);
  else
    {
      /* The model holds UTF-8; should anything else slip in, the file must stay valid JSON. */
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_object_set_string_member (object, name, valid);
    }
}

static char *
bytes_to_hex (GBytes *bytes)
{
  static const char digits[] = "0123456789abcdef";
  const guint8 *data;
  gsize size;
  char *hex;

  data = g_bytes_get_data (bytes, &size);
  hex = g_malloc (size * 2 + 1);
  for (gsize i = 0; i < size; i++)
    {
      hex[2 * i] = digits[data[i] >> 4];
      hex[2 * i + 1] = digits[data[i] & 0xf];
    }
  hex[size * 2] = '\0';
  return hex;
}

static JsonNode *
hex_node (GBytes *bytes)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *hex = bytes_to_hex (bytes);

  json_node_set_string (node, hex);
  return node;
}

static void
set_hex (JsonObject *object, const char *name, GBytes *bytes)
{
  if (bytes == NULL)
    json_object_set_null_member (object, name);
  else
    json_object_set_member (object, name, hex_node (bytes));
}

static JsonArray *
chain_to_json (GPtrArray *chain)
{
  JsonArray *array = json_array_sized_new (chain->len);

  for (guint i = 0; i < chain->len; i++)
    json_array_add_element (array, hex_node (g_ptr_array_index (chain, i)));
  return array;
}

/* ISO 8601 in UTC with microseconds when there are any. Formatted by hand (not
 * g_date_time_format_iso8601) so that reading it back is exact and the text is stable. */
static char *
format_created (gint64 created)
{
  /* The range of GDateTime: 0001-01-01 … 9999-12-31. */
  const gint64 min = G_GINT64_CONSTANT (-62135596800) * G_USEC_PER_SEC;
  const gint64 max = G_GINT64_CONSTANT (253402300800) * G_USEC_PER_SEC - 1;
  g_autoptr(GDateTime) date = NULL;
  gint64 seconds;
  gint64 usec;
  GString *out;

  created = CLAMP (created, min, max);
  seconds = created / G_USEC_PER_SEC;
  usec = created % G_USEC_PER_SEC;
  if (usec < 0)
    {
      usec += G_USEC_PER_SEC;
      seconds -= 1;
    }
  date = g_date_time_new_from_unix_utc (seconds);
  g_assert (date != NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d", g_date_time_get_year (date),
                          g_date_time_get_month (date), g_date_time_get_day_of_month (date),
                          g_date_time_get_hour (date), g_date_time_get_minute (date),
                          g_date_time_get_second (date));
  if (usec != 0)
    g_string_append_printf (out, ".%06d", (int) usec);
  g_string_append_c (out, 'Z');
  return g_string_free (out, FALSE);
}

static JsonNode *
event_to_json (HlEvent *event)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "index", hl_event_get_index (event));
  json_object_set_string_member (object, "kind",
                                 hl_event_kind_to_string (hl_event_get_kind (event)));
  json_object_set_string_member (object, "side", hl_side_to_string (hl_event_get_side (event)));
  json_object_set_string_member (object, "peer", hl_side_to_string (hl_event_get_peer (event)));
  json_object_set_int_member (object, "handshake", hl_event_get_handshake (event));
  json_object_set_int_member (object, "timestamp_us", hl_event_get_timestamp (event));
  set_string (object, "name", hl_event_get_name (event));
  set_string (object, "caption", hl_event_get_caption (event));
  set_string (object, "technical", hl_event_get_technical (event));
  json_object_set_string_member (object, "epoch", hl_epoch_to_string (hl_event_get_epoch (event)));
  json_object_set_int_member (object, "content_type", hl_event_get_content_type (event));
  json_object_set_int_member (object, "handshake_type", hl_event_get_handshake_type (event));
  json_object_set_int_member (object, "record", hl_event_get_record (event));
  if (hl_event_get_alert_level (event) == 0 && hl_event_get_alert_description (event) == 0)
    json_object_set_null_member (object, "alert");
  else
    {
      JsonObject *alert = json_object_new ();

      json_object_set_int_member (alert, "level", hl_event_get_alert_level (event));
      json_object_set_int_member (alert, "description", hl_event_get_alert_description (event));
      json_object_set_object_member (object, "alert", alert);
    }
  json_object_set_string_member (object, "check", hl_check_to_string (hl_event_get_check (event)));
  set_hex (object, "bytes", hl_event_get_bytes (event));
  set_hex (object, "plaintext", hl_event_get_plaintext (event));
  json_object_set_int_member (object, "inner_type", hl_event_get_inner_type (event));
  json_object_set_string_member (object, "moment", hl_moment_to_string (hl_event_get_moment (event)));
  if (hl_event_get_forwarded (event) >= 0)
    json_object_set_int_member (object, "forwarded", hl_event_get_forwarded (event));
  if (hl_event_get_sent_timestamp (event) < 0)
    json_object_set_null_member (object, "sent_us");
  else
    json_object_set_int_member (object, "sent_us", hl_event_get_sent_timestamp (event));

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
secret_to_json (const HlSecret *secret)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  set_string (object, "name", secret->name);
  set_string (object, "label", secret->label);
  json_object_set_string_member (object, "holder", hl_side_to_string (secret->holder));
  json_object_set_string_member (object, "source", hl_source_to_string (secret->source));
  json_object_set_int_member (object, "handshake", secret->handshake);
  json_object_set_string_member (object, "check", hl_check_to_string (secret->check));
  set_string (object, "formula", secret->formula);
  if (secret->inputs == NULL)
    json_object_set_null_member (object, "inputs");
  else
    {
      JsonArray *inputs = json_array_new ();

      for (guint i = 0; secret->inputs[i] != NULL; i++)
        {
          JsonNode *input = json_node_new (JSON_NODE_VALUE);
          g_autofree char *valid = g_utf8_make_valid (secret->inputs[i], -1);

          json_node_set_string (input, valid);
          json_array_add_element (inputs, input);
        }
      json_object_set_array_member (object, "inputs", inputs);
    }
  set_string (object, "note", secret->note);
  set_hex (object, "value", secret->value);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
negotiated_to_json (const HlNegotiated *negotiated)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "handshake", negotiated->handshake);
  set_string (object, "version", negotiated->version);
  set_string (object, "cipher_suite", negotiated->cipher_suite);
  set_string (object, "kx", negotiated->kx);
  set_string (object, "cipher", negotiated->cipher);
  set_string (object, "mac", negotiated->mac);
  set_string (object, "group", negotiated->group);
  set_string (object, "signature", negotiated->signature);
  json_object_set_boolean_member (object, "ems", negotiated->ems);
  json_object_set_boolean_member (object, "etm", negotiated->etm);
  json_object_set_boolean_member (object, "resumed", negotiated->resumed);
  json_object_set_boolean_member (object, "client_auth", negotiated->client_auth);
  set_hex (object, "client_random", negotiated->client_random);
  set_hex (object, "server_random", negotiated->server_random);
  set_hex (object, "session_id", negotiated->session_id);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
verification_to_json (const HlVerification *verification)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "handshake", verification->handshake);
  json_object_set_string_member (object, "verifier", hl_side_to_string (verification->verifier));
  json_object_set_int_member (object, "rc", verification->rc);
  json_object_set_int_member (object, "status", verification->status);
  json_object_set_boolean_member (object, "trusted", verification->trusted);
  set_string (object, "hostname", verification->hostname);
  set_string (object, "text", verification->text);

  json_node_take_object (node, object);
  return node;
}

static JsonObject *
outcome_to_json (const HlOutcome *outcome)
{
  JsonObject *object = json_object_new ();

  json_object_set_boolean_member (object, "client_ok", outcome->client_ok);
  json_object_set_boolean_member (object, "server_ok", outcome->server_ok);
  set_string (object, "client_error", outcome->client_error);
  set_string (object, "server_error", outcome->server_error);
  json_object_set_string_member (object, "alert_sender", hl_side_to_string (outcome->alert_sender));
  json_object_set_int_member (object, "alert", outcome->alert);
  return object;
}

static gboolean
is_text (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  /* an empty GBytes may have no data pointer at all (memchr must not see NULL) */
  if (size == 0)
    return TRUE;
  return size <= G_MAXSSIZE && memchr (data, '\0', size) == NULL &&
         g_utf8_validate_len (data, size, NULL);
}

/**
 * hl_trace_to_json:
 * @trace: a trace
 *
 * Serialises every part of @trace into the trace file format (see the top of hl-trace-io.c).
 *
 * Returns: (transfer full): the root object node
 */
JsonNode *
hl_trace_to_json (HlTrace *trace)
{
  JsonObject *root;
  JsonArray *array;
  JsonObject *certificates;
  JsonNode *node;
  GPtrArray *items;
  GBytes *key;
  const HlLive *live;
  const HlAttacker *attacker;
  g_autofree char *created = NULL;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);

  root = json_object_new ();
  json_object_set_string_member (root, "format", HL_TRACE_FORMAT_NAME);
  json_object_set_int_member (root, "format_version", HL_TRACE_FORMAT_VERSION);
  set_string (root, "scenario", hl_trace_get_scenario (trace));
  set_string (root, "title", hl_trace_get_title (trace));
  set_string (root, "description", hl_trace_get_description (trace));
  set_string (root, "library_version", hl_trace_get_library_version (trace));
  created = format_created (hl_trace_get_created (trace));
  json_object_set_string_member (root, "created", created);
  json_object_set_int_member (root, "n_handshakes", hl_trace_get_n_handshakes (trace));

  array = json_array_sized_new (hl_trace_get_n_events (trace));
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    json_array_add_element (array, event_to_json (hl_trace_get_event (trace, i)));
  json_object_set_array_member (root, "events", array);

  items = hl_trace_get_secrets (trace);
  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, secret_to_json (g_ptr_array_index (items, i)));
  json_object_set_array_member (root, "secrets", array);

  items = hl_trace_get_negotiated (trace);
  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, negotiated_to_json (g_ptr_array_index (items, i)));
  json_object_set_array_member (root, "negotiated", array);

  items = hl_trace_get_verifications (trace);
  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, verification_to_json (g_ptr_array_index (items, i)));
  json_object_set_array_member (root, "verifications", array);

  json_object_set_object_member (root, "outcome", outcome_to_json (hl_trace_get_outcome (trace)));

  certificates = json_object_new ();
  json_object_set_array_member (certificates, "server_chain",
                                chain_to_json (hl_trace_get_server_chain (trace)));
  json_object_set_array_member (certificates, "client_chain",
                                chain_to_json (hl_trace_get_client_chain (trace)));
  set_hex (certificates, "ca", hl_trace_get_ca_certificate (trace));
  json_object_set_object_member (root, "certificates", certificates);

  key = hl_trace_get_server_key (trace);
  if (key == NULL)
    json_object_set_null_member (root, "server_key");
  else if (is_text (key))
    {
      gsize size = g_bytes_get_size (key);
      /* an empty key may have no data pointer: write "" */
      g_autofree char *pem = g_strndup (size ? g_bytes_get_data (key, NULL) : "", size);

      json_object_set_string_member (root, "server_key", pem);
      gnutls_memset (pem, 0, strlen (pem));
    }
  else
    {
      JsonObject *wrapped = json_object_new ();

      set_hex (wrapped, "hex", key);
      json_object_set_object_member (root, "server_key", wrapped);
    }

  live = hl_trace_get_live (trace);
  if (live == NULL)
    json_object_set_null_member (root, "live");
  else
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "local", hl_side_to_string (live->local));
      set_string (object, "address", live->address);
      set_string (object, "server_name", live->server_name);
      set_string (object, "software", live->software);
      set_string (object, "trust", live->trust);
      json_object_set_boolean_member (object, "truncated", live->truncated);
      json_object_set_int_member (object, "bytes_sent", (gint64) MIN (live->bytes_sent,
                                                                       G_MAXINT64));
      json_object_set_int_member (object, "bytes_received",
                                  (gint64) MIN (live->bytes_received, G_MAXINT64));
      json_object_set_object_member (root, "live", object);
    }

  attacker = hl_trace_get_attacker (trace);
  if (attacker == NULL)
    json_object_set_null_member (root, "attacker");
  else
    {
      JsonObject *object = json_object_new ();

      set_hex (object, "ca_certificate", attacker->ca_certificate);
      json_object_set_array_member (object, "chain", chain_to_json (attacker->chain));
      json_object_set_boolean_member (object, "trusted", attacker->trusted);
      json_object_set_boolean_member (object, "unchecked", attacker->unchecked);
      json_object_set_object_member (root, "attacker", object);
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

/**
 * hl_trace_to_data:
 * @trace: a trace
 * @length: (out) (optional): the length of the text, without the terminating NUL
 *
 * Returns: (transfer full): @trace as pretty-printed JSON text ending in a newline
 */
char *
hl_trace_to_data (HlTrace *trace, gsize *length)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize size = 0;
  char *data;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);

  root = hl_trace_to_json (trace);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &size);

  data = g_malloc (size + 2);
  memcpy (data, text, size);
  data[size] = '\n';
  data[size + 1] = '\0';
  gnutls_memset (text, 0, size);
  if (length != NULL)
    *length = size + 1;
  return data;
}

/**
 * hl_trace_save:
 * @trace: a trace
 * @file: where to write it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @trace to @file atomically (a temporary file renamed over the destination), readable
 * only by the user when it is created: the trace holds secrets and the demo server key.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_save (HlTrace *trace, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;
  gboolean ok;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = hl_trace_to_data (trace, &length);
  /* REPLACE_DESTINATION so an existing file ends up private too, not just a new one */
  ok = g_file_replace_contents (file, data, length, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, error);
  gnutls_memset (data, 0, length);
  return ok;
}

/* Scanning: a strict RFC 8259 check before json-glib sees the text.
 *
 * json-glib 1.6 recurses once per nesting level (100 000 '[' crash it), wraps integers that
 * overflow 64 bits (99999999999999999999999 becomes -1), accepts comments, single quotes, hex
 * numbers and a second document after the first, and turns \u0000 into the end of the string.
 * This loop keeps an explicit stack, so it has no recursion, and rejects all of that, counting
 * values so a small hostile document cannot make json-glib allocate without bound. */

typedef enum
{
  SCAN_VALUE,      /* a value must come next */
  SCAN_MEMBER,     /* a member name must come next */
  SCAN_AFTER,      /* a value ended */
} ScanState;

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GError    **error;
} Scanner;

static gboolean scan_fail (Scanner *s, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
scan_fail (Scanner *s, const char *format, ...)
{
  g_autofree char *what = NULL;
  const char *line_start = s->start;
  guint line = 1;
  va_list args;

  for (const char *q = s->start; q < s->p; q++)
    if (*q == '\n')
      {
        line++;
        line_start = q + 1;
      }

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* The text was checked to be UTF-8 before scanning, so the column counts characters. */
  g_set_error (s->error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
               "document: not valid JSON at line %u, column %ld: %s", line,
               g_utf8_pointer_to_offset (line_start, s->p) + 1, what);
  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_unexpected (Scanner *s, const char *expected)
{
  if (s->p >= s->end)
    return scan_fail (s, "the document ends where %s should be", expected);
  return scan_fail (s, "“%.*s” where %s should be",
                    (int) (g_utf8_next_char (s->p) - s->p), s->p, expected);
}

static int
scan_hex4 (Scanner *s)
{
  int value = 0;

  if (s->end - s->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (s->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  s->p += 4;
  return value;
}

static gboolean
scan_string (Scanner *s)
{
  g_assert (*s->p == '"');
  s->p++;

  for (;;)
    {
      guchar c;

      if (s->p >= s->end)
        return scan_fail (s, "the document ends inside a string");
      c = (guchar) *s->p;
      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (s, "control character 0x%02x inside a string", c);
      if (c != '\\')
        {
          s->p++;
          continue;
        }

      s->p++;
      if (s->p >= s->end)
        return scan_fail (s, "the document ends inside a string");
      c = (guchar) *s->p++;
      if (c != '\0' && strchr ("\"\\/bfnrt", c) != NULL)
        continue;
      if (c != 'u')
        {
          s->p--;
          return scan_unexpected (s, "an escape character");
        }
      else
        {
          const char *escape = s->p - 2;
          int unit = scan_hex4 (s);
          int low = 0;

          /* Errors point at the backslash. C strings cannot hold U+0000, and UTF-16
           * surrogates must come in pairs (RFC 8259 §7). */
          if (unit >= 0xd800 && unit <= 0xdbff && s->end - s->p >= 2 && s->p[0] == '\\' &&
              s->p[1] == 'u')
            {
              s->p += 2;
              low = scan_hex4 (s);
            }
          if (unit < 0 || low < 0)
            {
              s->p = escape;
              return scan_fail (s, "\\u needs four hex digits");
            }
          if (unit == 0)
            {
              s->p = escape;
              return scan_fail (s, "\\u0000 is not allowed");
            }
          if ((unit >= 0xdc00 && unit <= 0xdfff) ||
              (unit >= 0xd800 && unit <= 0xdbff && (low < 0xdc00 || low > 0xdfff)))
            {
              s->p = escape;
              return scan_fail (s, "unpaired UTF-16 surrogate \\u%04x", (guint) unit);
            }
        }
    }
}

static gboolean
scan_digits (Scanner *s)
{
  const char *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  if (s->p == first)
    return scan_unexpected (s, "a digit");
  return TRUE;
}

static gboolean
scan_number (Scanner *s)
{
  const char *first = s->p;
  gboolean integer = TRUE;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      integer = FALSE;
      if (!scan_digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      integer = FALSE;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }

  if (integer)
    {
      char digits[24];
      gsize n = s->p - first;

      if (n < sizeof digits)
        {
          memcpy (digits, first, n);
          digits[n] = '\0';
        }
      if (n >= sizeof digits ||
          !g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, NULL, NULL))
        {
          s->p = first;
          return scan_fail (s, "integer out of the 64-bit range");
        }
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner *s)
{
  static const char *const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize n = strlen (literals[i]);

      if ((gsize) (s->end - s->p) >= n && memcmp (s->p, literals[i], n) == 0)
        {
          s->p += n;
          return TRUE;
        }
    }
  return scan_unexpected (s, "a value");
}

static gboolean
scan_document (const char *data, gsize length, GError **error)
{
  Scanner scanner = { data, data, data + length, error };
  Scanner *s = &scanner;
  char stack[HL_TRACE_MAX_DEPTH];  /* '{' or '[' per open container */
  guint depth = 0;
  guint n_values = 0;
  guint n_containers = 0;
  ScanState state = SCAN_VALUE;

  /* RFC 8259 §8.1 lets a parser ignore a byte order mark; json-glib does. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    s->p += 3;
  skip_space (s);
  if (s->p == s->end)
    {
      g_set_error_literal (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
                           "document: empty, this is not a trace");
      return FALSE;
    }

  for (;;)
    {
      skip_space (s);
      switch (state)
        {
        case SCAN_VALUE:
          if (s->p >= s->end)
            return scan_unexpected (s, "a value");
          if (*s->p == '{' || *s->p == '[')
            {
              if (depth == HL_TRACE_MAX_DEPTH)
                return scan_fail (s, "nested deeper than %d levels", HL_TRACE_MAX_DEPTH);
              if (++n_containers > MAX_CONTAINERS)
                return scan_fail (s, "more than %d objects and arrays", MAX_CONTAINERS);
              stack[depth++] = *s->p++;
              skip_space (s);
              if (s->p < s->end && *s->p == (stack[depth - 1] == '{' ? '}' : ']'))
                {
                  s->p++;
                  depth--;
                  state = SCAN_AFTER;
                }
              else
                state = stack[depth - 1] == '{' ? SCAN_MEMBER : SCAN_VALUE;
              continue;
            }
          if (*s->p == '"')
            {
              if (!scan_string (s))
                return FALSE;
            }
          else if (*s->p == '-' || g_ascii_isdigit (*s->p))
            {
              if (!scan_number (s))
                return FALSE;
            }
          else if (!scan_literal (s))
            return FALSE;
          state = SCAN_AFTER;
          break;

        case SCAN_MEMBER:
          if (s->p >= s->end || *s->p != '"')
            return scan_unexpected (s, "a member name in quotes");
          if (!scan_string (s))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return scan_unexpected (s, "“:”");
          s->p++;
          state = SCAN_VALUE;
          break;

        case SCAN_AFTER:
          if (++n_values > MAX_VALUES)
            return scan_fail (s, "more than %d values", MAX_VALUES);
          if (depth == 0)
            {
              if (s->p != s->end)
                return scan_fail (s, "more data after the end of the document");
              return TRUE;
            }
          if (s->p < s->end && *s->p == ',')
            {
              s->p++;
              state = stack[depth - 1] == '{' ? SCAN_MEMBER : SCAN_VALUE;
            }
          else if (s->p < s->end && *s->p == (stack[depth - 1] == '{' ? '}' : ']'))
            {
              s->p++;
              depth--;
            }
          else
            return scan_unexpected (s, stack[depth - 1] == '{' ? "“,” or “}”" : "“,” or “]”");
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* Reading
 *
 * A Reader walks the tree with the JSON path of where it is, so every message names the member
 * ("events[3].side: unknown value “martian”"). The first error sticks: once one is set, every
 * read_*() returns FALSE and leaves its output alone, so a struct reader can read all its members
 * in a row and check once at the end. */

typedef enum
{
  MEMBER_REQUIRED = 0,
  MEMBER_NULLABLE = 1 << 0,   /* JSON null stands for NULL */
  MEMBER_OPTIONAL = 1 << 1,   /* may be absent: members added after format_version 1 */
} MemberFlags;

typedef enum
{
  TYPE_STRING,
  TYPE_INTEGER,
  TYPE_BOOLEAN,
  TYPE_OBJECT,
  TYPE_ARRAY,
} ValueType;

typedef struct
{
  GString *path;   /* of the object being read: "", "events[3]", "events[3].alert" */
  GError  *error;
  gint64   version; /* format_version of the document */
} Reader;

static gboolean fail (Reader *r, int code, const char *member, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
fail (Reader *r, int code, const char *member, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (r->error != NULL)
    return FALSE;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (member == NULL)
    g_set_error (&r->error, HL_TRACE_ERROR, code, "%s: %s",
                 r->path->len > 0 ? r->path->str : "document", what);
  else
    g_set_error (&r->error, HL_TRACE_ERROR, code, "%s%s%s: %s", r->path->str,
                 r->path->len > 0 ? "." : "", member, what);
  return FALSE;
}

#define invalid(r, member, ...) fail (r, HL_TRACE_ERROR_INVALID, member, __VA_ARGS__)

static gsize
enter (Reader *r, const char *member, gint64 index)
{
  gsize saved = r->path->len;

  if (member != NULL)
    g_string_append_printf (r->path, "%s%s", r->path->len > 0 ? "." : "", member);
  if (index >= 0)
    g_string_append_printf (r->path, "[%" G_GINT64_FORMAT "]", index);
  return saved;
}

static void
leave (Reader *r, gsize saved)
{
  g_string_truncate (r->path, saved);
}

/* “value”, cut short; for messages. */
static char *
quote (const char *str)
{
  if (g_utf8_strlen (str, -1) <= QUOTE_MAX_CHARS)
    return g_strdup_printf ("“%s”", str);
  else
    {
      g_autofree char *start = g_utf8_substring (str, 0, QUOTE_MAX_CHARS);

      return g_strdup_printf ("“%s…”", start);
    }
}

static const char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_INT64:
          return "an integer";
        case G_TYPE_DOUBLE:
          return "a fractional number";
        case G_TYPE_BOOLEAN:
          return "a boolean";
        default:
          return "an unknown value";
        }
    }
}

static gboolean
node_has_type (JsonNode *node, ValueType type)
{
  switch (type)
    {
    case TYPE_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    case TYPE_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    case TYPE_STRING:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
    case TYPE_INTEGER:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
    case TYPE_BOOLEAN:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    default:
      g_assert_not_reached ();
    }
}

static const char *
describe_type (ValueType type)
{
  static const char *const names[] = { "a string", "an integer", "a boolean", "an object",
                                       "an array" };

  return names[type];
}

/* Checks that @node (an array element, or a member found by get_member) has @type. */
static gboolean
check_node (Reader *r, const char *member, JsonNode *node, ValueType type)
{
  if (node_has_type (node, type))
    {
      /* Strings come from validated JSON text; a tree built by a caller is checked here. */
      if (type == TYPE_STRING && !g_utf8_validate (json_node_get_string (node), -1, NULL))
        return invalid (r, member, "not valid UTF-8");
      return TRUE;
    }
  return invalid (r, member, "expected %s, found %s", describe_type (type), describe_node (node));
}

/* Looks up @name. On success *out is the member's node, or NULL when it is null (and
 * MEMBER_NULLABLE) or absent (and MEMBER_OPTIONAL). */
static gboolean
get_member (Reader *r, JsonObject *object, const char *name, ValueType type, MemberFlags flags,
            JsonNode **out)
{
  JsonNode *node;

  *out = NULL;
  if (r->error != NULL)
    return FALSE;

  node = json_object_get_member (object, name);
  if (node == NULL)
    {
      if (flags & MEMBER_OPTIONAL)
        return TRUE;
      return invalid (r, name, "missing");
    }
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (flags & MEMBER_NULLABLE)
        return TRUE;
      return invalid (r, name, "expected %s, found null", describe_type (type));
    }
  if (!check_node (r, name, node, type))
    return FALSE;
  *out = node;
  return TRUE;
}

static gboolean
read_string (Reader *r, JsonObject *object, const char *name, MemberFlags flags, char **out)
{
  JsonNode *node;

  if (!get_member (r, object, name, TYPE_STRING, flags, &node))
    return FALSE;
  *out = node != NULL ? g_strdup (json_node_get_string (node)) : NULL;
  return TRUE;
}

static gboolean
read_int (Reader *r, JsonObject *object, const char *name, gint64 min, gint64 max, gint64 *out)
{
  JsonNode *node;
  gint64 value;

  if (!get_member (r, object, name, TYPE_INTEGER, MEMBER_REQUIRED, &node))
    return FALSE;
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      if (min == max)
        return invalid (r, name, "%" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, value, min);
      return invalid (r, name, "%" G_GINT64_FORMAT " is out of range %" G_GINT64_FORMAT
                      "…%" G_GINT64_FORMAT, value, min, max);
    }
  *out = value;
  return TRUE;
}

static gboolean
read_uint (Reader *r, JsonObject *object, const char *name, gint64 min, gint64 max, guint *out)
{
  gint64 value;

  g_assert (min >= 0 && max <= G_MAXUINT);
  if (!read_int (r, object, name, min, max, &value))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

static gboolean
read_bool (Reader *r, JsonObject *object, const char *name, gboolean *out)
{
  JsonNode *node;

  if (!get_member (r, object, name, TYPE_BOOLEAN, MEMBER_REQUIRED, &node))
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

#define DEFINE_READ_ENUM(Type, what, from_string)                                              \
  static gboolean                                                                              \
  read_##what (Reader *r, JsonObject *object, const char *name, Type *out)                     \
  {                                                                                            \
    JsonNode *node;                                                                            \
    const char *str;                                                                           \
                                                                                               \
    if (!get_member (r, object, name, TYPE_STRING, MEMBER_REQUIRED, &node))                    \
      return FALSE;                                                                            \
    str = json_node_get_string (node);                                                         \
    if (!from_string (str, out))                                                               \
      {                                                                                        \
        g_autofree char *quoted = quote (str);                                                 \
                                                                                               \
        return invalid (r, name, "unknown value %s", quoted);                                  \
      }                                                                                        \
    return TRUE;                                                                               \
  }

DEFINE_READ_ENUM (HlSide, side, hl_side_from_string)
DEFINE_READ_ENUM (HlEventKind, kind, hl_event_kind_from_string)
DEFINE_READ_ENUM (HlEpoch, epoch, hl_epoch_from_string)
DEFINE_READ_ENUM (HlCheck, check, hl_check_from_string)
DEFINE_READ_ENUM (HlSource, source, hl_source_from_string)
DEFINE_READ_ENUM (HlMoment, moment, hl_moment_from_string)

/* Decodes the hex string in @node; @member names it in messages (NULL: the path is enough). */
static GBytes *
decode_hex (Reader *r, const char *member, JsonNode *node)
{
  const char *hex;
  gsize length;
  guint8 *data;

  if (!check_node (r, member, node, TYPE_STRING))
    return NULL;
  hex = json_node_get_string (node);
  length = strlen (hex);

  if (length / 2 > HL_TRACE_MAX_FIELD_SIZE)
    {
      invalid (r, member, "%" G_GSIZE_FORMAT " bytes, more than the %d allowed", length / 2,
               HL_TRACE_MAX_FIELD_SIZE);
      return NULL;
    }
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (hex[i]))
      {
        invalid (r, member, "“%.*s” at position %" G_GSIZE_FORMAT " is not a hex digit",
                 (int) (g_utf8_next_char (hex + i) - (hex + i)), hex + i, i);
        return NULL;
      }
  if (length % 2 != 0)
    {
      invalid (r, member, "odd number of hex digits (%" G_GSIZE_FORMAT ")", length);
      return NULL;
    }

  data = g_malloc (length / 2);
  for (gsize i = 0; i < length / 2; i++)
    data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 |
                        g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (data, length / 2);
}

static gboolean
read_hex (Reader *r, JsonObject *object, const char *name, MemberFlags flags, GBytes **out)
{
  JsonNode *node;
  GBytes *bytes;

  if (!get_member (r, object, name, TYPE_STRING, flags, &node))
    return FALSE;
  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }
  bytes = decode_hex (r, name, node);
  if (bytes == NULL)
    return FALSE;
  *out = bytes;
  return TRUE;
}

static gboolean
read_array (Reader *r, JsonObject *object, const char *name, MemberFlags flags, guint max,
            const char *what, JsonArray **out)
{
  JsonNode *node;
  JsonArray *array;

  if (!get_member (r, object, name, TYPE_ARRAY, flags, &node))
    return FALSE;
  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > max)
    return invalid (r, name, "%u %s, more than the %u allowed", json_array_get_length (array),
                    what, max);
  *out = array;
  return TRUE;
}

static gboolean
read_object (Reader *r, JsonObject *object, const char *name, MemberFlags flags,
             JsonObject **out)
{
  JsonNode *node;

  if (!get_member (r, object, name, TYPE_OBJECT, flags, &node))
    return FALSE;
  *out = node != NULL ? json_node_get_object (node) : NULL;
  return TRUE;
}

/* The element @index of @array as an object; the reader's path must already name the element. */
static JsonObject *
element_object (Reader *r, JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!check_node (r, NULL, node, TYPE_OBJECT))
    return NULL;
  return json_node_get_object (node);
}

static gboolean
read_strv (Reader *r, JsonObject *object, const char *name, MemberFlags flags, GStrv *out)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = NULL;
  gsize saved;

  if (!read_array (r, object, name, flags, MAX_INPUTS, "entries", &array))
    return FALSE;
  if (array == NULL)
    {
      *out = NULL;
      return TRUE;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      saved = enter (r, name, i);
      check_node (r, NULL, node, TYPE_STRING);
      leave (r, saved);
      if (r->error != NULL)
        return FALSE;
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_chain (Reader *r, JsonObject *object, const char *name, GPtrArray **out)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  JsonArray *array;

  if (!read_array (r, object, name, MEMBER_REQUIRED, MAX_CHAIN, "certificates", &array))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gsize saved = enter (r, name, i);
      GBytes *der = decode_hex (r, NULL, json_array_get_element (array, i));

      leave (r, saved);
      if (der == NULL)
        return FALSE;
      g_ptr_array_add (chain, der);
    }
  *out = g_steal_pointer (&chain);
  return TRUE;
}

/* ISO 8601 as format_created() writes it: YYYY-MM-DDTHH:MM:SS[.f…]Z, one to six fraction
 * digits. Parsed by hand: g_date_time_new_from_iso8601() goes through a double and may be a
 * microsecond off. */
static gboolean
parse_created (const char *str, gint64 *out)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd:dd";
  g_autoptr(GDateTime) date = NULL;
  int fields[6] = { 0 };
  int field = 0;
  gint64 usec = 0;
  const char *p = str;

  for (guint i = 0; i < sizeof pattern - 1; i++, p++)
    {
      if (pattern[i] == 'd')
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          fields[field] = fields[field] * 10 + (*p - '0');
        }
      else if (*p != pattern[i])
        return FALSE;
      else
        field++;
    }
  if (*p == '.')
    {
      int n = 0;

      for (p++; g_ascii_isdigit (*p); p++, n++)
        if (n < 6)
          usec = usec * 10 + (*p - '0');
      if (n < 1 || n > 6)
        return FALSE;
      for (; n < 6; n++)
        usec *= 10;
    }
  if (p[0] != 'Z' || p[1] != '\0')
    return FALSE;

  date = g_date_time_new_utc (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
  if (date == NULL)
    return FALSE;
  *out = g_date_time_to_unix (date) * G_USEC_PER_SEC + usec;
  return TRUE;
}

/* Reads events[index]. @previous_timestamp is the previous event's (0 for the first). */
static HlEvent *
read_event (Reader *r, JsonObject *object, guint index, guint n_handshakes, guint n_events,
            gint64 previous_timestamp)
{
  g_autoptr(HlEvent) event = NULL;
  g_autofree char *name = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *technical = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  JsonObject *alert = NULL;
  gint64 position = 0;
  gint64 timestamp = 0;
  gint64 handshake_type = -1;
  gint64 record = -1;
  HlEventKind kind = HL_EVENT_NOTE;
  HlSide side = HL_SIDE_NONE;
  HlSide peer = HL_SIDE_NONE;
  HlEpoch epoch = HL_EPOCH_PLAINTEXT;
  HlCheck check = HL_CHECK_NONE;
  guint handshake = 0;
  guint content_type = 0;
  guint inner_type = 0;
  guint level = 0;
  guint description = 0;
  HlMoment moment = HL_MOMENT_NONE;
  gint64 sent = -1;
  gint64 forwarded = -1;

  if (read_int (r, object, "index", 0, G_MAXINT64, &position) && position != index)
    invalid (r, "index", "%" G_GINT64_FORMAT ", expected %u (its position in events)",
             position, index);
  read_kind (r, object, "kind", &kind);
  read_side (r, object, "side", &side);
  read_side (r, object, "peer", &peer);
  read_uint (r, object, "handshake", 0, n_handshakes - 1, &handshake);
  if (read_int (r, object, "timestamp_us", 0, G_MAXINT64, &timestamp) &&
      timestamp < previous_timestamp)
    invalid (r, "timestamp_us", "%" G_GINT64_FORMAT " is earlier than the previous event's %"
             G_GINT64_FORMAT, timestamp, previous_timestamp);
  read_string (r, object, "name", MEMBER_REQUIRED, &name);
  read_string (r, object, "caption", MEMBER_REQUIRED, &caption);
  read_string (r, object, "technical", MEMBER_REQUIRED, &technical);
  read_epoch (r, object, "epoch", &epoch);
  read_uint (r, object, "content_type", 0, 255, &content_type);
  read_int (r, object, "handshake_type", -1, 255, &handshake_type);
  /* A message points back at the record that carried it, which came earlier (or is -1). */
  read_int (r, object, "record", -1, (gint64) index - 1, &record);
  if (read_object (r, object, "alert", MEMBER_NULLABLE, &alert) && alert != NULL)
    {
      gsize saved = enter (r, "alert", -1);

      /* RFC 5246 §7.2: warning(1), fatal(2); the description is one byte. */
      read_uint (r, alert, "level", 1, 2, &level);
      read_uint (r, alert, "description", 0, 255, &description);
      leave (r, saved);
    }
  read_check (r, object, "check", &check);
  read_hex (r, object, "bytes", MEMBER_NULLABLE, &bytes);
  read_hex (r, object, "plaintext", MEMBER_NULLABLE, &plaintext);
  /* added after format_version 1 was first written: optional */
  if (json_object_has_member (object, "inner_type"))
    read_uint (r, object, "inner_type", 0, 255, &inner_type);
  /* attack scenarios only (where it is checked against the attacker, read_trace ()) */
  if (json_object_has_member (object, "forwarded") &&
      read_int (r, object, "forwarded", -1, (gint64) n_events - 1, &forwarded) &&
      forwarded == (gint64) index)
    invalid (r, "forwarded", "%" G_GINT64_FORMAT ": an event cannot forward itself", forwarded);
  if (r->version >= 2)
    {
      JsonNode *node = NULL;

      read_moment (r, object, "moment", &moment);
      if (get_member (r, object, "sent_us", TYPE_INTEGER, MEMBER_NULLABLE, &node) && node &&
          read_int (r, object, "sent_us", 0, G_MAXINT64, &sent) && sent > timestamp)
        invalid (r, "sent_us", "%" G_GINT64_FORMAT " is later than the event's timestamp_us %"
                 G_GINT64_FORMAT, sent, timestamp);
    }
  if (r->error != NULL)
    return NULL;

  event = hl_event_new (kind, side, peer, name);
  hl_event_set_handshake (event, handshake);
  hl_event_set_timestamp (event, timestamp);
  hl_event_set_caption (event, caption);
  hl_event_set_technical (event, technical);
  hl_event_set_epoch (event, epoch);
  hl_event_set_content_type (event, content_type);
  hl_event_set_handshake_type (event, (int) handshake_type);
  hl_event_set_record (event, (int) record);
  hl_event_set_alert (event, level, description);
  hl_event_set_check (event, check);
  hl_event_set_bytes (event, bytes);
  hl_event_set_plaintext (event, plaintext);
  hl_event_set_inner_type (event, inner_type);
  hl_event_set_moment (event, moment, sent);
  hl_event_set_forwarded (event, (int) forwarded);
  return g_steal_pointer (&event);
}

static HlSecret *
read_secret (Reader *r, JsonObject *object, guint n_handshakes)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GBytes) value = NULL;
  g_autofree char *formula = NULL;
  g_auto(GStrv) inputs = NULL;
  g_autofree char *note = NULL;
  HlSide holder = HL_SIDE_NONE;
  HlSource source = HL_SOURCE_LIBRARY;
  HlCheck check = HL_CHECK_NONE;
  guint handshake = 0;
  HlSecret *secret;

  read_string (r, object, "name", MEMBER_REQUIRED, &name);
  read_string (r, object, "label", MEMBER_REQUIRED, &label);
  read_side (r, object, "holder", &holder);
  read_source (r, object, "source", &source);
  read_uint (r, object, "handshake", 0, n_handshakes - 1, &handshake);
  read_check (r, object, "check", &check);
  read_string (r, object, "formula", MEMBER_NULLABLE, &formula);
  read_strv (r, object, "inputs", MEMBER_NULLABLE, &inputs);
  read_string (r, object, "note", MEMBER_NULLABLE, &note);
  read_hex (r, object, "value", MEMBER_NULLABLE, &value);
  if (r->error != NULL)
    return NULL;

  secret = hl_secret_new (name, label, value, holder, source, handshake);
  secret->formula = g_steal_pointer (&formula);
  secret->inputs = g_steal_pointer (&inputs);
  secret->check = check;
  secret->note = g_steal_pointer (&note);
  return secret;
}

static HlNegotiated *
read_negotiated (Reader *r, JsonObject *object, guint n_handshakes)
{
  HlNegotiated *negotiated = g_new0 (HlNegotiated, 1);

  read_uint (r, object, "handshake", 0, n_handshakes - 1, &negotiated->handshake);
  read_string (r, object, "version", MEMBER_NULLABLE, &negotiated->version);
  read_string (r, object, "cipher_suite", MEMBER_NULLABLE, &negotiated->cipher_suite);
  read_string (r, object, "kx", MEMBER_NULLABLE, &negotiated->kx);
  read_string (r, object, "cipher", MEMBER_NULLABLE, &negotiated->cipher);
  read_string (r, object, "mac", MEMBER_NULLABLE, &negotiated->mac);
  read_string (r, object, "group", MEMBER_NULLABLE, &negotiated->group);
  read_string (r, object, "signature", MEMBER_NULLABLE, &negotiated->signature);
  read_bool (r, object, "ems", &negotiated->ems);
  read_bool (r, object, "etm", &negotiated->etm);
  read_bool (r, object, "resumed", &negotiated->resumed);
  read_bool (r, object, "client_auth", &negotiated->client_auth);
  read_hex (r, object, "client_random", MEMBER_NULLABLE, &negotiated->client_random);
  read_hex (r, object, "server_random", MEMBER_NULLABLE, &negotiated->server_random);
  read_hex (r, object, "session_id", MEMBER_NULLABLE, &negotiated->session_id);
  if (r->error != NULL)
    {
      hl_negotiated_free (negotiated);
      return NULL;
    }
  return negotiated;
}

static HlVerification *
read_verification (Reader *r, JsonObject *object, guint n_handshakes)
{
  HlVerification *verification = g_new0 (HlVerification, 1);
  gint64 rc = 0;

  read_uint (r, object, "handshake", 0, n_handshakes - 1, &verification->handshake);
  read_side (r, object, "verifier", &verification->verifier);
  if (read_int (r, object, "rc", G_MININT, G_MAXINT, &rc))
    verification->rc = (int) rc;
  read_uint (r, object, "status", 0, G_MAXUINT32, &verification->status);
  read_bool (r, object, "trusted", &verification->trusted);
  read_string (r, object, "hostname", MEMBER_NULLABLE, &verification->hostname);
  read_string (r, object, "text", MEMBER_NULLABLE, &verification->text);
  if (r->error != NULL)
    {
      hl_verification_free (verification);
      return NULL;
    }
  return verification;
}

static gboolean
read_outcome (Reader *r, JsonObject *root, HlTrace *trace)
{
  JsonObject *object;
  HlOutcome outcome = { 0, };
  gsize saved;

  if (!read_object (r, root, "outcome", MEMBER_REQUIRED, &object))
    return FALSE;

  saved = enter (r, "outcome", -1);
  read_bool (r, object, "client_ok", &outcome.client_ok);
  read_bool (r, object, "server_ok", &outcome.server_ok);
  read_string (r, object, "client_error", MEMBER_NULLABLE, &outcome.client_error);
  read_string (r, object, "server_error", MEMBER_NULLABLE, &outcome.server_error);
  read_side (r, object, "alert_sender", &outcome.alert_sender);
  read_uint (r, object, "alert", 0, 255, &outcome.alert);
  leave (r, saved);

  if (r->error == NULL)
    hl_trace_set_outcome (trace, &outcome);
  g_free (outcome.client_error);
  g_free (outcome.server_error);
  return r->error == NULL;
}

static gboolean
read_certificates (Reader *r, JsonObject *root, HlTrace *trace)
{
  g_autoptr(GPtrArray) server_chain = NULL;
  g_autoptr(GPtrArray) client_chain = NULL;
  g_autoptr(GBytes) ca = NULL;
  JsonObject *object;
  gsize saved;

  if (!read_object (r, root, "certificates", MEMBER_REQUIRED, &object))
    return FALSE;

  saved = enter (r, "certificates", -1);
  read_chain (r, object, "server_chain", &server_chain);
  read_chain (r, object, "client_chain", &client_chain);
  read_hex (r, object, "ca", MEMBER_NULLABLE, &ca);
  leave (r, saved);
  if (r->error != NULL)
    return FALSE;

  for (guint i = 0; i < server_chain->len; i++)
    hl_trace_add_server_certificate (trace, g_ptr_array_index (server_chain, i));
  for (guint i = 0; i < client_chain->len; i++)
    hl_trace_add_client_certificate (trace, g_ptr_array_index (client_chain, i));
  hl_trace_set_ca_certificate (trace, ca);
  return TRUE;
}

static gboolean
read_server_key (Reader *r, JsonObject *root, HlTrace *trace)
{
  JsonNode *node = json_object_get_member (root, "server_key");
  g_autoptr(GBytes) key = NULL;

  if (r->error != NULL)
    return FALSE;
  if (node == NULL)
    return invalid (r, "server_key", "missing");

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      gsize saved = enter (r, "server_key", -1);

      read_hex (r, json_node_get_object (node), "hex", MEMBER_REQUIRED, &key);
      leave (r, saved);
      if (key == NULL)
        return FALSE;
    }
  else if (check_node (r, "server_key", node, TYPE_STRING))
    {
      const char *pem = json_node_get_string (node);

      key = g_bytes_new (pem, strlen (pem));
    }
  else
    return FALSE;

  hl_trace_set_server_key (trace, key);
  return TRUE;
}

/* Added after format_version 1 was first written: optional, and null for in-memory traces. */
static gboolean
read_live (Reader *r, JsonObject *root, HlTrace *trace)
{
  JsonNode *node = json_object_get_member (root, "live");
  g_autoptr(HlLive) live = NULL;
  JsonObject *object;
  gint64 sent = 0, received = 0;
  gsize saved;

  if (r->error != NULL)
    return FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!check_node (r, "live", node, TYPE_OBJECT))
    return FALSE;
  object = json_node_get_object (node);
  live = g_new0 (HlLive, 1);
  saved = enter (r, "live", -1);
  if (read_side (r, object, "local", &live->local) &&
      live->local != HL_SIDE_CLIENT && live->local != HL_SIDE_SERVER)
    invalid (r, "local", "“%s”, expected “client” or “server”", hl_side_to_string (live->local));
  read_string (r, object, "address", MEMBER_NULLABLE, &live->address);
  read_string (r, object, "server_name", MEMBER_NULLABLE, &live->server_name);
  read_string (r, object, "software", MEMBER_NULLABLE, &live->software);
  read_string (r, object, "trust", MEMBER_NULLABLE, &live->trust);
  read_bool (r, object, "truncated", &live->truncated);
  read_int (r, object, "bytes_sent", 0, G_MAXINT64, &sent);
  read_int (r, object, "bytes_received", 0, G_MAXINT64, &received);
  leave (r, saved);
  if (r->error != NULL)
    return FALSE;
  live->bytes_sent = (guint64) sent;
  live->bytes_received = (guint64) received;
  hl_trace_set_live (trace, live);
  return TRUE;
}

/* Added with the attack scenarios: optional, and null when nobody sits in the middle. */
static gboolean
read_attacker (Reader *r, JsonObject *root, HlTrace *trace)
{
  JsonNode *node = json_object_get_member (root, "attacker");
  g_autoptr(HlAttacker) attacker = NULL;
  JsonObject *object;
  gsize saved;

  if (r->error != NULL)
    return FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!check_node (r, "attacker", node, TYPE_OBJECT))
    return FALSE;
  object = json_node_get_object (node);
  attacker = g_new0 (HlAttacker, 1);
  saved = enter (r, "attacker", -1);
  read_hex (r, object, "ca_certificate", MEMBER_NULLABLE, &attacker->ca_certificate);
  read_chain (r, object, "chain", &attacker->chain);
  read_bool (r, object, "trusted", &attacker->trusted);
  read_bool (r, object, "unchecked", &attacker->unchecked);
  leave (r, saved);
  if (r->error != NULL)
    return FALSE;
  if (hl_trace_get_n_handshakes (trace) != 2)
    return invalid (r, "attacker", "present, but n_handshakes is %u: an attacker in the middle "
                    "runs exactly two connections", hl_trace_get_n_handshakes (trace));
  hl_trace_set_attacker (trace, attacker);
  return TRUE;
}

/* The attacker appears only where the trace says one sits in the middle, and what it forwards
 * comes from its other connection. */
static gboolean
check_attacker_members (Reader *r, HlTrace *trace)
{
  gboolean attacker = hl_trace_get_attacker (trace) != NULL;
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  GPtrArray *verifications = hl_trace_get_verifications (trace);
  gsize saved;

  if (r->error != NULL)
    return FALSE;
  for (guint i = 0; i < hl_trace_get_n_events (trace) && r->error == NULL; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int forwarded = hl_event_get_forwarded (event);

      saved = enter (r, "events", i);
      if (!attacker && hl_event_get_side (event) == HL_SIDE_ATTACKER)
        invalid (r, "side", "“attacker”, but the trace has no attacker");
      else if (!attacker && hl_event_get_peer (event) == HL_SIDE_ATTACKER)
        invalid (r, "peer", "“attacker”, but the trace has no attacker");
      else if (forwarded >= 0 && !attacker)
        invalid (r, "forwarded", "%d, but the trace has no attacker to forward anything",
                 forwarded);
      else if (forwarded >= 0 &&
               hl_event_get_handshake (hl_trace_get_event (trace, (guint) forwarded)) ==
                 hl_event_get_handshake (event))
        invalid (r, "forwarded", "%d is on the same connection (handshake %u)", forwarded,
                 hl_event_get_handshake (event));
      leave (r, saved);
    }
  for (guint i = 0; i < secrets->len && r->error == NULL && !attacker; i++)
    if (((HlSecret *) g_ptr_array_index (secrets, i))->holder == HL_SIDE_ATTACKER)
      {
        saved = enter (r, "secrets", i);
        invalid (r, "holder", "“attacker”, but the trace has no attacker");
        leave (r, saved);
      }
  for (guint i = 0; i < verifications->len && r->error == NULL && !attacker; i++)
    if (((HlVerification *) g_ptr_array_index (verifications, i))->verifier == HL_SIDE_ATTACKER)
      {
        saved = enter (r, "verifications", i);
        invalid (r, "verifier", "“attacker”, but the trace has no attacker");
        leave (r, saved);
      }
  if (r->error == NULL && !attacker &&
      hl_trace_get_outcome (trace)->alert_sender == HL_SIDE_ATTACKER)
    {
      saved = enter (r, "outcome", -1);
      invalid (r, "alert_sender", "“attacker”, but the trace has no attacker");
      leave (r, saved);
    }
  return r->error == NULL;
}

static HlTrace *
read_trace (Reader *r, JsonNode *root_node)
{
  g_autoptr(HlTrace) trace = NULL;
  g_autofree char *format = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *library_version = NULL;
  g_autofree char *created_text = NULL;
  JsonObject *root;
  JsonNode *version;
  JsonArray *events;
  JsonArray *items;
  gint64 created = 0;
  guint n_handshakes = 1;
  gint64 timestamp = 0;
  GPtrArray *all_negotiated;

  if (root_node == NULL)
    {
      invalid (r, NULL, "empty, this is not a trace");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      invalid (r, NULL, "expected an object, found %s; this is not a trace",
               describe_node (root_node));
      return NULL;
    }
  root = json_node_get_object (root_node);

  /* What the file is, and which version, before anything else: a future version may have
   * changed everything after these two members. */
  if (read_string (r, root, "format", MEMBER_REQUIRED, &format) &&
      !g_str_equal (format, HL_TRACE_FORMAT_NAME))
    {
      g_autofree char *quoted = quote (format);

      invalid (r, "format", "%s, expected “%s”; this is not a Handshake Lens trace", quoted,
               HL_TRACE_FORMAT_NAME);
    }
  if (get_member (r, root, "format_version", TYPE_INTEGER, MEMBER_REQUIRED, &version))
    {
      r->version = json_node_get_int (version);
      if (r->version < 1 || r->version > HL_TRACE_FORMAT_VERSION)
        fail (r, HL_TRACE_ERROR_VERSION, "format_version",
              "unsupported version %" G_GINT64_FORMAT "; this version of Handshake Lens reads "
              "versions 1 to %d", r->version, HL_TRACE_FORMAT_VERSION);
    }

  read_string (r, root, "scenario", MEMBER_NULLABLE, &scenario);
  read_string (r, root, "title", MEMBER_NULLABLE, &title);
  read_string (r, root, "description", MEMBER_NULLABLE, &description);
  read_string (r, root, "library_version", MEMBER_NULLABLE, &library_version);
  if (read_string (r, root, "created", MEMBER_REQUIRED, &created_text) &&
      !parse_created (created_text, &created))
    {
      g_autofree char *quoted = quote (created_text);

      invalid (r, "created", "%s is not a date and time like “2024-05-01T12:00:00Z”", quoted);
    }
  read_uint (r, root, "n_handshakes", 1, HL_TRACE_MAX_HANDSHAKES, &n_handshakes);
  if (r->error != NULL)
    return NULL;

  trace = hl_trace_new (scenario, title, description);
  hl_trace_set_order_approximate (trace, r->version < 2);
  hl_trace_set_library_version (trace, library_version);
  hl_trace_set_created (trace, created);
  hl_trace_set_n_handshakes (trace, n_handshakes);

  if (read_array (r, root, "events", MEMBER_REQUIRED, HL_TRACE_MAX_EVENTS, "events", &events))
    for (guint i = 0; i < json_array_get_length (events) && r->error == NULL; i++)
      {
        gsize saved = enter (r, "events", i);
        JsonObject *object = element_object (r, events, i);
        HlEvent *event = object ? read_event (r, object, i, n_handshakes,
                                              json_array_get_length (events), timestamp)
                                : NULL;

        leave (r, saved);
        if (event != NULL)
          {
            timestamp = hl_event_get_timestamp (event);
            hl_trace_append (trace, event);
          }
      }

  if (read_array (r, root, "secrets", MEMBER_REQUIRED, MAX_SECRETS, "secrets", &items))
    for (guint i = 0; i < json_array_get_length (items) && r->error == NULL; i++)
      {
        gsize saved = enter (r, "secrets", i);
        JsonObject *object = element_object (r, items, i);
        HlSecret *secret = object ? read_secret (r, object, n_handshakes) : NULL;

        leave (r, saved);
        if (secret != NULL)
          hl_trace_add_secret (trace, secret);
      }

  if (read_array (r, root, "negotiated", MEMBER_REQUIRED, n_handshakes,
                  "entries (at most one per handshake)", &items))
    for (guint i = 0; i < json_array_get_length (items) && r->error == NULL; i++)
      {
        gsize saved = enter (r, "negotiated", i);
        JsonObject *object = element_object (r, items, i);
        HlNegotiated *negotiated = object ? read_negotiated (r, object, n_handshakes) : NULL;

        leave (r, saved);
        if (negotiated != NULL)
          hl_trace_add_negotiated (trace, negotiated);
      }

  if (read_array (r, root, "verifications", MEMBER_REQUIRED, MAX_VERIFICATIONS, "verifications",
                  &items))
    for (guint i = 0; i < json_array_get_length (items) && r->error == NULL; i++)
      {
        gsize saved = enter (r, "verifications", i);
        JsonObject *object = element_object (r, items, i);
        HlVerification *verification = object ? read_verification (r, object, n_handshakes)
                                              : NULL;

        leave (r, saved);
        if (verification != NULL)
          hl_trace_add_verification (trace, verification);
      }

  /* Two entries for one handshake would make "what did handshake N negotiate" ambiguous. */
  all_negotiated = hl_trace_get_negotiated (trace);
  for (guint i = 0; i < all_negotiated->len && r->error == NULL; i++)
    for (guint j = 0; j < i; j++)
      {
        const HlNegotiated *a = g_ptr_array_index (all_negotiated, i);
        const HlNegotiated *b = g_ptr_array_index (all_negotiated, j);

        if (a->handshake == b->handshake)
          {
            gsize saved = enter (r, "negotiated", i);

            invalid (r, "handshake", "%u, already described by negotiated[%u]", a->handshake, j);
            leave (r, saved);
            break;
          }
      }

  read_outcome (r, root, trace);
  read_certificates (r, root, trace);
  read_server_key (r, root, trace);
  read_live (r, root, trace);
  read_attacker (r, root, trace);
  check_attacker_members (r, trace);
  if (r->error != NULL)
    return NULL;

  hl_trace_finish (trace);
  return g_steal_pointer (&trace);
}

/**
 * hl_trace_from_json:
 * @root: (nullable): the root node of a parsed trace file
 * @error: return location for a #GError
 *
 * Builds a finished trace from @root, checking every member. Its created time and library
 * version are those of the file.
 *
 * Returns: (transfer full) (nullable): the trace, or %NULL with @error set in the
 *   %HL_TRACE_ERROR domain, its message naming the JSON path of the offending member
 */
HlTrace *
hl_trace_from_json (JsonNode *root, GError **error)
{
  Reader reader = { g_string_new (NULL), NULL };
  HlTrace *trace;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trace = read_trace (&reader, root);
  g_string_free (reader.path, TRUE);
  g_assert ((trace == NULL) == (reader.error != NULL));
  if (trace == NULL)
    g_propagate_error (error, reader.error);
  return trace;
}

/**
 * hl_trace_load_data:
 * @data: the text of a trace file
 * @length: its length, or -1 if it is NUL-terminated
 * @error: return location for a #GError
 *
 * Parses and checks a trace file. Any input is safe: text larger than
 * %HL_TRACE_MAX_DOCUMENT_SIZE is refused before it is parsed, and the JSON is checked strictly
 * (depth, numbers, encoding) before json-glib builds a tree.
 *
 * Returns: (transfer full) (nullable): a finished trace, or %NULL with @error set:
 *   %HL_TRACE_ERROR_VERSION for a trace of an unsupported format_version,
 *   %HL_TRACE_ERROR_INVALID for anything else
 */
HlTrace *
hl_trace_load_data (const char *data, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  const char *nul;
  gsize size;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length >= 0 ? (gsize) length : strnlen (data, (gsize) HL_TRACE_MAX_DOCUMENT_SIZE + 1);
  if (size > HL_TRACE_MAX_DOCUMENT_SIZE)
    {
      g_set_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
                   "document: larger than the %d MiB a trace may have",
                   HL_TRACE_MAX_DOCUMENT_SIZE / (1024 * 1024));
      return NULL;
    }
  if (size > 0 && (nul = memchr (data, '\0', size)) != NULL)
    {
      g_set_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
                   "document: a NUL byte at offset %" G_GSIZE_FORMAT "; this is not a trace",
                   (gsize) (nul - data));
      return NULL;
    }
  if (size > 0 && !g_utf8_validate_len (data, size, &nul))
    {
      g_set_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
                   "document: not UTF-8 text (offset %" G_GSIZE_FORMAT "); this is not a trace",
                   (gsize) (nul - data));
      return NULL;
    }
  if (!scan_document (size > 0 ? data : "", size, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, &json_error))
    {
      g_set_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID, "document: not valid JSON: %s",
                   json_error->message);
      return NULL;
    }
  return hl_trace_from_json (json_parser_get_root (parser), error);
}

/* Files */

/* Reads at most HL_TRACE_MAX_DOCUMENT_SIZE bytes, whatever the file claims to be. */
static GByteArray *
read_document (GFile *file, GCancellable *cancellable, GError **error)
{
  const gsize chunk = 64 * 1024;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GByteArray) buffer = NULL;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable,
                                         NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
      g_file_info_get_size (info) > HL_TRACE_MAX_DOCUMENT_SIZE)
    goto too_large;

  buffer = g_byte_array_new ();
  for (;;)
    {
      gsize old_len = buffer->len;
      gssize n;

      g_byte_array_set_size (buffer, old_len + chunk);
      n = g_input_stream_read (G_INPUT_STREAM (stream), buffer->data + old_len, chunk,
                               cancellable, error);
      if (n < 0)
        {
          gnutls_memset (buffer->data, 0, buffer->len);
          return NULL;
        }
      g_byte_array_set_size (buffer, old_len + n);
      if (n == 0)
        return g_steal_pointer (&buffer);
      if (buffer->len > HL_TRACE_MAX_DOCUMENT_SIZE)
        {
          gnutls_memset (buffer->data, 0, buffer->len);
          goto too_large;
        }
    }

too_large:
  g_set_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
               "document: larger than the %d MiB a trace may have",
               HL_TRACE_MAX_DOCUMENT_SIZE / (1024 * 1024));
  return NULL;
}

/**
 * hl_trace_load_file:
 * @file: a trace file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads and checks a trace file; see hl_trace_load_data(). Blocks: the UI uses
 * hl_trace_load_file_async().
 *
 * Returns: (transfer full) (nullable): a finished trace, or %NULL with @error set (a
 *   %G_IO_ERROR when the file cannot be read)
 */
HlTrace *
hl_trace_load_file (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr(GByteArray) buffer = NULL;
  HlTrace *trace;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buffer = read_document (file, cancellable, error);
  if (buffer == NULL)
    return NULL;
  trace = hl_trace_load_data ((const char *) buffer->data, buffer->len, error);
  gnutls_memset (buffer->data, 0, buffer->len);
  return trace;
}

static void
load_file_thread (GTask *task, gpointer source_object, gpointer task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  HlTrace *trace = hl_trace_load_file (G_FILE (task_data), cancellable, &error);

  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, g_object_unref);
}

/**
 * hl_trace_load_file_async:
 * @file: a trace file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller when done
 * @user_data: data for @callback
 *
 * Loads @file in a worker thread; finish with hl_trace_load_file_finish().
 */
void
hl_trace_load_file_async (GFile *file, GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_trace_load_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_file_thread);
}

/**
 * hl_trace_load_file_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the trace, or %NULL with @error set
 */
HlTrace *
hl_trace_load_file_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hl_trace_load_file_async,
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Comparison
 *
 * Each same_*() returns TRUE when its values are equal and otherwise writes
 * "<where>.<field>: <a> vs <b>" into @why (when not NULL), naming fields like the file does. */

static gboolean differ (GString *why, const char *where, const char *field, const char *format,
                        ...) G_GNUC_PRINTF (4, 5);

static gboolean
differ (GString *why, const char *where, const char *field, const char *format, ...)
{
  va_list args;

  if (why == NULL)
    return FALSE;
  g_string_append_printf (why, "%s%s%s: ", where, where[0] != '\0' ? "." : "", field);
  va_start (args, format);
  g_string_append_vprintf (why, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
same_int (GString *why, const char *where, const char *field, gint64 a, gint64 b)
{
  if (a == b)
    return TRUE;
  return differ (why, where, field, "%" G_GINT64_FORMAT " vs %" G_GINT64_FORMAT, a, b);
}

static gboolean
same_string (GString *why, const char *where, const char *field, const char *a, const char *b)
{
  g_autofree char *qa = NULL;
  g_autofree char *qb = NULL;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  qa = a != NULL ? quote (a) : g_strdup ("null");
  qb = b != NULL ? quote (b) : g_strdup ("null");
  return differ (why, where, field, "%s vs %s", qa, qb);
}

static gboolean
same_bytes (GString *why, const char *where, const char *field, GBytes *a, GBytes *b)
{
  const guint8 *pa;
  const guint8 *pb;
  gsize na;
  gsize nb;

  if (a == NULL || b == NULL)
    {
      if (a == b)
        return TRUE;
      return differ (why, where, field, "%s vs %s", a ? "bytes" : "null", b ? "bytes" : "null");
    }
  pa = g_bytes_get_data (a, &na);
  pb = g_bytes_get_data (b, &nb);
  for (gsize i = 0; i < MIN (na, nb); i++)
    if (pa[i] != pb[i])
      return differ (why, where, field, "byte %" G_GSIZE_FORMAT " is 0x%02x vs 0x%02x", i, pa[i],
                     pb[i]);
  if (na != nb)
    return differ (why, where, field, "%" G_GSIZE_FORMAT " bytes vs %" G_GSIZE_FORMAT, na, nb);
  return TRUE;
}

static gboolean
same_strv (GString *why, const char *where, const char *field, GStrv a, GStrv b)
{
  guint na;
  guint nb;

  if (a == NULL || b == NULL)
    {
      if (a == b)
        return TRUE;
      return differ (why, where, field, "%s vs %s", a ? "a list" : "null", b ? "a list" : "null");
    }
  na = g_strv_length (a);
  nb = g_strv_length (b);
  for (guint i = 0; i < MIN (na, nb); i++)
    if (!g_str_equal (a[i], b[i]))
      {
        g_autofree char *item = g_strdup_printf ("%s[%u]", field, i);

        return same_string (why, where, item, a[i], b[i]);
      }
  if (na != nb)
    return differ (why, where, field, "%u entries vs %u", na, nb);
  return TRUE;
}

static gboolean
same_event (GString *why, const char *where, HlEvent *a, HlEvent *b)
{
#define SAME_INT(field) same_int (why, where, #field, hl_event_get_##field (a), \
                                  hl_event_get_##field (b))
  return SAME_INT (index) &&
         same_string (why, where, "kind", hl_event_kind_to_string (hl_event_get_kind (a)),
                      hl_event_kind_to_string (hl_event_get_kind (b))) &&
         same_string (why, where, "side", hl_side_to_string (hl_event_get_side (a)),
                      hl_side_to_string (hl_event_get_side (b))) &&
         same_string (why, where, "peer", hl_side_to_string (hl_event_get_peer (a)),
                      hl_side_to_string (hl_event_get_peer (b))) &&
         SAME_INT (handshake) &&
         same_int (why, where, "timestamp_us", hl_event_get_timestamp (a),
                   hl_event_get_timestamp (b)) &&
         same_int (why, where, "sent_us", hl_event_get_sent_timestamp (a),
                   hl_event_get_sent_timestamp (b)) &&
         same_string (why, where, "moment", hl_moment_to_string (hl_event_get_moment (a)),
                      hl_moment_to_string (hl_event_get_moment (b))) &&
         same_string (why, where, "name", hl_event_get_name (a), hl_event_get_name (b)) &&
         same_string (why, where, "caption", hl_event_get_caption (a), hl_event_get_caption (b)) &&
         same_string (why, where, "technical", hl_event_get_technical (a),
                      hl_event_get_technical (b)) &&
         same_string (why, where, "epoch", hl_epoch_to_string (hl_event_get_epoch (a)),
                      hl_epoch_to_string (hl_event_get_epoch (b))) &&
         SAME_INT (content_type) &&
         SAME_INT (handshake_type) &&
         SAME_INT (record) &&
         same_int (why, where, "alert.level", hl_event_get_alert_level (a),
                   hl_event_get_alert_level (b)) &&
         same_int (why, where, "alert.description", hl_event_get_alert_description (a),
                   hl_event_get_alert_description (b)) &&
         same_string (why, where, "check", hl_check_to_string (hl_event_get_check (a)),
                      hl_check_to_string (hl_event_get_check (b))) &&
         same_bytes (why, where, "bytes", hl_event_get_bytes (a), hl_event_get_bytes (b)) &&
         same_bytes (why, where, "plaintext", hl_event_get_plaintext (a),
                     hl_event_get_plaintext (b)) &&
         SAME_INT (inner_type) &&
         SAME_INT (forwarded);
#undef SAME_INT
}

static gboolean
same_secret (GString *why, const char *where, gconstpointer pa, gconstpointer pb)
{
  const HlSecret *a = pa;
  const HlSecret *b = pb;

  return same_string (why, where, "name", a->name, b->name) &&
         same_string (why, where, "label", a->label, b->label) &&
         same_string (why, where, "holder", hl_side_to_string (a->holder),
                      hl_side_to_string (b->holder)) &&
         same_string (why, where, "source", hl_source_to_string (a->source),
                      hl_source_to_string (b->source)) &&
         same_int (why, where, "handshake", a->handshake, b->handshake) &&
         same_string (why, where, "check", hl_check_to_string (a->check),
                      hl_check_to_string (b->check)) &&
         same_string (why, where, "formula", a->formula, b->formula) &&
         same_strv (why, where, "inputs", a->inputs, b->inputs) &&
         same_string (why, where, "note", a->note, b->note) &&
         same_bytes (why, where, "value", a->value, b->value);
}

static gboolean
same_negotiated (GString *why, const char *where, gconstpointer pa, gconstpointer pb)
{
  const HlNegotiated *a = pa;
  const HlNegotiated *b = pb;

  return same_int (why, where, "handshake", a->handshake, b->handshake) &&
         same_string (why, where, "version", a->version, b->version) &&
         same_string (why, where, "cipher_suite", a->cipher_suite, b->cipher_suite) &&
         same_string (why, where, "kx", a->kx, b->kx) &&
         same_string (why, where, "cipher", a->cipher, b->cipher) &&
         same_string (why, where, "mac", a->mac, b->mac) &&
         same_string (why, where, "group", a->group, b->group) &&
         same_string (why, where, "signature", a->signature, b->signature) &&
         same_int (why, where, "ems", !!a->ems, !!b->ems) &&
         same_int (why, where, "etm", !!a->etm, !!b->etm) &&
         same_int (why, where, "resumed", !!a->resumed, !!b->resumed) &&
         same_int (why, where, "client_auth", !!a->client_auth, !!b->client_auth) &&
         same_bytes (why, where, "client_random", a->client_random, b->client_random) &&
         same_bytes (why, where, "server_random", a->server_random, b->server_random) &&
         same_bytes (why, where, "session_id", a->session_id, b->session_id);
}

static gboolean
same_verification (GString *why, const char *where, gconstpointer pa, gconstpointer pb)
{
  const HlVerification *a = pa;
  const HlVerification *b = pb;

  return same_int (why, where, "handshake", a->handshake, b->handshake) &&
         same_string (why, where, "verifier", hl_side_to_string (a->verifier),
                      hl_side_to_string (b->verifier)) &&
         same_int (why, where, "rc", a->rc, b->rc) &&
         same_int (why, where, "status", a->status, b->status) &&
         same_int (why, where, "trusted", !!a->trusted, !!b->trusted) &&
         same_string (why, where, "hostname", a->hostname, b->hostname) &&
         same_string (why, where, "text", a->text, b->text);
}

static gboolean
same_outcome (GString *why, const HlOutcome *a, const HlOutcome *b)
{
  const char *where = "outcome";

  return same_int (why, where, "client_ok", !!a->client_ok, !!b->client_ok) &&
         same_int (why, where, "server_ok", !!a->server_ok, !!b->server_ok) &&
         same_string (why, where, "client_error", a->client_error, b->client_error) &&
         same_string (why, where, "server_error", a->server_error, b->server_error) &&
         same_string (why, where, "alert_sender", hl_side_to_string (a->alert_sender),
                      hl_side_to_string (b->alert_sender)) &&
         same_int (why, where, "alert", a->alert, b->alert);
}

static gboolean
same_live (GString *why, const HlLive *a, const HlLive *b)
{
  const char *where = "live";

  if (a == NULL || b == NULL)
    return a == b || differ (why, "", "live", "%s vs %s", a ? "present" : "null",
                             b ? "present" : "null");
  return same_string (why, where, "local", hl_side_to_string (a->local),
                      hl_side_to_string (b->local)) &&
         same_string (why, where, "address", a->address, b->address) &&
         same_string (why, where, "server_name", a->server_name, b->server_name) &&
         same_string (why, where, "software", a->software, b->software) &&
         same_string (why, where, "trust", a->trust, b->trust) &&
         same_int (why, where, "truncated", !!a->truncated, !!b->truncated) &&
         same_int (why, where, "bytes_sent", a->bytes_sent, b->bytes_sent) &&
         same_int (why, where, "bytes_received", a->bytes_received, b->bytes_received);
}

static gboolean
same_chain (GString *why, const char *field, GPtrArray *a, GPtrArray *b)
{
  if (!same_int (why, "certificates", field, a->len, b->len))
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      g_autofree char *item = g_strdup_printf ("%s[%u]", field, i);

      if (!same_bytes (why, "certificates", item, g_ptr_array_index (a, i),
                       g_ptr_array_index (b, i)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_attacker (GString *why, const HlAttacker *a, const HlAttacker *b)
{
  if (a == NULL || b == NULL)
    return a == b || differ (why, "", "attacker", "%s vs %s", a ? "present" : "null",
                             b ? "present" : "null");
  return same_bytes (why, "attacker", "ca_certificate", a->ca_certificate, b->ca_certificate) &&
         same_chain (why, "attacker.chain", a->chain, b->chain) &&
         same_int (why, "attacker", "trusted", !!a->trusted, !!b->trusted) &&
         same_int (why, "attacker", "unchecked", !!a->unchecked, !!b->unchecked);
}

typedef gboolean (*SameFunc) (GString *why, const char *where, gconstpointer a, gconstpointer b);

/* Compares two arrays item by item with @same, after their lengths. */
static gboolean
same_items (GString *why, const char *name, GPtrArray *a, GPtrArray *b, SameFunc same)
{
  if (a->len != b->len)
    return differ (why, "", name, "%u entries vs %u", a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", name, i);

      if (!same (why, where, g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }
  return TRUE;
}

/**
 * hl_trace_equal:
 * @a: a trace
 * @b: another trace
 * @why: (nullable): where to append the first difference, e.g.
 *   "events[3].bytes: byte 17 is 0x16 vs 0x17"
 *
 * Compares everything a trace file holds: the header, every event field by field and byte by
 * byte, every secret, negotiated parameter set, verification, the outcome, the certificates and
 * the server key. Whether a trace is finished is not part of its content and not compared.
 *
 * Returns: %TRUE if @a and @b hold the same trace
 */
gboolean
hl_trace_equal (HlTrace *a, HlTrace *b, GString *why)
{
  g_return_val_if_fail (HL_IS_TRACE (a), FALSE);
  g_return_val_if_fail (HL_IS_TRACE (b), FALSE);

  if (a == b)
    return TRUE;

  if (!same_string (why, "", "scenario", hl_trace_get_scenario (a), hl_trace_get_scenario (b)) ||
      !same_string (why, "", "title", hl_trace_get_title (a), hl_trace_get_title (b)) ||
      !same_string (why, "", "description", hl_trace_get_description (a),
                    hl_trace_get_description (b)) ||
      !same_string (why, "", "library_version", hl_trace_get_library_version (a),
                    hl_trace_get_library_version (b)) ||
      !same_int (why, "", "created", hl_trace_get_created (a), hl_trace_get_created (b)) ||
      !same_int (why, "", "n_handshakes", hl_trace_get_n_handshakes (a),
                 hl_trace_get_n_handshakes (b)) ||
      (hl_trace_get_n_events (a) != hl_trace_get_n_events (b) &&
       !differ (why, "", "events", "%u entries vs %u", hl_trace_get_n_events (a),
                hl_trace_get_n_events (b))))
    return FALSE;

  for (guint i = 0; i < hl_trace_get_n_events (a); i++)
    {
      g_autofree char *where = g_strdup_printf ("events[%u]", i);

      if (!same_event (why, where, hl_trace_get_event (a, i), hl_trace_get_event (b, i)))
        return FALSE;
    }

  if (!same_items (why, "secrets", hl_trace_get_secrets (a), hl_trace_get_secrets (b),
                   same_secret) ||
      !same_items (why, "negotiated", hl_trace_get_negotiated (a), hl_trace_get_negotiated (b),
                   same_negotiated) ||
      !same_items (why, "verifications", hl_trace_get_verifications (a),
                   hl_trace_get_verifications (b), same_verification))
    return FALSE;

  if (!same_live (why, hl_trace_get_live (a), hl_trace_get_live (b)) ||
      !same_attacker (why, hl_trace_get_attacker (a), hl_trace_get_attacker (b)))
    return FALSE;

  return same_outcome (why, hl_trace_get_outcome (a), hl_trace_get_outcome (b)) &&
         same_chain (why, "server_chain", hl_trace_get_server_chain (a),
                     hl_trace_get_server_chain (b)) &&
         same_chain (why, "client_chain", hl_trace_get_client_chain (a),
                     hl_trace_get_client_chain (b)) &&
         same_bytes (why, "certificates", "ca", hl_trace_get_ca_certificate (a),
                     hl_trace_get_ca_certificate (b)) &&
         same_bytes (why, "", "server_key", hl_trace_get_server_key (a),
                     hl_trace_get_server_key (b));
}
