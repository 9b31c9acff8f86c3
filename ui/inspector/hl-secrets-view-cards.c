/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-secrets-view"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-keyschedule-ladder.h"
#include "hl-keyschedule-picture.h"
#include "hl-tooltip.h"
#include "hl-trace-decode.h"
#include "hl-value-row.h"
#include "hl-wrap-box.h"
#include "hl-wrap-label.h"
#include "hl-secrets-view-private.h"

/* The secrets view, its cards (see hl-secrets-view-private.h): a card per value with its
 * formula, its inputs as links, its badge and where it came from; the sections they go in. */

/* Cards */

static const char *
holder_text (HlTrace *trace, const Entry *e)
{
  const HlSecret *s = e->derived ? e->derived : e->library;
  gboolean attacker = trace != NULL && hl_trace_get_attacker (trace) != NULL;

  if (e->random || (s && s->source == HL_SOURCE_WIRE))
    return _("Known to everyone on the path: sent in the clear");
  if (e->library)
    s = e->library;
  /* with an attacker in the middle, "both ends" of a connection are never client and server */
  if (attacker && (s ? s->holder : HL_SIDE_BOTH) == HL_SIDE_BOTH)
    return e->handshake == 0 ? _("Known to the client and the attacker — not to the server")
                             : _("Known to the attacker and the server — not to the client");
  switch (s ? s->holder : HL_SIDE_BOTH)
    {
    case HL_SIDE_CLIENT: return _("Known to the client");
    case HL_SIDE_SERVER: return _("Known to the server");
    case HL_SIDE_ATTACKER: return _("Known to the attacker");
    case HL_SIDE_BOTH:
    default: return _("Known to the client and the server, and nobody else");
    }
}

static const char *
source_text (const Entry *e)
{
  if (e->random)
    return g_str_equal (e->name, "client_random") ? _("in the ClientHello")
                                                   : _("in the ServerHello");
  if (e->library)
    switch (e->library->source)
      {
      case HL_SOURCE_LIBRARY:
        return e->library->value ? _("reported by GnuTLS") : _("held inside GnuTLS");
      case HL_SOURCE_DECRYPTED: return _("decrypted from the wire by Handshake Lens");
      case HL_SOURCE_WIRE: return _("read from the wire");
      case HL_SOURCE_DERIVED:
      default: break;
      }
  return e->derived && e->derived->value ? _("computed by Handshake Lens")
                                         : _("held inside GnuTLS");
}

static GtkWidget *
label_new (const char *text, const char *css_class)
{
  return hl_wrap_label_new (text, css_class, TRUE);
}

static GtkWidget *
badge_new (const Entry *e)
{
  GtkWidget *badge;
  HlCheck check = hl_secview_entry_check (e);

  if (hl_secview_entry_hidden (e))
    {
      badge = gtk_label_new (_("held inside GnuTLS"));
      gtk_widget_add_css_class (badge, "hidden");
    }
  else if (check == HL_CHECK_OK)
    {
      badge = gtk_label_new (e->library && e->library->value ? _("✓ recomputed, equal")
                                                             : _("✓ checks out"));
      gtk_widget_add_css_class (badge, "ok");
    }
  else if (check == HL_CHECK_FAILED)
    {
      badge = gtk_label_new (_("✗ different"));
      gtk_widget_add_css_class (badge, "failed");
    }
  else
    return NULL;
  gtk_widget_add_css_class (badge, "check-badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (badge), "hl-check", GINT_TO_POINTER (check));
  return badge;
}

static GtkWidget *
inputs_box_new (HlSecretsView *self, const Entry *e)
{
  const HlSecret *s = e->derived ? e->derived : e->library;
  GtkWidget *box, *from;

  if (s == NULL || s->inputs == NULL || s->inputs[0] == NULL)
    return NULL;
  box = hl_wrap_box_new (4, 4);
  gtk_widget_add_css_class (box, "secret-inputs");
  from = gtk_label_new (_("From:"));
  gtk_widget_add_css_class (from, "dim-label");
  hl_wrap_box_append (HL_WRAP_BOX (box), from);
  for (guint i = 0; s->inputs[i]; i++)
    {
      const char *input = s->inputs[i];
      Entry *target = hl_secview_find_entry (self->entries, input, e->handshake);
      GtkWidget *button;
      const char *text = target ? hl_secview_title_of (target) : input;

      if (g_str_equal (input, "handshake_messages"))
        text = _("the handshake messages");
      button = gtk_button_new_with_label (text);
      gtk_widget_add_css_class (button, "input-link");
      hl_tooltip_set_text (button, g_str_equal (input, "handshake_messages")
                           ? _("Show which messages were hashed (Hashes)") : input);
      g_object_set_data_full (G_OBJECT (button), "hl-input", g_strdup (input), g_free);
      g_object_set_data (G_OBJECT (button), "hl-handshake", GUINT_TO_POINTER (e->handshake));
      gtk_widget_set_sensitive (button, target != NULL || g_str_equal (input,
                                                                       "handshake_messages"));
      g_signal_connect (button, "clicked", G_CALLBACK (hl_secview_input_clicked_cb), self);
      hl_wrap_box_append (HL_WRAP_BOX (box), button);
    }
  return box;
}

/* RFC 5246 §7.4.7.1: the ciphertext of an RSA premaster secret, from the ClientKeyExchange of
 * @handshake, or NULL. */
static GBytes *
dup_encrypted_premaster (HlTrace *trace, guint handshake)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(HlField) root = NULL;
      HlField *field, *data;

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_handshake_type (event) != 16 || hl_event_get_handshake (event) != handshake)
        continue;
      root = hl_trace_decode_event (trace, event, NULL);
      field = root ? hl_field_find (root, "encrypted_pre_master_secret") : NULL;
      data = field ? hl_field_find (field, "data") : NULL;
      if (data == NULL)
        return NULL;
      return g_bytes_new_from_bytes (hl_event_get_bytes (event), hl_field_get_offset (data),
                                     hl_field_get_length (data));
    }
  return NULL;
}

static GtkWidget *
value_row_new (const char *title, GBytes *bytes, HlCheck check, const char *check_label)
{
  GtkWidget *row = hl_value_row_new (title);

  hl_value_row_set_bytes (HL_VALUE_ROW (row), bytes);
  if (check != HL_CHECK_NONE)
    hl_value_row_set_check (HL_VALUE_ROW (row), check, check_label);
  return row;
}

static void
add_premaster_story (HlSecretsView *self, GtkBox *box, const Entry *e)
{
  g_autoptr(GBytes) encrypted = dup_encrypted_premaster (self->trace, e->handshake);
  GBytes *value = e->library->value;
  gsize len = 0;
  const guint8 *data = value ? g_bytes_get_data (value, &len) : NULL;
  g_autofree char *title = NULL;

  if (encrypted)
    {
      title = g_strdup_printf (_("1. On the wire, in the ClientKeyExchange: %zu"
                                 " bytes encrypted with the server's RSA public key"),
                               g_bytes_get_size (encrypted));
      gtk_box_append (box, value_row_new (title, encrypted, HL_CHECK_NONE, NULL));
      g_clear_pointer (&title, g_free);
    }
  title = g_strdup_printf (_("2. Decrypted with the server's private key: %zu bytes"),
                           len);
  gtk_box_append (box, value_row_new (title, value, HL_CHECK_NONE, NULL));
  if (len == 48)
    {
      g_autofree char *text = g_strdup_printf (_("3. %02x %02x: the newest version the client "
                                                 "offered (%s), then 46 random bytes "
                                                 "(RFC 5246 §7.4.7.1)"), data[0], data[1],
                                               data[0] == 3 && data[1] == 3 ? "TLS 1.2"
                                               : data[0] == 3 && data[1] == 1 ? "TLS 1.0"
                                               : data[0] == 3 && data[1] == 2 ? "TLS 1.1"
                                                                               : "?");

      gtk_box_append (box, label_new (text, "secret-story"));
    }
}

static GtkWidget *
card_new (HlSecretsView *self, const Entry *e)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_grid_new ();   /* not a GtkBox: see hl-value-row.c */
  GtkWidget *title, *badge, *inputs;
  GBytes *value = hl_secview_entry_value (e);
  const HlSecret *main = e->derived ? e->derived : e->library;
  g_autofree char *meta = NULL;
  g_autofree char *size = NULL;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "secret-card");
  gtk_widget_add_css_class (box, "secret-card-box");
  gtk_grid_set_column_spacing (GTK_GRID (header), 8);

  title = label_new (hl_secview_title_of (e), "heading");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_grid_attach (GTK_GRID (header), title, 0, 0, 1, 1);
  if (value)
    {
      size = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes",
                                           g_bytes_get_size (value)),
                              g_bytes_get_size (value));
      gtk_grid_attach (GTK_GRID (header), label_new (size, "dim-label"), 1, 0, 1, 1);
    }
  badge = badge_new (e);
  if (badge)
    gtk_grid_attach (GTK_GRID (header), badge, 2, 0, 1, 1);
  gtk_box_append (GTK_BOX (box), header);

  meta = g_strdup_printf ("%s · %s · %s", e->name, holder_text (self->trace, e),
                          source_text (e));
  gtk_box_append (GTK_BOX (box), label_new (meta, "secret-meta"));

  if (main && main->formula)
    {
      g_autofree char *formula = g_strdup_printf ("= %s", main->formula);

      gtk_box_append (GTK_BOX (box), label_new (formula, "secret-formula"));
    }
  inputs = inputs_box_new (self, e);
  if (inputs)
    gtk_box_append (GTK_BOX (box), inputs);

  if (e->library && e->library->source == HL_SOURCE_DECRYPTED &&
      g_str_equal (e->name, "premaster_secret"))
    add_premaster_story (self, GTK_BOX (box), e);
  else if (e->random)
    gtk_box_append (GTK_BOX (box), value_row_new (NULL, e->random, HL_CHECK_NONE, NULL));
  else if (e->library && e->library->value && e->derived && e->derived->value)
    {
      gtk_box_append (GTK_BOX (box), value_row_new (_("GnuTLS's value"), e->library->value,
                                                    HL_CHECK_NONE, NULL));
      gtk_box_append (GTK_BOX (box),
                      value_row_new (_("Recomputed by Handshake Lens"), e->derived->value,
                                     e->derived->check,
                                     e->derived->check == HL_CHECK_OK ? _("equal")
                                                                      : _("different")));
    }
  else if (value)
    gtk_box_append (GTK_BOX (box), value_row_new (NULL, value, HL_CHECK_NONE, NULL));

  if (e->library && e->library->note)
    gtk_box_append (GTK_BOX (box), label_new (e->library->note, "secret-note"));
  if (e->derived && e->derived->note &&
      (e->library == NULL || g_strcmp0 (e->library->note, e->derived->note) != 0))
    gtk_box_append (GTK_BOX (box), label_new (e->derived->note, "secret-note"));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "hl-entry", (gpointer) e);
  g_object_set_data (G_OBJECT (row), "hl-badge", badge);
  return row;
}

static void
clear_sections (HlSecretsView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections))))
    gtk_box_remove (self->sections, child);
  g_hash_table_remove_all (self->cards);
}

static char *
short_hex (GBytes *bytes)
{
  gsize n;
  const guint8 *p = g_bytes_get_data (bytes, &n);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < MIN (n, 8); i++)
    g_string_append_printf (out, "%02x", p[i]);
  return g_string_free (out, FALSE);
}

/* An attacker in the middle: the client's session keys and the server's are not the same keys
 * — each connection has its own, and the attacker holds both sets. */
static void
append_attacker_keys (HlTrace *trace, GString *out)
{
  const char *const names[] = { "client_write_key", "client_handshake_write_key" };
  const HlSecret *ours = NULL, *theirs = NULL;

  if (trace == NULL || hl_trace_get_attacker (trace) == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (names) && (ours == NULL || theirs == NULL); i++)
    {
      ours = hl_trace_find_secret (trace, names[i], 0);
      theirs = hl_trace_find_secret (trace, names[i], 1);
      if (ours && theirs && ours->value && theirs->value)
        {
          g_autofree char *a = short_hex (ours->value);
          g_autofree char *b = short_hex (theirs->value);

          g_string_append (out, "\n\n");
          g_string_append_printf (out, g_bytes_equal (ours->value, theirs->value)
                                         ? _("The client's %s (connection 1, %.16s…) equals the "
                                             "server's (connection 2, %.16s…).")
                                         : _("The client's keys are not the server's: its %s "
                                             "(connection 1, %.16s…) differs from the one the "
                                             "server uses (connection 2, %.16s…). Each "
                                             "connection has its own key schedule, and the "
                                             "attacker holds both."),
                                  names[i], a, b);
          return;
        }
      ours = theirs = NULL;
    }
  g_string_append (out, "\n\n");
  g_string_append (out, _("The client never got session keys for its connection: it refused "
                          "the attacker's certificate first. The attacker's connection to the "
                          "server has keys of its own."));
}

static char *
dup_summary (HlSecretsView *self)
{
  guint ok = 0, failed = 0, hidden = 0, shown = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (self->entries, i);

      shown++;
      hidden += hl_secview_entry_hidden (e);
      ok += !hl_secview_entry_hidden (e) && hl_secview_entry_check (e) == HL_CHECK_OK;
      failed += !hl_secview_entry_hidden (e) && hl_secview_entry_check (e) == HL_CHECK_FAILED;
    }
  if (shown == 0)
    return g_strdup (_("No secrets or keys in this trace."));
  {
    GString *out = g_string_new (NULL);

    g_string_append_printf (out, _("Handshake Lens recomputed %u of these %u values on its "
                                   "own."), ok + failed, shown);
    g_string_append_c (out, ' ');
    if (failed == 0 && ok > 0)
      g_string_append (out, _("All are equal to what GnuTLS used ✓."));
    else if (failed > 0)
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "%u is different from what GnuTLS used ✗.",
                                                "%u are different from what GnuTLS used ✗.",
                                                failed), failed);
    if (hidden > 0)
      {
        g_string_append_c (out, ' ');
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                  "%u is held inside GnuTLS, which exposes no "
                                                  "way to read it.",
                                                  "%u are held inside GnuTLS, which exposes no "
                                                  "way to read them.", hidden), hidden);
      }
    append_attacker_keys (self->trace, out);
    return g_string_free (out, FALSE);
  }
}

static void
rung_activated_cb (HlKeySchedulePicture *picture, const char *name, guint handshake,
                   HlSecretsView *self)
{
  if (hl_secrets_view_focus (self, name, handshake))
    gtk_widget_grab_focus (hl_secrets_view_get_card (self, name, handshake));
}

/* The TLS 1.3 key schedule of a connection as one picture, above its cards. */
static void
append_picture (HlSecretsView *self, guint handshake)
{
  GtkWidget *picture;

  if (!hl_keyschedule_ladder_applies (self->trace, handshake))
    return;
  gtk_box_append (self->sections, label_new (_("Key schedule (RFC 8446 §7.1) — click a box for "
                                               "its card"), "inspector-heading"));
  picture = hl_keyschedule_picture_new (self->trace, handshake);
  g_signal_connect (picture, "rung-activated", G_CALLBACK (rung_activated_cb), self);
  gtk_box_append (self->sections, picture);
}

/* Cards are built in the order of the entries, each section's heading and list before its
 * first card, so building stops and resumes anywhere: the first frame builds only the cards it
 * shows (hl-secrets-view.c). */
void
hl_secview_rebuild (HlSecretsView *self)
{
  g_autofree char *summary = NULL;

  clear_sections (self);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  self->n_built = 0;
  self->list = NULL;
  self->section = -1;
  self->handshake = -1;
  if (self->trace == NULL)
    return;
  self->entries = hl_secview_collect_entries (self->trace);
  summary = dup_summary (self);
  gtk_label_set_text (self->summary_label, summary);
}

/* Builds the cards of the entries up to @n (all of them with G_MAXUINT). */
void
hl_secview_build_cards (HlSecretsView *self, guint n)
{
  n = self->entries ? MIN (n, self->entries->len) : 0;
  for (; self->n_built < n; self->n_built++)
    {
      const Entry *e = g_ptr_array_index (self->entries, self->n_built);
      GtkWidget *card;

      if ((int) e->handshake != self->handshake && hl_trace_get_n_handshakes (self->trace) > 1)
        {
          g_autofree char *text = NULL;

          if (hl_trace_get_attacker (self->trace) != NULL)
            text = g_strdup_printf (e->handshake == 0 ? _("Connection %u · client ⇄ attacker")
                                                      : _("Connection %u · attacker ⇄ server"),
                                    e->handshake + 1);
          else
            text = g_strdup_printf (_("Connection %u"), e->handshake + 1);

          gtk_box_append (self->sections, label_new (text, "title-4"));
          self->section = -1;
        }
      if ((int) e->handshake != self->handshake)
        append_picture (self, e->handshake);
      self->handshake = (int) e->handshake;
      if (e->rank / 10 != self->section && !(e->rank / 10 == 3 && self->section == 2))
        {
          self->section = e->rank / 10;
          gtk_box_append (self->sections, label_new (hl_secview_section_title (e->rank),
                                                     "inspector-heading"));
          self->list = gtk_list_box_new ();
          gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (self->list, "boxed-list");
          gtk_box_append (self->sections, self->list);
        }
      card = card_new (self, e);
      gtk_list_box_append (GTK_LIST_BOX (self->list), card);
      g_hash_table_insert (self->cards, hl_secview_entry_key (e->name, e->handshake), card);
    }
}
