/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-decoder-private.h"

/*
 * Certificate (RFC 8446 §4.4.2, RFC 5246 §7.4.2), CertificateRequest (RFC 8446 §4.3.2,
 * RFC 5246 §7.4.4), CertificateVerify (RFC 8446 §4.4.3, RFC 5246 §7.4.8) and
 * CertificateStatus (RFC 6066 §8). Each certificate's DER gets a summary read with
 * GnuTLS; a DER that does not import is shown raw with a note, which is not an error: the
 * TLS framing around it is what the decoder checks.
 */

/**
 * hl_decode_certificate_der:
 * @der_field: the field covering the DER bytes
 * @der: the DER bytes
 *
 * Adds derived children with the certificate's subject, issuer, validity and public key.
 */
void
hl_decode_certificate_der (HlField      *der_field,
                           const HlSpan *der)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t datum = { (unsigned char *) der->data, (unsigned int) der->len };
  gnutls_datum_t text = { NULL, 0 };
  g_autofree char *subject = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  unsigned int bits = 0;
  int pk;
  int sig;
  int rc;

  if (der->len == 0 || der->len > G_MAXUINT)
    return;

  if (gnutls_x509_crt_init (&crt) < 0)
    return;

  rc = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER);
  if (rc < 0)
    {
      HlField *note = dec_derived (der_field, "note", NULL);

      hl_field_set_value_printf (note, "not a readable X.509 certificate (%s)",
                                 gnutls_strerror (rc));
      gnutls_x509_crt_deinit (crt);
      return;
    }

  if (gnutls_x509_crt_get_dn2 (crt, &text) >= 0)
    {
      subject = g_strndup ((const char *) text.data, text.size);
      dec_annotate (dec_derived (der_field, "subject", subject), "RFC 5280 §4.1.2.6",
                    "Whom the certificate names.");
      gnutls_free (text.data);
      text.data = NULL;
    }

  if (gnutls_x509_crt_get_issuer_dn2 (crt, &text) >= 0)
    {
      g_autofree char *issuer = g_strndup ((const char *) text.data, text.size);

      dec_annotate (dec_derived (der_field, "issuer", issuer), "RFC 5280 §4.1.2.4",
                    "Who signed the certificate. Equal to the subject for a self-signed "
                    "(root) certificate.");
      gnutls_free (text.data);
      text.data = NULL;
    }

  not_before = dec_format_time (gnutls_x509_crt_get_activation_time (crt));
  not_after = dec_format_time (gnutls_x509_crt_get_expiration_time (crt));
  dec_annotate (dec_derived (der_field, "not_before", not_before), "RFC 5280 §4.1.2.5",
                "The certificate is not valid before this time.");
  dec_annotate (dec_derived (der_field, "not_after", not_after), "RFC 5280 §4.1.2.5",
                "The certificate is not valid after this time.");

  pk = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
  if (pk >= 0)
    {
      HlField *f = dec_derived (der_field, "public_key", NULL);
      const char *pk_name = gnutls_pk_algorithm_get_name ((gnutls_pk_algorithm_t) pk);

      hl_field_set_value_printf (f, "%s, %u bits", pk_name != NULL ? pk_name : "unknown", bits);
      dec_annotate (f, "RFC 5280 §4.1.2.7",
                    "The key the holder proves possession of (CertificateVerify, "
                    "ServerKeyExchange signature) or that the client encrypts to (RSA key "
                    "exchange).");
    }

  sig = gnutls_x509_crt_get_signature_algorithm (crt);
  if (sig >= 0)
    {
      const char *sig_name = gnutls_sign_get_name ((gnutls_sign_algorithm_t) sig);

      dec_annotate (dec_derived (der_field, "signature_algorithm",
                             sig_name != NULL ? sig_name : "unknown"),
                    "RFC 5280 §4.1.1.2", "How the issuer signed this certificate.");
    }

  if (subject != NULL)
    hl_field_set_value_printf (der_field, "%s (%" G_GSIZE_FORMAT " bytes DER)", subject,
                               der->len);

  gnutls_x509_crt_deinit (crt);
}

static HlField *
cert_data (HlReader   *r,
           HlField    *parent,
           guint      *n,
           gboolean    tls13)
{
  HlSpan der;
  HlField *f = dec_opaque (r, parent, "cert_data", 3, &der);

  dec_annotate (f, tls13 ? "RFC 8446 §4.4.2" : "RFC 5246 §7.4.2",
                "One X.509 certificate in DER encoding. The first is the sender's own; each "
                "next one certifies the one before it.");
  if (!hl_reader_has_error (r))
    hl_decode_certificate_der (f, &der);
  (*n)++;
  return f;
}

void
hl_decode_certificate (HlReader              *r,
                       HlField               *msg,
                       const HlDecodeContext *context)
{
  HlReader list_r;
  HlField *list;
  HlField *f;
  guint n = 0;

  if (context->tls13)
    {
      f = dec_opaque (r, msg, "certificate_request_context", 1, NULL);
      dec_annotate (f, "RFC 8446 §4.4.2",
                    "Empty in the main handshake; for a post-handshake client certificate it "
                    "echoes the CertificateRequest's context.");
    }

  list = dec_vector (r, msg, "certificate_list", 3, &list_r);
  dec_annotate (list, context->tls13 ? "RFC 8446 §4.4.2" : "RFC 5246 §7.4.2",
                "The chain, leaf first. Empty when a client has no certificate to send.");

  while (dec_more (&list_r))
    {
      if (context->tls13)
        {
          gsize start = hl_reader_get_offset (&list_r);
          HlField *entry = dec_node (list, "CertificateEntry", start, 0);
          HlField *data = cert_data (&list_r, entry, &n, TRUE);

          hl_decode_extensions (&list_r, entry, HL_EXT_CERTIFICATE, context);
          hl_field_set_length (entry, hl_reader_get_offset (&list_r) - start);
          hl_field_set_value (entry, hl_field_get_value (data));
        }
      else
        {
          cert_data (&list_r, list, &n, FALSE);
        }
    }
  dec_set_count (list, n, "certificate", "certificates");
  dec_set_count (msg, n, "certificate", "certificates");
}

void
hl_decode_certificate_request (HlReader              *r,
                               HlField               *msg,
                               const HlDecodeContext *context)
{
  HlReader sub;
  HlField *list;
  HlField *f;

  if (context->tls13)
    {
      f = dec_opaque (r, msg, "certificate_request_context", 1, NULL);
      dec_annotate (f, "RFC 8446 §4.3.2",
                    "Empty in the main handshake; identifies a post-handshake request.");
      hl_decode_extensions (r, msg, HL_EXT_CERTIFICATE_REQUEST, context);
      return;
    }

  list = dec_vector (r, msg, "certificate_types", 1, &sub);
  dec_annotate (list, "RFC 5246 §7.4.4", "Kinds of client certificate key the server accepts.");
  while (dec_more (&sub))
    {
      guint8 type = 0;

      f = dec_u8 (&sub, list, "certificate_type", &type);
      dec_name8 (f, hl_tls_client_certificate_type_name (type), type);
    }

  dec_signature_schemes (r, msg, "supported_signature_algorithms");
  dec_distinguished_names (r, msg);
}

void
hl_decode_certificate_verify (HlReader              *r,
                              HlField               *msg,
                              const HlDecodeContext *context)
{
  HlField *f;
  HlSpan sig;
  guint16 scheme = 0;

  f = dec_u16 (r, msg, "algorithm", &scheme);
  dec_name16 (f, hl_tls_signature_scheme_name (scheme), scheme);
  dec_annotate (f, context->tls13 ? "RFC 8446 §4.4.3" : "RFC 5246 §7.4.8",
                "The signature scheme used.");

  f = dec_opaque (r, msg, "signature", 2, &sig);
  dec_annotate (f, context->tls13 ? "RFC 8446 §4.4.3" : "RFC 5246 §7.4.8",
                context->tls13
                ? "Signature over 64 spaces, a context string and the transcript hash, "
                  "made with the private key of the certificate just sent."
                : "Signature over all handshake messages so far, made with the private key "
                  "of the client certificate.");

  hl_field_set_value_printf (msg, "%s, %" G_GSIZE_FORMAT "-byte signature",
                             hl_tls_signature_scheme_name (scheme)
                               ? hl_tls_signature_scheme_name (scheme) : "unknown",
                             sig.len);
}

void
hl_decode_certificate_status (HlReader              *r,
                              HlField               *msg,
                              const HlDecodeContext *context)
{
  HlField *f;
  guint8 type = 0;
  HlSpan der = { NULL, 0, 0 };

  f = dec_u8 (r, msg, "status_type", &type);
  dec_name8 (f, type == 1 ? "ocsp" : NULL, type);
  f = dec_opaque (r, msg, "response", 3, &der);
  dec_annotate (f, "RFC 6066 §8", "A DER-encoded OCSP response.");
  if (type == 1)
    hl_decode_ocsp_response (f, &der);
}
