/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-kdf"

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "hl-kdf.h"
#include "hl-test-tls.h"

/*
 * Known-answer tests for protocol/verify/hl-kdf.c.
 *
 * Vectors (see each file's header for where they come from; none is computed by this project):
 *   tests/data/tls12-prf.ini  — the TLS 1.2 PRF vectors posted to the IETF TLS list
 *   tests/data/rfc8448.ini    — RFC 8448 sections 3, 4 and 5
 *
 * Every RFC 8448 row runs twice: once as published, and once with one byte of its first input
 * flipped, which must make the comparison fail — so the check is able to fail.
 *
 * For the TLS 1.2 master secret, extended master secret, key block and verify_data there is no
 * published vector; they are checked against a real in-memory GnuTLS session instead.
 */

/* --- Vector files ---------------------------------------------------------------------------- */

static GKeyFile *
load_vectors (const char *name)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);

  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&kf);
}

/* Reads a hex value and checks it against the octet count the source states. */
static GBytes *
vector_bytes (GKeyFile   *kf,
              const char *group,
              const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *len_key = g_strconcat (key, "_len", NULL);
  g_autofree char *hex = g_key_file_get_string (kf, group, key, &error);
  g_autoptr(GBytes) bytes = NULL;
  gint64 expected_len;

  g_assert_no_error (error);
  bytes = hl_test_hex (hex);

  if (g_key_file_has_key (kf, group, len_key, NULL))
    {
      expected_len = g_key_file_get_int64 (kf, group, len_key, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, (gsize) expected_len);
    }

  return g_steal_pointer (&bytes);
}

static gnutls_mac_algorithm_t
vector_mac (GKeyFile   *kf,
            const char *group,
            const char *key)
{
  g_autofree char *name = g_key_file_get_string (kf, group, key, NULL);
  gnutls_mac_algorithm_t mac;

  g_assert_nonnull (name);
  mac = gnutls_mac_get_id (name);
  g_assert_cmpint (mac, !=, GNUTLS_MAC_UNKNOWN);

  return mac;
}

/* --- TLS 1.2 PRF ----------------------------------------------------------------------------- */

static void
test_prf_vector (gconstpointer data)
{
  const char *group = data;
  g_autoptr(GKeyFile) kf = load_vectors ("tls12-prf.ini");
  gnutls_mac_algorithm_t mac = vector_mac (kf, group, "mac");
  g_autoptr(GBytes) secret = vector_bytes (kf, group, "secret");
  g_autoptr(GBytes) seed = vector_bytes (kf, group, "seed");
  g_autoptr(GBytes) expected = vector_bytes (kf, group, "output");
  g_autofree char *label = g_key_file_get_string (kf, group, "label", NULL);
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GBytes) prefix = NULL;
  g_autoptr(GBytes) expected_prefix = NULL;

  output = hl_prf_tls12 (mac, secret, label, seed, g_bytes_get_size (expected));
  g_assert_nonnull (output);
  hl_test_assert_bytes_equal (output, expected);

  /* P_hash is a stream: a shorter request is a prefix of the longer one, also across a block
   * boundary. */
  prefix = hl_prf_tls12 (mac, secret, label, seed, 33);
  expected_prefix = g_bytes_new_from_bytes (expected, 0, 33);
  hl_test_assert_bytes_equal (prefix, expected_prefix);
}

static void
test_prf_vector_corrupted (gconstpointer data)
{
  const char *group = data;
  g_autoptr(GKeyFile) kf = load_vectors ("tls12-prf.ini");
  gnutls_mac_algorithm_t mac = vector_mac (kf, group, "mac");
  g_autoptr(GBytes) secret = vector_bytes (kf, group, "secret");
  g_autoptr(GBytes) seed = vector_bytes (kf, group, "seed");
  g_autoptr(GBytes) expected = vector_bytes (kf, group, "output");
  g_autofree char *label = g_key_file_get_string (kf, group, "label", NULL);
  g_autoptr(GBytes) bad_secret = hl_test_flip_byte (secret, 3);
  g_autoptr(GBytes) bad_seed = hl_test_flip_byte (seed, 0);
  g_autoptr(GBytes) out1 = NULL;
  g_autoptr(GBytes) out2 = NULL;
  g_autoptr(GBytes) out3 = NULL;

  out1 = hl_prf_tls12 (mac, bad_secret, label, seed, g_bytes_get_size (expected));
  out2 = hl_prf_tls12 (mac, secret, label, bad_seed, g_bytes_get_size (expected));
  out3 = hl_prf_tls12 (mac, secret, "test labek", seed, g_bytes_get_size (expected));
  g_assert_false (g_bytes_equal (out1, expected));
  g_assert_false (g_bytes_equal (out2, expected));
  g_assert_false (g_bytes_equal (out3, expected));
}

/* --- TLS 1.3: RFC 8448 ----------------------------------------------------------------------- */

typedef struct
{
  GKeyFile   *kf;
  const char *group;
  gboolean    corrupt;
  guint       n_inputs;
} Ctx;

/* Loads an input; with ctx->corrupt the first input loaded gets one byte flipped. */
static GBytes *
in (Ctx        *ctx,
    const char *key)
{
  g_autoptr(GBytes) bytes = vector_bytes (ctx->kf, ctx->group, key);

  if (ctx->corrupt && ctx->n_inputs++ == 0)
    return hl_test_flip_byte (bytes, g_bytes_get_size (bytes) / 2);

  return g_steal_pointer (&bytes);
}

#define SHA256 GNUTLS_MAC_SHA256
#define DIG256 GNUTLS_DIG_SHA256

static GBytes *
calc_early_secret_psk (Ctx *ctx)
{
  g_autoptr(GBytes) psk = in (ctx, "resumption_psk");

  return hl_tls13_early_secret (SHA256, psk);
}

static GBytes *
calc_early_secret (Ctx *ctx)
{
  return hl_tls13_early_secret (SHA256, NULL);
}

static GBytes *
calc_empty_hash (Ctx *ctx)
{
  return hl_transcript_hash (DIG256, NULL, 0, FALSE);
}

static GBytes *
calc_derived_info (Ctx *ctx)
{
  g_autoptr(GBytes) hash = in (ctx, "empty_hash");

  return hl_hkdf_label ("derived", hash, 32);
}

static GBytes *
calc_derived_for_handshake (Ctx *ctx)
{
  g_autoptr(GBytes) early = in (ctx, "early_secret");

  return hl_tls13_derived (SHA256, early);
}

static GBytes *
calc_handshake_secret (Ctx *ctx)
{
  g_autoptr(GBytes) shared = in (ctx, "ecdhe_shared_secret");
  g_autoptr(GBytes) early = in (ctx, "early_secret");

  return hl_tls13_handshake_secret (SHA256, early, shared);
}

static GBytes *
calc_hash_hello (Ctx *ctx)
{
  g_autoptr(GBytes) ch = in (ctx, "client_hello");
  g_autoptr(GBytes) sh = in (ctx, "server_hello");
  GBytes *messages[] = { ch, sh };

  return hl_transcript_hash (DIG256, messages, G_N_ELEMENTS (messages), FALSE);
}

static GBytes *
calc_c_hs_traffic_info (Ctx *ctx)
{
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello_server_hello");

  return hl_hkdf_label ("c hs traffic", hash, 32);
}

static GBytes *
calc_client_handshake_traffic_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "handshake_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello_server_hello");

  return hl_tls13_derive_secret (SHA256, secret, "c hs traffic", hash);
}

static GBytes *
calc_server_handshake_traffic_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "handshake_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello_server_hello");

  return hl_tls13_derive_secret (SHA256, secret, "s hs traffic", hash);
}

static GBytes *
calc_derived_for_master (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "handshake_secret");

  return hl_tls13_derived (SHA256, secret);
}

static GBytes *
calc_master_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "handshake_secret");

  return hl_tls13_master_secret (SHA256, secret);
}

static GBytes *
calc_key_info (Ctx *ctx)
{
  return hl_hkdf_label ("key", NULL, 16);
}

static GBytes *
calc_iv_info (Ctx *ctx)
{
  return hl_hkdf_label ("iv", NULL, 12);
}

static GBytes *
traffic_key (Ctx        *ctx,
             const char *secret_key,
             gboolean    want_iv)
{
  g_autoptr(GBytes) secret = in (ctx, secret_key);
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) iv = NULL;

  g_assert_true (hl_tls13_traffic_keys (SHA256, secret, 16, 12, &key, &iv));

  return want_iv ? g_steal_pointer (&iv) : g_steal_pointer (&key);
}

static GBytes *
calc_server_handshake_key (Ctx *ctx)
{
  return traffic_key (ctx, "server_handshake_traffic_secret", FALSE);
}

static GBytes *
calc_server_handshake_iv (Ctx *ctx)
{
  return traffic_key (ctx, "server_handshake_traffic_secret", TRUE);
}

static GBytes *
calc_client_handshake_key (Ctx *ctx)
{
  return traffic_key (ctx, "client_handshake_traffic_secret", FALSE);
}

static GBytes *
calc_client_handshake_iv (Ctx *ctx)
{
  return traffic_key (ctx, "client_handshake_traffic_secret", TRUE);
}

static GBytes *
calc_server_application_key (Ctx *ctx)
{
  return traffic_key (ctx, "server_application_traffic_secret", FALSE);
}

static GBytes *
calc_server_application_iv (Ctx *ctx)
{
  return traffic_key (ctx, "server_application_traffic_secret", TRUE);
}

static GBytes *
calc_client_application_key (Ctx *ctx)
{
  return traffic_key (ctx, "client_application_traffic_secret", FALSE);
}

static GBytes *
calc_client_application_iv (Ctx *ctx)
{
  return traffic_key (ctx, "client_application_traffic_secret", TRUE);
}

static GBytes *
calc_finished_info (Ctx *ctx)
{
  return hl_hkdf_label ("finished", NULL, 32);
}

static GBytes *
calc_server_finished_key (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "server_handshake_traffic_secret");

  return hl_tls13_finished_key (SHA256, secret);
}

static GBytes *
calc_client_finished_key (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "client_handshake_traffic_secret");

  return hl_tls13_finished_key (SHA256, secret);
}

/* The server's Finished covers ClientHello..CertificateVerify (RFC 8446 §4.4.4). */
static GBytes *
calc_server_finished_verify_data (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "server_handshake_traffic_secret");
  g_autoptr(GBytes) ch = in (ctx, "client_hello");
  g_autoptr(GBytes) sh = in (ctx, "server_hello");
  g_autoptr(GBytes) ee = in (ctx, "encrypted_extensions");
  g_autoptr(GBytes) cert = in (ctx, "certificate");
  g_autoptr(GBytes) cv = in (ctx, "certificate_verify");
  GBytes *messages[] = { ch, sh, ee, cert, cv };
  g_autoptr(GBytes) hash = hl_transcript_hash (DIG256, messages, G_N_ELEMENTS (messages), FALSE);

  return hl_tls13_finished (SHA256, secret, hash);
}

static GBytes *
calc_server_finished (Ctx *ctx)
{
  g_autoptr(GBytes) verify_data = in (ctx, "server_finished_verify_data");

  return hl_handshake_message_frame (20, verify_data);
}

static GBytes *
calc_hash_server_finished (Ctx *ctx)
{
  g_autoptr(GBytes) ch = in (ctx, "client_hello");
  g_autoptr(GBytes) sh = in (ctx, "server_hello");
  g_autoptr(GBytes) ee = in (ctx, "encrypted_extensions");
  g_autoptr(GBytes) cert = in (ctx, "certificate");
  g_autoptr(GBytes) cv = in (ctx, "certificate_verify");
  g_autoptr(GBytes) fin = in (ctx, "server_finished");
  GBytes *messages[] = { ch, sh, ee, cert, cv, fin };

  return hl_transcript_hash (DIG256, messages, G_N_ELEMENTS (messages), FALSE);
}

static GBytes *
calc_client_finished_verify_data (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "client_handshake_traffic_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello_server_finished");

  return hl_tls13_finished (SHA256, secret, hash);
}

static GBytes *
calc_client_application_traffic_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "master_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello_server_finished");

  return hl_tls13_derive_secret (SHA256, secret, "c ap traffic", hash);
}

static GBytes *
calc_server_application_traffic_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "master_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello_server_finished");

  return hl_tls13_derive_secret (SHA256, secret, "s ap traffic", hash);
}

static GBytes *
calc_exporter_master_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "master_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello_server_finished");

  return hl_tls13_derive_secret (SHA256, secret, "exp master", hash);
}

static GBytes *
calc_hash_client_finished (Ctx *ctx)
{
  g_autoptr(GBytes) ch = in (ctx, "client_hello");
  g_autoptr(GBytes) sh = in (ctx, "server_hello");
  g_autoptr(GBytes) ee = in (ctx, "encrypted_extensions");
  g_autoptr(GBytes) cert = in (ctx, "certificate");
  g_autoptr(GBytes) cv = in (ctx, "certificate_verify");
  g_autoptr(GBytes) sfin = in (ctx, "server_finished");
  g_autoptr(GBytes) cfin = in (ctx, "client_finished");
  GBytes *messages[] = { ch, sh, ee, cert, cv, sfin, cfin };

  return hl_transcript_hash (DIG256, messages, G_N_ELEMENTS (messages), FALSE);
}

static GBytes *
calc_resumption_master_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "master_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello_client_finished");

  return hl_tls13_derive_secret (SHA256, secret, "res master", hash);
}

static GBytes *
calc_resumption_info (Ctx *ctx)
{
  g_autoptr(GBytes) nonce = in (ctx, "ticket_nonce");

  return hl_hkdf_label ("resumption", nonce, 32);
}

static GBytes *
calc_resumption_psk (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "resumption_master_secret");
  g_autoptr(GBytes) nonce = in (ctx, "ticket_nonce");

  return hl_tls13_resumption_psk (SHA256, secret, nonce);
}

/* RFC 8448 §4: the binder path of the resumed handshake. */
static GBytes *
calc_binder_hash (Ctx *ctx)
{
  g_autoptr(GBytes) prefix = in (ctx, "client_hello_prefix");

  return hl_transcript_hash (DIG256, &prefix, 1, FALSE);
}

static GBytes *
calc_binder_key (Ctx *ctx)
{
  g_autoptr(GBytes) early = in (ctx, "early_secret");

  return hl_tls13_binder_key (SHA256, early, FALSE);
}

static GBytes *
calc_binder_finished_key (Ctx *ctx)
{
  g_autoptr(GBytes) binder_key = in (ctx, "binder_key");

  return hl_tls13_finished_key (SHA256, binder_key);
}

static GBytes *
calc_binder (Ctx *ctx)
{
  g_autoptr(GBytes) binder_key = in (ctx, "binder_key");
  g_autoptr(GBytes) hash = in (ctx, "binder_hash");

  return hl_tls13_binder (SHA256, binder_key, hash);
}

/* RFC 8448 §5: the transcript starts with message_hash(ClientHello1) (RFC 8446 §4.4.1). */
static GBytes *
calc_hrr_hash_hello (Ctx *ctx)
{
  g_autoptr(GBytes) ch1 = in (ctx, "client_hello1");
  g_autoptr(GBytes) hrr = in (ctx, "hello_retry_request");
  g_autoptr(GBytes) ch2 = in (ctx, "client_hello2");
  g_autoptr(GBytes) sh = in (ctx, "server_hello");
  GBytes *messages[] = { ch1, hrr, ch2, sh };

  return hl_transcript_hash (DIG256, messages, G_N_ELEMENTS (messages), TRUE);
}

/* The server's flight (EE, Certificate, CertificateVerify, Finished) as one concatenation. */
static GBytes *
calc_hrr_hash_server_finished (Ctx *ctx)
{
  g_autoptr(GBytes) ch1 = in (ctx, "client_hello1");
  g_autoptr(GBytes) hrr = in (ctx, "hello_retry_request");
  g_autoptr(GBytes) ch2 = in (ctx, "client_hello2");
  g_autoptr(GBytes) sh = in (ctx, "server_hello");
  g_autoptr(GBytes) flight = in (ctx, "server_flight_payload");
  GBytes *messages[] = { ch1, hrr, ch2, sh, flight };

  return hl_transcript_hash (DIG256, messages, G_N_ELEMENTS (messages), TRUE);
}

static GBytes *
calc_hrr_client_handshake_traffic_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "handshake_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello1_server_hello");

  return hl_tls13_derive_secret (SHA256, secret, "c hs traffic", hash);
}

static GBytes *
calc_hrr_server_handshake_traffic_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "handshake_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello1_server_hello");

  return hl_tls13_derive_secret (SHA256, secret, "s hs traffic", hash);
}

static GBytes *
calc_hrr_client_application_traffic_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "master_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello1_server_finished");

  return hl_tls13_derive_secret (SHA256, secret, "c ap traffic", hash);
}

static GBytes *
calc_hrr_server_application_traffic_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "master_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello1_server_finished");

  return hl_tls13_derive_secret (SHA256, secret, "s ap traffic", hash);
}

static GBytes *
calc_hrr_exporter_master_secret (Ctx *ctx)
{
  g_autoptr(GBytes) secret = in (ctx, "master_secret");
  g_autoptr(GBytes) hash = in (ctx, "hash_client_hello1_server_finished");

  return hl_tls13_derive_secret (SHA256, secret, "exp master", hash);
}

typedef struct
{
  const char *path;      /* test path after /protocol/kdf/tls13/ */
  const char *group;     /* group in rfc8448.ini */
  const char *expected;  /* key of the published value */
  GBytes   *(*calc) (Ctx *ctx);
  gboolean    no_inputs; /* nothing to corrupt: the value derives from constants only */
} Rfc8448Row;

static const Rfc8448Row rfc8448_rows[] = {
  { "rfc8448-early-secret", "simple-1rtt", "early_secret", calc_early_secret, TRUE },
  { "rfc8448-empty-hash", "simple-1rtt", "empty_hash", calc_empty_hash, TRUE },
  { "rfc8448-derived-info", "simple-1rtt", "derived_info", calc_derived_info },
  { "rfc8448-derived", "simple-1rtt", "derived_for_handshake", calc_derived_for_handshake },
  { "rfc8448-handshake-secret", "simple-1rtt", "handshake_secret", calc_handshake_secret },
  { "rfc8448-transcript-hello", "simple-1rtt", "hash_client_hello_server_hello",
    calc_hash_hello },
  { "rfc8448-c-hs-traffic-info", "simple-1rtt", "c_hs_traffic_info", calc_c_hs_traffic_info },
  { "rfc8448-client-handshake-traffic-secret", "simple-1rtt", "client_handshake_traffic_secret",
    calc_client_handshake_traffic_secret },
  { "rfc8448-server-handshake-traffic-secret", "simple-1rtt", "server_handshake_traffic_secret",
    calc_server_handshake_traffic_secret },
  { "rfc8448-derived-for-master", "simple-1rtt", "derived_for_master", calc_derived_for_master },
  { "rfc8448-master-secret", "simple-1rtt", "master_secret", calc_master_secret },
  { "rfc8448-key-info", "simple-1rtt", "key_info", calc_key_info, TRUE },
  { "rfc8448-iv-info", "simple-1rtt", "iv_info", calc_iv_info, TRUE },
  { "rfc8448-server-handshake-key", "simple-1rtt", "server_handshake_key",
    calc_server_handshake_key },
  { "rfc8448-server-handshake-iv", "simple-1rtt", "server_handshake_iv",
    calc_server_handshake_iv },
  { "rfc8448-client-handshake-key", "simple-1rtt", "client_handshake_key",
    calc_client_handshake_key },
  { "rfc8448-client-handshake-iv", "simple-1rtt", "client_handshake_iv",
    calc_client_handshake_iv },
  { "rfc8448-finished-info", "simple-1rtt", "finished_info", calc_finished_info, TRUE },
  { "rfc8448-server-finished-key", "simple-1rtt", "server_finished_key",
    calc_server_finished_key },
  { "rfc8448-server-finished", "simple-1rtt", "server_finished_verify_data",
    calc_server_finished_verify_data },
  { "rfc8448-server-finished-message", "simple-1rtt", "server_finished", calc_server_finished },
  { "rfc8448-transcript-server-finished", "simple-1rtt", "hash_client_hello_server_finished",
    calc_hash_server_finished },
  { "rfc8448-client-application-traffic-secret", "simple-1rtt",
    "client_application_traffic_secret", calc_client_application_traffic_secret },
  { "rfc8448-server-application-traffic-secret", "simple-1rtt",
    "server_application_traffic_secret", calc_server_application_traffic_secret },
  { "rfc8448-exporter-master-secret", "simple-1rtt", "exporter_master_secret",
    calc_exporter_master_secret },
  { "rfc8448-server-application-key", "simple-1rtt", "server_application_key",
    calc_server_application_key },
  { "rfc8448-server-application-iv", "simple-1rtt", "server_application_iv",
    calc_server_application_iv },
  { "rfc8448-client-finished-key", "simple-1rtt", "client_finished_key",
    calc_client_finished_key },
  { "rfc8448-client-finished", "simple-1rtt", "client_finished_verify_data",
    calc_client_finished_verify_data },
  { "rfc8448-client-application-key", "simple-1rtt", "client_application_key",
    calc_client_application_key },
  { "rfc8448-client-application-iv", "simple-1rtt", "client_application_iv",
    calc_client_application_iv },
  { "rfc8448-transcript-client-finished", "simple-1rtt", "hash_client_hello_client_finished",
    calc_hash_client_finished },
  { "rfc8448-resumption-master-secret", "simple-1rtt", "resumption_master_secret",
    calc_resumption_master_secret },
  { "rfc8448-resumption-info", "simple-1rtt", "resumption_info", calc_resumption_info },
  { "rfc8448-resumption-psk", "simple-1rtt", "resumption_psk", calc_resumption_psk },

  { "rfc8448-resumed-early-secret", "resumed-0rtt", "early_secret", calc_early_secret_psk },
  { "rfc8448-resumed-binder-hash", "resumed-0rtt", "binder_hash", calc_binder_hash },
  { "rfc8448-resumed-binder-key", "resumed-0rtt", "binder_key", calc_binder_key },
  { "rfc8448-resumed-binder-finished-key", "resumed-0rtt", "binder_finished_key",
    calc_binder_finished_key },
  { "rfc8448-resumed-binder", "resumed-0rtt", "binder", calc_binder },

  { "rfc8448-hrr-early-secret", "hello-retry", "early_secret", calc_early_secret, TRUE },
  { "rfc8448-hrr-handshake-secret", "hello-retry", "handshake_secret", calc_handshake_secret },
  { "rfc8448-hrr-transcript-message-hash", "hello-retry", "hash_client_hello1_server_hello",
    calc_hrr_hash_hello },
  { "rfc8448-hrr-client-handshake-traffic-secret", "hello-retry",
    "client_handshake_traffic_secret", calc_hrr_client_handshake_traffic_secret },
  { "rfc8448-hrr-server-handshake-traffic-secret", "hello-retry",
    "server_handshake_traffic_secret", calc_hrr_server_handshake_traffic_secret },
  { "rfc8448-hrr-master-secret", "hello-retry", "master_secret", calc_master_secret },
  { "rfc8448-hrr-server-handshake-key", "hello-retry", "server_handshake_key",
    calc_server_handshake_key },
  { "rfc8448-hrr-server-handshake-iv", "hello-retry", "server_handshake_iv",
    calc_server_handshake_iv },
  { "rfc8448-hrr-transcript-server-finished", "hello-retry",
    "hash_client_hello1_server_finished", calc_hrr_hash_server_finished },
  { "rfc8448-hrr-client-application-traffic-secret", "hello-retry",
    "client_application_traffic_secret", calc_hrr_client_application_traffic_secret },
  { "rfc8448-hrr-server-application-traffic-secret", "hello-retry",
    "server_application_traffic_secret", calc_hrr_server_application_traffic_secret },
  { "rfc8448-hrr-exporter-master-secret", "hello-retry", "exporter_master_secret",
    calc_hrr_exporter_master_secret },
};

static void
run_rfc8448_row (const Rfc8448Row *row,
                 gboolean          corrupt)
{
  g_autoptr(GKeyFile) kf = load_vectors ("rfc8448.ini");
  Ctx ctx = { kf, row->group, corrupt, 0 };
  g_autoptr(GBytes) expected = vector_bytes (kf, row->group, row->expected);
  g_autoptr(GBytes) got = NULL;

  g_assert_cmpint (vector_mac (kf, row->group, "hash"), ==, GNUTLS_MAC_SHA256);

  got = row->calc (&ctx);
  g_assert_nonnull (got);

  if (!corrupt)
    {
      hl_test_assert_bytes_equal (got, expected);
    }
  else
    {
      g_assert_cmpuint (ctx.n_inputs, >, 0);
      g_assert_false (g_bytes_equal (got, expected));
    }
}

static void
test_rfc8448 (gconstpointer data)
{
  run_rfc8448_row (data, FALSE);
}

static void
test_rfc8448_corrupted (gconstpointer data)
{
  run_rfc8448_row (data, TRUE);
}

/* Without the message_hash rule the RFC's HRR transcript hash is not reproduced. */
static void
test_rfc8448_hrr_without_rule (void)
{
  g_autoptr(GKeyFile) kf = load_vectors ("rfc8448.ini");
  g_autoptr(GBytes) ch1 = vector_bytes (kf, "hello-retry", "client_hello1");
  g_autoptr(GBytes) hrr = vector_bytes (kf, "hello-retry", "hello_retry_request");
  g_autoptr(GBytes) ch2 = vector_bytes (kf, "hello-retry", "client_hello2");
  g_autoptr(GBytes) sh = vector_bytes (kf, "hello-retry", "server_hello");
  g_autoptr(GBytes) expected = vector_bytes (kf, "hello-retry",
                                             "hash_client_hello1_server_hello");
  g_autoptr(GBytes) message_hash = hl_tls13_message_hash (DIG256, ch1);
  GBytes *messages[] = { ch1, hrr, ch2, sh };
  GBytes *rewritten[] = { message_hash, hrr, ch2, sh };
  g_autoptr(GBytes) plain = hl_transcript_hash (DIG256, messages, 4, FALSE);
  g_autoptr(GBytes) by_hand = hl_transcript_hash (DIG256, rewritten, 4, FALSE);
  const guint8 *mh;
  gsize mh_size;

  g_assert_false (g_bytes_equal (plain, expected));
  hl_test_assert_bytes_equal (by_hand, expected);

  /* 254 || 00 00 || Hash.length || Hash(ClientHello1) */
  mh = g_bytes_get_data (message_hash, &mh_size);
  g_assert_cmpuint (mh_size, ==, 4 + 32);
  g_assert_cmpuint (mh[0], ==, 254);
  g_assert_cmpuint (mh[1], ==, 0);
  g_assert_cmpuint (mh[2], ==, 0);
  g_assert_cmpuint (mh[3], ==, 32);
}

/* --- Generic HKDF and helpers --------------------------------------------------------------- */

static void
test_hkdf_limits (void)
{
  g_autoptr(GBytes) prk = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  g_autoptr(GBytes) max = hl_hkdf_expand (GNUTLS_MAC_SHA256, prk, NULL, 255 * 32);
  g_autoptr(GBytes) small = hl_hkdf_expand (GNUTLS_MAC_SHA256, prk, NULL, 40);
  g_autoptr(GBytes) head = NULL;

  g_assert_nonnull (max);
  g_assert_cmpuint (g_bytes_get_size (max), ==, 255 * 32);
  head = g_bytes_new_from_bytes (max, 0, 40);
  hl_test_assert_bytes_equal (small, head);

  if (g_test_undefined ())
    {
      g_autoptr(GBytes) too_long = NULL;

      g_test_expect_message ("hl-kdf", G_LOG_LEVEL_CRITICAL, "*length <= HKDF_MAX_BLOCKS*");
      too_long = hl_hkdf_expand (GNUTLS_MAC_SHA256, prk, NULL, 255 * 32 + 1);
      g_test_assert_expected_messages ();
      g_assert_null (too_long);
    }
}

static void
test_message_frame (void)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("\x01\x02\x03", 3);
  g_autoptr(GBytes) framed = hl_handshake_message_frame (20, body);
  g_autoptr(GBytes) expected = hl_test_hex ("14 00 00 03 01 02 03");

  hl_test_assert_bytes_equal (framed, expected);
}

static void
test_sha384_schedule_lengths (void)
{
  g_autoptr(GBytes) early = hl_tls13_early_secret (GNUTLS_MAC_SHA384, NULL);
  g_autoptr(GBytes) hs = hl_tls13_handshake_secret (GNUTLS_MAC_SHA384, early, NULL);
  g_autoptr(GBytes) ms = hl_tls13_master_secret (GNUTLS_MAC_SHA384, hs);
  g_autoptr(GBytes) fin_key = hl_tls13_finished_key (GNUTLS_MAC_SHA384, ms);

  g_assert_cmpuint (g_bytes_get_size (early), ==, 48);
  g_assert_cmpuint (g_bytes_get_size (hs), ==, 48);
  g_assert_cmpuint (g_bytes_get_size (ms), ==, 48);
  g_assert_cmpuint (g_bytes_get_size (fin_key), ==, 48);
}

/* --- Against a real GnuTLS session ----------------------------------------------------------- */

typedef struct
{
  const char *path;
  const char *priority;
  gboolean    ems;
  gboolean    ecdhe; /* the premaster secret has no API: start from the library's master secret */
} Tls12Case;

static const Tls12Case tls12_cases[] = {
  { "tls12/session-rsa-aes128gcm",
    "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-GCM:%NO_SESSION_HASH",
    FALSE },
  { "tls12/session-rsa-aes128gcm-ems",
    "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-GCM", TRUE },
  { "tls12/session-rsa-aes256gcm-sha384-ems",
    "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-256-GCM:-MAC-ALL:+AEAD", TRUE },
  { "tls12/session-rsa-cbc-sha1",
    "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA1:"
    "%NO_SESSION_HASH",
    FALSE },
  { "tls12/session-ecdhe-chacha20-ems",
    "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+CHACHA20-POLY1305", TRUE,
    TRUE },
};

static GBytes *
datum_bytes (const gnutls_datum_t *d)
{
  return g_bytes_new (d->data, d->size);
}

/* Premaster secret, master secret (textbook or EMS), key block and both verify_data of a real
 * TLS 1.2 RSA handshake, each compared with what GnuTLS used. */
static void
test_tls12_session (gconstpointer data)
{
  const Tls12Case *tc = data;
  g_autoptr(HlTestPair) pair = hl_test_pair_new (tc->priority, tc->priority);
  gnutls_datum_t cr, sr, ms_datum;
  gnutls_datum_t mac_key, iv, key;
  g_autoptr(GBytes) client_random = NULL;
  g_autoptr(GBytes) server_random = NULL;
  g_autoptr(GBytes) library_ms = NULL;
  g_autoptr(GBytes) pms = NULL;
  g_autoptr(GBytes) ms = NULL;
  g_autoptr(GBytes) bad_ms = NULL;
  g_autoptr(HlTls12KeyBlock) kb = NULL;
  g_autoptr(GBytes) session_hash = NULL;
  g_autoptr(GBytes) handshake_hash = NULL;
  g_autoptr(GBytes) verify = NULL;
  g_autoptr(GBytes) library_verify = NULL;
  gnutls_mac_algorithm_t prf;
  gnutls_cipher_algorithm_t cipher;
  gnutls_mac_algorithm_t mac;
  gsize mac_size, key_size, iv_size;
  guint i_cke, i_client_fin, i_server_fin;
  unsigned char seq[8];
  int rc;

  hl_test_pair_handshake (pair);

  g_assert_cmpint (gnutls_protocol_get_version (pair->client), ==, GNUTLS_TLS1_2);
  g_assert_cmpint (gnutls_session_ext_master_secret_status (pair->client), ==, tc->ems);

  prf = gnutls_prf_hash_get (pair->client) == GNUTLS_DIG_SHA384 ? GNUTLS_MAC_SHA384
                                                                 : GNUTLS_MAC_SHA256;
  cipher = gnutls_cipher_get (pair->client);
  mac = gnutls_mac_get (pair->client);

  gnutls_session_get_random (pair->client, &cr, &sr);
  client_random = datum_bytes (&cr);
  server_random = datum_bytes (&sr);
  gnutls_session_get_master_secret (pair->client, &ms_datum);
  library_ms = datum_bytes (&ms_datum);

  i_cke = hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE, 0);
  if (tc->ecdhe)
    {
      pms = NULL;
      ms = g_bytes_ref (library_ms);
    }
  else
    {
      /* The premaster secret: decrypt ClientKeyExchange (2-byte length + RSA ciphertext). */
      pms = hl_test_pair_rsa_premaster (pair, pair->messages->pdata[i_cke]);
      g_assert_cmpuint (g_bytes_get_size (pms), ==, 48);
    }

  if (tc->ecdhe)
    {
      /* nothing to derive */
    }
  else if (tc->ems)
    {
      /* RFC 7627 §3: session_hash covers ClientHello up to and including ClientKeyExchange. */
      session_hash = hl_transcript_hash ((gnutls_digest_algorithm_t) prf,
                                         (GBytes **) pair->messages->pdata, i_cke + 1, FALSE);
      ms = hl_tls12_extended_master_secret (prf, pms, session_hash);
    }
  else
    {
      ms = hl_tls12_master_secret (prf, pms, client_random, server_random);
    }
  hl_test_assert_bytes_equal (ms, library_ms);

  /* The other formula gives a different value: the check can fail. */
  if (!tc->ecdhe)
    {
      bad_ms = tc->ems ? hl_tls12_master_secret (prf, pms, client_random, server_random)
                       : hl_tls12_extended_master_secret (prf, pms, client_random);
      g_assert_false (g_bytes_equal (bad_ms, library_ms));
    }

  /* The key block, against both directions of the record state. */
  mac_size = mac == GNUTLS_MAC_AEAD ? 0 : gnutls_hmac_get_key_size (mac);
  key_size = gnutls_cipher_get_key_size (cipher);
  if (cipher == GNUTLS_CIPHER_CHACHA20_POLY1305)
    iv_size = 12;
  else if (gnutls_cipher_get_tag_size (cipher) > 0)
    iv_size = 4;
  else
    iv_size = 0;
  kb = hl_tls12_key_block_new (prf, ms, server_random, client_random, mac_size, key_size,
                               iv_size);
  g_assert_nonnull (kb);

  rc = gnutls_record_get_state (pair->client, 0, &mac_key, &iv, &key, seq);
  g_assert_cmpint (rc, ==, 0);
  hl_test_assert_datum_equal (kb->client_key, &key);
  hl_test_assert_datum_equal (kb->client_mac_key, &mac_key);
  if (iv_size > 0)
    hl_test_assert_datum_equal (kb->client_iv, &iv);

  rc = gnutls_record_get_state (pair->client, 1, &mac_key, &iv, &key, seq);
  g_assert_cmpint (rc, ==, 0);
  hl_test_assert_datum_equal (kb->server_key, &key);
  hl_test_assert_datum_equal (kb->server_mac_key, &mac_key);
  if (iv_size > 0)
    hl_test_assert_datum_equal (kb->server_iv, &iv);

  /* The client's Finished covers everything before it, the server's also the client's
   * Finished (RFC 5246 §7.4.9). GnuTLS's hook hands the Finished bodies in plaintext. */
  i_client_fin = hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_FINISHED, 0);
  i_server_fin = hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_FINISHED, i_client_fin + 1);

  handshake_hash = hl_transcript_hash ((gnutls_digest_algorithm_t) prf,
                                       (GBytes **) pair->messages->pdata, i_client_fin, FALSE);
  verify = hl_tls12_verify_data (prf, ms, TRUE, handshake_hash);
  library_verify = hl_test_message_body (pair->messages->pdata[i_client_fin]);
  hl_test_assert_bytes_equal (verify, library_verify);
  g_clear_pointer (&verify, g_bytes_unref);
  verify = hl_tls12_verify_data (prf, ms, FALSE, handshake_hash);
  g_assert_false (g_bytes_equal (verify, library_verify));

  g_clear_pointer (&handshake_hash, g_bytes_unref);
  g_clear_pointer (&verify, g_bytes_unref);
  g_clear_pointer (&library_verify, g_bytes_unref);
  handshake_hash = hl_transcript_hash ((gnutls_digest_algorithm_t) prf,
                                       (GBytes **) pair->messages->pdata, i_server_fin, FALSE);
  verify = hl_tls12_verify_data (prf, ms, FALSE, handshake_hash);
  library_verify = hl_test_message_body (pair->messages->pdata[i_server_fin]);
  hl_test_assert_bytes_equal (verify, library_verify);
}

typedef struct
{
  const char *path;
  const char *client_priority;
  const char *server_priority;
  gboolean    hello_retry;
} Tls13Case;

static const Tls13Case tls13_cases[] = {
  { "tls13/session-aes128gcm",
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM",
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM", FALSE },
  { "tls13/session-aes256gcm-sha384",
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM",
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM", FALSE },
  { "tls13/session-hello-retry",
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-SECP384R1",
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1", TRUE },
};

/* Traffic keys, both Finished MACs (with the HRR rule where it applies) and the exporter of a
 * real TLS 1.3 handshake, each compared with GnuTLS. */
static void
test_tls13_session (gconstpointer data)
{
  const Tls13Case *tc = data;
  g_autoptr(HlTestPair) pair = hl_test_pair_new (tc->client_priority, tc->server_priority);
  gnutls_mac_algorithm_t mac;
  gnutls_cipher_algorithm_t cipher;
  gsize key_size;
  guint i_server_fin, i_client_fin;
  g_autoptr(GBytes) hash = NULL;
  g_autoptr(GBytes) verify = NULL;
  g_autoptr(GBytes) library_verify = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) exporter_ms = NULL;
  guint8 library_export[32];
  GBytes *secret;
  int rc;

  hl_test_pair_handshake (pair);
  g_assert_cmpint (gnutls_protocol_get_version (pair->client), ==, GNUTLS_TLS1_3);
  g_assert_cmpint (pair->hello_retry, ==, tc->hello_retry);

  mac = gnutls_prf_hash_get (pair->client) == GNUTLS_DIG_SHA384 ? GNUTLS_MAC_SHA384
                                                                 : GNUTLS_MAC_SHA256;
  cipher = gnutls_cipher_get (pair->client);
  key_size = gnutls_cipher_get_key_size (cipher);

  /* Keys and IVs of every epoch the secret function reported, against the record state
   * GnuTLS installed at that moment. */
  g_assert_cmpuint (pair->epochs->len, >=, 2);
  for (guint i = 0; i < pair->epochs->len; i++)
    {
      HlTestEpoch *epoch = g_ptr_array_index (pair->epochs, i);
      g_autoptr(GBytes) key = NULL;
      g_autoptr(GBytes) iv = NULL;

      g_assert_true (hl_tls13_traffic_keys (mac, epoch->secret, key_size, 12, &key, &iv));
      hl_test_assert_bytes_equal (key, epoch->library_key);
      hl_test_assert_bytes_equal (iv, epoch->library_iv);
    }

  /* Server Finished: HMAC(finished_key(s hs traffic), Hash(ClientHello..CertificateVerify)). */
  i_server_fin = hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_FINISHED, 0);
  i_client_fin = hl_test_pair_find_message (pair, GNUTLS_HANDSHAKE_FINISHED, i_server_fin + 1);

  hash = hl_transcript_hash ((gnutls_digest_algorithm_t) mac, (GBytes **) pair->messages->pdata,
                             i_server_fin, tc->hello_retry);
  secret = hl_test_pair_secret (pair, GNUTLS_ENCRYPTION_LEVEL_HANDSHAKE, HL_TEST_SERVER);
  verify = hl_tls13_finished (mac, secret, hash);
  library_verify = hl_test_message_body (pair->messages->pdata[i_server_fin]);
  hl_test_assert_bytes_equal (verify, library_verify);

  if (tc->hello_retry)
    {
      /* Hashing ClientHello1 as it is, instead of as message_hash, misses. */
      g_autoptr(GBytes) wrong_hash = NULL;
      g_autoptr(GBytes) wrong = NULL;

      wrong_hash = hl_transcript_hash ((gnutls_digest_algorithm_t) mac,
                                       (GBytes **) pair->messages->pdata, i_server_fin, FALSE);
      wrong = hl_tls13_finished (mac, secret, wrong_hash);
      g_assert_false (g_bytes_equal (wrong, library_verify));
    }

  g_clear_pointer (&hash, g_bytes_unref);
  g_clear_pointer (&verify, g_bytes_unref);
  g_clear_pointer (&library_verify, g_bytes_unref);
  hash = hl_transcript_hash ((gnutls_digest_algorithm_t) mac, (GBytes **) pair->messages->pdata,
                             i_client_fin, tc->hello_retry);
  secret = hl_test_pair_secret (pair, GNUTLS_ENCRYPTION_LEVEL_HANDSHAKE, HL_TEST_CLIENT);
  verify = hl_tls13_finished (mac, secret, hash);
  library_verify = hl_test_message_body (pair->messages->pdata[i_client_fin]);
  hl_test_assert_bytes_equal (verify, library_verify);

  /* The exporter (RFC 8446 §7.5), from the keylog's EXPORTER_SECRET, against
   * gnutls_prf_rfc5705. */
  exporter_ms = g_bytes_ref (hl_test_pair_keylog (pair, "EXPORTER_SECRET"));
  rc = gnutls_prf_rfc5705 (pair->client, strlen ("EXPORTER-handshake-lens"),
                           "EXPORTER-handshake-lens", 5, "hello", sizeof library_export,
                           (char *) library_export);
  g_assert_cmpint (rc, ==, 0);
  {
    g_autoptr(GBytes) context = g_bytes_new_static ("hello", 5);
    g_autoptr(GBytes) expected = g_bytes_new (library_export, sizeof library_export);

    exported = hl_tls13_export (mac, exporter_ms, "EXPORTER-handshake-lens", context,
                                sizeof library_export);
    hl_test_assert_bytes_equal (exported, expected);
  }
}

int
main (int   argc,
      char *argv[])
{
  const char *prf_groups[] = { "sha224", "sha256", "sha384", "sha512" };
  int ret;

  g_test_init (&argc, &argv, NULL);
  hl_test_tls_init ();

  for (gsize i = 0; i < G_N_ELEMENTS (prf_groups); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/kdf/tls12/prf-%s", prf_groups[i]);
      g_autofree char *bad = g_strdup_printf ("/protocol/kdf/tls12/prf-%s-corrupted",
                                              prf_groups[i]);

      g_test_add_data_func (path, prf_groups[i], test_prf_vector);
      g_test_add_data_func (bad, prf_groups[i], test_prf_vector_corrupted);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (rfc8448_rows); i++)
    {
      const Rfc8448Row *row = &rfc8448_rows[i];
      g_autofree char *path = g_strdup_printf ("/protocol/kdf/tls13/%s", row->path);
      g_autofree char *bad = g_strdup_printf ("/protocol/kdf/tls13/%s-corrupted", row->path);

      g_test_add_data_func (path, row, test_rfc8448);
      if (!row->no_inputs)
        g_test_add_data_func (bad, row, test_rfc8448_corrupted);
    }

  g_test_add_func ("/protocol/kdf/tls13/rfc8448-hrr-without-message-hash",
                   test_rfc8448_hrr_without_rule);
  g_test_add_func ("/protocol/kdf/hkdf/limits", test_hkdf_limits);
  g_test_add_func ("/protocol/kdf/transcript/message-frame", test_message_frame);
  g_test_add_func ("/protocol/kdf/tls13/sha384-lengths", test_sha384_schedule_lengths);

  for (gsize i = 0; i < G_N_ELEMENTS (tls12_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/kdf/%s", tls12_cases[i].path);

      g_test_add_data_func (path, &tls12_cases[i], test_tls12_session);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (tls13_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/kdf/%s", tls13_cases[i].path);

      g_test_add_data_func (path, &tls13_cases[i], test_tls13_session);
    }

  ret = g_test_run ();
  hl_test_tls_deinit ();

  return ret;
}
