/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-pki"
#include "config.h"

#include "hl-pki.h"

#include <errno.h>
#include <gnutls/crypto.h>
#include <glib/gstdio.h>
#include <string.h>
#include <time.h>

#include "hl-error.h"

/* Sections: identity table, error helper, generation, the demo set kept between runs, the
 * process-wide set, public API. */

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
  /* An interception proxy makes up its own CA and, for each site, a certificate with the site's
   * name: the name is right, only the issuer gives it away. */
  [HL_IDENTITY_ATTACKER_CA] = {
    "the attacker's CA certificate", "Intercepting Proxy CA", NULL,
    HL_IDENTITY_ATTACKER_CA, KEY_ECDSA_P256, TRUE,
    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN, NULL,
    CA_NOT_BEFORE, VALID_NOT_AFTER,
  },
  [HL_IDENTITY_SERVER_ATTACKER] = {
    "the attacker's server certificate", HL_PKI_SERVER_NAME, HL_PKI_SERVER_NAME,
    HL_IDENTITY_ATTACKER_CA, KEY_ECDSA_P256, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE, GNUTLS_KP_TLS_WWW_SERVER,
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

/* The demo set kept between runs */

#define CACHE_GROUP_FORMAT "Handshake Lens demo PKI"
#define CACHE_FORMAT 1
/* a cached set is made again before anything meant to be valid gets close to its end */
#define CACHE_MARGIN (30 * DAY)

static const char *const identity_keys[HL_N_IDENTITIES] = {
  "ca", "server-rsa", "server-ecdsa", "client", "untrusted-ca", "server-untrusted",
  "server-expired", "server-wrong-host", "attacker-ca", "server-attacker",
};

static char *
dup_base64 (const gnutls_datum_t *datum)
{
  return g_base64_encode (datum->data, datum->size);
}

/* The set as a key file: per identity its certificate and its key (PKCS #8), base64 DER. */
static char *
dup_key_file_data (HlPki *pki, gsize *length, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_key_file_set_integer (file, CACHE_GROUP_FORMAT, "format", CACHE_FORMAT);
  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    {
      Entry *entry = &pki->entries[id];
      gnutls_datum_t key = { NULL, 0 };
      gsize n = 0;
      const guint8 *der = g_bytes_get_data (entry->der, &n);
      g_autofree char *crt_text = g_base64_encode (der, n);
      char *key_text;
      int rc;

      rc = gnutls_x509_privkey_export2_pkcs8 (entry->key, GNUTLS_X509_FMT_DER, NULL,
                                              GNUTLS_PKCS_PLAIN, &key);
      if (rc < 0)
        {
          set_gnutls_error (error, rc, "export the key of %s", specs[id].label);
          return NULL;
        }
      key_text = dup_base64 (&key);
      gnutls_memset (key.data, 0, key.size);
      gnutls_free (key.data);
      g_key_file_set_string (file, identity_keys[id], "certificate", crt_text);
      g_key_file_set_string (file, identity_keys[id], "key", key_text);
      gnutls_memset (key_text, 0, strlen (key_text));
      g_free (key_text);
    }
  return g_key_file_to_data (file, length, error);
}

static gboolean
load_entry (GKeyFile *file, HlIdentity id, Entry *entry, time_t now, GError **error)
{
  const IdentitySpec *spec = &specs[id];
  g_autofree char *crt_text = g_key_file_get_string (file, identity_keys[id], "certificate",
                                                     error);
  char *key_text = crt_text ? g_key_file_get_string (file, identity_keys[id], "key", error)
                            : NULL;
  gnutls_datum_t der = { NULL, 0 }, key = { NULL, 0 };
  gsize n = 0;
  time_t not_after, not_before;
  gboolean expired = spec->not_after < 0;
  int rc;

  if (key_text == NULL)
    return FALSE;
  der.data = g_base64_decode (crt_text, &n);
  der.size = (unsigned int) n;
  key.data = g_base64_decode (key_text, &n);
  key.size = (unsigned int) n;
  gnutls_memset (key_text, 0, strlen (key_text));
  g_free (key_text);

  rc = gnutls_x509_crt_init (&entry->crt);
  if (rc >= 0)
    rc = gnutls_x509_crt_import (entry->crt, &der, GNUTLS_X509_FMT_DER);
  if (rc >= 0)
    rc = gnutls_x509_privkey_init (&entry->key);
  if (rc >= 0)
    rc = gnutls_x509_privkey_import_pkcs8 (entry->key, &key, GNUTLS_X509_FMT_DER, NULL,
                                           GNUTLS_PKCS_PLAIN);
  gnutls_memset (key.data, 0, key.size);
  g_free (key.data);
  if (rc < 0)
    {
      g_free (der.data);
      return set_gnutls_error (error, rc, "read %s from the cache", spec->label);
    }
  entry->der = g_bytes_new_take (der.data, der.size);

  /* the key is the certificate's, and the certificate still says what it is meant to */
  {
    guint8 crt_id[64], key_id[64];
    size_t crt_id_size = sizeof crt_id, key_id_size = sizeof key_id;

    if (gnutls_x509_crt_get_key_id (entry->crt, 0, crt_id, &crt_id_size) < 0 ||
        gnutls_x509_privkey_get_key_id (entry->key, 0, key_id, &key_id_size) < 0 ||
        crt_id_size != key_id_size || memcmp (crt_id, key_id, crt_id_size) != 0)
      {
        g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP,
                     "The cached key of %s is not its certificate's", spec->label);
        return FALSE;
      }
  }
  not_before = gnutls_x509_crt_get_activation_time (entry->crt);
  not_after = gnutls_x509_crt_get_expiration_time (entry->crt);
  if (not_before == (time_t) -1 || not_after == (time_t) -1 || not_before > now ||
      (expired ? not_after >= now : not_after < now + CACHE_MARGIN) ||
      (spec->key_source != KEY_ECDSA_P256) !=
      (gnutls_x509_privkey_get_pk_algorithm (entry->key) == GNUTLS_PK_RSA))
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP,
                   "The cached %s is out of date", spec->label);
      return FALSE;
    }
  return TRUE;
}

/* A set written by save_to_cache (), or NULL when it is missing, damaged or out of date. */
static HlPki *
load_from_cache (const char *path, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(HlPki) pki = g_new0 (HlPki, 1);
  char *data = NULL;
  gsize length = 0;
  time_t now = (time_t) (g_get_real_time () / G_USEC_PER_SEC);
  gboolean loaded;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  loaded = g_key_file_load_from_data (file, data, length, G_KEY_FILE_NONE, error);
  gnutls_memset (data, 0, length);
  g_free (data);
  if (!loaded)
    return NULL;
  if (g_key_file_get_integer (file, CACHE_GROUP_FORMAT, "format", NULL) != CACHE_FORMAT)
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP, "Unknown cache format");
      return NULL;
    }
  for (guint id = 0; id < HL_N_IDENTITIES; id++)
    {
      Entry *entry = &pki->entries[id];
      Entry *issuer = &pki->entries[specs[id].issuer];

      if (!load_entry (file, (HlIdentity) id, entry, now, error))
        return NULL;
      if (!gnutls_x509_crt_check_issuer (entry->crt, issuer->crt))
        {
          g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP,
                       "The cached %s has another issuer", specs[id].label);
          return NULL;
        }
      {
        gnutls_datum_t *pem = g_new0 (gnutls_datum_t, 1);
        int rc = gnutls_x509_privkey_export2_pkcs8 (entry->key, GNUTLS_X509_FMT_PEM, NULL,
                                                    GNUTLS_PKCS_PLAIN, pem);

        if (rc < 0)
          {
            g_free (pem);
            set_gnutls_error (error, rc, "export the key of %s", specs[id].label);
            return NULL;
          }
        entry->key_pem = g_bytes_new_with_free_func (pem->data, pem->size, wipe_datum, pem);
      }
    }
  return g_steal_pointer (&pki);
}

/* Private keys inside: readable by the user alone. */
static gboolean
save_to_cache (HlPki *pki, const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  gsize length = 0;
  char *data;
  gboolean saved;

  if (g_mkdir_with_parents (dir, 0700) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  data = dup_key_file_data (pki, &length, error);
  if (data == NULL)
    return FALSE;
  saved = g_file_set_contents_full (path, data, (gssize) length,
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  gnutls_memset (data, 0, length);
  g_free (data);
  return saved;
}

/* The process-wide set */

static GMutex default_lock;
static HlPki *default_pki;       /* the current set */
static GError *default_error;    /* or why it could not be made */
static GPtrArray *retired;       /* sets replaced by hl_pki_renew_default (): runs in flight
                                  * may still use them, so they live as long as the process */
static char *cache_path;

/**
 * hl_pki_set_cache_file:
 * @path: (nullable): where to keep the demo set between runs, or %NULL for none
 *
 * Before the first hl_pki_get_default(): the set is read from @path when it is there, whole
 * and still valid for a while, and otherwise generated (on this machine, as always) and
 * written there, readable by the user alone. Without a cache file (tests, benchmarks) every
 * process generates its own.
 */
void
hl_pki_set_cache_file (const char *path)
{
  g_mutex_lock (&default_lock);
  g_free (cache_path);
  cache_path = g_strdup (path);
  g_mutex_unlock (&default_lock);
}

static HlPki *
load_or_generate (const char *path, gboolean reuse, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  HlPki *pki = NULL;

  if (path && reuse)
    {
      pki = load_from_cache (path, &local_error);
      if (pki)
        return pki;
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("making new demo certificates: %s", local_error->message);
      g_clear_error (&local_error);
    }
  pki = hl_pki_new (error);
  if (pki && path && !save_to_cache (pki, path, &local_error))
    g_warning ("The demo certificates could not be kept for the next start: %s",
               local_error->message);
  return pki;
}

/**
 * hl_pki_get_default:
 * @error: return location for a #GError
 *
 * Returns the process-wide set, read from the cache file or generated on the first call.
 * Concurrent first calls wait for one generation. A failure is kept and reported again on
 * every later call.
 *
 * Returns: (transfer none): the set, owned by the process, or %NULL with @error set
 */
HlPki *
hl_pki_get_default (GError **error)
{
  HlPki *pki;

  g_mutex_lock (&default_lock);
  if (default_pki == NULL && default_error == NULL)
    default_pki = load_or_generate (cache_path, TRUE, &default_error);
  pki = default_pki;
  if (pki == NULL)
    g_propagate_error (error, g_error_copy (default_error));
  g_mutex_unlock (&default_lock);
  return pki;
}

/**
 * hl_pki_renew_default:
 * @error: return location for a #GError
 *
 * Generates a new process-wide set (every key and certificate made again, and written to the
 * cache file when there is one); runs that start afterwards use it. Slow: never on the main
 * thread.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_pki_renew_default (GError **error)
{
  g_autofree char *path = NULL;
  HlPki *pki;

  g_mutex_lock (&default_lock);
  path = g_strdup (cache_path);
  g_mutex_unlock (&default_lock);

  pki = load_or_generate (path, FALSE, error);
  if (pki == NULL)
    return FALSE;
  g_mutex_lock (&default_lock);
  if (default_pki)
    {
      if (retired == NULL)
        retired = g_ptr_array_new ();
      g_ptr_array_add (retired, default_pki);
    }
  default_pki = pki;
  g_clear_error (&default_error);
  g_mutex_unlock (&default_lock);
  return TRUE;
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
