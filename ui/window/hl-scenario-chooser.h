/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HL_TYPE_SCENARIO_CHOOSER (hl_scenario_chooser_get_type ())
G_DECLARE_FINAL_TYPE (HlScenarioChooser, hl_scenario_chooser, HL, SCENARIO_CHOOSER, AdwBin)

GtkWidget *hl_scenario_chooser_new         (void);
/* Marks @scenario_id as the one shown (NULL: a custom run, titled @title). */
void       hl_scenario_chooser_set_current (HlScenarioChooser *self,
                                            const char        *scenario_id,
                                            const char        *title);
void       hl_scenario_chooser_popup       (HlScenarioChooser *self);

G_END_DECLS
