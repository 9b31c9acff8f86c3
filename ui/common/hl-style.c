/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-style"
#include "config.h"

#include <adwaita.h>

#include "hl-style.h"

/* The dark style's rules live in resources/dark.css. libadwaita used to load a style-dark.css
 * next to style.css by itself; 1.10 deprecates that (with a warning) in favour of
 * `@media (prefers-color-scheme: dark)` in the stylesheet, which GTK evaluates from 4.20 on
 * against the provider's prefers-color-scheme (set here from AdwStyleManager:dark). GTK 4.8 rejects @media as a parse error, so the
 * rules cannot simply move into style.css: they are loaded here, wrapped in the media query
 * where the stack has it, or switched on and off with AdwStyleManager:dark as libadwaita
 * 1.2–1.9 did with style-dark.css. */

#define DARK_CSS RESOURCE_PREFIX "/dark.css"
/* above the application's style.css, which libadwaita adds at _APPLICATION */
#define DARK_PRIORITY (GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1)

typedef struct
{
  GdkDisplay      *display;   /* borrowed: this struct is the display's data */
  AdwStyleManager *manager;   /* borrowed: lives as long as the display */
  GtkCssProvider  *provider;
  gulong           handler;
  gboolean         added;
} DarkStyle;

/**
 * hl_style_uses_media_queries:
 *
 * Whether the running GTK and libadwaita take the dark rules as a media query in a
 * stylesheet (GTK ≥ 4.20 and libadwaita ≥ 1.10) rather than as a separate provider.
 *
 * Returns: %TRUE with the media query
 */
gboolean
hl_style_uses_media_queries (void)
{
#if GTK_CHECK_VERSION (4, 20, 0)
  return gtk_check_version (4, 20, 0) == NULL &&
         (adw_get_major_version () > 1 || adw_get_minor_version () >= 10);
#else
  return FALSE;
#endif
}

static void
load_css (GtkCssProvider *provider, const char *text)
{
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_css_provider_load_from_string (provider, text);
#else
  gtk_css_provider_load_from_data (provider, text, strlen (text));
#endif
}

static void
dark_style_free (gpointer data)
{
  DarkStyle *style = data;

  g_clear_signal_handler (&style->handler, style->manager);
  if (style->added)
    gtk_style_context_remove_provider_for_display (style->display,
                                                   GTK_STYLE_PROVIDER (style->provider));
  g_object_unref (style->provider);
  g_free (style);
}

static void
dark_changed_cb (DarkStyle *style)
{
  gboolean dark = adw_style_manager_get_dark (style->manager);

#if GTK_CHECK_VERSION (4, 20, 0)
  /* a provider evaluates its media queries against its own prefers-color-scheme, which
   * libadwaita sets only on the providers it made */
  if (hl_style_uses_media_queries ())
    {
      g_object_set (style->provider, "prefers-color-scheme",
                    dark ? GTK_INTERFACE_COLOR_SCHEME_DARK : GTK_INTERFACE_COLOR_SCHEME_LIGHT,
                    NULL);
      return;
    }
#endif
  if (dark == style->added)
    return;
  if (dark)
    gtk_style_context_add_provider_for_display (style->display,
                                                GTK_STYLE_PROVIDER (style->provider),
                                                DARK_PRIORITY);
  else
    gtk_style_context_remove_provider_for_display (style->display,
                                                   GTK_STYLE_PROVIDER (style->provider));
  style->added = dark;
}

/**
 * hl_style_init:
 * @display: the display the windows are on
 *
 * Adds the dark style's rules for @display, once (later calls do nothing): every HlWindow calls
 * it, so the app, the tests and the exports that draw through a window all look the same.
 */
void
hl_style_init (GdkDisplay *display)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  DarkStyle *style;
  const char *data;
  gsize size;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_object_get_data (G_OBJECT (display), "hl-dark-style") != NULL)
    return;

  bytes = g_resources_lookup_data (DARK_CSS, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);
  data = g_bytes_get_data (bytes, &size);
  text = g_strndup (data, size);

  style = g_new0 (DarkStyle, 1);
  style->display = display;
  style->manager = adw_style_manager_get_for_display (display);
  style->provider = gtk_css_provider_new ();
  if (hl_style_uses_media_queries ())
    {
      g_autofree char *wrapped = g_strconcat ("@media (prefers-color-scheme: dark) {\n", text,
                                              "\n}\n", NULL);

      load_css (style->provider, wrapped);
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (style->provider),
                                                  DARK_PRIORITY);
      style->added = TRUE;
    }
  else
    load_css (style->provider, text);
  style->handler = g_signal_connect_swapped (style->manager, "notify::dark",
                                             G_CALLBACK (dark_changed_cb), style);
  dark_changed_cb (style);
  g_object_set_data_full (G_OBJECT (display), "hl-dark-style", style, dark_style_free);
}
