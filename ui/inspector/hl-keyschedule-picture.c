/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule-picture"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-keyschedule-ladder.h"
#include "hl-keyschedule-picture.h"
#include "hl-swatch.h"

/* Order of this file: layout (boxes from the ladder), drawing, input, public API, GObject.
 * Layout is recomputed on each size allocation; drawing only strokes what layout placed. */

struct _HlKeySchedulePicture
{
  GtkWidget  parent_instance;

  /* owned */
  GPtrArray *ladder;    /* of HlRung */
  guint      handshake;
  GArray    *boxes;     /* graphene_rect_t per rung, in ladder order */
  double     line;      /* one text line's height */
  int        current;   /* the box the keyboard is on, or -1 */
};

enum
{
  RUNG_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HlKeySchedulePicture, hl_keyschedule_picture, GTK_TYPE_WIDGET)

#define PAD    8.0
#define GAP    10.0
#define LINES  4      /* title (up to two lines), where it comes from, its value */
#define NARROW 720.0

/* The titles of hl-keyschedule-ladder.c, for translation. */
static const char *const titles[] G_GNUC_UNUSED = {
  N_("Early secret"), N_("PSK"), N_("PSK = 0"), N_("Ticket nonce"), N_("Binder key"),
  N_("Client early traffic secret"), N_("Early exporter secret"), N_("Derived salt"),
  N_("Handshake secret"), N_("(EC)DHE shared secret"), N_("Client handshake traffic secret"),
  N_("Server handshake traffic secret"), N_("Master secret"),
  N_("Client application traffic secret"), N_("Server application traffic secret"),
  N_("Exporter master secret"), N_("Resumption master secret"),
};

static const char *
state_text (const HlRung *rung)
{
  switch (rung->state)
    {
    case HL_RUNG_LIBRARY: return _("from GnuTLS's key log");
    case HL_RUNG_COMPUTED: return _("computed by Handshake Lens");
    case HL_RUNG_WIRE: return _("read from the wire");
    case HL_RUNG_CONSTANT: return _("a constant");
    case HL_RUNG_HIDDEN: return _("held inside GnuTLS");
    case HL_RUNG_ABSENT:
    default: return _("not in this trace");
    }
}

static char *
title_text (HlKeySchedulePicture *self, const HlRung *rung)
{
  if (rung->name && g_str_equal (rung->name, "resumption_master_secret") &&
      rung->handshake != self->handshake)
    return g_strdup_printf (_("Resumption master secret (connection %u)"), rung->handshake + 1);
  return g_strdup (_(rung->title));
}

static char *
value_text (const HlRung *rung)
{
  GString *out = g_string_new (NULL);
  gsize n = 0;
  const guint8 *p = rung->value ? g_bytes_get_data (rung->value, &n) : NULL;

  for (gsize i = 0; i < MIN (n, 8); i++)
    g_string_append_printf (out, "%02x", p[i]);
  if (n > 8)
    g_string_append (out, "…");
  if (rung->value && n == 0)
    g_string_append (out, _("(empty)"));
  if (rung->value)
    ;
  else if (rung->state == HL_RUNG_CONSTANT)
    g_string_append (out, _("zeros"));
  else
    g_string_append (out, "—");
  return g_string_free (out, FALSE);
}

/* --- Layout ---------------------------------------------------------------------------------- */

/* One text line's height in the widget's current font (bigger when presenting). */
static double
box_height (HlKeySchedulePicture *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);

  self->line = MAX (pango_font_metrics_get_height (metrics) / (double) PANGO_SCALE, 12) + 2;
  pango_font_metrics_unref (metrics);
  return LINES * self->line + 2 * PAD;
}

/* Rows: one per spine rung, as tall as its most crowded side. Wide: inputs | spine | branches.
 * Narrow (a side pane): two columns, each input stacked above the spine rung it enters. */
static double
layout (HlKeySchedulePicture *self, double width)
{
  double bh = box_height (self);
  gboolean narrow = width < NARROW;
  double col = narrow ? (width - 5 * GAP) / 2 : (width - 8 * GAP) / 3;
  double spine_x = narrow ? GAP : GAP + col + 3 * GAP;
  double branch_x = narrow ? 4 * GAP + col : GAP + 2 * (col + 3 * GAP);
  double y = GAP;

  g_array_set_size (self->boxes, self->ladder ? self->ladder->len : 0);
  for (guint i = 0; self->ladder && i < self->ladder->len; i++)
    {
      const HlRung *spine = g_ptr_array_index (self->ladder, i);
      guint n_in = 0, n_out = 0;
      double top;

      if (spine->place != HL_RUNG_SPINE)
        continue;
      for (guint j = 0; narrow && j < self->ladder->len; j++)
        {
          const HlRung *r = g_ptr_array_index (self->ladder, j);

          if (r->place == HL_RUNG_INPUT && r->spine == (int) i)
            {
              g_array_index (self->boxes, graphene_rect_t, j) =
                GRAPHENE_RECT_INIT (spine_x + col / 6, y, col * 5 / 6, bh);
              y += bh + GAP * 1.5;
            }
        }
      top = y;
      g_array_index (self->boxes, graphene_rect_t, i) = GRAPHENE_RECT_INIT (spine_x, y, col, bh);
      for (guint j = 0; j < self->ladder->len; j++)
        {
          const HlRung *r = g_ptr_array_index (self->ladder, j);
          guint *n = r->place == HL_RUNG_INPUT ? &n_in : &n_out;
          double x = r->place == HL_RUNG_INPUT ? GAP : branch_x;

          if (r->place == HL_RUNG_SPINE || r->spine != (int) i ||
              (narrow && r->place == HL_RUNG_INPUT))
            continue;
          g_array_index (self->boxes, graphene_rect_t, j) =
            GRAPHENE_RECT_INIT (x, top + *n * (bh + GAP / 2), col, bh);
          (*n)++;
        }
      y = top + MAX (MAX (n_in, n_out), 1) * (bh + GAP / 2) + GAP * 1.5;
    }
  return y;
}

static void
hl_keyschedule_picture_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                                int *minimum, int *natural, int *minimum_baseline,
                                int *natural_baseline)
{
  HlKeySchedulePicture *self = HL_KEYSCHEDULE_PICTURE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 720;
    }
  else
    *minimum = *natural = (int) ceil (layout (self, for_size > 0 ? for_size : 720));
}

static void
hl_keyschedule_picture_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  layout (HL_KEYSCHEDULE_PICTURE (widget), width);
}

/* --- Drawing --------------------------------------------------------------------------------- */

static void
state_color (const HlRung *rung, GdkRGBA *c)
{
  static const GdkRGBA colors[] = {
    [HL_RUNG_LIBRARY] = { 0.21, 0.52, 0.89, 1 },
    [HL_RUNG_COMPUTED] = { 0.15, 0.64, 0.41, 1 },
    [HL_RUNG_WIRE] = { 0.57, 0.25, 0.67, 1 },
    [HL_RUNG_CONSTANT] = { 0.55, 0.55, 0.55, 1 },
    [HL_RUNG_HIDDEN] = { 0.55, 0.55, 0.55, 1 },
    [HL_RUNG_ABSENT] = { 0.55, 0.55, 0.55, 1 },
  };

  *c = colors[MIN (rung->state, HL_RUNG_ABSENT)];
}

static void
arrow_head (cairo_t *cr, double x0, double y0, double x1, double y1)
{
  double a = atan2 (y1 - y0, x1 - x0);

  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - 9 * cos (a - 0.4), y1 - 9 * sin (a - 0.4));
  cairo_line_to (cr, x1 - 9 * cos (a + 0.4), y1 - 9 * sin (a + 0.4));
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
arrow (cairo_t *cr, double x0, double y0, double x1, double y1)
{
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
  arrow_head (cr, x0, y0, x1, y1);
}

/* Sideways from (x0, y0) to (x1, y1) with a vertical step halfway, so that several arrows from
 * one box share their first half. */
static void
elbow (cairo_t *cr, double x0, double y0, double x1, double y1)
{
  double mid = (x0 + x1) / 2;

  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, mid, y0);
  cairo_line_to (cr, mid, y1);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
  arrow_head (cr, mid, y1, x1, y1);
}

static void
draw_box (HlKeySchedulePicture *self, cairo_t *cr, PangoLayout *pl, const HlRung *rung,
          const graphene_rect_t *r, const GdkRGBA *fg)
{
  GdkRGBA c;
  g_autofree char *title = title_text (self, rung);
  g_autofree char *value = value_text (rung);
  g_autofree char *state = g_strdup_printf ("%s%s", state_text (rung),
                                            rung->check == HL_CHECK_OK ? " ✓"
                                            : rung->check == HL_CHECK_FAILED ? " ✗" : "");
  const char *lines[] = { title, state, value };
  static const double dash[] = { 5, 4 };

  state_color (rung, &c);
  cairo_rectangle (cr, r->origin.x, r->origin.y, r->size.width, r->size.height);
  cairo_set_source_rgba (cr, c.red, c.green, c.blue, rung->state == HL_RUNG_HIDDEN ? 0.06 : 0.16);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, c.red, c.green, c.blue, 1);
  cairo_set_line_width (cr, 2);
  if (rung->state == HL_RUNG_HIDDEN || rung->state == HL_RUNG_ABSENT)
    cairo_set_dash (cr, dash, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  pango_layout_set_width (pl, (int) ((r->size.width - 2 * PAD) * PANGO_SCALE));
  pango_layout_set_ellipsize (pl, PANGO_ELLIPSIZE_END);
  for (guint i = 0, at = 0; i < G_N_ELEMENTS (lines); i++)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      if (i == 0)
        pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      if (i == 2 && rung->value)
        pango_attr_list_insert (attrs, pango_attr_family_new ("monospace"));
      pango_layout_set_attributes (pl, attrs);
      pango_attr_list_unref (attrs);
      /* the title wraps to two lines at most, the others keep to one */
      pango_layout_set_height (pl, i == 0 ? -2 : -1);
      pango_layout_set_wrap (pl, PANGO_WRAP_WORD);
      pango_layout_set_text (pl, lines[i], -1);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, i == 0 ? 1 : 0.8);
      cairo_move_to (cr, r->origin.x + PAD, r->origin.y + PAD + at * self->line);
      pango_cairo_show_layout (cr, pl);
      at += i == 0 ? pango_layout_get_line_count (pl) : 1;
    }
}

static void
hl_keyschedule_picture_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlKeySchedulePicture *self = HL_KEYSCHEDULE_PICTURE (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) pl = gtk_widget_create_pango_layout (widget, NULL);
  const graphene_rect_t *prev = NULL;
  GdkRGBA fg;
  cairo_t *cr;

  if (self->ladder == NULL || width <= 0)
    return;
  hl_swatch_get_color (widget, &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < self->ladder->len; i++)
    {
      const HlRung *rung = g_ptr_array_index (self->ladder, i);
      const graphene_rect_t *r = &g_array_index (self->boxes, graphene_rect_t, i);
      const graphene_rect_t *s = rung->spine >= 0
                                 ? &g_array_index (self->boxes, graphene_rect_t, rung->spine)
                                 : NULL;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      if (rung->place == HL_RUNG_SPINE && prev)
        {
          /* beside the inputs stacked above it in a narrow picture */
          double x = width < NARROW ? r->origin.x + r->size.width / 16
                                    : r->origin.x + r->size.width / 2;

          arrow (cr, x, prev->origin.y + prev->size.height, x, r->origin.y);
        }
      else if (rung->place == HL_RUNG_INPUT && r->origin.y < s->origin.y)
        {
          /* stacked above the rung it enters: down its left side, past the others */
          double x = r->origin.x - GAP;

          cairo_move_to (cr, r->origin.x, r->origin.y + r->size.height / 2);
          cairo_line_to (cr, x, r->origin.y + r->size.height / 2);
          cairo_stroke (cr);
          arrow (cr, x, r->origin.y + r->size.height / 2, x, s->origin.y);
        }
      else if (rung->place == HL_RUNG_INPUT)
        elbow (cr, r->origin.x + r->size.width, r->origin.y + r->size.height / 2,
               s->origin.x, s->origin.y + s->size.height / 2);
      else if (rung->place == HL_RUNG_BRANCH)
        elbow (cr, s->origin.x + s->size.width, s->origin.y + s->size.height / 2,
               r->origin.x, r->origin.y + r->size.height / 2);
      if (rung->place == HL_RUNG_SPINE)
        prev = r;
    }
  for (guint i = 0; i < self->ladder->len; i++)
    draw_box (self, cr, pl, g_ptr_array_index (self->ladder, i),
              &g_array_index (self->boxes, graphene_rect_t, i), &fg);
  if (self->current >= 0 && gtk_widget_has_focus (widget))
    {
      const graphene_rect_t *r = &g_array_index (self->boxes, graphene_rect_t, self->current);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      cairo_set_line_width (cr, 3);
      cairo_rectangle (cr, r->origin.x - 4, r->origin.y - 4, r->size.width + 8,
                       r->size.height + 8);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

/* --- Input ----------------------------------------------------------------------------------- */

static int
rung_at (HlKeySchedulePicture *self, double x, double y)
{
  for (guint i = 0; self->ladder && i < self->boxes->len; i++)
    if (graphene_rect_contains_point (&g_array_index (self->boxes, graphene_rect_t, i),
                                      &GRAPHENE_POINT_INIT (x, y)))
      return (int) i;
  return -1;
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y,
            HlKeySchedulePicture *self)
{
  int i = rung_at (self, x, y);
  const HlRung *rung = i >= 0 ? g_ptr_array_index (self->ladder, i) : NULL;

  if (rung && rung->name)
    {
      self->current = i;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_signal_emit (self, signals[RUNG_ACTIVATED], 0, rung->name, rung->handshake);
    }
}

/* The next box with a value's name (something to show) after @from in ladder order. */
static int
next_box (HlKeySchedulePicture *self, int from, int step)
{
  int n = self->ladder ? (int) self->ladder->len : 0;

  for (int i = from + step; i >= 0 && i < n; i += step)
    if (((const HlRung *) g_ptr_array_index (self->ladder, i))->name != NULL)
      return i;
  return from;
}

/* Arrow keys walk the boxes, Enter or Space opens the current one's card. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, HlKeySchedulePicture *self)
{
  const HlRung *rung;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_Right:
      self->current = next_box (self, self->current, 1);
      break;
    case GDK_KEY_Up:
    case GDK_KEY_Left:
      self->current = next_box (self, self->current < 0 ? 0 : self->current, -1);
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      rung = self->current >= 0 ? g_ptr_array_index (self->ladder, self->current) : NULL;
      if (rung && rung->name)
        g_signal_emit (self, signals[RUNG_ACTIVATED], 0, rung->name, rung->handshake);
      return rung != NULL;
    default:
      return FALSE;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
focus_changed_cb (HlKeySchedulePicture *self)
{
  if (self->current < 0 && gtk_widget_has_focus (GTK_WIDGET (self)))
    self->current = next_box (self, -1, 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
query_tooltip_cb (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  HlKeySchedulePicture *self)
{
  int i = rung_at (self, x, y);
  const HlRung *rung = i >= 0 ? g_ptr_array_index (self->ladder, i) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  if (rung == NULL)
    return FALSE;
  title = title_text (self, rung);
  text = g_strdup_printf ("%s\n= %s\n%s", title, rung->formula, state_text (rung));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* --- Public API ------------------------------------------------------------------------------ */

GtkWidget *
hl_keyschedule_picture_new (HlTrace *trace, guint handshake)
{
  HlKeySchedulePicture *self = g_object_new (HL_TYPE_KEYSCHEDULE_PICTURE, NULL);

  g_return_val_if_fail (HL_IS_TRACE (trace), GTK_WIDGET (self));

  self->handshake = handshake;
  self->ladder = hl_keyschedule_ladder_new (trace, handshake);
  return GTK_WIDGET (self);
}

gboolean
hl_keyschedule_picture_hit (HlKeySchedulePicture *self, double x, double y, const char **name,
                            guint *handshake)
{
  int i;
  const HlRung *rung;

  g_return_val_if_fail (HL_IS_KEYSCHEDULE_PICTURE (self), FALSE);

  i = rung_at (self, x, y);
  rung = i >= 0 ? g_ptr_array_index (self->ladder, i) : NULL;
  if (rung == NULL || rung->name == NULL)
    return FALSE;
  *name = rung->name;
  *handshake = rung->handshake;
  return TRUE;
}

gboolean
hl_keyschedule_picture_box (HlKeySchedulePicture *self, const char *name, graphene_rect_t *rect)
{
  g_return_val_if_fail (HL_IS_KEYSCHEDULE_PICTURE (self), FALSE);

  for (guint i = 0; self->ladder && i < self->ladder->len && i < self->boxes->len; i++)
    {
      const HlRung *rung = g_ptr_array_index (self->ladder, i);

      if (g_strcmp0 (rung->name, name) == 0)
        {
          *rect = g_array_index (self->boxes, graphene_rect_t, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
hl_keyschedule_picture_finalize (GObject *object)
{
  HlKeySchedulePicture *self = HL_KEYSCHEDULE_PICTURE (object);

  g_clear_pointer (&self->ladder, g_ptr_array_unref);
  g_array_unref (self->boxes);
  G_OBJECT_CLASS (hl_keyschedule_picture_parent_class)->finalize (object);
}

static void
hl_keyschedule_picture_class_init (HlKeySchedulePictureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hl_keyschedule_picture_finalize;
  widget_class->measure = hl_keyschedule_picture_measure;
  widget_class->size_allocate = hl_keyschedule_picture_size_allocate;
  widget_class->snapshot = hl_keyschedule_picture_snapshot;

  /**
   * HlKeySchedulePicture::rung-activated:
   * @name: the secret's name in the trace (without ".derived")
   * @handshake: its connection
   *
   * A box was clicked.
   */
  signals[RUNG_ACTIVATED] =
    g_signal_new ("rung-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  gtk_widget_class_set_css_name (widget_class, "hlkeyschedulepicture");
}

static void
hl_keyschedule_picture_init (HlKeySchedulePicture *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->current = -1;
  self->boxes = g_array_new (FALSE, TRUE, sizeof (graphene_rect_t));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect_swapped (self, "notify::has-focus", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
}
