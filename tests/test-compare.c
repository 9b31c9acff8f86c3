/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hl-compare.h"
#include "hl-engine.h"
#include "hl-scenario.h"
#include "hl-trace-decode.h"
#include "hl-trace-io.h"

/* The comparison of two handshakes, on traces only (no display): the alignment on every pair
 * of scenarios, round trips against the RFCs, the summary figures against the events, the
 * field difference of two messages, and the text of --compare --print. Each scenario runs
 * once; the traces are shared by all tests. */

static HlTrace **traces;   /* one per scenario, in hl_scenario_get_all() order */
static guint n_traces;

static HlTrace *
trace_for (const char *id)
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (all[i].id, id))
      return traces[i];
  g_assert_not_reached ();
  return NULL;
}

/* The step indices of @trace, in order. */
static GArray *
steps_of (HlTrace *trace)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    if (hl_compare_is_step (hl_trace_get_event (trace, i)))
      {
        int index = (int) i;

        g_array_append_val (steps, index);
      }
  return steps;
}

static gboolean
is_wire (HlEvent *event)
{
  HlEventKind kind = hl_event_get_kind (event);

  return kind == HL_EVENT_MESSAGE || kind == HL_EVENT_ALERT || kind == HL_EVENT_APP_DATA;
}

/* The invariants of one alignment: every step once and in order on each side, matched rows
 * mean the same, shared rows hold local steps only, one-sided rows have one side. */
static void
check_alignment (HlTrace *left, HlTrace *right, GArray *rows)
{
  HlTrace *trace[2] = { left, right };
  g_autoptr(GArray) steps_l = steps_of (left);
  g_autoptr(GArray) steps_r = steps_of (right);
  GArray *steps[2] = { steps_l, steps_r };
  guint next[2] = { 0, 0 };
  guint n_hs[2] = { hl_trace_get_n_handshakes (left), hl_trace_get_n_handshakes (right) };

  for (guint i = 0; i < rows->len; i++)
    {
      const HlCompareRow *row = &g_array_index (rows, HlCompareRow, i);
      int index[2] = { row->left, row->right };
      HlEvent *events[2] = { NULL, NULL };

      for (guint s = 0; s < 2; s++)
        {
          if (index[s] < 0)
            continue;
          /* the next step of that side, none skipped, none twice */
          g_assert_cmpuint (next[s], <, steps[s]->len);
          g_assert_cmpint (index[s], ==, g_array_index (steps[s], int, next[s]));
          next[s]++;
          events[s] = hl_trace_get_event (trace[s], index[s]);
        }
      switch (row->kind)
        {
        case HL_COMPARE_ROW_MATCH:
          g_assert_nonnull (events[0]);
          g_assert_nonnull (events[1]);
          g_assert_cmpint (hl_event_get_kind (events[0]), ==, hl_event_get_kind (events[1]));
          /* the same TLS role (an attacker's connection pairs with a direct one) */
          g_assert_cmpint (hl_event_get_role (events[0]), ==, hl_event_get_role (events[1]));
          /* paired connections, counted from the last */
          g_assert_cmpuint (n_hs[0] - hl_event_get_handshake (events[0]), ==,
                            n_hs[1] - hl_event_get_handshake (events[1]));
          g_assert_cmpint (hl_event_get_handshake_type (events[0]), ==,
                           hl_event_get_handshake_type (events[1]));
          if (hl_event_get_kind (events[0]) != HL_EVENT_APP_DATA)
            g_assert_cmpstr (hl_event_get_name (events[0]), ==, hl_event_get_name (events[1]));
          break;
        case HL_COMPARE_ROW_PAIR:
          g_assert_nonnull (events[0]);
          g_assert_nonnull (events[1]);
          g_assert_false (is_wire (events[0]));
          g_assert_false (is_wire (events[1]));
          break;
        case HL_COMPARE_ROW_LEFT:
          g_assert_nonnull (events[0]);
          g_assert_null (events[1]);
          break;
        case HL_COMPARE_ROW_RIGHT:
          g_assert_null (events[0]);
          g_assert_nonnull (events[1]);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_assert_cmpuint (next[0], ==, steps_l->len);
  g_assert_cmpuint (next[1], ==, steps_r->len);
}

/* All 21 × 21 ordered pairs, a scenario with itself included. */
static void
test_align_all_pairs (void)
{
  guint pairs = 0;

  for (guint a = 0; a < n_traces; a++)
    for (guint b = 0; b < n_traces; b++)
      {
        g_autoptr(GArray) rows = hl_compare_align (traces[a], traces[b]);

        check_alignment (traces[a], traces[b], rows);
        if (a == b)
          for (guint i = 0; i < rows->len; i++)
            g_assert_cmpint (g_array_index (rows, HlCompareRow, i).kind, ==,
                             HL_COMPARE_ROW_MATCH);
        pairs++;
      }
  g_assert_cmpuint (n_traces, >=, 22);
  g_assert_cmpuint (pairs, ==, n_traces * n_traces);
}

/* A scenario against a fresh run of itself: every row matched (the random values differ, the
 * steps do not). */
static void
test_align_fresh_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) again = hl_engine_run_scenario ("tls13-hrr", NULL, &error);
  g_autoptr(GArray) rows = NULL;

  g_assert_no_error (error);
  rows = hl_compare_align (trace_for ("tls13-hrr"), again);
  check_alignment (trace_for ("tls13-hrr"), again, rows);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (g_array_index (rows, HlCompareRow, i).kind, ==, HL_COMPARE_ROW_MATCH);
}

/* The message names on one side of the rows of @kind. */
static char *
names_of (HlTrace *left, HlTrace *right, GArray *rows, HlCompareRowKind kind)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const HlCompareRow *row = &g_array_index (rows, HlCompareRow, i);
      HlEvent *event;

      if (row->kind != kind)
        continue;
      event = row->left >= 0 ? hl_trace_get_event (left, row->left)
                             : hl_trace_get_event (right, row->right);
      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE)
        continue;
      g_string_append_printf (out, "%s%s", out->len ? " " : "", hl_event_get_name (event));
    }
  return g_string_free (out, FALSE);
}

/* What the issue asks to see: ClientHello ↔ ClientHello, ServerHello ↔ ServerHello, Finished
 * ↔ Finished, and gaps for the messages one version has and the other has not. */
static void
test_align_tls12_tls13 (void)
{
  HlTrace *l = trace_for ("tls12-ecdhe-rsa"), *r = trace_for ("tls13");
  g_autoptr(GArray) rows = hl_compare_align (l, r);
  g_autofree char *matched = names_of (l, r, rows, HL_COMPARE_ROW_MATCH);
  g_autofree char *left = names_of (l, r, rows, HL_COMPARE_ROW_LEFT);
  g_autofree char *right = names_of (l, r, rows, HL_COMPARE_ROW_RIGHT);
  const HlCompareRow *first = &g_array_index (rows, HlCompareRow, 0);

  check_alignment (l, r, rows);
  g_assert_cmpint (first->kind, ==, HL_COMPARE_ROW_MATCH);
  g_assert_cmpstr (hl_event_get_name (hl_trace_get_event (l, first->left)), ==, "ClientHello");
  g_assert_true (g_str_has_prefix (matched, "ClientHello ServerHello Certificate"));
  g_assert_nonnull (strstr (matched, "Finished"));
  /* TLS 1.2 only */
  g_assert_nonnull (strstr (left, "ServerKeyExchange"));
  g_assert_nonnull (strstr (left, "ServerHelloDone"));
  g_assert_nonnull (strstr (left, "ClientKeyExchange"));
  /* TLS 1.3 only; its ChangeCipherSpec is a dummy and never stands for TLS 1.2's */
  g_assert_nonnull (strstr (right, "EncryptedExtensions"));
  g_assert_nonnull (strstr (right, "CertificateVerify"));
  g_assert_null (strstr (matched, "ChangeCipherSpec"));
  g_assert_nonnull (strstr (right, "ChangeCipherSpec"));
  g_assert_nonnull (strstr (left, "ChangeCipherSpec"));
}

/* A full TLS 1.3 handshake faces the resumed connection: the resumption leaves out the
 * certificate and its signature, and the first connection stands alone. */
static void
test_align_resumption (void)
{
  HlTrace *l = trace_for ("tls13"), *r = trace_for ("tls13-resume-psk");
  g_autoptr(GArray) rows = hl_compare_align (l, r);
  g_autofree char *left = names_of (l, r, rows, HL_COMPARE_ROW_LEFT);
  guint matched_second = 0;

  check_alignment (l, r, rows);
  g_assert_nonnull (strstr (left, "Certificate"));
  g_assert_nonnull (strstr (left, "CertificateVerify"));
  for (guint i = 0; i < rows->len; i++)
    {
      const HlCompareRow *row = &g_array_index (rows, HlCompareRow, i);

      if (row->kind == HL_COMPARE_ROW_MATCH)
        {
          g_assert_cmpuint (hl_event_get_handshake (hl_trace_get_event (r, row->right)), ==, 1);
          matched_second++;
        }
    }
  g_assert_cmpuint (matched_second, >=, 6);
}

/* RFC 5246 §7.3 (full handshake: two round trips before the client's application data,
 * abbreviated: one), RFC 8446 §2 (one; two with HelloRetryRequest, §4.1.4), §2.2 (resumed with
 * a PSK: one). Failed handshakes never get there. */
static void
test_round_trips (void)
{
  static const struct { const char *id; int first; int last; } expected[] = {
    { "tls12-rsa", 2, 2 },
    { "tls12-rsa-ems", 2, 2 },
    { "tls12-ecdhe-rsa", 2, 2 },
    { "tls12-ecdhe-ecdsa", 2, 2 },
    { "tls12-cbc", 2, 2 },
    { "tls12-cbc-mte", 2, 2 },
    { "tls12-chacha20", 2, 2 },
    { "tls12-mtls", 2, 2 },
    { "tls12-resume-ticket", 2, 1 },
    { "tls12-downgrade-sentinel", 2, 2 },
    { "tls12-ocsp", 2, 2 },
    { "tls13", 1, 1 },
    { "tls13-x25519", 1, 1 },
    { "tls13-x25519mlkem768", 1, 1 },   /* where this GnuTLS has the group */
    { "tls13-ecdsa", 1, 1 },
    { "tls13-hrr", 2, 2 },
    { "tls13-mtls", 1, 1 },
    { "tls13-resume-psk", 1, 1 },
    { "tls13-ocsp", 1, 1 },
    { "fail-untrusted-ca", -1, -1 },
    { "fail-expired", -1, -1 },
    { "fail-hostname", -1, -1 },
    { "fail-no-shared-cipher", -1, -1 },
    { "fail-version-mismatch", -1, -1 },
    { "fail-missing-client-cert", -1, -1 },
    /* the client's connection (to the attacker), then the attacker's (to the server) */
    { "mitm-rejected", -1, 1 },
    { "mitm-trusted-ca", 1, 1 },
    { "mitm-no-check", 1, 1 },
    { "mitm-downgrade", -1, -1 },
  };

  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const HlScenario *scenario = hl_scenario_lookup (expected[i].id);
      HlCompareSummary *summary;
      HlTrace *trace;
      guint last;

      g_assert_nonnull (scenario);
      if (!hl_config_is_available (&scenario->config, NULL))
        continue;
      trace = trace_for (expected[i].id);
      last = hl_trace_get_n_handshakes (trace) - 1;
      summary = hl_compare_summary_new (trace);
      checked++;
      g_test_message ("%s", expected[i].id);
      g_assert_cmpint (hl_compare_round_trips (trace, 0), ==, expected[i].first);
      g_assert_cmpint (hl_compare_round_trips (trace, last), ==, expected[i].last);
      g_assert_cmpint (summary->round_trips[0], ==, expected[i].first);
      g_assert_cmpint (summary->round_trips[1], ==, expected[i].last);
      g_clear_pointer (&summary, hl_compare_summary_free);
    }
  /* every scenario this GnuTLS runs has its row above */
  g_assert_cmpuint (checked, ==, n_traces);
}

/* The figures are the events' and the secrets', counted again here another way. */
static void
test_summary (void)
{
  for (guint t = 0; t < n_traces; t++)
    {
      HlTrace *trace = traces[t];
      g_autoptr(HlCompareSummary) s = hl_compare_summary_new (trace);
      guint64 wire = 0;
      guint messages = 0;

      for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);

          if (hl_event_get_kind (event) == HL_EVENT_RECORD)
            wire += hl_event_get_length (event);
          else if (hl_event_get_kind (event) == HL_EVENT_MESSAGE ||
                   hl_event_get_kind (event) == HL_EVENT_ALERT)
            messages++;
        }
      g_assert_cmpuint (s->clear_bytes + s->encrypted_bytes, ==, wire);
      g_assert_cmpuint (s->clear_messages + s->encrypted_messages, ==, messages);
      g_assert_cmpuint (s->derived_ok, <=, s->derived_secrets);
      g_assert_cmpuint (s->n_handshakes, ==, hl_trace_get_n_handshakes (trace));
      /* the ClientHello is always readable */
      g_assert_true (g_str_has_prefix (s->clear_names, "ClientHello"));
    }

  {
    g_autoptr(HlCompareSummary) rsa = hl_compare_summary_new (trace_for ("tls12-rsa"));
    g_autoptr(HlCompareSummary) ecdhe = hl_compare_summary_new (trace_for ("tls12-ecdhe-rsa"));
    g_autoptr(HlCompareSummary) t13 = hl_compare_summary_new (trace_for ("tls13"));
    g_autoptr(HlCompareSummary) psk = hl_compare_summary_new (trace_for ("tls13-resume-psk"));
    g_autoptr(HlCompareSummary) failed = hl_compare_summary_new (trace_for ("fail-untrusted-ca"));
    g_autoptr(GPtrArray) lines = hl_compare_summary_lines (rsa, t13);

    g_assert_cmpint (rsa->forward_secrecy, ==, 0);
    g_assert_cmpint (ecdhe->forward_secrecy, ==, 1);
    g_assert_cmpint (t13->forward_secrecy, ==, 1);
    /* TLS 1.2 sends the certificate in the clear, TLS 1.3 encrypts it */
    g_assert_true (rsa->certificate_sent && rsa->certificate_clear);
    g_assert_true (t13->certificate_sent && !t13->certificate_clear);
    g_assert_nonnull (strstr (rsa->clear_names, "Certificate"));
    g_assert_null (strstr (t13->clear_names, "Certificate"));
    g_assert_cmpstr (rsa->version, ==, "TLS 1.2");
    g_assert_cmpstr (t13->version, ==, "TLS 1.3");
    g_assert_false (t13->resumed);
    g_assert_true (psk->resumed);
    g_assert_cmpstr (rsa->outcome, ==, "completes");
    g_assert_nonnull (strstr (failed->outcome, "unknown_ca"));
    /* TLS 1.3 encrypts more of the handshake than it leaves in the clear */
    g_assert_cmpuint (t13->encrypted_messages, >, t13->clear_messages);
    g_assert_cmpuint (rsa->clear_messages, >, rsa->encrypted_messages);

    g_assert_cmpuint (lines->len, >=, 10);
    for (guint i = 0; i < lines->len; i++)
      {
        const HlCompareLine *line = lines->pdata[i];

        g_assert_nonnull (line->label);
        g_assert_nonnull (line->left);
        g_assert_nonnull (line->right);
        g_assert_cmpint (line->differs, ==, g_strcmp0 (line->left, line->right) != 0);
      }
  }
}

static HlField *
decode_message (HlTrace *trace, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          g_strcmp0 (hl_event_get_name (event), name) == 0)
        {
          g_autoptr(GError) error = NULL;
          HlField *field = hl_trace_decode_event (trace, event, &error);

          g_assert_no_error (error);
          return field;
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static const HlFieldDiff *
find_diff (GPtrArray *diffs, const char *name)
{
  for (guint i = 0; i < diffs->len; i++)
    if (g_str_equal (((HlFieldDiff *) diffs->pdata[i])->name, name))
      return diffs->pdata[i];
  g_error ("no field %s in the difference", name);
}

/* Two ClientHellos: extensions only one offers, different values, and equal ones. */
static void
test_field_diff (void)
{
  g_autoptr(HlField) a = decode_message (trace_for ("tls12-rsa"), "ClientHello");
  g_autoptr(HlField) b = decode_message (trace_for ("tls13"), "ClientHello");
  g_autoptr(GPtrArray) diffs = hl_compare_fields (a, b);
  g_autoptr(GPtrArray) same = hl_compare_fields (a, a);
  g_autoptr(GPtrArray) one = hl_compare_fields (NULL, b);
  const HlFieldDiff *d;

  g_assert_cmpuint (diffs->len, >, 10);
  d = diffs->pdata[0];
  g_assert_cmpint (d->kind, ==, HL_FIELD_DIFF_CHANGED);
  g_assert_cmpuint (d->depth, ==, 0);
  d = find_diff (diffs, "random");
  g_assert_cmpint (d->kind, ==, HL_FIELD_DIFF_CHANGED);
  d = find_diff (diffs, "supported_versions");
  g_assert_cmpint (d->kind, ==, HL_FIELD_DIFF_RIGHT_ONLY);
  g_assert_null (d->left);
  g_assert_nonnull (d->right);
  d = find_diff (diffs, "msg_type");
  g_assert_cmpint (d->kind, ==, HL_FIELD_DIFF_SAME);
  g_assert_cmpstr (d->left, ==, d->right);

  g_assert_cmpuint (same->len, ==, hl_field_count (a));
  for (guint i = 0; i < same->len; i++)
    g_assert_cmpint (((HlFieldDiff *) same->pdata[i])->kind, ==, HL_FIELD_DIFF_SAME);

  g_assert_cmpuint (one->len, ==, hl_field_count (b));
  for (guint i = 0; i < one->len; i++)
    g_assert_cmpint (((HlFieldDiff *) one->pdata[i])->kind, ==, HL_FIELD_DIFF_RIGHT_ONLY);
}

/* --compare A B --print: one line per row, the summary after. */
static void
test_text (void)
{
  HlTrace *l = trace_for ("tls12-rsa"), *r = trace_for ("tls13");
  g_autoptr(GArray) rows = hl_compare_align (l, r);
  g_autofree char *text = hl_compare_dup_text (l, r);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint numbered = 0;

  for (guint i = 0; lines[i]; i++)
    {
      guint64 n = 0;
      g_autofree char *head = g_strndup (lines[i], 4);

      g_strstrip (head);
      if (g_ascii_string_to_unsigned (head, 10, 1, G_MAXUINT, &n, NULL))
        g_assert_cmpuint (n, ==, ++numbered);
    }
  g_assert_cmpuint (numbered, ==, rows->len);
  g_assert_nonnull (strstr (text, "C → S ClientHello"));
  g_assert_nonnull (strstr (text, "Round trips before the client may send data"));
  g_assert_nonnull (strstr (text, "Forward secrecy"));
}

/* A spec is a scenario id or a trace file; anything else says what it wanted. */
static void
test_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hl-compare-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(HlTrace) loaded = NULL;
  g_autoptr(HlTrace) none = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "t.hltrace", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (hl_trace_save (trace_for ("tls13"), file, NULL, &error));
  g_assert_no_error (error);
  loaded = hl_compare_load (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hl_trace_equal (loaded, trace_for ("tls13"), NULL));

  none = hl_compare_load ("tls14", NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "tls14"));

  g_file_delete (file, NULL, NULL);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  const HlScenario *all;
  int rc;

  g_test_init (&argc, &argv, NULL);
  all = hl_scenario_get_all (&n_traces);
  traces = g_new0 (HlTrace *, n_traces);
  for (guint i = 0; i < n_traces; i++)
    {
      g_autoptr(GError) error = NULL;

      traces[i] = hl_engine_run_scenario (all[i].id, NULL, &error);
      g_assert_no_error (error);
    }

  g_test_add_func ("/protocol/compare/align-all-pairs", test_align_all_pairs);
  g_test_add_func ("/protocol/compare/align-fresh-run", test_align_fresh_run);
  g_test_add_func ("/protocol/compare/align-tls12-tls13", test_align_tls12_tls13);
  g_test_add_func ("/protocol/compare/align-resumption", test_align_resumption);
  g_test_add_func ("/protocol/compare/round-trips", test_round_trips);
  g_test_add_func ("/protocol/compare/summary", test_summary);
  g_test_add_func ("/protocol/compare/field-diff", test_field_diff);
  g_test_add_func ("/protocol/compare/text", test_text);
  g_test_add_func ("/protocol/compare/load", test_load);
  rc = g_test_run ();

  for (guint i = 0; i < n_traces; i++)
    g_clear_object (&traces[i]);
  g_free (traces);
  return rc;
}
