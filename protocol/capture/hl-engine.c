/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

#include "hl-engine.h"
#include "hl-engine-private.h"
#include "hl-decoder.h"
#include "hl-error.h"
#include "hl-keyschedule.h"
#include "hl-signature.h"
#include "hl-pipe.h"
#include "hl-pki.h"
#include "hl-trace-private.h"

/*
 * Sections: run state · helpers · captions · pending items and records · GnuTLS callbacks ·
 * sessions · driving the handshake · application data · negotiated values · public API.
 *
 * Order of events: everything runs in one thread, so the order in which callbacks fire is the
 * real causal order. Outgoing handshake messages are hooked when GnuTLS queues them (before
 * encryption); they are appended to the trace when the record that carries them is pushed to
 * the pipe, right after that record. Local actions are appended when they happen.
 */

#define MAX_ROUNDS 64
#define REQUEST "GET / HTTP/1.1\r\nHost: " HL_PKI_SERVER_NAME "\r\n\r\n"
#define RESPONSE "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\n" \
                 "Hello from the server"

static Peer *
peer_of (Run *run, HlSide side)
{
  return &run->peers[side == HL_SIDE_CLIENT ? 0 : 1];
}

static Peer *
other_of (Peer *peer)
{
  return peer_of (peer->run, peer->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT);
}

static const char *
who (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "client" : "server";
}

static const char *
Who (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "Client" : "Server";
}

/* The session that speaks for @peer: its own, or ours when it is a remote peer (both ends of
 * one connection agree on what was negotiated). */
static gnutls_session_t
session_of (Peer *peer)
{
  return peer->session != NULL ? peer->session : other_of (peer)->session;
}

static gboolean
is_tls13 (Peer *peer)
{
  return gnutls_protocol_get_version (session_of (peer)) == GNUTLS_TLS1_3;
}

static gint64
run_time (Run *run)
{
  return run->transport ? hl_socket_transport_get_time (run->transport)
                        : hl_pipe_get_time (run->pipe);
}

static void
set_error (Run *run, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
set_error (Run *run, int code, const char *format, ...)
{
  va_list args;

  if (run->error != NULL)
    return;
  va_start (args, format);
  run->error = g_error_new_valist (HL_ENGINE_ERROR, code, format, args);
  va_end (args);
}

/* Short hex for technical lines: the first 8 bytes and the length. */
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
  g_string_append_printf (s, " (%" G_GSIZE_FORMAT " bytes)", n);
  return g_string_free (s, FALSE);
}

static GBytes *
datum_bytes (const gnutls_datum_t *d)
{
  return g_bytes_new (d->data, d->size);
}

/* Event creation */

static HlEvent *
new_event (Run *run, HlEventKind kind, HlSide side, HlSide peer, const char *name)
{
  HlEvent *event = hl_event_new (kind, side, peer, name);

  hl_event_set_handshake (event, run->handshake);
  return event;
}

/* Causal order (see hl-event.h): every event takes the next key when it is appended, and a
 * wire item a new one when its receiver processes it; the trace is sorted by them at the end. */
static void
take_key (Run *run, HlEvent *event)
{
  guint index = hl_event_get_index (event);

  /* the attacker's two connections share one order (hl-mitm.c) */
  if (run->order != NULL)
    run = run->order;
  if (run->keys == NULL)
    run->keys = g_array_new (FALSE, TRUE, sizeof (guint64));
  if (run->keys->len <= index)
    g_array_set_size (run->keys, index + 1);
  /* spaced, so that unread items can be slotted in after their flight (settle_order) */
  g_array_index (run->keys, guint64, index) = ++run->moment * 1024;
}

static HlEvent *
append_at (Run *run, HlEvent *event, gint64 timestamp)
{
  hl_event_set_timestamp (event, timestamp);
  event = hl_trace_append (run->trace, event);
  take_key (run, event);
  return event;
}

static HlEvent *
append (Run *run, HlEvent *event)
{
  return append_at (run, event, run_time (run));
}

static guint
side_index (HlSide side)
{
  return side == HL_SIDE_CLIENT ? 0 : 1;
}

/* The receiver processed the wire item at @index now: it moves there. */
static void
mark_processed (Run *run, guint index)
{
  HlEvent *event = hl_trace_get_event (run->trace, index);

  if (hl_event_get_moment (event) == HL_MOMENT_PROCESSED)
    return;
  hl_event_set_moment (event, HL_MOMENT_PROCESSED, hl_event_get_timestamp (event));
  hl_event_set_timestamp (event, run_time (run));
  take_key (run, event);
}

/* The pipe: @receiver starts reading the oldest record it has not read. Alerts, CCS and
 * application data in it are processed with it; handshake messages when the receiver's hook
 * sees them (hook_cb), each in turn. */
static void
record_read_cb (HlSide receiver, gpointer user_data)
{
  Run *run = user_data;
  HlSide sender = receiver == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  gpointer head = g_queue_pop_head (&run->unread_records[side_index (sender)]);
  guint record;

  if (head == NULL)
    return;
  record = GPOINTER_TO_UINT (head) - 1;
  mark_processed (run, record);
  for (guint i = record + 1; i < hl_trace_get_n_events (run->trace); i++)
    {
      HlEvent *item = hl_trace_get_event (run->trace, i);

      if (hl_event_get_record (item) == (int) record &&
          hl_event_get_kind (item) != HL_EVENT_MESSAGE)
        mark_processed (run, i);
      else if (hl_event_get_record (item) == (int) record &&
               hl_event_get_content_type (item) == HL_CONTENT_CHANGE_CIPHER_SPEC)
        mark_processed (run, i);
    }
}

/* The receiver's hook saw a handshake message of @sender's (wire type @type). */
static void
message_processed (Run *run, HlSide sender, guint type)
{
  GQueue *queue = &run->unread_messages[side_index (sender)];

  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      guint index = GPOINTER_TO_UINT (l->data) - 1;
      HlEvent *event = hl_trace_get_event (run->trace, index);

      if ((guint) hl_event_get_handshake_type (event) != type)
        continue;
      /* messages before it that the receiver skipped are not read any more */
      while (queue->head != l)
        g_queue_pop_head (queue);
      g_queue_pop_head (queue);
      mark_processed (run, index);
      return;
    }
}

static HlEvent *
add_action (Run *run, HlSide side, HlSide peer, const char *name, HlCheck check,
            const char *caption, const char *technical)
{
  HlEvent *event = new_event (run, HL_EVENT_ACTION, side, peer, name);

  hl_event_set_check (event, check);
  hl_event_set_caption (event, caption);
  hl_event_set_technical (event, technical);
  return append (run, event);
}

/* Appends an action that happened right after the event at @after (a step only known once the
 * handshake is over, e.g. that a TLS 1.2 session was resumed): its key puts it there. */
static void
add_action_after (Run *run, guint after, HlSide side, const char *name, const char *caption,
                  const char *technical)
{
  HlEvent *event = add_action (run, side, HL_SIDE_NONE, name, HL_CHECK_NONE, caption, technical);
  guint index = hl_event_get_index (event);
  GArray *keys = run->order != NULL ? run->order->keys : run->keys;

  g_array_index (keys, guint64, index) = g_array_index (keys, guint64, after) + 1;
  hl_event_set_timestamp (event, hl_event_get_timestamp (hl_trace_get_event (run->trace, after)));
}

static void
add_secret (Run *run, const char *name, const char *label, GBytes *value, HlSide holder,
            HlSource source, const char *note)
{
  HlSecret *secret;
  GPtrArray *secrets = hl_trace_get_secrets (run->trace);

  /* Live: what our session reports are the connection's shared secrets, known to both ends;
   * the peer's private values never reach this function. */
  if (run->local != HL_SIDE_NONE && holder == run->local)
    holder = HL_SIDE_BOTH;

  /* Both sides usually report the same value; keep one entry, held by both. */
  for (guint i = 0; i < secrets->len; i++)
    {
      HlSecret *s = g_ptr_array_index (secrets, i);

      if (s->handshake != run->handshake || !g_str_equal (s->name, name))
        continue;
      if (value != NULL && s->value != NULL && !g_bytes_equal (s->value, value))
        {
          g_autofree char *other = g_strdup_printf ("%s (%s)", name, who (holder));

          secret = hl_secret_new (other, label, value, holder, source, run->handshake);
          secret->note = g_strdup_printf ("differs from the other side's value of %s", name);
          hl_trace_add_secret (run->trace, secret);
          return;
        }
      if (s->holder != holder && holder != HL_SIDE_NONE)
        s->holder = HL_SIDE_BOTH;
      return;
    }

  secret = hl_secret_new (name, label, value, holder, source, run->handshake);
  secret->note = g_strdup (note);
  hl_trace_add_secret (run->trace, secret);
}

/* Captions: plain words built from what was captured. */

static char *
message_caption (Peer *peer, guint type, gboolean hrr, const guint8 *body, gsize body_len)
{
  HlInnerSizes inner;
  guint8 *wire = g_malloc (body_len + 4);
  const char *w = Who (peer->side);
  gboolean tls13 = is_tls13 (peer);
  gnutls_kx_algorithm_t kx = gnutls_kx_get (session_of (peer));

  /* the sizes inside the message that the captions name, from the message itself */
  wire[0] = (guint8) type;
  wire[1] = (body_len >> 16) & 0xff;
  wire[2] = (body_len >> 8) & 0xff;
  wire[3] = body_len & 0xff;
  if (body_len > 0)
    memcpy (wire + 4, body, body_len);
  inner = hl_decoder_inner_sizes (wire, body_len + 4, tls13);
  g_free (wire);

  if (hrr)
    return g_strdup_printf ("The server cannot use the client's key share and asks it to try "
                            "again with the group it names (HelloRetryRequest, %" G_GSIZE_FORMAT
                            " bytes).", body_len);
  switch (type)
    {
    case GNUTLS_HANDSHAKE_CLIENT_HELLO:
      if (peer->after_hrr)
        /* RFC 8446 §4.1.2: the same random, a key share for the group the server named */
        return g_strdup_printf ("The client says hello again, now with a key share for the "
                                "group the server asked for; its random value and the rest stay "
                                "the same (a %" G_GSIZE_FORMAT "-byte body).", body_len);
      return g_strdup_printf ("The client says hello: the protocol versions, cipher suites and "
                              "extensions it supports, and a fresh random value — all in the "
                              "clear (a %" G_GSIZE_FORMAT "-byte body).", body_len);
    case GNUTLS_HANDSHAKE_SERVER_HELLO:
      /* The suite's name is only known once the handshake completes (collect_negotiated()
       * names it then). */
      return g_strdup ("The server answers with the protocol version and cipher suite it picked "
                       "from the client's offer, and its own random value.");
    case GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS:
      return g_strdup ("The server's remaining choices, already encrypted with the handshake "
                       "keys.");
    case GNUTLS_HANDSHAKE_CERTIFICATE_PKT:
      if (peer->side == HL_SIDE_SERVER)
        return g_strdup_printf ("The server sends its certificate (%" G_GSIZE_FORMAT " bytes of "
                                "DER): its name and public key, signed by a certificate "
                                "authority%s.", inner.certificate,
                                tls13 ? ", encrypted" : "");
      return body_len <= (tls13 ? 4u : 3u)
               ? g_strdup ("The client has no certificate to offer and sends an empty list.")
               : g_strdup_printf ("The client sends its own certificate (%" G_GSIZE_FORMAT
                                  " bytes of DER) so the server can check who it is.",
                                  inner.certificate);
    case GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE:
      /* RFC 8422 §5.4: curve_type, named_curve, then the point with a 1-byte length */
      return g_strdup_printf ("The server sends a fresh elliptic-curve public key for this "
                              "connection (a %" G_GSIZE_FORMAT "-byte point), signed with its "
                              "certificate's private key.", inner.point);
    case GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST:
      return g_strdup ("The server asks the client to prove its identity with a certificate.");
    case GNUTLS_HANDSHAKE_SERVER_HELLO_DONE:
      return g_strdup ("The server is done with its hello messages and waits for the client.");
    case GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE:
      if (kx == GNUTLS_KX_RSA)
        return g_strdup_printf ("The client sends the premaster secret, encrypted with the "
                                "server's RSA public key (%" G_GSIZE_FORMAT " bytes of "
                                "ciphertext): only the server's private key can open it.",
                                body_len > 2 ? body_len - 2 : body_len);
      return g_strdup_printf ("The client sends its own fresh elliptic-curve public key "
                              "(a %" G_GSIZE_FORMAT "-byte point).", inner.point);
    case GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY:
      return g_strdup_printf ("The %s signs a hash of the handshake so far with its private key, "
                              "proving it owns the certificate it sent.", who (peer->side));
    case GNUTLS_HANDSHAKE_FINISHED:
      return g_strdup_printf ("%s Finished: a %" G_GSIZE_FORMAT "-byte keyed hash of every "
                              "handshake message so far. If the other side computes the same "
                              "value, nobody tampered with the conversation.", w, body_len);
    case GNUTLS_HANDSHAKE_NEW_SESSION_TICKET:
      if (tls13 && !peer->read_finished)
        /* GnuTLS sends its tickets right after its own Finished */
        return g_strdup_printf ("The server gives the client a session ticket (%" G_GSIZE_FORMAT
                                " bytes) to resume this session later. It sends it before the "
                                "client's Finished has arrived, which RFC 8446 §4.6.1 allows.",
                                inner.ticket);
      return g_strdup_printf ("The server gives the client a session ticket (%" G_GSIZE_FORMAT
                              " bytes) to resume this session later without a full handshake.",
                              inner.ticket);
    case GNUTLS_HANDSHAKE_END_OF_EARLY_DATA:
      return g_strdup ("The client ends its early data.");
    default:
      return g_strdup_printf ("%s sends handshake message type %u (%" G_GSIZE_FORMAT " bytes).",
                              w, type, body_len);
    }
}

static const char *
message_name (guint type, gboolean hrr)
{
  const char *name;

  if (hrr)
    return "HelloRetryRequest";
  name = hl_handshake_type_name (type);
  return name ? name : "Unknown handshake message";
}

/* Pending items and records */

static void
queue_item (Peer *peer, HlEvent *event)
{
  hl_event_set_epoch (event, peer->write_epoch);
  g_queue_push_tail (&peer->pending, event);
}

static void
append_item (Run *run, HlEvent *item, int record_index)
{
  hl_event_set_record (item, record_index);
  item = append (run, item);
  if (run->local == HL_SIDE_NONE && hl_event_get_kind (item) == HL_EVENT_MESSAGE &&
      hl_event_get_content_type (item) == HL_CONTENT_HANDSHAKE)
    g_queue_push_tail (&run->unread_messages[side_index (hl_event_get_side (item))],
                       GUINT_TO_POINTER (hl_event_get_index (item) + 1));
}

static HlEvent *
alert_event (Run *run, HlSide sender, guint level, guint desc)
{
  const char *name = hl_alert_description_name (desc);
  HlEvent *event = new_event (run, HL_EVENT_ALERT, sender,
                              sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT,
                              name ? name : "alert");
  guint8 bytes[2] = { level, desc };
  g_autoptr(GBytes) b = g_bytes_new (bytes, 2);
  g_autofree char *tech = g_strdup_printf ("Alert · level %s (%u) · description %s (%u)",
                                           level == 2 ? "fatal" : "warning", level,
                                           name ? name : "?", desc);

  hl_event_set_bytes (event, b);
  hl_event_set_alert (event, level, desc);
  hl_event_set_content_type (event, HL_CONTENT_ALERT);
  hl_event_set_technical (event, tech);
  if (desc == GNUTLS_A_CLOSE_NOTIFY)
    {
      /* Either side may close first (a live server often does). */
      gboolean first = TRUE;
      g_autofree char *cap = NULL;

      for (guint i = hl_trace_get_n_events (run->trace); i-- > 0 && first;)
        {
          HlEvent *e = hl_trace_get_event (run->trace, i);

          if (hl_event_get_handshake (e) != run->handshake)
            break;
          first = !(hl_event_get_kind (e) == HL_EVENT_ALERT &&
                    hl_event_get_alert_description (e) == GNUTLS_A_CLOSE_NOTIFY);
        }
      cap = first ? g_strdup_printf ("The %s has nothing more to send and closes the connection "
                                     "cleanly (close_notify).", who (sender))
                  : g_strdup_printf ("The %s closes its side too (close_notify).", who (sender));
      hl_event_set_caption (event, cap);
    }
  else
    {
      g_autofree char *cap = g_strdup_printf ("The %s aborts the handshake and tells the %s why: "
                                              "%s.", who (sender),
                                              who (sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER
                                                                            : HL_SIDE_CLIENT),
                                              name ? name : "an unknown alert");
      hl_event_set_caption (event, cap);
    }
  return event;
}

static void
record_cb (HlSide sender, GBytes *record, gint64 timestamp, gpointer user_data)
{
  Run *run = user_data;
  Peer *peer = peer_of (run, sender);
  HlSide receiver = sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  gsize len;
  const guint8 *data = g_bytes_get_data (record, &len);
  guint type = data[0];
  gsize frag_len = len - 5;
  gboolean protected;
  HlEvent *rec;
  int rec_index;
  g_autofree char *tech = NULL;

  /* TLS 1.3 hides every protected record behind the application_data type (RFC 8446 §5.2);
   * in TLS 1.2 everything a side sends after its ChangeCipherSpec is protected. */
  protected = type == HL_CONTENT_APPLICATION_DATA ||
              (peer->ccs_sent && !is_tls13 (peer) && type != HL_CONTENT_CHANGE_CIPHER_SPEC);

  rec = new_event (run, HL_EVENT_RECORD, sender, receiver, "TLS record");
  hl_event_set_bytes (rec, record);
  hl_event_set_content_type (rec, type);
  hl_event_set_epoch (rec, protected ? peer->write_epoch : HL_EPOCH_PLAINTEXT);
  rec = append_at (run, rec, timestamp);
  rec_index = hl_event_get_index (rec);
  peer->last_record = rec_index;
  if (peer->remote)
    hl_event_set_moment (rec, HL_MOMENT_PROCESSED, -1); /* read now; sent who knows when */
  else if (run->local == HL_SIDE_NONE)
    g_queue_push_tail (&run->unread_records[side_index (sender)],
                       GUINT_TO_POINTER (rec_index + 1));

  if (peer->remote && (type == HL_CONTENT_HANDSHAKE || protected))
    {
      /* A remote peer's messages are known once our session has read them: its incoming hook
       * links each one to this record (hl_engine_add_remote_item()). */
      hl_event_set_caption (rec, protected
                                   ? "An encrypted record from the peer: on the wire it is opaque "
                                     "bytes; what is inside shows once it has been read."
                                   : "A record in the clear: anyone on the path can read it.");
      tech = g_strdup_printf ("record · %s · %" G_GSIZE_FORMAT " bytes (5 header + %"
                              G_GSIZE_FORMAT ") · %s", hl_content_type_name (type)
                                                         ? hl_content_type_name (type) : "?",
                              len, frag_len,
                              protected ? "protected" : "plaintext");
    }
  else if (!protected && type == HL_CONTENT_HANDSHAKE)
    {
      gsize left = frag_len;
      GString *names = g_string_new (NULL);

      while (left > 0)
        {
          if (peer->plain_left == 0)
            {
              HlEvent *item = g_queue_pop_head (&peer->pending);

              if (item == NULL)
                break;
              peer->plain_left = hl_event_get_length (item);
              g_string_append_printf (names, "%s%s", names->len ? ", " : "",
                                      hl_event_get_name (item));
              append_item (run, item, rec_index);
            }
          gsize n = MIN (left, peer->plain_left);
          left -= n;
          peer->plain_left -= n;
        }
      tech = g_strdup_printf ("record · handshake · %" G_GSIZE_FORMAT " bytes (5 header + %"
                              G_GSIZE_FORMAT ") · plaintext · carries %s", len, frag_len,
                              names->str);
      hl_event_set_caption (rec, "A record in the clear: anyone on the path can read it.");
      g_string_free (names, TRUE);
    }
  else if (!protected && type == HL_CONTENT_CHANGE_CIPHER_SPEC)
    {
      HlEvent *ccs = new_event (run, HL_EVENT_MESSAGE, sender, receiver, "ChangeCipherSpec");
      g_autoptr(GBytes) body = g_bytes_new (data + 5, frag_len);

      hl_event_set_bytes (ccs, body);
      hl_event_set_content_type (ccs, HL_CONTENT_CHANGE_CIPHER_SPEC);
      hl_event_set_epoch (ccs, HL_EPOCH_PLAINTEXT);
      if (is_tls13 (peer))
        {
          hl_event_set_caption (ccs, "A dummy ChangeCipherSpec that TLS 1.3 sends only so that old "
                                     "middleboxes let the connection through (RFC 8446 §D.4); "
                                     "it changes nothing.");
          hl_event_set_technical (ccs, "ChangeCipherSpec · 1 byte · middlebox compatibility");
          append_item (run, ccs, rec_index);
        }
      else
        {
          g_autofree char *cap = g_strdup_printf ("The %s switches to the session keys: "
                                                  "everything it sends from now on is "
                                                  "encrypted.", who (sender));
          hl_event_set_caption (ccs, cap);
          hl_event_set_technical (ccs, "ChangeCipherSpec · 1 byte · RFC 5246 §7.1");
          append_item (run, ccs, rec_index);
          peer->ccs_sent = TRUE;
          peer->write_epoch = HL_EPOCH_APPLICATION;
        }
      hl_event_set_caption (rec, "A record in the clear carrying ChangeCipherSpec.");
      tech = g_strdup_printf ("record · change_cipher_spec · %" G_GSIZE_FORMAT " bytes", len);
    }
  else if (!protected && type == HL_CONTENT_ALERT)
    {
      HlEvent *head = g_queue_peek_head (&peer->pending);

      if (head && hl_event_get_kind (head) == HL_EVENT_ALERT)
        append_item (run, g_queue_pop_head (&peer->pending), rec_index);
      else if (frag_len == 2)
        /* GnuTLS sent this alert on its own: take it from the wire. */
        append_item (run, alert_event (run, sender, data[5], data[6]), rec_index);
      hl_event_set_caption (rec, "An alert record in the clear.");
      tech = g_strdup_printf ("record · alert · %" G_GSIZE_FORMAT " bytes · plaintext", len);
    }
  else
    {
      HlEvent *item = g_queue_pop_head (&peer->pending);
      const char *what = item ? hl_event_get_name (item) : "unknown content";
      g_autofree char *cap = NULL;

      if (item)
        hl_event_set_epoch (rec, hl_event_get_epoch (item));
      cap = g_strdup_printf ("An encrypted record: %" G_GSIZE_FORMAT " bytes on the wire, a "
                             "5-byte header anyone can read and %" G_GSIZE_FORMAT " opaque bytes; "
                             "inside is %s.", len, frag_len, what);
      hl_event_set_caption (rec, cap);
      tech = g_strdup_printf ("record · %s · %" G_GSIZE_FORMAT " bytes · protected with %s keys",
                              hl_content_type_name (type) ? hl_content_type_name (type) : "?",
                              len, hl_epoch_to_string (hl_event_get_epoch (rec)));
      if (item)
        append_item (run, item, rec_index);
    }
  hl_event_set_technical (rec, tech);
}

/* GnuTLS callbacks */

static void
queue_message (Peer *peer, guint htype, const gnutls_datum_t *msg)
{
  Run *run = peer->run;
  gboolean hrr = htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST;
  guint wire = hrr ? GNUTLS_HANDSHAKE_SERVER_HELLO : htype;
  HlSide receiver = peer->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  HlEvent *event = new_event (run, HL_EVENT_MESSAGE, peer->side, receiver,
                              message_name (wire, hrr));
  GByteArray *full = g_byte_array_sized_new (msg->size + 4);
  guint8 header[4] = { wire, (msg->size >> 16) & 0xff, (msg->size >> 8) & 0xff,
                       msg->size & 0xff };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *caption = message_caption (peer, wire, hrr, msg->data, msg->size);
  g_autofree char *tech = NULL;

  /* Hooks hand the body; the wire form has the 4-byte header (type, 24-bit length). */
  g_byte_array_append (full, header, 4);
  g_byte_array_append (full, msg->data, msg->size);
  bytes = g_byte_array_free_to_bytes (full);

  tech = g_strdup_printf ("%s · handshake type %u · 4-byte header + %u-byte body",
                          message_name (wire, hrr), wire, msg->size);
  hl_event_set_bytes (event, bytes);
  hl_event_set_content_type (event, HL_CONTENT_HANDSHAKE);
  hl_event_set_handshake_type (event, wire);
  hl_event_set_caption (event, caption);
  hl_event_set_technical (event, tech);
  queue_item (peer, event);
}

/* RSA key exchange: the ClientKeyExchange body is a 2-byte length and the PKCS#1 v1.5
 * ciphertext (RFC 5246 §7.4.7.1). The server's private key opens it, as the server does. */
static void
decrypt_premaster (Peer *client, const gnutls_datum_t *body)
{
  Run *run = client->run;
  gnutls_datum_t ct, pms = { NULL, 0 };
  int rc;

  if (body->size < 2 || (gsize) ((body->data[0] << 8) | body->data[1]) != body->size - 2)
    {
      add_action (run, HL_SIDE_CLIENT, HL_SIDE_NONE, "Premaster secret unreadable",
                  HL_CHECK_FAILED, "The ClientKeyExchange does not have the expected layout.",
                  "ClientKeyExchange: length prefix does not match the body");
      return;
    }
  ct.data = body->data + 2;
  ct.size = body->size - 2;
  rc = gnutls_privkey_decrypt_data (run->server_privkey, 0, &ct, &pms);
  if (rc < 0)
    {
      g_autofree char *tech = g_strdup_printf ("gnutls_privkey_decrypt_data: %s (%d)",
                                               gnutls_strerror (rc), rc);
      add_secret (run, "premaster_secret", "Premaster secret", NULL, HL_SIDE_BOTH,
                  HL_SOURCE_DECRYPTED, "This GnuTLS refuses RSA PKCS#1 v1.5 decryption, so the "
                  "premaster secret could not be shown.");
      add_action (run, HL_SIDE_SERVER, HL_SIDE_NONE, "Premaster secret not decrypted",
                  HL_CHECK_FAILED, "The library refused to decrypt the premaster secret with the "
                  "server's key (RSA PKCS#1 v1.5 encryption is disabled here).", tech);
      return;
    }
  {
    g_autoptr(GBytes) value = g_bytes_new (pms.data, pms.size);
    g_autofree char *hex = short_hex (value);
    g_autofree char *cap = g_strdup_printf ("The client makes up a %u-byte premaster secret (2 "
                                            "version bytes and %u random bytes) and encrypts it "
                                            "with the RSA public key from the server's "
                                            "certificate.", pms.size,
                                            pms.size > 2 ? pms.size - 2 : 0);
    g_autofree char *tech = g_strdup_printf ("premaster_secret = %s · version %02x %02x · "
                                             "RSAES-PKCS1-v1_5 → %u-byte ciphertext", hex,
                                             pms.size > 1 ? pms.data[0] : 0,
                                             pms.size > 1 ? pms.data[1] : 0, ct.size);

    add_secret (run, "premaster_secret", "Premaster secret", value, HL_SIDE_BOTH,
                HL_SOURCE_DECRYPTED,
                "Decrypted from the ClientKeyExchange with the server's RSA private key.");
    if (client->pms_action)
      {
        hl_event_set_caption (client->pms_action, cap);
        hl_event_set_technical (client->pms_action, tech);
      }
  }
  gnutls_memset (pms.data, 0, pms.size);
  gnutls_free (pms.data);
}

static int
hook_cb (gnutls_session_t session, unsigned int htype, unsigned when, unsigned int incoming,
         const gnutls_datum_t *msg)
{
  Peer *peer = gnutls_session_get_ptr (session);
  Run *run = peer->run;
  HlSide other = peer->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  gboolean tls13 = is_tls13 (peer);

  if (!incoming && when == GNUTLS_HOOK_PRE)
    {
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
              add_action (run, HL_SIDE_CLIENT, HL_SIDE_NONE, "Compute the shared secret",
                          HL_CHECK_NONE,
                          "The client makes its own ephemeral key pair and combines its private "
                          "key with the server's public key: both sides arrive at the same "
                          "premaster secret without ever sending it.",
                          "ECDHE · the shared secret is held inside GnuTLS (no API exposes it)");
              add_secret (run, "premaster_secret", "Premaster secret (ECDHE shared secret)",
                          NULL, HL_SIDE_BOTH, HL_SOURCE_LIBRARY,
                          "Held inside GnuTLS: no API exposes the ECDHE shared secret.");
            }
        }
    }
  else if (!incoming && when == GNUTLS_HOOK_POST && msg != NULL)
    {
      queue_message (peer, htype, msg);
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
  else if (incoming && when == GNUTLS_HOOK_PRE)
    {
      if (htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST)
        peer->after_hrr = TRUE;
      if (htype == GNUTLS_HANDSHAKE_FINISHED)
        peer->read_finished = TRUE;
      if (run->local == HL_SIDE_NONE)
        message_processed (run, other, htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST
                                         ? GNUTLS_HANDSHAKE_SERVER_HELLO : htype);
      if (other_of (peer)->remote && msg != NULL)
        {
          /* The remote peer's message, as our session reads it (PRE: POST may hand a consumed
           * buffer). It lives in the record our transport handed over last. */
          queue_message (other_of (peer), htype, msg);
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
  else if (incoming && when == GNUTLS_HOOK_POST)
    {
      g_autofree char *cap = NULL;

      switch (htype)
        {
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
      g_autofree char *hex = short_hex (value);
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
static void
add_record_state (Peer *peer, HlEpoch epoch, gboolean want_read, gboolean want_write)
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
  add_record_state (peer, epoch, secret_read != NULL, secret_write != NULL);
  if (peer->levels_seen & (1u << epoch))
    return 0;
  peer->levels_seen |= 1u << epoch;

  if (epoch == HL_EPOCH_HANDSHAKE && gnutls_session_is_resumed (session))
    {
      cap = g_strdup_printf ("The %s runs the HKDF key schedule from the pre-shared key of the "
                             "ticket (the early secret) and a fresh ECDHE shared secret: the "
                             "handshake keys of this resumed connection.", who (peer->side));
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
                        "the handshake keys — only now can it decrypt what follows.");
      else
        cap = g_strdup ("The server combines the client's public key share with its own private "
                        "one (ECDHE) and runs the HKDF key schedule: handshake keys. Everything "
                        "it sends after ServerHello is encrypted with them.");
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
                          "already derives the application traffic secrets and keys from the "
                          "master secret and that transcript; the client will derive the same "
                          "ones once it has read the flight.")
              : g_strdup ("The client derives the application traffic secrets and keys from the "
                          "master secret and the transcript up to the server's Finished.");
      add_action (run, peer->side, HL_SIDE_NONE, "Derive the application keys", HL_CHECK_NONE,
                  cap, "HKDF: master secret → c/s ap traffic secrets → keys and IVs");
      add_secret (run, "master_secret_13", "Master secret (TLS 1.3)", NULL, HL_SIDE_BOTH,
                  HL_SOURCE_LIBRARY, "Held inside GnuTLS: no API exposes it.");
    }
  return 0;
}

static guint
alert_for_status (guint status)
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

static int
verify_cb (gnutls_session_t session)
{
  Peer *peer = gnutls_session_get_ptr (session);
  Run *run = peer->run;
  const char *hostname = peer->side != HL_SIDE_CLIENT ? NULL
                         : run->hostname ? run->hostname : HL_PKI_SERVER_NAME;
  const char *anchor = run->trust ? run->trust : "the authority it trusts";
  unsigned status = 0;
  int rc = gnutls_certificate_verify_peers3 (session, hostname, &status);
  gboolean trusted = rc == 0 && status == 0;
  g_autofree char *text = NULL;
  g_autofree char *cap = NULL;
  HlVerification *v;

  if (rc < 0)
    text = g_strdup_printf ("%s (%d)", gnutls_strerror (rc), rc);
  else
    {
      gnutls_datum_t out = { NULL, 0 };

      if (gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &out, 0) == 0)
        {
          text = g_strndup ((const char *) out.data, out.size);
          gnutls_free (out.data);
        }
      else
        text = g_strdup ("(no description)");
    }

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
  return trusted ? 0 : -1;
}

/* Sessions */

static gboolean
check_gnutls (Run *run, int rc, const char *what)
{
  if (rc >= 0)
    return TRUE;
  set_error (run, HL_ENGINE_ERROR_SETUP, "%s: %s (%d)", what, gnutls_strerror (rc), rc);
  return FALSE;
}

static HlIdentity
server_identity (const HlConfig *config)
{
  switch (config->failure)
    {
    case HL_FAILURE_UNTRUSTED_CA: return HL_IDENTITY_SERVER_UNTRUSTED;
    case HL_FAILURE_EXPIRED: return HL_IDENTITY_SERVER_EXPIRED;
    case HL_FAILURE_HOSTNAME: return HL_IDENTITY_SERVER_WRONG_HOST;
    default:
      return config->cert == HL_CERT_ECDSA ? HL_IDENTITY_SERVER_ECDSA : HL_IDENTITY_SERVER_RSA;
    }
}

static gboolean
setup_credentials (Run *run, GError **error)
{
  const HlConfig *config = run->config;
  gnutls_x509_privkey_t key;

  run->pki = hl_pki_get_default (error);
  if (run->pki == NULL)
    return FALSE;
  run->server_identity = server_identity (config);

  if (!check_gnutls (run, gnutls_certificate_allocate_credentials (&run->client_cred),
                     "allocating client credentials") ||
      !check_gnutls (run, gnutls_certificate_allocate_credentials (&run->server_cred),
                     "allocating server credentials"))
    return FALSE;

  if (!hl_pki_trust (run->pki, HL_IDENTITY_CA, run->client_cred, error) ||
      !hl_pki_trust (run->pki, HL_IDENTITY_CA, run->server_cred, error) ||
      !hl_pki_add_to_credentials (run->pki, run->server_identity, run->server_cred, error))
    return FALSE;
  if (config->client_auth && config->failure != HL_FAILURE_MISSING_CLIENT_CERT &&
      !hl_pki_add_to_credentials (run->pki, HL_IDENTITY_CLIENT, run->client_cred, error))
    return FALSE;
  gnutls_certificate_set_verify_function (run->client_cred, verify_cb);
  gnutls_certificate_set_verify_function (run->server_cred, verify_cb);

  key = hl_pki_get_key (run->pki, run->server_identity);
  if (!check_gnutls (run, gnutls_privkey_init (&run->server_privkey), "gnutls_privkey_init") ||
      !check_gnutls (run, gnutls_privkey_import_x509 (run->server_privkey, key, 0),
                     "importing the server key"))
    return FALSE;

  if (config->resumption &&
      !check_gnutls (run, gnutls_session_ticket_key_generate (&run->ticket_key),
                     "gnutls_session_ticket_key_generate"))
    return FALSE;
  return TRUE;
}

static void
peer_clear (Peer *peer)
{
  g_queue_clear_full (&peer->pending, g_object_unref);
  g_clear_pointer (&peer->session, gnutls_deinit);
}

static gboolean
setup_peer (Run *run, HlSide side)
{
  Peer *peer = peer_of (run, side);
  gboolean server = side == HL_SIDE_SERVER;
  g_autofree char *priority = hl_config_dup_priority (run->config, server);
  const char *err_pos = NULL;
  int rc;

  peer_clear (peer);
  memset (peer, 0, sizeof *peer);
  peer->run = run;
  peer->side = side;
  peer->last_record = -1;
  g_queue_init (&peer->pending);

  rc = gnutls_init (&peer->session, (server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NONBLOCK);
  if (!check_gnutls (run, rc, "gnutls_init"))
    return FALSE;
  gnutls_session_set_ptr (peer->session, peer);

  rc = gnutls_priority_set_direct (peer->session, priority, &err_pos);
  if (rc < 0)
    {
      set_error (run, HL_ENGINE_ERROR_SETUP, "priority string “%s” rejected at “%s”: %s",
                 priority, err_pos ? err_pos : "?", gnutls_strerror (rc));
      return FALSE;
    }
  rc = gnutls_credentials_set (peer->session, GNUTLS_CRD_CERTIFICATE,
                               server ? run->server_cred : run->client_cred);
  if (!check_gnutls (run, rc, "gnutls_credentials_set"))
    return FALSE;

  if (server)
    {
      if (run->config->client_auth)
        gnutls_certificate_server_set_request (peer->session, GNUTLS_CERT_REQUIRE);
      if (run->config->resumption &&
          !check_gnutls (run, gnutls_session_ticket_enable_server (peer->session,
                                                                   &run->ticket_key),
                         "gnutls_session_ticket_enable_server"))
        return FALSE;
    }
  else if (!check_gnutls (run, gnutls_server_name_set (peer->session, GNUTLS_NAME_DNS,
                                                       HL_PKI_SERVER_NAME,
                                                       strlen (HL_PKI_SERVER_NAME)),
                          "gnutls_server_name_set"))
    return FALSE;

  hl_pipe_attach (run->pipe, side, peer->session);
  if (run->capture)
    {
      gnutls_handshake_set_hook_function (peer->session, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_BOTH,
                                          hook_cb);
      gnutls_session_set_keylog_function (peer->session, keylog_cb);
      gnutls_handshake_set_secret_function (peer->session, secret_cb);
    }
  return TRUE;
}

/* Driving the handshake */

static guint64
traffic (Run *run)
{
  return hl_pipe_get_pushed (run->pipe, HL_SIDE_CLIENT) +
         hl_pipe_get_pushed (run->pipe, HL_SIDE_SERVER) +
         hl_pipe_get_pending (run->pipe, HL_SIDE_CLIENT) +
         hl_pipe_get_pending (run->pipe, HL_SIDE_SERVER);
}

/* GnuTLS 3.7.9 does not send an alert when its own handshake fails: send the appropriate one
 * (certificate problems get the precise code, RFC 5246 §7.2.2) so the peer learns why. */
static void
send_failure_alert (Peer *peer, int rc)
{
  Run *run = peer->run;
  int level = GNUTLS_AL_FATAL;
  int desc;

  if (peer->verified && peer->verify_result == HL_CHECK_FAILED)
    desc = alert_for_status (peer->verify_status);
  else if (rc == GNUTLS_E_NO_CERTIFICATE_FOUND && peer->side == HL_SIDE_SERVER)
    /* RFC 5246 §7.4.6 (handshake_failure); RFC 8446 §4.4.2.4 (certificate_required) */
    desc = is_tls13 (peer) ? GNUTLS_A_CERTIFICATE_REQUIRED : GNUTLS_A_HANDSHAKE_FAILURE;
  else
    desc = gnutls_error_to_alert (rc, &level);
  if (desc < 0)
    return;

  if (run->capture)
    {
      HlEvent *event = alert_event (run, peer->side, level, desc);

      hl_event_set_epoch (event, peer->write_epoch);
      /* Alerts go out ahead of anything still unsent in the flight. */
      g_queue_push_head (&peer->pending, event);
    }

  gnutls_alert_send (peer->session, level, desc);
}

/* Plain words for the failures the scenarios provoke; GnuTLS's own text otherwise. */
static const char *
failure_reason (Peer *peer, int rc)
{
  switch (rc)
    {
    case GNUTLS_E_NO_CERTIFICATE_FOUND:
      return peer->side == HL_SIDE_SERVER ? "the client sent no certificate, but this server "
                                            "requires one"
                                          : "no certificate was found";
    case GNUTLS_E_UNSUPPORTED_VERSION_PACKET:
      return "the other side offers no protocol version it accepts";
    case GNUTLS_E_NO_CIPHER_SUITES:
    case GNUTLS_E_UNKNOWN_CIPHER_SUITE:
    case GNUTLS_E_INSUFFICIENT_CREDENTIALS:
      return "the two sides have no cipher suite in common";
    default:
      return gnutls_strerror (rc);
    }
}

static void
peer_failed (Peer *peer, int rc)
{
  Run *run = peer->run;
  g_autofree char *tech = NULL;

  peer->state = PEER_FAILED;
  peer->rc = rc;
  if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED)
    {
      gnutls_alert_description_t desc = gnutls_alert_get (peer->session);
      const char *name = hl_alert_description_name (desc);
      g_autofree char *cap = g_strdup_printf ("The %s receives the %s alert and abandons the "
                                              "connection.", who (peer->side),
                                              name ? name : "fatal");

      if (run->capture)
        {
          tech = g_strdup_printf ("%s: %s (%d)", name ? name : "?", gnutls_strerror (rc), rc);
          add_action (run, peer->side, HL_SIDE_NONE, "Abort on alert", HL_CHECK_FAILED, cap,
                      tech);
        }
      return;
    }

  if (run->capture && !(peer->verified && peer->verify_result == HL_CHECK_FAILED))
    {
      g_autofree char *cap = g_strdup_printf ("The %s cannot continue: %s.", who (peer->side),
                                              failure_reason (peer, rc));

      tech = g_strdup_printf ("gnutls_handshake: %s (%d)", gnutls_strerror (rc), rc);
      add_action (run, peer->side, HL_SIDE_NONE, "Abort the handshake", HL_CHECK_FAILED, cap,
                  tech);
    }
  send_failure_alert (peer, rc);
}

static gboolean
drive_handshake (Run *run, GCancellable *cancellable, GError **error)
{
  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      gboolean progress = FALSE;
      Peer *c = peer_of (run, HL_SIDE_CLIENT);
      Peer *s = peer_of (run, HL_SIDE_SERVER);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      for (guint i = 0; i < 2; i++)
        {
          Peer *peer = &run->peers[i];
          guint64 before = traffic (run);
          int rc;

          if (peer->state != PEER_RUNNING)
            continue;
          rc = gnutls_handshake (peer->session);
          if (rc == GNUTLS_E_SUCCESS)
            {
              peer->state = PEER_DONE;
              progress = TRUE;
            }
          else if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED ||
                   !gnutls_error_is_fatal (rc))
            progress |= traffic (run) != before;
          else
            {
              peer_failed (peer, rc);
              progress = TRUE;
            }
        }

      if (c->state == PEER_DONE && s->state == PEER_DONE)
        return TRUE;
      if (c->state == PEER_FAILED && s->state == PEER_FAILED)
        return TRUE;
      /* One side failed and the other already finished: it learns in the record phase. */
      if ((c->state == PEER_FAILED || s->state == PEER_FAILED) &&
          (c->state == PEER_DONE || s->state == PEER_DONE))
        return TRUE;
      if (!progress)
        {
          if (c->state == PEER_FAILED || s->state == PEER_FAILED)
            return TRUE; /* the survivor waits for data that will never come */
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_STALLED,
                       "the handshake stalled: neither side made progress (client %s, server %s)",
                       c->state == PEER_DONE ? "done" : "waiting",
                       s->state == PEER_DONE ? "done" : "waiting");
          return FALSE;
        }
    }
  g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_STALLED,
               "the handshake did not finish in %d rounds", MAX_ROUNDS);
  return FALSE;
}

/* Application data */

static char *
app_data_caption (HlSide sender, gsize len)
{
  return g_strdup_printf ("The %s sends %" G_GSIZE_FORMAT " bytes of %s, encrypted and "
                          "authenticated with the session keys: an eavesdropper sees only their "
                          "length.", who (sender), len,
                          sender == HL_SIDE_CLIENT ? "an HTTP request" : "an HTTP response");
}

static gboolean
send_bytes (Peer *peer, const char *name, const char *caption, const char *text, gsize len,
            GError **error)
{
  Run *run = peer->run;
  ssize_t rc;

  if (run->capture)
    {
      HlSide other = other_of (peer)->side;
      HlEvent *event = new_event (run, HL_EVENT_APP_DATA, peer->side, other, name);
      g_autoptr(GBytes) bytes = g_bytes_new (text, len);
      g_autofree char *cap = caption ? g_strdup (caption) : app_data_caption (peer->side, len);
      g_autofree char *tech = g_strdup_printf ("application_data · %" G_GSIZE_FORMAT
                                               " bytes of plaintext", len);

      hl_event_set_bytes (event, bytes);
      hl_event_set_content_type (event, HL_CONTENT_APPLICATION_DATA);
      hl_event_set_caption (event, cap);
      hl_event_set_technical (event, tech);
      peer->write_epoch = HL_EPOCH_APPLICATION;
      queue_item (peer, event);
    }
  while (len > 0)
    {
      do
        rc = gnutls_record_send (peer->session, text, len);
      while (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED);
      if (rc < 0)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_GNUTLS,
                       "%s could not send application data: %s (%d)", who (peer->side),
                       gnutls_strerror ((int) rc), (int) rc);
          return FALSE;
        }
      text += rc;
      len -= (gsize) rc;
    }
  return TRUE;
}

static gboolean
send_data (Peer *peer, const char *text, GError **error)
{
  return send_bytes (peer, peer->side == HL_SIDE_CLIENT ? "Request" : "Response", NULL, text,
                     strlen (text), error);
}

/* Reads whatever is queued for @peer. Returns the GnuTLS result of the last read: bytes,
 * 0 for close_notify, GNUTLS_E_AGAIN when the queue is empty, or an error. */
static ssize_t
receive (Peer *peer, GString *into)
{
  HlPipe *pipe = peer->run->pipe;
  char buf[4096];
  ssize_t rc;

  for (;;)
    {
      rc = gnutls_record_recv (peer->session, buf, sizeof buf);
      if (rc > 0)
        {
          g_string_append_len (into, buf, rc);
          continue;
        }
      /* A post-handshake message (TLS 1.3 NewSessionTicket) also ends a read with EAGAIN. */
      if (rc == GNUTLS_E_INTERRUPTED ||
          (rc == GNUTLS_E_AGAIN && hl_pipe_get_pending (pipe, peer->side) > 0))
        continue;
      return rc;
    }
}

static void
add_close_notify (Peer *peer)
{
  Run *run = peer->run;

  if (run->capture)
    {
      HlEvent *event = alert_event (run, peer->side, GNUTLS_AL_WARNING, GNUTLS_A_CLOSE_NOTIFY);

      hl_event_set_epoch (event, peer->write_epoch);
      g_queue_push_tail (&peer->pending, event);
    }
}

static gboolean
exchange_data (Run *run, GError **error)
{
  Peer *c = peer_of (run, HL_SIDE_CLIENT);
  Peer *s = peer_of (run, HL_SIDE_SERVER);
  g_autoptr(GString) got = g_string_new (NULL);
  ssize_t rc;

  if (!send_data (c, REQUEST, error))
    return FALSE;
  rc = receive (s, got);
  if (rc != GNUTLS_E_AGAIN || !g_str_equal (got->str, REQUEST))
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the server did not receive the request (%s)",
                   rc < 0 ? gnutls_strerror ((int) rc) : "unexpected data");
      return FALSE;
    }
  g_string_truncate (got, 0);
  if (!send_data (s, RESPONSE, error))
    return FALSE;
  rc = receive (c, got);
  if (rc != GNUTLS_E_AGAIN || !g_str_equal (got->str, RESPONSE))
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the client did not receive the response (%s)",
                   rc < 0 ? gnutls_strerror ((int) rc) : "unexpected data");
      return FALSE;
    }

  /* close_notify both ways (RFC 8446 §6.1) */
  add_close_notify (c);
  gnutls_bye (c->session, GNUTLS_SHUT_WR);
  rc = receive (s, got);
  if (rc != 0)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the server did not see the client's close_notify (%s)",
                   gnutls_strerror ((int) rc));
      return FALSE;
    }
  add_close_notify (s);
  gnutls_bye (s->session, GNUTLS_SHUT_WR);
  rc = receive (c, got);
  if (rc != 0)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                   "the client did not see the server's close_notify (%s)",
                   gnutls_strerror ((int) rc));
      return FALSE;
    }
  return TRUE;
}

/* After a failed handshake where one side thinks it is done (TLS 1.3 client), it only sees the
 * alert when it reads. */
static void
deliver_alert (Run *run)
{
  for (guint i = 0; i < 2; i++)
    {
      Peer *peer = &run->peers[i];
      g_autoptr(GString) ignored = g_string_new (NULL);
      ssize_t rc;

      if (peer->state != PEER_DONE || hl_pipe_get_pending (run->pipe, peer->side) == 0)
        continue;
      rc = receive (peer, ignored);
      if (rc < 0 && rc != GNUTLS_E_AGAIN)
        peer_failed (peer, (int) rc);
    }
}

/* Negotiated values */

static void
collect_negotiated (Run *run)
{
  /* the client's view, or ours when the client is a remote peer */
  Peer *c = peer_of (run, run->local == HL_SIDE_SERVER ? HL_SIDE_SERVER : HL_SIDE_CLIENT);
  gnutls_session_t s = c->session;
  HlNegotiated *neg = g_new0 (HlNegotiated, 1);
  gnutls_datum_t cr = { 0 }, sr = { 0 }, id = { 0 };
  gnutls_protocol_t version = gnutls_protocol_get_version (s);
  gnutls_group_t group = gnutls_group_get (s);
  gnutls_sign_algorithm_t sign = gnutls_sign_algorithm_get (s);
  gboolean known = version != GNUTLS_VERSION_UNKNOWN && c->state == PEER_DONE;

  neg->handshake = run->handshake;
  if (version != GNUTLS_VERSION_UNKNOWN)
    neg->version = g_strdup (gnutls_protocol_get_name (version));
  if (known)
    {
      neg->cipher_suite = g_strdup (gnutls_ciphersuite_get (s));
      if (version == GNUTLS_TLS1_3)
        neg->kx = g_strdup (gnutls_session_is_resumed (s) ? "PSK + (EC)DHE" : "(EC)DHE");
      else
        neg->kx = g_strdup (gnutls_kx_get_name (gnutls_kx_get (s)));
      neg->cipher = g_strdup (gnutls_cipher_get_name (gnutls_cipher_get (s)));
      neg->mac = g_strdup (gnutls_mac_get_name (gnutls_mac_get (s)));
      if (group != GNUTLS_GROUP_INVALID)
        neg->group = g_strdup (gnutls_group_get_name (group));
      if (sign != GNUTLS_SIGN_UNKNOWN)
        neg->signature = g_strdup (gnutls_sign_get_name (sign));
      neg->ems = gnutls_session_ext_master_secret_status (s) != 0;
      neg->etm = gnutls_session_etm_status (s) != 0;
      neg->resumed = gnutls_session_is_resumed (s) != 0;
      neg->client_auth = gnutls_certificate_get_ours (s) != NULL;
    }
  gnutls_session_get_random (s, &cr, &sr);
  if (cr.size)
    neg->client_random = datum_bytes (&cr);
  if (sr.size && known)
    neg->server_random = datum_bytes (&sr);
  if (gnutls_session_get_id2 (s, &id) == 0 && id.size > 0)
    neg->session_id = datum_bytes (&id);
  hl_trace_add_negotiated (run->trace, neg);

  if (neg->cipher_suite)
    {
      /* GnuTLS says "TLS1.2"; people write "TLS 1.2" */
      g_autofree char *pretty = g_str_has_prefix (neg->version, "TLS1.")
                                  ? g_strdup_printf ("TLS %s", neg->version + 3)
                                  : g_strdup (neg->version);
      g_autofree char *cap = g_strdup_printf ("The server answers with its choice from the "
                                              "client's offer — %s with %s — and its own random "
                                              "value.", pretty, neg->cipher_suite);

      for (guint i = 0; i < hl_trace_get_n_events (run->trace); i++)
        {
          HlEvent *event = hl_trace_get_event (run->trace, i);

          if (hl_event_get_handshake (event) == run->handshake &&
              hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
              g_str_equal (hl_event_get_name (event), "ServerHello"))
            hl_event_set_caption (event, cap);
        }
    }

  /* A resumed TLS 1.2 handshake reports no key derivation (no key log call, no hook for it):
   * each side took the master secret of the ticket when it read the other's hello (RFC 5077
   * §3.1) and expanded it with the new random values. */
  if (known && version != GNUTLS_TLS1_3 && neg->resumed && run->local == HL_SIDE_NONE)
    for (guint i = 0; i < hl_trace_get_n_events (run->trace); i++)
      {
        HlEvent *event = hl_trace_get_event (run->trace, i);
        gboolean sh = g_strcmp0 (hl_event_get_name (event), "ServerHello") == 0;

        if (hl_event_get_handshake (event) != run->handshake ||
            hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
            (!sh && g_strcmp0 (hl_event_get_name (event), "ClientHello") != 0))
          continue;
        if (sh)
          add_action_after (run, i, HL_SIDE_CLIENT, "Resume the session",
                            "The server accepted the ticket: the client takes the master secret "
                            "of the earlier session and expands it with the two new random "
                            "values into this connection's session keys — no certificates, no "
                            "key exchange.",
                            "session resumed · key_block = PRF(master_secret, \"key expansion\", "
                            "server_random ‖ client_random) (RFC 5077, RFC 5246 §6.3)");
        else
          add_action_after (run, i, HL_SIDE_SERVER, "Resume the session",
                            "The server opens the client's ticket with its ticket key, finds the "
                            "master secret of the earlier session in it, and expands it with the "
                            "two new random values into this connection's session keys.",
                            "ticket decrypted with the server's ticket key (RFC 5077 §4) · "
                            "key_block = PRF(master_secret, \"key expansion\", server_random ‖ "
                            "client_random)");
      }

  /* TLS 1.2 keys: the key block's pieces as the record layer uses them. A resumed TLS 1.2
   * session never calls the key log, so take its master secret directly. */
  if (known && version != GNUTLS_TLS1_3)
    {
      if (hl_trace_find_secret (run->trace, "master_secret", run->handshake) == NULL)
        {
          gnutls_datum_t ms = { 0 };
          g_autoptr(GBytes) value = NULL;

          gnutls_session_get_master_secret (s, &ms);
          value = datum_bytes (&ms);
          add_secret (run, "master_secret", "Master secret", value, HL_SIDE_BOTH,
                      HL_SOURCE_LIBRARY, neg->resumed ? "Reused from the resumed session." : NULL);
        }
      for (guint i = 0; i < 2; i++)
        if (run->peers[i].session != NULL)
          add_record_state (&run->peers[i], HL_EPOCH_APPLICATION, TRUE, TRUE);
    }
}

static void
flush_leftovers (Run *run)
{
  /* Items GnuTLS queued but never put on the wire (a flight cut short by a failure). */
  for (guint i = 0; i < 2; i++)
    {
      HlEvent *item;

      while ((item = g_queue_pop_head (&run->peers[i].pending)))
        g_object_unref (item);
    }
}

static void
run_clear (Run *run)
{
  for (guint i = 0; i < 2; i++)
    peer_clear (&run->peers[i]);
  g_clear_pointer (&run->server_privkey, gnutls_privkey_deinit);
  g_clear_pointer (&run->client_cred, gnutls_certificate_free_credentials);
  g_clear_pointer (&run->server_cred, gnutls_certificate_free_credentials);
  if (run->ticket_key.data)
    {
      gnutls_memset (run->ticket_key.data, 0, run->ticket_key.size);
      gnutls_free (run->ticket_key.data);
      run->ticket_key.data = NULL;
    }
  g_clear_pointer (&run->pipe, hl_pipe_free);
  hl_engine_clear_order (run);
  g_clear_error (&run->error);
}

/* One connection: handshake, then (if it succeeded) data and close. */
static gboolean
run_connection (Run *run, const gnutls_datum_t *resume_data, GCancellable *cancellable,
                GError **error)
{
  Peer *c, *s;

  hl_pipe_reset (run->pipe);
  if (!setup_peer (run, HL_SIDE_CLIENT) || !setup_peer (run, HL_SIDE_SERVER))
    {
      g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  c = peer_of (run, HL_SIDE_CLIENT);
  s = peer_of (run, HL_SIDE_SERVER);
  if (resume_data != NULL &&
      !check_gnutls (run, gnutls_session_set_data (c->session, resume_data->data,
                                                   resume_data->size),
                     "gnutls_session_set_data"))
    {
      g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }

  if (!drive_handshake (run, cancellable, error))
    return FALSE;

  if (c->state == PEER_DONE && s->state == PEER_DONE)
    {
      if (!exchange_data (run, error))
        return FALSE;
    }
  else
    deliver_alert (run);

  if (run->capture)
    {
      collect_negotiated (run);
      flush_leftovers (run);
    }
  return TRUE;
}

static void
set_outcome (Run *run)
{
  Peer *c = peer_of (run, HL_SIDE_CLIENT);
  Peer *s = peer_of (run, HL_SIDE_SERVER);
  HlOutcome outcome = { 0 };
  g_autofree char *cerr = NULL;
  g_autofree char *serr = NULL;

  outcome.client_ok = c->state == PEER_DONE;
  outcome.server_ok = s->state == PEER_DONE;
  if (c->state == PEER_FAILED)
    outcome.client_error = cerr = g_strdup_printf ("%s (%d)", gnutls_strerror (c->rc), c->rc);
  if (s->state == PEER_FAILED)
    outcome.server_error = serr = g_strdup_printf ("%s (%d)", gnutls_strerror (s->rc), s->rc);
  outcome.alert_sender = HL_SIDE_NONE;

  /* the fatal alert is the one the failing side sent (not received) */
  for (guint i = hl_trace_get_n_events (run->trace); i-- > 0;)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_ALERT && hl_event_get_alert_level (event) == 2)
        {
          outcome.alert_sender = hl_event_get_side (event);
          outcome.alert = hl_event_get_alert_description (event);
          break;
        }
    }
  hl_trace_set_outcome (run->trace, &outcome);
}

static gboolean
check_outcome (Run *run, GError **error)
{
  Peer *c = peer_of (run, HL_SIDE_CLIENT);
  Peer *s = peer_of (run, HL_SIDE_SERVER);
  gboolean ok = c->state == PEER_DONE && s->state == PEER_DONE;

  if (hl_config_expects_failure (run->config))
    {
      if (ok)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                       "the handshake succeeded although the scenario should fail");
          return FALSE;
        }
      return TRUE;
    }
  if (!ok)
    {
      Peer *failed = c->state == PEER_FAILED ? c : s;
      int rc = failed->rc;

      if (run->config->version == HL_VERSION_TLS12 && run->config->kx == HL_KX_RSA &&
          (rc == GNUTLS_E_UNWANTED_ALGORITHM || rc == GNUTLS_E_INSUFFICIENT_SECURITY ||
           rc == GNUTLS_E_NO_CIPHER_SUITES || rc == GNUTLS_E_UNKNOWN_CIPHER_SUITE ||
#ifdef GNUTLS_E_UNSUPPORTED_ENCRYPTION_ALGORITHM
           /* 3.8 with [overrides] allow-rsa-pkcs1-encrypt = false */
           rc == GNUTLS_E_UNSUPPORTED_ENCRYPTION_ALGORITHM ||
#endif
           rc == GNUTLS_E_DECRYPTION_FAILED))
        g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_REFUSED,
                     "GnuTLS %s refuses RSA key exchange (RSAES-PKCS1-v1_5), which this scenario "
                     "needs: the %s failed with “%s”. The system's GnuTLS configuration may "
                     "disable it (allow-rsa-pkcs1-encrypt).",
                     gnutls_check_version (NULL), who (failed->side), gnutls_strerror (rc));
      else
        g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                     "the handshake failed unexpectedly: the %s reported “%s” (%d)",
                     who (failed->side), gnutls_strerror (rc), rc);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_all (Run *run, GCancellable *cancellable, GError **error)
{
  gnutls_datum_t resume = { NULL, 0 };
  gboolean ok;

  run->pipe = hl_pipe_new ();
  hl_pipe_set_one_record_per_pull (run->pipe, TRUE);
  if (run->capture)
    {
      hl_pipe_set_record_func (run->pipe, record_cb, run);
      hl_pipe_set_read_func (run->pipe, record_read_cb, run);
    }

  if (!setup_credentials (run, error))
    {
      if (run->error)
        g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  if (run->capture)
    {
      hl_trace_set_ca_certificate (run->trace, hl_pki_get_certificate_der (run->pki,
                                                                           HL_IDENTITY_CA));
      hl_trace_set_server_key (run->trace, hl_pki_get_key_pem (run->pki, run->server_identity));
    }

  if (!run_connection (run, NULL, cancellable, error))
    return FALSE;

  if (run->config->resumption && !hl_config_expects_failure (run->config) &&
      peer_of (run, HL_SIDE_CLIENT)->state == PEER_DONE)
    {
      int rc = gnutls_session_get_data2 (peer_of (run, HL_SIDE_CLIENT)->session, &resume);

      if (rc < 0)
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_GNUTLS,
                       "gnutls_session_get_data2: %s (%d)", gnutls_strerror (rc), rc);
          return FALSE;
        }
      run->handshake = 1;
      if (run->capture)
        hl_trace_set_n_handshakes (run->trace, 2);
      ok = run_connection (run, &resume, cancellable, error);
      gnutls_free (resume.data);
      if (!ok)
        return FALSE;
      if (!gnutls_session_is_resumed (peer_of (run, HL_SIDE_CLIENT)->session))
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNEXPECTED,
                       "the second handshake was not resumed: it became a full handshake");
          return FALSE;
        }
    }

  if (run->capture)
    hl_engine_settle_order (run);
  if (run->capture && !hl_keyschedule_apply (run->trace, error))
    return FALSE;
  if (run->capture)
    hl_signature_apply (run->trace);
  if (run->capture)
    set_outcome (run);
  return check_outcome (run, error);
}

/* Shared with live mode (hl-engine-private.h) */

static gboolean
is_wire_item (HlEvent *event)
{
  HlEventKind kind = hl_event_get_kind (event);

  return kind == HL_EVENT_RECORD || kind == HL_EVENT_MESSAGE || kind == HL_EVENT_ALERT ||
         kind == HL_EVENT_APP_DATA;
}

/* Wire items nobody was seen processing stand where they were sent; then the events are put
 * in causal order. */
void
hl_engine_settle_order (Run *run)
{
  guint n = hl_trace_get_n_events (run->trace);
  /* the latest key of each sender's wire items so far, per connection (an attacker runs two) */
  guint64 last[4] = { 0, 0, 0, 0 };
  guint slotted = 0;

  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);
      guint64 *key = run->keys && i < run->keys->len ? &g_array_index (run->keys, guint64, i)
                                                     : NULL;
      guint s = MIN (hl_event_get_handshake (event), 1) * 2 +
                side_index (hl_event_get_side (event));

      if (!is_wire_item (event))
        continue;
      if (hl_event_get_moment (event) == HL_MOMENT_NONE)
        {
          hl_event_set_moment (event, run->local == HL_SIDE_NONE ? HL_MOMENT_UNREAD
                                                                 : HL_MOMENT_SENT,
                               hl_event_get_timestamp (event));
          if (run->local == HL_SIDE_NONE && hl_event_get_kind (event) != HL_EVENT_RECORD)
            {
              g_autofree char *tech = g_strdup_printf ("%s%snever read: the %s stopped before "
                                                       "it", hl_event_get_technical (event),
                                                       *hl_event_get_technical (event) ? " · "
                                                                                       : "",
                                                       who (hl_event_get_peer (event)));

              hl_event_set_technical (event, tech);
            }
          /* A message the receiver never read still left after the ones before it in its
           * flight (TCP keeps their order): it stands after them and after what the receiver
           * did with them, just before the next thing on the wire. */
          if (key && *key < last[s])
            {
              guint64 next = G_MAXUINT64;

              for (guint j = 0; j < n; j++)
                {
                  guint64 k = g_array_index (run->keys, guint64, j);
                  HlEvent *other = hl_trace_get_event (run->trace, j);

                  if (k > last[s] && k < next && is_wire_item (other) &&
                      hl_event_get_moment (other) == HL_MOMENT_PROCESSED)
                    next = k;
                }
              *key = next == G_MAXUINT64 ? run->moment * 1024 + 512 + ++slotted
                                         : next - 512 + ++slotted;
            }
        }
      if (key)
        last[s] = MAX (last[s], *key);
    }
  if (run->keys != NULL && run->keys->len == n)
    hl_trace_sort_events (run->trace, (const guint64 *) (gpointer) run->keys->data);
  /* an unread item shown after later steps takes their time (its own is in sent_us) */
  for (guint i = 1; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);
      gint64 before = hl_event_get_timestamp (hl_trace_get_event (run->trace, i - 1));

      if (hl_event_get_timestamp (event) < before)
        hl_event_set_timestamp (event, before);
    }
}

void
hl_engine_clear_order (Run *run)
{
  g_clear_pointer (&run->keys, g_array_unref);
  for (guint i = 0; i < 2; i++)
    {
      g_queue_clear (&run->unread_records[i]);
      g_queue_clear (&run->unread_messages[i]);
    }
}

gboolean
hl_engine_setup_peer (Run *run, HlSide side)
{
  return setup_peer (run, side);
}

void
hl_engine_record_read_cb (HlSide receiver, gpointer user_data)
{
  record_read_cb (receiver, user_data);
}

void
hl_engine_run_clear (Run *run)
{
  run_clear (run);
}

Peer *
hl_engine_peer_of (Run *run, HlSide side)
{
  return peer_of (run, side);
}

gboolean
hl_engine_is_tls13 (Peer *peer)
{
  return is_tls13 (peer);
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

int
hl_engine_verify_cb (gnutls_session_t session)
{
  return verify_cb (session);
}

void
hl_engine_record_cb (HlSide sender, GBytes *record, gint64 timestamp, gpointer user_data)
{
  record_cb (sender, record, timestamp, user_data);
}

void
hl_engine_peer_failed (Peer *peer, int rc)
{
  peer_failed (peer, rc);
}

gboolean
hl_engine_send_data (Peer *peer, const char *name, const char *caption, const char *data,
                     gsize len, GError **error)
{
  return send_bytes (peer, name, caption, data, len, error);
}

void
hl_engine_add_close_notify (Peer *peer)
{
  add_close_notify (peer);
}

/* An item of the remote peer (message, alert, application data) that our session just read:
 * it lives in the remote's last record, and it is shown now, when it was processed. */
void
hl_engine_add_remote_item (Run *run, HlEvent *event)
{
  Peer *remote = peer_of (run, hl_event_get_side (event));

  g_assert (remote->remote);
  if (remote->last_record >= 0)
    {
      HlEvent *record = hl_trace_get_event (run->trace, (guint) remote->last_record);

      hl_event_set_epoch (event, hl_event_get_epoch (record));
    }
  hl_event_set_moment (event, HL_MOMENT_PROCESSED, -1);
  append_item (run, event, remote->last_record);
}

HlEvent *
hl_engine_alert_event (Run *run, HlSide sender, guint level, guint desc)
{
  return alert_event (run, sender, level, desc);
}

HlEvent *
hl_engine_new_event (Run *run, HlEventKind kind, HlSide side, HlSide peer, const char *name)
{
  return new_event (run, kind, side, peer, name);
}

/* A remark on no lifeline (the attack scenarios' plain-words conclusions). */
HlEvent *
hl_engine_add_note (Run *run, const char *name, const char *caption, const char *technical)
{
  HlEvent *event = new_event (run, HL_EVENT_NOTE, HL_SIDE_NONE, HL_SIDE_NONE, name);

  hl_event_set_caption (event, caption);
  hl_event_set_technical (event, technical);
  return append (run, event);
}

HlEvent *
hl_engine_add_action (Run *run, HlSide side, HlSide peer, const char *name, HlCheck check,
                      const char *caption, const char *technical)
{
  return add_action (run, side, peer, name, check, caption, technical);
}

void
hl_engine_add_secret (Run *run, const char *name, const char *label, GBytes *value,
                      HlSide holder, HlSource source, const char *note)
{
  add_secret (run, name, label, value, holder, source, note);
}

void
hl_engine_collect_negotiated (Run *run)
{
  collect_negotiated (run);
}

void
hl_engine_flush_leftovers (Run *run)
{
  flush_leftovers (run);
}

void
hl_engine_set_outcome (Run *run)
{
  set_outcome (run);
}

/* Public API */

HlTrace *
hl_engine_run (const HlConfig *config, const char *scenario_id, const char *title,
               const char *description, GCancellable *cancellable, GError **error)
{
  Run run = { 0 };
  g_autoptr(HlTrace) trace = NULL;
  gboolean ok;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  {
    g_autofree char *reason = NULL;

    if (!hl_config_is_available (config, &reason))
      {
        g_set_error_literal (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNAVAILABLE, reason);
        return NULL;
      }
  }
  trace = hl_trace_new (scenario_id ? scenario_id : "custom", title ? title : "Custom",
                        description ? description : "");
  run.config = config;
  run.local = HL_SIDE_NONE;
  run.capture = TRUE;
  run.trace = trace;
  ok = config->attack != HL_ATTACK_NONE ? hl_mitm_run (&run, cancellable, error)
                                        : run_all (&run, cancellable, error);
  run_clear (&run);
  if (!ok)
    return NULL;
  hl_trace_finish (trace);
  return g_steal_pointer (&trace);
}

HlTrace *
hl_engine_run_scenario (const char *scenario_id, GCancellable *cancellable, GError **error)
{
  const HlScenario *scenario;

  g_return_val_if_fail (scenario_id != NULL, NULL);

  scenario = hl_scenario_lookup (scenario_id);
  if (scenario == NULL)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP, "unknown scenario “%s”",
                   scenario_id);
      return NULL;
    }
  return hl_engine_run (&scenario->config, scenario->id, scenario->title, scenario->description,
                        cancellable, error);
}

gboolean
hl_engine_run_bare (const HlConfig *config, GError **error)
{
  Run run = { 0 };
  gboolean ok;

  g_return_val_if_fail (config != NULL, FALSE);

  run.config = config;
  run.local = HL_SIDE_NONE;
  run.capture = FALSE;
  ok = config->attack != HL_ATTACK_NONE ? hl_mitm_run (&run, NULL, error)
                                        : run_all (&run, NULL, error);
  run_clear (&run);
  return ok;
}

typedef struct
{
  HlConfig  config;
  char     *id;
  char     *title;
  char     *description;
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->id);
  g_free (data->title);
  g_free (data->description);
  g_free (data);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  HlTrace *trace = hl_engine_run (&data->config, data->id, data->title, data->description,
                                  cancellable, &error);

  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, g_object_unref);
}

void
hl_engine_run_async (const HlConfig *config, const char *scenario_id, const char *title,
                     const char *description, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (config != NULL);

  data = g_new0 (RunData, 1);
  data->config = *config;
  data->id = g_strdup (scenario_id);
  data->title = g_strdup (title);
  data->description = g_strdup (description);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_engine_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

HlTrace *
hl_engine_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
