/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hl-engine-private.h"
#include "hl-live.h"

G_BEGIN_DECLS

/*
 * Live mode in parts, shared through this header: hl-live.c (options, the outcome, the
 * asynchronous forms), hl-live-conversation.c (sessions and credentials, what the peer said,
 * the conversation both directions share), hl-live-connect.c and hl-live-listen.c.
 *
 * A live run is a Run (hl-engine-private.h) with one Peer of ours and one remote Peer: the
 * same callbacks capture our session; the remote's messages are taken from our session's
 * incoming hook, its records from the transport when GnuTLS starts reading them. Each step of
 * the conversation has a deadline; the whole exchange has one too.
 */

typedef struct
{
  Run           run;
  HlConfig      config;      /* only client_auth is used */
  HlLive        live;
  gint64        total_deadline;
  HlLiveOptions options;
  HlSide        local;
  GString      *received;    /* application data from the peer */
  gboolean      peer_closed_tls; /* it sent close_notify */
  guint         peer_alert;  /* the fatal alert it sent, or 0 */
  gboolean      peer_sent_alert;
} Live;

/* hl-live-conversation.c: sessions and credentials */
gboolean  hl_live_gnutls_ok           (int rc, const char *what, GError **error);
gboolean  hl_live_setup_local_peer    (Run *run, HlSide side, HlLiveVersions versions,
                                       GError **error);
void      hl_live_record_trust_anchor (Run *run, gnutls_certificate_credentials_t cred,
                                       GPtrArray *chain);

/* hl-live-conversation.c: what the peer said */
char     *hl_live_http_header         (const char *text, gsize len, const char *name);
char     *hl_live_describe_remote     (GSocket *socket);

/* hl-live-conversation.c: the conversation */
Peer     *hl_live_local_peer          (Live *live);
gboolean  hl_live_handshake           (Live *live, GError **error);
gboolean  hl_live_send_app_data       (Live *live, const char *name, const char *data, gsize len,
                                       GError **error);
gboolean  hl_live_receive_app_data    (Live *live, const char *name,
                                       gboolean (*done) (GString *), GError **error);
void      hl_live_close_ours          (Live *live);
gboolean  hl_live_request_complete    (GString *received);
HlTrace  *hl_live_finish              (Live *live, GError **error);
void      hl_live_init                (Live *live, const HlLiveOptions *options, HlSide local);
void      hl_live_clear               (Live *live);

G_END_DECLS
