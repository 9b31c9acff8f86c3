/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-window"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-engine.h"
#include "hl-scenario.h"
#include "hl-window.h"

struct _HlWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkDropDown          *scenario_dropdown;
  GtkToggleButton      *records_toggle;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  GtkLabel             *description_label;
  GtkListView          *event_list;

  /* owned */
  HlTrace              *trace;
  GtkFilterListModel   *filtered;
  GtkCustomFilter      *filter;
  GCancellable         *cancellable;
  char                 *scenario_id;
  gboolean              updating_dropdown;
};

G_DEFINE_FINAL_TYPE (HlWindow, hl_window, ADW_TYPE_APPLICATION_WINDOW)

/* Event list rows */

static void
setup_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *number = gtk_label_new (NULL);
  GtkWidget *side = gtk_label_new (NULL);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *caption = gtk_label_new (NULL);
  GtkWidget *technical = gtk_label_new (NULL);

  gtk_widget_add_css_class (row, "event-row");
  gtk_widget_add_css_class (number, "event-number");
  gtk_widget_add_css_class (number, "dim-label");
  gtk_widget_add_css_class (side, "event-side");
  gtk_widget_add_css_class (name, "event-name");
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (technical, "event-technical");
  gtk_widget_add_css_class (technical, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (number), 1);
  gtk_widget_set_valign (number, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (side), 0);
  gtk_widget_set_valign (side, GTK_ALIGN_START);
  for (GtkWidget *l = name; l; l = l == name ? caption : l == caption ? technical : NULL)
    {
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
      gtk_box_append (GTK_BOX (text), l);
    }
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (row), number);
  gtk_box_append (GTK_BOX (row), side);
  gtk_box_append (GTK_BOX (row), text);
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  HlEvent *event = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *number = gtk_widget_get_first_child (row);
  GtkWidget *side = gtk_widget_get_next_sibling (number);
  GtkWidget *text = gtk_widget_get_next_sibling (side);
  GtkWidget *name = gtk_widget_get_first_child (text);
  GtkWidget *caption = gtk_widget_get_next_sibling (name);
  GtkWidget *technical = gtk_widget_get_next_sibling (caption);
  HlEventKind kind = hl_event_get_kind (event);
  HlCheck check = hl_event_get_check (event);
  /* Steps are numbered as listed (records hidden or not), like the story people follow. */
  g_autofree char *num = g_strdup_printf ("%u", gtk_list_item_get_position (item) + 1);
  g_autofree char *title = NULL;
  const char *side_label;

  if (kind == HL_EVENT_ACTION)
    side_label = hl_side_to_label (hl_event_get_side (event));
  else
    side_label = hl_event_get_side (event) == HL_SIDE_CLIENT ? _("Client →") : _("← Server");

  if (hl_event_get_length (event) > 0 && kind != HL_EVENT_ACTION)
    {
      gsize len = hl_event_get_length (event);
      g_autofree char *size = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GSIZE_FORMAT
                                                            " byte", "%" G_GSIZE_FORMAT " bytes",
                                                            len), len);

      title = g_strdup_printf ("%s  ·  %s%s", hl_event_get_name (event), size,
                               hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT
                                 ? _("  ·  encrypted") : "");
    }
  else
    title = g_strdup_printf ("%s%s", hl_event_get_name (event),
                             check == HL_CHECK_OK ? "  ✓" : check == HL_CHECK_FAILED ? "  ✗" : "");

  gtk_label_set_text (GTK_LABEL (number), num);
  gtk_label_set_text (GTK_LABEL (side), side_label);
  gtk_label_set_text (GTK_LABEL (name), title);
  gtk_label_set_text (GTK_LABEL (caption), hl_event_get_caption (event));
  gtk_label_set_text (GTK_LABEL (technical), hl_event_get_technical (event));

  gtk_widget_remove_css_class (side, "client");
  gtk_widget_remove_css_class (side, "server");
  gtk_widget_add_css_class (side, hl_event_get_side (event) == HL_SIDE_CLIENT ? "client"
                                                                              : "server");
  gtk_widget_remove_css_class (row, "failed");
  gtk_widget_remove_css_class (row, "alert");
  if (check == HL_CHECK_FAILED)
    gtk_widget_add_css_class (row, "failed");
  if (kind == HL_EVENT_ALERT && hl_event_get_alert_level (event) == 2)
    gtk_widget_add_css_class (row, "alert");
}

static gboolean
filter_event_cb (gpointer item, gpointer user_data)
{
  HlWindow *self = user_data;

  return hl_event_get_kind (HL_EVENT (item)) != HL_EVENT_RECORD ||
         gtk_toggle_button_get_active (self->records_toggle);
}

static void
records_toggled_cb (GtkToggleButton *button, HlWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Running */

static void
show_error (HlWindow *self, const char *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
update_title (HlWindow *self)
{
  const HlScenario *scenario = self->trace ? hl_scenario_lookup (hl_trace_get_scenario (self->trace))
                                           : NULL;
  g_autofree char *summary = scenario ? hl_config_dup_summary (&scenario->config) : NULL;

  adw_window_title_set_title (self->window_title,
                              self->trace ? hl_trace_get_title (self->trace) : _("Handshake Lens"));
  adw_window_title_set_subtitle (self->window_title, summary ? summary : "");
}

void
hl_window_set_trace (HlWindow *self, HlTrace *trace)
{
  g_return_if_fail (HL_IS_WINDOW (self));
  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (hl_trace_is_finished (trace));

  g_set_object (&self->trace, trace);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (trace));
  gtk_label_set_text (self->description_label, hl_trace_get_description (trace));
  update_title (self);
  gtk_stack_set_visible_child_name (self->stack, "trace");
  gtk_spinner_stop (self->spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-again",
                                 hl_scenario_lookup (hl_trace_get_scenario (trace)) != NULL);
}

HlTrace *
hl_window_get_trace (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->trace;
}

gboolean
hl_window_is_busy (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), FALSE);
  return self->cancellable != NULL;
}

GListModel *
hl_window_get_event_model (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

static void
run_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(HlWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-again", TRUE);
  if (trace == NULL)
    {
      show_error (self, error->message);
      return;
    }
  hl_window_set_trace (self, trace);
}

static void
select_in_dropdown (HlWindow *self, const char *scenario_id)
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (all[i].id, scenario_id))
      {
        self->updating_dropdown = TRUE;
        gtk_drop_down_set_selected (self->scenario_dropdown, i);
        self->updating_dropdown = FALSE;
      }
}

void
hl_window_run_scenario (HlWindow *self, const char *scenario_id)
{
  const HlScenario *scenario;

  g_return_if_fail (HL_IS_WINDOW (self));
  g_return_if_fail (scenario_id != NULL);

  scenario = hl_scenario_lookup (scenario_id);
  if (scenario == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("Unknown scenario “%s”"), scenario_id);
      show_error (self, msg);
      return;
    }
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_free (self->scenario_id);
  self->scenario_id = g_strdup (scenario_id);
  select_in_dropdown (self, scenario_id);

  gtk_spinner_start (self->spinner);
  /* Keep showing the previous trace while a re-run of the same scenario is in flight. */
  if (self->trace == NULL || g_strcmp0 (hl_trace_get_scenario (self->trace), scenario_id) != 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-again", FALSE);
  hl_engine_run_async (&scenario->config, scenario->id, scenario->title, scenario->description,
                       self->cancellable, run_done_cb, g_object_ref (self));
}

static void
scenario_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, HlWindow *self)
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating_dropdown || selected >= n)
    return;
  if (g_strcmp0 (self->scenario_id, all[selected].id) != 0)
    hl_window_run_scenario (self, all[selected].id);
}

static void
run_again_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  const char *id = self->scenario_id ? self->scenario_id
                   : self->trace ? hl_trace_get_scenario (self->trace) : "tls12-rsa";

  hl_window_run_scenario (self, id);
}

/* GObject */

static void
hl_window_dispose (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->trace);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_WINDOW);
  G_OBJECT_CLASS (hl_window_parent_class)->dispose (object);
}

static void
hl_window_finalize (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);

  g_free (self->scenario_id);
  G_OBJECT_CLASS (hl_window_parent_class)->finalize (object);
}

static void
hl_window_class_init (HlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_window_dispose;
  object_class->finalize = hl_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/hl-window.ui");
  gtk_widget_class_set_css_name (widget_class, "hlwindow");
  gtk_widget_class_bind_template_child (widget_class, HlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, scenario_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, records_toggle);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, description_label);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, event_list);

  gtk_widget_class_install_action (widget_class, "win.run-again", NULL, run_again_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.run-again", NULL);
}

static void
hl_window_init (HlWindow *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  GtkListItemFactory *factory;
  GtkNoSelection *selection;
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (titles, all[i].title);
  self->updating_dropdown = TRUE;
  gtk_drop_down_set_model (self->scenario_dropdown, G_LIST_MODEL (titles));
  self->updating_dropdown = FALSE;
  g_signal_connect (self->scenario_dropdown, "notify::selected",
                    G_CALLBACK (scenario_selected_cb), self);

  self->filter = gtk_custom_filter_new (filter_event_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  selection = gtk_no_selection_new (G_LIST_MODEL (self->filtered));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->event_list, factory);
  gtk_list_view_set_model (self->event_list, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
  g_object_unref (selection);
  g_signal_connect (self->records_toggle, "toggled", G_CALLBACK (records_toggled_cb), self);
}

HlWindow *
hl_window_new (GtkApplication *application)
{
  return g_object_new (HL_TYPE_WINDOW, "application", application, NULL);
}
