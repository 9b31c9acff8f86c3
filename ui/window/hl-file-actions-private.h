/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hl-file-actions.h"
#include "hl-trace-host.h"

G_BEGIN_DECLS

/* The file actions in parts, shared through this header: hl-file-actions.c (telling people,
 * file choosers, opening, saving, recent files, drag and drop, actions, GObject) and
 * hl-file-actions-export.c (the exports and the video). */

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

/* How long after start-up GStreamer is asked whether it can record a video. */
#define VIDEO_CHECK_DELAY_S 2

typedef void (*ChosenFunc) (HlFileActions *self, GFile *file, gpointer data);

/* The async calls of the protocol library carry only one pointer: this. */
typedef struct
{
  HlFileActions *self;
  GFile         *file;
  gboolean       diagram;   /* exports: hl_diagram_export_async() rather than the library's */
} FileCall;

/* hl-file-actions.c */
char *hl_fa_display_name (GFile *file);
void hl_fa_toast (HlFileActions *self, const char *message);
void hl_fa_show_error (HlFileActions *self, const char *heading, GFile *file, const GError *error);
GtkFileFilter *hl_fa_new_filter (const char *name, const char *mime_type, const char *pattern);
void hl_fa_choose_file (HlFileActions  *self,
                        gboolean        save,
                        const char     *title,
                        const char     *accept_label,
                        const char     *initial_name,
                        GtkFileFilter  *filter,   /* (transfer full) */
                        ChosenFunc      func,
                        gpointer        data,
                        GDestroyNotify  destroy);
char *hl_fa_suggest_name (HlFileActions *self, const char *extension);
FileCall *hl_fa_file_call_new (HlFileActions *self, GFile *file);
void hl_fa_file_call_free (FileCall *call);
void hl_fa_update_actions (HlFileActions *self);

/* hl-file-actions-export.c */
void hl_fa_export_protocol (HlFileActions *self, HlExportFormat format);
void hl_fa_ask_export (HlFileActions *self, HlExportDialogKind kind);
void hl_fa_forget_progress (HlFileActions *self);
void hl_fa_video_chosen (HlFileActions *self, GFile *file, gpointer data);
gboolean hl_fa_start_video_check_cb (gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileCall, hl_fa_file_call_free)

G_END_DECLS
