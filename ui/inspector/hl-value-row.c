/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-value-row"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-hex-layout.h"
#include "hl-value-row.h"
#include "hl-tooltip.h"
#include "hl-wrap-label.h"

/* One value of the inspector in a boxed list: a small title, the value (selectable), an
 * optional ✓/✗ badge and note, a copy button, and for long byte strings an expander that
 * shows them in full.
 *
 * Built in code, not from a template: the secrets and hashes views make dozens of rows, and
 * instantiating a template per row cost more than the widgets (2 ms of the first frame of a
 * window that shows the Keys tab). Grids, not horizontal boxes: a GtkBox asked for the height
 * of wrapping labels at a width searches for their widths (each try shapes the text again), a
 * grid does not. */

struct _HlValueRow
{
  GtkListBoxRow    parent_instance;

  /* children; the badge, the note and the expander only once a row has them */
  GtkGrid         *grid;
  GtkBox          *box;
  GtkGrid         *heading;
  GtkLabel        *title_label;
  GtkLabel        *check_label;
  GtkLabel        *value_label;
  GtkLabel        *note_label;
  GtkToggleButton *expand_button;
  GtkButton       *copy_button;

  /* owned */
  char            *full_text;     /* the value in full, as shown expanded */
  char            *short_text;    /* the abbreviation, or NULL when it is short */
  char            *copy_text;
  HlCheck          check;
};

G_DEFINE_FINAL_TYPE (HlValueRow, hl_value_row, GTK_TYPE_LIST_BOX_ROW)

static void expand_toggled_cb (HlValueRow *self);
static GtkWidget *flat_button_new (GtkWidget *button, const char *icon_name);

static void
ensure_expand_button (HlValueRow *self)
{
  if (self->expand_button)
    return;
  self->expand_button = GTK_TOGGLE_BUTTON (flat_button_new (gtk_toggle_button_new (),
                                                            "pan-down-symbolic"));
  g_signal_connect_swapped (self->expand_button, "toggled", G_CALLBACK (expand_toggled_cb),
                            self);
  gtk_grid_attach (self->grid, GTK_WIDGET (self->expand_button), 1, 0, 1, 1);
  /* before the copy button, as when it was made with the row (focus order) */
  gtk_widget_insert_before (GTK_WIDGET (self->expand_button), GTK_WIDGET (self->grid),
                            GTK_WIDGET (self->copy_button));
}

static void
show_value (HlValueRow *self)
{
  gboolean expanded;

  if (self->short_text)
    ensure_expand_button (self);
  expanded = self->expand_button && gtk_toggle_button_get_active (self->expand_button);
  hl_wrap_label_set_text (self->value_label,
                          self->short_text && !expanded ? self->short_text : self->full_text);
  if (self->expand_button)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->expand_button), self->short_text != NULL);
      hl_tooltip_set_text (GTK_WIDGET (self->expand_button),
                           expanded ? _("Show less") : _("Show the whole value"));
      gtk_button_set_icon_name (GTK_BUTTON (self->expand_button),
                                expanded ? "pan-up-symbolic" : "pan-down-symbolic");
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), self->copy_text != NULL);
}

static void
expand_toggled_cb (HlValueRow *self)
{
  show_value (self);
  /* clicked under the pointer: the tooltip shown says the new state */
  if (gtk_widget_get_mapped (GTK_WIDGET (self->expand_button)))
    gtk_widget_trigger_tooltip_query (GTK_WIDGET (self->expand_button));
}

static void
copy_clicked_cb (HlValueRow *self)
{
  hl_value_row_copy (self);
}

static gboolean
copy_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return hl_value_row_copy (HL_VALUE_ROW (widget));
}

GtkWidget *
hl_value_row_new (const char *title)
{
  HlValueRow *self = g_object_new (HL_TYPE_VALUE_ROW, NULL);

  hl_value_row_set_title (self, title);
  return GTK_WIDGET (self);
}

void
hl_value_row_set_title (HlValueRow *self, const char *title)
{
  g_return_if_fail (HL_IS_VALUE_ROW (self));

  hl_wrap_label_set_text (self->title_label, title);
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), title && *title);
}

const char *
hl_value_row_get_title (HlValueRow *self)
{
  g_return_val_if_fail (HL_IS_VALUE_ROW (self), NULL);
  return gtk_label_get_text (self->title_label);
}

void
hl_value_row_set_text (HlValueRow *self, const char *text)
{
  g_return_if_fail (HL_IS_VALUE_ROW (self));

  g_free (self->full_text);
  g_free (self->copy_text);
  g_clear_pointer (&self->short_text, g_free);
  self->full_text = g_strdup (text);
  self->copy_text = g_strdup (text);
  show_value (self);
}

void
hl_value_row_set_bytes (HlValueRow *self, GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data;
  g_autofree char *hex = NULL;

  g_return_if_fail (HL_IS_VALUE_ROW (self));

  g_clear_pointer (&self->full_text, g_free);
  g_clear_pointer (&self->short_text, g_free);
  g_clear_pointer (&self->copy_text, g_free);
  hl_value_row_set_monospace (self, bytes != NULL);
  if (bytes == NULL)
    {
      self->full_text = g_strdup (_("Not available"));
      show_value (self);
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  hex = hl_hex_layout_dup_hex (data, len);
  self->full_text = g_steal_pointer (&hex);
  if (len > HL_VALUE_ROW_LONG)
    {
      g_autofree char *head = hl_hex_layout_dup_hex (data, HL_VALUE_ROW_PREVIEW);

      self->short_text = g_strdup_printf (_("%s … (%zu more bytes)"), head,
                                          len - HL_VALUE_ROW_PREVIEW);
    }
  {
    GString *plain = g_string_sized_new (len * 2);

    for (gsize i = 0; i < len; i++)
      g_string_append_printf (plain, "%02x", data[i]);
    self->copy_text = g_string_free (plain, FALSE);
  }
  show_value (self);
}

const char *
hl_value_row_get_text (HlValueRow *self)
{
  g_return_val_if_fail (HL_IS_VALUE_ROW (self), NULL);
  return gtk_label_get_text (self->value_label);
}

const char *
hl_value_row_get_copy_text (HlValueRow *self)
{
  g_return_val_if_fail (HL_IS_VALUE_ROW (self), NULL);
  return self->copy_text;
}

void
hl_value_row_set_monospace (HlValueRow *self, gboolean monospace)
{
  g_return_if_fail (HL_IS_VALUE_ROW (self));

  if (monospace)
    gtk_widget_add_css_class (GTK_WIDGET (self->value_label), "monospace");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->value_label), "monospace");
}

void
hl_value_row_set_check (HlValueRow *self, HlCheck check, const char *label)
{
  GtkWidget *badge;
  g_autofree char *text = NULL;

  g_return_if_fail (HL_IS_VALUE_ROW (self));

  self->check = check;
  if (self->check_label == NULL)
    {
      if (check == HL_CHECK_NONE)
        return;
      self->check_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_set_valign (GTK_WIDGET (self->check_label), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (self->check_label), "check-badge");
      gtk_grid_attach (self->heading, GTK_WIDGET (self->check_label), 1, 0, 1, 1);
    }
  badge = GTK_WIDGET (self->check_label);
  gtk_widget_remove_css_class (badge, "ok");
  gtk_widget_remove_css_class (badge, "failed");
  gtk_widget_set_visible (badge, check != HL_CHECK_NONE);
  text = g_strdup_printf ("%s%s%s", check == HL_CHECK_OK ? "✓" : "✗", label ? " " : "",
                          label ? label : "");
  gtk_label_set_text (self->check_label, text);
  if (check == HL_CHECK_OK)
    gtk_widget_add_css_class (badge, "ok");
  else if (check == HL_CHECK_FAILED)
    gtk_widget_add_css_class (badge, "failed");
}

HlCheck
hl_value_row_get_check (HlValueRow *self)
{
  g_return_val_if_fail (HL_IS_VALUE_ROW (self), HL_CHECK_NONE);
  return self->check;
}

void
hl_value_row_set_note (HlValueRow *self, const char *note)
{
  g_return_if_fail (HL_IS_VALUE_ROW (self));

  if (self->note_label == NULL)
    {
      if (note == NULL || *note == '\0')
        return;
      self->note_label = GTK_LABEL (hl_wrap_label_new (NULL, "dim-label", TRUE));
      gtk_widget_add_css_class (GTK_WIDGET (self->note_label), "value-row-note");
      gtk_box_append (self->box, GTK_WIDGET (self->note_label));
    }
  hl_wrap_label_set_text (self->note_label, note);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note && *note);
}

void
hl_value_row_set_expanded (HlValueRow *self, gboolean expanded)
{
  g_return_if_fail (HL_IS_VALUE_ROW (self));

  if (self->expand_button == NULL && !expanded)
    return;
  ensure_expand_button (self);
  gtk_toggle_button_set_active (self->expand_button, expanded);
}

gboolean
hl_value_row_copy (HlValueRow *self)
{
  g_return_val_if_fail (HL_IS_VALUE_ROW (self), FALSE);

  if (self->copy_text == NULL)
    return FALSE;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->copy_text);
  return TRUE;
}

static GtkWidget *
flat_button_new (GtkWidget *button, const char *icon_name)
{
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_button_set_icon_name (GTK_BUTTON (button), icon_name);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* grid (value-row-box): [ box: [ grid: title, badge ], value, note ], expander, copy; the
 * badge, note and expander are added when first needed */
static void
build (HlValueRow *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *heading = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "value-row-box");
  gtk_widget_set_hexpand (box, TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (heading), 6);

  self->grid = GTK_GRID (grid);
  self->box = GTK_BOX (box);
  self->heading = GTK_GRID (heading);
  self->title_label = GTK_LABEL (hl_wrap_label_new (NULL, "value-row-title", FALSE));
  gtk_grid_attach (GTK_GRID (heading), GTK_WIDGET (self->title_label), 0, 0, 1, 1);

  self->value_label = GTK_LABEL (hl_wrap_label_new (NULL, "value-row-value", TRUE));
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->value_label));

  self->copy_button = GTK_BUTTON (flat_button_new (gtk_button_new (), "edit-copy-symbolic"));
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);

  gtk_grid_attach (GTK_GRID (grid), box, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->copy_button), 2, 0, 1, 1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), grid);
}

static void
hl_value_row_finalize (GObject *object)
{
  HlValueRow *self = HL_VALUE_ROW (object);

  g_free (self->full_text);
  g_free (self->short_text);
  g_free (self->copy_text);
  G_OBJECT_CLASS (hl_value_row_parent_class)->finalize (object);
}

static void
hl_value_row_class_init (HlValueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hl_value_row_finalize;

  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, copy_shortcut_cb, NULL);
}

static void
hl_value_row_init (HlValueRow *self)
{
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  build (self);
  gtk_widget_add_css_class (GTK_WIDGET (self), "value-row");
  /* rows come by the dozen: tooltips given when asked for (hl-tooltip.c) */
  hl_tooltip_set_text (GTK_WIDGET (self->copy_button), _("Copy (Ctrl+C)"));
  show_value (self);
}
