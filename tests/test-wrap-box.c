/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HlWrapBox (ui/common): children at their natural widths, wrapped into lines like words, each
 * line starting at the left (the right in a right-to-left language), hidden children left
 * out. Measured and allocated on the widget, no window shown. */
#include "config.h"

#include <gtk/gtk.h>

#include "hl-test-ui.h"
#include "hl-wrap-box.h"

static GtkWidget *
block_new (int width, int height)
{
  GtkWidget *block = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_set_size_request (block, width, height);
  return block;
}

/* The box with three 50×20 children, 4 pixels apart, lines 6 pixels apart, in a window that is
 * never shown (so it has CSS and a root). */
static GtkWidget *
new_box (GtkWidget **window_out, GtkWidget *children[3])
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = hl_wrap_box_new (4, 6);

  for (guint i = 0; i < 3; i++)
    {
      children[i] = block_new (50, 20);
      hl_wrap_box_append (HL_WRAP_BOX (box), children[i]);
    }
  gtk_window_set_child (GTK_WINDOW (window), box);
  *window_out = window;
  return box;
}

static int
height_for (GtkWidget *box, int width)
{
  int min = -1, nat = -1;

  gtk_widget_measure (box, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, nat);
  return min;
}

static void
assert_at (GtkWidget *child, GtkWidget *box, double x, double y, double w, double h)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (child, box, &bounds));
  g_assert_cmpfloat (bounds.origin.x, ==, x);
  g_assert_cmpfloat (bounds.origin.y, ==, y);
  g_assert_cmpfloat (bounds.size.width, ==, w);
  g_assert_cmpfloat (bounds.size.height, ==, h);
}

static void
test_measure (void)
{
  GtkWidget *window, *children[3];
  GtkWidget *box = new_box (&window, children);
  int min = -1, nat = -1;

  g_assert_cmpint (gtk_widget_get_request_mode (box), ==, GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH);
  /* at least the widest child, naturally all on one line */
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, 50);
  g_assert_cmpint (nat, ==, 3 * 50 + 2 * 4);
  /* one line, two, three */
  g_assert_cmpint (height_for (box, -1), ==, 20);
  g_assert_cmpint (height_for (box, 158), ==, 20);
  g_assert_cmpint (height_for (box, 157), ==, 20 + 6 + 20);
  g_assert_cmpint (height_for (box, 104), ==, 20 + 6 + 20);
  g_assert_cmpint (height_for (box, 103), ==, 3 * 20 + 2 * 6);
  /* as narrow as it can be: a child a line */
  g_assert_cmpint (height_for (box, 50), ==, 3 * 20 + 2 * 6);
  /* a hidden child takes no room */
  gtk_widget_set_visible (children[1], FALSE);
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (nat, ==, 2 * 50 + 4);
  g_assert_cmpint (height_for (box, 104), ==, 20);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_allocate (void)
{
  GtkWidget *window, *children[3];
  GtkWidget *box = new_box (&window, children);
  GtkWidget *tall = block_new (30, 30);
  GtkWidget *label = gtk_label_new ("a b c d e f g h i j k l m n o p q r s t u v w x y z a b c");
  int min = -1, nat = -1, line;

  /* two lines: the first two children, then the third, each line from the left */
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, 120, 46 }, -1);
  assert_at (children[0], box, 0, 0, 50, 20);
  assert_at (children[1], box, 54, 0, 50, 20);
  assert_at (children[2], box, 0, 26, 50, 20);

  /* right to left: each line from the right */
  gtk_widget_set_direction (box, GTK_TEXT_DIR_RTL);
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, 120, 46 }, -1);
  assert_at (children[0], box, 70, 0, 50, 20);
  assert_at (children[1], box, 16, 0, 50, 20);
  assert_at (children[2], box, 70, 26, 50, 20);
  gtk_widget_set_direction (box, GTK_TEXT_DIR_LTR);

  /* a taller child makes its line taller; the others are centred in it */
  hl_wrap_box_append (HL_WRAP_BOX (box), tall);
  g_assert_cmpint (height_for (box, 120), ==, 20 + 6 + 30);
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, 120, 56 }, -1);
  assert_at (children[2], box, 0, 31, 50, 20);
  assert_at (tall, box, 54, 26, 30, 30);

  /* a child naturally wider than the box (a wrapping label) gets the box's width, on a line of
   * its own */
  gtk_widget_set_visible (tall, FALSE);
  gtk_widget_set_visible (children[0], FALSE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_insert_after (label, box, NULL);
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, <, 50);
  g_assert_cmpint (nat, >, 120);
  line = height_for (box, 120) - 6 - 20;
  g_assert_cmpint (line, >, 0);
  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, 120, &min, NULL, NULL, NULL);
  g_assert_cmpint (line, ==, min);
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, 120, line + 6 + 20 }, -1);
  assert_at (label, box, 0, 0, 120, line);
  assert_at (children[1], box, 0, line + 6, 50, 20);
  assert_at (children[2], box, 54, line + 6, 50, 20);
  gtk_window_destroy (GTK_WINDOW (window));
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

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  display = gtk_init_check ();
  g_test_add_func ("/ui/wrap-box/measure", display ? test_measure : skip_no_display);
  g_test_add_func ("/ui/wrap-box/allocate", display ? test_allocate : skip_no_display);
  return g_test_run ();
}
