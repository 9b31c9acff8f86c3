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
