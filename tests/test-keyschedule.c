/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-keyschedule"

#include "config.h"

#include <string.h>

#include "hl-engine.h"
#include "hl-error.h"
#include "hl-keyschedule.h"
#include "hl-print.h"
#include "hl-trace-io.h"

/*
 * Tests for protocol/verify/hl-keyschedule.c, on real engine traces (GnuTLS client and server in
 * memory).
 *
 * - Every scenario and a few custom configurations (SHA-384 PRF, ChaCha20-Poly1305, CBC without
 *   encrypt-then-MAC, RSA with a client certificate): every protected record decrypts to the
 *   captured message, every value we computed is ✓, the values each kind of handshake must have
 *   are there (so the test cannot pass on an empty schedule), hidden links say why, and
 *   recomputing on the finished trace changes nothing and gives the same results.
 * - The check can fail: a trace saved to JSON with one byte of a secret, a key, a record or a
 *   Finished message changed, then loaded, gives ✗ exactly where that byte is used, and the rest
 *   of the schedule still runs.
 */

/* --- Helpers --------------------------------------------------------------------------------- */

static HlTrace *
run_config (const char *id, const HlConfig *config)
{
  g_autoptr(GError) error = NULL;
  HlTrace *trace = hl_engine_run (config, id, id, "", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (trace);
  return trace;
}

static gboolean
is_ours (const HlSecret *s)
{
  return s->source == HL_SOURCE_DERIVED || s->formula != NULL;
}

static const HlSecret *
find_ours (HlTrace *trace, const char *name, guint handshake)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);

  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (is_ours (s) && s->handshake == handshake && g_str_equal (s->name, name))
        return s;
    }
  return NULL;
}

/* The bytes of the events that link to record @index, concatenated. */
static GBytes *
linked_bytes (HlTrace *trace, guint index)
{
  GByteArray *all = g_byte_array_new ();

  for (guint i = index + 1; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      GBytes *bytes = hl_event_get_bytes (event);

      if (hl_event_get_kind (event) != HL_EVENT_RECORD &&
          hl_event_get_record (event) == (int) index && bytes != NULL)
        g_byte_array_append (all, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  return g_byte_array_free_to_bytes (all);
}

static const HlRecordDecryption *
find_record (HlKeySchedule *ks, guint index)
{
  for (guint i = 0; i < ks->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (ks->records, i);

      if (rd->record == index)
        return rd;
    }
  return NULL;
}

/* Every protected record was decrypted and equals what links to it. Returns their number. */
static guint
assert_records_decrypted (HlTrace *trace)
{
  guint n = 0;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GBytes) expected = NULL;
      guint inner;

      if (hl_event_get_kind (event) != HL_EVENT_RECORD)
        continue;
      if (hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT)
        {
          g_assert_null (hl_event_get_plaintext (event));
          g_assert_cmpuint (hl_event_get_inner_type (event), ==, 0);
          continue;
        }
      n++;
      inner = hl_event_get_inner_type (event);
      expected = linked_bytes (trace, i);
      if (hl_event_get_check (event) != HL_CHECK_OK)
        g_test_message ("record %u is not ✓", i);
      g_assert_cmpint (hl_event_get_check (event), ==, HL_CHECK_OK);
      g_assert_nonnull (hl_event_get_plaintext (event));
      g_assert_cmpuint (g_bytes_get_size (expected), >, 0);
      g_assert_true (g_bytes_equal (hl_event_get_plaintext (event), expected));
      g_assert_true (inner == HL_CONTENT_HANDSHAKE || inner == HL_CONTENT_ALERT ||
                     inner == HL_CONTENT_APPLICATION_DATA);
    }
  return n;
}

/* Every value we computed is ✓ (or, where @unconfirmed_ok, at least not ✗), every hidden link
 * says why. Returns how many values are ✓ in @handshake. */
static guint
assert_values_ok (HlTrace *trace, guint handshake, gboolean unconfirmed_ok)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  guint ok = 0;

  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (!is_ours (s) || s->handshake != handshake)
        continue;
      g_assert_nonnull (s->note);
      g_assert_cmpuint (strlen (s->note), >, 0);
      g_assert_nonnull (s->inputs);
      if (s->value == NULL)
        {
          /* a link GnuTLS keeps to itself: no verdict, and the note says so */
          g_assert_cmpint (s->check, ==, HL_CHECK_NONE);
          g_assert_true (g_str_has_prefix (s->note, "Not re-derived"));
          continue;
        }
      g_assert_nonnull (s->formula);
      g_assert_cmpuint (strlen (s->formula), >, 0);
      if (g_str_equal (s->name, "early_secret.derived") ||
          g_str_equal (s->name, "derived_for_handshake.derived"))
        {
          /* constants of the hash that no value of the run confirms (test-keyschedule-ladder
           * checks them against RFC 8448): no verdict, and the note says so */
          g_assert_cmpint (s->check, ==, HL_CHECK_NONE);
          g_assert_nonnull (strstr (s->note, "RFC 8448"));
          continue;
        }
      if (s->check != HL_CHECK_OK)
        g_test_message ("%s: %s", s->name, s->note);
      if (unconfirmed_ok)
        g_assert_cmpint (s->check, !=, HL_CHECK_FAILED);
      else
        g_assert_cmpint (s->check, ==, HL_CHECK_OK);
      ok += s->check == HL_CHECK_OK;
    }
  return ok;
}

static void
assert_named_ok (HlTrace *trace, guint handshake, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      const HlSecret *s = find_ours (trace, names[i], handshake);

      if (s == NULL)
        g_test_message ("missing %s in connection %u", names[i], handshake + 1);
      g_assert_nonnull (s);
      g_assert_nonnull (s->value);
      g_assert_cmpint (s->check, ==, HL_CHECK_OK);
    }
}

/* What each kind of handshake must have, from its configuration. */
static void
assert_expected_values (HlTrace *trace, const HlConfig *config)
{
  static const char *const tls12[] = {
    "key_block", "client_write_key.derived", "server_write_key.derived",
    "client_write_iv.derived", "server_write_iv.derived", "transcript_hash.client_finished",
    "client_verify_data", "transcript_hash.server_finished", "server_verify_data", NULL,
  };
  static const char *const tls12_rsa[] = { "master_secret.derived", NULL };
  static const char *const tls12_ems[] = { "session_hash", NULL };
  static const char *const tls12_cbc[] = {
    "client_write_mac_key.derived", "server_write_mac_key.derived", NULL,
  };
  static const char *const tls13[] = {
    "client_handshake_write_key.derived", "client_handshake_write_iv.derived",
    "server_handshake_write_key.derived", "server_handshake_write_iv.derived",
    "client_write_key.derived", "client_write_iv.derived", "server_write_key.derived",
    "server_write_iv.derived", "server_finished_key", "transcript_hash.server_finished",
    "server_verify_data", "client_finished_key", "transcript_hash.client_finished",
    "client_verify_data", NULL,
  };
  static const char *const tls13_hidden[] = {
    "handshake_secret.derived", "master_secret_13.derived", NULL,
  };
  static const char *const resumed[] = { "resumption_ticket", NULL };
  /* the ticket of a TLS 1.2 first connection, opened with the server's key */
  static const char *const ticket[] = { "ticket_state", NULL };
  /* an attacker in the middle: two connections, each with its own complete key schedule */
  guint n_handshakes = config->resumption || config->attack != HL_ATTACK_NONE ? 2 : 1;

  g_assert_cmpuint (hl_trace_get_n_handshakes (trace), ==, n_handshakes);
  for (guint h = 0; h < n_handshakes; h++)
    {
      gboolean resumption = h == 1 && config->resumption;
      guint ok = assert_values_ok (trace, h, FALSE);

      if (config->version == HL_VERSION_TLS12)
        {
          const HlSecret *ms = find_ours (trace, "master_secret.derived", h);

          assert_named_ok (trace, h, tls12);
          if (config->kx == HL_KX_RSA && !resumption)
            assert_named_ok (trace, h, tls12_rsa);
          else
            {
              /* hidden premaster (ECDHE) or none at all (resumed) */
              g_assert_nonnull (ms);
              g_assert_null (ms->value);
            }
          if (config->kx == HL_KX_RSA && config->ems && !resumption)
            assert_named_ok (trace, h, tls12_ems);
          else
            g_assert_null (find_ours (trace, "session_hash", h));
          if (config->resumption && h == 0)
            assert_named_ok (trace, h, ticket);
          else
            g_assert_null (find_ours (trace, "ticket_state", h));
          if (config->cipher == HL_CIPHER_AES_128_CBC)
            assert_named_ok (trace, h, tls12_cbc);
          else
            g_assert_null (find_ours (trace, "client_write_mac_key.derived", h));
          g_assert_cmpuint (ok, >=, 7);
        }
      else
        {
          assert_named_ok (trace, h, tls13);
          for (guint i = 0; tls13_hidden[i]; i++)
            {
              const HlSecret *s = find_ours (trace, tls13_hidden[i], h);

              g_assert_nonnull (s);
              g_assert_null (s->value);
            }
          if (resumption)
            {
              const HlSecret *psk = find_ours (trace, "resumption_psk.derived", h);

              g_assert_nonnull (psk);
              g_assert_null (psk->value);
            }
          g_assert_cmpuint (ok, >=, 14);
        }
      if (resumption)
        {
          assert_named_ok (trace, h, resumed);
          g_assert_cmpint (find_ours (trace, "resumption_ticket", h)->source, ==,
                           HL_SOURCE_WIRE);
        }
    }
}

/* Recomputing on the finished trace changes nothing in it and gives what apply stored. */
static void
assert_recompute_same (HlTrace *trace)
{
  g_autofree char *before = hl_trace_to_data (trace, NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlKeySchedule) ks = hl_keyschedule_compute (trace, &error);
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  guint n_ours = 0;

  g_assert_no_error (error);
  g_assert_nonnull (ks);
  after = hl_trace_to_data (trace, NULL);
  g_assert_cmpstr (before, ==, after);

  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);
      const HlSecret *again;

      if (!is_ours (s))
        continue;
      n_ours++;
      again = hl_keyschedule_find (ks, s->name, s->handshake);
      g_assert_nonnull (again);
      g_assert_cmpint (again->check, ==, s->check);
      g_assert_cmpstr (again->formula, ==, s->formula);
      g_assert_true ((again->value == NULL) == (s->value == NULL));
      if (s->value)
        g_assert_true (g_bytes_equal (again->value, s->value));
    }
  g_assert_cmpuint (ks->secrets->len, ==, n_ours);

  for (guint i = 0; i < ks->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (ks->records, i);
      HlEvent *record = hl_trace_get_event (trace, rd->record);

      g_assert_cmpint (rd->check, ==, hl_event_get_check (record));
      g_assert_cmpuint (rd->inner_type, ==, hl_event_get_inner_type (record));
      g_assert_nonnull (rd->detail);
      g_assert_nonnull (rd->keys);
    }
}

/* Saves @trace, changes one hex digit of the @nth occurrence of `"member" : "hex…` in the text
 * (at hex digit @digit of the value; negative counts from its end), and loads the result. */
static HlTrace *
reload_flipped (HlTrace *trace, const char *member, GBytes *value, int digit)
{
  g_autofree char *json = hl_trace_to_data (trace, NULL);
  g_autofree char *hex = hl_bytes_to_hex (value);
  g_autofree char *needle = g_strdup_printf ("\"%s\" : \"%s\"", member, hex);
  g_autoptr(GError) error = NULL;
  char *at = strstr (json, needle);
  char *c;
  HlTrace *loaded;

  g_assert_nonnull (at);
  c = at + strlen (member) + 6 + (digit >= 0 ? digit : (int) strlen (hex) + digit);
  *c = *c == '0' ? '1' : '0';
  loaded = hl_trace_load_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  return loaded;
}

static HlKeySchedule *
compute_ok (HlTrace *trace)
{
  g_autoptr(GError) error = NULL;
  HlKeySchedule *ks = hl_keyschedule_compute (trace, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ks);
  return ks;
}

static void
assert_check (HlKeySchedule *ks, const char *name, guint handshake, HlCheck check)
{
  const HlSecret *s = hl_keyschedule_find (ks, name, handshake);

  if (s == NULL)
    g_test_message ("missing %s", name);
  g_assert_nonnull (s);
  if (s->check != check)
    g_test_message ("%s: %s", name, s->note);
  g_assert_cmpint (s->check, ==, check);
}

static HlEvent *
find_event (HlTrace *trace, HlEventKind kind, HlSide side, const char *name, guint handshake)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == kind && hl_event_get_side (event) == side &&
          hl_event_get_handshake (event) == handshake &&
          g_str_equal (hl_event_get_name (event), name))
        return event;
    }
  g_assert_not_reached ();
  return NULL;
}

/* --- Scenarios ------------------------------------------------------------------------------- */

static void
test_scenario (gconstpointer data)
{
  const HlScenario *scenario = data;
  g_autoptr(HlTrace) trace = run_config (scenario->id, &scenario->config);
  guint n_records = assert_records_decrypted (trace);

  if (!hl_config_expects_failure (&scenario->config))
    {
      /* ≥ 3 protected records each way: Finished, data, close_notify */
      g_assert_cmpuint (n_records, >=, 6);
      assert_expected_values (trace, &scenario->config);
    }
  else if (scenario->config.attack == HL_ATTACK_REJECTED)
    {
      static const char *const attacker_flight[] = {
        "client_handshake_write_key.derived", "client_handshake_write_iv.derived",
        "server_handshake_write_key.derived", "server_handshake_write_iv.derived",
        "server_finished_key", "transcript_hash.server_finished", "server_verify_data", NULL,
      };

      /* The attacker's connection to the server is complete: checked as any TLS 1.3 run. */
      g_assert_cmpuint (hl_trace_get_n_handshakes (trace), ==, 2);
      for (guint i = 0; i < hl_trace_get_secrets (trace)->len; i++)
        g_assert_cmpint (((HlSecret *) g_ptr_array_index (hl_trace_get_secrets (trace),
                                                          i))->check, !=, HL_CHECK_FAILED);
      assert_named_ok (trace, 1, attacker_flight);
      assert_named_ok (trace, 1, (const char *const[]) { "client_verify_data",
                                                         "client_write_key.derived", NULL });
      /* The client's connection got as far as the attacker's flight and the client's alert,
       * which went out under the client's handshake keys. */
      assert_named_ok (trace, 0, attacker_flight);
      g_assert_null (find_ours (trace, "client_verify_data", 0));
      g_assert_cmpuint (n_records, >=, 10);
    }
  else if (scenario->config.failure == HL_FAILURE_MISSING_CLIENT_CERT)
    {
      static const char *const finished[] = {
        "key_block", "client_write_key.derived", "client_write_iv.derived",
        "transcript_hash.client_finished", "client_verify_data", NULL,
      };

      /* The client finished its side before the server gave up: its Finished went out
       * encrypted with keys GnuTLS never reported, which our key block reproduces. */
      g_assert_cmpuint (n_records, ==, 1);
      assert_named_ok (trace, 0, finished);
      g_assert_cmpuint (assert_values_ok (trace, 0, TRUE), >=, 5);
    }
  else
    {
      /* nothing was encrypted, nothing could be derived */
      g_assert_cmpuint (n_records, ==, 0);
      g_assert_cmpuint (assert_values_ok (trace, 0, FALSE), ==, 0);
    }
  assert_recompute_same (trace);
}

typedef struct
{
  const char *name;
  HlConfig    config;
  const char *suite;
} Custom;

static const Custom customs[] = {
  /* TLS_RSA_WITH_AES_256_GCM_SHA384: the SHA-384 PRF */
  { "tls12-rsa-aes256", { HL_VERSION_TLS12, HL_KX_RSA, HL_CERT_RSA, HL_CIPHER_AES_256_GCM },
    "TLS_RSA_WITH_AES_256_GCM_SHA384" },
  { "tls12-rsa-aes256-ems",
    { HL_VERSION_TLS12, HL_KX_RSA, HL_CERT_RSA, HL_CIPHER_AES_256_GCM, .ems = TRUE },
    "TLS_RSA_WITH_AES_256_GCM_SHA384" },
  { "tls12-chacha",
    { HL_VERSION_TLS12, HL_KX_ECDHE, HL_CERT_RSA, HL_CIPHER_CHACHA20_POLY1305, .ems = TRUE },
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  /* MAC-then-encrypt */
  { "tls12-cbc-no-etm", { HL_VERSION_TLS12, HL_KX_RSA, HL_CERT_RSA, HL_CIPHER_AES_128_CBC },
    "TLS_RSA_WITH_AES_128_CBC_SHA" },
  /* the session hash then includes the client's Certificate (RFC 7627 §3) */
  { "tls12-rsa-mtls-ems",
    { HL_VERSION_TLS12, HL_KX_RSA, HL_CERT_RSA, HL_CIPHER_AES_128_GCM, .ems = TRUE,
      .client_auth = TRUE },
    "TLS_RSA_WITH_AES_128_GCM_SHA256" },
  { "tls12-rsa-resume",
    { HL_VERSION_TLS12, HL_KX_RSA, HL_CERT_RSA, HL_CIPHER_AES_128_GCM, .ems = TRUE,
      .resumption = TRUE },
    "TLS_RSA_WITH_AES_128_GCM_SHA256" },
  { "tls13-aes256", { HL_VERSION_TLS13, .cipher = HL_CIPHER_AES_256_GCM },
    "TLS_AES_256_GCM_SHA384" },
  { "tls13-chacha", { HL_VERSION_TLS13, .cipher = HL_CIPHER_CHACHA20_POLY1305 },
    "TLS_CHACHA20_POLY1305_SHA256" },
  { "tls13-aes256-resume",
    { HL_VERSION_TLS13, .cipher = HL_CIPHER_AES_256_GCM, .resumption = TRUE },
    "TLS_AES_256_GCM_SHA384" },
};

static void
test_custom (gconstpointer data)
{
  const Custom *custom = data;
  g_autoptr(HlTrace) trace = run_config (custom->name, &custom->config);
  const HlNegotiated *neg = g_ptr_array_index (hl_trace_get_negotiated (trace), 0);

  g_assert_cmpstr (neg->cipher_suite, ==, custom->suite);
  g_assert_cmpuint (assert_records_decrypted (trace), >=, 6);
  assert_expected_values (trace, &custom->config);
  assert_recompute_same (trace);
  if (custom->config.client_auth)
    {
      /* RFC 7627 §3: the session hash covers the client's Certificate, not its
       * CertificateVerify */
      const HlSecret *sh = find_ours (trace, "session_hash", 0);

      g_assert_nonnull (strstr (sh->formula, "client Certificate ‖ ClientKeyExchange)"));
    }
}

/* The printout shows the schedule with its formulas and marks. */
static void
test_print (void)
{
  g_autoptr(HlTrace) trace = run_config ("tls12-rsa-ems",
                                         &hl_scenario_lookup ("tls12-rsa-ems")->config);
  g_autofree char *text = hl_trace_dup_text (trace, HL_PRINT_VERBOSE);

  g_assert_nonnull (strstr (text, "Key schedule"));
  g_assert_nonnull (strstr (text, "✓ master_secret.derived"));
  g_assert_nonnull (strstr (text, "PRF(premaster_secret, \"extended master secret\", "
                                  "session_hash)[0..47]"));
  g_assert_nonnull (strstr (text, "inputs: premaster_secret, session_hash"));
  g_assert_nonnull (strstr (text, "11 ✓, 0 ✗, 0 ·; 6 of 6 protected records decrypted"));
  g_assert_null (strstr (text, "] ✗"));
}

/* Plaintexts, inner types and checks survive JSON. */
static void
test_json (void)
{
  g_autoptr(HlTrace) trace = run_config ("tls13-hrr", &hl_scenario_lookup ("tls13-hrr")->config);
  g_autofree char *json = hl_trace_to_data (trace, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) loaded = hl_trace_load_data (json, -1, &error);
  g_autoptr(GString) why = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_true (hl_trace_equal (trace, loaded, why));
  g_assert_cmpuint (assert_records_decrypted (loaded), ==, 9);
  assert_recompute_same (loaded);
}

/* --- The check can fail ---------------------------------------------------------------------- */

/* A wrong master secret: ✗ on it and on everything computed from it; records still decrypt with
 * GnuTLS's keys. */
static void
test_corrupt_master_secret (void)
{
  g_autoptr(HlTrace) trace = run_config ("tls12-rsa", &hl_scenario_lookup ("tls12-rsa")->config);
  const HlSecret *ms = hl_trace_find_secret (trace, "master_secret", 0);
  g_autoptr(HlTrace) bad = reload_flipped (trace, "value", ms->value, 10);
  g_autoptr(HlKeySchedule) ks = compute_ok (bad);

  assert_check (ks, "master_secret.derived", 0, HL_CHECK_FAILED);
  assert_check (ks, "key_block", 0, HL_CHECK_FAILED);
  assert_check (ks, "client_write_key.derived", 0, HL_CHECK_FAILED);
  assert_check (ks, "server_write_iv.derived", 0, HL_CHECK_FAILED);
  assert_check (ks, "client_verify_data", 0, HL_CHECK_FAILED);
  assert_check (ks, "server_verify_data", 0, HL_CHECK_FAILED);
  /* the transcript is not to blame, but nothing confirms it any more */
  assert_check (ks, "transcript_hash.client_finished", 0, HL_CHECK_NONE);
  g_assert_cmpuint (hl_keyschedule_count (ks, HL_CHECK_FAILED), ==, 8);
  for (guint i = 0; i < ks->records->len; i++)
    g_assert_cmpint (((HlRecordDecryption *) g_ptr_array_index (ks->records, i))->check, ==,
                     HL_CHECK_OK);
}

/* A wrong premaster secret: only the master secret it feeds is ✗. */
static void
test_corrupt_premaster (void)
{
  g_autoptr(HlTrace) trace = run_config ("tls12-rsa-ems",
                                         &hl_scenario_lookup ("tls12-rsa-ems")->config);
  const HlSecret *pms = hl_trace_find_secret (trace, "premaster_secret", 0);
  g_autoptr(HlTrace) bad = reload_flipped (trace, "value", pms->value, -1);
  g_autoptr(HlKeySchedule) ks = compute_ok (bad);

  assert_check (ks, "master_secret.derived", 0, HL_CHECK_FAILED);
  assert_check (ks, "session_hash", 0, HL_CHECK_NONE);
  assert_check (ks, "client_verify_data", 0, HL_CHECK_OK);
  g_assert_cmpuint (hl_keyschedule_count (ks, HL_CHECK_FAILED), ==, 1);
}

/* A wrong TLS 1.3 traffic secret: ✗ on the keys and the Finished MAC computed from it. */
static void
test_corrupt_traffic_secret (void)
{
  g_autoptr(HlTrace) trace = run_config ("tls13", &hl_scenario_lookup ("tls13")->config);
  const HlSecret *chts = hl_trace_find_secret (trace, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", 0);
  const HlSecret *sats = hl_trace_find_secret (trace, "SERVER_TRAFFIC_SECRET_0", 0);
  g_autoptr(HlTrace) bad = reload_flipped (trace, "value", chts->value, 0);
  g_autoptr(HlTrace) bad2 = reload_flipped (trace, "value", sats->value, 5);
  g_autoptr(HlKeySchedule) ks = compute_ok (bad);
  g_autoptr(HlKeySchedule) ks2 = compute_ok (bad2);

  assert_check (ks, "client_handshake_write_key.derived", 0, HL_CHECK_FAILED);
  assert_check (ks, "client_handshake_write_iv.derived", 0, HL_CHECK_FAILED);
  assert_check (ks, "client_verify_data", 0, HL_CHECK_FAILED);
  assert_check (ks, "client_finished_key", 0, HL_CHECK_NONE);
  assert_check (ks, "server_verify_data", 0, HL_CHECK_OK);
  assert_check (ks, "client_write_key.derived", 0, HL_CHECK_OK);
  g_assert_cmpuint (hl_keyschedule_count (ks, HL_CHECK_FAILED), ==, 3);

  assert_check (ks2, "server_write_key.derived", 0, HL_CHECK_FAILED);
  assert_check (ks2, "server_write_iv.derived", 0, HL_CHECK_FAILED);
  g_assert_cmpuint (hl_keyschedule_count (ks2, HL_CHECK_FAILED), ==, 2);
}

/* A changed byte in one record: that record is ✗, the others still decrypt. */
static void
test_corrupt_record (gconstpointer data)
{
  const char *id = data;
  g_autoptr(HlTrace) trace = run_config (id, &hl_scenario_lookup (id)->config);
  HlEvent *request = find_event (trace, HL_EVENT_APP_DATA, HL_SIDE_CLIENT, "Request", 0);
  HlEvent *record = hl_trace_get_event (trace, hl_event_get_record (request));
  g_autoptr(HlTrace) bad = reload_flipped (trace, "bytes", hl_event_get_bytes (record), -1);
  g_autoptr(HlKeySchedule) ks = compute_ok (bad);
  guint failed = 0;

  for (guint i = 0; i < ks->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (ks->records, i);

      if (rd->record == hl_event_get_index (record))
        {
          g_assert_cmpint (rd->check, ==, HL_CHECK_FAILED);
          g_assert_null (rd->plaintext);
          g_assert_nonnull (strstr (rd->detail, "Did not decrypt"));
          failed++;
        }
      else
        g_assert_cmpint (rd->check, ==, HL_CHECK_OK);
    }
  g_assert_cmpuint (failed, ==, 1);
  /* the key schedule itself does not depend on the record */
  g_assert_cmpuint (hl_keyschedule_count (ks, HL_CHECK_FAILED), ==, 0);
}

/* A wrong client write key (as if GnuTLS had reported another): ✗ on our comparison and on every
 * record the client sent; the server's records and the rest of the schedule are unaffected. */
static void
test_corrupt_write_key (void)
{
  g_autoptr(HlTrace) trace = run_config ("tls12-cbc", &hl_scenario_lookup ("tls12-cbc")->config);
  const HlSecret *key = hl_trace_find_secret (trace, "client_write_mac_key", 0);
  g_autoptr(HlTrace) bad = reload_flipped (trace, "value", key->value, 3);
  g_autoptr(HlKeySchedule) ks = compute_ok (bad);
  guint client_failed = 0;

  assert_check (ks, "client_write_mac_key.derived", 0, HL_CHECK_FAILED);
  assert_check (ks, "key_block", 0, HL_CHECK_FAILED);
  assert_check (ks, "server_write_mac_key.derived", 0, HL_CHECK_OK);
  assert_check (ks, "client_verify_data", 0, HL_CHECK_OK);
  for (guint i = 0; i < ks->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (ks->records, i);

      if (rd->sender == HL_SIDE_CLIENT)
        {
          g_assert_cmpint (rd->check, ==, HL_CHECK_FAILED);
          g_assert_nonnull (strstr (rd->detail, "MAC"));
          client_failed++;
        }
      else
        g_assert_cmpint (rd->check, ==, HL_CHECK_OK);
    }
  g_assert_cmpuint (client_failed, ==, 3);
}

/* The server's ticket key with one byte changed: the ticket no longer opens (its key name is
 * not the changed key's for any period), so nothing is claimed about what is inside; a changed
 * byte in the ticket itself: the right key, a MAC that fails, ✗. */
static void
test_corrupt_ticket (void)
{
  g_autoptr(HlTrace) trace = run_config ("tls12-resume-ticket",
                                         &hl_scenario_lookup ("tls12-resume-ticket")->config);
  const HlSecret *key = hl_trace_find_secret (trace, "session_ticket_key", 0);
  HlEvent *nst = find_event (trace, HL_EVENT_MESSAGE, HL_SIDE_SERVER, "NewSessionTicket", 0);
  g_autoptr(HlTrace) bad_key = reload_flipped (trace, "value", key->value, 7);
  g_autoptr(HlTrace) bad_ticket = reload_flipped (trace, "bytes", hl_event_get_bytes (nst), 80);
  g_autoptr(HlKeySchedule) ks_key = compute_ok (bad_key);
  g_autoptr(HlKeySchedule) ks_ticket = compute_ok (bad_ticket);
  const HlSecret *opened = hl_keyschedule_find (ks_key, "ticket_state", 0);

  g_assert_cmpint (key->holder, ==, HL_SIDE_SERVER);
  g_assert_nonnull (opened);
  g_assert_null (opened->value);
  g_assert_nonnull (strstr (opened->note, "key name"));
  assert_check (ks_key, "ticket_state", 0, HL_CHECK_NONE);
  assert_check (ks_key, "server_verify_data", 0, HL_CHECK_OK);
  assert_check (ks_ticket, "ticket_state", 0, HL_CHECK_FAILED);
  g_assert_nonnull (strstr (hl_keyschedule_find (ks_ticket, "ticket_state", 0)->note,
                            "HMAC-SHA1"));
}

typedef struct
{
  const char *id;
  guint       handshake;
  HlCheck     client_verify_data; /* ✗ where the server's Finished is in the client's transcript */
} FinishedCase;

/* A changed captured Finished: its verify_data no longer matches, and neither does the
 * record's plaintext. */
static void
test_corrupt_finished (gconstpointer data)
{
  const FinishedCase *fc = data;
  g_autoptr(HlTrace) trace = run_config (fc->id, &hl_scenario_lookup (fc->id)->config);
  HlEvent *finished = find_event (trace, HL_EVENT_MESSAGE, HL_SIDE_SERVER, "Finished",
                                  fc->handshake);
  g_autoptr(HlTrace) bad = reload_flipped (trace, "bytes", hl_event_get_bytes (finished), -1);
  g_autoptr(HlKeySchedule) ks = compute_ok (bad);
  const HlRecordDecryption *rd = find_record (ks, hl_event_get_record (finished));

  assert_check (ks, "server_verify_data", fc->handshake, HL_CHECK_FAILED);
  assert_check (ks, "client_verify_data", fc->handshake, fc->client_verify_data);
  g_assert_nonnull (rd);
  g_assert_cmpint (rd->check, ==, HL_CHECK_FAILED);
  g_assert_nonnull (rd->plaintext);
  g_assert_nonnull (strstr (rd->detail, "differs"));
}

static const FinishedCase finished_cases[] = {
  { "tls12-rsa", 0, HL_CHECK_OK },             /* the client's Finished comes first… */
  { "tls12-resume-ticket", 1, HL_CHECK_FAILED }, /* …but not in an abbreviated handshake */
  { "tls13-hrr", 0, HL_CHECK_FAILED },
};

/* A trace whose message points at something that is not a record cannot be read. */
static void
test_inconsistent_trace (void)
{
  g_autoptr(HlTrace) trace = run_config ("tls13", &hl_scenario_lookup ("tls13")->config);
  g_autoptr(JsonNode) root = hl_trace_to_json (trace);
  JsonArray *events = json_object_get_array_member (json_node_get_object (root), "events");
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(HlKeySchedule) ks = NULL;
  HlEvent *sh = find_event (trace, HL_EVENT_MESSAGE, HL_SIDE_SERVER, "ServerHello", 0);

  /* the ServerHello now claims the ClientHello message as its record */
  json_object_set_int_member (json_array_get_object_element (events, hl_event_get_index (sh)),
                              "record", 1);
  loaded = hl_trace_from_json (root, &error);
  g_assert_no_error (error);
  ks = hl_keyschedule_compute (loaded, &error);
  g_assert_error (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID);
  g_assert_null (ks);
}

/* Damaged handshake messages in a loaded trace (each cut to half, or emptied) make values ✗ or
 * leave them out, never a crash, a critical or an error. */
static void
test_damaged_messages (gconstpointer data)
{
  const char *id = data;
  g_autoptr(HlTrace) trace = run_config (id, &hl_scenario_lookup (id)->config);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      GBytes *bytes = hl_event_get_bytes (event);

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE || bytes == NULL)
        continue;
      for (guint cut = 0; cut < 2; cut++)
        {
          g_autoptr(JsonNode) root = hl_trace_to_json (trace);
          JsonArray *events = json_object_get_array_member (json_node_get_object (root),
                                                            "events");
          g_autoptr(GBytes) half = g_bytes_new_from_bytes (bytes, 0,
                                                           cut ? 0 : g_bytes_get_size (bytes) / 2);
          g_autofree char *hex = hl_bytes_to_hex (half);
          g_autoptr(GError) error = NULL;
          g_autoptr(HlTrace) loaded = NULL;
          g_autoptr(HlKeySchedule) ks = NULL;

          json_object_set_string_member (json_array_get_object_element (events, i), "bytes", hex);
          loaded = hl_trace_from_json (root, &error);
          g_assert_no_error (error);
          ks = compute_ok (loaded);
          for (guint j = 0; j < ks->secrets->len; j++)
            {
              const HlSecret *s = g_ptr_array_index (ks->secrets, j);

              g_assert_nonnull (s->note);
            }
          for (guint j = 0; j < ks->records->len; j++)
            g_assert_nonnull (((HlRecordDecryption *) g_ptr_array_index (ks->records, j))->detail);
        }
    }
}

int
main (int argc, char *argv[])
{
  guint n = 0;
  const HlScenario *scenarios = hl_scenario_get_all (&n);

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/keyschedule/scenario/%s",
                                               scenarios[i].id);

      g_test_add_data_func (path, &scenarios[i], test_scenario);
    }
  for (guint i = 0; i < G_N_ELEMENTS (customs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/keyschedule/custom/%s",
                                               customs[i].name);

      g_test_add_data_func (path, &customs[i], test_custom);
    }
  g_test_add_func ("/protocol/keyschedule/print", test_print);
  g_test_add_func ("/protocol/keyschedule/json", test_json);
  g_test_add_func ("/protocol/keyschedule/corrupt/master-secret", test_corrupt_master_secret);
  g_test_add_func ("/protocol/keyschedule/corrupt/premaster-secret", test_corrupt_premaster);
  g_test_add_func ("/protocol/keyschedule/corrupt/traffic-secret", test_corrupt_traffic_secret);
  g_test_add_func ("/protocol/keyschedule/corrupt/write-key", test_corrupt_write_key);
  g_test_add_func ("/protocol/keyschedule/corrupt/ticket", test_corrupt_ticket);
  g_test_add_data_func ("/protocol/keyschedule/corrupt/record/tls12-cbc", "tls12-cbc",
                        test_corrupt_record);
  g_test_add_data_func ("/protocol/keyschedule/corrupt/record/tls13", "tls13",
                        test_corrupt_record);
  for (guint i = 0; i < G_N_ELEMENTS (finished_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/keyschedule/corrupt/finished/%s-%u",
                                               finished_cases[i].id,
                                               finished_cases[i].handshake + 1);

      g_test_add_data_func (path, &finished_cases[i], test_corrupt_finished);
    }
  g_test_add_func ("/protocol/keyschedule/inconsistent-trace", test_inconsistent_trace);
  g_test_add_data_func ("/protocol/keyschedule/damaged/tls12-resume-ticket",
                        "tls12-resume-ticket", test_damaged_messages);
  g_test_add_data_func ("/protocol/keyschedule/damaged/tls13-hrr", "tls13-hrr",
                        test_damaged_messages);
  g_test_add_data_func ("/protocol/keyschedule/damaged/tls13-resume-psk", "tls13-resume-psk",
                        test_damaged_messages);

  return g_test_run ();
}
