/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     hl_style_init                 (GdkDisplay *display);
gboolean hl_style_uses_media_queries   (void);

G_END_DECLS
