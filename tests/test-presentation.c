/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Presentation mode under Xvfb: F5 enters (the window's own shortcuts, looked up and run as a
 * key press would), Page Down / Page Up / Space / arrows step, the pointer hides when it rests,
 * auto-advance steps by itself, high contrast switches the palette, Esc leaves and everything
 * is as before. Xvfb has no window manager, so there is no real fullscreen: the mode applies in
 * the window. Skips without a display. */
#include "config.h"

#include <adwaita.h>

#include "hl-presenter.h"
#include "hl-window.h"
#include "hl-test-ui.h"
#include "hl-test-wait.h"

static GtkApplication *app;

static gboolean
is_idle (gpointer window)
{
  return !hl_window_is_busy (window) && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
not_animating (gpointer window)
{
  return !hl_sequence_view_is_animating (hl_window_get_sequence_view (window));
}

/* Presses @keyval on @window the way GTK dispatches it to the window's shortcut controllers:
 * capture phase first, then bubble, each in order, until one handles it. GTK 4 has no public
 * way to make a key event, so this runs the same shortcuts and actions the key would. */
static gboolean
press (HlWindow *window, guint keyval)
{
  static const GtkPropagationPhase phases[] = { GTK_PHASE_CAPTURE, GTK_PHASE_BUBBLE };
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean handled = FALSE;

  for (guint p = 0; p < G_N_ELEMENTS (phases) && !handled; p++)
    for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
            gtk_event_controller_get_propagation_phase (controller) != phases[p])
          continue;
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !handled;
             j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller),
                                                                     j);
            GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

            if (!GTK_IS_KEYVAL_TRIGGER (trigger) ||
                gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) != keyval ||
                gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) != 0)
              continue;
            handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                    GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                    GTK_WIDGET (window),
                                                    gtk_shortcut_get_arguments (shortcut));
          }
      }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return handled;
}

static GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_class (GtkWidget *widget, const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_class (child, css_class);

      if (found)
        return found;
    }
  return NULL;
}

static guint
step_of (HlWindow *window)
{
  return hl_sequence_view_get_step (hl_window_get_sequence_view (window));
}

static void
check_presenting (HlWindow *window, gboolean presenting)
{
  GtkWidget *widget = GTK_WIDGET (window);
  GtkWidget *header = find_type (widget, ADW_TYPE_HEADER_BAR);
  GtkWidget *revealer = gtk_widget_get_ancestor (header, GTK_TYPE_REVEALER);
  GtkWidget *controls = find_class (GTK_WIDGET (hl_window_get_story_panel (window)),
                                    "story-controls");
  gboolean details = FALSE;

  g_object_get (window, "show-details", &details, NULL);
  g_assert_cmpint (hl_presenter_get_active (hl_window_get_presenter (window)), ==, presenting);
  g_assert_cmpint (gtk_widget_has_css_class (widget, "presentation"), ==, presenting);
  /* the window's fullscreen look: no header bar, no inspector */
  g_assert_cmpint (gtk_widget_has_css_class (widget, "presenting"), ==, presenting);
  g_assert_cmpint (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), ==, !presenting);
  g_assert_cmpint (details, ==, !presenting);
  /* and no playback controls */
  g_assert_nonnull (controls);
  g_assert_cmpint (gtk_widget_get_visible (controls), ==, !presenting);
}

static gboolean
pointer_hidden (gpointer window)
{
  return hl_presenter_get_pointer_hidden (hl_window_get_presenter (window));
}

static void
test_present (void)
{
  HlWindow *window = hl_window_new (app);
  HlPresenter *presenter = hl_window_get_presenter (window);
  HlSequenceView *view = hl_window_get_sequence_view (window);
  guint n, step;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  hl_window_set_autoplay (window, FALSE);
  hl_window_set_start_step (window, 3);
  gtk_window_present (GTK_WINDOW (window));
  hl_window_run_scenario (window, "tls13");
  hl_test_wait_for (is_idle, window, 60000);
  n = hl_sequence_view_get_n_steps (view);
  g_assert_cmpuint (n, >, 10);
  g_assert_cmpuint (step_of (window), ==, 3);
  check_presenting (window, FALSE);

  /* F5 enters */
  g_assert_true (press (window, GDK_KEY_F5));
  check_presenting (window, TRUE);
  g_assert_cmpuint (step_of (window), ==, 3);

  /* what clickers send */
  g_assert_true (press (window, GDK_KEY_Page_Down));
  hl_test_wait_for (not_animating, window, 5000);
  g_assert_cmpuint (step_of (window), ==, 4);
  g_assert_true (press (window, GDK_KEY_Page_Down));
  hl_test_wait_for (not_animating, window, 5000);
  g_assert_cmpuint (step_of (window), ==, 5);
  g_assert_true (press (window, GDK_KEY_Page_Up));
  g_assert_cmpuint (step_of (window), ==, 4);
  g_assert_true (press (window, GDK_KEY_space));   /* the next step, not play */
  hl_test_wait_for (not_animating, window, 5000);
  g_assert_cmpuint (step_of (window), ==, 5);
  g_assert_false (hl_sequence_view_get_playing (view));
  g_assert_true (press (window, GDK_KEY_Right));
  hl_test_wait_for (not_animating, window, 5000);
  g_assert_cmpuint (step_of (window), ==, 6);
  g_assert_true (press (window, GDK_KEY_Left));
  g_assert_cmpuint (step_of (window), ==, 5);

  /* the pointer goes when it rests */
  hl_test_wait_for (pointer_hidden, window, 5000);
  g_assert_cmpstr (gdk_cursor_get_name (gtk_widget_get_cursor (GTK_WIDGET (window))), ==, "none");
  /* … and comes back when it moves */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
          g_signal_emit_by_name (controller, "motion", 300.0, 200.0);
      }
  }
  g_assert_false (pointer_hidden (window));
  g_assert_null (gtk_widget_get_cursor (GTK_WIDGET (window)));
  hl_test_wait_for (pointer_hidden, window, 5000);

  /* advancing by itself, once per dwell, from where it is */
  hl_presenter_set_dwell (presenter, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.auto-advance", NULL);
  g_assert_true (hl_presenter_get_auto_advance (presenter));
  step = step_of (window);
  hl_test_spin (2600);
  g_assert_cmpuint (step_of (window), >=, step + 1);
  g_assert_cmpuint (step_of (window), <=, step + 3);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.auto-advance", NULL);
  g_assert_false (hl_presenter_get_auto_advance (presenter));
  hl_test_wait_for (not_animating, window, 5000);
  step = step_of (window);
  hl_test_spin (1500);
  g_assert_cmpuint (step_of (window), ==, step);

  /* high contrast, for the projector */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.high-contrast", NULL);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "high-contrast"));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* Esc leaves, and all is as it was */
  g_assert_true (press (window, GDK_KEY_Escape));
  check_presenting (window, FALSE);
  g_assert_false (pointer_hidden (window));
  g_assert_null (gtk_widget_get_cursor (GTK_WIDGET (window)));
  g_assert_cmpuint (step_of (window), ==, step);
  /* high contrast stays until switched off */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "high-contrast"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.high-contrast", NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "high-contrast"));

  /* outside presentation mode Space plays, as before */
  g_assert_true (press (window, GDK_KEY_space));
  g_assert_true (hl_sequence_view_get_playing (view));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL);
  g_assert_false (hl_sequence_view_get_playing (view));

  /* F5 toggles; the menu's action too */
  g_assert_true (press (window, GDK_KEY_F5));
  check_presenting (window, TRUE);
  g_assert_true (press (window, GDK_KEY_F5));
  check_presenting (window, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.present", NULL);
  check_presenting (window, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.present", NULL);
  check_presenting (window, FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Leaving with the pointer hidden and auto-advance on cleans up its timers: a destroyed window
 * with presentation mode on must not crash or warn later. */
static void
test_destroy_while_presenting (void)
{
  HlWindow *window = hl_window_new (app);
  HlPresenter *presenter = hl_window_get_presenter (window);

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  hl_window_set_autoplay (window, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  hl_window_run_scenario (window, "tls12-rsa");
  hl_test_wait_for (is_idle, window, 60000);
  hl_presenter_set_dwell (presenter, 1);
  hl_presenter_set_auto_advance (presenter, TRUE);
  hl_presenter_set_active (presenter, TRUE);
  hl_test_spin (300);
  gtk_window_destroy (GTK_WINDOW (window));
  hl_test_spin (2000);
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int argc, char *argv[])
{
  gboolean display;
  int rc;

  display = gtk_init_check ();
  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  if (display)
    {
      /* steps land at once; the timing of animations is not what is tested here */
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      app = GTK_APPLICATION (adw_application_new ("io.github.handshakelens.HandshakeLens.Test",
                                                  G_APPLICATION_NON_UNIQUE));
      g_application_set_resource_base_path (G_APPLICATION (app), RESOURCE_PREFIX);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
    }
  g_test_add_func ("/ui/presentation/keys", display ? test_present : skip_no_display);
  g_test_add_func ("/ui/presentation/destroy-while-presenting",
                   display ? test_destroy_while_presenting : skip_no_display);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
