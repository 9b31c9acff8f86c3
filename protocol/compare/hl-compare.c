/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-compare"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "hl-compare.h"
#include "hl-engine.h"
#include "hl-scenario.h"
#include "hl-trace-io.h"

/* Order of this file: alignment, round trips, summary, field differences, loading, text.
 *
 * Everything here is a pure function of finished traces: the comparison view, its exports and
 * `--compare A B --print` all show what these compute, so the tests check them once. */

#define TYPE_FINISHED 20
#define TYPE_CERTIFICATE 11

/* Alignment */

gboolean
hl_compare_is_step (HlEvent *event)
{
  g_return_val_if_fail (HL_IS_EVENT (event), FALSE);
  return hl_event_get_kind (event) != HL_EVENT_RECORD;
}

static GPtrArray *
collect_steps (HlTrace *trace)
{
  GPtrArray *steps = g_ptr_array_new ();

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_compare_is_step (event))
        g_ptr_array_add (steps, event);
    }
  return steps;
}

static gboolean
is_ccs (HlEvent *event)
{
  return hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
         hl_event_get_handshake_type (event) < 0 &&
         g_strcmp0 (hl_event_get_name (event), "ChangeCipherSpec") == 0;
}

static gboolean
is_tls13 (HlTrace *trace)
{
  GPtrArray *negotiated = hl_trace_get_negotiated (trace);
  const HlNegotiated *first = negotiated && negotiated->len > 0 ? negotiated->pdata[0] : NULL;

  return first && g_strcmp0 (first->version, "TLS1.3") == 0;
}

/* How much pairing @a with @b is worth, 0 when they do not mean the same. Messages outweigh
 * everything so that no number of matched actions can pull two messages apart. Connections
 * are paired from the last one back (@shift_a, @shift_b): a single handshake stands next to
 * the resumed connection of a resumption scenario, which is what comparing them is about, and
 * the first (full) connection shows on its own above. @same_family:
 * both traces are TLS 1.3, or neither: a TLS 1.3 ChangeCipherSpec is a dummy for middleboxes
 * (RFC 8446 §D.4) and means something else than TLS 1.2's switch to the new keys. */
static guint
match_weight (HlEvent *a, HlEvent *b, gboolean same_family, guint shift_a, guint shift_b)
{
  HlEventKind kind = hl_event_get_kind (a);

  /* by TLS role: an attacker's connection lines up with a direct one */
  if (kind != hl_event_get_kind (b) || hl_event_get_role (a) != hl_event_get_role (b) ||
      hl_event_get_handshake (a) + shift_a != hl_event_get_handshake (b) + shift_b)
    return 0;
  switch (kind)
    {
    case HL_EVENT_MESSAGE:
      if (hl_event_get_handshake_type (a) != hl_event_get_handshake_type (b) ||
          g_strcmp0 (hl_event_get_name (a), hl_event_get_name (b)) != 0)
        return 0;
      if (is_ccs (a))
        return same_family ? 40 : 0;
      return 1000;
    case HL_EVENT_ALERT:
      return g_strcmp0 (hl_event_get_name (a), hl_event_get_name (b)) == 0 ? 100 : 0;
    case HL_EVENT_APP_DATA:
      return 100;
    case HL_EVENT_ACTION:
    case HL_EVENT_NOTE:
      return g_strcmp0 (hl_event_get_name (a), hl_event_get_name (b)) == 0 ? 2 : 0;
    case HL_EVENT_RECORD:
    default:
      return 0;
    }
}

static void
push_row (GArray *rows, HlCompareRowKind kind, HlEvent *left, HlEvent *right)
{
  HlCompareRow row = { kind,
                       left ? (int) hl_event_get_index (left) : -1,
                       right ? (int) hl_event_get_index (right) : -1 };

  g_array_append_val (rows, row);
}

static gboolean
is_wire_step (HlEvent *event)
{
  HlEventKind kind = hl_event_get_kind (event);

  return kind == HL_EVENT_MESSAGE || kind == HL_EVENT_ALERT || kind == HL_EVENT_APP_DATA;
}

/* The unmatched steps between two matched rows: local steps of both sides share rows (in
 * order), messages keep their own row with a gap opposite. Order stays as it was on each
 * side. */
static void
flush_unmatched (GArray *rows, GPtrArray *left, GPtrArray *right)
{
  guint i = 0, j = 0;

  while (i < left->len || j < right->len)
    {
      HlEvent *l = i < left->len ? left->pdata[i] : NULL;
      HlEvent *r = j < right->len ? right->pdata[j] : NULL;

      if (l && r && !is_wire_step (l) && !is_wire_step (r))
        {
          push_row (rows, HL_COMPARE_ROW_PAIR, l, r);
          i++, j++;
        }
      else if (l && (r == NULL || is_wire_step (l)))
        {
          push_row (rows, HL_COMPARE_ROW_LEFT, l, NULL);
          i++;
        }
      else
        {
          push_row (rows, HL_COMPARE_ROW_RIGHT, NULL, r);
          j++;
        }
    }
  g_ptr_array_set_size (left, 0);
  g_ptr_array_set_size (right, 0);
}

GArray *
hl_compare_align (HlTrace *left, HlTrace *right)
{
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) pending_a = g_ptr_array_new ();
  g_autoptr(GPtrArray) pending_b = g_ptr_array_new ();
  g_autofree guint64 *score = NULL;
  GArray *rows;
  gboolean same_family;
  guint shift_a, shift_b;
  guint n, m, i = 0, j = 0;

  g_return_val_if_fail (HL_IS_TRACE (left), NULL);
  g_return_val_if_fail (HL_IS_TRACE (right), NULL);

  a = collect_steps (left);
  b = collect_steps (right);
  n = a->len;
  m = b->len;
  same_family = is_tls13 (left) == is_tls13 (right);
  {
    guint na = MAX (1, hl_trace_get_n_handshakes (left));
    guint nb = MAX (1, hl_trace_get_n_handshakes (right));

    shift_a = MAX (na, nb) - na;
    shift_b = MAX (na, nb) - nb;
  }
  rows = g_array_new (FALSE, FALSE, sizeof (HlCompareRow));

  /* score[i][j]: the best total weight of matches between the suffixes a[i…] and b[j…]; the
   * walk from (0, 0) then takes a match wherever it is part of a best alignment, the earliest
   * first. A few dozen steps a side: the table is small. */
#define S(x, y) score[(gsize) (x) * (m + 1) + (y)]
  score = g_new0 (guint64, (gsize) (n + 1) * (m + 1));
  for (guint x = n; x-- > 0;)
    for (guint y = m; y-- > 0;)
      {
        guint w = match_weight (a->pdata[x], b->pdata[y], same_family, shift_a, shift_b);
        guint64 best = MAX (S (x + 1, y), S (x, y + 1));

        if (w > 0)
          best = MAX (best, S (x + 1, y + 1) + w);
        S (x, y) = best;
      }

  while (i < n || j < m)
    {
      guint w = i < n && j < m ? match_weight (a->pdata[i], b->pdata[j], same_family, shift_a, shift_b) : 0;

      if (w > 0 && S (i, j) == S (i + 1, j + 1) + w)
        {
          flush_unmatched (rows, pending_a, pending_b);
          push_row (rows, HL_COMPARE_ROW_MATCH, a->pdata[i++], b->pdata[j++]);
        }
      else if (i < n && (j == m || S (i, j) == S (i + 1, j)))
        g_ptr_array_add (pending_a, a->pdata[i++]);
      else
        g_ptr_array_add (pending_b, b->pdata[j++]);
    }
  flush_unmatched (rows, pending_a, pending_b);
#undef S
  return rows;
}

/* Round trips */

int
hl_compare_round_trips (HlTrace *trace, guint handshake)
{
  HlSide last = HL_SIDE_NONE;
  gboolean client_finished = FALSE, server_finished = FALSE;
  int flights = 0;

  g_return_val_if_fail (HL_IS_TRACE (trace), -1);

  /* Message events are in the order they went on the wire: a server flight starts wherever the
   * server speaks after the client. */
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlSide side = hl_event_get_role (event);

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_handshake (event) != handshake ||
          (side != HL_SIDE_CLIENT && side != HL_SIDE_SERVER))
        continue;
      if (side == HL_SIDE_SERVER && last != HL_SIDE_SERVER)
        flights++;
      last = side;
      if (hl_event_get_handshake_type (event) == TYPE_FINISHED)
        {
          if (side == HL_SIDE_CLIENT)
            client_finished = TRUE;
          else
            server_finished = TRUE;
        }
      if (client_finished && server_finished)
        return flights;
    }
  return -1;
}

/* Summary */

static char *
pretty_version (const char *version)
{
  /* GnuTLS says "TLS1.2" */
  if (version && g_str_has_prefix (version, "TLS") && version[3] != ' ' && version[3] != '\0')
    return g_strdup_printf ("TLS %s", version + 3);
  return g_strdup (version);
}

HlCompareSummary *
hl_compare_summary_new (HlTrace *trace)
{
  HlCompareSummary *summary;
  GPtrArray *negotiated, *secrets;
  const HlOutcome *outcome;
  const HlNegotiated *last = NULL;
  g_autoptr(GPtrArray) clear_names = g_ptr_array_new ();

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);

  summary = g_new0 (HlCompareSummary, 1);
  summary->title = g_strdup (hl_trace_get_title (trace));
  summary->n_handshakes = MAX (1, hl_trace_get_n_handshakes (trace));
  if (hl_trace_get_attacker (trace) != NULL)
    {
      const HlAttacker *attacker = hl_trace_get_attacker (trace);
      gboolean read = FALSE;

      for (guint i = 0; i < hl_trace_get_n_events (trace) && !read; i++)
        read = hl_event_get_forwarded (hl_trace_get_event (trace, i)) >= 0;
      summary->attacker = g_strdup (read ? attacker->unchecked
                                             ? "reads and changes the traffic: the client does "
                                               "not check certificates"
                                             : "reads and changes the traffic: the client trusts "
                                               "its CA"
                                         : "learns nothing: the client refuses its certificate");
    }
  summary->round_trips[0] = hl_compare_round_trips (trace, 0);
  summary->round_trips[1] = hl_compare_round_trips (trace, summary->n_handshakes - 1);

  negotiated = hl_trace_get_negotiated (trace);
  summary->forward_secrecy = -1;
  for (guint i = 0; negotiated && i < negotiated->len; i++)
    {
      const HlNegotiated *neg = negotiated->pdata[i];

      last = neg;
      summary->resumed |= neg->resumed;
    }
  if (last)
    {
      summary->version = pretty_version (last->version);
      summary->key_exchange = g_strdup (last->kx);
      summary->cipher_suite = g_strdup (last->cipher_suite);
      /* RSA key transport: whoever gets the server's key later decrypts every recorded
       * premaster; (EC)DHE keys are thrown away (RFC 8446 §1.2, RFC 5246 §F.1.1.2) */
      if (last->kx && *last->kx)
        summary->forward_secrecy = strstr (last->kx, "DHE") != NULL;
    }

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlEventKind kind = hl_event_get_kind (event);
      gboolean clear = hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT;

      if (kind == HL_EVENT_RECORD)
        {
          if (clear)
            summary->clear_bytes += hl_event_get_length (event);
          else
            summary->encrypted_bytes += hl_event_get_length (event);
          continue;
        }
      if (kind != HL_EVENT_MESSAGE && kind != HL_EVENT_ALERT)
        continue;
      if (clear)
        summary->clear_messages++;
      else
        summary->encrypted_messages++;
      if (kind == HL_EVENT_MESSAGE && hl_event_get_role (event) == HL_SIDE_SERVER &&
          hl_event_get_handshake_type (event) == TYPE_CERTIFICATE)
        {
          summary->certificate_sent = TRUE;
          summary->certificate_clear |= clear;
        }
      if (clear && hl_event_get_name (event))
        {
          gboolean seen = FALSE;

          for (guint k = 0; k < clear_names->len && !seen; k++)
            seen = g_str_equal (clear_names->pdata[k], hl_event_get_name (event));
          if (!seen)
            g_ptr_array_add (clear_names, (gpointer) hl_event_get_name (event));
        }
    }
  g_ptr_array_add (clear_names, NULL);
  summary->clear_names = g_strjoinv (", ", (char **) clear_names->pdata);

  secrets = hl_trace_get_secrets (trace);
  for (guint i = 0; secrets && i < secrets->len; i++)
    {
      const HlSecret *secret = secrets->pdata[i];

      if (secret->source != HL_SOURCE_DERIVED)
        continue;
      summary->derived_secrets++;
      if (secret->check == HL_CHECK_OK)
        summary->derived_ok++;
    }

  outcome = hl_trace_get_outcome (trace);
  if (outcome->alert_sender != HL_SIDE_NONE)
    {
      const char *name = hl_alert_description_name (outcome->alert);

      summary->outcome = g_strdup_printf ("fails: %s sends %s",
                                          hl_side_to_string (outcome->alert_sender),
                                          name ? name : "an alert");
    }
  else if (outcome->client_ok && outcome->server_ok)
    summary->outcome = g_strdup ("completes");
  else
    summary->outcome = g_strdup ("fails");
  return summary;
}

void
hl_compare_summary_free (HlCompareSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->title);
  g_free (summary->version);
  g_free (summary->key_exchange);
  g_free (summary->cipher_suite);
  g_free (summary->clear_names);
  g_free (summary->outcome);
  g_free (summary->attacker);
  g_free (summary);
}

void
hl_compare_line_free (HlCompareLine *line)
{
  if (line == NULL)
    return;
  g_free (line->label);
  g_free (line->left);
  g_free (line->right);
  g_free (line);
}

static char *
round_trips_text (const HlCompareSummary *s)
{
  const int *rt = s->round_trips;

  if (s->n_handshakes > 1)
    {
      g_autofree char *first = rt[0] < 0 ? g_strdup ("never") : g_strdup_printf ("%d", rt[0]);
      g_autofree char *second = rt[1] < 0 ? g_strdup ("never") : g_strdup_printf ("%d", rt[1]);

      if (s->attacker != NULL)
        return g_strdup_printf ("%s to the attacker, %s from the attacker to the server", first,
                                second);
      return g_strdup_printf ("%s, then %s resumed", first, second);
    }
  if (rt[0] < 0)
    return g_strdup (N_("never (the handshake fails)"));
  return g_strdup_printf ("%d", rt[0]);
}

static char *
eavesdropper_text (const HlCompareSummary *s)
{
  if (!s->certificate_sent)
    return g_strdup (N_("no certificate sent"));
  return g_strdup (s->certificate_clear ? N_("readable") : N_("encrypted"));
}

static char *
bytes_text (guint64 clear, guint64 encrypted)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT " B / %" G_GUINT64_FORMAT " B", clear,
                          encrypted);
}

typedef char *(*LineFunc) (const HlCompareSummary *s);

static char *version_text (const HlCompareSummary *s)
{
  return g_strdup (s->version ? s->version : "—");
}

static char *kx_text (const HlCompareSummary *s)
{
  return g_strdup (s->key_exchange && *s->key_exchange ? s->key_exchange : N_("none agreed"));
}

static char *suite_text (const HlCompareSummary *s)
{
  return g_strdup (s->cipher_suite && *s->cipher_suite ? s->cipher_suite : N_("none agreed"));
}

static char *messages_text (const HlCompareSummary *s)
{
  return g_strdup_printf ("%u / %u", s->clear_messages, s->encrypted_messages);
}

static char *wire_bytes_text (const HlCompareSummary *s)
{
  return bytes_text (s->clear_bytes, s->encrypted_bytes);
}

static char *clear_names_text (const HlCompareSummary *s)
{
  return g_strdup (s->clear_names && *s->clear_names ? s->clear_names : N_("nothing"));
}

static char *fs_text (const HlCompareSummary *s)
{
  if (s->forward_secrecy < 0)
    return g_strdup ("—");
  return g_strdup (s->forward_secrecy ? N_("yes") : N_("no"));
}

static char *secrets_text (const HlCompareSummary *s)
{
  return g_strdup_printf ("%u (%u match GnuTLS)", s->derived_secrets, s->derived_ok);
}

static char *resumed_text (const HlCompareSummary *s)
{
  return g_strdup (s->resumed ? N_("yes") : N_("no"));
}

static char *outcome_text (const HlCompareSummary *s)
{
  return g_strdup (s->outcome);
}

static char *attacker_text (const HlCompareSummary *s)
{
  return g_strdup (s->attacker ? s->attacker : N_("none"));
}

/* The labels and the fixed words among the values are marked for translation (N_): the
 * window shows them in the user's language (hl_compare_tr()), --print in English. */
GPtrArray *
hl_compare_summary_lines (const HlCompareSummary *left, const HlCompareSummary *right)
{
  static const struct { const char *label; LineFunc func; } lines[] = {
    { N_("Version"), version_text },
    { N_("Key exchange"), kx_text },
    { N_("Cipher suite"), suite_text },
    { N_("Round trips before the client may send data"), round_trips_text },
    { N_("Messages in the clear / encrypted"), messages_text },
    { N_("Bytes on the wire in the clear / encrypted"), wire_bytes_text },
    { N_("Server certificate, to an eavesdropper"), eavesdropper_text },
    { N_("An eavesdropper reads"), clear_names_text },
    { N_("Forward secrecy (ephemeral key exchange)"), fs_text },
    { N_("Secrets re-derived and checked"), secrets_text },
    { N_("Resumed"), resumed_text },
    { N_("Outcome"), outcome_text },
    { N_("Attacker in the middle"), attacker_text },
  };
  GPtrArray *out;

  g_return_val_if_fail (left != NULL && right != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_compare_line_free);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      HlCompareLine *line = g_new0 (HlCompareLine, 1);

      line->label = g_strdup (lines[i].label);
      line->left = lines[i].func (left);
      line->right = lines[i].func (right);
      line->differs = g_strcmp0 (line->left, line->right) != 0;
      g_ptr_array_add (out, line);
    }
  return out;
}

/* Field differences */

void
hl_field_diff_free (HlFieldDiff *diff)
{
  if (diff == NULL)
    return;
  g_free (diff->name);
  g_free (diff->left);
  g_free (diff->right);
  g_free (diff);
}

static HlFieldDiff *
add_diff (GPtrArray *out, HlFieldDiffKind kind, guint depth, HlField *left, HlField *right)
{
  HlFieldDiff *diff = g_new0 (HlFieldDiff, 1);
  HlField *any = left ? left : right;

  diff->kind = kind;
  diff->depth = depth;
  diff->name = g_strdup (hl_field_get_name (any));
  if (left)
    diff->left = g_strdup (hl_field_get_value (left) ? hl_field_get_value (left) : "");
  if (right)
    diff->right = g_strdup (hl_field_get_value (right) ? hl_field_get_value (right) : "");
  g_ptr_array_add (out, diff);
  return diff;
}

/* The position of @child among its parent's children of the same name. */
static guint
occurrence (HlField *parent, guint index)
{
  const char *name = hl_field_get_name (hl_field_get_child (parent, index));
  guint n = 0;

  for (guint k = 0; k < index; k++)
    n += g_strcmp0 (hl_field_get_name (hl_field_get_child (parent, k)), name) == 0;
  return n;
}

/* The child of @parent with @name at @nth occurrence, or -1. */
static int
find_child (HlField *parent, const char *name, guint nth)
{
  for (guint k = 0; k < hl_field_get_n_children (parent); k++)
    if (g_strcmp0 (hl_field_get_name (hl_field_get_child (parent, k)), name) == 0 && nth-- == 0)
      return (int) k;
  return -1;
}

static gboolean diff_pair (GPtrArray *out, HlField *left, HlField *right, guint depth);

/* Returns TRUE when every child is the same on both sides. */
static gboolean
diff_children (GPtrArray *out, HlField *left, HlField *right, guint depth)
{
  guint nl = hl_field_get_n_children (left), nr = hl_field_get_n_children (right);
  g_autofree gboolean *taken = g_new0 (gboolean, nr + 1);
  gboolean same = TRUE;
  guint j = 0;

  for (guint i = 0; i < nl; i++)
    {
      HlField *l = hl_field_get_child (left, i);
      int partner = find_child (right, hl_field_get_name (l), occurrence (left, i));

      if (partner < 0)
        {
          add_diff (out, HL_FIELD_DIFF_LEFT_ONLY, depth, l, NULL);
          same = FALSE;
          continue;
        }
      /* what the right side has before the partner and the left has not */
      for (; j < (guint) partner; j++)
        if (!taken[j] && find_child (left, hl_field_get_name (hl_field_get_child (right, j)),
                                     occurrence (right, j)) < 0)
          {
            add_diff (out, HL_FIELD_DIFF_RIGHT_ONLY, depth, NULL, hl_field_get_child (right, j));
            taken[j] = TRUE;
            same = FALSE;
          }
      taken[partner] = TRUE;
      same &= diff_pair (out, l, hl_field_get_child (right, partner), depth);
      j = MAX (j, (guint) partner + 1);
    }
  for (j = 0; j < nr; j++)
    if (!taken[j])
      {
        add_diff (out, HL_FIELD_DIFF_RIGHT_ONLY, depth, NULL, hl_field_get_child (right, j));
        same = FALSE;
      }
  return same;
}

static gboolean
diff_pair (GPtrArray *out, HlField *left, HlField *right, guint depth)
{
  HlFieldDiff *diff = add_diff (out, HL_FIELD_DIFF_SAME, depth, left, right);
  gboolean same = g_strcmp0 (hl_field_get_value (left), hl_field_get_value (right)) == 0;

  same &= diff_children (out, left, right, depth + 1);
  diff->kind = same ? HL_FIELD_DIFF_SAME : HL_FIELD_DIFF_CHANGED;
  return same;
}

/* A message only one side has: all of it, for reading. */
static void
add_tree (GPtrArray *out, HlFieldDiffKind kind, HlField *field, guint depth)
{
  add_diff (out, kind, depth, kind == HL_FIELD_DIFF_LEFT_ONLY ? field : NULL,
            kind == HL_FIELD_DIFF_RIGHT_ONLY ? field : NULL);
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    add_tree (out, kind, hl_field_get_child (field, i), depth + 1);
}

GPtrArray *
hl_compare_fields (HlField *left, HlField *right)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_field_diff_free);

  if (left && right)
    diff_pair (out, left, right, 0);
  else if (left)
    add_tree (out, HL_FIELD_DIFF_LEFT_ONLY, left, 0);
  else if (right)
    add_tree (out, HL_FIELD_DIFF_RIGHT_ONLY, right, 0);
  return out;
}

/* Loading */

HlTrace *
hl_compare_load (const char *spec, GCancellable *cancellable, GError **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  if (hl_scenario_lookup (spec))
    return hl_engine_run_scenario (spec, cancellable, error);
  if (!g_str_has_suffix (spec, ".hltrace") && !g_file_test (spec, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "“%s” is neither a scenario id (see --list-scenarios) nor a trace file",
                   spec);
      return NULL;
    }
  file = g_file_new_for_commandline_arg (spec);
  return hl_trace_load_file (file, cancellable, error);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  HlTrace *trace = hl_compare_load (task_data, cancellable, &error);

  if (trace)
    g_task_return_pointer (task, trace, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
hl_compare_load_async (const char          *spec,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, hl_compare_load_async);
  g_task_set_task_data (task, g_strdup (spec), g_free);
  g_task_run_in_thread (task, load_thread);
}

HlTrace *
hl_compare_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Text */

const char *
hl_compare_step_label (HlEvent *event)
{
  const char *name;

  g_return_val_if_fail (HL_IS_EVENT (event), "");
  name = hl_event_get_name (event);
  return name ? name : hl_event_kind_to_string (hl_event_get_kind (event));
}

static char *
step_text (HlTrace *trace, int index)
{
  HlEvent *event;
  HlSide side;

  if (index < 0)
    return g_strdup ("");
  event = hl_trace_get_event (trace, index);
  side = hl_event_get_side (event);
  if (is_wire_step (event))
    {
      HlSide peer = hl_event_get_peer (event);
      const char *arrow = side == HL_SIDE_CLIENT && peer == HL_SIDE_ATTACKER ? "C → A"
                          : side == HL_SIDE_ATTACKER && peer == HL_SIDE_CLIENT ? "C ← A"
                          : side == HL_SIDE_ATTACKER ? "A → S"
                          : peer == HL_SIDE_ATTACKER ? "A ← S"
                          : side == HL_SIDE_CLIENT ? "C → S" : "C ← S";

      return g_strdup_printf ("%s %s", arrow, hl_compare_step_label (event));
    }
  return g_strdup_printf ("%s: %s", hl_side_to_string (side), hl_compare_step_label (event));
}

/* Pads @text with spaces to @width characters (not bytes), cutting it with … if longer. */
static void
append_padded (GString *out, const char *text, guint width)
{
  glong len = g_utf8_strlen (text, -1);

  if (len > (glong) width)
    {
      const char *cut = g_utf8_offset_to_pointer (text, width - 1);

      g_string_append_len (out, text, cut - text);
      g_string_append (out, "…");
      return;
    }
  g_string_append (out, text);
  for (glong k = len; k < (glong) width; k++)
    g_string_append_c (out, ' ');
}

char *
hl_compare_dup_text (HlTrace *left, HlTrace *right)
{
  static const char marks[] = { '=', '<', '>', '~' };
  g_autoptr(GArray) rows = NULL;
  g_autoptr(HlCompareSummary) sl = NULL;
  g_autoptr(HlCompareSummary) sr = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  GString *out;
  const guint col = 46;

  g_return_val_if_fail (HL_IS_TRACE (left), NULL);
  g_return_val_if_fail (HL_IS_TRACE (right), NULL);

  rows = hl_compare_align (left, right);
  sl = hl_compare_summary_new (left);
  sr = hl_compare_summary_new (right);
  out = g_string_new (NULL);
  g_string_append_printf (out, "%s — %s\n  compared with\n%s — %s\n\n",
                          hl_trace_get_scenario (left), hl_trace_get_title (left),
                          hl_trace_get_scenario (right), hl_trace_get_title (right));
  g_string_append (out, "Aligned steps (= same step, < only left, > only right, "
                        "~ different local steps)\n");
  g_string_append (out, "      ");
  append_padded (out, hl_trace_get_scenario (left), col);
  g_string_append (out, "   ");
  g_string_append (out, hl_trace_get_scenario (right));
  g_string_append_c (out, '\n');
  for (guint i = 0; i < rows->len; i++)
    {
      const HlCompareRow *row = &g_array_index (rows, HlCompareRow, i);
      g_autofree char *l = step_text (left, row->left);
      g_autofree char *r = step_text (right, row->right);

      g_string_append_printf (out, "%4u  ", i + 1);
      append_padded (out, l, col);
      g_string_append_printf (out, " %c %s\n", marks[row->kind], r);
    }

  lines = hl_compare_summary_lines (sl, sr);
  g_string_append (out, "\nSummary\n");
  for (guint i = 0; i < lines->len; i++)
    {
      const HlCompareLine *line = lines->pdata[i];

      g_string_append_printf (out, "  %s\n", line->label);
      g_string_append (out, "      ");
      append_padded (out, hl_trace_get_scenario (left), 18);
      g_string_append_printf (out, " %s\n      ", line->left);
      append_padded (out, hl_trace_get_scenario (right), 18);
      g_string_append_printf (out, " %s\n", line->right);
    }
  return g_string_free (out, FALSE);
}
