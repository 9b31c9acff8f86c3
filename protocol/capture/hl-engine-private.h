/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the in-memory engine (hl-engine*.c) and live mode (hl-live.c): the state of a run and
 * the GnuTLS callbacks that turn what a session does into trace events. Not installed, not API. */

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

#include "hl-pipe.h"
#include "hl-pki.h"
#include "hl-scenario.h"
#include "hl-socket-transport.h"
#include "hl-trace-private.h"

G_BEGIN_DECLS

typedef enum
{
  PEER_RUNNING,
  PEER_DONE,
  PEER_FAILED,
} PeerState;

typedef struct _Run Run;

typedef struct
{
  Run              *run;
  HlSide            side;
  gnutls_session_t  session;
  PeerState         state;
  int               rc;            /* the fatal error code when FAILED */
  HlEpoch           write_epoch;   /* keys this side is writing with */
  GQueue            pending;       /* HlEvent* queued by GnuTLS, waiting for their record */
  gsize             plain_left;    /* bytes of the current plaintext handshake message to come */
  gboolean          ccs_sent;
  HlEvent          *pms_action;    /* the client's premaster step, its caption to complete */
  gboolean          verified;      /* its verify callback ran in this handshake */
  gboolean          after_hrr;     /* (client) it has read a HelloRetryRequest */
  gboolean          read_finished; /* it has read the peer's Finished */
  guint             levels_seen;   /* bit per HlEpoch whose keys its secret callback reported */
  HlCheck           verify_result;
  guint             verify_status;
  gboolean          remote;        /* a real peer over a socket: no session of ours */
  int               last_record;   /* index of the last record this side sent, or -1 */
} Peer;

struct _Run
{
  const HlConfig                   *config;
  gboolean                          capture;
  HlTrace                          *trace;
  HlPipe                           *pipe;
  HlPki                            *pki;
  HlIdentity                        server_identity;
  gnutls_certificate_credentials_t  client_cred;
  gnutls_certificate_credentials_t  server_cred;
  gnutls_privkey_t                  server_privkey;
  GPtrArray                        *pms_jobs;   /* RSA premaster decryptions in flight */
  GPtrArray                        *signature_checks; /* HlSignatureEarly*, started on send */
  gboolean                          server_key_ours; /* RSA key exchange: the server's key
                                                      * keeps what it decrypts */
  GPtrArray                        *server_opened;    /* what it decrypted */
  gnutls_datum_t                    ticket_key;
  Peer                              peers[2];
  guint                             handshake;
  GError                           *error;      /* first engine error (sticks) */

  /* causal order: a key per event (by index), taken when it happened or was processed */
  GArray                           *keys;       /* guint64 */
  guint64                           moment;
  GQueue                            unread_records[2];  /* by sender: indices, not yet read */
  GQueue                            unread_messages[2]; /* by sender: handshake messages */

  /* live mode: one side is a real peer (HL_SIDE_NONE when both run here) */
  HlSide                            local;
  HlSocketTransport                *transport;
  char                             *hostname;   /* the name the client checks */
  char                             *trust;      /* what the client's trust anchors are */

  /* attacker in the middle (hl-mitm.c): two runs, one per connection, fill one trace */
  Run                              *order;      /* whose keys order the events (NULL: own) */
  GPtrArray                        *attacker_chain; /* where the client's peer chain goes */
  gpointer                          attack;     /* hl-mitm.c's state */
};

gboolean hl_engine_setup_peer (Run *run, HlSide side);
/* TRUE when @rc is not a GnuTLS error; else sets @error (HL_ENGINE_ERROR_SETUP: "@what: …"). */
gboolean hl_engine_gnutls_ok (int rc, const char *what, GError **error);
void     hl_engine_record_read_cb (HlSide receiver, gpointer user_data);
void     hl_engine_run_clear (Run *run);
void     hl_engine_join_premaster (Run *run);
/* hl_signature_apply() on @run's trace, with the verifications started as the signed messages
 * went on the wire (in memory; with an attack, those of both runs). */
void     hl_engine_apply_signatures (Run *run);
Peer    *hl_engine_peer_of (Run *run, HlSide side);
gboolean hl_engine_is_tls13 (Peer *peer);
void     hl_engine_attach_capture (Run *run, Peer *peer);
int      hl_engine_verify_cb (gnutls_session_t session);
void     hl_engine_record_cb (HlSide sender, GBytes *record, gint64 timestamp, gpointer user_data);
void     hl_engine_peer_failed (Peer *peer, int rc);
gboolean hl_engine_send_data (Peer *peer, const char *name, const char *caption, const char *data,
                              gsize len, GError **error);
void     hl_engine_add_close_notify (Peer *peer);
void     hl_engine_add_remote_item (Run *run, HlEvent *event);
HlEvent *hl_engine_alert_event (Run *run, HlSide sender, guint level, guint desc);
HlEvent *hl_engine_new_event (Run *run, HlEventKind kind, HlSide side, HlSide peer,
                              const char *name);
HlEvent *hl_engine_add_note (Run *run, const char *name, const char *caption,
                             const char *technical);
HlEvent *hl_engine_add_action (Run *run, HlSide side, HlSide peer, const char *name,
                               HlCheck check, const char *caption, const char *technical);
void     hl_engine_add_secret (Run *run, const char *name, const char *label, GBytes *value,
                               HlSide holder, HlSource source, const char *note);
void     hl_engine_collect_negotiated (Run *run);
void     hl_engine_flush_leftovers (Run *run);
void     hl_engine_set_outcome (Run *run);
void     hl_engine_settle_order (Run *run);
void     hl_engine_clear_order (Run *run);

/* hl-engine-hello.c: the application protocol every run speaks (its data is HTTP/1.1); the
 * client also offers h2, the server takes only this. */
#define HL_ENGINE_ALPN "http/1.1"
gboolean hl_engine_setup_alpn (Run *run, Peer *peer);
/* The protocol the server selected, read from the ServerHello (1.2) or EncryptedExtensions
 * (1.3) of @run's handshake in the trace, checked against what @session reports; adds a
 * sentence about ALPN (and a TLS 1.2 ServerHello's downgrade sentinel) to the captions of the
 * hellos. NULL when no protocol was selected. */
char    *hl_engine_collect_hellos (Run *run, gboolean tls13, gnutls_session_t session);
/* When the config asks for it, an OCSP response for the server certificate, made now and
 * stapled by the server (its credentials must hold the certificate already). */
gboolean hl_engine_setup_ocsp (Run *run, GError **error);
/* After the client verified the chain: if the server stapled an OCSP response, the action
 * "Check the stapled OCSP response" with GnuTLS's verdict and our own. */
void     hl_engine_check_ocsp (Peer *client);

/* hl-engine-drive.c: the in-memory run of @run's config (both sides here), one connection or two
 * with resumption. */
gboolean hl_engine_run_all (Run *run, GCancellable *cancellable, GError **error);

/* hl-mitm.c: the attack scenarios (config->attack), with @run as the client's connection. */
gboolean hl_mitm_run (Run *run, GCancellable *cancellable, GError **error);
/* Once both connections are captured: the attacker's role in each becomes the attacker (events
 * in @authored keep their captions), and the outcome is the client's and the server's. */
gboolean hl_mitm_step (Peer *peer);  /* one gnutls_handshake() call; TRUE if anything happened */
void     hl_mitm_collect (Run *front, Run *back);  /* negotiated values, leftovers, order */
void     hl_mitm_rename_attacker (HlTrace *trace, GHashTable *authored);
void     hl_mitm_set_outcome (HlTrace *trace, Peer *client, Peer *server);
/* hl-mitm-relay.c: the attacker that relays bytes and rewrites one (HL_ATTACK_DOWNGRADE). */
gboolean hl_mitm_relay_run (Run *run, GCancellable *cancellable, GError **error);
gboolean hl_engine_setup_credentials (Run *run, GError **error);

/* The keys that protect what @session sends in @epoch, in the words each version teaches:
 * TLS 1.2 has one set after ChangeCipherSpec, the session keys; TLS 1.3 has handshake and
 * application traffic keys (RFC 8446 §7.3). */
static inline const char *
hl_engine_keys_words (gnutls_session_t session, HlEpoch epoch)
{
  if (gnutls_protocol_get_version (session) != GNUTLS_TLS1_3)
    return "session keys";
  return epoch == HL_EPOCH_HANDSHAKE ? "handshake traffic keys" : "application traffic keys";
}

G_END_DECLS
