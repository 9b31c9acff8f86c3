/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule"
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "hl-error.h"
#include "hl-kdf.h"
#include "hl-keyschedule.h"
#include "hl-reader.h"
#include "hl-record-crypto.h"
#include "hl-tls-names.h"
#include "hl-trace-private.h"

/*
 * Sections: result types · the handshake under study · wire facts (ServerHello, ClientHello,
 * NewSessionTicket) · adding and checking values · transcripts · TLS 1.2 · TLS 1.3 ·
 * resumption · record decryption · public API.
 *
 * What is taken from where. Randoms, the cipher suite and the negotiated extensions are read
 * from the ServerHello and ClientHello bytes of the trace, not from HlNegotiated, so that a
 * handshake that failed after its keys were set (and for which GnuTLS reports no suite) and a
 * loaded trace are treated like any other. Secrets come from the trace's library values;
 * derived values already in the trace (from an earlier apply) are never used as inputs.
 */

#define SIDES  2 /* client, server */
#define EPOCHS 3 /* HlEpoch */

/* RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with this random. */
static const guint8 hrr_random[HL_TLS_RANDOM_SIZE] = {
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

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

/* --- Result types ---------------------------------------------------------------------------- */

static void
record_decryption_free (HlRecordDecryption *rd)
{
  g_clear_pointer (&rd->plaintext, g_bytes_unref);
  g_free (rd->keys);
  g_free (rd->detail);
  g_free (rd);
}

/**
 * hl_keyschedule_free:
 * @schedule: (nullable): a result of hl_keyschedule_compute()
 *
 * Frees @schedule with its values and decryptions.
 */
void
hl_keyschedule_free (HlKeySchedule *schedule)
{
  if (schedule == NULL)
    return;
  g_clear_pointer (&schedule->secrets, g_ptr_array_unref);
  g_clear_pointer (&schedule->records, g_ptr_array_unref);
  g_free (schedule);
}

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

static guint
side_index (HlSide side)
{
  return side == HL_SIDE_CLIENT ? 0 : 1;
}

static const char *
who (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "client" : "server";
}

static void
handshake_clear (Handshake *hs)
{
  g_clear_pointer (&hs->messages, g_ptr_array_unref);
  g_clear_pointer (&hs->client_random, g_bytes_unref);
  g_clear_pointer (&hs->server_random, g_bytes_unref);
  g_clear_pointer (&hs->offered_ticket, g_bytes_unref);
  g_clear_pointer (&hs->key_pieces, g_ptr_array_unref);
  g_free (hs->unusable);
  for (guint s = 0; s < SIDES; s++)
    for (guint e = 0; e < EPOCHS; e++)
      {
        EpochKeys *k = &hs->keys[s][e];

        g_clear_pointer (&k->key, g_bytes_unref);
        g_clear_pointer (&k->iv, g_bytes_unref);
        g_clear_pointer (&k->mac_key, g_bytes_unref);
        g_clear_pointer (&k->derived, g_ptr_array_unref);
        g_free (k->names);
      }
}

/* A value GnuTLS reported (or we decrypted) for this handshake; never one of ours. */
static const HlSecret *
library_secret (Handshake *hs, const char *name)
{
  GPtrArray *secrets = hl_trace_get_secrets (hs->trace);

  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (s->handshake == hs->handshake && s->source != HL_SOURCE_DERIVED && s->value != NULL &&
          g_str_equal (s->name, name))
        return s;
    }
  return NULL;
}

/* The same, also when its value is hidden (for its note). */
static const HlSecret *
library_entry (Handshake *hs, const char *name)
{
  GPtrArray *secrets = hl_trace_get_secrets (hs->trace);

  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (s->handshake == hs->handshake && s->source != HL_SOURCE_DERIVED &&
          g_str_equal (s->name, name))
        return s;
    }
  return NULL;
}

static GBytes *
library_value (Handshake *hs, const char *name)
{
  const HlSecret *s = library_secret (hs, name);

  return s ? s->value : NULL;
}

/* Index in hs->messages of the first message of @type sent by @side, or -1. */
static int
find_message (Handshake *hs, int type, HlSide side)
{
  for (guint i = 0; i < hs->messages->len; i++)
    {
      HlEvent *m = g_ptr_array_index (hs->messages, i);

      if (hl_event_get_handshake_type (m) == type && hl_event_get_role (m) == side)
        return (int) i;
    }
  return -1;
}

static const char *
hash_name (gnutls_mac_algorithm_t hash)
{
  return hash == GNUTLS_MAC_SHA384 ? "SHA-384" : "SHA-256";
}

static gsize
hash_size (gnutls_mac_algorithm_t hash)
{
  return gnutls_hmac_get_len (hash);
}

/* --- Wire facts ------------------------------------------------------------------------------ */

typedef struct
{
  GBytes   *random;
  guint16   suite;
  gboolean  tls13;
  gboolean  ems;
  gboolean  etm;
  gboolean  psk;
} ServerHelloFacts;

/* Opens a framed handshake message (4-byte header + body) of @type. */
static gboolean
open_message (HlReader *reader, GBytes *bytes, guint8 type, const char *scope, HlReader *body)
{
  guint8 t = 0;

  hl_reader_init (reader, bytes, 0);
  hl_reader_set_scope (reader, scope);
  if (!hl_reader_read_u8 (reader, "msg_type", &t))
    return FALSE;
  if (t != type)
    return hl_reader_fail (reader, HL_PARSE_ERROR_BAD_VALUE, 0, "msg_type",
                           "handshake type %u, expected %u", t, type);
  return hl_reader_read_vector24 (reader, "body", body);
}

/* RFC 5246 §7.4.1.3, RFC 8446 §4.1.3. */
static gboolean
parse_server_hello (GBytes *bytes, ServerHelloFacts *out, GError **error)
{
  g_auto(HlReader) reader = { 0 };
  HlReader body, sid, exts;
  HlSpan random;
  guint16 version = 0;
  guint8 compression = 0;

  memset (out, 0, sizeof *out);
  if (!open_message (&reader, bytes, HT_SERVER_HELLO, "ServerHello", &body) ||
      !hl_reader_read_u16 (&body, "legacy_version", &version) ||
      !hl_reader_read_bytes (&body, HL_TLS_RANDOM_SIZE, "random", &random) ||
      !hl_reader_read_vector8 (&body, "session_id", &sid) ||
      !hl_reader_read_u16 (&body, "cipher_suite", &out->suite) ||
      !hl_reader_read_u8 (&body, "compression_method", &compression))
    return !hl_reader_propagate_error (&reader, error);
  out->random = hl_span_dup_bytes (&random);

  if (!hl_reader_is_empty (&body) && hl_reader_read_vector16 (&body, "extensions", &exts))
    while (!hl_reader_is_empty (&exts))
      {
        HlReader data;
        guint16 type = 0, selected = 0;

        if (!hl_reader_read_u16 (&exts, "extension_type", &type) ||
            !hl_reader_read_vector16 (&exts, "extension_data", &data))
          break;
        if (type == EXT_EXTENDED_MASTER_SECRET)
          out->ems = TRUE;
        else if (type == EXT_ENCRYPT_THEN_MAC)
          out->etm = TRUE;
        else if (type == EXT_PRE_SHARED_KEY)
          out->psk = TRUE;
        else if (type == EXT_SUPPORTED_VERSIONS &&
                 hl_reader_read_u16 (&data, "selected_version", &selected))
          out->tls13 = selected == TLS13_VERSION;
      }
  hl_reader_finish (&body, "ServerHello");
  if (hl_reader_propagate_error (&reader, error))
    {
      g_clear_pointer (&out->random, g_bytes_unref);
      return FALSE;
    }
  return TRUE;
}

/* ClientHello.random, and the ticket it offers for resumption: the session_ticket extension's
 * contents (RFC 5077 §3.2) or the first pre_shared_key identity (RFC 8446 §4.2.11). */
static gboolean
parse_client_hello (GBytes *bytes, GBytes **random_out, GBytes **ticket_out, GError **error)
{
  g_auto(HlReader) reader = { 0 };
  HlReader body, sid, suites, compressions, exts;
  HlSpan random;
  guint16 version = 0;
  g_autoptr(GBytes) ticket = NULL;

  if (!open_message (&reader, bytes, HT_CLIENT_HELLO, "ClientHello", &body) ||
      !hl_reader_read_u16 (&body, "legacy_version", &version) ||
      !hl_reader_read_bytes (&body, HL_TLS_RANDOM_SIZE, "random", &random) ||
      !hl_reader_read_vector8 (&body, "session_id", &sid) ||
      !hl_reader_read_vector16 (&body, "cipher_suites", &suites) ||
      !hl_reader_read_vector8 (&body, "compression_methods", &compressions))
    return !hl_reader_propagate_error (&reader, error);

  if (!hl_reader_is_empty (&body) && hl_reader_read_vector16 (&body, "extensions", &exts))
    while (!hl_reader_is_empty (&exts))
      {
        HlReader data, identities, identity;
        HlSpan span;
        guint16 type = 0;

        if (!hl_reader_read_u16 (&exts, "extension_type", &type) ||
            !hl_reader_read_vector16 (&exts, "extension_data", &data))
          break;
        if (type == EXT_SESSION_TICKET && !hl_reader_is_empty (&data) &&
            hl_reader_read_rest (&data, "ticket", &span))
          ticket = hl_span_dup_bytes (&span);
        else if (type == EXT_PRE_SHARED_KEY &&
                 hl_reader_read_vector16 (&data, "identities", &identities) &&
                 hl_reader_read_vector16 (&identities, "identity", &identity) &&
                 hl_reader_read_rest (&identity, "identity", &span))
          {
            g_clear_pointer (&ticket, g_bytes_unref);
            ticket = hl_span_dup_bytes (&span);
          }
      }
  hl_reader_finish (&body, "ClientHello");
  if (hl_reader_propagate_error (&reader, error))
    return FALSE;
  *random_out = hl_span_dup_bytes (&random);
  *ticket_out = g_steal_pointer (&ticket);
  return TRUE;
}

/* The ticket of a NewSessionTicket (RFC 5077 §3.3; RFC 8446 §4.6.1) and, in TLS 1.3, its
 * ticket_nonce. */
static gboolean
parse_new_session_ticket (GBytes *bytes, gboolean tls13, GBytes **ticket_out,
                          GBytes **nonce_out, GError **error)
{
  g_auto(HlReader) reader = { 0 };
  HlReader body, nonce, ticket;
  HlSpan nonce_span = { 0 }, ticket_span = { 0 };
  guint32 lifetime = 0, age_add = 0;

  if (!open_message (&reader, bytes, HT_NEW_SESSION_TICKET, "NewSessionTicket", &body) ||
      !hl_reader_read_u32 (&body, "ticket_lifetime", &lifetime) ||
      (tls13 && (!hl_reader_read_u32 (&body, "ticket_age_add", &age_add) ||
                 !hl_reader_read_vector8 (&body, "ticket_nonce", &nonce) ||
                 !hl_reader_read_rest (&nonce, "ticket_nonce", &nonce_span))) ||
      !hl_reader_read_vector16 (&body, "ticket", &ticket) ||
      !hl_reader_read_rest (&ticket, "ticket", &ticket_span))
    return !hl_reader_propagate_error (&reader, error);
  *ticket_out = hl_span_dup_bytes (&ticket_span);
  if (nonce_out)
    *nonce_out = tls13 ? hl_span_dup_bytes (&nonce_span) : NULL;
  return TRUE;
}

/* The cipher suite's algorithms as GnuTLS knows them. */
static gboolean
lookup_suite (Handshake *hs, GError **error)
{
  const char *iana = hl_tls_cipher_suite_name (hs->suite);

  hs->suite_name = iana;
  for (gsize i = 0;; i++)
    {
      guint8 id[2];
      gnutls_kx_algorithm_t kx;
      gnutls_cipher_algorithm_t cipher;
      gnutls_mac_algorithm_t mac;
      gnutls_protocol_t min_version;
      const char *name = gnutls_cipher_suite_info (i, id, &kx, &cipher, &mac, &min_version);

      if (name == NULL)
        break;
      if (((id[0] << 8) | id[1]) != hs->suite)
        continue;
      hs->cipher = cipher;
      hs->record_mac = mac;
      break;
    }
  if (hs->cipher == GNUTLS_CIPHER_UNKNOWN || hs->cipher == 0 || iana == NULL)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_UNSUPPORTED,
                   "cipher suite 0x%04x is not one GnuTLS knows", hs->suite);
      return FALSE;
    }

  /* RFC 5246 §5: TLS 1.2 suites use the SHA-256 PRF unless they name SHA-384; TLS 1.3 suites
   * name their hash (RFC 8446 §B.4). */
  hs->hash = g_str_has_suffix (iana, "_SHA384") ? GNUTLS_MAC_SHA384 : GNUTLS_MAC_SHA256;
  switch (hs->cipher)
    {
    case GNUTLS_CIPHER_AES_128_GCM:
    case GNUTLS_CIPHER_AES_256_GCM:
    case GNUTLS_CIPHER_CHACHA20_POLY1305:
      hs->cbc = FALSE;
      return TRUE;
    case GNUTLS_CIPHER_AES_128_CBC:
    case GNUTLS_CIPHER_AES_256_CBC:
      hs->cbc = TRUE;
      if (!hs->tls13)
        return TRUE;
      break;
    default:
      break;
    }
  g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_UNSUPPORTED,
               "%s uses %s, which this key schedule does not handle", iana,
               gnutls_cipher_get_name (hs->cipher));
  return FALSE;
}

/* Finds the hellos, the version, the suite and the randoms of @hs. FALSE with hs->unusable set
 * when no keys were agreed or the hellos do not parse. */
static gboolean
study_handshake (Handshake *hs)
{
  HlTrace *trace = hs->trace;
  g_autoptr(GError) error = NULL;
  ServerHelloFacts sh = { 0 };

  hs->messages = g_ptr_array_new ();
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_handshake (event) != hs->handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_content_type (event) != HL_CONTENT_HANDSHAKE ||
          hl_event_get_bytes (event) == NULL)
        continue;
      g_ptr_array_add (hs->messages, event);
      if (hl_event_get_handshake_type (event) == HT_CLIENT_HELLO)
        hs->client_hello = event;
      else if (hl_event_get_handshake_type (event) == HT_SERVER_HELLO)
        {
          gsize n;
          const guint8 *p = g_bytes_get_data (hl_event_get_bytes (event), &n);

          /* 4-byte header, 2-byte legacy_version, then the random */
          if (n >= 6 + HL_TLS_RANDOM_SIZE && memcmp (p + 6, hrr_random, HL_TLS_RANDOM_SIZE) == 0)
            hs->hrr = TRUE;
          else if (hs->server_hello == NULL)
            hs->server_hello = event;
        }
    }

  if (hs->server_hello == NULL || hs->client_hello == NULL)
    {
      hs->unusable = g_strdup ("the handshake ended before a ServerHello chose the keys");
      return FALSE;
    }
  if (!parse_server_hello (hl_event_get_bytes (hs->server_hello), &sh, &error) ||
      !parse_client_hello (hl_event_get_bytes (hs->client_hello), &hs->client_random,
                           &hs->offered_ticket, &error))
    {
      g_clear_pointer (&sh.random, g_bytes_unref);
      hs->unusable = g_strdup_printf ("the hellos could not be read: %s", error->message);
      return FALSE;
    }
  hs->server_random = sh.random;
  hs->suite = sh.suite;
  hs->tls13 = sh.tls13;
  hs->ems = sh.ems && !sh.tls13;
  hs->etm = sh.etm && !sh.tls13;
  /* An abbreviated TLS 1.2 handshake goes from ServerHello straight to the server's Finished:
   * no ServerHelloDone (RFC 5246 §7.3, RFC 5077 §3.1). */
  hs->resumed = sh.tls13 ? sh.psk
                         : find_message (hs, HT_SERVER_HELLO_DONE, HL_SIDE_SERVER) < 0 &&
                             find_message (hs, HT_FINISHED, HL_SIDE_SERVER) >= 0;
  if (!lookup_suite (hs, &error))
    {
      hs->unusable = g_strdup (error->message);
      return FALSE;
    }

  /* TLS 1.3 transcripts end with the handshake: NewSessionTicket and KeyUpdate are
   * post-handshake messages (RFC 8446 §4.6). TLS 1.2's NewSessionTicket is part of it
   * (RFC 5077 §3.3). */
  if (hs->tls13)
    for (guint i = hs->messages->len; i-- > 0;)
      {
        int type = hl_event_get_handshake_type (g_ptr_array_index (hs->messages, i));

        if (type == HT_NEW_SESSION_TICKET || type == HT_KEY_UPDATE)
          g_ptr_array_remove_index (hs->messages, i);
      }
  return TRUE;
}

/* --- Adding and checking values -------------------------------------------------------------- */

static char *
short_hex (GBytes *bytes)
{
  gsize n;
  const guint8 *p = g_bytes_get_data (bytes, &n);
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < MIN (n, 8); i++)
    g_string_append_printf (s, "%02x", p[i]);
  if (n > 8)
    g_string_append (s, "…");
  return g_string_free (s, FALSE);
}

static void
set_note (HlSecret *secret, char *note)
{
  g_free (secret->note);
  secret->note = note;
}

/* A value we computed. @inputs is a space-separated list of names. A %NULL @value means a
 * GnuTLS primitive refused to compute it, which is a failed check, not a hidden value. */
static HlSecret *
add_derived (Handshake *hs, const char *name, const char *label, GBytes *value,
             const char *formula, const char *inputs)
{
  HlSecret *secret = hl_secret_new (name, label, value, HL_SIDE_BOTH, HL_SOURCE_DERIVED,
                                    hs->handshake);

  secret->formula = g_strdup (formula);
  secret->inputs = g_strsplit (inputs, " ", -1);
  if (value == NULL)
    {
      secret->check = HL_CHECK_FAILED;
      secret->note = g_strdup ("Could not be computed: GnuTLS refused the hash or HMAC it needs.");
    }
  g_ptr_array_add (hs->out, secret);
  return secret;
}

/* A link of the schedule we cannot compute: value NULL, no check, and why. */
static HlSecret *
add_hidden (Handshake *hs, const char *name, const char *label, const char *formula,
            char *note)
{
  HlSecret *secret = hl_secret_new (name, label, NULL, HL_SIDE_BOTH, HL_SOURCE_DERIVED,
                                    hs->handshake);

  secret->formula = g_strdup (formula);
  secret->inputs = g_new0 (char *, 1);
  secret->note = note;
  g_ptr_array_add (hs->out, secret);
  return secret;
}

/* Compares @secret with GnuTLS's value of @library_name. */
static void
compare_library (Handshake *hs, HlSecret *secret, const char *library_name)
{
  const HlSecret *lib = library_secret (hs, library_name);

  if (secret->value == NULL)
    return;
  if (lib == NULL)
    {
      secret->check = HL_CHECK_NONE;
      set_note (secret, g_strdup_printf ("GnuTLS did not report %s, so there is nothing to "
                                         "compare with.", library_name));
    }
  else if (g_bytes_equal (secret->value, lib->value))
    {
      secret->check = HL_CHECK_OK;
      set_note (secret, g_strdup_printf ("Equal to GnuTLS's %s.", library_name));
    }
  else
    {
      g_autofree char *theirs = short_hex (lib->value);
      g_autofree char *ours = short_hex (secret->value);

      secret->check = HL_CHECK_FAILED;
      set_note (secret, g_strdup_printf ("Differs from GnuTLS's %s: ours %s, GnuTLS's %s.",
                                         library_name, ours, theirs));
    }
}

/* Compares a verify_data with the body of the Finished message @finished. */
static void
compare_finished (HlSecret *secret, HlEvent *finished)
{
  GBytes *bytes = hl_event_get_bytes (finished);
  gsize n = g_bytes_get_size (bytes);
  g_autoptr(GBytes) body = g_bytes_new_from_bytes (bytes, MIN (n, 4), n - MIN (n, 4));
  const char *w = who (hl_event_get_role (finished));

  if (secret->value == NULL)
    return;
  if (g_bytes_equal (secret->value, body))
    {
      secret->check = HL_CHECK_OK;
      set_note (secret, g_strdup_printf ("Equal to the verify_data in the %s's Finished message "
                                         "(event %u).", w, hl_event_get_index (finished)));
    }
  else
    {
      g_autofree char *theirs = short_hex (body);
      g_autofree char *ours = short_hex (secret->value);

      secret->check = HL_CHECK_FAILED;
      set_note (secret, g_strdup_printf ("Differs from the verify_data in the %s's Finished "
                                         "message (event %u): ours %s, on the wire %s.", w,
                                         hl_event_get_index (finished), ours, theirs));
    }
}

/* A value GnuTLS never reports (a transcript hash, a finished key) is confirmed when a value
 * computed from it checks out; otherwise it stays unchecked, and says why. */
static void
confirm (HlSecret *secret, const HlSecret *by)
{
  if (secret->value == NULL || secret->check != HL_CHECK_NONE)
    return;
  if (by->check == HL_CHECK_OK)
    {
      secret->check = HL_CHECK_OK;
      set_note (secret, g_strdup_printf ("GnuTLS does not report this value; confirmed because "
                                         "%s, computed from it, checks out.", by->name));
    }
  else
    set_note (secret, g_strdup_printf ("GnuTLS does not report this value, and %s, computed "
                                       "from it, does not check out, so it is unconfirmed.",
                                       by->name));
}

/* --- Transcripts ----------------------------------------------------------------------------- */

/* "ClientHello ‖ ServerHello ‖ … " naming the first @n messages of the transcript. */
static char *
describe_messages (Handshake *hs, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      HlEvent *m = g_ptr_array_index (hs->messages, i);
      int type = hl_event_get_handshake_type (m);
      const char *name = hl_event_get_name (m);

      if (i > 0)
        g_string_append (s, " ‖ ");
      if (i == 0 && hs->hrr)
        g_string_append (s, "message_hash(ClientHello1)");
      /* Certificate, CertificateVerify and Finished come from both sides. */
      else if (type == 11 || type == 15 || type == HT_FINISHED)
        g_string_append_printf (s, "%s %s", who (hl_event_get_role (m)), name);
      else
        g_string_append (s, name);
    }
  return g_string_free (s, FALSE);
}

/* Transcript-Hash of the first @n messages, added as @name. RFC 5246 §7.4.9 and RFC 7627 §3
 * hash the messages as sent; RFC 8446 §4.4.1 replaces ClientHello1 by message_hash after a
 * HelloRetryRequest. */
static HlSecret *
add_transcript_hash (Handshake *hs, const char *name, const char *label, guint n)
{
  g_autofree GBytes **messages = g_new0 (GBytes *, MAX (n, 1));
  g_autofree char *list = describe_messages (hs, n);
  g_autofree char *formula = g_strdup_printf ("%s(%s)", hash_name (hs->hash), list);
  g_autoptr(GBytes) value = NULL;

  for (guint i = 0; i < n; i++)
    messages[i] = hl_event_get_bytes (g_ptr_array_index (hs->messages, i));
  value = hl_transcript_hash ((gnutls_digest_algorithm_t) hs->hash, messages, n,
                              hs->tls13 && hs->hrr && n > 0);
  return add_derived (hs, name, label, value, formula, "handshake_messages");
}

/* --- Record keys ----------------------------------------------------------------------------- */

/* Sets the keys the record pass uses for @sender in @epoch: GnuTLS's where it reported them
 * (they are what the records were protected with), else ours. */
static void
set_record_keys (Handshake *hs, HlSide sender, HlEpoch epoch, const char *prefix,
                 HlSecret *our_key, HlSecret *our_iv, HlSecret *our_mac_key)
{
  EpochKeys *k = &hs->keys[side_index (sender)][epoch];
  g_autofree char *key_name = g_strdup_printf ("%swrite_key", prefix);
  g_autofree char *iv_name = g_strdup_printf ("%swrite_iv", prefix);
  g_autofree char *mac_name = g_strdup_printf ("%swrite_mac_key", prefix);
  struct { GBytes **slot; const char *name; HlSecret *ours; gboolean used; } parts[] = {
    { &k->key, key_name, our_key, TRUE },
    /* CBC records carry their IV (RFC 5246 §6.2.3.2); the key block's IV is not used */
    { &k->iv, iv_name, our_iv, !hs->cbc },
    { &k->mac_key, mac_name, our_mac_key, hs->cbc },
  };
  GString *names = g_string_new (NULL);

  k->derived = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      GBytes *lib = library_value (hs, parts[i].name);

      if (!parts[i].used)
        continue;
      if (lib != NULL)
        {
          *parts[i].slot = g_bytes_ref (lib);
          g_string_append_printf (names, "%s%s", names->len ? ", " : "", parts[i].name);
        }
      else if (parts[i].ours != NULL && parts[i].ours->value != NULL)
        {
          *parts[i].slot = g_bytes_ref (parts[i].ours->value);
          g_ptr_array_add (k->derived, parts[i].ours);
          g_string_append_printf (names, "%s%s", names->len ? ", " : "", parts[i].ours->name);
        }
    }
  k->names = g_string_free (names, FALSE);
}

/* --- TLS 1.2 --------------------------------------------------------------------------------- */

static GBytes *
derive_master_secret_12 (Handshake *hs)
{
  const HlSecret *pms = library_secret (hs, "premaster_secret");
  const HlSecret *ms;
  HlSecret *derived;
  HlSecret *session_hash = NULL;
  g_autoptr(GBytes) value = NULL;
  const char *rest = "The keys and Finished values below are computed from GnuTLS's master "
                     "secret.";

  if (hs->resumed)
    {
      add_hidden (hs, "master_secret.derived", "Master secret (re-derived)", NULL,
                  g_strdup_printf ("Not re-derived: a resumed handshake has no key exchange and "
                                   "so no premaster secret; it reuses the master secret of the "
                                   "session it resumes (RFC 5077 §3.4). %s", rest));
      return library_value (hs, "master_secret");
    }
  if (pms == NULL)
    {
      const HlSecret *entry = library_entry (hs, "premaster_secret");

      add_hidden (hs, "master_secret.derived", "Master secret (re-derived)",
                  hs->ems ? "PRF(premaster_secret, \"extended master secret\", session_hash)"
                            "[0..47]"
                          : "PRF(premaster_secret, \"master secret\", client_random ‖ "
                            "server_random)[0..47]",
                  g_strdup_printf ("Not re-derived: the premaster secret is not available (%s) "
                                   "%s", entry && entry->note ? entry->note
                                                              : "GnuTLS did not report it.",
                                   rest));
      return library_value (hs, "master_secret");
    }

  if (hs->ems)
    {
      int cke = find_message (hs, HT_CLIENT_KEY_EXCHANGE, HL_SIDE_CLIENT);

      /* RFC 7627 §3: every message up to and including ClientKeyExchange — with a client
       * certificate that includes its Certificate, not its CertificateVerify. */
      session_hash = add_transcript_hash (hs, "session_hash",
                                          "Session hash (extended master secret seed)",
                                          (guint) cke + 1);
      if (session_hash->value)
        value = hl_tls12_extended_master_secret (hs->hash, pms->value, session_hash->value);
      derived = add_derived (hs, "master_secret.derived", "Master secret (re-derived, EMS)", value,
                             "PRF(premaster_secret, \"extended master secret\", session_hash)"
                             "[0..47]",
                             "premaster_secret session_hash");
    }
  else
    {
      value = hl_tls12_master_secret (hs->hash, pms->value, hs->client_random,
                                      hs->server_random);
      derived = add_derived (hs, "master_secret.derived", "Master secret (re-derived)", value,
                             "PRF(premaster_secret, \"master secret\", client_random ‖ "
                             "server_random)[0..47]",
                             "premaster_secret client_random server_random");
    }
  compare_library (hs, derived, "master_secret");
  if (session_hash)
    confirm (session_hash, derived);

  ms = library_secret (hs, "master_secret");
  return ms ? ms->value : derived->value;
}

static void
derive_key_block (Handshake *hs, GBytes *ms, const char *ms_name)
{
  /* RFC 5246 §6.3 and Appendix C; AES-GCM keeps a 4-byte salt (RFC 5288 §3), ChaCha20 a
   * 12-byte IV (RFC 7905 §2). For CBC GnuTLS still cuts a block-sized IV per side from the key
   * block (the TLS 1.0 layout); TLS 1.2 records carry their own IV and do not use it. */
  gsize mac_size = hs->cbc ? (gsize) gnutls_hmac_get_key_size (hs->record_mac) : 0;
  gsize key_size = gnutls_cipher_get_key_size (hs->cipher);
  gsize iv_size = hs->cbc ? (gsize) gnutls_cipher_get_block_size (hs->cipher)
                  : hs->cipher == GNUTLS_CIPHER_CHACHA20_POLY1305 ? 12 : 4;
  g_autoptr(HlTls12KeyBlock) kb = hl_tls12_key_block_new (hs->hash, ms, hs->server_random,
                                                          hs->client_random, mac_size,
                                                          key_size, iv_size);
  gsize total = 2 * (mac_size + key_size + iv_size);
  g_autofree char *formula = g_strdup_printf ("PRF(%s, \"key expansion\", server_random ‖ "
                                              "client_random)[0..%" G_GSIZE_FORMAT "]",
                                              ms_name, total - 1);
  g_autofree char *inputs = g_strdup_printf ("%s server_random client_random", ms_name);
  struct { const char *name; const char *label; gsize size; GBytes *value; } parts[] = {
    { "client_write_mac_key", "Client write MAC key", mac_size, kb ? kb->client_mac_key : NULL },
    { "server_write_mac_key", "Server write MAC key", mac_size, kb ? kb->server_mac_key : NULL },
    { "client_write_key", "Client write key", key_size, kb ? kb->client_key : NULL },
    { "server_write_key", "Server write key", key_size, kb ? kb->server_key : NULL },
    { "client_write_iv", "Client write IV", iv_size, kb ? kb->client_iv : NULL },
    { "server_write_iv", "Server write IV", iv_size, kb ? kb->server_iv : NULL },
  };
  HlSecret *ours[G_N_ELEMENTS (parts)] = { NULL };
  gsize offset = 0;

  hs->key_block = add_derived (hs, "key_block", "Key block", kb ? kb->block : NULL, formula,
                               inputs);
  hs->key_pieces = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;
      g_autofree char *piece = NULL;

      if (parts[i].size == 0)
        continue;
      name = g_strdup_printf ("%s.derived", parts[i].name);
      label = g_strdup_printf ("%s (re-derived)", parts[i].label);
      piece = g_strdup_printf ("key_block[%" G_GSIZE_FORMAT "..%" G_GSIZE_FORMAT "]", offset,
                               offset + parts[i].size - 1);
      offset += parts[i].size;
      ours[i] = add_derived (hs, name, label, parts[i].value, piece, "key_block");
      compare_library (hs, ours[i], parts[i].name);
      if (hs->cbc && g_str_has_suffix (parts[i].name, "_iv"))
        {
          /* equal to what GnuTLS cut, but no record uses it */
          g_autofree char *note = ours[i]->note;

          ours[i]->note = g_strdup_printf ("%s%sNot used: TLS 1.2 CBC records carry their own "
                                           "explicit IV in front of the ciphertext (RFC 5246 "
                                           "§6.2.3.2); this piece of the key block is a leftover "
                                           "of the TLS 1.0 layout.", note ? note : "",
                                           note ? " " : "");
        }
      g_ptr_array_add (hs->key_pieces, ours[i]);
    }

  set_record_keys (hs, HL_SIDE_CLIENT, HL_EPOCH_APPLICATION, "client_", ours[2], ours[4],
                   ours[0]);
  set_record_keys (hs, HL_SIDE_SERVER, HL_EPOCH_APPLICATION, "server_", ours[3], ours[5],
                   ours[1]);
}

/* The key block itself is never reported; it is right when its pieces are. */
static void
check_key_block (Handshake *hs)
{
  guint ok = 0, failed = 0;
  GString *failing = g_string_new (NULL);

  if (hs->key_block == NULL || hs->key_block->value == NULL)
    {
      g_string_free (failing, TRUE);
      return;
    }
  for (guint i = 0; i < hs->key_pieces->len; i++)
    {
      HlSecret *piece = g_ptr_array_index (hs->key_pieces, i);

      if (piece->check == HL_CHECK_OK)
        ok++;
      else if (piece->check == HL_CHECK_FAILED)
        {
          failed++;
          g_string_append_printf (failing, "%s%s", failing->len ? ", " : "", piece->name);
        }
    }
  if (failed > 0)
    {
      hs->key_block->check = HL_CHECK_FAILED;
      set_note (hs->key_block, g_strdup_printf ("GnuTLS does not report the key block; pieces "
                                                "of it differ from GnuTLS's keys: %s.",
                                                failing->str));
    }
  else if (ok > 0)
    {
      hs->key_block->check = HL_CHECK_OK;
      set_note (hs->key_block, g_strdup_printf ("GnuTLS does not report the key block; "
                                                "confirmed because %s of its %u pieces check "
                                                "out and none differs.",
                                                ok == hs->key_pieces->len ? "all" : "some",
                                                hs->key_pieces->len));
    }
  else
    set_note (hs->key_block, g_strdup ("GnuTLS does not report the key block or the keys cut "
                                       "from it, so it is unconfirmed."));
  g_string_free (failing, TRUE);
}

static void
derive_finished_12 (Handshake *hs, GBytes *ms, const char *ms_name, HlSide side)
{
  int index = find_message (hs, HT_FINISHED, side);
  const char *w = who (side);
  g_autofree char *th_name = g_strdup_printf ("transcript_hash.%s_finished", w);
  g_autofree char *th_label = g_strdup_printf ("Transcript hash for the %s's Finished", w);
  g_autofree char *vd_name = g_strdup_printf ("%s_verify_data", w);
  g_autofree char *vd_label = g_strdup_printf ("%s Finished verify_data",
                                               side == HL_SIDE_CLIENT ? "Client" : "Server");
  g_autofree char *formula = NULL;
  g_autofree char *inputs = NULL;
  g_autoptr(GBytes) value = NULL;
  HlSecret *th, *vd;

  if (index < 0)
    return;
  th = add_transcript_hash (hs, th_name, th_label, (guint) index);
  if (th->value)
    value = hl_tls12_verify_data (hs->hash, ms, side == HL_SIDE_CLIENT, th->value);
  formula = g_strdup_printf ("PRF(%s, \"%s finished\", %s)[0..11]", ms_name, w, th_name);
  inputs = g_strdup_printf ("%s %s", ms_name, th_name);
  vd = add_derived (hs, vd_name, vd_label, value, formula, inputs);
  compare_finished (vd, g_ptr_array_index (hs->messages, index));
  confirm (th, vd);
}

static void
derive_tls12 (Handshake *hs)
{
  GBytes *ms;
  const char *ms_name;

  /* A handshake that stopped before the key exchange agreed on no secret. */
  if (!hs->resumed && find_message (hs, HT_CLIENT_KEY_EXCHANGE, HL_SIDE_CLIENT) < 0)
    return;
  ms = derive_master_secret_12 (hs);
  ms_name = library_value (hs, "master_secret") ? "master_secret" : "master_secret.derived";
  if (ms == NULL)
    return;
  derive_key_block (hs, ms, ms_name);
  derive_finished_12 (hs, ms, ms_name, HL_SIDE_CLIENT);
  derive_finished_12 (hs, ms, ms_name, HL_SIDE_SERVER);
}

/* --- TLS 1.3 --------------------------------------------------------------------------------- */

static void
derive_traffic_keys (Handshake *hs, const char *secret_name, HlSide sender, HlEpoch epoch)
{
  GBytes *secret = library_value (hs, secret_name);
  g_autofree char *prefix = g_strdup_printf ("%s_%s", who (sender),
                                             epoch == HL_EPOCH_HANDSHAKE ? "handshake_" : "");
  gsize key_size = gnutls_cipher_get_key_size (hs->cipher);
  gsize iv_size = 12; /* every TLS 1.3 AEAD, RFC 8446 §5.3 */
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) iv = NULL;
  HlSecret *ours[2];
  const char *what[2] = { "key", "iv" };

  if (secret == NULL)
    {
      /* GnuTLS's keys, if any, still decrypt the records. */
      set_record_keys (hs, sender, epoch, prefix, NULL, NULL, NULL);
      return;
    }
  hl_tls13_traffic_keys (hs->hash, secret, key_size, iv_size, &key, &iv);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *lib_name = g_strdup_printf ("%swrite_%s", prefix, what[i]);
      g_autofree char *name = g_strdup_printf ("%s.derived", lib_name);
      g_autofree char *label = g_strdup_printf ("%s %s%s (re-derived)",
                                                sender == HL_SIDE_CLIENT ? "Client" : "Server",
                                                epoch == HL_EPOCH_HANDSHAKE ? "handshake " : "",
                                                i == 0 ? "write key" : "write IV");
      g_autofree char *formula = g_strdup_printf ("HKDF-Expand-Label(%s, \"%s\", \"\", %"
                                                  G_GSIZE_FORMAT ")", secret_name, what[i],
                                                  i == 0 ? key_size : iv_size);

      ours[i] = add_derived (hs, name, label, i == 0 ? key : iv, formula, secret_name);
      compare_library (hs, ours[i], lib_name);
    }
  set_record_keys (hs, sender, epoch, prefix, ours[0], ours[1], NULL);
}

static void
derive_finished_13 (Handshake *hs, HlSide side)
{
  int index = find_message (hs, HT_FINISHED, side);
  const char *w = who (side);
  const char *base_name = side == HL_SIDE_CLIENT ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
                                                 : "SERVER_HANDSHAKE_TRAFFIC_SECRET";
  GBytes *base = library_value (hs, base_name);
  gsize hlen = hash_size (hs->hash);
  g_autofree char *fk_name = g_strdup_printf ("%s_finished_key", w);
  g_autofree char *fk_label = g_strdup_printf ("%s finished_key",
                                               side == HL_SIDE_CLIENT ? "Client" : "Server");
  g_autofree char *fk_formula = g_strdup_printf ("HKDF-Expand-Label(%s, \"finished\", \"\", %"
                                                 G_GSIZE_FORMAT ")", base_name, hlen);
  g_autofree char *th_name = g_strdup_printf ("transcript_hash.%s_finished", w);
  g_autofree char *th_label = g_strdup_printf ("Transcript hash for the %s's Finished", w);
  g_autofree char *vd_name = g_strdup_printf ("%s_verify_data", w);
  g_autofree char *vd_label = g_strdup_printf ("%s Finished verify_data",
                                               side == HL_SIDE_CLIENT ? "Client" : "Server");
  g_autofree char *vd_formula = g_strdup_printf ("HMAC-%s(%s, %s)",
                                                 hs->hash == GNUTLS_MAC_SHA384 ? "SHA384"
                                                                               : "SHA256",
                                                 fk_name, th_name);
  g_autofree char *vd_inputs = g_strdup_printf ("%s %s", fk_name, th_name);
  g_autoptr(GBytes) finished_key = NULL;
  g_autoptr(GBytes) verify_data = NULL;
  HlSecret *fk, *th, *vd;

  if (index < 0 || base == NULL)
    return;
  finished_key = hl_tls13_finished_key (hs->hash, base);
  fk = add_derived (hs, fk_name, fk_label, finished_key, fk_formula, base_name);
  th = add_transcript_hash (hs, th_name, th_label, (guint) index);
  /* RFC 8446 §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
   * Certificate*, CertificateVerify*)) */
  if (th->value)
    verify_data = hl_tls13_finished (hs->hash, base, th->value);
  vd = add_derived (hs, vd_name, vd_label, verify_data, vd_formula, vd_inputs);
  compare_finished (vd, g_ptr_array_index (hs->messages, index));
  confirm (fk, vd);
  confirm (th, vd);
}

static void
derive_tls13 (Handshake *hs)
{
  add_hidden (hs, "handshake_secret.derived", "Handshake secret (TLS 1.3)",
              "HKDF-Extract(Derive-Secret(early_secret, \"derived\", \"\"), "
              "ecdhe_shared_secret)",
              g_strdup_printf ("Not re-derived: GnuTLS exposes neither the (EC)DHE shared secret "
                               "nor the handshake secret%s. So the handshake traffic secrets "
                               "(Derive-Secret(handshake_secret, \"c hs traffic\" / \"s hs "
                               "traffic\", ClientHello…ServerHello)) are taken from GnuTLS's key "
                               "log and the schedule is checked from them onward.",
                               hs->resumed ? ", and the early secret comes from a PSK it does "
                                             "not expose either"
                                           : " (the early secret, HKDF-Extract(0, 0), is the "
                                             "same for every full handshake)"));
  add_hidden (hs, "master_secret_13.derived", "Master secret (TLS 1.3)",
              "HKDF-Extract(Derive-Secret(handshake_secret, \"derived\", \"\"), 0)",
              g_strdup ("Not re-derived: it comes from the handshake secret, which GnuTLS keeps "
                        "to itself. The application traffic secrets and the exporter secret "
                        "(Derive-Secret(master_secret, \"c ap traffic\" / \"s ap traffic\" / "
                        "\"exp master\", ClientHello…server Finished)) are taken from GnuTLS's "
                        "key log."));
  derive_traffic_keys (hs, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", HL_SIDE_CLIENT,
                       HL_EPOCH_HANDSHAKE);
  derive_traffic_keys (hs, "SERVER_HANDSHAKE_TRAFFIC_SECRET", HL_SIDE_SERVER,
                       HL_EPOCH_HANDSHAKE);
  derive_traffic_keys (hs, "CLIENT_TRAFFIC_SECRET_0", HL_SIDE_CLIENT, HL_EPOCH_APPLICATION);
  derive_traffic_keys (hs, "SERVER_TRAFFIC_SECRET_0", HL_SIDE_SERVER, HL_EPOCH_APPLICATION);
  derive_finished_13 (hs, HL_SIDE_SERVER);
  derive_finished_13 (hs, HL_SIDE_CLIENT);
}

/* --- Resumption ------------------------------------------------------------------------------ */

/* The ticket the ClientHello presents must be one an earlier handshake's NewSessionTicket
 * handed out. In TLS 1.3 the PSK behind it cannot be recomputed: say why. */
static void
check_resumption (Handshake *hs)
{
  HlTrace *trace = hs->trace;
  HlEvent *match = NULL;
  g_autoptr(GBytes) nonce = NULL;
  HlSecret *secret;
  const char *ext = hs->tls13 ? "pre_shared_key identity" : "session_ticket extension";

  if (!hs->resumed || hs->offered_ticket == NULL)
    return;
  for (guint i = 0; i < hl_trace_get_n_events (trace) && match == NULL; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GBytes) ticket = NULL;
      g_autoptr(GBytes) ticket_nonce = NULL;

      if (hl_event_get_handshake (event) >= hs->handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_handshake_type (event) != HT_NEW_SESSION_TICKET ||
          hl_event_get_bytes (event) == NULL ||
          !parse_new_session_ticket (hl_event_get_bytes (event), hs->tls13, &ticket,
                                     &ticket_nonce, NULL))
        continue;
      if (g_bytes_equal (ticket, hs->offered_ticket))
        {
          match = event;
          nonce = g_steal_pointer (&ticket_nonce);
        }
    }

  secret = hl_secret_new ("resumption_ticket", "Resumption ticket", hs->offered_ticket,
                          HL_SIDE_BOTH, HL_SOURCE_WIRE, hs->handshake);
  secret->formula = g_strdup_printf ("ClientHello %s = ticket of an earlier NewSessionTicket",
                                     ext);
  secret->inputs = g_strsplit ("ClientHello NewSessionTicket", " ", -1);
  if (match)
    {
      secret->check = HL_CHECK_OK;
      secret->note = g_strdup_printf ("The ClientHello's %s is the ticket of the "
                                      "NewSessionTicket of connection %u (event %u).", ext,
                                      hl_event_get_handshake (match) + 1,
                                      hl_event_get_index (match));
    }
  else
    {
      secret->check = HL_CHECK_FAILED;
      secret->note = g_strdup_printf ("The ClientHello's %s matches no NewSessionTicket of an "
                                      "earlier connection in this trace.", ext);
    }
  g_ptr_array_add (hs->out, secret);

  if (hs->tls13)
    {
      g_autofree char *nonce_hex = nonce ? short_hex (nonce) : g_strdup ("?");

      add_hidden (hs, "resumption_psk.derived", "Resumption PSK",
                  "HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce, "
                  "Hash.length)",
                  g_strdup_printf ("Not re-derived: the PSK comes from the earlier connection's "
                                   "resumption master secret (Derive-Secret(master_secret, "
                                   "\"res master\", ClientHello…client Finished)) and the "
                                   "ticket_nonce (%s%s), and GnuTLS exposes neither the master "
                                   "secret nor the resumption master secret. Without the PSK "
                                   "the early secret, the binder key and the PSK binder in the "
                                   "ClientHello cannot be recomputed either; "
                                   "CLIENT_EARLY_TRAFFIC_SECRET is logged by GnuTLS but no "
                                   "early data was sent with it.", nonce_hex,
                                   nonce && g_bytes_get_size (nonce) == 0 ? ", empty" : ""));
    }
}

/* --- Record decryption ----------------------------------------------------------------------- */

static gboolean
make_record_keys (Handshake *hs, EpochKeys *k, HlRecordKeys *keys)
{
  if (k->key == NULL || (hs->cbc ? k->mac_key == NULL : k->iv == NULL))
    return FALSE;
  keys->protection = hs->tls13 ? HL_RECORD_PROTECTION_TLS13_AEAD
                     : !hs->cbc ? HL_RECORD_PROTECTION_TLS12_AEAD
                     : hs->etm  ? HL_RECORD_PROTECTION_TLS12_CBC_ETM
                                : HL_RECORD_PROTECTION_TLS12_CBC;
  keys->cipher = hs->cipher;
  keys->mac = hs->record_mac;
  keys->key = k->key;
  keys->iv = k->iv;
  keys->mac_key = k->mac_key;
  return TRUE;
}

static const char *
content_name (guint type)
{
  const char *name = hl_content_type_name (type);

  return name ? name : "unknown";
}

typedef struct
{
  GByteArray *expected;   /* captured bytes not yet matched to a record's plaintext */
  guint64     seq[EPOCHS];
} Direction;

/* Decrypts one record and compares its plaintext with the events that link to it. The stream
 * of @dir->expected lets a message span records. */
static HlRecordDecryption *
decrypt_record (Handshake *hs, HlEvent *record, Direction *dir, GPtrArray *items)
{
  HlRecordDecryption *rd = g_new0 (HlRecordDecryption, 1);
  HlEpoch epoch = hl_event_get_epoch (record);
  HlSide sender = hl_event_get_role (record);
  EpochKeys *k = &hs->keys[side_index (sender)][epoch];
  HlRecordKeys keys = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  guint8 inner = 0;
  gsize n = 0;
  const guint8 *p;

  rd->record = hl_event_get_index (record);
  rd->handshake = hs->handshake;
  rd->sender = sender;
  rd->epoch = epoch;
  rd->seq = dir->seq[epoch]++;

  for (guint i = 0; items && i < items->len; i++)
    {
      GBytes *b = hl_event_get_bytes (g_ptr_array_index (items, i));

      if (b)
        g_byte_array_append (dir->expected, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
    }

  if (hs->unusable)
    {
      rd->detail = g_strdup_printf ("No keys: %s.", hs->unusable);
      g_byte_array_set_size (dir->expected, 0);
      return rd;
    }
  if (!make_record_keys (hs, k, &keys))
    {
      rd->detail = g_strdup_printf ("No keys are known for the %s's %s epoch.", who (sender),
                                    hl_epoch_to_string (epoch));
      g_byte_array_set_size (dir->expected, 0);
      return rd;
    }
  rd->keys = g_strdup (k->names);
  if (hl_event_get_bytes (record) == NULL)
    {
      rd->check = HL_CHECK_FAILED;
      rd->detail = g_strdup ("The record has no bytes.");
      g_byte_array_set_size (dir->expected, 0);
      k->n_failed++;
      return rd;
    }

  plaintext = hl_record_decrypt (&keys, rd->seq, hl_event_get_bytes (record), &inner, &error);
  if (plaintext == NULL)
    {
      rd->check = HL_CHECK_FAILED;
      rd->detail = g_strdup_printf ("Did not decrypt with %s at sequence number %" G_GUINT64_FORMAT
                                    ": %s", k->names, rd->seq, error->message);
      g_byte_array_set_size (dir->expected, 0);
      k->n_failed++;
      return rd;
    }
  rd->plaintext = g_bytes_ref (plaintext);
  rd->inner_type = inner;

  p = g_bytes_get_data (plaintext, &n);
  for (guint i = 0; items && i < items->len; i++)
    {
      HlEvent *item = g_ptr_array_index (items, i);

      if (hl_event_get_content_type (item) != inner)
        {
          rd->check = HL_CHECK_FAILED;
          rd->detail = g_strdup_printf ("Decrypted, but it holds %s content while event %u is "
                                        "%s.", content_name (inner), hl_event_get_index (item),
                                        content_name (hl_event_get_content_type (item)));
          break;
        }
    }
  if (rd->check == HL_CHECK_FAILED)
    ;
  else if (dir->expected->len == 0)
    {
      rd->check = HL_CHECK_FAILED;
      rd->detail = g_strdup ("Decrypted, but no captured message links to this record to compare "
                             "with.");
    }
  else if (n > dir->expected->len || memcmp (p, dir->expected->data, n) != 0)
    {
      rd->check = HL_CHECK_FAILED;
      rd->detail = g_strdup_printf ("Decrypted (%" G_GSIZE_FORMAT " bytes), but the plaintext "
                                    "differs from the captured %s.", n,
                                    items && items->len
                                      ? hl_event_get_name (g_ptr_array_index (items, 0))
                                      : "message");
    }
  else
    {
      rd->check = HL_CHECK_OK;
      rd->detail = g_strdup_printf ("Decrypted with %s at sequence number %" G_GUINT64_FORMAT
                                    "; the %" G_GSIZE_FORMAT " bytes of plaintext equal the "
                                    "captured %s.", k->names, rd->seq, n,
                                    items && items->len
                                      ? hl_event_get_name (g_ptr_array_index (items, 0))
                                      : "message (continued)");
    }

  if (rd->check == HL_CHECK_OK)
    {
      g_byte_array_remove_range (dir->expected, 0, n);
      if (k->n_ok++ == 0)
        k->first_ok = rd->record;
    }
  else
    {
      g_byte_array_set_size (dir->expected, 0);
      k->n_failed++;
    }
  return rd;
}

/* Our keys that decrypted records are confirmed by them: an AEAD tag or a record MAC only
 * verifies with the right key (and, for AEAD, the right IV). */
static void
confirm_keys_by_records (Handshake *hs)
{
  for (guint s = 0; s < SIDES; s++)
    for (guint e = 0; e < EPOCHS; e++)
      {
        EpochKeys *k = &hs->keys[s][e];

        for (guint i = 0; k->derived && i < k->derived->len; i++)
          {
            HlSecret *secret = g_ptr_array_index (k->derived, i);

            if (secret->check != HL_CHECK_NONE)
              continue;
            if (k->n_ok > 0 && k->n_failed == 0)
              {
                secret->check = HL_CHECK_OK;
                set_note (secret, g_strdup_printf ("GnuTLS did not report this key; confirmed "
                                                   "because the %u record%s it protects "
                                                   "(from event %u) decrypt, authenticate and "
                                                   "equal the captured messages.", k->n_ok,
                                                   k->n_ok == 1 ? "" : "s", k->first_ok));
              }
            else if (k->n_failed > 0)
              set_note (secret, g_strdup_printf ("GnuTLS did not report this key, and %u of the "
                                                 "records it protects do not decrypt to the "
                                                 "captured messages, so it is unconfirmed.",
                                                 k->n_failed));
            else
              set_note (secret, g_strdup_printf ("GnuTLS did not report this key and the %s "
                                                 "sent no record protected with it, so nothing "
                                                 "confirms it.", s == 0 ? "client" : "server"));
          }
      }
}

/* Which events (messages, alerts, application data) link to each record. */
static GPtrArray **
items_by_record (HlTrace *trace, GError **error)
{
  guint n = hl_trace_get_n_events (trace);
  GPtrArray **items = g_new0 (GPtrArray *, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int r = hl_event_get_record (event);
      HlEventKind kind = hl_event_get_kind (event);

      if (r < 0 || (kind != HL_EVENT_MESSAGE && kind != HL_EVENT_ALERT &&
                    kind != HL_EVENT_APP_DATA))
        continue;
      if ((guint) r >= i || hl_event_get_kind (hl_trace_get_event (trace, r)) != HL_EVENT_RECORD ||
          hl_event_get_handshake (hl_trace_get_event (trace, r)) != hl_event_get_handshake (event))
        {
          g_set_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
                       "event %u links to event %d, which is not an earlier record of its "
                       "handshake", i, r);
          for (guint j = 0; j < n; j++)
            g_clear_pointer (&items[j], g_ptr_array_unref);
          g_free (items);
          return NULL;
        }
      if (items[r] == NULL)
        items[r] = g_ptr_array_new ();
      g_ptr_array_add (items[r], event);
    }
  return items;
}

/* --- Public API ------------------------------------------------------------------------------ */

/**
 * hl_keyschedule_compute:
 * @trace: a trace, finished or still being built; it is not changed
 * @error: return location for a #GError
 *
 * Recomputes every value of every handshake of @trace that its inputs allow, compares each with
 * the library's value or the wire, and decrypts every protected record (see the header for the
 * names). A value or record that does not check out is a %HL_CHECK_FAILED entry, not an error.
 *
 * Returns: (transfer full) (nullable): the results, or %NULL with %HL_TRACE_ERROR_INVALID when
 *   the trace links an event to something that is not an earlier record of its handshake
 */
HlKeySchedule *
hl_keyschedule_compute (HlTrace *trace, GError **error)
{
  g_autoptr(HlKeySchedule) schedule = NULL;
  guint n_handshakes, n_events;
  GPtrArray **items;
  Handshake *hss;
  Direction *dirs;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  items = items_by_record (trace, error);
  if (items == NULL)
    return NULL;

  schedule = g_new0 (HlKeySchedule, 1);
  schedule->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_secret_free);
  schedule->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_decryption_free);

  n_handshakes = MAX (hl_trace_get_n_handshakes (trace), 1);
  n_events = hl_trace_get_n_events (trace);
  hss = g_new0 (Handshake, n_handshakes);
  dirs = g_new0 (Direction, n_handshakes * SIDES);

  for (guint h = 0; h < n_handshakes; h++)
    {
      Handshake *hs = &hss[h];

      hs->trace = trace;
      hs->handshake = h;
      hs->out = schedule->secrets;
      if (!study_handshake (hs))
        continue;
      if (hs->tls13)
        derive_tls13 (hs);
      else
        derive_tls12 (hs);
      check_resumption (hs);
    }

  for (guint i = 0; i < n_handshakes * SIDES; i++)
    dirs[i].expected = g_byte_array_new ();
  for (guint i = 0; i < n_events; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      guint h = hl_event_get_handshake (event);
      HlSide side = hl_event_get_role (event);

      if (hl_event_get_kind (event) != HL_EVENT_RECORD ||
          hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT)
        continue;
      if (h >= n_handshakes || (side != HL_SIDE_CLIENT && side != HL_SIDE_SERVER))
        {
          HlRecordDecryption *rd = g_new0 (HlRecordDecryption, 1);

          rd->record = i;
          rd->handshake = h;
          rd->sender = side;
          rd->epoch = hl_event_get_epoch (event);
          rd->check = HL_CHECK_FAILED;
          rd->detail = g_strdup ("The record belongs to no handshake or side of the trace.");
          g_ptr_array_add (schedule->records, rd);
          continue;
        }
      g_ptr_array_add (schedule->records,
                       decrypt_record (&hss[h], event, &dirs[h * SIDES + side_index (side)],
                                       items[i]));
    }

  for (guint h = 0; h < n_handshakes; h++)
    {
      confirm_keys_by_records (&hss[h]);
      check_key_block (&hss[h]);
      handshake_clear (&hss[h]);
    }
  for (guint i = 0; i < n_handshakes * SIDES; i++)
    g_byte_array_unref (dirs[i].expected);
  for (guint i = 0; i < n_events; i++)
    g_clear_pointer (&items[i], g_ptr_array_unref);
  g_free (items);
  g_free (dirs);
  g_free (hss);

  return g_steal_pointer (&schedule);
}

/**
 * hl_keyschedule_apply:
 * @trace: a trace still being built
 * @error: return location for a #GError
 *
 * Runs hl_keyschedule_compute() and stores the results in @trace: the values are appended to
 * its secrets; each protected record event gets its plaintext, inner content type and check
 * (hl_event_get_plaintext(), hl_event_get_inner_type(), hl_event_get_check()). Values that do
 * not check out are stored as such; they are not errors. A trace that already holds derived
 * values is left as it is.
 *
 * Returns: %FALSE with %HL_ENGINE_ERROR_UNEXPECTED only when the trace is inconsistent, which is
 *   a bug of whoever built it
 */
gboolean
hl_keyschedule_apply (HlTrace *trace, GError **error)
{
  g_autoptr(HlKeySchedule) schedule = NULL;
  g_autoptr(GError) local = NULL;
  GPtrArray *secrets;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (!hl_trace_is_finished (trace), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  secrets = hl_trace_get_secrets (trace);
  for (guint i = 0; i < secrets->len; i++)
    if (((HlSecret *) g_ptr_array_index (secrets, i))->source == HL_SOURCE_DERIVED)
      return TRUE;

  schedule = hl_keyschedule_compute (trace, &local);
  if (schedule == NULL)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the key schedule cannot read this trace: %s", local->message);
      return FALSE;
    }

  while (schedule->secrets->len > 0)
    hl_trace_add_secret (trace, g_ptr_array_steal_index (schedule->secrets, 0));
  for (guint i = 0; i < schedule->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (schedule->records, i);
      HlEvent *record = hl_trace_get_event (trace, rd->record);

      hl_event_set_plaintext (record, rd->plaintext);
      hl_event_set_inner_type (record, rd->inner_type);
      hl_event_set_check (record, rd->check);
    }
  return TRUE;
}

/**
 * hl_keyschedule_count:
 * @schedule: a result of hl_keyschedule_compute()
 * @check: a check result
 *
 * Returns: how many of @schedule's values that have a value (not the hidden links) have @check
 */
guint
hl_keyschedule_count (HlKeySchedule *schedule, HlCheck check)
{
  guint n = 0;

  g_return_val_if_fail (schedule != NULL, 0);

  for (guint i = 0; i < schedule->secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (schedule->secrets, i);

      if (s->value != NULL && s->check == check)
        n++;
    }
  return n;
}

/**
 * hl_keyschedule_find:
 * @schedule: a result of hl_keyschedule_compute()
 * @name: a value's name, e.g. "client_verify_data"
 * @handshake: its handshake
 *
 * Returns: (transfer none) (nullable): the value, or %NULL
 */
const HlSecret *
hl_keyschedule_find (HlKeySchedule *schedule, const char *name, guint handshake)
{
  g_return_val_if_fail (schedule != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < schedule->secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (schedule->secrets, i);

      if (s->handshake == handshake && g_str_equal (s->name, name))
        return s;
    }
  return NULL;
}
