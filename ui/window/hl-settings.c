/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-settings"
#include "config.h"

#include "hl-scenario.h"
#include "hl-settings.h"

GSettings *
hl_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed; settings will not be kept "
                 "(set GSETTINGS_SCHEMA_DIR when running from a build tree)", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
close_request_cb (GtkWindow *window, GSettings *settings)
{
  HlTrace *trace = hl_window_get_trace (HL_WINDOW (window));

  /* only scenarios can be run again at start-up; an opened file or a custom run is not one */
  if (trace && hl_scenario_lookup (hl_trace_get_scenario (trace)))
    g_settings_set_string (settings, "last-scenario", hl_trace_get_scenario (trace));
  return FALSE;
}

void
hl_settings_bind_window (GSettings *settings, HlWindow *window, HlSettingsBindFlags flags)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (HL_IS_WINDOW (window));

  if (flags & HL_SETTINGS_BIND_GEOMETRY)
    {
      g_settings_bind (settings, "window-width", window, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", window, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", window, "maximized",
                       G_SETTINGS_BIND_DEFAULT);
    }
  if (flags & HL_SETTINGS_BIND_STYLE)
    /* an enum key binds to the window's string property by its nicks: default/light/dark */
    g_settings_bind (settings, "color-scheme", window, "style-variant", G_SETTINGS_BIND_DEFAULT);
  if (flags & HL_SETTINGS_BIND_STATE)
    {
      g_settings_bind (settings, "speed", window, "speed", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "inspector-visible", window, "show-details",
                       G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (window, "close-request", G_CALLBACK (close_request_cb), settings,
                               0);
    }
}

char *
hl_settings_dup_last_scenario (GSettings *settings)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  id = g_settings_get_string (settings, "last-scenario");
  return hl_scenario_lookup (id) ? g_steal_pointer (&id) : g_strdup ("tls12-rsa");
}
