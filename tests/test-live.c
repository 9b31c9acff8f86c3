/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-live"
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gnutls/x509.h>

#include "hl-error.h"
#include "hl-keyschedule.h"
#include "hl-live.h"
#include "hl-signature.h"
#include "hl-trace-io.h"
#include "hl-pki.h"
#include "hl-test-net.h"

/*
 * Live mode against real peers on loopback: OpenSSL's s_server and s_client, curl and
 * gnutls-cli (Debian's openssl, curl and gnutls-bin, installed by build-aux/install-deps), and
 * small hostile servers run by the test itself. The strongest checks are the cross-checks with
 * a second TLS implementation: OpenSSL's (or curl's, or gnutls-cli's) own key log must hold
 * exactly the lines of ours for the same connection, and what we decrypted must be what the
 * peer sent. Every wait is bounded; only 127.0.0.1 is ever used.
 */

#define PEER_TIMEOUT_S 20

/* --- Files and processes --------------------------------------------------------------------- */

typedef struct
{
  char *dir;
  char *ca;         /* the demo CA, PEM */
  char *other_ca;   /* the CA nobody trusts */
} Fixture;

static char *
write_file (Fixture *fx, const char *name, GBytes *data)
{
  char *path = g_build_filename (fx->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data), &error);
  g_assert_no_error (error);
  return path;
}

static GBytes *
cert_pem (HlIdentity id)
{
  HlPki *pki = hl_pki_get_default (NULL);
  gnutls_datum_t out = { NULL, 0 };
  GBytes *pem;

  g_assert_nonnull (pki);
  g_assert_cmpint (gnutls_x509_crt_export2 (hl_pki_get_certificate (pki, id),
                                            GNUTLS_X509_FMT_PEM, &out), ==, 0);
  pem = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

/* Certificate and key files of one identity, for OpenSSL. */
static void
identity_files (Fixture *fx, HlIdentity id, char **cert, char **key)
{
  g_autoptr(GBytes) pem = cert_pem (id);
  g_autofree char *cname = g_strdup_printf ("id%d-cert.pem", id);
  g_autofree char *kname = g_strdup_printf ("id%d-key.pem", id);

  *cert = write_file (fx, cname, pem);
  *key = write_file (fx, kname, hl_pki_get_key_pem (hl_pki_get_default (NULL), id));
}

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ca = NULL;
  g_autoptr(GBytes) other = NULL;

  fx->dir = g_dir_make_tmp ("hl-live-XXXXXX", &error);
  g_assert_no_error (error);
  ca = hl_live_dup_demo_ca_pem (&error);
  g_assert_no_error (error);
  fx->ca = write_file (fx, "ca.pem", ca);
  other = cert_pem (HL_IDENTITY_UNTRUSTED_CA);
  fx->other_ca = write_file (fx, "other-ca.pem", other);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fx->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->ca);
  g_free (fx->other_ca);
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  if (path == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("%s is not installed (build-aux/install-deps "
                                              "installs it)", name);
      g_test_skip (msg);
      return FALSE;
    }
  return TRUE;
}

/* Cancels @cancellable after PEER_TIMEOUT_S unless stopped first: no test waits forever. */
typedef struct
{
  GMutex        lock;
  GCond         cond;
  gboolean      stop;
  GCancellable *cancellable;
  GThread      *thread;
} Watchdog;

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *w = data;
  gint64 until = g_get_monotonic_time () + PEER_TIMEOUT_S * G_TIME_SPAN_SECOND;

  g_mutex_lock (&w->lock);
  while (!w->stop)
    if (!g_cond_wait_until (&w->cond, &w->lock, until))
      {
        g_cancellable_cancel (w->cancellable);
        break;
      }
  g_mutex_unlock (&w->lock);
  return NULL;
}

static Watchdog *
watchdog_start (void)
{
  Watchdog *w = g_new0 (Watchdog, 1);

  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->cancellable = g_cancellable_new ();
  w->thread = g_thread_new ("watchdog", watchdog_thread, w);
  return w;
}

static void
watchdog_stop (Watchdog *w)
{
  g_mutex_lock (&w->lock);
  w->stop = TRUE;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);
  g_object_unref (w->cancellable);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}

static GSubprocess *
spawn (GSubprocessFlags flags, const char *keylog_env, const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  if (keylog_env)
    g_subprocess_launcher_setenv (launcher, "SSLKEYLOGFILE", keylog_env, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return process;
}

static void
waited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Waits (bounded) for a process to end; kills it if it does not. */
static void
reap (GSubprocess *process)
{
  gboolean done = FALSE;
  gint64 until = g_get_monotonic_time () + PEER_TIMEOUT_S * G_TIME_SPAN_SECOND;

  g_subprocess_wait_async (process, NULL, waited_cb, &done);
  while (!done)
    {
      if (g_get_monotonic_time () > until)
        {
          g_subprocess_force_exit (process);
          until = G_MAXINT64;
        }
      g_main_context_iteration (NULL, FALSE);
      if (!done)
        g_usleep (20 * 1000);
    }
}

/* openssl s_server on @port, one connection; returns once it says ACCEPT. */
static GSubprocess *
start_s_server (guint16 port, const char *cert, const char *key, const char *keylog,
                const char *const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, g_strdup ("openssl"));
  g_ptr_array_add (argv, g_strdup ("s_server"));
  g_ptr_array_add (argv, g_strdup ("-accept"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  g_ptr_array_add (argv, g_strdup ("-naccept"));
  g_ptr_array_add (argv, g_strdup ("1"));
  g_ptr_array_add (argv, g_strdup ("-www"));
  g_ptr_array_add (argv, g_strdup ("-cert"));
  g_ptr_array_add (argv, g_strdup (cert));
  g_ptr_array_add (argv, g_strdup ("-key"));
  g_ptr_array_add (argv, g_strdup (key));
  if (keylog)
    {
      g_ptr_array_add (argv, g_strdup ("-keylogfile"));
      g_ptr_array_add (argv, g_strdup (keylog));
    }
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  process = spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, NULL,
                   (const char *const *) argv->pdata);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, NULL);

      g_assert_nonnull (line); /* s_server ended before it listened: its output is above */
      g_test_message ("s_server: %s", line);
      if (g_str_has_prefix (line, "ACCEPT"))
        break;
    }
  return process;
}

/* The key log lines both implementations write (NSS format), as a sorted text. OpenSSL's
 * "RSA" lines (encrypted premaster → premaster) have no GnuTLS counterpart; they are checked
 * on their own. */
static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static char *
keylog_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; lines[i]; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0' || lines[i][0] == '#' || g_str_has_prefix (lines[i], "RSA "))
        continue;
      g_ptr_array_add (kept, lines[i]);
    }
  g_ptr_array_sort (kept, compare_lines);
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("\n", (char **) kept->pdata);
}

static void
assert_same_keylog (HlTrace *trace, const char *their_file)
{
  g_autofree char *theirs_text = NULL;
  g_autofree char *ours_text = hl_trace_dup_keylog (trace);
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (their_file, &theirs_text, NULL, &error);
  g_assert_no_error (error);
  ours = keylog_lines (ours_text);
  theirs = keylog_lines (theirs_text);
  g_assert_cmpstr (ours, !=, "");
  g_assert_cmpstr (ours, ==, theirs);
}

/* All we know of the remote peer's wire items is that our session read them: each is marked
 * processed (never "sent", a moment only the peer saw). */
static void
assert_remote_items_processed (HlTrace *trace)
{
  HlSide local = hl_trace_get_live (trace)->local;
  guint n = 0;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlEventKind kind = hl_event_get_kind (event);

      if (hl_event_get_side (event) == local ||
          (kind != HL_EVENT_RECORD && kind != HL_EVENT_MESSAGE && kind != HL_EVENT_ALERT &&
           kind != HL_EVENT_APP_DATA))
        continue;
      if (hl_event_get_moment (event) != HL_MOMENT_PROCESSED)
        g_error ("event %u (%s of the peer) is not marked processed", i, hl_event_get_name (event));
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

/* Every value the key schedule could check is ✓ and every protected record decrypted to the
 * bytes we captured. */
static void
assert_schedule_clean (HlTrace *trace)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlKeySchedule) schedule = hl_keyschedule_compute (trace, &error);
  guint n_ok = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (hl_keyschedule_count (schedule, HL_CHECK_FAILED), ==, 0);
  g_assert_cmpuint (hl_keyschedule_count (schedule, HL_CHECK_OK), >, 0);
  for (guint i = 0; i < schedule->records->len; i++)
    {
      HlRecordDecryption *rd = g_ptr_array_index (schedule->records, i);

      if (rd->check != HL_CHECK_OK)
        g_test_message ("record %u: %s", rd->record, rd->detail);
      g_assert_cmpint (rd->check, ==, HL_CHECK_OK);
      n_ok++;
    }
  g_assert_cmpuint (n_ok, >, 2);

  /* the peer's signatures (and ours) verify with our own check */
  {
    g_autoptr(GPtrArray) checks = hl_trace_check_signatures (trace);

    for (guint i = 0; i < checks->len; i++)
      g_assert_cmpint (((HlSignatureCheck *) g_ptr_array_index (checks, i))->check, ==,
                       HL_CHECK_OK);
  }
}

/* The application data of @side, concatenated. */
static GString *
app_data (HlTrace *trace, HlSide side)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      GBytes *bytes = hl_event_get_bytes (event);

      if (hl_event_get_kind (event) == HL_EVENT_APP_DATA && hl_event_get_side (event) == side &&
          bytes != NULL)
        g_string_append_len (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  return out;
}

static const HlNegotiated *
negotiated (HlTrace *trace)
{
  GPtrArray *all = hl_trace_get_negotiated (trace);

  g_assert_cmpuint (all->len, ==, 1);
  return g_ptr_array_index (all, 0);
}

static gboolean
has_event (HlTrace *trace, HlEventKind kind, HlSide side, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == kind && hl_event_get_side (event) == side &&
          g_strcmp0 (hl_event_get_name (event), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* --- Our client, OpenSSL's server ------------------------------------------------------------ */

typedef struct
{
  const char     *name;
  HlLiveVersions  versions;
  const char     *extra[6];
  const char     *suite;
  const char     *kx;
} ServerCase;

static const ServerCase server_cases[] = {
  { "tls12-rsa", HL_LIVE_VERSIONS_TLS12, { "-no_tls1_3", "-cipher", "AES128-GCM-SHA256" },
    "TLS_RSA_WITH_AES_128_GCM_SHA256", "RSA" },
  /* these two servers also speak ALPN (RFC 7301): they pick the http/1.1 our client offers */
  { "tls12-ecdhe", HL_LIVE_VERSIONS_TLS12,
    { "-no_tls1_3", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-alpn", "http/1.1" },
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA" },
  { "tls13", HL_LIVE_VERSIONS_TLS13, { "-tls1_3", "-alpn", "http/1.1" }, NULL, "(EC)DHE" },
};

static HlTrace *
connect_to (Fixture *fx, guint16 port, HlLiveVersions versions, const char *ca,
            const char *request, GError **error)
{
  HlLiveOptions o;
  Watchdog *w = watchdog_start ();
  HlTrace *trace;

  hl_live_options_init (&o);
  o.host = g_strdup ("127.0.0.1");
  o.port = port;
  o.server_name = g_strdup (HL_PKI_SERVER_NAME);
  o.ca_file = g_strdup (ca);
  o.request = g_strdup (request);
  o.versions = versions;
  trace = hl_live_connect (&o, w->cancellable, error);
  watchdog_stop (w);
  hl_live_options_clear (&o);
  return trace;
}

static void
test_connect_openssl (Fixture *fx, gconstpointer data)
{
  const ServerCase *c = data;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *keylog = g_build_filename (fx->dir, "s_server.keys", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) response = NULL;
  g_autofree char *why = NULL;
  guint16 port = hl_test_free_port ();
  const HlLive *live;

  if (!have_program ("openssl"))
    return;
  identity_files (fx, HL_IDENTITY_SERVER_RSA, &cert, &key);
  server = start_s_server (port, cert, key, keylog, c->extra);
  /* TLS 1.3 with our default request, the others with one of the test's */
  trace = connect_to (fx, port, c->versions, fx->ca,
                      c->versions == HL_LIVE_VERSIONS_TLS13 ? NULL : "GET / HTTP/1.0\\r\\n\\r\\n",
                      &error);
  reap (server);
  g_assert_no_error (error);

  g_assert_true (hl_live_trace_succeeded (trace, &why));
  /* s_server -www answers the default request too (it ignores anything but GET), and the
   * answer ends the conversation: nobody waited for the time limit */
  g_assert_false (has_event (trace, HL_EVENT_ACTION, HL_SIDE_CLIENT, "Stop waiting"));
  if (c->versions == HL_LIVE_VERSIONS_TLS13)
    {
      g_autoptr(GString) request = app_data (trace, HL_SIDE_CLIENT);
      g_autofree char *host = g_strdup_printf ("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n", port);

      g_assert_true (g_str_has_prefix (request->str, host));
    }
  live = hl_trace_get_live (trace);
  g_assert_nonnull (live);
  g_assert_cmpint (live->local, ==, HL_SIDE_CLIENT);
  g_assert_cmpstr (live->server_name, ==, HL_PKI_SERVER_NAME);
  g_assert_true (g_str_has_prefix (live->address, "127.0.0.1:"));
  g_assert_cmpstr (negotiated (trace)->kx, ==, c->kx);
  if (c->suite)
    g_assert_cmpstr (negotiated (trace)->cipher_suite, ==, c->suite);
  /* ALPN as the server's hello on the wire says it: selected only where s_server has -alpn */
  g_assert_cmpstr (negotiated (trace)->alpn, ==,
                   g_strv_contains (c->extra, "-alpn") ? "http/1.1" : NULL);
  /* the real chain, and the trust anchor that validated it */
  g_assert_cmpuint (hl_trace_get_server_chain (trace)->len, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (hl_trace_get_server_chain (trace), 0),
                                hl_pki_get_certificate_der (hl_pki_get_default (NULL),
                                                            HL_IDENTITY_SERVER_RSA)));
  g_assert_true (g_bytes_equal (hl_trace_get_ca_certificate (trace),
                                hl_pki_get_certificate_der (hl_pki_get_default (NULL),
                                                            HL_IDENTITY_CA)));

  assert_same_keylog (trace, keylog);
  assert_schedule_clean (trace);
  assert_remote_items_processed (trace);
  /* a saved live trace opens as it was, live facts included */
  {
    g_autoptr(JsonNode) root = hl_trace_to_json (trace);
    g_autoptr(HlTrace) back = hl_trace_from_json (root, &error);
    g_autoptr(GString) difference = g_string_new (NULL);

    g_assert_no_error (error);
    g_assert_true (hl_trace_equal (trace, back, difference));
    g_assert_nonnull (hl_trace_get_live (back));
    g_assert_cmpstr (hl_trace_get_live (back)->address, ==, live->address);
  }
  /* what s_server -www answered, decrypted: its status page names the cipher it used */
  response = app_data (trace, HL_SIDE_SERVER);
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.0 200 ok"));
  g_assert_nonnull (strstr (response->str, "s_server"));
  g_assert_true (has_event (trace, HL_EVENT_ALERT, HL_SIDE_CLIENT, "close_notify"));
  if (c->versions == HL_LIVE_VERSIONS_TLS12 && g_str_equal (c->kx, "RSA"))
    {
      /* as a client, GnuTLS keeps the RSA premaster to itself: said, not invented */
      const HlSecret *pms = hl_trace_find_secret (trace, "premaster_secret", 0);

      g_assert_nonnull (pms);
      g_assert_null (pms->value);
      g_assert_nonnull (strstr (pms->note, "not expose"));
    }
}

/* --- Our client against certificates it must refuse ------------------------------------------ */

typedef struct
{
  const char *name;
  HlIdentity  identity;
  guint       alert;
  guint       status;
} RefuseCase;

static const RefuseCase refuse_cases[] = {
  { "expired", HL_IDENTITY_SERVER_EXPIRED, GNUTLS_A_CERTIFICATE_EXPIRED, GNUTLS_CERT_EXPIRED },
  { "wrong-name", HL_IDENTITY_SERVER_WRONG_HOST, GNUTLS_A_BAD_CERTIFICATE,
    GNUTLS_CERT_UNEXPECTED_OWNER },
  { "unknown-ca", HL_IDENTITY_SERVER_UNTRUSTED, GNUTLS_A_UNKNOWN_CA,
    GNUTLS_CERT_SIGNER_NOT_FOUND },
};

static void
test_connect_refuse (Fixture *fx, gconstpointer data)
{
  const RefuseCase *c = data;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  const char *extra[] = { "-tls1_3", NULL };
  const HlOutcome *outcome;
  const HlVerification *v;
  guint16 port = hl_test_free_port ();

  if (!have_program ("openssl"))
    return;
  identity_files (fx, c->identity, &cert, &key);
  server = start_s_server (port, cert, key, NULL, extra);
  trace = connect_to (fx, port, HL_LIVE_VERSIONS_TLS13, fx->ca, NULL, &error);
  reap (server);
  g_assert_no_error (error);

  g_assert_false (hl_live_trace_succeeded (trace, &why));
  g_assert_nonnull (strstr (why, "our client failed"));
  outcome = hl_trace_get_outcome (trace);
  g_assert_false (outcome->client_ok);
  g_assert_cmpint (outcome->alert_sender, ==, HL_SIDE_CLIENT);
  g_assert_cmpuint (outcome->alert, ==, c->alert);
  g_assert_cmpuint (hl_trace_get_verifications (trace)->len, ==, 1);
  v = g_ptr_array_index (hl_trace_get_verifications (trace), 0);
  g_assert_false (v->trusted);
  g_assert_cmpuint (v->status & c->status, !=, 0);
  g_assert_true (has_event (trace, HL_EVENT_ACTION, HL_SIDE_CLIENT,
                            "Verify the certificate chain"));
}

/* --- Our server, real clients ---------------------------------------------------------------- */

#define CLIENT_REQUEST "GET / HTTP/1.1\r\nHost: server.test\r\nUser-Agent: test-live\r\n\r\n"

static HlLiveListener *
listen_with (gboolean client_auth, const char *cert, const char *key)
{
  HlLiveOptions o;
  g_autoptr(GError) error = NULL;
  HlLiveListener *listener;

  hl_live_options_init (&o);
  o.address = g_strdup ("127.0.0.1");
  o.client_auth = client_auth;
  o.cert_file = g_strdup (cert);
  o.key_file = g_strdup (key);
  listener = hl_live_listener_new (&o, &error);
  hl_live_options_clear (&o);
  g_assert_no_error (error);
  g_assert_cmpuint (hl_live_listener_get_port (listener), >, 0);
  return listener;
}

static HlLiveListener *
listen_here (gboolean client_auth)
{
  return listen_with (client_auth, NULL, NULL);
}

static HlTrace *
accept_one (HlLiveListener *listener, GError **error)
{
  Watchdog *w = watchdog_start ();
  HlTrace *trace = hl_live_listener_accept (listener, w->cancellable, error);

  watchdog_stop (w);
  return trace;
}

typedef struct
{
  const char *name;
  const char *extra[4];
  const char *kx;
} ClientCase;

static const ClientCase client_cases[] = {
  /* the seed's flow with a foreign client: OpenSSL makes the 48-byte premaster */
  { "tls12-rsa", { "-tls1_2", "-cipher", "AES128-GCM-SHA256" }, "RSA" },
  { "tls12-ecdhe", { "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256" }, "ECDHE-RSA" },
  { "tls13", { "-tls1_3" }, "(EC)DHE" },
};

static void
test_listen_s_client (Fixture *fx, gconstpointer data)
{
  const ClientCase *c = data;
  g_autoptr(HlLiveListener) listener = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) request = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) input = g_bytes_new_static (CLIENT_REQUEST, strlen (CLIENT_REQUEST));
  g_autofree char *keylog = g_build_filename (fx->dir, "s_client.keys", NULL);
  g_autofree char *why = NULL;
  GOutputStream *stdin_pipe;

  if (!have_program ("openssl"))
    return;
  listener = listen_here (FALSE);
  g_ptr_array_add (argv, g_strdup ("openssl"));
  g_ptr_array_add (argv, g_strdup ("s_client"));
  g_ptr_array_add (argv, g_strdup ("-connect"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", hl_live_listener_get_port (listener)));
  g_ptr_array_add (argv, g_strdup ("-servername"));
  g_ptr_array_add (argv, g_strdup (HL_PKI_SERVER_NAME));
  g_ptr_array_add (argv, g_strdup ("-CAfile"));
  g_ptr_array_add (argv, g_strdup (fx->ca));
  g_ptr_array_add (argv, g_strdup ("-verify_return_error"));
  g_ptr_array_add (argv, g_strdup ("-ign_eof"));
  g_ptr_array_add (argv, g_strdup ("-keylogfile"));
  g_ptr_array_add (argv, g_strdup (keylog));
  for (guint i = 0; c->extra[i]; i++)
    g_ptr_array_add (argv, g_strdup (c->extra[i]));
  g_ptr_array_add (argv, NULL);
  client = spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                    G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL, (const char *const *) argv->pdata);
  stdin_pipe = g_subprocess_get_stdin_pipe (client);
  g_output_stream_write_all (stdin_pipe, CLIENT_REQUEST, strlen (CLIENT_REQUEST), NULL, NULL,
                             &error);
  g_assert_no_error (error);
  g_output_stream_close (stdin_pipe, NULL, NULL);

  trace = accept_one (listener, &error);
  reap (client);
  g_assert_no_error (error);
  g_assert_true (hl_live_trace_succeeded (trace, &why));
  g_assert_cmpint (hl_trace_get_live (trace)->local, ==, HL_SIDE_SERVER);
  g_assert_cmpstr (hl_trace_get_live (trace)->server_name, ==, HL_PKI_SERVER_NAME);
  g_assert_cmpstr (negotiated (trace)->kx, ==, c->kx);
  assert_same_keylog (trace, keylog);
  assert_schedule_clean (trace);
  assert_remote_items_processed (trace);
  /* the request s_client sent, as our server decrypted it */
  request = app_data (trace, HL_SIDE_CLIENT);
  g_assert_cmpstr (request->str, ==, CLIENT_REQUEST);

  if (g_str_equal (c->kx, "RSA"))
    {
      /* OpenSSL's key log has the premaster it made ("RSA <first 8 bytes of the encrypted
       * premaster> <premaster>"): our server decrypted the same 48 bytes, and the master secret
       * we derive from them is the one in OpenSSL's CLIENT_RANDOM line (checked above). */
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      const HlSecret *pms = hl_trace_find_secret (trace, "premaster_secret", 0);
      g_autoptr(GError) kerror = NULL;
      g_autoptr(HlKeySchedule) schedule = hl_keyschedule_compute (trace, &kerror);
      const HlSecret *ms = hl_keyschedule_find (schedule, "master_secret.derived", 0);
      gboolean seen = FALSE;

      g_assert_nonnull (pms);
      g_assert_nonnull (pms->value);
      g_assert_cmpuint (g_bytes_get_size (pms->value), ==, 48);
      g_assert_nonnull (ms);
      g_assert_cmpint (ms->check, ==, HL_CHECK_OK);
      g_file_get_contents (keylog, &text, NULL, NULL);
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        if (g_str_has_prefix (lines[i], "RSA "))
          {
            g_auto(GStrv) parts = g_strsplit (lines[i], " ", 3);
            g_autofree char *hex = NULL;
            GString *h = g_string_new (NULL);

            for (gsize k = 0; k < g_bytes_get_size (pms->value); k++)
              g_string_append_printf (h, "%02x",
                                      ((const guint8 *) g_bytes_get_data (pms->value, NULL))[k]);
            hex = g_string_free (h, FALSE);
            g_assert_cmpstr (g_strstrip (parts[2]), ==, hex);
            seen = TRUE;
          }
      g_assert_true (seen);
    }
}

static void
test_listen_curl (Fixture *fx, gconstpointer data)
{
  g_autoptr(HlLiveListener) listener = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) request = NULL;
  g_autofree char *keylog = g_build_filename (fx->dir, "curl.keys", NULL);
  g_autofree char *resolve = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *why = NULL;
  guint16 port;

  if (!have_program ("curl"))
    return;
  listener = listen_here (FALSE);
  port = hl_live_listener_get_port (listener);
  resolve = g_strdup_printf ("%s:%u:127.0.0.1", HL_PKI_SERVER_NAME, port);
  url = g_strdup_printf ("https://%s:%u/", HL_PKI_SERVER_NAME, port);
  {
    const char *argv[] = { "curl", "--silent", "--show-error", "--max-time", "15", "--noproxy",
                           "*", "--cacert", fx->ca, "--resolve", resolve, url, NULL };

    client = spawn (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, keylog,
                    argv);
  }
  trace = accept_one (listener, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (client, NULL, NULL, &body, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (client));

  g_assert_true (hl_live_trace_succeeded (trace, &why));
  g_assert_cmpstr (body, ==, "Hello from Handshake Lens. This response, and everything before "
                   "it, was captured and decrypted by the server you are talking to.\n");
  request = app_data (trace, HL_SIDE_CLIENT);
  g_assert_true (g_str_has_prefix (request->str, "GET / HTTP/1.1\r\n"));
  g_assert_nonnull (hl_trace_get_live (trace)->software);
  g_assert_true (g_str_has_prefix (hl_trace_get_live (trace)->software, "curl/"));
  assert_same_keylog (trace, keylog);
  assert_schedule_clean (trace);
  assert_remote_items_processed (trace);
}

static void
test_listen_gnutls_cli (Fixture *fx, gconstpointer data)
{
  g_autoptr(HlLiveListener) listener = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) request = NULL;
  g_autofree char *keylog = g_build_filename (fx->dir, "gnutls-cli.keys", NULL);
  g_autofree char *port = NULL;
  g_autofree char *why = NULL;
  GOutputStream *stdin_pipe;

  if (!have_program ("gnutls-cli"))
    return;
  listener = listen_here (FALSE);
  port = g_strdup_printf ("%u", hl_live_listener_get_port (listener));
  {
    const char *argv[] = { "gnutls-cli", "--x509cafile", fx->ca, "--sni-hostname",
                           HL_PKI_SERVER_NAME, "--verify-hostname", HL_PKI_SERVER_NAME, "-p",
                           port, "127.0.0.1", NULL };

    client = spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                      G_SUBPROCESS_FLAGS_STDERR_SILENCE, keylog, argv);
  }
  stdin_pipe = g_subprocess_get_stdin_pipe (client);
  g_output_stream_write_all (stdin_pipe, CLIENT_REQUEST, strlen (CLIENT_REQUEST), NULL, NULL,
                             &error);
  g_assert_no_error (error);

  trace = accept_one (listener, &error);
  g_output_stream_close (stdin_pipe, NULL, NULL);
  reap (client);
  g_assert_no_error (error);
  g_assert_true (hl_live_trace_succeeded (trace, &why));
  request = app_data (trace, HL_SIDE_CLIENT);
  g_assert_cmpstr (request->str, ==, CLIENT_REQUEST);
  assert_same_keylog (trace, keylog);
  assert_schedule_clean (trace);
  assert_remote_items_processed (trace);
}

/* Our server with a certificate of the user's (--cert/--key, here the ECDSA one), asking for
 * a client certificate (--client-auth) that s_client presents: both chains are in the trace,
 * the server's check of the client's chain passed, and the key logs agree. */
static void
test_listen_own_cert_mtls (Fixture *fx, gconstpointer data)
{
  g_autoptr(HlLiveListener) listener = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL, *key = NULL, *ccert = NULL, *ckey = NULL;
  g_autofree char *connect = NULL;
  g_autofree char *why = NULL;
  g_autofree char *keylog = g_build_filename (fx->dir, "mtls.keys", NULL);
  GOutputStream *stdin_pipe;
  const HlVerification *v;

  if (!have_program ("openssl"))
    return;
  identity_files (fx, HL_IDENTITY_SERVER_ECDSA, &cert, &key);
  identity_files (fx, HL_IDENTITY_CLIENT, &ccert, &ckey);
  listener = listen_with (TRUE, cert, key);
  connect = g_strdup_printf ("127.0.0.1:%u", hl_live_listener_get_port (listener));
  {
    const char *argv[] = { "openssl", "s_client", "-connect", connect, "-servername",
                           HL_PKI_SERVER_NAME, "-CAfile", fx->ca, "-verify_return_error",
                           "-cert", ccert, "-key", ckey, "-ign_eof", "-keylogfile", keylog,
                           NULL };

    client = spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                      G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL, argv);
  }
  stdin_pipe = g_subprocess_get_stdin_pipe (client);
  g_output_stream_write_all (stdin_pipe, CLIENT_REQUEST, strlen (CLIENT_REQUEST), NULL, NULL,
                             &error);
  g_assert_no_error (error);
  g_output_stream_close (stdin_pipe, NULL, NULL);
  trace = accept_one (listener, &error);
  reap (client);
  g_assert_no_error (error);

  g_assert_true (hl_live_trace_succeeded (trace, &why));
  g_assert_cmpuint (hl_trace_get_server_chain (trace)->len, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (hl_trace_get_server_chain (trace), 0),
                                hl_pki_get_certificate_der (hl_pki_get_default (NULL),
                                                            HL_IDENTITY_SERVER_ECDSA)));
  /* OpenSSL sends the chain it can build: the client certificate first, maybe its CA after */
  g_assert_cmpuint (hl_trace_get_client_chain (trace)->len, >=, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (hl_trace_get_client_chain (trace), 0),
                                hl_pki_get_certificate_der (hl_pki_get_default (NULL),
                                                            HL_IDENTITY_CLIENT)));
  g_assert_cmpuint (hl_trace_get_verifications (trace)->len, ==, 1);
  v = g_ptr_array_index (hl_trace_get_verifications (trace), 0);
  g_assert_cmpint (v->verifier, ==, HL_SIDE_SERVER);
  g_assert_true (v->trusted);
  assert_same_keylog (trace, keylog);
  assert_schedule_clean (trace);
  assert_remote_items_processed (trace);
}

/* s_client trusts another CA: it refuses our certificate, and its alert is in our trace. */
static void
test_listen_refused (Fixture *fx, gconstpointer data)
{
  g_autoptr(HlLiveListener) listener = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(HlTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *connect = NULL;
  g_autofree char *why = NULL;
  const HlOutcome *outcome;

  if (!have_program ("openssl"))
    return;
  listener = listen_here (FALSE);
  connect = g_strdup_printf ("127.0.0.1:%u", hl_live_listener_get_port (listener));
  {
    const char *argv[] = { "openssl", "s_client", "-connect", connect, "-servername",
                           HL_PKI_SERVER_NAME, "-CAfile", fx->other_ca, "-verify_return_error",
                           "-tls1_2", NULL };

    client = spawn (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                      G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL, argv);
  }
  trace = accept_one (listener, &error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (client), NULL, NULL);
  reap (client);
  g_assert_no_error (error);

  g_assert_false (hl_live_trace_succeeded (trace, &why));
  g_assert_nonnull (strstr (why, "unknown_ca"));
  outcome = hl_trace_get_outcome (trace);
  g_assert_cmpint (outcome->alert_sender, ==, HL_SIDE_CLIENT);
  g_assert_cmpuint (outcome->alert, ==, GNUTLS_A_UNKNOWN_CA);
  g_assert_true (has_event (trace, HL_EVENT_ALERT, HL_SIDE_CLIENT, "unknown_ca"));
}

/* --- Hostile and confused peers -------------------------------------------------------------- */

typedef enum
{
  HOSTILE_GARBAGE,
  HOSTILE_HTTP,
  HOSTILE_OVERSIZED,
  HOSTILE_STALL,
  HOSTILE_TRICKLE,
  HOSTILE_CLOSE,
} Hostile;

typedef struct
{
  const char *name;
  Hostile     how;
  int         code;     /* HL_ENGINE_ERROR_*, or -1: a trace that shows the failure */
  const char *says;     /* in the message */
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "garbage", HOSTILE_GARBAGE, HL_ENGINE_ERROR_NOT_TLS, "not speaking TLS" },
  { "plain-http", HOSTILE_HTTP, HL_ENGINE_ERROR_NOT_TLS, "HTTP/1.1 400 Bad Request" },
  { "oversized-record", HOSTILE_OVERSIZED, -1, "failed" },
  { "stalled", HOSTILE_STALL, HL_ENGINE_ERROR_TIMED_OUT, "timed out during the handshake" },
  { "trickle", HOSTILE_TRICKLE, HL_ENGINE_ERROR_TIMED_OUT, "timed out during the handshake" },
  { "closed-early", HOSTILE_CLOSE, HL_ENGINE_ERROR_NETWORK, "closed the connection" },
};

typedef struct
{
  GSocket *listener;
  Hostile  how;
} HostileServer;

static gpointer
hostile_thread (gpointer data)
{
  HostileServer *hs = data;
  g_autoptr(GSocket) peer = g_socket_accept (hs->listener, NULL, NULL);
  char buf[4096];

  if (peer == NULL)
    return NULL;
  g_socket_set_timeout (peer, 5);
  /* read the ClientHello first, as a server would */
  g_socket_receive (peer, buf, sizeof buf, NULL, NULL);
  switch (hs->how)
    {
    case HOSTILE_GARBAGE:
      g_socket_send (peer, "\x00\x01\x02\x03garbage\xff\xfe", 13, NULL, NULL);
      break;
    case HOSTILE_HTTP:
      {
        const char *r = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";

        g_socket_send (peer, r, strlen (r), NULL, NULL);
      }
      break;
    case HOSTILE_OVERSIZED:
      {
        /* a handshake record that claims 65 535 bytes (the limit is 2^14, RFC 8446 §5.1) */
        static guint8 big[5 + 65535];

        memset (big, 0x41, sizeof big);
        memcpy (big, "\x16\x03\x03\xff\xff", 5);
        g_socket_send (peer, (const char *) big, sizeof big, NULL, NULL);
      }
      break;
    case HOSTILE_STALL:
      g_usleep (2500 * 1000);
      break;
    case HOSTILE_TRICKLE:
      /* a plausible ServerHello record, one byte every 200 ms */
      for (int i = 0; i < 12; i++)
        {
          static const char record[] = "\x16\x03\x03\x00\x40\x02\x00\x00\x3c\x03\x03\x00";

          if (g_socket_send (peer, record + i, 1, NULL, NULL) < 0)
            break;
          g_usleep (200 * 1000);
        }
      break;
    case HOSTILE_CLOSE:
      break;
    }
  g_usleep (100 * 1000);
  g_socket_close (peer, NULL);
  return NULL;
}

static void
test_hostile (Fixture *fx, gconstpointer data)
{
  const HostileCase *c = data;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = NULL;
  HostileServer hs = { NULL, c->how };
  HlLiveOptions o;
  GThread *thread;
  gint64 start;

  hs.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                              &error);
  g_assert_no_error (error);
  g_socket_bind (hs.listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (hs.listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (hs.listener, &error);
  thread = g_thread_new ("hostile", hostile_thread, &hs);

  hl_live_options_init (&o);
  o.host = g_strdup ("127.0.0.1");
  o.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  o.server_name = g_strdup (HL_PKI_SERVER_NAME);
  o.ca_file = g_strdup (fx->ca);
  o.handshake_timeout_ms = 1000;
  o.total_timeout_ms = 5000;
  start = g_get_monotonic_time ();
  trace = hl_live_connect (&o, NULL, &error);
  hl_live_options_clear (&o);
  g_thread_join (thread);
  g_object_unref (hs.listener);

  /* bounded by the time limits, with room for a loaded machine */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_TIME_SPAN_SECOND);
  if (c->code < 0)
    {
      g_autofree char *why = NULL;

      g_assert_no_error (error);
      g_assert_false (hl_live_trace_succeeded (trace, &why));
      g_test_message ("%s", why);
      g_assert_nonnull (strstr (why, c->says));
      return;
    }
  g_assert_null (trace);
  g_assert_error (error, HL_ENGINE_ERROR, c->code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, c->says));
}

static void
test_refused (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = connect_to (fx, hl_test_free_port (), HL_LIVE_VERSIONS_ANY, fx->ca, NULL,
                                         &error);

  g_assert_null (trace);
  g_assert_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "refused"));
}

static void
test_cancel (Fixture *fx, gconstpointer data)
{
  g_autoptr(HlLiveListener) listener = listen_here (FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = NULL;

  g_cancellable_cancel (cancellable);
  trace = hl_live_listener_accept (listener, cancellable, &error);
  g_assert_null (trace);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_parse_address (void)
{
  struct { const char *text, *def_host; guint16 def_port; const char *host; guint16 port; } ok[] = {
    { "example.org", NULL, 443, "example.org", 443 },
    { "example.org:8443", NULL, 443, "example.org", 8443 },
    { "[::1]:4433", NULL, 443, "::1", 4433 },
    { "::1", NULL, 443, "::1", 443 },
    { "8443", "127.0.0.1", 0, "127.0.0.1", 8443 },
    { "0.0.0.0:8443", "127.0.0.1", 0, "0.0.0.0", 8443 },
  };
  const char *bad[] = { "", ":443", "host:0", "host:70000", "host:x", "[::1", "[::1]x" };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autofree char *host = NULL;
      guint16 port = 0;
      g_autoptr(GError) error = NULL;

      g_assert_true (hl_live_parse_address (ok[i].text, ok[i].def_host, ok[i].def_port, &host,
                                            &port, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (host, ==, ok[i].host);
      g_assert_cmpuint (port, ==, ok[i].port);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *host = NULL;
      guint16 port = 0;
      g_autoptr(GError) error = NULL;

      g_assert_false (hl_live_parse_address (bad[i], NULL, 443, &host, &port, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live/parse-address", test_parse_address);
  for (guint i = 0; i < G_N_ELEMENTS (server_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/live/connect/openssl/%s", server_cases[i].name);

      g_test_add (path, Fixture, &server_cases[i], fixture_setup, test_connect_openssl,
                  fixture_teardown);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refuse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/live/connect/refuse/%s", refuse_cases[i].name);

      g_test_add (path, Fixture, &refuse_cases[i], fixture_setup, test_connect_refuse,
                  fixture_teardown);
    }
  for (guint i = 0; i < G_N_ELEMENTS (client_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/live/listen/s_client/%s", client_cases[i].name);

      g_test_add (path, Fixture, &client_cases[i], fixture_setup, test_listen_s_client,
                  fixture_teardown);
    }
  g_test_add ("/live/listen/curl", Fixture, NULL, fixture_setup, test_listen_curl,
              fixture_teardown);
  g_test_add ("/live/listen/gnutls-cli", Fixture, NULL, fixture_setup, test_listen_gnutls_cli,
              fixture_teardown);
  g_test_add ("/live/listen/own-certificate-and-client-certificate", Fixture, NULL,
              fixture_setup, test_listen_own_cert_mtls, fixture_teardown);
  g_test_add ("/live/listen/refused-by-client", Fixture, NULL, fixture_setup,
              test_listen_refused, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/live/hostile/%s", hostile_cases[i].name);

      g_test_add (path, Fixture, &hostile_cases[i], fixture_setup, test_hostile,
                  fixture_teardown);
    }
  g_test_add ("/live/connect/refused", Fixture, NULL, fixture_setup, test_refused,
              fixture_teardown);
  g_test_add ("/live/listen/cancel", Fixture, NULL, fixture_setup, test_cancel,
              fixture_teardown);
  return g_test_run ();
}
