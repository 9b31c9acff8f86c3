/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hl-types.h"

G_BEGIN_DECLS

#define HL_TYPE_VALUE_ROW (hl_value_row_get_type ())
G_DECLARE_FINAL_TYPE (HlValueRow, hl_value_row, HL, VALUE_ROW, GtkListBoxRow)

/* Values longer than this many bytes show their first HL_VALUE_ROW_PREVIEW bytes and an
 * expander. */
#define HL_VALUE_ROW_LONG    32
#define HL_VALUE_ROW_PREVIEW 16

GtkWidget  *hl_value_row_new        (const char *title);
void        hl_value_row_set_title  (HlValueRow *self,
                                     const char *title);
const char *hl_value_row_get_title  (HlValueRow *self);
/* A value in words (selectable, wraps). */
void        hl_value_row_set_text   (HlValueRow *self,
                                     const char *text);
/* A value in bytes: hex with its length, abbreviated with an expander when long; Copy copies
 * it as one hex string. NULL says the value is not available. */
void        hl_value_row_set_bytes  (HlValueRow *self,
                                     GBytes     *bytes);
/* What the row shows as its value right now (the abbreviation when collapsed). */
const char *hl_value_row_get_text   (HlValueRow *self);
/* The whole value as Copy puts it on the clipboard. */
const char *hl_value_row_get_copy_text (HlValueRow *self);
void        hl_value_row_set_monospace (HlValueRow *self,
                                        gboolean    monospace);
/* A badge after the title: "✓ @label" or "✗ @label" (HL_CHECK_NONE hides it). */
void        hl_value_row_set_check  (HlValueRow *self,
                                     HlCheck     check,
                                     const char *label);
HlCheck     hl_value_row_get_check  (HlValueRow *self);
/* A sentence under the value, dimmed. */
void        hl_value_row_set_note   (HlValueRow *self,
                                     const char *note);
void        hl_value_row_set_expanded (HlValueRow *self,
                                       gboolean    expanded);
gboolean    hl_value_row_copy       (HlValueRow *self);

G_END_DECLS
