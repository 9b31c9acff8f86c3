/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include "hl-engine-private.h"
#include "hl-engine-parts.h"
#include "hl-decoder.h"
#include "hl-tls-names.h"
#include "hl-worker.h"

/* The GnuTLS callbacks that record what a session does: handshake hooks, key log, secrets as
 * they are installed, and the certificate check. */

/* RSA key exchange: the ClientKeyExchange body is a 2-byte length and the PKCS#1 v1.5
 * ciphertext (RFC 5246 §7.4.7.1). The server's private key opens it, as the server does.
 *
 * That private-key operation is the one cost a bare handshake does not have (about as long as
 * the rest of the handshake together), and nothing during the run needs its result: the trace
 * is read once the run is over. In memory the server's key keeps what the server decrypted
 * (hl-engine-server-key.c), and the join takes it from there; elsewhere (live mode) it runs on
 * the worker thread (hl-worker.h), beside the handshake (or in line at the join, when the worker
 * has not got to it by then). hl_engine_join_premaster() completes the trace with it before the
 * key schedule is checked.
 * The slot of the secret is taken now, so the trace lists the secrets in the order they came. */
typedef struct
{
  HlWorkerJob      *work;
  gnutls_privkey_t  key;       /* borrowed: the run's, deinitialised only after the join */
  guint8           *ct;
  guint             ct_size;
  HlSecret         *secret;    /* its slot in the trace */
  HlEvent          *action;    /* the client's "generate premaster" action, or NULL */
  guint             handshake;
  int               rc;
  gnutls_datum_t    pms;
} PmsJob;

static void
job_decrypt (gpointer data, gpointer unused)
{
  PmsJob *job = data;
  gnutls_datum_t ct = { job->ct, job->ct_size };

  job->rc = gnutls_privkey_decrypt_data (job->key, 0, &ct, &job->pms);
}

static void
decrypt_premaster (Peer *client, const gnutls_datum_t *body)
{
  Run *run = client->run;
  GPtrArray *secrets = hl_trace_get_secrets (run->trace);
  PmsJob *job;

  if (body->size < 2 || (gsize) ((body->data[0] << 8) | body->data[1]) != body->size - 2)
    {
      add_action (run, HL_SIDE_CLIENT, HL_SIDE_NONE, "Premaster secret unreadable",
                  HL_CHECK_FAILED, "The ClientKeyExchange does not have the expected layout.",
                  "ClientKeyExchange: length prefix does not match the body");
      return;
    }
  add_secret (run, "premaster_secret", "Premaster secret", NULL, HL_SIDE_BOTH,
              HL_SOURCE_DECRYPTED,
              "Decrypted from the ClientKeyExchange with the server's RSA private key.");
  job = g_new0 (PmsJob, 1);
  job->key = run->server_privkey;
  job->ct = g_memdup2 (body->data + 2, body->size - 2);
  job->ct_size = body->size - 2;
  job->secret = g_ptr_array_index (secrets, secrets->len - 1);
  job->action = client->pms_action;
  job->handshake = run->handshake;
  if (run->pms_jobs == NULL)
    run->pms_jobs = g_ptr_array_new ();
  g_ptr_array_add (run->pms_jobs, job);
  /* the server will open it itself, with a key that keeps the result */
  if (!run->server_key_ours)
    job->work = hl_worker_start (job_decrypt, job);
}

static void
complete_premaster (Run *run, PmsJob *job)
{
  guint handshake = run->handshake;

  run->handshake = job->handshake;   /* what is added below belongs to that handshake */
  if (job->rc < 0)
    {
      g_autofree char *tech = g_strdup_printf ("gnutls_privkey_decrypt_data: %s (%d)",
                                               gnutls_strerror (job->rc), job->rc);

      g_free (job->secret->note);
      job->secret->note = g_strdup ("This GnuTLS refuses RSA PKCS#1 v1.5 decryption, so the "
                                    "premaster secret could not be shown.");
      add_action (run, HL_SIDE_SERVER, HL_SIDE_NONE, "Premaster secret not decrypted",
                  HL_CHECK_FAILED, "The library refused to decrypt the premaster secret with the "
                  "server's key (RSA PKCS#1 v1.5 encryption is disabled here).", tech);
    }
  else
    {
      GBytes *value = g_bytes_new (job->pms.data, job->pms.size);
      g_autofree char *hex = hl_engine_short_hex (value);
      guint size = job->pms.size;
      const guint8 *pms = job->pms.data;
      g_autofree char *cap = g_strdup_printf ("The client makes up a %u-byte premaster secret (2 "
                                              "version bytes and %u random bytes) and encrypts "
                                              "it with the RSA public key from the server's "
                                              "certificate.", size, size > 2 ? size - 2 : 0);
      g_autofree char *tech = g_strdup_printf ("premaster_secret = %s · version %02x %02x · "
                                               "RSAES-PKCS1-v1_5 → %u-byte ciphertext", hex,
                                               size > 1 ? pms[0] : 0, size > 1 ? pms[1] : 0,
                                               job->ct_size);

      job->secret->value = value;
      if (job->action)
        {
          hl_event_set_caption (job->action, cap);
          hl_event_set_technical (job->action, tech);
        }
      gnutls_memset (job->pms.data, 0, job->pms.size);
      gnutls_free (job->pms.data);
    }
  run->handshake = handshake;
}

void
hl_engine_join_premaster (Run *run)
{
  if (run->pms_jobs == NULL)
    return;
  for (guint i = 0; i < run->pms_jobs->len; i++)
    {
      PmsJob *job = g_ptr_array_index (run->pms_jobs, i);

      if (job->work != NULL)
        hl_worker_finish (job->work);
      else if (hl_engine_take_opened (run, job->ct, job->ct_size, &job->pms))
        job->rc = 0;
      else
        job_decrypt (job, NULL);
      complete_premaster (run, job);
      g_free (job->ct);
      g_free (job);
    }
  g_clear_pointer (&run->pms_jobs, g_ptr_array_unref);
}

/* ECDHE (RFC 8422 §5.4, §5.7): the group the server's ServerKeyExchange names and the sizes of
 * the two public keys, from the messages of this handshake as they went on the wire. */
typedef struct
{
  const char *group;        /* "secp256r1", or NULL when the bytes do not say */
  gsize       server_point;
  gsize       client_point;
} EcdheShares;

static EcdheShares
ecdhe_shares (Run *run)
{
  EcdheShares shares = { NULL, 0, 0 };

  for (guint i = 0; i < hl_trace_get_n_events (run->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);
      GBytes *bytes = hl_event_get_bytes (event);
      gsize len;
      const guint8 *p;

      if (hl_event_get_handshake (event) != run->handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE || bytes == NULL ||
          g_bytes_get_size (bytes) < 4)
        continue;
      p = g_bytes_get_data (bytes, &len);
      if (p[0] == GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE)
        {
          /* ECParameters: curve_type named_curve (3), then the 2-byte NamedCurve */
          if (len >= 7 && p[4] == 3)
            shares.group = hl_tls_group_name ((p[5] << 8) | p[6]);
          shares.server_point = hl_decoder_inner_sizes (p, len, FALSE).point;
        }
      else if (p[0] == GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE)
        shares.client_point = hl_decoder_inner_sizes (p, len, FALSE).point;
    }
  return shares;
}

/* The client's ECDHE step, once its ClientKeyExchange is queued: the sizes are known then. */
static void
describe_client_ecdhe (Peer *client)
{
  EcdheShares shares = ecdhe_shares (client->run);
  g_autofree char *on = shares.group ? g_strdup_printf (" on %s", shares.group) : g_strdup ("");
  g_autofree char *cap = NULL;
  g_autofree char *tech = NULL;
  HlEvent *queued = g_queue_peek_tail (&client->pending);
  GBytes *cke = queued ? hl_event_get_bytes (queued) : NULL;

  if (client->pms_action == NULL)
    return;
  /* the ClientKeyExchange is still in the queue, waiting for its record */
  if (cke != NULL)
    shares.client_point = hl_decoder_inner_sizes (g_bytes_get_data (cke, NULL),
                                                  g_bytes_get_size (cke), FALSE).point;
  cap = g_strdup_printf ("The client makes its own ephemeral key pair%s and combines its "
                         "private key with the server's public key (the %" G_GSIZE_FORMAT
                         "-byte point from ServerKeyExchange); its own public key (a %"
                         G_GSIZE_FORMAT "-byte point) goes to the server in "
                         "ClientKeyExchange. Both sides arrive at the same premaster secret "
                         "without ever sending it.", on, shares.server_point,
                         shares.client_point);
  tech = g_strdup_printf ("ECDHE%s (RFC 8422) · server's point %" G_GSIZE_FORMAT " bytes, "
                          "client's %" G_GSIZE_FORMAT " bytes · the shared secret is held "
                          "inside GnuTLS (no API exposes it)", on, shares.server_point,
                          shares.client_point);
  hl_event_set_caption (client->pms_action, cap);
  hl_event_set_technical (client->pms_action, tech);
  client->pms_action = NULL;
}

/* The server's ECDHE step, once it has processed the client's ClientKeyExchange. */
static void
add_server_ecdhe (Peer *server)
{
  Run *run = server->run;
  EcdheShares shares = ecdhe_shares (run);
  g_autofree char *on = shares.group ? g_strdup_printf (" on %s", shares.group) : g_strdup ("");
  g_autofree char *cap = NULL;
  g_autofree char *tech = NULL;

  cap = g_strdup_printf ("The server combines the ephemeral private key behind its "
                         "ServerKeyExchange with the client's public key from "
                         "ClientKeyExchange (a %" G_GSIZE_FORMAT "-byte point%s) and gets the "
                         "same premaster secret as the client, though it never crossed the "
                         "wire.", shares.client_point, on);
  tech = g_strdup_printf ("ECDH(server's ephemeral private key, client's %" G_GSIZE_FORMAT
                          "-byte point)%s · the premaster is held inside GnuTLS (no API "
                          "exposes it)", shares.client_point, on);
  add_action (run, server->side, HL_SIDE_NONE, "Compute the shared secret", HL_CHECK_NONE,
              cap, tech);
}

static gboolean
is_ecdhe (gnutls_session_t session)
{
  gnutls_kx_algorithm_t kx = gnutls_kx_get (session);

  return kx == GNUTLS_KX_ECDHE_RSA || kx == GNUTLS_KX_ECDHE_ECDSA;
}

/* @peer is about to send a handshake message of type @htype. */
static void
before_sending (Peer *peer, unsigned int htype)
{
  Run *run = peer->run;
  gnutls_session_t session = peer->session;
  gboolean tls13 = is_tls13 (peer);

  /* TLS 1.2: ChangeCipherSpec (never hooked) is queued right before Finished, which is the
   * first message under the new keys (RFC 5246 §7.4.9). */
  if (htype == GNUTLS_HANDSHAKE_FINISHED && !tls13)
    peer->write_epoch = HL_EPOCH_APPLICATION;
  if (htype == GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE && !tls13)
    {
      if (gnutls_kx_get (session) == GNUTLS_KX_RSA)
        peer->pms_action = add_action (run, HL_SIDE_CLIENT, HL_SIDE_NONE,
                                       "Generate and encrypt the premaster secret",
                                       HL_CHECK_NONE,
                                       "The client makes up the premaster secret and "
                                       "encrypts it with the server's RSA public key.",
                                       "");
      else
        {
          /* the caption names the sizes once the message is queued (describe_client_ecdhe) */
          peer->pms_action = add_action (run, HL_SIDE_CLIENT, HL_SIDE_NONE,
                                         "Compute the shared secret", HL_CHECK_NONE,
                                         "The client makes its own ephemeral key pair and "
                                         "combines its private key with the server's public "
                                         "key: both sides arrive at the same premaster secret "
                                         "without ever sending it.",
                                         "ECDHE · the shared secret is held inside GnuTLS (no "
                                         "API exposes it)");
          add_secret (run, "premaster_secret", "Premaster secret (ECDHE shared secret)",
                      NULL, HL_SIDE_BOTH, HL_SOURCE_LIBRARY,
                      "Held inside GnuTLS: no API exposes the ECDHE shared secret.");
        }
    }
}

/* @peer has queued the handshake message @msg (body) for sending. */
static void
after_sending (Peer *peer, unsigned int htype, const gnutls_datum_t *msg)
{
  Run *run = peer->run;
  gnutls_session_t session = peer->session;
  gboolean tls13 = is_tls13 (peer);

  hl_engine_queue_message (peer, htype, msg);
  if (htype == GNUTLS_HANDSHAKE_NEW_SESSION_TICKET && !tls13 && run->ticket_key.data != NULL)
    {
      /* ours to show: the key schedule opens the ticket with it (hl-keyschedule-ticket.c) */
      g_autoptr(GBytes) key = datum_bytes (&run->ticket_key);

      add_secret (run, "session_ticket_key", "Session ticket key (server only)", key,
                  HL_SIDE_SERVER, HL_SOURCE_LIBRARY,
                  "The key the server gave GnuTLS for its tickets "
                  "(gnutls_session_ticket_key_generate); the client never sees it. GnuTLS "
                  "seals each ticket with SHA3-512(T ‖ this key) for the current period T "
                  "(lib/stek.c).");
    }
  if (htype == GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE && !tls13 && is_ecdhe (session))
    describe_client_ecdhe (peer);
  if (htype == GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE && !tls13 &&
      gnutls_kx_get (session) == GNUTLS_KX_RSA)
    {
      if (run->server_privkey != NULL)
        decrypt_premaster (peer, msg);
      else
        add_secret (run, "premaster_secret", "Premaster secret", NULL, HL_SIDE_BOTH,
                    HL_SOURCE_LIBRARY, "Made inside GnuTLS, which does not expose it; only "
                    "the server's private key could open it from the wire. The in-memory "
                    "tls12-rsa scenario shows it.");
    }
}

/* @peer starts reading a handshake message of its peer's (@msg is its body, if known). */
static void
before_reading (Peer *peer, unsigned int htype, const gnutls_datum_t *msg)
{
  Run *run = peer->run;
  HlSide other = peer->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  gnutls_session_t session = peer->session;
  gboolean tls13 = is_tls13 (peer);

  if (htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST)
    peer->after_hrr = TRUE;
  if (htype == GNUTLS_HANDSHAKE_FINISHED)
    peer->read_finished = TRUE;
  if (run->local == HL_SIDE_NONE)
    hl_engine_message_processed (run, other, htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST
                                               ? GNUTLS_HANDSHAKE_SERVER_HELLO : htype);
  if (other_of (peer)->remote && msg != NULL)
    {
      /* The remote peer's message, as our session reads it (PRE: POST may hand a consumed
       * buffer). It lives in the record our transport handed over last. */
      hl_engine_queue_message (other_of (peer), htype, msg);
      hl_engine_add_remote_item (run, g_queue_pop_tail (&other_of (peer)->pending));
      if (htype == GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE && !tls13 &&
          gnutls_kx_get (session) == GNUTLS_KX_RSA && run->server_privkey != NULL)
        decrypt_premaster (other_of (peer), msg);
    }
  if (htype == GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE && !tls13 &&
      gnutls_kx_get (session) == GNUTLS_KX_RSA)
    add_action (run, HL_SIDE_SERVER, HL_SIDE_NONE, "Decrypt the premaster secret",
                HL_CHECK_NONE,
                "The server opens the premaster secret with its RSA private key. Now both "
                "sides know it — and nobody else on the wire.",
                "RSAES-PKCS1-v1_5 decryption with the server's private key");
}

/* @peer has read and processed a handshake message of its peer's. */
static void
after_reading (Peer *peer, unsigned int htype)
{
  Run *run = peer->run;
  HlSide other = peer->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  gnutls_session_t session = peer->session;
  gboolean tls13 = is_tls13 (peer);

  g_autofree char *cap = NULL;

  switch (htype)
    {
    case GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE:
      if (!tls13 && is_ecdhe (session))
        add_server_ecdhe (peer);
      break;
    case GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE:
      /* the ✓ or ✗ comes from our own check of the signature (hl_signature_apply) */
      add_action (run, peer->side, other, "Check the key-exchange signature", HL_CHECK_NONE,
                  "The client checks that the server's ephemeral key was signed with the "
                  "private key of its certificate.",
                  "ServerKeyExchange signature");
      break;
    case GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY:
      cap = g_strdup_printf ("The %s checks the %s's signature over the transcript with the "
                             "public key from its certificate.", who (peer->side),
                             who (other));
      add_action (run, peer->side, other, "Check the CertificateVerify signature",
                  HL_CHECK_NONE, cap, "CertificateVerify signature");
      break;
    case GNUTLS_HANDSHAKE_FINISHED:
      cap = g_strdup_printf ("The %s computes its own hash of the conversation and compares "
                             "it with the %s's Finished — equal, so both saw the same "
                             "messages.", who (peer->side), who (other));
      add_action (run, peer->side, other, "Compare the Finished hash", HL_CHECK_OK, cap,
                  "verify_data accepted by GnuTLS");
      break;
    case GNUTLS_HANDSHAKE_SERVER_HELLO:
      if (gnutls_session_is_resumed (session))
        add_action (run, HL_SIDE_CLIENT, HL_SIDE_NONE, "Resume the session", HL_CHECK_OK,
                    tls13 ? "The server accepted the ticket. The keys of this connection come "
                            "from a pre-shared key, made from the earlier session's "
                            "resumption master secret and the ticket's nonce, together with "
                            "a fresh ECDHE exchange (psk_dhe_ke); only the certificates are "
                            "skipped."
                          : "The server accepted the ticket: both sides reuse the earlier "
                            "session's master secret with fresh random values, so there are "
                            "no certificates and no key exchange this time.",
                    tls13 ? "session resumed · PSK from resumption_master_secret and "
                            "ticket_nonce (RFC 8446 §4.6.1) · psk_dhe_ke"
                          : "session resumed · master secret from the ticket (RFC 5077)");
      break;
    default:
      break;
    }
}

/* GnuTLS calls this before (PRE) and after (POST) each handshake message it sends or reads. */
static int
hook_cb (gnutls_session_t session, unsigned int htype, unsigned when, unsigned int incoming,
         const gnutls_datum_t *msg)
{
  Peer *peer = gnutls_session_get_ptr (session);

  if (!incoming && when == GNUTLS_HOOK_PRE)
    before_sending (peer, htype);
  else if (!incoming && when == GNUTLS_HOOK_POST && msg != NULL)
    after_sending (peer, htype, msg);
  else if (incoming && when == GNUTLS_HOOK_PRE)
    before_reading (peer, htype, msg);
  else if (incoming && when == GNUTLS_HOOK_POST)
    after_reading (peer, htype);
  return 0;
}

static int
keylog_cb (gnutls_session_t session, const char *label, const gnutls_datum_t *secret)
{
  Peer *peer = gnutls_session_get_ptr (session);
  Run *run = peer->run;
  g_autoptr(GBytes) value = datum_bytes (secret);

  if (g_str_equal (label, "CLIENT_RANDOM"))
    {
      g_autofree char *hex = hl_engine_short_hex (value);
      g_autofree char *tech = NULL;
      g_autofree char *cap = NULL;
      gboolean ems = gnutls_session_ext_master_secret_status (session);

      add_secret (run, "master_secret", "Master secret", value, peer->side, HL_SOURCE_LIBRARY,
                  NULL);
      cap = g_strdup_printf ("The %s derives the %u-byte master secret from the premaster "
                             "secret and %s, then expands it into the session keys.",
                             who (peer->side), secret->size,
                             ems ? "a hash of the handshake so far (extended master secret)"
                                 : "both random values");
      tech = g_strdup_printf ("master_secret = PRF(premaster, \"%s\", %s) = %s",
                              ems ? "extended master secret" : "master secret",
                              ems ? "session_hash" : "client_random ‖ server_random", hex);
      add_action (run, peer->side, HL_SIDE_NONE, "Derive the master secret and session keys",
                  HL_CHECK_NONE, cap, tech);
    }
  else
    add_secret (run, label, label, value, peer->side, HL_SOURCE_LIBRARY, NULL);
  return 0;
}

/* The keys @peer's record layer installed for @epoch: its write keys and/or its read keys
 * (the peer's write keys). */
void
hl_engine_add_record_state (Peer *peer, HlEpoch epoch, gboolean want_read, gboolean want_write)
{
  Run *run = peer->run;
  const char *phase = epoch == HL_EPOCH_HANDSHAKE ? "handshake_" : "";

  for (guint read = 0; read <= 1; read++)
    {
      gnutls_datum_t mac = { 0 }, iv = { 0 }, key = { 0 };
      /* write keys are this side's own; read keys are the peer's */
      HlSide owner = read ? other_of (peer)->side : peer->side;
      struct { const char *what; gnutls_datum_t *d; } parts[] = {
        { "write_mac_key", &mac }, { "write_key", &key }, { "write_iv", &iv },
      };

      if ((read ? !want_read : !want_write) ||
          gnutls_record_get_state (peer->session, read, &mac, &iv, &key, NULL) < 0)
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          g_autofree char *name = NULL;
          g_autofree char *label = NULL;
          g_autoptr(GBytes) value = NULL;

          if (parts[i].d->size == 0)
            continue;
          name = g_strdup_printf ("%s_%s%s", who (owner), phase, parts[i].what);
          label = g_strdup_printf ("%s %s%s", Who (owner),
                                   epoch == HL_EPOCH_HANDSHAKE ? "handshake " : "",
                                   g_str_equal (parts[i].what, "write_mac_key") ? "write MAC key"
                                   : g_str_equal (parts[i].what, "write_key") ? "write key"
                                                                              : "write IV");
          value = datum_bytes (parts[i].d);
          add_secret (run, name, label, value, peer->side, HL_SOURCE_LIBRARY, NULL);
        }
    }
}

static int
secret_cb (gnutls_session_t session, gnutls_record_encryption_level_t level,
           const void *secret_read, const void *secret_write, size_t secret_size)
{
  Peer *peer = gnutls_session_get_ptr (session);
  Run *run = peer->run;
  HlEpoch epoch;
  g_autofree char *cap = NULL;

  if (level == GNUTLS_ENCRYPTION_LEVEL_HANDSHAKE)
    epoch = HL_EPOCH_HANDSHAKE;
  else if (level == GNUTLS_ENCRYPTION_LEVEL_APPLICATION)
    epoch = HL_EPOCH_APPLICATION;
  else
    return 0;

  if (secret_write != NULL)
    peer->write_epoch = epoch;
  /* A remote peer writes with what we read with. */
  if (secret_read != NULL && other_of (peer)->remote)
    other_of (peer)->write_epoch = epoch;

  /* The keys of each direction as they are installed: GnuTLS installs both handshake
   * directions at once, but a server's application write keys (after its Finished) before its
   * read keys (after the client's). */
  hl_engine_add_record_state (peer, epoch, secret_read != NULL, secret_write != NULL);
  if (peer->levels_seen & (1u << epoch))
    return 0;
  peer->levels_seen |= 1u << epoch;

  if (epoch == HL_EPOCH_HANDSHAKE && gnutls_session_is_resumed (session))
    {
      cap = g_strdup_printf ("The %s runs the HKDF key schedule from the pre-shared key of the "
                             "ticket (the early secret) and a fresh ECDHE shared secret: the "
                             "handshake traffic keys of this resumed connection.",
                             who (peer->side));
      add_action (run, peer->side, HL_SIDE_NONE, "Derive the handshake keys", HL_CHECK_NONE, cap,
                  "HKDF: PSK → early secret → (+ ECDHE shared secret) handshake secret → "
                  "c/s hs traffic secrets → keys and IVs; the PSK, early, shared and handshake "
                  "secrets stay inside GnuTLS");
      add_secret (run, "ecdhe_shared_secret", "(EC)DHE shared secret", NULL, HL_SIDE_BOTH,
                  HL_SOURCE_LIBRARY, "Held inside GnuTLS: no API exposes it.");
      add_secret (run, "handshake_secret", "Handshake secret", NULL, HL_SIDE_BOTH,
                  HL_SOURCE_LIBRARY, "Held inside GnuTLS: no API exposes it.");
    }
  else if (epoch == HL_EPOCH_HANDSHAKE)
    {
      if (peer->side == HL_SIDE_CLIENT)
        cap = g_strdup ("The client reads ServerHello: it combines the server's public key share "
                        "with its own private one (ECDHE) and runs the HKDF key schedule to get "
                        "the handshake traffic keys — only now can it decrypt what follows.");
      else
        cap = g_strdup ("The server combines the client's public key share with its own private "
                        "one (ECDHE) and runs the HKDF key schedule: handshake traffic keys. "
                        "Everything it sends after ServerHello is encrypted with them.");
      add_action (run, peer->side, HL_SIDE_NONE, "Derive the handshake keys", HL_CHECK_NONE, cap,
                  "HKDF: (EC)DHE shared secret → handshake secret → "
                  "c/s hs traffic secrets → keys and IVs; the shared secret and handshake "
                  "secret stay inside GnuTLS");
      add_secret (run, "ecdhe_shared_secret", "(EC)DHE shared secret", NULL, HL_SIDE_BOTH,
                  HL_SOURCE_LIBRARY, "Held inside GnuTLS: no API exposes it.");
      add_secret (run, "handshake_secret", "Handshake secret", NULL, HL_SIDE_BOTH,
                  HL_SOURCE_LIBRARY, "Held inside GnuTLS: no API exposes it.");
    }
  else
    {
      cap = peer->side == HL_SIDE_SERVER
              ? g_strdup ("With its whole flight on the wire, up to its Finished, the server "
                          "already derives the application traffic secrets from the master "
                          "secret and that transcript, and the application traffic keys from "
                          "them; the client will derive the same ones once it has read the "
                          "flight.")
              : g_strdup ("The client derives the application traffic secrets from the master "
                          "secret and the transcript up to the server's Finished, and the "
                          "application traffic keys from them.");
      add_action (run, peer->side, HL_SIDE_NONE, "Derive the application keys", HL_CHECK_NONE,
                  cap, "HKDF: master secret → c/s ap traffic secrets → keys and IVs");
      add_secret (run, "master_secret_13", "Master secret (TLS 1.3)", NULL, HL_SIDE_BOTH,
                  HL_SOURCE_LIBRARY, "Held inside GnuTLS: no API exposes it.");
    }
  return 0;
}

guint
hl_engine_alert_for_status (guint status)
{
  if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
    return GNUTLS_A_UNKNOWN_CA;
  if (status & GNUTLS_CERT_EXPIRED)
    return GNUTLS_A_CERTIFICATE_EXPIRED;
  return GNUTLS_A_BAD_CERTIFICATE;
}

static void
capture_chain (Peer *peer)
{
  Run *run = peer->run;
  unsigned n = 0;
  const gnutls_datum_t *certs = gnutls_certificate_get_peers (peer->session, &n);
  GPtrArray *chain = peer->side == HL_SIDE_CLIENT ? hl_trace_get_server_chain (run->trace)
                                                  : hl_trace_get_client_chain (run->trace);

  /* the client of an attacked connection gets the attacker's chain, not the server's */
  if (peer->side == HL_SIDE_CLIENT && run->attacker_chain != NULL)
    chain = run->attacker_chain;
  if (chain->len > 0)
    return;
  for (unsigned i = 0; i < n; i++)
    {
      g_autoptr(GBytes) der = datum_bytes (&certs[i]);

      if (chain == run->attacker_chain)
        g_ptr_array_add (chain, g_bytes_ref (der));
      else if (peer->side == HL_SIDE_CLIENT)
        hl_trace_add_server_certificate (run->trace, der);
      else
        hl_trace_add_client_certificate (run->trace, der);
    }
}

/* GnuTLS's words for the outcome of a certificate check. */
static char *
dup_status_text (int rc, unsigned status)
{
  gnutls_datum_t out = { NULL, 0 };
  char *text;

  if (rc < 0)
    return g_strdup_printf ("%s (%d)", gnutls_strerror (rc), rc);
  if (gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &out, 0) != 0)
    return g_strdup ("(no description)");
  text = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  return text;
}

int
hl_engine_verify_cb (gnutls_session_t session)
{
  Peer *peer = gnutls_session_get_ptr (session);
  Run *run = peer->run;
  const char *hostname = peer->side != HL_SIDE_CLIENT ? NULL
                         : run->hostname ? run->hostname : HL_PKI_SERVER_NAME;
  const char *anchor = run->trust ? run->trust : "the authority it trusts";
  unsigned status = 0;
  int rc = gnutls_certificate_verify_peers3 (session, hostname, &status);
  gboolean trusted = rc == 0 && status == 0;
  g_autofree char *text = dup_status_text (rc, status);
  g_autofree char *cap = NULL;
  HlVerification *v;

  peer->verified = TRUE;
  peer->verify_status = status;
  peer->verify_result = trusted ? HL_CHECK_OK : HL_CHECK_FAILED;
  if (!run->capture)
    return trusted ? 0 : -1;

  capture_chain (peer);
  v = g_new0 (HlVerification, 1);
  v->handshake = run->handshake;
  v->verifier = peer->side;
  v->rc = rc;
  v->status = status;
  v->text = g_strdup (text);
  v->hostname = g_strdup (hostname);
  v->trusted = trusted;
  hl_trace_add_verification (run->trace, v);

  if (trusted)
    cap = g_strdup_printf ("The %s checks the %s's certificate against %s — trusted%s%s.",
                           who (peer->side), who (other_of (peer)->side), anchor,
                           hostname ? ", and it is for " : "", hostname ? hostname : "");
  else
    {
      const char *why = rc < 0 ? text
                        : (status & GNUTLS_CERT_SIGNER_NOT_FOUND) ? "issued by an authority it does not trust"
                        : (status & GNUTLS_CERT_EXPIRED) ? "it has expired"
                        : (status & GNUTLS_CERT_UNEXPECTED_OWNER) ? "it was issued for another name"
                        : text;
      cap = g_strdup_printf ("The %s checks the %s's certificate against %s — rejected: %s.",
                             who (peer->side), who (other_of (peer)->side), anchor, why);
    }
  /* The name check (RFC 6125) does not involve the authority: when the chain itself is fine
   * and only the name is wrong, show two steps, the CA's and the client's own. */
  if (!trusted && rc == 0 && hostname != NULL && (status & GNUTLS_CERT_UNEXPECTED_OWNER) &&
      (status & ~(GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_INVALID)) == 0)
    {
      g_autofree char *chain_cap = g_strdup_printf ("The %s checks the %s's certificate against "
                                                    "%s — the signature chain is trusted.",
                                                    who (peer->side),
                                                    who (other_of (peer)->side), anchor);
      g_autofree char *name_cap = g_strdup_printf ("The %s checks the name: the certificate was "
                                                   "issued for another name, not %s — rejected "
                                                   "(RFC 6125).", who (peer->side), hostname);

      add_action (run, peer->side, HL_SIDE_CA, "Verify the certificate chain", HL_CHECK_OK,
                  chain_cap, "chain trusted; only the name does not match");
      add_action (run, peer->side, HL_SIDE_NONE, "Check the host name", HL_CHECK_FAILED,
                  name_cap, text);
      return -1;
    }
  add_action (run, peer->side, HL_SIDE_CA, "Verify the certificate chain",
              trusted ? HL_CHECK_OK : HL_CHECK_FAILED, cap, text);
  if (peer->side == HL_SIDE_CLIENT)
    hl_engine_check_ocsp (peer);
  return trusted ? 0 : -1;
}

/* The callbacks that record what @peer's session does. */
void
hl_engine_attach_capture (Run *run, Peer *peer)
{
  g_assert (peer->run == run && peer->session != NULL);
  gnutls_session_set_ptr (peer->session, peer);
  gnutls_handshake_set_hook_function (peer->session, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_BOTH,
                                      hook_cb);
  gnutls_session_set_keylog_function (peer->session, keylog_cb);
  gnutls_handshake_set_secret_function (peer->session, secret_cb);
}
