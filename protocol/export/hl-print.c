/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-print"
#include "config.h"

#include "hl-print.h"
#include "hl-certificate.h"
#include "hl-keyschedule-ladder.h"
#include "hl-record-internals.h"
#include "hl-trace-decode.h"

char *
hl_bytes_to_hex (GBytes *bytes)
{
  gsize n;
  const guint8 *p;
  char *hex, *q;
  static const char digits[] = "0123456789abcdef";

  if (bytes == NULL)
    return g_strdup ("");
  p = g_bytes_get_data (bytes, &n);
  q = hex = g_malloc (n * 2 + 1);
  for (gsize i = 0; i < n; i++)
    {
      *q++ = digits[p[i] >> 4];
      *q++ = digits[p[i] & 0xf];
    }
  *q = '\0';
  return hex;
}

/* Left to right as the diagram draws them: client, attacker, server. */
static int
column (HlSide side)
{
  switch (side)
    {
    case HL_SIDE_CLIENT: return 0;
    case HL_SIDE_ATTACKER: return 1;
    case HL_SIDE_SERVER: return 2;
    default: return -1;
    }
}

static const char *
arrow (HlEvent *event)
{
  static const char *const right[3][3] = {
    { "", "C → A", "C → S" }, { "", "", "A → S" }, { "", "", "" },
  };
  static const char *const left[3][3] = {
    { "", "C ← A", "C ← S" }, { "", "", "A ← S" }, { "", "", "" },
  };
  HlSide side = hl_event_get_side (event);
  HlSide peer = hl_event_get_peer (event);
  int from = column (side), to = column (peer);

  if (hl_event_get_kind (event) == HL_EVENT_ACTION)
    return peer != HL_SIDE_CA ? "" : side == HL_SIDE_SERVER ? "server ·· CA"
                                   : side == HL_SIDE_ATTACKER ? "attacker ·· CA"
                                                              : "client ·· CA";
  if (from < 0 || to < 0)
    return "";
  return from < to ? right[from][to] : left[to][from];
}

char *
hl_event_dup_when (HlEvent *event)
{
  gint64 sent = hl_event_get_sent_timestamp (event);
  gint64 shown = hl_event_get_timestamp (event);

  switch (hl_event_get_moment (event))
    {
    case HL_MOMENT_PROCESSED:
      if (sent >= 0 && shown - sent >= 1000)
        return g_strdup_printf ("processed · sent %.1f ms earlier", (shown - sent) / 1000.0);
      if (sent >= 0 && shown > sent)
        return g_strdup_printf ("processed · sent %" G_GINT64_FORMAT " µs earlier", shown - sent);
      return g_strdup (sent >= 0 ? "processed" : "processed · sent by the peer");
    case HL_MOMENT_SENT:
      return g_strdup ("sent");
    case HL_MOMENT_UNREAD:
      return g_strdup ("sent · never read");
    default:
      return g_strdup ("");
    }
}

/* --verbose: the field tree under its event, indented past the event columns. */
static void
print_fields (HlTrace *trace, HlEvent *event, GString *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) root = hl_trace_decode_with_internals (trace, event, &error);
  g_autoptr(HlField) inner = NULL;

  if (error)
    {
      g_string_append_printf (out, "        (does not decode: %s)\n", error->message);
      return;
    }
  if (root)
    hl_field_print (root, out, 8);
  inner = hl_trace_decode_plaintext (trace, event, &error);
  if (error)
    g_string_append_printf (out, "        (decrypted content does not decode: %s)\n",
                            error->message);
  else if (inner)
    {
      g_string_append (out, "        decrypted content:\n");
      hl_field_print (inner, out, 10);
    }
}

/* Whether a technical line already names the keys (a record's says "· plaintext ·"). */
static gboolean
says_keys (const char *technical, const char *keys)
{
  g_autofree char *inner = g_strdup_printf (" · %s ·", keys);
  g_autofree char *tail = g_strdup_printf (" · %s", keys);

  return strstr (technical, inner) != NULL || g_str_has_suffix (technical, tail);
}

static void
print_events (HlTrace *trace, HlPrintFlags flags, GString *out)
{
  guint n = hl_trace_get_n_events (trace);
  guint last_handshake = 0;
  int width = hl_trace_get_attacker (trace) != NULL ? 8 : 6;

  g_string_append (out, hl_trace_is_order_approximate (trace)
                          ? "Events (as they were sent: this file is from an older version, so "
                            "what a receiver did may stand before the message)\n"
                          : "Events (each wire item where its receiver processed it)\n");
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlEventKind kind = hl_event_get_kind (event);
      HlCheck check = hl_event_get_check (event);
      const char *mark = check == HL_CHECK_OK ? " ✓" : check == HL_CHECK_FAILED ? " ✗" : "";
      const char *direction = arrow (event);
      g_autofree char *when = hl_event_dup_when (event);

      if (hl_event_get_handshake (event) != last_handshake)
        {
          last_handshake = hl_event_get_handshake (event);
          g_string_append_printf (out, "  — connection %u —\n", last_handshake + 1);
        }
      g_string_append_printf (out, "%4u  %-*s %-8s %-11s %-42s %6" G_GSIZE_FORMAT " B%s  %s\n",
                              i, width, hl_side_to_string (hl_event_get_side (event)),
                              hl_event_kind_to_string (kind),
                              *direction ? direction : "", hl_event_get_name (event),
                              hl_event_get_length (event), mark,
                              hl_event_get_caption (event));
      if (*when)
        g_string_append_printf (out, "      when: %s\n", when);
      if ((kind == HL_EVENT_RECORD || kind == HL_EVENT_MESSAGE) &&
          !says_keys (hl_event_get_technical (event), hl_event_keys_text (trace, event)))
        g_string_append_printf (out, "      %s · %s\n", hl_event_get_technical (event),
                                hl_event_keys_text (trace, event));
      else if (*hl_event_get_technical (event))
        g_string_append_printf (out, "      %s\n", hl_event_get_technical (event));
      if (flags & HL_PRINT_VERBOSE)
        print_fields (trace, event, out);
    }
}

const char *
hl_event_keys_text (HlTrace *trace, HlEvent *event)
{
  switch (hl_event_get_epoch (event))
    {
    case HL_EPOCH_HANDSHAKE:
      return "handshake traffic keys";
    case HL_EPOCH_APPLICATION:
      return hl_trace_handshake_is_tls13 (trace, hl_event_get_handshake (event))
               ? "application traffic keys" : "session keys";
    case HL_EPOCH_PLAINTEXT:
    default:
      return "plaintext";
    }
}

static const char *
yes_no (gboolean v)
{
  return v ? "yes" : "no";
}

static gboolean
finished (const HlNegotiated *neg)
{
  return neg->cipher_suite != NULL;
}

char *
hl_negotiated_dup_version_text (HlTrace *trace, const HlNegotiated *neg)
{
  gboolean server_hello = FALSE;

  if (finished (neg) || neg->version == NULL)
    return g_strdup (neg->version ? neg->version : "—");
  for (guint i = 0; i < hl_trace_get_n_events (trace) && !server_hello; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      server_hello = hl_event_get_handshake (event) == neg->handshake &&
                     hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
                     g_strcmp0 (hl_event_get_name (event), "ServerHello") == 0;
    }
  return server_hello ? g_strdup_printf ("%s (the handshake did not finish)", neg->version)
                      : g_strdup_printf ("not negotiated (the client offered %s)", neg->version);
}

char *
hl_negotiated_dup_ems_etm_text (const HlNegotiated *neg)
{
  if (neg->version && g_str_equal (neg->version, "TLS1.3"))
    return g_strdup ("not applicable (TLS 1.3 hashes the transcript into every secret and "
                     "uses AEAD only)");
  if (!finished (neg))
    return g_strdup ("not reached");
  return g_strdup_printf ("%s / %s", yes_no (neg->ems), yes_no (neg->etm));
}

const char *
hl_negotiated_alpn_text (const HlNegotiated *neg)
{
  if (neg->alpn != NULL)
    return neg->alpn;
  return finished (neg) ? "none selected" : "not reached";
}

const char *
hl_negotiated_flag_text (const HlNegotiated *neg, gboolean value)
{
  return finished (neg) ? yes_no (value) : "not reached";
}

static gboolean
resumed_tls12 (const HlNegotiated *neg)
{
  return neg->resumed && g_strcmp0 (neg->version, "TLS1.2") == 0;
}

char *
hl_negotiated_dup_kx_text (const HlNegotiated *neg)
{
  /* the suite names a key exchange, but an abbreviated handshake runs none (RFC 5246 §7.3) */
  if (resumed_tls12 (neg) && neg->kx)
    return g_strdup_printf ("none (resumed; the suite names %s)", neg->kx);
  return g_strdup (neg->kx ? neg->kx : "—");
}

char *
hl_negotiated_dup_group_text (const HlNegotiated *neg)
{
  /* older traces stored the group GnuTLS reported for the resumed session */
  if (resumed_tls12 (neg))
    return g_strdup ("none (resumed: no key exchange)");
  return g_strdup (neg->group ? neg->group : "—");
}

char *
hl_negotiated_dup_session_id_text (HlTrace *trace, const HlNegotiated *neg)
{
  gboolean ticket = FALSE;

  if (g_strcmp0 (neg->version, "TLS1.3") == 0)
    return g_strdup ("not used (TLS 1.3 resumes with PSK identities; legacy_session_id only "
                     "echoes the client's)");
  if (neg->session_id == NULL)
    return g_strdup ("—");
  if (g_bytes_get_size (neg->session_id) > 0)
    return hl_bytes_to_hex (neg->session_id);
  for (guint i = 0; i < hl_trace_get_n_events (trace) && !ticket; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      ticket = hl_event_get_handshake (event) == neg->handshake &&
               hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
               g_strcmp0 (hl_event_get_name (event), "NewSessionTicket") == 0;
    }
  /* RFC 5246 §7.4.1.3: an empty session_id means the session cannot be resumed by its ID */
  return g_strdup (ticket ? "empty (the server sent a ticket)"
                          : "empty (the server will not resume this session by ID)");
}

static void
print_negotiated (HlTrace *trace, GString *out)
{
  GPtrArray *negs = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negs->len; i++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, i);
      g_autofree char *cr = hl_bytes_to_hex (neg->client_random);
      g_autofree char *sr = hl_bytes_to_hex (neg->server_random);
      g_autofree char *version = hl_negotiated_dup_version_text (trace, neg);
      g_autofree char *ems_etm = hl_negotiated_dup_ems_etm_text (neg);
      g_autofree char *kx = hl_negotiated_dup_kx_text (neg);
      g_autofree char *group = hl_negotiated_dup_group_text (neg);
      g_autofree char *session_id = hl_negotiated_dup_session_id_text (trace, neg);

      g_string_append_printf (out, "\nNegotiated (connection %u)\n", neg->handshake + 1);
      g_string_append_printf (out, "  version        %s\n", version);
      g_string_append_printf (out, "  cipher suite   %s\n",
                              neg->cipher_suite ? neg->cipher_suite : "—");
      g_string_append_printf (out, "  key exchange   %s\n", kx);
      g_string_append_printf (out, "  cipher / MAC   %s / %s\n", neg->cipher ? neg->cipher : "—",
                              neg->mac ? neg->mac : "—");
      g_string_append_printf (out, "  group          %s\n", group);
      g_string_append_printf (out, "  signature      %s\n",
                              neg->signature ? neg->signature : "—");
      g_string_append_printf (out, "  EMS / ETM      %s\n", ems_etm);
      g_string_append_printf (out, "  ALPN           %s\n", hl_negotiated_alpn_text (neg));
      g_string_append_printf (out, "  resumed        %s\n",
                              hl_negotiated_flag_text (neg, neg->resumed));
      g_string_append_printf (out, "  client cert    %s\n",
                              hl_negotiated_flag_text (neg, neg->client_auth));
      g_string_append_printf (out, "  client random  %s\n", *cr ? cr : "—");
      g_string_append_printf (out, "  server random  %s\n", *sr ? sr : "—");
      g_string_append_printf (out, "  session ID     %s\n", session_id);
    }
}

/* Live traces: who the other side was, and what we could and could not see of it. */
static void
print_live (HlTrace *trace, GString *out)
{
  const HlLive *live = hl_trace_get_live (trace);
  HlSide remote;

  if (live == NULL)
    return;
  remote = live->local == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  g_string_append (out, "Live\n");
  g_string_append_printf (out, "  ours           the %s (this GnuTLS)\n",
                          hl_side_to_string (live->local));
  g_string_append_printf (out, "  peer           the %s at %s\n", hl_side_to_string (remote),
                          live->address ? live->address : "?");
  if (live->server_name)
    g_string_append_printf (out, "  server name    %s\n", live->server_name);
  if (live->software)
    g_string_append_printf (out, "  software       %s (as it says of itself)\n", live->software);
  if (live->trust)
    g_string_append_printf (out, "  trust          %s\n", live->trust);
  g_string_append_printf (out, "  bytes          %" G_GUINT64_FORMAT " sent, %" G_GUINT64_FORMAT
                          " received%s\n", live->bytes_sent, live->bytes_received,
                          live->truncated ? "; capture stopped at its size limit" : "");
  g_string_append_printf (out, "  unknown        the %s's private key and key share stay with "
                          "it\n\n", hl_side_to_string (remote));
}

static void
print_chain (const char *title, GPtrArray *chain, GString *out)
{
  for (guint i = 0; i < chain->len; i++)
    {
      g_autoptr(HlCertInfo) info = hl_cert_info_new (g_ptr_array_index (chain, i), NULL);

      if (info == NULL)
        g_string_append_printf (out, "  %s[%u]  (not a readable certificate)\n", title, i);
      else
        g_string_append_printf (out, "  %s[%u]  %s\n             issued by %s\n", title, i,
                                info->subject, info->issuer);
    }
}

static void
print_chains (HlTrace *trace, GString *out)
{
  GBytes *ca = hl_trace_get_ca_certificate (trace);
  const HlAttacker *attacker = hl_trace_get_attacker (trace);

  if (hl_trace_get_server_chain (trace)->len == 0 && hl_trace_get_client_chain (trace)->len == 0)
    return;
  g_string_append (out, "\nCertificates\n");
  print_chain ("server", hl_trace_get_server_chain (trace), out);
  print_chain ("client", hl_trace_get_client_chain (trace), out);
  if (attacker != NULL)
    print_chain ("attacker", attacker->chain, out);
  if (ca != NULL)
    {
      g_autoptr(HlCertInfo) info = hl_cert_info_new (ca, NULL);

      g_string_append_printf (out, "  trust anchor  %s\n", info ? info->subject : "?");
    }
  if (attacker != NULL && attacker->ca_certificate != NULL)
    {
      g_autoptr(HlCertInfo) info = hl_cert_info_new (attacker->ca_certificate, NULL);

      g_string_append_printf (out, "  attacker's CA %s — %s\n", info ? info->subject : "?",
                              attacker->trusted ? "in the client's trust store"
                                                : "not in the client's trust store");
    }
}

static void
print_verifications (HlTrace *trace, GString *out)
{
  GPtrArray *vs = hl_trace_get_verifications (trace);
  const HlOutcome *o = hl_trace_get_outcome (trace);

  g_string_append (out, "\nVerification\n");
  if (vs->len == 0)
    g_string_append (out, "  (no certificate was verified)\n");
  for (guint i = 0; i < vs->len; i++)
    {
      const HlVerification *v = g_ptr_array_index (vs, i);
      HlSide client, server;

      hl_trace_get_endpoints (trace, v->handshake, &client, &server);
      g_string_append_printf (out, "  %s checked the %s's chain%s%s: %s — %s\n",
                              hl_side_to_string (v->verifier),
                              hl_side_to_string (v->verifier == client ? server : client),
                              v->hostname ? " for " : "", v->hostname ? v->hostname : "",
                              v->trusted ? "trusted" : "NOT trusted", v->text);
    }

  g_string_append (out, "\nOutcome\n");
  g_string_append_printf (out, "  client  %s\n", o->client_ok ? "finished"
                                                  : o->client_error ? o->client_error : "—");
  g_string_append_printf (out, "  server  %s\n", o->server_ok ? "finished"
                                                  : o->server_error ? o->server_error : "—");
  if (o->alert_sender != HL_SIDE_NONE)
    g_string_append_printf (out, "  fatal alert %s (%u) sent by the %s\n",
                            hl_alert_description_name (o->alert) ? hl_alert_description_name (o->alert)
                                                                 : "?",
                            o->alert, hl_side_to_string (o->alert_sender));
}

static void
print_plaintext (const char *label, HlEvent *event, GString *out)
{
  GBytes *bytes = hl_event_get_bytes (event);
  gsize n = bytes ? g_bytes_get_size (bytes) : 0;
  g_autofree char *text = g_strndup (n ? g_bytes_get_data (bytes, NULL) : "", n);
  g_autofree char *escaped = g_strescape (text, NULL);

  g_string_append_printf (out, "  %-14s %s (event %u, %" G_GSIZE_FORMAT " bytes)\n", label,
                          escaped, hl_event_get_index (event), n);
}

/* Attack scenarios: who talks to whom, what the client trusts, and what the attacker read and
 * passed on — all from the trace's own events. */
static void
print_attack (HlTrace *trace, GString *out)
{
  const HlAttacker *attacker = hl_trace_get_attacker (trace);
  const HlOutcome *outcome = hl_trace_get_outcome (trace);
  guint server_data = 0;
  guint relayed = 0;

  if (attacker == NULL)
    return;
  g_string_append (out, "Attack\n");
  g_string_append (out, "  participants   Client, Attacker, Server, Certificate Authority\n");
  g_string_append (out, "  connection 1   client ⇄ attacker (the attacker plays the server)\n");
  g_string_append (out, "  connection 2   attacker ⇄ server (the attacker plays the client)\n");
  g_string_append_printf (out, "  client trusts  %s\n",
                          attacker->unchecked ? "anything: it does not check certificates"
                          : attacker->trusted ? "the demo CA and the attacker's CA"
                                              : "the demo CA only");
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int from = hl_event_get_forwarded (event);

      if (hl_event_get_kind (event) != HL_EVENT_APP_DATA)
        continue;
      if (hl_event_get_peer (event) == HL_SIDE_SERVER)
        server_data++;
      if (from < 0)
        continue;
      relayed++;
      print_plaintext ("attacker read", hl_trace_get_event (trace, (guint) from), out);
      print_plaintext ("then forwarded", event, out);
    }
  if (relayed == 0 && outcome->alert_sender != HL_SIDE_NONE)
    g_string_append_printf (out, "  attacker read  nothing: the %s ended the handshake with %s "
                            "before any data was sent\n", hl_side_to_string (outcome->alert_sender),
                            hl_alert_description_name (outcome->alert)
                              ? hl_alert_description_name (outcome->alert) : "an alert");
  g_string_append_printf (out, "  server got     %u application-data item%s\n\n", server_data,
                          server_data == 1 ? "" : "s");
}

/* Hex of a value; very long ones (tickets) shortened to their first 32 bytes and length. */
static char *
secret_hex (GBytes *value)
{
  g_autofree char *hex = hl_bytes_to_hex (value);
  gsize n = value ? g_bytes_get_size (value) : 0;

  if (value == NULL)
    return g_strdup ("(not available)");
  if (n > 64)
    return g_strdup_printf ("%.64s… (%" G_GSIZE_FORMAT " bytes)", hex, n);
  return g_steal_pointer (&hex);
}

static const char *
check_mark (HlCheck check)
{
  return check == HL_CHECK_OK ? "✓" : check == HL_CHECK_FAILED ? "✗" : "·";
}

/* What GnuTLS handed out, then what our own key schedule recomputed from it (hl-keyschedule):
 * formula, inputs, the value, and whether it equals the library's value or the wire. */
static void
print_secrets (HlTrace *trace, GString *out)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  guint n_derived = 0, n_ok = 0, n_failed = 0, n_records = 0, n_records_ok = 0;

  g_string_append (out, "\nSecrets and keys\n");
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);
      g_autofree char *hex = secret_hex (s->value);

      if (s->source == HL_SOURCE_DERIVED || s->formula != NULL)
        {
          n_derived++;
          continue;
        }
      g_string_append_printf (out, "  [%u] %-36s %3" G_GSIZE_FORMAT " B  %-6s %-9s %s\n",
                              s->handshake + 1, s->name,
                              s->value ? g_bytes_get_size (s->value) : 0,
                              hl_side_to_string (s->holder), hl_source_to_string (s->source),
                              hex);
      if (s->note)
        g_string_append_printf (out, "        %s\n", s->note);
    }

  if (n_derived == 0)
    return;
  g_string_append (out, "\nKey schedule (recomputed by Handshake Lens; ✓ equal to GnuTLS's value "
                        "or the wire, ✗ different, · not comparable)\n");
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);
      g_autofree char *hex = NULL;

      if (s->source != HL_SOURCE_DERIVED && s->formula == NULL)
        continue;
      hex = secret_hex (s->value);
      n_ok += s->check == HL_CHECK_OK;
      n_failed += s->check == HL_CHECK_FAILED;
      if (s->value)
        g_string_append_printf (out, "  [%u] %s %-36s %3" G_GSIZE_FORMAT " B  %s\n",
                                s->handshake + 1, check_mark (s->check), s->name,
                                g_bytes_get_size (s->value), hex);
      else
        g_string_append_printf (out, "  [%u] %s %-36s    —  %s\n", s->handshake + 1,
                                check_mark (s->check), s->name, hex);
      if (s->formula)
        g_string_append_printf (out, "          = %s\n", s->formula);
      if (s->inputs && s->inputs[0])
        {
          g_autofree char *inputs = g_strjoinv (", ", s->inputs);

          g_string_append_printf (out, "          inputs: %s\n", inputs);
        }
      if (s->note)
        g_string_append_printf (out, "          %s\n", s->note);
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
  g_string_append_printf (out, "  %u ✓, %u ✗, %u ·; %u of %u protected records decrypted to the "
                               "captured plaintext%s\n",
                          n_ok, n_failed, n_derived - n_ok - n_failed, n_records_ok, n_records,
                          n_records_ok == n_records ? "" : " (the others are marked above)");
}

char *
hl_trace_dup_text (HlTrace *trace, HlPrintFlags flags)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);

  g_string_append_printf (out, "%s — %s (GnuTLS %s)\n\n", hl_trace_get_scenario (trace),
                          hl_trace_get_title (trace), hl_trace_get_library_version (trace));
  print_live (trace, out);
  print_attack (trace, out);
  print_events (trace, flags, out);
  print_negotiated (trace, out);
  print_chains (trace, out);
  print_verifications (trace, out);
  print_secrets (trace, out);
  if (flags & HL_PRINT_VERBOSE)
    hl_trace_print_ladders (trace, out);
  return g_string_free (out, FALSE);
}
