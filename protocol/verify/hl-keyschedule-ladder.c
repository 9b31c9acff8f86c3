/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule"
#include "config.h"

#include <string.h>

#include "hl-keyschedule.h"
#include "hl-keyschedule-ladder.h"

/*
 * Sections: finding a value · building the ladder · the text form. See the header.
 *
 * Values come from the trace's secrets. A trace saved by an older version lacks the links the
 * schedule added later (the early secret and its salt): those come from recomputing the
 * schedule on the trace's own bytes, as the opened-trace check does.
 */

/* --- Finding a value ------------------------------------------------------------------------- */

typedef struct
{
  HlTrace       *trace;
  guint          handshake;
  gboolean       resumed;
  HlKeySchedule *schedule;   /* computed on first need */
} Builder;

static gboolean
matches (const HlSecret *s, const char *name, guint handshake, gboolean derived)
{
  gsize n = strlen (name);

  if (s->handshake != handshake || strncmp (s->name, name, n) != 0)
    return FALSE;
  if (derived)
    return g_str_equal (s->name + n, ".derived") ||
           (s->name[n] == '\0' && s->source == HL_SOURCE_DERIVED);
  return s->name[n] == '\0' && s->source != HL_SOURCE_DERIVED;
}

static const HlSecret *
find_in (GPtrArray *secrets, const char *name, guint handshake, gboolean derived)
{
  for (guint i = 0; secrets && i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (matches (s, name, handshake, derived))
        return s;
    }
  return NULL;
}

static void
resolve (Builder *b, HlRung *rung)
{
  GPtrArray *secrets = hl_trace_get_secrets (b->trace);
  const HlSecret *ours = find_in (secrets, rung->name, rung->handshake, TRUE);
  const HlSecret *theirs = find_in (secrets, rung->name, rung->handshake, FALSE);

  if (ours == NULL && theirs == NULL)
    {
      if (b->schedule == NULL)
        b->schedule = hl_keyschedule_compute (b->trace, NULL);
      if (b->schedule != NULL)
        {
          ours = find_in (b->schedule->secrets, rung->name, rung->handshake, TRUE);
          theirs = find_in (b->schedule->secrets, rung->name, rung->handshake, FALSE);
        }
    }
  if (ours && ours->value)
    {
      rung->state = HL_RUNG_COMPUTED;
      rung->check = ours->check;
      rung->value = g_bytes_ref (ours->value);
    }
  else if (theirs && theirs->value)
    {
      rung->state = theirs->source == HL_SOURCE_WIRE ? HL_RUNG_WIRE : HL_RUNG_LIBRARY;
      rung->check = ours ? ours->check : theirs->check;
      rung->value = g_bytes_ref (theirs->value);
    }
  else
    rung->state = ours || theirs ? HL_RUNG_HIDDEN : HL_RUNG_ABSENT;
}

/* --- Building the ladder --------------------------------------------------------------------- */

static void
rung_free (HlRung *rung)
{
  g_free (rung->name);
  g_free (rung->title);
  g_free (rung->formula);
  g_clear_pointer (&rung->value, g_bytes_unref);
  g_free (rung);
}

static int
add (Builder *b, GPtrArray *ladder, HlRungPlace place, int spine, const char *name,
     guint handshake, const char *title, const char *formula)
{
  HlRung *rung = g_new0 (HlRung, 1);

  rung->place = place;
  rung->spine = place == HL_RUNG_SPINE ? -1 : spine;
  rung->name = g_strdup (name);
  rung->handshake = handshake;
  rung->title = g_strdup (title);
  rung->formula = g_strdup (formula);
  if (name)
    resolve (b, rung);
  else
    rung->state = HL_RUNG_CONSTANT;
  g_ptr_array_add (ladder, rung);
  return (int) ladder->len - 1;
}

/* Adds a branch only when GnuTLS reported it (early data secrets exist only with a PSK). */
static void
add_reported (Builder *b, GPtrArray *ladder, int spine, const char *name, const char *title,
              const char *formula)
{
  if (hl_trace_find_secret (b->trace, name, b->handshake) != NULL)
    add (b, ladder, HL_RUNG_BRANCH, spine, name, b->handshake, title, formula);
}

static const HlNegotiated *
negotiated (HlTrace *trace, guint handshake)
{
  GPtrArray *negs = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negs->len; i++)
    if (((const HlNegotiated *) g_ptr_array_index (negs, i))->handshake == handshake)
      return g_ptr_array_index (negs, i);
  return NULL;
}

/**
 * hl_keyschedule_ladder_applies:
 * @trace: a trace
 * @handshake: a connection of it
 *
 * Returns: whether @handshake has a TLS 1.3 key schedule to draw (its keys were set)
 */
gboolean
hl_keyschedule_ladder_applies (HlTrace *trace, guint handshake)
{
  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);

  return hl_trace_find_secret (trace, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", handshake) != NULL ||
         hl_trace_find_secret (trace, "master_secret_13.derived", handshake) != NULL;
}

/* The connection whose NewSessionTicket carried the ticket a resumed one presents; else the
 * previous connection. */
static guint
ticket_source (HlTrace *trace, guint handshake)
{
  const HlSecret *ticket = hl_trace_find_secret (trace, "resumption_ticket", handshake);
  gsize n = ticket && ticket->value ? g_bytes_get_size (ticket->value) : 0;

  for (guint i = 0; n > 0 && i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      GBytes *bytes = hl_event_get_bytes (event);
      gsize size;
      const guint8 *data;

      if (hl_event_get_handshake (event) >= handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_handshake_type (event) != 4 || bytes == NULL)
        continue;
      data = g_bytes_get_data (bytes, &size);
      for (gsize at = 0; at + n <= size; at++)
        if (memcmp (data + at, g_bytes_get_data (ticket->value, NULL), n) == 0)
          return hl_event_get_handshake (event);
    }
  return handshake > 0 ? handshake - 1 : 0;
}

/**
 * hl_keyschedule_ladder_new:
 * @trace: a trace
 * @handshake: a TLS 1.3 connection of it (see hl_keyschedule_ladder_applies())
 *
 * Returns: (transfer full) (element-type HlRung): the rungs, spine rungs in order with their
 *   inputs and branches after each
 */
GPtrArray *
hl_keyschedule_ladder_new (HlTrace *trace, guint handshake)
{
  GPtrArray *ladder = g_ptr_array_new_with_free_func ((GDestroyNotify) rung_free);
  const HlNegotiated *neg;
  Builder b = { trace, handshake, FALSE, NULL };
  int early, hs, ms;

  g_return_val_if_fail (HL_IS_TRACE (trace), ladder);

  neg = negotiated (trace, handshake);
  b.resumed = (neg && neg->resumed) ||
              hl_trace_find_secret (trace, "resumption_psk.derived", handshake) != NULL;

  if (b.resumed)
    {
      /* the PSK path (RFC 8446 §4.6.1): the PSK stands above the early secret, made from the
       * earlier connection's resumption master secret and the ticket's nonce */
      guint from = ticket_source (trace, handshake);
      g_autofree char *title = g_strdup_printf ("Resumption master secret (connection %u)",
                                                from + 1);
      int psk = add (&b, ladder, HL_RUNG_SPINE, -1, "resumption_psk", handshake, "PSK",
                     "HKDF-Expand-Label(resumption_master_secret, \"resumption\", "
                     "ticket_nonce, Hash.length)");

      add (&b, ladder, HL_RUNG_INPUT, psk, "resumption_master_secret", from, title,
           "Derive-Secret(master_secret, \"res master\", ClientHello…client Finished)");
      add (&b, ladder, HL_RUNG_INPUT, psk, "ticket_nonce", handshake, "Ticket nonce",
           "NewSessionTicket.ticket_nonce");
      early = add (&b, ladder, HL_RUNG_SPINE, -1, "early_secret", handshake, "Early secret",
                   "HKDF-Extract(salt = 0, IKM = PSK)");
      add (&b, ladder, HL_RUNG_BRANCH, early, "binder_key", handshake, "Binder key",
           "Derive-Secret(early_secret, \"res binder\", \"\")");
    }
  else
    {
      early = add (&b, ladder, HL_RUNG_SPINE, -1, "early_secret", handshake, "Early secret",
                   "HKDF-Extract(salt = 0, IKM = PSK)");
      add (&b, ladder, HL_RUNG_INPUT, early, NULL, handshake, "PSK = 0",
           "no PSK: Hash.length zero bytes");
    }
  add_reported (&b, ladder, early, "CLIENT_EARLY_TRAFFIC_SECRET", "Client early traffic secret",
                "Derive-Secret(early_secret, \"c e traffic\", ClientHello)");
  add_reported (&b, ladder, early, "EARLY_EXPORTER_SECRET", "Early exporter secret",
                "Derive-Secret(early_secret, \"e exp master\", ClientHello)");

  add (&b, ladder, HL_RUNG_SPINE, -1, "derived_for_handshake", handshake, "Derived salt",
       "Derive-Secret(early_secret, \"derived\", \"\")");
  hs = add (&b, ladder, HL_RUNG_SPINE, -1, "handshake_secret", handshake, "Handshake secret",
            "HKDF-Extract(salt = derived, IKM = (EC)DHE)");
  add (&b, ladder, HL_RUNG_INPUT, hs, "ecdhe_shared_secret", handshake, "(EC)DHE shared secret",
       "the key exchange of the hellos' key_share");
  add (&b, ladder, HL_RUNG_BRANCH, hs, "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
       handshake, "Client handshake traffic secret",
       "Derive-Secret(handshake_secret, \"c hs traffic\", ClientHello…ServerHello)");
  add (&b, ladder, HL_RUNG_BRANCH, hs, "SERVER_HANDSHAKE_TRAFFIC_SECRET",
       handshake, "Server handshake traffic secret",
       "Derive-Secret(handshake_secret, \"s hs traffic\", ClientHello…ServerHello)");

  add (&b, ladder, HL_RUNG_SPINE, -1, "derived_for_master", handshake, "Derived salt",
       "Derive-Secret(handshake_secret, \"derived\", \"\")");
  ms = add (&b, ladder, HL_RUNG_SPINE, -1, "master_secret_13", handshake, "Master secret",
            "HKDF-Extract(salt = derived, IKM = 0)");
  add (&b, ladder, HL_RUNG_INPUT, ms, NULL, handshake, "0", "Hash.length zero bytes");
  add (&b, ladder, HL_RUNG_BRANCH, ms, "CLIENT_TRAFFIC_SECRET_0", handshake,
       "Client application traffic secret",
       "Derive-Secret(master_secret, \"c ap traffic\", ClientHello…server Finished)");
  add (&b, ladder, HL_RUNG_BRANCH, ms, "SERVER_TRAFFIC_SECRET_0", handshake,
       "Server application traffic secret",
       "Derive-Secret(master_secret, \"s ap traffic\", ClientHello…server Finished)");
  add (&b, ladder, HL_RUNG_BRANCH, ms, "EXPORTER_SECRET", handshake, "Exporter master secret",
       "Derive-Secret(master_secret, \"exp master\", ClientHello…server Finished)");
  add (&b, ladder, HL_RUNG_BRANCH, ms, "resumption_master_secret", handshake,
       "Resumption master secret",
       "Derive-Secret(master_secret, \"res master\", ClientHello…client Finished)");

  g_clear_pointer (&b.schedule, hl_keyschedule_free);
  return ladder;
}

/* --- The text form --------------------------------------------------------------------------- */

/**
 * hl_rung_state_to_string:
 * @state: a state
 *
 * Returns: what the trace has for a rung, in words ("held inside GnuTLS")
 */
const char *
hl_rung_state_to_string (HlRungState state)
{
  switch (state)
    {
    case HL_RUNG_LIBRARY: return "from GnuTLS's key log";
    case HL_RUNG_COMPUTED: return "computed by Handshake Lens";
    case HL_RUNG_WIRE: return "read from the wire";
    case HL_RUNG_CONSTANT: return "a constant";
    case HL_RUNG_HIDDEN: return "held inside GnuTLS";
    case HL_RUNG_ABSENT:
    default: return "not in this trace";
    }
}

static void
print_rung (const HlRung *rung, const char *lead, GString *out)
{
  g_autofree char *hex = NULL;

  if (rung->value)
    {
      gsize n;
      const guint8 *p = g_bytes_get_data (rung->value, &n);
      GString *h = g_string_new (NULL);

      for (gsize i = 0; i < MIN (n, 8); i++)
        g_string_append_printf (h, "%02x", p[i]);
      if (n > 8)
        g_string_append (h, "…");
      if (n == 0)
        g_string_append (h, "(empty)");
      hex = g_string_free (h, FALSE);
    }
  g_string_append_printf (out, "    %s%-40s %s%s%s%s\n", lead, rung->title,
                          hl_rung_state_to_string (rung->state),
                          rung->check == HL_CHECK_OK ? " ✓" : rung->check == HL_CHECK_FAILED
                                                                ? " ✗" : "",
                          hex ? " · " : "", hex ? hex : "");
  g_string_append_printf (out, "    %s%-40s = %s\n", g_str_equal (lead, "▼ ") ? "│ " : "  ", "",
                          rung->formula);
}

/**
 * hl_keyschedule_ladder_print:
 * @ladder: (element-type HlRung): from hl_keyschedule_ladder_new()
 * @handshake: its connection
 * @out: where to append
 *
 * Appends the ladder as text: each spine secret with its inputs before it (→) and its branches
 * after it (├►), what the trace has for each, and its formula.
 */
void
hl_keyschedule_ladder_print (GPtrArray *ladder, guint handshake, GString *out)
{
  g_string_append_printf (out, "\nTLS 1.3 key schedule, connection %u (RFC 8446 §7.1)\n",
                          handshake + 1);
  for (guint i = 0; i < ladder->len; i++)
    {
      const HlRung *spine = g_ptr_array_index (ladder, i);

      if (spine->place != HL_RUNG_SPINE)
        continue;
      for (guint j = 0; j < ladder->len; j++)
        {
          const HlRung *r = g_ptr_array_index (ladder, j);

          if (r->place == HL_RUNG_INPUT && r->spine == (int) i)
            print_rung (r, "→ ", out);
        }
      print_rung (spine, "▼ ", out);
      for (guint j = 0; j < ladder->len; j++)
        {
          const HlRung *r = g_ptr_array_index (ladder, j);

          if (r->place == HL_RUNG_BRANCH && r->spine == (int) i)
            print_rung (r, "├►", out);
        }
    }
}

/**
 * hl_trace_print_ladders:
 * @trace: a trace
 * @out: where to append
 *
 * Appends the ladder of every TLS 1.3 connection of @trace (nothing for TLS 1.2).
 *
 * Returns: how many ladders were appended
 */
guint
hl_trace_print_ladders (HlTrace *trace, GString *out)
{
  guint n = 0;

  g_return_val_if_fail (HL_IS_TRACE (trace), 0);

  for (guint h = 0; h < hl_trace_get_n_handshakes (trace); h++)
    {
      g_autoptr(GPtrArray) ladder = NULL;

      if (!hl_keyschedule_ladder_applies (trace, h))
        continue;
      ladder = hl_keyschedule_ladder_new (trace, h);
      hl_keyschedule_ladder_print (ladder, h, out);
      n++;
    }
  return n;
}
