/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>

#include "hl-engine.h"
#include "hl-error.h"
#include "hl-export.h"
#include "hl-print.h"
#include "hl-trace-io.h"

/* The exact handshake messages each scenario puts on the wire, per direction, in order
 * (connection 1, then connection 2 for the resumption scenarios, separated by "|"). CCS counts
 * as a message; alerts are listed separately. */
typedef struct
{
  const char *id;
  const char *client;       /* messages sent by the client */
  const char *server;       /* messages sent by the server */
  const char *version;      /* negotiated, NULL when the handshake never got there */
  const char *kx;
  const char *cipher;
  gboolean    finished;     /* both sides finished */
  guint       alert;        /* fatal alert description, 0 for none */
  HlSide      alert_sender;
  gboolean    premaster48;  /* RSA: a 48-byte premaster secret starting 03 03 */
  gboolean    resumed;      /* second handshake resumed */
  const char *attacker;     /* messages sent by the attacker in the middle, or NULL */
} Expectation;

#define TLS13_CLIENT "ClientHello ChangeCipherSpec Finished"
#define TLS13_SERVER "ServerHello ChangeCipherSpec EncryptedExtensions Certificate " \
                     "CertificateVerify Finished"

static const Expectation expectations[] = {
  { "tls12-rsa",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerHelloDone ChangeCipherSpec Finished",
    "TLS1.2", "RSA", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, TRUE, FALSE },
  { "tls12-rsa-ems",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerHelloDone ChangeCipherSpec Finished",
    "TLS1.2", "RSA", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, TRUE, FALSE },
  { "tls12-ecdhe-rsa",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerKeyExchange ServerHelloDone ChangeCipherSpec Finished",
    "TLS1.2", "ECDHE-RSA", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls12-ecdhe-ecdsa",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerKeyExchange ServerHelloDone ChangeCipherSpec Finished",
    "TLS1.2", "ECDHE-ECDSA", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls12-cbc",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerHelloDone ChangeCipherSpec Finished",
    "TLS1.2", "RSA", "AES-128-CBC", TRUE, 0, HL_SIDE_NONE, TRUE, FALSE },
  { "tls12-cbc-mte",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerHelloDone ChangeCipherSpec Finished",
    "TLS1.2", "RSA", "AES-128-CBC", TRUE, 0, HL_SIDE_NONE, TRUE, FALSE },
  { "tls12-chacha20",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerKeyExchange ServerHelloDone ChangeCipherSpec Finished",
    "TLS1.2", "ECDHE-RSA", "CHACHA20-POLY1305", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls12-mtls",
    "ClientHello Certificate ClientKeyExchange CertificateVerify ChangeCipherSpec Finished",
    "ServerHello Certificate ServerKeyExchange CertificateRequest ServerHelloDone "
    "ChangeCipherSpec Finished",
    "TLS1.2", "ECDHE-RSA", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls12-resume-ticket",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished | ClientHello ChangeCipherSpec "
    "Finished",
    "ServerHello Certificate ServerKeyExchange ServerHelloDone NewSessionTicket "
    "ChangeCipherSpec Finished | ServerHello ChangeCipherSpec Finished",
    "TLS1.2", "ECDHE-RSA", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, TRUE },
  { "tls12-downgrade-sentinel",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerKeyExchange ServerHelloDone ChangeCipherSpec Finished",
    "TLS1.2", "ECDHE-RSA", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls12-ocsp",
    "ClientHello ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate CertificateStatus ServerKeyExchange ServerHelloDone "
    "ChangeCipherSpec Finished",
    "TLS1.2", "ECDHE-RSA", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls13",
    "ClientHello ChangeCipherSpec Finished",
    "ServerHello ChangeCipherSpec EncryptedExtensions Certificate CertificateVerify Finished",
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls13-x25519",
    "ClientHello ChangeCipherSpec Finished",
    "ServerHello ChangeCipherSpec EncryptedExtensions Certificate CertificateVerify Finished",
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  /* only where the linked GnuTLS offers the group (test_unavailable otherwise) */
  { "tls13-x25519mlkem768",
    "ClientHello ChangeCipherSpec Finished",
    "ServerHello ChangeCipherSpec EncryptedExtensions Certificate CertificateVerify Finished",
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls13-ecdsa",
    "ClientHello ChangeCipherSpec Finished",
    "ServerHello ChangeCipherSpec EncryptedExtensions Certificate CertificateVerify Finished",
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls13-hrr",
    "ClientHello ClientHello ChangeCipherSpec Finished",
    "HelloRetryRequest ChangeCipherSpec ServerHello EncryptedExtensions Certificate "
    "CertificateVerify Finished",
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls13-mtls",
    "ClientHello ChangeCipherSpec Certificate CertificateVerify Finished",
    "ServerHello ChangeCipherSpec EncryptedExtensions CertificateRequest Certificate "
    "CertificateVerify Finished",
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "tls13-resume-psk",
    "ClientHello ChangeCipherSpec Finished | ClientHello ChangeCipherSpec Finished",
    "ServerHello ChangeCipherSpec EncryptedExtensions Certificate CertificateVerify Finished "
    "NewSessionTicket NewSessionTicket | ServerHello ChangeCipherSpec EncryptedExtensions "
    "Finished NewSessionTicket NewSessionTicket",
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, TRUE },
  { "tls13-ocsp",
    "ClientHello ChangeCipherSpec Finished",
    "ServerHello ChangeCipherSpec EncryptedExtensions Certificate CertificateVerify Finished",
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE },
  { "fail-untrusted-ca", "ClientHello",
    "ServerHello Certificate ServerKeyExchange ServerHelloDone",
    NULL, NULL, NULL, FALSE, 48, HL_SIDE_CLIENT, FALSE, FALSE },
  { "fail-expired", "ClientHello",
    "ServerHello Certificate ServerKeyExchange ServerHelloDone",
    NULL, NULL, NULL, FALSE, 45, HL_SIDE_CLIENT, FALSE, FALSE },
  { "fail-hostname", "ClientHello",
    "ServerHello Certificate ServerKeyExchange ServerHelloDone",
    NULL, NULL, NULL, FALSE, 42, HL_SIDE_CLIENT, FALSE, FALSE },
  { "fail-no-shared-cipher", "ClientHello", "",
    NULL, NULL, NULL, FALSE, 40, HL_SIDE_SERVER, FALSE, FALSE },
  { "fail-version-mismatch", "ClientHello", "",
    NULL, NULL, NULL, FALSE, 70, HL_SIDE_SERVER, FALSE, FALSE },
  { "fail-missing-client-cert",
    "ClientHello Certificate ClientKeyExchange ChangeCipherSpec Finished",
    "ServerHello Certificate ServerKeyExchange CertificateRequest ServerHelloDone",
    NULL, NULL, NULL, FALSE, 40, HL_SIDE_SERVER, FALSE, FALSE },
  /* The attacker: connection 2 (to the server) runs first, its ClientHello sent while it
   * holds the client's; then it answers the client (connection 1). The client's lines list its
   * messages to the attacker, the server's its messages to the attacker. */
  { "mitm-rejected", "ClientHello ChangeCipherSpec", "| " TLS13_SERVER,
    NULL, NULL, NULL, FALSE, 48, HL_SIDE_CLIENT, FALSE, FALSE,
    "| ClientHello ChangeCipherSpec Finished | " TLS13_SERVER },
  { "mitm-trusted-ca", TLS13_CLIENT, "| " TLS13_SERVER,
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE,
    "| " TLS13_CLIENT " | " TLS13_SERVER },
  { "mitm-no-check", TLS13_CLIENT, "| " TLS13_SERVER,
    "TLS1.3", "(EC)DHE", "AES-128-GCM", TRUE, 0, HL_SIDE_NONE, FALSE, FALSE,
    "| " TLS13_CLIENT " | " TLS13_SERVER },
  /* the attacker relays bytes: connection 2 holds the ClientHello as the server read it, and
   * connection 1 the ServerHello as the client read it before refusing it */
  { "mitm-downgrade", "ClientHello", "| ServerHello Certificate ServerKeyExchange ServerHelloDone",
    NULL, NULL, NULL, FALSE, 47, HL_SIDE_CLIENT, FALSE, FALSE, "| ClientHello | ServerHello" },
};

static char *
messages_of (HlTrace *trace, HlSide side)
{
  GString *s = g_string_new (NULL);
  guint handshake = 0;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE || hl_event_get_side (event) != side)
        continue;
      if (hl_event_get_handshake (event) != handshake)
        {
          handshake = hl_event_get_handshake (event);
          g_string_append (s, s->len ? " |" : "|");
        }
      g_string_append_printf (s, "%s%s", s->len ? " " : "", hl_event_get_name (event));
    }
  return g_string_free (s, FALSE);
}

/* Every message is carried by an earlier record of the same sender whose bytes hold it. */
static void
check_links (HlTrace *trace, gboolean tls13)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlEventKind kind = hl_event_get_kind (event);
      int r = hl_event_get_record (event);

      g_assert_cmpuint (hl_event_get_index (event), ==, i);
      if (i > 0)
        g_assert_cmpint (hl_event_get_timestamp (event), >=,
                         hl_event_get_timestamp (hl_trace_get_event (trace, i - 1)));
      if (kind == HL_EVENT_RECORD)
        {
          gsize len;
          const guint8 *p = g_bytes_get_data (hl_event_get_bytes (event), &len);

          g_assert_cmpuint (len, >=, 5);
          g_assert_cmpuint (len, ==, 5 + ((p[3] << 8) | p[4]));
          g_assert_cmpuint (p[0], ==, hl_event_get_content_type (event));
        }
      if (kind == HL_EVENT_MESSAGE || kind == HL_EVENT_APP_DATA || kind == HL_EVENT_ALERT)
        {
          HlEvent *record;

          g_assert_cmpint (r, >=, 0);
          g_assert_cmpint (r, <, (int) i);
          record = hl_trace_get_event (trace, r);
          g_assert_cmpint (hl_event_get_kind (record), ==, HL_EVENT_RECORD);
          g_assert_cmpint (hl_event_get_side (record), ==, hl_event_get_side (event));
          if (hl_event_get_epoch (record) == HL_EPOCH_PLAINTEXT &&
              hl_event_get_content_type (record) == HL_CONTENT_HANDSHAKE)
            {
              /* a plaintext record holds the message bytes verbatim */
              gsize rlen, mlen;
              const guint8 *rp = g_bytes_get_data (hl_event_get_bytes (record), &rlen);
              const guint8 *mp = g_bytes_get_data (hl_event_get_bytes (event), &mlen);
              gboolean found = FALSE;

              for (gsize off = 5; off + mlen <= rlen && !found; off++)
                found = memcmp (rp + off, mp, mlen) == 0;
              g_assert_true (found);
            }
          if (hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT)
            g_assert_cmpint (hl_event_get_content_type (record), ==,
                             tls13 ? HL_CONTENT_APPLICATION_DATA
                                   : hl_event_get_content_type (event));
        }
    }
}

static HlTrace *
run_ok (const char *id)
{
  g_autoptr(GError) error = NULL;
  HlTrace *trace = hl_engine_run_scenario (id, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (trace);
  g_assert_true (hl_trace_is_finished (trace));
  return trace;
}

static const HlEvent *
find_alert (HlTrace *trace, guint level)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_ALERT && hl_event_get_alert_level (event) == level)
        return event;
    }
  return NULL;
}

/* One term per version for the keys records are protected with: TLS 1.2 teaches "session keys"
 * (one set, after ChangeCipherSpec), TLS 1.3 "handshake traffic keys" and "application traffic
 * keys" (RFC 8446 §7.3). Neither says the other's, in captions, technical lines, --print and
 * Markdown. */
static void
assert_key_terms (HlTrace *trace)
{
  static const char *const not_tls12[] = {
    "application keys", "application traffic keys", "handshake keys", "handshake traffic keys",
    NULL,
  };
  /* the step names "Derive the handshake keys" / "… application keys" are short labels; what
   * captions and technical lines say is the full term */
  static const char *const not_tls13[] = { "session keys", "handshake keys", "application keys",
                                           NULL };
  static const char *const not_tls13_text[] = { "session keys", NULL };
  gboolean any12 = FALSE, any13 = FALSE;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      gboolean tls13 = hl_trace_handshake_is_tls13 (trace, hl_event_get_handshake (event));
      const char *const *wrong = tls13 ? not_tls13 : not_tls12;
      const char *texts[] = { hl_event_get_caption (event), hl_event_get_technical (event) };

      any12 |= !tls13;
      any13 |= tls13;
      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        for (guint w = 0; wrong[w] != NULL; w++)
          if (texts[t] != NULL && strstr (texts[t], wrong[w]) != NULL)
            g_error ("event %u (%s, TLS 1.%c): “%s” says “%s”", i, hl_event_get_name (event),
                     tls13 ? '3' : '2', texts[t], wrong[w]);
    }
  if (any12 != any13)
    {
      g_autofree char *text = hl_trace_dup_text (trace, HL_PRINT_DEFAULT);
      g_autofree char *markdown = hl_trace_dup_markdown (trace);
      const char *const *wrong = any13 ? not_tls13_text : not_tls12;

      for (guint w = 0; wrong[w] != NULL; w++)
        {
          g_assert_null (strstr (text, wrong[w]));
          g_assert_null (strstr (markdown, wrong[w]));
        }
      /* the right term is there where application data was protected */
      if (hl_trace_get_outcome (trace)->client_ok)
        g_assert_nonnull (strstr (text, any13 ? "application traffic keys" : "session keys"));
    }
}

static void
test_scenario (gconstpointer data)
{
  const Expectation *e = data;
  g_autoptr(HlTrace) trace = run_ok (e->id);
  g_autofree char *client = messages_of (trace, HL_SIDE_CLIENT);
  g_autofree char *server = messages_of (trace, HL_SIDE_SERVER);
  const HlOutcome *outcome = hl_trace_get_outcome (trace);
  GPtrArray *negs = hl_trace_get_negotiated (trace);
  const HlNegotiated *neg = g_ptr_array_index (negs, 0);

  g_autofree char *attacker = messages_of (trace, HL_SIDE_ATTACKER);
  guint n_connections = e->resumed || e->attacker ? 2 : 1;

  g_assert_cmpstr (client, ==, e->client);
  g_assert_cmpstr (server, ==, e->server);
  g_assert_cmpstr (attacker, ==, e->attacker ? e->attacker : "");
  g_assert_true ((hl_trace_get_attacker (trace) != NULL) == (e->attacker != NULL));
  g_assert_cmpuint (negs->len, ==, n_connections);
  g_assert_cmpuint (hl_trace_get_n_handshakes (trace), ==, n_connections);
  g_assert_cmpint (outcome->client_ok, ==, e->finished);
  /* the attacker's connection to the server succeeds either way, unless the attacker only
   * relays (then the server gets the client's alert) */
  g_assert_cmpint (outcome->server_ok, ==,
                   e->finished || (e->attacker && !g_str_equal (e->id, "mitm-downgrade")));
  g_assert_cmpuint (g_bytes_get_size (neg->client_random), ==, 32);
  check_links (trace, hl_scenario_lookup (e->id)->config.version == HL_VERSION_TLS13);
  assert_key_terms (trace);

  if (e->finished)
    {
      g_assert_cmpstr (neg->version, ==, e->version);
      g_assert_cmpstr (neg->kx, ==, e->kx);
      g_assert_cmpstr (neg->cipher, ==, e->cipher);
      g_assert_nonnull (neg->cipher_suite);
      g_assert_cmpint (outcome->alert_sender, ==, HL_SIDE_NONE);
      g_assert_null (find_alert (trace, 2));
      /* request, response and close_notify both ways, per connection */
      g_assert_cmpstr (hl_trace_get_event (trace, hl_trace_get_n_events (trace) - 1) ?
                       hl_event_get_name (hl_trace_get_event (trace,
                                                              hl_trace_get_n_events (trace) - 1))
                       : NULL, ==, "close_notify");
      g_assert_nonnull (hl_trace_find_secret (trace, "master_secret", 0) ?:
                        hl_trace_find_secret (trace, "CLIENT_TRAFFIC_SECRET_0", 0));
      g_assert_cmpuint (hl_trace_get_server_chain (trace)->len, ==, 1);
      g_assert_cmpuint (hl_trace_get_verifications (trace)->len, >=, 1);
      g_assert_true (((HlVerification *) g_ptr_array_index (hl_trace_get_verifications (trace),
                                                            0))->trusted);
    }
  else
    {
      const HlEvent *alert = find_alert (trace, 2);

      g_assert_nonnull (alert);
      g_assert_cmpuint (hl_event_get_alert_description ((HlEvent *) alert), ==, e->alert);
      g_assert_cmpint (hl_event_get_side ((HlEvent *) alert), ==, e->alert_sender);
      g_assert_cmpuint (outcome->alert, ==, e->alert);
      g_assert_cmpint (outcome->alert_sender, ==, e->alert_sender);
      /* the receiver reported exactly that alert (gnutls_alert_get); with an attacker in the
       * middle the attacker received it */
      if (e->attacker)
        g_assert_cmpint (hl_event_get_peer ((HlEvent *) alert), ==, HL_SIDE_ATTACKER);
      else
        g_assert_nonnull (e->alert_sender == HL_SIDE_CLIENT ? outcome->server_error
                                                            : outcome->client_error);
    }

  if (e->premaster48)
    {
      const HlSecret *pms = hl_trace_find_secret (trace, "premaster_secret", 0);
      const guint8 *p;
      gsize len;

      g_assert_nonnull (pms);
      g_assert_nonnull (pms->value);
      p = g_bytes_get_data (pms->value, &len);
      g_assert_cmpuint (len, ==, 48);
      g_assert_cmpuint (p[0], ==, 3);
      g_assert_cmpuint (p[1], ==, 3);
      g_assert_cmpint (pms->source, ==, HL_SOURCE_DECRYPTED);
      /* the one the server opened (kept by its key, hl-engine-server-key.c): the
       * ClientKeyExchange decrypted here with the server key of the trace gives the same */
      for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);
          GBytes *key_pem = hl_trace_get_server_key (trace);
          gnutls_privkey_t key = NULL;
          gnutls_datum_t pem, ct, opened = { NULL, 0 };
          const guint8 *cke;
          gsize cke_len;

          if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
              hl_event_get_handshake (event) != 0 ||
              g_strcmp0 (hl_event_get_name (event), "ClientKeyExchange") != 0)
            continue;
          cke = g_bytes_get_data (hl_event_get_bytes (event), &cke_len);
          g_assert_cmpuint (cke_len, >, 6);
          pem.data = (unsigned char *) g_bytes_get_data (key_pem, NULL);
          pem.size = g_bytes_get_size (key_pem);
          ct.data = (unsigned char *) cke + 6;   /* header, then a 2-byte length */
          ct.size = cke_len - 6;
          g_assert_cmpint (gnutls_privkey_init (&key), ==, 0);
          g_assert_cmpint (gnutls_privkey_import_x509_raw (key, &pem, GNUTLS_X509_FMT_PEM, NULL,
                                                           0), ==, 0);
          g_assert_cmpint (gnutls_privkey_decrypt_data (key, 0, &ct, &opened), ==, 0);
          g_assert_cmpmem (opened.data, opened.size, p, len);
          gnutls_free (opened.data);
          gnutls_privkey_deinit (key);
        }
      /* the client's action gets the value too */
      {
        gboolean found = FALSE;

        for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
          {
            HlEvent *event = hl_trace_get_event (trace, i);

            if (g_strcmp0 (hl_event_get_name (event),
                           "Generate and encrypt the premaster secret") != 0)
              continue;
            g_assert_true (g_str_has_prefix (hl_event_get_technical (event),
                                             "premaster_secret = 0303"));
            g_assert_nonnull (strstr (hl_event_get_caption (event), "48-byte premaster"));
            found = TRUE;
          }
        g_assert_true (found);
      }
    }
  if (e->resumed)
    {
      const HlNegotiated *second = g_ptr_array_index (negs, 1);

      g_assert_false (neg->resumed);
      g_assert_true (second->resumed);
    }
}

/* Certificate failures: the verification result names the reason GnuTLS found. */
static void
test_verification_reasons (void)
{
  struct { const char *id; guint status; } cases[] = {
    { "fail-untrusted-ca", GNUTLS_CERT_SIGNER_NOT_FOUND },
    { "fail-expired", GNUTLS_CERT_EXPIRED },
    { "fail-hostname", GNUTLS_CERT_UNEXPECTED_OWNER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HlTrace) trace = run_ok (cases[i].id);
      GPtrArray *vs = hl_trace_get_verifications (trace);
      const HlVerification *v;

      g_assert_cmpuint (vs->len, ==, 1);
      v = g_ptr_array_index (vs, 0);
      g_assert_false (v->trusted);
      g_assert_cmpint (v->verifier, ==, HL_SIDE_CLIENT);
      g_assert_true ((v->status & cases[i].status) != 0);
      g_assert_cmpuint (strlen (v->text), >, 0);
    }
}

/* Twice the same scenario: same structure, different randoms and secrets. */
static void
test_twice (gconstpointer data)
{
  const char *id = data;
  g_autoptr(HlTrace) a = run_ok (id);
  g_autoptr(HlTrace) b = run_ok (id);
  const HlNegotiated *na = g_ptr_array_index (hl_trace_get_negotiated (a), 0);
  const HlNegotiated *nb = g_ptr_array_index (hl_trace_get_negotiated (b), 0);

  g_assert_cmpuint (hl_trace_get_n_events (a), ==, hl_trace_get_n_events (b));
  for (guint i = 0; i < hl_trace_get_n_events (a); i++)
    {
      HlEvent *ea = hl_trace_get_event (a, i);
      HlEvent *eb = hl_trace_get_event (b, i);

      g_assert_cmpint (hl_event_get_kind (ea), ==, hl_event_get_kind (eb));
      g_assert_cmpint (hl_event_get_side (ea), ==, hl_event_get_side (eb));
      g_assert_cmpstr (hl_event_get_name (ea), ==, hl_event_get_name (eb));
    }
  g_assert_false (g_bytes_equal (na->client_random, nb->client_random));
  if (na->server_random)
    g_assert_false (g_bytes_equal (na->server_random, nb->server_random));
  for (guint i = 0; i < hl_trace_get_secrets (a)->len; i++)
    {
      const HlSecret *sa = g_ptr_array_index (hl_trace_get_secrets (a), i);
      const HlSecret *sb = hl_trace_find_secret (b, sa->name, sa->handshake);

      g_assert_nonnull (sb);
      /* TLS 1.3 without a PSK: the early secret and its salt are constants of the hash */
      if (sa->value && (g_str_equal (sa->name, "early_secret.derived") ||
                        g_str_equal (sa->name, "derived_for_handshake.derived")))
        g_assert_true (g_bytes_equal (sa->value, sb->value));
      else if (sa->value && g_bytes_get_size (sa->value) >= 8)
        g_assert_false (g_bytes_equal (sa->value, sb->value));
    }
}

/* A real engine trace survives JSON unchanged. */
static void
test_json_round_trip (gconstpointer data)
{
  g_autoptr(HlTrace) trace = run_ok (data);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *json = hl_trace_to_data (trace, &len);
  g_autoptr(HlTrace) loaded = hl_trace_load_data (json, len, &error);
  g_autoptr(GString) why = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_true (hl_trace_equal (trace, loaded, why));
}

/* The printed trace names every message and the premaster secret. */
static void
test_print (void)
{
  g_autoptr(HlTrace) trace = run_ok ("tls12-rsa");
  g_autofree char *text = hl_trace_dup_text (trace, HL_PRINT_DEFAULT);
  const HlSecret *pms = hl_trace_find_secret (trace, "premaster_secret", 0);
  g_autofree char *hex = hl_bytes_to_hex (pms->value);

  g_assert_nonnull (strstr (text, "ServerHelloDone"));
  g_assert_nonnull (strstr (text, "ClientKeyExchange"));
  g_assert_nonnull (strstr (text, "close_notify"));
  g_assert_nonnull (strstr (text, hex));
  g_assert_nonnull (strstr (text, "TLS_RSA_WITH_AES_128_GCM_SHA256"));
}

/* The first record of @handshake that carries the message @name, from its header on. */
static const guint8 *
record_of (HlTrace *trace, guint handshake, const char *name, gsize *len)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          hl_event_get_handshake (event) == handshake &&
          g_str_equal (hl_event_get_name (event), name))
        return g_bytes_get_data (hl_event_get_bytes (hl_trace_get_event (
                                   trace, hl_event_get_record (event))), len);
    }
  g_assert_not_reached ();
}

/* The "Negotiated" facts of a TLS 1.2 resumption against the bytes on the wire: each
 * connection's session ID is its ServerHello's (not the one GnuTLS makes up for the ticket),
 * the first connection's group is the named curve of its ServerKeyExchange, and the resumed
 * one has no group and says so. */
static void
test_resumed_facts (void)
{
  g_autoptr(HlTrace) trace = run_ok ("tls12-resume-ticket");
  GPtrArray *negs = hl_trace_get_negotiated (trace);
  g_autofree char *text = hl_trace_dup_text (trace, HL_PRINT_DEFAULT);

  g_assert_cmpuint (negs->len, ==, 2);
  for (guint h = 0; h < 2; h++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, h);
      gsize len;
      const guint8 *sh = record_of (trace, h, "ServerHello", &len);
      g_autofree char *hex = NULL;
      g_autofree char *line = NULL;

      /* record header (5), handshake header (4), version (2), random (32), session_id */
      g_assert_cmpuint (len, >, 5 + 4 + 2 + 32 + 1);
      g_assert_cmpuint (sh[5], ==, 2);
      g_assert_cmpuint (sh[43], >, 0);
      g_assert_cmpmem (g_bytes_get_data (neg->session_id, NULL),
                       g_bytes_get_size (neg->session_id), sh + 44, sh[43]);
      hex = hl_bytes_to_hex (neg->session_id);
      line = g_strdup_printf ("  session ID     %s\n", hex);
      g_assert_nonnull (strstr (text, line));
    }
  {
    gsize len;
    const guint8 *ske = record_of (trace, 0, "ServerKeyExchange", &len);
    const HlNegotiated *first = g_ptr_array_index (negs, 0);
    const HlNegotiated *second = g_ptr_array_index (negs, 1);
    g_autofree char *group = hl_negotiated_dup_group_text (second);

    /* ECParameters: curve_type named_curve (3), then the group: secp256r1 is 0x0017 */
    g_assert_cmpuint (len, >, 5 + 4 + 3);
    g_assert_cmpuint (ske[5], ==, 12);
    g_assert_cmpuint (ske[9], ==, 3);
    g_assert_cmpuint ((ske[10] << 8) | ske[11], ==, 0x0017);
    g_assert_cmpstr (first->group, ==, "SECP256R1");
    g_assert_false (first->resumed);
    g_assert_true (second->resumed);
    g_assert_null (second->group);
    g_assert_cmpstr (group, ==, "none (resumed: no key exchange)");
    g_assert_nonnull (strstr (text, "  group          none (resumed: no key exchange)\n"));
  }
}

/* An empty ServerHello session_id is said as such, with the reason where the server sent a
 * ticket (RFC 5077 §3.4); never a made-up ID. */
static void
test_empty_session_id (void)
{
  g_autoptr(HlTrace) trace = run_ok ("tls12-resume-ticket");
  HlNegotiated neg = *(const HlNegotiated *) g_ptr_array_index (hl_trace_get_negotiated (trace),
                                                                0);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autofree char *with_ticket = NULL;
  g_autofree char *without = NULL;

  neg.session_id = empty;
  with_ticket = hl_negotiated_dup_session_id_text (trace, &neg);
  neg.handshake = 1;   /* the resumed connection got no ticket */
  without = hl_negotiated_dup_session_id_text (trace, &neg);
  g_assert_cmpstr (with_ticket, ==, "empty (the server sent a ticket)");
  g_assert_cmpstr (without, ==, "empty (the server will not resume this session by ID)");
}

static void
async_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HlTrace **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = hl_engine_run_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  const HlScenario *scenario = hl_scenario_lookup ("tls13");
  HlTrace *trace = NULL;

  hl_engine_run_async (&scenario->config, scenario->id, scenario->title, scenario->description,
                       NULL, async_done_cb, &trace);
  while (trace == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hl_trace_get_n_events (trace), >, 10);
  g_assert_finalize_object (trace);
}

static void
cancelled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_finish (result, &error);

  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_cancel (void)
{
  const HlScenario *scenario = hl_scenario_lookup ("tls12-rsa");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  g_cancellable_cancel (cancellable);
  hl_engine_run_async (&scenario->config, scenario->id, scenario->title, scenario->description,
                       cancellable, cancelled_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_unknown_scenario (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario ("no-such-thing", NULL, &error);

  g_assert_null (trace);
  g_assert_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP);
  g_assert_nonnull (strstr (error->message, "no-such-thing"));
}

/* Every scenario id of DESIGN.md exists, and every scenario has an expectation here. */
static void
test_scenario_table (void)
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  guint j = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      const HlScenario *scenario = hl_scenario_lookup (expectations[i].id);

      g_assert_nonnull (scenario);
      g_assert_cmpuint (strlen (scenario->description), >, 40);
      if (!hl_config_is_available (&scenario->config, NULL))
        continue;
      g_assert_cmpuint (j, <, n);
      g_assert_cmpstr (all[j].id, ==, expectations[i].id);
      j++;
    }
  g_assert_cmpuint (j, ==, n);
}

/* The two groups modern clients send: X25519 (a 32-byte key share on both sides) and, where
 * this GnuTLS has it, the hybrid X25519MLKEM768 (IANA 0x11EC). */
static void
test_x25519 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario ("tls13-x25519", NULL, &error);
  const HlNegotiated *negotiated;

  g_assert_no_error (error);
  negotiated = hl_trace_get_negotiated (trace)->pdata[0];
  g_assert_cmpstr (negotiated->group, ==, "X25519");
}

/* The benchmark's baseline: every scenario also runs bare (no trace, no hooks) and ends as
 * designed — mitm-downgrade once crashed there, appending to a trace it did not have. */
static void
test_bare (void)
{
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!hl_engine_run_bare (&all[i].config, &error))
        g_error ("%s bare: %s", all[i].id, error ? error->message : "failed");
      g_assert_no_error (error);
    }
}

/* A scenario this GnuTLS cannot run is listed apart, found by id, and refused with a reason
 * that names the library and the group — never run with something else in its place. */
static void
test_unavailable (void)
{
  guint n, n_unavailable;
  const HlScenario *all = hl_scenario_get_all (&n);
  const HlScenario *const *unavailable = hl_scenario_get_unavailable (&n_unavailable);
  const HlScenario *hybrid = hl_scenario_lookup ("tls13-x25519mlkem768");
  gboolean listed = FALSE;

  g_assert_nonnull (hybrid);
  for (guint i = 0; i < n_unavailable; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlTrace) trace = NULL;
      g_autofree char *reason = NULL;

      g_assert_false (hl_config_is_available (&unavailable[i]->config, &reason));
      g_assert_nonnull (strstr (reason, gnutls_check_version (NULL)));
      g_assert_true (hl_scenario_lookup (unavailable[i]->id) == unavailable[i]);
      for (guint j = 0; j < n; j++)
        g_assert_cmpstr (all[j].id, !=, unavailable[i]->id);
      trace = hl_engine_run_scenario (unavailable[i]->id, NULL, &error);
      g_assert_null (trace);
      g_assert_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_UNAVAILABLE);
      g_assert_cmpstr (error->message, ==, reason);
      listed |= unavailable[i] == hybrid;
    }
  if (listed)
    {
      g_autofree char *reason = NULL;

      g_assert_false (hl_config_is_available (&hybrid->config, &reason));
      g_assert_nonnull (strstr (reason, "X25519MLKEM768"));
      g_test_message ("tls13-x25519mlkem768: %s", reason);
    }
  else
    {
      /* this GnuTLS has the hybrid group: it really negotiates it */
      g_autoptr(GError) error = NULL;
      g_autoptr(HlTrace) trace = hl_engine_run_scenario (hybrid->id, NULL, &error);
      const HlNegotiated *negotiated;

      g_assert_no_error (error);
      negotiated = hl_trace_get_negotiated (trace)->pdata[0];
      g_assert_nonnull (strstr (negotiated->group, "MLKEM768"));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/engine/scenario-table", test_scenario_table);
  g_test_add_func ("/protocol/engine/x25519", test_x25519);
  g_test_add_func ("/protocol/engine/unavailable", test_unavailable);
  g_test_add_func ("/protocol/engine/bare", test_bare);
  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      const HlScenario *scenario = hl_scenario_lookup (expectations[i].id);
      g_autofree char *path = g_strdup_printf ("/protocol/engine/scenario/%s", expectations[i].id);
      g_autofree char *twice = g_strdup_printf ("/protocol/engine/twice/%s", expectations[i].id);
      g_autofree char *json = g_strdup_printf ("/protocol/engine/json/%s", expectations[i].id);

      if (scenario == NULL || !hl_config_is_available (&scenario->config, NULL))
        continue;  /* test_unavailable */
      g_test_add_data_func (path, &expectations[i], test_scenario);
      g_test_add_data_func (twice, expectations[i].id, test_twice);
      g_test_add_data_func (json, expectations[i].id, test_json_round_trip);
    }
  g_test_add_func ("/protocol/engine/verification-reasons", test_verification_reasons);
  g_test_add_func ("/protocol/engine/print", test_print);
  g_test_add_func ("/protocol/engine/resumed-facts", test_resumed_facts);
  g_test_add_func ("/protocol/engine/empty-session-id", test_empty_session_id);
  g_test_add_func ("/protocol/engine/async", test_async);
  g_test_add_func ("/protocol/engine/cancel", test_cancel);
  g_test_add_func ("/protocol/engine/unknown-scenario", test_unknown_scenario);
  return g_test_run ();
}
