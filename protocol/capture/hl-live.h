/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-trace.h"

G_BEGIN_DECLS

/*
 * Live mode: one side of the trace is our GnuTLS session, the other a real peer over a TCP
 * socket — our client meeting any server (hl_live_connect()), or our server meeting any client
 * (#HlLiveListener). Everything is captured through our own transport functions
 * (hl-socket-transport), so the trace has the same records, messages, secrets, key schedule and
 * decryptions as an in-memory run; what only the peer knows is marked as unknown.
 *
 * Failures of the TLS conversation (a certificate we reject, an alert the peer sends) are part
 * of the trace, as in the failure scenarios; the functions fail with an %HL_ENGINE_ERROR only
 * when there is no TLS conversation to show: %HL_ENGINE_ERROR_NETWORK (name not resolved,
 * connection refused or reset, the peer closed early), %HL_ENGINE_ERROR_TIMED_OUT (the message
 * names the phase), %HL_ENGINE_ERROR_NOT_TLS (the message quotes what the peer said),
 * %HL_ENGINE_ERROR_GNUTLS (a protocol error, with GnuTLS's text), or %G_IO_ERROR_CANCELLED.
 */

typedef enum
{
  HL_LIVE_VERSIONS_ANY,     /* TLS 1.2 or 1.3, whichever the peer prefers */
  HL_LIVE_VERSIONS_TLS12,
  HL_LIVE_VERSIONS_TLS13,
} HlLiveVersions;

#define HL_LIVE_DEFAULT_CONNECT_TIMEOUT_MS 10000
#define HL_LIVE_DEFAULT_HANDSHAKE_TIMEOUT_MS 10000
#define HL_LIVE_DEFAULT_TOTAL_TIMEOUT_MS 30000
#define HL_LIVE_DEFAULT_CAPTURE_LIMIT (4u << 20)

/**
 * HlLiveOptions:
 * What to connect to or listen on. Initialise with hl_live_options_init(); strings are owned
 * and freed by hl_live_options_clear().
 */
typedef struct
{
  /* connect */
  char           *host;
  guint16         port;           /* 443 when 0 */
  char           *server_name;    /* SNI and the name checked; the host when NULL */
  char           *ca_file;        /* PEM trust anchors; the system trust store when NULL */
  char           *request;        /* sent after the handshake; a HEAD request when NULL */
  /* listen */
  char           *address;        /* 127.0.0.1 when NULL */
  char           *cert_file;      /* PEM chain and key; the demo PKI's server.test when NULL */
  char           *key_file;
  gboolean        client_auth;    /* ask the client for a certificate (demo CA) */
  /* both */
  HlLiveVersions  versions;
  guint           connect_timeout_ms;
  guint           handshake_timeout_ms;
  guint           total_timeout_ms;
  gsize           capture_limit;  /* bytes of records kept in the trace */
} HlLiveOptions;

void      hl_live_options_init (HlLiveOptions *options);
void      hl_live_options_clear (HlLiveOptions *options);
void      hl_live_options_copy (HlLiveOptions *dest, const HlLiveOptions *src);

/* "host", "host:port", "[v6]:port", "port" (listen) → host and port. */
gboolean  hl_live_parse_address (const char  *text,
                                 const char  *default_host,
                                 guint16      default_port,
                                 char       **host,
                                 guint16     *port,
                                 GError     **error);

HlTrace  *hl_live_connect (const HlLiveOptions *options,
                           GCancellable        *cancellable,
                           GError             **error);
void      hl_live_connect_async (const HlLiveOptions *options,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
HlTrace  *hl_live_connect_finish (GAsyncResult *result, GError **error);

/* Whether the live handshake of @trace completed on our side, and if not, why (owned). */
gboolean  hl_live_trace_succeeded (HlTrace *trace, char **why);

/**
 * HlLiveListener:
 * A bound, listening socket; each hl_live_listener_accept() serves one client and returns its
 * trace. Binds to loopback unless the options name another address.
 */
typedef struct _HlLiveListener HlLiveListener;

HlLiveListener *hl_live_listener_new (const HlLiveOptions *options, GError **error);
void            hl_live_listener_free (HlLiveListener *self);
guint16         hl_live_listener_get_port (HlLiveListener *self);
const char     *hl_live_listener_get_address (HlLiveListener *self);
HlTrace        *hl_live_listener_accept (HlLiveListener  *self,
                                         GCancellable    *cancellable,
                                         GError         **error);
void            hl_live_listener_accept_async (HlLiveListener      *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
HlTrace        *hl_live_listener_accept_finish (GAsyncResult *result, GError **error);
/* Commands a user can paste to reach the listener, trusting the demo CA written to @ca_path:
 * curl, openssl s_client and gnutls-cli, one per line. */
char           *hl_live_listener_dup_commands (HlLiveListener *self, const char *ca_path);

/* The demo PKI's CA certificate as PEM (what clients must trust to accept our server). */
GBytes         *hl_live_dup_demo_ca_pem (GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlLiveListener, hl_live_listener_free)

G_END_DECLS
