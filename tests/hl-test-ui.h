/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     hl_test_ui_init_logging   (void);
gboolean hl_test_ui_is_tolerated   (const char     *domain,
                                    GLogLevelFlags  level,
                                    const char     *message);
guint    hl_test_ui_get_n_tolerated (void);

G_END_DECLS
