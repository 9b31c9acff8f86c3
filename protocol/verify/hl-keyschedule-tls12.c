/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule"
#include "config.h"

#include <string.h>

#include "hl-kdf.h"
#include "hl-keyschedule-private.h"

/*
 * The key schedule, TLS 1.2 (see hl-keyschedule-private.h): the master secret (RFC 5246 §8.1,
 * RFC 7627 §4), the key block (§6.3) and the Finished verify_data (§7.4.9).
 */

/* --- TLS 1.2 --------------------------------------------------------------------------------- */

static GBytes *
derive_master_secret_12 (Handshake *hs)
{
  const HlSecret *pms = hl_ks_library_secret (hs, "premaster_secret");
  const HlSecret *ms;
  HlSecret *derived;
  HlSecret *session_hash = NULL;
  g_autoptr(GBytes) value = NULL;
  const char *rest = "The keys and Finished values below are computed from GnuTLS's master "
                     "secret.";

  if (hs->resumed)
    {
      hl_ks_add_hidden (hs, "master_secret.derived", "Master secret (re-derived)", NULL,
                        g_strdup_printf ("Not re-derived: a resumed handshake has no key exchange "
                                         "and so no premaster secret; it reuses the master secret "
                                         "of the session it resumes (RFC 5077 §3.4). %s", rest));
      return hl_ks_library_value (hs, "master_secret");
    }
  if (pms == NULL)
    {
      const HlSecret *entry = hl_ks_library_entry (hs, "premaster_secret");

      hl_ks_add_hidden (hs, "master_secret.derived", "Master secret (re-derived)",
                        hs->ems ? "PRF(premaster_secret, \"extended master secret\", session_hash)"
                                  "[0..47]"
                                : "PRF(premaster_secret, \"master secret\", client_random ‖ "
                                  "server_random)[0..47]",
                        g_strdup_printf ("Not re-derived: the premaster secret is not "
                                         "available (%s) %s",
                                         entry && entry->note ? entry->note
                                                              : "GnuTLS did not report it.",
                                         rest));
      return hl_ks_library_value (hs, "master_secret");
    }

  if (hs->ems)
    {
      int cke = hl_ks_find_message (hs, HT_CLIENT_KEY_EXCHANGE, HL_SIDE_CLIENT);

      /* RFC 7627 §3: every message up to and including ClientKeyExchange — with a client
       * certificate that includes its Certificate, not its CertificateVerify. */
      session_hash = hl_ks_add_transcript_hash (hs, "session_hash",
                                                "Session hash (extended master secret seed)",
                                                (guint) cke + 1);
      if (session_hash->value)
        value = hl_tls12_extended_master_secret (hs->hash, pms->value, session_hash->value);
      derived = hl_ks_add_derived (hs, "master_secret.derived", "Master secret (re-derived, EMS)",
                                   value,
                                   "PRF(premaster_secret, \"extended master secret\", session_hash)"
                                   "[0..47]",
                                   "premaster_secret session_hash");
    }
  else
    {
      value = hl_tls12_master_secret (hs->hash, pms->value, hs->client_random,
                                      hs->server_random);
      derived = hl_ks_add_derived (hs, "master_secret.derived", "Master secret (re-derived)", value,
                                   "PRF(premaster_secret, \"master secret\", client_random ‖ "
                                   "server_random)[0..47]",
                                   "premaster_secret client_random server_random");
    }
  hl_ks_compare_library (hs, derived, "master_secret");
  if (session_hash)
    hl_ks_confirm (session_hash, derived);

  ms = hl_ks_library_secret (hs, "master_secret");
  return ms ? ms->value : derived->value;
}

static void
derive_key_block (Handshake *hs, GBytes *ms, const char *ms_name)
{
  /* RFC 5246 §6.3 and Appendix C; AES-GCM keeps a 4-byte salt (RFC 5288 §3), ChaCha20 a
   * 12-byte IV (RFC 7905 §2). For CBC GnuTLS still cuts a block-sized IV per side from the key
   * block (the TLS 1.0 layout); TLS 1.2 records carry their own IV and do not use it. */
  gsize mac_size = hs->cbc ? (gsize) gnutls_hmac_get_key_size (hs->record_mac) : 0;
  gsize key_size = gnutls_cipher_get_key_size (hs->cipher);
  gsize iv_size = hs->cbc ? (gsize) gnutls_cipher_get_block_size (hs->cipher)
                  : hs->cipher == GNUTLS_CIPHER_CHACHA20_POLY1305 ? 12 : 4;
  g_autoptr(HlTls12KeyBlock) kb = hl_tls12_key_block_new (hs->hash, ms, hs->server_random,
                                                          hs->client_random, mac_size,
                                                          key_size, iv_size);
  gsize total = 2 * (mac_size + key_size + iv_size);
  g_autofree char *formula = g_strdup_printf ("PRF(%s, \"key expansion\", server_random ‖ "
                                              "client_random)[0..%" G_GSIZE_FORMAT "]",
                                              ms_name, total - 1);
  g_autofree char *inputs = g_strdup_printf ("%s server_random client_random", ms_name);
  struct { const char *name; const char *label; gsize size; GBytes *value; } parts[] = {
    { "client_write_mac_key", "Client write MAC key", mac_size, kb ? kb->client_mac_key : NULL },
    { "server_write_mac_key", "Server write MAC key", mac_size, kb ? kb->server_mac_key : NULL },
    { "client_write_key", "Client write key", key_size, kb ? kb->client_key : NULL },
    { "server_write_key", "Server write key", key_size, kb ? kb->server_key : NULL },
    { "client_write_iv", "Client write IV", iv_size, kb ? kb->client_iv : NULL },
    { "server_write_iv", "Server write IV", iv_size, kb ? kb->server_iv : NULL },
  };
  HlSecret *ours[G_N_ELEMENTS (parts)] = { NULL };
  gsize offset = 0;

  hs->key_block = hl_ks_add_derived (hs, "key_block", "Key block", kb ? kb->block : NULL, formula,
                                     inputs);
  hs->key_pieces = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;
      g_autofree char *piece = NULL;

      if (parts[i].size == 0)
        continue;
      name = g_strdup_printf ("%s.derived", parts[i].name);
      label = g_strdup_printf ("%s (re-derived)", parts[i].label);
      piece = g_strdup_printf ("key_block[%" G_GSIZE_FORMAT "..%" G_GSIZE_FORMAT "]", offset,
                               offset + parts[i].size - 1);
      offset += parts[i].size;
      ours[i] = hl_ks_add_derived (hs, name, label, parts[i].value, piece, "key_block");
      hl_ks_compare_library (hs, ours[i], parts[i].name);
      if (hs->cbc && g_str_has_suffix (parts[i].name, "_iv"))
        {
          /* equal to what GnuTLS cut, but no record uses it */
          g_autofree char *note = ours[i]->note;

          ours[i]->note = g_strdup_printf ("%s%sNot used: TLS 1.2 CBC records carry their own "
                                           "explicit IV in front of the ciphertext (RFC 5246 "
                                           "§6.2.3.2); this piece of the key block is a leftover "
                                           "of the TLS 1.0 layout.", note ? note : "",
                                           note ? " " : "");
        }
      g_ptr_array_add (hs->key_pieces, ours[i]);
    }

  hl_ks_set_record_keys (hs, HL_SIDE_CLIENT, HL_EPOCH_APPLICATION, "client_", ours[2], ours[4],
                         ours[0]);
  hl_ks_set_record_keys (hs, HL_SIDE_SERVER, HL_EPOCH_APPLICATION, "server_", ours[3], ours[5],
                         ours[1]);
}

/* The key block itself is never reported; it is right when its pieces are. */
void
hl_ks_check_key_block (Handshake *hs)
{
  guint ok = 0, failed = 0;
  GString *failing = g_string_new (NULL);

  if (hs->key_block == NULL || hs->key_block->value == NULL)
    {
      g_string_free (failing, TRUE);
      return;
    }
  for (guint i = 0; i < hs->key_pieces->len; i++)
    {
      HlSecret *piece = g_ptr_array_index (hs->key_pieces, i);

      if (piece->check == HL_CHECK_OK)
        ok++;
      else if (piece->check == HL_CHECK_FAILED)
        {
          failed++;
          g_string_append_printf (failing, "%s%s", failing->len ? ", " : "", piece->name);
        }
    }
  if (failed > 0)
    {
      hs->key_block->check = HL_CHECK_FAILED;
      set_note (hs->key_block, g_strdup_printf ("GnuTLS does not report the key block; pieces "
                                                "of it differ from GnuTLS's keys: %s.",
                                                failing->str));
    }
  else if (ok > 0)
    {
      hs->key_block->check = HL_CHECK_OK;
      set_note (hs->key_block, g_strdup_printf ("GnuTLS does not report the key block; "
                                                "confirmed because %s of its %u pieces check "
                                                "out and none differs.",
                                                ok == hs->key_pieces->len ? "all" : "some",
                                                hs->key_pieces->len));
    }
  else
    set_note (hs->key_block, g_strdup ("GnuTLS does not report the key block or the keys cut "
                                       "from it, so it is unconfirmed."));
  g_string_free (failing, TRUE);
}

static void
derive_finished_12 (Handshake *hs, GBytes *ms, const char *ms_name, HlSide side)
{
  int index = hl_ks_find_message (hs, HT_FINISHED, side);
  const char *w = who (side);
  g_autofree char *th_name = g_strdup_printf ("transcript_hash.%s_finished", w);
  g_autofree char *th_label = g_strdup_printf ("Transcript hash for the %s's Finished", w);
  g_autofree char *vd_name = g_strdup_printf ("%s_verify_data", w);
  g_autofree char *vd_label = g_strdup_printf ("%s Finished verify_data",
                                               side == HL_SIDE_CLIENT ? "Client" : "Server");
  g_autofree char *formula = NULL;
  g_autofree char *inputs = NULL;
  g_autoptr(GBytes) value = NULL;
  HlSecret *th, *vd;

  if (index < 0)
    return;
  th = hl_ks_add_transcript_hash (hs, th_name, th_label, (guint) index);
  if (th->value)
    value = hl_tls12_verify_data (hs->hash, ms, side == HL_SIDE_CLIENT, th->value);
  formula = g_strdup_printf ("PRF(%s, \"%s finished\", %s)[0..11]", ms_name, w, th_name);
  inputs = g_strdup_printf ("%s %s", ms_name, th_name);
  vd = hl_ks_add_derived (hs, vd_name, vd_label, value, formula, inputs);
  hl_ks_compare_finished (vd, g_ptr_array_index (hs->messages, index));
  hl_ks_confirm (th, vd);
}

void
hl_ks_derive_tls12 (Handshake *hs)
{
  GBytes *ms;
  const char *ms_name;

  /* A handshake that stopped before the key exchange agreed on no secret. */
  if (!hs->resumed && hl_ks_find_message (hs, HT_CLIENT_KEY_EXCHANGE, HL_SIDE_CLIENT) < 0)
    return;
  ms = derive_master_secret_12 (hs);
  ms_name = hl_ks_library_value (hs, "master_secret") ? "master_secret" : "master_secret.derived";
  if (ms == NULL)
    return;
  derive_key_block (hs, ms, ms_name);
  derive_finished_12 (hs, ms, ms_name, HL_SIDE_CLIENT);
  derive_finished_12 (hs, ms, ms_name, HL_SIDE_SERVER);
}
