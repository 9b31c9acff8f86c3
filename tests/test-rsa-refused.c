/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A system whose GnuTLS refuses RSA key exchange: meson runs this program with
 * GNUTLS_SYSTEM_PRIORITY_FILE=tests/data/gnutls-no-rsa-kx.config ([overrides]
 * allow-rsa-pkcs1-encrypt = false, read when GnuTLS starts). The RSA key exchange scenarios end
 * in HL_ENGINE_ERROR_REFUSED with a message that says so, not in "failed unexpectedly"; the
 * forward-secret scenarios still run. Where the linked GnuTLS has no such override (3.7) the
 * RSA scenarios run normally and the test is skipped. */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>

#include "hl-engine.h"
#include "hl-error.h"
#include "hl-trace.h"

static void
test_rsa_refused (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = NULL;

  trace = hl_engine_run_scenario (id, NULL, &error);
  if (trace != NULL)
    {
      /* the override came with GnuTLS 3.8; older ones ignore the unknown key and run RSA */
      g_assert_no_error (error);
      if (gnutls_check_version ("3.8.0") != NULL)
        g_error ("GnuTLS %s ran %s although allow-rsa-pkcs1-encrypt = false",
                 gnutls_check_version (NULL), id);
      {
        g_autofree char *why = g_strdup_printf ("GnuTLS %s has no allow-rsa-pkcs1-encrypt "
                                                "override", gnutls_check_version (NULL));

        g_test_skip (why);
        return;
      }
    }
  g_assert_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "refuses RSA key exchange"));
  g_assert_nonnull (strstr (error->message, "allow-rsa-pkcs1-encrypt"));
  g_assert_null (strstr (error->message, "unexpectedly"));
}

/* what does not encrypt with RSA still runs under the same configuration */
static void
test_forward_secret_runs (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = hl_engine_run_scenario (id, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (trace);
  g_assert_true (hl_trace_get_outcome (trace)->client_ok);
}

int
main (int argc, char *argv[])
{
  static const char *const refused[] = { "tls12-rsa", "tls12-rsa-ems", "tls12-cbc" };
  static const char *const running[] = { "tls12-ecdhe-rsa", "tls13" };

  const char *file = g_getenv ("GNUTLS_SYSTEM_PRIORITY_FILE");

  g_test_init (&argc, &argv, NULL);
  /* set by meson: GnuTLS reads it when the library loads, before main */
  g_assert_nonnull (file);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/rsa-refused/%s", refused[i]);

      g_test_add_data_func (path, refused[i], test_rsa_refused);
    }
  for (guint i = 0; i < G_N_ELEMENTS (running); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/rsa-refused/still-runs/%s", running[i]);

      g_test_add_data_func (path, running[i], test_forward_secret_runs);
    }
  return g_test_run ();
}
