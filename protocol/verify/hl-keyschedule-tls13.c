/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule"
#include "config.h"

#include <string.h>

#include "hl-kdf.h"
#include "hl-keyschedule-private.h"

/*
 * The key schedule, TLS 1.3 (see hl-keyschedule-private.h): the secrets of RFC 8446 §7.1, the
 * traffic keys of §7.3 and the Finished verify_data of §4.4.4.
 */

/* --- TLS 1.3 --------------------------------------------------------------------------------- */

static void
derive_traffic_keys (Handshake *hs, const char *secret_name, HlSide sender, HlEpoch epoch)
{
  GBytes *secret = hl_ks_library_value (hs, secret_name);
  g_autofree char *prefix = g_strdup_printf ("%s_%s", who (sender),
                                             epoch == HL_EPOCH_HANDSHAKE ? "handshake_" : "");
  gsize key_size = gnutls_cipher_get_key_size (hs->cipher);
  gsize iv_size = 12; /* every TLS 1.3 AEAD, RFC 8446 §5.3 */
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) iv = NULL;
  HlSecret *ours[2];
  const char *what[2] = { "key", "iv" };

  if (secret == NULL)
    {
      /* GnuTLS's keys, if any, still decrypt the records. */
      hl_ks_set_record_keys (hs, sender, epoch, prefix, NULL, NULL, NULL);
      return;
    }
  hl_tls13_traffic_keys (hs->hash, secret, key_size, iv_size, &key, &iv);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *lib_name = g_strdup_printf ("%swrite_%s", prefix, what[i]);
      g_autofree char *name = g_strdup_printf ("%s.derived", lib_name);
      g_autofree char *label = g_strdup_printf ("%s %s%s (re-derived)",
                                                sender == HL_SIDE_CLIENT ? "Client" : "Server",
                                                epoch == HL_EPOCH_HANDSHAKE ? "handshake " : "",
                                                i == 0 ? "write key" : "write IV");
      g_autofree char *formula = g_strdup_printf ("HKDF-Expand-Label(%s, \"%s\", \"\", %"
                                                  G_GSIZE_FORMAT ")", secret_name, what[i],
                                                  i == 0 ? key_size : iv_size);

      ours[i] = hl_ks_add_derived (hs, name, label, i == 0 ? key : iv, formula, secret_name);
      hl_ks_compare_library (hs, ours[i], lib_name);
    }
  hl_ks_set_record_keys (hs, sender, epoch, prefix, ours[0], ours[1], NULL);
}

static void
derive_finished_13 (Handshake *hs, HlSide side)
{
  int index = hl_ks_find_message (hs, HT_FINISHED, side);
  const char *w = who (side);
  const char *base_name = side == HL_SIDE_CLIENT ? "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
                                                 : "SERVER_HANDSHAKE_TRAFFIC_SECRET";
  GBytes *base = hl_ks_library_value (hs, base_name);
  gsize hlen = hash_size (hs->hash);
  g_autofree char *fk_name = g_strdup_printf ("%s_finished_key", w);
  g_autofree char *fk_label = g_strdup_printf ("%s finished_key",
                                               side == HL_SIDE_CLIENT ? "Client" : "Server");
  g_autofree char *fk_formula = g_strdup_printf ("HKDF-Expand-Label(%s, \"finished\", \"\", %"
                                                 G_GSIZE_FORMAT ")", base_name, hlen);
  g_autofree char *th_name = g_strdup_printf ("transcript_hash.%s_finished", w);
  g_autofree char *th_label = g_strdup_printf ("Transcript hash for the %s's Finished", w);
  g_autofree char *vd_name = g_strdup_printf ("%s_verify_data", w);
  g_autofree char *vd_label = g_strdup_printf ("%s Finished verify_data",
                                               side == HL_SIDE_CLIENT ? "Client" : "Server");
  g_autofree char *vd_formula = g_strdup_printf ("HMAC-%s(%s, %s)",
                                                 hs->hash == GNUTLS_MAC_SHA384 ? "SHA384"
                                                                               : "SHA256",
                                                 fk_name, th_name);
  g_autofree char *vd_inputs = g_strdup_printf ("%s %s", fk_name, th_name);
  g_autoptr(GBytes) finished_key = NULL;
  g_autoptr(GBytes) verify_data = NULL;
  HlSecret *fk, *th, *vd;

  if (index < 0 || base == NULL)
    return;
  finished_key = hl_tls13_finished_key (hs->hash, base);
  fk = hl_ks_add_derived (hs, fk_name, fk_label, finished_key, fk_formula, base_name);
  th = hl_ks_add_transcript_hash (hs, th_name, th_label, (guint) index);
  /* RFC 8446 §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
   * Certificate*, CertificateVerify*)) */
  if (th->value)
    verify_data = hl_tls13_finished (hs->hash, base, th->value);
  vd = hl_ks_add_derived (hs, vd_name, vd_label, verify_data, vd_formula, vd_inputs);
  hl_ks_compare_finished (vd, g_ptr_array_index (hs->messages, index));
  hl_ks_confirm (fk, vd);
  hl_ks_confirm (th, vd);
}

/* The links above the traffic secrets (RFC 8446 §7.1). Without a PSK the early secret is
 * HKDF-Extract(0, 0) and its "derived" salt a constant of the hash: computed here, though no
 * value of the run can confirm them (the next step also needs the hidden (EC)DHE shared
 * secret). With a PSK they come from the hidden resumption master secret. */
static void
derive_early_links (Handshake *hs)
{
  gsize hlen = hash_size (hs->hash);
  HlSecret *s;

  if (!hs->resumed)
    {
      g_autoptr(GBytes) early = hl_tls13_early_secret (hs->hash, NULL);
      g_autoptr(GBytes) derived = early ? hl_tls13_derived (hs->hash, early) : NULL;
      g_autofree char *early_formula = g_strdup_printf ("HKDF-Extract(salt = 0, IKM = 0): "
                                                        "no PSK, so both are %" G_GSIZE_FORMAT
                                                        " zero bytes", hlen);

      s = hl_ks_add_derived (hs, "early_secret.derived", "Early secret (TLS 1.3)", early,
                             early_formula, "");
      if (early)
        set_note (s, g_strdup ("A constant of the hash: the same for every TLS 1.3 handshake "
                               "without a PSK. GnuTLS does not report it, and nothing in the run "
                               "is computed from it alone (the handshake secret also needs the "
                               "hidden (EC)DHE shared secret), so no value of this run confirms "
                               "it; the test suite checks the SHA-256 value against RFC 8448 "
                               "§3."));
      s = hl_ks_add_derived (hs, "derived_for_handshake.derived",
                             "Salt for the handshake secret", derived,
                             "Derive-Secret(early_secret, \"derived\", \"\")", "early_secret");
      if (derived)
        set_note (s, g_strdup ("Also a constant of the hash without a PSK, confirmed by nothing "
                               "in the run for the same reason as the early secret; the test "
                               "suite checks the SHA-256 value against RFC 8448 §3."));
    }
  else
    {
      s = hl_ks_add_hidden (hs, "early_secret.derived", "Early secret (TLS 1.3)",
                            "HKDF-Extract(salt = 0, IKM = resumption_psk)",
                            g_strdup ("Not re-derived: it comes from the resumption PSK, which "
                                      "GnuTLS does not expose. GnuTLS does log the client early "
                                      "traffic secret and the early exporter secret derived from "
                                      "it."));
      hl_ks_set_inputs (s, "resumption_psk");
      s = hl_ks_add_hidden (hs, "binder_key.derived", "PSK binder key",
                            "Derive-Secret(early_secret, \"res binder\", \"\")",
                            g_strdup ("Not re-derived: it comes from the early secret, which "
                                      "GnuTLS keeps to itself; so the PSK binder in the "
                                      "ClientHello (RFC 8446 §4.2.11.2) cannot be recomputed "
                                      "either."));
      hl_ks_set_inputs (s, "early_secret");
      s = hl_ks_add_hidden (hs, "derived_for_handshake.derived", "Salt for the handshake secret",
                            "Derive-Secret(early_secret, \"derived\", \"\")",
                            g_strdup ("Not re-derived: it comes from the early secret, which "
                                      "GnuTLS keeps to itself."));
      hl_ks_set_inputs (s, "early_secret");
    }
}

void
hl_ks_derive_tls13 (Handshake *hs)
{
  HlSecret *s;

  derive_early_links (hs);
  s = hl_ks_add_hidden (hs, "handshake_secret.derived", "Handshake secret (TLS 1.3)",
                        "HKDF-Extract(Derive-Secret(early_secret, \"derived\", \"\"), "
                        "ecdhe_shared_secret)",
                        g_strdup_printf ("Not re-derived: GnuTLS exposes neither the (EC)DHE "
                                         "shared secret nor the handshake secret%s. So the "
                                         "handshake traffic secrets "
                                         "(Derive-Secret(handshake_secret, \"c hs traffic\" / \"s "
                                         "hs traffic\", ClientHello…ServerHello)) are taken from "
                                         "GnuTLS's key log and the schedule is checked from them "
                                         "onward.",
                                         hs->resumed
                                           ? ", and the early secret comes from a PSK it does "
                                             "not expose either"
                                           : " (the early secret, HKDF-Extract(0, 0), is the "
                                             "same for every full handshake)"));
  hl_ks_set_inputs (s, "derived_for_handshake ecdhe_shared_secret");
  s = hl_ks_add_hidden (hs, "derived_for_master.derived", "Salt for the master secret",
                        "Derive-Secret(handshake_secret, \"derived\", \"\")",
                        g_strdup ("Not re-derived: it comes from the handshake secret, which "
                                  "GnuTLS keeps to itself."));
  hl_ks_set_inputs (s, "handshake_secret");
  s = hl_ks_add_hidden (hs, "master_secret_13.derived", "Master secret (TLS 1.3)",
                        "HKDF-Extract(Derive-Secret(handshake_secret, \"derived\", \"\"), 0)",
                        g_strdup ("Not re-derived: it comes from the handshake secret, which "
                                  "GnuTLS keeps to itself. The application traffic secrets and the "
                                  "exporter secret (Derive-Secret(master_secret, \"c ap traffic\" "
                                  "/ \"s ap traffic\" / \"exp master\", ClientHello…server "
                                  "Finished)) are taken from GnuTLS's key log."));
  hl_ks_set_inputs (s, "derived_for_master");
  s = hl_ks_add_hidden (hs, "resumption_master_secret.derived", "Resumption master secret",
                        "Derive-Secret(master_secret, \"res master\", "
                        "ClientHello…client Finished)",
                        g_strdup ("Not re-derived: it comes from the master secret, which GnuTLS "
                                  "keeps to itself. A later connection's resumption PSK is "
                                  "HKDF-Expand-Label(resumption_master_secret, \"resumption\", "
                                  "ticket_nonce, Hash.length) (RFC 8446 §4.6.1)."));
  hl_ks_set_inputs (s, "master_secret_13");
  derive_traffic_keys (hs, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", HL_SIDE_CLIENT,
                       HL_EPOCH_HANDSHAKE);
  derive_traffic_keys (hs, "SERVER_HANDSHAKE_TRAFFIC_SECRET", HL_SIDE_SERVER,
                       HL_EPOCH_HANDSHAKE);
  derive_traffic_keys (hs, "CLIENT_TRAFFIC_SECRET_0", HL_SIDE_CLIENT, HL_EPOCH_APPLICATION);
  derive_traffic_keys (hs, "SERVER_TRAFFIC_SECRET_0", HL_SIDE_SERVER, HL_EPOCH_APPLICATION);
  derive_finished_13 (hs, HL_SIDE_SERVER);
  derive_finished_13 (hs, HL_SIDE_CLIENT);
}
