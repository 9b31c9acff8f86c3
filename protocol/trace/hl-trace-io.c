/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-io"
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>

#include "hl-error.h"
#include "hl-trace-io.h"
#include "hl-trace-io-private.h"
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
 *                    client_random, server_random, session_id, alpn (optional: the selected
 *                    application protocol, absent when none was; files before it lack it)}
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
  if (negotiated->alpn != NULL)
    set_string (object, "alpn", negotiated->alpn);

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
