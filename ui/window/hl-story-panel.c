/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-story-panel"
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "hl-story-panel.h"
#include "hl-tooltip.h"
#include "hl-wrap-label.h"

/* Under the diagram: the current step's number, its plain caption and technical line, and the
 * playback controls (whose buttons activate the window's win.* actions). */

struct _HlStoryPanel
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkLabel       *number_label;
  GtkLabel       *caption_label;
  GtkLabel       *technical_label;
  GtkButton      *play_button;
  GtkLabel       *position_label;
  GtkScale       *scrubber;
  GtkAdjustment  *scrubber_adjustment;
  GtkMenuButton  *speed_button;
  GMenuModel     *speed_menu;

  gboolean        updating;
};

enum
{
  SEEK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlStoryPanel, hl_story_panel, ADW_TYPE_BIN)

void
hl_story_panel_set_step (HlStoryPanel *self,
                         guint         step,
                         guint         n_steps,
                         HlEvent      *event,
                         const char   *intro)
{
  g_autofree char *number = NULL;
  g_autofree char *position = NULL;

  g_return_if_fail (HL_IS_STORY_PANEL (self));
  g_return_if_fail (event == NULL || HL_IS_EVENT (event));

  if (event && step > 0)
    {
      number = g_strdup_printf ("%u", step);
      gtk_label_set_text (self->caption_label, hl_event_get_caption (event));
      hl_wrap_label_set_text (self->technical_label, hl_event_get_technical (event));
    }
  else
    {
      gtk_label_set_text (self->caption_label, intro ? intro : "");
      hl_wrap_label_set_text (self->technical_label,
                              n_steps ? _("Press Space to play, → to go one step at a time.")
                                      : "");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->number_label), number != NULL);
  gtk_label_set_text (self->number_label, number ? number : "");
  position = g_strdup_printf (_("Step %u of %u"), step, n_steps);
  gtk_label_set_text (self->position_label, position);

  self->updating = TRUE;
  gtk_adjustment_configure (self->scrubber_adjustment, step, 0, n_steps, 1, 1, 0);
  self->updating = FALSE;
}

void
hl_story_panel_set_playing (HlStoryPanel *self, gboolean playing)
{
  g_return_if_fail (HL_IS_STORY_PANEL (self));

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  hl_tooltip_set_text (GTK_WIDGET (self->play_button),
                       playing ? _("Pause (Space)") : _("Play (Space)"));
}

void
hl_story_panel_set_speed (HlStoryPanel *self, double speed)
{
  g_autofree char *label = NULL;

  g_return_if_fail (HL_IS_STORY_PANEL (self));

  label = g_strdup_printf ("%g×", speed);
  gtk_menu_button_set_label (self->speed_button, label);
}

const char *
hl_story_panel_get_caption (HlStoryPanel *self)
{
  g_return_val_if_fail (HL_IS_STORY_PANEL (self), NULL);
  return gtk_label_get_text (self->caption_label);
}

static void
scrubber_value_changed_cb (GtkAdjustment *adjustment, HlStoryPanel *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[SEEK], 0, (guint) round (gtk_adjustment_get_value (adjustment)));
}

static void
hl_story_panel_dispose (GObject *object)
{
  /* the bin unparents its child before the template drops it */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), HL_TYPE_STORY_PANEL);
  G_OBJECT_CLASS (hl_story_panel_parent_class)->dispose (object);
}

static void
hl_story_panel_class_init (HlStoryPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_story_panel_dispose;

  /**
   * HlStoryPanel::seek:
   * @step: the step the scrubber was moved to
   */
  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/hl-story-panel.ui");
  gtk_widget_class_set_css_name (widget_class, "hlstorypanel");
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, number_label);
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, caption_label);
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, technical_label);
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, play_button);
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, position_label);
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, scrubber);
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, scrubber_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, speed_button);
  gtk_widget_class_bind_template_child (widget_class, HlStoryPanel, speed_menu);
  /* for their tooltips only (hl_tooltip_set_template_texts ()) */
  gtk_widget_class_bind_template_child_full (widget_class, "first_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "back_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "next_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "last_button", FALSE, 0);
}

/* The speed menu's popover is made when first opened, not with the window. */
static void
create_speed_menu_cb (GtkMenuButton *button, gpointer user_data)
{
  HlStoryPanel *self = HL_STORY_PANEL (user_data);

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->speed_menu);
}

static void
hl_story_panel_init (HlStoryPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->speed_button, create_speed_menu_cb, self, NULL);
  /* not in the template: see hl_tooltip_set_template_texts () */
  hl_tooltip_set_template_texts (GTK_WIDGET (self), HL_TYPE_STORY_PANEL,
                                 "first_button", _("First Step (Home)"),
                                 "back_button", _("Previous Step (← or Page Up)"),
                                 "play_button", _("Play (Space)"),
                                 "next_button", _("Next Step (→ or Page Down)"),
                                 "last_button", _("Last Step (End)"),
                                 "scrubber", _("Go to a step"),
                                 "speed_button", _("Playback Speed ([ and ])"), NULL);
  g_signal_connect (self->scrubber_adjustment, "value-changed",
                    G_CALLBACK (scrubber_value_changed_cb), self);
  hl_story_panel_set_speed (self, 1);
  hl_story_panel_set_step (self, 0, 0, NULL, NULL);
}

GtkWidget *
hl_story_panel_new (void)
{
  return g_object_new (HL_TYPE_STORY_PANEL, NULL);
}
