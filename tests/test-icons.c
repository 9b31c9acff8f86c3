/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every icon name the UI uses resolves in the running icon theme (adwaita-icon-theme 48 dropped
 * emblem-ok-symbolic: without our own copy the certificate checks show a blank), each one has
 * our own drawing in the resources, and each of our drawings renders to something visible.
 * The names are read from the sources, so a new icon in a .ui or .c file is checked too. Skips
 * without a display. */
#include "config.h"

#include <adwaita.h>
#include "hl-test-ui.h"

#define ICON_SIZE 32
#define ICONS_PER_ROW 8

static GtkApplication *app;

/* The icon names in the UI's sources: "name-symbolic" in C strings and .ui properties. */
static GPtrArray *
used_icon_names (void)
{
  /* ui/ has one folder per part (test-boundaries.c knows them all) */
  static const char *const dirs[] = { "ui/common", "ui/diagram", "ui/inspector", "ui/compare",
                                      "ui/window", "app", "resources" };
  g_autoptr(GRegex) regex = g_regex_new ("[\">]([a-z][a-z0-9-]*-symbolic)[\"<]", 0, 0, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *path = g_build_filename (HL_SOURCE_ROOT, dirs[d], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      const char *file;

      g_assert_no_error (error);
      while ((file = g_dir_read_name (dir)))
        {
          g_autofree char *full = g_build_filename (path, file, NULL);
          g_autofree char *text = NULL;
          g_autoptr(GMatchInfo) match = NULL;

          if (!g_str_has_suffix (file, ".c") && !g_str_has_suffix (file, ".ui"))
            continue;
          g_assert_true (g_file_get_contents (full, &text, NULL, NULL));
          for (g_regex_match (regex, text, 0, &match); g_match_info_matches (match);
               g_match_info_next (match, NULL))
            {
              char *name = g_match_info_fetch (match, 1);

              if (g_hash_table_contains (seen, name))
                {
                  g_free (name);
                  continue;
                }
              g_hash_table_add (seen, name);
              g_ptr_array_add (names, name);
            }
        }
    }
  return names;
}

/* Each name the UI uses resolves in the theme the windows use (the display's, with the
 * application's resource path GtkApplication adds), whatever icon theme is installed. */
static void
test_names_resolve (void)
{
  g_autoptr(GPtrArray) names = used_icon_names ();
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autoptr(GString) missing = g_string_new (NULL);

  /* the scan itself works: the diagram controls and certificate checks alone use more */
  g_assert_cmpuint (names->len, >=, 20);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (!gtk_icon_theme_has_icon (theme, name))
        g_string_append_printf (missing, " %s", name);
    }
  g_assert_cmpstr (missing->str, ==, "");
}

static gboolean
mapped (GtkWidget *window)
{
  return gtk_widget_get_mapped (window);
}

/* Our own drawings alone (each loaded from the resources as an icon file, not through a theme
 * that may have its own): every used name is there, and each draws a visible shape in its cell
 * of one picture. */
static void
test_own_drawings (void)
{
  g_autoptr(GPtrArray) names = used_icon_names ();
  g_autofree char *base = g_strconcat (RESOURCE_PREFIX, "/icons", NULL);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  const char *sheet = g_getenv ("HL_TEST_ICON_SHEET");
  GtkWidget *window = gtk_window_new ();
  guint rows = (names->len + ICONS_PER_ROW - 1) / ICONS_PER_ROW;
  int width = ICONS_PER_ROW * ICON_SIZE, height = rows * ICON_SIZE;
  gsize stride = width * 4;
  const GdkRGBA colors[] = {
    { 0.2, 0.2, 0.2, 1 }, { 0.9, 0.1, 0.1, 1 }, { 0.9, 0.6, 0.1, 1 }, { 0.2, 0.7, 0.3, 1 },
  };

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_strdup_printf ("%s/scalable/actions/%s.svg", base, name);
      g_autofree char *uri = g_strconcat ("resource://", path, NULL);
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autoptr(GtkIconPaintable) icon = NULL;

      g_assert_true (g_resources_get_info (path, 0, NULL, NULL, NULL));
      icon = gtk_icon_paintable_new_for_file (file, ICON_SIZE, 1);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT ((i % ICONS_PER_ROW) * ICON_SIZE,
                                                    (i / ICONS_PER_ROW) * ICON_SIZE));
      /* as GtkImage draws a symbolic icon: with the foreground and the three status colours */
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon),
                                                GDK_SNAPSHOT (snapshot), ICON_SIZE, ICON_SIZE,
                                                colors, G_N_ELEMENTS (colors));
      gtk_snapshot_restore (snapshot);
    }

  /* a window only for its renderer */
  gtk_window_set_application (GTK_WINDOW (window), app);
  gtk_window_present (GTK_WINDOW (window));
  while (!mapped (window))
    g_main_context_iteration (NULL, TRUE);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (sheet != NULL)
    g_assert_true (gdk_texture_save_to_png (texture, sheet));
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);

  for (guint i = 0; i < names->len; i++)
    {
      int x0 = (i % ICONS_PER_ROW) * ICON_SIZE, y0 = (i / ICONS_PER_ROW) * ICON_SIZE;
      guint inked = 0;

      for (int y = y0; y < y0 + ICON_SIZE; y++)
        for (int x = x0; x < x0 + ICON_SIZE; x++)
          if (pixels[y * stride + x * 4 + 3] > 128)  /* alpha, in any of GDK's 32-bit layouts */
            inked++;
      /* a shape, not a speck and not a filled square (image-missing, a failed load) */
      if (inked < ICON_SIZE * ICON_SIZE / 16 || inked > ICON_SIZE * ICON_SIZE * 9 / 10)
        g_error ("%s: %u of %u pixels drawn", (char *) g_ptr_array_index (names, i), inked,
                 ICON_SIZE * ICON_SIZE);
    }
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
  int rc;

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  display = gtk_init_check ();
  if (display)
    {
      g_autoptr(GError) error = NULL;

      adw_init ();
      app = g_object_new (ADW_TYPE_APPLICATION,
                          "application-id", APP_ID ".Test",
                          "flags", G_APPLICATION_NON_UNIQUE,
                          "resource-base-path", RESOURCE_PREFIX,
                          NULL);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  g_test_add_func ("/ui/icons/names-resolve", display ? test_names_resolve : skip_no_display);
  g_test_add_func ("/ui/icons/own-drawings", display ? test_own_drawings : skip_no_display);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
