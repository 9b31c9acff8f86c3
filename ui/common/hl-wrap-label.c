/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-wrap-label"
#include "config.h"

#include "hl-wrap-label.h"

/* A wrapping label with no width-chars measures its minimum width by laying its text out at
 * width 0: one word a line, or with word-char wrapping one character a line, and Pango shapes
 * what is left of the text again at each line. For the labels of the inspector and the details
 * pane that was most of the time of a window's first frame. With width-chars the narrowest
 * layout is made at that many characters instead: a few lines. */
#define NARROWEST_CHARS 20

/**
 * hl_wrap_label_set_text:
 * @label: a wrapping label
 * @text: (nullable): its text
 *
 * Sets @text and width-chars of half its characters, at most 20. The natural width stays the
 * text's own (wider than half its characters); the minimum width grows from one word or one
 * character to those characters, far less than the panes that hold these labels.
 */
void
hl_wrap_label_set_text (GtkLabel *label, const char *text)
{
  glong n;

  g_return_if_fail (GTK_IS_LABEL (label));

  if (text == NULL)
    text = "";
  n = g_utf8_strlen (text, -1);
  gtk_label_set_width_chars (label, n >= 8 ? (int) MIN (NARROWEST_CHARS, n / 2) : -1);
  gtk_label_set_text (label, text);
}

/**
 * hl_wrap_label_new:
 * @text: (nullable): its text (see hl_wrap_label_set_text ())
 * @css_class: (nullable): a style class
 * @selectable: whether its text can be selected
 *
 * Returns: a left-aligned label that wraps between words, or inside a word that does not fit
 */
GtkWidget *
hl_wrap_label_new (const char *text, const char *css_class, gboolean selectable)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), selectable);
  if (text)
    hl_wrap_label_set_text (GTK_LABEL (label), text);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}
