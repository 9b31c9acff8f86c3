/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A message with responses: AdwAlertDialog where libadwaita has it (1.6 deprecates
 * AdwMessageDialog), AdwMessageDialog before. Both emit ::response (dialog, id). */
GtkWidget *hl_alert_new                (const char *heading,
                                        const char *body);
void       hl_alert_add_response       (GtkWidget  *alert,
                                        const char *id,
                                        const char *label);
void       hl_alert_set_close_response (GtkWidget  *alert,
                                        const char *id);
void       hl_alert_set_default_response (GtkWidget  *alert,
                                          const char *id);
void       hl_alert_set_suggested      (GtkWidget  *alert,
                                        const char *id);
void       hl_alert_set_extra_child    (GtkWidget  *alert,
                                        GtkWidget  *child);
GtkWidget *hl_alert_get_extra_child    (GtkWidget  *alert);
void       hl_alert_set_wide           (GtkWidget  *alert);
void       hl_alert_present            (GtkWidget  *alert,
                                        GtkWidget  *parent);
void       hl_alert_close              (GtkWidget  *alert);

G_END_DECLS
