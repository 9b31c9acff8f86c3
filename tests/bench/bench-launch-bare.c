/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The yardstick for bench-launch: the smallest libadwaita program of the app's shape. An
 * AdwApplication whose window (AdwApplicationWindow, header bar, a label) is rendered to PNG
 * three frames after it is mapped, with GTK's own renderer as `handshake-lens --screenshot`
 * does, then quits. Usage: bench-launch-bare --screenshot FILE --size WxH */
#include "config.h"

#include <stdio.h>
#include <adwaita.h>

static char *path;
static int width = 1280, height = 800;
static int frames;

static gboolean
save_png (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);

  gtk_snapshot_scale (snapshot, scale, scale);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w * scale, h * scale));
  return gdk_texture_save_to_png (texture, path);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  if (!gtk_widget_get_mapped (widget) || ++frames < 3)
    return G_SOURCE_CONTINUE;
  if (!save_png (widget) && frames < 60)
    return G_SOURCE_CONTINUE;
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Handshake Lens");

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_widget_add_tick_callback (window, tick_cb, app, NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;
  const char *size = "1280x800";

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--screenshot"))
        path = argv[i + 1];
      else if (g_str_equal (argv[i], "--size"))
        size = argv[i + 1];
    }
  if (path == NULL || sscanf (size, "%dx%d", &width, &height) != 2)
    {
      g_printerr ("usage: bench-launch-bare --screenshot FILE [--size WxH]\n");
      return 2;
    }
  app = adw_application_new (APP_ID ".BenchBare", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
