/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-check"
#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "hl-decoder.h"
#include "hl-tls-names.h"
#include "hl-trace-check-private.h"
#include "hl-trace-decode.h"

/*
 * The opened-trace check, part one (see hl-trace-check-private.h): what each event's own bytes
 * give. Sections: timestamps · events (records, messages, alerts, links, captions) · plaintext
 * records · what the hellos negotiated.
 */

/* The latest time a trace can name: 9999-12-31T23:59:59.999999Z, the end of GDateTime. */
#define LATEST_TIME (G_GINT64_CONSTANT (253402300800) * G_USEC_PER_SEC - 1)

/* Timestamps
 *
 * Every event's time is the trace's start plus its timestamp_us; both come from the file. A
 * time past the year 9999 is not a time at all (and the sum may not even fit in 64 bits), so it
 * is named once, at the first event it concerns. */

void
hl_recheck_timestamps (HlTrace *trace, HlTraceCheck *check)
{
  gint64 created = hl_trace_get_created (trace);
  gint64 limit = LATEST_TIME - MAX (created, 0);
  guint n = hl_trace_get_n_events (trace);
  guint n_bad = 0;
  int first = -1;

  if (created > LATEST_TIME)
    limit = 0;
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_timestamp (event) > limit)
        {
          if (first < 0)
            first = (int) i;
          n_bad++;
        }
    }
  if (first >= 0)
    {
      HlEvent *event = hl_trace_get_event (trace, (guint) first);
      g_autofree char *claim = g_strdup_printf ("%" G_GINT64_FORMAT " µs after the start",
                                                hl_event_get_timestamp (event));

      add (check, first, g_strdup_printf ("events[%d].timestamp_us", first), claim,
           "a time after 9999-12-31, which no clock gives (the trace starts %" G_GINT64_FORMAT
           " µs after 1970); %u event%s from here on", created, n_bad, n_bad == 1 ? "" : "s");
    }
}

/* Events */

static const char *
kind_word (HlEvent *event)
{
  return hl_event_kind_to_string (hl_event_get_kind (event));
}

static const HlNegotiated *
negotiated_of (HlTrace *trace, guint handshake)
{
  GPtrArray *all = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < all->len; i++)
    if (((HlNegotiated *) g_ptr_array_index (all, i))->handshake == handshake)
      return g_ptr_array_index (all, i);
  return NULL;
}

/* The parts a protected TLS 1.2 record's caption names (hl-engine-records.c), recomputed from
 * its fragment, the plaintext that links to it and the suite its handshake negotiated: AEAD
 * explicit nonce, salt, nonce and tag (RFC 5288, RFC 7905); CBC IV, MAC and padding, inside
 * the encryption or after it (RFC 5246 §6.2.3.2, RFC 7366). */
static gboolean
layout_count (HlTrace *trace, HlEvent *record, guint64 n)
{
  const HlNegotiated *neg = negotiated_of (trace, hl_event_get_handshake (record));
  gsize len = hl_event_get_length (record), plain = 0;
  gnutls_cipher_algorithm_t cipher;

  if (neg == NULL || g_strcmp0 (neg->version, "TLS1.2") != 0 || neg->cipher == NULL ||
      hl_event_get_epoch (record) == HL_EPOCH_PLAINTEXT || len < 5)
    return FALSE;
  for (guint i = hl_event_get_index (record) + 1; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *item = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (item) != HL_EVENT_RECORD &&
          hl_event_get_record (item) == (int) hl_event_get_index (record))
        plain += hl_event_get_length (item);
    }
  len -= 5;
  cipher = gnutls_cipher_get_id (neg->cipher);
  if (n == plain)
    return TRUE;
  if (g_strcmp0 (neg->mac, "AEAD") == 0)
    {
      gsize tag = gnutls_cipher_get_tag_size (cipher);

      return len >= plain + tag && (n == tag || n == 12 || n == len - plain - tag ||
                                    (len - plain - tag > 0 && n == 12 - (len - plain - tag)));
    }
  else
    {
      gsize block = gnutls_cipher_get_block_size (cipher);
      gsize mac = gnutls_hmac_get_len (gnutls_mac_get_id (neg->mac));
      gsize encrypted = len - block - (neg->etm ? mac : 0);

      if (len < block + (neg->etm ? mac : 0) || encrypted < plain + (neg->etm ? 0 : mac))
        return FALSE;
      return n == block || n == mac || n == encrypted ||
             n == encrypted - plain - (neg->etm ? 0 : mac);
    }
}

/* Byte counts a caption or technical line of @event may name: its length, a record's fragment
 * and header (and for TLS 1.2 the parts of its fragment), a message's body and header, an RSA
 * ciphertext (body less its 2-byte length). */
static gboolean
allowed_count (HlTrace *trace, HlEvent *event, guint64 n)
{
  guint64 len = hl_event_get_length (event);

  if (n == len || n == 1)
    return TRUE;
  if (hl_event_get_kind (event) == HL_EVENT_RECORD)
    return n == 5 || (len >= 5 && n == len - 5) || layout_count (trace, event, n);
  if (n == 4 || (len >= 4 && n == len - 4) || (len >= 6 && n == len - 6))
    return TRUE;
  if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && hl_event_get_bytes (event) != NULL)
    {
      /* what is inside: a certificate's DER, a key-share point, a ticket, an OCSP response */
      HlInnerSizes inner = hl_decoder_inner_sizes (g_bytes_get_data (hl_event_get_bytes (event),
                                                                     NULL), len,
                                                   hl_event_get_epoch (event) !=
                                                   HL_EPOCH_PLAINTEXT);

      return n != 0 && (n == inner.certificate || n == inner.point || n == inner.ticket ||
                        n == inner.ocsp);
    }
  return FALSE;
}

/* "(908 bytes)", "45 opaque bytes", "a 12-byte keyed hash": the byte counts a caption names,
 * which are generated from the data and must be the event's. */
static void
check_counts (HlTrace *trace, HlTraceCheck *check, HlEvent *event, const char *member,
              const char *text)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  guint index = hl_event_get_index (event);

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("\\b([0-9]{1,9})(-byte\\b| (opaque )?bytes?\\b)",
                                                    G_REGEX_OPTIMIZE, 0, NULL));
  g_regex_match (regex, text, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *number = g_match_info_fetch (match, 1);
      g_autofree char *whole = g_match_info_fetch (match, 0);
      guint64 n = g_ascii_strtoull (number, NULL, 10);

      if (allowed_count (trace, event, n))
        continue;
      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && hl_event_get_length (event) >= 4)
        add (check, (int) index, g_strdup_printf ("events[%u].%s", index, member), whole,
             "the message has %" G_GSIZE_FORMAT " bytes (a %" G_GSIZE_FORMAT "-byte body)",
             hl_event_get_length (event), hl_event_get_length (event) - 4);
      else
        add (check, (int) index, g_strdup_printf ("events[%u].%s", index, member), whole,
             "the %s has %" G_GSIZE_FORMAT " bytes", kind_word (event),
             hl_event_get_length (event));
      return;
    }
}

static void
check_record (HlTraceCheck *check, HlEvent *event)
{
  guint i = hl_event_get_index (event);
  GBytes *bytes = hl_event_get_bytes (event);
  gsize len = bytes ? g_bytes_get_size (bytes) : 0;
  const guint8 *p = bytes ? g_bytes_get_data (bytes, NULL) : NULL;

  if (len < 5)
    {
      add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), "a TLS record",
           "%" G_GSIZE_FORMAT " bytes, shorter than a record header (5 bytes)", len);
      return;
    }
  if (p[0] != hl_event_get_content_type (event))
    {
      g_autofree char *claim = g_strdup_printf ("content type %u",
                                                hl_event_get_content_type (event));

      add (check, (int) i, g_strdup_printf ("events[%u].content_type", i), claim,
           "the record header says content type %u", p[0]);
    }
  if ((gsize) (p[3] << 8 | p[4]) != len - 5)
    {
      g_autofree char *claim = g_strdup_printf ("a %" G_GSIZE_FORMAT "-byte fragment", len - 5);

      add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), claim,
           "the record header gives its length as %u", p[3] << 8 | p[4]);
    }
}

static void
check_message (HlTrace *trace, HlTraceCheck *check, HlEvent *event)
{
  guint i = hl_event_get_index (event);
  GBytes *bytes = hl_event_get_bytes (event);
  gsize len = bytes ? g_bytes_get_size (bytes) : 0;
  const guint8 *p = bytes ? g_bytes_get_data (bytes, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) field = NULL;

  if (hl_event_get_content_type (event) == HL_CONTENT_HANDSHAKE)
    {
      if (len < 4)
        {
          add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), "a handshake message",
               "%" G_GSIZE_FORMAT " bytes, shorter than its 4-byte header", len);
          return;
        }
      if (p[0] != hl_event_get_handshake_type (event))
        {
          g_autofree char *claim = g_strdup_printf ("handshake type %d (%s)",
                                                    hl_event_get_handshake_type (event),
                                                    hl_event_get_name (event));

          add (check, (int) i, g_strdup_printf ("events[%u].handshake_type", i), claim,
               "the message header says type %u", p[0]);
        }
      if ((gsize) (p[1] << 16 | p[2] << 8 | p[3]) != len - 4)
        {
          g_autofree char *claim = g_strdup_printf ("a %" G_GSIZE_FORMAT "-byte body", len - 4);

          add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), claim,
               "the message header gives its length as %u", p[1] << 16 | p[2] << 8 | p[3]);
          return;
        }
    }
  field = hl_trace_decode_event (trace, event, &error);
  if (field == NULL && error != NULL)
    add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), hl_event_get_name (event),
         "the bytes do not decode as one: %s", error->message);
}

static void
check_alert (HlTraceCheck *check, HlEvent *event)
{
  guint i = hl_event_get_index (event);
  GBytes *bytes = hl_event_get_bytes (event);
  const guint8 *p;
  g_autofree char *claim = NULL;

  if (bytes == NULL)
    return;
  p = g_bytes_get_data (bytes, NULL);
  claim = g_strdup_printf ("level %u, description %u", hl_event_get_alert_level (event),
                           hl_event_get_alert_description (event));
  if (g_bytes_get_size (bytes) != 2)
    add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), claim,
         "%" G_GSIZE_FORMAT " bytes, where an alert has 2", g_bytes_get_size (bytes));
  else if (p[0] != hl_event_get_alert_level (event) ||
           p[1] != hl_event_get_alert_description (event))
    add (check, (int) i, g_strdup_printf ("events[%u].alert", i), claim,
         "the alert's bytes say level %u, description %u", p[0], p[1]);
}

/* A message, alert or application data names the record that carried it: an earlier record of
 * the same connection, sent by the same side. One difference per record a link is wrong for
 * (a record moved to another connection breaks the links of everything it carried). Returns
 * FALSE when any link is wrong: the key schedule cannot then follow the records. */
gboolean
hl_recheck_links (HlTrace *trace, HlTraceCheck *check)
{
  guint n = hl_trace_get_n_events (trace);
  g_autofree gboolean *reported = g_new0 (gboolean, MAX (n, 1));
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int r = hl_event_get_record (event);
      HlEvent *record;
      g_autofree char *claim = NULL;

      if (r < 0)
        continue;
      record = hl_trace_get_event (trace, (guint) r);
      claim = g_strdup_printf ("carried by event %d", r);
      if (hl_event_get_kind (record) != HL_EVENT_RECORD)
        {
          ok = FALSE;
          add (check, (int) i, g_strdup_printf ("events[%u].record", i), claim,
               "event %d is a %s, not a record", r, kind_word (record));
        }
      else if (hl_event_get_handshake (record) != hl_event_get_handshake (event))
        {
          ok = FALSE;
          if (!reported[r])
            {
              g_autofree char *where = g_strdup_printf ("connection %u",
                                                        hl_event_get_handshake (record) + 1);

              add (check, r, g_strdup_printf ("events[%d].handshake", r), where,
                 "the record carries %s (event %u) of connection %u, not of connection %u",
                 hl_event_get_name (event), i, hl_event_get_handshake (event) + 1,
                 hl_event_get_handshake (record) + 1);
            }
          reported[r] = TRUE;
        }
      else if (hl_event_get_side (record) != hl_event_get_side (event))
        {
          ok = FALSE;
          add (check, (int) i, g_strdup_printf ("events[%u].side", i),
               hl_side_to_string (hl_event_get_side (event)),
               "it was carried by event %d, a record the %s sent", r,
               hl_side_to_string (hl_event_get_side (record)));
        }
    }
  return ok;
}

void
hl_recheck_events (HlTrace *trace, HlTraceCheck *check)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      guint before = check->differences->len;

      switch (hl_event_get_kind (event))
        {
        case HL_EVENT_RECORD:
          check_record (check, event);
          break;
        case HL_EVENT_MESSAGE:
          check_message (trace, check, event);
          break;
        case HL_EVENT_ALERT:
          check_alert (check, event);
          break;
        default:
          break;
        }
      /* counts are only meaningful for bytes that are themselves right */
      if (check->differences->len == before &&
          (hl_event_get_kind (event) == HL_EVENT_RECORD ||
           hl_event_get_kind (event) == HL_EVENT_MESSAGE))
        {
          check_counts (trace, check, event, "caption", hl_event_get_caption (event));
          if (check->differences->len == before)
            check_counts (trace, check, event, "technical", hl_event_get_technical (event));
        }
    }
}

/* Plaintext records: the fragment of a record in the clear is the bytes of the messages linked
 * to it, in order; a message may run on into the next records of its direction
 * (RFC 8446 §5.1). */
void
hl_recheck_plaintext_records (HlTrace *trace, HlTraceCheck *check)
{
  guint n = hl_trace_get_n_events (trace);
  guint n_streams = hl_trace_get_n_handshakes (trace) * 2;
  g_autoptr(GPtrArray) streams =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autofree GPtrArray **items = g_new0 (GPtrArray *, MAX (n, 1));

  for (guint s = 0; s < n_streams; s++)
    g_ptr_array_add (streams, g_byte_array_new ());
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int r = hl_event_get_record (event);

      if (r < 0 || hl_event_get_kind (event) == HL_EVENT_RECORD)
        continue;
      if (items[r] == NULL)
        items[r] = g_ptr_array_new ();
      g_ptr_array_add (items[r], event);
    }

  for (guint i = 0; i < n; i++)
    {
      HlEvent *record = hl_trace_get_event (trace, i);
      HlSide side = hl_trace_get_role (trace, hl_event_get_handshake (record),
                                       hl_event_get_side (record));
      GByteArray *expected;
      GBytes *bytes = hl_event_get_bytes (record);
      const guint8 *fragment;
      gsize len;

      if (hl_event_get_kind (record) != HL_EVENT_RECORD ||
          hl_event_get_epoch (record) != HL_EPOCH_PLAINTEXT || bytes == NULL ||
          g_bytes_get_size (bytes) < 5 ||
          (side != HL_SIDE_CLIENT && side != HL_SIDE_SERVER))
        continue;
      expected = g_ptr_array_index (streams, hl_event_get_handshake (record) * 2 +
                                              (side == HL_SIDE_CLIENT ? 0 : 1));
      for (guint k = 0; items[i] && k < items[i]->len; k++)
        {
          GBytes *b = hl_event_get_bytes (g_ptr_array_index (items[i], k));

          if (b)
            g_byte_array_append (expected, g_bytes_get_data (b, NULL),
                                 (guint) g_bytes_get_size (b));
        }
      fragment = (const guint8 *) g_bytes_get_data (bytes, &len) + 5;
      len -= 5;
      if (expected->len == 0)
        continue;   /* nothing linked to compare with: not a claim */
      if (len > expected->len || memcmp (fragment, expected->data, len) != 0)
        {
          const char *first = items[i] && items[i]->len
                                ? hl_event_get_name (g_ptr_array_index (items[i], 0))
                                : "the message before it";
          g_autofree char *claim = g_strdup_printf ("carries %s", first);

          add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), claim,
               "its %" G_GSIZE_FORMAT "-byte fragment is not the bytes of the %s linked to it",
               len, items[i] && items[i]->len > 1 ? "messages" : "message");
          g_byte_array_set_size (expected, 0);
        }
      else
        g_byte_array_remove_range (expected, 0, (guint) len);
    }
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&items[i], g_ptr_array_unref);
}

/* What a handshake negotiated, as the hellos on the wire say (RFC 8446 §4.1.2-3, RFC 5246
 * §7.4.1.2-3: legacy_version, then the 32-byte random, the session id and, from the server, the
 * cipher suite), and how the run ended, as the alert on the wire says. */

/* The last ClientHello, or ServerHello that is not a HelloRetryRequest, of @handshake. */
static int
last_hello (HlTrace *trace, guint handshake, HlSide side)
{
  int found = -1;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          hl_event_get_content_type (event) == HL_CONTENT_HANDSHAKE &&
          hl_event_get_handshake (event) == handshake && hl_event_get_side (event) == side &&
          hl_event_get_handshake_type (event) == (side == HL_SIDE_CLIENT ? 1 : 2) &&
          !g_str_equal (hl_event_get_name (event), "HelloRetryRequest") &&
          hl_event_get_length (event) >= 4 + 2 + 32)
        found = (int) i;
    }
  return found;
}

static void
check_random (HlTrace *trace, HlTraceCheck *check, guint n, GBytes *claimed, int hello,
              const char *member)
{
  GBytes *bytes;
  g_autoptr(GBytes) random = NULL;

  if (claimed == NULL || hello < 0)
    return;
  bytes = hl_event_get_bytes (hl_trace_get_event (trace, (guint) hello));
  random = g_bytes_new_from_bytes (bytes, 6, 32);
  if (!g_bytes_equal (random, claimed))
    {
      g_autofree char *claim = short_hex (claimed);
      g_autofree char *found = short_hex (random);

      add (check, hello, g_strdup_printf ("negotiated[%u].%s", n, member), claim,
           "the %s (event %d) carries %s", hl_event_get_name (hl_trace_get_event (trace,
                                                                                  (guint) hello)),
           hello, found);
    }
}

void
hl_recheck_negotiated (HlTrace *trace, HlTraceCheck *check)
{
  GPtrArray *all = hl_trace_get_negotiated (trace);
  const HlOutcome *outcome = hl_trace_get_outcome (trace);

  for (guint n = 0; n < all->len; n++)
    {
      const HlNegotiated *neg = g_ptr_array_index (all, n);
      int client_hello = last_hello (trace, neg->handshake, HL_SIDE_CLIENT);
      int server_hello = last_hello (trace, neg->handshake, HL_SIDE_SERVER);

      check_random (trace, check, n, neg->client_random, client_hello, "client_random");
      check_random (trace, check, n, neg->server_random, server_hello, "server_random");
      if (neg->cipher_suite && server_hello >= 0)
        {
          gsize len = 0;
          const guint8 *p = g_bytes_get_data (hl_event_get_bytes (hl_trace_get_event (
                                                trace, (guint) server_hello)), &len);
          gsize at = 4 + 2 + 32;
          const char *name;

          if (at >= len || len - at - 1 < (gsize) p[at] + 2)
            continue;
          at += 1 + p[at];
          name = hl_tls_cipher_suite_name ((guint16) (p[at] << 8 | p[at + 1]));
          if (name && !g_str_equal (name, neg->cipher_suite))
            add (check, server_hello, g_strdup_printf ("negotiated[%u].cipher_suite", n),
                 neg->cipher_suite, "the ServerHello (event %d) picks %s", server_hello, name);
        }
    }

  /* the fatal alert the outcome names is on the wire, from its sender */
  if (outcome->alert_sender == HL_SIDE_CLIENT || outcome->alert_sender == HL_SIDE_SERVER)
    {
      gboolean seen = FALSE;

      for (guint i = 0; i < hl_trace_get_n_events (trace) && !seen; i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);

          seen = hl_event_get_kind (event) == HL_EVENT_ALERT &&
                 hl_event_get_side (event) == outcome->alert_sender &&
                 hl_event_get_alert_description (event) == outcome->alert;
        }
      if (!seen)
        {
          g_autofree char *claim = g_strdup_printf ("the %s sent alert %u (%s)",
                                                    hl_side_to_string (outcome->alert_sender),
                                                    outcome->alert,
                                                    hl_alert_description_name (outcome->alert)
                                                      ? hl_alert_description_name (outcome->alert)
                                                      : "?");

          add (check, -1, g_strdup ("outcome.alert"), claim,
               "no such alert is in the trace");
        }
    }
}
