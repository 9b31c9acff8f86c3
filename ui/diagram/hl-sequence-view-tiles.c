/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-view"
#include "config.h"

#include <math.h>
#include <adwaita.h>

#include "hl-sequence-painter.h"
#include "hl-sequence-view-private.h"
#include "hl-sequence-view.h"

/* The sequence view's cache of its static drawing: tiles, the header and the highlighted rows,
 * and when they are dropped. hl-sequence-view.c snapshots them. */

/* The static drawing. A GskCairoNode keeps its drawing as a cairo recording that the Cairo
 * renderer plays back on every frame (each glyph and path of the diagram, every frame); a
 * GdkTexture is far worse there in GTK 4.8 (downloaded and converted every frame: 8-15 ms for
 * three 1920x512 tiles against 1 ms as cairo nodes, measured). So a tile seen in a second frame
 * becomes an image, at the zoom and the monitor's scale, and its node records one paint of
 * that image: from then on a frame copies pixels. A tile's first frame plays its recording
 * once instead, which costs less than making the image (a window's first frame, a screenshot,
 * the frame right after a step or a resize). The image is that recording played back, not a
 * second drawing: the same pixels as the first frame (drawn again at another offset, a few
 * pixels came out different, text most). The image stays alive beside its node, so cairo
 * never copies it for the recording's snapshot. The header and the highlighted rows (current,
 * hovered) are tiles of their own.
 *
 * Even a node holding one paint of an image is not free: cairo 1.16 plays a recording into a
 * new cleared image the size of its visible part, then blends that onto the frame (a clear, a
 * copy and a blend per pixel), and nothing lets a GskCairoNode skip it. So nothing is painted
 * under the tiles, and they fill their bands opaque (hl_sequence_painter_draw_backdrop()). */
struct _HlSeqTile
{
  GskRenderNode   *node;
  cairo_surface_t *image;   /* NULL: still the recording of the drawing */
  guint            frame;   /* the snapshot it was made in */
};

/* A tile's image is a few MiB of pixels, dropped and made again as the playhead moves. Freed,
 * its memory goes back to the system and the next one pays a page fault per 4 KiB of fresh
 * memory (measured: 11–17 ms of a tile's 13–19 ms in a VM). So the images of dropped tiles
 * wait here, a few of them, for the next tile of their size. Main thread only. */
#define MAX_SPARE_IMAGES 6

static GQueue spare_images = G_QUEUE_INIT;

static void
spare_image (cairo_surface_t *image)
{
  /* still referenced (the recording of a node someone keeps): not ours to reuse */
  if (cairo_surface_get_reference_count (image) != 1)
    {
      cairo_surface_destroy (image);
      return;
    }
  g_queue_push_head (&spare_images, image);
  if (g_queue_get_length (&spare_images) > MAX_SPARE_IMAGES)
    cairo_surface_destroy (g_queue_pop_tail (&spare_images));
}

static cairo_surface_t *
image_new (cairo_format_t format, int width, int height)
{
  for (GList *l = spare_images.head; l; l = l->next)
    {
      cairo_surface_t *image = l->data;

      if (cairo_image_surface_get_format (image) == format &&
          cairo_image_surface_get_width (image) == width &&
          cairo_image_surface_get_height (image) == height)
        {
          g_queue_delete_link (&spare_images, l);
          return image;
        }
    }
  return cairo_image_surface_create (format, width, height);
}

void
hl_seqview_tile_free (HlSeqTile *tile)
{
  gsk_render_node_unref (tile->node);
  if (tile->image)
    spare_image (g_steal_pointer (&tile->image));
  g_free (tile);
}

/* Whether @tile is there and is what this frame should draw. */
static gboolean
tile_ready (HlSequenceView *self, HlSeqTile *tile)
{
  return tile != NULL && (tile->image != NULL || tile->frame == self->frame);
}

void
hl_sequence_view_invalidate (HlSequenceView *self)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  g_hash_table_remove_all (self->tiles);
  g_clear_pointer (&self->header, hl_seqview_tile_free);
  g_clear_pointer (&self->current_row, hl_seqview_tile_free);
  g_clear_pointer (&self->hover_row, hl_seqview_tile_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Drops the tiles holding the rows of steps @a … @b (either order, -1 for none). */
void
hl_seqview_invalidate_steps (HlSequenceView *self, int a, int b)
{
  guint n = hl_sequence_layout_get_n_steps (self->layout);
  const HlSequenceItem *first, *last;
  int lo = MAX (0, MIN (a, b)), hi = MIN ((int) n - 1, MAX (a, b));

  if (n == 0 || hi < lo)
    return;
  first = hl_sequence_layout_get_step (self->layout, lo);
  last = hl_sequence_layout_get_step (self->layout, hi);
  for (int t = (int) floor (first->bounds.y * self->zoom / TILE_HEIGHT);
       t <= (int) floor ((last->bounds.y + last->bounds.height) * self->zoom / TILE_HEIGHT); t++)
    g_hash_table_remove (self->tiles, GINT_TO_POINTER (t));
}

/* A new tile at @bounds, in widget pixels before scrolling: a recording. @opaque: filled with
 * the background first, so its image will need no alpha and the renderer copies it instead of
 * blending it. Returns the context to draw on, in widget pixels. */
static cairo_t *
tile_begin (HlSequenceView *self, const graphene_rect_t *bounds, gboolean opaque,
            HlSeqTile **tile_out)
{
  HlSeqTile *tile = g_new0 (HlSeqTile, 1);
  cairo_t *cr;

  tile->frame = self->frame;
  tile->node = gsk_cairo_node_new (bounds);
  cr = gsk_cairo_node_get_draw_context (tile->node);
  if (opaque)
    {
      const HlSequencePalette *palette = hl_sequence_painter_get_palette (self->painter);

      gdk_cairo_set_source_rgba (cr, &palette->colors[HL_SEQUENCE_COLOR_BACKGROUND]);
      cairo_rectangle (cr, bounds->origin.x, bounds->origin.y, bounds->size.width,
                       bounds->size.height);
      cairo_fill (cr);
    }
  *tile_out = tile;
  return cr;
}

/* A tile seen again, still the recording of an earlier frame, becomes an image: the recording
 * played back into it as the renderer plays it back (so the very pixels of that frame, which
 * drawing again at an offset would not quite give: paths are kept to 1/256 of a pixel), and a
 * node that paints the image. @opaque as for tile_begin(). */
static void
tile_rasterize (HlSequenceView *self, HlSeqTile *tile, gboolean opaque)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  GskRenderNode *recorded = tile->node;
  graphene_rect_t bounds;
  cairo_t *cr;

  gsk_render_node_get_bounds (recorded, &bounds);
  tile->image = image_new (opaque ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32,
                           (int) ceilf (bounds.size.width) * scale,
                           (int) ceilf (bounds.size.height) * scale);
  cairo_surface_set_device_scale (tile->image, scale, scale);
  cr = cairo_create (tile->image);
  /* a reused image holds an older drawing; the opaque recordings cover it all */
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_surface (cr, gsk_cairo_node_get_surface (recorded), -bounds.origin.x,
                            -bounds.origin.y);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (tile->image);

  tile->node = gsk_cairo_node_new (&bounds);
  tile->frame = self->frame;
  cr = gsk_cairo_node_get_draw_context (tile->node);
  cairo_set_source_surface (cr, tile->image, bounds.origin.x, bounds.origin.y);
  cairo_paint (cr);
  cairo_destroy (cr);
  gsk_render_node_unref (recorded);
}

/* How wide the tiles are, in widget pixels: the diagram at the zoom, to a whole pixel. */
double
hl_seqview_tiles_width (HlSequenceView *self)
{
  double width;

  hl_sequence_layout_get_size (self->layout, &width, NULL);
  return ceil (width * self->zoom);
}

GskRenderNode *
hl_seqview_ensure_tile (HlSequenceView *self, int t)
{
  HlSeqTile *tile = g_hash_table_lookup (self->tiles, GINT_TO_POINTER (t));
  double width, zoom = self->zoom;
  double y0 = (double) t * TILE_HEIGHT / zoom, y1 = (double) (t + 1) * TILE_HEIGHT / zoom;
  graphene_rect_t bounds;
  cairo_t *cr;
  int scale;

  if (tile_ready (self, tile))
    return tile->node;
  if (tile != NULL)   /* seen in an earlier frame: worth an image */
    {
      tile_rasterize (self, tile, TRUE);
      return tile->node;
    }
  /* drawn at the zoom: whole-pixel edges, and nothing to scale when composited */
  hl_sequence_layout_get_size (self->layout, &width, NULL);
  bounds = GRAPHENE_RECT_INIT (0, t * TILE_HEIGHT, hl_seqview_tiles_width (self), TILE_HEIGHT);
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  if ((g_hash_table_size (self->tiles) + 1) * bounds.size.width * TILE_HEIGHT * 4 * scale * scale >
      TILE_BYTES)
    g_hash_table_remove_all (self->tiles);
  cr = tile_begin (self, &bounds, TRUE, &tile);
  cairo_scale (cr, zoom, zoom);
  /* a recording has no edges of its own */
  cairo_rectangle (cr, 0, y0, width, y1 - y0);
  cairo_clip (cr);
  hl_sequence_painter_draw_backdrop (self->painter, cr, self->layout, y0, y1, TRUE);
  hl_sequence_painter_draw_steps (self->painter, cr, self->layout, y0, y1, current_step (self),
                                  FALSE);
  cairo_destroy (cr);
  g_hash_table_insert (self->tiles, GINT_TO_POINTER (t), tile);
  return tile->node;
}

/* The headers at the zoom, in widget pixels (their shadow is translucent). */
GskRenderNode *
hl_seqview_ensure_header (HlSequenceView *self, gboolean shadow)
{
  double width, height, zoom = self->zoom;
  graphene_rect_t bounds;
  cairo_t *cr;

  if (self->header != NULL && self->header_shadow == shadow)
    {
      if (!tile_ready (self, self->header))
        tile_rasterize (self, self->header, FALSE);
      return self->header->node;
    }
  g_clear_pointer (&self->header, hl_seqview_tile_free);
  hl_sequence_layout_get_size (self->layout, &width, NULL);
  height = hl_sequence_layout_get_header_height (self->layout) + 12;
  bounds = GRAPHENE_RECT_INIT (0, 0, ceil (width * zoom), ceil (height * zoom));
  cr = tile_begin (self, &bounds, FALSE, &self->header);
  cairo_scale (cr, zoom, zoom);
  hl_sequence_painter_draw_headers (self->painter, cr, self->layout, shadow);
  cairo_destroy (cr);
  self->header_shadow = shadow;
  return self->header->node;
}

void
hl_seqview_draw_row (HlSequenceView *self,
                     cairo_t        *cr,
                     int             step,
                     gboolean        current,
                     double          progress)
{
  hl_sequence_painter_draw_highlight (self->painter, cr, self->layout, step, current);
  if (current)
    hl_sequence_painter_draw_step (self->painter, cr, self->layout, step,
                                   HL_SEQUENCE_STEP_CURRENT, progress);
}

/* The highlight of @step's row, and the step on top of it when @current (settled: its
 * animation done), in widget pixels before scrolling. A tile of its own, kept in @row while it
 * shows the same step, instead of being drawn again over the tiles every frame. Drawn at the
 * zoom as a float, as gtk_snapshot_append_cairo() under gtk_snapshot_scale() drew it before it
 * was kept: in double precision a few pixels would come out one step different. */
GskRenderNode *
hl_seqview_ensure_row (HlSequenceView *self,
                       HlSeqTile     **row,
                       int            *row_step,
                       int             step,
                       gboolean        current)
{
  const HlSequenceItem *item = hl_sequence_layout_get_step (self->layout, step);
  float zoom = self->zoom;
  graphene_rect_t bounds;
  cairo_t *cr;

  if (*row != NULL && *row_step == step)
    {
      if (!tile_ready (self, *row))
        tile_rasterize (self, *row, FALSE);
      return (*row)->node;
    }
  g_clear_pointer (row, hl_seqview_tile_free);
  bounds = GRAPHENE_RECT_INIT (floorf (item->bounds.x * zoom), floorf (item->bounds.y * zoom),
                               0, 0);
  bounds.size.width = ceilf ((float) item->bounds.x * zoom + (float) item->bounds.width * zoom) -
                      bounds.origin.x;
  bounds.size.height = ceilf ((float) item->bounds.y * zoom + (float) item->bounds.height * zoom) -
                       bounds.origin.y;
  cr = tile_begin (self, &bounds, FALSE, row);
  cairo_scale (cr, zoom, zoom);
  hl_seqview_draw_row (self, cr, step, current, 1);
  cairo_destroy (cr);
  *row_step = step;
  return (*row)->node;
}
