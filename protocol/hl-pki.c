/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-pki"
#include "config.h"

#include "hl-pki.h"

#include <gnutls/crypto.h>
#include <string.h>
#include <time.h>

#include "hl-error.h"

/* Sections: identity table, error helper, generation, public API. */

#define DAY ((gint64) 24 * 60 * 60)
#define SERIAL_SIZE 16

/* The expired leaf was issued 400 days ago; the CAs start before it so that no certificate
 * claims to be older than its issuer. Everything that is meant to be valid ends a year from
 * now. */
#define VALID_NOT_BEFORE (-60 * 60)
#define CA_NOT_BEFORE (-401 * DAY)
#define VALID_NOT_AFTER (365 * DAY)
#define EXPIRED_NOT_BEFORE (-400 * DAY)
#define EXPIRED_NOT_AFTER (-30 * DAY)

#define ORGANIZATION "Handshake Lens"

typedef enum
{
  KEY_RSA_2048,
  KEY_ECDSA_P256,
  /* The failure leaves only need to be rejected, not distinct: reusing the RSA server key keeps
   * start-up to two RSA key generations. */
  KEY_SERVER_RSA,
} KeySource;

typedef struct
{
  const char *label;       /* for error messages */
  const char *common_name;
  const char *dns_name;    /* subjectAltName dNSName, or NULL */
  HlIdentity  issuer;
  KeySource   key_source;
  gboolean    is_ca;
  unsigned    key_usage;
  const char *key_purpose; /* extendedKeyUsage OID, or NULL */
  gint64      not_before;  /* seconds relative to the generation time */
  gint64      not_after;
} IdentitySpec;

/* RFC 5246 §7.4.2: a certificate used for RSA key exchange must allow key encipherment; one
 * used for (EC)DHE signs the key exchange and needs digitalSignature only. Issuers come before
 * their leaves, so generating in enum order always finds the issuer ready. */
static const IdentitySpec specs[HL_N_IDENTITIES] = {
  [HL_IDENTITY_CA] = {
    "the demo CA certificate", "Handshake Lens Demo CA", NULL,
    HL_IDENTITY_CA, KEY_RSA_2048, TRUE,
    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN, NULL,
    CA_NOT_BEFORE, VALID_NOT_AFTER,
  },
  [HL_IDENTITY_SERVER_RSA] = {
    "the RSA server certificate", HL_PKI_SERVER_NAME, HL_PKI_SERVER_NAME,
    HL_IDENTITY_CA, KEY_RSA_2048, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT, GNUTLS_KP_TLS_WWW_SERVER,
    VALID_NOT_BEFORE, VALID_NOT_AFTER,
  },
  [HL_IDENTITY_SERVER_ECDSA] = {
    "the ECDSA server certificate", HL_PKI_SERVER_NAME, HL_PKI_SERVER_NAME,
    HL_IDENTITY_CA, KEY_ECDSA_P256, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE, GNUTLS_KP_TLS_WWW_SERVER,
    VALID_NOT_BEFORE, VALID_NOT_AFTER,
  },
  [HL_IDENTITY_CLIENT] = {
    "the client certificate", "Handshake Lens Demo Client", NULL,
    HL_IDENTITY_CA, KEY_ECDSA_P256, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE, GNUTLS_KP_TLS_WWW_CLIENT,
    VALID_NOT_BEFORE, VALID_NOT_AFTER,
  },
  [HL_IDENTITY_UNTRUSTED_CA] = {
    "the untrusted CA certificate", "Untrusted Demo CA", NULL,
    HL_IDENTITY_UNTRUSTED_CA, KEY_ECDSA_P256, TRUE,
    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN, NULL,
    CA_NOT_BEFORE, VALID_NOT_AFTER,
  },
  [HL_IDENTITY_SERVER_UNTRUSTED] = {
    "the server certificate from the untrusted CA", HL_PKI_SERVER_NAME, HL_PKI_SERVER_NAME,
    HL_IDENTITY_UNTRUSTED_CA, KEY_SERVER_RSA, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT, GNUTLS_KP_TLS_WWW_SERVER,
    VALID_NOT_BEFORE, VALID_NOT_AFTER,
  },
  [HL_IDENTITY_SERVER_EXPIRED] = {
    "the expired server certificate", HL_PKI_SERVER_NAME, HL_PKI_SERVER_NAME,
    HL_IDENTITY_CA, KEY_SERVER_RSA, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT, GNUTLS_KP_TLS_WWW_SERVER,
    EXPIRED_NOT_BEFORE, EXPIRED_NOT_AFTER,
  },
  [HL_IDENTITY_SERVER_WRONG_HOST] = {
    "the wrong-host server certificate", HL_PKI_WRONG_HOST_NAME, HL_PKI_WRONG_HOST_NAME,
    HL_IDENTITY_CA, KEY_SERVER_RSA, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT, GNUTLS_KP_TLS_WWW_SERVER,
    VALID_NOT_BEFORE, VALID_NOT_AFTER,
  },
};

typedef struct
{
  gnutls_x509_crt_t     crt;
  gnutls_x509_privkey_t key;
  GBytes               *der;
  GBytes               *key_pem;
} Entry;

struct _HlPki
{
  Entry entries[HL_N_IDENTITIES];
};

typedef struct
{
  HlPki  *pki;
  GError *error;
} DefaultPki;

static gboolean set_gnutls_error (GError    **error,
                                  int         rc,
                                  const char *format,
                                  ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_gnutls_error (GError    **error,
                  int         rc,
                  const char *format,
                  ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP,
               "Could not %s: %s (GnuTLS error %d)", what, gnutls_strerror (rc), rc);
  return FALSE;
}

static void
wipe_datum (gpointer data)
{
  gnutls_datum_t *datum = data;

  gnutls_memset (datum->data, 0, datum->size);
  gnutls_free (datum->data);
  g_free (datum);
}

static gboolean
generate_key (const IdentitySpec    *spec,
              HlPki                 *pki,
              gnutls_x509_privkey_t *out,
              GError               **error)
{
  gnutls_x509_privkey_t key = NULL;
  int rc;

  if ((rc = gnutls_x509_privkey_init (&key)) < 0)
    return set_gnutls_error (error, rc, "allocate the key of %s", spec->label);

  switch (spec->key_source)
    {
    case KEY_RSA_2048:
      rc = gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0);
      break;
    case KEY_ECDSA_P256:
      rc = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                         GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0);
      break;
    case KEY_SERVER_RSA:
      /* A copy, so that every entry owns (and wipes) its own key. */
      g_assert (pki->entries[HL_IDENTITY_SERVER_RSA].key != NULL);
      rc = gnutls_x509_privkey_cpy (key, pki->entries[HL_IDENTITY_SERVER_RSA].key);
      break;
    default:
      g_assert_not_reached ();
    }

  if (rc < 0)
    {
      gnutls_x509_privkey_deinit (key);
      return set_gnutls_error (error, rc, "generate the key of %s", spec->label);
    }

  *out = key;
  return TRUE;
}

static gboolean
set_random_serial (const IdentitySpec *spec,
                   gnutls_x509_crt_t   crt,
                   GError            **error)
{
  guint8 serial[SERIAL_SIZE];
  int rc;

  if ((rc = gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial)) < 0)
    return set_gnutls_error (error, rc, "draw the serial number of %s", spec->label);

  /* RFC 5280 §4.1.2.2: the serial is a positive INTEGER of at most 20 octets. Clearing the top
   * bit keeps it positive; a non-zero first octet keeps its encoding exactly 16 octets. */
  serial[0] &= 0x7f;
  serial[0] |= 0x01;

  if ((rc = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0)
    return set_gnutls_error (error, rc, "set the serial number of %s", spec->label);

  return TRUE;
}

static gboolean
set_subject (const IdentitySpec *spec,
             gnutls_x509_crt_t   crt,
             GError            **error)
{
  int rc;

  /* Added in this order, the DN reads "CN=…,O=Handshake Lens" (RFC 4514 reverses it). */
  rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                      ORGANIZATION, strlen (ORGANIZATION));
  if (rc >= 0)
    rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                        spec->common_name, strlen (spec->common_name));
  if (rc < 0)
    return set_gnutls_error (error, rc, "set the subject of %s", spec->label);

  return TRUE;
}

static gboolean
set_extensions (const IdentitySpec   *spec,
                gnutls_x509_crt_t     crt,
                gnutls_x509_privkey_t key,
                gnutls_x509_crt_t     issuer_crt,
                GError              **error)
{
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  int rc;

  if ((rc = gnutls_x509_crt_set_basic_constraints (crt, spec->is_ca, -1)) < 0)
    return set_gnutls_error (error, rc, "set the basic constraints of %s", spec->label);

  if ((rc = gnutls_x509_crt_set_key_usage (crt, spec->key_usage)) < 0)
    return set_gnutls_error (error, rc, "set the key usage of %s", spec->label);

  if (spec->key_purpose != NULL &&
      (rc = gnutls_x509_crt_set_key_purpose_oid (crt, spec->key_purpose, 0)) < 0)
    return set_gnutls_error (error, rc, "set the extended key usage of %s", spec->label);

  if (spec->dns_name != NULL &&
      (rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, spec->dns_name,
                                                  strlen (spec->dns_name), GNUTLS_FSAN_SET)) < 0)
    return set_gnutls_error (error, rc, "set the subject alternative name of %s", spec->label);

  rc = gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size);
  if (rc < 0)
    return set_gnutls_error (error, rc, "set the subject key identifier of %s", spec->label);

  /* RFC 5280 §4.2.1.1: a self-signed CA may omit the authority key identifier; every other
   * certificate names its issuer's subject key identifier. */
  if (issuer_crt != crt)
    {
      key_id_size = sizeof key_id;
      rc = gnutls_x509_crt_get_subject_key_id (issuer_crt, key_id, &key_id_size, NULL);
      if (rc >= 0)
        rc = gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size);
      if (rc < 0)
        return set_gnutls_error (error, rc, "set the authority key identifier of %s",
                                 spec->label);
    }

  return TRUE;
}

static gboolean
export_entry (const IdentitySpec *spec,
              Entry              *entry,
              GError            **error)
{
  gnutls_datum_t der = { NULL, 0 };
  gnutls_datum_t *pem;
  gnutls_x509_crt_t parsed = NULL;
  int rc;

  if ((rc = gnutls_x509_crt_export2 (entry->crt, GNUTLS_X509_FMT_DER, &der)) < 0)
    return set_gnutls_error (error, rc, "export %s as DER", spec->label);
  entry->der = g_bytes_new (der.data, der.size);

  /* A certificate built field by field lacks what GnuTLS caches when it parses one (raw issuer
   * DN, subjectAltName list), so path validation would not find its issuer and
   * get_subject_alt_name would report nothing. Hand out the certificate parsed from its own
   * DER instead: exactly what a peer receives. */
  rc = gnutls_x509_crt_init (&parsed);
  if (rc >= 0)
    rc = gnutls_x509_crt_import (parsed, &der, GNUTLS_X509_FMT_DER);
  gnutls_free (der.data);
  if (rc < 0)
    {
      g_clear_pointer (&parsed, gnutls_x509_crt_deinit);
      return set_gnutls_error (error, rc, "parse %s back from DER", spec->label);
    }
  gnutls_x509_crt_deinit (entry->crt);
  entry->crt = parsed;

  pem = g_new0 (gnutls_datum_t, 1);
  rc = gnutls_x509_privkey_export2_pkcs8 (entry->key, GNUTLS_X509_FMT_PEM, NULL,
                                          GNUTLS_PKCS_PLAIN, pem);
  if (rc < 0)
    {
      g_free (pem);
      return set_gnutls_error (error, rc, "export the key of %s as PKCS #8", spec->label);
    }
  /* The GBytes owns the PEM text and wipes it when the last reference goes. */
  entry->key_pem = g_bytes_new_with_free_func (pem->data, pem->size, wipe_datum, pem);

  return TRUE;
}

static gboolean
generate_identity (HlPki     *pki,
                   HlIdentity id,
                   time_t     now,
                   GError   **error)
{
  const IdentitySpec *spec = &specs[id];
  Entry *entry = &pki->entries[id];
  Entry *issuer = &pki->entries[spec->issuer];
  int rc;

  g_assert (spec->issuer <= id);

  /* Stored at once, so hl_pki_free () cleans up whatever a failure leaves behind. */
  if (!generate_key (spec, pki, &entry->key, error))
    return FALSE;

  if ((rc = gnutls_x509_crt_init (&entry->crt)) < 0)
    {
      entry->crt = NULL;
      return set_gnutls_error (error, rc, "allocate %s", spec->label);
    }

  if ((rc = gnutls_x509_crt_set_version (entry->crt, 3)) < 0)
    return set_gnutls_error (error, rc, "set the version of %s", spec->label);

  if (!set_random_serial (spec, entry->crt, error) || !set_subject (spec, entry->crt, error))
    return FALSE;

  rc = gnutls_x509_crt_set_activation_time (entry->crt, now + spec->not_before);
  if (rc >= 0)
    rc = gnutls_x509_crt_set_expiration_time (entry->crt, now + spec->not_after);
  if (rc < 0)
    return set_gnutls_error (error, rc, "set the validity of %s", spec->label);

  if ((rc = gnutls_x509_crt_set_key (entry->crt, entry->key)) < 0)
    return set_gnutls_error (error, rc, "set the public key of %s", spec->label);

  if (!set_extensions (spec, entry->crt, entry->key, issuer->crt, error))
    return FALSE;

  if ((rc = gnutls_x509_crt_sign2 (entry->crt, issuer->crt, issuer->key, GNUTLS_DIG_SHA256,
                                   0)) < 0)
    return set_gnutls_error (error, rc, "sign %s", spec->label);

  return export_entry (spec, entry, error);
}

/**
 * hl_pki_new:
 * @error: return location for a #GError
 *
 * Generates a complete, fresh set of keys and certificates. This generates two RSA-2048 keys,
 * so it must not run on the main thread.
 *
 * Returns: (transfer full): the new set, or %NULL with @error set (%HL_ENGINE_ERROR_SETUP)
 */
HlPki *
hl_pki_new (GError **error)
{
  g_autoptr (HlPki) pki = g_new0 (HlPki, 1);
  time_t now = (time_t) (g_get_real_time () / G_USEC_PER_SEC);

  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    if (!generate_identity (pki, (HlIdentity) id, now, error))
      return NULL;

  return g_steal_pointer (&pki);
}

static gpointer
generate_default (gpointer data)
{
  DefaultPki *result = g_new0 (DefaultPki, 1);

  result->pki = hl_pki_new (&result->error);

  return result;
}

/**
 * hl_pki_get_default:
 * @error: return location for a #GError
 *
 * Returns the process-wide set, generating it on the first call. Concurrent first calls wait
 * for one generation. A failure is kept and reported again on every later call.
 *
 * Returns: (transfer none): the set, owned by the process, or %NULL with @error set
 */
HlPki *
hl_pki_get_default (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  const DefaultPki *result = g_once (&once, generate_default, NULL);

  if (result->error != NULL)
    {
      g_propagate_error (error, g_error_copy (result->error));
      return NULL;
    }

  return result->pki;
}

/**
 * hl_pki_free:
 * @pki: (nullable): a set from hl_pki_new()
 *
 * Frees the set. Private keys are zeroised by GnuTLS on deinit, and the PEM copies are
 * wiped when their last reference goes (which is here, unless a caller kept one).
 */
void
hl_pki_free (HlPki *pki)
{
  if (pki == NULL)
    return;

  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    {
      Entry *entry = &pki->entries[id];

      g_clear_pointer (&entry->der, g_bytes_unref);
      g_clear_pointer (&entry->key_pem, g_bytes_unref);
      g_clear_pointer (&entry->crt, gnutls_x509_crt_deinit);
      g_clear_pointer (&entry->key, gnutls_x509_privkey_deinit);
    }

  g_free (pki);
}

/**
 * hl_pki_get_certificate:
 * @pki: a set
 * @id: an identity
 *
 * Returns: (transfer none): the identity's certificate
 */
gnutls_x509_crt_t
hl_pki_get_certificate (HlPki     *pki,
                        HlIdentity id)
{
  g_return_val_if_fail (pki != NULL, NULL);
  g_return_val_if_fail ((guint) id < HL_N_IDENTITIES, NULL);

  return pki->entries[id].crt;
}

/**
 * hl_pki_get_key:
 * @pki: a set
 * @id: an identity
 *
 * Returns: (transfer none): the identity's private key
 */
gnutls_x509_privkey_t
hl_pki_get_key (HlPki     *pki,
                HlIdentity id)
{
  g_return_val_if_fail (pki != NULL, NULL);
  g_return_val_if_fail ((guint) id < HL_N_IDENTITIES, NULL);

  return pki->entries[id].key;
}

/**
 * hl_pki_get_issuer:
 * @id: an identity
 *
 * Returns: the CA that signed @id; a CA is its own issuer
 */
HlIdentity
hl_pki_get_issuer (HlIdentity id)
{
  g_return_val_if_fail ((guint) id < HL_N_IDENTITIES, HL_IDENTITY_CA);

  return specs[id].issuer;
}

/**
 * hl_pki_get_certificate_der:
 * @pki: a set
 * @id: an identity
 *
 * Returns: (transfer none): the DER encoding of the identity's certificate
 */
GBytes *
hl_pki_get_certificate_der (HlPki     *pki,
                            HlIdentity id)
{
  g_return_val_if_fail (pki != NULL, NULL);
  g_return_val_if_fail ((guint) id < HL_N_IDENTITIES, NULL);

  return pki->entries[id].der;
}

/**
 * hl_pki_get_key_pem:
 * @pki: a set
 * @id: an identity
 *
 * Returns: (transfer none): the identity's private key as unencrypted PKCS #8 PEM
 */
GBytes *
hl_pki_get_key_pem (HlPki     *pki,
                    HlIdentity id)
{
  g_return_val_if_fail (pki != NULL, NULL);
  g_return_val_if_fail ((guint) id < HL_N_IDENTITIES, NULL);

  return pki->entries[id].key_pem;
}

/**
 * hl_pki_add_to_credentials:
 * @pki: a set
 * @id: an identity
 * @cred: credentials to fill
 * @error: return location for a #GError
 *
 * Adds the identity's certificate (alone, without its CA) and key to @cred.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_pki_add_to_credentials (HlPki                           *pki,
                           HlIdentity                       id,
                           gnutls_certificate_credentials_t cred,
                           GError                         **error)
{
  int rc;

  g_return_val_if_fail (pki != NULL, FALSE);
  g_return_val_if_fail ((guint) id < HL_N_IDENTITIES, FALSE);
  g_return_val_if_fail (cred != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rc = gnutls_certificate_set_x509_key (cred, &pki->entries[id].crt, 1, pki->entries[id].key);
  if (rc < 0)
    return set_gnutls_error (error, rc, "load %s and its key into the credentials",
                             specs[id].label);

  return TRUE;
}

/**
 * hl_pki_trust:
 * @pki: a set
 * @id: an identity
 * @cred: credentials to fill
 * @error: return location for a #GError
 *
 * Adds the identity's certificate to @cred as a trust anchor.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_pki_trust (HlPki                           *pki,
              HlIdentity                       id,
              gnutls_certificate_credentials_t cred,
              GError                         **error)
{
  int rc;

  g_return_val_if_fail (pki != NULL, FALSE);
  g_return_val_if_fail ((guint) id < HL_N_IDENTITIES, FALSE);
  g_return_val_if_fail (cred != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rc = gnutls_certificate_set_x509_trust (cred, &pki->entries[id].crt, 1);
  if (rc < 0)
    return set_gnutls_error (error, rc, "trust %s", specs[id].label);

  return TRUE;
}
