/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include <string.h>

#include "hl-engine-private.h"
#include "hl-engine-parts.h"

/* The server's RSA key in a captured RSA key exchange (RFC 5246 §7.4.7.1), handed to GnuTLS
 * through a key of our own that calls the real one: every operation is the real key's, and the
 * premaster secret the server decrypts from the ClientKeyExchange is kept, so that the engine
 * can show it without decrypting it a second time — a private-key operation that costs about as
 * much as the rest of the handshake (hl_engine_join_premaster() takes it from here, for the
 * same ciphertext). */

/* One decryption the server made: the ciphertext and what it opened to. */
typedef struct
{
  GBytes         *ciphertext;
  gnutls_datum_t  plaintext;
} Opened;

static void
opened_free (Opened *opened)
{
  g_bytes_unref (opened->ciphertext);
  gnutls_memset (opened->plaintext.data, 0, opened->plaintext.size);
  gnutls_free (opened->plaintext.data);
  g_free (opened);
}

static int
decrypt_cb (gnutls_privkey_t key, void *userdata, const gnutls_datum_t *ciphertext,
            gnutls_datum_t *plaintext)
{
  Run *run = userdata;
  int rc = gnutls_privkey_decrypt_data (run->server_privkey, 0, ciphertext, plaintext);
  Opened *opened;

  if (rc < 0)
    return rc;
  opened = g_new0 (Opened, 1);
  opened->ciphertext = g_bytes_new (ciphertext->data, ciphertext->size);
  opened->plaintext.data = gnutls_malloc (plaintext->size);
  if (opened->plaintext.data == NULL)
    {
      opened_free (opened);
      return rc;
    }
  memcpy (opened->plaintext.data, plaintext->data, plaintext->size);
  opened->plaintext.size = plaintext->size;
  if (run->server_opened == NULL)
    run->server_opened = g_ptr_array_new_with_free_func ((GDestroyNotify) opened_free);
  g_ptr_array_add (run->server_opened, opened);
  return rc;
}

static int
sign_data_cb (gnutls_privkey_t key, gnutls_sign_algorithm_t algo, void *userdata,
              unsigned int flags, const gnutls_datum_t *data, gnutls_datum_t *signature)
{
  Run *run = userdata;

  return gnutls_privkey_sign_data2 (run->server_privkey, algo, flags, data, signature);
}

static int
sign_hash_cb (gnutls_privkey_t key, gnutls_sign_algorithm_t algo, void *userdata,
              unsigned int flags, const gnutls_datum_t *hash, gnutls_datum_t *signature)
{
  Run *run = userdata;

  return gnutls_privkey_sign_hash2 (run->server_privkey, algo, flags, hash, signature);
}

static int
info_cb (gnutls_privkey_t key, unsigned int flags, void *userdata)
{
  Run *run = userdata;
  unsigned int bits = 0;
  int pk = gnutls_privkey_get_pk_algorithm (run->server_privkey, &bits);

  if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO)
    return pk;
  if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS)
    return (int) bits;
  if (flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO)
    {
      gnutls_sign_algorithm_t algo = GNUTLS_FLAGS_TO_SIGN_ALGO (flags);

      /* what an RSA key signs with in TLS 1.2: PKCS #1 v1.5 and RSA-PSS with RSAE */
      return pk == GNUTLS_PK_RSA &&
             (gnutls_sign_get_pk_algorithm (algo) == GNUTLS_PK_RSA ||
              gnutls_sign_get_pk_algorithm (algo) == GNUTLS_PK_RSA_PSS);
    }
  return GNUTLS_E_UNKNOWN_PK_ALGORITHM;
}

gboolean
hl_engine_add_server_key (Run *run, GError **error)
{
  gnutls_x509_crt_t crt = hl_pki_get_certificate (run->pki, run->server_identity);
  gnutls_pcert_st *pcert = g_new0 (gnutls_pcert_st, 1);
  gnutls_privkey_t key = NULL;
  int rc;

  rc = gnutls_pcert_import_x509 (pcert, crt, 0);
  if (!hl_engine_gnutls_ok (rc, "gnutls_pcert_import_x509", error))
    {
      g_free (pcert);
      return FALSE;
    }
  rc = gnutls_privkey_init (&key);
  if (rc >= 0)
    rc = gnutls_privkey_import_ext4 (key, run, sign_data_cb, sign_hash_cb, decrypt_cb, NULL,
                                     info_cb, 0);
  /* the credentials own the certificate and the key from here (gnutls_certificate_set_key) */
  if (rc >= 0)
    rc = gnutls_certificate_set_key (run->server_cred, NULL, 0, pcert, 1, key);
  if (rc < 0)
    {
      gnutls_pcert_deinit (pcert);
      if (key != NULL)
        gnutls_privkey_deinit (key);
    }
  g_free (pcert);
  return hl_engine_gnutls_ok (rc, "the server key for the RSA key exchange", error);
}

gboolean
hl_engine_take_opened (Run *run, const guint8 *ciphertext, gsize size, gnutls_datum_t *plaintext)
{
  for (guint i = 0; run->server_opened != NULL && i < run->server_opened->len; i++)
    {
      Opened *opened = g_ptr_array_index (run->server_opened, i);

      if (g_bytes_get_size (opened->ciphertext) != size ||
          memcmp (g_bytes_get_data (opened->ciphertext, NULL), ciphertext, size) != 0)
        continue;
      *plaintext = opened->plaintext;
      opened->plaintext.data = NULL;
      opened->plaintext.size = 0;
      g_ptr_array_remove_index (run->server_opened, i);
      return TRUE;
    }
  return FALSE;
}
