/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-inspector"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-inspector-private.h"
#include "hl-tooltip.h"

/* The inspector, the links between tabs, the Fields and Bytes pages and fields ↔ bytes (see
 * hl-inspector-private.h): the related steps of a step, the transcript a hash covers, the pages
 * that show a step's fields and bytes, the field a byte belongs to. */

/* The links between tabs */

static void
set_link (HlInspector *self, const char *text, const char *tab, const char *secret)
{
  g_free (self->link_tab);
  g_free (self->link_secret);
  self->link_tab = g_strdup (tab);
  self->link_secret = g_strdup (secret);
  g_free (self->link_text);
  self->link_text = g_strdup (text);
}

/* The links of the step: the tab and value the buttons lead to, and their words, which
 * load_form () gives to the Fields and Bytes tabs. */
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
  g_free (self->related_label);
  self->related_label = g_strdup (button);
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

/* The Fields and Bytes pages
 *
 * Made in code the first time they are drawn (the view stack maps the page it shows, when it
 * shows it or when the window is shown, before the frame that draws it) or asked for, not by
 * the template: a window that opens on a local step would otherwise build and style a hundred
 * widgets it does not show. What they show is kept in the struct (load_form (),
 * hl_insp_update_links ()) and pushed into them by hl_insp_sync_*_page (): at every step once
 * they are made, and when they are. */

/* A tab's stack with its "none" page: a status page with a button to the tab that explains
 * the step (hl_insp_related_clicked_cb ()). */
static GtkStack *
new_tab_stack (HlInspector    *self,
               const char     *icon_name,
               AdwStatusPage **empty,
               GtkButton     **empty_button)
{
  GtkStack *stack = GTK_STACK (gtk_stack_new ());

  /* only the page shown is measured */
  gtk_stack_set_hhomogeneous (stack, FALSE);
  gtk_stack_set_vhomogeneous (stack, FALSE);
  *empty_button = GTK_BUTTON (gtk_button_new ());
  gtk_widget_set_halign (GTK_WIDGET (*empty_button), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (*empty_button), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (*empty_button), "pill");
  g_signal_connect_swapped (*empty_button, "clicked", G_CALLBACK (hl_insp_related_clicked_cb),
                            self);
  *empty = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (*empty, icon_name);
  gtk_widget_add_css_class (GTK_WIDGET (*empty), "compact");
  adw_status_page_set_child (*empty, GTK_WIDGET (*empty_button));
  gtk_stack_add_named (stack, GTK_WIDGET (*empty), "none");
  return stack;
}

/* A tab's "none" page: why the step has nothing for it, and the button to the related tab. */
static void
sync_empty_page (HlInspector   *self,
                 AdwStatusPage *empty,
                 GtkButton     *button,
                 const char    *title,
                 const char    *text)
{
  adw_status_page_set_title (empty, title);
  adw_status_page_set_description (empty, text);
  gtk_button_set_label (button, self->related_label ? self->related_label : "");
  gtk_widget_set_visible (GTK_WIDGET (button), self->related_label != NULL);
}

void
hl_insp_sync_fields_page (HlInspector *self)
{
  if (self->field_view == NULL)
    return;
  hl_field_view_set_data (self->field_view, self->bytes, self->root);
  /* set_data selects the root; a field chosen before this tab was made replaces it */
  if (self->selected_field != self->root)
    hl_field_view_select_field (self->field_view, self->selected_field);
  sync_empty_page (self, self->fields_empty, self->fields_empty_button, self->fields_none_title,
                   self->fields_none_text);
  gtk_label_set_text (self->link_label, self->link_text ? self->link_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->link_button), self->link_text != NULL);
  gtk_stack_set_visible_child_name (self->fields_stack,
                                    self->bytes && self->root ? "tree" : "none");
}

void
hl_insp_sync_bytes_page (HlInspector *self)
{
  if (self->hex_view == NULL)
    return;
  hl_hex_view_set_data (self->hex_view, self->bytes, self->root);
  if (self->selected_field)
    hl_hex_view_select_field (self->hex_view, self->selected_field);
  sync_empty_page (self, self->bytes_empty, self->bytes_empty_button, self->bytes_none_title,
                   self->bytes_none_text);
  gtk_stack_set_visible_child_name (self->bytes_stack, self->bytes ? "hex" : "none");
  hl_insp_update_bytes_info (self);
}

/* The Fields tab: the field tree under a link to the tab about the step. */
void
hl_insp_ensure_fields_page (HlInspector *self)
{
  GtkWidget *box;
  GtkWidget *link_box;

  if (self->field_view || self->fields_bin == NULL)   /* made, or disposed */
    return;

  self->fields_stack = new_tab_stack (self, "media-playback-start-symbolic", &self->fields_empty,
                                      &self->fields_empty_button);

  self->link_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->link_label, 0);
  gtk_label_set_wrap (self->link_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->link_label), TRUE);
  link_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (link_box), GTK_WIDGET (self->link_label));
  gtk_box_append (GTK_BOX (link_box), gtk_image_new_from_icon_name ("go-next-symbolic"));
  self->link_button = GTK_BUTTON (gtk_button_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->link_button), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->link_button), "inspector-link");
  gtk_button_set_child (self->link_button, link_box);
  g_signal_connect_swapped (self->link_button, "clicked",
                            G_CALLBACK (hl_insp_related_clicked_cb), self);

  self->field_view = HL_FIELD_VIEW (hl_field_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->field_view), TRUE);
  g_signal_connect_swapped (self->field_view, "field-selected",
                            G_CALLBACK (hl_insp_field_selected_cb), self);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->link_button));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->field_view));
  gtk_stack_add_named (self->fields_stack, box, "tree");

  /* in the window first, then filled, as the views of the other tabs are */
  hl_tab_bin_set_child (self->fields_bin, GTK_WIDGET (self->fields_stack));
  hl_insp_sync_fields_page (self);
}

/* The Bytes tab: what the selection is, a copy button, and the bytes. */
void
hl_insp_ensure_bytes_page (HlInspector *self)
{
  GtkWidget *box;
  GtkWidget *grid;
  GtkWidget *scroller;

  if (self->hex_view || self->bytes_bin == NULL)   /* made, or disposed */
    return;

  self->bytes_stack = new_tab_stack (self, "view-grid-symbolic", &self->bytes_empty,
                                     &self->bytes_empty_button);

  /* a grid: see hl-value-row.c; a few words a line at least, so the page never asks for the
   * height of one word a line */
  self->bytes_info = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->bytes_info, 0);
  gtk_label_set_wrap (self->bytes_info, TRUE);
  gtk_label_set_wrap_mode (self->bytes_info, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (self->bytes_info, 24);
  gtk_widget_set_hexpand (GTK_WIDGET (self->bytes_info), TRUE);
  self->bytes_copy_button = GTK_BUTTON (gtk_button_new_from_icon_name ("edit-copy-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (self->bytes_copy_button), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->bytes_copy_button), "flat");
  hl_tooltip_set_text (GTK_WIDGET (self->bytes_copy_button),
                       _("Copy the selected bytes as hex (Ctrl+C)"));
  g_signal_connect_swapped (self->bytes_copy_button, "clicked",
                            G_CALLBACK (hl_insp_bytes_copy_clicked_cb), self);
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "bytes-info");
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->bytes_info), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->bytes_copy_button), 1, 0, 1, 1);

  self->hex_view = HL_HEX_VIEW (hl_hex_view_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->hex_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Bytes in hex and ASCII"), -1);
  g_signal_connect_swapped (self->hex_view, "field-activated",
                            G_CALLBACK (hl_insp_hex_field_activated_cb), self);
  g_signal_connect_swapped (self->hex_view, "selection-changed",
                            G_CALLBACK (hl_insp_update_bytes_info), self);
  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->hex_view));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), grid);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_stack_add_named (self->bytes_stack, box, "hex");

  hl_tab_bin_set_child (self->bytes_bin, GTK_WIDGET (self->bytes_stack));
  hl_insp_sync_bytes_page (self);
}

/* The page is about to be drawn. */
void
hl_insp_page_map_cb (HlTabBin *bin, HlInspector *self)
{
  if (bin == self->fields_bin)
    hl_insp_ensure_fields_page (self);
  else
    hl_insp_ensure_bytes_page (self);
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

/* With the Bytes tab made: its line says what the selection is. */
void
hl_insp_update_bytes_info (HlInspector *self)
{
  HlField *field = hl_hex_view_get_selected_field (self->hex_view);
  gsize offset = 0, length = 0;
  g_autofree char *text = NULL;

  g_assert (self->hex_view != NULL);
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

/* The two tabs show the same field: a tab not made yet selects it when it is made. */
static void
set_selected_field (HlInspector *self, HlField *field)
{
  if (field == self->selected_field)
    return;
  g_clear_pointer (&self->selected_field, hl_field_unref);
  self->selected_field = field ? hl_field_ref (field) : NULL;
}

void
hl_insp_select_field (HlInspector *self, HlField *field)
{
  set_selected_field (self, field);
  if (self->field_view)
    hl_field_view_select_field (self->field_view, field);
  if (self->hex_view)
    hl_hex_view_select_field (self->hex_view, field);
}

void
hl_insp_field_selected_cb (HlInspector *self, HlField *field)
{
  set_selected_field (self, field);
  if (self->hex_view)
    hl_hex_view_select_field (self->hex_view, field);
}

void
hl_insp_hex_field_activated_cb (HlInspector *self, HlField *field)
{
  set_selected_field (self, field);
  if (self->field_view)
    hl_field_view_select_field (self->field_view, field);
}

void
hl_insp_bytes_copy_clicked_cb (HlInspector *self)
{
  hl_hex_view_copy_selection (self->hex_view);
}
