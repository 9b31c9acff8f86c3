/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>

#include "hl-engine.h"
#include "hl-kdf.h"
#include "hl-transcript.h"

static gnutls_digest_algorithm_t
hash_of (HlTrace *trace, guint handshake)
{
  GPtrArray *negs = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negs->len; i++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, i);

      if (neg->handshake == handshake && neg->cipher_suite &&
          g_str_has_suffix (neg->cipher_suite, "SHA384"))
        return GNUTLS_DIG_SHA384;
    }
  return GNUTLS_DIG_SHA256;
}

/* For every Finished of every scenario, hashing the messages hl_trace_transcript() lists gives
 * the transcript hash the key schedule computed (and checked against the wire's verify_data). */
static void
test_scenario (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario (data, NULL, &error);
  guint checked = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GArray) entries = NULL;
      g_autofree GBytes **messages = NULL;
      g_autofree char *name = NULL;
      g_autoptr(GBytes) ours = NULL;
      const HlSecret *expected;
      gboolean hrr = FALSE;

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          g_strcmp0 (hl_event_get_name (event), "Finished") != 0)
        continue;
      entries = hl_trace_transcript (trace, i, &hrr);
      g_assert_cmpuint (entries->len, >=, 2);
      g_assert_cmpstr (hl_event_get_name (hl_trace_get_event (trace,
                                                              g_array_index (entries, guint, 0))),
                       ==, "ClientHello");
      messages = g_new0 (GBytes *, entries->len);
      for (guint k = 0; k < entries->len; k++)
        {
          HlEvent *m = hl_trace_get_event (trace, g_array_index (entries, guint, k));

          g_assert_cmpint (hl_event_get_content_type (m), ==, HL_CONTENT_HANDSHAKE);
          messages[k] = hl_event_get_bytes (m);
        }
      ours = hl_transcript_hash (hash_of (trace, hl_event_get_handshake (event)), messages,
                                 entries->len, hrr);
      name = g_strdup_printf ("transcript_hash.%s_finished",
                              hl_event_get_role (event) == HL_SIDE_CLIENT ? "client" : "server");
      expected = hl_trace_find_secret (trace, name, hl_event_get_handshake (event));
      g_assert_nonnull (expected);
      g_assert_nonnull (expected->value);
      g_assert_true (g_bytes_equal (ours, expected->value));
      g_assert_cmpint (expected->check, ==, HL_CHECK_OK);
      checked++;
    }
  g_assert_cmpuint (checked, >=, g_str_has_prefix (data, "fail-") ||
                                 g_str_equal (data, "mitm-downgrade") ? 0 : 2);
  /* both connections of an attacked client that went through: four Finished messages */
  if (strcmp (data, "mitm-trusted-ca") == 0)
    g_assert_cmpuint (checked, ==, 4);
  if (strcmp (data, "tls13-hrr") == 0)
    {
      /* the HelloRetryRequest transcript starts with the first ClientHello, to be hashed */
      g_assert_cmpuint (checked, ==, 2);
    }
}

int
main (int argc, char *argv[])
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/transcript/%s", all[i].id);

      g_test_add_data_func (path, all[i].id, test_scenario);
    }
  return g_test_run ();
}
