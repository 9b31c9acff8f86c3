/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include <gnutls/crypto.h>

#include "hl-engine-private.h"
#include "hl-engine-parts.h"

/* Records: what each side puts on the wire. A handshake message is hooked when GnuTLS queues it
 * (before encryption) and appended to the trace right after the record that carries it. */

/* A record of the remote peer: what it carries shows once our session has read it. Returns the
 * record's technical line, as do the carry_*() below. */
static char *
describe_remote (Peer *peer, HlEvent *rec, const guint8 *data, gsize len, gboolean protected)
{
  guint type = data[0];
  gsize frag_len = len - 5;
  char *tech;

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
  return tech;
}

/* A plaintext handshake record: the queued messages it carries follow it in the trace. */
static char *
carry_messages (Peer *peer, HlEvent *rec, const guint8 *data, gsize len)
{
  Run *run = peer->run;
  gsize frag_len = len - 5;
  int rec_index = hl_event_get_index (rec);
  char *tech;
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
          hl_engine_append_item (run, item, rec_index);
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
  return tech;
}

/* A ChangeCipherSpec record: the message it carries, and (TLS 1.2) the switch to the new keys. */
static char *
carry_ccs (Peer *peer, HlEvent *rec, const guint8 *data, gsize len)
{
  Run *run = peer->run;
  HlSide sender = peer->side;
  HlSide receiver = sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  gsize frag_len = len - 5;
  int rec_index = hl_event_get_index (rec);
  char *tech;
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
      hl_engine_append_item (run, ccs, rec_index);
    }
  else
    {
      g_autofree char *cap = g_strdup_printf ("The %s switches to the session keys: "
                                              "everything it sends from now on is "
                                              "encrypted.", who (sender));
      hl_event_set_caption (ccs, cap);
      hl_event_set_technical (ccs, "ChangeCipherSpec · 1 byte · RFC 5246 §7.1");
      hl_engine_append_item (run, ccs, rec_index);
      peer->ccs_sent = TRUE;
      peer->write_epoch = HL_EPOCH_APPLICATION;
    }
  hl_event_set_caption (rec, "A record in the clear carrying ChangeCipherSpec.");
  tech = g_strdup_printf ("record · change_cipher_spec · %" G_GSIZE_FORMAT " bytes", len);
  return tech;
}

/* A plaintext alert record: the alert queued for it, or the one GnuTLS sent on its own. */
static char *
carry_alert (Peer *peer, HlEvent *rec, const guint8 *data, gsize len)
{
  Run *run = peer->run;
  HlSide sender = peer->side;
  gsize frag_len = len - 5;
  int rec_index = hl_event_get_index (rec);
  char *tech;
  HlEvent *head = g_queue_peek_head (&peer->pending);

  if (head && hl_event_get_kind (head) == HL_EVENT_ALERT)
    hl_engine_append_item (run, g_queue_pop_head (&peer->pending), rec_index);
  else if (frag_len == 2)
    /* GnuTLS sent this alert on its own: take it from the wire. */
    hl_engine_append_item (run, alert_event (run, sender, data[5], data[6]), rec_index);
  hl_event_set_caption (rec, "An alert record in the clear.");
  tech = g_strdup_printf ("record · alert · %" G_GSIZE_FORMAT " bytes · plaintext", len);
  return tech;
}

/* How a TLS 1.2 record of @peer lays out its @frag_len protected bytes around the @plain_len
 * bytes of plaintext inside, every count taken from the record and the negotiated suite; NULL
 * when the sizes do not add up (then the caption says less rather than something false). */
static char *
tls12_layout (Peer *peer, gsize frag_len, gsize plain_len)
{
  gnutls_session_t session = session_of (peer);
  gnutls_cipher_algorithm_t cipher = gnutls_cipher_get (session);
  const char *iv = peer->side == HL_SIDE_CLIENT ? "client_write_iv" : "server_write_iv";
  gsize tag = gnutls_cipher_get_tag_size (cipher);

  if (tag > 0)
    {
      /* AEAD: GCM sends 8 of its 12 nonce bytes (RFC 5288 §3); ChaCha20-Poly1305 sends none
       * (RFC 7905 §2): its nonce is the write IV XOR the 64-bit sequence number. */
      gsize explicit_nonce;

      if (frag_len < plain_len + tag)
        return NULL;
      explicit_nonce = frag_len - plain_len - tag;
      if (explicit_nonce == 0)
        return g_strdup_printf ("the %" G_GSIZE_FORMAT " bytes of plaintext, encrypted, and a "
                                "%" G_GSIZE_FORMAT "-byte %s tag. No nonce travels: each side "
                                "makes the 12-byte nonce from %s XOR the record's sequence "
                                "number (RFC 7905).", plain_len, tag,
                                cipher == GNUTLS_CIPHER_CHACHA20_POLY1305 ? "Poly1305"
                                                                          : "authentication",
                                iv);
      return g_strdup_printf ("an %" G_GSIZE_FORMAT "-byte explicit nonce (the record's nonce is "
                              "the 4-byte %s ‖ these bytes, RFC 5288), the %" G_GSIZE_FORMAT
                              " bytes of plaintext, encrypted, and a %" G_GSIZE_FORMAT
                              "-byte tag.", explicit_nonce, iv, plain_len, tag);
    }
  else
    {
      gsize block = gnutls_cipher_get_block_size (cipher);
      gsize mac = gnutls_hmac_get_len (gnutls_mac_get (session));
      const char *mac_name = gnutls_mac_get_name (gnutls_mac_get (session));
      gboolean etm = gnutls_session_etm_status (session) != 0;
      gsize encrypted = frag_len - block - (etm ? mac : 0);

      if (block == 0 || mac == 0 || frag_len < block + (etm ? mac : 0) ||
          encrypted < plain_len + (etm ? 0 : mac) + 1 || encrypted % block != 0)
        return NULL;
      if (etm)
        return g_strdup_printf ("a %" G_GSIZE_FORMAT "-byte IV, %" G_GSIZE_FORMAT " bytes that "
                                "encrypt the %" G_GSIZE_FORMAT " bytes of plaintext and %"
                                G_GSIZE_FORMAT " of padding, then a %" G_GSIZE_FORMAT "-byte "
                                "HMAC-%s over all of that (encrypt-then-MAC, RFC 7366: the "
                                "receiver checks the MAC before it decrypts anything).",
                                block, encrypted, plain_len, encrypted - plain_len, mac,
                                mac_name);
      return g_strdup_printf ("a %" G_GSIZE_FORMAT "-byte IV, then %" G_GSIZE_FORMAT " bytes "
                              "that encrypt the %" G_GSIZE_FORMAT " bytes of plaintext, their "
                              "%" G_GSIZE_FORMAT "-byte HMAC-%s and %" G_GSIZE_FORMAT " bytes "
                              "of padding (MAC-then-encrypt). The receiver has to decrypt and "
                              "strip the padding before it can check the MAC; timing "
                              "differences there gave padding-oracle attacks such as Lucky "
                              "Thirteen, which is why RFC 7366 moved the MAC outside the "
                              "encryption.", block, encrypted, plain_len, mac, mac_name,
                              encrypted - plain_len - mac);
    }
}

/* A protected record: the item queued for it (its epoch is the record's). */
static char *
carry_protected (Peer *peer, HlEvent *rec, const guint8 *data, gsize len)
{
  Run *run = peer->run;
  guint type = data[0];
  gsize frag_len = len - 5;
  int rec_index = hl_event_get_index (rec);
  char *tech;
  HlEvent *item = g_queue_pop_head (&peer->pending);
  const char *what = item ? hl_event_get_name (item) : "unknown content";
  g_autofree char *cap = NULL;

  if (item)
    hl_event_set_epoch (rec, hl_event_get_epoch (item));
  cap = g_strdup_printf ("An encrypted record: %" G_GSIZE_FORMAT " bytes on the wire, a "
                         "5-byte header anyone can read and %" G_GSIZE_FORMAT " opaque bytes; "
                         "inside is %s.", len, frag_len, what);
  hl_event_set_caption (rec, cap);
  tech = g_strdup_printf ("record · %s · %" G_GSIZE_FORMAT " bytes · protected with the %s",
                          hl_content_type_name (type) ? hl_content_type_name (type) : "?",
                          len, hl_engine_keys_words (session_of (peer),
                                                     hl_event_get_epoch (rec)));
  if (item)
    hl_engine_append_item (run, item, rec_index);
  return tech;
}

void
hl_engine_record_cb (HlSide sender, GBytes *record, gint64 timestamp, gpointer user_data)
{
  Run *run = user_data;
  Peer *peer = peer_of (run, sender);
  HlSide receiver = sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  gsize len;
  const guint8 *data = g_bytes_get_data (record, &len);
  guint type = data[0];
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
  rec = hl_engine_append_at (run, rec, timestamp);
  rec_index = hl_event_get_index (rec);
  peer->last_record = rec_index;
  if (peer->remote)
    hl_event_set_moment (rec, HL_MOMENT_PROCESSED, -1); /* read now; sent who knows when */
  else if (run->local == HL_SIDE_NONE)
    g_queue_push_tail (&run->unread_records[side_index (sender)],
                       GUINT_TO_POINTER (rec_index + 1));

  if (peer->remote && (type == HL_CONTENT_HANDSHAKE || protected))
    tech = describe_remote (peer, rec, data, len, protected);
  else if (!protected && type == HL_CONTENT_HANDSHAKE)
    tech = carry_messages (peer, rec, data, len);
  else if (!protected && type == HL_CONTENT_CHANGE_CIPHER_SPEC)
    tech = carry_ccs (peer, rec, data, len);
  else if (!protected && type == HL_CONTENT_ALERT)
    tech = carry_alert (peer, rec, data, len);
  else
    tech = carry_protected (peer, rec, data, len);
  hl_event_set_technical (rec, tech);
}

/* Once a TLS 1.2 handshake is over (the session's read epoch then names the suite: GnuTLS has
 * no call for the write epoch's cipher), each protected record our sides sent in it says how
 * its bytes are laid out around the plaintext that links to it. */
void
hl_engine_describe_tls12_records (Run *run)
{
  guint n = hl_trace_get_n_events (run->trace);

  for (guint i = 0; i < n; i++)
    {
      HlEvent *rec = hl_trace_get_event (run->trace, i);
      Peer *peer;
      gsize len, plain_len = 0;
      const char *what = NULL;
      g_autofree char *layout = NULL;
      g_autofree char *cap = NULL;

      if (hl_event_get_kind (rec) != HL_EVENT_RECORD ||
          hl_event_get_handshake (rec) != run->handshake ||
          hl_event_get_epoch (rec) == HL_EPOCH_PLAINTEXT)
        continue;
      peer = peer_of (run, hl_event_get_role (rec));
      if (peer->remote)
        continue;
      for (guint j = i + 1; j < n; j++)
        {
          HlEvent *item = hl_trace_get_event (run->trace, j);

          if (hl_event_get_kind (item) == HL_EVENT_RECORD ||
              hl_event_get_record (item) != (int) i)
            continue;
          what = what ? what : hl_event_get_name (item);
          plain_len += hl_event_get_length (item);
        }
      len = hl_event_get_length (rec);
      if (what == NULL || len < 5 || (layout = tls12_layout (peer, len - 5, plain_len)) == NULL)
        continue;
      cap = g_strdup_printf ("An encrypted record carrying %s: %" G_GSIZE_FORMAT " bytes on the "
                             "wire, a 5-byte header anyone can read, then %s", what, len, layout);
      hl_event_set_caption (rec, cap);
    }
}

/* A handshake message @peer is sending (from its hook), queued until the record that carries it
 * goes out. */
void
hl_engine_queue_message (Peer *peer, guint htype, const gnutls_datum_t *msg)
{
  Run *run = peer->run;
  gboolean hrr = htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST;
  guint wire = hrr ? GNUTLS_HANDSHAKE_SERVER_HELLO : htype;
  HlSide receiver = peer->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  HlEvent *event = new_event (run, HL_EVENT_MESSAGE, peer->side, receiver,
                              hl_engine_message_name (wire, hrr));
  GByteArray *full = g_byte_array_sized_new (msg->size + 4);
  guint8 header[4] = { wire, (msg->size >> 16) & 0xff, (msg->size >> 8) & 0xff,
                       msg->size & 0xff };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *caption = hl_engine_message_caption (peer, wire, hrr, msg->data, msg->size);
  g_autofree char *tech = NULL;

  /* Hooks hand the body; the wire form has the 4-byte header (type, 24-bit length). */
  g_byte_array_append (full, header, 4);
  g_byte_array_append (full, msg->data, msg->size);
  bytes = g_byte_array_free_to_bytes (full);

  tech = g_strdup_printf ("%s · handshake type %u · 4-byte header + %u-byte body",
                          hl_engine_message_name (wire, hrr), wire, msg->size);
  hl_event_set_bytes (event, bytes);
  hl_event_set_content_type (event, HL_CONTENT_HANDSHAKE);
  hl_event_set_handshake_type (event, wire);
  hl_event_set_caption (event, caption);
  hl_event_set_technical (event, tech);
  hl_engine_queue_item (peer, event);
}
