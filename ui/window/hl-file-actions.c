/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-file-actions"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-alert.h"
#include "hl-diagram-export.h"
#include "hl-export-dialog.h"
#include "hl-export.h"
#include "hl-file-actions.h"
#include "hl-file-actions-private.h"
#include "hl-trace-io.h"
#include "hl-video-export.h"
#include "hl-trace-host.h"

/* Order of this file: the object, telling people (toasts and error dialogs), file choosers,
 * opening, saving, recent files, drag and drop, actions, GObject. The exports and the video
 * are in hl-file-actions-export.c; the struct in hl-file-actions-private.h.
 *
 * Everything that reads or writes a file runs off the main thread (the protocol library's
 * _async functions, or a GTask here), so a 60 MB trace or a three-minute video never freezes
 * the window. A trace that fails to load leaves the one on screen as it was and says why in a
 * dialog that names the file and the problem (hl-trace-io's errors name the JSON path). The
 * choosers are the portal-friendly ones (GtkFileDialog on GTK ≥ 4.10, GtkFileChooserNative
 * before), so the Flatpak needs no file system permission. */

#define RECENT_MAX 6

G_DEFINE_FINAL_TYPE (HlFileActions, hl_file_actions, G_TYPE_OBJECT)

/* Telling people */

char *
hl_fa_display_name (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

void
hl_fa_toast (HlFileActions *self, const char *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 4);
  hl_trace_host_add_toast (self->window, t);
}

/* A dialog rather than a hl_fa_toast: the reason can be long (a JSON path and what is wrong there)
 * and must stay until read. */
void
hl_fa_show_error (HlFileActions *self, const char *heading, GFile *file, const GError *error)
{
  g_autofree char *name = file ? hl_fa_display_name (file) : NULL;
  g_autofree char *body = name ? g_strdup_printf ("“%s”: %s", name, error->message)
                               : g_strdup (error->message);
  GtkWidget *dialog = hl_alert_new (heading, NULL);
  GtkWidget *label = gtk_label_new (body);

  /* Our own label rather than the dialog's body: a path or a JSON pointer is one long word,
   * which the body's word wrapping cannot break, so its minimum width exceeded what the
   * dialog gives it (GTK warns "Trying to measure GtkLabel … but it needs at least …"). */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "body");
  hl_alert_set_extra_child (dialog, label);
  hl_alert_add_response (dialog, "close", _("_Close"));
  gtk_widget_add_css_class (dialog, "hl-file-error");
  hl_alert_present (dialog, GTK_WIDGET (self->window));
}

/* File choosers */

typedef void (*ChosenFunc) (HlFileActions *self, GFile *file, gpointer data);

typedef struct
{
  HlFileActions  *self;
  ChosenFunc      func;
  gpointer        data;
  GDestroyNotify  destroy;
} Choice;

static void
choice_free (Choice *choice)
{
  if (choice->destroy)
    choice->destroy (choice->data);
  g_object_unref (choice->self);
  g_free (choice);
}

static void
choice_done (Choice *choice, GFile *file)
{
  if (file && choice->self->window)
    choice->func (choice->self, file, choice->data);
  choice_free (choice);
}

GtkFileFilter *
hl_fa_new_filter (const char *name, const char *mime_type, const char *pattern)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  if (pattern)
    gtk_file_filter_add_pattern (filter, pattern);
  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
dialog_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Choice *choice = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  if (g_object_get_data (source, "hl-save"))
    file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, &error);
  else
    file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, &error);
  if (error && !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_warning ("file chooser: %s", error->message);
  choice_done (choice, file);
}
#else
static void
native_response_cb (GtkNativeDialog *native, int response, gpointer user_data)
{
  Choice *choice = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  choice_done (choice, file);
  g_object_unref (native);
}
#endif

void
hl_fa_choose_file (HlFileActions  *self,
                   gboolean        save,
                   const char     *title,
                   const char     *accept_label,
                   const char     *initial_name,
                   GtkFileFilter  *filter,   /* (transfer full) */
                   ChosenFunc      func,
                   gpointer        data,
                   GDestroyNotify  destroy)
{
  Choice *choice = g_new0 (Choice, 1);

  choice->self = g_object_ref (self);
  choice->func = func;
  choice->data = data;
  choice->destroy = destroy;
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

    gtk_file_dialog_set_title (dialog, title);
    gtk_file_dialog_set_accept_label (dialog, accept_label);
    gtk_file_dialog_set_modal (dialog, TRUE);
    g_list_store_append (filters, filter);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
    gtk_file_dialog_set_default_filter (dialog, filter);
    g_object_unref (filter);
    if (save)
      {
        g_object_set_data (G_OBJECT (dialog), "hl-save", GINT_TO_POINTER (TRUE));
        gtk_file_dialog_set_initial_name (dialog, initial_name);
        gtk_file_dialog_save (dialog, GTK_WINDOW (self->window), NULL, dialog_done_cb, choice);
      }
    else
      gtk_file_dialog_open (dialog, GTK_WINDOW (self->window), NULL, dialog_done_cb, choice);
  }
#else
  {
    GtkFileChooserNative *native =
      gtk_file_chooser_native_new (title, GTK_WINDOW (self->window),
                                   save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                        : GTK_FILE_CHOOSER_ACTION_OPEN,
                                   accept_label, _("_Cancel"));

    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (native), filter);
    g_object_unref (filter);
    if (save && initial_name)
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), initial_name);
    g_signal_connect (native, "response", G_CALLBACK (native_response_cb), choice);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  }
#endif
}

/* A file name for what is shown: the scenario's id ("tls13.hltrace"), else "handshake". */
char *
hl_fa_suggest_name (HlFileActions *self, const char *extension)
{
  HlTrace *trace = hl_trace_host_get_trace (self->window);
  const char *base = trace ? hl_trace_get_scenario (trace) : NULL;

  if (base == NULL || *base == '\0' || strchr (base, '/') != NULL)
    base = "handshake";
  return g_strconcat (base, ".", extension, NULL);
}

/* Recent files */

static void
add_recent (HlFileActions *self, GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  const char *app = g_get_application_name ();
  GtkRecentData data = {
    .display_name = NULL,
    .description = NULL,
    .mime_type = (char *) HL_TRACE_MIME_TYPE,
    .app_name = (char *) (app ? app : "Handshake Lens"),
    .app_exec = (char *) "handshake-lens --open %u",
    .groups = NULL,
    .is_private = FALSE,
  };

  gtk_recent_manager_add_full (self->recent, uri, &data);
}

static int
compare_recent (gconstpointer a, gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified (*(GtkRecentInfo **) a);
  GDateTime *tb = gtk_recent_info_get_modified (*(GtkRecentInfo **) b);

  return g_date_time_compare (tb, ta);
}

/* The Open Recent submenu: the last traces opened or saved that still exist. */
static void
rebuild_recent (HlFileActions *self)
{
  GMenu *section;
  GList *items;
  g_autoptr(GPtrArray) traces = g_ptr_array_new ();

  if (self->window == NULL)
    return;
  section = G_MENU (gtk_widget_get_template_child (GTK_WIDGET (self->window), G_OBJECT_TYPE (self->window),
                                                   "recent_section"));
  if (section == NULL)
    return;
  items = gtk_recent_manager_get_items (self->recent);
  for (GList *l = items; l; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (g_strcmp0 (gtk_recent_info_get_mime_type (info), HL_TRACE_MIME_TYPE) == 0 &&
          gtk_recent_info_exists (info))
        g_ptr_array_add (traces, info);
    }
  g_ptr_array_sort (traces, compare_recent);

  g_menu_remove_all (section);
  for (guint i = 0; i < traces->len && i < RECENT_MAX; i++)
    {
      GtkRecentInfo *info = traces->pdata[i];
      g_autoptr(GMenuItem) item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (
                                                 gtk_recent_info_get_uri (info)));
      g_menu_append_item (section, item);
    }
  if (traces->len == 0)
    /* an item with no action is shown insensitive */
    g_menu_append (section, _("No Recent Traces"), "win.no-recent-traces");
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

/* Opening. The async calls of the protocol library carry only one pointer: this. */

FileCall *
hl_fa_file_call_new (HlFileActions *self, GFile *file)
{
  FileCall *call = g_new0 (FileCall, 1);

  call->self = g_object_ref (self);
  call->file = g_object_ref (file);
  return call;
}

void
hl_fa_file_call_free (FileCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->file);
  g_free (call);
}

static void
open_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(FileCall) call = user_data;
  HlFileActions *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_trace_load_file_finish (result, &error);
  g_autoptr(HlTraceCheck) check = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->window == NULL)
    return;
  g_clear_object (&self->loading);
  hl_fa_update_actions (self);
  if (trace == NULL)
    {
      hl_fa_show_error (self, _("Could Not Open the Trace"), call->file, error);
      return;
    }
  /* the trace replays as recorded: no handshake runs; but it is checked, not believed */
  check = hl_trace_check (trace);
  hl_trace_check_mark (trace, check);
  hl_trace_host_show_checked_trace (self->window, trace, check);
  add_recent (self, call->file);
  {
    g_autofree char *name = hl_fa_display_name (call->file);
    g_autofree char *message = NULL;
    gint64 created = hl_trace_get_created (trace);   /* µs since 1970 */
    g_autoptr(GDateTime) utc = created > 0 ? g_date_time_new_from_unix_utc (
                                               created / G_USEC_PER_SEC) : NULL;
    g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
    g_autofree char *when = local ? g_date_time_format (local, "%x") : NULL;

    message = when ? g_strdup_printf (_("Replaying “%s”, recorded on %s"), name, when)
                   : g_strdup_printf (_("Replaying “%s”"), name);
    hl_fa_toast (self, message);
  }
}

void
hl_file_actions_open (HlFileActions *self, GFile *file)
{
  g_return_if_fail (HL_IS_FILE_ACTIONS (self));
  g_return_if_fail (G_IS_FILE (file));

  /* the last one asked for wins */
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  hl_fa_update_actions (self);
  hl_trace_load_file_async (file, self->loading, open_done_cb, hl_fa_file_call_new (self, file));
}

static void
open_chosen (HlFileActions *self, GFile *file, gpointer data)
{
  hl_file_actions_open (self, file);
}

/* Saving. The tasks here have no source object and carry nothing of the UI in their data: the
 * worker thread may drop the last reference to them. */

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  HlTrace *trace = g_object_get_data (G_OBJECT (task), "hl-trace");
  GError *error = NULL;

  if (hl_trace_save (trace, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(FileCall) call = user_data;
  HlFileActions *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->saving--;
  if (self->window == NULL)
    return;
  hl_fa_update_actions (self);
  if (!ok)
    {
      hl_fa_show_error (self, _("Could Not Save the Trace"), call->file, error);
      return;
    }
  add_recent (self, call->file);
  {
    g_autofree char *name = hl_fa_display_name (call->file);
    g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

    hl_fa_toast (self, message);
  }
}

void
hl_file_actions_save (HlFileActions *self, GFile *file)
{
  g_autoptr(GTask) task = NULL;
  HlTrace *trace;

  g_return_if_fail (HL_IS_FILE_ACTIONS (self));
  g_return_if_fail (G_IS_FILE (file));

  trace = hl_trace_host_get_trace (self->window);
  g_return_if_fail (trace != NULL);
  self->saving++;
  hl_fa_update_actions (self);
  task = g_task_new (NULL, NULL, save_done_cb, hl_fa_file_call_new (self, file));
  g_task_set_source_tag (task, hl_file_actions_save);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "hl-trace", g_object_ref (trace), g_object_unref);
  g_task_run_in_thread (task, save_thread);
}

gboolean
hl_file_actions_is_busy (HlFileActions *self)
{
  g_return_val_if_fail (HL_IS_FILE_ACTIONS (self), FALSE);
  return self->loading != NULL || self->saving > 0;
}

gboolean
hl_file_actions_is_recording (HlFileActions *self)
{
  g_return_val_if_fail (HL_IS_FILE_ACTIONS (self), FALSE);
  return self->recording != NULL;
}

/* Drag and drop: a trace file dropped anywhere on the window opens. */

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, gpointer user_data)
{
  HlFileActions *self = user_data;
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      file = files ? files->data : NULL;
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  if (file == NULL)
    return FALSE;
  hl_file_actions_open (self, file);
  return TRUE;
}

/* Actions */

void
hl_fa_update_actions (HlFileActions *self)
{
  GtkWidget *window = GTK_WIDGET (self->window);
  gboolean has_trace;

  if (window == NULL)
    return;
  has_trace = hl_trace_host_get_trace (self->window) != NULL;
  gtk_widget_action_set_enabled (window, "win.save", has_trace);
  gtk_widget_action_set_enabled (window, "win.export", has_trace);
  gtk_widget_action_set_enabled (window, "win.export-video",
                                 has_trace && self->video_checked &&
                                 self->video_unavailable == NULL && self->recording == NULL);
}

static HlFileActions *
get_self (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "hl-file-actions");
}

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  hl_fa_choose_file (get_self (widget), FALSE, _("Open a Trace"), _("_Open"), NULL,
                     hl_fa_new_filter (_("Handshake Lens traces"), HL_TRACE_MIME_TYPE, "*.hltrace"),
                     open_chosen, NULL, NULL);
}

static void
save_chosen (HlFileActions *self, GFile *file, gpointer data)
{
  if (hl_trace_host_get_trace (self->window))
    hl_file_actions_save (self, file);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlFileActions *self = get_self (widget);
  g_autofree char *name = hl_fa_suggest_name (self, "hltrace");

  hl_fa_choose_file (self, TRUE, _("Save the Trace"), _("_Save"), name,
                     hl_fa_new_filter (_("Handshake Lens traces"), HL_TRACE_MIME_TYPE, "*.hltrace"),
                     save_chosen, NULL, NULL);
}

static void
open_recent_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  hl_file_actions_open (get_self (widget), file);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlFileActions *self = get_self (widget);
  const char *what = g_variant_get_string (parameter, NULL);

  if (g_str_equal (what, "pcapng"))
    hl_fa_export_protocol (self, HL_EXPORT_PCAPNG);
  else if (g_str_equal (what, "keylog"))
    hl_fa_export_protocol (self, HL_EXPORT_KEYLOG);
  else if (g_str_equal (what, "markdown"))
    hl_fa_export_protocol (self, HL_EXPORT_MARKDOWN);
  else if (g_str_equal (what, "image"))
    hl_fa_ask_export (self, HL_EXPORT_DIALOG_IMAGE);
  else
    g_warning ("win.export: unknown format “%s”", what);
}

static void
export_video_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  hl_fa_ask_export (get_self (widget), HL_EXPORT_DIALOG_VIDEO);
}

void
hl_file_actions_install (GtkWidgetClass *widget_class)
{
  /* menus filled in at run time; not kept in the window's struct */
  gtk_widget_class_bind_template_child_full (widget_class, "recent_section", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "video_section", FALSE, 0);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.export-video", NULL, export_video_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save",
                                       NULL);
}

/* GObject */

static void
hl_file_actions_dispose (GObject *object)
{
  HlFileActions *self = HL_FILE_ACTIONS (object);

  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->recording)
    g_cancellable_cancel (self->recording);
  g_clear_object (&self->recording);
  hl_fa_forget_progress (self);
  if (self->recent)
    g_signal_handlers_disconnect_by_data (self->recent, self);
  self->recent = NULL;
  if (self->window)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  G_OBJECT_CLASS (hl_file_actions_parent_class)->dispose (object);
}

static void
hl_file_actions_finalize (GObject *object)
{
  HlFileActions *self = HL_FILE_ACTIONS (object);

  g_free (self->video_unavailable);
  G_OBJECT_CLASS (hl_file_actions_parent_class)->finalize (object);
}

static void
hl_file_actions_class_init (HlFileActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_file_actions_dispose;
  object_class->finalize = hl_file_actions_finalize;
}

static void
hl_file_actions_init (HlFileActions *self)
{
}

HlFileActions *
hl_file_actions_new (HlTraceHost *window)
{
  HlFileActions *self;
  GtkDropTarget *drop;

  g_return_val_if_fail (HL_IS_TRACE_HOST (window), NULL);

  self = g_object_new (HL_TYPE_FILE_ACTIONS, NULL);
  self->window = window;
  /* how the class's actions find this object from the widget they run on */
  g_object_set_data (G_OBJECT (window), "hl-file-actions", self);
  /* the video check below may finish after the window is gone */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);

  self->recent = gtk_recent_manager_get_default ();
  g_signal_connect_swapped (self->recent, "changed", G_CALLBACK (rebuild_recent), self);
  rebuild_recent (self);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[2]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect_object (hl_trace_host_get_sequence_view (window), "notify::trace",
                           G_CALLBACK (hl_fa_update_actions), self, G_CONNECT_SWAPPED);
  hl_fa_update_actions (self);

  /* off the path to the first frame: starting GStreamer loads its plugin registry (CPU and
   * memory the window does not need to appear) */
  g_timeout_add_seconds_full (G_PRIORITY_LOW, VIDEO_CHECK_DELAY_S, hl_fa_start_video_check_cb,
                              g_object_ref (self), g_object_unref);
  return self;
}
