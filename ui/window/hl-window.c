/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-window"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-compare-actions.h"
#include "hl-custom-dialog.h"
#include "hl-connect-dialog.h"
#include "hl-listen-dialog.h"
#include "hl-engine.h"
#include "hl-error.h"
#include "hl-file-actions.h"
#include "hl-inspector.h"
#include "hl-presenter.h"
#include "hl-scenario-chooser.h"
#include "hl-shortcuts.h"
#include "hl-style.h"
#include "hl-trace-check.h"
#include "hl-tooltip.h"
#include "hl-trace-host.h"
#include "hl-window-private.h"
#include "hl-window.h"

/* Order of this file: keeping actions and panels in step with the playhead, showing a trace,
 * properties, the trace host, GObject. Running handshakes (scenarios, custom runs, live mode)
 * is in hl-window-run.c, the actions and keyboard shortcuts in hl-window-actions.c; the struct
 * and what the window is in hl-window-private.h. */

static GParamSpec *properties[N_PROPS];

static void hl_window_trace_host_init (HlTraceHostInterface *iface);
static void build_check_banner (HlWindow *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlWindow, hl_window, ADW_TYPE_APPLICATION_WINDOW,
                               G_IMPLEMENT_INTERFACE (HL_TYPE_TRACE_HOST,
                                                      hl_window_trace_host_init))

/* Following the playhead */

static gboolean
showing_trace (HlWindow *self)
{
  return self->trace != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "trace") == 0;
}

void
hl_win_update_actions (HlWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  HlSequenceView *view = self->sequence_view;
  gboolean shown = showing_trace (self);
  guint step = hl_sequence_view_get_step (view), n = hl_sequence_view_get_n_steps (view);
  double speed = hl_sequence_view_get_speed (view);

  gtk_widget_action_set_enabled (widget, "win.play", shown && n > 0);
  gtk_widget_action_set_enabled (widget, "win.step-forward", shown && step < n);
  gtk_widget_action_set_enabled (widget, "win.step-back", shown && step > 0);
  gtk_widget_action_set_enabled (widget, "win.first", shown && step > 0);
  gtk_widget_action_set_enabled (widget, "win.last", shown && step < n);
  gtk_widget_action_set_enabled (widget, "win.faster", speed < speeds[G_N_ELEMENTS (speeds) - 1]);
  gtk_widget_action_set_enabled (widget, "win.slower", speed > speeds[0]);
  gtk_widget_action_set_enabled (widget, "win.zoom-in",
                                 shown && hl_sequence_view_can_zoom_in (view));
  gtk_widget_action_set_enabled (widget, "win.zoom-out",
                                 shown && hl_sequence_view_can_zoom_out (view));
  gtk_widget_action_set_enabled (widget, "win.zoom-reset",
                                 shown && hl_sequence_view_get_zoom_level (view) != 1);
  gtk_widget_action_set_enabled (widget, "win.run-again",
                                 self->cancellable == NULL &&
                                 (self->scenario_id != NULL || self->has_config));
}

/* The playhead's notifications come in bursts (a new trace: its steps, then the start step;
 * hl_window_set_trace () once more after them): each panel is filled once for what it shows.
 * Filling the details and the inspector for the same step again cost a tenth of a new
 * window's construction. */
static void
update_story (HlWindow *self)
{
  HlEvent *event = hl_sequence_view_get_current_event (self->sequence_view);
  guint step = hl_sequence_view_get_step (self->sequence_view);
  guint n_steps = hl_sequence_view_get_n_steps (self->sequence_view);

  if (self->shown_valid && event == self->shown_event && step == self->shown_step &&
      n_steps == self->shown_n_steps)
    return;
  self->shown_valid = TRUE;
  g_set_object (&self->shown_event, event);
  self->shown_step = step;
  self->shown_n_steps = n_steps;
  hl_story_panel_set_step (self->story, step, n_steps, event,
                           self->trace ? hl_trace_get_description (self->trace) : NULL);
  hl_details_pane_set_event (self->details, self->trace, event, step);
  hl_inspector_set_event (self->inspector, event);
}

static void
view_step_changed_cb (HlWindow *self)
{
  update_story (self);
  hl_win_update_actions (self);
}

static void
view_playing_changed_cb (HlWindow *self)
{
  hl_story_panel_set_playing (self->story, hl_sequence_view_get_playing (self->sequence_view));
  hl_win_update_actions (self);
}

static void
story_seek_cb (HlWindow *self, guint step)
{
  hl_sequence_view_pause (self->sequence_view);
  hl_sequence_view_set_step (self->sequence_view, step);
}

/* A search hit or a link of the inspector lives in another step (0-based position). */
static void
inspector_step_cb (HlWindow *self, guint position)
{
  story_seek_cb (self, position + 1);
}

/* Where the dividers go, from the first size the panes are given (hl-bin-layout.c): the
 * right-hand side gets about a third of the width (440 pixels at least, so a large screen shows
 * 16 bytes a row in the inspector), and the inspector two thirds of that side's height. */
static int
place_side_cb (int width, int max_position, gpointer user_data)
{
  return width - MAX (440, width * 31 / 100);
}

static int
place_inspector_cb (int height, int max_position, gpointer user_data)
{
  /* in 64 bits: a large position times 35 must not overflow */
  return (int) ((gint64) max_position * 35 / 100);
}

static void
update_title (HlWindow *self)
{
  const HlScenario *scenario = NULL;
  g_autofree char *summary = NULL;

  if (self->trace)
    scenario = hl_scenario_lookup (hl_trace_get_scenario (self->trace));

  if (scenario)
    summary = hl_config_dup_summary (&scenario->config);
  else if (self->has_config && self->scenario_id == NULL)
    summary = hl_config_dup_summary (&self->config);
  adw_window_title_set_title (self->window_title,
                              self->trace ? hl_trace_get_title (self->trace) : _("Handshake Lens"));
  adw_window_title_set_subtitle (self->window_title, summary ? summary : "");
  hl_scenario_chooser_set_current (self->chooser, scenario ? scenario->id : NULL,
                                   self->trace ? hl_trace_get_title (self->trace) : NULL);
}

/* Records */

static gboolean
filter_event_cb (gpointer item, gpointer user_data)
{
  HlWindow *self = user_data;

  return hl_event_get_kind (HL_EVENT (item)) != HL_EVENT_RECORD || self->show_records;
}

/* Running */

static void
ecdhe_clicked_cb (HlWindow *self)
{
  hl_window_run_scenario (self, "tls12-ecdhe-rsa");
}

/* The page that says why a run failed, built the first time one does: most windows never show
 * it. */
static void
ensure_error_page (HlWindow *self)
{
  GtkWidget *button;

  if (self->error_page)
    return;
  self->error_page = ADW_STATUS_PAGE (adw_status_page_new ());
  button = gtk_button_new_with_mnemonic (_("Run _ECDHE Key Exchange Instead"));
  gtk_widget_set_visible (button, FALSE);
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (ecdhe_clicked_cb), self);
  adw_status_page_set_child (self->error_page, button);
  self->ecdhe_button = button;
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->error_page), "error");
}

void
hl_win_show_error (HlWindow *self, const GError *error)
{
  g_autofree char *text = g_markup_escape_text (error->message, -1);
  gboolean refused = g_error_matches (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_REFUSED);

  ensure_error_page (self);

  if (refused)
    {
      /* DESIGN.md: GnuTLS 3.8 may be configured without RSAES-PKCS1-v1_5, and then the tls12-rsa
       * scenarios cannot run; say why that is so, and offer the key exchange that replaced it */
      g_autofree char *why = g_markup_escape_text (
        _("RSA key exchange is being retired: the client encrypts the premaster secret with the "
          "server's long-term key, so anyone who later obtains that key can decrypt every "
          "recorded session (no forward secrecy), and its PKCS #1 v1.5 padding has allowed "
          "attacks from Bleichenbacher's in 1998 to ROBOT in 2017. TLS 1.3 removed it. ECDHE "
          "agrees on fresh keys for every handshake instead."), -1);
      g_autofree char *description = g_strdup_printf ("%s\n\n<small>%s</small>", why, text);

      adw_status_page_set_title (self->error_page, _("This System Refuses RSA Key Exchange"));
      adw_status_page_set_description (self->error_page, description);
    }
  else if (g_error_matches (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNAVAILABLE))
    {
      adw_status_page_set_title (self->error_page, _("Not Available With This GnuTLS"));
      adw_status_page_set_description (self->error_page, text);
    }
  else
    {
      adw_status_page_set_title (self->error_page, _("The Handshake Could Not Run"));
      adw_status_page_set_description (self->error_page, text);
    }
  /* set only now: the large icon is a scalable SVG, and loading it at start-up (the page is
   * built with the window) would bring in librsvg for a page most runs never show */
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  gtk_widget_set_visible (self->ecdhe_button, refused);
  gtk_stack_set_visible_child_name (self->stack, "error");
  hl_win_update_actions (self);
}

void
hl_window_set_trace (HlWindow *self, HlTrace *trace)
{
  guint keep = 0;
  gboolean rerun;

  g_return_if_fail (HL_IS_WINDOW (self));
  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (hl_trace_is_finished (trace));

  /* a trace from elsewhere (a file) replaces a run still in flight */
  if (self->cancellable)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->rerun = FALSE;
    }
  rerun = self->rerun && self->trace != NULL;
  if (rerun)
    keep = hl_sequence_view_get_step (self->sequence_view);
  self->rerun = FALSE;

  g_set_object (&self->trace, trace);
  self->shown_valid = FALSE;
  if (self->check_banner)
    gtk_revealer_set_reveal_child (self->check_banner, FALSE);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (trace));
  hl_inspector_set_trace (self->inspector, trace, G_LIST_MODEL (self->filtered));
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "trace");
  hl_sequence_view_set_trace (self->sequence_view, trace);
  update_title (self);

  if (rerun)
    hl_sequence_view_set_step (self->sequence_view, keep);
  else if (self->autoplay)
    hl_sequence_view_play (self->sequence_view);
  else if (self->start_step >= 0)
    hl_sequence_view_set_step (self->sequence_view, self->start_step);
  else
    hl_sequence_view_set_step (self->sequence_view,
                               hl_sequence_view_get_n_steps (self->sequence_view));
  update_story (self);
  hl_win_update_actions (self);
  if (hl_trace_is_order_approximate (trace))
    hl_window_add_toast (self, adw_toast_new (_("This trace is from an older version: its steps "
                                                "are in the order they were sent")));
}

/**
 * hl_window_set_checked_trace:
 * @self: a window
 * @trace: a finished trace, opened from a file
 * @check: (nullable): what hl_trace_check() found in it (its steps already marked)
 *
 * Shows @trace as hl_window_set_trace() does and, when the file's claims do not match its
 * bytes, a banner over it that says how many differences there are and lists them.
 */
void
hl_window_set_checked_trace (HlWindow *self, HlTrace *trace, HlTraceCheck *check)
{
  guint n = check ? hl_trace_check_count (check) : 0;
  g_autofree char *title = NULL;
  g_autofree char *list = NULL;

  g_return_if_fail (HL_IS_WINDOW (self));

  hl_window_set_trace (self, trace);
  if (n == 0)
    return;
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "This file's claims do not match its bytes: %u difference",
                                        "This file's claims do not match its bytes: %u differences",
                                        n), n);
  list = hl_trace_check_dup_text (check);
  if (self->check_banner == NULL)
    build_check_banner (self);
  gtk_label_set_text (self->check_label, title);
  gtk_label_set_text (self->check_list, list);
  gtk_revealer_set_reveal_child (self->check_banner, TRUE);
}

/* The banner, built here rather than in the template: a revealer under the header bar with a
 * line of text and a button that lists the differences (libadwaita 1.2 has no AdwBanner).
 * Built the first time a file's claims do not match: a window that never needs it spares its
 * twenty widgets. */
static void
build_check_banner (HlWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_label_new (NULL);
  GtkWidget *revealer = gtk_revealer_new ();

  gtk_widget_add_css_class (box, "check-banner");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_selectable (GTK_LABEL (list), TRUE);
  gtk_label_set_wrap (GTK_LABEL (list), TRUE);
  gtk_label_set_xalign (GTK_LABEL (list), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (list), 90);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 400);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Show Differences"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  gtk_revealer_set_transition_type (GTK_REVEALER (revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->stack))),
                              revealer, GTK_WIDGET (self->header_revealer));
  self->check_banner = GTK_REVEALER (revealer);
  self->check_label = GTK_LABEL (label);
  self->check_list = GTK_LABEL (list);
}

HlTrace *
hl_window_get_trace (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->trace;
}

/**
 * hl_window_shows_error:
 * @self: a window
 *
 * Whether the window shows why the handshake could not run instead of a trace.
 *
 * Returns: %TRUE while the error page is shown
 */
gboolean
hl_window_shows_error (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0;
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

/* Properties */

static const char *
style_variant (void)
{
  switch (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()))
    {
    case ADW_COLOR_SCHEME_FORCE_LIGHT: return "light";
    case ADW_COLOR_SCHEME_FORCE_DARK: return "dark";
    case ADW_COLOR_SCHEME_DEFAULT:
    case ADW_COLOR_SCHEME_PREFER_LIGHT:
    case ADW_COLOR_SCHEME_PREFER_DARK:
    default: return "default";
    }
}

static void
set_style_variant (const char *variant)
{
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (variant, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (variant, "dark") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

static void
hl_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HlWindow *self = HL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_RECORDS: g_value_set_boolean (value, self->show_records); break;
    case PROP_SHOW_DETAILS: g_value_set_boolean (value, self->show_details); break;
    case PROP_SPEED: g_value_set_double (value, self->speed); break;
    case PROP_STYLE_VARIANT: g_value_set_string (value, style_variant ()); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HlWindow *self = HL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_RECORDS:
      if (g_value_get_boolean (value) != self->show_records)
        {
          self->show_records = g_value_get_boolean (value);
          hl_sequence_view_set_show_records (self->sequence_view, self->show_records);
          gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SHOW_DETAILS:
      if (g_value_get_boolean (value) != self->show_details)
        {
          self->show_details = g_value_get_boolean (value);
          gtk_widget_set_visible (GTK_WIDGET (self->side_bin), self->show_details);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SPEED:
      if (g_value_get_double (value) != self->speed)
        {
          self->speed = g_value_get_double (value);
          hl_sequence_view_set_speed (self->sequence_view, self->speed);
          hl_story_panel_set_speed (self->story, self->speed);
          hl_win_update_actions (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_STYLE_VARIANT:
      set_style_variant (g_value_get_string (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
color_scheme_changed_cb (HlWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STYLE_VARIANT]);
}

void
hl_window_set_autoplay (HlWindow *self, gboolean autoplay)
{
  g_return_if_fail (HL_IS_WINDOW (self));
  self->autoplay = autoplay;
}

void
hl_window_set_start_step (HlWindow *self, int start_step)
{
  g_return_if_fail (HL_IS_WINDOW (self));
  self->start_step = start_step;
}

HlSequenceView *
hl_window_get_sequence_view (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->sequence_view;
}

HlStoryPanel *
hl_window_get_story_panel (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->story;
}

HlDetailsPane *
hl_window_get_details_pane (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->details;
}

HlInspector *
hl_window_get_inspector (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->inspector;
}

HlFileActions *
hl_window_get_file_actions (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->files;
}

HlPresenter *
hl_window_get_presenter (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->presenter;
}

void
hl_window_add_toast (HlWindow *self, AdwToast *toast)
{
  g_return_if_fail (HL_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* HlTraceHost: what the file and compare actions use of the window */

static HlTrace *
host_get_trace (HlTraceHost *host)
{
  return hl_window_get_trace (HL_WINDOW (host));
}

static HlSequenceView *
host_get_sequence_view (HlTraceHost *host)
{
  return HL_WINDOW (host)->sequence_view;
}

static void
host_show_checked_trace (HlTraceHost *host, HlTrace *trace, HlTraceCheck *check)
{
  hl_window_set_checked_trace (HL_WINDOW (host), trace, check);
}

static void
host_add_toast (HlTraceHost *host, AdwToast *toast)
{
  hl_window_add_toast (HL_WINDOW (host), toast);
}

static void
hl_window_trace_host_init (HlTraceHostInterface *iface)
{
  iface->get_trace = host_get_trace;
  iface->get_sequence_view = host_get_sequence_view;
  iface->show_checked_trace = host_show_checked_trace;
  iface->add_toast = host_add_toast;
}

/* The main menu as a popover is a hundred widgets or so and a watch on each item's action:
 * made when first opened (click, F10), not with the window. */
static void
create_menu_cb (GtkMenuButton *button, gpointer user_data)
{
  HlWindow *self = HL_WINDOW (user_data);

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

/* GObject */

static void
hl_window_dispose (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->listen_dialog)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->listen_dialog),
                                    (gpointer *) &self->listen_dialog);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->listen_dialog)));
    }
  g_clear_object (&self->files);
  g_clear_object (&self->presenter);
  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (),
                                        color_scheme_changed_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_WINDOW);
  g_clear_object (&self->filtered);
  g_clear_object (&self->trace);
  g_clear_object (&self->shown_event);
  G_OBJECT_CLASS (hl_window_parent_class)->dispose (object);
}

static void
hl_window_finalize (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);

  g_free (self->scenario_id);
  g_free (self->title);
  g_free (self->description);
  G_OBJECT_CLASS (hl_window_parent_class)->finalize (object);
}

static void
hl_window_class_init (HlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_window_dispose;
  object_class->finalize = hl_window_finalize;
  object_class->get_property = hl_window_get_property;
  object_class->set_property = hl_window_set_property;

  properties[PROP_SHOW_RECORDS] =
    g_param_spec_boolean ("show-records", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_DETAILS] =
    g_param_spec_boolean ("show-details", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, HL_SEQUENCE_VIEW_MIN_SPEED,
                         HL_SEQUENCE_VIEW_MAX_SPEED, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STYLE_VARIANT] =
    g_param_spec_string ("style-variant", NULL, NULL, "default",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HL_TYPE_SCENARIO_CHOOSER);
  g_type_ensure (HL_TYPE_SEQUENCE_VIEW);
  g_type_ensure (HL_TYPE_STORY_PANEL);
  g_type_ensure (HL_TYPE_DETAILS_PANE);
  g_type_ensure (HL_TYPE_INSPECTOR);
  g_type_ensure (HL_TYPE_BIN_LAYOUT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/hl-window.ui");
  gtk_widget_class_set_css_name (widget_class, "hlwindow");
  gtk_widget_class_bind_template_child (widget_class, HlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, header_revealer);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, chooser);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, sequence_view);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, story);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, details);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, split);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, side_bin);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, side_split);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, primary_menu);
  /* for their tooltips only (hl_tooltip_set_template_texts ()) */
  gtk_widget_class_bind_template_child_full (widget_class, "run_again_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "details_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "fullscreen_button", FALSE, 0);
  hl_file_actions_install (widget_class);
  hl_presenter_install (widget_class);
  hl_compare_actions_install (widget_class);
  hl_win_install_actions (widget_class);
}

static void
hl_window_init (HlWindow *self)
{
  /* before the template: the property actions read these as their first state */
  self->autoplay = TRUE;
  self->start_step = -1;
  self->show_details = TRUE;
  self->speed = 1;

  hl_style_init (gtk_widget_get_display (GTK_WIDGET (self)));
  gtk_widget_init_template (GTK_WIDGET (self));
  /* not in the template: see hl_tooltip_set_template_texts () (the main menu's stays there) */
  hl_tooltip_set_template_texts (GTK_WIDGET (self), HL_TYPE_WINDOW,
                                 "run_again_button",
                                 _("Run Again (Ctrl+R): a fresh real handshake with new random "
                                   "values"),
                                 "details_button", _("Details Pane (F9)"),
                                 "fullscreen_button", _("Fullscreen (F11)"), NULL);
  self->files = hl_file_actions_new (HL_TRACE_HOST (self));
  self->presenter = hl_presenter_new (GTK_WINDOW (self), self->sequence_view,
                                      GTK_WIDGET (self->story));
  hl_compare_actions_init (HL_TRACE_HOST (self));
  hl_shortcuts_install (GTK_APPLICATION_WINDOW (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_cb, self, NULL);
  self->filter = gtk_custom_filter_new (filter_event_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));

  g_signal_connect_swapped (self->chooser, "scenario-activated",
                            G_CALLBACK (hl_win_scenario_activated_cb), self);
  g_signal_connect_swapped (self->sequence_view, "notify::step",
                            G_CALLBACK (view_step_changed_cb), self);
  g_signal_connect_swapped (self->sequence_view, "notify::n-steps",
                            G_CALLBACK (view_step_changed_cb), self);
  g_signal_connect_swapped (self->sequence_view, "notify::playing",
                            G_CALLBACK (view_playing_changed_cb), self);
  g_signal_connect_swapped (self->sequence_view, "notify::zoom",
                            G_CALLBACK (hl_win_update_actions), self);
  g_signal_connect_swapped (self->story, "seek", G_CALLBACK (story_seek_cb), self);
  g_signal_connect_swapped (self->inspector, "step-requested", G_CALLBACK (inspector_step_cb),
                            self);
  hl_bin_layout_set_place_func (self->split, place_side_cb, NULL);
  hl_bin_layout_set_place_func (self->side_split, place_inspector_cb, NULL);
  g_signal_connect_swapped (self, "notify::fullscreened",
                            G_CALLBACK (hl_win_fullscreen_changed_cb), self);
  g_signal_connect_swapped (self->presenter, "notify::active",
                            G_CALLBACK (hl_win_fullscreen_changed_cb), self);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::color-scheme",
                            G_CALLBACK (color_scheme_changed_cb), self);
  hl_win_add_shortcuts (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-fullscreen", FALSE);
  hl_win_update_actions (self);
  update_story (self);
}

HlWindow *
hl_window_new (GtkApplication *application)
{
  return g_object_new (HL_TYPE_WINDOW, "application", application, NULL);
}
