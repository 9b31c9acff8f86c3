/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-bin-layout"
#include "config.h"

#include "hl-bin-layout.h"

/* The layout of a bin (an AdwBin given it in place of its own) that spares GTK layouts whose
 * results are thrown away, each a wrapping label shaped again for nothing. It knows two cases.
 *
 * Scrolled content: the child of a scrolled window that scrolls vertically (vscrollbar-policy
 * other than never, no propagate-natural-height), with wrapping labels. Such a scrolled window
 * measures its child's height whenever it is measured itself, and then ignores it: its own
 * height is the scrollbar's. Asked for its height without a width (the window does so for its
 * minimum size), the content lays every label out at some width it will never have (a grid at
 * its columns' natural widths, a box at its children's); in the window's first frame that was
 * a third of all the labels shaped. The bin answers that question with nothing, and every
 * other one as its child does: the viewport asks it, height-for-width, for the height at the
 * width it allocates.
 *
 * A paned with a place function: the divider goes where the function says, from the first
 * size the bin is given, inside the allocation that gives it, before the paned lays its panes
 * out. Placed later (a tick callback at the start of a frame), it comes after the window's
 * first layout: the first frame showed the panes split by GtkPaned's own rule, and the next
 * one laid everything out again at the final widths. */

struct _HlBinLayout
{
  GtkLayoutManager  parent_instance;

  HlPlaceFunc       place;
  gpointer          place_data;
  gboolean          placed;
};

G_DEFINE_FINAL_TYPE (HlBinLayout, hl_bin_layout, GTK_TYPE_LAYOUT_MANAGER)

static GtkWidget *
shown_child (GtkWidget *widget)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  return child && gtk_widget_should_layout (child) ? child : NULL;
}

/* Scrolled content: the bin is the child of a scrolled window whose height ignores it. */
static gboolean
is_scrolled_content (GtkWidget *widget)
{
  GtkWidget *viewport = gtk_widget_get_parent (widget);
  GtkWidget *scroller = viewport ? gtk_widget_get_parent (viewport) : NULL;
  GtkPolicyType policy = GTK_POLICY_NEVER;

  if (!GTK_IS_VIEWPORT (viewport) || !GTK_IS_SCROLLED_WINDOW (scroller))
    return FALSE;
  gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (scroller), NULL, &policy);
  return policy != GTK_POLICY_NEVER &&
         !gtk_scrolled_window_get_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller));
}

/* Placing a divider */

/* A divider to place: a paned with both panes shown, and somewhere to put it. */
static GtkPaned *
paned_to_place (HlBinLayout *self, GtkWidget *widget)
{
  GtkWidget *child = shown_child (widget);
  GtkWidget *start, *end;

  if (self->placed || self->place == NULL || !GTK_IS_PANED (child))
    return NULL;
  start = gtk_paned_get_start_child (GTK_PANED (child));
  end = gtk_paned_get_end_child (GTK_PANED (child));
  return start && gtk_widget_get_visible (start) && end && gtk_widget_get_visible (end)
         ? GTK_PANED (child) : NULL;
}

static GtkWidget *
get_handle (GtkPaned *paned)
{
  GtkWidget *start = gtk_paned_get_start_child (paned);
  GtkWidget *end = gtk_paned_get_end_child (paned);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (paned)); child;
       child = gtk_widget_get_next_sibling (child))
    if (child != start && child != end)
      return child;
  g_assert_not_reached ();
}

/* Where the divider of @paned, @size pixels long, goes and the room its handle takes, as
 * GtkPaned computes them (gtk_paned_compute_position ()): the place function's choice, kept
 * between the start pane's minimum and what the end pane's minimum leaves. The minimums are
 * measured @across as the paned measures them, so it finds them cached. */
static int
divider (HlBinLayout *self, GtkPaned *paned, int size, int across, int *handle_size)
{
  GtkOrientation orientation = gtk_orientable_get_orientation (GTK_ORIENTABLE (paned));
  int start_min = 0, end_min = 0, min, max;

  gtk_widget_measure (get_handle (paned), orientation, -1, NULL, handle_size, NULL, NULL);
  gtk_widget_measure (gtk_paned_get_start_child (paned), orientation, across, &start_min, NULL,
                      NULL, NULL);
  gtk_widget_measure (gtk_paned_get_end_child (paned), orientation, across, &end_min, NULL, NULL,
                      NULL);
  min = gtk_paned_get_shrink_start_child (paned) ? 0 : start_min;
  max = MAX (1, size - *handle_size);
  if (!gtk_paned_get_shrink_end_child (paned))
    max = MAX (1, max - end_min);
  max = MAX (min, max);
  return CLAMP (self->place (size, max, self->place_data), min, max);
}

/* Measured across its orientation for a size along it before the divider is placed (the window
 * asks so for its default size), the paned would split that size by its own rule and measure
 * its panes at widths they will never have: answer for the divider as it will be placed, as
 * gtk_paned_measure () does once it is. */
static void
measure_placed (HlBinLayout *self, GtkPaned *paned, int size, int *minimum, int *natural)
{
  GtkOrientation across = gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) ==
                          GTK_ORIENTATION_HORIZONTAL ? GTK_ORIENTATION_VERTICAL
                                                     : GTK_ORIENTATION_HORIZONTAL;
  int handle_size = 0;
  int position = divider (self, paned, size, -1, &handle_size);
  GtkWidget *parts[] = { gtk_paned_get_start_child (paned), gtk_paned_get_end_child (paned),
                         get_handle (paned) };
  int sizes[] = { position, size - position - handle_size, handle_size };

  *minimum = *natural = 0;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      int child_min = 0, child_nat = 0;

      gtk_widget_measure (parts[i], across, sizes[i], &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

/* Layout */

static GtkSizeRequestMode
get_request_mode (GtkLayoutManager *manager, GtkWidget *widget)
{
  GtkWidget *child = shown_child (widget);

  if (is_scrolled_content (widget))
    return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
  return child ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
measure (GtkLayoutManager *manager,
         GtkWidget        *widget,
         GtkOrientation    orientation,
         int               for_size,
         int              *minimum,
         int              *natural,
         int              *minimum_baseline,
         int              *natural_baseline)
{
  HlBinLayout *self = HL_BIN_LAYOUT (manager);
  GtkWidget *child = shown_child (widget);
  GtkPaned *paned = paned_to_place (self, widget);

  if (child == NULL ||
      (orientation == GTK_ORIENTATION_VERTICAL && for_size < 0 && is_scrolled_content (widget)))
    return;
  if (paned && for_size > 0 &&
      orientation != gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)))
    measure_placed (self, paned, for_size, minimum, natural);
  else
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                        natural_baseline);
}

static void
allocate (GtkLayoutManager *manager, GtkWidget *widget, int width, int height, int baseline)
{
  HlBinLayout *self = HL_BIN_LAYOUT (manager);
  GtkWidget *child = shown_child (widget);
  GtkPaned *paned = paned_to_place (self, widget);

  if (child == NULL)
    return;
  if (paned && width > 0 && height > 0)
    {
      gboolean horizontal = gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) ==
                            GTK_ORIENTATION_HORIZONTAL;
      int handle_size = 0;

      self->placed = TRUE;
      gtk_paned_set_position (paned, divider (self, paned, horizontal ? width : height,
                                              horizontal ? height : width, &handle_size));
    }
  gtk_widget_allocate (child, width, height, baseline, NULL);
}

/* Public API */

/**
 * hl_bin_layout_set_place_func:
 * @self: a bin layout
 * @func: where the divider goes
 * @user_data: passed to @func
 *
 * Sets where the divider of the paned in the bin goes: at the first allocation that shows both
 * panes, before the paned is allocated (and when the bin is measured across before that). The
 * paned's limits apply to what @func returns.
 */
void
hl_bin_layout_set_place_func (HlBinLayout *self, HlPlaceFunc func, gpointer user_data)
{
  g_return_if_fail (HL_IS_BIN_LAYOUT (self));

  self->place = func;
  self->place_data = user_data;
}

/* GObject */

static void
hl_bin_layout_class_init (HlBinLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->get_request_mode = get_request_mode;
  manager_class->measure = measure;
  manager_class->allocate = allocate;
}

static void
hl_bin_layout_init (HlBinLayout *self)
{
}
