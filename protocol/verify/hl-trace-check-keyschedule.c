/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-check"
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hl-keyschedule.h"
#include "hl-trace-check-private.h"

/*
 * The opened-trace check, the key schedule (see hl-trace-check-private.h): every value the
 * schedule re-derives and every record it decrypts is compared with the file's; the claims that
 * fail because a library value they come from is wrong are grouped under that value. Sections:
 * where a value shows · claims · grouping · the check · marking the secrets.
 */

/* Whether the "Derive …" step @name derives what @secret belongs to: the TLS 1.3 handshake keys
 * or the rest. */
static gboolean
derives (const char *name, const HlSecret *secret)
{
  g_autofree char *lower = g_ascii_strdown (secret->name, -1);

  return g_str_has_prefix (name, "Derive") &&
         (strstr (name, "handshake") != NULL) == (strstr (lower, "handshake_") != NULL &&
                                                   !g_str_has_prefix (lower, "handshake_secret"));
}

/* The step a key-schedule value shows on: the Finished a verify_data or transcript hash is for,
 * else the first step of its connection that derives it (the other side's such step is added
 * by show_on_peers()). */
static int
secret_event (HlTrace *trace, const HlSecret *secret)
{
  gboolean finished = g_str_has_suffix (secret->name, "_finished") ||
                      g_str_has_suffix (secret->name, "_verify_data");
  HlSide side = strstr (secret->name, "client") ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
  int any = -1;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_handshake (event) != secret->handshake)
        continue;
      if (finished)
        {
          if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
              hl_event_get_handshake_type (event) == HT_FINISHED &&
              hl_event_get_side (event) == side)
            return (int) i;
        }
      else if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
               g_str_has_prefix (hl_event_get_name (event), "Derive"))
        {
          if (derives (hl_event_get_name (event), secret))
            return (int) i;
          if (any < 0)
            any = (int) i;
        }
    }
  return any;
}

/* The file's entry for a value the key schedule adds (derived, or taken from the wire). */
static int
find_file_secret (GPtrArray *secrets, const HlSecret *ours)
{
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (s->source == ours->source && s->handshake == ours->handshake &&
          g_str_equal (s->name, ours->name))
        return (int) i;
    }
  return -1;
}

/* A value the file reports from the library is confirmed when a value computed from it, or
 * compared with it, checks out, or a record decrypts with it. */
static gboolean
confirmed (HlKeySchedule *schedule, const HlSecret *secret)
{
  g_autofree char *derived = g_strdup_printf ("%s.derived", secret->name);

  for (guint i = 0; i < schedule->secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (schedule->secrets, i);

      if (s->handshake != secret->handshake || s->check != HL_CHECK_OK)
        continue;
      if (g_str_equal (s->name, derived) ||
          (s->inputs && g_strv_contains ((const char *const *) s->inputs, secret->name)))
        return TRUE;
    }
  for (guint i = 0; i < schedule->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (schedule->records, i);
      g_auto(GStrv) keys = NULL;

      if (rd->handshake != secret->handshake || rd->check != HL_CHECK_OK || rd->keys == NULL)
        continue;
      keys = g_strsplit (rd->keys, ", ", -1);
      if (g_strv_contains ((const char *const *) keys, secret->name))
        return TRUE;
    }
  return FALSE;
}

/* A claim of the key schedule that re-checking contradicts, before grouping. */
typedef struct
{
  int        event;
  char      *path;
  char      *claim;
  char      *found;
  char      *name;       /* the value's or record's name, for the group's list */
  guint      handshake;
  gboolean   upstream;   /* the file's own entry is what its bytes give, but its check is not:
                          * a value it came from is wrong */
  GPtrArray *roots;      /* (element-type utf8): library values of the file it comes from */
  gboolean   grouped;
} Claim;

static void
claim_free (Claim *c)
{
  g_free (c->path);
  g_free (c->claim);
  g_free (c->found);
  g_free (c->name);
  g_ptr_array_unref (c->roots);
  g_free (c);
}

static const HlSecret *
file_library_secret (GPtrArray *secrets, const char *name, guint handshake, int *index)
{
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (s->source != HL_SOURCE_DERIVED && s->source != HL_SOURCE_WIRE && s->value != NULL &&
          s->handshake == handshake && g_str_equal (s->name, name))
        {
          if (index)
            *index = (int) i;
          return s;
        }
    }
  return NULL;
}

static void
add_root (GPtrArray *roots, const char *name)
{
  for (guint i = 0; i < roots->len; i++)
    if (g_str_equal (g_ptr_array_index (roots, i), name))
      return;
  g_ptr_array_add (roots, g_strdup (name));
}

/* The library values of the file that @name (a value of the schedule, or a library value)
 * comes from, following the schedule's inputs; and, for "x.derived", the library's x it is
 * compared with. */
static void
collect_roots (HlKeySchedule *schedule, GPtrArray *secrets, guint handshake, const char *name,
               GPtrArray *roots, guint depth)
{
  const HlSecret *ours;

  if (depth > 8)
    return;
  if (file_library_secret (secrets, name, handshake, NULL))
    {
      add_root (roots, name);
      return;
    }
  ours = hl_keyschedule_find (schedule, name, handshake);
  if (ours == NULL)
    return;
  if (g_str_has_suffix (name, ".derived"))
    {
      g_autofree char *target = g_strndup (name, strlen (name) - strlen (".derived"));

      if (file_library_secret (secrets, target, handshake, NULL))
        add_root (roots, target);
    }
  for (guint i = 0; ours->inputs && ours->inputs[i]; i++)
    collect_roots (schedule, secrets, handshake, ours->inputs[i], roots, depth + 1);
}

/* The library value most ungrouped claims of one handshake come from (ties: the first in the
 * file), or NULL when no claim is left to group. */
static const char *
best_root (HlTrace *trace, GPtrArray *claims, guint *out_handshake, int *out_index)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  const char *best = NULL;
  guint best_count = 0;
  int best_index = G_MAXINT;

  for (guint i = 0; i < claims->len; i++)
    {
      Claim *c = g_ptr_array_index (claims, i);

      if (c->grouped || !c->upstream)
        continue;
      for (guint r = 0; r < c->roots->len; r++)
        {
          const char *root = g_ptr_array_index (c->roots, r);
          guint count = 0;
          int index = 0;

          for (guint k = 0; k < claims->len; k++)
            {
              Claim *o = g_ptr_array_index (claims, k);

              if (!o->grouped && o->upstream && o->handshake == c->handshake &&
                  g_ptr_array_find_with_equal_func (o->roots, root, g_str_equal, NULL))
                count++;
            }
          file_library_secret (secrets, root, c->handshake, &index);
          if (count > best_count || (count == best_count && index < best_index))
            {
              best = root;
              best_count = count;
              *out_handshake = c->handshake;
              best_index = index;
            }
        }
    }
  *out_index = best_index;
  return best;
}

/* One difference on secrets[@index] (the library value @best of @handshake) for every
 * ungrouped claim that comes from it, listing them. */
static void
group_under (HlTrace *trace, HlTraceCheck *check, GPtrArray *claims, const char *best,
             guint handshake, int index)
{
  const HlSecret *root = file_library_secret (hl_trace_get_secrets (trace), best, handshake,
                                              NULL);
  g_autofree char *claim = short_hex (root->value);
  g_autofree char *root_name = g_strdup (best);
  GString *found = g_string_new (NULL);
  HlDifference *d = NULL;
  guint n = 0;

  for (guint k = 0; k < claims->len; k++)
    {
      Claim *o = g_ptr_array_index (claims, k);

      if (o->grouped || !o->upstream || o->handshake != handshake ||
          !g_ptr_array_find_with_equal_func (o->roots, root_name, g_str_equal, NULL))
        continue;
      o->grouped = TRUE;
      if (n++ == 0)
        {
          g_string_append_printf (found, "values re-derived with it disagree with the "
                                  "file: %s", o->found);
          add (check, o->event, g_strdup_printf ("secrets[%d].value", index), claim, "%s", "");
          d = g_ptr_array_index (check->differences, check->differences->len - 1);
        }
      else
        g_string_append_printf (found, "%s%s", n == 2 ? "; and also " : ", ", o->name);
      if (o->event >= 0)
        {
          if (d->events == NULL)
            d->events = g_array_new (FALSE, FALSE, sizeof (int));
          g_array_append_val (d->events, o->event);
        }
    }
  if (d == NULL)   /* the best root came from a claim of this group */
    g_assert_not_reached ();
  g_free (d->found);
  d->found = g_string_free (found, FALSE);
  g_free (d->claim);
  d->claim = g_strdup_printf ("%s = %s", root_name, claim);
}

/* One difference per library value that the re-derived values say is wrong, listing them;
 * one per claim of the file's own that is wrong by itself. */
static void
group_claims (HlTrace *trace, HlTraceCheck *check, GPtrArray *claims)
{
  const char *best;
  guint handshake = 0;
  int index = 0;

  while ((best = best_root (trace, claims, &handshake, &index)) != NULL)
    group_under (trace, check, claims, best, handshake, index);

  for (guint i = 0; i < claims->len; i++)
    {
      Claim *c = g_ptr_array_index (claims, i);

      if (!c->grouped)
        add (check, c->event, g_steal_pointer (&c->path), c->claim, "%s", c->found);
    }
}

static Claim *
new_claim (GPtrArray *claims, int event, char *path, const char *name, guint handshake,
           gboolean upstream)
{
  Claim *c = g_new0 (Claim, 1);

  c->event = event;
  c->path = path;
  c->name = g_strdup (name);
  c->handshake = handshake;
  c->upstream = upstream;
  c->roots = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (claims, c);
  return c;
}

/* Whether a difference already names secrets[@index]. */
static gboolean
named (HlTraceCheck *check, guint index)
{
  g_autofree char *prefix = g_strdup_printf ("secrets[%u].", index);

  for (guint i = 0; i < check->differences->len; i++)
    if (g_str_has_prefix (((HlDifference *) g_ptr_array_index (check->differences, i))->path,
                          prefix))
      return TRUE;
  return FALSE;
}

/* Values the key schedule added after files were first written: a file from an older version
 * lacks them without being wrong (they are shown from the recomputation instead). */
static gboolean
added_later (const char *name)
{
  static const char *const names[] = {
    "early_secret.derived", "derived_for_handshake.derived", "ticket_nonce",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      return TRUE;
  return FALSE;
}

/* A claim per value of the schedule the file's entry disagrees with; a difference per value the
 * file lacks when it lists re-derived values at all (except those added later). Marks the
 * file's entries it matched. */
static void
claim_secrets (HlTrace *trace, HlTraceCheck *check, HlKeySchedule *schedule, GPtrArray *claims,
               gboolean *matched)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  gboolean any_derived = FALSE;

  for (guint j = 0; j < secrets->len; j++)
    any_derived |= ((HlSecret *) g_ptr_array_index (secrets, j))->source == HL_SOURCE_DERIVED;

  for (guint i = 0; i < schedule->secrets->len; i++)
    {
      const HlSecret *ours = g_ptr_array_index (schedule->secrets, i);
      int j = find_file_secret (secrets, ours);
      const HlSecret *theirs;
      Claim *c;

      if (j < 0)
        {
          if (any_derived && ours->value != NULL && !added_later (ours->name))
            {
              g_autofree char *found = short_hex (ours->value);

              add (check, secret_event (trace, ours),
                   g_strdup_printf ("secrets (%s, connection %u)", ours->name,
                                    ours->handshake + 1),
                   "no such value", "re-derived as %s %s", found, check_word (ours->check));
            }
          continue;
        }
      matched[j] = TRUE;
      theirs = g_ptr_array_index (secrets, (guint) j);
      if (same_bytes (ours->value, theirs->value) && ours->check == theirs->check)
        continue;

      /* The file's entry re-derives to what it says but no longer checks out (or re-derives
       * differently and its check changes with it): a value it comes from is wrong. Otherwise
       * the entry itself is. */
      c = new_claim (claims, secret_event (trace, ours),
                     g_strdup_printf ("secrets[%d].%s", j,
                                      same_bytes (ours->value, theirs->value) ? "check" : "value"),
                     ours->name, ours->handshake, ours->check != theirs->check);
      if (!same_bytes (ours->value, theirs->value))
        {
          g_autofree char *claim = short_hex (theirs->value);
          g_autofree char *found = short_hex (ours->value);

          c->claim = g_strdup_printf ("%s = %s", ours->name, claim);
          c->found = g_strdup_printf ("%s re-derives to %s %s", ours->name, found,
                                      check_word (ours->check));
        }
      else
        {
          c->claim = g_strdup_printf ("%s %s", ours->name, check_word (theirs->check));
          c->found = g_strdup_printf ("%s %s — %s", ours->name, check_word (ours->check),
                                      ours->note ? ours->note : "");
        }
      collect_roots (schedule, secrets, ours->handshake, ours->name, c->roots, 0);
    }
}

/* A value only checked through another (a transcript hash through its verify_data) goes with
 * that one. */
static void
inherit_roots (HlKeySchedule *schedule, GPtrArray *claims)
{
  for (guint i = 0; i < claims->len; i++)
    {
      Claim *c = g_ptr_array_index (claims, i);

      if (c->roots->len > 0 || !c->upstream)
        continue;
      for (guint k = 0; k < claims->len; k++)
        {
          Claim *o = g_ptr_array_index (claims, k);
          const HlSecret *by = hl_keyschedule_find (schedule, o->name, o->handshake);

          if (o != c && by && by->inputs &&
              g_strv_contains ((const char *const *) by->inputs, c->name))
            for (guint r = 0; r < o->roots->len; r++)
              add_root (c->roots, g_ptr_array_index (o->roots, r));
        }
    }
}

/* A claim per record whose decryption (plaintext, inner type or check) the file has otherwise. */
static void
claim_records (HlTrace *trace, HlKeySchedule *schedule, GPtrArray *claims)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);

  for (guint i = 0; i < schedule->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (schedule->records, i);
      HlEvent *record = hl_trace_get_event (trace, rd->record);
      GBytes *plaintext = hl_event_get_plaintext (record);
      gboolean same_check = rd->check == hl_event_get_check (record) &&
                            (rd->plaintext == NULL ||
                             rd->inner_type == hl_event_get_inner_type (record));
      g_autofree char *name = g_strdup_printf ("the record of event %u", rd->record);
      Claim *c;

      if (same_bytes (rd->plaintext, plaintext) && same_check)
        continue;
      c = new_claim (claims, (int) rd->record,
                     g_strdup_printf ("events[%u].%s", rd->record,
                                      same_bytes (rd->plaintext, plaintext) ? "check"
                                                                            : "plaintext"),
                     name, rd->handshake, !same_check);
      if (!same_bytes (rd->plaintext, plaintext))
        {
          g_autofree char *claim = short_hex (plaintext);
          g_autofree char *found = short_hex (rd->plaintext);

          c->claim = g_strdup_printf ("plaintext %s", claim);
          c->found = g_strdup_printf ("the record decrypts to %s — %s", found,
                                      rd->detail ? rd->detail : "");
        }
      else
        {
          c->claim = g_strdup_printf ("%s, inner type %u",
                                      check_word (hl_event_get_check (record)),
                                      hl_event_get_inner_type (record));
          c->found = g_strdup_printf ("%s, inner type %u — %s", check_word (rd->check),
                                      rd->inner_type, rd->detail ? rd->detail : "");
        }
      if (rd->keys)
        {
          g_auto(GStrv) keys = g_strsplit (rd->keys, ", ", -1);

          for (guint k = 0; keys[k]; k++)
            collect_roots (schedule, secrets, rd->handshake, keys[k], c->roots, 0);
        }
    }
}

/* The file's entries the schedule did not match: a re-derived value it does not give is a
 * difference; a library value nothing confirms (and no difference names) is unchecked. */
static void
report_unmatched (HlTrace *trace, HlTraceCheck *check, HlKeySchedule *schedule,
                  const gboolean *matched)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);

  for (guint j = 0; j < secrets->len; j++)
    {
      const HlSecret *theirs = g_ptr_array_index (secrets, j);

      if (theirs->source == HL_SOURCE_DERIVED && !matched[j])
        {
          g_autofree char *claim = g_strdup_printf ("%s, re-derived", theirs->name);

          add (check, secret_event (trace, theirs), g_strdup_printf ("secrets[%u]", j), claim,
               "the trace's bytes give no such value");
        }
      else if (!matched[j] && theirs->value != NULL && !confirmed (schedule, theirs) &&
               !named (check, j))
        g_ptr_array_add (check->unchecked,
                         g_strdup_printf ("secrets[%u] %s (connection %u)", j, theirs->name,
                                          theirs->handshake + 1));
    }
}

void
hl_recheck_keyschedule (HlTrace *trace, HlTraceCheck *check)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlKeySchedule) schedule = hl_keyschedule_compute (trace, &error);
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify) claim_free);
  g_autofree gboolean *matched = g_new0 (gboolean, MAX (hl_trace_get_secrets (trace)->len, 1));

  if (schedule == NULL)
    return;   /* only on broken links, which hl_recheck_links() reported */

  claim_secrets (trace, check, schedule, claims, matched);
  inherit_roots (schedule, claims);
  claim_records (trace, schedule, claims);
  group_claims (trace, check, claims);
  report_unmatched (trace, check, schedule, matched);
}

/* Marking the secrets: the Keys tab shows what re-checking found, and says so. */

/* The file's values the schedule re-derives differently or checks otherwise: ✗, and why. */
static void
mark_rederived (HlTrace *trace)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  g_autoptr(HlKeySchedule) schedule = hl_keyschedule_compute (trace, NULL);

  for (guint i = 0; schedule && i < schedule->secrets->len; i++)
    {
      const HlSecret *ours = g_ptr_array_index (schedule->secrets, i);
      int j = find_file_secret (secrets, ours);
      HlSecret *theirs = j >= 0 ? g_ptr_array_index (secrets, (guint) j) : NULL;

      if (theirs && (theirs->check != ours->check || !same_bytes (theirs->value, ours->value)))
        {
          char *note = g_strdup_printf ("✗ Re-checked when the file was opened: %s%s (the file "
                                        "said %s).", !same_bytes (theirs->value, ours->value)
                                          ? "its bytes give a different value. " : "",
                                        ours->note ? ours->note : "", check_word (theirs->check));

          theirs->check = HL_CHECK_FAILED;
          g_free (theirs->note);
          theirs->note = note;
        }
    }
}

void
hl_recheck_mark_secrets (HlTrace *trace, HlTraceCheck *check)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);

  mark_rederived (trace);
  for (guint k = 0; k < check->differences->len; k++)
    {
      const HlDifference *d = g_ptr_array_index (check->differences, k);
      guint j;
      HlSecret *secret;
      char *note;

      if (sscanf (d->path, "secrets[%u]", &j) != 1 || j >= secrets->len)
        continue;
      secret = g_ptr_array_index (secrets, j);
      if (secret->source == HL_SOURCE_DERIVED)
        continue;
      note = g_strdup_printf ("✗ The file's value does not match its bytes: %s%s%s", d->found,
                              secret->note ? "\n" : "", secret->note ? secret->note : "");
      g_free (secret->note);
      secret->note = note;
    }
  for (guint k = 0; k < check->unchecked->len; k++)
    {
      guint j;
      HlSecret *secret;
      char *note;

      if (sscanf (g_ptr_array_index (check->unchecked, k), "secrets[%u]", &j) != 1 ||
          j >= secrets->len)
        continue;
      secret = g_ptr_array_index (secrets, j);
      note = g_strdup_printf ("From the file, not checked: nothing in the trace recomputes or "
                              "confirms this value.%s%s", secret->note ? " " : "",
                              secret->note ? secret->note : "");
      g_free (secret->note);
      secret->note = note;
    }
}
