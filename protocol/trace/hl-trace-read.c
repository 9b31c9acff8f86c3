/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-io"
#include "config.h"

#include <string.h>

#include "hl-trace-io-private.h"
#include "hl-trace-private.h"

#define MAX_SECRETS 10000
#define MAX_VERIFICATIONS 64

/* Reading the model: each struct of the trace from its JSON object (the format is described at
 * the top of hl-trace-io.c), then the whole trace. */

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
read_event (HlTraceReader *r, JsonObject *object, guint index, guint n_handshakes, guint n_events,
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

  if (hl_trace_reader_int (r, object, "index", 0, G_MAXINT64, &position) && position != index)
    invalid (r, "index", "%" G_GINT64_FORMAT ", expected %u (its position in events)",
             position, index);
  hl_trace_reader_kind (r, object, "kind", &kind);
  hl_trace_reader_side (r, object, "side", &side);
  hl_trace_reader_side (r, object, "peer", &peer);
  hl_trace_reader_uint (r, object, "handshake", 0, n_handshakes - 1, &handshake);
  if (hl_trace_reader_int (r, object, "timestamp_us", 0, G_MAXINT64, &timestamp) &&
      timestamp < previous_timestamp)
    invalid (r, "timestamp_us", "%" G_GINT64_FORMAT " is earlier than the previous event's %"
             G_GINT64_FORMAT, timestamp, previous_timestamp);
  hl_trace_reader_string (r, object, "name", MEMBER_REQUIRED, &name);
  hl_trace_reader_string (r, object, "caption", MEMBER_REQUIRED, &caption);
  hl_trace_reader_string (r, object, "technical", MEMBER_REQUIRED, &technical);
  hl_trace_reader_epoch (r, object, "epoch", &epoch);
  hl_trace_reader_uint (r, object, "content_type", 0, 255, &content_type);
  hl_trace_reader_int (r, object, "handshake_type", -1, 255, &handshake_type);
  /* A message points back at the record that carried it, which came earlier (or is -1). */
  hl_trace_reader_int (r, object, "record", -1, (gint64) index - 1, &record);
  if (hl_trace_reader_object (r, object, "alert", MEMBER_NULLABLE, &alert) && alert != NULL)
    {
      gsize saved = hl_trace_reader_enter (r, "alert", -1);

      /* RFC 5246 §7.2: warning(1), fatal(2); the description is one byte. */
      hl_trace_reader_uint (r, alert, "level", 1, 2, &level);
      hl_trace_reader_uint (r, alert, "description", 0, 255, &description);
      hl_trace_reader_leave (r, saved);
    }
  hl_trace_reader_check (r, object, "check", &check);
  hl_trace_reader_hex (r, object, "bytes", MEMBER_NULLABLE, &bytes);
  hl_trace_reader_hex (r, object, "plaintext", MEMBER_NULLABLE, &plaintext);
  /* added after format_version 1 was first written: optional */
  if (json_object_has_member (object, "inner_type"))
    hl_trace_reader_uint (r, object, "inner_type", 0, 255, &inner_type);
  /* attack scenarios only (where it is checked against the attacker, read_trace ()) */
  if (json_object_has_member (object, "forwarded") &&
      hl_trace_reader_int (r, object, "forwarded", -1, (gint64) n_events - 1, &forwarded) &&
      forwarded == (gint64) index)
    invalid (r, "forwarded", "%" G_GINT64_FORMAT ": an event cannot forward itself", forwarded);
  if (r->version >= 2)
    {
      JsonNode *node = NULL;

      hl_trace_reader_moment (r, object, "moment", &moment);
      if (hl_trace_reader_get_member (r, object, "sent_us", TYPE_INTEGER, MEMBER_NULLABLE,
                                      &node) && node &&
          hl_trace_reader_int (r, object, "sent_us", 0, G_MAXINT64, &sent) && sent > timestamp)
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
read_secret (HlTraceReader *r, JsonObject *object, guint n_handshakes)
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

  hl_trace_reader_string (r, object, "name", MEMBER_REQUIRED, &name);
  hl_trace_reader_string (r, object, "label", MEMBER_REQUIRED, &label);
  hl_trace_reader_side (r, object, "holder", &holder);
  hl_trace_reader_source (r, object, "source", &source);
  hl_trace_reader_uint (r, object, "handshake", 0, n_handshakes - 1, &handshake);
  hl_trace_reader_check (r, object, "check", &check);
  hl_trace_reader_string (r, object, "formula", MEMBER_NULLABLE, &formula);
  hl_trace_reader_strv (r, object, "inputs", MEMBER_NULLABLE, &inputs);
  hl_trace_reader_string (r, object, "note", MEMBER_NULLABLE, &note);
  hl_trace_reader_hex (r, object, "value", MEMBER_NULLABLE, &value);
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
read_negotiated (HlTraceReader *r, JsonObject *object, guint n_handshakes)
{
  HlNegotiated *negotiated = g_new0 (HlNegotiated, 1);

  hl_trace_reader_uint (r, object, "handshake", 0, n_handshakes - 1, &negotiated->handshake);
  hl_trace_reader_string (r, object, "version", MEMBER_NULLABLE, &negotiated->version);
  hl_trace_reader_string (r, object, "cipher_suite", MEMBER_NULLABLE, &negotiated->cipher_suite);
  hl_trace_reader_string (r, object, "kx", MEMBER_NULLABLE, &negotiated->kx);
  hl_trace_reader_string (r, object, "cipher", MEMBER_NULLABLE, &negotiated->cipher);
  hl_trace_reader_string (r, object, "mac", MEMBER_NULLABLE, &negotiated->mac);
  hl_trace_reader_string (r, object, "group", MEMBER_NULLABLE, &negotiated->group);
  hl_trace_reader_string (r, object, "signature", MEMBER_NULLABLE, &negotiated->signature);
  hl_trace_reader_bool (r, object, "ems", &negotiated->ems);
  hl_trace_reader_bool (r, object, "etm", &negotiated->etm);
  hl_trace_reader_bool (r, object, "resumed", &negotiated->resumed);
  hl_trace_reader_bool (r, object, "client_auth", &negotiated->client_auth);
  hl_trace_reader_hex (r, object, "client_random", MEMBER_NULLABLE, &negotiated->client_random);
  hl_trace_reader_hex (r, object, "server_random", MEMBER_NULLABLE, &negotiated->server_random);
  hl_trace_reader_hex (r, object, "session_id", MEMBER_NULLABLE, &negotiated->session_id);
  hl_trace_reader_string (r, object, "alpn", MEMBER_NULLABLE | MEMBER_OPTIONAL, &negotiated->alpn);
  if (r->error != NULL)
    {
      hl_negotiated_free (negotiated);
      return NULL;
    }
  return negotiated;
}

static HlVerification *
read_verification (HlTraceReader *r, JsonObject *object, guint n_handshakes)
{
  HlVerification *verification = g_new0 (HlVerification, 1);
  gint64 rc = 0;

  hl_trace_reader_uint (r, object, "handshake", 0, n_handshakes - 1, &verification->handshake);
  hl_trace_reader_side (r, object, "verifier", &verification->verifier);
  if (hl_trace_reader_int (r, object, "rc", G_MININT, G_MAXINT, &rc))
    verification->rc = (int) rc;
  hl_trace_reader_uint (r, object, "status", 0, G_MAXUINT32, &verification->status);
  hl_trace_reader_bool (r, object, "trusted", &verification->trusted);
  hl_trace_reader_string (r, object, "hostname", MEMBER_NULLABLE, &verification->hostname);
  hl_trace_reader_string (r, object, "text", MEMBER_NULLABLE, &verification->text);
  if (r->error != NULL)
    {
      hl_verification_free (verification);
      return NULL;
    }
  return verification;
}

static gboolean
read_outcome (HlTraceReader *r, JsonObject *root, HlTrace *trace)
{
  JsonObject *object;
  HlOutcome outcome = { 0, };
  gsize saved;

  if (!hl_trace_reader_object (r, root, "outcome", MEMBER_REQUIRED, &object))
    return FALSE;

  saved = hl_trace_reader_enter (r, "outcome", -1);
  hl_trace_reader_bool (r, object, "client_ok", &outcome.client_ok);
  hl_trace_reader_bool (r, object, "server_ok", &outcome.server_ok);
  hl_trace_reader_string (r, object, "client_error", MEMBER_NULLABLE, &outcome.client_error);
  hl_trace_reader_string (r, object, "server_error", MEMBER_NULLABLE, &outcome.server_error);
  hl_trace_reader_side (r, object, "alert_sender", &outcome.alert_sender);
  hl_trace_reader_uint (r, object, "alert", 0, 255, &outcome.alert);
  hl_trace_reader_leave (r, saved);

  if (r->error == NULL)
    hl_trace_set_outcome (trace, &outcome);
  g_free (outcome.client_error);
  g_free (outcome.server_error);
  return r->error == NULL;
}

static gboolean
read_certificates (HlTraceReader *r, JsonObject *root, HlTrace *trace)
{
  g_autoptr(GPtrArray) server_chain = NULL;
  g_autoptr(GPtrArray) client_chain = NULL;
  g_autoptr(GBytes) ca = NULL;
  JsonObject *object;
  gsize saved;

  if (!hl_trace_reader_object (r, root, "certificates", MEMBER_REQUIRED, &object))
    return FALSE;

  saved = hl_trace_reader_enter (r, "certificates", -1);
  hl_trace_reader_chain (r, object, "server_chain", &server_chain);
  hl_trace_reader_chain (r, object, "client_chain", &client_chain);
  hl_trace_reader_hex (r, object, "ca", MEMBER_NULLABLE, &ca);
  hl_trace_reader_leave (r, saved);
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
read_server_key (HlTraceReader *r, JsonObject *root, HlTrace *trace)
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
      gsize saved = hl_trace_reader_enter (r, "server_key", -1);

      hl_trace_reader_hex (r, json_node_get_object (node), "hex", MEMBER_REQUIRED, &key);
      hl_trace_reader_leave (r, saved);
      if (key == NULL)
        return FALSE;
    }
  else if (hl_trace_reader_check_node (r, "server_key", node, TYPE_STRING))
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
read_live (HlTraceReader *r, JsonObject *root, HlTrace *trace)
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
  if (!hl_trace_reader_check_node (r, "live", node, TYPE_OBJECT))
    return FALSE;
  object = json_node_get_object (node);
  live = g_new0 (HlLive, 1);
  saved = hl_trace_reader_enter (r, "live", -1);
  if (hl_trace_reader_side (r, object, "local", &live->local) &&
      live->local != HL_SIDE_CLIENT && live->local != HL_SIDE_SERVER)
    invalid (r, "local", "“%s”, expected “client” or “server”", hl_side_to_string (live->local));
  hl_trace_reader_string (r, object, "address", MEMBER_NULLABLE, &live->address);
  hl_trace_reader_string (r, object, "server_name", MEMBER_NULLABLE, &live->server_name);
  hl_trace_reader_string (r, object, "software", MEMBER_NULLABLE, &live->software);
  hl_trace_reader_string (r, object, "trust", MEMBER_NULLABLE, &live->trust);
  hl_trace_reader_bool (r, object, "truncated", &live->truncated);
  hl_trace_reader_int (r, object, "bytes_sent", 0, G_MAXINT64, &sent);
  hl_trace_reader_int (r, object, "bytes_received", 0, G_MAXINT64, &received);
  hl_trace_reader_leave (r, saved);
  if (r->error != NULL)
    return FALSE;
  live->bytes_sent = (guint64) sent;
  live->bytes_received = (guint64) received;
  hl_trace_set_live (trace, live);
  return TRUE;
}

/* Added with the attack scenarios: optional, and null when nobody sits in the middle. */
static gboolean
read_attacker (HlTraceReader *r, JsonObject *root, HlTrace *trace)
{
  JsonNode *node = json_object_get_member (root, "attacker");
  g_autoptr(HlAttacker) attacker = NULL;
  JsonObject *object;
  gsize saved;

  if (r->error != NULL)
    return FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!hl_trace_reader_check_node (r, "attacker", node, TYPE_OBJECT))
    return FALSE;
  object = json_node_get_object (node);
  attacker = g_new0 (HlAttacker, 1);
  saved = hl_trace_reader_enter (r, "attacker", -1);
  hl_trace_reader_hex (r, object, "ca_certificate", MEMBER_NULLABLE, &attacker->ca_certificate);
  hl_trace_reader_chain (r, object, "chain", &attacker->chain);
  hl_trace_reader_bool (r, object, "trusted", &attacker->trusted);
  hl_trace_reader_bool (r, object, "unchecked", &attacker->unchecked);
  hl_trace_reader_leave (r, saved);
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
check_attacker_members (HlTraceReader *r, HlTrace *trace)
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

      saved = hl_trace_reader_enter (r, "events", i);
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
      hl_trace_reader_leave (r, saved);
    }
  for (guint i = 0; i < secrets->len && r->error == NULL && !attacker; i++)
    if (((HlSecret *) g_ptr_array_index (secrets, i))->holder == HL_SIDE_ATTACKER)
      {
        saved = hl_trace_reader_enter (r, "secrets", i);
        invalid (r, "holder", "“attacker”, but the trace has no attacker");
        hl_trace_reader_leave (r, saved);
      }
  for (guint i = 0; i < verifications->len && r->error == NULL && !attacker; i++)
    if (((HlVerification *) g_ptr_array_index (verifications, i))->verifier == HL_SIDE_ATTACKER)
      {
        saved = hl_trace_reader_enter (r, "verifications", i);
        invalid (r, "verifier", "“attacker”, but the trace has no attacker");
        hl_trace_reader_leave (r, saved);
      }
  if (r->error == NULL && !attacker &&
      hl_trace_get_outcome (trace)->alert_sender == HL_SIDE_ATTACKER)
    {
      saved = hl_trace_reader_enter (r, "outcome", -1);
      invalid (r, "alert_sender", "“attacker”, but the trace has no attacker");
      hl_trace_reader_leave (r, saved);
    }
  return r->error == NULL;
}

static HlTrace *
read_trace (HlTraceReader *r, JsonNode *root_node)
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
               hl_trace_reader_describe_node (root_node));
      return NULL;
    }
  root = json_node_get_object (root_node);

  /* What the file is, and which version, before anything else: a future version may have
   * changed everything after these two members. */
  if (hl_trace_reader_string (r, root, "format", MEMBER_REQUIRED, &format) &&
      !g_str_equal (format, HL_TRACE_FORMAT_NAME))
    {
      g_autofree char *quoted = hl_trace_reader_quote (format);

      invalid (r, "format", "%s, expected “%s”; this is not a Handshake Lens trace", quoted,
               HL_TRACE_FORMAT_NAME);
    }
  if (hl_trace_reader_get_member (r, root, "format_version", TYPE_INTEGER, MEMBER_REQUIRED,
                                  &version))
    {
      r->version = json_node_get_int (version);
      if (r->version < 1 || r->version > HL_TRACE_FORMAT_VERSION)
        hl_trace_reader_fail (r, HL_TRACE_ERROR_VERSION, "format_version",
              "unsupported version %" G_GINT64_FORMAT "; this version of Handshake Lens reads "
              "versions 1 to %d", r->version, HL_TRACE_FORMAT_VERSION);
    }

  hl_trace_reader_string (r, root, "scenario", MEMBER_NULLABLE, &scenario);
  hl_trace_reader_string (r, root, "title", MEMBER_NULLABLE, &title);
  hl_trace_reader_string (r, root, "description", MEMBER_NULLABLE, &description);
  hl_trace_reader_string (r, root, "library_version", MEMBER_NULLABLE, &library_version);
  if (hl_trace_reader_string (r, root, "created", MEMBER_REQUIRED, &created_text) &&
      !parse_created (created_text, &created))
    {
      g_autofree char *quoted = hl_trace_reader_quote (created_text);

      invalid (r, "created", "%s is not a date and time like “2024-05-01T12:00:00Z”", quoted);
    }
  hl_trace_reader_uint (r, root, "n_handshakes", 1, HL_TRACE_MAX_HANDSHAKES, &n_handshakes);
  if (r->error != NULL)
    return NULL;

  trace = hl_trace_new (scenario, title, description);
  hl_trace_set_order_approximate (trace, r->version < 2);
  hl_trace_set_library_version (trace, library_version);
  hl_trace_set_created (trace, created);
  hl_trace_set_n_handshakes (trace, n_handshakes);

  if (hl_trace_reader_array (r, root, "events", MEMBER_REQUIRED, HL_TRACE_MAX_EVENTS, "events",
                             &events))
    for (guint i = 0; i < json_array_get_length (events) && r->error == NULL; i++)
      {
        gsize saved = hl_trace_reader_enter (r, "events", i);
        JsonObject *object = hl_trace_reader_element_object (r, events, i);
        HlEvent *event = object ? read_event (r, object, i, n_handshakes,
                                              json_array_get_length (events), timestamp)
                                : NULL;

        hl_trace_reader_leave (r, saved);
        if (event != NULL)
          {
            timestamp = hl_event_get_timestamp (event);
            hl_trace_append (trace, event);
          }
      }

  if (hl_trace_reader_array (r, root, "secrets", MEMBER_REQUIRED, MAX_SECRETS, "secrets", &items))
    for (guint i = 0; i < json_array_get_length (items) && r->error == NULL; i++)
      {
        gsize saved = hl_trace_reader_enter (r, "secrets", i);
        JsonObject *object = hl_trace_reader_element_object (r, items, i);
        HlSecret *secret = object ? read_secret (r, object, n_handshakes) : NULL;

        hl_trace_reader_leave (r, saved);
        if (secret != NULL)
          hl_trace_add_secret (trace, secret);
      }

  if (hl_trace_reader_array (r, root, "negotiated", MEMBER_REQUIRED, n_handshakes,
                  "entries (at most one per handshake)", &items))
    for (guint i = 0; i < json_array_get_length (items) && r->error == NULL; i++)
      {
        gsize saved = hl_trace_reader_enter (r, "negotiated", i);
        JsonObject *object = hl_trace_reader_element_object (r, items, i);
        HlNegotiated *negotiated = object ? read_negotiated (r, object, n_handshakes) : NULL;

        hl_trace_reader_leave (r, saved);
        if (negotiated != NULL)
          hl_trace_add_negotiated (trace, negotiated);
      }

  if (hl_trace_reader_array (r, root, "verifications", MEMBER_REQUIRED, MAX_VERIFICATIONS,
                             "verifications", &items))
    for (guint i = 0; i < json_array_get_length (items) && r->error == NULL; i++)
      {
        gsize saved = hl_trace_reader_enter (r, "verifications", i);
        JsonObject *object = hl_trace_reader_element_object (r, items, i);
        HlVerification *verification = object ? read_verification (r, object, n_handshakes)
                                              : NULL;

        hl_trace_reader_leave (r, saved);
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
            gsize saved = hl_trace_reader_enter (r, "negotiated", i);

            invalid (r, "handshake", "%u, already described by negotiated[%u]", a->handshake, j);
            hl_trace_reader_leave (r, saved);
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
  HlTraceReader reader = { g_string_new (NULL), NULL };
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
  if (!hl_trace_scan_document (size > 0 ? data : "", size, error))
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
