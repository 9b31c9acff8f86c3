/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pki"
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "hl-error.h"
#include "hl-pki.h"

#define N_THREADS 4

/* What each identity must look like; checked field by field against the generated set. */
typedef struct
{
  HlIdentity            id;
  const char           *name;
  const char           *dn;
  HlIdentity            issuer;
  gnutls_pk_algorithm_t pk;
  unsigned              bits;
  gboolean              is_ca;
  unsigned              key_usage;
  const char           *key_purpose;
  const char           *dns_name;
  gboolean              expired;
} Expectation;

#define SERVER_KU (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT)
#define CA_KU (GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN)

static const Expectation expectations[] = {
  { HL_IDENTITY_CA, "ca", "CN=Handshake Lens Demo CA,O=Handshake Lens", HL_IDENTITY_CA,
    GNUTLS_PK_RSA, 2048, TRUE, CA_KU, NULL, NULL, FALSE },
  { HL_IDENTITY_SERVER_RSA, "server-rsa", "CN=server.test,O=Handshake Lens", HL_IDENTITY_CA,
    GNUTLS_PK_RSA, 2048, FALSE, SERVER_KU, GNUTLS_KP_TLS_WWW_SERVER, "server.test", FALSE },
  { HL_IDENTITY_SERVER_ECDSA, "server-ecdsa", "CN=server.test,O=Handshake Lens", HL_IDENTITY_CA,
    GNUTLS_PK_ECDSA, 256, FALSE, GNUTLS_KEY_DIGITAL_SIGNATURE, GNUTLS_KP_TLS_WWW_SERVER,
    "server.test", FALSE },
  { HL_IDENTITY_CLIENT, "client", "CN=Handshake Lens Demo Client,O=Handshake Lens",
    HL_IDENTITY_CA, GNUTLS_PK_ECDSA, 256, FALSE, GNUTLS_KEY_DIGITAL_SIGNATURE,
    GNUTLS_KP_TLS_WWW_CLIENT, NULL, FALSE },
  { HL_IDENTITY_UNTRUSTED_CA, "untrusted-ca", "CN=Untrusted Demo CA,O=Handshake Lens",
    HL_IDENTITY_UNTRUSTED_CA, GNUTLS_PK_ECDSA, 256, TRUE, CA_KU, NULL, NULL, FALSE },
  { HL_IDENTITY_SERVER_UNTRUSTED, "server-untrusted", "CN=server.test,O=Handshake Lens",
    HL_IDENTITY_UNTRUSTED_CA, GNUTLS_PK_RSA, 2048, FALSE, SERVER_KU, GNUTLS_KP_TLS_WWW_SERVER,
    "server.test", FALSE },
  { HL_IDENTITY_SERVER_EXPIRED, "server-expired", "CN=server.test,O=Handshake Lens",
    HL_IDENTITY_CA, GNUTLS_PK_RSA, 2048, FALSE, SERVER_KU, GNUTLS_KP_TLS_WWW_SERVER,
    "server.test", TRUE },
  { HL_IDENTITY_SERVER_WRONG_HOST, "server-wrong-host", "CN=other.test,O=Handshake Lens",
    HL_IDENTITY_CA, GNUTLS_PK_RSA, 2048, FALSE, SERVER_KU, GNUTLS_KP_TLS_WWW_SERVER,
    "other.test", FALSE },
  { HL_IDENTITY_ATTACKER_CA, "attacker-ca", "CN=Intercepting Proxy CA,O=Handshake Lens",
    HL_IDENTITY_ATTACKER_CA, GNUTLS_PK_ECDSA, 256, TRUE, CA_KU, NULL, NULL, FALSE },
  { HL_IDENTITY_SERVER_ATTACKER, "server-attacker", "CN=server.test,O=Handshake Lens",
    HL_IDENTITY_ATTACKER_CA, GNUTLS_PK_ECDSA, 256, FALSE, GNUTLS_KEY_DIGITAL_SIGNATURE,
    GNUTLS_KP_TLS_WWW_SERVER, "server.test", FALSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (expectations) == HL_N_IDENTITIES);

static HlPki *
get_pki (void)
{
  g_autoptr (GError) error = NULL;
  HlPki *pki = hl_pki_get_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (pki);
  return pki;
}

static gnutls_x509_crt_t
import_der (GBytes *der)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum;

  datum.data = (unsigned char *) g_bytes_get_data (der, NULL);
  datum.size = g_bytes_get_size (der);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER), ==,
                   GNUTLS_E_SUCCESS);
  return crt;
}

static char *
status_text (unsigned status)
{
  gnutls_datum_t out = { NULL, 0 };
  char *text;

  g_assert_cmpint (gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &out,
                                                                 0), ==, GNUTLS_E_SUCCESS);
  text = g_strdup ((const char *) out.data);
  gnutls_free (out.data);
  return text;
}

/* Real GnuTLS path validation of @leaf against @anchor alone, with an optional hostname and
 * key purpose check. Returns the verification status (0 = trusted). */
static unsigned
verify (HlPki      *pki,
        HlIdentity  leaf,
        HlIdentity  anchor,
        const char *hostname,
        const char *key_purpose)
{
  gnutls_x509_trust_list_t list = NULL;
  gnutls_x509_crt_t ca = import_der (hl_pki_get_certificate_der (pki, anchor));
  gnutls_x509_crt_t crt = hl_pki_get_certificate (pki, leaf);
  gnutls_typed_vdata_st data[2];
  g_autofree char *text = NULL;
  unsigned n_data = 0;
  unsigned status = 0;

  g_assert_cmpint (gnutls_x509_trust_list_init (&list, 0), ==, GNUTLS_E_SUCCESS);
  /* The list takes the CA copy. */
  g_assert_cmpint (gnutls_x509_trust_list_add_cas (list, &ca, 1, 0), ==, 1);

  if (hostname != NULL)
    data[n_data++] = (gnutls_typed_vdata_st) { GNUTLS_DT_DNS_HOSTNAME,
                                               (unsigned char *) hostname, 0 };
  if (key_purpose != NULL)
    data[n_data++] = (gnutls_typed_vdata_st) { GNUTLS_DT_KEY_PURPOSE_OID,
                                               (unsigned char *) key_purpose, 0 };

  g_assert_cmpint (gnutls_x509_trust_list_verify_crt2 (list, &crt, 1, data, n_data, 0, &status,
                                                       NULL), ==, GNUTLS_E_SUCCESS);
  gnutls_x509_trust_list_deinit (list, 1);

  text = status_text (status);
  g_test_message ("%s against %s: %s", expectations[leaf].name, expectations[anchor].name,
                  text);
  return status;
}

static void
test_ca_self_signed (void)
{
  HlPki *pki = get_pki ();

  g_assert_cmpuint (verify (pki, HL_IDENTITY_CA, HL_IDENTITY_CA, NULL, NULL), ==, 0);
  g_assert_cmpuint (verify (pki, HL_IDENTITY_UNTRUSTED_CA, HL_IDENTITY_UNTRUSTED_CA, NULL, NULL),
                    ==, 0);
  g_assert_cmpuint (verify (pki, HL_IDENTITY_UNTRUSTED_CA, HL_IDENTITY_CA, NULL, NULL), !=, 0);
  g_assert_true (gnutls_x509_crt_check_issuer (hl_pki_get_certificate (pki, HL_IDENTITY_CA),
                                               hl_pki_get_certificate (pki, HL_IDENTITY_CA)));
}

static void
test_ca_signs_server (void)
{
  HlPki *pki = get_pki ();
  gnutls_x509_crt_t crt = hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_RSA);
  unsigned usage = 0;
  unsigned critical = 0;
  unsigned bits = 0;

  g_assert_cmpuint (verify (pki, HL_IDENTITY_SERVER_RSA, HL_IDENTITY_CA, HL_PKI_SERVER_NAME,
                            GNUTLS_KP_TLS_WWW_SERVER), ==, 0);
  g_assert_true (gnutls_x509_crt_check_hostname (crt, HL_PKI_SERVER_NAME));
  g_assert_false (gnutls_x509_crt_check_hostname (crt, HL_PKI_WRONG_HOST_NAME));

  /* RSA key exchange (RFC 5246 §7.4.7.1) encrypts the premaster to this key. */
  g_assert_cmpint (gnutls_x509_crt_get_key_usage (crt, &usage, &critical), >=, 0);
  g_assert_cmpuint (usage & GNUTLS_KEY_KEY_ENCIPHERMENT, ==, GNUTLS_KEY_KEY_ENCIPHERMENT);
  g_assert_cmpuint (usage & GNUTLS_KEY_DIGITAL_SIGNATURE, ==, GNUTLS_KEY_DIGITAL_SIGNATURE);
  g_assert_cmpint (gnutls_x509_crt_get_pk_algorithm (crt, &bits), ==, GNUTLS_PK_RSA);
  g_assert_cmpuint (bits, ==, 2048);
}

static void
test_ca_signs_server_ecdsa (void)
{
  HlPki *pki = get_pki ();
  gnutls_x509_crt_t crt = hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_ECDSA);
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  gnutls_datum_t x = { NULL, 0 };
  gnutls_datum_t y = { NULL, 0 };

  g_assert_cmpuint (verify (pki, HL_IDENTITY_SERVER_ECDSA, HL_IDENTITY_CA, HL_PKI_SERVER_NAME,
                            GNUTLS_KP_TLS_WWW_SERVER), ==, 0);
  g_assert_true (gnutls_x509_crt_check_hostname (crt, HL_PKI_SERVER_NAME));

  g_assert_cmpint (gnutls_x509_crt_get_pk_ecc_raw (crt, &curve, &x, &y), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpint (curve, ==, GNUTLS_ECC_CURVE_SECP256R1);
  gnutls_free (x.data);
  gnutls_free (y.data);
}

static void
test_ca_signs_client (void)
{
  HlPki *pki = get_pki ();

  g_assert_cmpuint (verify (pki, HL_IDENTITY_CLIENT, HL_IDENTITY_CA, NULL,
                            GNUTLS_KP_TLS_WWW_CLIENT), ==, 0);
  /* Client authentication only: the same certificate must not pass as a server's. */
  g_assert_cmpuint (verify (pki, HL_IDENTITY_CLIENT, HL_IDENTITY_CA, NULL,
                            GNUTLS_KP_TLS_WWW_SERVER), !=, 0);
}

static void
test_untrusted (void)
{
  HlPki *pki = get_pki ();
  unsigned status;

  g_assert_cmpuint (verify (pki, HL_IDENTITY_SERVER_UNTRUSTED, HL_IDENTITY_UNTRUSTED_CA,
                            HL_PKI_SERVER_NAME, GNUTLS_KP_TLS_WWW_SERVER), ==, 0);

  status = verify (pki, HL_IDENTITY_SERVER_UNTRUSTED, HL_IDENTITY_CA, HL_PKI_SERVER_NAME,
                   GNUTLS_KP_TLS_WWW_SERVER);
  g_assert_cmpuint (status & GNUTLS_CERT_INVALID, ==, GNUTLS_CERT_INVALID);
  g_assert_cmpuint (status & GNUTLS_CERT_SIGNER_NOT_FOUND, ==, GNUTLS_CERT_SIGNER_NOT_FOUND);
}

static void
test_expired (void)
{
  HlPki *pki = get_pki ();
  gnutls_x509_crt_t crt = hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_EXPIRED);
  unsigned status;

  status = verify (pki, HL_IDENTITY_SERVER_EXPIRED, HL_IDENTITY_CA, HL_PKI_SERVER_NAME,
                   GNUTLS_KP_TLS_WWW_SERVER);
  /* Expired and nothing else: the signature and the name are fine. */
  g_assert_cmpuint (status, ==, GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED);
  g_assert_true (gnutls_x509_crt_check_hostname (crt, HL_PKI_SERVER_NAME));
}

static void
test_wrong_host (void)
{
  HlPki *pki = get_pki ();
  gnutls_x509_crt_t crt = hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_WRONG_HOST);
  unsigned status;

  g_assert_false (gnutls_x509_crt_check_hostname (crt, HL_PKI_SERVER_NAME));
  g_assert_true (gnutls_x509_crt_check_hostname (crt, HL_PKI_WRONG_HOST_NAME));

  g_assert_cmpuint (verify (pki, HL_IDENTITY_SERVER_WRONG_HOST, HL_IDENTITY_CA,
                            HL_PKI_WRONG_HOST_NAME, GNUTLS_KP_TLS_WWW_SERVER), ==, 0);
  status = verify (pki, HL_IDENTITY_SERVER_WRONG_HOST, HL_IDENTITY_CA, HL_PKI_SERVER_NAME,
                   GNUTLS_KP_TLS_WWW_SERVER);
  g_assert_cmpuint (status, ==, GNUTLS_CERT_INVALID | GNUTLS_CERT_UNEXPECTED_OWNER);
}

static void
check_identity (HlPki             *pki,
                const Expectation *e,
                gint64             now)
{
  gnutls_x509_crt_t crt = hl_pki_get_certificate (pki, e->id);
  gnutls_x509_crt_t issuer = hl_pki_get_certificate (pki, e->issuer);
  gnutls_datum_t dn = { NULL, 0 };
  guint8 serial[32];
  size_t serial_size = sizeof serial;
  guint8 ski[64], aki[64], issuer_ski[64];
  size_t ski_size = sizeof ski, aki_size = sizeof aki, issuer_ski_size = sizeof issuer_ski;
  char buf[256];
  size_t buf_size;
  unsigned critical = 0, ca = 0, usage = 0, bits = 0;
  int pathlen = 0;
  int sign;

  g_test_message ("identity %s", e->name);

  g_assert_cmpint (hl_pki_get_issuer (e->id), ==, e->issuer);
  g_assert_true (gnutls_x509_crt_check_issuer (crt, issuer));

  g_assert_cmpint (gnutls_x509_crt_get_version (crt), ==, 3);

  g_assert_cmpint (gnutls_x509_crt_get_dn3 (crt, &dn, 0), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpstr ((const char *) dn.data, ==, e->dn);
  gnutls_free (dn.data);

  /* 16 random octets, positive. */
  g_assert_cmpint (gnutls_x509_crt_get_serial (crt, serial, &serial_size), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpuint (serial_size, ==, 16);
  g_assert_cmpuint (serial[0] & 0x80, ==, 0);

  sign = gnutls_x509_crt_get_signature_algorithm (crt);
  g_assert_cmpint (gnutls_sign_get_hash_algorithm (sign), ==, GNUTLS_DIG_SHA256);

  g_assert_cmpint (gnutls_x509_crt_get_pk_algorithm (crt, &bits), ==, e->pk);
  g_assert_cmpuint (bits, ==, e->bits);

  g_assert_cmpint (gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, &pathlen), >=, 0);
  g_assert_cmpuint (ca, ==, e->is_ca);

  g_assert_cmpint (gnutls_x509_crt_get_key_usage (crt, &usage, &critical), >=, 0);
  g_assert_cmpuint (usage, ==, e->key_usage);
  g_assert_cmpuint (critical, ==, 1);

  buf_size = sizeof buf;
  if (e->key_purpose != NULL)
    {
      g_assert_cmpint (gnutls_x509_crt_get_key_purpose_oid (crt, 0, buf, &buf_size, &critical),
                       ==, GNUTLS_E_SUCCESS);
      g_assert_cmpstr (buf, ==, e->key_purpose);
      buf_size = sizeof buf;
      g_assert_cmpint (gnutls_x509_crt_get_key_purpose_oid (crt, 1, buf, &buf_size, &critical),
                       ==, GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    }
  else
    {
      g_assert_cmpint (gnutls_x509_crt_get_key_purpose_oid (crt, 0, buf, &buf_size, &critical),
                       ==, GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    }

  buf_size = sizeof buf;
  if (e->dns_name != NULL)
    {
      g_assert_cmpint (gnutls_x509_crt_get_subject_alt_name (crt, 0, buf, &buf_size, &critical),
                       ==, GNUTLS_SAN_DNSNAME);
      g_assert_cmpstr (buf, ==, e->dns_name);
    }
  else
    {
      g_assert_cmpint (gnutls_x509_crt_get_subject_alt_name (crt, 0, buf, &buf_size, &critical),
                       ==, GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    }

  g_assert_cmpint (gnutls_x509_crt_get_subject_key_id (crt, ski, &ski_size, &critical), ==,
                   GNUTLS_E_SUCCESS);
  g_assert_cmpuint (ski_size, ==, 20);
  if (e->issuer == e->id)
    {
      /* RFC 5280 §4.2.1.1: optional for a self-signed CA, and omitted. */
      g_assert_cmpint (gnutls_x509_crt_get_authority_key_id (crt, aki, &aki_size, &critical), ==,
                       GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    }
  else
    {
      g_assert_cmpint (gnutls_x509_crt_get_authority_key_id (crt, aki, &aki_size, &critical), ==,
                       GNUTLS_E_SUCCESS);
      g_assert_cmpint (gnutls_x509_crt_get_subject_key_id (issuer, issuer_ski, &issuer_ski_size,
                                                           &critical), ==, GNUTLS_E_SUCCESS);
      g_assert_cmpmem (aki, aki_size, issuer_ski, issuer_ski_size);
    }

  if (e->expired)
    {
      g_assert_cmpint (gnutls_x509_crt_get_expiration_time (crt), <, now);
    }
  else
    {
      g_assert_cmpint (gnutls_x509_crt_get_activation_time (crt), <, now);
      g_assert_cmpint (gnutls_x509_crt_get_expiration_time (crt), >, now + 364 * 24 * 3600);
    }
  /* No certificate is older than its issuer. */
  g_assert_cmpint (gnutls_x509_crt_get_activation_time (crt), >=,
                   gnutls_x509_crt_get_activation_time (issuer));
}

static void
test_identities (void)
{
  HlPki *pki = get_pki ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      g_assert_cmpint (expectations[i].id, ==, i);
      check_identity (pki, &expectations[i], now);
    }
}

static void
test_serials_distinct (void)
{
  HlPki *pki = get_pki ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                       (GDestroyNotify) g_bytes_unref, NULL);

  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    {
      guint8 serial[32];
      size_t size = sizeof serial;

      g_assert_cmpint (gnutls_x509_crt_get_serial (hl_pki_get_certificate (pki, id), serial,
                                                   &size), ==, GNUTLS_E_SUCCESS);
      g_assert_true (g_hash_table_add (seen, g_bytes_new (serial, size)));
    }
}

static void
test_der_round_trip (void)
{
  HlPki *pki = get_pki ();

  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    {
      GBytes *der = hl_pki_get_certificate_der (pki, id);
      gnutls_x509_crt_t copy;
      gnutls_datum_t out = { NULL, 0 };

      g_assert_nonnull (der);
      /* Borrowed and stable: computed once. */
      g_assert_true (der == hl_pki_get_certificate_der (pki, id));

      copy = import_der (der);
      g_assert_true (gnutls_x509_crt_equals (copy, hl_pki_get_certificate (pki, id)));
      g_assert_cmpint (gnutls_x509_crt_export2 (copy, GNUTLS_X509_FMT_DER, &out), ==,
                       GNUTLS_E_SUCCESS);
      g_assert_cmpmem (out.data, out.size, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
      gnutls_free (out.data);
      gnutls_x509_crt_deinit (copy);
    }
}

static void
assert_key_matches (gnutls_x509_privkey_t key,
                    gnutls_x509_crt_t     crt)
{
  guint8 key_id[64], crt_id[64];
  size_t key_id_size = sizeof key_id, crt_id_size = sizeof crt_id;

  g_assert_cmpint (gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA256, key_id,
                                                   &key_id_size), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpint (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA256, crt_id,
                                               &crt_id_size), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpmem (key_id, key_id_size, crt_id, crt_id_size);
}

static void
test_key_pem (void)
{
  HlPki *pki = get_pki ();

  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    {
      GBytes *pem = hl_pki_get_key_pem (pki, id);
      gnutls_x509_privkey_t key = NULL;
      gnutls_datum_t datum;
      g_autofree char *text = NULL;

      g_assert_nonnull (pem);
      g_assert_true (pem == hl_pki_get_key_pem (pki, id));
      text = g_strndup (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem));
      /* Unencrypted PKCS #8 (RFC 5958), not the legacy "RSA PRIVATE KEY" form. */
      g_assert_true (g_str_has_prefix (text, "-----BEGIN PRIVATE KEY-----\n"));

      datum.data = (unsigned char *) g_bytes_get_data (pem, NULL);
      datum.size = g_bytes_get_size (pem);
      g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, GNUTLS_E_SUCCESS);
      g_assert_cmpint (gnutls_x509_privkey_import (key, &datum, GNUTLS_X509_FMT_PEM), ==,
                       GNUTLS_E_SUCCESS);
      assert_key_matches (key, hl_pki_get_certificate (pki, id));
      gnutls_x509_privkey_deinit (key);

      g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, GNUTLS_E_SUCCESS);
      g_assert_cmpint (gnutls_x509_privkey_import_pkcs8 (key, &datum, GNUTLS_X509_FMT_PEM, NULL,
                                                         GNUTLS_PKCS_PLAIN), ==,
                       GNUTLS_E_SUCCESS);
      assert_key_matches (key, hl_pki_get_certificate (pki, id));
      gnutls_x509_privkey_deinit (key);
    }
}

static void
test_key_matches_certificate (void)
{
  HlPki *pki = get_pki ();

  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    {
      g_assert_nonnull (hl_pki_get_key (pki, id));
      assert_key_matches (hl_pki_get_key (pki, id), hl_pki_get_certificate (pki, id));
    }
}

static void
test_credentials (void)
{
  HlPki *pki = get_pki ();
  g_autoptr (GError) error = NULL;
  gnutls_certificate_credentials_t cred = NULL;
  gnutls_x509_trust_list_t trust = NULL;
  gnutls_x509_crt_t *crts = NULL;
  gnutls_x509_crt_t leaf;
  gnutls_x509_privkey_t key = NULL;
  unsigned n_crts = 0;
  unsigned status = 0;

  g_assert_cmpint (gnutls_certificate_allocate_credentials (&cred), ==, GNUTLS_E_SUCCESS);

  g_assert_true (hl_pki_add_to_credentials (pki, HL_IDENTITY_SERVER_RSA, cred, &error));
  g_assert_no_error (error);
  g_assert_true (hl_pki_add_to_credentials (pki, HL_IDENTITY_SERVER_ECDSA, cred, &error));
  g_assert_no_error (error);

  /* The chain is the leaf alone, with its key. */
  for (guint i = 0; i < 2; i++)
    {
      HlIdentity id = i == 0 ? HL_IDENTITY_SERVER_RSA : HL_IDENTITY_SERVER_ECDSA;

      g_assert_cmpint (gnutls_certificate_get_x509_crt (cred, i, &crts, &n_crts), ==,
                       GNUTLS_E_SUCCESS);
      g_assert_cmpuint (n_crts, ==, 1);
      g_assert_true (gnutls_x509_crt_equals (crts[0], hl_pki_get_certificate (pki, id)));
      gnutls_x509_crt_deinit (crts[0]);
      gnutls_free (crts);

      g_assert_cmpint (gnutls_certificate_get_x509_key (cred, i, &key), ==, GNUTLS_E_SUCCESS);
      assert_key_matches (key, hl_pki_get_certificate (pki, id));
      gnutls_x509_privkey_deinit (key);
    }

  g_assert_true (hl_pki_trust (pki, HL_IDENTITY_CA, cred, &error));
  g_assert_no_error (error);
  gnutls_certificate_get_trust_list (cred, &trust);
  leaf = hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_RSA);
  g_assert_cmpint (gnutls_x509_trust_list_verify_crt2 (trust, &leaf, 1, NULL, 0, 0, &status,
                                                       NULL), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpuint (status, ==, 0);
  leaf = hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_UNTRUSTED);
  g_assert_cmpint (gnutls_x509_trust_list_verify_crt2 (trust, &leaf, 1, NULL, 0, 0, &status,
                                                       NULL), ==, GNUTLS_E_SUCCESS);
  g_assert_cmpuint (status & GNUTLS_CERT_SIGNER_NOT_FOUND, ==, GNUTLS_CERT_SIGNER_NOT_FOUND);

  gnutls_certificate_free_credentials (cred);
}

static void
test_default_same (void)
{
  HlPki *first = get_pki ();
  HlPki *second = get_pki ();

  g_assert_true (first == second);
  g_assert_true (hl_pki_get_certificate (first, HL_IDENTITY_CA) ==
                 hl_pki_get_certificate (second, HL_IDENTITY_CA));
}

typedef struct
{
  GMutex mutex;
  GCond  cond;
  gboolean go;
} Gate;

static gpointer
get_default_thread (gpointer data)
{
  Gate *gate = data;

  g_mutex_lock (&gate->mutex);
  while (!gate->go)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);

  return get_pki ();
}

static void
test_default_threads (void)
{
  Gate gate;
  GThread *threads[N_THREADS];
  HlPki *results[N_THREADS];

  /* In a fresh process the default set does not exist yet, so the threads really race to
   * create it rather than finding it made by an earlier test. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  gate.go = FALSE;

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("pki", get_default_thread, &gate);

  g_mutex_lock (&gate.mutex);
  gate.go = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.mutex);

  for (guint i = 0; i < N_THREADS; i++)
    results[i] = g_thread_join (threads[i]);

  for (guint i = 0; i < N_THREADS; i++)
    {
      g_assert_nonnull (results[i]);
      g_assert_true (results[i] == results[0]);
    }
  g_assert_true (get_pki () == results[0]);

  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

static void
test_new_is_fresh (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HlPki) pki = NULL;
  HlPki *def = get_pki ();
  gint64 start = g_get_monotonic_time ();
  unsigned status;

  pki = hl_pki_new (&error);
  g_assert_no_error (error);
  g_assert_nonnull (pki);
  g_test_message ("hl_pki_new took %.1f ms", (g_get_monotonic_time () - start) / 1000.0);

  g_assert_true (pki != def);
  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    g_assert_false (gnutls_x509_crt_equals (hl_pki_get_certificate (pki, id),
                                            hl_pki_get_certificate (def, id)));

  /* Its own chain is complete; the other set's CA has the same name but not the same key. */
  g_assert_cmpuint (verify (pki, HL_IDENTITY_SERVER_RSA, HL_IDENTITY_CA, HL_PKI_SERVER_NAME,
                            GNUTLS_KP_TLS_WWW_SERVER), ==, 0);
  status = 0;
  {
    gnutls_x509_trust_list_t list = NULL;
    gnutls_x509_crt_t ca = import_der (hl_pki_get_certificate_der (def, HL_IDENTITY_CA));
    gnutls_x509_crt_t leaf = hl_pki_get_certificate (pki, HL_IDENTITY_SERVER_RSA);

    g_assert_cmpint (gnutls_x509_trust_list_init (&list, 0), ==, GNUTLS_E_SUCCESS);
    g_assert_cmpint (gnutls_x509_trust_list_add_cas (list, &ca, 1, 0), ==, 1);
    g_assert_cmpint (gnutls_x509_trust_list_verify_crt2 (list, &leaf, 1, NULL, 0, 0, &status,
                                                         NULL), ==, GNUTLS_E_SUCCESS);
    gnutls_x509_trust_list_deinit (list, 1);
  }
  g_assert_cmpuint (status & GNUTLS_CERT_INVALID, ==, GNUTLS_CERT_INVALID);
}

static void
test_free_null (void)
{
  hl_pki_free (NULL);
}

/* The demo set kept between runs. Each step is its own process, as each start of the app is:
 * it writes the SHA-256 of every certificate of the default set to $HL_TEST_PKI_OUT. */

static void
print_default_set (void)
{
  g_autoptr(GError) error = NULL;
  HlPki *pki;

  if (!g_test_subprocess ())
    {
      g_test_skip ("a step of /protocol/pki/cache");
      return;
    }
  hl_pki_set_cache_file (g_getenv ("HL_TEST_PKI_CACHE"));
  pki = hl_pki_get_default (&error);
  g_assert_no_error (error);
  if (g_getenv ("HL_TEST_PKI_RENEW"))
    {
      g_assert_true (hl_pki_renew_default (&error));
      g_assert_no_error (error);
      g_assert_true (hl_pki_get_default (&error) != pki);
      pki = hl_pki_get_default (&error);
    }
  {
    g_autoptr(GString) sums = g_string_new (NULL);

    for (guint id = 0; id < HL_N_IDENTITIES; id++)
      {
        g_autofree char *sum =
          g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, hl_pki_get_certificate_der (pki, id));

        g_string_append_printf (sums, "%s\n", sum);
      }
    g_assert_true (g_file_set_contents (g_getenv ("HL_TEST_PKI_OUT"), sums->str, -1, &error));
    g_assert_no_error (error);
  }
}

static char *
run_default_set (const char *renew)
{
  if (renew)
    g_setenv ("HL_TEST_PKI_RENEW", "1", TRUE);
  else
    g_unsetenv ("HL_TEST_PKI_RENEW");
  g_test_trap_subprocess ("/protocol/pki/cache/step", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  {
    g_autoptr(GError) error = NULL;
    char *sums = NULL;

    g_assert_true (g_file_get_contents (g_getenv ("HL_TEST_PKI_OUT"), &sums, NULL, &error));
    g_assert_no_error (error);
    return sums;
  }
}

static void
test_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-pki-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *out = NULL;
  g_autofree char *first = NULL, *second = NULL, *third = NULL, *fourth = NULL, *fifth = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  path = g_build_filename (dir, "sub", "demo-pki", NULL);
  g_setenv ("HL_TEST_PKI_CACHE", path, TRUE);
  out = g_build_filename (dir, "sums", NULL);
  g_setenv ("HL_TEST_PKI_OUT", out, TRUE);

  /* the first start generates the set and keeps it, for the user alone */
  first = run_default_set (NULL);
  g_assert_cmpuint (strlen (first), ==, HL_N_IDENTITIES * 65);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* the next one reads it back */
  second = run_default_set (NULL);
  g_assert_cmpstr (first, ==, second);

  /* a damaged file is replaced by a new set */
  g_assert_true (g_file_set_contents (path, "[Handshake Lens demo PKI]\nformat=1\n", -1,
                                      &error));
  g_assert_no_error (error);
  third = run_default_set (NULL);
  g_assert_cmpstr (third, !=, first);
  g_assert_cmpuint (strlen (third), ==, HL_N_IDENTITIES * 65);
  fourth = run_default_set (NULL);
  g_assert_cmpstr (fourth, ==, third);

  /* Make New Certificates: a new set, kept for the next start */
  fifth = run_default_set ("renew");
  g_assert_cmpstr (fifth, !=, fourth);
  g_free (first);
  first = run_default_set (NULL);
  g_assert_cmpstr (first, ==, fifth);

  g_unsetenv ("HL_TEST_PKI_CACHE");
  g_unsetenv ("HL_TEST_PKI_RENEW");
  g_unsetenv ("HL_TEST_PKI_OUT");
  g_remove (out);
  g_remove (path);
  sub = g_path_get_dirname (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/protocol/pki/default-threads", test_default_threads);
  g_test_add_func ("/protocol/pki/default-same", test_default_same);
  g_test_add_func ("/protocol/pki/ca-self-signed", test_ca_self_signed);
  g_test_add_func ("/protocol/pki/ca-signs-server", test_ca_signs_server);
  g_test_add_func ("/protocol/pki/ca-signs-server-ecdsa", test_ca_signs_server_ecdsa);
  g_test_add_func ("/protocol/pki/ca-signs-client", test_ca_signs_client);
  g_test_add_func ("/protocol/pki/untrusted", test_untrusted);
  g_test_add_func ("/protocol/pki/expired", test_expired);
  g_test_add_func ("/protocol/pki/wrong-host", test_wrong_host);
  g_test_add_func ("/protocol/pki/identities", test_identities);
  g_test_add_func ("/protocol/pki/serials-distinct", test_serials_distinct);
  g_test_add_func ("/protocol/pki/der-round-trip", test_der_round_trip);
  g_test_add_func ("/protocol/pki/key-pem", test_key_pem);
  g_test_add_func ("/protocol/pki/key-matches-certificate", test_key_matches_certificate);
  g_test_add_func ("/protocol/pki/credentials", test_credentials);
  g_test_add_func ("/protocol/pki/new-is-fresh", test_new_is_fresh);
  g_test_add_func ("/protocol/pki/free-null", test_free_null);
  g_test_add_func ("/protocol/pki/cache", test_cache);
  g_test_add_func ("/protocol/pki/cache/step", print_default_set);

  return g_test_run ();
}
