/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-inspector"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-inspector-private.h"

/* The inspector, the links between tabs and fields ↔ bytes (see hl-inspector-private.h): the
 * related steps of a step, the transcript a hash covers, the field a byte belongs to. */

/* The links between tabs */

static void
set_link (HlInspector *self, const char *text, const char *tab, const char *secret)
{
  g_free (self->link_tab);
  g_free (self->link_secret);
  self->link_tab = g_strdup (tab);
  self->link_secret = g_strdup (secret);
  gtk_label_set_text (self->link_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->link_button), text != NULL);
}

void
hl_insp_update_links (HlInspector *self)
{
  HlEvent *event = self->event;
  guint handshake = event ? hl_event_get_handshake (event) : 0;
  /* secret names are by TLS role ("client_write_key"): the attacker has one on each side */
  const char *side = event && hl_event_get_role (event) == HL_SIDE_CLIENT ? "client" : "server";
  const char *tab;
  const char *button = NULL;
  const HlSecret *pms;   /* the secret a message's link points at */

  set_link (self, NULL, NULL, NULL);
  if (event == NULL)
    goto empty_buttons;

  if (hl_event_get_kind (event) == HL_EVENT_MESSAGE)
    switch (hl_event_get_handshake_type (event))
      {
      case 1:
      case 2:
        set_link (self, _("Its random value goes into every key of the session: Secrets & Keys"),
                  HL_INSPECTOR_TAB_SECRETS,
                  hl_event_get_handshake_type (event) == 1 ? "client_random" : "server_random");
        break;
      case 4:
        /* a TLS 1.2 ticket of an in-memory run, opened with the server's key */
        pms = hl_trace_find_secret (self->trace, "ticket_state", handshake);
        if (pms && pms->value)
          set_link (self, _("What the ticket holds, opened with the server's ticket key: "
                            "Secrets & Keys"), HL_INSPECTOR_TAB_SECRETS, "ticket_state");
        break;
      case 11:
        set_link (self, _("The certificate in full, and why it was trusted or not: "
                          "Certificates"), HL_INSPECTOR_TAB_CERTIFICATES, NULL);
        break;
      case 15:
        set_link (self, _("Which messages this signature covers: Hashes"),
                  HL_INSPECTOR_TAB_HASHES, NULL);
        break;
      case 16:
        pms = hl_trace_find_secret (self->trace, "premaster_secret", handshake);
        /* RSA: we opened it; ECDHE: the shared secret never leaves GnuTLS */
        if (pms && pms->value)
          set_link (self, _("The premaster secret inside, decrypted, and how it became the "
                            "session keys: Secrets & Keys"), HL_INSPECTOR_TAB_SECRETS,
                    "premaster_secret");
        else if (pms)
          set_link (self, _("The shared secret both sides compute from it (held inside "
                            "GnuTLS), and the session keys: Secrets & Keys"),
                    HL_INSPECTOR_TAB_SECRETS, "premaster_secret");
        else
          set_link (self, _("The key exchange and the keys that came of it: Secrets & Keys"),
                    HL_INSPECTOR_TAB_SECRETS, "master_secret");
        break;
      case 20:
        set_link (self, _("The hash of the conversation, computed by both sides and compared: "
                          "Hashes"), HL_INSPECTOR_TAB_HASHES, NULL);
        break;
      default:
        break;
      }
  else if (hl_insp_is_protected_record (event) || hl_event_get_kind (event) == HL_EVENT_APP_DATA)
    {
      g_autofree char *key = g_strdup_printf (hl_event_get_epoch (event) == HL_EPOCH_HANDSHAKE
                                              ? "%s_handshake_write_key" : "%s_write_key", side);

      set_link (self, _("The key that encrypted it: Secrets & Keys"), HL_INSPECTOR_TAB_SECRETS,
                key);
    }

empty_buttons:
  /* the pages that say "nothing on the wire" point to where the step is explained */
  tab = hl_insp_natural_tab (event);
  if (tab && g_str_equal (tab, HL_INSPECTOR_TAB_SECRETS))
    button = _("Show Secrets & Keys");
  else if (tab && g_str_equal (tab, HL_INSPECTOR_TAB_HASHES))
    button = _("Show the Hashes");
  else if (tab && g_str_equal (tab, HL_INSPECTOR_TAB_CERTIFICATES))
    button = _("Show the Certificates");
  if (button && self->link_tab == NULL)
    {
      g_free (self->link_tab);
      self->link_tab = g_strdup (tab);
    }
  gtk_button_set_label (self->fields_empty_button, button ? button : "");
  gtk_button_set_label (self->bytes_empty_button, button ? button : "");
  gtk_widget_set_visible (GTK_WIDGET (self->fields_empty_button), button != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->bytes_empty_button), button != NULL);
}

void
hl_insp_related_clicked_cb (HlInspector *self)
{
  if (self->link_tab == NULL)
    return;
  g_free (self->user_tab);
  self->user_tab = g_strdup (self->link_tab);
  hl_insp_show_tab (self, self->link_tab);
  if (self->link_secret && self->event)
    hl_secrets_view_focus (hl_inspector_get_secrets_view (self), self->link_secret,
                           hl_event_get_handshake (self->event));
}

/* Goes to the step showing @event (the window moves its playhead), or shows it here when
 * nobody listens. */
void
hl_insp_request_event (HlInspector *self, HlEvent *event)
{
  GListModel *steps = hl_insp_steps_model (self);

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(HlEvent) item = g_list_model_get_item (steps, i);

      if (item == event)
        {
          hl_insp_emit_step_requested (self, i);
          break;
        }
    }
  if (self->event != event)
    hl_inspector_set_event (self, event);
}

void
hl_insp_transcript_event_cb (HlInspector *self, guint index)
{
  g_autofree char *tab = g_strdup (HL_INSPECTOR_TAB_FIELDS);

  if (self->trace == NULL || index >= hl_trace_get_n_events (self->trace))
    return;
  hl_insp_request_event (self, hl_trace_get_event (self->trace, index));
  g_free (self->user_tab);
  self->user_tab = g_steal_pointer (&tab);
  hl_insp_show_tab (self, self->user_tab);
}

void
hl_insp_show_transcript_cb (HlInspector *self, const char *name, guint handshake)
{
  const char *side = name && strstr (name, "server") ? "server" : "client";

  hl_insp_show_tab (self, HL_INSPECTOR_TAB_HASHES);
  for (guint i = 0; self->trace && i < hl_trace_get_n_events (self->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (self->trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          hl_event_get_handshake_type (event) == 20 &&
          hl_event_get_handshake (event) == handshake &&
          g_str_equal (hl_side_to_string (hl_event_get_side (event)), side))
        {
          hl_hashes_view_show_message (hl_inspector_get_hashes_view (self), i);
          return;
        }
    }
}

/* Fields ↔ bytes */

static char *
dup_field_path_text (HlField *field)
{
  GPtrArray *names = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (HlField *f = field; f; f = hl_field_get_parent (f))
    g_ptr_array_insert (names, 0, (gpointer) hl_field_get_name (f));
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i ? " › " : "", (const char *) names->pdata[i]);
  g_ptr_array_unref (names);
  return g_string_free (out, FALSE);
}

void
hl_insp_update_bytes_info (HlInspector *self)
{
  HlField *field = hl_hex_view_get_selected_field (self->hex_view);
  gsize offset = 0, length = 0;
  g_autofree char *text = NULL;

  if (!hl_hex_view_get_selection (self->hex_view, &offset, &length))
    text = g_strdup (_("Click a byte to see which field it belongs to; drag to select bytes."));
  else if (field)
    {
      g_autofree char *path = dup_field_path_text (field);
      const char *value = hl_field_get_value (field);

      text = g_strdup_printf (_("%s%s%s · bytes %zu–%zu (%zu)"),
                              path, value ? " = " : "", value ? value : "", offset,
                              offset + length - 1, length);
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%zu byte selected at %zu",
                                         "%zu bytes selected, %zu–%zu", length),
                            length, offset, offset + length - 1);
  gtk_label_set_text (self->bytes_info, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bytes_copy_button), length > 0);
}

void
hl_insp_field_selected_cb (HlInspector *self, HlField *field)
{
  hl_hex_view_select_field (self->hex_view, field);
}

void
hl_insp_hex_field_activated_cb (HlInspector *self, HlField *field)
{
  hl_field_view_select_field (self->field_view, field);
}

void
hl_insp_bytes_copy_clicked_cb (HlInspector *self)
{
  hl_hex_view_copy_selection (self->hex_view);
}
