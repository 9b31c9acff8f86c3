/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-ocsp"
#include "config.h"

#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/ocsp.h>

#include "hl-engine-private.h"
#include "hl-error.h"
#include "hl-ocsp.h"

/*
 * An OCSP response made at run time (RFC 6960 §4.2.1), so that the server can staple it
 * (RFC 6066 §8, RFC 8446 §4.4.2.1). GnuTLS parses and verifies OCSP responses but has no API
 * to make one; the DER below is written by hand, one TLV at a time, and checked by reading it
 * back with GnuTLS (tests/test-hello.c).
 *
 *   OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT
 *                               SEQUENCE { responseType OID, response OCTET STRING } }
 *   BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING }
 *   ResponseData ::= SEQUENCE { responderID, producedAt, responses SEQUENCE OF SingleResponse }
 *   SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT }
 */

#define NEXT_UPDATE (7 * 24 * 3600)

/* DER: a tag, a definite length (short or long form), the contents. */
static void
put_tlv (GByteArray *out, guint8 tag, const guint8 *data, gsize len)
{
  guint8 head[6] = { tag };
  guint n = 1;

  if (len < 0x80)
    head[n++] = (guint8) len;
  else if (len <= 0xff)
    {
      head[n++] = 0x81;
      head[n++] = (guint8) len;
    }
  else if (len <= 0xffff)
    {
      head[n++] = 0x82;
      head[n++] = (guint8) (len >> 8);
      head[n++] = (guint8) len;
    }
  else
    {
      head[n++] = 0x83;
      head[n++] = (guint8) (len >> 16);
      head[n++] = (guint8) (len >> 8);
      head[n++] = (guint8) len;
    }
  g_byte_array_append (out, head, n);
  if (len > 0)
    g_byte_array_append (out, data, len);
}

/* Wraps what @inner holds in a TLV of @tag, appended to @out; frees @inner. */
static void
put_wrapped (GByteArray *out, guint8 tag, GByteArray *inner)
{
  put_tlv (out, tag, inner->data, inner->len);
  g_byte_array_unref (inner);
}

static void
put_time (GByteArray *out, gint64 when)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (when);
  g_autofree char *text = g_date_time_format (dt, "%Y%m%d%H%M%SZ");

  put_tlv (out, 0x18, (const guint8 *) text, strlen (text)); /* GeneralizedTime */
}

/* A positive INTEGER from the big-endian magnitude GnuTLS hands out. */
static void
put_integer (GByteArray *out, const gnutls_datum_t *magnitude)
{
  g_autoptr(GByteArray) v = g_byte_array_new ();

  if (magnitude->size == 0 || magnitude->data[0] & 0x80)
    g_byte_array_append (v, (const guint8 *) "\0", 1);
  g_byte_array_append (v, magnitude->data, magnitude->size);
  put_tlv (out, 0x02, v->data, v->len);
}

static gboolean
check (int rc, const char *what, GError **error)
{
  return hl_engine_gnutls_ok (rc, what, error);
}

/* The signature algorithm of @key with SHA-256, as an AlgorithmIdentifier (RFC 4055 §5 for
 * RSA with its NULL parameters, RFC 5758 §3.2 for ECDSA without). */
static gboolean
put_signature_algorithm (GByteArray *out, gnutls_privkey_t key, GError **error)
{
  static const guint8 rsa_sha256[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
                                       0x01, 0x0b, 0x05, 0x00 };
  static const guint8 ecdsa_sha256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03,
                                         0x02 };
  int pk = gnutls_privkey_get_pk_algorithm (key, NULL);

  if (pk == GNUTLS_PK_RSA)
    put_tlv (out, 0x30, rsa_sha256, sizeof rsa_sha256);
  else if (pk == GNUTLS_PK_ECDSA)
    put_tlv (out, 0x30, ecdsa_sha256, sizeof ecdsa_sha256);
  else
    {
      g_set_error (error, HL_ENGINE_ERROR, HL_ENGINE_ERROR_SETUP,
                   "OCSP: no signature algorithm for a %s key", gnutls_pk_get_name (pk));
      return FALSE;
    }
  return TRUE;
}

/* CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }, from the
 * request GnuTLS makes for @subject (so both sides hash exactly what RFC 6960 §4.1.1 says). */
static GByteArray *
make_cert_id (gnutls_x509_crt_t issuer, gnutls_x509_crt_t subject, gnutls_datum_t *key_hash,
              GError **error)
{
  static const guint8 sha1[] = { 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00 };
  gnutls_ocsp_req_t req = NULL;
  gnutls_digest_algorithm_t digest = GNUTLS_DIG_UNKNOWN;
  gnutls_datum_t name_hash = { NULL, 0 }, serial = { NULL, 0 };
  GByteArray *id = NULL;

  if (check (gnutls_ocsp_req_init (&req), "gnutls_ocsp_req_init", error) &&
      check (gnutls_ocsp_req_add_cert (req, GNUTLS_DIG_SHA1, issuer, subject),
             "gnutls_ocsp_req_add_cert", error) &&
      check (gnutls_ocsp_req_get_cert_id (req, 0, &digest, &name_hash, key_hash, &serial),
             "gnutls_ocsp_req_get_cert_id", error))
    {
      id = g_byte_array_new ();
      put_tlv (id, 0x30, sha1, sizeof sha1);
      put_tlv (id, 0x04, name_hash.data, name_hash.size);
      put_tlv (id, 0x04, key_hash->data, key_hash->size);
      put_integer (id, &serial);
    }
  gnutls_free (name_hash.data);
  gnutls_free (serial.data);
  if (req != NULL)
    gnutls_ocsp_req_deinit (req);
  return id;
}

GBytes *
hl_ocsp_make_response (HlPki *pki, HlIdentity subject, gint64 now, GError **error)
{
  /* id-pkix-ocsp-basic, RFC 6960 §4.2.1 */
  static const guint8 ocsp_basic[] = { 0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30,
                                       0x01, 0x01 };
  static const guint8 successful[] = { 0x00 };
  HlIdentity ca = hl_pki_get_issuer (subject);
  gnutls_privkey_t key = NULL;
  gnutls_datum_t key_hash = { NULL, 0 };
  gnutls_datum_t tbs_datum, sig = { NULL, 0 };
  GByteArray *cert_id;
  GByteArray *single, *responses, *tbs, *basic, *bytes, *response;
  GBytes *result = NULL;

  cert_id = make_cert_id (hl_pki_get_certificate (pki, ca), hl_pki_get_certificate (pki, subject),
                          &key_hash, error);
  if (cert_id == NULL)
    return NULL;

  /* SingleResponse: certID, certStatus good ([0] IMPLICIT NULL), thisUpdate, nextUpdate */
  single = g_byte_array_new ();
  put_wrapped (single, 0x30, cert_id);
  put_tlv (single, 0x80, NULL, 0);
  put_time (single, now);
  {
    GByteArray *next = g_byte_array_new ();

    put_time (next, now + NEXT_UPDATE);
    put_wrapped (single, 0xa0, next);
  }
  responses = g_byte_array_new ();
  put_wrapped (responses, 0x30, single);

  /* ResponseData: responderID byName ([1] EXPLICIT Name: the CA's subject, since the CA answers
   * for itself), producedAt. Not byKey: GnuTLS 3.7.9 looks a byKey responder up by the trust
   * anchor's subjectKeyIdentifier, which in the demo PKI is GnuTLS's key ID (SHA-1 over the
   * whole SubjectPublicKeyInfo), not RFC 6960's KeyHash (SHA-1 over the key bits): a correct
   * byKey would not be found, so the client would reject the response. */
  gnutls_free (key_hash.data);
  tbs = g_byte_array_new ();
  {
    gnutls_datum_t dn = { NULL, 0 };

    if (!check (gnutls_x509_crt_get_raw_dn (hl_pki_get_certificate (pki, ca), &dn),
                "gnutls_x509_crt_get_raw_dn", error))
      {
        g_byte_array_unref (responses);
        g_byte_array_unref (tbs);
        return NULL;
      }
    put_tlv (tbs, 0xa1, dn.data, dn.size);
    gnutls_free (dn.data);
  }
  put_time (tbs, now);
  put_wrapped (tbs, 0x30, responses);
  {
    GByteArray *whole = g_byte_array_new ();

    put_wrapped (whole, 0x30, tbs);
    tbs = whole;
  }

  basic = g_byte_array_new ();
  g_byte_array_append (basic, tbs->data, tbs->len);
  tbs_datum = (gnutls_datum_t) { tbs->data, tbs->len };
  if (!check (gnutls_privkey_init (&key), "gnutls_privkey_init", error) ||
      !check (gnutls_privkey_import_x509 (key, hl_pki_get_key (pki, ca), 0),
              "importing the CA key", error) ||
      !put_signature_algorithm (basic, key, error) ||
      !check (gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &tbs_datum, &sig),
              "signing the OCSP response", error))
    goto out;
  {
    /* BIT STRING: no unused bits, then the signature */
    GByteArray *bits = g_byte_array_new ();

    g_byte_array_append (bits, (const guint8 *) "\0", 1);
    g_byte_array_append (bits, sig.data, sig.size);
    put_wrapped (basic, 0x03, bits);
  }
  {
    GByteArray *whole = g_byte_array_new ();

    put_wrapped (whole, 0x30, g_steal_pointer (&basic));
    basic = whole;
  }

  bytes = g_byte_array_new ();
  g_byte_array_append (bytes, ocsp_basic, sizeof ocsp_basic);
  put_tlv (bytes, 0x04, basic->data, basic->len);
  response = g_byte_array_new ();
  put_tlv (response, 0x0a, successful, sizeof successful);
  {
    GByteArray *seq = g_byte_array_new ();
    GByteArray *explicit0 = g_byte_array_new ();

    put_wrapped (seq, 0x30, bytes);
    put_wrapped (explicit0, 0xa0, seq);
    g_byte_array_append (response, explicit0->data, explicit0->len);
    g_byte_array_unref (explicit0);
  }
  {
    GByteArray *whole = g_byte_array_new ();

    put_wrapped (whole, 0x30, response);
    result = g_byte_array_free_to_bytes (whole);
  }

out:
  g_clear_pointer (&basic, g_byte_array_unref);
  g_byte_array_unref (tbs);
  gnutls_free (sig.data);
  if (key != NULL)
    gnutls_privkey_deinit (key);
  return result;
}
