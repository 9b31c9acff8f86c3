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
#include "hl-trace-io.h"
#include "hl-video-export.h"
#include "hl-trace-host.h"

/* Order of this file: the object, telling people (toasts and error dialogs), file choosers,
 * opening, saving, recent files, drag and drop, exports, the video, actions, GObject.
 *
 * Everything that reads or writes a file runs off the main thread (the protocol library's
 * _async functions, or a GTask here), so a 60 MB trace or a three-minute video never freezes
 * the window. A trace that fails to load leaves the one on screen as it was and says why in a
 * dialog that names the file and the problem (hl-trace-io's errors name the JSON path). The
 * choosers are the portal-friendly ones (GtkFileDialog on GTK ≥ 4.10, GtkFileChooserNative
 * before), so the Flatpak needs no file system permission. */

#define RECENT_MAX 6

struct _HlFileActions
{
  GObject            parent_instance;

  HlTraceHost       *window;        /* borrowed: the window owns this object */
  GCancellable      *loading;       /* the trace being opened */
  guint              saving;        /* saves in flight */
  GCancellable      *recording;     /* the video being recorded */
  GtkWidget         *progress;      /* … and its progress dialog (an hl_alert) */
  GtkProgressBar    *progress_bar;
  GtkRecentManager  *recent;
  char              *video_unavailable;
  gboolean           video_checked;
};

G_DEFINE_FINAL_TYPE (HlFileActions, hl_file_actions, G_TYPE_OBJECT)

static void update_actions (HlFileActions *self);
static void video_chosen (HlFileActions *self, GFile *file, gpointer data);

/* Telling people */

static char *
display_name (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

static void
toast (HlFileActions *self, const char *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 4);
  hl_trace_host_add_toast (self->window, t);
}

/* A dialog rather than a toast: the reason can be long (a JSON path and what is wrong there)
 * and must stay until read. */
static void
show_error (HlFileActions *self, const char *heading, GFile *file, const GError *error)
{
  g_autofree char *name = file ? display_name (file) : NULL;
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

static GtkFileFilter *
new_filter (const char *name, const char *mime_type, const char *pattern)
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

static void
choose_file (HlFileActions  *self,
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
static char *
suggest_name (HlFileActions *self, const char *extension)
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

typedef struct
{
  HlFileActions *self;
  GFile         *file;
  gboolean       diagram;   /* exports: hl_diagram_export_async() rather than the library's */
} FileCall;

static FileCall *
file_call_new (HlFileActions *self, GFile *file)
{
  FileCall *call = g_new0 (FileCall, 1);

  call->self = g_object_ref (self);
  call->file = g_object_ref (file);
  return call;
}

static void
file_call_free (FileCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->file);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileCall, file_call_free)

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
  update_actions (self);
  if (trace == NULL)
    {
      show_error (self, _("Could Not Open the Trace"), call->file, error);
      return;
    }
  /* the trace replays as recorded: no handshake runs; but it is checked, not believed */
  check = hl_trace_check (trace);
  hl_trace_check_mark (trace, check);
  hl_trace_host_show_checked_trace (self->window, trace, check);
  add_recent (self, call->file);
  {
    g_autofree char *name = display_name (call->file);
    g_autofree char *message = NULL;
    gint64 created = hl_trace_get_created (trace);   /* µs since 1970 */
    g_autoptr(GDateTime) utc = created > 0 ? g_date_time_new_from_unix_utc (
                                               created / G_USEC_PER_SEC) : NULL;
    g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
    g_autofree char *when = local ? g_date_time_format (local, "%x") : NULL;

    message = when ? g_strdup_printf (_("Replaying “%s”, recorded on %s"), name, when)
                   : g_strdup_printf (_("Replaying “%s”"), name);
    toast (self, message);
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
  update_actions (self);
  hl_trace_load_file_async (file, self->loading, open_done_cb, file_call_new (self, file));
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
  update_actions (self);
  if (!ok)
    {
      show_error (self, _("Could Not Save the Trace"), call->file, error);
      return;
    }
  add_recent (self, call->file);
  {
    g_autofree char *name = display_name (call->file);
    g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

    toast (self, message);
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
  update_actions (self);
  task = g_task_new (NULL, NULL, save_done_cb, file_call_new (self, file));
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

/* Exports of the protocol library: capture, key log, notes */

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(FileCall) call = user_data;
  HlFileActions *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (call->diagram)
    ok = hl_diagram_export_finish (result, &error);
  else
    ok = hl_trace_export_finish (result, &error);
  if (self->window == NULL)
    return;
  if (!ok)
    {
      show_error (self, _("Could Not Export"), NULL, error);
      return;
    }
  {
    g_autofree char *name = display_name (call->file);
    g_autofree char *message = g_strdup_printf (_("Exported “%s”"), name);

    toast (self, message);
  }
}

static void
export_chosen (HlFileActions *self, GFile *file, gpointer data)
{
  HlExportFormat format = GPOINTER_TO_INT (data);
  HlTrace *trace = hl_trace_host_get_trace (self->window);

  if (trace)
    hl_trace_export_async (trace, format, file, NULL, export_done_cb,
                           file_call_new (self, file));
}

static void
export_protocol (HlFileActions *self, HlExportFormat format)
{
  static const char *titles[] = {
    N_("Export Capture with Keys"), N_("Export Key Log"), N_("Export Notes as Markdown"),
  };
  static const char *filter_names[] = {
    N_("Wireshark captures (pcapng)"), N_("TLS key logs"), N_("Markdown documents"),
  };
  g_autofree char *name = suggest_name (self, hl_export_format_get_extension (format));
  g_autofree char *title = NULL;

  /* say so before the file is written: these files hold the session's secrets */
  if (hl_export_format_has_secrets (format))
    title = g_strdup_printf (_("%s — the File Contains Secrets"), _(titles[format]));
  else
    title = g_strdup (_(titles[format]));
  choose_file (self, TRUE, title, _("_Export"), name,
               new_filter (_(filter_names[format]), hl_export_format_get_mime_type (format),
                           NULL),
               export_chosen, GINT_TO_POINTER (format), NULL);
}

/* Diagram images */

typedef struct
{
  HlDiagramFormat   format;
  HlDiagramOptions  options;
} ImageChoice;

static char *
interface_font (HlFileActions *self)
{
  PangoContext *context = gtk_widget_get_pango_context (
    GTK_WIDGET (hl_trace_host_get_sequence_view (self->window)));

  return pango_font_description_to_string (pango_context_get_font_description (context));
}

static void
image_chosen (HlFileActions *self, GFile *file, gpointer data)
{
  ImageChoice *choice = data;
  HlTrace *trace = hl_trace_host_get_trace (self->window);
  g_autofree char *font = interface_font (self);
  FileCall *call;

  if (trace == NULL)
    return;
  choice->options.font = font;
  choice->options.show_records = hl_sequence_view_get_show_records (
    hl_trace_host_get_sequence_view (self->window));
  call = file_call_new (self, file);
  call->diagram = TRUE;
  hl_diagram_export_async (trace, choice->format, &choice->options, file, NULL, export_done_cb,
                           call);
}

static gboolean
is_high_contrast (HlFileActions *self)
{
  return gtk_widget_has_css_class (GTK_WIDGET (self->window), "high-contrast") ||
         adw_style_manager_get_high_contrast (adw_style_manager_get_default ());
}

static void
export_dialog_response_cb (GtkWidget *alert, const char *response, HlFileActions *self)
{
  HlExportDialog *dialog = HL_EXPORT_DIALOG (hl_alert_get_extra_child (alert));

  if (g_strcmp0 (response, "export") != 0 || self->window == NULL)
    return;
  if (hl_export_dialog_get_kind (dialog) == HL_EXPORT_DIALOG_IMAGE)
    {
      ImageChoice *choice = g_new0 (ImageChoice, 1);
      g_autofree char *name = NULL;
      g_autofree char *title = NULL;
      static const char *filter_names[] = {
        N_("SVG images"), N_("PDF documents"), N_("PNG images"),
      };

      hl_diagram_options_init (&choice->options);
      hl_export_dialog_get_image (dialog, &choice->format, &choice->options);
      name = suggest_name (self, hl_diagram_format_get_extension (choice->format));
      title = g_strdup_printf (_("Export the Diagram as %s"),
                               choice->format == HL_DIAGRAM_SVG ? "SVG"
                               : choice->format == HL_DIAGRAM_PDF ? "PDF" : "PNG");
      choose_file (self, TRUE, title, _("_Export"), name,
                   new_filter (_(filter_names[choice->format]),
                               hl_diagram_format_get_mime_type (choice->format), NULL),
                   image_chosen, choice, g_free);
    }
  else
    {
      HlVideoOptions *options = g_new0 (HlVideoOptions, 1);
      g_autofree char *name = suggest_name (self, "webm");

      hl_video_options_init (options);
      hl_export_dialog_get_video (dialog, options);
      choose_file (self, TRUE, _("Record the Video"), _("_Record"), name,
                   new_filter (_("WebM videos"), "video/webm", "*.webm"),
                   video_chosen, options, g_free);
    }
}

static void
ask_export (HlFileActions *self, HlExportDialogKind kind)
{
  HlSequenceView *view = hl_trace_host_get_sequence_view (self->window);
  HlExportDialog *form =
    hl_export_dialog_new (kind, hl_sequence_view_get_step (view),
                          hl_sequence_view_get_n_steps (view),
                          adw_style_manager_get_dark (adw_style_manager_get_default ()),
                          is_high_contrast (self));
  GtkWidget *alert = hl_alert_new (hl_export_dialog_get_heading (form),
                                   hl_export_dialog_get_body (form));

  hl_alert_add_response (alert, "cancel", _("_Cancel"));
  hl_alert_add_response (alert, "export", _("_Choose File…"));
  hl_alert_set_suggested (alert, "export");
  hl_alert_set_default_response (alert, "export");
  hl_alert_set_close_response (alert, "cancel");
  hl_alert_set_extra_child (alert, GTK_WIDGET (form));
  hl_alert_set_wide (alert);
  g_signal_connect_object (alert, "response", G_CALLBACK (export_dialog_response_cb), self, 0);
  hl_alert_present (alert, GTK_WIDGET (self->window));
}

/* The video: recorded in a worker thread, with a progress dialog that can cancel it */

/* The progress callback holds only a weak reference: its data may be freed in the worker
 * thread, which must never drop the last reference to anything of the UI. */
static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
recording_progress_cb (guint64 frame, guint64 n_frames, gpointer user_data)
{
  g_autoptr(HlFileActions) self = g_weak_ref_get (user_data);
  g_autofree char *text = NULL;

  if (self == NULL || self->progress_bar == NULL)
    return;
  text = g_strdup_printf (_("Frame %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT), frame,
                          n_frames);
  gtk_progress_bar_set_fraction (self->progress_bar, n_frames ? (double) frame / n_frames : 0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
forget_progress (HlFileActions *self)
{
  if (self->progress)
    g_object_remove_weak_pointer (G_OBJECT (self->progress), (gpointer *) &self->progress);
  if (self->progress_bar)
    g_object_remove_weak_pointer (G_OBJECT (self->progress_bar),
                                  (gpointer *) &self->progress_bar);
  self->progress = NULL;
  self->progress_bar = NULL;
}

static void
progress_response_cb (GtkWidget *dialog, const char *response, HlFileActions *self)
{
  /* the dialog closes itself */
  forget_progress (self);
  if (self->recording)
    g_cancellable_cancel (self->recording);
}

static void
record_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(FileCall) call = user_data;
  HlFileActions *self = call->self;
  g_autoptr(GError) error = NULL;
  gboolean ok = hl_video_export_finish (result, &error);

  g_clear_object (&self->recording);
  if (self->progress)
    {
      GtkWidget *dialog = self->progress;

      forget_progress (self);
      hl_alert_close (dialog);
    }
  if (self->window == NULL)
    return;
  update_actions (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Recording cancelled"));
  else if (!ok)
    show_error (self, _("Could Not Record the Video"), call->file, error);
  else
    {
      g_autofree char *name = display_name (call->file);
      g_autofree char *message = g_strdup_printf (_("Recorded “%s”"), name);

      toast (self, message);
    }
}

static void
video_chosen (HlFileActions *self, GFile *file, gpointer data)
{
  HlVideoOptions *options = data;
  HlTrace *trace = hl_trace_host_get_trace (self->window);
  g_autofree char *font = interface_font (self);
  g_autofree char *name = display_name (file);
  g_autofree char *body = NULL;
  GtkWidget *dialog, *bar;
  GWeakRef *weak;

  if (trace == NULL || self->recording)
    return;
  options->font = font;
  options->show_records = hl_sequence_view_get_show_records (
    hl_trace_host_get_sequence_view (self->window));
  self->recording = g_cancellable_new ();

  body = g_strdup_printf (_("“%s”: every frame is drawn at its own moment of the animation, so "
                            "the video is smooth however long this takes."), name);
  dialog = hl_alert_new (_("Recording the Video"), body);
  hl_alert_add_response (dialog, "cancel", _("_Cancel"));
  hl_alert_set_close_response (dialog, "cancel");
  bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (bar), _("Starting…"));
  hl_alert_set_extra_child (dialog, bar);
  self->progress = dialog;
  self->progress_bar = GTK_PROGRESS_BAR (bar);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->progress);
  g_object_add_weak_pointer (G_OBJECT (bar), (gpointer *) &self->progress_bar);
  g_signal_connect_object (dialog, "response", G_CALLBACK (progress_response_cb), self, 0);
  hl_alert_present (dialog, GTK_WIDGET (self->window));

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  hl_video_export_async (trace, options, file, recording_progress_cb, weak, weak_ref_free,
                         self->recording, record_done_cb, file_call_new (self, file));
  update_actions (self);
}

/* Whether GStreamer and its plugins are there: asked once, in a thread, a moment after the
 * window opens (the first run of GStreamer builds its plugin registry, which takes a while). */

static void
check_video_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_task_return_pointer (task, hl_video_export_dup_unavailable_reason (), g_free);
}

static void
check_video_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(HlFileActions) self = user_data;
  GMenu *section;

  self->video_checked = TRUE;
  self->video_unavailable = g_task_propagate_pointer (G_TASK (result), NULL);
  if (self->window == NULL)
    return;
  update_actions (self);
  section = G_MENU (gtk_widget_get_template_child (GTK_WIDGET (self->window), G_OBJECT_TYPE (self->window),
                                                   "video_section"));
  /* menus have no tooltips: the reason goes under the item, insensitive too */
  if (section && self->video_unavailable)
    g_menu_append (section, self->video_unavailable, "win.video-unavailable");
}

gboolean
hl_file_actions_is_video_checked (HlFileActions *self)
{
  g_return_val_if_fail (HL_IS_FILE_ACTIONS (self), FALSE);
  return self->video_checked;
}

#define VIDEO_CHECK_DELAY_S 2

static gboolean
start_video_check_cb (gpointer user_data)
{
  HlFileActions *self = user_data;
  g_autoptr(GTask) check = NULL;

  if (self->window == NULL)
    return G_SOURCE_REMOVE;
  check = g_task_new (NULL, NULL, check_video_done_cb, g_object_ref (self));
  g_task_run_in_thread (check, check_video_thread);
  return G_SOURCE_REMOVE;
}

/* Actions */

static void
update_actions (HlFileActions *self)
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
  choose_file (get_self (widget), FALSE, _("Open a Trace"), _("_Open"), NULL,
               new_filter (_("Handshake Lens traces"), HL_TRACE_MIME_TYPE, "*.hltrace"),
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
  g_autofree char *name = suggest_name (self, "hltrace");

  choose_file (self, TRUE, _("Save the Trace"), _("_Save"), name,
               new_filter (_("Handshake Lens traces"), HL_TRACE_MIME_TYPE, "*.hltrace"),
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
    export_protocol (self, HL_EXPORT_PCAPNG);
  else if (g_str_equal (what, "keylog"))
    export_protocol (self, HL_EXPORT_KEYLOG);
  else if (g_str_equal (what, "markdown"))
    export_protocol (self, HL_EXPORT_MARKDOWN);
  else if (g_str_equal (what, "image"))
    ask_export (self, HL_EXPORT_DIALOG_IMAGE);
  else
    g_warning ("win.export: unknown format “%s”", what);
}

static void
export_video_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ask_export (get_self (widget), HL_EXPORT_DIALOG_VIDEO);
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
  forget_progress (self);
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
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  update_actions (self);

  /* off the path to the first frame: starting GStreamer loads its plugin registry (CPU and
   * memory the window does not need to appear) */
  g_timeout_add_seconds_full (G_PRIORITY_LOW, VIDEO_CHECK_DELAY_S, start_video_check_cb,
                              g_object_ref (self), g_object_unref);
  return self;
}
