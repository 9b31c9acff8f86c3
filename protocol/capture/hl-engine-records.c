/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

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
  tech = g_strdup_printf ("record · %s · %" G_GSIZE_FORMAT " bytes · protected with %s keys",
                          hl_content_type_name (type) ? hl_content_type_name (type) : "?",
                          len, hl_epoch_to_string (hl_event_get_epoch (rec)));
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
