/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HL_TYPE_FIELD (hl_field_get_type ())

/**
 * HlField:
 *
 * One node of a decoded message: a name, the absolute byte range it covers, its value as
 * display text, a plain-words explanation, the RFC section that defines it, and children.
 *
 * The children of a field lie inside its range, in order, without overlapping, and (for
 * what the decoder produces) cover it completely, so every byte has a name. A *derived*
 * field is the exception: it shows something computed from its parent's bytes (a
 * certificate's subject, say), carries its parent's range, and is skipped by
 * hl_field_find_at_offset().
 *
 * Fields are reference counted and immutable once the decoder returns them.
 */
typedef struct _HlField HlField;

GType        hl_field_get_type        (void) G_GNUC_CONST;

HlField     *hl_field_new             (const char  *name,
                                       gsize        offset,
                                       gsize        length);
HlField     *hl_field_ref             (HlField     *self);
void         hl_field_unref           (HlField     *self);

const char  *hl_field_get_name        (HlField     *self);
gsize        hl_field_get_offset      (HlField     *self);
gsize        hl_field_get_length      (HlField     *self);
gsize        hl_field_get_end         (HlField     *self);
const char  *hl_field_get_value       (HlField     *self);
const char  *hl_field_get_explanation (HlField     *self);
const char  *hl_field_get_rfc         (HlField     *self);
gboolean     hl_field_get_derived     (HlField     *self);
HlField     *hl_field_get_parent      (HlField     *self);
guint        hl_field_get_n_children  (HlField     *self);
HlField     *hl_field_get_child       (HlField     *self,
                                       guint        index);

void         hl_field_set_length      (HlField     *self,
                                       gsize        length);
void         hl_field_set_value       (HlField     *self,
                                       const char  *value);
void         hl_field_take_value      (HlField     *self,
                                       char        *value);
void         hl_field_set_value_printf (HlField    *self,
                                        const char *format,
                                        ...) G_GNUC_PRINTF (2, 3);
void         hl_field_set_explanation (HlField     *self,
                                       const char  *explanation);
void         hl_field_set_rfc         (HlField     *self,
                                       const char  *rfc);
void         hl_field_set_derived     (HlField     *self,
                                       gboolean     derived);
HlField     *hl_field_add_child       (HlField     *self,
                                       HlField     *child);

HlField     *hl_field_find_at_offset  (HlField     *self,
                                       gsize        offset);
HlField     *hl_field_find            (HlField     *self,
                                       const char  *name);
HlField     *hl_field_find_path       (HlField     *self,
                                       const char  *path);
guint        hl_field_count           (HlField     *self);
char        *hl_field_dup_path        (HlField     *self);
void         hl_field_print           (HlField     *self,
                                       GString     *out,
                                       guint        indent);
char        *hl_field_to_string       (HlField     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlField, hl_field_unref)

G_END_DECLS
