/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hl-engine.h"
#include "hl-event-private.h"
#include "hl-signature.h"
#include "hl-trace-io.h"

/*
 * Every signature step's ✓ is a real check (hl-signature): on the scenarios with signatures
 * all of them verify, and in a copy of a trace with one byte changed — in the signature, or in
 * what it signs — the same check says ✗. A verification started early (while the handshake
 * runs) changes no verdict.
 */

static const char *const scenarios[] = {
  "tls12-ecdhe-rsa", "tls12-ecdhe-ecdsa", "tls12-mtls", "tls13", "tls13-ecdsa", "tls13-hrr",
  "tls13-mtls",
};

static GPtrArray *
checks_of (HlTrace *trace, guint *n_ok)
{
  GPtrArray *checks = hl_trace_check_signatures (trace);

  *n_ok = 0;
  for (guint i = 0; i < checks->len; i++)
    *n_ok += ((HlSignatureCheck *) g_ptr_array_index (checks, i))->check == HL_CHECK_OK;
  return checks;
}

/* A copy of @trace through its file format, with byte @offset of event @index's bytes flipped. */
static HlTrace *
tampered (HlTrace *trace, guint index, gsize offset)
{
  g_autoptr(JsonNode) root = hl_trace_to_json (trace);
  JsonArray *events = json_object_get_array_member (json_node_get_object (root), "events");
  JsonObject *event = json_array_get_object_element (events, index);
  g_autofree char *hex = g_strdup (json_object_get_string_member (event, "bytes"));
  g_autoptr(GError) error = NULL;
  HlTrace *copy;

  g_assert_cmpuint (strlen (hex), >, offset * 2 + 1);
  hex[offset * 2 + 1] = hex[offset * 2 + 1] == '0' ? '1' : '0';
  json_object_set_string_member (event, "bytes", hex);
  copy = hl_trace_from_json (root, &error);
  g_assert_no_error (error);
  return copy;
}

static void
test_scenario (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario (id, NULL, &error);
  g_autoptr(GPtrArray) checks = NULL;
  guint n_ok = 0;

  g_assert_no_error (error);
  checks = checks_of (trace, &n_ok);
  g_assert_cmpuint (checks->len, >, 0);
  g_assert_cmpuint (n_ok, ==, checks->len);

  /* the engine's signature steps carry exactly these verdicts */
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
          g_str_has_suffix (hl_event_get_name (event), "signature"))
        {
          g_assert_cmpint (hl_event_get_check (event), ==, HL_CHECK_OK);
          g_assert_nonnull (strstr (hl_event_get_technical (event), "Handshake Lens checked"));
        }
    }

  for (guint c = 0; c < checks->len; c++)
    {
      HlSignatureCheck *check = g_ptr_array_index (checks, c);
      HlEvent *message = hl_trace_get_event (trace, check->message);
      gsize len = hl_event_get_length (message);
      g_autoptr(HlTrace) bad_sig = tampered (trace, check->message, len - 1);
      g_autoptr(GPtrArray) again = NULL;
      guint ok = 0;

      /* the last byte of the message is the signature's */
      again = checks_of (bad_sig, &ok);
      g_assert_cmpuint (again->len, ==, checks->len);
      g_assert_cmpint (((HlSignatureCheck *) g_ptr_array_index (again, c))->check, ==,
                       HL_CHECK_FAILED);
      g_assert_nonnull (strstr (((HlSignatureCheck *) g_ptr_array_index (again, c))->detail,
                                "NOT"));
      /* signatures before it still verify; later CertificateVerify signatures that cover the
       * changed message (TLS 1.2 signs every handshake message) fail with it */
      for (guint k = 0; k < c; k++)
        g_assert_cmpint (((HlSignatureCheck *) g_ptr_array_index (again, k))->check, ==,
                         HL_CHECK_OK);
    }

  /* what is signed counts too: a changed server random breaks the key-exchange signature, a
   * changed ClientHello every CertificateVerify of the handshake */
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && hl_event_get_handshake (event) == 0 &&
          g_strcmp0 (hl_event_get_name (event), "ServerHello") == 0)
        {
          g_autoptr(HlTrace) bad = tampered (trace, i, 10);
          g_autoptr(GPtrArray) again = NULL;
          guint ok = 0;

          again = checks_of (bad, &ok);
          g_assert_cmpuint (ok, <, checks->len);
          break;
        }
    }
}

/* The verdicts of @trace's signature steps after hl_signature_apply_early() with @early: one
 * character each, 'y' for ✓, 'n' for ✗, '-' for none. */
static char *
verdicts_with (HlTrace *trace, GPtrArray *early)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
          g_str_has_suffix (hl_event_get_name (event), "signature"))
        hl_event_set_check (event, HL_CHECK_NONE);
    }
  hl_signature_apply_early (trace, early);
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlCheck check = hl_event_get_check (event);

      if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
          g_str_has_suffix (hl_event_get_name (event), "signature"))
        g_string_append_c (out, check == HL_CHECK_OK ? 'y' : check == HL_CHECK_FAILED ? 'n' : '-');
    }
  return g_string_free (out, FALSE);
}

/* Verifications started early (as the engine starts them while the handshake runs) of
 * @message in @source with @certificate. */
static GPtrArray *
started (HlTrace *source, guint message, gboolean tls13, GBytes *certificate)
{
  GPtrArray *early = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_signature_early_free);
  HlSignatureEarly *one = hl_signature_start (source, hl_trace_get_event (source, message), tls13,
                                              GNUTLS_DIG_SHA256, certificate);

  g_assert_nonnull (one);
  g_ptr_array_add (early, one);
  return early;
}

/* An answer computed early counts only for the very inputs of the final check: started on a
 * tampered signature, with another certificate or on the intact trace, the verdicts are those
 * of the check without it. */
static void
test_early (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario (id, NULL, &error);
  g_autoptr(GPtrArray) checks = NULL;
  gboolean tls13 = g_str_has_prefix (id, "tls13");
  guint n_ok = 0;

  g_assert_no_error (error);
  checks = checks_of (trace, &n_ok);
  g_assert_cmpuint (n_ok, ==, checks->len);
  for (guint c = 0; c < checks->len; c++)
    {
      HlSignatureCheck *check = g_ptr_array_index (checks, c);
      GPtrArray *chain = hl_trace_get_chain_of (trace, check->handshake, check->signer);
      GBytes *certificate = g_ptr_array_index (chain, 0);
      gsize len = hl_event_get_length (hl_trace_get_event (trace, check->message));
      g_autoptr(HlTrace) bad = tampered (trace, check->message, len - 1);
      g_autofree char *good_alone = verdicts_with (trace, NULL);
      g_autofree char *bad_alone = verdicts_with (bad, NULL);
      g_autoptr(GPtrArray) from_bad = started (bad, check->message, tls13, certificate);
      g_autoptr(GPtrArray) from_good = started (trace, check->message, tls13, certificate);
      g_autoptr(GPtrArray) other_key = started (trace, check->message, tls13,
                                                hl_trace_get_ca_certificate (trace));
      g_autoptr(GPtrArray) same = started (trace, check->message, tls13, certificate);
      g_autofree char *good_from_bad = verdicts_with (trace, from_bad);
      g_autofree char *bad_from_good = verdicts_with (bad, from_good);
      g_autofree char *good_other_key = verdicts_with (trace, other_key);
      g_autofree char *good_same = verdicts_with (trace, same);

      g_assert_null (strchr (good_alone, 'n'));
      g_assert_nonnull (strchr (bad_alone, 'n'));
      g_assert_cmpstr (good_from_bad, ==, good_alone);
      g_assert_cmpstr (bad_from_good, ==, bad_alone);
      g_assert_cmpstr (good_other_key, ==, good_alone);
      g_assert_cmpstr (good_same, ==, good_alone);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/signature/%s", scenarios[i]);

      g_test_add_data_func (path, scenarios[i], test_scenario);
    }
  g_test_add_data_func ("/protocol/signature/early/tls12-ecdhe-ecdsa", "tls12-ecdhe-ecdsa",
                        test_early);
  g_test_add_data_func ("/protocol/signature/early/tls12-mtls", "tls12-mtls", test_early);
  g_test_add_data_func ("/protocol/signature/early/tls13-ecdsa", "tls13-ecdsa", test_early);
  g_test_add_data_func ("/protocol/signature/early/tls13-mtls", "tls13-mtls", test_early);
  return g_test_run ();
}
