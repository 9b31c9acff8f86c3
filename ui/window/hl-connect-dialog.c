/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-connect-dialog"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-connect-dialog.h"

struct _HlConnectDialog
{
  AdwWindow     parent_instance;

  /* template widgets */
  GtkWidget    *cancel_button;
  GtkWidget    *connect_button;
  GtkWidget    *page;
  AdwEntryRow  *host_row;
  GtkSpinButton *port_spin;
  AdwEntryRow  *name_row;
  AdwComboRow  *version_row;
  AdwEntryRow  *ca_row;
  GtkWidget    *ca_button;
  GtkWidget    *status_box;
  GtkSpinner   *spinner;
  GtkLabel     *status_label;

  /* owned */
  GCancellable *cancellable;   /* while connecting */
};

G_DEFINE_FINAL_TYPE (HlConnectDialog, hl_connect_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_TRACE_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_status (HlConnectDialog *self, const char *text, gboolean busy, gboolean error)
{
  gtk_widget_set_visible (self->status_box, text != NULL);
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_set_sensitive (self->page, TRUE);
  gtk_widget_set_sensitive (self->connect_button, !busy);
}

gboolean
hl_connect_dialog_get_options (HlConnectDialog *self, HlLiveOptions *options, char **problem)
{
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *ca = gtk_editable_get_text (GTK_EDITABLE (self->ca_row));
  static const HlLiveVersions versions[] = { HL_LIVE_VERSIONS_ANY, HL_LIVE_VERSIONS_TLS12,
                                             HL_LIVE_VERSIONS_TLS13 };
  guint selected = adw_combo_row_get_selected (self->version_row);

  g_return_val_if_fail (HL_IS_CONNECT_DIALOG (self), FALSE);

  hl_live_options_init (options);
  if (*host == '\0')
    {
      *problem = g_strdup (_("Enter the host name or address of the server."));
      return FALSE;
    }
  options->host = g_steal_pointer (&host);
  options->port = (guint16) gtk_spin_button_get_value_as_int (self->port_spin);
  if (*name)
    options->server_name = g_strstrip (g_strdup (name));
  if (*ca)
    options->ca_file = g_strdup (ca);
  options->versions = versions[MIN (selected, G_N_ELEMENTS (versions) - 1)];
  return TRUE;
}

void
hl_connect_dialog_set_options (HlConnectDialog *self, const HlLiveOptions *options)
{
  g_return_if_fail (HL_IS_CONNECT_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->host_row), options->host ? options->host : "");
  gtk_spin_button_set_value (self->port_spin, options->port ? options->port : 443);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         options->server_name ? options->server_name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->ca_row), options->ca_file ? options->ca_file : "");
  adw_combo_row_set_selected (self->version_row,
                              options->versions == HL_LIVE_VERSIONS_TLS12 ? 1
                              : options->versions == HL_LIVE_VERSIONS_TLS13 ? 2 : 0);
}

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(HlConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_live_connect_finish (result, &error);

  g_clear_object (&self->cancellable);
  if (self->status_label == NULL)
    return; /* closed meanwhile */
  if (trace != NULL)
    {
      set_status (self, NULL, FALSE, FALSE);
      g_signal_emit (self, signals[SIGNAL_TRACE_READY], 0, trace);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, _("Cancelled."), FALSE, FALSE);
  else
    {
      /* protocol messages start in lower case, as on the command line */
      g_autofree char *text = g_strdup (error->message);

      text[0] = g_ascii_toupper (text[0]);
      set_status (self, text, FALSE, TRUE);
    }
}

void
hl_connect_dialog_connect (HlConnectDialog *self)
{
  HlLiveOptions options;
  g_autofree char *problem = NULL;
  g_autofree char *status = NULL;

  g_return_if_fail (HL_IS_CONNECT_DIALOG (self));

  if (self->cancellable != NULL)
    return;
  if (!hl_connect_dialog_get_options (self, &options, &problem))
    {
      set_status (self, problem, FALSE, TRUE);
      hl_live_options_clear (&options);
      return;
    }
  status = g_strdup_printf (_("Connecting to %s port %u…"), options.host, options.port);
  set_status (self, status, TRUE, FALSE);
  gtk_widget_set_sensitive (self->page, TRUE);
  self->cancellable = g_cancellable_new ();
  hl_live_connect_async (&options, self->cancellable, connected_cb, g_object_ref (self));
  hl_live_options_clear (&options);
}

gboolean
hl_connect_dialog_is_connecting (HlConnectDialog *self)
{
  g_return_val_if_fail (HL_IS_CONNECT_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

const char *
hl_connect_dialog_get_status (HlConnectDialog *self)
{
  g_return_val_if_fail (HL_IS_CONNECT_DIALOG (self), NULL);
  return gtk_label_get_text (self->status_label);
}

static void
connect_clicked_cb (HlConnectDialog *self)
{
  hl_connect_dialog_connect (self);
}

static void
cancel_clicked_cb (HlConnectDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
ca_chosen (HlConnectDialog *self, GFile *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->ca_row), path);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
ca_dialog_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(HlConnectDialog) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  ca_chosen (self, file);
}
#else
static void
ca_native_cb (GtkNativeDialog *native, int response, gpointer user_data)
{
  g_autoptr(HlConnectDialog) self = user_data;
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT
                            ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native)) : NULL;

  ca_chosen (self, file);
  g_object_unref (native);
}
#endif

static void
ca_clicked_cb (HlConnectDialog *self)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PEM Certificates"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Choose the CA to Trust"));
    gtk_file_dialog_set_default_filter (dialog, filter);
    gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, ca_dialog_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *native =
      gtk_file_chooser_native_new (_("Choose the CA to Trust"), GTK_WINDOW (self),
                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));

    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    g_signal_connect (native, "response", G_CALLBACK (ca_native_cb), g_object_ref (self));
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  }
#endif
  g_object_unref (filter);
}

static gboolean
close_request_cb (HlConnectDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
hl_connect_dialog_dispose (GObject *object)
{
  HlConnectDialog *self = HL_CONNECT_DIALOG (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_CONNECT_DIALOG);
  G_OBJECT_CLASS (hl_connect_dialog_parent_class)->dispose (object);
}

static void
hl_connect_dialog_class_init (HlConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_connect_dialog_dispose;

  /**
   * HlConnectDialog::trace-ready:
   * @trace: the finished live trace
   */
  signals[SIGNAL_TRACE_READY] =
    g_signal_new ("trace-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, HL_TYPE_TRACE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, page);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, port_spin);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, version_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, ca_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, ca_button);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, status_box);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, status_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_connect_dialog_init (HlConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->connect_button, "clicked", G_CALLBACK (connect_clicked_cb),
                            self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb),
                            self);
  g_signal_connect_swapped (self->ca_button, "clicked", G_CALLBACK (ca_clicked_cb), self);
  g_signal_connect_swapped (self->host_row, "entry-activated", G_CALLBACK (connect_clicked_cb),
                            self);
  g_signal_connect_swapped (self, "close-request", G_CALLBACK (close_request_cb), self);
  gtk_widget_set_sensitive (self->connect_button, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->connect_button);
}

HlConnectDialog *
hl_connect_dialog_new (GtkWindow *parent)
{
  return g_object_new (HL_TYPE_CONNECT_DIALOG, "transient-for", parent, NULL);
}
