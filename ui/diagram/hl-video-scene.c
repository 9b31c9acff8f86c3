/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-video-scene"
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "hl-diagram-export.h"
#include "hl-sequence-painter.h"
#include "hl-video-scene.h"

/* Order of this file: options, the timeline, the camera, drawing (diagram, caption panel),
 * GObject.
 *
 * Everything here is a pure function of the frame number: the timeline gives the step and its
 * progress at time k / fps, the camera's scroll offset is computed per step once, and each
 * frame is drawn from scratch by HlSequencePainter. The timings follow the window's (an arrow
 * takes 1.1 s, a box 0.65 s, the scroll 0.42 s), with a hold after each step that grows with
 * the length of its caption, so people can read it before the next one starts. */

#define CANVAS_WIDTH   1280.0   /* the logical canvas, scaled to the frame's width */
#define PANEL_HEIGHT   150.0    /* the caption panel under the diagram */
#define PANEL_PAD_X    28.0
#define NUMBER_SIZE    44.0
#define CAPTION_PX     21.0
#define TECHNICAL_PX   14.0
#define TITLE_PX       26.0
#define MIN_FIT        0.8
#define MAX_FIT        1.6

#define INTRO_MS       3000.0
#define OUTRO_MS       1500.0
#define ARROW_MS       1100.0
#define ACTION_MS      650.0
#define SCROLL_MS      420.0
#define FADE_MS        260.0
#define HOLD_MIN_MS    2200.0
#define HOLD_MAX_MS    7000.0
#define HOLD_PER_WORD  220.0    /* about 270 words a minute */

void
hl_video_options_init (HlVideoOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->width = 1280;
  options->height = 720;
  options->fps = 30;
  options->speed = 1;
}

char *
hl_video_options_check (const HlVideoOptions *options)
{
  g_return_val_if_fail (options != NULL, NULL);

  if (options->width < HL_VIDEO_MIN_SIZE || options->width > HL_VIDEO_MAX_SIZE ||
      options->height < HL_VIDEO_MIN_SIZE || options->height > HL_VIDEO_MAX_SIZE ||
      options->width % 2 != 0 || options->height % 2 != 0)
    return g_strdup_printf (_("The video size must be even numbers of pixels from %d to %d, "
                              "not %d × %d"), HL_VIDEO_MIN_SIZE, HL_VIDEO_MAX_SIZE,
                            options->width, options->height);
  if (options->fps < HL_VIDEO_MIN_FPS || options->fps > HL_VIDEO_MAX_FPS)
    return g_strdup_printf (_("The frame rate must be from %d to %d frames per second, not %d"),
                            HL_VIDEO_MIN_FPS, HL_VIDEO_MAX_FPS, options->fps);
  if (!(options->speed >= 0.25 && options->speed <= 4))
    return g_strdup_printf (_("The speed must be from 0.25 to 4, not %g"), options->speed);
  if (!(options->max_seconds >= 0))
    return g_strdup (_("The maximum duration cannot be negative"));
  return NULL;
}

typedef struct
{
  double start;    /* ms from the beginning of the video */
  double anim;     /* ms of its animation */
  double hold;     /* ms after it, before the next step starts */
  double scroll;   /* the camera's offset (canvas units) while it is current */
} StepTiming;

struct _HlVideoScene
{
  GObject             parent_instance;

  HlTrace            *trace;
  HlVideoOptions      options;
  HlSequencePainter  *painter;
  HlSequenceLayout   *layout;
  PangoContext       *context;
  PangoFontDescription *font;       /* family of the captions */
  GArray             *steps;        /* StepTiming; [0] is the intro */
  double              zoom;         /* layout units → canvas units */
  double              canvas_height;/* 720 at 16:9 */
  double              diagram_height;
  double              total_ms;
  guint64             n_frames;
};

G_DEFINE_FINAL_TYPE (HlVideoScene, hl_video_scene, G_TYPE_OBJECT)

/* The timeline */

static double
ease_in_out_cubic (double t)
{
  t = CLAMP (t, 0, 1);
  return t < 0.5 ? 4 * t * t * t : 1 - pow (-2 * t + 2, 3) / 2;
}

static double
ease_out_cubic (double t)
{
  t = CLAMP (t, 0, 1);
  return 1 - pow (1 - t, 3);
}

static guint
count_words (const char *text)
{
  guint words = 0;
  gboolean in_word = FALSE;

  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    {
      gboolean space = g_unichar_isspace (g_utf8_get_char (p));

      if (!space && !in_word)
        words++;
      in_word = !space;
    }
  return words;
}

/* The scroll offset that shows @item: unchanged while it is comfortably in view, else the row a
 * third of the way down the part under the headers (as the window scrolls). */
static double
scroll_for (HlVideoScene *self, const HlSequenceItem *item, double previous)
{
  double header = hl_sequence_layout_get_header_height (self->layout) * self->zoom;
  double page = self->diagram_height, total, top, bottom, target;

  hl_sequence_layout_get_size (self->layout, NULL, &total);
  total *= self->zoom;
  top = item->bounds.y * self->zoom;
  bottom = (item->bounds.y + item->bounds.height) * self->zoom;
  if (top >= previous + header + 8 && bottom <= previous + page - page * 0.12)
    return previous;
  target = top - header - (page - header) * 0.33;
  return CLAMP (target, 0, MAX (0, total - page));
}

static void
build_timeline (HlVideoScene *self)
{
  guint n = hl_sequence_layout_get_n_steps (self->layout);
  double speed = self->options.speed, t = INTRO_MS;
  StepTiming intro = { 0, 0, INTRO_MS, 0 };

  g_array_append_val (self->steps, intro);
  for (guint s = 0; s < n; s++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_step (self->layout, s);
      HlEvent *event = hl_trace_get_event (self->trace, item->event);
      StepTiming timing;
      double words = count_words (hl_event_get_caption (event));

      timing.start = t;
      timing.anim = (item->kind == HL_SEQUENCE_ITEM_ARROW ? ARROW_MS : ACTION_MS) / speed;
      timing.hold = CLAMP (HOLD_MIN_MS + HOLD_PER_WORD * words * 0.5, HOLD_MIN_MS, HOLD_MAX_MS) /
                    speed;
      timing.scroll = scroll_for (self, item,
                                  g_array_index (self->steps, StepTiming, s).scroll);
      g_array_append_val (self->steps, timing);
      t += timing.anim + timing.hold;
    }
  self->total_ms = t + OUTRO_MS / speed;
  if (self->options.max_seconds > 0)
    self->total_ms = MIN (self->total_ms, self->options.max_seconds * 1000);
  self->n_frames = (guint64) ceil (self->total_ms * self->options.fps / 1000.0 - 1e-9);
  self->n_frames = MAX (self->n_frames, 1);
}

static double
frame_time (HlVideoScene *self, guint64 frame)
{
  return (double) frame * 1000.0 / self->options.fps;
}

/* The step current at @t (0 for the intro). */
static guint
step_at_time (HlVideoScene *self, double t)
{
  guint lo = 0, hi = self->steps->len - 1;

  /* the last entry whose start is at or before t */
  while (lo < hi)
    {
      guint mid = (lo + hi + 1) / 2;

      if (g_array_index (self->steps, StepTiming, mid).start <= t)
        lo = mid;
      else
        hi = mid - 1;
    }
  return lo;
}

guint
hl_video_scene_get_step_at (HlVideoScene *self, guint64 frame, double *progress)
{
  double t;
  guint s;
  const StepTiming *timing;

  g_return_val_if_fail (HL_IS_VIDEO_SCENE (self), 0);

  t = frame_time (self, frame);
  s = step_at_time (self, t);
  timing = &g_array_index (self->steps, StepTiming, s);
  if (progress)
    *progress = s == 0 || timing->anim <= 0 ? 1 : CLAMP ((t - timing->start) / timing->anim,
                                                         0, 1);
  return s;
}

/* Drawing: the diagram */

static void
draw_pinned_band (HlVideoScene *self, cairo_t *cr, double top)
{
  double pin = top + hl_sequence_layout_get_header_height (self->layout);
  guint n = hl_sequence_layout_get_n_structural (self->layout);

  /* like the window: the title of the band in view stays under the headers */
  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *band = hl_sequence_layout_get_structural (self->layout, i);
      double y = pin;

      if (band->kind != HL_SEQUENCE_ITEM_BAND || band->box.y >= pin ||
          band->bounds.y + band->bounds.height <= pin)
        continue;
      for (guint j = i + 1; j < n; j++)
        {
          const HlSequenceItem *next = hl_sequence_layout_get_structural (self->layout, j);

          if (next->kind == HL_SEQUENCE_ITEM_BAND || next->kind == HL_SEQUENCE_ITEM_SEPARATOR)
            {
              y = MIN (y, next->box.y - band->box.height);
              break;
            }
        }
      hl_sequence_painter_draw_band_title (self->painter, cr, band, y);
      return;
    }
}

static void
draw_diagram (HlVideoScene *self, cairo_t *cr, guint step, double progress, double scroll)
{
  const GdkRGBA *bg = &hl_sequence_painter_get_palette (self->painter)->colors[
    HL_SEQUENCE_COLOR_BACKGROUND];
  double top = scroll / self->zoom, bottom = (scroll + self->diagram_height) / self->zoom;
  int current = (int) step - 1;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, CANVAS_WIDTH, self->diagram_height);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, bg);
  cairo_paint (cr);

  cairo_save (cr);
  cairo_translate (cr, 0, -scroll);
  cairo_scale (cr, self->zoom, self->zoom);
  hl_sequence_painter_draw_backdrop (self->painter, cr, self->layout, top, bottom, FALSE);
  if (current >= 0)
    hl_sequence_painter_draw_highlight (self->painter, cr, self->layout, current, TRUE);
  hl_sequence_painter_draw_steps (self->painter, cr, self->layout, top, bottom, current, FALSE);
  if (current >= 0)
    hl_sequence_painter_draw_step (self->painter, cr, self->layout, current,
                                   HL_SEQUENCE_STEP_CURRENT, progress);
  draw_pinned_band (self, cr, top);
  cairo_restore (cr);

  cairo_scale (cr, self->zoom, self->zoom);
  hl_sequence_painter_draw_headers (self->painter, cr, self->layout, scroll > 1);
  cairo_restore (cr);
}

/* Drawing: the caption panel, like the window's story panel */

static void
set_color (cairo_t *cr, const GdkRGBA *c, double alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

static PangoLayout *
text_layout (HlVideoScene *self, const char *text, double px, PangoWeight weight,
             gboolean mono, double width, int lines)
{
  PangoLayout *layout = pango_layout_new (self->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_copy (self->font);

  if (mono)
    pango_font_description_set_family (font, "Monospace");
  pango_font_description_set_absolute_size (font, px * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_height (layout, -lines);
    }
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

static void
draw_panel (HlVideoScene *self, cairo_t *cr, guint step, double progress, double since)
{
  const HlSequencePalette *palette = hl_sequence_painter_get_palette (self->painter);
  const GdkRGBA *fg = &palette->colors[HL_SEQUENCE_COLOR_FOREGROUND];
  const GdkRGBA *dim = &palette->colors[HL_SEQUENCE_COLOR_DIM];
  const GdkRGBA *accent = &palette->colors[HL_SEQUENCE_COLOR_ACCENT];
  guint n = hl_sequence_layout_get_n_steps (self->layout);
  double y0 = self->diagram_height, x = PANEL_PAD_X, y, width, fade = ease_out_cubic (
    since / FADE_MS);
  g_autoptr(PangoLayout) caption = NULL;
  g_autoptr(PangoLayout) technical = NULL;
  g_autoptr(PangoLayout) position = NULL;
  g_autofree char *position_text = NULL;
  const char *caption_text, *technical_text;

  /* the panel: the window background, a hairline above */
  gdk_cairo_set_source_rgba (cr, &palette->colors[HL_SEQUENCE_COLOR_BACKGROUND]);
  cairo_rectangle (cr, 0, y0, CANVAS_WIDTH, PANEL_HEIGHT);
  cairo_fill (cr);
  set_color (cr, fg, 0.035);
  cairo_rectangle (cr, 0, y0, CANVAS_WIDTH, PANEL_HEIGHT);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, &palette->colors[HL_SEQUENCE_COLOR_BORDER]);
  cairo_rectangle (cr, 0, y0, CANVAS_WIDTH, 1);
  cairo_fill (cr);

  /* how far along: a thin bar at the bottom, moving with the animation */
  if (n > 0)
    {
      double done = step == 0 ? 0 : (step - 1 + progress) / n;

      set_color (cr, fg, 0.08);
      cairo_rectangle (cr, 0, self->canvas_height - 5, CANVAS_WIDTH, 5);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, accent);
      cairo_rectangle (cr, 0, self->canvas_height - 5, CANVAS_WIDTH * done, 5);
      cairo_fill (cr);
    }

  if (step == 0)
    {
      caption_text = hl_trace_get_title (self->trace);
      technical_text = hl_trace_get_description (self->trace);
    }
  else
    {
      HlEvent *event = hl_trace_get_event (
        self->trace, hl_sequence_layout_get_step (self->layout, step - 1)->event);

      caption_text = hl_event_get_caption (event);
      technical_text = hl_event_get_technical (event);

      x += NUMBER_SIZE + 18;
    }

  position_text = step == 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u step",
                                                            "%u steps", n), n)
                            : g_strdup_printf (_("Step %u of %u"), step, n);
  position = text_layout (self, position_text, TECHNICAL_PX, PANGO_WEIGHT_NORMAL, FALSE, -1, 1);
  width = CANVAS_WIDTH - x - PANEL_PAD_X;

  caption = text_layout (self, caption_text, step == 0 ? TITLE_PX : CAPTION_PX,
                         step == 0 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL, FALSE, width,
                         step == 0 ? 1 : 3);
  technical = text_layout (self, technical_text, step == 0 ? 16 : TECHNICAL_PX,
                           PANGO_WEIGHT_NORMAL, step != 0, width - 140, 2);

  /* caption and technical line centred in the panel, above the bar */
  y = y0 + (PANEL_HEIGHT - 5 - layout_height (caption) - 6 - layout_height (technical)) / 2;
  if (step > 0)
    {
      /* the step number in a round accent badge, level with the caption's first line */
      g_autofree char *number = g_strdup_printf ("%u", step);
      g_autoptr(PangoLayout) label = text_layout (self, number, strlen (number) > 2 ? 17 : 21,
                                                  PANGO_WEIGHT_HEAVY, FALSE, -1, 1);
      PangoLayoutLine *first = pango_layout_get_line_readonly (caption, 0);
      PangoRectangle ink, line;
      double cx = PANEL_PAD_X + NUMBER_SIZE / 2, cy;

      pango_layout_line_get_extents (first, NULL, &line);
      cy = y + (double) line.height / PANGO_SCALE / 2;
      set_color (cr, accent, fade);
      cairo_new_path (cr);
      cairo_arc (cr, cx, cy, NUMBER_SIZE / 2, 0, 2 * G_PI);
      cairo_fill (cr);
      pango_layout_get_pixel_extents (label, &ink, NULL);
      set_color (cr, &palette->colors[HL_SEQUENCE_COLOR_ON_COLOR], fade);
      cairo_move_to (cr, cx - ink.x - ink.width / 2.0, cy - ink.y - ink.height / 2.0);
      pango_cairo_show_layout (cr, label);
    }
  set_color (cr, fg, fade);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, caption);
  y += layout_height (caption) + 6;
  set_color (cr, dim, fade);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, technical);

  {
    PangoRectangle logical;

    pango_layout_get_extents (position, NULL, &logical);
    set_color (cr, dim, 1);
    cairo_move_to (cr, CANVAS_WIDTH - PANEL_PAD_X - (double) logical.width / PANGO_SCALE,
                   self->canvas_height - 5 - 10 - (double) logical.height / PANGO_SCALE);
    pango_cairo_show_layout (cr, position);
  }
}

void
hl_video_scene_render_frame (HlVideoScene *self, cairo_t *cr, guint64 frame)
{
  double t, progress, scroll, since;
  const StepTiming *timing;
  guint step;

  g_return_if_fail (HL_IS_VIDEO_SCENE (self));

  t = frame_time (self, frame);
  step = hl_video_scene_get_step_at (self, frame, &progress);
  timing = &g_array_index (self->steps, StepTiming, step);
  since = t - timing->start;
  /* the camera glides to the new step's offset as the step starts */
  scroll = timing->scroll;
  if (step > 0)
    {
      double from = g_array_index (self->steps, StepTiming, step - 1).scroll;

      scroll = from + (timing->scroll - from) * ease_out_cubic (since / SCROLL_MS);
    }

  cairo_save (cr);
  cairo_scale (cr, self->options.width / CANVAS_WIDTH, self->options.width / CANVAS_WIDTH);
  draw_diagram (self, cr, step, ease_in_out_cubic (progress), round (scroll));
  draw_panel (self, cr, step, progress, step == 0 ? FADE_MS : since);
  cairo_restore (cr);
}

guint64
hl_video_scene_get_n_frames (HlVideoScene *self)
{
  g_return_val_if_fail (HL_IS_VIDEO_SCENE (self), 0);
  return self->n_frames;
}

guint64
hl_video_scene_get_duration (HlVideoScene *self)
{
  g_return_val_if_fail (HL_IS_VIDEO_SCENE (self), 0);
  return self->n_frames * G_TIME_SPAN_SECOND * 1000 / self->options.fps;
}

guint
hl_video_scene_get_n_steps (HlVideoScene *self)
{
  g_return_val_if_fail (HL_IS_VIDEO_SCENE (self), 0);
  return hl_sequence_layout_get_n_steps (self->layout);
}

/* GObject */

static void
hl_video_scene_finalize (GObject *object)
{
  HlVideoScene *self = HL_VIDEO_SCENE (object);

  g_clear_object (&self->trace);
  g_clear_object (&self->layout);
  g_clear_object (&self->painter);
  g_clear_object (&self->context);
  g_clear_pointer (&self->font, pango_font_description_free);
  g_clear_pointer (&self->steps, g_array_unref);
  G_OBJECT_CLASS (hl_video_scene_parent_class)->finalize (object);
}

static void
hl_video_scene_class_init (HlVideoSceneClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_video_scene_finalize;
}

static void
hl_video_scene_init (HlVideoScene *self)
{
  self->steps = g_array_new (FALSE, TRUE, sizeof (StepTiming));
}

HlVideoScene *
hl_video_scene_new (HlTrace *trace, const HlVideoOptions *options)
{
  HlVideoScene *self;
  HlDiagramOptions diagram;
  double natural;
  cairo_font_options_t *font_options;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->fps > 0 && options->width > 0 && options->height > 0, NULL);

  self = g_object_new (HL_TYPE_VIDEO_SCENE, NULL);
  self->trace = g_object_ref (trace);
  self->options = *options;
  self->options.font = NULL;   /* not kept: copied into the painter */
  if (self->options.speed <= 0)
    self->options.speed = 1;

  hl_diagram_options_init (&diagram);
  diagram.dark = options->dark;
  diagram.high_contrast = options->high_contrast;
  diagram.show_records = options->show_records;
  diagram.font = options->font;
  self->layout = hl_diagram_layout_new (trace, &diagram, &self->painter);

  /* fit the width as the window does; the layout spreads into what is left over */
  self->canvas_height = CANVAS_WIDTH * options->height / options->width;
  self->diagram_height = MAX (self->canvas_height - PANEL_HEIGHT, PANEL_HEIGHT);
  natural = hl_sequence_layout_get_natural_width (self->layout);
  self->zoom = natural > 0 ? CLAMP (CANVAS_WIDTH / natural, MIN_FIT, MAX_FIT) : 1;
  hl_sequence_layout_set_width (self->layout, CANVAS_WIDTH / self->zoom);

  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  font_options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (font_options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias (font_options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (self->context, font_options);
  cairo_font_options_destroy (font_options);
  self->font = pango_font_description_from_string (options->font ? options->font
                                                                 : HL_DIAGRAM_DEFAULT_FONT);

  build_timeline (self);
  return self;
}
