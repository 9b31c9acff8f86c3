/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-video-export"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#include "hl-video-export.h"

/* Order of this file: GStreamer and its plugins, the pipeline, the blocking export, the async
 * wrapper.
 *
 * Frames are drawn by HlVideoScene straight into the memory of each GstBuffer (Cairo's ARGB32 is
 * GStreamer's BGRA on little-endian machines), stamped with pts = k / fps and pushed into a
 * blocking appsrc: the encoder sets the pace, the machine's speed changes nothing in the file. */

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define CAIRO_VIDEO_FORMAT "BGRA"
#else
#define CAIRO_VIDEO_FORMAT "ARGB"
#endif

#define QUEUED_FRAMES 4   /* appsrc blocks beyond this many frames waiting for the encoder */

static const struct
{
  const char *element;
  const char *package;
} needed[] = {
  { "appsrc", "gstreamer1.0-plugins-base" },
  { "videoconvert", "gstreamer1.0-plugins-base" },
  { "vp8enc", "gstreamer1.0-plugins-good" },
  { "webmmux", "gstreamer1.0-plugins-good" },
  { "filesink", "libgstreamer1.0-0" },
};

static gpointer
init_gstreamer (gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!gst_init_check (NULL, NULL, &error))
    return g_strdup (error ? error->message : "gst_init_check failed");
  return NULL;
}

char *
hl_video_export_dup_unavailable_reason (void)
{
  static GOnce once = G_ONCE_INIT;
  const char *failed = g_once (&once, init_gstreamer, NULL);
  g_autoptr(GString) missing = NULL;
  g_autoptr(GString) packages = NULL;

  if (failed)
    return g_strdup_printf (_("GStreamer could not start: %s"), failed);
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      GstElementFactory *factory = gst_element_factory_find (needed[i].element);

      if (factory)
        {
          gst_object_unref (factory);
          continue;
        }
      if (missing == NULL)
        {
          missing = g_string_new (needed[i].element);
          packages = g_string_new (needed[i].package);
          continue;
        }
      g_string_append_printf (missing, ", %s", needed[i].element);
      if (strstr (packages->str, needed[i].package) == NULL)
        g_string_append_printf (packages, ", %s", needed[i].package);
    }
  if (missing == NULL)
    return NULL;
  return g_strdup_printf (_("Video needs the GStreamer plugins %s (package %s)"), missing->str,
                          packages->str);
}

/* The pipeline */

static GstElement *
make_element (GstBin *bin, const char *factory, GError **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The GStreamer element %s is missing"), factory);
      return NULL;
    }
  gst_bin_add (bin, element);
  return element;
}

static GstElement *
build_pipeline (const HlVideoOptions *options, const char *path, GstAppSrc **src_out,
                GError **error)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new ("hl-video-export");
  g_autoptr(GstCaps) caps = NULL;
  GstElement *src, *convert, *encoder, *mux, *sink;
  guint64 pixels = (guint64) options->width * options->height * options->fps;

  if (!(src = make_element (GST_BIN (pipeline), "appsrc", error)) ||
      !(convert = make_element (GST_BIN (pipeline), "videoconvert", error)) ||
      !(encoder = make_element (GST_BIN (pipeline), "vp8enc", error)) ||
      !(mux = make_element (GST_BIN (pipeline), "webmmux", error)) ||
      !(sink = make_element (GST_BIN (pipeline), "filesink", error)))
    return NULL;

  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, CAIRO_VIDEO_FORMAT,
                              "width", G_TYPE_INT, options->width,
                              "height", G_TYPE_INT, options->height,
                              "framerate", GST_TYPE_FRACTION, options->fps, 1,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (src,
                "caps", caps,
                "format", GST_FORMAT_TIME,
                "is-live", FALSE,
                "block", TRUE,
                "max-bytes", (guint64) options->width * options->height * 4 * QUEUED_FRAMES,
                NULL);
  /* Text and thin lines need bits: about 0.1 bit per pixel, a keyframe every two seconds so
   * players can seek; the real-time encoder, told that most of each frame stands still (what
   * libvpx recommends for screen content). */
  g_object_set (encoder,
                "target-bitrate", (int) MIN (pixels / 10, 40000000),
                "keyframe-max-dist", options->fps * 2,
                "deadline", (gint64) 1,
                "cpu-used", 8,
                "static-threshold", 100,
                "threads", (int) CLAMP (g_get_num_processors (), 1, 8),
                NULL);
  g_object_set (sink, "location", path, "sync", FALSE, NULL);
  if (!gst_element_link_many (src, convert, encoder, mux, sink, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not connect the GStreamer video encoder"));
      return NULL;
    }
  *src_out = GST_APP_SRC (src);
  return g_steal_pointer (&pipeline);
}

/* Turns an error message of the bus into @error; TRUE if there was one. */
static gboolean
take_bus_error (GstBus *bus, GstClockTime timeout, GError **error)
{
  g_autoptr(GstMessage) message = gst_bus_timed_pop_filtered (bus, timeout, GST_MESSAGE_ERROR);
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;

  if (message == NULL)
    return FALSE;
  gst_message_parse_error (message, &gst_error, &debug);
  g_debug ("video export: %s (%s)", gst_error->message, debug ? debug : "");
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The video encoder failed: %s"),
               gst_error->message);
  return TRUE;
}

/* The blocking export */

static gboolean
push_frames (HlVideoScene        *scene,
             const HlVideoOptions *options,
             GstAppSrc           *src,
             GstBus              *bus,
             HlVideoProgressFunc  progress,
             gpointer             progress_data,
             GCancellable        *cancellable,
             GError             **error)
{
  guint64 n = hl_video_scene_get_n_frames (scene);
  gsize size = (gsize) options->width * options->height * 4;

  for (guint64 k = 0; k < n; k++)
    {
      GstBuffer *buffer;
      GstMapInfo map;
      cairo_surface_t *surface;
      cairo_t *cr;
      GstClockTime pts = gst_util_uint64_scale (k, GST_SECOND, options->fps);
      GstFlowReturn flow;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (take_bus_error (bus, 0, error))
        return FALSE;

      buffer = gst_buffer_new_allocate (NULL, size, NULL);
      if (!gst_buffer_map (buffer, &map, GST_MAP_WRITE))
        {
          gst_buffer_unref (buffer);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("Out of memory for a video frame"));
          return FALSE;
        }
      surface = cairo_image_surface_create_for_data (map.data, CAIRO_FORMAT_ARGB32,
                                                     options->width, options->height,
                                                     options->width * 4);
      cr = cairo_create (surface);
      hl_video_scene_render_frame (scene, cr, k);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      cairo_surface_destroy (surface);
      gst_buffer_unmap (buffer, &map);

      GST_BUFFER_PTS (buffer) = pts;
      GST_BUFFER_DTS (buffer) = pts;
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (k + 1, GST_SECOND, options->fps) -
                                     pts;
      flow = gst_app_src_push_buffer (src, buffer);
      if (flow != GST_FLOW_OK)
        {
          if (!take_bus_error (bus, GST_SECOND, error))
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("The video encoder stopped: %s"), gst_flow_get_name (flow));
          return FALSE;
        }
      if (progress)
        progress (k + 1, n, progress_data);
    }
  return TRUE;
}

static gboolean
finish_stream (GstAppSrc *src, GstBus *bus, GError **error)
{
  g_autoptr(GstMessage) message = NULL;

  gst_app_src_end_of_stream (src);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (message && GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The video encoder failed: %s"),
                   gst_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_video_export (HlTrace              *trace,
                 const HlVideoOptions *options,
                 GFile                *file,
                 HlVideoProgressFunc   progress,
                 gpointer              progress_data,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *path = NULL;
  g_autoptr(HlVideoScene) scene = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstAppSrc *src = NULL;
  gboolean ok;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reason = hl_video_export_dup_unavailable_reason ();
  if (reason)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, reason);
      return FALSE;
    }
  reason = hl_video_options_check (options);
  if (reason)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, reason);
      return FALSE;
    }
  /* files from the document portal have a local path too */
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("A video can only be written to a local file, not %s"), uri);
      return FALSE;
    }

  scene = hl_video_scene_new (trace, options);
  pipeline = build_pipeline (options, path, &src, error);
  if (pipeline == NULL)
    return FALSE;
  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (!take_bus_error (bus, 0, error))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("Could not start the video encoder for %s"), path);
      ok = FALSE;
    }
  else
    ok = push_frames (scene, options, src, bus, progress, progress_data, cancellable, error) &&
         finish_stream (src, bus, error);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (!ok)
    g_file_delete (file, NULL, NULL);
  return ok;
}

/* The async wrapper: progress is forwarded to the caller's main context, coalesced so a fast
 * encoder cannot flood it. */

typedef struct
{
  HlVideoProgressFunc  func;
  gpointer             data;
  GDestroyNotify       destroy;
  GMainContext        *context;
  gint                 pending;
  guint64              frame;    /* under the lock */
  guint64              n_frames;
  GMutex               lock;
} Progress;

static void
progress_clear (gpointer data)
{
  Progress *p = data;

  if (p->destroy)
    p->destroy (p->data);
  g_main_context_unref (p->context);
  g_mutex_clear (&p->lock);
}

static void
progress_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, progress_clear);
}

static gboolean
progress_dispatch_cb (gpointer data)
{
  Progress *p = data;
  guint64 frame, n;

  g_atomic_int_set (&p->pending, 0);
  g_mutex_lock (&p->lock);
  frame = p->frame;
  n = p->n_frames;
  g_mutex_unlock (&p->lock);
  p->func (frame, n, p->data);
  return G_SOURCE_REMOVE;
}

static void
progress_forward_cb (guint64 frame, guint64 n_frames, gpointer data)
{
  Progress *p = data;

  g_mutex_lock (&p->lock);
  p->frame = frame;
  p->n_frames = n_frames;
  g_mutex_unlock (&p->lock);
  if (g_atomic_int_compare_and_exchange (&p->pending, 0, 1))
    g_main_context_invoke_full (p->context, G_PRIORITY_DEFAULT, progress_dispatch_cb,
                                g_atomic_rc_box_acquire (p), progress_unref);
}

typedef struct
{
  HlTrace        *trace;
  HlVideoOptions  options;
  char           *font;
  GFile          *file;
  Progress       *progress;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  g_object_unref (d->trace);
  g_object_unref (d->file);
  g_free (d->font);
  if (d->progress)
    progress_unref (d->progress);
  g_free (d);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *d = task_data;
  GError *error = NULL;

  if (hl_video_export (d->trace, &d->options, d->file,
                       d->progress ? progress_forward_cb : NULL, d->progress, cancellable,
                       &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
hl_video_export_async (HlTrace              *trace,
                       const HlVideoOptions *options,
                       GFile                *file,
                       HlVideoProgressFunc   progress,
                       gpointer              progress_data,
                       GDestroyNotify        progress_destroy,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *d;

  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (options != NULL);
  g_return_if_fail (G_IS_FILE (file));

  d = g_new0 (ExportData, 1);
  d->trace = g_object_ref (trace);
  d->options = *options;
  d->font = g_strdup (options->font);
  d->options.font = d->font;
  d->file = g_object_ref (file);
  if (progress)
    {
      d->progress = g_atomic_rc_box_new0 (Progress);
      d->progress->func = progress;
      d->progress->data = progress_data;
      d->progress->destroy = progress_destroy;
      d->progress->context = g_main_context_ref_thread_default ();
      g_mutex_init (&d->progress->lock);
    }
  else if (progress_destroy)
    progress_destroy (progress_data);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_video_export_async);
  g_task_set_task_data (task, d, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
hl_video_export_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
