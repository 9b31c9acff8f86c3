/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "hl-certificate.h"
#include "hl-engine.h"
#include "hl-error.h"

static HlTrace *
run (const char *id)
{
  g_autoptr(GError) error = NULL;
  HlTrace *trace = hl_engine_run_scenario (id, NULL, &error);

  g_assert_no_error (error);
  return trace;
}

static gint64
when (HlTrace *trace)
{
  return hl_trace_get_created (trace) / G_USEC_PER_SEC;
}

/* The server certificate of the classic scenario, read back field by field. */
static void
test_info (void)
{
  g_autoptr(HlTrace) trace = run ("tls12-rsa");
  g_autoptr(GError) error = NULL;
  GBytes *leaf = g_ptr_array_index (hl_trace_get_server_chain (trace), 0);
  g_autoptr(HlCertInfo) info = hl_cert_info_new (leaf, &error);
  g_autoptr(HlCertInfo) ca = hl_cert_info_new (hl_trace_get_ca_certificate (trace), &error);
  g_autofree char *pem = hl_certificate_dup_pem (leaf, &error);
  g_autofree char *full = hl_certificate_dup_full_text (leaf, &error);
  g_autofree char *validity = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (strstr (info->subject, "CN=server.test"));
  g_assert_nonnull (strstr (info->issuer, "Handshake Lens Demo CA"));
  g_assert_cmpstr (info->issuer, ==, ca->subject);
  g_assert_cmpstr (info->key_algorithm, ==, "RSA");
  g_assert_cmpuint (info->key_bits, ==, 2048);
  g_assert_cmpuint (g_bytes_get_size (info->key_modulus), ==, 256);
  g_assert_nonnull (info->key_exponent);
  g_assert_true (g_strv_contains ((const char *const *) info->key_usage, "keyEncipherment"));
  g_assert_true (g_strv_contains ((const char *const *) info->key_usage, "digitalSignature"));
  g_assert_true (g_strv_contains ((const char *const *) info->subject_alt_names,
                                  "DNS:server.test"));
  g_assert_true (g_strv_contains ((const char *const *) info->extended_key_usage,
                                  "serverAuth"));
  g_assert_false (info->is_ca);
  g_assert_true (ca->is_ca);
  g_assert_true (ca->self_signed);
  g_assert_false (info->self_signed);
  g_assert_cmpuint (strlen (info->sha256_fingerprint), ==, 32 * 3 - 1);
  g_assert_nonnull (strstr (info->signature_algorithm, "SHA256"));
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_nonnull (strstr (full, "server.test"));
  validity = hl_cert_info_dup_validity_text (info, when (trace));
  g_assert_true (g_str_has_prefix (validity, "valid for "));
}

static void
test_ecdsa (void)
{
  g_autoptr(HlTrace) trace = run ("tls13-ecdsa");
  g_autoptr(HlCertInfo) info =
    hl_cert_info_new (g_ptr_array_index (hl_trace_get_server_chain (trace), 0), NULL);

  g_assert_nonnull (info);
  g_assert_cmpstr (info->key_curve, ==, "SECP256R1");
  g_assert_cmpuint (g_bytes_get_size (info->key_modulus), ==, 65);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (info->key_modulus, NULL))[0], ==, 4);
  g_assert_null (info->key_exponent);
}

static void
test_not_a_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) junk = g_bytes_new_static ("\x30\x03\x02\x01\x01", 5);
  g_autoptr(HlCertInfo) info = hl_cert_info_new (junk, &error);

  g_assert_null (info);
  g_assert_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_VALUE);
}

typedef struct
{
  const char *id;
  guint       failed_step;   /* index of the step that fails, G_MAXUINT for none */
  const char *detail;        /* a phrase the failing step's detail contains */
} Case;

static const Case cases[] = {
  { "tls12-rsa", G_MAXUINT, NULL },
  { "fail-untrusted-ca", 1, "Unknown issuer" },
  { "fail-expired", 2, "expired" },
  { "fail-hostname", 3, "other.test" },
};

/* The step-by-step explanation follows GnuTLS's own status: exactly one step fails, the one
 * naming the reason. */
static void
test_explain (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(HlTrace) trace = run (c->id);
  GPtrArray *vs = hl_trace_get_verifications (trace);
  g_autoptr(GPtrArray) steps = NULL;
  guint failed = 0;

  g_assert_cmpuint (vs->len, >=, 1);
  steps = hl_verification_explain (trace, g_ptr_array_index (vs, 0), when (trace));
  g_assert_cmpuint (steps->len, ==, 4);
  for (guint i = 0; i < steps->len; i++)
    {
      HlVerifyStep *step = g_ptr_array_index (steps, i);

      g_assert_cmpuint (strlen (step->title), >, 0);
      g_assert_cmpuint (strlen (step->detail), >, 0);
      if (step->check == HL_CHECK_FAILED)
        {
          failed++;
          g_assert_cmpuint (i, ==, c->failed_step);
          g_assert_nonnull (strstr (step->detail, c->detail));
        }
    }
  g_assert_cmpuint (failed, ==, c->failed_step == G_MAXUINT ? 0 : 1);
  if (g_str_equal (c->id, "fail-expired"))
    {
      g_autoptr(HlCertInfo) leaf =
        hl_cert_info_new (g_ptr_array_index (hl_trace_get_server_chain (trace), 0), NULL);
      g_autofree char *text = hl_cert_info_dup_validity_text (leaf, when (trace));

      g_assert_nonnull (strstr (text, "expired 30 days ago"));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/certificate/info", test_info);
  g_test_add_func ("/protocol/certificate/ecdsa", test_ecdsa);
  g_test_add_func ("/protocol/certificate/not-a-certificate", test_not_a_certificate);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/protocol/certificate/explain/%s", cases[i].id);

      g_test_add_data_func (path, &cases[i], test_explain);
    }
  return g_test_run ();
}
