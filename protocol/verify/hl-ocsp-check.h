/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

G_BEGIN_DECLS

/**
 * hl_ocsp_check_response:
 * @der: a DER OCSPResponse
 * @issuer: the CA that should have signed it
 * @subject: the certificate it should be about
 * @why: (out) (optional): on failure, what did not hold
 *
 * Our own check of a stapled response, independent of the TLS library's: the signature with
 * @issuer's key (gnutls_ocsp_resp_verify_direct), the CertID against @subject
 * (gnutls_ocsp_resp_check_crt), and the status "good".
 *
 * Returns: %TRUE when all three hold
 */
gboolean hl_ocsp_check_response (GBytes            *der,
                                 gnutls_x509_crt_t  issuer,
                                 gnutls_x509_crt_t  subject,
                                 char             **why);

G_END_DECLS
