/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-secrets-view"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-secrets-view-private.h"
#include "hl-secrets-view.h"
#include "hl-bin-layout.h"
#include "hl-tooltip.h"
#include "hl-trace-decode.h"
#include "hl-value-row.h"

/* Order of this file: following the selected step, public API, GObject. The entries (one per
 * value, GnuTLS's next to ours) and their order are in hl-secrets-view-entries.c, the cards in
 * hl-secrets-view-cards.c; the struct in hl-secrets-view-private.h. */

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlSecretsView, hl_secrets_view, ADW_TYPE_BIN)

/* After each layout
 *
 * While the view is shown and has something to do, it watches the frame clock's layout phase.
 * Anything it changes there (a card built, the adjustment set) asks the frame clock for one
 * more layout in the same frame, so the frame is drawn with it.
 *
 * Cards: the first frame builds those it shows, the rest come after it. A card is some thirty
 * widgets and a dozen labels; a trace has a dozen or more cards and the view shows three or
 * four. The step's own card and those above it (they place it) are built when it is focused;
 * after a layout, the cards under it, until they reach the bottom of the view (measured at
 * their width); the rest once the frame is drawn. Whoever asks for cards gets them all.
 *
 * Scrolling: to the pending card, until its place settles (cards above it may still be
 * rewrapping to a new width) or someone scrolls. */

static gboolean
cards_left (HlSecretsView *self)
{
  return self->entries != NULL && self->n_built < self->entries->len;
}

static void
unwatch_layout (HlSecretsView *self)
{
  if (self->layout_clock)
    g_signal_handler_disconnect (self->layout_clock, self->layout_id);
  self->layout_id = 0;
  g_clear_object (&self->layout_clock);
}

static void
stop_scrolling (HlSecretsView *self)
{
  g_clear_pointer (&self->pending, g_free);
}

static void
build_all (HlSecretsView *self)
{
  hl_secview_build_cards (self, G_MAXUINT);
  g_clear_handle_id (&self->rest_id, g_source_remove);
}

static gboolean
build_rest_cb (gpointer user_data)
{
  HlSecretsView *self = user_data;

  self->rest_id = 0;
  build_all (self);
  return G_SOURCE_REMOVE;
}

/* Where @widget is in the content, or FALSE. */
static gboolean
content_y (HlSecretsView *self, GtkWidget *widget, double *y)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  graphene_point_t point;

  if (!gtk_widget_compute_point (widget, GTK_WIDGET (self->content),
                                 &GRAPHENE_POINT_INIT (0, 0), &point))
    return FALSE;
  *y = point.y;
  return TRUE;
#else
  double x;

  return gtk_widget_translate_coordinates (widget, GTK_WIDGET (self->content), 0, 0, &x, y);
#endif
}

static void
fill (HlSecretsView *self)
{
  GtkWidget *sections = GTK_WIDGET (self->sections);
  GtkWidget *card = self->pending ? g_hash_table_lookup (self->cards, self->pending) : NULL;
  int width = gtk_widget_get_width (sections);
  double top = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
  double y, sections_y;
  int height = 0;

  if (width <= 0 || !content_y (self, sections, &sections_y))
    return;
  /* where the view will show from: the pending card near its top (scroll ()) */
  if (card && gtk_widget_get_height (card) > 0 && content_y (self, card, &y))
    top = MAX (y - 12, 0);
  gtk_widget_measure (sections, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  while (cards_left (self) && sections_y + height < top + gtk_widget_get_height (GTK_WIDGET (self)))
    {
      hl_secview_build_cards (self, self->n_built + 1);
      gtk_widget_measure (sections, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
    }
  /* this runs inside a frame: the idle comes once it is drawn */
  if (cards_left (self) && self->rest_id == 0)
    self->rest_id = g_idle_add (build_rest_cb, self);
}

static void
scroll (HlSecretsView *self)
{
  GtkWidget *card = self->pending ? g_hash_table_lookup (self->cards, self->pending) : NULL;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  double y, target;

  if (card != NULL && gtk_widget_get_mapped (card) && gtk_widget_get_height (card) <= 0)
    return;
  if (card == NULL || !gtk_widget_get_mapped (card) || self->scroll_frames++ > 30 ||
      (self->scroll_frames > 1 && gtk_adjustment_get_value (adj) != self->scroll_value) ||
      !content_y (self, card, &y))
    {
      stop_scrolling (self);
      return;
    }
  target = MAX (y - 12, 0);
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
layout_cb (GdkFrameClock *clock, HlSecretsView *self)
{
  if (cards_left (self))
    fill (self);
  if (self->pending)
    scroll (self);
  if (!cards_left (self) && self->pending == NULL)
    unwatch_layout (self);
}

static void
watch_layout (HlSecretsView *self)
{
  GdkFrameClock *clock;

  if (self->layout_id != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      (!cards_left (self) && self->pending == NULL))
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL)
    return;
  self->layout_clock = g_object_ref (clock);
  self->layout_id = g_signal_connect_after (clock, "layout", G_CALLBACK (layout_cb), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
schedule_scroll (HlSecretsView *self)
{
  self->scroll_frames = 0;
  self->scroll_stable = 0;
  watch_layout (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
hl_secview_input_clicked_cb (GtkButton *button, HlSecretsView *self)
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
  watch_layout (self);
}

static void
unmap_cb (HlSecretsView *self)
{
  /* keep the wish, not the frame clock: scroll when shown again */
  unwatch_layout (self);
  g_clear_handle_id (&self->rest_id, g_source_remove);
}

/* Public API */

void
hl_secrets_view_set_trace (HlSecretsView *self, HlTrace *trace)
{
  g_return_if_fail (HL_IS_SECRETS_VIEW (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));

  g_set_object (&self->trace, trace);
  g_clear_pointer (&self->pending, g_free);
  g_clear_handle_id (&self->rest_id, g_source_remove);
  hl_secview_rebuild (self);
  watch_layout (self);
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
  Entry *entry;
  guint index = 0;

  g_return_val_if_fail (HL_IS_SECRETS_VIEW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  entry = self->entries ? hl_secview_find_entry (self->entries, name, handshake) : NULL;
  if (entry && g_ptr_array_find (self->entries, entry, &index))
    hl_secview_build_cards (self, index + 1);
  key = hl_secview_entry_key (name, handshake);
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

  build_all (self);
  key = hl_secview_entry_key (name, handshake);
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

  build_all (self);
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
  value = e ? hl_secview_entry_value (e) : NULL;
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

  unwatch_layout (self);
  g_clear_handle_id (&self->rest_id, g_source_remove);
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

  g_type_ensure (HL_TYPE_BIN_LAYOUT);
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
