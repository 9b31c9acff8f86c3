/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-export"
#include "config.h"

#include "hl-export.h"
#include "hl-keyschedule-ladder.h"
#include "hl-print.h"

/* The Markdown export: the story of a trace as a document (the events, what was negotiated,
 * the certificate checks, the secrets) for notes, slides and bug reports. */

/* Appends @text so that Markdown shows it as written: punctuation with a meaning is escaped
 * (CommonMark §2.4); an underscore inside a word means nothing and stays. In a table cell
 * (@in_table) line breaks become <br>. */
static void
md_append (GString *out, const char *text, gboolean in_table)
{
  if (text == NULL)
    return;
  for (const char *p = text; *p; p++)
    {
      char c = *p;

      switch (c)
        {
        case '\\': case '`': case '*': case '|': case '<': case '>': case '[': case ']':
        case '&': case '~': case '#':
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
          break;
        case '_':
          if (p > text && g_ascii_isalnum (p[-1]) && g_ascii_isalnum (p[1]))
            g_string_append_c (out, '_');
          else
            g_string_append (out, "\\_");
          break;
        case '\n':
          g_string_append (out, in_table ? "<br>" : "\n");
          break;
        case '\r':
        case '\t':
          g_string_append_c (out, ' ');
          break;
        default:
          g_string_append_c (out, c);
        }
    }
}

static void
md_cell (GString *out, const char *text)
{
  g_string_append_c (out, ' ');
  md_append (out, text && *text ? text : "—", TRUE);
  g_string_append (out, " |");
}

/* Identifiers and hex as code; text a code span cannot hold (a loaded trace may have any) is
 * escaped instead. */
static void
md_code (GString *out, const char *text, gboolean in_table)
{
  if (text == NULL || *text == '\0')
    g_string_append (out, "—");
  else if (strpbrk (text, "`|\n") != NULL)
    md_append (out, text, in_table);
  else
    g_string_append_printf (out, "`%s`", text);
}

static void
md_code_cell (GString *out, const char *text)
{
  g_string_append_c (out, ' ');
  md_code (out, text, TRUE);
  g_string_append (out, " |");
}

static const char *
side_label (HlSide side)
{
  return hl_side_to_label (side);
}

static char *
md_who (HlEvent *event)
{
  HlSide side = hl_event_get_side (event);
  HlSide peer = hl_event_get_peer (event);

  /* an action happens on one lifeline; the CA is consulted locally, never on the wire */
  if (hl_event_get_kind (event) == HL_EVENT_ACTION)
    return peer == HL_SIDE_CA ? g_strdup_printf ("%s ·· CA", side_label (side))
                              : g_strdup (side_label (side));
  if ((side == HL_SIDE_CLIENT || side == HL_SIDE_SERVER) &&
      (peer == HL_SIDE_CLIENT || peer == HL_SIDE_SERVER) && side != peer)
    return g_strdup_printf ("%s → %s", side_label (side), side_label (peer));
  return g_strdup (side_label (side));
}

static void
md_events (HlTrace *trace, GString *out)
{
  guint n = hl_trace_get_n_events (trace);
  gboolean several = hl_trace_get_n_handshakes (trace) > 1;
  int current = -1;

  g_string_append (out, "## Steps\n");
  if (hl_trace_is_order_approximate (trace))
    g_string_append (out, "\nThis trace comes from an older file that kept the steps in the "
                          "order they were sent: what a side did with a message may stand before "
                          "the message.\n");
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlCheck check = hl_event_get_check (event);
      g_autofree char *who = md_who (event);
      g_autofree char *step = NULL;
      g_autofree char *size = NULL;
      const char *technical = hl_event_get_technical (event);

      if ((int) hl_event_get_handshake (event) != current)
        {
          current = (int) hl_event_get_handshake (event);
          if (several)
            g_string_append_printf (out, "\n### Connection %d\n", current + 1);
          g_string_append (out, "\n| # | Who | Kind | Step | Size | When | Caption |\n"
                                "|--:|:----|:-----|:-----|-----:|:-----|:--------|\n");
        }
      step = g_strdup_printf ("%s%s", hl_event_get_name (event),
                              check == HL_CHECK_OK ? " ✓" : check == HL_CHECK_FAILED ? " ✗" : "");
      size = g_strdup_printf ("%" G_GSIZE_FORMAT " B", hl_event_get_length (event));
      g_string_append_printf (out, "| %u |", i);
      md_cell (out, who);
      md_cell (out, hl_event_kind_to_string (hl_event_get_kind (event)));
      md_cell (out, step);
      md_cell (out, size);
      {
        g_autofree char *when = hl_event_dup_when (event);

        md_cell (out, when);
      }
      g_string_append_c (out, ' ');
      md_append (out, hl_event_get_caption (event), TRUE);
      if (hl_event_get_kind (event) == HL_EVENT_RECORD ||
          hl_event_get_kind (event) == HL_EVENT_MESSAGE)
        {
          g_autofree char *line = g_strdup_printf ("%s · %s", technical ? technical : "",
                                                   hl_event_keys_text (trace, event));

          g_string_append (out, "<br>*");
          md_append (out, line, TRUE);
          g_string_append_c (out, '*');
        }
      else if (technical && *technical)
        {
          g_string_append (out, "<br>*");
          md_append (out, technical, TRUE);
          g_string_append_c (out, '*');
        }
      g_string_append (out, " |\n");
    }
}

static void
md_negotiated (HlTrace *trace, GString *out)
{
  GPtrArray *negs = hl_trace_get_negotiated (trace);
  static const char *const rows[] = {
    "Version", "Cipher suite", "Key exchange", "Cipher / MAC", "Group", "Signature",
    "EMS / ETM", "ALPN", "Resumed", "Client certificate", "Client random", "Server random",
    "Session ID",
  };

  g_string_append (out, "\n## Negotiated parameters\n\n");
  if (negs->len == 0)
    {
      g_string_append (out, "Nothing was negotiated.\n");
      return;
    }
  g_string_append (out, "| |");
  for (guint i = 0; i < negs->len; i++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, i);

      g_string_append_printf (out, " Connection %u |", neg->handshake + 1);
    }
  g_string_append (out, "\n|:--|");
  for (guint i = 0; i < negs->len; i++)
    g_string_append (out, ":--|");
  g_string_append_c (out, '\n');

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      g_string_append_printf (out, "| %s |", rows[r]);
      for (guint i = 0; i < negs->len; i++)
        {
          const HlNegotiated *neg = g_ptr_array_index (negs, i);
          g_autofree char *text = NULL;

          switch (r)
            {
            case 0:
              text = hl_negotiated_dup_version_text (trace, neg);
              md_cell (out, text);
              break;
            case 1: md_code_cell (out, neg->cipher_suite); break;
            case 2:
              text = hl_negotiated_dup_kx_text (neg);
              md_cell (out, text);
              break;
            case 3:
              text = g_strdup_printf ("%s / %s", neg->cipher ? neg->cipher : "—",
                                      neg->mac ? neg->mac : "—");
              md_cell (out, text);
              break;
            case 4:
              text = hl_negotiated_dup_group_text (neg);
              md_cell (out, text);
              break;
            case 5: md_cell (out, neg->signature); break;
            case 6:
              text = hl_negotiated_dup_ems_etm_text (neg);
              md_cell (out, text);
              break;
            case 7: md_cell (out, hl_negotiated_alpn_text (neg)); break;
            case 8: md_cell (out, hl_negotiated_flag_text (neg, neg->resumed)); break;
            case 9: md_cell (out, hl_negotiated_flag_text (neg, neg->client_auth)); break;
            case 10:
              text = hl_bytes_to_hex (neg->client_random);
              md_code_cell (out, text);
              break;
            case 11:
              text = hl_bytes_to_hex (neg->server_random);
              md_code_cell (out, text);
              break;
            case 12:
              text = hl_negotiated_dup_session_id_text (trace, neg);
              md_cell (out, text);
              break;
            default:
              g_assert_not_reached ();
            }
        }
      g_string_append_c (out, '\n');
    }
}

static void
md_verifications (HlTrace *trace, GString *out)
{
  GPtrArray *vs = hl_trace_get_verifications (trace);
  const HlOutcome *o = hl_trace_get_outcome (trace);

  g_string_append (out, "\n## Verification\n\n");
  if (vs->len == 0)
    g_string_append (out, "No certificate was verified.\n");
  for (guint i = 0; i < vs->len; i++)
    {
      const HlVerification *v = g_ptr_array_index (vs, i);
      g_autofree char *line = NULL;

      line = g_strdup_printf ("The %s checked the %s chain%s%s: ",
                              hl_side_to_string (v->verifier),
                              v->verifier == HL_SIDE_CLIENT ? "server's" : "client's",
                              v->hostname ? " for " : "", v->hostname ? v->hostname : "");
      g_string_append (out, "- ");
      md_append (out, line, FALSE);
      g_string_append (out, v->trusted ? "**trusted** ✓" : "**not trusted** ✗");
      if (v->text && *v->text)
        {
          g_string_append (out, " — ");
          md_append (out, v->text, FALSE);
        }
      g_string_append_c (out, '\n');
    }

  g_string_append (out, "\n## Outcome\n\n");
  g_string_append (out, "- Client: ");
  md_append (out, o->client_ok ? "finished" : o->client_error ? o->client_error : "—", FALSE);
  g_string_append (out, "\n- Server: ");
  md_append (out, o->server_ok ? "finished" : o->server_error ? o->server_error : "—", FALSE);
  g_string_append_c (out, '\n');
  if (o->alert_sender != HL_SIDE_NONE)
    {
      const char *name = hl_alert_description_name (o->alert);
      g_autofree char *line = g_strdup_printf ("Fatal alert %s (%u) sent by the %s",
                                               name ? name : "?", o->alert,
                                               hl_side_to_string (o->alert_sender));

      g_string_append (out, "- ");
      md_append (out, line, FALSE);
      g_string_append_c (out, '\n');
    }
}

/* Hex of a value; very long ones (tickets) shortened to their first 32 bytes, as --print does. */
static char *
secret_hex (GBytes *value)
{
  g_autofree char *hex = hl_bytes_to_hex (value);

  if (value != NULL && g_bytes_get_size (value) > 64)
    return g_strdup_printf ("%.64s…", hex);
  return g_steal_pointer (&hex);
}

static char *
secret_size (GBytes *value)
{
  if (value == NULL)
    return g_strdup ("—");
  return g_strdup_printf ("%" G_GSIZE_FORMAT " B", g_bytes_get_size (value));
}

static gboolean
is_derived (const HlSecret *s)
{
  return s->source == HL_SOURCE_DERIVED || s->formula != NULL;
}

/* A row of the secrets table: a value GnuTLS handed out. */
static void
md_secret_row (GString *out, const HlSecret *s)
{
  g_autofree char *hex = secret_hex (s->value);
  g_autofree char *size = secret_size (s->value);
  g_autofree char *conn = g_strdup_printf ("%u", s->handshake + 1);

  g_string_append_c (out, '|');
  md_cell (out, conn);
  md_code_cell (out, s->name);
  md_cell (out, size);
  md_cell (out, hl_side_to_string (s->holder));
  md_cell (out, hl_source_to_string (s->source));
  g_string_append_c (out, ' ');
  if (s->value)
    md_code (out, hex, TRUE);
  else
    g_string_append (out, "(not available)");
  if (s->note)
    {
      g_string_append (out, "<br>");
      md_append (out, s->note, TRUE);
    }
  g_string_append (out, " |\n");
}

/* A row of the key schedule table: a value we derived, its check and how. */
static void
md_derived_row (GString *out, const HlSecret *s)
{
  g_autofree char *hex = secret_hex (s->value);
  g_autofree char *size = secret_size (s->value);
  g_autofree char *conn = g_strdup_printf ("%u", s->handshake + 1);
  gboolean first = TRUE;

  g_string_append_c (out, '|');
  md_cell (out, conn);
  md_cell (out, s->check == HL_CHECK_OK ? "✓" : s->check == HL_CHECK_FAILED ? "✗" : "·");
  md_code_cell (out, s->name);
  md_cell (out, size);
  if (s->value)
    md_code_cell (out, hex);
  else
    g_string_append (out, " (not available) |");
  g_string_append_c (out, ' ');
  if (s->formula)
    {
      g_string_append (out, "= ");
      md_append (out, s->formula, TRUE);
      first = FALSE;
    }
  if (s->inputs && s->inputs[0])
    {
      g_autofree char *inputs = g_strjoinv (", ", s->inputs);

      g_string_append (out, first ? "inputs: " : "<br>inputs: ");
      md_append (out, inputs, TRUE);
      first = FALSE;
    }
  if (s->note)
    {
      if (!first)
        g_string_append (out, "<br>");
      md_append (out, s->note, TRUE);
    }
  g_string_append (out, " |\n");
}

static void
md_secrets (HlTrace *trace, GString *out)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  guint n_derived = 0, n_ok = 0, n_failed = 0, n_records = 0, n_records_ok = 0;
  gboolean header = FALSE;

  g_string_append (out, "\n## Secrets and keys\n\n");
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (is_derived (s))
        {
          n_derived++;
          continue;
        }
      if (!header)
        {
          g_string_append (out, "| Conn. | Name | Size | Known to | Source | Value |\n"
                                "|--:|:--|--:|:--|:--|:--|\n");
          header = TRUE;
        }
      md_secret_row (out, s);
    }
  if (!header)
    g_string_append (out, "GnuTLS handed out no secret.\n");

  if (n_derived == 0)
    return;
  g_string_append (out, "\n## Key schedule\n\n"
                        "Recomputed by Handshake Lens: ✓ equal to GnuTLS's value or the wire, "
                        "✗ different, · not comparable.\n\n"
                        "| Conn. | | Name | Size | Value | How |\n"
                        "|--:|:-:|:--|--:|:--|:--|\n");
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (!is_derived (s))
        continue;
      n_ok += s->check == HL_CHECK_OK;
      n_failed += s->check == HL_CHECK_FAILED;
      md_derived_row (out, s);
    }

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) != HL_EVENT_RECORD ||
          hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT)
        continue;
      n_records++;
      n_records_ok += hl_event_get_check (event) == HL_CHECK_OK;
    }
  g_string_append_printf (out, "\n%u ✓, %u ✗, %u ·; %u of %u protected records decrypted to the "
                               "captured plaintext%s.\n",
                          n_ok, n_failed, n_derived - n_ok - n_failed, n_records_ok, n_records,
                          n_records_ok == n_records ? "" : " (the others are marked ✗ above)");
}

/* The TLS 1.3 key schedule of each connection as one ladder, in its text form. */
static void
md_ladders (HlTrace *trace, GString *out)
{
  GString *text = g_string_new (NULL);

  if (hl_trace_print_ladders (trace, text) > 0)
    g_string_append_printf (out, "\n## TLS 1.3 key schedule\n\n"
                                 "Each secret with what the trace has for it: → enters from the "
                                 "side, ▼ the main line, ├► derived from it.\n\n```text%s```\n",
                            text->str);
  g_string_free (text, TRUE);
}

/**
 * hl_trace_dup_markdown:
 * @trace: a trace
 *
 * The annotated trace as Markdown (CommonMark with GitHub-style tables) for lecture notes: the
 * same content as `--print` (hl_trace_dup_text()): title and description, a table of every step
 * with who, kind, message, size and caption, the negotiated parameters, the certificate checks
 * and outcome, the secrets and the key schedule with ✓/✗. It lists the secret values of the
 * recorded demo session, as `--print` does.
 *
 * Returns: (transfer full): UTF-8 text
 */
char *
hl_trace_dup_markdown (HlTrace *trace)
{
  GString *out;
  const char *scenario, *title, *description;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);

  out = g_string_new (NULL);
  scenario = hl_trace_get_scenario (trace);
  title = hl_trace_get_title (trace);
  description = hl_trace_get_description (trace);

  g_string_append (out, "# ");
  md_append (out, title && *title ? title : scenario ? scenario : "Trace", FALSE);
  g_string_append (out, "\n\n");
  if (scenario && *scenario)
    {
      g_string_append (out, "Scenario ");
      md_code (out, scenario, FALSE);
      g_string_append (out, " · ");
    }
  g_string_append (out, "GnuTLS ");
  md_append (out, hl_trace_get_library_version (trace), FALSE);
  {
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (hl_trace_get_created (trace) /
                                                               G_USEC_PER_SEC);
    g_autofree char *text = when ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S UTC") : NULL;

    if (text)
      g_string_append_printf (out, " · recorded %s", text);
  }
  g_string_append (out, " · Handshake Lens " PACKAGE_VERSION "\n\n");
  if (description && *description)
    {
      md_append (out, description, FALSE);
      g_string_append (out, "\n\n");
    }
  md_events (trace, out);
  md_negotiated (trace, out);
  md_verifications (trace, out);
  md_secrets (trace, out);
  md_ladders (trace, out);
  return g_string_free (out, FALSE);
}
