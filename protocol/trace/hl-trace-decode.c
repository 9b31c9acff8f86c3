/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-decode"
#include "config.h"

#include "hl-decoder.h"
#include "hl-trace-decode.h"

static HlDecodeContext
context_for (HlTrace *trace, HlEvent *event)
{
  HlDecodeContext ctx = { 0 };
  GPtrArray *negs = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negs->len; i++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, i);

      if (neg->handshake != hl_event_get_handshake (event))
        continue;
      ctx.tls13 = g_strcmp0 (neg->version, "TLS1.3") == 0;
      if (neg->kx == NULL)
        ctx.key_exchange = HL_KEY_EXCHANGE_UNKNOWN;
      else if (g_str_equal (neg->kx, "RSA"))
        ctx.key_exchange = HL_KEY_EXCHANGE_RSA;
      else if (g_str_has_prefix (neg->kx, "ECDHE"))
        ctx.key_exchange = HL_KEY_EXCHANGE_ECDHE;
      else if (g_str_has_prefix (neg->kx, "DHE"))
        ctx.key_exchange = HL_KEY_EXCHANGE_DHE;
    }
  ctx.protected_record = hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT;
  return ctx;
}

HlField *
hl_trace_decode_event (HlTrace *trace, HlEvent *event, GError **error)
{
  HlDecodeContext ctx;
  GBytes *bytes;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (HL_IS_EVENT (event), NULL);

  bytes = hl_event_get_bytes (event);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return NULL;
  ctx = context_for (trace, event);

  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_RECORD:
      return hl_decode_record_full (bytes, 0, &ctx, error);
    case HL_EVENT_MESSAGE:
      if (hl_event_get_content_type (event) == HL_CONTENT_CHANGE_CIPHER_SPEC)
        return hl_decode_ccs (bytes, 0, error);
      ctx.protected_record = FALSE;
      return hl_decode_handshake_full (bytes, 0, &ctx, error);
    case HL_EVENT_ALERT:
      return hl_decode_alert_full (bytes, 0, &ctx, error);
    case HL_EVENT_APP_DATA:
      {
        HlField *root = hl_field_new ("application_data", 0, g_bytes_get_size (bytes));

        hl_field_set_value_printf (root, "%" G_GSIZE_FORMAT " bytes of application data",
                                   g_bytes_get_size (bytes));
        hl_field_set_explanation (root, "What the application sent, as the peer's application "
                                        "reads it after decryption.");
        /* the record layer carries it: RFC 5246 §6.2 / RFC 8446 §5.1 */
        hl_field_set_rfc (root, ctx.tls13 ? "RFC 8446 §5.1" : "RFC 5246 §6.2");
        return root;
      }
    case HL_EVENT_ACTION:
    case HL_EVENT_NOTE:
    default:
      return NULL;
    }
}

HlField *
hl_trace_decode_plaintext (HlTrace *trace, HlEvent *event, GError **error)
{
  GBytes *plain;
  HlDecodeContext ctx;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (HL_IS_EVENT (event), NULL);

  plain = hl_event_get_plaintext (event);
  if (hl_event_get_kind (event) != HL_EVENT_RECORD || plain == NULL)
    return NULL;
  ctx = context_for (trace, event);
  ctx.protected_record = FALSE;

  switch (hl_event_get_inner_type (event))
    {
    case HL_CONTENT_HANDSHAKE:
      return hl_decode_handshake_full (plain, 0, &ctx, error);
    case HL_CONTENT_ALERT:
      return hl_decode_alert_full (plain, 0, &ctx, error);
    case HL_CONTENT_CHANGE_CIPHER_SPEC:
      return hl_decode_ccs (plain, 0, error);
    default:
      {
        HlField *root = hl_field_new ("application_data", 0, g_bytes_get_size (plain));

        hl_field_set_value_printf (root, "%" G_GSIZE_FORMAT " bytes of application data",
                                   g_bytes_get_size (plain));
        return root;
      }
    }
}

static JsonNode *
field_to_json (HlField *field)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n = hl_field_get_n_children (field);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, hl_field_get_name (field));
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, hl_field_get_offset (field));
  json_builder_set_member_name (b, "length");
  json_builder_add_int_value (b, hl_field_get_length (field));
  if (hl_field_get_value (field))
    {
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, hl_field_get_value (field));
    }
  if (hl_field_get_explanation (field))
    {
      json_builder_set_member_name (b, "explanation");
      json_builder_add_string_value (b, hl_field_get_explanation (field));
    }
  if (hl_field_get_rfc (field))
    {
      json_builder_set_member_name (b, "rfc");
      json_builder_add_string_value (b, hl_field_get_rfc (field));
    }
  if (n > 0)
    {
      json_builder_set_member_name (b, "children");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        json_builder_add_value (b, field_to_json (hl_field_get_child (field, i)));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
hl_trace_json_add_fields (HlTrace *trace, JsonNode *root)
{
  JsonArray *events;

  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (root != NULL && JSON_NODE_HOLDS_OBJECT (root));

  events = json_object_get_array_member (json_node_get_object (root), "events");
  g_return_if_fail (events != NULL);
  for (guint i = 0; i < json_array_get_length (events) && i < hl_trace_get_n_events (trace); i++)
    {
      JsonObject *obj = json_array_get_object_element (events, i);
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(HlField) fields = hl_trace_decode_event (trace, event, &error);
      g_autoptr(HlField) inner = NULL;

      if (error)
        {
          json_object_set_string_member (obj, "fields_error", error->message);
          continue;
        }
      if (fields)
        json_object_set_member (obj, "fields", field_to_json (fields));
      inner = hl_trace_decode_plaintext (trace, event, &error);
      if (error)
        json_object_set_string_member (obj, "plaintext_fields_error", error->message);
      else if (inner)
        json_object_set_member (obj, "plaintext_fields", field_to_json (inner));
    }
}
