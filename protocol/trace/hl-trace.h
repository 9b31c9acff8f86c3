/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-event.h"
#include "hl-types.h"

G_BEGIN_DECLS

/**
 * HlSecret:
 * A secret or key of the run. `name` is a stable identifier (`premaster_secret`,
 * `master_secret`, `client_write_key`, `CLIENT_HANDSHAKE_TRAFFIC_SECRET`, …), `label` a
 * human title. `handshake` says which handshake of the trace it belongs to (0, or 1 for the
 * resumed one). Where `source` is `HL_SOURCE_DERIVED`, `formula` and `inputs` tell how, and
 * `check` whether it equals the library's value. `value` is NULL when the library hides the
 * value; `note` then says so.
 */
typedef struct
{
  char      *name;
  char      *label;
  GBytes    *value;
  HlSide     holder;
  HlSource   source;
  guint      handshake;
  char      *formula;
  GStrv      inputs;
  HlCheck    check;
  char      *note;
} HlSecret;

HlSecret *hl_secret_new (const char *name, const char *label, GBytes *value, HlSide holder,
                         HlSource source, guint handshake);
HlSecret *hl_secret_copy (const HlSecret *secret);
void      hl_secret_free (HlSecret *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlSecret, hl_secret_free)

/**
 * HlNegotiated:
 * What one handshake agreed on, as GnuTLS reports it.
 */
typedef struct
{
  guint     handshake;
  char     *version;       /* "TLS1.2" */
  char     *cipher_suite;  /* IANA name, "TLS_RSA_WITH_AES_128_GCM_SHA256" */
  char     *kx;            /* "RSA", "ECDHE-RSA", "(EC)DHE" (1.3) … */
  char     *cipher;        /* "AES-128-GCM" */
  char     *mac;           /* "AEAD", "SHA1" */
  char     *group;         /* "SECP256R1", or NULL */
  char     *signature;     /* "RSA-PSS-RSAE-SHA256", or NULL */
  gboolean  ems;           /* extended master secret (RFC 7627) in use */
  gboolean  etm;           /* encrypt-then-MAC (RFC 7366) in use */
  gboolean  resumed;
  gboolean  client_auth;   /* a client certificate was sent */
  GBytes   *client_random;
  GBytes   *server_random;
  GBytes   *session_id;
  char     *alpn;          /* the application protocol the server selected (RFC 7301), read
                            * from its ServerHello / EncryptedExtensions, or NULL */
} HlNegotiated;

void hl_negotiated_free (HlNegotiated *negotiated);

/**
 * HlVerification:
 * One certificate verification done during the run, with GnuTLS's verdict.
 */
typedef struct
{
  guint     handshake;
  HlSide    verifier;   /* who verified (client: server chain; server: client chain) */
  int       rc;         /* return code of gnutls_certificate_verify_peers3 */
  guint     status;     /* gnutls_certificate_status_t bits */
  char     *text;       /* gnutls_certificate_verification_status_print, or the error */
  char     *hostname;   /* the name checked, or NULL */
  gboolean  trusted;
} HlVerification;

void hl_verification_free (HlVerification *verification);

/**
 * HlOutcome:
 * How the run ended.
 */
typedef struct
{
  gboolean  client_ok;     /* the client finished its (last) handshake */
  gboolean  server_ok;
  char     *client_error;  /* GnuTLS error text where the side failed, else NULL */
  char     *server_error;
  HlSide    alert_sender;  /* who sent the fatal alert, HL_SIDE_NONE if none */
  guint     alert;         /* its description code */
} HlOutcome;

/**
 * HlLive:
 * Present when one side of the trace was a real peer over a socket (live mode). Everything the
 * trace says about that side comes from its bytes on the wire; its private values (private keys,
 * key shares) stay with it and are never invented.
 */
typedef struct
{
  HlSide    local;        /* the side that was ours: client (--connect) or server (--listen) */
  char     *address;      /* the remote end, "127.0.0.1:4433" or "[::1]:443" */
  char     *server_name;  /* the SNI name: the one we sent, or the one the client sent us */
  char     *software;     /* what the peer says it is (HTTP Server:/User-Agent:), or NULL */
  char     *trust;        /* what validated the peer's chain: "system trust store", a file … */
  gboolean  truncated;    /* capture stopped at the size limit; later bytes are not in the trace */
  guint64   bytes_sent;   /* bytes we wrote to the socket, and read from it */
  guint64   bytes_received;
} HlLive;

HlLive *hl_live_info_copy (const HlLive *live);
void    hl_live_info_free (HlLive *live);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlLive, hl_live_info_free)

/**
 * HlAttacker:
 * Present in the attack scenarios: a fourth participant sits between client and server and runs
 * two connections of its own. Handshake 0 is client ⇄ attacker (the attacker plays the TLS
 * server), handshake 1 attacker ⇄ server (the attacker plays the TLS client); the trace's
 * server chain is the real server's, the attacker's forged chain is kept here. An attacker that
 * only relays bytes (mitm-downgrade) has no CA and an empty chain: its handshake 0 role is played
 * by the server's bytes it passes on, its handshake 1 role by the client's.
 */
typedef struct
{
  GBytes    *ca_certificate; /* the attacker's own CA (DER), or NULL */
  GPtrArray *chain;          /* of GBytes: what it presented to the client, leaf first */
  gboolean   trusted;        /* the client's trust store holds the attacker's CA */
  gboolean   unchecked;      /* the client does not check the server's certificate at all */
} HlAttacker;

HlAttacker *hl_attacker_info_copy (const HlAttacker *attacker);
void        hl_attacker_info_free (HlAttacker *attacker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlAttacker, hl_attacker_info_free)

#define HL_TYPE_TRACE (hl_trace_get_type ())
G_DECLARE_FINAL_TYPE (HlTrace, hl_trace, HL, TRACE, GObject)

/* The trace is a GListModel of HlEvent (in order of occurrence). */

const char        *hl_trace_get_scenario (HlTrace *self);
const char        *hl_trace_get_title (HlTrace *self);
const char        *hl_trace_get_description (HlTrace *self);
const char        *hl_trace_get_library_version (HlTrace *self);
gint64             hl_trace_get_created (HlTrace *self);   /* wall clock, µs since epoch */
gboolean           hl_trace_is_finished (HlTrace *self);
guint              hl_trace_get_n_events (HlTrace *self);
HlEvent           *hl_trace_get_event (HlTrace *self, guint index);   /* borrowed */
guint              hl_trace_get_n_handshakes (HlTrace *self);

GPtrArray         *hl_trace_get_secrets (HlTrace *self);      /* of HlSecret, borrowed */
const HlSecret    *hl_trace_find_secret (HlTrace *self, const char *name, guint handshake);
GPtrArray         *hl_trace_get_negotiated (HlTrace *self);   /* of HlNegotiated, one per handshake */
/* Whether @handshake negotiated TLS 1.3 (whose keys are "handshake/application traffic keys";
 * TLS 1.2 has "session keys"). */
gboolean           hl_trace_handshake_is_tls13 (HlTrace *self, guint handshake);
GPtrArray         *hl_trace_get_verifications (HlTrace *self);/* of HlVerification */
const HlOutcome   *hl_trace_get_outcome (HlTrace *self);

/* Certificates as DER, leaf first. */
GPtrArray         *hl_trace_get_server_chain (HlTrace *self); /* of GBytes */
GPtrArray         *hl_trace_get_client_chain (HlTrace *self); /* of GBytes, may be empty */
GBytes            *hl_trace_get_ca_certificate (HlTrace *self); /* the client's trust anchor */
/* The server's private key (PEM) — the demo key generated for this process; it is what lets us
 * decrypt an RSA premaster secret from the wire. */
GBytes            *hl_trace_get_server_key (HlTrace *self);

/* TRUE for a trace from a file of format_version 1, which kept events in the order they were
 * sent: what a receiver did with a message may stand before the message. */
gboolean           hl_trace_is_order_approximate (HlTrace *self);
/* NULL for traces whose two sides both ran in this process. */
const HlLive      *hl_trace_get_live (HlTrace *self);
/* NULL unless an attacker sits in the middle (the mitm-* scenarios). */
const HlAttacker  *hl_trace_get_attacker (HlTrace *self);
/* The TLS role @side plays in @handshake: HL_SIDE_CLIENT or HL_SIDE_SERVER for the endpoints of
 * that connection (the attacker is the server of handshake 0 and the client of handshake 1);
 * any other side is returned as it is. */
HlSide             hl_trace_get_role (HlTrace *self, guint handshake, HlSide side);
/* The chain the TLS @role (client or server) of @handshake presented: the server chain, or the
 * attacker's towards the client. Borrowed. */
GPtrArray         *hl_trace_get_chain_of (HlTrace *self, guint handshake, HlSide role);
/* Who plays the TLS client and the TLS server in @handshake. */
void               hl_trace_get_endpoints (HlTrace *self, guint handshake, HlSide *client,
                                           HlSide *server);
/* The label of a participant: "Server" in memory; for the remote side of a live trace, what we
 * know of it ("Server · 127.0.0.1:4433"). Newly allocated. */
char              *hl_trace_dup_participant_label (HlTrace *self, HlSide side);

char              *hl_trace_dup_keylog (HlTrace *self);       /* NSS key log format text */

G_END_DECLS
