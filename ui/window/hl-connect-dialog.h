/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-live.h"

G_BEGIN_DECLS

#define HL_TYPE_CONNECT_DIALOG (hl_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlConnectDialog, hl_connect_dialog, HL, CONNECT_DIALOG, AdwWindow)

/* "Connect to Server…": host, port, server name, versions and trust anchors for our client.
 * Connects in the background (the window stays responsive, Cancel works at every point),
 * emits ::trace-ready with the live trace and closes; a failure is shown in the dialog, which
 * stays open so the user can correct it. */
HlConnectDialog *hl_connect_dialog_new (GtkWindow *parent);
/* Fills the form (e.g. from --connect) without connecting. */
void             hl_connect_dialog_set_options (HlConnectDialog     *self,
                                                const HlLiveOptions *options);
/* What the form says now; returns FALSE with a message when it is incomplete. */
gboolean         hl_connect_dialog_get_options (HlConnectDialog  *self,
                                                HlLiveOptions    *options,
                                                char            **problem);
/* Starts connecting, as the Connect button does. */
void             hl_connect_dialog_connect (HlConnectDialog *self);
gboolean         hl_connect_dialog_is_connecting (HlConnectDialog *self);
/* The line under the form: progress, or what went wrong. */
const char      *hl_connect_dialog_get_status (HlConnectDialog *self);

G_END_DECLS
