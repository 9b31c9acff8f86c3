/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-file-actions"
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "hl-alert.h"
#include "hl-diagram-export.h"
#include "hl-export-dialog.h"
#include "hl-export.h"
#include "hl-file-actions-private.h"
#include "hl-video-export.h"

/* The file actions, exports (see hl-file-actions-private.h): the protocol library's (capture,
 * key log, notes), the diagram's images, and the video, recorded in a worker thread with a
 * progress dialog that can cancel it. */

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
      hl_fa_show_error (self, _("Could Not Export"), NULL, error);
      return;
    }
  {
    g_autofree char *name = hl_fa_display_name (call->file);
    g_autofree char *message = g_strdup_printf (_("Exported “%s”"), name);

    hl_fa_toast (self, message);
  }
}

static void
export_chosen (HlFileActions *self, GFile *file, gpointer data)
{
  HlExportFormat format = GPOINTER_TO_INT (data);
  HlTrace *trace = hl_trace_host_get_trace (self->window);

  if (trace)
    hl_trace_export_async (trace, format, file, NULL, export_done_cb,
                           hl_fa_file_call_new (self, file));
}

void
hl_fa_export_protocol (HlFileActions *self, HlExportFormat format)
{
  static const char *titles[] = {
    N_("Export Capture with Keys"), N_("Export Key Log"), N_("Export Notes as Markdown"),
  };
  static const char *filter_names[] = {
    N_("Wireshark captures (pcapng)"), N_("TLS key logs"), N_("Markdown documents"),
  };
  g_autofree char *name = hl_fa_suggest_name (self, hl_export_format_get_extension (format));
  g_autofree char *title = NULL;

  /* say so before the file is written: these files hold the session's secrets */
  if (hl_export_format_has_secrets (format))
    title = g_strdup_printf (_("%s — the File Contains Secrets"), _(titles[format]));
  else
    title = g_strdup (_(titles[format]));
  hl_fa_choose_file (self, TRUE, title, _("_Export"), name,
                     hl_fa_new_filter (_(filter_names[format]),
                                       hl_export_format_get_mime_type (format), NULL),
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
  call = hl_fa_file_call_new (self, file);
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
      name = hl_fa_suggest_name (self, hl_diagram_format_get_extension (choice->format));
      title = g_strdup_printf (_("Export the Diagram as %s"),
                               choice->format == HL_DIAGRAM_SVG ? "SVG"
                               : choice->format == HL_DIAGRAM_PDF ? "PDF" : "PNG");
      hl_fa_choose_file (self, TRUE, title, _("_Export"), name,
                         hl_fa_new_filter (_(filter_names[choice->format]),
                                           hl_diagram_format_get_mime_type (choice->format), NULL),
                         image_chosen, choice, g_free);
    }
  else
    {
      HlVideoOptions *options = g_new0 (HlVideoOptions, 1);
      g_autofree char *name = hl_fa_suggest_name (self, "webm");

      hl_video_options_init (options);
      hl_export_dialog_get_video (dialog, options);
      hl_fa_choose_file (self, TRUE, _("Record the Video"), _("_Record"), name,
                         hl_fa_new_filter (_("WebM videos"), "video/webm", "*.webm"),
                         hl_fa_video_chosen, options, g_free);
    }
}

void
hl_fa_ask_export (HlFileActions *self, HlExportDialogKind kind)
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
  text = g_strdup_printf (_("Frame %" PRIu64 " of %" PRIu64), frame,
                          n_frames);
  gtk_progress_bar_set_fraction (self->progress_bar, n_frames ? (double) frame / n_frames : 0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

void
hl_fa_forget_progress (HlFileActions *self)
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
  hl_fa_forget_progress (self);
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

      hl_fa_forget_progress (self);
      hl_alert_close (dialog);
    }
  if (self->window == NULL)
    return;
  hl_fa_update_actions (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    hl_fa_toast (self, _("Recording cancelled"));
  else if (!ok)
    hl_fa_show_error (self, _("Could Not Record the Video"), call->file, error);
  else
    {
      g_autofree char *name = hl_fa_display_name (call->file);
      g_autofree char *message = g_strdup_printf (_("Recorded “%s”"), name);

      hl_fa_toast (self, message);
    }
}

void
hl_fa_video_chosen (HlFileActions *self, GFile *file, gpointer data)
{
  HlVideoOptions *options = data;
  HlTrace *trace = hl_trace_host_get_trace (self->window);
  g_autofree char *font = interface_font (self);
  g_autofree char *name = hl_fa_display_name (file);
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
                         self->recording, record_done_cb, hl_fa_file_call_new (self, file));
  hl_fa_update_actions (self);
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
  hl_fa_update_actions (self);
  section = G_MENU (gtk_widget_get_template_child (GTK_WIDGET (self->window),
                                                   G_OBJECT_TYPE (self->window), "video_section"));
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

gboolean
hl_fa_start_video_check_cb (gpointer user_data)
{
  HlFileActions *self = user_data;
  g_autoptr(GTask) check = NULL;

  if (self->window == NULL)
    return G_SOURCE_REMOVE;
  check = g_task_new (NULL, NULL, check_video_done_cb, g_object_ref (self));
  g_task_run_in_thread (check, check_video_thread);
  return G_SOURCE_REMOVE;
}
