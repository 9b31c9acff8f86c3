/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-alert"
#include "config.h"

#include <adwaita.h>

#include "hl-alert.h"

#if ADW_CHECK_VERSION (1, 6, 0)
#define ALERT(w) ADW_ALERT_DIALOG (w)
#else
#define ALERT(w) ADW_MESSAGE_DIALOG (w)
#endif

/**
 * hl_alert_new:
 * @heading: the heading
 * @body: (nullable): the body text
 *
 * Returns: (transfer floating): a new alert, to be shown with hl_alert_present()
 */
GtkWidget *
hl_alert_new (const char *heading, const char *body)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  return GTK_WIDGET (adw_alert_dialog_new (heading, body));
#else
  /* transient-for is set by hl_alert_present() */
  return adw_message_dialog_new (NULL, heading, body);
#endif
}

void
hl_alert_add_response (GtkWidget *alert, const char *id, const char *label)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  adw_alert_dialog_add_response (ALERT (alert), id, label);
#else
  adw_message_dialog_add_response (ALERT (alert), id, label);
#endif
}

void
hl_alert_set_close_response (GtkWidget *alert, const char *id)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  adw_alert_dialog_set_close_response (ALERT (alert), id);
#else
  adw_message_dialog_set_close_response (ALERT (alert), id);
#endif
}

void
hl_alert_set_default_response (GtkWidget *alert, const char *id)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  adw_alert_dialog_set_default_response (ALERT (alert), id);
#else
  adw_message_dialog_set_default_response (ALERT (alert), id);
#endif
}

/* Shows the response @id as the suggested action. */
void
hl_alert_set_suggested (GtkWidget *alert, const char *id)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  adw_alert_dialog_set_response_appearance (ALERT (alert), id, ADW_RESPONSE_SUGGESTED);
#else
  adw_message_dialog_set_response_appearance (ALERT (alert), id, ADW_RESPONSE_SUGGESTED);
#endif
}

void
hl_alert_set_extra_child (GtkWidget *alert, GtkWidget *child)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  adw_alert_dialog_set_extra_child (ALERT (alert), child);
#else
  adw_message_dialog_set_extra_child (ALERT (alert), child);
#endif
}

/**
 * hl_alert_get_extra_child:
 * @alert: an alert
 *
 * Returns: (transfer none) (nullable): the extra child
 */
GtkWidget *
hl_alert_get_extra_child (GtkWidget *alert)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  return adw_alert_dialog_get_extra_child (ALERT (alert));
#else
  return adw_message_dialog_get_extra_child (ALERT (alert));
#endif
}

/* Room for a form of rows: AdwAlertDialog's narrow layout cut "30 frames a second" short.
 * AdwMessageDialog sizes itself to its content already. */
void
hl_alert_set_wide (GtkWidget *alert)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  adw_alert_dialog_set_prefer_wide_layout (ALERT (alert), TRUE);
#else
  (void) alert;
#endif
}

/**
 * hl_alert_present:
 * @alert: an alert
 * @parent: the widget it is about (its window becomes the parent)
 */
void
hl_alert_present (GtkWidget *alert, GtkWidget *parent)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  adw_dialog_present (ADW_DIALOG (alert), parent);
#else
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (alert), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (alert), TRUE);
  gtk_window_present (GTK_WINDOW (alert));
#endif
}

/* Closes @alert without a response. */
void
hl_alert_close (GtkWidget *alert)
{
#if ADW_CHECK_VERSION (1, 6, 0)
  adw_dialog_force_close (ADW_DIALOG (alert));
#else
  gtk_window_destroy (GTK_WINDOW (alert));
#endif
}
