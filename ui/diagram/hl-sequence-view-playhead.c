/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-view"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hl-sequence-view-private.h"

/* The sequence view, the playhead (see hl-sequence-view-private.h): the current step, moving it
 * with or without animation, playing and holding, the speed. */

/* The playhead */

guint
hl_sequence_view_get_n_steps (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), 0);
  return hl_sequence_layout_get_n_steps (self->layout);
}

guint
hl_sequence_view_get_step (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), 0);
  return self->step;
}

HlEvent *
hl_sequence_view_get_current_event (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), NULL);

  if (self->step == 0 || self->trace == NULL)
    return NULL;
  return hl_trace_get_event (self->trace,
                             hl_sequence_layout_get_step (self->layout,
                                                          current_step (self))->event);
}

gboolean
hl_sequence_view_is_animating (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), FALSE);
  return adw_animation_get_state (self->step_animation) == ADW_ANIMATION_PLAYING;
}

void
hl_seqview_update_accessible (HlSequenceView *self)
{
  HlEvent *event = hl_sequence_view_get_current_event (self);
  g_autofree char *text = NULL;

  if (event)
    text = g_strdup_printf (_("Step %u of %u: %s"), self->step,
                            hl_sequence_layout_get_n_steps (self->layout),
                            hl_event_get_caption (event));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text ? text : "", -1);
}

void
hl_seqview_move_to (HlSequenceView *self, guint step, gboolean animate)
{
  guint n = hl_sequence_layout_get_n_steps (self->layout);
  int old_current = current_step (self);

  step = MIN (step, n);
  adw_animation_reset (self->step_animation);
  if (step != self->step)
    {
      self->step = step;
      hl_seqview_invalidate_steps (self, old_current, current_step (self));
      hl_seqview_update_accessible (self);
      hl_seqview_notify (self, PROP_STEP);
    }
  if (animate && step > 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      const HlSequenceItem *item = hl_sequence_layout_get_step (self->layout, step - 1);
      guint ms = item->kind == HL_SEQUENCE_ITEM_ARROW ? ARROW_MS : ACTION_MS;

      self->position = step - 1;
      adw_timed_animation_set_duration (ADW_TIMED_ANIMATION (self->step_animation),
                                        (guint) (ms / self->speed));
      hl_seqview_ensure_current_visible (self, TRUE);
      adw_animation_play (self->step_animation);
    }
  else
    {
      self->position = step;
      hl_seqview_ensure_current_visible (self, animate);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hl_seqview_set_playing (HlSequenceView *self, gboolean playing)
{
  playing = !!playing;
  if (!playing)
    g_clear_handle_id (&self->hold_source, g_source_remove);
  if (self->playing != playing)
    {
      self->playing = playing;
      hl_seqview_notify (self, PROP_PLAYING);
    }
}

static gboolean
hold_cb (gpointer user_data)
{
  HlSequenceView *self = user_data;

  self->hold_source = 0;
  if (self->step >= hl_sequence_layout_get_n_steps (self->layout))
    hl_seqview_set_playing (self, FALSE);
  else
    hl_seqview_move_to (self, self->step + 1, TRUE);
  return G_SOURCE_REMOVE;
}

static void
schedule_next (HlSequenceView *self)
{
  g_clear_handle_id (&self->hold_source, g_source_remove);
  if (self->step >= hl_sequence_layout_get_n_steps (self->layout))
    {
      hl_seqview_set_playing (self, FALSE);
      return;
    }
  /* time to read the caption before the next step */
  self->hold_source = g_timeout_add ((guint) (HOLD_MS / self->speed), hold_cb, self);
}

void
hl_seqview_step_animation_cb (double value, gpointer user_data)
{
  HlSequenceView *self = user_data;

  if (self->step > 0)
    self->position = self->step - 1 + value;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
hl_seqview_step_animation_done_cb (AdwAnimation *animation, HlSequenceView *self)
{
  self->position = self->step;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->playing)
    schedule_next (self);
}

void
hl_sequence_view_set_step (HlSequenceView *self, guint step)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  hl_seqview_move_to (self, step, FALSE);
  if (self->playing)
    schedule_next (self);
}

void
hl_sequence_view_step_forward (HlSequenceView *self)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  if (hl_sequence_view_is_animating (self))
    {
      adw_animation_skip (self->step_animation);
      return;
    }
  if (self->step < hl_sequence_layout_get_n_steps (self->layout))
    {
      g_clear_handle_id (&self->hold_source, g_source_remove);
      hl_seqview_move_to (self, self->step + 1, TRUE);
    }
}

void
hl_sequence_view_step_backward (HlSequenceView *self)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  if (self->step > 0)
    hl_sequence_view_set_step (self, self->step - 1);
}

void
hl_sequence_view_play (HlSequenceView *self)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  if (hl_sequence_layout_get_n_steps (self->layout) == 0)
    return;
  if (self->step >= hl_sequence_layout_get_n_steps (self->layout))
    hl_seqview_move_to (self, 0, FALSE);
  hl_seqview_set_playing (self, TRUE);
  if (!hl_sequence_view_is_animating (self))
    {
      g_clear_handle_id (&self->hold_source, g_source_remove);
      hl_seqview_move_to (self, self->step + 1, TRUE);
    }
}

void
hl_sequence_view_pause (HlSequenceView *self)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));
  hl_seqview_set_playing (self, FALSE);
}

gboolean
hl_sequence_view_get_playing (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), FALSE);
  return self->playing;
}

void
hl_sequence_view_set_speed (HlSequenceView *self, double speed)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  speed = CLAMP (speed, HL_SEQUENCE_VIEW_MIN_SPEED, HL_SEQUENCE_VIEW_MAX_SPEED);
  if (speed == self->speed)
    return;
  self->speed = speed;
  hl_seqview_notify (self, PROP_SPEED);
}

double
hl_sequence_view_get_speed (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), 1);
  return self->speed;
}
