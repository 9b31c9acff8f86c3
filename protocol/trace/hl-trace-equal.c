/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-io"
#include "config.h"

#include <string.h>

#include "hl-trace-io-private.h"
#include "hl-trace-private.h"

/* Comparison
 *
 * Each same_*() returns TRUE when its values are equal and otherwise writes
 * "<where>.<field>: <a> vs <b>" into @why (when not NULL), naming fields like the file does. */

static gboolean differ (GString *why, const char *where, const char *field, const char *format,
                        ...) G_GNUC_PRINTF (4, 5);

static gboolean
differ (GString *why, const char *where, const char *field, const char *format, ...)
{
  va_list args;

  if (why == NULL)
    return FALSE;
  g_string_append_printf (why, "%s%s%s: ", where, where[0] != '\0' ? "." : "", field);
  va_start (args, format);
  g_string_append_vprintf (why, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
same_int (GString *why, const char *where, const char *field, gint64 a, gint64 b)
{
  if (a == b)
    return TRUE;
  return differ (why, where, field, "%" G_GINT64_FORMAT " vs %" G_GINT64_FORMAT, a, b);
}

static gboolean
same_string (GString *why, const char *where, const char *field, const char *a, const char *b)
{
  g_autofree char *qa = NULL;
  g_autofree char *qb = NULL;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  qa = a != NULL ? hl_trace_reader_quote (a) : g_strdup ("null");
  qb = b != NULL ? hl_trace_reader_quote (b) : g_strdup ("null");
  return differ (why, where, field, "%s vs %s", qa, qb);
}

static gboolean
same_bytes (GString *why, const char *where, const char *field, GBytes *a, GBytes *b)
{
  const guint8 *pa;
  const guint8 *pb;
  gsize na;
  gsize nb;

  if (a == NULL || b == NULL)
    {
      if (a == b)
        return TRUE;
      return differ (why, where, field, "%s vs %s", a ? "bytes" : "null", b ? "bytes" : "null");
    }
  pa = g_bytes_get_data (a, &na);
  pb = g_bytes_get_data (b, &nb);
  for (gsize i = 0; i < MIN (na, nb); i++)
    if (pa[i] != pb[i])
      return differ (why, where, field, "byte %" G_GSIZE_FORMAT " is 0x%02x vs 0x%02x", i, pa[i],
                     pb[i]);
  if (na != nb)
    return differ (why, where, field, "%" G_GSIZE_FORMAT " bytes vs %" G_GSIZE_FORMAT, na, nb);
  return TRUE;
}

static gboolean
same_strv (GString *why, const char *where, const char *field, GStrv a, GStrv b)
{
  guint na;
  guint nb;

  if (a == NULL || b == NULL)
    {
      if (a == b)
        return TRUE;
      return differ (why, where, field, "%s vs %s", a ? "a list" : "null", b ? "a list" : "null");
    }
  na = g_strv_length (a);
  nb = g_strv_length (b);
  for (guint i = 0; i < MIN (na, nb); i++)
    if (!g_str_equal (a[i], b[i]))
      {
        g_autofree char *item = g_strdup_printf ("%s[%u]", field, i);

        return same_string (why, where, item, a[i], b[i]);
      }
  if (na != nb)
    return differ (why, where, field, "%u entries vs %u", na, nb);
  return TRUE;
}

static gboolean
same_event (GString *why, const char *where, HlEvent *a, HlEvent *b)
{
#define SAME_INT(field) same_int (why, where, #field, hl_event_get_##field (a), \
                                  hl_event_get_##field (b))
  return SAME_INT (index) &&
         same_string (why, where, "kind", hl_event_kind_to_string (hl_event_get_kind (a)),
                      hl_event_kind_to_string (hl_event_get_kind (b))) &&
         same_string (why, where, "side", hl_side_to_string (hl_event_get_side (a)),
                      hl_side_to_string (hl_event_get_side (b))) &&
         same_string (why, where, "peer", hl_side_to_string (hl_event_get_peer (a)),
                      hl_side_to_string (hl_event_get_peer (b))) &&
         SAME_INT (handshake) &&
         same_int (why, where, "timestamp_us", hl_event_get_timestamp (a),
                   hl_event_get_timestamp (b)) &&
         same_int (why, where, "sent_us", hl_event_get_sent_timestamp (a),
                   hl_event_get_sent_timestamp (b)) &&
         same_string (why, where, "moment", hl_moment_to_string (hl_event_get_moment (a)),
                      hl_moment_to_string (hl_event_get_moment (b))) &&
         same_string (why, where, "name", hl_event_get_name (a), hl_event_get_name (b)) &&
         same_string (why, where, "caption", hl_event_get_caption (a), hl_event_get_caption (b)) &&
         same_string (why, where, "technical", hl_event_get_technical (a),
                      hl_event_get_technical (b)) &&
         same_string (why, where, "epoch", hl_epoch_to_string (hl_event_get_epoch (a)),
                      hl_epoch_to_string (hl_event_get_epoch (b))) &&
         SAME_INT (content_type) &&
         SAME_INT (handshake_type) &&
         SAME_INT (record) &&
         same_int (why, where, "alert.level", hl_event_get_alert_level (a),
                   hl_event_get_alert_level (b)) &&
         same_int (why, where, "alert.description", hl_event_get_alert_description (a),
                   hl_event_get_alert_description (b)) &&
         same_string (why, where, "check", hl_check_to_string (hl_event_get_check (a)),
                      hl_check_to_string (hl_event_get_check (b))) &&
         same_bytes (why, where, "bytes", hl_event_get_bytes (a), hl_event_get_bytes (b)) &&
         same_bytes (why, where, "plaintext", hl_event_get_plaintext (a),
                     hl_event_get_plaintext (b)) &&
         SAME_INT (inner_type) &&
         SAME_INT (forwarded);
#undef SAME_INT
}

static gboolean
same_secret (GString *why, const char *where, gconstpointer pa, gconstpointer pb)
{
  const HlSecret *a = pa;
  const HlSecret *b = pb;

  return same_string (why, where, "name", a->name, b->name) &&
         same_string (why, where, "label", a->label, b->label) &&
         same_string (why, where, "holder", hl_side_to_string (a->holder),
                      hl_side_to_string (b->holder)) &&
         same_string (why, where, "source", hl_source_to_string (a->source),
                      hl_source_to_string (b->source)) &&
         same_int (why, where, "handshake", a->handshake, b->handshake) &&
         same_string (why, where, "check", hl_check_to_string (a->check),
                      hl_check_to_string (b->check)) &&
         same_string (why, where, "formula", a->formula, b->formula) &&
         same_strv (why, where, "inputs", a->inputs, b->inputs) &&
         same_string (why, where, "note", a->note, b->note) &&
         same_bytes (why, where, "value", a->value, b->value);
}

static gboolean
same_negotiated (GString *why, const char *where, gconstpointer pa, gconstpointer pb)
{
  const HlNegotiated *a = pa;
  const HlNegotiated *b = pb;

  return same_int (why, where, "handshake", a->handshake, b->handshake) &&
         same_string (why, where, "version", a->version, b->version) &&
         same_string (why, where, "cipher_suite", a->cipher_suite, b->cipher_suite) &&
         same_string (why, where, "kx", a->kx, b->kx) &&
         same_string (why, where, "cipher", a->cipher, b->cipher) &&
         same_string (why, where, "mac", a->mac, b->mac) &&
         same_string (why, where, "group", a->group, b->group) &&
         same_string (why, where, "signature", a->signature, b->signature) &&
         same_int (why, where, "ems", !!a->ems, !!b->ems) &&
         same_int (why, where, "etm", !!a->etm, !!b->etm) &&
         same_int (why, where, "resumed", !!a->resumed, !!b->resumed) &&
         same_int (why, where, "client_auth", !!a->client_auth, !!b->client_auth) &&
         same_bytes (why, where, "client_random", a->client_random, b->client_random) &&
         same_bytes (why, where, "server_random", a->server_random, b->server_random) &&
         same_bytes (why, where, "session_id", a->session_id, b->session_id) &&
         same_string (why, where, "alpn", a->alpn, b->alpn);
}

static gboolean
same_verification (GString *why, const char *where, gconstpointer pa, gconstpointer pb)
{
  const HlVerification *a = pa;
  const HlVerification *b = pb;

  return same_int (why, where, "handshake", a->handshake, b->handshake) &&
         same_string (why, where, "verifier", hl_side_to_string (a->verifier),
                      hl_side_to_string (b->verifier)) &&
         same_int (why, where, "rc", a->rc, b->rc) &&
         same_int (why, where, "status", a->status, b->status) &&
         same_int (why, where, "trusted", !!a->trusted, !!b->trusted) &&
         same_string (why, where, "hostname", a->hostname, b->hostname) &&
         same_string (why, where, "text", a->text, b->text);
}

static gboolean
same_outcome (GString *why, const HlOutcome *a, const HlOutcome *b)
{
  const char *where = "outcome";

  return same_int (why, where, "client_ok", !!a->client_ok, !!b->client_ok) &&
         same_int (why, where, "server_ok", !!a->server_ok, !!b->server_ok) &&
         same_string (why, where, "client_error", a->client_error, b->client_error) &&
         same_string (why, where, "server_error", a->server_error, b->server_error) &&
         same_string (why, where, "alert_sender", hl_side_to_string (a->alert_sender),
                      hl_side_to_string (b->alert_sender)) &&
         same_int (why, where, "alert", a->alert, b->alert);
}

static gboolean
same_live (GString *why, const HlLive *a, const HlLive *b)
{
  const char *where = "live";

  if (a == NULL || b == NULL)
    return a == b || differ (why, "", "live", "%s vs %s", a ? "present" : "null",
                             b ? "present" : "null");
  return same_string (why, where, "local", hl_side_to_string (a->local),
                      hl_side_to_string (b->local)) &&
         same_string (why, where, "address", a->address, b->address) &&
         same_string (why, where, "server_name", a->server_name, b->server_name) &&
         same_string (why, where, "software", a->software, b->software) &&
         same_string (why, where, "trust", a->trust, b->trust) &&
         same_int (why, where, "truncated", !!a->truncated, !!b->truncated) &&
         same_int (why, where, "bytes_sent", a->bytes_sent, b->bytes_sent) &&
         same_int (why, where, "bytes_received", a->bytes_received, b->bytes_received);
}

static gboolean
same_chain (GString *why, const char *field, GPtrArray *a, GPtrArray *b)
{
  if (!same_int (why, "certificates", field, a->len, b->len))
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      g_autofree char *item = g_strdup_printf ("%s[%u]", field, i);

      if (!same_bytes (why, "certificates", item, g_ptr_array_index (a, i),
                       g_ptr_array_index (b, i)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_attacker (GString *why, const HlAttacker *a, const HlAttacker *b)
{
  if (a == NULL || b == NULL)
    return a == b || differ (why, "", "attacker", "%s vs %s", a ? "present" : "null",
                             b ? "present" : "null");
  return same_bytes (why, "attacker", "ca_certificate", a->ca_certificate, b->ca_certificate) &&
         same_chain (why, "attacker.chain", a->chain, b->chain) &&
         same_int (why, "attacker", "trusted", !!a->trusted, !!b->trusted) &&
         same_int (why, "attacker", "unchecked", !!a->unchecked, !!b->unchecked);
}

typedef gboolean (*SameFunc) (GString *why, const char *where, gconstpointer a, gconstpointer b);

/* Compares two arrays item by item with @same, after their lengths. */
static gboolean
same_items (GString *why, const char *name, GPtrArray *a, GPtrArray *b, SameFunc same)
{
  if (a->len != b->len)
    return differ (why, "", name, "%u entries vs %u", a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", name, i);

      if (!same (why, where, g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }
  return TRUE;
}

/**
 * hl_trace_equal:
 * @a: a trace
 * @b: another trace
 * @why: (nullable): where to append the first difference, e.g.
 *   "events[3].bytes: byte 17 is 0x16 vs 0x17"
 *
 * Compares everything a trace file holds: the header, every event field by field and byte by
 * byte, every secret, negotiated parameter set, verification, the outcome, the certificates and
 * the server key. Whether a trace is finished is not part of its content and not compared.
 *
 * Returns: %TRUE if @a and @b hold the same trace
 */
gboolean
hl_trace_equal (HlTrace *a, HlTrace *b, GString *why)
{
  g_return_val_if_fail (HL_IS_TRACE (a), FALSE);
  g_return_val_if_fail (HL_IS_TRACE (b), FALSE);

  if (a == b)
    return TRUE;

  if (!same_string (why, "", "scenario", hl_trace_get_scenario (a), hl_trace_get_scenario (b)) ||
      !same_string (why, "", "title", hl_trace_get_title (a), hl_trace_get_title (b)) ||
      !same_string (why, "", "description", hl_trace_get_description (a),
                    hl_trace_get_description (b)) ||
      !same_string (why, "", "library_version", hl_trace_get_library_version (a),
                    hl_trace_get_library_version (b)) ||
      !same_int (why, "", "created", hl_trace_get_created (a), hl_trace_get_created (b)) ||
      !same_int (why, "", "n_handshakes", hl_trace_get_n_handshakes (a),
                 hl_trace_get_n_handshakes (b)) ||
      (hl_trace_get_n_events (a) != hl_trace_get_n_events (b) &&
       !differ (why, "", "events", "%u entries vs %u", hl_trace_get_n_events (a),
                hl_trace_get_n_events (b))))
    return FALSE;

  for (guint i = 0; i < hl_trace_get_n_events (a); i++)
    {
      g_autofree char *where = g_strdup_printf ("events[%u]", i);

      if (!same_event (why, where, hl_trace_get_event (a, i), hl_trace_get_event (b, i)))
        return FALSE;
    }

  if (!same_items (why, "secrets", hl_trace_get_secrets (a), hl_trace_get_secrets (b),
                   same_secret) ||
      !same_items (why, "negotiated", hl_trace_get_negotiated (a), hl_trace_get_negotiated (b),
                   same_negotiated) ||
      !same_items (why, "verifications", hl_trace_get_verifications (a),
                   hl_trace_get_verifications (b), same_verification))
    return FALSE;

  if (!same_live (why, hl_trace_get_live (a), hl_trace_get_live (b)) ||
      !same_attacker (why, hl_trace_get_attacker (a), hl_trace_get_attacker (b)))
    return FALSE;

  return same_outcome (why, hl_trace_get_outcome (a), hl_trace_get_outcome (b)) &&
         same_chain (why, "server_chain", hl_trace_get_server_chain (a),
                     hl_trace_get_server_chain (b)) &&
         same_chain (why, "client_chain", hl_trace_get_client_chain (a),
                     hl_trace_get_client_chain (b)) &&
         same_bytes (why, "certificates", "ca", hl_trace_get_ca_certificate (a),
                     hl_trace_get_ca_certificate (b)) &&
         same_bytes (why, "", "server_key", hl_trace_get_server_key (a),
                     hl_trace_get_server_key (b));
}
