/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "hl-error.h"
#include "hl-keyschedule.h"
#include "hl-record-crypto.h"
#include "hl-trace-private.h"

G_BEGIN_DECLS

/*
 * The key schedule in parts, shared through this header: hl-keyschedule.c (result types, the
 * handshake under study, adding and checking values, transcripts, record keys, public API),
 * hl-keyschedule-wire.c (what the hellos and tickets say; resumption),
 * hl-keyschedule-tls12.c and hl-keyschedule-tls13.c (each version's derivation),
 * hl-keyschedule-ticket.c (opening a TLS 1.2 ticket with the server's key) and
 * hl-keyschedule-records.c (decrypting every protected record and what that confirms).
 */

#define SIDES  2 /* client, server */
#define EPOCHS 3 /* HlEpoch */

enum
{
  HT_CLIENT_HELLO = 1,
  HT_SERVER_HELLO = 2,
  HT_NEW_SESSION_TICKET = 4,
  HT_SERVER_HELLO_DONE = 14,
  HT_CLIENT_KEY_EXCHANGE = 16,
  HT_FINISHED = 20,
  HT_KEY_UPDATE = 24,
};

enum
{
  EXT_ENCRYPT_THEN_MAC = 22,         /* RFC 7366 */
  EXT_EXTENDED_MASTER_SECRET = 23,   /* RFC 7627 */
  EXT_SESSION_TICKET = 35,           /* RFC 5077 */
  EXT_PRE_SHARED_KEY = 41,           /* RFC 8446 §4.2.11 */
  EXT_SUPPORTED_VERSIONS = 43,       /* RFC 8446 §4.2.1 */
};

#define TLS13_VERSION 0x0304

/* --- The handshake under study --------------------------------------------------------------- */

/* The keys of one direction of one epoch, as the record pass uses them. */
typedef struct
{
  GBytes    *key;
  GBytes    *iv;
  GBytes    *mac_key;
  char      *names;      /* "client_write_key, client_write_iv" */
  GPtrArray *derived;    /* HlSecret (borrowed): our values used here, confirmed by records */
  guint      n_ok;       /* records that decrypted and matched with them */
  guint      n_failed;
  guint      first_ok;   /* event index of the first such record */
} EpochKeys;

typedef struct
{
  HlTrace                   *trace;
  guint                      handshake;
  GPtrArray                 *out;          /* HlSecret, owned by the schedule */

  GPtrArray                 *messages;     /* HlEvent (borrowed): the transcript, in order */
  HlEvent                   *server_hello; /* the real one, not a HelloRetryRequest */
  HlEvent                   *client_hello; /* the last ClientHello */
  gboolean                   hrr;
  gboolean                   tls13;
  gboolean                   resumed;
  gboolean                   ems;
  gboolean                   etm;
  guint16                    suite;
  const char                *suite_name;   /* IANA */
  gnutls_cipher_algorithm_t  cipher;
  gnutls_mac_algorithm_t     record_mac;   /* TLS 1.2 CBC */
  gboolean                   cbc;
  gnutls_mac_algorithm_t     hash;         /* TLS 1.2 PRF hash, TLS 1.3 suite hash */
  GBytes                    *client_random;
  GBytes                    *server_random;
  GBytes                    *offered_ticket; /* the ticket (or PSK identity) in the ClientHello */
  char                      *unusable;     /* why nothing could be derived, or NULL */

  HlSecret                  *key_block;    /* TLS 1.2, borrowed from out */
  GPtrArray                 *key_pieces;   /* HlSecret (borrowed): its parts */
  EpochKeys                  keys[SIDES][EPOCHS];
} Handshake;

static inline guint
side_index (HlSide side)
{
  return side == HL_SIDE_CLIENT ? 0 : 1;
}

static inline const char *
who (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "client" : "server";
}

static inline gsize
hash_size (gnutls_mac_algorithm_t hash)
{
  return gnutls_hmac_get_len (hash);
}

static inline void
hl_ks_set_inputs (HlSecret *secret, const char *inputs)
{
  g_strfreev (secret->inputs);
  secret->inputs = g_strsplit (inputs, " ", -1);
}

static inline void
set_note (HlSecret *secret, char *note)
{
  g_free (secret->note);
  secret->note = note;
}

/* hl-keyschedule.c: the handshake under study */
const HlSecret *hl_ks_library_secret (Handshake *hs, const char *name);
const HlSecret *hl_ks_library_entry  (Handshake *hs, const char *name);
GBytes     *hl_ks_library_value       (Handshake *hs, const char *name);
int         hl_ks_find_message        (Handshake *hs, int type, HlSide side);

/* hl-keyschedule.c: adding and checking values, transcripts, record keys */
char       *hl_ks_short_hex           (GBytes *bytes);
HlSecret   *hl_ks_add_derived         (Handshake *hs, const char *name, const char *label,
                                       GBytes *value, const char *formula, const char *inputs);
HlSecret   *hl_ks_add_hidden          (Handshake *hs, const char *name, const char *label,
                                       const char *formula, char *note);
void        hl_ks_compare_library     (Handshake *hs, HlSecret *secret, const char *library_name);
void        hl_ks_compare_finished    (HlSecret *secret, HlEvent *finished);
void        hl_ks_confirm             (HlSecret *secret, const HlSecret *by);
HlSecret   *hl_ks_add_transcript_hash (Handshake *hs, const char *name, const char *label,
                                       guint n);
void        hl_ks_set_record_keys     (Handshake *hs, HlSide sender, HlEpoch epoch,
                                       const char *prefix, HlSecret *our_key, HlSecret *our_iv,
                                       HlSecret *our_mac_key);

/* hl-keyschedule-wire.c */
gboolean    hl_ks_study_handshake     (Handshake *hs);
void        hl_ks_check_resumption    (Handshake *hs);

/* hl-keyschedule-tls12.c */
void        hl_ks_derive_tls12        (Handshake *hs);
void        hl_ks_check_key_block     (Handshake *hs);

/* hl-keyschedule-ticket.c */
void        hl_ks_open_ticket         (Handshake *hs);

/* hl-keyschedule-tls13.c */
void        hl_ks_derive_tls13        (Handshake *hs);

/* hl-keyschedule-records.c */
GPtrArray **hl_ks_items_by_record     (HlTrace *trace, GError **error);
void        hl_ks_decrypt_records     (HlTrace *trace, Handshake *hss, guint n_handshakes,
                                       GPtrArray **items, GPtrArray *records);
void        hl_ks_confirm_keys_by_records (Handshake *hs);

G_END_DECLS
