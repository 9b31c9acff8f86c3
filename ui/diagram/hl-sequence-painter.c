/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-painter"
#include "config.h"

#include <math.h>
#include <string.h>

#include "hl-sequence-painter.h"

/* Order of this file: palette, the object, fonts and text, shapes and icons, the parts of the
 * diagram (backdrop, groups, steps, headers). Draws with Cairo and Pango only — no widget — so
 * the same code serves the view, exports and benchmarks. */

#define GHOST_ALPHA      0.22
#define ARROW_WIDTH      2.0
#define PIPE_WIDTH       10.0
#define HEAD_LENGTH      12.0
#define HEAD_HALF        6.0
#define CORNER           8.0
#define LAYOUT_CACHE_MAX 4096

static const char *color_classes[HL_SEQUENCE_N_COLORS] = {
  [HL_SEQUENCE_COLOR_FOREGROUND] = "foreground",
  [HL_SEQUENCE_COLOR_DIM] = "dim",
  [HL_SEQUENCE_COLOR_BACKGROUND] = "background",
  [HL_SEQUENCE_COLOR_CARD] = "card",
  [HL_SEQUENCE_COLOR_BORDER] = "border",
  [HL_SEQUENCE_COLOR_CLIENT] = "client",
  [HL_SEQUENCE_COLOR_SERVER] = "server",
  [HL_SEQUENCE_COLOR_CA] = "ca",
  [HL_SEQUENCE_COLOR_PLAIN] = "plain",
  [HL_SEQUENCE_COLOR_PROTECTED] = "protected",
  [HL_SEQUENCE_COLOR_SWITCH] = "switch",
  [HL_SEQUENCE_COLOR_ALERT] = "alert",
  [HL_SEQUENCE_COLOR_OK] = "ok",
  [HL_SEQUENCE_COLOR_FAILED] = "failed",
  [HL_SEQUENCE_COLOR_NEGOTIATION] = "negotiation",
  [HL_SEQUENCE_COLOR_KEY_EXCHANGE] = "key-exchange",
  [HL_SEQUENCE_COLOR_SYMMETRIC] = "symmetric",
  [HL_SEQUENCE_COLOR_NEGOTIATION_TITLE] = "negotiation-title",
  [HL_SEQUENCE_COLOR_KEY_EXCHANGE_TITLE] = "key-exchange-title",
  [HL_SEQUENCE_COLOR_SYMMETRIC_TITLE] = "symmetric-title",
  [HL_SEQUENCE_COLOR_CURRENT] = "current",
  [HL_SEQUENCE_COLOR_ACCENT] = "accent",
  [HL_SEQUENCE_COLOR_HOVER] = "hover",
  [HL_SEQUENCE_COLOR_GROUP] = "group",
  [HL_SEQUENCE_COLOR_ON_COLOR] = "on-color",
  [HL_SEQUENCE_COLOR_ATTACKER] = "attacker",
};

const char *
hl_sequence_color_to_class (HlSequenceColor color)
{
  g_return_val_if_fail ((guint) color < HL_SEQUENCE_N_COLORS, NULL);
  return color_classes[color];
}

/* The same values as style.css, for drawing where no style is available. */
void
hl_sequence_palette_init_default (HlSequencePalette *palette, gboolean dark)
{
  static const char *light[HL_SEQUENCE_N_COLORS] = {
    "rgba(0,0,0,0.8)", "rgba(0,0,0,0.55)", "#ffffff", "#ffffff", "rgba(0,0,0,0.15)",
    "#1c71d8", "#813d9c", "#c64600", "rgba(0,0,0,0.75)", "#1b8553", "#9c6b00",
    "#c01c28", "#26a269", "#c01c28",
    "rgba(229,165,10,0.10)", "rgba(145,65,172,0.08)", "rgba(38,162,105,0.09)",
    "#946800", "#813d9c", "#1b8553", "rgba(53,132,228,0.16)", "#3584e4",
    "rgba(0,0,0,0.04)", "rgba(0,0,0,0.45)", "#ffffff", "#a51d2d",
  };
  static const char *night[HL_SEQUENCE_N_COLORS] = {
    "#ffffff", "rgba(255,255,255,0.6)", "#1e1e1e", "#303030", "rgba(255,255,255,0.15)",
    "#62a0ea", "#c061cb", "#ffa348", "rgba(255,255,255,0.85)", "#57e389", "#f8e45c",
    "#ff7b63", "#57e389", "#ff7b63",
    "rgba(248,228,92,0.08)", "rgba(192,97,203,0.10)", "rgba(87,227,137,0.08)",
    "#f8e45c", "#dc8add", "#8ff0a4", "rgba(120,174,237,0.20)", "#78aeed",
    "rgba(255,255,255,0.05)", "rgba(255,255,255,0.5)", "#ffffff", "#f66151",
  };

  g_return_if_fail (palette != NULL);
  for (guint i = 0; i < HL_SEQUENCE_N_COLORS; i++)
    gdk_rgba_parse (&palette->colors[i], dark ? night[i] : light[i]);
}

struct _HlSequencePainter
{
  GObject                parent_instance;

  PangoContext          *context;
  PangoFontDescription  *base;
  PangoFontDescription  *fonts[HL_SEQUENCE_N_FONTS];
  HlSequencePalette      palette;
  GHashTable            *layouts;   /* "font \x1f wrap \x1f text" → PangoLayout */
  double                 alpha;     /* of what is being drawn: faint future steps, fades */
};

G_DEFINE_FINAL_TYPE (HlSequencePainter, hl_sequence_painter, G_TYPE_OBJECT)

static void
hl_sequence_painter_finalize (GObject *object)
{
  HlSequencePainter *self = HL_SEQUENCE_PAINTER (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->base, pango_font_description_free);
  for (guint i = 0; i < HL_SEQUENCE_N_FONTS; i++)
    g_clear_pointer (&self->fonts[i], pango_font_description_free);
  g_hash_table_unref (self->layouts);
  G_OBJECT_CLASS (hl_sequence_painter_parent_class)->finalize (object);
}

static void
hl_sequence_painter_class_init (HlSequencePainterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_sequence_painter_finalize;
}

static void
hl_sequence_painter_init (HlSequencePainter *self)
{
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->alpha = 1;
  hl_sequence_palette_init_default (&self->palette, FALSE);
}

/* Fonts */

static void
derive_fonts (HlSequencePainter *self)
{
  /* sizes relative to the interface font, in pixels so zooming is a pure scale */
  static const struct { double scale; PangoWeight weight; } roles[HL_SEQUENCE_N_FONTS] = {
    [HL_SEQUENCE_FONT_TITLE] = { 1.30, PANGO_WEIGHT_BOLD },
    [HL_SEQUENCE_FONT_SUBTITLE] = { 0.86, PANGO_WEIGHT_NORMAL },
    [HL_SEQUENCE_FONT_LABEL] = { 1.10, PANGO_WEIGHT_SEMIBOLD },
    [HL_SEQUENCE_FONT_ACTION] = { 1.02, PANGO_WEIGHT_NORMAL },
    [HL_SEQUENCE_FONT_DETAIL] = { 0.86, PANGO_WEIGHT_NORMAL },
    [HL_SEQUENCE_FONT_NUMBER] = { 0.80, PANGO_WEIGHT_BOLD },
    [HL_SEQUENCE_FONT_BAND] = { 0.95, PANGO_WEIGHT_BOLD },
  };
  double px = pango_font_description_get_size (self->base) / (double) PANGO_SCALE;

  if (px <= 0)
    px = 11;
  if (!pango_font_description_get_size_is_absolute (self->base))
    px *= 96.0 / 72.0;
  for (guint i = 0; i < HL_SEQUENCE_N_FONTS; i++)
    {
      g_clear_pointer (&self->fonts[i], pango_font_description_free);
      self->fonts[i] = pango_font_description_copy (self->base);
      pango_font_description_set_absolute_size (self->fonts[i],
                                                round (px * roles[i].scale) * PANGO_SCALE);
      pango_font_description_set_weight (self->fonts[i], roles[i].weight);
    }
  g_hash_table_remove_all (self->layouts);
}

/**
 * hl_sequence_painter_new:
 * @context: (nullable): a PangoCairo context; NULL for one on the default font map
 *
 * Text is measured with metrics hinting off, so a layout measured once scales linearly with
 * the zoom and with the display's scale factor.
 */
HlSequencePainter *
hl_sequence_painter_new (PangoContext *context)
{
  HlSequencePainter *self = g_object_new (HL_TYPE_SEQUENCE_PAINTER, NULL);
  cairo_font_options_t *options;
  const cairo_font_options_t *current;

  if (context)
    self->context = g_object_ref (context);
  else
    self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  current = pango_cairo_context_get_font_options (self->context);
  options = current ? cairo_font_options_copy (current) : cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (self->context, FALSE);

  hl_sequence_painter_set_font (self, pango_context_get_font_description (self->context));
  return self;
}

gboolean
hl_sequence_painter_set_font (HlSequencePainter *self, const PangoFontDescription *base)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_PAINTER (self), FALSE);

  if (base == NULL)
    {
      g_autoptr(PangoFontDescription) fallback = pango_font_description_from_string ("Sans 11");

      return hl_sequence_painter_set_font (self, fallback);
    }
  if (self->base && pango_font_description_equal (self->base, base))
    return FALSE;
  g_clear_pointer (&self->base, pango_font_description_free);
  self->base = pango_font_description_copy (base);
  derive_fonts (self);
  return TRUE;
}

gboolean
hl_sequence_painter_set_palette (HlSequencePainter *self, const HlSequencePalette *palette)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_PAINTER (self), FALSE);
  g_return_val_if_fail (palette != NULL, FALSE);

  for (guint i = 0; i < HL_SEQUENCE_N_COLORS; i++)
    if (!gdk_rgba_equal (&self->palette.colors[i], &palette->colors[i]))
      {
        self->palette = *palette;
        return TRUE;
      }
  return FALSE;
}

const HlSequencePalette *
hl_sequence_painter_get_palette (HlSequencePainter *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_PAINTER (self), NULL);
  return &self->palette;
}

static PangoLayout *
get_layout (HlSequencePainter *self, HlSequenceFont font, const char *text, gssize len,
            double wrap)
{
  g_autofree char *key = NULL;
  PangoLayout *layout;

  if (len < 0)
    len = strlen (text);
  key = g_strdup_printf ("%d\x1f%.1f\x1f%.*s", font, wrap, (int) len, text);
  layout = g_hash_table_lookup (self->layouts, key);
  if (layout)
    return layout;

  /* Bounded: a 10 000-event trace must not keep 30 000 layouts alive. */
  if (g_hash_table_size (self->layouts) >= LAYOUT_CACHE_MAX)
    g_hash_table_remove_all (self->layouts);
  layout = pango_layout_new (self->context);
  pango_layout_set_font_description (layout, self->fonts[font]);
  pango_layout_set_text (layout, text, len);
  if (wrap > 0)
    {
      pango_layout_set_width (layout, (int) (wrap * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  g_hash_table_insert (self->layouts, g_steal_pointer (&key), layout);
  return layout;
}

void
hl_sequence_painter_measure (HlSequenceFont  font,
                             const char     *text,
                             double          wrap_width,
                             double         *width,
                             double         *height,
                             gpointer        user_data)
{
  HlSequencePainter *self = user_data;
  PangoRectangle logical;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail ((guint) font < HL_SEQUENCE_N_FONTS);

  pango_layout_get_extents (get_layout (self, font, text, -1, wrap_width), NULL, &logical);
  *width = ceil ((double) logical.width / PANGO_SCALE);
  *height = ceil ((double) logical.height / PANGO_SCALE);
}

/* Colour and text */

static void
set_color (HlSequencePainter *self, cairo_t *cr, HlSequenceColor color, double alpha)
{
  const GdkRGBA *c = &self->palette.colors[color];

  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha * self->alpha);
}

static void
show_text (HlSequencePainter    *self,
           cairo_t              *cr,
           HlSequenceFont        font,
           const char           *text,
           gsize                 len,
           double                wrap,
           double                x,
           double                y,
           HlSequenceColor       color,
           double                alpha)
{
  if (text == NULL || len == 0)
    return;
  set_color (self, cr, color, alpha);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, get_layout (self, font, text, len, wrap));
}

/* The text of @item in its rectangle: the emphasised part in @color, the rest dimmed. */
static void
show_item_text (HlSequencePainter    *self,
                cairo_t              *cr,
                const HlSequenceItem *item,
                double                wrap,
                HlSequenceColor       color,
                double                alpha)
{
  gsize len, emph;

  if (item->text == NULL)
    return;
  len = strlen (item->text);
  emph = MIN (item->text_emphasis, len);
  show_text (self, cr, item->text_font, item->text, emph, wrap, item->text_rect.x,
             item->text_rect.y, color, alpha);
  if (emph < len)
    {
      PangoRectangle logical;

      pango_layout_get_extents (get_layout (self, item->text_font, item->text, emph, wrap), NULL,
                                &logical);
      show_text (self, cr, item->text_font, item->text + emph, len - emph, wrap,
                 item->text_rect.x + (double) logical.width / PANGO_SCALE, item->text_rect.y,
                 HL_SEQUENCE_COLOR_DIM, alpha);
    }
}

/* Shapes and icons */

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_lock (HlSequencePainter *self, cairo_t *cr, double x, double cy, double size,
           HlSequenceColor color, gboolean open)
{
  double body_h = size * 0.62, body_y = cy - body_h / 2 + size * 0.2;
  double r = size * 0.3;

  set_color (self, cr, color, 1);
  cairo_set_line_width (cr, size * 0.15);
  cairo_new_path (cr);
  cairo_arc (cr, x + size / 2 + (open ? size * 0.35 : 0), body_y - r * 0.15, r, G_PI, 0);
  if (!open)
    cairo_line_to (cr, x + size / 2 + r, body_y);
  cairo_move_to (cr, x + size / 2 - r + (open ? size * 0.35 : 0), body_y - r * 0.15);
  cairo_line_to (cr, x + size / 2 - r + (open ? size * 0.35 : 0), body_y);
  cairo_stroke (cr);
  rounded_rect (cr, x, body_y, size, body_h, size * 0.12);
  cairo_fill (cr);
}

static void
draw_key (HlSequencePainter *self, cairo_t *cr, double x, double cy, double size,
          HlSequenceColor color)
{
  double r = size * 0.26;

  set_color (self, cr, color, 1);
  cairo_set_line_width (cr, size * 0.14);
  cairo_new_path (cr);
  cairo_arc (cr, x + r + 1, cy, r, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_move_to (cr, x + 2 * r + 1, cy);
  cairo_line_to (cr, x + size, cy);
  cairo_move_to (cr, x + size * 0.78, cy);
  cairo_line_to (cr, x + size * 0.78, cy + size * 0.24);
  cairo_move_to (cr, x + size * 0.95, cy);
  cairo_line_to (cr, x + size * 0.95, cy + size * 0.2);
  cairo_stroke (cr);
}

static void
draw_check (HlSequencePainter *self, cairo_t *cr, const HlSequenceRect *r, gboolean ok)
{
  double cx = r->x + r->width / 2, cy = r->y + r->height / 2, d = r->width;

  set_color (self, cr, ok ? HL_SEQUENCE_COLOR_OK : HL_SEQUENCE_COLOR_FAILED, 1);
  cairo_new_path (cr);
  cairo_arc (cr, cx, cy, d / 2, 0, 2 * G_PI);
  cairo_fill (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_ON_COLOR, 1);
  cairo_set_line_width (cr, d * 0.13);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (ok)
    {
      cairo_move_to (cr, cx - d * 0.22, cy + d * 0.02);
      cairo_line_to (cr, cx - d * 0.06, cy + d * 0.18);
      cairo_line_to (cr, cx + d * 0.24, cy - d * 0.16);
    }
  else
    {
      cairo_move_to (cr, cx - d * 0.17, cy - d * 0.17);
      cairo_line_to (cr, cx + d * 0.17, cy + d * 0.17);
      cairo_move_to (cr, cx + d * 0.17, cy - d * 0.17);
      cairo_line_to (cr, cx - d * 0.17, cy + d * 0.17);
    }
  cairo_stroke (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
}

/* The packet travelling along an arrow: an envelope, sealed with a lock when encrypted. */
static void
draw_envelope (HlSequencePainter *self, cairo_t *cr, double cx, double cy,
               HlSequenceColor color, gboolean locked)
{
  double w = 26, h = 18, x = cx - w / 2, y = cy - h / 2;

  set_color (self, cr, HL_SEQUENCE_COLOR_CARD, 1);
  rounded_rect (cr, x, y, w, h, 3);
  cairo_fill_preserve (cr);
  set_color (self, cr, color, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, x + 2, y + 2);
  cairo_line_to (cr, cx, cy + 2);
  cairo_line_to (cr, x + w - 2, y + 2);
  cairo_stroke (cr);
  if (locked)
    {
      set_color (self, cr, HL_SEQUENCE_COLOR_CARD, 1);
      cairo_new_path (cr);
      cairo_arc (cr, x + w, y + h, 9, 0, 2 * G_PI);
      cairo_fill (cr);
      draw_lock (self, cr, x + w - 6, y + h, 12, HL_SEQUENCE_COLOR_PROTECTED, FALSE);
    }
}

static void
draw_pill (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item,
           HlSequenceColor color)
{
  const HlSequenceRect *r = &item->number;
  double tw, th;

  if (item->number_text == NULL || r->width <= 0)
    return;
  set_color (self, cr, color, 1);
  rounded_rect (cr, r->x, r->y, r->width, r->height, r->height / 2);
  cairo_fill (cr);
  hl_sequence_painter_measure (HL_SEQUENCE_FONT_NUMBER, item->number_text, -1, &tw, &th, self);
  show_text (self, cr, HL_SEQUENCE_FONT_NUMBER, item->number_text, strlen (item->number_text),
             -1, r->x + (r->width - tw) / 2, r->y + (r->height - th) / 2,
             HL_SEQUENCE_COLOR_ON_COLOR, 1);
}

static HlSequenceColor
side_color (HlSide side)
{
  switch (side)
    {
    case HL_SIDE_SERVER: return HL_SEQUENCE_COLOR_SERVER;
    case HL_SIDE_CA: return HL_SEQUENCE_COLOR_CA;
    case HL_SIDE_ATTACKER: return HL_SEQUENCE_COLOR_ATTACKER;
    case HL_SIDE_CLIENT:
    default: return HL_SEQUENCE_COLOR_CLIENT;
    }
}

static HlSequenceColor
band_color (HlSequencePhase phase, gboolean title)
{
  switch (phase)
    {
    case HL_SEQUENCE_PHASE_KEY_EXCHANGE:
      return title ? HL_SEQUENCE_COLOR_KEY_EXCHANGE_TITLE : HL_SEQUENCE_COLOR_KEY_EXCHANGE;
    case HL_SEQUENCE_PHASE_SYMMETRIC:
      return title ? HL_SEQUENCE_COLOR_SYMMETRIC_TITLE : HL_SEQUENCE_COLOR_SYMMETRIC;
    case HL_SEQUENCE_PHASE_NEGOTIATION:
    default:
      return title ? HL_SEQUENCE_COLOR_NEGOTIATION_TITLE : HL_SEQUENCE_COLOR_NEGOTIATION;
    }
}

static HlSequenceColor
arrow_color (const HlSequenceItem *item)
{
  if (item->flags & HL_SEQUENCE_FLAG_FATAL)
    return HL_SEQUENCE_COLOR_ALERT;
  if (item->flags & HL_SEQUENCE_FLAG_RECORD)
    return HL_SEQUENCE_COLOR_DIM;
  if (item->flags & HL_SEQUENCE_FLAG_CCS)
    return (item->flags & HL_SEQUENCE_FLAG_COMPAT) ? HL_SEQUENCE_COLOR_DIM
                                                    : HL_SEQUENCE_COLOR_SWITCH;
  if (item->flags & HL_SEQUENCE_FLAG_PROTECTED)
    return HL_SEQUENCE_COLOR_PROTECTED;
  return HL_SEQUENCE_COLOR_PLAIN;
}

/* Backdrop: bands, lifelines, the CA link, separators, groups */

static gboolean
intersects (const HlSequenceRect *r, double y0, double y1)
{
  return r->y < y1 && r->y + r->height > y0;
}

static void
draw_band_strip (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *band)
{
  HlSequenceColor fill = band_color (band->phase, FALSE);
  HlSequenceColor title = band_color (band->phase, TRUE);
  double icon = band->number.width;
  double ix = band->number.x;
  double cy = band->number.y + band->number.height / 2;

  /* opaque, so lifelines pause under the title: each phase reads as its own chapter */
  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 1);
  cairo_rectangle (cr, band->box.x, band->box.y, band->box.width, band->box.height);
  cairo_fill (cr);
  set_color (self, cr, fill, 2.2);
  cairo_rectangle (cr, band->box.x, band->box.y, band->box.width, band->box.height);
  cairo_fill (cr);
  set_color (self, cr, title, 0.7);
  cairo_rectangle (cr, band->box.x, band->box.y, band->box.width, 2);
  cairo_fill (cr);

  if (band->phase == HL_SEQUENCE_PHASE_KEY_EXCHANGE)
    draw_key (self, cr, ix, cy, icon, title);
  else
    draw_lock (self, cr, ix + icon * 0.1, cy, icon * 0.8, title,
               band->phase == HL_SEQUENCE_PHASE_NEGOTIATION);
  show_item_text (self, cr, band, -1, title, 1);
  show_text (self, cr, HL_SEQUENCE_FONT_DETAIL, band->detail, band->detail ? strlen (band->detail)
                                                                           : 0,
             -1, band->detail_rect.x, band->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
}

/* The threat mark: a warning triangle with an exclamation mark, @size high, its right edge at
 * @right and its top at @top (drawn like the symbolic dialog-warning icon). */
static void
draw_threat (HlSequencePainter *self, cairo_t *cr, double right, double top, double size)
{
  double w = size * 1.12, x = right - w;

  cairo_save (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_ATTACKER, 1);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, size * 0.12);
  cairo_move_to (cr, x + w / 2, top);
  cairo_line_to (cr, x + w, top + size);
  cairo_line_to (cr, x, top + size);
  cairo_close_path (cr);
  cairo_fill_preserve (cr);
  cairo_stroke (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_ON_COLOR, 1);
  cairo_rectangle (cr, x + w / 2 - size * 0.06, top + size * 0.32, size * 0.12, size * 0.36);
  cairo_fill (cr);
  cairo_arc (cr, x + w / 2, top + size * 0.82, size * 0.07, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_lifeline (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *line, double y0,
               double y1)
{
  double top = MAX (y0, line->bounds.y), bottom = MIN (y1, line->bounds.y + line->bounds.height);

  if (top >= bottom)
    return;
  cairo_save (cr);
  set_color (self, cr, side_color (line->side), line->side == HL_SIDE_CA ? 0.8 : 0.55);
  cairo_set_line_width (cr, line->side == HL_SIDE_CA ? 2 : 2.5);
  if (line->side == HL_SIDE_CA)
    {
      double dash[] = { 7, 6 };

      /* keep the dash phase fixed in layout space so tiles join seamlessly */
      cairo_set_dash (cr, dash, 2, fmod (top - line->bounds.y, 13));
    }
  else if (line->flags & HL_SEQUENCE_FLAG_THREAT)
    {
      /* the attacker: a heavier, broken line that reads as "not supposed to be here" */
      double dash[] = { 14, 5, 3, 5 };

      set_color (self, cr, side_color (line->side), 0.8);
      cairo_set_line_width (cr, 3);
      cairo_set_dash (cr, dash, 4, fmod (top - line->bounds.y, 27));
    }
  cairo_move_to (cr, line->x1, top);
  cairo_line_to (cr, line->x1, bottom);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_ca_link (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *link)
{
  double dash[] = { 7, 6 };
  double dir = link->x2 > link->x1 ? 1 : -1;

  cairo_save (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_CA, 0.9);
  cairo_set_line_width (cr, 2);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, link->x1, link->y);
  cairo_line_to (cr, link->x2 - dir * 4, link->y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  /* an open arrowhead: a signature, not a message */
  cairo_move_to (cr, link->x2 - dir * HEAD_LENGTH, link->y - HEAD_HALF);
  cairo_line_to (cr, link->x2 - dir * 2, link->y);
  cairo_line_to (cr, link->x2 - dir * HEAD_LENGTH, link->y + HEAD_HALF);
  cairo_stroke (cr);
  /* the seal */
  cairo_new_path (cr);
  cairo_arc (cr, link->x1, link->y, 6, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_restore (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 0.85);
  rounded_rect (cr, link->text_rect.x - 6, link->text_rect.y - 1, link->text_rect.width + 12,
                link->text_rect.height + 2, 4);
  cairo_fill (cr);
  show_item_text (self, cr, link, -1, HL_SEQUENCE_COLOR_CA, 1);
}

static void
draw_separator (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *sep)
{
  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 1);
  cairo_rectangle (cr, sep->box.x, sep->box.y, sep->box.width, sep->box.height);
  cairo_fill (cr);
  set_color (self, cr, HL_SEQUENCE_COLOR_FOREGROUND, 0.35);
  for (int i = 0; i < 2; i++)
    {
      cairo_rectangle (cr, sep->box.x, sep->box.y + i * 4, sep->box.width, 1.5);
      cairo_rectangle (cr, sep->box.x, sep->box.y + sep->box.height - 1.5 - i * 4, sep->box.width,
                       1.5);
    }
  cairo_fill (cr);
  show_item_text (self, cr, sep, -1, HL_SEQUENCE_COLOR_FOREGROUND, 1);
  show_text (self, cr, HL_SEQUENCE_FONT_DETAIL, sep->detail, sep->detail ? strlen (sep->detail) : 0,
             -1, sep->detail_rect.x, sep->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
}

static void
draw_group (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *group)
{
  const HlSequenceRect *b = &group->box;

  if (group->flags & HL_SEQUENCE_FLAG_RECORD)
    {
      double dash[] = { 4, 4 };

      cairo_save (cr);
      set_color (self, cr, HL_SEQUENCE_COLOR_DIM, 0.8);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dash, 2, 0);
      rounded_rect (cr, b->x, b->y, b->width, b->height, CORNER);
      cairo_stroke (cr);
      cairo_restore (cr);
      return;
    }

  set_color (self, cr, side_color (group->side), 0.7);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, b->x, b->y + 1);
  cairo_line_to (cr, b->x + b->width, b->y + 1);
  cairo_line_to (cr, b->x + b->width, b->y + b->height - 1);
  cairo_line_to (cr, b->x, b->y + b->height - 1);
  cairo_stroke (cr);
  show_item_text (self, cr, group, -1, side_color (group->side), 1);
  show_text (self, cr, HL_SEQUENCE_FONT_DETAIL, group->detail,
             group->detail ? strlen (group->detail) : 0, -1, group->detail_rect.x,
             group->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
}

void
hl_sequence_painter_draw_backdrop (HlSequencePainter *self,
                                   cairo_t           *cr,
                                   HlSequenceLayout  *layout,
                                   double             y0,
                                   double             y1)
{
  guint n, first, end;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (layout));

  self->alpha = 1;
  n = hl_sequence_layout_get_n_structural (layout);
  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_BAND && intersects (&item->bounds, y0, y1))
        {
          set_color (self, cr, band_color (item->phase, FALSE), 1);
          cairo_rectangle (cr, item->bounds.x, item->bounds.y, item->bounds.width,
                           item->bounds.height);
          cairo_fill (cr);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_LIFELINE)
        draw_lifeline (self, cr, item, y0, y1);
    }
  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_BAND && intersects (&item->box, y0, y1))
        draw_band_strip (self, cr, item);
      else if (item->kind == HL_SEQUENCE_ITEM_SEPARATOR && intersects (&item->box, y0, y1))
        draw_separator (self, cr, item);
      else if (item->kind == HL_SEQUENCE_ITEM_CA_LINK && intersects (&item->bounds, y0, y1))
        draw_ca_link (self, cr, item);
    }
  hl_sequence_layout_find_groups (layout, y0, y1, &first, &end);
  for (guint i = first; i < end; i++)
    draw_group (self, cr, hl_sequence_layout_get_group (layout, i));
}

/* Steps */

static double
ease_out (double t)
{
  t = CLAMP (t, 0, 1);
  return 1 - (1 - t) * (1 - t) * (1 - t);
}

static void
draw_arrow (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item, double progress)
{
  HlSequenceColor color = arrow_color (item);
  double dir = item->x2 >= item->x1 ? 1 : -1;
  double tip = item->x1 + (item->x2 - item->x1) * progress;
  gboolean arrived = progress >= 1;
  double saved = self->alpha;

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if ((item->flags & HL_SEQUENCE_FLAG_PROTECTED) && !(item->flags & HL_SEQUENCE_FLAG_RECORD))
    {
      /* the protected channel: a tinted pipe under the line */
      set_color (self, cr, color, 0.16);
      cairo_set_line_width (cr, PIPE_WIDTH);
      cairo_move_to (cr, item->x1, item->y);
      cairo_line_to (cr, tip, item->y);
      cairo_stroke (cr);
    }
  set_color (self, cr, color, 1);
  cairo_set_line_width (cr, (item->flags & HL_SEQUENCE_FLAG_RECORD) ? 1.5 : ARROW_WIDTH);
  if (item->flags & (HL_SEQUENCE_FLAG_CCS | HL_SEQUENCE_FLAG_RECORD))
    {
      double dash[] = { 6, 5 };

      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_move_to (cr, item->x1, item->y);
  cairo_line_to (cr, arrived ? item->x2 - dir * HEAD_LENGTH * 0.8 : tip, item->y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_new_path (cr);
  cairo_arc (cr, item->x1, item->y, 4, 0, 2 * G_PI);
  cairo_fill (cr);
  if (arrived)
    {
      cairo_move_to (cr, item->x2, item->y);
      cairo_line_to (cr, item->x2 - dir * HEAD_LENGTH, item->y - HEAD_HALF);
      cairo_line_to (cr, item->x2 - dir * HEAD_LENGTH, item->y + HEAD_HALF);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
  cairo_restore (cr);

  if (!arrived)
    draw_envelope (self, cr, tip, item->y, color, item->flags & HL_SEQUENCE_FLAG_PROTECTED);

  /* the label arrives with the packet's departure */
  self->alpha = saved * ease_out (progress * 3);
  draw_pill (self, cr, item, side_color (item->side));
  if ((item->flags & HL_SEQUENCE_FLAG_PROTECTED) && !(item->flags & HL_SEQUENCE_FLAG_RECORD))
    draw_lock (self, cr, item->text_rect.x - 8 - 12, item->text_rect.y +
               item->text_rect.height / 2, 12, HL_SEQUENCE_COLOR_PROTECTED, FALSE);
  show_item_text (self, cr, item, -1, (item->flags & HL_SEQUENCE_FLAG_FATAL)
                                      ? HL_SEQUENCE_COLOR_ALERT : HL_SEQUENCE_COLOR_FOREGROUND, 1);
  if (item->detail)
    show_text (self, cr, HL_SEQUENCE_FONT_DETAIL, item->detail, strlen (item->detail), -1,
               item->detail_rect.x, item->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
  if (item->flags & HL_SEQUENCE_FLAG_CHECK_FAILED)
    {
      /* a message whose claims do not hold (a record that does not decrypt to it, a trace
       * file contradicted by its bytes): ✗ after its name */
      double d = item->text_rect.height * 0.8;
      HlSequenceRect badge = { item->text_rect.x + item->text_rect.width + 6,
                               item->text_rect.y + (item->text_rect.height - d) / 2, d, d };

      draw_check (self, cr, &badge, FALSE);
    }
  self->alpha = saved;
}

static void
draw_box (HlSequencePainter *self, cairo_t *cr, const HlSequenceItem *item, double progress)
{
  const HlSequenceRect *b = &item->box;
  gboolean failed = item->flags & HL_SEQUENCE_FLAG_CHECK_FAILED;
  HlSequenceColor border = failed ? HL_SEQUENCE_COLOR_FAILED : side_color (item->side);
  double saved = self->alpha;
  double cx = b->x + b->width / 2, cy = b->y + b->height / 2;
  double scale = 0.88 + 0.12 * ease_out (progress);

  self->alpha = saved * ease_out (progress * 1.4);
  cairo_save (cr);

  if (item->flags & HL_SEQUENCE_FLAG_CONSULTS_CA)
    {
      /* a local lookup in the trust store: dotted, never an arrow on the wire */
      double dash[] = { 2, 5 };
      double edge = item->x2 < b->x ? b->x : b->x + b->width;

      if (item->x2 > b->x && item->x2 < b->x + b->width)
        edge = item->x2;
      cairo_save (cr);
      set_color (self, cr, HL_SEQUENCE_COLOR_CA, 1);
      cairo_set_line_width (cr, 2.5);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, edge, item->y);
      cairo_line_to (cr, item->x2, item->y);
      cairo_stroke (cr);
      cairo_restore (cr);
      set_color (self, cr, HL_SEQUENCE_COLOR_CA, 1);
      cairo_move_to (cr, item->x2, item->y - 7);
      cairo_line_to (cr, item->x2 + 7, item->y);
      cairo_line_to (cr, item->x2, item->y + 7);
      cairo_line_to (cr, item->x2 - 7, item->y);
      cairo_close_path (cr);
      cairo_fill (cr);
    }

  cairo_translate (cr, cx, cy);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -cx, -cy);

  set_color (self, cr, HL_SEQUENCE_COLOR_CARD, 1);
  rounded_rect (cr, b->x, b->y, b->width, b->height, CORNER);
  cairo_fill_preserve (cr);
  if (item->kind == HL_SEQUENCE_ITEM_ACTION)
    {
      /* the attacker reading or changing what it relays: the moment of interception */
      gboolean intercept = item->flags & HL_SEQUENCE_FLAG_INTERCEPT;

      set_color (self, cr, border, failed || intercept ? 0.14 : 0.07);
      cairo_fill_preserve (cr);
      set_color (self, cr, border, 0.85);
      cairo_set_line_width (cr, failed || intercept ? 2.5 : 1.5);
      cairo_stroke (cr);
      if (intercept)
        draw_threat (self, cr, b->x + b->width + 22, b->y + (b->height - 16) / 2, 16);
    }
  else
    {
      double dash[] = { 5, 4 };

      set_color (self, cr, HL_SEQUENCE_COLOR_DIM, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  draw_pill (self, cr, item, item->kind == HL_SEQUENCE_ITEM_NOTE && item->side == HL_SIDE_NONE &&
                               (item->flags & HL_SEQUENCE_FLAG_THREAT)
                               ? HL_SEQUENCE_COLOR_ATTACKER : side_color (item->side));
  show_item_text (self, cr, item, item->kind == HL_SEQUENCE_ITEM_NOTE ? HL_SEQUENCE_NOTE_WRAP
                                                                      : HL_SEQUENCE_ACTION_WRAP,
                  failed ? HL_SEQUENCE_COLOR_FAILED : HL_SEQUENCE_COLOR_FOREGROUND, 1);
  if (item->flags & (HL_SEQUENCE_FLAG_CHECK_OK | HL_SEQUENCE_FLAG_CHECK_FAILED))
    draw_check (self, cr, &item->detail_rect, item->flags & HL_SEQUENCE_FLAG_CHECK_OK);

  cairo_restore (cr);
  self->alpha = saved;
}

void
hl_sequence_painter_draw_step (HlSequencePainter   *self,
                               cairo_t             *cr,
                               HlSequenceLayout    *layout,
                               guint                step,
                               HlSequenceStepState  state,
                               double               progress)
{
  const HlSequenceItem *item;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (layout));

  item = hl_sequence_layout_get_step (layout, step);
  g_return_if_fail (item != NULL);
  self->alpha = state == HL_SEQUENCE_STEP_FUTURE ? GHOST_ALPHA : 1;
  if (state != HL_SEQUENCE_STEP_CURRENT)
    progress = 1;
  progress = CLAMP (progress, 0, 1);
  if (item->kind == HL_SEQUENCE_ITEM_ARROW)
    draw_arrow (self, cr, item, progress);
  else
    draw_box (self, cr, item, progress);
  self->alpha = 1;
}

void
hl_sequence_painter_draw_steps (HlSequencePainter *self,
                                cairo_t           *cr,
                                HlSequenceLayout  *layout,
                                double             y0,
                                double             y1,
                                int                current,
                                gboolean           include_current)
{
  guint first, end;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (layout));

  hl_sequence_layout_find_steps (layout, y0, y1, &first, &end);
  for (guint s = first; s < end; s++)
    {
      if ((int) s == current && !include_current)
        continue;
      hl_sequence_painter_draw_step (self, cr, layout, s,
                                     (int) s <= current ? HL_SEQUENCE_STEP_SHOWN
                                                        : HL_SEQUENCE_STEP_FUTURE, 1);
    }
}

void
hl_sequence_painter_draw_highlight (HlSequencePainter *self,
                                    cairo_t           *cr,
                                    HlSequenceLayout  *layout,
                                    guint              step,
                                    gboolean           current)
{
  const HlSequenceItem *item;
  const HlSequenceRect *r;

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));

  item = hl_sequence_layout_get_step (layout, step);
  g_return_if_fail (item != NULL);
  r = &item->bounds;
  self->alpha = 1;
  set_color (self, cr, current ? HL_SEQUENCE_COLOR_CURRENT : HL_SEQUENCE_COLOR_HOVER, 1);
  rounded_rect (cr, r->x + 6, r->y + 1, r->width - 12, r->height - 2, 6);
  cairo_fill (cr);
  if (current)
    {
      set_color (self, cr, HL_SEQUENCE_COLOR_ACCENT, 1);
      rounded_rect (cr, r->x + 6, r->y + 1, 5, r->height - 2, 2.5);
      cairo_fill (cr);
    }
}

void
hl_sequence_painter_draw_band_title (HlSequencePainter    *self,
                                     cairo_t              *cr,
                                     const HlSequenceItem *band,
                                     double                y)
{
  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));
  g_return_if_fail (band != NULL && band->kind == HL_SEQUENCE_ITEM_BAND);

  self->alpha = 1;
  cairo_save (cr);
  cairo_translate (cr, 0, y - band->box.y);
  draw_band_strip (self, cr, band);
  /* a hairline under it: it floats over the rows */
  set_color (self, cr, HL_SEQUENCE_COLOR_BORDER, 1);
  cairo_rectangle (cr, band->box.x, band->box.y + band->box.height - 1, band->box.width, 1);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* Headers */

void
hl_sequence_painter_draw_headers (HlSequencePainter *self,
                                  cairo_t           *cr,
                                  HlSequenceLayout  *layout,
                                  gboolean           shadow)
{
  double width, height = hl_sequence_layout_get_header_height (layout);
  guint n = hl_sequence_layout_get_n_structural (layout);

  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));

  self->alpha = 1;
  hl_sequence_layout_get_size (layout, &width, NULL);
  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  if (shadow)
    {
      cairo_pattern_t *p = cairo_pattern_create_linear (0, height, 0, height + 10);

      cairo_pattern_add_color_stop_rgba (p, 0, 0, 0, 0, 0.14);
      cairo_pattern_add_color_stop_rgba (p, 1, 0, 0, 0, 0);
      cairo_set_source (cr, p);
      cairo_rectangle (cr, 0, height, width, 10);
      cairo_fill (cr);
      cairo_pattern_destroy (p);
    }
  set_color (self, cr, HL_SEQUENCE_COLOR_BORDER, 1);
  cairo_rectangle (cr, 0, height - 1, width, 1);
  cairo_fill (cr);

  for (guint i = 0; i < n; i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);
      HlSequenceColor color;
      const HlSequenceRect *b;

      if (item->kind == HL_SEQUENCE_ITEM_LIFELINE)
        {
          /* the stub that joins each card to its lifeline */
          set_color (self, cr, side_color (item->side), 0.55);
          cairo_rectangle (cr, item->x1 - 1.25, item->bounds.y - 14, 2.5, 14 + 1);
          cairo_fill (cr);
        }
      if (item->kind != HL_SEQUENCE_ITEM_HEADER)
        continue;
      color = side_color (item->side);
      b = &item->box;
      set_color (self, cr, HL_SEQUENCE_COLOR_CARD, 1);
      rounded_rect (cr, b->x, b->y, b->width, b->height, 12);
      cairo_fill_preserve (cr);
      set_color (self, cr, color, 0.10);
      cairo_fill_preserve (cr);
      set_color (self, cr, color, 1);
      cairo_set_line_width (cr, 2);
      if (item->side == HL_SIDE_CA)
        {
          double dash[] = { 6, 4 };

          cairo_set_dash (cr, dash, 2, 0);
        }
      if (item->flags & HL_SEQUENCE_FLAG_THREAT)
        {
          double dash[] = { 10, 4, 3, 4 };

          cairo_set_line_width (cr, 3);
          cairo_set_dash (cr, dash, 4, 0);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      if (item->flags & HL_SEQUENCE_FLAG_THREAT)
        draw_threat (self, cr, item->text_rect.x - 6, item->text_rect.y +
                     item->text_rect.height * 0.08, item->text_rect.height * 0.84);
      show_item_text (self, cr, item, -1, color, 1);
      show_text (self, cr, HL_SEQUENCE_FONT_SUBTITLE, item->detail, strlen (item->detail), -1,
                 item->detail_rect.x, item->detail_rect.y, HL_SEQUENCE_COLOR_DIM, 1);
    }
}

void
hl_sequence_painter_draw_all (HlSequencePainter *self,
                              cairo_t           *cr,
                              HlSequenceLayout  *layout,
                              double             y0,
                              double             y1,
                              int                current)
{
  g_return_if_fail (HL_IS_SEQUENCE_PAINTER (self));

  set_color (self, cr, HL_SEQUENCE_COLOR_BACKGROUND, 1);
  cairo_paint (cr);
  hl_sequence_painter_draw_backdrop (self, cr, layout, y0, y1);
  if (current >= 0 && (guint) current < hl_sequence_layout_get_n_steps (layout))
    hl_sequence_painter_draw_highlight (self, cr, layout, current, TRUE);
  hl_sequence_painter_draw_steps (self, cr, layout, y0, y1, current, TRUE);
  if (y0 < hl_sequence_layout_get_header_height (layout))
    hl_sequence_painter_draw_headers (self, cr, layout, FALSE);
}
