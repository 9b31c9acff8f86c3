/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-painter"
#include "config.h"

#include <math.h>
#include <string.h>

#include "hl-sequence-painter.h"
#include "hl-sequence-painter-private.h"

/* HlSequencePainter draws what HlSequenceLayout placed, with Cairo and Pango only (no widget),
 * so the same code serves the view, exports and benchmarks. Its parts: this file (palette, the
 * object, fonts and text), hl-sequence-painter-shapes.c (shapes, icons, colours),
 * hl-sequence-painter-backdrop.c (bands, lifelines, groups, headers) and
 * hl-sequence-painter-steps.c (arrows, boxes, highlight). */

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

void
hl_painter_show_text (HlSequencePainter    *self,
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
void
hl_painter_show_item_text (HlSequencePainter    *self,
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
  hl_painter_show_text (self, cr, item->text_font, item->text, emph, wrap, item->text_rect.x,
                        item->text_rect.y, color, alpha);
  if (emph < len)
    {
      PangoRectangle logical;

      pango_layout_get_extents (get_layout (self, item->text_font, item->text, emph, wrap), NULL,
                                &logical);
      hl_painter_show_text (self, cr, item->text_font, item->text + emph, len - emph, wrap,
                            item->text_rect.x + (double) logical.width / PANGO_SCALE,
                            item->text_rect.y, HL_SEQUENCE_COLOR_DIM, alpha);
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
  hl_sequence_painter_draw_backdrop (self, cr, layout, y0, y1, FALSE);
  if (current >= 0 && (guint) current < hl_sequence_layout_get_n_steps (layout))
    hl_sequence_painter_draw_highlight (self, cr, layout, current, TRUE);
  hl_sequence_painter_draw_steps (self, cr, layout, y0, y1, current, TRUE);
  if (y0 < hl_sequence_layout_get_header_height (layout))
    hl_sequence_painter_draw_headers (self, cr, layout, FALSE);
}
