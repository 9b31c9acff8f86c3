/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare-window"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-compare.h"
#include "hl-compare-painter.h"
#include "hl-compare-window.h"
#include "hl-trace-decode.h"

/* Order of this file: the struct, the summary strip and table, the field differences, the
 * playheads, loading, actions, properties, GObject.
 *
 * Two handshakes side by side (HlCompareView), the figures that tell them apart above them,
 * and beside them what differs, field by field, in the row selected on either side. */

#define PRESENT_FONT_SCALE 1.45

struct _HlCompareWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  GtkRevealer          *header_revealer;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  GtkPaned             *paned;
  GtkGrid              *strip;
  GtkScrolledWindow    *scroller;
  HlCompareView        *view;
  GtkBox               *controls;
  GtkLabel             *position;
  GtkBox               *side;
  GtkStack             *side_stack;
  GtkLabel             *diff_title;
  GtkLabel             *diff_subtitle;
  GtkGrid              *diff_grid;
  GtkGrid              *summary_grid;

  /* owned */
  HlTrace              *traces[2];
  HlTrace              *loaded[2];
  GCancellable         *cancellable;
  guint                 pending;
  gboolean              linked;
  gboolean              show_equal;
  gboolean              show_side;
  gboolean              presenting;
  guint                 active_side;   /* the side stepped alone: the one last clicked */
  guint                 n_differences;
};

enum
{
  PROP_0,
  PROP_LINKED,
  PROP_SHOW_EQUAL,
  PROP_SHOW_SIDE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HlCompareWindow, hl_compare_window, ADW_TYPE_APPLICATION_WINDOW)

static void
clear_children (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)))
    {
      if (GTK_IS_BOX (container))
        gtk_box_remove (GTK_BOX (container), child);
      else
        gtk_grid_remove (GTK_GRID (container), child);
    }
}

static GtkWidget *
label_new (const char *text, const char *css_class, gboolean wrap)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    }
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* The summary strip and table */

/* The lines of hl_compare_summary_lines() that the strip shows: the ones a lecture is about. */
static const guint strip_lines[] = { 3, 4, 6, 8 };

static void
fill_summary (HlCompareWindow *self)
{
  g_autoptr(HlCompareSummary) left = hl_compare_summary_new (self->traces[0]);
  g_autoptr(HlCompareSummary) right = hl_compare_summary_new (self->traces[1]);
  g_autoptr(GPtrArray) lines = hl_compare_summary_lines (left, right);
  const char *ids[2] = { hl_trace_get_scenario (self->traces[0]),
                         hl_trace_get_scenario (self->traces[1]) };
  int y = 0;

  clear_children (GTK_WIDGET (self->strip));
  for (guint i = 0; i < G_N_ELEMENTS (strip_lines); i++)
    {
      const HlCompareLine *line = lines->pdata[strip_lines[i]];
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *grid = gtk_grid_new ();
      const char *values[2] = { hl_compare_tr (line->left), hl_compare_tr (line->right) };

      gtk_widget_add_css_class (card, "card");
      gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
      g_object_set (grid, "margin-start", 10, "margin-end", 10, "margin-top", 8,
                    "margin-bottom", 8, NULL);
      gtk_grid_attach (GTK_GRID (grid),
                       label_new (hl_compare_tr (line->label), "caption-heading", TRUE),
                       0, 0, 2, 1);
      for (guint s = 0; s < 2; s++)
        {
          GtkWidget *id = label_new (ids[s], "dim-label", FALSE);
          GtkWidget *value = label_new (values[s], line->differs ? "heading" : NULL, TRUE);

          gtk_label_set_ellipsize (GTK_LABEL (id), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (id), 16);
          gtk_widget_set_hexpand (value, TRUE);
          gtk_grid_attach (GTK_GRID (grid), id, 0, 1 + s, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), value, 1, 1 + s, 1, 1);
        }
      gtk_box_append (GTK_BOX (card), grid);
      gtk_grid_attach (self->strip, card, (int) i, 0, 1, 1);
    }

  clear_children (GTK_WIDGET (self->summary_grid));
  for (guint s = 0; s < 2; s++)
    {
      GtkWidget *title = label_new (hl_trace_get_title (self->traces[s]), "heading", TRUE);

      gtk_grid_attach (self->summary_grid, title, s, y, 1, 1);
    }
  y++;
  for (guint i = 0; i < lines->len; i++)
    {
      const HlCompareLine *line = lines->pdata[i];
      GtkWidget *l = label_new (hl_compare_tr (line->left), line->differs ? "accent" : NULL, TRUE);
      GtkWidget *r = label_new (hl_compare_tr (line->right), line->differs ? "accent" : NULL, TRUE);

      gtk_grid_attach (self->summary_grid,
                       label_new (hl_compare_tr (line->label), "caption-heading", TRUE),
                       0, y++, 2, 1);
      gtk_widget_set_hexpand (l, TRUE);
      gtk_widget_set_hexpand (r, TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (l), 20);
      gtk_label_set_max_width_chars (GTK_LABEL (r), 20);
      gtk_grid_attach (self->summary_grid, l, 0, y, 1, 1);
      gtk_grid_attach (self->summary_grid, r, 1, y++, 1, 1);
    }
}

/* The field differences */

static HlEvent *
row_event (HlCompareWindow *self, const HlCompareRow *row, guint side)
{
  int index = side == 0 ? row->left : row->right;

  return index >= 0 ? hl_trace_get_event (self->traces[side], index) : NULL;
}

static HlField *
decode (HlTrace *trace, HlEvent *event)
{
  g_autoptr(GError) error = NULL;
  HlField *field;

  if (event == NULL || hl_event_get_kind (event) == HL_EVENT_ACTION ||
      hl_event_get_kind (event) == HL_EVENT_NOTE)
    return NULL;
  field = hl_trace_decode_event (trace, event, &error);
  if (error)
    g_debug ("event %u does not decode: %s", hl_event_get_index (event), error->message);
  return field;
}

static void
add_diff_row (HlCompareWindow *self, int y, const HlFieldDiff *diff)
{
  static const char *classes[] = { "dim-label", "accent", "warning", "warning" };
  GtkWidget *name = label_new (diff->name, diff->kind == HL_FIELD_DIFF_SAME ? "dim-label"
                                                                           : NULL, FALSE);
  const char *values[2] = { diff->left, diff->right };

  gtk_widget_set_margin_start (name, 12 * MIN (diff->depth, 8));
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 24);
  gtk_grid_attach (self->diff_grid, name, 0, y, 1, 1);
  for (guint s = 0; s < 2; s++)
    {
      const char *text = values[s] ? values[s] : _("—");
      GtkWidget *value = label_new (text, values[s] ? classes[diff->kind] : "dim-label", FALSE);

      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (value), 18);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_set_tooltip_text (value, text);
      gtk_grid_attach (self->diff_grid, value, 1 + s, y, 1, 1);
    }
}

static void
update_differences (HlCompareWindow *self)
{
  int selected = hl_compare_view_get_selected (self->view);
  GArray *rows = hl_compare_view_get_rows (self->view);
  const HlCompareRow *row;
  HlEvent *events[2];
  g_autoptr(HlField) left = NULL;
  g_autoptr(HlField) right = NULL;
  g_autoptr(GPtrArray) diffs = NULL;
  g_autofree char *title = NULL;
  int y = 0;

  clear_children (GTK_WIDGET (self->diff_grid));
  self->n_differences = 0;
  if (rows == NULL || selected < 0 || (guint) selected >= rows->len)
    {
      gtk_label_set_text (self->diff_title, _("Select a row in either diagram"));
      gtk_label_set_text (self->diff_subtitle,
                          _("Its two messages are compared here, field by field."));
      return;
    }
  row = &g_array_index (rows, HlCompareRow, selected);
  for (guint s = 0; s < 2; s++)
    events[s] = row_event (self, row, s);
  title = g_strdup_printf ("%s  ↔  %s",
                           events[0] ? hl_compare_step_label (events[0]) : _("(nothing)"),
                           events[1] ? hl_compare_step_label (events[1]) : _("(nothing)"));
  gtk_label_set_text (self->diff_title, title);

  left = decode (self->traces[0], events[0]);
  right = decode (self->traces[1], events[1]);
  if (left == NULL && right == NULL)
    {
      /* local steps: their captions say what each side does */
      g_autofree char *text = g_strdup_printf ("%s\n\n%s",
                                               events[0] ? hl_event_get_caption (events[0]) : "—",
                                               events[1] ? hl_event_get_caption (events[1]) : "—");

      gtk_label_set_text (self->diff_subtitle, text);
      return;
    }
  switch (row->kind)
    {
    case HL_COMPARE_ROW_MATCH:
      gtk_label_set_text (self->diff_subtitle, self->show_equal
                          ? _("Every field; what differs is highlighted.")
                          : _("Only what differs: values, and fields only one side has."));
      break;
    case HL_COMPARE_ROW_LEFT:
    case HL_COMPARE_ROW_RIGHT:
      gtk_label_set_text (self->diff_subtitle, _("Only one handshake has this step."));
      break;
    case HL_COMPARE_ROW_PAIR:
    default:
      gtk_label_set_text (self->diff_subtitle, _("Different steps at the same point."));
      break;
    }

  diffs = hl_compare_fields (left, right);
  for (guint s = 0; s < 2; s++)
    {
      const char *id = hl_trace_get_scenario (self->traces[s]);

      gtk_grid_attach (self->diff_grid, label_new (id, "caption-heading", FALSE), 1 + s, y, 1, 1);
    }
  y++;
  for (guint i = 0; i < diffs->len; i++)
    {
      const HlFieldDiff *diff = diffs->pdata[i];

      if (diff->kind == HL_FIELD_DIFF_SAME && !self->show_equal)
        continue;
      add_diff_row (self, y++, diff);
      self->n_differences++;
    }
}

static void
selection_changed_cb (HlCompareWindow *self)
{
  if (hl_compare_view_get_selected (self->view) >= 0)
    self->active_side = hl_compare_view_get_selected_side (self->view);
  update_differences (self);
}

/* The playheads */

static gboolean
has_step (HlCompareWindow *self, guint row, guint side)
{
  GArray *rows = hl_compare_view_get_rows (self->view);
  const HlCompareRow *r = &g_array_index (rows, HlCompareRow, row);

  return (side == 0 ? r->left : r->right) >= 0;
}

static void
update_position (HlCompareWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n = hl_compare_view_get_n_rows (self->view);
  guint l = hl_compare_view_get_shown (self->view, 0), r = hl_compare_view_get_shown (self->view, 1);
  gboolean ready = hl_compare_window_is_ready (self);
  g_autofree char *text = NULL;
  guint active = self->linked ? MIN (l, r) : hl_compare_view_get_shown (self->view,
                                                                         self->active_side);
  guint active_max = self->linked ? MAX (l, r) : active;

  if (self->linked)
    text = g_strdup_printf (_("Row %u of %u"), l, n);
  else
    text = g_strdup_printf (_("Stepping %s alone · left %u, right %u of %u rows"),
                            self->active_side == 0 ? _("the left side") : _("the right side"),
                            l, r, n);
  gtk_label_set_text (self->position, ready ? text : "");
  gtk_widget_action_set_enabled (widget, "win.step-forward", ready && active < n);
  gtk_widget_action_set_enabled (widget, "win.last", ready && active < n);
  gtk_widget_action_set_enabled (widget, "win.next-phase", ready && active < n);
  gtk_widget_action_set_enabled (widget, "win.step-back", ready && active_max > 0);
  gtk_widget_action_set_enabled (widget, "win.first", ready && active_max > 0);
}

static void
set_shown (HlCompareWindow *self, guint side, guint shown)
{
  hl_compare_view_set_shown (self->view, side, shown);
}

static void
step (HlCompareWindow *self, int direction)
{
  guint n = hl_compare_view_get_n_rows (self->view);

  if (self->linked)
    {
      guint shown = MIN (hl_compare_view_get_shown (self->view, 0),
                         hl_compare_view_get_shown (self->view, 1));

      if (direction > 0 && shown < n)
        shown++;
      else if (direction < 0)
        shown = MAX (MAX (hl_compare_view_get_shown (self->view, 0),
                          hl_compare_view_get_shown (self->view, 1)), 1) - 1;
      shown = MIN (shown, n);
      set_shown (self, 0, shown);
      set_shown (self, 1, shown);
      return;
    }

  /* alone: to the next (previous) row where this side has a step of its own */
  {
    guint s = self->active_side, shown = hl_compare_view_get_shown (self->view, s);

    if (direction > 0)
      {
        guint k = shown;

        while (k < n && !has_step (self, k, s))
          k++;
        set_shown (self, s, MIN (k + 1, n));
      }
    else if (shown > 0)
      {
        int k = (int) shown - 2;

        while (k >= 0 && !has_step (self, k, s))
          k--;
        set_shown (self, s, (guint) (k + 1));
      }
  }
}

/* A row's phase on one side: how the last message up to it travelled (in the clear, with
 * handshake keys, with application keys). */
static int
phase_of (HlCompareWindow *self, guint row, guint side)
{
  GArray *rows = hl_compare_view_get_rows (self->view);

  for (int k = (int) row; k >= 0; k--)
    {
      const HlCompareRow *r = &g_array_index (rows, HlCompareRow, k);
      int index = side == 0 ? r->left : r->right;
      HlEvent *event = index >= 0 ? hl_trace_get_event (self->traces[side], index) : NULL;

      if (event && hl_event_get_kind (event) != HL_EVENT_ACTION &&
          hl_event_get_kind (event) != HL_EVENT_NOTE)
        return hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT ? 0 : 1;
    }
  return 0;
}

/* Both sides to the end of the phase the next row belongs to. */
static void
next_phase (HlCompareWindow *self)
{
  guint n = hl_compare_view_get_n_rows (self->view);
  guint k = MIN (hl_compare_view_get_shown (self->view, 0),
                 hl_compare_view_get_shown (self->view, 1));
  int p0, p1;

  if (k >= n)
    return;
  p0 = phase_of (self, k, 0);
  p1 = phase_of (self, k, 1);
  while (k < n && phase_of (self, k, 0) == p0 && phase_of (self, k, 1) == p1)
    k++;
  set_shown (self, 0, k);
  set_shown (self, 1, k);
}

/* Loading */

void
hl_compare_window_set_traces (HlCompareWindow *self, HlTrace *left, HlTrace *right)
{
  g_autofree char *title = NULL;

  g_return_if_fail (HL_IS_COMPARE_WINDOW (self));
  g_return_if_fail (HL_IS_TRACE (left) && HL_IS_TRACE (right));

  g_set_object (&self->traces[0], left);
  g_set_object (&self->traces[1], right);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "compare");
  hl_compare_view_set_traces (self->view, left, right);
  title = g_strdup_printf ("%s  ↔  %s", hl_trace_get_scenario (left),
                           hl_trace_get_scenario (right));
  adw_window_title_set_title (self->window_title, _("Compare Handshakes"));
  adw_window_title_set_subtitle (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  fill_summary (self);
  /* the first matched row (the two ClientHellos) already compared: what the pane is for */
  {
    GArray *rows = hl_compare_view_get_rows (self->view);
    guint first = 0;

    while (first + 1 < rows->len &&
           g_array_index (rows, HlCompareRow, first).kind != HL_COMPARE_ROW_MATCH)
      first++;
    hl_compare_view_select (self->view, rows->len > 0 ? (int) first : -1, 0);
  }
  update_differences (self);
  update_position (self);
}

static void
show_error (HlCompareWindow *self, const char *message)
{
  gtk_spinner_stop (self->spinner);
  /* set only when shown, as in the main window: the large icon would load librsvg */
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

typedef struct
{
  HlCompareWindow *self;
  guint            side;
} LoadData;

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LoadData *data = user_data;
  g_autoptr(HlCompareWindow) self = data->self;
  guint side = data->side;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_compare_load_finish (result, &error);

  g_free (data);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (trace == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      show_error (self, error->message);
      return;
    }
  g_set_object (&self->loaded[side], trace);
  if (--self->pending == 0)
    {
      hl_compare_window_set_traces (self, self->loaded[0], self->loaded[1]);
      g_clear_object (&self->loaded[0]);
      g_clear_object (&self->loaded[1]);
    }
}

/* Loads the sides whose @specs are given; the others must be in self->loaded already. */
static void
load (HlCompareWindow *self, const char *const specs[2])
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->traces[0]);
  g_clear_object (&self->traces[1]);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_start (self->spinner);
  self->pending = 0;
  for (guint s = 0; s < 2; s++)
    if (specs[s])
      {
        LoadData *data = g_new0 (LoadData, 1);

        data->self = g_object_ref (self);
        data->side = s;
        self->pending++;
        hl_compare_load_async (specs[s], self->cancellable, loaded_cb, data);
      }
  update_position (self);
}

void
hl_compare_window_load (HlCompareWindow *self, const char *left, const char *right)
{
  const char *specs[2] = { left, right };

  g_return_if_fail (HL_IS_COMPARE_WINDOW (self));
  g_return_if_fail (left != NULL && right != NULL);

  load (self, specs);
}

void
hl_compare_window_compare_with (HlCompareWindow *self, HlTrace *left, const char *right)
{
  const char *specs[2] = { NULL, right };

  g_return_if_fail (HL_IS_COMPARE_WINDOW (self));
  g_return_if_fail (HL_IS_TRACE (left));
  g_return_if_fail (right != NULL);

  g_set_object (&self->loaded[0], left);
  load (self, specs);
}

gboolean
hl_compare_window_is_ready (HlCompareWindow *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_WINDOW (self), FALSE);
  return self->traces[0] != NULL && self->traces[1] != NULL;
}

HlCompareView *
hl_compare_window_get_view (HlCompareWindow *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_WINDOW (self), NULL);
  return self->view;
}

guint
hl_compare_window_get_n_differences (HlCompareWindow *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_WINDOW (self), 0);
  return self->n_differences;
}

const char *
hl_compare_window_get_difference_title (HlCompareWindow *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_WINDOW (self), NULL);
  return gtk_label_get_text (self->diff_title);
}

/* Actions */

static void
step_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (widget);
  guint n = hl_compare_view_get_n_rows (self->view);

  if (g_str_equal (action_name, "win.step-forward"))
    step (self, 1);
  else if (g_str_equal (action_name, "win.step-back"))
    step (self, -1);
  else if (g_str_equal (action_name, "win.next-phase"))
    next_phase (self);
  else
    {
      guint to = g_str_equal (action_name, "win.first") ? 0 : n;

      for (guint s = 0; s < 2; s++)
        if (self->linked || s == self->active_side)
          set_shown (self, s, to);
    }
}

void
hl_compare_window_set_presenting (HlCompareWindow *self, gboolean presenting)
{
  g_return_if_fail (HL_IS_COMPARE_WINDOW (self));

  presenting = !!presenting;
  if (presenting == self->presenting)
    return;
  self->presenting = presenting;
  /* presenting: the two diagrams and the figures, in large type, nothing else */
  gtk_revealer_set_reveal_child (self->header_revealer, !presenting);
  gtk_widget_set_visible (GTK_WIDGET (self->side), !presenting && self->show_side);
  gtk_widget_set_visible (GTK_WIDGET (self->controls), !presenting);
  hl_compare_view_set_font_scale (self->view, presenting ? PRESENT_FONT_SCALE : 1);
  if (presenting)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presenting");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presenting");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-present", presenting);
}

gboolean
hl_compare_window_get_presenting (HlCompareWindow *self)
{
  g_return_val_if_fail (HL_IS_COMPARE_WINDOW (self), FALSE);
  return self->presenting;
}

static void
present_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (widget);

  hl_compare_window_set_presenting (self, g_str_equal (action_name, "win.present")
                                          ? !self->presenting : FALSE);
}

/* Properties */

static void
hl_compare_window_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LINKED: g_value_set_boolean (value, self->linked); break;
    case PROP_SHOW_EQUAL: g_value_set_boolean (value, self->show_equal); break;
    case PROP_SHOW_SIDE: g_value_set_boolean (value, self->show_side); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_compare_window_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (object);
  gboolean v = g_value_get_boolean (value);

  switch (prop_id)
    {
    case PROP_LINKED:
      if (v == self->linked)
        return;
      self->linked = v;
      if (v)
        {
          /* together again: both where the one ahead is */
          guint shown = MAX (hl_compare_view_get_shown (self->view, 0),
                             hl_compare_view_get_shown (self->view, 1));

          set_shown (self, 0, shown);
          set_shown (self, 1, shown);
        }
      update_position (self);
      break;
    case PROP_SHOW_EQUAL:
      if (v == self->show_equal)
        return;
      self->show_equal = v;
      update_differences (self);
      break;
    case PROP_SHOW_SIDE:
      if (v == self->show_side)
        return;
      self->show_side = v;
      gtk_widget_set_visible (GTK_WIDGET (self->side), v && !self->presenting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

/* GObject */

static void
hl_compare_window_dispose (GObject *object)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_COMPARE_WINDOW);
  for (guint s = 0; s < 2; s++)
    {
      g_clear_object (&self->traces[s]);
      g_clear_object (&self->loaded[s]);
    }
  G_OBJECT_CLASS (hl_compare_window_parent_class)->dispose (object);
}

/* The split once the window has a size: the side pane about 30 % of the width. */
static gboolean
split_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (widget);
  int width = gtk_widget_get_width (GTK_WIDGET (self->paned));

  if (width <= 0)
    return G_SOURCE_CONTINUE;
  gtk_paned_set_position (self->paned, width - MAX (380, width * 27 / 100));
  return G_SOURCE_REMOVE;
}

static void
hl_compare_window_class_init (HlCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct { guint key; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_Home, 0, "win.first" },
    { GDK_KEY_End, 0, "win.last" },
    { GDK_KEY_Right, GDK_CONTROL_MASK, "win.next-phase" },
    { GDK_KEY_F5, 0, "win.present" },
    { GDK_KEY_Escape, 0, "win.leave-present" },
    { GDK_KEY_F9, 0, "win.show-side" },
  };

  object_class->dispose = hl_compare_window_dispose;
  object_class->get_property = hl_compare_window_get_property;
  object_class->set_property = hl_compare_window_set_property;

  properties[PROP_LINKED] =
    g_param_spec_boolean ("linked", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_EQUAL] =
    g_param_spec_boolean ("show-equal", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_SIDE] =
    g_param_spec_boolean ("show-side", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HL_TYPE_COMPARE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-compare-window.ui");
  gtk_widget_class_set_css_name (widget_class, "hlcomparewindow");
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, header_revealer);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, strip);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, view);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, controls);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, position);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, side);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, diff_title);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, diff_subtitle);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, diff_grid);
  gtk_widget_class_bind_template_child (widget_class, HlCompareWindow, summary_grid);

  gtk_widget_class_install_action (widget_class, "win.step-forward", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.step-back", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.first", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.last", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.next-phase", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.present", NULL, present_action);
  gtk_widget_class_install_action (widget_class, "win.leave-present", NULL, present_action);
  gtk_widget_class_install_property_action (widget_class, "win.linked", "linked");
  gtk_widget_class_install_property_action (widget_class, "win.show-equal", "show-equal");
  gtk_widget_class_install_property_action (widget_class, "win.show-side", "show-side");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding_action (widget_class, keys[i].key, keys[i].mods,
                                         keys[i].action, NULL);
}

/* What presenter clickers send (Page Down/Up, Right/Left, Space) steps even while a button or
 * the scrolled window has the focus: these run in the capture phase. */
static void
add_clicker_shortcuts (HlCompareWindow *self)
{
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_Right, "win.step-forward" },
    { GDK_KEY_Page_Down, "win.step-forward" },
    { GDK_KEY_space, "win.step-forward" },
    { GDK_KEY_Left, "win.step-back" },
    { GDK_KEY_Page_Up, "win.step-back" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                        gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
hl_compare_window_init (HlCompareWindow *self)
{
  self->linked = TRUE;
  self->show_side = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->view, "selection-changed", G_CALLBACK (selection_changed_cb),
                            self);
  g_signal_connect_swapped (self->view, "shown-changed", G_CALLBACK (update_position), self);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), split_tick_cb, NULL, NULL);
  add_clicker_shortcuts (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-present", FALSE);
  update_differences (self);
  update_position (self);
}

HlCompareWindow *
hl_compare_window_new (GtkApplication *application)
{
  return g_object_new (HL_TYPE_COMPARE_WINDOW, "application", application, NULL);
}
