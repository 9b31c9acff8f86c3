/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-record-internals"
#include "config.h"

#include "hl-keyschedule.h"
#include "hl-record-internals.h"
#include "hl-tls-names.h"
#include "hl-trace-decode.h"

/*
 * Sections: helpers · the fields of each protection · finding a record's internals · public
 * API. See the header.
 *
 * AEAD ciphers and CBC both keep positions: byte i of the plaintext is encrypted into byte i
 * of the ciphertext (CBC block by block), so the parts of the plaintext (content, inner type,
 * padding, MAC-then-encrypt MAC) are shown where their ciphertext sits.
 */

/* --- Helpers --------------------------------------------------------------------------------- */

static char *
hex (const guint8 *p, gsize n)
{
  GString *out = g_string_sized_new (n * 2);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%02x", p[i]);
  return g_string_free (out, FALSE);
}

static HlField *
part (HlField *parent, const char *name, gsize offset, gsize length, const char *rfc,
      const char *explanation)
{
  HlField *f = hl_field_add_child (parent, hl_field_new (name, offset, length));

  hl_field_set_rfc (f, rfc);
  hl_field_set_explanation (f, explanation);
  return f;
}

/* A computed value: no bytes of its own on the wire. */
static HlField *
computed (HlField *parent, const char *name, const char *rfc, const char *explanation,
          char *value)
{
  HlField *f = hl_field_add_child (parent, hl_field_new (name, hl_field_get_offset (parent),
                                                         hl_field_get_length (parent)));

  hl_field_set_derived (f, TRUE);
  hl_field_set_rfc (f, rfc);
  hl_field_set_explanation (f, explanation);
  hl_field_take_value (f, value);
  return f;
}

static const char *
type_name (guint8 type)
{
  const char *name = hl_tls_content_type_name (type);

  return name ? name : "unknown";
}

static void
add_sequence_number (HlField *root, const HlRecordInternals *ri, const char *rfc)
{
  computed (root, "sequence_number", rfc,
            "Counted by sender and receiver: 0 for the first record under these keys, then one "
            "more per record. It is never sent; a record that is dropped, repeated or reordered "
            "then fails to authenticate.",
            g_strdup_printf ("%" G_GUINT64_FORMAT " (implicit, not on the wire)", ri->seq));
}

/* --- The fields of each protection ----------------------------------------------------------- */

static void
add_xor_nonce (HlField *root, const HlRecordInternals *ri, const char *keys, const char *rfc)
{
  g_autofree char *explanation = g_strdup_printf ("The AEAD nonce: the sender's write IV (%s) "
                                                  "XOR the sequence number, left-padded with "
                                                  "zeros to the IV's %" G_GSIZE_FORMAT " bytes. "
                                                  "Nothing of it is sent.", keys ? keys : "?",
                                                  ri->iv_size);
  HlField *nonce = computed (root, "nonce", rfc, explanation,
                             hex (ri->nonce, ri->nonce_size));

  computed (nonce, "write_iv", rfc, "The sender's write IV, from the key schedule.",
            hex (ri->iv, ri->iv_size));
  computed (nonce, "padded_sequence_number", rfc,
            "The 64-bit sequence number, big-endian, with zeros in front up to the IV's length.",
            hex (ri->padded_seq, ri->iv_size));
  computed (nonce, "xor", rfc, "write_iv XOR padded_sequence_number: the nonce used.",
            hex (ri->nonce, ri->nonce_size));
}

static void
add_tls13 (HlField *root, HlField *encrypted, const HlRecordInternals *ri, const char *keys)
{
  g_autofree char *inner = NULL;
  HlField *f;
  gsize at = ri->encrypted_offset;

  f = part (encrypted, "encrypted_content", at, ri->content_size, "RFC 8446 §5.2",
            "The content, encrypted.");
  hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes of %s, encrypted", ri->content_size,
                             type_name (ri->inner_type));
  at += ri->content_size;
  f = part (encrypted, "encrypted_type", at, 1, "RFC 8446 §5.2",
            "TLSInnerPlaintext.type: the real content type, encrypted. The header's type says "
            "application_data on every protected record.");
  hl_field_set_value_printf (f, "%s (%u), encrypted", type_name (ri->inner_type),
                             ri->inner_type);
  at += 1;
  if (ri->padding_size > 0)
    {
      f = part (encrypted, "encrypted_zeros", at, ri->padding_size, "RFC 8446 §5.4",
                "Zero padding that hides the content's length, encrypted.");
      hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " zero bytes, encrypted",
                                 ri->padding_size);
    }
  f = part (encrypted, "tag", ri->tag_offset, ri->tag_size, "RFC 8446 §5.2",
            "The AEAD authentication tag over the additional data and the ciphertext.");
  hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes", ri->tag_size);

  add_sequence_number (root, ri, "RFC 8446 §5.3");
  add_xor_nonce (root, ri, keys, "RFC 8446 §5.3");
  computed (root, "additional_data", "RFC 8446 §5.2",
            "The AEAD additional data: the record header itself (opaque_type ‖ "
            "legacy_record_version ‖ length), authenticated but not encrypted.",
            hex (ri->aad, ri->aad_size));
  inner = g_strdup_printf ("content (%" G_GSIZE_FORMAT " bytes) ‖ type %s (1 byte) ‖ %"
                           G_GSIZE_FORMAT " zero bytes", ri->content_size,
                           type_name (ri->inner_type), ri->padding_size);
  computed (root, "TLSInnerPlaintext", "RFC 8446 §5.2",
            "What was encrypted: the content, its real content type, then optional zeros.",
            g_steal_pointer (&inner));
}

/* seq_num ‖ type ‖ version ‖ length, the TLS 1.2 additional data and MAC header. */
static void
add_pseudo_header (HlField *root, const HlRecordInternals *ri, const char *name,
                   const char *rfc, const char *explanation, const char *length_of)
{
  HlField *f = computed (root, name, rfc, explanation, hex (ri->aad, ri->aad_size));
  g_autofree char *length = g_strdup_printf ("%u: the length of %s",
                                             ri->aad[11] << 8 | ri->aad[12], length_of);

  computed (f, "seq_num", rfc, "The sequence number, 8 bytes big-endian.", hex (ri->aad, 8));
  computed (f, "type", rfc, "The record header's content type.", hex (ri->aad + 8, 1));
  computed (f, "version", rfc, "The record header's version.", hex (ri->aad + 9, 2));
  computed (f, "length", rfc, "Not the header's length field.", g_steal_pointer (&length));
}

static void
add_tls12_aead (HlField *root, HlField *encrypted, const HlRecordInternals *ri,
                const char *keys)
{
  gboolean gcm = ri->explicit_size > 0;
  const char *rfc = gcm ? "RFC 5288 §3" : "RFC 7905 §2";
  HlField *f;

  if (gcm)
    {
      f = part (encrypted, "explicit_nonce", ri->explicit_offset, ri->explicit_size, rfc,
                "The nonce_explicit: the 8 bytes of the nonce the sender puts in each record "
                "(GnuTLS writes the sequence number).");
      hl_field_take_value (f, hex (ri->nonce + 4, 8));
    }
  f = part (encrypted, "ciphertext", ri->encrypted_offset, ri->encrypted_size, rfc,
            "The content, encrypted.");
  hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes", ri->encrypted_size);
  f = part (encrypted, "tag", ri->tag_offset, ri->tag_size, rfc,
            "The AEAD authentication tag over the additional data and the ciphertext.");
  hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes", ri->tag_size);

  add_sequence_number (root, ri, "RFC 5246 §6.2.3.3");
  if (gcm)
    {
      g_autofree char *explanation = g_strdup_printf ("The AES-GCM nonce: the 4-byte implicit "
                                                      "salt (the sender's write IV from the key "
                                                      "block: %s) ‖ the 8-byte explicit nonce "
                                                      "from the record.", keys ? keys : "?");
      HlField *nonce = computed (root, "nonce", rfc, explanation, hex (ri->nonce, 12));

      computed (nonce, "salt", rfc, "client/server_write_IV: 4 bytes from the key block, never "
                "sent.", hex (ri->iv, ri->iv_size));
      computed (nonce, "explicit_nonce", rfc, "The 8 bytes at the start of the fragment.",
                hex (ri->nonce + 4, 8));
    }
  else
    add_xor_nonce (root, ri, keys, rfc);
  add_pseudo_header (root, ri, "additional_data", "RFC 5246 §6.2.3.3",
                     "The AEAD additional data: seq_num ‖ type ‖ version ‖ length, with the "
                     "length of the plaintext.", "the plaintext");
}

static void
add_cbc (HlField *root, HlField *encrypted, const HlRecordInternals *ri)
{
  gboolean etm = ri->protection == HL_RECORD_PROTECTION_TLS12_CBC_ETM;
  const char *rfc = etm ? "RFC 7366 §3" : "RFC 5246 §6.2.3.2";
  gsize at = ri->encrypted_offset;
  HlField *f, *ct;

  f = part (encrypted, "iv", ri->explicit_offset, ri->explicit_size, "RFC 5246 §6.2.3.2",
            "The explicit per-record IV, sent in the clear. The key block's write IV is not "
            "used by TLS 1.2 CBC.");
  hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes", ri->explicit_size);
  ct = part (encrypted, "ciphertext", ri->encrypted_offset, ri->encrypted_size, rfc,
             etm ? "content ‖ padding, encrypted block by block."
                 : "content ‖ MAC ‖ padding, encrypted block by block.");
  hl_field_set_value_printf (ct, "%" G_GSIZE_FORMAT " bytes", ri->encrypted_size);
  f = part (ct, "encrypted_content", at, ri->content_size, rfc, "The content, encrypted.");
  hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes", ri->content_size);
  at += ri->content_size;
  if (!etm)
    {
      f = part (ct, "encrypted_mac", at, ri->mac_size, rfc,
                "MAC-then-encrypt: the HMAC of seq_num ‖ type ‖ version ‖ length ‖ content, "
                "encrypted with the content.");
      hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes", ri->mac_size);
      at += ri->mac_size;
    }
  f = part (ct, "encrypted_padding", at, ri->padding_size, "RFC 5246 §6.2.3.2",
            "Padding to a whole block: padding_length + 1 bytes, each equal to padding_length, "
            "encrypted.");
  hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes", ri->padding_size);
  if (etm)
    {
      f = part (encrypted, "mac", ri->tag_offset, ri->tag_size, rfc,
                "Encrypt-then-MAC: the HMAC of seq_num ‖ type ‖ version ‖ length ‖ IV ‖ "
                "ciphertext, sent in the clear after the ciphertext.");
      hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " bytes", ri->tag_size);
    }

  add_sequence_number (root, ri, "RFC 5246 §6.2.3.1");
  add_pseudo_header (root, ri, "mac_header", etm ? "RFC 7366 §3" : "RFC 5246 §6.2.3.1",
                     "What the MAC covers first: seq_num ‖ type ‖ version ‖ length.",
                     etm ? "IV ‖ ciphertext" : "the content");
}

/**
 * hl_record_internals_add_fields:
 * @ri: how a record was opened
 * @keys: (nullable): the names of the keys, e.g. "client_write_key, client_write_iv"
 * @root: the record's field tree from hl_trace_decode_event(), with its encrypted_record
 *
 * Splits the record's encrypted bytes into their parts and adds the computed values (sequence
 * number, nonce, additional data) as derived fields of @root.
 */
void
hl_record_internals_add_fields (const HlRecordInternals *ri, const char *keys, HlField *root)
{
  HlField *encrypted;

  g_return_if_fail (ri != NULL);
  g_return_if_fail (root != NULL);

  encrypted = hl_field_find (root, "encrypted_record");
  if (encrypted == NULL || hl_field_get_n_children (encrypted) > 0)
    return;
  switch (ri->protection)
    {
    case HL_RECORD_PROTECTION_TLS13_AEAD:
      add_tls13 (root, encrypted, ri, keys);
      break;
    case HL_RECORD_PROTECTION_TLS12_AEAD:
      add_tls12_aead (root, encrypted, ri, keys);
      break;
    case HL_RECORD_PROTECTION_TLS12_CBC:
    case HL_RECORD_PROTECTION_TLS12_CBC_ETM:
      add_cbc (root, encrypted, ri);
      break;
    default:
      break;
    }
}

/* --- Finding a record's internals ------------------------------------------------------------ */

/* The key schedule of a finished trace, computed once and kept with it (a finished trace does
 * not change); a trace still being built gets a fresh one. */
static HlKeySchedule *
schedule_for (HlTrace *trace, gboolean *owned)
{
  static GMutex lock;
  HlKeySchedule *schedule;

  *owned = !hl_trace_is_finished (trace);
  if (*owned)
    return hl_keyschedule_compute (trace, NULL);
  g_mutex_lock (&lock);
  schedule = g_object_get_data (G_OBJECT (trace), "hl-record-internals-schedule");
  if (schedule == NULL)
    {
      schedule = hl_keyschedule_compute (trace, NULL);
      if (schedule)
        g_object_set_data_full (G_OBJECT (trace), "hl-record-internals-schedule", schedule,
                                (GDestroyNotify) hl_keyschedule_free);
    }
  g_mutex_unlock (&lock);
  return schedule;
}

/**
 * hl_trace_decode_with_internals:
 * @trace: a trace
 * @event: one of its events
 * @error: return location for an %HL_PARSE_ERROR
 *
 * hl_trace_decode_event() with, for a protected record that decrypts, its internals (see
 * hl_record_internals_add_fields()), recomputed from the trace's keys and bytes.
 *
 * Returns: (transfer full) (nullable): the field tree
 */
HlField *
hl_trace_decode_with_internals (HlTrace *trace, HlEvent *event, GError **error)
{
  HlField *root = hl_trace_decode_event (trace, event, error);
  HlKeySchedule *schedule;
  gboolean owned = FALSE;

  if (root == NULL || hl_event_get_kind (event) != HL_EVENT_RECORD ||
      hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT)
    return root;
  schedule = schedule_for (trace, &owned);
  for (guint i = 0; schedule && i < schedule->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (schedule->records, i);

      if (rd->record == hl_event_get_index (event) && rd->internals)
        hl_record_internals_add_fields (rd->internals, rd->keys, root);
    }
  if (owned)
    hl_keyschedule_free (schedule);
  return root;
}
