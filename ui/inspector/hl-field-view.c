/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-field-view"
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "hl-field-view.h"
#include "hl-hex-layout.h"
#include "hl-tooltip.h"

/* Order of this file: the list item type, the struct, the tree model, the cells, the footer,
 * selection, keyboard, public API, GObject.
 *
 * The decoded field tree as a GtkTreeListModel in a GtkColumnView (name, value, offset,
 * length). The footer shows the selected field in full: its value, its byte range, what it
 * means and the RFC section that defines it. */

/* HlFieldItem: one HlField as a GObject, for list models. */

#define HL_TYPE_FIELD_ITEM (hl_field_item_get_type ())
G_DECLARE_FINAL_TYPE (HlFieldItem, hl_field_item, HL, FIELD_ITEM, GObject)

struct _HlFieldItem
{
  GObject  parent_instance;
  HlField *field;
};

G_DEFINE_FINAL_TYPE (HlFieldItem, hl_field_item, G_TYPE_OBJECT)

static void
hl_field_item_finalize (GObject *object)
{
  g_clear_pointer (&HL_FIELD_ITEM (object)->field, hl_field_unref);
  G_OBJECT_CLASS (hl_field_item_parent_class)->finalize (object);
}

static void
hl_field_item_class_init (HlFieldItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_field_item_finalize;
}

static void
hl_field_item_init (HlFieldItem *self)
{
}

static HlFieldItem *
hl_field_item_new (HlField *field)
{
  HlFieldItem *self = g_object_new (HL_TYPE_FIELD_ITEM, NULL);

  self->field = hl_field_ref (field);
  return self;
}

/* The view */

struct _HlFieldView
{
  AdwBin              parent_instance;

  /* template widgets */
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *value_column;
  GtkColumnViewColumn *offset_column;
  GtkColumnViewColumn *length_column;
  GtkWidget          *footer_hint;
  GtkWidget          *footer_field;
  GtkLabel           *footer_name;
  GtkLabel           *footer_range;
  GtkLabel           *footer_value;
  GtkLabel           *footer_explanation;
  GtkButton          *copy_value_button;
  GtkButton          *copy_bytes_button;

  /* owned */
  GBytes             *bytes;
  HlField            *root;
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  gboolean            selecting;   /* selection changes made by the API, not by people */
  guint               fit_id;      /* tick callback fitting the name column */
  int                 fitted_width;
};

enum
{
  FIELD_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlFieldView, hl_field_view, ADW_TYPE_BIN)

/* The tree model */

static GListModel *
create_children_cb (gpointer item, gpointer user_data)
{
  HlField *field = HL_FIELD_ITEM (item)->field;
  GListStore *store;

  if (hl_field_get_n_children (field) == 0)
    return NULL;
  store = g_list_store_new (HL_TYPE_FIELD_ITEM);
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    {
      g_autoptr(HlFieldItem) child = hl_field_item_new (hl_field_get_child (field, i));

      g_list_store_append (store, child);
    }
  return G_LIST_MODEL (store);
}

static GtkTreeListRow *
row_at (HlFieldView *self, guint position)
{
  return gtk_tree_list_model_get_row (self->tree, position);
}

static HlField *
field_at (HlFieldView *self, guint position)
{
  g_autoptr(GtkTreeListRow) row = row_at (self, position);
  g_autoptr(HlFieldItem) item = row ? gtk_tree_list_row_get_item (row) : NULL;

  return item ? item->field : NULL;
}

static guint
n_real_children (HlField *field)
{
  guint n = 0;

  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    n += !hl_field_get_derived (hl_field_get_child (field, i));
  return n;
}

static gboolean
has_derived_children (HlField *field)
{
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    if (hl_field_get_derived (hl_field_get_child (field, i)))
      return TRUE;
  return FALSE;
}

/* Opens the first two levels, any node that is the only content of its parent (a record's
 * fragment holding one message) and any node with readable summaries (a certificate's subject,
 * issuer, validity): enough to read a message without hunting for it. */
static void
expand_initially (HlFieldView *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->tree)); i++)
    {
      g_autoptr(GtkTreeListRow) row = row_at (self, i);
      g_autoptr(HlFieldItem) item = gtk_tree_list_row_get_item (row);
      HlField *parent = hl_field_get_parent (item->field);
      guint depth = gtk_tree_list_row_get_depth (row);

      if (depth < 2 || (depth < 6 && ((parent && n_real_children (parent) == 1) ||
                                       has_derived_children (item->field))))
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
}

/* The row position of @field, expanding its ancestors on the way; G_MAXUINT if absent. */
static guint
reveal (HlFieldView *self, HlField *field)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  guint position = 0;

  for (HlField *f = field; f; f = hl_field_get_parent (f))
    g_ptr_array_insert (chain, 0, f);
  if (chain->len == 0 || chain->pdata[0] != self->root)
    return G_MAXUINT;

  for (guint level = 0; level < chain->len; level++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));

      while (position < n && field_at (self, position) != chain->pdata[level])
        position++;
      if (position >= n)
        return G_MAXUINT;
      if (level + 1 < chain->len)
        {
          g_autoptr(GtkTreeListRow) row = row_at (self, position);

          gtk_tree_list_row_set_expanded (row, TRUE);
        }
    }
  return position;
}

#if !GTK_CHECK_VERSION (4, 12, 0)
/* before gtk_column_view_scroll_to (4.12): the column view's own list view scrolls */
static GtkWidget *
inner_list_view (HlFieldView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view)); child;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}
#endif

static void
scroll_to (HlFieldView *self, guint position)
{
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_column_view_scroll_to (self->column_view, position, NULL, GTK_LIST_SCROLL_NONE, NULL);
#else
  GtkWidget *list = inner_list_view (self);

  if (list)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
#endif
}

/* The cells */

enum
{
  COLUMN_VALUE,
  COLUMN_OFFSET,
  COLUMN_LENGTH,
};

static GtkTreeListRow *
list_item_row (GtkListItem *list_item)
{
  return GTK_TREE_LIST_ROW (gtk_list_item_get_item (list_item));
}

static HlField *
list_item_field (GtkListItem *list_item)
{
  GtkTreeListRow *row = list_item_row (list_item);
  g_autoptr(HlFieldItem) item = row ? gtk_tree_list_row_get_item (row) : NULL;

  return item ? item->field : NULL;
}

static GtkWidget *
new_cell_label (gboolean numeric)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

/* Tooltips are asked for when the pointer rests on a cell, not set on every bind: setting one
 * makes GTK query the pointer position (a round trip to the X server) each time a row is
 * bound, which made selecting and scrolling slow. */
static gboolean
name_tooltip_cb (GtkWidget  *widget,
                 int         x,
                 int         y,
                 gboolean    keyboard,
                 GtkTooltip *tooltip,
                 gpointer    user_data)
{
  HlField *field = list_item_field (user_data);
  const char *explanation = field ? hl_field_get_explanation (field) : NULL;

  if (explanation == NULL || *explanation == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, explanation);
  return TRUE;
}

static gboolean
value_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  HlField *field = list_item_field (user_data);
  const char *value = field ? hl_field_get_value (field) : NULL;

  if (value == NULL || *value == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, value);
  return TRUE;
}

static void
name_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();

  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), new_cell_label (FALSE));
  gtk_widget_set_has_tooltip (expander, TRUE);
  g_signal_connect (expander, "query-tooltip", G_CALLBACK (name_tooltip_cb), list_item);
  gtk_list_item_set_child (list_item, expander);
}

static void
set_derived_style (GtkWidget *widget, HlField *field)
{
  if (hl_field_get_derived (field))
    gtk_widget_add_css_class (widget, "derived");
  else
    gtk_widget_remove_css_class (widget, "derived");
}

static void
name_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  GtkWidget *label = gtk_tree_expander_get_child (expander);
  HlField *field = list_item_field (list_item);

  /* GTK 4.8 unbinds and binds again every row whose selection changes: keeping the row between
   * the two spares rebuilding the expander (its indent and arrow) each time, and setting the
   * same row is free; the next bind replaces it. */
  gtk_tree_expander_set_list_row (expander, list_item_row (list_item));
  gtk_label_set_text (GTK_LABEL (label), hl_field_get_name (field));
  set_derived_style (label, field);
  /* what the tooltip says, for screen readers */
  if (hl_field_get_explanation (field))
    gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    hl_field_get_explanation (field), -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (expander),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
text_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  gboolean value = GPOINTER_TO_INT (user_data) == COLUMN_VALUE;
  GtkWidget *label = new_cell_label (!value);

  if (value)
    {
      /* the whole value, however narrow the column */
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (value_tooltip_cb), list_item);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
value_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  HlField *field = list_item_field (list_item);
  const char *value = hl_field_get_value (field);

  gtk_label_set_text (GTK_LABEL (label), value ? value : "");
  set_derived_style (label, field);
}

static void
offset_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  HlField *field = list_item_field (list_item);
  gboolean length = GPOINTER_TO_INT (user_data) == COLUMN_LENGTH;
  g_autofree char *text = NULL;

  /* a derived field repeats its parent's range: say so instead of repeating the numbers */
  if (hl_field_get_derived (field))
    text = g_strdup ("·");
  else
    text = g_strdup_printf ("%" G_GSIZE_FORMAT,
                            length ? hl_field_get_length (field) : hl_field_get_offset (field));
  gtk_label_set_text (GTK_LABEL (label), text);
  set_derived_style (label, field);
}

static void
set_factory (GtkColumnViewColumn *column,
             GCallback            setup,
             GCallback            bind,
             GCallback            unbind,
             gpointer             data)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, data);
  g_signal_connect (factory, "bind", bind, data);
  if (unbind)
    g_signal_connect (factory, "unbind", unbind, data);
  gtk_column_view_column_set_factory (column, factory);
}

/* The footer */

char *
hl_field_view_dup_rfc_uri (const char *rfc)
{
  guint number = 0;
  char section[32] = "";

  if (rfc == NULL || sscanf (rfc, "RFC %u §%31[0-9.]", &number, section) < 1 || number == 0)
    return NULL;
  if (section[0])
    return g_strdup_printf ("https://www.rfc-editor.org/rfc/rfc%u#section-%s", number, section);
  return g_strdup_printf ("https://www.rfc-editor.org/rfc/rfc%u", number);
}

static void
update_footer (HlFieldView *self)
{
  HlField *field = hl_field_view_get_selected_field (self);
  g_autofree char *path = NULL;
  g_autofree char *range = NULL;
  g_autofree char *uri = NULL;
  const char *value, *explanation, *rfc;

  gtk_widget_set_visible (self->footer_hint, field == NULL);
  gtk_widget_set_visible (self->footer_field, field != NULL);
  if (field == NULL)
    return;
  value = hl_field_get_value (field);
  explanation = hl_field_get_explanation (field);
  rfc = hl_field_get_rfc (field);
  uri = hl_field_view_dup_rfc_uri (rfc);

  gtk_label_set_text (self->footer_name, hl_field_get_name (field));
  if (hl_field_get_derived (field))
    range = g_strdup (_("Read from the bytes of the field above; no bytes of its own"));
  else if (hl_field_get_length (field) == 0)
    range = g_strdup_printf (_("Empty, at offset %zu"), hl_field_get_offset (field));
  else
    range = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Byte %zu (%zu byte)",
                                          "Bytes %zu–%zu (%zu bytes)",
                                          hl_field_get_length (field)),
                             hl_field_get_offset (field),
                             hl_field_get_length (field) == 1 ? hl_field_get_length (field)
                                                              : hl_field_get_end (field) - 1,
                             hl_field_get_length (field));
  if (rfc && uri)
    {
      g_autofree char *escaped = g_markup_escape_text (range, -1);
      g_autofree char *rfc_escaped = g_markup_escape_text (rfc, -1);
      g_autofree char *markup = g_strdup_printf ("%s · <a href=\"%s\">%s</a>", escaped, uri,
                                                 rfc_escaped);

      gtk_label_set_markup (self->footer_range, markup);
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (range, -1);

      gtk_label_set_markup (self->footer_range, escaped);
    }
  gtk_label_set_text (self->footer_value, value ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (self->footer_value), value && *value);
  gtk_label_set_text (self->footer_explanation, explanation ? explanation : "");
  gtk_widget_set_visible (GTK_WIDGET (self->footer_explanation), explanation && *explanation);
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_value_button), value && *value);
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_bytes_button),
                            !hl_field_get_derived (field) && hl_field_get_length (field) > 0 &&
                            self->bytes != NULL);
}

static void
copy_value_clicked_cb (HlFieldView *self)
{
  hl_field_view_copy_value (self);
}

static void
copy_bytes_clicked_cb (HlFieldView *self)
{
  HlField *field = hl_field_view_get_selected_field (self);
  gsize len = 0;
  const guint8 *data = self->bytes ? g_bytes_get_data (self->bytes, &len) : NULL;
  g_autofree char *hex = NULL;

  if (field == NULL || data == NULL || hl_field_get_end (field) > len)
    return;
  hex = hl_hex_layout_dup_hex (data + hl_field_get_offset (field), hl_field_get_length (field));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), hex);
}

/* Selection and keyboard */

static void
selection_changed_cb (HlFieldView *self)
{
  update_footer (self);
  if (!self->selecting)
    g_signal_emit (self, signals[FIELD_SELECTED], 0, hl_field_view_get_selected_field (self));
}

/* Left closes the selected node (or goes to its parent), Right opens it (or goes to its first
 * child): the usual tree keys, which GtkColumnView does not have on its own. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                HlFieldView           *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  g_autoptr(GtkTreeListRow) row = NULL;
  gboolean left = keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left;
  gboolean right = keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right;
  guint target = position;

  if ((!left && !right) || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) ||
      position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  row = row_at (self, position);
  if (row == NULL)
    return FALSE;
  if (right && gtk_tree_list_row_is_expandable (row) && !gtk_tree_list_row_get_expanded (row))
    gtk_tree_list_row_set_expanded (row, TRUE);
  else if (right && gtk_tree_list_row_is_expandable (row))
    target = position + 1;
  else if (left && gtk_tree_list_row_get_expanded (row))
    gtk_tree_list_row_set_expanded (row, FALSE);
  else if (left)
    {
      g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);

      if (parent)
        target = gtk_tree_list_row_get_position (parent);
    }
  if (target != position)
    {
      gtk_single_selection_set_selected (self->selection, target);
      scroll_to (self, target);
    }
  return TRUE;
}

static gboolean
copy_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return hl_field_view_copy_value (HL_FIELD_VIEW (widget));
}

/* Names get about two fifths of the width: set at the start of a frame (never during a layout)
 * after the view got a new width. */
static gboolean
fit_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  HlFieldView *self = HL_FIELD_VIEW (widget);
  int width = gtk_widget_get_width (widget);

  if (width <= 0)
    return G_SOURCE_CONTINUE;
  self->fit_id = 0;
  self->fitted_width = width;
  gtk_column_view_column_set_fixed_width (self->name_column, CLAMP (width * 2 / 5, 180, 300));
  return G_SOURCE_REMOVE;
}

static void
fit_name_column (HlFieldView *self)
{
  if (self->fit_id == 0)
    self->fit_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), fit_tick_cb, NULL, NULL);
}

static void
hl_field_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlFieldView *self = HL_FIELD_VIEW (widget);

  GTK_WIDGET_CLASS (hl_field_view_parent_class)->size_allocate (widget, width, height, baseline);
  /* a new width: fit the names at the next frame, not in this layout */
  if (width != self->fitted_width)
    fit_name_column (self);
}

/* Public API */

void
hl_field_view_set_data (HlFieldView *self, GBytes *bytes, HlField *root)
{
  g_autoptr(GListStore) store = g_list_store_new (HL_TYPE_FIELD_ITEM);

  g_return_if_fail (HL_IS_FIELD_VIEW (self));

  if (bytes != self->bytes)
    {
      g_clear_pointer (&self->bytes, g_bytes_unref);
      self->bytes = bytes ? g_bytes_ref (bytes) : NULL;
    }
  if (root != self->root)
    {
      g_clear_pointer (&self->root, hl_field_unref);
      self->root = root ? hl_field_ref (root) : NULL;
    }
  if (root)
    {
      g_autoptr(HlFieldItem) item = hl_field_item_new (root);

      g_list_store_append (store, item);
    }

  fit_name_column (self);
  self->selecting = TRUE;
  g_clear_object (&self->tree);
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (g_steal_pointer (&store)), FALSE, FALSE,
                                        create_children_cb, NULL, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->tree));
  expand_initially (self);
  /* the whole message selected: its explanation in the footer, its parts tinted in the bytes */
  gtk_single_selection_set_selected (self->selection, root ? 0 : GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
  update_footer (self);
  if (root)
    scroll_to (self, 0);
}

HlField *
hl_field_view_get_root (HlFieldView *self)
{
  g_return_val_if_fail (HL_IS_FIELD_VIEW (self), NULL);
  return self->root;
}

void
hl_field_view_select_field (HlFieldView *self, HlField *field)
{
  guint position;

  g_return_if_fail (HL_IS_FIELD_VIEW (self));

  position = field ? reveal (self, field) : G_MAXUINT;
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position == G_MAXUINT
                                                      ? GTK_INVALID_LIST_POSITION : position);
  self->selecting = FALSE;
  update_footer (self);
  if (position != G_MAXUINT)
    scroll_to (self, position);
}

HlField *
hl_field_view_get_selected_field (HlFieldView *self)
{
  guint position;

  g_return_val_if_fail (HL_IS_FIELD_VIEW (self), NULL);

  position = gtk_single_selection_get_selected (self->selection);
  if (self->tree == NULL || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return field_at (self, position);
}

void
hl_field_view_expand_all (HlFieldView *self)
{
  g_return_if_fail (HL_IS_FIELD_VIEW (self));

  if (self->tree == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->tree)); i++)
    {
      g_autoptr(GtkTreeListRow) row = row_at (self, i);

      gtk_tree_list_row_set_expanded (row, TRUE);
    }
}

guint
hl_field_view_get_n_rows (HlFieldView *self)
{
  g_return_val_if_fail (HL_IS_FIELD_VIEW (self), 0);
  return self->tree ? g_list_model_get_n_items (G_LIST_MODEL (self->tree)) : 0;
}

gboolean
hl_field_view_copy_value (HlFieldView *self)
{
  HlField *field;

  g_return_val_if_fail (HL_IS_FIELD_VIEW (self), FALSE);

  field = hl_field_view_get_selected_field (self);
  if (field == NULL || hl_field_get_value (field) == NULL)
    return FALSE;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          hl_field_get_value (field));
  return TRUE;
}

/* GObject */

static void
hl_field_view_dispose (GObject *object)
{
  HlFieldView *self = HL_FIELD_VIEW (object);

  if (self->fit_id)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_id);
  self->fit_id = 0;
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_FIELD_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  G_OBJECT_CLASS (hl_field_view_parent_class)->dispose (object);
}

static void
hl_field_view_finalize (GObject *object)
{
  HlFieldView *self = HL_FIELD_VIEW (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->root, hl_field_unref);
  G_OBJECT_CLASS (hl_field_view_parent_class)->finalize (object);
}

static void
hl_field_view_class_init (HlFieldViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_field_view_dispose;
  object_class->finalize = hl_field_view_finalize;
  widget_class->size_allocate = hl_field_view_size_allocate;

  /**
   * HlFieldView::field-selected:
   * @field: (nullable): the field someone selected in the tree
   */
  signals[FIELD_SELECTED] =
    g_signal_new ("field-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, HL_TYPE_FIELD | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-field-view.ui");
  gtk_widget_class_set_css_name (widget_class, "hlfieldview");
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, scroller);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, column_view);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, name_column);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, value_column);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, offset_column);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, length_column);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, footer_hint);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, footer_field);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, footer_name);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, footer_range);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, footer_value);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, footer_explanation);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, copy_value_button);
  gtk_widget_class_bind_template_child (widget_class, HlFieldView, copy_bytes_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_value_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_bytes_clicked_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, copy_shortcut_cb, NULL);
}

static void
hl_field_view_init (HlFieldView *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  hl_tooltip_set_template_texts (GTK_WIDGET (self), HL_TYPE_FIELD_VIEW,
                                 "copy_value_button", _("Copy the value (Ctrl+C)"),
                                 "copy_bytes_button", _("Copy the field's bytes as hex"), NULL);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  set_factory (self->name_column, G_CALLBACK (name_setup_cb), G_CALLBACK (name_bind_cb), NULL,
               NULL);
  set_factory (self->value_column, G_CALLBACK (text_setup_cb), G_CALLBACK (value_bind_cb), NULL,
               GINT_TO_POINTER (COLUMN_VALUE));
  set_factory (self->offset_column, G_CALLBACK (text_setup_cb), G_CALLBACK (offset_bind_cb), NULL,
               GINT_TO_POINTER (COLUMN_OFFSET));
  set_factory (self->length_column, G_CALLBACK (text_setup_cb), G_CALLBACK (offset_bind_cb), NULL,
               GINT_TO_POINTER (COLUMN_LENGTH));

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), keys);
}

GtkWidget *
hl_field_view_new (void)
{
  return g_object_new (HL_TYPE_FIELD_VIEW, NULL);
}
