/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-pki.h"

G_BEGIN_DECLS

/**
 * hl_ocsp_make_response:
 * @pki: the demo PKI
 * @subject: the certificate the response is about (a leaf signed by @pki's CA)
 * @now: the time the response is made (seconds since the epoch, UTC)
 * @error: return location for an error
 *
 * Makes a DER OCSPResponse (RFC 6960 §4.2.1) saying @subject is good, signed by the CA that
 * issued it, which answers for its own certificates: responderID byName, producedAt and
 * thisUpdate @now, nextUpdate seven days later, one SingleResponse whose CertID comes from a
 * GnuTLS OCSP request for @subject (SHA-1, as RFC 6960 §4.1.1 clients use). GnuTLS reads and
 * checks OCSP responses but cannot make them: this is the small encoder that does.
 *
 * Returns: (transfer full): the DER, or %NULL with @error set
 */
GBytes *hl_ocsp_make_response (HlPki *pki, HlIdentity subject, gint64 now, GError **error);

G_END_DECLS
