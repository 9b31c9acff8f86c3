/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-keyschedule"
#include "config.h"

#include <string.h>

#include "hl-error.h"
#include "hl-kdf.h"
#include "hl-keyschedule-private.h"
#include "hl-reader.h"
#include "hl-tls-names.h"

/*
 * The key schedule, wire facts (see hl-keyschedule-private.h): what the ServerHello, the
 * ClientHello and the NewSessionTicket messages of a handshake say, read from their bytes; and
 * whether a resumption presents a ticket an earlier handshake handed out.
 */

/* RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with this random. */
static const guint8 hrr_random[HL_TLS_RANDOM_SIZE] = {
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* --- Wire facts ------------------------------------------------------------------------------ */

typedef struct
{
  GBytes   *random;
  guint16   suite;
  gboolean  tls13;
  gboolean  ems;
  gboolean  etm;
  gboolean  psk;
} ServerHelloFacts;

/* Opens a framed handshake message (4-byte header + body) of @type. */
static gboolean
open_message (HlReader *reader, GBytes *bytes, guint8 type, const char *scope, HlReader *body)
{
  guint8 t = 0;

  hl_reader_init (reader, bytes, 0);
  hl_reader_set_scope (reader, scope);
  if (!hl_reader_read_u8 (reader, "msg_type", &t))
    return FALSE;
  if (t != type)
    return hl_reader_fail (reader, HL_PARSE_ERROR_BAD_VALUE, 0, "msg_type",
                           "handshake type %u, expected %u", t, type);
  return hl_reader_read_vector24 (reader, "body", body);
}

/* RFC 5246 §7.4.1.3, RFC 8446 §4.1.3. */
static gboolean
parse_server_hello (GBytes *bytes, ServerHelloFacts *out, GError **error)
{
  g_auto(HlReader) reader = { 0 };
  HlReader body, sid, exts;
  HlSpan random;
  guint16 version = 0;
  guint8 compression = 0;

  memset (out, 0, sizeof *out);
  if (!open_message (&reader, bytes, HT_SERVER_HELLO, "ServerHello", &body) ||
      !hl_reader_read_u16 (&body, "legacy_version", &version) ||
      !hl_reader_read_bytes (&body, HL_TLS_RANDOM_SIZE, "random", &random) ||
      !hl_reader_read_vector8 (&body, "session_id", &sid) ||
      !hl_reader_read_u16 (&body, "cipher_suite", &out->suite) ||
      !hl_reader_read_u8 (&body, "compression_method", &compression))
    return !hl_reader_propagate_error (&reader, error);
  out->random = hl_span_dup_bytes (&random);

  if (!hl_reader_is_empty (&body) && hl_reader_read_vector16 (&body, "extensions", &exts))
    while (!hl_reader_is_empty (&exts))
      {
        HlReader data;
        guint16 type = 0, selected = 0;

        if (!hl_reader_read_u16 (&exts, "extension_type", &type) ||
            !hl_reader_read_vector16 (&exts, "extension_data", &data))
          break;
        if (type == EXT_EXTENDED_MASTER_SECRET)
          out->ems = TRUE;
        else if (type == EXT_ENCRYPT_THEN_MAC)
          out->etm = TRUE;
        else if (type == EXT_PRE_SHARED_KEY)
          out->psk = TRUE;
        else if (type == EXT_SUPPORTED_VERSIONS &&
                 hl_reader_read_u16 (&data, "selected_version", &selected))
          out->tls13 = selected == TLS13_VERSION;
      }
  hl_reader_finish (&body, "ServerHello");
  if (hl_reader_propagate_error (&reader, error))
    {
      g_clear_pointer (&out->random, g_bytes_unref);
      return FALSE;
    }
  return TRUE;
}

/* ClientHello.random, and the ticket it offers for resumption: the session_ticket extension's
 * contents (RFC 5077 §3.2) or the first pre_shared_key identity (RFC 8446 §4.2.11). */
static gboolean
parse_client_hello (GBytes *bytes, GBytes **random_out, GBytes **ticket_out, GError **error)
{
  g_auto(HlReader) reader = { 0 };
  HlReader body, sid, suites, compressions, exts;
  HlSpan random;
  guint16 version = 0;
  g_autoptr(GBytes) ticket = NULL;

  if (!open_message (&reader, bytes, HT_CLIENT_HELLO, "ClientHello", &body) ||
      !hl_reader_read_u16 (&body, "legacy_version", &version) ||
      !hl_reader_read_bytes (&body, HL_TLS_RANDOM_SIZE, "random", &random) ||
      !hl_reader_read_vector8 (&body, "session_id", &sid) ||
      !hl_reader_read_vector16 (&body, "cipher_suites", &suites) ||
      !hl_reader_read_vector8 (&body, "compression_methods", &compressions))
    return !hl_reader_propagate_error (&reader, error);

  if (!hl_reader_is_empty (&body) && hl_reader_read_vector16 (&body, "extensions", &exts))
    while (!hl_reader_is_empty (&exts))
      {
        HlReader data, identities, identity;
        HlSpan span;
        guint16 type = 0;

        if (!hl_reader_read_u16 (&exts, "extension_type", &type) ||
            !hl_reader_read_vector16 (&exts, "extension_data", &data))
          break;
        if (type == EXT_SESSION_TICKET && !hl_reader_is_empty (&data) &&
            hl_reader_read_rest (&data, "ticket", &span))
          ticket = hl_span_dup_bytes (&span);
        else if (type == EXT_PRE_SHARED_KEY &&
                 hl_reader_read_vector16 (&data, "identities", &identities) &&
                 hl_reader_read_vector16 (&identities, "identity", &identity) &&
                 hl_reader_read_rest (&identity, "identity", &span))
          {
            g_clear_pointer (&ticket, g_bytes_unref);
            ticket = hl_span_dup_bytes (&span);
          }
      }
  hl_reader_finish (&body, "ClientHello");
  if (hl_reader_propagate_error (&reader, error))
    return FALSE;
  *random_out = hl_span_dup_bytes (&random);
  *ticket_out = g_steal_pointer (&ticket);
  return TRUE;
}

/* The ticket of a NewSessionTicket (RFC 5077 §3.3; RFC 8446 §4.6.1) and, in TLS 1.3, its
 * ticket_nonce. */
static gboolean
parse_new_session_ticket (GBytes *bytes, gboolean tls13, GBytes **ticket_out,
                          GBytes **nonce_out, GError **error)
{
  g_auto(HlReader) reader = { 0 };
  HlReader body, nonce, ticket;
  HlSpan nonce_span = { 0 }, ticket_span = { 0 };
  guint32 lifetime = 0, age_add = 0;

  if (!open_message (&reader, bytes, HT_NEW_SESSION_TICKET, "NewSessionTicket", &body) ||
      !hl_reader_read_u32 (&body, "ticket_lifetime", &lifetime) ||
      (tls13 && (!hl_reader_read_u32 (&body, "ticket_age_add", &age_add) ||
                 !hl_reader_read_vector8 (&body, "ticket_nonce", &nonce) ||
                 !hl_reader_read_rest (&nonce, "ticket_nonce", &nonce_span))) ||
      !hl_reader_read_vector16 (&body, "ticket", &ticket) ||
      !hl_reader_read_rest (&ticket, "ticket", &ticket_span))
    return !hl_reader_propagate_error (&reader, error);
  *ticket_out = hl_span_dup_bytes (&ticket_span);
  if (nonce_out)
    *nonce_out = tls13 ? hl_span_dup_bytes (&nonce_span) : NULL;
  return TRUE;
}

/* The cipher suite's algorithms as GnuTLS knows them. */
static gboolean
lookup_suite (Handshake *hs, GError **error)
{
  const char *iana = hl_tls_cipher_suite_name (hs->suite);

  hs->suite_name = iana;
  for (gsize i = 0;; i++)
    {
      guint8 id[2];
      gnutls_kx_algorithm_t kx;
      gnutls_cipher_algorithm_t cipher;
      gnutls_mac_algorithm_t mac;
      gnutls_protocol_t min_version;
      const char *name = gnutls_cipher_suite_info (i, id, &kx, &cipher, &mac, &min_version);

      if (name == NULL)
        break;
      if (((id[0] << 8) | id[1]) != hs->suite)
        continue;
      hs->cipher = cipher;
      hs->record_mac = mac;
      break;
    }
  if (hs->cipher == GNUTLS_CIPHER_UNKNOWN || hs->cipher == 0 || iana == NULL)
    {
      g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_UNSUPPORTED,
                   "cipher suite 0x%04x is not one GnuTLS knows", hs->suite);
      return FALSE;
    }

  /* RFC 5246 §5: TLS 1.2 suites use the SHA-256 PRF unless they name SHA-384; TLS 1.3 suites
   * name their hash (RFC 8446 §B.4). */
  hs->hash = g_str_has_suffix (iana, "_SHA384") ? GNUTLS_MAC_SHA384 : GNUTLS_MAC_SHA256;
  switch (hs->cipher)
    {
    case GNUTLS_CIPHER_AES_128_GCM:
    case GNUTLS_CIPHER_AES_256_GCM:
    case GNUTLS_CIPHER_CHACHA20_POLY1305:
      hs->cbc = FALSE;
      return TRUE;
    case GNUTLS_CIPHER_AES_128_CBC:
    case GNUTLS_CIPHER_AES_256_CBC:
      hs->cbc = TRUE;
      if (!hs->tls13)
        return TRUE;
      break;
    default:
      break;
    }
  g_set_error (error, HL_RECORD_CRYPTO_ERROR, HL_RECORD_CRYPTO_ERROR_UNSUPPORTED,
               "%s uses %s, which this key schedule does not handle", iana,
               gnutls_cipher_get_name (hs->cipher));
  return FALSE;
}

/* Finds the hellos, the version, the suite and the randoms of @hs. FALSE with hs->unusable set
 * when no keys were agreed or the hellos do not parse. */
gboolean
hl_ks_study_handshake (Handshake *hs)
{
  HlTrace *trace = hs->trace;
  g_autoptr(GError) error = NULL;
  ServerHelloFacts sh = { 0 };

  hs->messages = g_ptr_array_new ();
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_handshake (event) != hs->handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_content_type (event) != HL_CONTENT_HANDSHAKE ||
          hl_event_get_bytes (event) == NULL)
        continue;
      g_ptr_array_add (hs->messages, event);
      if (hl_event_get_handshake_type (event) == HT_CLIENT_HELLO)
        hs->client_hello = event;
      else if (hl_event_get_handshake_type (event) == HT_SERVER_HELLO)
        {
          gsize n;
          const guint8 *p = g_bytes_get_data (hl_event_get_bytes (event), &n);

          /* 4-byte header, 2-byte legacy_version, then the random */
          if (n >= 6 + HL_TLS_RANDOM_SIZE && memcmp (p + 6, hrr_random, HL_TLS_RANDOM_SIZE) == 0)
            hs->hrr = TRUE;
          else if (hs->server_hello == NULL)
            hs->server_hello = event;
        }
    }

  if (hs->server_hello == NULL || hs->client_hello == NULL)
    {
      hs->unusable = g_strdup ("the handshake ended before a ServerHello chose the keys");
      return FALSE;
    }
  if (!parse_server_hello (hl_event_get_bytes (hs->server_hello), &sh, &error) ||
      !parse_client_hello (hl_event_get_bytes (hs->client_hello), &hs->client_random,
                           &hs->offered_ticket, &error))
    {
      g_clear_pointer (&sh.random, g_bytes_unref);
      hs->unusable = g_strdup_printf ("the hellos could not be read: %s", error->message);
      return FALSE;
    }
  hs->server_random = sh.random;
  hs->suite = sh.suite;
  hs->tls13 = sh.tls13;
  hs->ems = sh.ems && !sh.tls13;
  hs->etm = sh.etm && !sh.tls13;
  /* An abbreviated TLS 1.2 handshake goes from ServerHello straight to the server's Finished:
   * no ServerHelloDone (RFC 5246 §7.3, RFC 5077 §3.1). */
  hs->resumed = sh.tls13 ? sh.psk
                         : hl_ks_find_message (hs, HT_SERVER_HELLO_DONE, HL_SIDE_SERVER) < 0 &&
                             hl_ks_find_message (hs, HT_FINISHED, HL_SIDE_SERVER) >= 0;
  if (!lookup_suite (hs, &error))
    {
      hs->unusable = g_strdup (error->message);
      return FALSE;
    }

  /* TLS 1.3 transcripts end with the handshake: NewSessionTicket and KeyUpdate are
   * post-handshake messages (RFC 8446 §4.6). TLS 1.2's NewSessionTicket is part of it
   * (RFC 5077 §3.3). */
  if (hs->tls13)
    for (guint i = hs->messages->len; i-- > 0;)
      {
        int type = hl_event_get_handshake_type (g_ptr_array_index (hs->messages, i));

        if (type == HT_NEW_SESSION_TICKET || type == HT_KEY_UPDATE)
          g_ptr_array_remove_index (hs->messages, i);
      }
  return TRUE;
}
/* --- Resumption ------------------------------------------------------------------------------ */

/* The ticket the ClientHello presents must be one an earlier handshake's NewSessionTicket
 * handed out. In TLS 1.3 the PSK behind it cannot be recomputed: say why. */
void
hl_ks_check_resumption (Handshake *hs)
{
  HlTrace *trace = hs->trace;
  HlEvent *match = NULL;
  guint ticket_handshake = G_MAXUINT, ordinal = 0;
  g_autoptr(GBytes) nonce = NULL;
  HlSecret *secret;
  const char *ext = hs->tls13 ? "pre_shared_key identity" : "session_ticket extension";

  if (!hs->resumed || hs->offered_ticket == NULL)
    return;
  for (guint i = 0; i < hl_trace_get_n_events (trace) && match == NULL; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GBytes) ticket = NULL;
      g_autoptr(GBytes) ticket_nonce = NULL;

      if (hl_event_get_handshake (event) >= hs->handshake ||
          hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_handshake_type (event) != HT_NEW_SESSION_TICKET ||
          hl_event_get_bytes (event) == NULL)
        continue;
      /* counted per connection: "the second NewSessionTicket of connection 1" */
      if (hl_event_get_handshake (event) != ticket_handshake)
        {
          ticket_handshake = hl_event_get_handshake (event);
          ordinal = 0;
        }
      ordinal++;
      if (!parse_new_session_ticket (hl_event_get_bytes (event), hs->tls13, &ticket,
                                     &ticket_nonce, NULL))
        continue;
      if (g_bytes_equal (ticket, hs->offered_ticket))
        {
          match = event;
          nonce = g_steal_pointer (&ticket_nonce);
        }
    }

  secret = hl_secret_new ("resumption_ticket", "Resumption ticket", hs->offered_ticket,
                          HL_SIDE_BOTH, HL_SOURCE_WIRE, hs->handshake);
  secret->formula = g_strdup_printf ("ClientHello %s = ticket of an earlier NewSessionTicket",
                                     ext);
  secret->inputs = g_strsplit ("ClientHello NewSessionTicket", " ", -1);
  if (match)
    {
      secret->check = HL_CHECK_OK;
      static const char *const ordinals[] = { "", "first ", "second ", "third ", "fourth " };

      /* no event number: the window counts steps, not events */
      secret->note = g_strdup_printf ("The ClientHello's %s is the ticket of the %s"
                                      "NewSessionTicket of connection %u.", ext,
                                      ordinal < G_N_ELEMENTS (ordinals) ? ordinals[ordinal]
                                                                        : "",
                                      hl_event_get_handshake (match) + 1);
    }
  else
    {
      secret->check = HL_CHECK_FAILED;
      secret->note = g_strdup_printf ("The ClientHello's %s matches no NewSessionTicket of an "
                                      "earlier connection in this trace.", ext);
    }
  g_ptr_array_add (hs->out, secret);

  if (hs->tls13 && match && nonce)
    {
      /* RFC 8446 §4.6.1: the nonce that makes this ticket's PSK unique; on the wire. */
      secret = hl_secret_new ("ticket_nonce", "Ticket nonce", nonce, HL_SIDE_BOTH,
                              HL_SOURCE_WIRE, hs->handshake);
      secret->formula = g_strdup ("NewSessionTicket.ticket_nonce of the ticket this ClientHello "
                                  "presents");
      secret->inputs = g_strsplit ("NewSessionTicket", " ", -1);
      secret->check = HL_CHECK_OK;
      secret->note = g_strdup_printf ("Read from the NewSessionTicket of connection %u (event "
                                      "%u), whose ticket is the ClientHello's pre_shared_key "
                                      "identity; %" G_GSIZE_FORMAT " byte%s.",
                                      hl_event_get_handshake (match) + 1,
                                      hl_event_get_index (match), g_bytes_get_size (nonce),
                                      g_bytes_get_size (nonce) == 1 ? "" : "s");
      g_ptr_array_add (hs->out, secret);
    }
  if (hs->tls13)
    {
      g_autofree char *nonce_hex = nonce ? hl_ks_short_hex (nonce) : g_strdup ("?");

      secret = hl_ks_add_hidden (hs, "resumption_psk.derived", "Resumption PSK",
                        "HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce, "
                        "Hash.length)",
                        g_strdup_printf ("Not re-derived: the PSK comes from the earlier "
                                         "connection's resumption master secret "
                                         "(Derive-Secret(master_secret, \"res master\", "
                                         "ClientHello…client Finished)) and the ticket_nonce "
                                         "(%s%s), and GnuTLS exposes neither the master secret nor "
                                         "the resumption master secret. Without the PSK the early "
                                         "secret, the binder key and the PSK binder in the "
                                         "ClientHello cannot be recomputed either; "
                                         "CLIENT_EARLY_TRAFFIC_SECRET is logged by GnuTLS but no "
                                         "early data was sent with it.", nonce_hex,
                                         nonce && g_bytes_get_size (nonce) == 0 ? ", empty" : ""));
      if (match && nonce)
        hl_ks_set_inputs (secret, "ticket_nonce");
    }
}
