/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-inspector"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-hex-layout.h"
#include "hl-inspector.h"
#include "hl-trace-decode.h"

/* Order of this file: the struct, decoding (with a cache), the two forms of a protected
 * message, tabs, the links between tabs, fields ↔ bytes, search, public API, GObject.
 *
 * The inspector follows the selected step of the diagram and shows it five ways: its decoded
 * fields, its bytes, the certificates of the run, every secret and key as a derivation, and the
 * hashes compared in Finished. Each tab is its own widget; this one decodes, keeps the Fields
 * and Bytes tabs on the same field, switches to the tab a local step is about, and searches the
 * whole handshake. It only reads the trace (the protocol library did the decoding and the
 * cryptography); nothing here calls GnuTLS. */

/* The certificates, secrets and hashes tabs build many widgets (every certificate printed,
 * a card per secret, a row per transcript message) and AdwViewStack measures hidden pages
 * too, so they are filled only when first shown, and follow the trace and the step only while
 * shown (or when asked for): nothing off screen is built or shaped. */
typedef enum
{
  LAZY_CERTIFICATES,
  LAZY_SECRETS,
  LAZY_HASHES,
  N_LAZY_TABS
} LazyTab;

struct _HlInspector
{
  AdwBin             parent_instance;

  /* template widgets */
  AdwViewSwitcher   *switcher;
  GtkToggleButton   *search_button;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkLabel          *search_status;
  GtkWidget         *form_bar;
  GtkToggleButton   *wire_button;
  GtkToggleButton   *plain_button;
  GtkLabel          *form_label;
  AdwViewStack      *stack;
  GtkStack          *fields_stack;
  AdwStatusPage     *fields_empty;
  GtkButton         *fields_empty_button;
  GtkButton         *link_button;
  GtkLabel          *link_label;
  HlFieldView       *field_view;
  GtkStack          *bytes_stack;
  AdwStatusPage     *bytes_empty;
  GtkButton         *bytes_empty_button;
  GtkLabel          *bytes_info;
  GtkButton         *bytes_copy_button;
  HlHexView         *hex_view;
  HlCertificateView *certificate_view;
  HlSecretsView     *secrets_view;
  HlHashesView      *hashes_view;

  /* owned */
  HlTrace           *trace;
  GListModel        *steps;
  HlEvent           *event;
  HlEvent           *wire_event;    /* the protected record that carried the event, or NULL */
  GBytes            *bytes;         /* of the form shown */
  HlField           *root;
  GHashTable        *decoded;       /* HlEvent → HlField (or a decoding error: not cached) */
  GHashTable        *decrypted;     /* HlEvent (record) → HlField of its plaintext */
  char              *user_tab;      /* the tab last chosen by hand */
  char              *link_tab;      /* where the link buttons lead … */
  char              *link_secret;   /* … and which value they show there */
  GArray            *matches;       /* of Match */
  int                match;         /* the current match, or -1 */

  HlEvent           *lazy_event;    /* the last step given to the lazy tabs since the trace */
  gboolean           trace_stale[N_LAZY_TABS];  /* the tab has not seen the trace yet … */
  gboolean           event_stale[N_LAZY_TABS];  /* … or lazy_event */

  gboolean           show_plain;
  gboolean           switching;     /* tab changes made here, not by people */
};

typedef struct
{
  guint    position;   /* in the steps */
  gsize    offset;
  gsize    length;
  HlField *field;      /* owned; NULL for a byte match */
} Match;

enum
{
  STEP_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlInspector, hl_inspector, ADW_TYPE_BIN)

static const char *const tab_names[] = {
  HL_INSPECTOR_TAB_FIELDS, HL_INSPECTOR_TAB_BYTES, HL_INSPECTOR_TAB_CERTIFICATES,
  HL_INSPECTOR_TAB_SECRETS, HL_INSPECTOR_TAB_HASHES,
};

static void update_bytes_info (HlInspector *self);

/* Decoding */

static GListModel *
steps_model (HlInspector *self)
{
  return self->steps ? self->steps : G_LIST_MODEL (self->trace);
}

/* The decoder's field tree of @event's own bytes, decoded once per trace. */
static HlField *
decoded_fields (HlInspector *self, HlEvent *event, GError **error)
{
  HlField *root = g_hash_table_lookup (self->decoded, event);

  if (root == NULL)
    {
      root = hl_trace_decode_event (self->trace, event, error);
      if (root)
        g_hash_table_insert (self->decoded, event, root);
    }
  return root;
}

static HlField *
decrypted_fields (HlInspector *self, HlEvent *record, GError **error)
{
  HlField *root = g_hash_table_lookup (self->decrypted, record);

  if (root == NULL)
    {
      root = hl_trace_decode_plaintext (self->trace, record, error);
      if (root)
        g_hash_table_insert (self->decrypted, record, root);
    }
  return root;
}

/* The two forms */

static gboolean
is_protected_record (HlEvent *event)
{
  return event && hl_event_get_kind (event) == HL_EVENT_RECORD &&
         hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT;
}

/* A protected record has its ciphertext and (when decrypted) its plaintext; a message, alert
 * or application data that travelled in one has its own bytes and that record. */
static HlEvent *
find_wire_event (HlInspector *self, HlEvent *event)
{
  int record;

  if (is_protected_record (event))
    return hl_event_get_plaintext (event) ? event : NULL;
  if (hl_event_get_kind (event) == HL_EVENT_RECORD || hl_event_get_bytes (event) == NULL)
    return NULL;
  record = hl_event_get_record (event);
  if (record < 0 || (guint) record >= hl_trace_get_n_events (self->trace))
    return NULL;
  return is_protected_record (hl_trace_get_event (self->trace, (guint) record))
         ? hl_trace_get_event (self->trace, (guint) record) : NULL;
}

/* A participant in running text: "client", "server", "attacker". */
static const char *
participant (HlSide side)
{
  switch (side)
    {
    case HL_SIDE_CLIENT: return _("client");
    case HL_SIDE_ATTACKER: return _("attacker");
    case HL_SIDE_CA: return _("certificate authority");
    case HL_SIDE_SERVER:
    default: return _("server");
    }
}

static const char *
epoch_words (HlEvent *record)
{
  return hl_event_get_epoch (record) == HL_EPOCH_HANDSHAKE ? _("the handshake traffic keys")
                                                           : _("the session keys");
}

static void
update_form_bar (HlInspector *self)
{
  const char *tab = adw_view_stack_get_visible_child_name (self->stack);
  gboolean bytes_tab = g_strcmp0 (tab, "fields") == 0 || g_strcmp0 (tab, "bytes") == 0;
  g_autofree char *text = NULL;
  HlEvent *wire = self->wire_event;
  const HlLive *live = self->trace ? hl_trace_get_live (self->trace) : NULL;
  /* live: the remote peer's records were read by our GnuTLS, not sent by it */
  gboolean from_peer = live != NULL && wire != NULL && hl_event_get_side (wire) != live->local;

  gtk_widget_set_visible (self->form_bar, wire != NULL && bytes_tab);
  if (wire == NULL)
    return;
  if (!self->show_plain)
    text = g_strdup_printf (_("What an eavesdropper sees: a %" G_GSIZE_FORMAT "-byte record "
                              "encrypted with %s. Only its header is readable."),
                            hl_event_get_length (wire), epoch_words (wire));
  else if (hl_event_get_check (wire) == HL_CHECK_OK)
    text = g_strdup_printf (from_peer ? _("Decrypted by Handshake Lens with %s of the %s ✓ — "
                                          "equal to what our GnuTLS read from the peer.")
                                      : _("Decrypted by Handshake Lens with %s of the %s ✓ — "
                                          "equal to what GnuTLS sent."), epoch_words (wire),
                            participant (hl_event_get_side (wire)));
  else if (hl_event_get_check (wire) == HL_CHECK_FAILED)
    text = g_strdup_printf (from_peer ? _("Decrypted with %s ✗ — it does not match what our "
                                          "GnuTLS read from the peer.")
                                      : _("Decrypted with %s ✗ — it does not match what GnuTLS "
                                          "sent."), epoch_words (wire));
  else
    text = g_strdup_printf (_("As GnuTLS handed it over, before encryption with %s."),
                            epoch_words (wire));
  gtk_label_set_text (self->form_label, text);
}

static void
show_no_bytes (HlInspector *self, const char *title, const char *description)
{
  adw_status_page_set_title (self->fields_empty, title);
  adw_status_page_set_description (self->fields_empty, description);
  adw_status_page_set_title (self->bytes_empty, title);
  adw_status_page_set_description (self->bytes_empty, description);
  gtk_stack_set_visible_child_name (self->fields_stack, "none");
  gtk_stack_set_visible_child_name (self->bytes_stack, "none");
}

/* Fills the Fields and Bytes tabs with the form chosen. */
static void
load_form (HlInspector *self)
{
  g_autoptr(GError) error = NULL;
  HlEvent *event = self->event;
  HlField *root = NULL;
  GBytes *bytes = NULL;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->root, hl_field_unref);

  if (event && self->wire_event && !self->show_plain)
    {
      bytes = hl_event_get_bytes (self->wire_event);
      root = decoded_fields (self, self->wire_event, &error);
    }
  else if (event && self->wire_event == event)
    {
      bytes = hl_event_get_plaintext (event);
      root = decrypted_fields (self, event, &error);
    }
  else if (event)
    {
      bytes = hl_event_get_bytes (event);
      if (bytes && g_bytes_get_size (bytes) > 0)
        root = decoded_fields (self, event, &error);
    }

  self->bytes = bytes && g_bytes_get_size (bytes) > 0 ? g_bytes_ref (bytes) : NULL;
  self->root = root ? hl_field_ref (root) : NULL;
  hl_field_view_set_data (self->field_view, self->bytes, self->root);
  hl_hex_view_set_data (self->hex_view, self->bytes, self->root);
  if (self->root)
    hl_hex_view_select_field (self->hex_view, self->root);

  if (event == NULL)
    show_no_bytes (self, _("No Step Selected"),
                   _("Play the handshake, or click an arrow or a box in the diagram."));
  else if (self->bytes == NULL)
    {
      gboolean action = hl_event_get_kind (event) == HL_EVENT_ACTION;
      g_autofree char *description = NULL;

      if (action)
        description = g_strdup_printf (_("The %s does this on its own: no bytes go on the "
                                         "wire."),
                                       participant (hl_event_get_side (event)));
      show_no_bytes (self, action ? _("A Local Step") : _("Nothing on the Wire"),
                     description ? description : hl_event_get_caption (event));
    }
  else
    {
      gtk_stack_set_visible_child_name (self->bytes_stack, "hex");
      if (self->root)
        gtk_stack_set_visible_child_name (self->fields_stack, "tree");
      else
        {
          g_autofree char *description =
            g_strdup_printf (_("The decoder stopped: %s. The Bytes tab shows them raw."),
                             error ? error->message : _("nothing to decode"));

          adw_status_page_set_title (self->fields_empty, _("These Bytes Do Not Decode"));
          adw_status_page_set_description (self->fields_empty, description);
          gtk_stack_set_visible_child_name (self->fields_stack, "none");
        }
    }
  update_form_bar (self);
  update_bytes_info (self);
}

static void
form_toggled_cb (HlInspector *self)
{
  gboolean plain = gtk_toggle_button_get_active (self->plain_button);

  if (plain == self->show_plain || self->switching)
    return;
  self->show_plain = plain;
  load_form (self);
}

/* Tabs */

gboolean
hl_inspector_is_tab_name (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (tab_names); i++)
    if (g_str_equal (name, tab_names[i]))
      return TRUE;
  return FALSE;
}

/* The tab that explains a local step: deriving keys → secrets, comparing Finished → hashes,
 * checking the chain → certificates. */
static const char *
natural_tab (HlEvent *event)
{
  const char *name;

  if (event == NULL || hl_event_get_kind (event) != HL_EVENT_ACTION)
    return NULL;
  name = hl_event_get_name (event);
  if (strstr (name, "Finished") || strstr (name, "CertificateVerify"))
    return HL_INSPECTOR_TAB_HASHES;
  if (strstr (name, "certificate") || hl_event_get_peer (event) == HL_SIDE_CA ||
      strstr (name, "signature"))
    return HL_INSPECTOR_TAB_CERTIFICATES;
  if (strstr (name, "Derive") || strstr (name, "secret") || strstr (name, "Resume") ||
      strstr (name, "keys"))
    return HL_INSPECTOR_TAB_SECRETS;
  return NULL;
}

static int
lazy_tab_of (const char *name)
{
  if (g_strcmp0 (name, HL_INSPECTOR_TAB_CERTIFICATES) == 0)
    return LAZY_CERTIFICATES;
  if (g_strcmp0 (name, HL_INSPECTOR_TAB_SECRETS) == 0)
    return LAZY_SECRETS;
  if (g_strcmp0 (name, HL_INSPECTOR_TAB_HASHES) == 0)
    return LAZY_HASHES;
  return -1;
}

/* Brings one lazy tab up to the trace and the step. */
static void
sync_tab (HlInspector *self, LazyTab tab)
{
  if (self->stack == NULL)   /* disposed */
    return;
  if (self->trace_stale[tab])
    {
      self->trace_stale[tab] = FALSE;
      switch (tab)
        {
        case LAZY_CERTIFICATES:
          hl_certificate_view_set_trace (self->certificate_view, self->trace);
          break;
        case LAZY_SECRETS:
          hl_secrets_view_set_trace (self->secrets_view, self->trace);
          break;
        case LAZY_HASHES:
          hl_hashes_view_set_trace (self->hashes_view, self->trace, self->steps);
          break;
        case N_LAZY_TABS:
        default:
          g_assert_not_reached ();
        }
    }
  if (self->event_stale[tab] && self->lazy_event)
    {
      self->event_stale[tab] = FALSE;
      switch (tab)
        {
        case LAZY_CERTIFICATES:
          hl_certificate_view_set_event (self->certificate_view, self->lazy_event);
          break;
        case LAZY_SECRETS:
          hl_secrets_view_set_event (self->secrets_view, self->lazy_event);
          break;
        case LAZY_HASHES:
          hl_hashes_view_set_event (self->hashes_view, self->lazy_event);
          break;
        case N_LAZY_TABS:
        default:
          g_assert_not_reached ();
        }
    }
}

static void
sync_visible_tab (HlInspector *self)
{
  int tab = lazy_tab_of (adw_view_stack_get_visible_child_name (self->stack));

  if (tab >= 0)
    sync_tab (self, (LazyTab) tab);
}

static void
show_tab (HlInspector *self, const char *name)
{
  int tab = lazy_tab_of (name);

  /* filled before it is shown, so it never appears with the previous step */
  if (tab >= 0)
    sync_tab (self, (LazyTab) tab);
  self->switching = TRUE;
  adw_view_stack_set_visible_child_name (self->stack, name);
  self->switching = FALSE;
  update_form_bar (self);
}

static void
visible_tab_changed_cb (HlInspector *self)
{
  if (!self->switching)
    {
      g_free (self->user_tab);
      self->user_tab = g_strdup (adw_view_stack_get_visible_child_name (self->stack));
    }
  sync_visible_tab (self);
  update_form_bar (self);
}

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

static void
update_links (HlInspector *self)
{
  HlEvent *event = self->event;
  guint handshake = event ? hl_event_get_handshake (event) : 0;
  /* secret names are by TLS role ("client_write_key"): the attacker has one on each side */
  const char *side = event && hl_event_get_role (event) == HL_SIDE_CLIENT ? "client" : "server";
  const char *tab;
  const char *button = NULL;

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
      case 11:
        set_link (self, _("The certificate in full, and why it was trusted or not: "
                          "Certificates"), HL_INSPECTOR_TAB_CERTIFICATES, NULL);
        break;
      case 15:
        set_link (self, _("Which messages this signature covers: Hashes"),
                  HL_INSPECTOR_TAB_HASHES, NULL);
        break;
      case 16:
        if (hl_trace_find_secret (self->trace, "premaster_secret", handshake))
          set_link (self, _("The premaster secret inside, decrypted, and how it became the "
                            "session keys: Secrets & Keys"), HL_INSPECTOR_TAB_SECRETS,
                    "premaster_secret");
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
  else if (is_protected_record (event) || hl_event_get_kind (event) == HL_EVENT_APP_DATA)
    {
      g_autofree char *key = g_strdup_printf (hl_event_get_epoch (event) == HL_EPOCH_HANDSHAKE
                                              ? "%s_handshake_write_key" : "%s_write_key", side);

      set_link (self, _("The key that encrypted it: Secrets & Keys"), HL_INSPECTOR_TAB_SECRETS,
                key);
    }

empty_buttons:
  /* the pages that say "nothing on the wire" point to where the step is explained */
  tab = natural_tab (event);
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

static void
related_clicked_cb (HlInspector *self)
{
  if (self->link_tab == NULL)
    return;
  g_free (self->user_tab);
  self->user_tab = g_strdup (self->link_tab);
  show_tab (self, self->link_tab);
  if (self->link_secret && self->event)
    hl_secrets_view_focus (self->secrets_view, self->link_secret,
                           hl_event_get_handshake (self->event));
}

/* Goes to the step showing @event (the window moves its playhead), or shows it here when
 * nobody listens. */
static void
request_event (HlInspector *self, HlEvent *event)
{
  GListModel *steps = steps_model (self);

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(HlEvent) item = g_list_model_get_item (steps, i);

      if (item == event)
        {
          g_signal_emit (self, signals[STEP_REQUESTED], 0, i);
          break;
        }
    }
  if (self->event != event)
    hl_inspector_set_event (self, event);
}

static void
transcript_event_cb (HlInspector *self, guint index)
{
  g_autofree char *tab = g_strdup (HL_INSPECTOR_TAB_FIELDS);

  if (self->trace == NULL || index >= hl_trace_get_n_events (self->trace))
    return;
  request_event (self, hl_trace_get_event (self->trace, index));
  g_free (self->user_tab);
  self->user_tab = g_steal_pointer (&tab);
  show_tab (self, self->user_tab);
}

static void
show_transcript_cb (HlInspector *self, const char *name, guint handshake)
{
  const char *side = name && strstr (name, "server") ? "server" : "client";

  show_tab (self, HL_INSPECTOR_TAB_HASHES);
  for (guint i = 0; self->trace && i < hl_trace_get_n_events (self->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (self->trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          hl_event_get_handshake_type (event) == 20 &&
          hl_event_get_handshake (event) == handshake &&
          g_str_equal (hl_side_to_string (hl_event_get_side (event)), side))
        {
          hl_hashes_view_show_message (self->hashes_view, i);
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

static void
update_bytes_info (HlInspector *self)
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

      text = g_strdup_printf (_("%s%s%s · bytes %" G_GSIZE_FORMAT "–%" G_GSIZE_FORMAT
                                " (%" G_GSIZE_FORMAT ")"),
                              path, value ? " = " : "", value ? value : "", offset,
                              offset + length - 1, length);
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%" G_GSIZE_FORMAT " byte selected at %" G_GSIZE_FORMAT,
                                         "%" G_GSIZE_FORMAT " bytes selected, %" G_GSIZE_FORMAT
                                         "–%" G_GSIZE_FORMAT, length),
                            length, offset, offset + length - 1);
  gtk_label_set_text (self->bytes_info, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bytes_copy_button), length > 0);
}

static void
field_selected_cb (HlInspector *self, HlField *field)
{
  hl_hex_view_select_field (self->hex_view, field);
}

static void
hex_field_activated_cb (HlInspector *self, HlField *field)
{
  hl_field_view_select_field (self->field_view, field);
}

static void
bytes_copy_clicked_cb (HlInspector *self)
{
  hl_hex_view_copy_selection (self->hex_view);
}

/* Search */

static void
clear_matches (HlInspector *self)
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
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

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
      g_autoptr(HlEvent) event = g_list_model_get_item (steps_model (self), m->position);

      text = g_strdup_printf (_("%d of %u · step %u, %s"), self->match + 1, self->matches->len,
                              m->position + 1, hl_event_get_name (event));
    }
  gtk_label_set_text (self->search_status, text);
}

static void
search_changed_cb (HlInspector *self)
{
  hl_inspector_find (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
go_to_match (HlInspector *self)
{
  const Match *m = &g_array_index (self->matches, Match, self->match);
  g_autoptr(HlEvent) event = g_list_model_get_item (steps_model (self), m->position);

  if (event != self->event)
    request_event (self, event);
  if (self->wire_event && self->show_plain != (self->wire_event != self->event))
    hl_inspector_set_show_decrypted (self, self->wire_event != self->event);
  if (m->field)
    {
      show_tab (self, HL_INSPECTOR_TAB_FIELDS);
      hl_field_view_select_field (self->field_view, m->field);
      hl_hex_view_select_field (self->hex_view, m->field);
    }
  else
    {
      show_tab (self, HL_INSPECTOR_TAB_BYTES);
      hl_hex_view_select_range (self->hex_view, m->offset, m->length);
    }
  update_search_status (self);
}

static void
search_next_cb (HlInspector *self)
{
  hl_inspector_find_next (self, FALSE);
}

static void
search_previous_cb (HlInspector *self)
{
  hl_inspector_find_next (self, TRUE);
}

static gboolean
find_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  HlInspector *self = HL_INSPECTOR (widget);

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  hl_inspector_start_search (self);
  return TRUE;
}

/* Records shown or hidden: the steps moved, and with them the matches. */
static void
steps_changed_cb (HlInspector *self)
{
  if (self->matches->len > 0)
    search_changed_cb (self);
}

/* Public API */

void
hl_inspector_set_trace (HlInspector *self, HlTrace *trace, GListModel *steps)
{
  g_return_if_fail (HL_IS_INSPECTOR (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));
  g_return_if_fail (steps == NULL || G_IS_LIST_MODEL (steps));

  g_clear_object (&self->event);
  self->wire_event = NULL;
  g_hash_table_remove_all (self->decoded);
  g_hash_table_remove_all (self->decrypted);
  g_set_object (&self->trace, trace);
  if (self->steps)
    g_signal_handlers_disconnect_by_func (self->steps, steps_changed_cb, self);
  g_set_object (&self->steps, steps);
  if (steps)
    g_signal_connect_object (steps, "items-changed", G_CALLBACK (steps_changed_cb), self,
                             G_CONNECT_SWAPPED);
  clear_matches (self);
  g_clear_object (&self->lazy_event);
  for (guint i = 0; i < N_LAZY_TABS; i++)
    {
      self->trace_stale[i] = TRUE;
      self->event_stale[i] = FALSE;
    }
  sync_visible_tab (self);
  if (gtk_search_bar_get_search_mode (self->search_bar))
    search_changed_cb (self);
  hl_inspector_set_event (self, NULL);
}

HlTrace *
hl_inspector_get_trace (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  return self->trace;
}

void
hl_inspector_set_event (HlInspector *self, HlEvent *event)
{
  const char *tab;

  g_return_if_fail (HL_IS_INSPECTOR (self));
  g_return_if_fail (event == NULL || HL_IS_EVENT (event));

  if (self->trace == NULL)
    event = NULL;
  g_set_object (&self->event, event);
  self->wire_event = event ? find_wire_event (self, event) : NULL;
  /* a record opens as it travelled, a message as it was meant */
  self->show_plain = self->wire_event != NULL && self->wire_event != event;
  self->switching = TRUE;
  gtk_toggle_button_set_active (self->plain_button, self->show_plain);
  gtk_toggle_button_set_active (self->wire_button, !self->show_plain);
  self->switching = FALSE;
  load_form (self);
  update_links (self);

  if (event)
    {
      g_set_object (&self->lazy_event, event);
      for (guint i = 0; i < N_LAZY_TABS; i++)
        self->event_stale[i] = TRUE;
    }
  tab = natural_tab (event);
  show_tab (self, tab ? tab : self->user_tab);
}

HlEvent *
hl_inspector_get_event (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  return self->event;
}

gboolean
hl_inspector_set_tab (HlInspector *self, const char *name)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), FALSE);

  if (!hl_inspector_is_tab_name (name))
    return FALSE;
  g_free (self->user_tab);
  self->user_tab = g_strdup (name);
  show_tab (self, name);
  return TRUE;
}

const char *
hl_inspector_get_tab (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  return adw_view_stack_get_visible_child_name (self->stack);
}

gboolean
hl_inspector_has_two_forms (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), FALSE);
  return self->wire_event != NULL;
}

void
hl_inspector_set_show_decrypted (HlInspector *self, gboolean decrypted)
{
  g_return_if_fail (HL_IS_INSPECTOR (self));

  if (self->wire_event == NULL)
    return;
  gtk_toggle_button_set_active (decrypted ? self->plain_button : self->wire_button, TRUE);
}

gboolean
hl_inspector_get_show_decrypted (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), FALSE);
  return self->wire_event != NULL && self->show_plain;
}

GBytes *
hl_inspector_get_bytes (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  return self->bytes;
}

HlField *
hl_inspector_get_fields (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  return self->root;
}

guint
hl_inspector_find (HlInspector *self, const char *query)
{
  g_autofree char *needle = NULL;
  g_autoptr(GBytes) pattern = NULL;
  GListModel *steps;

  g_return_val_if_fail (HL_IS_INSPECTOR (self), 0);

  clear_matches (self);
  if (self->trace && query && *query)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (query));

      needle = g_utf8_casefold (stripped, -1);
      pattern = hl_hex_layout_parse_hex (stripped);
      steps = steps_model (self);
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
          root = decoded_fields (self, event, NULL);
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
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  update_search_status (self);
}

HlFieldView *
hl_inspector_get_field_view (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  return self->field_view;
}

HlHexView *
hl_inspector_get_hex_view (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  return self->hex_view;
}

HlCertificateView *
hl_inspector_get_certificate_view (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  /* what it shows is up to date even when its tab is hidden */
  sync_tab (self, LAZY_CERTIFICATES);
  return self->certificate_view;
}

HlSecretsView *
hl_inspector_get_secrets_view (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  /* what it shows is up to date even when its tab is hidden */
  sync_tab (self, LAZY_SECRETS);
  return self->secrets_view;
}

HlHashesView *
hl_inspector_get_hashes_view (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  /* what it shows is up to date even when its tab is hidden */
  sync_tab (self, LAZY_HASHES);
  return self->hashes_view;
}

/* GObject */

static void
hl_inspector_dispose (GObject *object)
{
  HlInspector *self = HL_INSPECTOR (object);

  if (self->matches)
    clear_matches (self);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_INSPECTOR);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->root, hl_field_unref);
  g_clear_pointer (&self->decoded, g_hash_table_unref);
  g_clear_pointer (&self->decrypted, g_hash_table_unref);
  g_clear_object (&self->event);
  g_clear_object (&self->lazy_event);
  if (self->steps)
    g_signal_handlers_disconnect_by_func (self->steps, steps_changed_cb, self);
  g_clear_object (&self->steps);
  g_clear_object (&self->trace);
  G_OBJECT_CLASS (hl_inspector_parent_class)->dispose (object);
}

static void
hl_inspector_finalize (GObject *object)
{
  HlInspector *self = HL_INSPECTOR (object);

  g_clear_pointer (&self->matches, g_array_unref);
  g_free (self->user_tab);
  g_free (self->link_tab);
  g_free (self->link_secret);
  G_OBJECT_CLASS (hl_inspector_parent_class)->finalize (object);
}

static void
hl_inspector_class_init (HlInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_inspector_dispose;
  object_class->finalize = hl_inspector_finalize;

  /**
   * HlInspector::step-requested:
   * @position: the step (0-based, in the steps given to hl_inspector_set_trace()) to show
   *
   * A search hit or a link is in another step: whoever owns the playhead moves it there.
   */
  signals[STEP_REQUESTED] =
    g_signal_new ("step-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (HL_TYPE_FIELD_VIEW);
  g_type_ensure (HL_TYPE_HEX_VIEW);
  g_type_ensure (HL_TYPE_CERTIFICATE_VIEW);
  g_type_ensure (HL_TYPE_SECRETS_VIEW);
  g_type_ensure (HL_TYPE_HASHES_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/hl-inspector.ui");
  gtk_widget_class_set_css_name (widget_class, "hlinspector");
  gtk_widget_class_bind_template_child (widget_class, HlInspector, switcher);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, search_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, search_status);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, form_bar);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, wire_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, plain_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, form_label);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, fields_stack);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, fields_empty);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, fields_empty_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, link_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, link_label);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, field_view);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, bytes_stack);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, bytes_empty);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, bytes_empty_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, bytes_info);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, bytes_copy_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, hex_view);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, certificate_view);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, secrets_view);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, hashes_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, related_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bytes_copy_clicked_cb);
}

static void
hl_inspector_init (HlInspector *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->decoded = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hl_field_unref);
  self->decrypted = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hl_field_unref);
  self->matches = g_array_new (FALSE, FALSE, sizeof (Match));
  self->match = -1;
  self->user_tab = g_strdup (HL_INSPECTOR_TAB_FIELDS);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (visible_tab_changed_cb), self);
  g_signal_connect_swapped (self->field_view, "field-selected", G_CALLBACK (field_selected_cb),
                            self);
  g_signal_connect_swapped (self->hex_view, "field-activated",
                            G_CALLBACK (hex_field_activated_cb), self);
  g_signal_connect_swapped (self->hex_view, "selection-changed", G_CALLBACK (update_bytes_info),
                            self);
  g_signal_connect_swapped (self->hashes_view, "event-activated",
                            G_CALLBACK (transcript_event_cb), self);
  g_signal_connect_swapped (self->secrets_view, "show-transcript",
                            G_CALLBACK (show_transcript_cb), self);

  /* Ctrl+F works anywhere in the window, not only inside the inspector */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (find_shortcut_cb,
                                                                                   NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  hl_inspector_set_event (self, NULL);
}

GtkWidget *
hl_inspector_new (void)
{
  return g_object_new (HL_TYPE_INSPECTOR, NULL);
}
