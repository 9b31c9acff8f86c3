/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare-actions"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-compare-actions.h"
#include "hl-compare-window.h"
#include "hl-file-actions.h"
#include "hl-scenario.h"
#include "hl-trace-host.h"

/* "Compare With" in the main window: the trace on screen against a scenario run afresh or a
 * saved trace, in a window of its own (HlCompareWindow). Kept out of hl-window.c, which only
 * installs it. */

static void
open_compare (HlTraceHost *window, const char *spec)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  HlTrace *trace = hl_trace_host_get_trace (window);
  HlCompareWindow *compare;

  if (trace == NULL)
    return;
  compare = hl_compare_window_new (app);
  hl_compare_window_compare_with (compare, trace, spec);
  gtk_window_present (GTK_WINDOW (compare));
}

static GtkFileFilter *
trace_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Handshake traces"));
  gtk_file_filter_add_mime_type (filter, HL_TRACE_MIME_TYPE);
  gtk_file_filter_add_pattern (filter, "*.hltrace");
  return filter;
}

static void
file_chosen (HlTraceHost *window, GFile *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path)
    open_compare (window, path);
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
dialog_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(HlTraceHost) window = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, NULL);

  file_chosen (window, file);
}
#else
static void
native_response_cb (GtkNativeDialog *native, int response, gpointer user_data)
{
  g_autoptr(HlTraceHost) window = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  file_chosen (window, file);
  g_object_unref (native);
}
#endif

static void
choose_trace (HlTraceHost *window)
{
  GtkFileFilter *filter = trace_filter ();
#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

  gtk_file_dialog_set_title (dialog, _("Compare With a Saved Trace"));
  gtk_file_dialog_set_accept_label (dialog, _("_Compare"));
  gtk_file_dialog_set_modal (dialog, TRUE);
  g_list_store_append (filters, filter);
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, filter);
  g_object_unref (filter);
  gtk_file_dialog_open (dialog, GTK_WINDOW (window), NULL, dialog_done_cb, g_object_ref (window));
#else
  GtkFileChooserNative *native =
    gtk_file_chooser_native_new (_("Compare With a Saved Trace"), GTK_WINDOW (window),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Compare"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (native), filter);
  g_object_unref (filter);
  g_signal_connect (native, "response", G_CALLBACK (native_response_cb), g_object_ref (window));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
#endif
}

static void
compare_with_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *spec = g_variant_get_string (parameter, NULL);

  if (g_str_equal (spec, "file:"))
    choose_trace (HL_TRACE_HOST (widget));
  else
    open_compare (HL_TRACE_HOST (widget), spec);
}

void
hl_compare_actions_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.compare-with", "s", compare_with_action);
  gtk_widget_class_bind_template_child_full (widget_class, "compare_section", FALSE, 0);
}

void
hl_compare_actions_init (HlTraceHost *window)
{
  GMenu *section = G_MENU (gtk_widget_get_template_child (GTK_WIDGET (window), G_OBJECT_TYPE (window),
                                                          "compare_section"));
  g_autoptr(GMenu) scenarios = g_menu_new ();
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (all[i].title, NULL);

      g_menu_item_set_action_and_target_value (item, "win.compare-with",
                                               g_variant_new_string (all[i].id));
      g_menu_append_item (scenarios, item);
    }
  g_menu_append_section (section, NULL, G_MENU_MODEL (scenarios));
  {
    g_autoptr(GMenuItem) item = g_menu_item_new (_("Saved _Trace…"), NULL);

    g_menu_item_set_action_and_target_value (item, "win.compare-with",
                                             g_variant_new_string ("file:"));
    g_autoptr(GMenu) files = g_menu_new ();

    g_menu_append_item (files, item);
    g_menu_append_section (section, NULL, G_MENU_MODEL (files));
  }
}
