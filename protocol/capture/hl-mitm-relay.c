/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-mitm"
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>

#include "hl-decoder.h"
#include "hl-engine-private.h"
#include "hl-error.h"
#include "hl-keyschedule.h"
#include "hl-signature.h"

/*
 * mitm-downgrade: an attacker that holds no keys and runs no TLS of its own. It relays the
 * bytes between client and server and changes one of them: the first byte of the ClientHello's
 * supported_versions type, so that the server sees an extension it does not know (and ignores,
 * RFC 8446 §4.2) instead of the TLS 1.3 offer. The lengths stay as they are.
 *
 * Two one-sided runs, like live mode's: connection 1 (handshake 0) is what the client sent and
 * received, with the server's part played by the attacker's relay; connection 2 (handshake 1)
 * is what the server received and sent. Each record the attacker passes on is linked to the one
 * it came from (forwarded). Then the attacker's side of each is renamed, as in hl-mitm.c.
 */

#define MAX_ROUNDS 16
/* What supported_versions (0x002b) becomes: its first byte set to ff, a type IANA never gave. */
#define HIDDEN_TYPE 0xff2b

typedef struct
{
  Run        *front;      /* client ⇄ attacker (the client's session) */
  Run         back;       /* attacker ⇄ server (the server's session) */
  GHashTable *authored;   /* events whose captions name the attacker already */
  gboolean    rewritten;
} Relay;

static void
init_remote (Run *run, HlSide side)
{
  Peer *peer = hl_engine_peer_of (run, side);

  memset (peer, 0, sizeof *peer);
  peer->run = run;
  peer->side = side;
  peer->last_record = -1;
  peer->remote = TRUE;
  g_queue_init (&peer->pending);
}

/* @run with our session on @local only; the other end is the attacker's relay. */
static gboolean
setup_run (Run *run, HlSide local, HlPipe *clock, GError **error)
{
  if (!hl_engine_setup_credentials (run, error))
    {
      if (run->error != NULL)
        g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  run->pipe = hl_pipe_new ();
  if (clock != NULL)
    hl_pipe_share_clock (run->pipe, clock);
  hl_pipe_set_one_record_per_pull (run->pipe, TRUE);
  if (run->capture) /* a bare run (bench-engine) keeps no trace */
    {
      hl_pipe_set_record_func (run->pipe, hl_engine_record_cb, run);
      hl_pipe_set_read_func (run->pipe, hl_engine_record_read_cb, run);
    }
  run->local = local;
  init_remote (run, local == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT);
  if (!hl_engine_setup_peer (run, local))
    {
      g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  return TRUE;
}

/* The last record event of @run sent by @side, or -1. */
static int
last_record (Run *run, HlSide side)
{
  return hl_engine_peer_of (run, side)->last_record;
}

/* The attacker hides the TLS 1.3 offer: the supported_versions extension_type 00 2b becomes
 * ff 2b. Returns the offset changed, or -1 when the record has no such extension. */
static int
hide_tls13 (Relay *relay, guint8 *record, gsize len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (record, len);
  g_autoptr(HlField) root = hl_decode_record (bytes, 0, NULL);
  HlField *ext = root ? hl_field_find (root, "supported_versions") : NULL;
  HlField *type = ext ? hl_field_find (ext, "extension_type") : NULL;
  gsize at;

  if (type == NULL || hl_field_get_length (type) != 2)
    return -1;
  at = hl_field_get_offset (type);
  if (record[at] != 0x00 || record[at + 1] != 0x2b)
    return -1;
  if (relay->front->capture)
    {
      g_autofree char *cap = g_strdup_printf ("The attacker changes 1 byte of the client's "
                                              "ClientHello before passing it on: at offset %"
                                              G_GSIZE_FORMAT " of the record, the "
                                              "supported_versions extension's type 00 2b "
                                              "becomes %02x 2b, a type nobody knows. The "
                                              "lengths stay the same, so the server reads a "
                                              "well-formed hello, ignores the unknown "
                                              "extension — and no longer sees TLS 1.3 offered.",
                                              at, HIDDEN_TYPE >> 8);
      g_autofree char *tech = g_strdup_printf ("record byte %" G_GSIZE_FORMAT ": 0x00 → 0x%02x "
                                               "(extension_type 0x002b supported_versions → "
                                               "0x%04x, unassigned) · RFC 8446 §4.2: unknown "
                                               "extensions are ignored", at, HIDDEN_TYPE >> 8,
                                               HIDDEN_TYPE);
      HlEvent *event = hl_engine_add_action (&relay->back, HL_SIDE_CLIENT, HL_SIDE_NONE,
                                             "Hide the TLS 1.3 offer", HL_CHECK_NONE, cap,
                                             tech);

      g_hash_table_add (relay->authored, g_object_ref (event));
    }
  record[at] = HIDDEN_TYPE >> 8;
  return (int) at;
}

/* Passes the next record queued for the attacker on @from (as the receiver @reader) to @to (as
 * the sender @writer), rewriting the first ClientHello, and links the copy to its original.
 * One record at a time, once the receiver has read the one before: a receiver's messages are
 * linked to the record it was handed last. */
static void
relay_records (Relay *relay, Run *from, HlSide reader, Run *to, HlSide writer)
{
  HlSide sender = reader == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  HlSide receiver = writer == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  guint8 buf[20000];
  gssize n;

  /* nothing more for a receiver that has given up */
  if (hl_pipe_get_pending (to->pipe, receiver) > 0 ||
      hl_engine_peer_of (to, receiver)->state != PEER_RUNNING)
    return;
  if ((n = hl_pipe_read (from->pipe, reader, buf, sizeof buf)) > 0)
    {
      int original = last_record (from, sender);
      int changed = -1;
      int copy;

      /* one record per read (one-record mode): find which one it was */
      for (guint i = 0; from->capture && i < hl_trace_get_n_events (from->trace); i++)
        {
          HlEvent *event = hl_trace_get_event (from->trace, i);
          GBytes *bytes = hl_event_get_bytes (event);

          if (hl_event_get_kind (event) == HL_EVENT_RECORD &&
              hl_event_get_handshake (event) == from->handshake &&
              hl_event_get_side (event) == sender && bytes != NULL &&
              g_bytes_get_size (bytes) == (gsize) n &&
              memcmp (g_bytes_get_data (bytes, NULL), buf, n) == 0)
            original = (int) i;
        }
      if (!relay->rewritten && writer == HL_SIDE_CLIENT && buf[0] == 22 && n > 5 && buf[5] == 1)
        {
          changed = hide_tls13 (relay, buf, (gsize) n);
          relay->rewritten = changed >= 0;
        }
      hl_pipe_write (to->pipe, writer, buf, (gsize) n);
      copy = last_record (to, writer);
      if (to->capture && copy >= 0 && original >= 0)
        {
          HlEvent *event = hl_trace_get_event (to->trace, (guint) copy);

          hl_event_set_forwarded (event, original);
          g_hash_table_add (relay->authored, g_object_ref (event));
          if (changed >= 0)
            {
              g_autofree char *cap = g_strdup_printf ("The client's ClientHello as the attacker "
                                                      "passes it on to the server: the same %"
                                                      G_GSIZE_FORMAT " bytes but one, at offset "
                                                      "%d.", (gsize) n, changed);

              hl_event_set_caption (event, cap);
            }
          else
            hl_event_set_caption (event, "The attacker passes the record on unchanged.");
        }
    }
}

static gboolean
drive (Relay *relay, GCancellable *cancellable, GError **error)
{
  Run *front = relay->front;
  Run *back = &relay->back;
  Peer *client = hl_engine_peer_of (front, HL_SIDE_CLIENT);
  Peer *server = hl_engine_peer_of (back, HL_SIDE_SERVER);

  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      hl_mitm_step (client);
      relay_records (relay, front, HL_SIDE_SERVER, back, HL_SIDE_CLIENT);
      hl_mitm_step (server);
      relay_records (relay, back, HL_SIDE_CLIENT, front, HL_SIDE_SERVER);
      if (client->state != PEER_RUNNING && server->state != PEER_RUNNING)
        return TRUE;
    }
  g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_STALLED,
               "the downgrade did not end in %d rounds", MAX_ROUNDS);
  return FALSE;
}

/* The hello the server read, in words: what its bytes show of the change. */
static void
explain_hello (Relay *relay)
{
  HlTrace *trace = relay->front->trace;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(HlField) root = NULL;
      g_autofree char *cap = NULL;
      g_autofree char *hidden = g_strdup_printf ("unknown_extension_%u", HIDDEN_TYPE);

      if (hl_event_get_handshake (event) != 1 || hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          g_strcmp0 (hl_event_get_name (event), "ClientHello") != 0)
        continue;
      root = hl_decode_handshake (hl_event_get_bytes (event), 0, FALSE, NULL);
      if (root == NULL || hl_field_find (root, "supported_versions") != NULL ||
          hl_field_find (root, hidden) == NULL)
        return;
      cap = g_strdup_printf ("The client's hello as the server reads it: an extension of type "
                             "0x%04x, which no one knows and the server ignores, stands where "
                             "supported_versions was, so the server sees no TLS 1.3 offer. %s",
                             HIDDEN_TYPE, hl_event_get_caption (event));
      hl_event_set_caption (event, cap);
      return;
    }
}

/* The client's abort, in words: what it found, from the bytes of the ServerHello it read. */
static void
explain_abort (Relay *relay)
{
  HlTrace *trace = relay->front->trace;
  HlEvent *server_hello = NULL;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(HlField) root = NULL;
      HlField *sentinel;
      g_autofree char *cap = NULL;

      if (hl_event_get_handshake (event) != 0)
        continue;
      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          g_strcmp0 (hl_event_get_name (event), "ServerHello") == 0)
        server_hello = event;
      if (server_hello == NULL || hl_event_get_kind (event) != HL_EVENT_ACTION ||
          hl_event_get_side (event) != HL_SIDE_CLIENT ||
          g_strcmp0 (hl_event_get_name (event), "Abort the handshake") != 0)
        continue;
      root = hl_decode_handshake (hl_event_get_bytes (server_hello), 0, FALSE, NULL);
      sentinel = root ? hl_field_find (root, "downgrade_sentinel") : NULL;
      if (sentinel == NULL)
        return;
      cap = g_strdup_printf ("The client finds %s at the end of the server's random although "
                             "it offered TLS 1.3: someone on the path removed its offer. It "
                             "refuses the ServerHello and aborts the handshake (RFC 8446 "
                             "§4.1.3); GnuTLS reports an illegal parameter.",
                             hl_field_get_value (sentinel));
      hl_event_set_caption (event, cap);
      g_hash_table_add (relay->authored, g_object_ref (event));
      return;
    }
}

gboolean
hl_mitm_relay_run (Run *front, GCancellable *cancellable, GError **error)
{
  Relay relay = { front, { 0 } };
  Peer *client, *server;
  gboolean ok = FALSE;

  relay.authored = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  relay.back.config = front->config;
  relay.back.capture = front->capture;
  relay.back.trace = front->trace;
  relay.back.handshake = 1;
  relay.back.order = front;
  front->handshake = 0;

  if (!setup_run (front, HL_SIDE_CLIENT, NULL, error) ||
      !setup_run (&relay.back, HL_SIDE_SERVER, front->pipe, error))
    goto out;
  if (front->capture)
    {
      hl_trace_set_n_handshakes (front->trace, 2);
      hl_trace_set_ca_certificate (front->trace,
                                   hl_pki_get_certificate_der (front->pki, HL_IDENTITY_CA));
      hl_trace_set_server_key (front->trace,
                               hl_pki_get_key_pem (front->pki, relay.back.server_identity));
      /* what the server sends in its Certificate message (nobody gets to verify it) */
      hl_trace_add_server_certificate (front->trace,
                                       hl_pki_get_certificate_der (front->pki,
                                                                   relay.back.server_identity));
    }
  if (!drive (&relay, cancellable, error))
    goto out;

  client = hl_engine_peer_of (front, HL_SIDE_CLIENT);
  server = hl_engine_peer_of (&relay.back, HL_SIDE_SERVER);
  if (front->capture)
    {
      HlAttacker info = { 0 };

      hl_mitm_collect (front, &relay.back);
      /* what the attacker relays is still the other end's: its captions keep their words */
      for (guint i = 0; i < hl_trace_get_n_events (front->trace); i++)
        {
          HlEvent *event = hl_trace_get_event (front->trace, i);

          if (hl_event_get_kind (event) != HL_EVENT_RECORD &&
              hl_event_get_side (event) == (hl_event_get_handshake (event) == 0 ? HL_SIDE_SERVER
                                                                                 : HL_SIDE_CLIENT))
            g_hash_table_add (relay.authored, g_object_ref (event));
        }
      explain_abort (&relay);
      explain_hello (&relay);
      hl_mitm_rename_attacker (front->trace, relay.authored);
      info.chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      hl_trace_set_attacker (front->trace, &info);
      g_ptr_array_unref (info.chain);
      if (!hl_keyschedule_apply (front->trace, error))
        goto out;
      hl_engine_apply_signatures (front);
      hl_mitm_set_outcome (front->trace, client, server);
    }
  ok = relay.rewritten && client->state == PEER_FAILED &&
       client->rc == GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER;
  if (!ok)
    g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                 "the client did not refuse the downgraded ServerHello (%s)",
                 client->state == PEER_FAILED ? gnutls_strerror (client->rc) : "it went on");

out:
  hl_engine_run_clear (&relay.back);
  g_clear_pointer (&relay.authored, g_hash_table_unref);
  if (front->error != NULL && error != NULL && *error == NULL)
    g_propagate_error (error, g_steal_pointer (&front->error));
  return ok;
}
