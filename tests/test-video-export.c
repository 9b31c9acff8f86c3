/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The video without a display: the scene is a pure function of time (the same instant looks the
 * same at 30 and 60 fps, in any order of rendering); a short WebM export reads back with
 * GStreamer's discoverer at the duration, frame size and rate asked for; progress arrives in the
 * caller's main context; cancelling deletes the partial file. Skips when the GStreamer plugins
 * are missing. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>

#include "hl-engine.h"
#include "hl-scenario.h"
#include "hl-video-export.h"

static HlTrace *trace;

static gboolean
skip_without_gstreamer (void)
{
  g_autofree char *reason = hl_video_export_dup_unavailable_reason ();

  if (reason)
    g_test_skip (reason);
  return reason != NULL;
}

/* The scene */

static GBytes *
render (HlVideoScene *scene, const HlVideoOptions *options, guint64 frame)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, options->width,
                                                         options->height);
  cairo_t *cr = cairo_create (surface);
  GBytes *bytes;

  hl_video_scene_render_frame (scene, cr, frame);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       cairo_image_surface_get_stride (surface) * options->height);
  cairo_surface_destroy (surface);
  return bytes;
}

static void
test_scene_timing (void)
{
  HlVideoOptions options;
  g_autoptr(HlVideoScene) at30 = NULL;
  g_autoptr(HlVideoScene) at60 = NULL;
  guint64 n30, n60;
  guint last = 0;

  hl_video_options_init (&options);
  options.width = 320;
  options.height = 180;
  at30 = hl_video_scene_new (trace, &options);
  options.fps = 60;
  at60 = hl_video_scene_new (trace, &options);
  n30 = hl_video_scene_get_n_frames (at30);
  n60 = hl_video_scene_get_n_frames (at60);

  /* the same length of time, whatever the rate */
  g_assert_cmpuint (n30, >, 30 * 10);
  g_assert_cmpint ((gint64) n60 - (gint64) (2 * n30), >=, -1);
  g_assert_cmpint ((gint64) n60 - (gint64) (2 * n30), <=, 1);
  g_assert_cmpuint (hl_video_scene_get_duration (at30), ==, n30 * GST_SECOND / 30);

  /* an intro first, then every step in order, the last one reached before the end */
  g_assert_cmpuint (hl_video_scene_get_step_at (at30, 0, NULL), ==, 0);
  for (guint64 k = 0; k < n30; k++)
    {
      double progress;
      guint step = hl_video_scene_get_step_at (at30, k, &progress);

      g_assert_cmpuint (step, >=, last);
      g_assert_cmpuint (step, <=, last + 1);
      g_assert_cmpfloat (progress, >=, 0);
      g_assert_cmpfloat (progress, <=, 1);
      last = step;
    }
  g_assert_cmpuint (last, ==, hl_video_scene_get_n_steps (at30));

  /* frame k at 30 fps is frame 2k at 60 fps: the same instant, the same picture — also when
   * drawn out of order */
  {
    g_autoptr(GBytes) late = render (at60, &options, 2 * (n30 / 2));
    g_autoptr(GBytes) a = render (at30, &options, n30 / 3);
    g_autoptr(GBytes) b = render (at60, &options, 2 * (n30 / 3));
    g_autoptr(GBytes) c = render (at30, &options, n30 / 2);

    g_assert_true (g_bytes_equal (a, b));
    g_assert_true (g_bytes_equal (c, late));
    g_assert_false (g_bytes_equal (a, c));
  }
}

static void
test_options (void)
{
  HlVideoOptions options;
  g_autofree char *odd = NULL;
  g_autofree char *fps = NULL;
  g_autofree char *fine = NULL;

  hl_video_options_init (&options);
  g_assert_cmpint (options.width, ==, 1280);
  g_assert_cmpint (options.height, ==, 720);
  g_assert_cmpint (options.fps, ==, 30);
  fine = hl_video_options_check (&options);
  g_assert_null (fine);
  options.width = 1281;
  odd = hl_video_options_check (&options);
  g_assert_nonnull (odd);
  options.width = 1920;
  options.fps = 0;
  fps = hl_video_options_check (&options);
  g_assert_nonnull (fps);
}

/* The export, read back */

typedef struct
{
  gboolean      done;
  GError       *error;
  guint64       last_frame;
  guint64       n_frames;
  guint         calls;
  GCancellable *cancel_at_frame_10;
  GThread      *thread;
} Export;

static void
progress_cb (guint64 frame, guint64 n_frames, gpointer user_data)
{
  Export *e = user_data;

  /* in the caller's main context, in order */
  g_assert_true (g_thread_self () == e->thread);
  g_assert_cmpuint (frame, >=, e->last_frame);
  g_assert_cmpuint (frame, <=, n_frames);
  e->last_frame = frame;
  e->n_frames = n_frames;
  e->calls++;
  if (e->cancel_at_frame_10 && frame >= 10)
    g_cancellable_cancel (e->cancel_at_frame_10);
}

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Export *e = user_data;

  hl_video_export_finish (result, &e->error);
  e->done = TRUE;
}

static void
export_and_wait (const HlVideoOptions *options, GFile *file, GCancellable *cancellable,
                 Export *e)
{
  e->thread = g_thread_self ();
  hl_video_export_async (trace, options, file, progress_cb, e, NULL, cancellable,
                         export_done_cb, e);
  while (!e->done)
    g_main_context_iteration (NULL, TRUE);
  /* progress sent before the end is delivered too */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
check_webm (GFile *file, const HlVideoOptions *options, guint64 n_frames)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  GList *streams;
  GstDiscovererVideoInfo *video;
  GstClockTime duration, expected = gst_util_uint64_scale (n_frames, GST_SECOND, options->fps);
  GstClockTime frame = GST_SECOND / options->fps;

  discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);

  duration = gst_discoverer_info_get_duration (info);
  g_test_message ("%s: %" GST_TIME_FORMAT " (asked %" GST_TIME_FORMAT ")", uri,
                  GST_TIME_ARGS (duration), GST_TIME_ARGS (expected));
  g_assert_cmpuint (duration + frame, >=, expected);
  g_assert_cmpuint (duration, <=, expected + frame);

  streams = gst_discoverer_info_get_video_streams (info);
  g_assert_cmpuint (g_list_length (streams), ==, 1);
  video = streams->data;
  g_assert_cmpuint (gst_discoverer_video_info_get_width (video), ==, options->width);
  g_assert_cmpuint (gst_discoverer_video_info_get_height (video), ==, options->height);
  g_assert_cmpuint (gst_discoverer_video_info_get_framerate_num (video), ==, options->fps);
  g_assert_cmpuint (gst_discoverer_video_info_get_framerate_denom (video), ==, 1);
  {
    g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (
      GST_DISCOVERER_STREAM_INFO (video));

    g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), "video/x-vp8"));
  }
  gst_discoverer_stream_info_list_free (streams);
  g_assert_cmpuint (g_list_length (gst_discoverer_info_get_audio_streams (info)), ==, 0);
}

static void
test_export (gconstpointer data)
{
  const int *spec = data;   /* width, height, fps, tenths of a second */
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(HlVideoScene) scene = NULL;
  HlVideoOptions options;
  Export e = { 0 };

  if (skip_without_gstreamer ())
    return;
  dir = g_dir_make_tmp ("hl-video-XXXXXX", NULL);
  path = g_build_filename (dir, "handshake.webm", NULL);
  file = g_file_new_for_path (path);

  hl_video_options_init (&options);
  options.width = spec[0];
  options.height = spec[1];
  options.fps = spec[2];
  options.max_seconds = spec[3] / 10.0;
  options.dark = spec[2] == 60;
  scene = hl_video_scene_new (trace, &options);
  g_assert_cmpuint (hl_video_scene_get_n_frames (scene), ==, spec[2] * spec[3] / 10);

  export_and_wait (&options, file, NULL, &e);
  g_assert_no_error (e.error);
  g_assert_cmpuint (e.calls, >, 0);
  g_assert_cmpuint (e.last_frame, ==, hl_video_scene_get_n_frames (scene));
  g_assert_cmpuint (e.n_frames, ==, e.last_frame);
  check_webm (file, &options, e.n_frames);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_cancel (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HlVideoOptions options;
  Export e = { 0 };

  if (skip_without_gstreamer ())
    return;
  dir = g_dir_make_tmp ("hl-video-XXXXXX", NULL);
  path = g_build_filename (dir, "cancelled.webm", NULL);
  file = g_file_new_for_path (path);
  hl_video_options_init (&options);
  options.width = 320;
  options.height = 180;
  e.cancel_at_frame_10 = cancellable;
  export_and_wait (&options, file, cancellable, &e);
  g_assert_error (e.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&e.error);
  g_assert_cmpuint (e.last_frame, <, e.n_frames);
  /* nothing half-written is left behind */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_bad_target (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-dir/video.webm");
  g_autoptr(GError) error = NULL;
  HlVideoOptions options;

  if (skip_without_gstreamer ())
    return;
  hl_video_options_init (&options);
  options.width = 320;
  options.height = 180;
  options.max_seconds = 0.5;
  g_assert_false (hl_video_export (trace, &options, file, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  options.width = 321;
  g_assert_false (hl_video_export (trace, &options, file, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char *argv[])
{
  static const int small[] = { 640, 360, 30, 20 };
  static const int hd[] = { 1280, 720, 60, 10 };
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  trace = hl_engine_run_scenario ("tls13", NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/video-export/scene/timing", test_scene_timing);
  g_test_add_func ("/ui/video-export/options", test_options);
  g_test_add_data_func ("/ui/video-export/webm/640x360-30fps-2s", small, test_export);
  g_test_add_data_func ("/ui/video-export/webm/1280x720-60fps-1s", hd, test_export);
  g_test_add_func ("/ui/video-export/cancel", test_cancel);
  g_test_add_func ("/ui/video-export/bad-target", test_bad_target);

  rc = g_test_run ();
  g_object_unref (trace);
  return rc;
}
