/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-presenter"
#include "config.h"

#include <math.h>

#include "hl-presenter.h"

/* Order of this file: the object, the pointer, advancing by itself, actions, properties,
 * GObject.
 *
 * Presentation mode builds on what the window does in fullscreen (its "presenting" style: no
 * header bar, no inspector, the story in big type) and adds the CSS class "presentation" (the
 * largest type, no playback controls), the pointer hidden while it rests, and optional
 * auto-advance. The window's keyboard shortcuts already take what presenter clickers send
 * (Page Down/Up, arrows, Space); Esc leaves through the window's leave-fullscreen action.
 * Fullscreen needs a window manager: without one (Xvfb) the mode still applies, in a window. */

#define POINTER_IDLE_MS  1500
#define RETRY_MS         200
#define DEFAULT_DWELL    5.0

struct _HlPresenter
{
  GObject              parent_instance;

  GtkWindow           *window;          /* borrowed: the window owns this object */
  HlSequenceView      *view;            /* borrowed: the window's diagram */
  GtkWidget           *story;           /* borrowed: the window's story panel */
  GSimpleAction       *actions[4];      /* present, auto-advance, high-contrast, dwell */
  GtkEventController  *motion;          /* borrowed: the window's */
  guint                idle_source;
  guint                advance_source;
  double               last_x;
  double               last_y;

  guint                active : 1;
  guint                auto_advance : 1;
  guint                high_contrast : 1;
  guint                pointer_hidden : 1;
  guint                saw_fullscreen : 1;
  double               dwell;
};

enum
{
  ACTION_PRESENT,
  ACTION_AUTO_ADVANCE,
  ACTION_HIGH_CONTRAST,
  ACTION_DWELL,
};

enum
{
  PROP_0,
  PROP_ACTIVE,
  PROP_AUTO_ADVANCE,
  PROP_DWELL,
  PROP_HIGH_CONTRAST,
  PROP_POINTER_HIDDEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HlPresenter, hl_presenter, G_TYPE_OBJECT)

/* The pointer: hidden on the window and on the diagram (whose own cursor, a hand over an arrow,
 * would otherwise stay on the projected picture). */

static void
set_pointer_hidden (HlPresenter *self, gboolean hidden)
{
  HlSequenceView *view = self->view;

  hidden = !!hidden;
  if (self->pointer_hidden == hidden)
    return;
  self->pointer_hidden = hidden;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->window), hidden ? "none" : NULL);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (view), hidden ? "none" : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTER_HIDDEN]);
}

static gboolean
pointer_idle_cb (gpointer user_data)
{
  HlPresenter *self = user_data;

  self->idle_source = 0;
  set_pointer_hidden (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
restart_pointer_timer (HlPresenter *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->active)
    self->idle_source = g_timeout_add (POINTER_IDLE_MS, pointer_idle_cb, self);
}

static void
motion_cb (GtkEventControllerMotion *motion, double x, double y, HlPresenter *self)
{
  /* X11 repeats the position when a cursor changes: only a real move shows the pointer */
  if (fabs (x - self->last_x) < 2 && fabs (y - self->last_y) < 2)
    return;
  self->last_x = x;
  self->last_y = y;
  if (!self->active)
    return;
  set_pointer_hidden (self, FALSE);
  restart_pointer_timer (self);
}

/* The story panel's playback controls are for the mouse: gone while presenting. */
static GtkWidget *
find_by_class (GtkWidget *widget, const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_class (child, css_class);

      if (found)
        return found;
    }
  return NULL;
}

static void
show_controls (HlPresenter *self, gboolean show)
{
  GtkWidget *controls = find_by_class (self->story,
                                       "story-controls");

  if (controls)
    gtk_widget_set_visible (controls, show);
}

/* Advancing by itself: the next step #HlPresenter:dwell seconds after the last one started,
 * counted again whenever someone steps. Stops at the last step. */

static void schedule_advance (HlPresenter *self, guint ms);

static gboolean
advance_cb (gpointer user_data)
{
  HlPresenter *self = user_data;
  HlSequenceView *view = self->view;

  self->advance_source = 0;
  if (hl_sequence_view_is_animating (view) || hl_sequence_view_get_playing (view))
    schedule_advance (self, RETRY_MS);
  else if (hl_sequence_view_get_step (view) < hl_sequence_view_get_n_steps (view))
    gtk_widget_activate_action (GTK_WIDGET (self->window), "win.step-forward", NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_advance (HlPresenter *self, guint ms)
{
  g_clear_handle_id (&self->advance_source, g_source_remove);
  if (self->active && self->auto_advance)
    self->advance_source = g_timeout_add (ms, advance_cb, self);
}

static void
step_changed_cb (HlPresenter *self)
{
  schedule_advance (self, (guint) (self->dwell * 1000));
}

/* Leaving fullscreen some other way (the window manager) ends presentation mode too. */
static void
fullscreen_changed_cb (HlPresenter *self)
{
  if (!self->active)
    return;
  if (gtk_window_is_fullscreen (GTK_WINDOW (self->window)))
    self->saw_fullscreen = TRUE;
  else if (self->saw_fullscreen)
    hl_presenter_set_active (self, FALSE);
}

/* Actions: stateful, in the window's action map, following the properties */

static void
sync_action (HlPresenter *self, guint index, GVariant *state)
{
  if (self->actions[index])
    g_simple_action_set_state (self->actions[index], state);
  else
    g_variant_unref (g_variant_ref_sink (state));
}

static void
toggle_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  HlPresenter *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "present"))
    hl_presenter_set_active (self, !self->active);
  else if (g_str_equal (name, "auto-advance"))
    hl_presenter_set_auto_advance (self, !self->auto_advance);
  else
    hl_presenter_set_high_contrast (self, !self->high_contrast);
}

static void
dwell_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  hl_presenter_set_dwell (user_data, g_variant_get_double (parameter));
}

void
hl_presenter_install (GtkWidgetClass *widget_class)
{
  /* F5 as in slide software; Esc is the window's (it leaves fullscreen) */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.present", NULL);
}

/* Properties */

gboolean
hl_presenter_get_active (HlPresenter *self)
{
  g_return_val_if_fail (HL_IS_PRESENTER (self), FALSE);
  return self->active;
}

void
hl_presenter_set_active (HlPresenter *self, gboolean active)
{
  GtkWidget *window;

  g_return_if_fail (HL_IS_PRESENTER (self));

  active = !!active;
  if (self->active == active || self->window == NULL)
    return;
  window = GTK_WIDGET (self->window);
  self->active = active;
  self->saw_fullscreen = FALSE;
  if (active)
    {
      /* no hint on the screen: the audience sees everything shown here */
      gtk_widget_add_css_class (window, "presentation");
      show_controls (self, FALSE);
      gtk_window_fullscreen (GTK_WINDOW (window));
      restart_pointer_timer (self);
      step_changed_cb (self);
    }
  else
    {
      gtk_widget_remove_css_class (window, "presentation");
      show_controls (self, TRUE);
      g_clear_handle_id (&self->idle_source, g_source_remove);
      g_clear_handle_id (&self->advance_source, g_source_remove);
      set_pointer_hidden (self, FALSE);
      if (gtk_window_is_fullscreen (GTK_WINDOW (window)))
        gtk_window_unfullscreen (GTK_WINDOW (window));
    }
  sync_action (self, ACTION_PRESENT, g_variant_new_boolean (active));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gboolean
hl_presenter_get_auto_advance (HlPresenter *self)
{
  g_return_val_if_fail (HL_IS_PRESENTER (self), FALSE);
  return self->auto_advance;
}

void
hl_presenter_set_auto_advance (HlPresenter *self, gboolean auto_advance)
{
  g_return_if_fail (HL_IS_PRESENTER (self));

  auto_advance = !!auto_advance;
  if (self->auto_advance == auto_advance)
    return;
  self->auto_advance = auto_advance;
  if (auto_advance)
    step_changed_cb (self);
  else
    g_clear_handle_id (&self->advance_source, g_source_remove);
  sync_action (self, ACTION_AUTO_ADVANCE, g_variant_new_boolean (auto_advance));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_ADVANCE]);
}

double
hl_presenter_get_dwell (HlPresenter *self)
{
  g_return_val_if_fail (HL_IS_PRESENTER (self), DEFAULT_DWELL);
  return self->dwell;
}

void
hl_presenter_set_dwell (HlPresenter *self, double seconds)
{
  g_return_if_fail (HL_IS_PRESENTER (self));

  seconds = CLAMP (seconds, HL_PRESENTER_MIN_DWELL, HL_PRESENTER_MAX_DWELL);
  if (self->dwell == seconds)
    return;
  self->dwell = seconds;
  if (self->advance_source)
    step_changed_cb (self);
  sync_action (self, ACTION_DWELL, g_variant_new_double (seconds));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DWELL]);
}

gboolean
hl_presenter_get_high_contrast (HlPresenter *self)
{
  g_return_val_if_fail (HL_IS_PRESENTER (self), FALSE);
  return self->high_contrast;
}

void
hl_presenter_set_high_contrast (HlPresenter *self, gboolean high_contrast)
{
  g_return_if_fail (HL_IS_PRESENTER (self));

  high_contrast = !!high_contrast;
  if (self->high_contrast == high_contrast)
    return;
  self->high_contrast = high_contrast;
  if (self->window && high_contrast)
    gtk_widget_add_css_class (GTK_WIDGET (self->window), "high-contrast");
  else if (self->window)
    gtk_widget_remove_css_class (GTK_WIDGET (self->window), "high-contrast");
  sync_action (self, ACTION_HIGH_CONTRAST, g_variant_new_boolean (high_contrast));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGH_CONTRAST]);
}

gboolean
hl_presenter_get_pointer_hidden (HlPresenter *self)
{
  g_return_val_if_fail (HL_IS_PRESENTER (self), FALSE);
  return self->pointer_hidden;
}

static void
hl_presenter_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HlPresenter *self = HL_PRESENTER (object);

  switch (prop_id)
    {
    case PROP_ACTIVE: g_value_set_boolean (value, self->active); break;
    case PROP_AUTO_ADVANCE: g_value_set_boolean (value, self->auto_advance); break;
    case PROP_DWELL: g_value_set_double (value, self->dwell); break;
    case PROP_HIGH_CONTRAST: g_value_set_boolean (value, self->high_contrast); break;
    case PROP_POINTER_HIDDEN: g_value_set_boolean (value, self->pointer_hidden); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_presenter_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HlPresenter *self = HL_PRESENTER (object);

  switch (prop_id)
    {
    case PROP_ACTIVE: hl_presenter_set_active (self, g_value_get_boolean (value)); break;
    case PROP_AUTO_ADVANCE:
      hl_presenter_set_auto_advance (self, g_value_get_boolean (value));
      break;
    case PROP_DWELL: hl_presenter_set_dwell (self, g_value_get_double (value)); break;
    case PROP_HIGH_CONTRAST:
      hl_presenter_set_high_contrast (self, g_value_get_boolean (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* GObject */

static void
hl_presenter_dispose (GObject *object)
{
  HlPresenter *self = HL_PRESENTER (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->advance_source, g_source_remove);
  if (self->window)
    {
      for (guint i = 0; i < G_N_ELEMENTS (self->actions); i++)
        if (self->actions[i])
          g_action_map_remove_action (G_ACTION_MAP (self->window),
                                      g_action_get_name (G_ACTION (self->actions[i])));
      g_signal_handlers_disconnect_by_data (self->window, self);
      gtk_widget_remove_controller (GTK_WIDGET (self->window), self->motion);
      g_signal_handlers_disconnect_by_data (self->view, self);
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->actions); i++)
    g_clear_object (&self->actions[i]);
  self->window = NULL;
  G_OBJECT_CLASS (hl_presenter_parent_class)->dispose (object);
}

static void
hl_presenter_class_init (HlPresenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_presenter_dispose;
  object_class->get_property = hl_presenter_get_property;
  object_class->set_property = hl_presenter_set_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTO_ADVANCE] =
    g_param_spec_boolean ("auto-advance", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DWELL] =
    g_param_spec_double ("dwell", NULL, NULL, HL_PRESENTER_MIN_DWELL, HL_PRESENTER_MAX_DWELL,
                         DEFAULT_DWELL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIGH_CONTRAST] =
    g_param_spec_boolean ("high-contrast", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POINTER_HIDDEN] =
    g_param_spec_boolean ("pointer-hidden", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_presenter_init (HlPresenter *self)
{
  self->dwell = DEFAULT_DWELL;
  self->last_x = self->last_y = -100;
}

HlPresenter *
hl_presenter_new (GtkWindow *window, HlSequenceView *view, GtkWidget *story)
{
  HlPresenter *self;
  GtkEventController *motion;

  g_return_val_if_fail (GTK_IS_WINDOW (window) && G_IS_ACTION_MAP (window), NULL);
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (view) && GTK_IS_WIDGET (story), NULL);

  self = g_object_new (HL_TYPE_PRESENTER, NULL);
  self->window = window;
  self->view = view;
  self->story = story;

  self->actions[ACTION_PRESENT] =
    g_simple_action_new_stateful ("present", NULL, g_variant_new_boolean (FALSE));
  self->actions[ACTION_AUTO_ADVANCE] =
    g_simple_action_new_stateful ("auto-advance", NULL, g_variant_new_boolean (FALSE));
  self->actions[ACTION_HIGH_CONTRAST] =
    g_simple_action_new_stateful ("high-contrast", NULL, g_variant_new_boolean (FALSE));
  self->actions[ACTION_DWELL] =
    g_simple_action_new_stateful ("dwell", G_VARIANT_TYPE_DOUBLE,
                                  g_variant_new_double (self->dwell));
  for (guint i = 0; i < G_N_ELEMENTS (self->actions); i++)
    {
      g_signal_connect (self->actions[i], "activate",
                        i == ACTION_DWELL ? G_CALLBACK (dwell_cb) : G_CALLBACK (toggle_cb), self);
      g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (self->actions[i]));
    }

  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (window), motion);
  self->motion = motion;

  g_signal_connect_swapped (window, "notify::fullscreened", G_CALLBACK (fullscreen_changed_cb),
                            self);
  g_signal_connect_swapped (view, "notify::step",
                            G_CALLBACK (step_changed_cb), self);
  return self;
}
