/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include "hl-engine-private.h"
#include "hl-engine-parts.h"
#include "hl-reader.h"

/* Negotiated values: what the client's session reports once the handshake is over, and the
 * TLS 1.2 keys and resumption steps no callback reports. */

/* Appends an action that happened right after the event at @after (a step only known once the
 * handshake is over, e.g. that a TLS 1.2 session was resumed): its key puts it there. */
static void
add_action_after (Run *run, guint after, HlSide side, const char *name, const char *caption,
                  const char *technical)
{
  HlEvent *event = add_action (run, side, HL_SIDE_NONE, name, HL_CHECK_NONE, caption, technical);
  guint index = hl_event_get_index (event);
  GArray *keys = run->order != NULL ? run->order->keys : run->keys;

  g_array_index (keys, guint64, index) = g_array_index (keys, guint64, after) + 1;
  hl_event_set_timestamp (event, hl_event_get_timestamp (hl_trace_get_event (run->trace, after)));
}

/* The session_id of this handshake's ServerHello as it went on the wire (RFC 5246 §7.4.1.3), or
 * NULL when there was none. GnuTLS's own idea of the ID is no substitute: a client that got a
 * ticket makes one up locally for the next ClientHello (RFC 5077 §3.4). */
static GBytes *
server_hello_session_id (Run *run)
{
  for (guint i = 0; i < hl_trace_get_n_events (run->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);
      g_auto(HlReader) reader = { 0 };
      HlReader sid;
      HlSpan skip, id;

      if (hl_event_get_handshake (event) != run->handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          g_strcmp0 (hl_event_get_name (event), "ServerHello") != 0 ||
          hl_event_get_bytes (event) == NULL)
        continue;
      /* header (4), legacy_version (2), random (32), then session_id<0..32> */
      hl_reader_init (&reader, hl_event_get_bytes (event), 0);
      if (hl_reader_read_bytes (&reader, 4 + 2 + 32, "ServerHello", &skip) &&
          hl_reader_read_vector8 (&reader, "session_id", &sid) &&
          hl_reader_read_rest (&sid, "session_id", &id))
        return hl_span_dup_bytes (&id);
      return NULL;
    }
  return NULL;
}

/* What the client's session (@c) reports; @known: the handshake completed, so the choices are
 * final. */
static HlNegotiated *
read_negotiated (Run *run, Peer *c, gboolean known)
{
  gnutls_session_t s = c->session;
  HlNegotiated *neg = g_new0 (HlNegotiated, 1);
  gnutls_datum_t cr = { 0 }, sr = { 0 }, id = { 0 };
  gnutls_protocol_t version = gnutls_protocol_get_version (s);
  gnutls_group_t group = gnutls_group_get (s);
  gnutls_sign_algorithm_t sign = gnutls_sign_algorithm_get (s);

  neg->handshake = run->handshake;
  if (version != GNUTLS_VERSION_UNKNOWN)
    neg->version = g_strdup (gnutls_protocol_get_name (version));
  if (known)
    {
      neg->cipher_suite = g_strdup (gnutls_ciphersuite_get (s));
      if (version == GNUTLS_TLS1_3)
        neg->kx = g_strdup (gnutls_session_is_resumed (s) ? "PSK + (EC)DHE" : "(EC)DHE");
      else
        neg->kx = g_strdup (gnutls_kx_get_name (gnutls_kx_get (s)));
      neg->cipher = g_strdup (gnutls_cipher_get_name (gnutls_cipher_get (s)));
      neg->mac = g_strdup (gnutls_mac_get_name (gnutls_mac_get (s)));
      /* a resumed TLS 1.2 handshake has no key exchange: GnuTLS still reports the group of the
       * session it resumed (RFC 5077 §3.1) */
      if (group != GNUTLS_GROUP_INVALID &&
          !(version != GNUTLS_TLS1_3 && gnutls_session_is_resumed (s)))
        neg->group = g_strdup (gnutls_group_get_name (group));
      if (sign != GNUTLS_SIGN_UNKNOWN)
        neg->signature = g_strdup (gnutls_sign_get_name (sign));
      neg->ems = gnutls_session_ext_master_secret_status (s) != 0;
      neg->etm = gnutls_session_etm_status (s) != 0;
      neg->resumed = gnutls_session_is_resumed (s) != 0;
      neg->client_auth = gnutls_certificate_get_ours (s) != NULL;
    }
  gnutls_session_get_random (s, &cr, &sr);
  if (cr.size)
    neg->client_random = datum_bytes (&cr);
  if (sr.size && known)
    neg->server_random = datum_bytes (&sr);
  if (version != GNUTLS_TLS1_3)
    neg->session_id = server_hello_session_id (run);
  else if (gnutls_session_get_id2 (s, &id) == 0 && id.size > 0)
    neg->session_id = datum_bytes (&id);
  return neg;
}

/* The ServerHello's caption names the suite, known only now. */
static void
name_suite (Run *run, const HlNegotiated *neg)
{
  /* GnuTLS says "TLS1.2"; people write "TLS 1.2" */
  g_autofree char *pretty = g_str_has_prefix (neg->version, "TLS1.")
                              ? g_strdup_printf ("TLS %s", neg->version + 3)
                              : g_strdup (neg->version);
  g_autofree char *cap = g_strdup_printf ("The server answers with its choice from the "
                                          "client's offer — %s with %s — and its own random "
                                          "value.", pretty, neg->cipher_suite);

  for (guint i = 0; i < hl_trace_get_n_events (run->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);

      if (hl_event_get_handshake (event) == run->handshake &&
          hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          g_str_equal (hl_event_get_name (event), "ServerHello"))
        hl_event_set_caption (event, cap);
    }
}

static void
add_resumption_steps (Run *run)
{
  for (guint i = 0; i < hl_trace_get_n_events (run->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);
      gboolean sh = g_strcmp0 (hl_event_get_name (event), "ServerHello") == 0;

      if (hl_event_get_handshake (event) != run->handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          (!sh && g_strcmp0 (hl_event_get_name (event), "ClientHello") != 0))
        continue;
      if (sh)
        add_action_after (run, i, HL_SIDE_CLIENT, "Resume the session",
                          "The server accepted the ticket: the client takes the master secret "
                          "of the earlier session and expands it with the two new random "
                          "values into this connection's session keys — no certificates, no "
                          "key exchange.",
                          "session resumed · key_block = PRF(master_secret, \"key expansion\", "
                          "server_random ‖ client_random) (RFC 5077, RFC 5246 §6.3)");
      else
        add_action_after (run, i, HL_SIDE_SERVER, "Resume the session",
                          "The server opens the client's ticket with its ticket key, finds the "
                          "master secret of the earlier session in it, and expands it with the "
                          "two new random values into this connection's session keys.",
                          "ticket decrypted with the server's ticket key (RFC 5077 §4) · "
                          "key_block = PRF(master_secret, \"key expansion\", server_random ‖ "
                          "client_random)");
    }
}

static void
add_tls12_keys (Run *run, gnutls_session_t s, gboolean resumed)
{
  if (hl_trace_find_secret (run->trace, "master_secret", run->handshake) == NULL)
    {
      gnutls_datum_t ms = { 0 };
      g_autoptr(GBytes) value = NULL;

      gnutls_session_get_master_secret (s, &ms);
      value = datum_bytes (&ms);
      add_secret (run, "master_secret", "Master secret", value, HL_SIDE_BOTH,
                  HL_SOURCE_LIBRARY, resumed ? "Reused from the resumed session." : NULL);
    }
  for (guint i = 0; i < 2; i++)
    if (run->peers[i].session != NULL)
      hl_engine_add_record_state (&run->peers[i], HL_EPOCH_APPLICATION, TRUE, TRUE);
}

void
hl_engine_collect_negotiated (Run *run)
{
  /* the client's view, or ours when the client is a remote peer */
  Peer *c = peer_of (run, run->local == HL_SIDE_SERVER ? HL_SIDE_SERVER : HL_SIDE_CLIENT);
  gnutls_protocol_t version = gnutls_protocol_get_version (c->session);
  gboolean known = version != GNUTLS_VERSION_UNKNOWN && c->state == PEER_DONE;
  HlNegotiated *neg = read_negotiated (run, c, known);

  hl_trace_add_negotiated (run->trace, neg);
  if (neg->cipher_suite)
    name_suite (run, neg);
  if (c->session != NULL)
    neg->alpn = hl_engine_collect_hellos (run, version == GNUTLS_TLS1_3, c->session);

  /* A resumed TLS 1.2 handshake reports no key derivation (no key log call, no hook for it):
   * each side took the master secret of the ticket when it read the other's hello (RFC 5077
   * §3.1) and expanded it with the new random values. */
  if (known && version != GNUTLS_TLS1_3 && neg->resumed && run->local == HL_SIDE_NONE)
    add_resumption_steps (run);

  /* TLS 1.2 keys: the key block's pieces as the record layer uses them. A resumed TLS 1.2
   * session never calls the key log, so take its master secret directly. */
  if (known && version != GNUTLS_TLS1_3)
    {
      add_tls12_keys (run, c->session, neg->resumed);
      hl_engine_describe_tls12_records (run);
    }
}

void
hl_engine_flush_leftovers (Run *run)
{
  /* Items GnuTLS queued but never put on the wire (a flight cut short by a failure). */
  for (guint i = 0; i < 2; i++)
    {
      HlEvent *item;

      while ((item = g_queue_pop_head (&run->peers[i].pending)))
        g_object_unref (item);
    }
}
