/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-window.h"

G_BEGIN_DECLS

/* The app's settings, or NULL when the schema is not installed (a binary run straight from a
 * build tree without GSETTINGS_SCHEMA_DIR): the app then simply does not remember anything. */
GSettings *hl_settings_new (void);

typedef enum
{
  HL_SETTINGS_BIND_GEOMETRY = 1 << 0, /* window size and maximized state */
  HL_SETTINGS_BIND_STYLE    = 1 << 1, /* light/dark override */
  HL_SETTINGS_BIND_STATE    = 1 << 2, /* speed, inspector shown, last scenario */
  HL_SETTINGS_BIND_ALL      = 0x7,
} HlSettingsBindFlags;

/* Keeps @window and @settings in step both ways (g_settings_bind); the last scenario is
 * stored when the window closes. */
void       hl_settings_bind_window (GSettings *settings, HlWindow *window,
                                    HlSettingsBindFlags flags);

/* The scenario to show at start-up: the last one, if it still exists. */
char      *hl_settings_dup_last_scenario (GSettings *settings);

G_END_DECLS
