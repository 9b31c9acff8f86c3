/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-live.h"

G_BEGIN_DECLS

#define HL_TYPE_LISTEN_DIALOG (hl_listen_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlListenDialog, hl_listen_dialog, HL, LISTEN_DIALOG, AdwWindow)

/* "Listen for a Client…": our server waits on a loopback port (another address only when the
 * user picks it), shows the commands to paste (curl, openssl, gnutls-cli) with the demo CA
 * written out first, and emits ::trace-ready for every client served until stopped. */
HlListenDialog *hl_listen_dialog_new (GtkWindow *parent);
void            hl_listen_dialog_set_options (HlListenDialog      *self,
                                              const HlLiveOptions *options);
/* Starts listening, as the Start button does; FALSE (and the reason shown) if it cannot. */
gboolean        hl_listen_dialog_start (HlListenDialog *self);
void            hl_listen_dialog_stop (HlListenDialog *self);
gboolean        hl_listen_dialog_is_listening (HlListenDialog *self);
/* The port being listened on (0 when stopped) and the commands shown. */
guint16         hl_listen_dialog_get_port (HlListenDialog *self);
const char     *hl_listen_dialog_get_commands (HlListenDialog *self);

G_END_DECLS
