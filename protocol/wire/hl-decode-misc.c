/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include "hl-decoder-private.h"

/*
 * Small messages: NewSessionTicket (RFC 5077 §3.3, RFC 8446 §4.6.1), Finished
 * (RFC 5246 §7.4.9, RFC 8446 §4.4.4), KeyUpdate (RFC 8446 §4.6.3), message_hash
 * (RFC 8446 §4.4.1), the empty ones, and unknown types shown raw.
 */

void
hl_decode_new_session_ticket (HlReader              *r,
                              HlField               *msg,
                              const HlDecodeContext *context)
{
  HlField *f;
  HlSpan ticket;
  guint32 lifetime = 0;

  if (!context->tls13)
    {
      f = dec_u32 (r, msg, "ticket_lifetime_hint", &lifetime);
      hl_field_set_value_printf (f, "%u seconds", lifetime);
      dec_annotate (f, "RFC 5077 §3.3",
                    "How long the client may keep the ticket (0: unspecified).");
      f = dec_opaque (r, msg, "ticket", 2, &ticket);
      dec_annotate (f, "RFC 5077 §3.3",
                    "The session state encrypted under a key only the server knows; the "
                    "client stores it and sends it back to resume.");
      hl_field_set_value_printf (msg, "%" G_GSIZE_FORMAT "-byte ticket, %u s", ticket.len,
                                 lifetime);
      return;
    }

  f = dec_u32 (r, msg, "ticket_lifetime", &lifetime);
  hl_field_set_value_printf (f, "%u seconds", lifetime);
  dec_annotate (f, "RFC 8446 §4.6.1", "How long the ticket may be used, at most 7 days.");

  f = dec_u32 (r, msg, "ticket_age_add", NULL);
  dec_annotate (f, "RFC 8446 §4.6.1",
                "A random number the client adds to the ticket's age when it uses it, so "
                "the age on the wire does not link connections.");

  f = dec_opaque (r, msg, "ticket_nonce", 1, NULL);
  dec_annotate (f, "RFC 8446 §4.6.1",
                "Makes each ticket's PSK different: PSK = HKDF-Expand-Label(resumption "
                "secret, \"resumption\", nonce).");

  f = dec_opaque (r, msg, "ticket", 2, &ticket);
  dec_annotate (f, "RFC 8446 §4.6.1",
                "The label the client presents as its PSK identity when resuming.");

  hl_decode_extensions (r, msg, HL_EXT_NEW_SESSION_TICKET, context);
  hl_field_set_value_printf (msg, "%" G_GSIZE_FORMAT "-byte ticket, %u s", ticket.len,
                             lifetime);
}

void
hl_decode_finished (HlReader              *r,
                    HlField               *msg,
                    const HlDecodeContext *context)
{
  HlSpan data;
  HlField *f = dec_rest (r, msg, "verify_data", &data);

  dec_annotate (f, context->tls13 ? "RFC 8446 §4.4.4" : "RFC 5246 §7.4.9",
                context->tls13
                ? "HMAC of the transcript hash with the sender's finished_key."
                : "PRF(master_secret, finished_label, Hash(handshake_messages)), the first "
                  "12 bytes.");
  hl_field_set_value_printf (msg, "%" G_GSIZE_FORMAT "-byte verify_data", data.len);
}

void
hl_decode_empty (HlReader              *r,
                 HlField               *msg,
                 const HlDecodeContext *context)
{
  /* The body must be empty; the caller's hl_reader_finish() reports any bytes. */
  hl_field_set_value (msg, "(empty body)");
}

void
hl_decode_key_update (HlReader              *r,
                      HlField               *msg,
                      const HlDecodeContext *context)
{
  guint8 v = 0;
  HlField *f = dec_u8 (r, msg, "request_update", &v);

  dec_name8 (f, v == 0 ? "update_not_requested" : v == 1 ? "update_requested" : NULL, v);
  dec_annotate (f, "RFC 8446 §4.6.3",
                "Whether the peer should update its own sending keys too.");
  hl_field_set_value (msg, hl_field_get_value (f));
}

void
hl_decode_message_hash (HlReader              *r,
                        HlField               *msg,
                        const HlDecodeContext *context)
{
  HlField *f = dec_rest (r, msg, "hash", NULL);

  dec_annotate (f, "RFC 8446 §4.4.1", "Hash of the first ClientHello.");
}

void
hl_decode_unknown (HlReader              *r,
                   HlField               *msg,
                   const HlDecodeContext *context)
{
  if (!hl_reader_is_empty (r))
    dec_rest (r, msg, "body", NULL);
}
