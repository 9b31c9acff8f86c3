/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule"
#include "config.h"

#include <string.h>

#include "hl-keyschedule-private.h"
#include "hl-tls-names.h"

/*
 * The key schedule, record decryption (see hl-keyschedule-private.h): every protected record
 * is decrypted with the keys of its sender's epoch and compared with the events that link to
 * it; the keys GnuTLS never reports are confirmed by the records they protect.
 */

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

/* Whether the plaintext @p of @rd is what the events that link to its record captured: their
 * content type, and the next @n bytes of the direction's stream. Sets the check and detail. */
static void
judge_plaintext (HlRecordDecryption *rd, Direction *dir, GPtrArray *items, EpochKeys *k,
                 const guint8 *p, gsize n)
{
  guint8 inner = rd->inner_type;

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
}

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
  HlRecordInternals internals = { 0 };
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

  plaintext = hl_record_decrypt_full (&keys, rd->seq, hl_event_get_bytes (record), &inner,
                                      &internals, &error);
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
  rd->internals = g_memdup2 (&internals, sizeof internals);

  p = g_bytes_get_data (plaintext, &n);
  judge_plaintext (rd, dir, items, k, p, n);

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
void
hl_ks_confirm_keys_by_records (Handshake *hs)
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
GPtrArray **
hl_ks_items_by_record (HlTrace *trace, GError **error)
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

/* The record pass: decrypts every protected record of @trace in order, per handshake and
 * direction (so sequence numbers and messages that span records follow), into @records. */
void
hl_ks_decrypt_records (HlTrace *trace, Handshake *hss, guint n_handshakes, GPtrArray **items,
                       GPtrArray *records)
{
  Direction *dirs = g_new0 (Direction, n_handshakes * SIDES);

  for (guint i = 0; i < n_handshakes * SIDES; i++)
    dirs[i].expected = g_byte_array_new ();
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
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
          g_ptr_array_add (records, rd);
          continue;
        }
      g_ptr_array_add (records,
                       decrypt_record (&hss[h], event, &dirs[h * SIDES + side_index (side)],
                                       items[i]));
    }
  for (guint i = 0; i < n_handshakes * SIDES; i++)
    g_byte_array_unref (dirs[i].expected);
  g_free (dirs);
}
