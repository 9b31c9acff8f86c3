/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HL_VERSION_TLS12,
  HL_VERSION_TLS13,
} HlVersion;

/* TLS 1.2 key exchange; ignored for TLS 1.3, which always uses (EC)DHE. */
typedef enum
{
  HL_KX_RSA,
  HL_KX_ECDHE,
} HlKx;

typedef enum
{
  HL_CERT_RSA,
  HL_CERT_ECDSA,
} HlCertType;

typedef enum
{
  HL_CIPHER_AES_128_GCM,
  HL_CIPHER_AES_256_GCM,
  HL_CIPHER_CHACHA20_POLY1305,
  HL_CIPHER_AES_128_CBC, /* TLS 1.2 only, with HMAC-SHA1 */
} HlCipher;

typedef enum
{
  HL_GROUP_DEFAULT,
  HL_GROUP_X25519,
  HL_GROUP_SECP256R1,
  HL_GROUP_SECP384R1,
  HL_GROUP_X25519_MLKEM768,   /* hybrid post-quantum: ML-KEM-768 with X25519 (IANA 0x11EC) */
} HlGroup;

typedef enum
{
  HL_FAILURE_NONE,
  HL_FAILURE_UNTRUSTED_CA,
  HL_FAILURE_EXPIRED,
  HL_FAILURE_HOSTNAME,
  HL_FAILURE_NO_SHARED_CIPHER,
  HL_FAILURE_VERSION_MISMATCH,
  HL_FAILURE_MISSING_CLIENT_CERT,
} HlFailure;

/* Someone in the middle (the attack scenarios, issue 17): the client connects to the attacker,
 * which connects to the server. */
typedef enum
{
  HL_ATTACK_NONE,
  HL_ATTACK_REJECTED,    /* the client checks the attacker's certificate and refuses it */
  HL_ATTACK_TRUSTED_CA,  /* the attacker's CA is in the client's trust store */
  HL_ATTACK_NO_CHECK,    /* the client does not check the certificate at all (a bug) */
  HL_ATTACK_DOWNGRADE,   /* the attacker relays bytes and hides the client's TLS 1.3 offer */
} HlAttack;

/**
 * HlConfig:
 * Everything that shapes one run. Scenarios are presets; the UI's Custom dialog edits a copy.
 */
typedef struct
{
  HlVersion  version;
  HlKx       kx;
  HlCertType cert;
  HlCipher   cipher;
  HlGroup    group;           /* the client's first (and, for HRR, only key-share) group */
  HlGroup    server_group;    /* HL_GROUP_DEFAULT: the server accepts the client's */
  gboolean   ems;             /* TLS 1.2 extended master secret (RFC 7627) */
  gboolean   etm;             /* TLS 1.2 CBC encrypt-then-MAC (RFC 7366) */
  gboolean   client_auth;     /* server requires a client certificate; the client has one */
  gboolean   resumption;      /* a second handshake resumes the first (ticket / PSK) */
  gboolean   ocsp;            /* the server staples an OCSP response (RFC 6066 §8) */
  gboolean   server_tls13;    /* with TLS 1.2: the server speaks TLS 1.3 too, so its random
                               * carries the downgrade sentinel (RFC 8446 §4.1.3) */
  HlFailure  failure;
  HlAttack   attack;          /* HL_ATTACK_NONE: client and server talk directly */
} HlConfig;

typedef enum
{
  HL_SCENARIO_GROUP_CLASSIC,
  HL_SCENARIO_GROUP_TLS12,
  HL_SCENARIO_GROUP_TLS13,
  HL_SCENARIO_GROUP_FAILURES,
  HL_SCENARIO_GROUP_ATTACKS,
} HlScenarioGroup;

typedef struct
{
  const char      *id;
  const char      *title;
  HlScenarioGroup  group;
  const char      *description;
  HlConfig         config;
} HlScenario;

/* The scenarios the linked GnuTLS can run, in the order of the chooser. */
const HlScenario *hl_scenario_get_all (guint *n_scenarios);
/* The scenarios it cannot run (e.g. a group this GnuTLS lacks): listed, never faked. Each is
 * also found by hl_scenario_lookup(); hl_config_is_available() says why it cannot run. */
const HlScenario *const *hl_scenario_get_unavailable (guint *n_scenarios);
const HlScenario *hl_scenario_lookup (const char *id);
const char       *hl_scenario_group_title (HlScenarioGroup group);

/* The GnuTLS priority string each side uses for @config. */
char             *hl_config_dup_priority (const HlConfig *config, gboolean server);
/* A one-line summary ("TLS 1.2 · RSA key exchange · AES-128-GCM · no EMS"). */
char             *hl_config_dup_summary (const HlConfig *config);
/* Whether the linked GnuTLS offers everything @config needs; if not, @reason (nullable) gets a
 * sentence for people ("This GnuTLS (3.7.9) has no X25519MLKEM768 …"). */
gboolean          hl_config_is_available (const HlConfig *config, char **reason);
/* TRUE when the configuration ends in a failure by design. */
gboolean          hl_config_expects_failure (const HlConfig *config);

G_END_DECLS
