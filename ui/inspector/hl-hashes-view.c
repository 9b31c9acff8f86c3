/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-hashes-view"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-hashes-view.h"
#include "hl-side-text.h"
#include "hl-tooltip.h"
#include "hl-trace-decode.h"
#include "hl-transcript.h"
#include "hl-value-row.h"

/* Order of this file: the struct, choosing the message, the transcript, the values, public API,
 * GObject.
 *
 * "The hashes of the conversation compared", made literal: for a Finished, which handshake
 * messages went into the hash and in what order (with their sizes), the transcript hash, the
 * verify_data the sender put in its Finished next to the one computed for the receiver, and
 * whether the receiver (GnuTLS) accepted it. For a CertificateVerify, the messages its signature
 * covers. Everything comes from the trace: the transcript from hl_trace_transcript(), the values
 * from the key schedule's secrets. */

#define HT_FINISHED            20
#define HT_CERTIFICATE_VERIFY  15

struct _HlHashesView
{
  AdwBin       parent_instance;

  /* template widgets */
  GtkStack    *stack;
  AdwStatusPage *empty_page;
  GtkDropDown *choice;
  GtkLabel    *title_label;
  GtkLabel    *verdict_label;
  GtkLabel    *intro_label;
  GtkLabel    *transcript_heading;
  GtkListBox  *transcript_list;
  GtkBox      *values_box;

  /* owned */
  HlTrace     *trace;
  GListModel  *steps;
  GArray      *targets;       /* guint event indexes of Finished / CertificateVerify messages */
  GArray      *transcript;    /* guint event indexes, as shown */
  int          shown;         /* event index shown, or -1 */
  int          marked;        /* event index marked in the transcript, or -1 */
  HlCheck      check;
  gboolean     updating;
};

enum
{
  EVENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlHashesView, hl_hashes_view, ADW_TYPE_BIN)

/* Choosing the message */

static gboolean
is_message (HlEvent *event, int type)
{
  return hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
         hl_event_get_handshake_type (event) == type;
}

static int
step_number (HlHashesView *self, HlEvent *event)
{
  GListModel *steps = self->steps ? self->steps : G_LIST_MODEL (self->trace);

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(HlEvent) item = g_list_model_get_item (steps, i);

      if (item == event)
        return (int) i + 1;
    }
  return -1;
}

static char *
dup_target_label (HlHashesView *self, HlEvent *event)
{
  int step = step_number (self, event);
  HlSide side = hl_event_get_side (event);
  const char *who = hl_side_text_label (side);
  g_autofree char *what = g_strdup_printf ("%s %s", who, hl_event_get_name (event));

  if (hl_trace_get_n_handshakes (self->trace) > 1)
    {
      g_autofree char *with = g_strdup_printf (_("%s, connection %u"), what,
                                               hl_event_get_handshake (event) + 1);

      g_free (what);
      what = g_steal_pointer (&with);
    }
  if (step > 0)
    return g_strdup_printf (_("%s · step %d"), what, step);
  return g_steal_pointer (&what);
}

static void
collect_targets (HlHashesView *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  g_array_set_size (self->targets, 0);
  for (guint i = 0; self->trace && i < hl_trace_get_n_events (self->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (self->trace, i);

      if (is_message (event, HT_FINISHED) || is_message (event, HT_CERTIFICATE_VERIFY))
        {
          g_autofree char *label = dup_target_label (self, event);

          g_array_append_val (self->targets, i);
          gtk_string_list_append (labels, label);
        }
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->choice, G_LIST_MODEL (labels));
  self->updating = FALSE;
}

/* The last message of @type before @index in @handshake sent by @side. */
static int
find_before (HlTrace *trace, guint index, int type, guint handshake, HlSide side)
{
  for (int i = (int) index - 1; i >= 0; i--)
    {
      HlEvent *event = hl_trace_get_event (trace, (guint) i);

      if (is_message (event, type) && hl_event_get_handshake (event) == handshake &&
          hl_event_get_role (event) == side)
        return i;
    }
  return -1;
}

/* The first Finished after @index in @handshake. */
static int
find_finished_after (HlTrace *trace, guint index, guint handshake)
{
  for (guint i = index + 1; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (is_message (event, HT_FINISHED) && hl_event_get_handshake (event) == handshake)
        return (int) i;
    }
  return -1;
}

/* The message shown for @event, and the one marked in its transcript. */
static int
target_for_event (HlHashesView *self, HlEvent *event, int *marked)
{
  HlTrace *trace = self->trace;
  guint index = hl_event_get_index (event);
  guint handshake = hl_event_get_handshake (event);
  HlSide other = hl_event_get_role (event) == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  const char *name = hl_event_get_name (event);

  *marked = -1;
  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_MESSAGE:
      if (is_message (event, HT_FINISHED) || is_message (event, HT_CERTIFICATE_VERIFY))
        return (int) index;
      if (hl_event_get_content_type (event) == 22)
        {
          *marked = (int) index;
          return find_finished_after (trace, index, handshake);
        }
      return find_finished_after (trace, index, handshake);
    case HL_EVENT_RECORD:
      for (guint i = index + 1; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *m = hl_trace_get_event (trace, i);

          if (hl_event_get_kind (m) == HL_EVENT_MESSAGE && hl_event_get_record (m) == (int) index)
            return target_for_event (self, m, marked);
        }
      return find_finished_after (trace, index, handshake);
    case HL_EVENT_ACTION:
      if (strstr (name, "Finished"))
        return find_before (trace, index, HT_FINISHED, handshake, other);
      if (strstr (name, "CertificateVerify"))
        return find_before (trace, index, HT_CERTIFICATE_VERIFY, handshake, other);
      return find_finished_after (trace, index, handshake);
    case HL_EVENT_ALERT:
    case HL_EVENT_APP_DATA:
    case HL_EVENT_NOTE:
    default:
      {
        int last = find_before (trace, index, HT_FINISHED, handshake, HL_SIDE_CLIENT);
        int server = find_before (trace, index, HT_FINISHED, handshake, HL_SIDE_SERVER);

        last = MAX (last, server);
        return last >= 0 ? last : find_finished_after (trace, index, handshake);
      }
    }
}

/* The transcript */

static void
clear (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)))
    {
      if (GTK_IS_LIST_BOX (container))
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
      else
        gtk_box_remove (GTK_BOX (container), child);
    }
}

static GtkWidget *
cell (const char *text, const char *css_class, gboolean expand, float xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, expand);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* @hash_length: what a message_hash entry weighs instead of @event (4-byte header + hash) */
static GtkWidget *
transcript_row_new (HlHashesView *self, guint n, HlEvent *event, gboolean message_hash,
                    gsize hash_length)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  g_autofree char *number = g_strdup_printf ("%u", n);
  g_autofree char *name = NULL;
  g_autofree char *size = NULL;
  g_autofree char *tooltip = NULL;
  gsize len = hl_event_get_length (event);

  if (message_hash)
    {
      name = g_strdup_printf (_("%s → message_hash"), hl_event_get_name (event));
      size = g_strdup_printf (_("%zu B → %zu B"), len,
                              4 + hash_length);
      tooltip = g_strdup (_("After a HelloRetryRequest the first ClientHello is hashed on its "
                            "own and only that hash enters the transcript, in a message_hash "
                            "message (RFC 8446 §4.4.1)."));
    }
  else
    {
      name = g_strdup (hl_event_get_name (event));
      size = g_strdup_printf (_("%zu B"), len);
      tooltip = g_strdup_printf (_("Step %d: click to show it"), step_number (self, event));
    }
  gtk_box_append (GTK_BOX (box), cell (number, "transcript-number", FALSE, 1));
  gtk_box_append (GTK_BOX (box), cell (name, NULL, TRUE, 0));
  gtk_box_append (GTK_BOX (box), cell (hl_side_text_word (hl_event_get_side (event)), "dim-label",
                                       FALSE, 0));
  gtk_box_append (GTK_BOX (box), cell (size, "numeric", FALSE, 1));
  gtk_widget_add_css_class (box, "transcript-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  hl_tooltip_set_text (row, tooltip);
  g_object_set_data (G_OBJECT (row), "hl-index", GUINT_TO_POINTER (hl_event_get_index (event)));
  if ((int) hl_event_get_index (event) == self->marked)
    gtk_widget_add_css_class (row, "marked");
  return row;
}

static void
row_activated_cb (HlHashesView *self, GtkListBoxRow *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "hl-index"));

  g_signal_emit (self, signals[EVENT_ACTIVATED], 0, index);
}

/* The values */

/* "transcript_hash." "client" "_finished" … */
static const HlSecret *
find_secret (HlHashesView *self, const char *prefix, const char *side, const char *suffix,
             guint handshake)
{
  g_autofree char *name = g_strconcat (prefix, side, suffix, NULL);

  return hl_trace_find_secret (self->trace, name, handshake);
}

static void
add_heading (HlHashesView *self, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "inspector-heading");
  gtk_box_append (self->values_box, label);
}

static GtkWidget *
add_list (HlHashesView *self)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (self->values_box, list);
  return list;
}

static GtkWidget *
secret_row (const char *title, const HlSecret *secret, gboolean show_check)
{
  GtkWidget *row = hl_value_row_new (title);

  hl_value_row_set_bytes (HL_VALUE_ROW (row), secret ? secret->value : NULL);
  if (secret && secret->formula)
    {
      g_autofree char *formula = g_strdup_printf ("= %s", secret->formula);

      hl_value_row_set_note (HL_VALUE_ROW (row), formula);
    }
  if (show_check && secret && secret->check != HL_CHECK_NONE)
    hl_value_row_set_check (HL_VALUE_ROW (row), secret->check,
                            secret->check == HL_CHECK_OK ? _("checks out") : _("different"));
  return row;
}

/* The receiver's verdict: its "Compare the Finished hash" (or signature check) step. */
static HlEvent *
find_verdict (HlHashesView *self, HlEvent *message, const char *what)
{
  HlSide receiver = hl_event_get_role (message) == HL_SIDE_CLIENT ? HL_SIDE_SERVER
                                                                  : HL_SIDE_CLIENT;

  for (guint i = hl_event_get_index (message) + 1; i < hl_trace_get_n_events (self->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (self->trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
          hl_event_get_role (event) == receiver &&
          hl_event_get_handshake (event) == hl_event_get_handshake (message) &&
          strstr (hl_event_get_name (event), what))
        return event;
    }
  return NULL;
}

static void
add_verdict (HlHashesView *self, GtkWidget *list, HlEvent *verdict, HlSide receiver)
{
  GtkWidget *row;
  g_autofree char *title = NULL;

  if (verdict == NULL)
    return;
  title = g_strdup_printf (_("The %s's check"), hl_side_text_word (receiver));
  row = hl_value_row_new (title);
  hl_value_row_set_text (HL_VALUE_ROW (row), hl_event_get_caption (verdict));
  if (hl_event_get_check (verdict) != HL_CHECK_NONE)
    hl_value_row_set_check (HL_VALUE_ROW (row), hl_event_get_check (verdict),
                            hl_event_get_check (verdict) == HL_CHECK_OK ? _("accepted")
                                                                        : _("rejected"));
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

static void
show_finished_values (HlHashesView *self, HlEvent *finished)
{
  HlSide sender = hl_event_get_side (finished);
  HlSide receiver = hl_event_get_peer (finished);
  const char *side = hl_event_get_role (finished) == HL_SIDE_CLIENT ? "client" : "server";
  guint handshake = hl_event_get_handshake (finished);
  const HlSecret *hash = find_secret (self, "transcript_hash.", side, "_finished", handshake);
  const HlSecret *key = find_secret (self, "", side, "_finished_key", handshake);
  const HlSecret *computed = find_secret (self, "", side, "_verify_data", handshake);
  GBytes *bytes = hl_event_get_bytes (finished);
  g_autoptr(GBytes) sent = NULL;
  g_autofree char *sent_title = NULL;
  g_autofree char *computed_title = NULL;
  GtkWidget *list, *row;

  add_heading (self, _("2. The hash of the transcript"));
  list = add_list (self);
  gtk_list_box_append (GTK_LIST_BOX (list),
                       secret_row (_("Transcript hash, recomputed by Handshake Lens"), hash, TRUE));
  if (key)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         secret_row (_("finished_key (TLS 1.3)"), key, TRUE));

  add_heading (self, _("3. verify_data: sent, and computed by the receiver"));
  list = add_list (self);
  if (bytes && g_bytes_get_size (bytes) > 4)
    sent = g_bytes_new_from_bytes (bytes, 4, g_bytes_get_size (bytes) - 4);
  sent_title = g_strdup_printf (_("Sent by the %s in its Finished"), hl_side_text_word (sender));
  row = hl_value_row_new (sent_title);
  hl_value_row_set_bytes (HL_VALUE_ROW (row), sent);
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  computed_title = g_strdup_printf (_("Computed as the %s does, by Handshake Lens"),
                                    hl_side_text_word (receiver));
  row = secret_row (computed_title, computed, FALSE);
  self->check = HL_CHECK_NONE;
  if (computed && computed->value && sent)
    {
      self->check = g_bytes_equal (computed->value, sent) ? HL_CHECK_OK : HL_CHECK_FAILED;
      hl_value_row_set_check (HL_VALUE_ROW (row), self->check,
                              self->check == HL_CHECK_OK ? _("equal") : _("different"));
    }
  else if (computed == NULL)
    hl_value_row_set_note (HL_VALUE_ROW (row), _("Not recomputed: the keys it needs are not in "
                                                 "this trace."));
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  add_verdict (self, list, find_verdict (self, finished, "Finished"), receiver);
}

static void
show_certificate_verify_values (HlHashesView *self, HlEvent *message)
{
  HlSide sender = hl_event_get_side (message);
  HlSide receiver = hl_event_get_peer (message);
  g_autoptr(HlField) root = hl_trace_decode_event (self->trace, message, NULL);
  HlField *algorithm = root ? hl_field_find (root, "algorithm") : NULL;
  HlField *signature = root ? hl_field_find (root, "signature") : NULL;
  HlField *data = signature ? hl_field_find (signature, "data") : NULL;
  GtkWidget *list, *row;

  self->check = HL_CHECK_NONE;
  add_heading (self, _("2. The signature over their hash"));
  list = add_list (self);
  if (algorithm)
    {
      row = hl_value_row_new (_("Algorithm"));
      hl_value_row_set_text (HL_VALUE_ROW (row), hl_field_get_value (algorithm));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (data)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_from_bytes (hl_event_get_bytes (message),
                                                        hl_field_get_offset (data),
                                                        hl_field_get_length (data));
      g_autofree char *title = g_strdup_printf (_("Signature made with the %s's private key"),
                                                hl_side_text_word (sender));

      row = hl_value_row_new (title);
      hl_value_row_set_bytes (HL_VALUE_ROW (row), bytes);
      hl_value_row_set_note (HL_VALUE_ROW (row),
                             _("Handshake Lens checks it itself with the public key of the "
                               "signer's certificate, over the content it rebuilt from the "
                               "captured messages; the verdict below also says what GnuTLS "
                               "did."));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  add_verdict (self, list, find_verdict (self, message, "CertificateVerify"), receiver);
  {
    HlEvent *verdict = find_verdict (self, message, "CertificateVerify");

    if (verdict)
      self->check = hl_event_get_check (verdict);
  }
}

/* The outcome first, in a badge: what a teacher points at. */
static void
show_verdict (HlHashesView *self, HlEvent *message, gboolean finished)
{
  GtkWidget *label = GTK_WIDGET (self->verdict_label);
  const char *receiver = hl_side_text_word (hl_event_get_peer (message));
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (label, "ok");
  gtk_widget_remove_css_class (label, "failed");
  if (self->check == HL_CHECK_OK)
    text = finished ? g_strdup_printf (_("✓ Equal: the %s computes the same verify_data"),
                                       receiver)
                    : g_strdup_printf (_("✓ The %s checked the signature: valid"), receiver);
  else if (self->check == HL_CHECK_FAILED)
    text = finished ? g_strdup_printf (_("✗ Different: the %s computes another verify_data"),
                                       receiver)
                    : g_strdup_printf (_("✗ The %s rejected the signature"), receiver);
  gtk_widget_set_visible (label, text != NULL);
  if (text == NULL)
    return;
  gtk_label_set_text (self->verdict_label, text);
  gtk_widget_add_css_class (label, self->check == HL_CHECK_OK ? "ok" : "failed");
}

static void
show (HlHashesView *self, int index)
{
  HlEvent *message;
  gboolean after_hrr = FALSE;
  gsize total = 0, hash_length;
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  gboolean finished;

  self->shown = index;
  g_clear_pointer (&self->transcript, g_array_unref);
  clear (GTK_WIDGET (self->transcript_list));
  clear (GTK_WIDGET (self->values_box));
  self->check = HL_CHECK_NONE;
  if (self->trace == NULL || index < 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  for (guint i = 0; i < self->targets->len; i++)
    if (g_array_index (self->targets, guint, i) == (guint) index)
      {
        self->updating = TRUE;
        gtk_drop_down_set_selected (self->choice, i);
        self->updating = FALSE;
      }

  message = hl_trace_get_event (self->trace, (guint) index);
  finished = is_message (message, HT_FINISHED);
  if (finished)
    {
      title = g_strdup_printf (_("The %s's Finished: a keyed hash of the whole conversation"),
                               hl_side_text_word (hl_event_get_side (message)));
      gtk_label_set_text (self->intro_label,
                          _("Both sides hash every handshake message so far, in order, and key "
                            "the hash with secrets only they know. The sender puts its result in "
                            "Finished; the receiver computes its own and compares. Equal means "
                            "nobody changed a byte of the conversation."));
    }
  else
    {
      title = g_strdup_printf (_("The %s's CertificateVerify: a signature over the "
                                 "conversation"), hl_side_text_word (hl_event_get_side (message)));
      gtk_label_set_text (self->intro_label,
                          _("The sender signs the hash of the handshake so far with the private "
                            "key of its certificate: proof that it owns that certificate."));
    }
  gtk_label_set_text (self->title_label, title);

  self->transcript = hl_trace_transcript (self->trace, (guint) index, &after_hrr);
  {
    const char *side = hl_event_get_role (message) == HL_SIDE_CLIENT ? "client" : "server";
    const HlSecret *hash = find_secret (self, "transcript_hash.", side, "_finished",
                                        hl_event_get_handshake (message));

    hash_length = hash && hash->value ? g_bytes_get_size (hash->value) : 32;
  }
  for (guint i = 0; i < self->transcript->len; i++)
    {
      HlEvent *event = hl_trace_get_event (self->trace, g_array_index (self->transcript, guint, i));
      gboolean message_hash = after_hrr && i == 0;

      /* RFC 8446 §4.4.1: what is hashed is the message_hash message, not ClientHello1 */
      total += message_hash ? 4 + hash_length : hl_event_get_length (event);
      gtk_list_box_append (self->transcript_list,
                           transcript_row_new (self, i + 1, event, message_hash, hash_length));
    }
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "1. The transcript: %u message, %zu"
                                          " bytes, hashed in this order",
                                          "1. The transcript: %u messages, %zu"
                                          " bytes, hashed in this order",
                                          self->transcript->len),
                             self->transcript->len, total);
  gtk_label_set_text (self->transcript_heading, heading);

  if (finished)
    show_finished_values (self, message);
  else
    show_certificate_verify_values (self, message);
  show_verdict (self, message, finished);
  gtk_stack_set_visible_child_name (self->stack, "hashes");
}

static void
choice_changed_cb (HlHashesView *self)
{
  guint selected = gtk_drop_down_get_selected (self->choice);

  if (self->updating || selected >= self->targets->len)
    return;
  self->marked = -1;
  show (self, (int) g_array_index (self->targets, guint, selected));
}

/* Public API */

void
hl_hashes_view_set_trace (HlHashesView *self, HlTrace *trace, GListModel *steps)
{
  g_return_if_fail (HL_IS_HASHES_VIEW (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));

  g_set_object (&self->trace, trace);
  g_set_object (&self->steps, steps);
  self->marked = -1;
  collect_targets (self);
  show (self, self->targets->len > 0 ? (int) g_array_index (self->targets, guint, 0) : -1);
}

void
hl_hashes_view_set_event (HlHashesView *self, HlEvent *event)
{
  int marked = -1, target;

  g_return_if_fail (HL_IS_HASHES_VIEW (self));

  if (self->trace == NULL || event == NULL)
    return;
  target = target_for_event (self, event, &marked);
  if (target < 0 && self->targets->len > 0)
    target = (int) g_array_index (self->targets, guint, 0);
  if (target == self->shown && marked == self->marked)
    return;
  self->marked = marked;
  show (self, target);
}

gboolean
hl_hashes_view_show_message (HlHashesView *self, guint index)
{
  g_return_val_if_fail (HL_IS_HASHES_VIEW (self), FALSE);

  for (guint i = 0; i < self->targets->len; i++)
    if (g_array_index (self->targets, guint, i) == index)
      {
        self->marked = -1;
        show (self, (int) index);
        return TRUE;
      }
  return FALSE;
}

int
hl_hashes_view_get_message (HlHashesView *self)
{
  g_return_val_if_fail (HL_IS_HASHES_VIEW (self), -1);
  return self->shown;
}

GArray *
hl_hashes_view_get_transcript (HlHashesView *self)
{
  g_return_val_if_fail (HL_IS_HASHES_VIEW (self), NULL);
  return self->transcript;
}

HlCheck
hl_hashes_view_get_check (HlHashesView *self)
{
  g_return_val_if_fail (HL_IS_HASHES_VIEW (self), HL_CHECK_NONE);
  return self->check;
}

/* GObject */

static void
hl_hashes_view_dispose (GObject *object)
{
  HlHashesView *self = HL_HASHES_VIEW (object);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_HASHES_VIEW);
  g_clear_object (&self->trace);
  g_clear_object (&self->steps);
  g_clear_pointer (&self->targets, g_array_unref);
  g_clear_pointer (&self->transcript, g_array_unref);
  G_OBJECT_CLASS (hl_hashes_view_parent_class)->dispose (object);
}

static void
hl_hashes_view_class_init (HlHashesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_hashes_view_dispose;

  /**
   * HlHashesView::event-activated:
   * @index: the trace index of a message someone clicked in the transcript
   */
  signals[EVENT_ACTIVATED] =
    g_signal_new ("event-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-hashes-view.ui");
  gtk_widget_class_set_css_name (widget_class, "hlhashesview");
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, stack);
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, choice);
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, title_label);
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, intro_label);
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, transcript_heading);
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, transcript_list);
  gtk_widget_class_bind_template_child (widget_class, HlHashesView, values_box);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
hl_hashes_view_init (HlHashesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->targets = g_array_new (FALSE, FALSE, sizeof (guint));
  self->shown = -1;
  self->marked = -1;
  g_signal_connect_swapped (self->choice, "notify::selected", G_CALLBACK (choice_changed_cb),
                            self);
}

GtkWidget *
hl_hashes_view_new (void)
{
  return g_object_new (HL_TYPE_HASHES_VIEW, NULL);
}
