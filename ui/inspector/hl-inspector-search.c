/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-inspector"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-inspector-private.h"
#include "hl-tooltip.h"

/* The inspector, search (see hl-inspector-private.h): fields by name or value and bytes,
 * across the whole handshake, stepping through the matches. */

/* Search */

void
hl_insp_clear_matches (HlInspector *self)
{
  for (guint i = 0; i < self->matches->len; i++)
    g_clear_pointer (&g_array_index (self->matches, Match, i).field, hl_field_unref);
  g_array_set_size (self->matches, 0);
  self->match = -1;
}

/* Fields whose name contains @needle (@by_name), or else whose value does. */
static void
find_fields (GArray *matches, guint position, HlField *field, const char *needle, gboolean by_name)
{
  g_autofree char *name = g_utf8_casefold (hl_field_get_name (field), -1);
  g_autofree char *value = hl_field_get_value (field)
                           ? g_utf8_casefold (hl_field_get_value (field), -1) : NULL;
  gboolean found = by_name ? strstr (name, needle) != NULL
                           : strstr (name, needle) == NULL && value && strstr (value, needle);

  if (found)
    {
      Match m = { position, hl_field_get_offset (field), hl_field_get_length (field),
                  hl_field_ref (field) };

      g_array_append_val (matches, m);
    }
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    find_fields (matches, position, hl_field_get_child (field, i), needle, by_name);
}

static void
find_bytes (GArray *matches, guint position, GBytes *bytes, GBytes *needle)
{
  gsize len = 0, n = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const guint8 *pattern = g_bytes_get_data (needle, &n);

  for (gsize i = 0; n > 0 && i + n <= len; i++)
    if (memcmp (data + i, pattern, n) == 0)
      {
        Match m = { position, i, n, NULL };

        g_array_append_val (matches, m);
      }
}

static void
update_search_status (HlInspector *self)
{
  g_autofree char *text = NULL;
  const char *query;

  if (self->search_entry == NULL)   /* the bar was never opened: its line is made when it is */
    return;
  query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (query == NULL || *query == '\0')
    text = g_strdup (_("Type a field name (random, cipher_suite …), a value, or bytes (03 03)"));
  else if (self->matches->len == 0)
    text = g_strdup (_("Nothing found in this handshake"));
  else if (self->match < 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match — Enter to go to it",
                                         "%u matches — Enter to go to the first",
                                         self->matches->len), self->matches->len);
  else
    {
      const Match *m = &g_array_index (self->matches, Match, self->match);
      g_autoptr(HlEvent) event = g_list_model_get_item (hl_insp_steps_model (self), m->position);

      text = g_strdup_printf (_("%d of %u · step %u, %s"), self->match + 1, self->matches->len,
                              m->position + 1, hl_event_get_name (event));
    }
  gtk_label_set_text (self->search_status, text);
}

void
hl_insp_search_changed_cb (HlInspector *self)
{
  hl_inspector_find (self, self->search_entry
                           ? gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) : "");
}

static GtkWidget *
search_button_new (HlInspector *self, const char *icon_name, const char *tooltip, GCallback cb)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  hl_tooltip_set_text (button, tooltip);
  g_signal_connect_swapped (button, "clicked", cb, self);
  return button;
}

/* The search bar's entry, buttons and status line, made the first time the bar opens: a
 * window that never searches spares the entry (a text widget with its input method) and the
 * rest. */
void
hl_insp_ensure_search_ui (HlInspector *self)
{
  GtkWidget *row, *box;

  if (self->search_entry || self->search_bar == NULL ||
      !gtk_search_bar_get_search_mode (self->search_bar))
    return;
  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->search_entry), TRUE);
  g_object_set (self->search_entry, "placeholder-text",
                _("Field name or value, or bytes in hex"), NULL);
  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (hl_insp_search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (hl_insp_search_next_cb),
                            self);
  g_signal_connect_swapped (self->search_entry, "next-match",
                            G_CALLBACK (hl_insp_search_next_cb), self);
  g_signal_connect_swapped (self->search_entry, "previous-match",
                            G_CALLBACK (hl_insp_search_previous_cb), self);
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->search_entry));
  gtk_box_append (GTK_BOX (row),
                  search_button_new (self, "go-up-symbolic", _("Previous Match (Shift+Ctrl+G)"),
                                     G_CALLBACK (hl_insp_search_previous_cb)));
  gtk_box_append (GTK_BOX (row),
                  search_button_new (self, "go-down-symbolic", _("Next Match (Enter, Ctrl+G)"),
                                     G_CALLBACK (hl_insp_search_next_cb)));

  self->search_status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->search_status, 0);
  gtk_label_set_ellipsize (self->search_status, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->search_status), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->search_status), "caption");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (box), row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search_status));
  gtk_search_bar_set_child (self->search_bar, box);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* the bar gives its entry the focus as it opens, which was before it had one */
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  update_search_status (self);
}

static void
go_to_match (HlInspector *self)
{
  const Match *m = &g_array_index (self->matches, Match, self->match);
  g_autoptr(HlEvent) event = g_list_model_get_item (hl_insp_steps_model (self), m->position);

  if (event != self->event)
    hl_insp_request_event (self, event);
  if (self->wire_event && self->show_plain != (self->wire_event != self->event))
    hl_inspector_set_show_decrypted (self, self->wire_event != self->event);
  if (m->field)
    {
      hl_insp_show_tab (self, HL_INSPECTOR_TAB_FIELDS);
      hl_insp_select_field (self, m->field);
    }
  else
    {
      hl_insp_show_tab (self, HL_INSPECTOR_TAB_BYTES);
      /* a range is not kept for later: the tab is made now if it was not drawn */
      hl_hex_view_select_range (hl_inspector_get_hex_view (self), m->offset, m->length);
    }
  update_search_status (self);
}

void
hl_insp_search_next_cb (HlInspector *self)
{
  hl_inspector_find_next (self, FALSE);
}

void
hl_insp_search_previous_cb (HlInspector *self)
{
  hl_inspector_find_next (self, TRUE);
}

gboolean
hl_insp_find_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  HlInspector *self = HL_INSPECTOR (widget);

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  hl_inspector_start_search (self);
  return TRUE;
}

/* Records shown or hidden: the steps moved, and with them the matches. */
void
hl_insp_steps_changed_cb (HlInspector *self)
{
  if (self->matches->len > 0)
    hl_insp_search_changed_cb (self);
}

guint
hl_inspector_find (HlInspector *self, const char *query)
{
  g_autofree char *needle = NULL;
  g_autoptr(GBytes) pattern = NULL;
  GListModel *steps;

  g_return_val_if_fail (HL_IS_INSPECTOR (self), 0);

  hl_insp_clear_matches (self);
  if (self->trace && query && *query)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (query));

      needle = g_utf8_casefold (stripped, -1);
      pattern = hl_hex_layout_parse_hex (stripped);
      steps = hl_insp_steps_model (self);
      for (guint i = 0; *needle && i < g_list_model_get_n_items (steps); i++)
        {
          g_autoptr(HlEvent) event = g_list_model_get_item (steps, i);
          GBytes *bytes = hl_event_get_bytes (event);
          HlField *root;

          if (bytes == NULL || g_bytes_get_size (bytes) == 0)
            continue;
          /* hex that is also a word ("cafe") finds both */
          if (pattern)
            find_bytes (self->matches, i, bytes, pattern);
          /* in each step, fields by name first, then by value */
          root = hl_insp_decoded_fields (self, event, NULL);
          if (root)
            {
              find_fields (self->matches, i, root, needle, TRUE);
              find_fields (self->matches, i, root, needle, FALSE);
            }
        }
    }
  update_search_status (self);
  return self->matches->len;
}

gboolean
hl_inspector_find_next (HlInspector *self, gboolean backwards)
{
  guint n;

  g_return_val_if_fail (HL_IS_INSPECTOR (self), FALSE);

  n = self->matches->len;
  if (n == 0)
    return FALSE;
  if (self->match < 0)
    self->match = backwards ? (int) n - 1 : 0;
  else
    self->match = (int) ((self->match + (backwards ? n - 1 : 1)) % n);
  go_to_match (self);
  return TRUE;
}

void
hl_inspector_start_search (HlInspector *self)
{
  g_return_if_fail (HL_IS_INSPECTOR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  hl_insp_ensure_search_ui (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  update_search_status (self);
}
