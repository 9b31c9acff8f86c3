/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_CERTIFICATE_VIEW (hl_certificate_view_get_type ())
G_DECLARE_FINAL_TYPE (HlCertificateView, hl_certificate_view, HL, CERTIFICATE_VIEW, AdwBin)

GtkWidget *hl_certificate_view_new         (void);
void       hl_certificate_view_set_trace   (HlCertificateView *self,
                                            HlTrace           *trace);
/* Follows the selected step: a client's Certificate (mutual TLS) shows the client's chain,
 * anything else the server's. */
void       hl_certificate_view_set_event   (HlCertificateView *self,
                                            HlEvent           *event);
/* Shows the chain the client sent (TRUE) or the server's (FALSE). */
void       hl_certificate_view_show_chain  (HlCertificateView *self,
                                            gboolean           client_chain);
/* The verification explained, one "✓ title — detail" line per step (for tests and copy). */
char      *hl_certificate_view_dup_verification_text (HlCertificateView *self);
/* How many certificates the chain list shows (the trust anchor included). */
guint      hl_certificate_view_get_n_certificates    (HlCertificateView *self);

G_END_DECLS
