/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tooltips given when asked for. gtk_widget_set_tooltip_text () asks the display where the
 * pointer is each time it is called on a visible widget (on X11 a round trip to the server,
 * whether or not the widget is even in a window), which made building rows of values, buttons
 * and transcript lines slow. Here the text is kept on the widget and handed over in
 * query-tooltip, when the pointer rests on it; screen readers get it as the description at
 * once, as with a tooltip set the usual way. */
#define G_LOG_DOMAIN "hl-tooltip"
#include "config.h"

#include "hl-tooltip.h"

#define TEXT_KEY "hl-tooltip-text"

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), TEXT_KEY);

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * hl_tooltip_set_text:
 * @widget: a widget
 * @text: (nullable): the tooltip, or %NULL for none
 *
 * Sets @widget's tooltip like gtk_widget_set_tooltip_text () without asking the display where
 * the pointer is; a tooltip already shown changes at the pointer's next move.
 */
void
hl_tooltip_set_text (GtkWidget *widget, const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (g_object_get_data (G_OBJECT (widget), TEXT_KEY) == NULL && text == NULL)
    return;
  if (g_object_get_data (G_OBJECT (widget), "hl-tooltip-connected") == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
      g_object_set_data (G_OBJECT (widget), "hl-tooltip-connected", GINT_TO_POINTER (TRUE));
    }
  g_object_set_data_full (G_OBJECT (widget), TEXT_KEY, g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL && *text != '\0');
  if (text && *text)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/**
 * hl_tooltip_set_template_texts:
 * @widget: a widget made from a template
 * @type: the type whose template it is
 * @...: pairs of an object id in that template and its tooltip, then %NULL
 *
 * Gives the tooltips of a template's widgets with hl_tooltip_set_text (): a tooltip-text
 * property in the template asks the display where the pointer is for each widget built.
 */
void
hl_tooltip_set_template_texts (GtkWidget *widget, GType type, ...)
{
  va_list args;
  const char *id;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  va_start (args, type);
  while ((id = va_arg (args, const char *)) != NULL)
    {
      const char *text = va_arg (args, const char *);
      GObject *child = gtk_widget_get_template_child (widget, type, id);

      g_warn_if_fail (GTK_IS_WIDGET (child));
      if (GTK_IS_WIDGET (child))
        hl_tooltip_set_text (GTK_WIDGET (child), text);
    }
  va_end (args);
}
