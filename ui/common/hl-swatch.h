/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* An invisible child widget (CSS node "swatch") whose only job is to carry one colour of a
 * custom-drawn widget's palette: give it CSS classes, style `swatch.class { color: … }`, and
 * read the colour back when drawing. Light, dark and high contrast then come from CSS. */
#define HL_TYPE_SWATCH (hl_swatch_get_type ())
G_DECLARE_FINAL_TYPE (HlSwatch, hl_swatch, HL, SWATCH, GtkWidget)

void hl_swatch_get_color (GtkWidget *swatch, GdkRGBA *color);

G_END_DECLS
