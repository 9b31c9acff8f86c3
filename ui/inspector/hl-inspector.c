/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-inspector"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-hex-layout.h"
#include "hl-inspector.h"
#include "hl-inspector-private.h"
#include "hl-side-text.h"
#include "hl-tab-bin.h"
#include "hl-tooltip.h"
#include "hl-trace-decode.h"

/* Order of this file: decoding (with a cache), the two forms of a protected message, tabs,
 * public API, GObject. The links between tabs, the pages of the Fields and Bytes tabs and
 * fields ↔ bytes are in hl-inspector-links.c, search in hl-inspector-search.c; the struct in
 * hl-inspector-private.h. */

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlInspector, hl_inspector, ADW_TYPE_BIN)

static const char *const tab_names[] = {
  HL_INSPECTOR_TAB_FIELDS, HL_INSPECTOR_TAB_BYTES, HL_INSPECTOR_TAB_CERTIFICATES,
  HL_INSPECTOR_TAB_SECRETS, HL_INSPECTOR_TAB_HASHES,
};

/* Decoding */

GListModel *
hl_insp_steps_model (HlInspector *self)
{
  return self->steps ? self->steps : G_LIST_MODEL (self->trace);
}

/* The decoder's field tree of @event's own bytes, decoded once per trace. */
HlField *
hl_insp_decoded_fields (HlInspector *self, HlEvent *event, GError **error)
{
  HlField *root = g_hash_table_lookup (self->decoded, event);

  if (root == NULL)
    {
      root = hl_trace_decode_with_internals (self->trace, event, error);
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

gboolean
hl_insp_is_protected_record (HlEvent *event)
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

  if (hl_insp_is_protected_record (event))
    return hl_event_get_plaintext (event) ? event : NULL;
  if (hl_event_get_kind (event) == HL_EVENT_RECORD || hl_event_get_bytes (event) == NULL)
    return NULL;
  record = hl_event_get_record (event);
  if (record < 0 || (guint) record >= hl_trace_get_n_events (self->trace))
    return NULL;
  return hl_insp_is_protected_record (hl_trace_get_event (self->trace, (guint) record))
         ? hl_trace_get_event (self->trace, (guint) record) : NULL;
}

/* TLS 1.2 teaches one set of session keys, TLS 1.3 handshake and application traffic keys */
static const char *
epoch_words (HlInspector *self, HlEvent *record)
{
  if (hl_event_get_epoch (record) == HL_EPOCH_HANDSHAKE)
    return _("the handshake traffic keys");
  return self->trace && hl_trace_handshake_is_tls13 (self->trace,
                                                     hl_event_get_handshake (record))
           ? _("the application traffic keys") : _("the session keys");
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
    text = g_strdup_printf (_("What an eavesdropper sees: a %zu-byte record "
                              "encrypted with %s. Only its header is readable."),
                            hl_event_get_length (wire), epoch_words (self, wire));
  else if (hl_event_get_check (wire) == HL_CHECK_OK)
    text = g_strdup_printf (from_peer ? _("Decrypted by Handshake Lens with %s of the %s ✓ — "
                                          "equal to what our GnuTLS read from the peer.")
                                      : _("Decrypted by Handshake Lens with %s of the %s ✓ — "
                                          "equal to what GnuTLS sent."), epoch_words (self, wire),
                            hl_side_text_word (hl_event_get_side (wire)));
  else if (hl_event_get_check (wire) == HL_CHECK_FAILED)
    text = g_strdup_printf (from_peer ? _("Decrypted with %s ✗ — it does not match what our "
                                          "GnuTLS read from the peer.")
                                      : _("Decrypted with %s ✗ — it does not match what GnuTLS "
                                          "sent."), epoch_words (self, wire));
  else
    text = g_strdup_printf (_("As GnuTLS handed it over, before encryption with %s."),
                            epoch_words (self, wire));
  gtk_label_set_text (self->form_label, text);
}

static void
replace_text (char **slot, const char *text)
{
  char *copy = g_strdup (text);

  g_free (*slot);
  *slot = copy;
}

static void
show_no_bytes (HlInspector *self, const char *title, const char *description)
{
  replace_text (&self->fields_none_title, title);
  replace_text (&self->fields_none_text, description);
  replace_text (&self->bytes_none_title, title);
  replace_text (&self->bytes_none_text, description);
}

/* Fills the Fields and Bytes tabs with the form chosen (those made; the others are filled
 * when they are). */
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
      root = hl_insp_decoded_fields (self, self->wire_event, &error);
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
        root = hl_insp_decoded_fields (self, event, &error);
    }

  self->bytes = bytes && g_bytes_get_size (bytes) > 0 ? g_bytes_ref (bytes) : NULL;
  self->root = root ? hl_field_ref (root) : NULL;
  /* the whole message selected in both tabs */
  g_clear_pointer (&self->selected_field, hl_field_unref);
  self->selected_field = root ? hl_field_ref (root) : NULL;

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
                                       hl_side_text_word (hl_event_get_side (event)));
      show_no_bytes (self, action ? _("A Local Step") : _("Nothing on the Wire"),
                     description ? description : hl_event_get_caption (event));
    }
  else if (self->root == NULL)
    {
      g_autofree char *description =
        g_strdup_printf (_("The decoder stopped: %s. The Bytes tab shows them raw."),
                         error ? error->message : _("nothing to decode"));

      replace_text (&self->fields_none_title, _("These Bytes Do Not Decode"));
      replace_text (&self->fields_none_text, description);
    }
  hl_insp_sync_fields_page (self);
  hl_insp_sync_bytes_page (self);
  update_form_bar (self);
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
const char *
hl_insp_natural_tab (HlEvent *event)
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

/* The view of a lazy tab, made the first time it is shown or asked for: a window that never
 * shows the certificates or hashes builds neither (their widgets were a fifth of a window). */
static void
make_tab_view (HlInspector *self, LazyTab tab)
{
  switch (tab)
    {
    case LAZY_CERTIFICATES:
      if (self->certificate_view)
        return;
      self->certificate_view = HL_CERTIFICATE_VIEW (hl_certificate_view_new ());
      hl_tab_bin_set_child (self->certificate_bin, GTK_WIDGET (self->certificate_view));
      break;
    case LAZY_SECRETS:
      if (self->secrets_view)
        return;
      self->secrets_view = HL_SECRETS_VIEW (hl_secrets_view_new ());
      g_signal_connect_swapped (self->secrets_view, "show-transcript",
                                G_CALLBACK (hl_insp_show_transcript_cb), self);
      hl_tab_bin_set_child (self->secrets_bin, GTK_WIDGET (self->secrets_view));
      break;
    case LAZY_HASHES:
      if (self->hashes_view)
        return;
      self->hashes_view = HL_HASHES_VIEW (hl_hashes_view_new ());
      g_signal_connect_swapped (self->hashes_view, "event-activated",
                                G_CALLBACK (hl_insp_transcript_event_cb), self);
      hl_tab_bin_set_child (self->hashes_bin, GTK_WIDGET (self->hashes_view));
      break;
    case N_LAZY_TABS:
    default:
      g_assert_not_reached ();
    }
}

/* Brings one lazy tab up to the trace and the step. */
static void
sync_tab (HlInspector *self, LazyTab tab)
{
  if (self->stack == NULL)   /* disposed */
    return;
  make_tab_view (self, tab);
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

void
hl_insp_show_tab (HlInspector *self, const char *name)
{
  int tab = lazy_tab_of (name);

  /* filled before it is shown, so it never appears with the previous step (the Fields and
   * Bytes pages follow every step, and are made when the stack maps them:
   * hl_insp_page_map_cb ()) */
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
    g_signal_handlers_disconnect_by_func (self->steps, hl_insp_steps_changed_cb, self);
  g_set_object (&self->steps, steps);
  if (steps)
    g_signal_connect_object (steps, "items-changed", G_CALLBACK (hl_insp_steps_changed_cb), self,
                             G_CONNECT_SWAPPED);
  hl_insp_clear_matches (self);
  g_clear_object (&self->lazy_event);
  for (guint i = 0; i < N_LAZY_TABS; i++)
    {
      self->trace_stale[i] = TRUE;
      self->event_stale[i] = FALSE;
    }
  sync_visible_tab (self);
  if (gtk_search_bar_get_search_mode (self->search_bar))
    hl_insp_search_changed_cb (self);
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
  /* the links first: load_form () gives them to the pages with the rest */
  hl_insp_update_links (self);
  load_form (self);

  if (event)
    {
      g_set_object (&self->lazy_event, event);
      for (guint i = 0; i < N_LAZY_TABS; i++)
        self->event_stale[i] = TRUE;
    }
  tab = hl_insp_natural_tab (event);
  hl_insp_show_tab (self, tab ? tab : self->user_tab);
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
  hl_insp_show_tab (self, name);
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

HlFieldView *
hl_inspector_get_field_view (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  /* made when asked for; it follows the step even when its tab is hidden */
  hl_insp_ensure_fields_page (self);
  return self->field_view;
}

HlHexView *
hl_inspector_get_hex_view (HlInspector *self)
{
  g_return_val_if_fail (HL_IS_INSPECTOR (self), NULL);
  /* made when asked for; it follows the step even when its tab is hidden */
  hl_insp_ensure_bytes_page (self);
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
    hl_insp_clear_matches (self);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_INSPECTOR);
  /* the pages made here went with their bins, the search row with its bar */
  self->search_entry = NULL;
  self->search_status = NULL;
  self->fields_stack = NULL;
  self->fields_empty = NULL;
  self->fields_empty_button = NULL;
  self->link_button = NULL;
  self->link_label = NULL;
  self->field_view = NULL;
  self->bytes_stack = NULL;
  self->bytes_empty = NULL;
  self->bytes_empty_button = NULL;
  self->bytes_info = NULL;
  self->bytes_copy_button = NULL;
  self->hex_view = NULL;
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->root, hl_field_unref);
  g_clear_pointer (&self->selected_field, hl_field_unref);
  g_clear_pointer (&self->decoded, g_hash_table_unref);
  g_clear_pointer (&self->decrypted, g_hash_table_unref);
  g_clear_object (&self->event);
  g_clear_object (&self->lazy_event);
  if (self->steps)
    g_signal_handlers_disconnect_by_func (self->steps, hl_insp_steps_changed_cb, self);
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
  g_free (self->link_text);
  g_free (self->related_label);
  g_free (self->fields_none_title);
  g_free (self->fields_none_text);
  g_free (self->bytes_none_title);
  g_free (self->bytes_none_text);
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

  g_type_ensure (HL_TYPE_TAB_BIN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/hl-inspector.ui");
  gtk_widget_class_set_css_name (widget_class, "hlinspector");
  gtk_widget_class_bind_template_child (widget_class, HlInspector, switcher);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, search_button);
  /* for their tooltips only (hl_tooltip_set_template_texts ()) */
  gtk_widget_class_bind_template_child (widget_class, HlInspector, search_bar);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, form_bar);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, wire_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, plain_button);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, form_label);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, fields_bin);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, bytes_bin);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, certificate_bin);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, secrets_bin);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, hashes_bin);
  gtk_widget_class_bind_template_callback (widget_class, form_toggled_cb);
}

static void
hl_inspector_init (HlInspector *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* not in the template: see hl_tooltip_set_template_texts () */
  hl_tooltip_set_template_texts (GTK_WIDGET (self), HL_TYPE_INSPECTOR,
                                 "search_button",
                                 _("Find a field or bytes in this handshake (Ctrl+F)"), NULL);

  self->decoded = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hl_field_unref);
  self->decrypted = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hl_field_unref);
  self->matches = g_array_new (FALSE, FALSE, sizeof (Match));
  self->match = -1;
  self->user_tab = g_strdup (HL_INSPECTOR_TAB_FIELDS);

  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (hl_insp_ensure_search_ui), self);
  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (visible_tab_changed_cb), self);
  /* after the class handler: the page is mapped, and its new child with it */
  g_signal_connect (self->fields_bin, "map", G_CALLBACK (hl_insp_page_map_cb), self);
  g_signal_connect (self->bytes_bin, "map", G_CALLBACK (hl_insp_page_map_cb), self);

  /* Ctrl+F works anywhere in the window, not only inside the inspector */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (
                                                            hl_insp_find_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  hl_inspector_set_event (self, NULL);
}

GtkWidget *
hl_inspector_new (void)
{
  return g_object_new (HL_TYPE_INSPECTOR, NULL);
}

void
hl_insp_emit_step_requested (HlInspector *self, guint position)
{
  g_signal_emit (self, signals[STEP_REQUESTED], 0, position);
}
