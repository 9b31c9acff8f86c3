/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-swatch"
#include "config.h"

#include "hl-swatch.h"

struct _HlSwatch
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (HlSwatch, hl_swatch, GTK_TYPE_WIDGET)

static void
hl_swatch_class_init (HlSwatchClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "swatch");
}

static void
hl_swatch_init (HlSwatch *self)
{
}

void
hl_swatch_get_color (GtkWidget *swatch, GdkRGBA *color)
{
  /* gtk_widget_get_color() is GTK 4.10; the style context is deprecated from then on */
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (swatch, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (swatch), color);
#endif
}
