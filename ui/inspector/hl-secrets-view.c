/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-secrets-view"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-secrets-view.h"
#include "hl-tooltip.h"
#include "hl-trace-decode.h"
#include "hl-value-row.h"

/* Order of this file: the struct, entries (one per value, GnuTLS's next to ours), ordering,
 * cards, following the selected step, public API, GObject.
 *
 * Every secret and key of the run as a derivation: where it starts (the randoms, the premaster
 * or shared secret), the secrets, the keys, the Finished values. A value that both GnuTLS
 * reported and Handshake Lens recomputed is one card with both values and ✓ or ✗; its formula
 * names its inputs, and each input is a link to its own card. Values GnuTLS keeps to itself are
 * listed as such, never faked. The view shows what the trace says. */

struct _HlSecretsView
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkScrolledWindow *scroller;
  GtkBox            *content;
  GtkLabel          *summary_label;
  GtkBox            *sections;

  /* owned */
  HlTrace           *trace;
  GPtrArray         *entries;      /* of Entry */
  GHashTable        *cards;        /* "handshake:name" → GtkWidget (borrowed) */
  char              *pending;      /* card key to scroll to once allocated */
  GdkFrameClock     *scroll_clock;  /* while scrolling to a card */
  gulong             scroll_id;
  guint              scroll_frames;
  guint              scroll_stable;
  double             scroll_value;  /* where the last frame scrolled to */
};

enum
{
  SHOW_TRANSCRIPT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlSecretsView, hl_secrets_view, ADW_TYPE_BIN)

/* Entries */

typedef struct
{
  char           *name;       /* without ".derived" */
  guint           handshake;
  const HlSecret *library;    /* GnuTLS's, decrypted or wire value; borrowed from the trace */
  const HlSecret *derived;    /* ours; borrowed */
  GBytes         *random;     /* client_random / server_random from the negotiated values */
  int             rank;
  guint           order;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_clear_pointer (&entry->random, g_bytes_unref);
  g_free (entry);
}

/* Where each value sits in the story of the key schedule; unknown names go last, in trace
 * order. Tens are the sections. */
static const struct { const char *name; int rank; } ranks[] = {
  { "client_random", 0 }, { "server_random", 1 }, { "resumption_ticket", 2 },
  { "ecdhe_shared_secret", 3 }, { "premaster_secret", 4 }, { "session_hash", 5 },
  { "master_secret", 10 }, { "resumption_psk", 11 }, { "CLIENT_EARLY_TRAFFIC_SECRET", 12 },
  { "handshake_secret", 13 }, { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", 14 },
  { "SERVER_HANDSHAKE_TRAFFIC_SECRET", 15 }, { "master_secret_13", 16 },
  { "CLIENT_TRAFFIC_SECRET_0", 17 }, { "SERVER_TRAFFIC_SECRET_0", 18 },
  { "EXPORTER_SECRET", 19 },
  { "key_block", 20 }, { "client_write_mac_key", 21 }, { "server_write_mac_key", 22 },
  { "client_handshake_write_key", 23 }, { "client_handshake_write_iv", 24 },
  { "server_handshake_write_key", 25 }, { "server_handshake_write_iv", 26 },
  { "client_write_key", 27 }, { "client_write_iv", 28 }, { "server_write_key", 29 },
  { "server_write_iv", 30 }, { "server_finished_key", 31 }, { "client_finished_key", 32 },
  { "transcript_hash.", 40 }, { "client_verify_data", 40 }, { "server_verify_data", 40 },
};

static int
rank_of (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (ranks); i++)
    {
      gsize n = strlen (ranks[i].name);

      if (ranks[i].name[n - 1] == '.' ? g_str_has_prefix (name, ranks[i].name)
                                       : g_str_equal (name, ranks[i].name))
        return ranks[i].rank;
    }
  return 50;
}

static const char *
section_title (int rank)
{
  switch (rank / 10)
    {
    case 0: return _("Where it starts");
    case 1: return _("Secrets");
    case 2:
    case 3: return _("Keys");
    case 4: return _("Finished: the conversation checked");
    default: return _("Other values");
    }
}

/* Readable titles for the key log's names; the name itself stays visible on the card. */
static const char *
title_of (const Entry *entry)
{
  static const struct { const char *name; const char *title; } titles[] = {
    { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", N_("Client handshake traffic secret") },
    { "SERVER_HANDSHAKE_TRAFFIC_SECRET", N_("Server handshake traffic secret") },
    { "CLIENT_TRAFFIC_SECRET_0", N_("Client application traffic secret") },
    { "SERVER_TRAFFIC_SECRET_0", N_("Server application traffic secret") },
    { "CLIENT_EARLY_TRAFFIC_SECRET", N_("Client early traffic secret") },
    { "EXPORTER_SECRET", N_("Exporter secret") },
    { "client_random", N_("Client random") },
    { "server_random", N_("Server random") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (entry->name, titles[i].name))
      return _(titles[i].title);
  if (entry->library && entry->library->label)
    return entry->library->label;
  if (entry->derived && entry->derived->label)
    return entry->derived->label;
  return entry->name;
}

static char *
entry_key (const char *name, guint handshake)
{
  return g_strdup_printf ("%u:%s", handshake, name);
}

static Entry *
find_entry (GPtrArray *entries, const char *name, guint handshake)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);

      if (e->handshake == handshake && g_str_equal (e->name, name))
        return e;
    }
  return NULL;
}

static Entry *
add_entry (GPtrArray *entries, const char *name, guint handshake)
{
  Entry *e = find_entry (entries, name, handshake);

  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      e->name = g_strdup (name);
      e->handshake = handshake;
      e->rank = rank_of (name);
      e->order = entries->len;
      g_ptr_array_add (entries, e);
    }
  return e;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(const Entry **) a, *y = *(const Entry **) b;

  if (x->handshake != y->handshake)
    return x->handshake < y->handshake ? -1 : 1;
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static GPtrArray *
collect_entries (HlTrace *trace)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  GPtrArray *negotiated = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negotiated->len; i++)
    {
      const HlNegotiated *n = g_ptr_array_index (negotiated, i);

      if (n->client_random)
        add_entry (entries, "client_random", n->handshake)->random = g_bytes_ref (n->client_random);
      if (n->server_random)
        add_entry (entries, "server_random", n->handshake)->random = g_bytes_ref (n->server_random);
    }
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (g_str_has_suffix (s->name, ".derived"))
        {
          g_autofree char *base = g_strndup (s->name, strlen (s->name) - strlen (".derived"));

          add_entry (entries, base, s->handshake)->derived = s;
        }
      else if (s->source == HL_SOURCE_DERIVED)
        add_entry (entries, s->name, s->handshake)->derived = s;
      else
        add_entry (entries, s->name, s->handshake)->library = s;
    }
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

/* The value a card stands for: ours when recomputed, else the reported one. */
static GBytes *
entry_value (const Entry *e)
{
  if (e->random)
    return e->random;
  if (e->derived && e->derived->value)
    return e->derived->value;
  return e->library ? e->library->value : NULL;
}

static gboolean
entry_hidden (const Entry *e)
{
  return e->random == NULL && entry_value (e) == NULL;
}

static HlCheck
entry_check (const Entry *e)
{
  return e->derived ? e->derived->check : HL_CHECK_NONE;
}

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
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
badge_new (const Entry *e)
{
  GtkWidget *badge;
  HlCheck check = entry_check (e);

  if (entry_hidden (e))
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

static void input_clicked_cb (GtkButton *button, HlSecretsView *self);

static GtkWidget *
inputs_box_new (HlSecretsView *self, const Entry *e)
{
  const HlSecret *s = e->derived ? e->derived : e->library;
  GtkWidget *box;

  if (s == NULL || s->inputs == NULL || s->inputs[0] == NULL)
    return NULL;
  box = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (box), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (box), 4);
  gtk_widget_add_css_class (box, "secret-inputs");
  gtk_flow_box_append (GTK_FLOW_BOX (box), label_new (_("From:"), "dim-label"));
  for (guint i = 0; s->inputs[i]; i++)
    {
      const char *input = s->inputs[i];
      Entry *target = find_entry (self->entries, input, e->handshake);
      GtkWidget *button;
      const char *text = target ? title_of (target) : input;

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
      g_signal_connect (button, "clicked", G_CALLBACK (input_clicked_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (box), button);
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
      title = g_strdup_printf (_("1. On the wire, in the ClientKeyExchange: %" G_GSIZE_FORMAT
                                 " bytes encrypted with the server's RSA public key"),
                               g_bytes_get_size (encrypted));
      gtk_box_append (box, value_row_new (title, encrypted, HL_CHECK_NONE, NULL));
      g_clear_pointer (&title, g_free);
    }
  title = g_strdup_printf (_("2. Decrypted with the server's private key: %" G_GSIZE_FORMAT
                             " bytes"), len);
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
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title, *badge, *inputs;
  GBytes *value = entry_value (e);
  const HlSecret *main = e->derived ? e->derived : e->library;
  g_autofree char *meta = NULL;
  g_autofree char *size = NULL;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "secret-card");
  gtk_widget_add_css_class (box, "secret-card-box");

  title = label_new (title_of (e), "heading");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (header), title);
  if (value)
    {
      size = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GSIZE_FORMAT " byte",
                                           "%" G_GSIZE_FORMAT " bytes", g_bytes_get_size (value)),
                              g_bytes_get_size (value));
      gtk_box_append (GTK_BOX (header), label_new (size, "dim-label"));
    }
  badge = badge_new (e);
  if (badge)
    gtk_box_append (GTK_BOX (header), badge);
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
      hidden += entry_hidden (e);
      ok += !entry_hidden (e) && entry_check (e) == HL_CHECK_OK;
      failed += !entry_hidden (e) && entry_check (e) == HL_CHECK_FAILED;
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
rebuild (HlSecretsView *self)
{
  GtkWidget *list = NULL;
  int section = -1;
  int handshake = -1;
  g_autofree char *summary = NULL;

  clear_sections (self);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  if (self->trace == NULL)
    return;
  self->entries = collect_entries (self->trace);
  summary = dup_summary (self);
  gtk_label_set_text (self->summary_label, summary);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (self->entries, i);
      GtkWidget *card;

      if ((int) e->handshake != handshake && hl_trace_get_n_handshakes (self->trace) > 1)
        {
          g_autofree char *text = NULL;

          if (hl_trace_get_attacker (self->trace) != NULL)
            text = g_strdup_printf (e->handshake == 0 ? _("Connection %u · client ⇄ attacker")
                                                      : _("Connection %u · attacker ⇄ server"),
                                    e->handshake + 1);
          else
            text = g_strdup_printf (_("Connection %u"), e->handshake + 1);

          gtk_box_append (self->sections, label_new (text, "title-4"));
          section = -1;
        }
      handshake = (int) e->handshake;
      if (e->rank / 10 != section && !(e->rank / 10 == 3 && section == 2))
        {
          section = e->rank / 10;
          gtk_box_append (self->sections, label_new (section_title (e->rank),
                                                     "inspector-heading"));
          list = gtk_list_box_new ();
          gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (list, "boxed-list");
          gtk_box_append (self->sections, list);
        }
      card = card_new (self, e);
      gtk_list_box_append (GTK_LIST_BOX (list), card);
      g_hash_table_insert (self->cards, entry_key (e->name, e->handshake), card);
    }
}

/* Following the selected step */

static void
stop_scrolling (HlSecretsView *self)
{
  if (self->scroll_clock)
    g_signal_handler_disconnect (self->scroll_clock, self->scroll_id);
  self->scroll_id = 0;
  g_clear_object (&self->scroll_clock);
  g_clear_pointer (&self->pending, g_free);
}

/* Scrolls to the pending card right after each layout, until its place settles (cards above it
 * may still be rewrapping to a new width) or someone scrolls. Setting the adjustment there asks
 * the frame clock for one more layout in the same frame, so the card is in place when drawn. */
static void
layout_cb (GdkFrameClock *clock, HlSecretsView *self)
{
  GtkWidget *card = self->pending ? g_hash_table_lookup (self->cards, self->pending) : NULL;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  graphene_point_t point = GRAPHENE_POINT_INIT (0, 0);
  gboolean placed;
  double target;

  if (card != NULL && gtk_widget_get_mapped (card) && gtk_widget_get_height (card) <= 0)
    return;
  if (card == NULL || !gtk_widget_get_mapped (card) || self->scroll_frames++ > 30 ||
      (self->scroll_frames > 1 && gtk_adjustment_get_value (adj) != self->scroll_value))
    {
      stop_scrolling (self);
      return;
    }
#if GTK_CHECK_VERSION (4, 10, 0)
  placed = gtk_widget_compute_point (card, GTK_WIDGET (self->content),
                                     &GRAPHENE_POINT_INIT (0, 0), &point);
#else
  {
    double x, y;

    placed = gtk_widget_translate_coordinates (card, GTK_WIDGET (self->content), 0, 0, &x, &y);
    point.y = (float) y;
  }
#endif
  if (!placed)
    {
      stop_scrolling (self);
      return;
    }
  target = MAX (point.y - 12, 0);
  if (target != gtk_adjustment_get_value (adj))
    {
      self->scroll_stable = 0;
      gtk_adjustment_set_value (adj, target);
    }
  else if (++self->scroll_stable >= 3)
    {
      stop_scrolling (self);
      return;
    }
  self->scroll_value = gtk_adjustment_get_value (adj);
}

static void
schedule_scroll (HlSecretsView *self)
{
  GdkFrameClock *clock;

  self->scroll_frames = 0;
  self->scroll_stable = 0;
  if (self->scroll_id != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL)
    return;
  self->scroll_clock = g_object_ref (clock);
  self->scroll_id = g_signal_connect_after (clock, "layout", G_CALLBACK (layout_cb), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
input_clicked_cb (GtkButton *button, HlSecretsView *self)
{
  const char *input = g_object_get_data (G_OBJECT (button), "hl-input");
  guint handshake = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "hl-handshake"));

  if (g_str_equal (input, "handshake_messages"))
    {
      GtkWidget *card = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
      const Entry *e = card ? g_object_get_data (G_OBJECT (card), "hl-entry") : NULL;

      g_signal_emit (self, signals[SHOW_TRANSCRIPT], 0, e ? e->name : NULL, handshake);
      return;
    }
  if (hl_secrets_view_focus (self, input, handshake))
    {
      GtkWidget *card = hl_secrets_view_get_card (self, input, handshake);

      if (card)
        gtk_widget_grab_focus (card);
    }
}

/* The values a step is about, most specific first. */
static void
names_for_event (HlEvent *event, GPtrArray *names)
{
  const char *name = hl_event_get_name (event);
  /* secret names are by TLS role: the attacker is the server of one connection, the client of
   * the other */
  const char *side = hl_event_get_role (event) == HL_SIDE_CLIENT ? "client" : "server";
  const char *peer = hl_event_get_role (event) == HL_SIDE_CLIENT ? "server" : "client";

  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_MESSAGE:
      switch (hl_event_get_handshake_type (event))
        {
        case 1: g_ptr_array_add (names, g_strdup ("client_random")); break;
        case 2: g_ptr_array_add (names, g_strdup ("server_random")); break;
        case 4: g_ptr_array_add (names, g_strdup ("resumption_ticket")); break;
        case 16:
          g_ptr_array_add (names, g_strdup ("premaster_secret"));
          g_ptr_array_add (names, g_strdup ("ecdhe_shared_secret"));
          break;
        case 20: g_ptr_array_add (names, g_strdup_printf ("%s_verify_data", side)); break;
        default: break;
        }
      break;
    case HL_EVENT_ACTION:
      if (strstr (name, "premaster") || strstr (name, "shared secret") ||
          strstr (name, "Premaster"))
        {
          g_ptr_array_add (names, g_strdup ("premaster_secret"));
          g_ptr_array_add (names, g_strdup ("ecdhe_shared_secret"));
        }
      else if (strstr (name, "master secret"))
        g_ptr_array_add (names, g_strdup ("master_secret"));
      else if (strstr (name, "handshake keys"))
        g_ptr_array_add (names, g_strdup ("CLIENT_HANDSHAKE_TRAFFIC_SECRET"));
      else if (strstr (name, "application keys"))
        g_ptr_array_add (names, g_strdup ("CLIENT_TRAFFIC_SECRET_0"));
      else if (strstr (name, "Finished"))
        g_ptr_array_add (names, g_strdup_printf ("%s_verify_data", peer));
      else if (strstr (name, "Resume"))
        g_ptr_array_add (names, g_strdup ("resumption_ticket"));
      break;
    case HL_EVENT_RECORD:
    case HL_EVENT_APP_DATA:
    case HL_EVENT_ALERT:
      if (hl_event_get_epoch (event) == HL_EPOCH_HANDSHAKE)
        g_ptr_array_add (names, g_strdup_printf ("%s_handshake_write_key", side));
      else if (hl_event_get_epoch (event) == HL_EPOCH_APPLICATION ||
               hl_event_get_kind (event) == HL_EVENT_APP_DATA)
        g_ptr_array_add (names, g_strdup_printf ("%s_write_key", side));
      break;
    case HL_EVENT_NOTE:
    default:
      break;
    }
}

static void
set_focused (HlSecretsView *self, GtkWidget *focused)
{
  GHashTableIter iter;
  gpointer card;

  g_hash_table_iter_init (&iter, self->cards);
  while (g_hash_table_iter_next (&iter, NULL, &card))
    if (card != focused)
      gtk_widget_remove_css_class (card, "focused");
  if (focused)
    gtk_widget_add_css_class (focused, "focused");
}

static void
map_cb (HlSecretsView *self)
{
  if (self->pending)
    schedule_scroll (self);
}

static void
unmap_cb (HlSecretsView *self)
{
  /* keep the wish, not the frame clock: scroll when shown again */
  if (self->scroll_clock)
    g_signal_handler_disconnect (self->scroll_clock, self->scroll_id);
  self->scroll_id = 0;
  g_clear_object (&self->scroll_clock);
}

/* Public API */

void
hl_secrets_view_set_trace (HlSecretsView *self, HlTrace *trace)
{
  g_return_if_fail (HL_IS_SECRETS_VIEW (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));

  g_set_object (&self->trace, trace);
  g_clear_pointer (&self->pending, g_free);
  rebuild (self);
}

void
hl_secrets_view_set_event (HlSecretsView *self, HlEvent *event)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (HL_IS_SECRETS_VIEW (self));

  if (event)
    names_for_event (event, names);
  for (guint i = 0; i < names->len; i++)
    if (hl_secrets_view_focus (self, g_ptr_array_index (names, i),
                               hl_event_get_handshake (event)))
      return;
  set_focused (self, NULL);
}

gboolean
hl_secrets_view_focus (HlSecretsView *self, const char *name, guint handshake)
{
  g_autofree char *key = NULL;
  GtkWidget *card;

  g_return_val_if_fail (HL_IS_SECRETS_VIEW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  key = entry_key (name, handshake);
  card = g_hash_table_lookup (self->cards, key);
  if (card == NULL)
    return FALSE;
  set_focused (self, card);
  g_free (self->pending);
  self->pending = g_steal_pointer (&key);
  schedule_scroll (self);
  return TRUE;
}

GtkWidget *
hl_secrets_view_get_card (HlSecretsView *self, const char *name, guint handshake)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (HL_IS_SECRETS_VIEW (self), NULL);

  key = entry_key (name, handshake);
  return g_hash_table_lookup (self->cards, key);
}

static void
collect_text (GtkWidget *widget, GString *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)))
    g_string_append_printf (out, "%s\n", gtk_button_get_label (GTK_BUTTON (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    if (!GTK_IS_BUTTON (widget))
      collect_text (child, out);
}

char *
hl_secrets_view_dup_card_text (HlSecretsView *self, const char *name, guint handshake)
{
  GtkWidget *card = hl_secrets_view_get_card (self, name, handshake);
  GString *out;

  if (card == NULL)
    return NULL;
  out = g_string_new (NULL);
  collect_text (card, out);
  return g_string_free (out, FALSE);
}

guint
hl_secrets_view_count (HlSecretsView *self, HlCheck check)
{
  GHashTableIter iter;
  gpointer card;
  guint n = 0;

  g_return_val_if_fail (HL_IS_SECRETS_VIEW (self), 0);

  g_hash_table_iter_init (&iter, self->cards);
  while (g_hash_table_iter_next (&iter, NULL, &card))
    {
      GtkWidget *badge = g_object_get_data (card, "hl-badge");

      if (badge && gtk_widget_get_visible (badge) &&
          GPOINTER_TO_INT (g_object_get_data (G_OBJECT (badge), "hl-check")) == (int) check &&
          !gtk_widget_has_css_class (badge, "hidden"))
        n++;
    }
  return n;
}

gboolean
hl_secrets_view_copy_focused (HlSecretsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *card = NULL;
  const Entry *e;
  GBytes *value;
  gsize len = 0;
  const guint8 *data;
  GString *hex;

  g_return_val_if_fail (HL_IS_SECRETS_VIEW (self), FALSE);

  for (GtkWidget *w = focus; w && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    if (g_object_get_data (G_OBJECT (w), "hl-entry"))
      card = w;
  e = card ? g_object_get_data (G_OBJECT (card), "hl-entry") : NULL;
  value = e ? entry_value (e) : NULL;
  if (value == NULL)
    return FALSE;
  data = g_bytes_get_data (value, &len);
  hex = g_string_sized_new (len * 2);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), hex->str);
  g_string_free (hex, TRUE);
  return TRUE;
}

static gboolean
copy_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return hl_secrets_view_copy_focused (HL_SECRETS_VIEW (widget));
}

/* GObject */

static void
hl_secrets_view_dispose (GObject *object)
{
  HlSecretsView *self = HL_SECRETS_VIEW (object);

  stop_scrolling (self);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_SECRETS_VIEW);
  g_clear_pointer (&self->cards, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->trace);
  G_OBJECT_CLASS (hl_secrets_view_parent_class)->dispose (object);
}

static void
hl_secrets_view_finalize (GObject *object)
{
  g_free (HL_SECRETS_VIEW (object)->pending);
  G_OBJECT_CLASS (hl_secrets_view_parent_class)->finalize (object);
}

static void
hl_secrets_view_class_init (HlSecretsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_secrets_view_dispose;
  object_class->finalize = hl_secrets_view_finalize;

  /**
   * HlSecretsView::show-transcript:
   * @name: the value whose input is "the handshake messages" (a transcript hash)
   * @handshake: its handshake
   *
   * Someone asked which messages went into a hash: the Hashes tab tells.
   */
  signals[SHOW_TRANSCRIPT] =
    g_signal_new ("show-transcript", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-secrets-view.ui");
  gtk_widget_class_set_css_name (widget_class, "hlsecretsview");
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, scroller);
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, content);
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, sections);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, copy_shortcut_cb, NULL);
}

static void
hl_secrets_view_init (HlSecretsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmap_cb), NULL);
}

GtkWidget *
hl_secrets_view_new (void)
{
  return g_object_new (HL_TYPE_SECRETS_VIEW, NULL);
}
