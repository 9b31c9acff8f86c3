/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HL_TYPE_APPLICATION (hl_application_get_type ())
G_DECLARE_FINAL_TYPE (HlApplication, hl_application, HL, APPLICATION, AdwApplication)

HlApplication *hl_application_new (void);
/* g_application_run(), with the exit status of --screenshot failures folded in. */
int            hl_application_run (HlApplication *self, int argc, char **argv);

G_END_DECLS
