/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-certificate-view"
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n.h>

#include "hl-alert.h"
#include "hl-certificate.h"
#include "hl-certificate-view.h"
#include "hl-side-text.h"
#include "hl-tooltip.h"
#include "hl-value-row.h"

/* Order of this file: the struct, helpers, the verification, one certificate, the chain,
 * copy / save / full text, public API, GObject.
 *
 * The certificates of the run: first the verdict and GnuTLS's verification explained step by
 * step (signature, trusted issuer, validity, name), then the chain as it was sent, leaf first,
 * then the authority the verifier trusts — which never travels on the wire. Everything is read
 * from the trace; "now" is the moment the handshake ran, so a replayed trace explains itself as
 * it was. The full GnuTLS printout of a certificate is made only when someone asks for it. */

struct _HlCertificateView
{
  AdwBin           parent_instance;

  /* template widgets */
  GtkWidget       *chain_switch;
  GtkToggleButton *server_button;
  GtkToggleButton *client_button;
  GtkImage        *verdict_icon;
  GtkLabel        *verdict_title;
  GtkLabel        *verdict_text;
  GtkListBox      *steps_list;
  GtkLabel        *chain_heading;
  GtkListBox      *chain_list;
  GtkLabel        *anchor_heading;
  GtkListBox      *anchor_list;

  /* owned */
  HlTrace         *trace;
  GPtrArray       *steps;        /* of HlVerifyStep, for the text copy */
  guint            handshake;
  gboolean         client_chain;
  gboolean         updating;
  guint            n_certificates;
};

G_DEFINE_FINAL_TYPE (HlCertificateView, hl_certificate_view, ADW_TYPE_BIN)

/* Helpers */

static gint64
trace_now (HlCertificateView *self)
{
  return hl_trace_get_created (self->trace) / G_USEC_PER_SEC;
}

/* "server.test" from "O=Handshake Lens,CN=server.test" */
static char *
dup_common_name (const char *dn)
{
  const char *cn = dn ? strstr (dn, "CN=") : NULL;
  const char *end;

  if (cn == NULL)
    return g_strdup (dn ? dn : _("(no name)"));
  cn += 3;
  end = strchr (cn, ',');
  return end ? g_strndup (cn, end - cn) : g_strdup (cn);
}

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

static const char *
check_icon (HlCheck check)
{
  switch (check)
    {
    case HL_CHECK_OK: return "emblem-ok-symbolic";
    case HL_CHECK_FAILED: return "dialog-error-symbolic";
    case HL_CHECK_NONE:
    default: return "dialog-question-symbolic";
    }
}

static const char *
check_class (HlCheck check)
{
  return check == HL_CHECK_OK ? "success" : check == HL_CHECK_FAILED ? "error" : "dim-label";
}

/* The verification */

static const HlVerification *
find_verification (HlCertificateView *self, HlSide verifier)
{
  GPtrArray *all = hl_trace_get_verifications (self->trace);
  const HlVerification *fallback = NULL;

  for (guint i = 0; i < all->len; i++)
    {
      const HlVerification *v = g_ptr_array_index (all, i);

      /* by TLS role: an attacker verifies as the client of its connection to the server */
      if (hl_side_get_role (v->verifier, v->handshake) != verifier)
        continue;
      if (v->handshake == self->handshake)
        return v;
      if (fallback == NULL)
        fallback = v;
    }
  return fallback;
}

static GtkWidget *
step_row_new (const HlVerifyStep *step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (check_icon (step->check));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), step->detail);
  gtk_widget_add_css_class (icon, check_class (step->check));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  step->check == HL_CHECK_OK ? _("passed")
                                  : step->check == HL_CHECK_FAILED ? _("failed")
                                                                   : _("not checkable"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "verify-step");
  if (step->check == HL_CHECK_FAILED)
    gtk_widget_add_css_class (row, "failed");
  return row;
}

static void
show_verification (HlCertificateView *self)
{
  HlSide verifier = self->client_chain ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  const HlVerification *v = find_verification (self, verifier);
  const char *whose = self->client_chain ? _("client's")
                      : self->trace && hl_trace_get_attacker (self->trace) &&
                        self->handshake == 0
                        ? _("attacker's") : _("server's");
  g_autofree char *title = NULL;

  clear_list (self->steps_list);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), "error");

  if (v == NULL)
    {
      title = g_strdup_printf (_("Nobody verified the %s certificate in this run"), whose);
      gtk_image_set_from_icon_name (self->verdict_icon, "dialog-information-symbolic");
      gtk_label_set_text (self->verdict_title, title);
      gtk_label_set_text (self->verdict_text, self->client_chain
                          ? _("The client sent no certificate, or the handshake ended first.")
                          : _("The handshake ended before a certificate was checked."));
      gtk_widget_set_visible (GTK_WIDGET (self->steps_list), FALSE);
      return;
    }

  if (v->trusted)
    title = g_strdup_printf (_("The %s trusted the %s certificate"),
                             hl_side_text_word (v->verifier), whose);
  else
    title = g_strdup_printf (_("The %s rejected the %s certificate"),
                             hl_side_text_word (v->verifier), whose);
  gtk_image_set_from_icon_name (self->verdict_icon, v->trusted ? "emblem-ok-symbolic"
                                                               : "dialog-error-symbolic");
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), v->trusted ? "success" : "error");
  gtk_label_set_text (self->verdict_title, title);
  {
    g_autofree char *said = g_strstrip (g_strdup (v->text ? v->text : ""));
    g_autofree char *text = g_strdup_printf (_("GnuTLS says: %s"), said);

    gtk_label_set_text (self->verdict_text, text);
  }

  self->steps = hl_verification_explain (self->trace, v, trace_now (self));
  for (guint i = 0; i < self->steps->len; i++)
    gtk_list_box_append (self->steps_list, step_row_new (g_ptr_array_index (self->steps, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->steps_list), self->steps->len > 0);
}

/* Copy, save, full text */

static GBytes *
button_der (GtkWidget *button)
{
  return g_object_get_data (G_OBJECT (button), "hl-der");
}

static void
copy_pem_cb (GtkButton *button, HlCertificateView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = hl_certificate_dup_pem (button_der (GTK_WIDGET (button)), &error);

  if (pem)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), pem);
  else
    g_warning ("cannot write the certificate as PEM: %s", error->message);
}

static void
show_error (HlCertificateView *self, const char *heading, const char *body)
{
  GtkWidget *dialog = hl_alert_new (heading, body);

  hl_alert_add_response (dialog, "close", _("_Close"));
  hl_alert_present (dialog, GTK_WIDGET (self));
}

static void
save_pem_to (HlCertificateView *self, GBytes *der, GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = hl_certificate_dup_pem (der, &error);

  if (pem == NULL ||
      !g_file_replace_contents (file, pem, strlen (pem), NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                NULL, &error))
    show_error (self, _("The Certificate Was Not Saved"), error->message);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(HlCertificateView) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);
  GBytes *der = g_object_get_data (source, "hl-der");

  if (file)
    save_pem_to (self, der, file);
}
#else
static void
save_response_cb (GtkNativeDialog *dialog, int response, HlCertificateView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file)
        save_pem_to (self, g_object_get_data (G_OBJECT (dialog), "hl-der"), file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}
#endif

static void
save_pem_cb (GtkButton *button, HlCertificateView *self)
{
  GBytes *der = button_der (GTK_WIDGET (button));
  const char *name = g_object_get_data (G_OBJECT (button), "hl-name");
  g_autofree char *file_name = g_strdup_printf ("%s.pem", name ? name : "certificate");
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));

#if GTK_CHECK_VERSION (4, 10, 0)
  GtkFileDialog *dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, _("Save Certificate as PEM"));
  gtk_file_dialog_set_initial_name (dialog, file_name);
  g_object_set_data_full (G_OBJECT (dialog), "hl-der", g_bytes_ref (der),
                          (GDestroyNotify) g_bytes_unref);
  gtk_file_dialog_save (dialog, parent, NULL, save_done_cb, g_object_ref (self));
  g_object_unref (dialog);
#else
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Save Certificate as PEM"), parent,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), file_name);
  g_object_set_data_full (G_OBJECT (dialog), "hl-der", g_bytes_ref (der),
                          (GDestroyNotify) g_bytes_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
#endif
}

/* GnuTLS's complete printout, made now that someone asked for it. */
static void
full_text_cb (GtkButton *button, HlCertificateView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = hl_certificate_dup_full_text (button_der (GTK_WIDGET (button)), &error);
  const char *name = g_object_get_data (G_OBJECT (button), "hl-name");
  g_autofree char *title = g_strdup_printf (_("Certificate “%s”"), name ? name : "");
  GtkWidget *window, *toolbar, *scroller, *view;

  if (text == NULL)
    {
      show_error (self, _("The Certificate Cannot Be Printed"), error->message);
      return;
    }
  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 640);
  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (toolbar), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (toolbar), scroller);
  adw_window_set_content (ADW_WINDOW (window), toolbar);
  gtk_window_present (GTK_WINDOW (window));
}

/* One certificate */

static void
add_value (AdwExpanderRow *expander, const char *title, const char *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;
  row = hl_value_row_new (title);
  hl_value_row_set_text (HL_VALUE_ROW (row), value);
  adw_expander_row_add_row (expander, row);
}

static void
add_list (AdwExpanderRow *expander, const char *title, GStrv list)
{
  g_autofree char *text = NULL;

  if (list == NULL || list[0] == NULL)
    return;
  text = g_strjoinv (", ", list);
  add_value (expander, title, text);
}

static GtkWidget *
action_button (const char *label, const char *tooltip, GBytes *der, const char *name,
               GCallback callback, HlCertificateView *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  hl_tooltip_set_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "hl-der", g_bytes_ref (der),
                          (GDestroyNotify) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (button), "hl-name", g_strdup (name), g_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

/* The details of one certificate, added under its row when first opened: a collapsed
 * AdwExpanderRow still measures (and so shapes the text of) every row inside it. */
static void
add_details (HlCertificateView *self, AdwExpanderRow *row, GBytes *der)
{
  g_autoptr(HlCertInfo) info = hl_cert_info_new (der, NULL);
  g_autofree char *name = NULL;
  g_autofree char *validity = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *period = NULL;
  g_autofree char *key = NULL;
  GtkWidget *value_row, *buttons, *button_row;
  gint64 now = trace_now (self);

  if (info == NULL)
    return;
  name = dup_common_name (info->subject);
  validity = hl_cert_info_dup_validity_text (info, now);

  add_value (row, _("Subject (who it is for)"), info->subject);
  add_value (row, _("Issuer (who signed it)"), info->issuer);
  add_list (row, _("Subject alternative names"), info->subject_alt_names);

  from = format_time (info->not_before);
  to = format_time (info->not_after);
  period = g_strdup_printf (_("%s → %s"), from, to);
  value_row = hl_value_row_new (_("Validity"));
  hl_value_row_set_text (HL_VALUE_ROW (value_row), period);
  hl_value_row_set_note (HL_VALUE_ROW (value_row), validity);
  if (now > info->not_after)
    hl_value_row_set_check (HL_VALUE_ROW (value_row), HL_CHECK_FAILED, _("expired"));
  else if (now < info->not_before)
    hl_value_row_set_check (HL_VALUE_ROW (value_row), HL_CHECK_FAILED, _("not yet valid"));
  else
    hl_value_row_set_check (HL_VALUE_ROW (value_row), HL_CHECK_OK, _("valid"));
  adw_expander_row_add_row (row, value_row);

  if (info->key_curve)
    key = g_strdup_printf (_("%s, %u bits, curve %s"), info->key_algorithm, info->key_bits,
                           info->key_curve);
  else
    key = g_strdup_printf (_("%s, %u bits"), info->key_algorithm, info->key_bits);
  add_value (row, _("Public key"), key);
  if (info->key_modulus)
    {
      g_autofree char *title = g_strdup_printf (info->key_exponent ? _("Modulus (%zu bytes)")
                                                                   : _("Public point (%zu bytes)"),
                                                g_bytes_get_size (info->key_modulus));

      value_row = hl_value_row_new (title);
      hl_value_row_set_bytes (HL_VALUE_ROW (value_row), info->key_modulus);
      adw_expander_row_add_row (row, value_row);
    }
  if (info->key_exponent)
    {
      gsize len = 0;
      const guint8 *e = g_bytes_get_data (info->key_exponent, &len);
      guint64 n = 0;

      value_row = hl_value_row_new (_("Public exponent"));
      hl_value_row_set_bytes (HL_VALUE_ROW (value_row), info->key_exponent);
      if (len <= 8)
        {
          g_autofree char *note = NULL;

          for (gsize i = 0; i < len; i++)
            n = n << 8 | e[i];
          note = g_strdup_printf (_("= %" PRIu64), n);
          hl_value_row_set_note (HL_VALUE_ROW (value_row), note);
        }
      adw_expander_row_add_row (row, value_row);
    }
  add_list (row, _("Key usage"), info->key_usage);
  add_list (row, _("Extended key usage"), info->extended_key_usage);
  {
    g_autofree char *constraints = NULL;

    if (!info->is_ca)
      constraints = g_strdup (_("Not a certificate authority (an end entity)"));
    else if (info->path_len < 0)
      constraints = g_strdup (_("A certificate authority, any path length"));
    else
      constraints = g_strdup_printf (_("A certificate authority, at most %d below it"),
                                     info->path_len);
    add_value (row, _("Basic constraints"), constraints);
  }
  add_value (row, _("Serial number"), info->serial);
  add_value (row, _("Signature algorithm"), info->signature_algorithm);
  add_value (row, _("SHA-256 fingerprint"), info->sha256_fingerprint);
  {
    g_autofree char *size = g_strdup_printf (_("%zu bytes of DER"),
                                             g_bytes_get_size (der));

    add_value (row, _("Encoded size"), size);
  }

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (buttons, "cert-buttons");
  gtk_box_append (GTK_BOX (buttons),
                  action_button (_("_Copy as PEM"), _("Copy the certificate as PEM text"), der,
                                 name, G_CALLBACK (copy_pem_cb), self));
  gtk_box_append (GTK_BOX (buttons),
                  action_button (_("_Save as PEM…"), _("Save the certificate to a .pem file"),
                                 der, name, G_CALLBACK (save_pem_cb), self));
  gtk_box_append (GTK_BOX (buttons),
                  action_button (_("_Full Text"), _("GnuTLS's complete printout of it"), der,
                                 name, G_CALLBACK (full_text_cb), self));
  button_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (button_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (button_row), buttons);
  adw_expander_row_add_row (row, button_row);
}

static void
expanded_cb (AdwExpanderRow *row, GParamSpec *pspec, HlCertificateView *self)
{
  if (!adw_expander_row_get_expanded (row) || g_object_get_data (G_OBJECT (row), "hl-filled"))
    return;
  g_object_set_data (G_OBJECT (row), "hl-filled", GINT_TO_POINTER (TRUE));
  add_details (self, row, g_object_get_data (G_OBJECT (row), "hl-der"));
}

static GtkWidget *
certificate_row_new (HlCertificateView *self, GBytes *der, const char *role, gboolean expanded)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlCertInfo) info = hl_cert_info_new (der, &error);
  GtkWidget *expander = adw_expander_row_new ();
  AdwExpanderRow *row = ADW_EXPANDER_ROW (expander);
  g_autofree char *name = NULL;
  g_autofree char *validity = NULL;
  g_autofree char *subtitle = NULL;

  if (info == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), role);
      adw_expander_row_set_subtitle (row, error->message);
      return expander;
    }

  name = dup_common_name (info->subject);
  validity = hl_cert_info_dup_validity_text (info, trace_now (self));
  subtitle = g_strdup_printf ("%s · %s", role, validity);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), name);
  adw_expander_row_set_subtitle (row, subtitle);
  g_object_set_data_full (G_OBJECT (expander), "hl-der", g_bytes_ref (der),
                          (GDestroyNotify) g_bytes_unref);
  g_signal_connect_object (expander, "notify::expanded", G_CALLBACK (expanded_cb), self, 0);
  adw_expander_row_set_expanded (row, expanded);
  /* notify::expanded only fires on a change */
  if (expanded)
    expanded_cb (row, NULL, self);
  return expander;
}

/* The chain */

static void
show_chain (HlCertificateView *self)
{
  GPtrArray *chain;
  GBytes *anchor;
  gboolean attacked = self->trace && hl_trace_get_attacker (self->trace) != NULL;
  const char *sender = hl_side_text_word (self->client_chain ? HL_SIDE_CLIENT
                                          : attacked && self->handshake == 0 ? HL_SIDE_ATTACKER
                                          : HL_SIDE_SERVER);
  const char *verifier = hl_side_text_word (self->client_chain ? HL_SIDE_SERVER
                                            : attacked && self->handshake == 1 ? HL_SIDE_ATTACKER
                                            : HL_SIDE_CLIENT);
  g_autofree char *heading = NULL;

  clear_list (self->chain_list);
  clear_list (self->anchor_list);
  self->n_certificates = 0;
  if (self->trace == NULL)
    return;

  chain = hl_trace_get_chain_of (self->trace, self->handshake,
                                 self->client_chain ? HL_SIDE_CLIENT : HL_SIDE_SERVER);
  heading = g_strdup_printf (_("Sent by the %s, leaf first"), sender);
  gtk_label_set_text (self->chain_heading, heading);
  for (guint i = 0; i < chain->len; i++)
    {
      g_autofree char *role = NULL;

      if (i == 0)
        role = g_strdup_printf (_("The %s's certificate"), sender);
      else
        role = g_strdup_printf (_("Intermediate authority %u"), i);
      gtk_list_box_append (self->chain_list,
                           certificate_row_new (self, g_ptr_array_index (chain, i), role, i == 0));
      self->n_certificates++;
    }
  if (chain->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No certificate was sent in this run"));
      gtk_list_box_append (self->chain_list, row);
    }

  anchor = hl_trace_get_ca_certificate (self->trace);
  gtk_widget_set_visible (GTK_WIDGET (self->anchor_heading), anchor != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->anchor_list), anchor != NULL);
  if (anchor)
    {
      g_autofree char *anchor_heading = g_strdup_printf (_("Trusted by the %s — never sent"),
                                                         verifier);

      gtk_label_set_text (self->anchor_heading, anchor_heading);
      gtk_list_box_append (self->anchor_list,
                           certificate_row_new (self, anchor,
                                                _("Certificate authority (trust anchor)"),
                                                FALSE));
      self->n_certificates++;
    }
  /* the client's trust store also holds the attacker's CA where the scenario installed it */
  if (anchor && attacked && self->handshake == 0 && !self->client_chain)
    {
      const HlAttacker *attacker = hl_trace_get_attacker (self->trace);

      if (attacker->trusted && attacker->ca_certificate)
        {
          gtk_list_box_append (self->anchor_list,
                               certificate_row_new (self, attacker->ca_certificate,
                                                    _("The attacker's CA, installed in the "
                                                      "client's trust store"), FALSE));
          self->n_certificates++;
        }
    }
}

static void
rebuild (HlCertificateView *self)
{
  gboolean has_client = self->trace && hl_trace_get_client_chain (self->trace)->len > 0;

  self->updating = TRUE;
  gtk_widget_set_visible (self->chain_switch, has_client);
  gtk_toggle_button_set_active (self->client_button, self->client_chain);
  gtk_toggle_button_set_active (self->server_button, !self->client_chain);
  self->updating = FALSE;
  if (self->trace == NULL)
    return;
  show_verification (self);
  show_chain (self);
}

static void
chain_toggled_cb (HlCertificateView *self)
{
  gboolean client = gtk_toggle_button_get_active (self->client_button);

  if (self->updating || client == self->client_chain)
    return;
  self->client_chain = client;
  rebuild (self);
}

/* Public API */

void
hl_certificate_view_set_trace (HlCertificateView *self, HlTrace *trace)
{
  g_return_if_fail (HL_IS_CERTIFICATE_VIEW (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));

  g_set_object (&self->trace, trace);
  self->client_chain = FALSE;
  self->handshake = 0;
  rebuild (self);
}

void
hl_certificate_view_set_event (HlCertificateView *self, HlEvent *event)
{
  gboolean client = FALSE;
  guint handshake = 0;

  g_return_if_fail (HL_IS_CERTIFICATE_VIEW (self));

  if (self->trace == NULL)
    return;
  if (event)
    {
      handshake = hl_event_get_handshake (event);
      /* the client's own Certificate, or the server checking it */
      client = hl_trace_get_client_chain (self->trace)->len > 0 &&
               ((hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
                 hl_event_get_handshake_type (event) == 11 &&
                 hl_event_get_side (event) == HL_SIDE_CLIENT) ||
                (hl_event_get_kind (event) == HL_EVENT_ACTION &&
                 hl_event_get_side (event) == HL_SIDE_SERVER &&
                 hl_event_get_peer (event) == HL_SIDE_CA));
    }
  if (client == self->client_chain && handshake == self->handshake)
    return;
  self->client_chain = client;
  self->handshake = handshake;
  rebuild (self);
}

void
hl_certificate_view_show_chain (HlCertificateView *self, gboolean client_chain)
{
  g_return_if_fail (HL_IS_CERTIFICATE_VIEW (self));

  if (self->client_chain == client_chain)
    return;
  self->client_chain = client_chain;
  rebuild (self);
}

char *
hl_certificate_view_dup_verification_text (HlCertificateView *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (HL_IS_CERTIFICATE_VIEW (self), NULL);

  g_string_append_printf (out, "%s\n", gtk_label_get_text (self->verdict_title));
  for (guint i = 0; self->steps && i < self->steps->len; i++)
    {
      const HlVerifyStep *step = g_ptr_array_index (self->steps, i);

      g_string_append_printf (out, "%s %s — %s\n",
                              step->check == HL_CHECK_OK ? "✓"
                              : step->check == HL_CHECK_FAILED ? "✗" : "·",
                              step->title, step->detail);
    }
  return g_string_free (out, FALSE);
}

guint
hl_certificate_view_get_n_certificates (HlCertificateView *self)
{
  g_return_val_if_fail (HL_IS_CERTIFICATE_VIEW (self), 0);
  return self->n_certificates;
}

/* GObject */

static void
hl_certificate_view_dispose (GObject *object)
{
  HlCertificateView *self = HL_CERTIFICATE_VIEW (object);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_CERTIFICATE_VIEW);
  g_clear_object (&self->trace);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  G_OBJECT_CLASS (hl_certificate_view_parent_class)->dispose (object);
}

static void
hl_certificate_view_class_init (HlCertificateViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_certificate_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-certificate-view.ui");
  gtk_widget_class_set_css_name (widget_class, "hlcertificateview");
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, chain_switch);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, server_button);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, client_button);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, verdict_text);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, steps_list);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, chain_heading);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, chain_list);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, anchor_heading);
  gtk_widget_class_bind_template_child (widget_class, HlCertificateView, anchor_list);
  gtk_widget_class_bind_template_callback (widget_class, chain_toggled_cb);
}

static void
hl_certificate_view_init (HlCertificateView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hl_certificate_view_new (void)
{
  return g_object_new (HL_TYPE_CERTIFICATE_VIEW, NULL);
}
