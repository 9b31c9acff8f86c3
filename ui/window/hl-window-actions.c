/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-window"
#include "config.h"

#include "hl-custom-dialog.h"
#include "hl-inspector.h"
#include "hl-presenter.h"
#include "hl-scenario-chooser.h"
#include "hl-window-private.h"

/* The window, its actions and keyboard shortcuts (see hl-window-private.h). The file, compare
 * and presentation actions are in hl-file-actions.c, hl-compare-actions.c and hl-presenter.c. */

/* Actions */

static void
run_again_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  if (!self->has_config)
    return;
  self->rerun = self->trace != NULL;
  hl_win_start_run (self);
}

static void
custom_run_cb (HlCustomDialog *dialog, gpointer config, HlWindow *self)
{
  self->autoplay = TRUE;
  hl_window_run_config (self, config, NULL, NULL);
}

static void
custom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  const HlScenario *fallback = hl_scenario_lookup ("tls12-rsa");
  HlCustomDialog *dialog = hl_custom_dialog_new (GTK_WINDOW (self), self->has_config
                                                                    ? &self->config
                                                                    : &fallback->config);

  g_signal_connect_object (dialog, "run", G_CALLBACK (custom_run_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
connect_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  hl_window_show_connect (HL_WINDOW (widget), NULL, FALSE);
}

static void
listen_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  hl_window_show_listen (HL_WINDOW (widget), NULL, FALSE);
}

static void
choose_scenario_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  hl_scenario_chooser_popup (HL_WINDOW (widget)->chooser);
}

static void
play_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  /* presenting, Space is what clickers send for "next" */
  if (hl_presenter_get_active (self->presenter))
    hl_sequence_view_step_forward (self->sequence_view);
  else if (hl_sequence_view_get_playing (self->sequence_view))
    hl_sequence_view_pause (self->sequence_view);
  else
    hl_sequence_view_play (self->sequence_view);
}

static void
step_forward_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  hl_sequence_view_step_forward (HL_WINDOW (widget)->sequence_view);
}

static void
step_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  hl_sequence_view_pause (self->sequence_view);
  hl_sequence_view_step_backward (self->sequence_view);
}

static void
first_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  hl_sequence_view_pause (self->sequence_view);
  hl_sequence_view_set_step (self->sequence_view, 0);
}

static void
last_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  hl_sequence_view_pause (self->sequence_view);
  hl_sequence_view_set_step (self->sequence_view,
                             hl_sequence_view_get_n_steps (self->sequence_view));
}

static void
change_speed (HlWindow *self, int direction)
{
  double speed = hl_sequence_view_get_speed (self->sequence_view);
  guint i = 0;

  /* the nearest offered speed in that direction */
  if (direction > 0)
    while (i + 1 < G_N_ELEMENTS (speeds) && speeds[i] <= speed)
      i++;
  else
    {
      i = G_N_ELEMENTS (speeds) - 1;
      while (i > 0 && speeds[i] >= speed)
        i--;
    }
  g_object_set (self, "speed", speeds[i], NULL);
}

static void
faster_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  change_speed (HL_WINDOW (widget), 1);
}

static void
slower_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  change_speed (HL_WINDOW (widget), -1);
}

static void
zoom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlSequenceView *view = HL_WINDOW (widget)->sequence_view;
  double level = hl_sequence_view_get_zoom_level (view);

  if (g_str_equal (action_name, "win.zoom-in"))
    level *= 1.15;
  else if (g_str_equal (action_name, "win.zoom-out"))
    level /= 1.15;
  else
    level = 1;
  hl_sequence_view_set_zoom_level (view, level);
}

static void
leave_fullscreen_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  hl_presenter_set_active (HL_WINDOW (widget)->presenter, FALSE);
  gtk_window_unfullscreen (GTK_WINDOW (widget));
}

void
hl_win_fullscreen_changed_cb (HlWindow *self)
{
  /* presentation mode looks the same even where there is no fullscreen (no window manager) */
  gboolean full = gtk_window_is_fullscreen (GTK_WINDOW (self)) ||
                  hl_presenter_get_active (self->presenter);

  if (full == gtk_widget_has_css_class (GTK_WIDGET (self), "presenting"))
    return;
  /* presenting: the diagram and the story, nothing else */
  gtk_revealer_set_reveal_child (self->header_revealer, !full);
  if (full)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presenting");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presenting");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-fullscreen", full);
  if (full)
    {
      self->details_before_fullscreen = self->show_details;
      g_object_set (self, "show-details", FALSE, NULL);
    }
  else if (self->details_before_fullscreen)
    g_object_set (self, "show-details", TRUE, NULL);
}

/* Keyboard: presenter clickers send Page Down/Up, Right/Left or Space. These shortcuts run in
 * the capture phase so that a focused button or the scrolled window never swallows them — but
 * not while someone types or browses a popover. */

static gboolean
shortcut_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  const char *action = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));

  if (focus && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus) ||
                gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) ||
                gtk_widget_get_ancestor (focus, GTK_TYPE_SCALE)))
    return FALSE;
  return gtk_widget_activate_action (widget, action, NULL);
}

/* Arrows, Home and End move through fields and bytes while the inspector has the focus;
 * Page Up/Down and Space (what clickers send) still step. */
static gboolean
arrow_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));

  if (focus && gtk_widget_get_ancestor (focus, HL_TYPE_INSPECTOR))
    return FALSE;
  return shortcut_cb (widget, args, user_data);
}

void
hl_win_add_shortcuts (HlWindow *self)
{
  static const struct { guint key; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_space, 0, "win.play" },
    { GDK_KEY_Right, 0, "win.step-forward" },
    { GDK_KEY_Page_Down, 0, "win.step-forward" },
    { GDK_KEY_Left, 0, "win.step-back" },
    { GDK_KEY_Page_Up, 0, "win.step-back" },
    { GDK_KEY_Home, 0, "win.first" },
    { GDK_KEY_End, 0, "win.last" },
    { GDK_KEY_bracketright, 0, "win.faster" },
    { GDK_KEY_bracketleft, 0, "win.slower" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                        gtk_callback_action_new (keys[i].key == GDK_KEY_Left ||
                                                 keys[i].key == GDK_KEY_Right ||
                                                 keys[i].key == GDK_KEY_Home ||
                                                 keys[i].key == GDK_KEY_End
                                                 ? arrow_shortcut_cb : shortcut_cb,
                                                 (gpointer) keys[i].action, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* Installs the window's actions, property actions and key bindings on its class. */
void
hl_win_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.run-again", NULL, run_again_action);
  gtk_widget_class_install_action (widget_class, "win.custom", NULL, custom_action);
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.listen", NULL, listen_action);
  gtk_widget_class_install_action (widget_class, "win.choose-scenario", NULL,
                                   choose_scenario_action);
  gtk_widget_class_install_action (widget_class, "win.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "win.step-forward", NULL, step_forward_action);
  gtk_widget_class_install_action (widget_class, "win.step-back", NULL, step_back_action);
  gtk_widget_class_install_action (widget_class, "win.first", NULL, first_action);
  gtk_widget_class_install_action (widget_class, "win.last", NULL, last_action);
  gtk_widget_class_install_action (widget_class, "win.faster", NULL, faster_action);
  gtk_widget_class_install_action (widget_class, "win.slower", NULL, slower_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.leave-fullscreen", NULL,
                                   leave_fullscreen_action);
  gtk_widget_class_install_property_action (widget_class, "win.speed", "speed");
  gtk_widget_class_install_property_action (widget_class, "win.show-records", "show-records");
  gtk_widget_class_install_property_action (widget_class, "win.show-details", "show-details");
  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_install_property_action (widget_class, "win.style-variant", "style-variant");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.run-again", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F4, 0, "win.choose-scenario", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.leave-fullscreen",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK,
                                       "win.zoom-reset", NULL);
}
