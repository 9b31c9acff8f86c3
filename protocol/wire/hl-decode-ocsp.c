/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>

#include "hl-decoder-private.h"

/*
 * A stapled OCSP response (RFC 6960 §4.2.1), as carried by CertificateStatus (RFC 6066 §8) and
 * TLS 1.3's status_request in a CertificateEntry (RFC 8446 §4.4.2.1): GnuTLS reads the DER, and
 * its fields become derived children of the field covering it. A response that does not import
 * is shown raw with a note; the TLS framing around it is what the decoder checks.
 */

/* A derived field with its RFC section and explanation. */
static HlField *
ocsp_field (HlField *parent, const char *name, const char *rfc, const char *explanation)
{
  HlField *f = dec_derived (parent, name, NULL);

  dec_annotate (f, rfc, explanation);
  return f;
}

static const char *
cert_status_name (unsigned int status)
{
  switch (status)
    {
    case GNUTLS_OCSP_CERT_GOOD: return "good";
    case GNUTLS_OCSP_CERT_REVOKED: return "revoked";
    default: return "unknown";
    }
}

/* The responder: its name, or the hash of its key. */
static char *
dup_responder (gnutls_ocsp_resp_t resp)
{
  gnutls_datum_t dn = { NULL, 0 };
  gnutls_datum_t raw = { NULL, 0 };
  char *text;

  if (gnutls_ocsp_resp_get_responder2 (resp, &dn, 0) == 0 && dn.size > 0)
    {
      text = g_strndup ((const char *) dn.data, dn.size);
      gnutls_free (dn.data);
      return text;
    }
  gnutls_free (dn.data);
  if (gnutls_ocsp_resp_get_responder_raw_id (resp, GNUTLS_OCSP_RESP_ID_KEY, &raw) == 0)
    {
      g_autoptr(GString) hex = g_string_new ("key hash ");

      for (unsigned i = 0; i < raw.size; i++)
        g_string_append_printf (hex, "%s%02x", i ? " " : "", raw.data[i]);
      gnutls_free (raw.data);
      return g_string_free (g_steal_pointer (&hex), FALSE);
    }
  return g_strdup ("(not readable)");
}

/**
 * hl_decode_ocsp_response:
 * @der_field: the field covering the DER bytes of an OCSPResponse
 * @der: those bytes
 *
 * Adds derived children with what the response says: its status, the responder, when it was
 * produced, and for the first certificate it covers: its status, thisUpdate and nextUpdate.
 */
void
hl_decode_ocsp_response (HlField      *der_field,
                         const HlSpan *der)
{
  gnutls_ocsp_resp_t resp = NULL;
  gnutls_datum_t datum = { (unsigned char *) der->data, (unsigned int) der->len };
  unsigned int status = 0;
  time_t this_update = -1, next_update = -1, revoked = -1;
  g_autofree char *responder = NULL;
  g_autofree char *produced = NULL;
  g_autofree char *this_text = NULL;
  g_autofree char *next_text = NULL;
  HlField *f;
  int rc;

  if (der->len == 0 || der->len > G_MAXUINT || gnutls_ocsp_resp_init (&resp) < 0)
    return;
  rc = gnutls_ocsp_resp_import (resp, &datum);
  if (rc < 0)
    {
      f = dec_derived (der_field, "note", NULL);
      hl_field_set_value_printf (f, "not a readable OCSP response (%s)", gnutls_strerror (rc));
      gnutls_ocsp_resp_deinit (resp);
      return;
    }

  f = ocsp_field (der_field, "response_status", "RFC 6960 §4.2.1",
               "Whether the responder could answer at all; only \"successful\" carries a "
               "status.");
  hl_field_set_value (f, gnutls_ocsp_resp_get_status (resp) == GNUTLS_OCSP_RESP_SUCCESSFUL
                           ? "successful" : "not successful");
  responder = dup_responder (resp);
  f = ocsp_field (der_field, "responder", "RFC 6960 §4.2.1",
               "Who signed the response. Here the CA that issued the certificate answers for it "
               "itself, so the client checks the signature with that CA's public key.");
  hl_field_set_value (f, responder);
  produced = dec_format_time (gnutls_ocsp_resp_get_produced (resp));
  f = ocsp_field (der_field, "produced_at", "RFC 6960 §4.2.1", "When the responder signed it.");
  hl_field_set_value (f, produced);

  if (gnutls_ocsp_resp_get_single (resp, 0, NULL, NULL, NULL, NULL, &status, &this_update,
                                   &next_update, &revoked, NULL) == 0)
    {
      f = ocsp_field (der_field, "cert_status", "RFC 6960 §4.2.1",
                   "What the responder says about the certificate named by the response's "
                   "CertID (issuer name and key hashes, serial number).");
      hl_field_set_value (f, cert_status_name (status));
      this_text = dec_format_time (this_update);
      f = ocsp_field (der_field, "this_update", "RFC 6960 §4.2.1",
                   "The time at which the status was known to be correct.");
      hl_field_set_value (f, this_text);
      next_text = dec_format_time (next_update);
      f = ocsp_field (der_field, "next_update", "RFC 6960 §4.2.1",
                   "Until when the status may be relied on; a client rejects an older "
                   "response.");
      hl_field_set_value (f, next_text);
      hl_field_set_value_printf (der_field, "%s, produced %s by %s", cert_status_name (status),
                                 produced, responder);
    }
  gnutls_ocsp_resp_deinit (resp);
}
