/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-listen-dialog"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-listen-dialog.h"

struct _HlListenDialog
{
  AdwWindow       parent_instance;

  /* template widgets */
  GtkWidget      *start_button;
  GtkWidget      *settings_group;
  AdwComboRow    *address_row;
  GtkSpinButton  *port_spin;
  AdwComboRow    *version_row;
  GtkSwitch      *client_auth_switch;
  GtkWidget      *commands_group;
  GtkWidget      *copy_button;
  GtkLabel       *commands_label;
  GtkWidget      *status_box;
  GtkSpinner     *spinner;
  GtkLabel       *status_label;

  /* owned */
  HlLiveListener *listener;     /* while listening; freed when its last accept has returned */
  GCancellable   *cancellable;
  char           *commands;
  char           *ca_path;
  guint           served;
};

G_DEFINE_FINAL_TYPE (HlListenDialog, hl_listen_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_TRACE_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const addresses[] = { "127.0.0.1", "::1", "0.0.0.0" };

static void
set_status (HlListenDialog *self, const char *text, gboolean busy, gboolean error)
{
  gtk_widget_set_visible (self->status_box, text != NULL);
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
update_controls (HlListenDialog *self)
{
  gboolean listening = self->cancellable != NULL;

  gtk_widget_set_sensitive (self->settings_group, !listening);
  gtk_widget_set_visible (self->commands_group, listening);
  gtk_button_set_label (GTK_BUTTON (self->start_button),
                        listening ? _("_Stop Listening") : _("_Start Listening"));
  if (listening)
    {
      gtk_widget_remove_css_class (self->start_button, "suggested-action");
      gtk_widget_add_css_class (self->start_button, "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (self->start_button, "destructive-action");
      gtk_widget_add_css_class (self->start_button, "suggested-action");
    }
}

static char *
waiting_text (HlListenDialog *self)
{
  if (self->served == 0)
    return g_strdup_printf (_("Waiting for a client on %s port %u…"),
                            hl_live_listener_get_address (self->listener),
                            hl_live_listener_get_port (self->listener));
  return g_strdup_printf (ngettext ("Served %u client; waiting for the next on port %u…",
                                    "Served %u clients; waiting for the next on port %u…",
                                    self->served),
                          self->served, hl_live_listener_get_port (self->listener));
}

static void accept_next (HlListenDialog *self);

static void
accepted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(HlListenDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_live_listener_accept_finish (result, &error);
  gboolean stopped = self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable);

  if (stopped || self->status_label == NULL)
    {
      /* the accept that was running has returned: now the listener can go */
      g_clear_pointer (&self->listener, hl_live_listener_free);
      g_clear_object (&self->cancellable);
      if (self->status_label != NULL)
        {
          update_controls (self);
          set_status (self, self->served ? NULL : _("Stopped."), FALSE, FALSE);
        }
      return;
    }

  if (trace != NULL)
    {
      g_autofree char *text = NULL;

      self->served++;
      g_signal_emit (self, signals[SIGNAL_TRACE_READY], 0, trace);
      text = waiting_text (self);
      set_status (self, text, TRUE, FALSE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("The last client could not be shown: %s. "
                                                 "Still listening."), error->message);

      set_status (self, text, TRUE, TRUE);
    }
  accept_next (self);
}

static void
accept_next (HlListenDialog *self)
{
  hl_live_listener_accept_async (self->listener, self->cancellable, accepted_cb,
                                 g_object_ref (self));
}

/* The demo CA, written where a terminal can read it (in the Flatpak, the app's cache folder,
 * which the host sees under ~/.var/app/). */
static gboolean
write_ca (HlListenDialog *self, GError **error)
{
  g_autoptr(GBytes) pem = hl_live_dup_demo_ca_pem (error);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "handshake-lens", NULL);

  if (pem == NULL)
    return FALSE;
  g_free (self->ca_path);
  self->ca_path = g_build_filename (dir, "demo-ca.pem", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", dir,
                   g_strerror (errno));
      return FALSE;
    }
  return g_file_set_contents (self->ca_path, g_bytes_get_data (pem, NULL),
                              g_bytes_get_size (pem), error);
}

static void
options_from_form (HlListenDialog *self, HlLiveOptions *options)
{
  static const HlLiveVersions versions[] = { HL_LIVE_VERSIONS_ANY, HL_LIVE_VERSIONS_TLS12,
                                             HL_LIVE_VERSIONS_TLS13 };
  guint address = adw_combo_row_get_selected (self->address_row);
  guint version = adw_combo_row_get_selected (self->version_row);

  hl_live_options_init (options);
  options->address = g_strdup (addresses[MIN (address, G_N_ELEMENTS (addresses) - 1)]);
  options->port = (guint16) gtk_spin_button_get_value_as_int (self->port_spin);
  options->versions = versions[MIN (version, G_N_ELEMENTS (versions) - 1)];
  options->client_auth = gtk_switch_get_active (self->client_auth_switch);
}

void
hl_listen_dialog_set_options (HlListenDialog *self, const HlLiveOptions *options)
{
  g_return_if_fail (HL_IS_LISTEN_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    if (g_strcmp0 (options->address, addresses[i]) == 0)
      adw_combo_row_set_selected (self->address_row, i);
  if (options->port)
    gtk_spin_button_set_value (self->port_spin, options->port);
  adw_combo_row_set_selected (self->version_row,
                              options->versions == HL_LIVE_VERSIONS_TLS12 ? 1
                              : options->versions == HL_LIVE_VERSIONS_TLS13 ? 2 : 0);
  gtk_switch_set_active (self->client_auth_switch, options->client_auth);
}

gboolean
hl_listen_dialog_start (HlListenDialog *self)
{
  HlLiveOptions options;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (HL_IS_LISTEN_DIALOG (self), FALSE);

  if (self->cancellable != NULL || self->listener != NULL)
    return self->cancellable != NULL;
  options_from_form (self, &options);
  self->listener = hl_live_listener_new (&options, &error);
  if (self->listener == NULL || !write_ca (self, &error))
    {
      text = g_strdup_printf (_("Cannot listen on %s port %u: %s"), options.address,
                              options.port, error->message);
      set_status (self, text, FALSE, TRUE);
      g_clear_pointer (&self->listener, hl_live_listener_free);
      hl_live_options_clear (&options);
      return FALSE;
    }
  hl_live_options_clear (&options);

  g_free (self->commands);
  self->commands = hl_live_listener_dup_commands (self->listener, self->ca_path);
  g_strchomp (self->commands);
  {
    /* one paragraph per command, so a wrapped line is not mistaken for the next command */
    g_auto(GStrv) lines = g_strsplit (self->commands, "\n", -1);
    g_autofree char *shown = g_strjoinv ("\n\n", lines);

    gtk_label_set_text (self->commands_label, shown);
  }
  self->served = 0;
  self->cancellable = g_cancellable_new ();
  update_controls (self);
  text = waiting_text (self);
  set_status (self, text, TRUE, FALSE);
  accept_next (self);
  return TRUE;
}

void
hl_listen_dialog_stop (HlListenDialog *self)
{
  g_return_if_fail (HL_IS_LISTEN_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
hl_listen_dialog_is_listening (HlListenDialog *self)
{
  return self->cancellable != NULL && !g_cancellable_is_cancelled (self->cancellable);
}

guint16
hl_listen_dialog_get_port (HlListenDialog *self)
{
  return self->listener ? hl_live_listener_get_port (self->listener) : 0;
}

const char *
hl_listen_dialog_get_commands (HlListenDialog *self)
{
  return self->commands;
}

static void
start_clicked_cb (HlListenDialog *self)
{
  if (self->cancellable != NULL)
    hl_listen_dialog_stop (self);
  else
    hl_listen_dialog_start (self);
}

static void
copy_clicked_cb (HlListenDialog *self)
{
  if (self->commands)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->commands);
}

static gboolean
close_request_cb (HlListenDialog *self)
{
  hl_listen_dialog_stop (self);
  return FALSE;
}

static void
hl_listen_dialog_dispose (GObject *object)
{
  HlListenDialog *self = HL_LISTEN_DIALOG (object);

  hl_listen_dialog_stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_LISTEN_DIALOG);
  G_OBJECT_CLASS (hl_listen_dialog_parent_class)->dispose (object);
}

static void
hl_listen_dialog_finalize (GObject *object)
{
  HlListenDialog *self = HL_LISTEN_DIALOG (object);

  /* the accept callback holds a reference, so no accept is running by now */
  g_clear_pointer (&self->listener, hl_live_listener_free);
  g_clear_object (&self->cancellable);
  g_free (self->commands);
  g_free (self->ca_path);
  G_OBJECT_CLASS (hl_listen_dialog_parent_class)->finalize (object);
}

static void
hl_listen_dialog_class_init (HlListenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_listen_dialog_dispose;
  object_class->finalize = hl_listen_dialog_finalize;

  /**
   * HlListenDialog::trace-ready:
   * @trace: the finished live trace of one client
   */
  signals[SIGNAL_TRACE_READY] =
    g_signal_new ("trace-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, HL_TYPE_TRACE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-listen-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, settings_group);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, port_spin);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, version_row);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, client_auth_switch);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, commands_group);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, commands_label);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, status_box);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, HlListenDialog, status_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_listen_dialog_init (HlListenDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->start_button, "clicked", G_CALLBACK (start_clicked_cb), self);
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);
  g_signal_connect_swapped (self, "close-request", G_CALLBACK (close_request_cb), self);
}

HlListenDialog *
hl_listen_dialog_new (GtkWindow *parent)
{
  return g_object_new (HL_TYPE_LISTEN_DIALOG, "transient-for", parent, NULL);
}
