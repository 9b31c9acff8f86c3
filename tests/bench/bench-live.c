/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: live mode against a local `openssl s_server -www` (loopback only). Per round, in
 * this order, interleaved so all see the same machine load:
 *   s_client   `openssl s_client` connects, sends the request, reads the answer, closes
 *   ours       `handshake-lens --connect … --print`: the same exchange, captured, decrypted
 *              and re-derived, the annotated trace printed (a whole process, like s_client,
 *              which prints its session too)
 *   ours+json  the same with `--json /dev/null` instead: the whole trace with every decoded
 *              field written as JSON (more output than s_client makes; shown beside)
 *   in-process hl_live_connect(): the same without process start-up
 * Prints medians and the ratios to s_client, with the goal (≤ 1.5×) beside them. Asserts
 * nothing about time. Usage: bench-live [ROUNDS] (default 50). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gnutls/x509.h>

#include "hl-live.h"
#include "hl-pki.h"
#include "../hl-test-net.h"

#define REQUEST "GET / HTTP/1.0\r\n\r\n"
#define GOAL 1.5

static int
compare (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
median_ms (gint64 *v, guint n)
{
  qsort (v, n, sizeof *v, compare);
  return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) / 1000.0;
}

static char *
write_file (const char *dir, const char *name, GBytes *data)
{
  char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data), NULL))
    g_error ("cannot write %s", path);
  return path;
}

/* Runs @argv to completion with @input on its standard input; returns the microseconds it took. */
static gint64
run_process (const char *const *argv, const char *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                       G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL,
                                                         &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_subprocess_get_successful (process))
    g_error ("%s %s failed", argv[0], argv[1]);
  return g_get_monotonic_time () - t0;
}

int
main (int argc, char *argv[])
{
  guint rounds = argc > 1 ? (guint) MAX (1, atoi (argv[1])) : 50;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hl-bench-live-XXXXXX", NULL);
  g_autofree char *app = g_build_filename (HL_BUILD_ROOT, "app", "handshake-lens", NULL);
  g_autofree gint64 *s_client = g_new (gint64, rounds);
  g_autofree gint64 *ours = g_new (gint64, rounds);
  g_autofree gint64 *ours_json = g_new (gint64, rounds);
  g_autofree gint64 *inproc = g_new (gint64, rounds);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *connect = NULL;
  g_autofree char *cert = NULL, *key = NULL, *ca = NULL;
  gnutls_datum_t pem = { NULL, 0 };
  HlPki *pki = hl_pki_get_default (&error);
  HlLiveOptions options;
  guint16 port = hl_test_free_port ();
  double m_s, m_o, m_j, m_i;

  if (pki == NULL || g_find_program_in_path ("openssl") == NULL)
    {
      g_printerr ("bench-live: needs the demo PKI and openssl (build-aux/install-deps)\n");
      return 1;
    }
  {
    g_autoptr(GBytes) ca_pem = hl_live_dup_demo_ca_pem (&error);
    g_autoptr(GBytes) cert_pem = NULL;

    gnutls_x509_crt_export2 (hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_RSA),
                             GNUTLS_X509_FMT_PEM, &pem);
    cert_pem = g_bytes_new (pem.data, pem.size);
    gnutls_free (pem.data);
    ca = write_file (dir, "ca.pem", ca_pem);
    cert = write_file (dir, "cert.pem", cert_pem);
    key = write_file (dir, "key.pem", hl_pki_get_key_pem (pki, HL_IDENTITY_SERVER_RSA));
  }
  connect = g_strdup_printf ("127.0.0.1:%u", port);
  {
    const char *args[] = { "openssl", "s_server", "-accept", connect, "-www", "-cert", cert,
                           "-key", key, "-quiet", NULL };

    server = g_subprocess_newv (args, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
    if (server == NULL)
      g_error ("s_server: %s", error->message);
  }
  /* -quiet prints nothing: wait until the port answers */
  for (int i = 0; i < 200; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) c = g_socket_client_connect_to_host (client, connect, 0, NULL,
                                                                        NULL);
      if (c != NULL)
        break;
      g_usleep (20000);
    }

  hl_live_options_init (&options);
  options.host = g_strdup ("127.0.0.1");
  options.port = port;
  options.server_name = g_strdup (HL_PKI_SERVER_NAME);
  options.ca_file = g_strdup (ca);
  options.request = g_strdup ("GET / HTTP/1.0\\r\\n\\r\\n");

  for (guint i = 0; i < rounds; i++)
    {
      const char *sc[] = { "openssl", "s_client", "-connect", connect, "-servername",
                           HL_PKI_SERVER_NAME, "-CAfile", ca, "-verify_return_error", "-quiet",
                           NULL };
      const char *hl[] = { app, "--connect", connect, "--server-name", HL_PKI_SERVER_NAME,
                           "--ca-file", ca, "--request", "GET / HTTP/1.0\\r\\n\\r\\n", "--print",
                           NULL };
      const char *hl_json[] = { app, "--connect", connect, "--server-name", HL_PKI_SERVER_NAME,
                                "--ca-file", ca, "--request", "GET / HTTP/1.0\\r\\n\\r\\n",
                                "--json", "/dev/null", NULL };
      gint64 t0;
      HlTrace *trace;

      s_client[i] = run_process (sc, REQUEST);
      ours[i] = run_process (hl, NULL);
      ours_json[i] = run_process (hl_json, NULL);
      t0 = g_get_monotonic_time ();
      trace = hl_live_connect (&options, NULL, &error);
      if (trace == NULL)
        g_error ("in-process: %s", error->message);
      inproc[i] = g_get_monotonic_time () - t0;
      g_object_unref (trace);
    }
  hl_live_options_clear (&options);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);

  m_s = median_ms (s_client, rounds);
  m_o = median_ms (ours, rounds);
  m_j = median_ms (ours_json, rounds);
  m_i = median_ms (inproc, rounds);
  g_print ("live connect to openssl s_server (median of %u, interleaved)\n", rounds);
  g_print ("  %-44s %8.2f ms\n", "openssl s_client (process)", m_s);
  g_print ("  %-44s %8.2f ms  %5.2fx  goal <= %.1fx %s\n",
           "handshake-lens --connect --print (process)", m_o, m_o / m_s, GOAL,
           m_o / m_s <= GOAL ? "met" : "NOT met");
  g_print ("  %-44s %8.2f ms  %5.2fx  (writes the whole trace, every field)\n",
           "handshake-lens --connect --json (process)", m_j, m_j / m_s);
  g_print ("  %-44s %8.2f ms  %5.2fx  (without process start-up)\n",
           "hl_live_connect (in process, capture + check)", m_i, m_i / m_s);

  g_unlink (ca);
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
  return 0;
}
