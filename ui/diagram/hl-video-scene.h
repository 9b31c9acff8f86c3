/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_VIDEO_MIN_SIZE 64
#define HL_VIDEO_MAX_SIZE 3840
#define HL_VIDEO_MIN_FPS  1
#define HL_VIDEO_MAX_FPS  120

/**
 * HlVideoOptions:
 * @width: frame width in pixels (even; 1280 or 1920 are offered)
 * @height: frame height in pixels (even)
 * @fps: frames per second (30 or 60 are offered)
 * @dark: the dark palette
 * @high_contrast: the projector palette (see hl_diagram_palette_init())
 * @show_records: a step for each TLS record as well
 * @speed: playback speed: 1 is the window's normal speed with time to read each caption
 * @max_seconds: cut the video after this many seconds (0: the whole handshake)
 * @font: the interface font, as a Pango font description string (NULL: Cantarell 11)
 *
 * What a video looks like. The picture is laid out on a canvas 1280 units wide (720 high at
 * 16:9) scaled to the frame's width, so 720p and 1080p show the same thing, one sharper than
 * the other; other shapes show more or less of the diagram, never a distorted one.
 */
typedef struct
{
  int         width;
  int         height;
  int         fps;
  gboolean    dark;
  gboolean    high_contrast;
  gboolean    show_records;
  double      speed;
  double      max_seconds;
  const char *font;
} HlVideoOptions;

void hl_video_options_init (HlVideoOptions *options);
/* NULL when @options can be encoded, else what is wrong with them. */
char *hl_video_options_check (const HlVideoOptions *options);

#define HL_TYPE_VIDEO_SCENE (hl_video_scene_get_type ())
G_DECLARE_FINAL_TYPE (HlVideoScene, hl_video_scene, HL, VIDEO_SCENE, GObject)

/* The animation of @trace as a function of time: an intro with the title, each step's arrow
 * or box animated as in the window, a hold long enough to read its caption, the caption drawn
 * under the diagram. Frame k shows the time k / fps, whatever the machine's speed. */
HlVideoScene *hl_video_scene_new             (HlTrace              *trace,
                                              const HlVideoOptions *options);
guint64       hl_video_scene_get_n_frames    (HlVideoScene         *self);
/* In nanoseconds: n_frames / fps. */
guint64       hl_video_scene_get_duration    (HlVideoScene         *self);
guint         hl_video_scene_get_n_steps     (HlVideoScene         *self);
/* The step shown at @frame (0: the intro) and how far its animation is (0 … 1). */
guint         hl_video_scene_get_step_at     (HlVideoScene         *self,
                                              guint64               frame,
                                              double               *progress);
/* Draws frame @frame onto @cr, which covers width × height device pixels from (0, 0). */
void          hl_video_scene_render_frame    (HlVideoScene         *self,
                                              cairo_t              *cr,
                                              guint64               frame);

G_END_DECLS
