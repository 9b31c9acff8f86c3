/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The MIME type of saved traces (registered by the desktop integration's mime.xml) */
#define HL_TRACE_MIME_TYPE "application/x-handshake-lens-trace"

typedef struct _HlTraceHost HlTraceHost;

#define HL_TYPE_FILE_ACTIONS (hl_file_actions_get_type ())
G_DECLARE_FINAL_TYPE (HlFileActions, hl_file_actions, HL, FILE_ACTIONS, GObject)

/* Installs win.open (Ctrl+O), win.save (Ctrl+S), win.open-recent (a URI), win.export (a format:
 * "pcapng", "keylog", "markdown" or "image") and win.export-video on the window class, and binds
 * the template's "recent_section" and "video_section" menus. Call after the template is set. */
void           hl_file_actions_install      (GtkWidgetClass *widget_class);

/* What a window does with files: saving and opening traces (off the main thread, through the
 * portal-friendly choosers, with recent files and drag and drop), exports. @window is not
 * referenced: the window owns this object. */
HlFileActions *hl_file_actions_new          (HlTraceHost    *window);

/* The code paths after the file chooser, also for drops, the command line and tests. Opening
 * shows the trace when it loads, or tells why it cannot; the trace shown stays until then. */
void           hl_file_actions_open         (HlFileActions  *self,
                                             GFile          *file);
void           hl_file_actions_save         (HlFileActions  *self,
                                             GFile          *file);
/* TRUE while a trace is being loaded or saved. */
gboolean       hl_file_actions_is_busy      (HlFileActions  *self);
/* TRUE once the check for GStreamer's plugins (a moment after the window opens) is done. */
gboolean       hl_file_actions_is_video_checked (HlFileActions *self);
/* TRUE while a video is being recorded. */
gboolean       hl_file_actions_is_recording (HlFileActions  *self);

G_END_DECLS
