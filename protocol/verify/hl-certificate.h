/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hl-trace.h"
#include "hl-types.h"

G_BEGIN_DECLS

/**
 * HlCertInfo:
 * What a person wants to read from one X.509 certificate, parsed with GnuTLS from its DER.
 * Times are seconds since the Unix epoch. Lists are NULL-terminated and may be empty.
 */
typedef struct
{
  char     *subject;             /* RFC 4514 DN */
  char     *issuer;
  char     *serial;              /* hex, colon separated */
  gint64    not_before;
  gint64    not_after;
  char     *key_algorithm;       /* "RSA", "ECDSA", … */
  guint     key_bits;
  char     *key_curve;           /* "SECP256R1" for EC keys, else NULL */
  GBytes   *key_modulus;         /* RSA modulus, or the EC point (x ‖ y) */
  GBytes   *key_exponent;        /* RSA public exponent, else NULL */
  GStrv     key_usage;           /* "digitalSignature", "keyEncipherment", … */
  GStrv     extended_key_usage;  /* "serverAuth", … */
  GStrv     subject_alt_names;   /* "DNS:server.test", … */
  gboolean  is_ca;
  int       path_len;            /* -1 when unlimited or absent */
  char     *signature_algorithm; /* "RSA-SHA256", … */
  char     *sha256_fingerprint;  /* hex, colon separated */
  gboolean  self_signed;
} HlCertInfo;

HlCertInfo *hl_cert_info_new (GBytes *der, GError **error);
void        hl_cert_info_free (HlCertInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlCertInfo, hl_cert_info_free)

/* "expired 30 days ago", "valid for 365 more days", "not valid until …" relative to @now. */
char       *hl_cert_info_dup_validity_text (const HlCertInfo *info, gint64 now);
/* The certificate as PEM text. */
char       *hl_certificate_dup_pem (GBytes *der, GError **error);
/* GnuTLS's complete printout of the certificate (slow: call it when someone opens it). */
char       *hl_certificate_dup_full_text (GBytes *der, GError **error);

/**
 * HlVerifyStep:
 * One step of the verification explained: what was checked, its outcome according to GnuTLS's
 * verification status, and a sentence saying why.
 */
typedef struct
{
  char    *title;
  HlCheck  check;
  char    *detail;
} HlVerifyStep;

void        hl_verify_step_free (HlVerifyStep *step);

/* The steps behind @verification (signature by the issuer, issuer trusted, validity period,
 * name), read from GnuTLS's status bits and the certificates of @trace. */
GPtrArray  *hl_verification_explain (HlTrace *trace, const HlVerification *verification,
                                     gint64 now);

G_END_DECLS
