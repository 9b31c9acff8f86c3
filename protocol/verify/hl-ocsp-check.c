/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-ocsp"
#include "config.h"

#include <gnutls/ocsp.h>

#include "hl-ocsp-check.h"

/* Our own check of a stapled OCSP response (RFC 6960 §4.2.2.2: signed by the CA that issued the
 * certificate, about that certificate; RFC 6960 §4.2.1: its status), independent of what the
 * TLS library decided. Used by the engine when it runs and by the opened-trace check. */

gboolean
hl_ocsp_check_response (GBytes            *der,
                        gnutls_x509_crt_t  issuer,
                        gnutls_x509_crt_t  subject,
                        char             **why)
{
  gnutls_ocsp_resp_t resp = NULL;
  gsize len = 0;
  gnutls_datum_t datum;
  unsigned int verify = 0, status = 0;
  const char *failed = NULL;

  g_return_val_if_fail (der != NULL, FALSE);
  datum.data = (unsigned char *) g_bytes_get_data (der, &len);
  datum.size = (unsigned int) len;
  if (gnutls_ocsp_resp_init (&resp) < 0)
    failed = "out of memory";
  else if (gnutls_ocsp_resp_import (resp, &datum) < 0)
    failed = "not a readable OCSP response";
  else if (gnutls_ocsp_resp_get_status (resp) != GNUTLS_OCSP_RESP_SUCCESSFUL)
    failed = "the responder did not answer successfully";
  else if (gnutls_ocsp_resp_verify_direct (resp, issuer, &verify, 0) < 0 || verify != 0)
    failed = "its signature does not verify with the CA's public key";
  else if (gnutls_ocsp_resp_check_crt (resp, 0, subject) < 0)
    failed = "it is about another certificate";
  else if (gnutls_ocsp_resp_get_single (resp, 0, NULL, NULL, NULL, NULL, &status, NULL, NULL,
                                        NULL, NULL) < 0 || status != GNUTLS_OCSP_CERT_GOOD)
    failed = "it does not say \"good\"";
  if (resp != NULL)
    gnutls_ocsp_resp_deinit (resp);
  if (why != NULL)
    *why = g_strdup (failed);
  return failed == NULL;
}
