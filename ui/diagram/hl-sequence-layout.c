/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-layout"
#include "config.h"


#include "hl-sequence-layout.h"
#include "hl-sequence-layout-private.h"

/* HlSequenceLayout maps a trace to positioned items and answers hit-tests; it never draws
 * (HlSequencePainter does). Its parts: this file (the object, its properties, the queries),
 * hl-sequence-layout-steps.c (what each event becomes: classification, text, size) and
 * hl-sequence-layout-place.c (horizontal and vertical layout). hl-sequence-layout-private.h
 * holds the metrics and the struct they share. Everything is in layout units: logical pixels
 * at zoom 1. */

G_DEFINE_FINAL_TYPE (HlSequenceLayout, hl_sequence_layout, G_TYPE_OBJECT)

static void
clear_item (gpointer data)
{
  HlSequenceItem *item = data;

  g_free (item->number_text);
  g_free (item->text);
  g_free (item->detail);
}

void
hl_layout_reset (HlSequenceLayout *self)
{
  g_array_set_size (self->steps, 0);
  g_array_set_size (self->groups, 0);
  g_array_set_size (self->structural, 0);
  g_hash_table_remove_all (self->event_steps);
  self->natural_width = self->total_width = self->total_height = self->header_height = 0;
  self->max_group_height = 0;
}

static void
hl_sequence_layout_finalize (GObject *object)
{
  HlSequenceLayout *self = HL_SEQUENCE_LAYOUT (object);

  g_clear_object (&self->trace);
  g_array_unref (self->steps);
  g_array_unref (self->groups);
  g_array_unref (self->structural);
  g_hash_table_unref (self->event_steps);
  if (self->measure_destroy)
    self->measure_destroy (self->measure_data);
  G_OBJECT_CLASS (hl_sequence_layout_parent_class)->finalize (object);
}

static void
hl_sequence_layout_class_init (HlSequenceLayoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_sequence_layout_finalize;
}

static void
hl_sequence_layout_init (HlSequenceLayout *self)
{
  self->steps = g_array_new (FALSE, TRUE, sizeof (HlSequenceItem));
  self->groups = g_array_new (FALSE, TRUE, sizeof (HlSequenceItem));
  self->structural = g_array_new (FALSE, TRUE, sizeof (HlSequenceItem));
  g_array_set_clear_func (self->steps, clear_item);
  g_array_set_clear_func (self->groups, clear_item);
  g_array_set_clear_func (self->structural, clear_item);
  self->event_steps = g_hash_table_new (NULL, NULL);
  self->dirty = TRUE;
}

/**
 * hl_sequence_layout_new:
 * @measure: measures text in layout units (see #HlSequenceMeasureFunc)
 *
 * Returns: (transfer full): a layout with no trace
 */
HlSequenceLayout *
hl_sequence_layout_new (HlSequenceMeasureFunc measure,
                        gpointer              user_data,
                        GDestroyNotify        destroy)
{
  HlSequenceLayout *self;

  g_return_val_if_fail (measure != NULL, NULL);

  self = g_object_new (HL_TYPE_SEQUENCE_LAYOUT, NULL);
  self->measure = measure;
  self->measure_data = user_data;
  self->measure_destroy = destroy;
  return self;
}

void
hl_sequence_layout_set_trace (HlSequenceLayout *self, HlTrace *trace)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));

  if (g_set_object (&self->trace, trace))
    self->dirty = TRUE;
}

HlTrace *
hl_sequence_layout_get_trace (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  return self->trace;
}

void
hl_sequence_layout_set_show_records (HlSequenceLayout *self, gboolean show_records)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));

  show_records = !!show_records;
  if (self->show_records != show_records)
    {
      self->show_records = show_records;
      self->dirty = TRUE;
    }
}

gboolean
hl_sequence_layout_get_show_records (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), FALSE);
  return self->show_records;
}

void
hl_sequence_layout_set_width (HlSequenceLayout *self, double width)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));

  if (self->width != width)
    {
      self->width = width;
      self->dirty = TRUE;
    }
}

void
hl_sequence_layout_invalidate (HlSequenceLayout *self)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  self->dirty = TRUE;
}

static void
ensure (HlSequenceLayout *self)
{
  if (self->dirty)
    hl_layout_run (self);
}

/* Queries */

double
hl_sequence_layout_get_natural_width (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->natural_width;
}

void
hl_sequence_layout_get_size (HlSequenceLayout *self, double *width, double *height)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  ensure (self);
  if (width)
    *width = self->total_width;
  if (height)
    *height = self->total_height;
}

double
hl_sequence_layout_get_header_height (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->header_height;
}

guint
hl_sequence_layout_get_n_steps (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->steps->len;
}

const HlSequenceItem *
hl_sequence_layout_get_step (HlSequenceLayout *self, guint step)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  ensure (self);
  g_return_val_if_fail (step < self->steps->len, NULL);
  return &g_array_index (self->steps, HlSequenceItem, step);
}

int
hl_sequence_layout_find_step (HlSequenceLayout *self, guint event_index)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), -1);
  ensure (self);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->event_steps,
                                               GUINT_TO_POINTER (event_index))) - 1;
}

/* First item of @array (sorted by bounds.y, not overlapping) whose bottom is below @y. */
static guint
bisect (GArray *array, double y)
{
  guint lo = 0, hi = array->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const HlSequenceItem *item = &g_array_index (array, HlSequenceItem, mid);

      if (item->bounds.y + item->bounds.height <= y)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
find_range (GArray *array, double y0, double y1, guint *first, guint *end)
{
  guint a = bisect (array, y0), b = a;

  while (b < array->len && g_array_index (array, HlSequenceItem, b).bounds.y < y1)
    b++;
  *first = a;
  *end = b;
}

void
hl_sequence_layout_find_steps (HlSequenceLayout *self,
                               double            y0,
                               double            y1,
                               guint            *first,
                               guint            *end)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  g_return_if_fail (first != NULL && end != NULL);
  ensure (self);
  find_range (self->steps, y0, y1, first, end);
}

guint
hl_sequence_layout_get_n_groups (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->groups->len;
}

const HlSequenceItem *
hl_sequence_layout_get_group (HlSequenceLayout *self, guint index)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  ensure (self);
  g_return_val_if_fail (index < self->groups->len, NULL);
  return &g_array_index (self->groups, HlSequenceItem, index);
}

void
hl_sequence_layout_find_groups (HlSequenceLayout *self,
                                double            y0,
                                double            y1,
                                guint            *first,
                                guint            *end)
{
  guint lo = 0, hi;

  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  g_return_if_fail (first != NULL && end != NULL);
  ensure (self);

  /* Groups are sorted by their top; a record frame may sit inside a flight's bracket, so
   * start from the first group that could still reach y0. */
  hi = self->groups->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->groups, HlSequenceItem, mid).bounds.y < y0 - self->max_group_height)
        lo = mid + 1;
      else
        hi = mid;
    }
  while (lo < self->groups->len)
    {
      const HlSequenceItem *g = &g_array_index (self->groups, HlSequenceItem, lo);

      if (g->bounds.y + g->bounds.height > y0 || g->bounds.y >= y1)
        break;
      lo++;
    }
  hi = lo;
  while (hi < self->groups->len && g_array_index (self->groups, HlSequenceItem, hi).bounds.y < y1)
    hi++;
  *first = lo;
  *end = hi;
}

guint
hl_sequence_layout_get_n_structural (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->structural->len;
}

const HlSequenceItem *
hl_sequence_layout_get_structural (HlSequenceLayout *self, guint index)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  ensure (self);
  g_return_val_if_fail (index < self->structural->len, NULL);
  return &g_array_index (self->structural, HlSequenceItem, index);
}

static gboolean
contains (const HlSequenceRect *r, double x, double y)
{
  return x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height;
}

const HlSequenceItem *
hl_sequence_layout_lookup (HlSequenceLayout *self, double x, double y)
{
  guint first, end;

  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  ensure (self);

  if (x < 0 || x >= self->total_width || y < 0 || y >= self->total_height)
    return NULL;
  find_range (self->steps, y, y + 0.001, &first, &end);
  if (first < end)
    {
      const HlSequenceItem *step = &g_array_index (self->steps, HlSequenceItem, first);

      if (contains (&step->bounds, x, y))
        return step;
    }
  hl_sequence_layout_find_groups (self, y, y + 0.001, &first, &end);
  for (guint i = first; i < end; i++)
    {
      const HlSequenceItem *g = &g_array_index (self->groups, HlSequenceItem, i);

      if (!(g->flags & HL_SEQUENCE_FLAG_RECORD) && contains (&g->bounds, x, y))
        return g;
    }
  for (guint i = 0; i < self->structural->len; i++)
    {
      const HlSequenceItem *item = &g_array_index (self->structural, HlSequenceItem, i);

      if ((item->kind == HL_SEQUENCE_ITEM_HEADER || item->kind == HL_SEQUENCE_ITEM_BAND ||
           item->kind == HL_SEQUENCE_ITEM_SEPARATOR) && contains (&item->bounds, x, y))
        return item;
    }
  return NULL;
}
