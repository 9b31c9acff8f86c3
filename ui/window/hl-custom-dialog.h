/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-scenario.h"

G_BEGIN_DECLS

#define HL_TYPE_CUSTOM_DIALOG (hl_custom_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlCustomDialog, hl_custom_dialog, HL, CUSTOM_DIALOG, AdwWindow)

/* A dialog editing a copy of @initial; emits ::run with the result (an HlConfig *). */
HlCustomDialog *hl_custom_dialog_new        (GtkWindow      *parent,
                                             const HlConfig *initial);
void            hl_custom_dialog_get_config (HlCustomDialog *self,
                                             HlConfig       *config);

G_END_DECLS
