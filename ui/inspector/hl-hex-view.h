/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hl-field.h"
#include "hl-hex-layout.h"

G_BEGIN_DECLS

#define HL_TYPE_HEX_VIEW (hl_hex_view_get_type ())
G_DECLARE_FINAL_TYPE (HlHexView, hl_hex_view, HL, HEX_VIEW, GtkWidget)

GtkWidget         *hl_hex_view_new                (void);

/* Shows @bytes; @root (optional) names their ranges: clicking a byte selects the innermost
 * field that contains it. Clears the selection. */
void               hl_hex_view_set_data           (HlHexView *self,
                                                   GBytes    *bytes,
                                                   HlField   *root);
GBytes            *hl_hex_view_get_data           (HlHexView *self);
HlField           *hl_hex_view_get_root           (HlHexView *self);

/* Highlights @field's bytes (its children tinted in turn) and scrolls them into view; NULL
 * clears. Does not emit ::field-activated. */
void               hl_hex_view_select_field       (HlHexView *self,
                                                   HlField   *field);
HlField           *hl_hex_view_get_selected_field (HlHexView *self);
/* A plain byte range (no field), e.g. a search hit. */
void               hl_hex_view_select_range       (HlHexView *self,
                                                   gsize      offset,
                                                   gsize      length);
gboolean           hl_hex_view_get_selection      (HlHexView *self,
                                                   gsize     *offset,
                                                   gsize     *length);
/* What a click on the byte at @offset does: selects the innermost field containing it and
 * emits ::field-activated. */
void               hl_hex_view_activate_offset    (HlHexView *self,
                                                   gsize      offset);
/* The selected bytes in hex ("16 03 03"), or NULL when nothing is selected. */
char              *hl_hex_view_dup_selection_hex  (HlHexView *self);
gboolean           hl_hex_view_copy_selection     (HlHexView *self);

/* The geometry of the last allocation (for tests: click positions). */
const HlHexLayout *hl_hex_view_get_layout         (HlHexView *self);

G_END_DECLS
