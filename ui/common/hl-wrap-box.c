/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-wrap-box"
#include "config.h"

#include "hl-wrap-box.h"

/* Children in a row that wraps like words: each at its natural width, the next one on a new
 * line when it does not fit, every line starting at the left (the right in a right-to-left
 * language). GtkFlowBox, which did this before, lines its children up in columns across lines:
 * a short first child ("From:") got the width of the widest one below it, and a gap after it.
 * It also wraps each child in a GtkFlowBoxChild and measures every number of columns it could
 * have; this measures each child once per width. Libadwaita has AdwWrapBox from 1.7, not in the
 * 1.2 we build against. */

struct _HlWrapBox
{
  GtkWidget parent_instance;

  int       spacing;        /* between children on a line */
  int       line_spacing;   /* between lines */
};

G_DEFINE_FINAL_TYPE (HlWrapBox, hl_wrap_box, GTK_TYPE_WIDGET)

static int
child_width (GtkWidget *child, int width)
{
  int min, nat;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return CLAMP (nat, min, MAX (min, width));
}

static int
child_height (GtkWidget *child, int width)
{
  int min;

  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &min, NULL, NULL, NULL);
  return min;
}

/* Gives the children from @first up to @end (not included) their places on the line at @y,
 * each centred in the line's height. */
static void
place_line (HlWrapBox *self, GtkWidget *first, GtkWidget *end, int width, int y, int height)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int x = 0;

  for (GtkWidget *child = first; child != end; child = gtk_widget_get_next_sibling (child))
    {
      int w, h;

      if (!gtk_widget_should_layout (child))
        continue;
      w = child_width (child, width);
      h = MIN (child_height (child, w), height);
      gtk_widget_size_allocate (child, &(GtkAllocation) { rtl ? width - x - w : x,
                                                          y + (height - h) / 2, w, h }, -1);
      x += w + self->spacing;
    }
}

/* Breaks the children into lines @width wide and returns their height; places them too when
 * @allocate. */
static int
flow (HlWrapBox *self, int width, gboolean allocate)
{
  GtkWidget *line = NULL;   /* the first child of the line being filled */
  int x = 0, y = 0, line_height = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      int w;

      if (!gtk_widget_should_layout (child))
        continue;
      w = child_width (child, width);
      if (line && x + self->spacing + w > width)
        {
          if (allocate)
            place_line (self, line, child, width, y, line_height);
          y += line_height + self->line_spacing;
          line = NULL;
        }
      if (line == NULL)
        {
          line = child;
          x = w;
          line_height = child_height (child, w);
        }
      else
        {
          x += self->spacing + w;
          line_height = MAX (line_height, child_height (child, w));
        }
    }
  if (line == NULL)
    return 0;
  if (allocate)
    place_line (self, line, NULL, width, y, line_height);
  return y + line_height;
}

static void
hl_wrap_box_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  HlWrapBox *self = HL_WRAP_BOX (widget);
  int min_width = 0, nat_width = 0, n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      int min, nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      min_width = MAX (min_width, min);
      nat_width += nat + (n++ > 0 ? self->spacing : 0);
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* at least the widest child; naturally all of them on one line */
      *minimum = min_width;
      *natural = nat_width;
    }
  else
    *minimum = *natural = flow (self, for_size < 0 ? nat_width : MAX (for_size, min_width), FALSE);
}

static void
hl_wrap_box_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  flow (HL_WRAP_BOX (widget), width, TRUE);
}

static GtkSizeRequestMode
hl_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hl_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (hl_wrap_box_parent_class)->dispose (object);
}

static void
hl_wrap_box_class_init (HlWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_wrap_box_dispose;
  widget_class->measure = hl_wrap_box_measure;
  widget_class->size_allocate = hl_wrap_box_size_allocate;
  widget_class->get_request_mode = hl_wrap_box_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "box");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hl_wrap_box_init (HlWrapBox *self)
{
}

GtkWidget *
hl_wrap_box_new (int spacing, int line_spacing)
{
  HlWrapBox *self = g_object_new (HL_TYPE_WRAP_BOX, NULL);

  self->spacing = spacing;
  self->line_spacing = line_spacing;
  return GTK_WIDGET (self);
}

void
hl_wrap_box_append (HlWrapBox *self, GtkWidget *child)
{
  g_return_if_fail (HL_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child) && gtk_widget_get_parent (child) == NULL);

  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}
