/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_SECRETS_VIEW (hl_secrets_view_get_type ())
G_DECLARE_FINAL_TYPE (HlSecretsView, hl_secrets_view, HL, SECRETS_VIEW, AdwBin)

GtkWidget *hl_secrets_view_new            (void);
void       hl_secrets_view_set_trace      (HlSecretsView *self,
                                           HlTrace       *trace);
/* Highlights (and scrolls to) the values the selected step is about: the premaster secret
 * for a ClientKeyExchange, the master secret for "Derive the master secret…", … */
void       hl_secrets_view_set_event      (HlSecretsView *self,
                                           HlEvent       *event);
/* Highlights the value named @name (without ".derived") of @handshake and scrolls to it. */
gboolean   hl_secrets_view_focus          (HlSecretsView *self,
                                           const char    *name,
                                           guint          handshake);

/* The card of a value, e.g. "premaster_secret" (NULL if none); its text as shown, one label a
 * line; how many cards show @check. For tests and for copying. */
GtkWidget *hl_secrets_view_get_card       (HlSecretsView *self,
                                           const char    *name,
                                           guint          handshake);
char      *hl_secrets_view_dup_card_text  (HlSecretsView *self,
                                           const char    *name,
                                           guint          handshake);
guint      hl_secrets_view_count          (HlSecretsView *self,
                                           HlCheck        check);
/* Copies the main value of the card that has the focus (Ctrl+C). */
gboolean   hl_secrets_view_copy_focused   (HlSecretsView *self);

G_END_DECLS
