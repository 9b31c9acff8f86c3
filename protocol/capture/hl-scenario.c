/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-scenario"
#include "config.h"

#include <gnutls/gnutls.h>

#include "hl-scenario.h"

/* Defaults every scenario starts from: TLS 1.2 with an RSA certificate, AES-128-GCM. */
#define BASE .cert = HL_CERT_RSA, .cipher = HL_CIPHER_AES_128_GCM

static const HlScenario scenarios[] = {
  { "tls12-rsa", "TLS 1.2 with RSA key exchange", HL_SCENARIO_GROUP_CLASSIC,
    "The textbook handshake. Client and server agree on parameters in the clear; the client checks "
    "the server's certificate against the authority it trusts, makes up a 48-byte premaster secret "
    "and sends it encrypted with the server's RSA public key. Both derive the master secret and "
    "the session keys from it, switch to them with ChangeCipherSpec, and prove with Finished that "
    "they saw the same conversation. No forward secrecy: whoever gets the server's private key can "
    "decrypt the premaster secret later — which is exactly how this app shows it.",
    { HL_VERSION_TLS12, HL_KX_RSA, BASE, .ems = FALSE } },
  { "tls12-rsa-ems", "TLS 1.2 RSA with extended master secret", HL_SCENARIO_GROUP_TLS12,
    "The same RSA key exchange, but the master secret is bound to a hash of the whole handshake "
    "so far (RFC 7627) instead of only the two random values, which defeats the triple-handshake "
    "attack.",
    { HL_VERSION_TLS12, HL_KX_RSA, BASE, .ems = TRUE } },
  { "tls12-ecdhe-rsa", "TLS 1.2 ECDHE with an RSA certificate", HL_SCENARIO_GROUP_TLS12,
    "Forward-secret key exchange: both sides contribute an ephemeral elliptic-curve key and "
    "compute the premaster secret with Diffie-Hellman. The server signs its share with its RSA key; "
    "the certificate only proves identity, it never encrypts anything.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE } },
  { "tls12-ecdhe-ecdsa", "TLS 1.2 ECDHE with an ECDSA certificate", HL_SCENARIO_GROUP_TLS12,
    "Ephemeral elliptic-curve Diffie-Hellman, with the server's share signed by an ECDSA P-256 "
    "key.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, .cert = HL_CERT_ECDSA, .cipher = HL_CIPHER_AES_128_GCM,
      .ems = TRUE } },
  { "tls12-cbc", "TLS 1.2 RSA with AES-CBC and HMAC-SHA1", HL_SCENARIO_GROUP_TLS12,
    "An older record protection: AES-128 in CBC mode plus a separate HMAC-SHA1 integrity key for "
    "each direction, with encrypt-then-MAC (RFC 7366). The key block now also holds MAC keys.",
    { HL_VERSION_TLS12, HL_KX_RSA, .cert = HL_CERT_RSA, .cipher = HL_CIPHER_AES_128_CBC,
      .ems = TRUE, .etm = TRUE } },
  { "tls12-cbc-mte", "TLS 1.2 RSA with AES-CBC, MAC-then-encrypt", HL_SCENARIO_GROUP_TLS12,
    "The same AES-128-CBC and HMAC-SHA1 suite with encrypt-then-MAC switched off: each record is "
    "the IV followed by the encryption of plaintext, HMAC and padding, so the receiver must "
    "decrypt and strip the padding before it can check the MAC. Timing differences in that "
    "check gave padding-oracle attacks such as Lucky Thirteen, which is why RFC 7366 moved the "
    "MAC outside the encryption.",
    { HL_VERSION_TLS12, HL_KX_RSA, .cert = HL_CERT_RSA, .cipher = HL_CIPHER_AES_128_CBC,
      .ems = TRUE, .etm = FALSE } },
  { "tls12-chacha20", "TLS 1.2 ECDHE with ChaCha20-Poly1305", HL_SCENARIO_GROUP_TLS12,
    "Ephemeral elliptic-curve Diffie-Hellman with the ChaCha20-Poly1305 AEAD of RFC 7905, a "
    "cipher that is fast without AES hardware. The 12-byte nonce of each record is the write IV "
    "XORed with the record's sequence number, so no part of it travels on the wire, and the key "
    "block holds no MAC keys: Poly1305 is the integrity check.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, .cert = HL_CERT_RSA,
      .cipher = HL_CIPHER_CHACHA20_POLY1305, .ems = TRUE } },
  { "tls12-mtls", "TLS 1.2 mutual TLS", HL_SCENARIO_GROUP_TLS12,
    "The server asks the client for a certificate too. The client sends its certificate and signs "
    "the handshake so far with its private key (CertificateVerify). The server checks the "
    "certificate's chain against the authority it trusts, and the signature with the public key "
    "in that certificate.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE, .client_auth = TRUE } },
  { "tls12-resume-ticket", "TLS 1.2 session ticket resumption", HL_SCENARIO_GROUP_TLS12,
    "Two connections. In the first, the server hands the client an encrypted session ticket; in "
    "the second, the client presents it and both sides skip certificates and key exchange, reusing "
    "the master secret of the first connection with fresh random values.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE, .resumption = TRUE } },
  { "tls12-downgrade-sentinel", "TLS 1.2 client, TLS 1.3 server: the downgrade sentinel",
    HL_SCENARIO_GROUP_TLS12,
    "A client that speaks only TLS 1.2 meets a server that also speaks TLS 1.3. They agree on "
    "TLS 1.2, and the server says so in the last 8 bytes of its random: DOWNGRD followed by "
    "01 (RFC 8446 §4.1.3). This client offered nothing newer and goes on. A client that had "
    "offered TLS 1.3 would abort with illegal_parameter on seeing those bytes, because then "
    "someone on the path must have removed its offer.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE, .server_tls13 = TRUE } },
  { "tls12-ocsp", "TLS 1.2 with a stapled OCSP response", HL_SCENARIO_GROUP_TLS12,
    "The client asks for the certificate's revocation status (status_request), and the server "
    "sends an OCSP response right after its certificate, in a CertificateStatus message: signed "
    "by the authority that issued the certificate and made minutes ago, it says the certificate "
    "is good. The client checks that signature without contacting anyone (RFC 6066 §8).",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE, .ocsp = TRUE } },
  { "tls13", "TLS 1.3", HL_SCENARIO_GROUP_TLS13,
    "The modern handshake in one round trip. The client sends its key share right away; everything "
    "after ServerHello is encrypted, including the server's certificate. Keys come from an HKDF "
    "key schedule instead of a PRF.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE } },
  { "tls13-x25519", "TLS 1.3 with X25519", HL_SCENARIO_GROUP_TLS13,
    "TLS 1.3 as most clients run it today: the key shares are on Curve25519 (X25519, RFC 7748), "
    "32 bytes each instead of the 65 of a P-256 point.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .group = HL_GROUP_X25519 } },
  { "tls13-x25519mlkem768", "TLS 1.3 with hybrid post-quantum X25519MLKEM768",
    HL_SCENARIO_GROUP_TLS13,
    "The key share browsers send today: an ML-KEM-768 encapsulation key and an X25519 share in "
    "one (IANA group 0x11EC), so that recorded traffic stays secret even against a future quantum "
    "computer. Both secrets feed the TLS 1.3 key schedule.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .group = HL_GROUP_X25519_MLKEM768,
      .server_group = HL_GROUP_X25519_MLKEM768 } },
  { "tls13-ecdsa", "TLS 1.3 with an ECDSA certificate", HL_SCENARIO_GROUP_TLS13,
    "TLS 1.3 where the server proves its identity with an ECDSA P-256 signature.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, .cert = HL_CERT_ECDSA,
      .cipher = HL_CIPHER_AES_128_GCM } },
  { "tls13-hrr", "TLS 1.3 HelloRetryRequest", HL_SCENARIO_GROUP_TLS13,
    "The client guesses the wrong group for its key share: the server answers with a "
    "HelloRetryRequest naming the group it wants, and the client starts again with a second "
    "ClientHello. The transcript replaces the first ClientHello by its hash (message_hash).",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .group = HL_GROUP_SECP256R1,
      .server_group = HL_GROUP_SECP384R1 } },
  { "tls13-mtls", "TLS 1.3 mutual TLS", HL_SCENARIO_GROUP_TLS13,
    "TLS 1.3 with a CertificateRequest: the client answers with its own certificate and "
    "CertificateVerify, encrypted like the rest of the handshake.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .client_auth = TRUE } },
  { "tls13-resume-psk", "TLS 1.3 PSK resumption", HL_SCENARIO_GROUP_TLS13,
    "Two connections. After the first, the server sends a NewSessionTicket; the second connection "
    "offers it as a pre-shared key with a binder, and the server accepts it without sending its "
    "certificate again.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .resumption = TRUE } },
  { "tls13-ocsp", "TLS 1.3 with a stapled OCSP response", HL_SCENARIO_GROUP_TLS13,
    "The client asks for the certificate's revocation status (status_request), and the server "
    "staples an OCSP response to its certificate, inside the encrypted Certificate message: "
    "signed by the authority that issued the certificate and made minutes ago, it says the "
    "certificate is good. The client checks it without contacting anyone (RFC 8446 §4.4.2.1).",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .ocsp = TRUE } },
  { "fail-untrusted-ca", "Failure: certificate from an unknown authority", HL_SCENARIO_GROUP_FAILURES,
    "The server presents a certificate for the right name, but it was signed by an authority the "
    "client does not trust. The client stops and sends an unknown_ca alert.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE, .failure = HL_FAILURE_UNTRUSTED_CA } },
  { "fail-expired", "Failure: expired certificate", HL_SCENARIO_GROUP_FAILURES,
    "The server's certificate was signed by the trusted authority but its validity period is "
    "over. The client refuses it with a certificate_expired alert.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE, .failure = HL_FAILURE_EXPIRED } },
  { "fail-hostname", "Failure: certificate for another host", HL_SCENARIO_GROUP_FAILURES,
    "The certificate is valid and trusted, but it names other.test while the client wanted "
    "server.test. The client rejects it with a bad_certificate alert.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE, .failure = HL_FAILURE_HOSTNAME } },
  { "fail-no-shared-cipher", "Failure: no cipher in common", HL_SCENARIO_GROUP_FAILURES,
    "The client offers only AES-128-GCM suites and the server accepts only ChaCha20-Poly1305. The "
    "server cannot pick anything and answers the ClientHello with a handshake_failure alert.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE,
      .failure = HL_FAILURE_NO_SHARED_CIPHER } },
  { "fail-version-mismatch", "Failure: no protocol version in common", HL_SCENARIO_GROUP_FAILURES,
    "The client offers only the outdated TLS 1.1, and the server accepts nothing older than TLS "
    "1.2. The server rejects the ClientHello with a protocol_version alert.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE,
      .failure = HL_FAILURE_VERSION_MISMATCH } },
  { "fail-missing-client-cert", "Failure: client certificate required but missing",
    HL_SCENARIO_GROUP_FAILURES,
    "The server requires a client certificate, but the client has none and sends an empty "
    "Certificate message. The server ends the handshake with an alert.",
    { HL_VERSION_TLS12, HL_KX_ECDHE, BASE, .ems = TRUE, .client_auth = TRUE,
      .failure = HL_FAILURE_MISSING_CLIENT_CERT } },
  { "mitm-rejected", "Attack: someone in the middle, caught by the certificate check",
    HL_SCENARIO_GROUP_ATTACKS,
    "An attacker sits between client and server. It answers the client with its own certificate "
    "for server.test, signed by its own CA, and opens a second connection to the real server. "
    "The client checks the certificate against the authorities it trusts, does not know the "
    "issuer and ends the handshake with an unknown_ca alert: the attacker learns nothing, and "
    "the request never reaches the server.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .attack = HL_ATTACK_REJECTED } },
  { "mitm-trusted-ca", "Attack: the attacker's CA is in the client's trust store",
    HL_SCENARIO_GROUP_ATTACKS,
    "The same attacker, but its CA was installed in the client's trust store, as corporate "
    "inspection proxies and some malware do. Both handshakes succeed, each with its own keys: "
    "the attacker decrypts the client's request, changes a header, encrypts it again for the "
    "server, and reads the response on its way back. The client's checks all pass.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .attack = HL_ATTACK_TRUSTED_CA } },
  { "mitm-no-check", "Attack: a client that skips the certificate check",
    HL_SCENARIO_GROUP_ATTACKS,
    "The bug this app exists to show: a client that never checks the server's certificate "
    "accepts the attacker's as readily as the real one. The attacker reads and changes the "
    "traffic exactly as if its CA were trusted.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .attack = HL_ATTACK_NO_CHECK } },
  { "mitm-downgrade", "Attack: hiding the client's TLS 1.3 offer", HL_SCENARIO_GROUP_ATTACKS,
    "Client and server both speak TLS 1.3 and TLS 1.2. An attacker on the path changes one byte "
    "of the ClientHello: the supported_versions extension gets a type nobody knows, so the "
    "server never sees the TLS 1.3 offer and falls back to TLS 1.2. But a TLS 1.3 server that "
    "does so ends its random in \"DOWNGRD\" 01, and the client, which did offer TLS 1.3, sees "
    "it in the ServerHello and aborts with illegal_parameter (RFC 8446 §4.1.3). The attacker "
    "holds no keys: it only relays bytes.",
    { HL_VERSION_TLS13, HL_KX_ECDHE, BASE, .attack = HL_ATTACK_DOWNGRADE } },
};

/* The table split once into what this GnuTLS can run and what it cannot. */
typedef struct
{
  HlScenario         available[G_N_ELEMENTS (scenarios)];
  guint              n_available;
  const HlScenario  *unavailable[G_N_ELEMENTS (scenarios)];
  guint              n_unavailable;
} Split;

static const Split *
get_split (void)
{
  static Split split;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
        if (hl_config_is_available (&scenarios[i].config, NULL))
          split.available[split.n_available++] = scenarios[i];
        else
          split.unavailable[split.n_unavailable++] = &scenarios[i];
      g_once_init_leave (&done, 1);
    }
  return &split;
}

const HlScenario *
hl_scenario_get_all (guint *n_scenarios)
{
  const Split *split = get_split ();

  g_return_val_if_fail (n_scenarios != NULL, NULL);
  *n_scenarios = split->n_available;
  return split->available;
}

const HlScenario *const *
hl_scenario_get_unavailable (guint *n_scenarios)
{
  const Split *split = get_split ();

  g_return_val_if_fail (n_scenarios != NULL, NULL);
  *n_scenarios = split->n_unavailable;
  return split->unavailable;
}

const HlScenario *
hl_scenario_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);
  {
    const Split *split = get_split ();

    /* the copy in the available list, so that pointers compare equal with hl_scenario_get_all */
    for (guint i = 0; i < split->n_available; i++)
      if (g_str_equal (split->available[i].id, id))
        return &split->available[i];
    for (guint i = 0; i < split->n_unavailable; i++)
      if (g_str_equal (split->unavailable[i]->id, id))
        return split->unavailable[i];
  }
  return NULL;
}

const char *
hl_scenario_group_title (HlScenarioGroup group)
{
  switch (group)
    {
    case HL_SCENARIO_GROUP_CLASSIC: return "Classic";
    case HL_SCENARIO_GROUP_TLS12: return "TLS 1.2";
    case HL_SCENARIO_GROUP_TLS13: return "TLS 1.3";
    case HL_SCENARIO_GROUP_FAILURES: return "Failures";
    case HL_SCENARIO_GROUP_ATTACKS: return "Attacks";
    default: g_return_val_if_reached ("");
    }
}

/* Each group by GnuTLS's name (gnutls_group_get_id(); the priority string's is "GROUP-" and
 * this) and by the name people know; NULL for the default. */
static const struct
{
  const char *gnutls;
  const char *label;
} groups[] = {
  [HL_GROUP_DEFAULT] = { NULL, NULL },
  [HL_GROUP_X25519] = { "X25519", "X25519" },
  [HL_GROUP_SECP256R1] = { "SECP256R1", "P-256" },
  [HL_GROUP_SECP384R1] = { "SECP384R1", "P-384" },
  [HL_GROUP_X25519_MLKEM768] = { "X25519-MLKEM768", "X25519MLKEM768" },
};

static const char *
group_gnutls_name (HlGroup group)
{
  return group < G_N_ELEMENTS (groups) ? groups[group].gnutls : NULL;
}

static const char *
group_label (HlGroup group)
{
  return group < G_N_ELEMENTS (groups) ? groups[group].label : NULL;
}

static const char *
cipher_priority (HlCipher cipher)
{
  switch (cipher)
    {
    case HL_CIPHER_AES_256_GCM: return "-CIPHER-ALL:+AES-256-GCM";
    case HL_CIPHER_CHACHA20_POLY1305: return "-CIPHER-ALL:+CHACHA20-POLY1305";
    case HL_CIPHER_AES_128_CBC: return "-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA1";
    case HL_CIPHER_AES_128_GCM:
    default: return "-CIPHER-ALL:+AES-128-GCM";
    }
}

char *
hl_config_dup_priority (const HlConfig *config, gboolean server)
{
  GString *p = g_string_new ("NORMAL:-VERS-ALL");
  HlVersion version = config->version;
  HlCipher cipher = config->cipher;

  /* The mismatch scenarios give each side a different, non-overlapping choice. The client of
   * the version mismatch offers only TLS 1.1 (with whatever suites that version has), which a
   * TLS 1.2-only server refuses. */
  if (config->failure == HL_FAILURE_VERSION_MISMATCH && !server)
    {
      g_string_append (p, ":+VERS-TLS1.1");
      return g_string_free (p, FALSE);
    }
  if (config->failure == HL_FAILURE_NO_SHARED_CIPHER && server)
    cipher = HL_CIPHER_CHACHA20_POLY1305;
  if (version == HL_VERSION_TLS13 && cipher == HL_CIPHER_AES_128_CBC)
    cipher = HL_CIPHER_AES_128_GCM; /* TLS 1.3 has no CBC suites */

  if (server && version == HL_VERSION_TLS12 && config->server_tls13)
    g_string_append (p, ":+VERS-TLS1.3");
  g_string_append (p, version == HL_VERSION_TLS13 ? ":+VERS-TLS1.3" : ":+VERS-TLS1.2");
  if (config->attack == HL_ATTACK_DOWNGRADE)
    g_string_append (p, ":+VERS-TLS1.2"); /* both would fall back; one is made to */
  if (version == HL_VERSION_TLS12)
    {
      if (config->kx == HL_KX_RSA)
        g_string_append (p, ":-KX-ALL:+RSA");
      else
        g_string_append (p, config->cert == HL_CERT_ECDSA ? ":-KX-ALL:+ECDHE-ECDSA"
                                                           : ":-KX-ALL:+ECDHE-RSA");
    }
  g_string_append_printf (p, ":%s", cipher_priority (cipher));

  if (server && config->server_group != HL_GROUP_DEFAULT)
    g_string_append_printf (p, ":-GROUP-ALL:+GROUP-%s",
                            group_gnutls_name (config->server_group));
  else if (!server && config->group != HL_GROUP_DEFAULT)
    {
      g_string_append_printf (p, ":-GROUP-ALL:+GROUP-%s", group_gnutls_name (config->group));
      if (config->server_group != HL_GROUP_DEFAULT && config->server_group != config->group)
        g_string_append_printf (p, ":+GROUP-%s", group_gnutls_name (config->server_group));
    }

  if (version == HL_VERSION_TLS12 && !config->ems)
    g_string_append (p, ":%NO_SESSION_HASH");
  if (version == HL_VERSION_TLS12 && cipher == HL_CIPHER_AES_128_CBC && !config->etm)
    g_string_append (p, ":%NO_ETM");
  return g_string_free (p, FALSE);
}

static const char *
cipher_label (HlCipher cipher)
{
  switch (cipher)
    {
    case HL_CIPHER_AES_256_GCM: return "AES-256-GCM";
    case HL_CIPHER_CHACHA20_POLY1305: return "ChaCha20-Poly1305";
    case HL_CIPHER_AES_128_CBC: return "AES-128-CBC + HMAC-SHA1";
    case HL_CIPHER_AES_128_GCM:
    default: return "AES-128-GCM";
    }
}

/* The group is known to this GnuTLS and its crypto back end implements it (gnutls_group_list()
 * lists only those). The hybrid ML-KEM groups came with GnuTLS 3.8.8 and need a back end with
 * ML-KEM (leancrypto); Debian 12, 13 and sid build without one. */
static gboolean
group_available (HlGroup group)
{
  const char *name = group_gnutls_name (group);
  gnutls_group_t id;
  const gnutls_group_t *list;

  if (name == NULL)
    return TRUE;
  id = gnutls_group_get_id (name);
  if (id == GNUTLS_GROUP_INVALID)
    return FALSE;
  for (list = gnutls_group_list (); *list != 0; list++)
    if (*list == id)
      return TRUE;
  return FALSE;
}

gboolean
hl_config_is_available (const HlConfig *config, char **reason)
{
  const HlGroup needed[] = { config->group, config->server_group };

  g_return_val_if_fail (config != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (!group_available (needed[i]))
      {
        if (reason != NULL)
          *reason = g_strdup_printf ("This GnuTLS (%s) does not offer the key-exchange group %s%s",
                                     gnutls_check_version (NULL), group_label (needed[i]),
                                     needed[i] == HL_GROUP_X25519_MLKEM768 ?
                                     ": it needs GnuTLS 3.8.8 or later built with ML-KEM "
                                     "(leancrypto). Nothing is shown rather than something made "
                                     "up." : ".");
        return FALSE;
      }
  return TRUE;
}

char *
hl_config_dup_summary (const HlConfig *config)
{
  GString *s = g_string_new (config->version == HL_VERSION_TLS12 ? "TLS 1.2"
                             : config->attack == HL_ATTACK_DOWNGRADE ? "TLS 1.3 and 1.2"
                                                                     : "TLS 1.3");

  if (config->version == HL_VERSION_TLS12)
    g_string_append (s, config->kx == HL_KX_RSA ? " · RSA key exchange" : " · ECDHE key exchange");
  g_string_append (s, config->cert == HL_CERT_ECDSA ? " · ECDSA certificate"
                                                    : " · RSA certificate");
  g_string_append_printf (s, " · %s", cipher_label (config->cipher));
  if (config->group == HL_GROUP_X25519 || config->group == HL_GROUP_X25519_MLKEM768)
    g_string_append_printf (s, " · %s", group_label (config->group));
  if (config->version == HL_VERSION_TLS12)
    g_string_append (s, config->ems ? " · extended master secret" : " · no EMS");
  if (config->client_auth)
    g_string_append (s, " · client certificate");
  if (config->resumption)
    g_string_append (s, " · resumption");
  if (config->ocsp)
    g_string_append (s, " · OCSP stapling");
  if (config->version == HL_VERSION_TLS12 && config->server_tls13)
    g_string_append (s, " · server also speaks TLS 1.3");
  if (config->attack == HL_ATTACK_REJECTED)
    g_string_append (s, " · attacker in the middle");
  else if (config->attack == HL_ATTACK_TRUSTED_CA)
    g_string_append (s, " · attacker in the middle, its CA trusted");
  else if (config->attack == HL_ATTACK_NO_CHECK)
    g_string_append (s, " · attacker in the middle, no certificate check");
  else if (config->attack == HL_ATTACK_DOWNGRADE)
    g_string_append (s, " · attacker rewrites the ClientHello");
  return g_string_free (s, FALSE);
}

gboolean
hl_config_expects_failure (const HlConfig *config)
{
  return config->failure != HL_FAILURE_NONE || config->attack == HL_ATTACK_REJECTED ||
         config->attack == HL_ATTACK_DOWNGRADE;
}
