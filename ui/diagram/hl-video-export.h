/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-trace.h"
#include "hl-video-scene.h"

G_BEGIN_DECLS

/**
 * HlVideoProgressFunc:
 * @frame: frames encoded so far
 * @n_frames: frames in the video
 * @user_data: what was given with the function
 */
typedef void (*HlVideoProgressFunc) (guint64  frame,
                                     guint64  n_frames,
                                     gpointer user_data);

/* Initialises GStreamer (once) and checks that the elements of the pipeline exist. Returns NULL
 * when a video can be exported, else a sentence for people saying what is missing. */
char     *hl_video_export_dup_unavailable_reason (void);

/* Encodes the animation of @trace as WebM (VP8): appsrc → videoconvert → vp8enc → webmmux →
 * filesink, one frame of HlVideoScene at a time with fixed timestamps. Blocks: call it from a
 * worker thread (hl_video_export_async) or a command line tool. @progress is called from the
 * calling thread. On error or cancellation the partial file is deleted. */
gboolean  hl_video_export        (HlTrace              *trace,
                                  const HlVideoOptions *options,
                                  GFile                *file,
                                  HlVideoProgressFunc   progress,
                                  gpointer              progress_data,
                                  GCancellable         *cancellable,
                                  GError              **error);
/* Runs hl_video_export() in a worker thread; @progress is called in the thread-default main
 * context of the caller, at most once per iteration of it. */
void      hl_video_export_async  (HlTrace              *trace,
                                  const HlVideoOptions *options,
                                  GFile                *file,
                                  HlVideoProgressFunc   progress,
                                  gpointer              progress_data,
                                  GDestroyNotify        progress_destroy,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
gboolean  hl_video_export_finish (GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
