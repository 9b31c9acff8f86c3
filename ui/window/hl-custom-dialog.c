/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-custom-dialog"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-custom-dialog.h"

/* Edits the fields of an HlConfig. Combo positions are the enum values (see hl-scenario.h);
 * combinations GnuTLS cannot run (an RSA key exchange with an ECDSA certificate) are fixed as
 * people choose. */

struct _HlCustomDialog
{
  AdwWindow     parent_instance;

  /* template widgets */
  GtkButton    *run_button;
  AdwComboRow  *version_row;
  AdwComboRow  *kx_row;
  AdwComboRow  *cert_row;
  AdwComboRow  *cipher_row;
  AdwComboRow  *group_row;
  AdwActionRow *ems_row;
  GtkSwitch    *ems_switch;
  GtkSwitch    *client_auth_switch;
  GtkSwitch    *resumption_switch;
  AdwComboRow  *failure_row;
  GtkLabel     *summary_label;

  /* owned */
  HlConfig      base;   /* fields the dialog does not show are kept from here */
  gboolean      updating;
};

enum
{
  RUN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlCustomDialog, hl_custom_dialog, ADW_TYPE_WINDOW)

void
hl_custom_dialog_get_config (HlCustomDialog *self, HlConfig *config)
{
  g_return_if_fail (HL_IS_CUSTOM_DIALOG (self));
  g_return_if_fail (config != NULL);

  *config = self->base;
  config->version = adw_combo_row_get_selected (self->version_row);
  config->kx = adw_combo_row_get_selected (self->kx_row);
  config->cert = adw_combo_row_get_selected (self->cert_row);
  config->cipher = adw_combo_row_get_selected (self->cipher_row);
  config->group = adw_combo_row_get_selected (self->group_row);
  config->ems = gtk_switch_get_active (self->ems_switch);
  config->etm = config->cipher == HL_CIPHER_AES_128_CBC;
  config->client_auth = gtk_switch_get_active (self->client_auth_switch);
  config->resumption = gtk_switch_get_active (self->resumption_switch);
  config->failure = adw_combo_row_get_selected (self->failure_row);
  config->attack = HL_ATTACK_NONE;   /* the dialog builds direct connections */
  if (config->version == HL_VERSION_TLS13)
    config->kx = HL_KX_ECDHE;
  if (config->group != self->base.group)
    config->server_group = HL_GROUP_DEFAULT;
}

static void
update (HlCustomDialog *self)
{
  HlConfig config;
  g_autofree char *summary = NULL;
  gboolean tls13;

  if (self->updating)
    return;
  self->updating = TRUE;
  tls13 = adw_combo_row_get_selected (self->version_row) == HL_VERSION_TLS13;
  gtk_widget_set_sensitive (GTK_WIDGET (self->kx_row), !tls13);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kx_row),
                               tls13 ? _("TLS 1.3 always uses (EC)DHE") : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->ems_row), !tls13);
  if (adw_combo_row_get_selected (self->failure_row) == HL_FAILURE_MISSING_CLIENT_CERT)
    gtk_switch_set_active (self->client_auth_switch, TRUE);
  self->updating = FALSE;

  hl_custom_dialog_get_config (self, &config);
  summary = hl_config_dup_summary (&config);
  gtk_label_set_text (self->summary_label, summary);
}

static void
kx_changed_cb (HlCustomDialog *self)
{
  /* an RSA key exchange encrypts with the certificate's key: it must be an RSA key */
  if (!self->updating && adw_combo_row_get_selected (self->kx_row) == HL_KX_RSA)
    adw_combo_row_set_selected (self->cert_row, HL_CERT_RSA);
  update (self);
}

static void
cert_changed_cb (HlCustomDialog *self)
{
  if (!self->updating && adw_combo_row_get_selected (self->cert_row) == HL_CERT_ECDSA &&
      adw_combo_row_get_selected (self->kx_row) == HL_KX_RSA)
    adw_combo_row_set_selected (self->kx_row, HL_KX_ECDHE);
  update (self);
}

static void
run_clicked_cb (HlCustomDialog *self)
{
  HlConfig config;

  hl_custom_dialog_get_config (self, &config);
  g_signal_emit (self, signals[RUN], 0, &config);
  gtk_window_close (GTK_WINDOW (self));
}

static void
load (HlCustomDialog *self, const HlConfig *config)
{
  self->base = *config;
  self->updating = TRUE;
  adw_combo_row_set_selected (self->version_row, config->version);
  adw_combo_row_set_selected (self->kx_row, config->kx);
  adw_combo_row_set_selected (self->cert_row, config->cert);
  adw_combo_row_set_selected (self->cipher_row, config->cipher);
  adw_combo_row_set_selected (self->group_row, config->group);
  gtk_switch_set_active (self->ems_switch, config->ems);
  gtk_switch_set_active (self->client_auth_switch, config->client_auth);
  gtk_switch_set_active (self->resumption_switch, config->resumption);
  adw_combo_row_set_selected (self->failure_row, config->failure);
  self->updating = FALSE;
  update (self);
}

static void
hl_custom_dialog_class_init (HlCustomDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * HlCustomDialog::run:
   * @config: (type gpointer): the #HlConfig to run
   */
  signals[RUN] = g_signal_new ("run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                               NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-custom-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, run_button);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, version_row);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, kx_row);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, cert_row);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, cipher_row);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, group_row);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, ems_row);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, ems_switch);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, client_auth_switch);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, resumption_switch);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, failure_row);
  gtk_widget_class_bind_template_child (widget_class, HlCustomDialog, summary_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_custom_dialog_init (HlCustomDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->version_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->kx_row, "notify::selected", G_CALLBACK (kx_changed_cb), self);
  g_signal_connect_swapped (self->cert_row, "notify::selected", G_CALLBACK (cert_changed_cb),
                            self);
  g_signal_connect_swapped (self->cipher_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->group_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->failure_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->ems_switch, "notify::active", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->client_auth_switch, "notify::active", G_CALLBACK (update),
                            self);
  g_signal_connect_swapped (self->resumption_switch, "notify::active", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (run_clicked_cb), self);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->run_button));
}

HlCustomDialog *
hl_custom_dialog_new (GtkWindow *parent, const HlConfig *initial)
{
  HlCustomDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (initial != NULL, NULL);

  self = g_object_new (HL_TYPE_CUSTOM_DIALOG, "transient-for", parent, NULL);
  load (self, initial);
  return self;
}
