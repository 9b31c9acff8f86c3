/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-scenario-chooser"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-scenario.h"
#include "hl-scenario-chooser.h"
#include "hl-tooltip.h"

/* The header bar's scenario menu: every scenario under its group (Classic, TLS 1.2, TLS 1.3,
 * Failures) with its description, and "Custom…". GtkDropDown has section headers only from
 * GTK 4.12, so this is a menu button with a list box. */

struct _HlScenarioChooser
{
  AdwBin         parent_instance;

  /* template widgets */
  GtkMenuButton *button;
  GtkLabel      *button_label;
  GtkPopover    *popover;
  GtkListBox    *list;
  GtkButton     *custom_button;

  /* borrowed */
  const HlScenario *current;
};

enum
{
  SCENARIO_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlScenarioChooser, hl_scenario_chooser, ADW_TYPE_BIN)

static const HlScenario *
row_scenario (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "hl-scenario");
}

/* @unavailable (nullable): why this GnuTLS cannot run the scenario; the row then says so and
 * cannot be chosen. */
static GtkWidget *
new_row (const HlScenario *scenario, const char *unavailable)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (scenario->title);
  g_autofree char *not_here = unavailable ? g_strdup_printf (_("Not available: %s"), unavailable)
                                          : NULL;
  GtkWidget *description = gtk_label_new (not_here ? not_here : scenario->description);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "scenario-title");
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_lines (GTK_LABEL (description), 2);
  gtk_label_set_ellipsize (GTK_LABEL (description), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 56);
  gtk_label_set_width_chars (GTK_LABEL (description), 56);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), description);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_opacity (check, 0);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* the whole reason where the row has room for two lines of it */
  hl_tooltip_set_text (row, not_here ? not_here : scenario->description);
  gtk_widget_add_css_class (row, "scenario-row");
  if (unavailable)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (title, "dim-label");
      g_object_set_data (G_OBJECT (row), "hl-unavailable", GINT_TO_POINTER (TRUE));
    }
  g_object_set_data (G_OBJECT (row), "hl-scenario", (gpointer) scenario);
  g_object_set_data (G_OBJECT (row), "hl-check", check);
  return row;
}

static void
header_func (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  const HlScenario *scenario = row_scenario (row);
  GtkWidget *header;

  if (before && row_scenario (before)->group == scenario->group)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (hl_scenario_group_title (scenario->group));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "scenario-group");
  gtk_list_box_row_set_header (row, header);
}

static void
row_activated_cb (GtkListBox *list, GtkListBoxRow *row, HlScenarioChooser *self)
{
  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[SCENARIO_ACTIVATED], 0, row_scenario (row)->id);
}

static void
update_checks (HlScenarioChooser *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "hl-check");

      if (check)
        gtk_widget_set_opacity (check, row_scenario (GTK_LIST_BOX_ROW (row)) == self->current);
    }
}

/* The rows are built when the menu first opens: nothing to pay for on the first frame. */
static void
popover_show_cb (HlScenarioChooser *self)
{
  if (gtk_widget_get_first_child (GTK_WIDGET (self->list)) == NULL)
    {
      guint n, n_unavailable;
      const HlScenario *all = hl_scenario_get_all (&n);
      const HlScenario *const *unavailable = hl_scenario_get_unavailable (&n_unavailable);

      /* what this GnuTLS cannot run stands at the end of its group, saying why */
      for (guint i = 0; i <= n; i++)
        {
          if (i > 0 && (i == n || all[i].group != all[i - 1].group))
            for (guint u = 0; u < n_unavailable; u++)
              if (unavailable[u]->group == all[i - 1].group)
                {
                  g_autofree char *why = NULL;

                  hl_config_is_available (&unavailable[u]->config, &why);
                  gtk_list_box_append (self->list, new_row (unavailable[u], why));
                }
          if (i < n)
            gtk_list_box_append (self->list, new_row (&all[i], NULL));
        }
    }
  update_checks (self);
}

void
hl_scenario_chooser_set_current (HlScenarioChooser *self,
                                 const char        *scenario_id,
                                 const char        *title)
{
  g_return_if_fail (HL_IS_SCENARIO_CHOOSER (self));

  self->current = scenario_id ? hl_scenario_lookup (scenario_id) : NULL;
  gtk_label_set_text (self->button_label, self->current ? self->current->title
                                          : title ? title : _("Custom Handshake"));
  update_checks (self);
}

void
hl_scenario_chooser_popup (HlScenarioChooser *self)
{
  g_return_if_fail (HL_IS_SCENARIO_CHOOSER (self));
  gtk_menu_button_popup (self->button);
}

static void
hl_scenario_chooser_dispose (GObject *object)
{
  /* the bin unparents its child before the template drops it */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), HL_TYPE_SCENARIO_CHOOSER);
  G_OBJECT_CLASS (hl_scenario_chooser_parent_class)->dispose (object);
}

static void
hl_scenario_chooser_class_init (HlScenarioChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_scenario_chooser_dispose;

  /**
   * HlScenarioChooser::scenario-activated:
   * @scenario_id: the id of the scenario picked
   */
  signals[SCENARIO_ACTIVATED] =
    g_signal_new ("scenario-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-scenario-chooser.ui");
  gtk_widget_class_set_css_name (widget_class, "hlscenariochooser");
  gtk_widget_class_bind_template_child (widget_class, HlScenarioChooser, button);
  gtk_widget_class_bind_template_child (widget_class, HlScenarioChooser, button_label);
  gtk_widget_class_bind_template_child (widget_class, HlScenarioChooser, popover);
  gtk_widget_class_bind_template_child (widget_class, HlScenarioChooser, list);
  gtk_widget_class_bind_template_child (widget_class, HlScenarioChooser, custom_button);
}

static void
hl_scenario_chooser_init (HlScenarioChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* not in the template: see hl_tooltip_set_template_texts () */
  hl_tooltip_set_text (GTK_WIDGET (self->button), _("Choose a Scenario (F4)"));
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (popover_show_cb), self);
  gtk_list_box_set_header_func (self->list, header_func, NULL, NULL);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->custom_button, "clicked", G_CALLBACK (gtk_popover_popdown),
                            self->popover);
  hl_scenario_chooser_set_current (self, NULL, _("Choose a Scenario"));
}

GtkWidget *
hl_scenario_chooser_new (void)
{
  return g_object_new (HL_TYPE_SCENARIO_CHOOSER, NULL);
}
