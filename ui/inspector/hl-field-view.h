/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-field.h"

G_BEGIN_DECLS

#define HL_TYPE_FIELD_VIEW (hl_field_view_get_type ())
G_DECLARE_FINAL_TYPE (HlFieldView, hl_field_view, HL, FIELD_VIEW, AdwBin)

GtkWidget *hl_field_view_new                (void);

/* Shows the field tree @root of @bytes (offsets of @root are into @bytes); NULL clears. */
void       hl_field_view_set_data           (HlFieldView *self,
                                             GBytes      *bytes,
                                             HlField     *root);
HlField   *hl_field_view_get_root           (HlFieldView *self);

/* Selects @field (a node of the root), expanding its ancestors and scrolling to it; NULL
 * unselects. Does not emit ::field-selected. */
void       hl_field_view_select_field       (HlFieldView *self,
                                             HlField     *field);
HlField   *hl_field_view_get_selected_field (HlFieldView *self);

void       hl_field_view_expand_all         (HlFieldView *self);
/* Rows of the tree as shown now (expanded nodes show their children). */
guint      hl_field_view_get_n_rows         (HlFieldView *self);
/* Copies the selected field's value (what Ctrl+C does); FALSE when nothing is selected. */
gboolean   hl_field_view_copy_value         (HlFieldView *self);

/* "https://www.rfc-editor.org/rfc/rfc8446#section-4.1.2" for "RFC 8446 §4.1.2", else NULL. */
char      *hl_field_view_dup_rfc_uri        (const char  *rfc);

G_END_DECLS
