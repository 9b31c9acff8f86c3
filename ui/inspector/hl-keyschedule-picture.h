/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hl-trace.h"

G_BEGIN_DECLS

/*
 * The TLS 1.3 key schedule of one connection as one picture (RFC 8446 §7.1), drawn from
 * hl_keyschedule_ladder_new(): the extracted secrets down the middle, what enters each from the
 * left (PSK or 0, the (EC)DHE shared secret, 0), what is derived from each on the right. Each
 * box says where its value comes from — GnuTLS, computed by Handshake Lens, the wire, a
 * constant — or that GnuTLS holds it inside (dashed). Clicking a box, or Enter on the box the
 * arrow keys reached, emits ::rung-activated.
 */

#define HL_TYPE_KEYSCHEDULE_PICTURE (hl_keyschedule_picture_get_type ())
G_DECLARE_FINAL_TYPE (HlKeySchedulePicture, hl_keyschedule_picture, HL, KEYSCHEDULE_PICTURE,
                      GtkWidget)

GtkWidget *hl_keyschedule_picture_new       (HlTrace              *trace,
                                             guint                 handshake);
/* For tests: the box at a point (widget coordinates), as the secret's name and connection. */
gboolean   hl_keyschedule_picture_hit       (HlKeySchedulePicture *self,
                                             double                x,
                                             double                y,
                                             const char          **name,
                                             guint                *handshake);
/* For tests: where the box of @name is (after a size allocation). */
gboolean   hl_keyschedule_picture_box       (HlKeySchedulePicture *self,
                                             const char           *name,
                                             graphene_rect_t      *rect);

G_END_DECLS
