/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule"
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "hl-error.h"
#include "hl-kdf.h"
#include "hl-keyschedule-private.h"
#include "hl-tls-names.h"

/*
 * Sections: result types · the handshake under study · adding and checking values ·
 * transcripts · record keys · public API. The wire facts, each version's derivation and the
 * record pass are in their own files (see hl-keyschedule-private.h).
 *
 * What is taken from where. Randoms, the cipher suite and the negotiated extensions are read
 * from the ServerHello and ClientHello bytes of the trace, not from HlNegotiated, so that a
 * handshake that failed after its keys were set (and for which GnuTLS reports no suite) and a
 * loaded trace are treated like any other. Secrets come from the trace's library values;
 * derived values already in the trace (from an earlier apply) are never used as inputs.
 */

/* --- Result types ---------------------------------------------------------------------------- */

static void
record_decryption_free (HlRecordDecryption *rd)
{
  g_clear_pointer (&rd->plaintext, g_bytes_unref);
  g_free (rd->keys);
  g_free (rd->detail);
  g_free (rd->internals);
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
const HlSecret *
hl_ks_library_secret (Handshake *hs, const char *name)
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
const HlSecret *
hl_ks_library_entry (Handshake *hs, const char *name)
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

GBytes *
hl_ks_library_value (Handshake *hs, const char *name)
{
  const HlSecret *s = hl_ks_library_secret (hs, name);

  return s ? s->value : NULL;
}

/* Index in hs->messages of the first message of @type sent by @side, or -1. */
int
hl_ks_find_message (Handshake *hs, int type, HlSide side)
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

/* --- Adding and checking values -------------------------------------------------------------- */
char *
hl_ks_short_hex (GBytes *bytes)
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
/* A value we computed. @inputs is a space-separated list of names. A %NULL @value means a
 * GnuTLS primitive refused to compute it, which is a failed check, not a hidden value. */
HlSecret *
hl_ks_add_derived (Handshake *hs, const char *name, const char *label, GBytes *value,
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
HlSecret *
hl_ks_add_hidden (Handshake *hs, const char *name, const char *label, const char *formula,
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
void
hl_ks_compare_library (Handshake *hs, HlSecret *secret, const char *library_name)
{
  const HlSecret *lib = hl_ks_library_secret (hs, library_name);

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
      g_autofree char *theirs = hl_ks_short_hex (lib->value);
      g_autofree char *ours = hl_ks_short_hex (secret->value);

      secret->check = HL_CHECK_FAILED;
      set_note (secret, g_strdup_printf ("Differs from GnuTLS's %s: ours %s, GnuTLS's %s.",
                                         library_name, ours, theirs));
    }
}

/* Compares a verify_data with the body of the Finished message @finished. */
void
hl_ks_compare_finished (HlSecret *secret, HlEvent *finished)
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
      set_note (secret, g_strdup_printf ("Equal to the verify_data in the %s's Finished "
                                         "message.", w));
    }
  else
    {
      g_autofree char *theirs = hl_ks_short_hex (body);
      g_autofree char *ours = hl_ks_short_hex (secret->value);

      secret->check = HL_CHECK_FAILED;
      set_note (secret, g_strdup_printf ("Differs from the verify_data in the %s's Finished "
                                         "message: ours %s, on the wire %s.", w, ours, theirs));
    }
}

/* A value GnuTLS never reports (a transcript hash, a finished key) is confirmed when a value
 * computed from it checks out; otherwise it stays unchecked, and says why. */
void
hl_ks_confirm (HlSecret *secret, const HlSecret *by)
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
HlSecret *
hl_ks_add_transcript_hash (Handshake *hs, const char *name, const char *label, guint n)
{
  g_autofree GBytes **messages = g_new0 (GBytes *, MAX (n, 1));
  g_autofree char *list = describe_messages (hs, n);
  g_autofree char *formula = g_strdup_printf ("%s(%s)", hash_name (hs->hash), list);
  g_autoptr(GBytes) value = NULL;

  for (guint i = 0; i < n; i++)
    messages[i] = hl_event_get_bytes (g_ptr_array_index (hs->messages, i));
  value = hl_transcript_hash ((gnutls_digest_algorithm_t) hs->hash, messages, n,
                              hs->tls13 && hs->hrr && n > 0);
  return hl_ks_add_derived (hs, name, label, value, formula, "handshake_messages");
}

/* --- Record keys ----------------------------------------------------------------------------- */

/* Sets the keys the record pass uses for @sender in @epoch: GnuTLS's where it reported them
 * (they are what the records were protected with), else ours. */
void
hl_ks_set_record_keys (Handshake *hs, HlSide sender, HlEpoch epoch, const char *prefix,
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
      GBytes *lib = hl_ks_library_value (hs, parts[i].name);

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

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  items = hl_ks_items_by_record (trace, error);
  if (items == NULL)
    return NULL;

  schedule = g_new0 (HlKeySchedule, 1);
  schedule->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_secret_free);
  schedule->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_decryption_free);

  n_handshakes = MAX (hl_trace_get_n_handshakes (trace), 1);
  n_events = hl_trace_get_n_events (trace);
  hss = g_new0 (Handshake, n_handshakes);

  for (guint h = 0; h < n_handshakes; h++)
    {
      Handshake *hs = &hss[h];

      hs->trace = trace;
      hs->handshake = h;
      hs->out = schedule->secrets;
      if (!hl_ks_study_handshake (hs))
        continue;
      if (hs->tls13)
        hl_ks_derive_tls13 (hs);
      else
        hl_ks_derive_tls12 (hs);
      hl_ks_check_resumption (hs);
      hl_ks_open_ticket (hs);
    }

  hl_ks_decrypt_records (trace, hss, n_handshakes, items, schedule->records);

  for (guint h = 0; h < n_handshakes; h++)
    {
      hl_ks_confirm_keys_by_records (&hss[h]);
      hl_ks_check_key_block (&hss[h]);
      handshake_clear (&hss[h]);
    }
  for (guint i = 0; i < n_events; i++)
    g_clear_pointer (&items[i], g_ptr_array_unref);
  g_free (items);
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