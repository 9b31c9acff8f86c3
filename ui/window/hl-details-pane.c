/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-details-pane"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-details-pane.h"
#include "hl-bin-layout.h"
#include "hl-side-text.h"
#include "hl-wrap-label.h"

/* The selected step in full: its caption, the facts the diagram abbreviates, the technical
 * line and the bytes. The field-by-field inspector will live in the inspector slot. */

#define MAX_DUMP 256
#define DUMP_LINE 8   /* bytes per line: narrow enough for the pane at any font size */

struct _HlDetailsPane
{
  AdwBin      parent_instance;

  /* template widgets */
  GtkStack   *stack;
  GtkLabel   *kicker_label;
  GtkLabel   *title_label;
  GtkLabel   *caption_label;
  GtkListBox *facts_list;
  GtkLabel   *technical_label;
  GtkLabel   *bytes_heading;
  GtkLabel   *bytes_label;
  GtkBox     *inspector_slot;

  /* owned */
  HlEvent    *event;
};

G_DEFINE_FINAL_TYPE (HlDetailsPane, hl_details_pane, ADW_TYPE_BIN)

/* A fact: a row made of the nodes of an AdwActionRow (row.property > box.header > box.title >
 * label.title, label.subtitle), so the stylesheet of any libadwaita draws it as one, but placed
 * differently. AdwActionRow centres its boxes with valign, and GTK then asks the wrapping labels
 * inside how narrow they can be at their height: GtkLabel finds out by laying its text out at
 * width after width (a hundred shapings of one row's few words in a window's first frame). The
 * header here is a vertical GtkCenterBox (its CSS name is box, too), which centres the title
 * box at the height it has for its width, and asks nothing else. */
static void
add_fact (HlDetailsPane *self, const char *name, const char *value)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *header = gtk_center_box_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = hl_wrap_label_new (name, "title", FALSE);
  GtkWidget *subtitle = hl_wrap_label_new (value, "subtitle", FALSE);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_widget_add_css_class (box, "title");
  gtk_orientable_set_orientation (GTK_ORIENTABLE (header), GTK_ORIENTATION_VERTICAL);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (header), box);
  gtk_widget_add_css_class (header, "header");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), header);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, subtitle, NULL, -1);
  gtk_list_box_append (self->facts_list, row);
}

static char *
dup_hex_dump (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < MIN (len, MAX_DUMP); i++)
    {
      if (i % DUMP_LINE == 0)
        g_string_append_printf (s, "%s%04" G_GSIZE_MODIFIER "x  ", i ? "\n" : "", i);
      g_string_append_printf (s, "%s%02x", i % DUMP_LINE == 0 ? "" : " ", data[i]);
    }
  return g_string_free (s, FALSE);
}

static const char *
kind_text (HlEvent *event)
{
  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_RECORD: return _("TLS record on the wire");
    case HL_EVENT_MESSAGE:
      return hl_event_get_content_type (event) == HL_CONTENT_CHANGE_CIPHER_SPEC
             ? _("ChangeCipherSpec message") : _("Handshake message");
    case HL_EVENT_ACTION: return _("Local step — nothing on the wire");
    case HL_EVENT_ALERT:
      return hl_event_get_alert_level (event) == 2 ? _("Alert (fatal)") : _("Alert (warning)");
    case HL_EVENT_APP_DATA: return _("Application data");
    case HL_EVENT_NOTE: return _("Note");
    default: return "";
    }
}

static char *
dup_who (HlEvent *event)
{
  HlSide side = hl_event_get_side (event), peer = hl_event_get_peer (event);

  if (hl_event_get_kind (event) == HL_EVENT_ACTION)
    {
      if (peer == HL_SIDE_CA)
        return g_strdup_printf (_("%s, against the %s it trusts"), hl_side_text_label (side),
                                hl_side_text_label (peer));
      return g_strdup (hl_side_text_label (side));
    }
  if (peer == HL_SIDE_BOTH || peer == HL_SIDE_NONE)
    return g_strdup (hl_side_text_label (side));
  return g_strdup_printf ("%s → %s", hl_side_text_label (side), hl_side_text_label (peer));
}

/* TLS 1.2 teaches one set of session keys, TLS 1.3 handshake and application traffic keys */
static const char *
protection (HlTrace *trace, HlEvent *event)
{
  switch (hl_event_get_epoch (event))
    {
    case HL_EPOCH_HANDSHAKE: return _("Encrypted with the handshake traffic keys");
    case HL_EPOCH_APPLICATION:
      return hl_trace_handshake_is_tls13 (trace, hl_event_get_handshake (event))
               ? _("Encrypted with the application traffic keys")
               : _("Encrypted with the session keys");
    case HL_EPOCH_PLAINTEXT:
    default: return _("In the clear — readable by anyone on the path");
    }
}

void
hl_details_pane_set_event (HlDetailsPane *self,
                           HlTrace       *trace,
                           HlEvent       *event,
                           guint          step_number)
{
  GtkWidget *child;
  HlEventKind kind;
  g_autofree char *kicker = NULL;
  g_autofree char *who = NULL;
  g_autofree char *dump = NULL;
  gsize len;

  g_return_if_fail (HL_IS_DETAILS_PANE (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));
  g_return_if_fail (event == NULL || HL_IS_EVENT (event));

  g_set_object (&self->event, event);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->facts_list))))
    gtk_list_box_remove (self->facts_list, child);
  if (event == NULL || trace == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  kind = hl_event_get_kind (event);
  who = dup_who (event);
  kicker = g_strdup_printf (_("Step %u · %s"), step_number, who);
  hl_wrap_label_set_text (self->kicker_label, kicker);
  hl_wrap_label_set_text (self->title_label, hl_event_get_name (event));
  hl_wrap_label_set_text (self->caption_label, hl_event_get_caption (event));
  hl_wrap_label_set_text (self->technical_label, hl_event_get_technical (event));

  add_fact (self, _("Kind"), kind_text (event));
  len = hl_event_get_length (event);
  if (kind != HL_EVENT_ACTION && kind != HL_EVENT_NOTE)
    {
      g_autofree char *size = NULL;

      if (kind == HL_EVENT_MESSAGE && len >= 4 &&
          hl_event_get_content_type (event) != HL_CONTENT_CHANGE_CIPHER_SPEC)
        size = g_strdup_printf (_("%zu bytes: 4-byte header and %zu-byte body"), len,
                                len - 4);
      else
        size = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes", len),
                                len);
      add_fact (self, _("Size"), size);
      add_fact (self, _("Protection"), protection (trace, event));
    }
  if (kind != HL_EVENT_RECORD && hl_event_get_record (event) >= 0 &&
      (guint) hl_event_get_record (event) < hl_trace_get_n_events (trace))
    {
      HlEvent *record = hl_trace_get_event (trace, hl_event_get_record (event));
      g_autofree char *text = g_strdup_printf (_("A %zu-byte record (event %d)"),
                                               hl_event_get_length (record),
                                               hl_event_get_record (event));

      add_fact (self, _("Carried in"), text);
    }
  if (hl_event_get_check (event) != HL_CHECK_NONE)
    add_fact (self, _("Result"), hl_event_get_check (event) == HL_CHECK_OK ? _("✓ Passed")
                                                                            : _("✗ Failed"));
  if (hl_trace_get_n_handshakes (trace) > 1)
    {
      g_autofree char *text = NULL;

      if (hl_trace_get_attacker (trace) != NULL)
        text = g_strdup_printf (hl_event_get_handshake (event) == 0
                                  ? _("Connection %u of %u · client ⇄ attacker")
                                  : _("Connection %u of %u · attacker ⇄ server"),
                                hl_event_get_handshake (event) + 1,
                                hl_trace_get_n_handshakes (trace));
      else
        text = g_strdup_printf (_("Connection %u of %u"), hl_event_get_handshake (event) + 1,
                                hl_trace_get_n_handshakes (trace));
      add_fact (self, _("Connection"), text);
    }
  /* what the attacker relays, linked both ways across its two connections */
  if (hl_event_get_forwarded (event) >= 0 &&
      (guint) hl_event_get_forwarded (event) < hl_trace_get_n_events (trace))
    {
      HlEvent *from = hl_trace_get_event (trace, hl_event_get_forwarded (event));
      GBytes *read = hl_event_get_bytes (from), *sent = hl_event_get_bytes (event);
      gboolean same = read != NULL && sent != NULL && g_bytes_equal (read, sent);
      g_autofree char *text = g_strdup_printf (same ? _("What the %s sent (event %d), unchanged")
                                                    : _("What the %s sent (event %d), changed"),
                                               hl_side_text_word (hl_event_get_side (from)),
                                               hl_event_get_forwarded (event));

      add_fact (self, _("Relays"), text);
    }
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    if (hl_event_get_forwarded (hl_trace_get_event (trace, i)) ==
        (int) hl_event_get_index (event))
      {
        g_autofree char *text = g_strdup_printf (_("Passed on by the attacker to the %s "
                                                   "(event %u)"),
                                                 hl_side_text_word (hl_event_get_peer (
                                                   hl_trace_get_event (trace, i))), i);

        add_fact (self, _("Relayed"), text);
      }

  dump = dup_hex_dump (hl_event_get_bytes (event));
  gtk_widget_set_visible (GTK_WIDGET (self->bytes_heading), *dump != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->bytes_label), *dump != '\0');
  if (*dump)
    {
      g_autofree char *heading = NULL;

      if (len > MAX_DUMP)
        heading = g_strdup_printf (_("Bytes (the first %u of %zu)"), MAX_DUMP, len);
      else
        heading = g_strdup (_("Bytes"));
      gtk_label_set_text (self->bytes_heading, heading);
      gtk_label_set_text (self->bytes_label, dump);
    }
  gtk_stack_set_visible_child_name (self->stack, "event");
}

HlEvent *
hl_details_pane_get_event (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);
  return self->event;
}

GtkBox *
hl_details_pane_get_inspector_slot (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);
  return self->inspector_slot;
}

static void
hl_details_pane_dispose (GObject *object)
{
  HlDetailsPane *self = HL_DETAILS_PANE (object);

  g_clear_object (&self->event);
  /* the bin unparents its child before the template drops it */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_DETAILS_PANE);
  G_OBJECT_CLASS (hl_details_pane_parent_class)->dispose (object);
}

static void
hl_details_pane_class_init (HlDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_details_pane_dispose;

  g_type_ensure (HL_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/hl-details-pane.ui");
  gtk_widget_class_set_css_name (widget_class, "hldetailspane");
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, stack);
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, kicker_label);
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, caption_label);
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, facts_list);
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, technical_label);
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, bytes_heading);
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, bytes_label);
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, inspector_slot);
}

static void
hl_details_pane_init (HlDetailsPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hl_details_pane_new (void)
{
  return g_object_new (HL_TYPE_DETAILS_PANE, NULL);
}
