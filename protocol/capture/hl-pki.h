/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>

G_BEGIN_DECLS

/**
 * HlIdentity:
 * The certificates and keys generated at run time for the scenarios.
 */
typedef enum
{
  HL_IDENTITY_CA,               /* "Handshake Lens Demo CA": the client's trust anchor */
  HL_IDENTITY_SERVER_RSA,       /* RSA-2048, CN/SAN server.test, signed by the CA,
                                 * key usage digitalSignature + keyEncipherment */
  HL_IDENTITY_SERVER_ECDSA,     /* ECDSA P-256, server.test, signed by the CA */
  HL_IDENTITY_CLIENT,           /* client certificate for mutual TLS, signed by the CA */
  HL_IDENTITY_UNTRUSTED_CA,     /* a second CA that the client does not trust */
  HL_IDENTITY_SERVER_UNTRUSTED, /* server.test signed by the untrusted CA */
  HL_IDENTITY_SERVER_EXPIRED,   /* server.test signed by the CA, validity ended in the past */
  HL_IDENTITY_SERVER_WRONG_HOST,/* other.test signed by the CA */
  HL_IDENTITY_ATTACKER_CA,      /* the attacker's own CA: trusted only where the scenario
                                 * installs it in the client's trust store */
  HL_IDENTITY_SERVER_ATTACKER,  /* the attacker's server.test, ECDSA P-256, signed by its CA */
  HL_N_IDENTITIES,
} HlIdentity;

#define HL_PKI_SERVER_NAME "server.test"
#define HL_PKI_WRONG_HOST_NAME "other.test"

typedef struct _HlPki HlPki;

/* Generates a complete, fresh set. Slow (RSA-2048 key generation): never on the main thread. */
HlPki                *hl_pki_new (GError **error);
/* Where the process-wide set is kept between runs (before its first use; NULL: nowhere). */
void                  hl_pki_set_cache_file (const char *path);
/* The process-wide set, read from the cache file or generated on the first call (thread-safe);
 * later calls return the same one. The result is owned by the process and must not be freed. */
HlPki                *hl_pki_get_default (GError **error);
/* Makes a new process-wide set (and cache file) for the runs that start afterwards. Slow. */
gboolean              hl_pki_renew_default (GError **error);
void                  hl_pki_free (HlPki *pki);

gnutls_x509_crt_t     hl_pki_get_certificate (HlPki *pki, HlIdentity id);   /* borrowed */
gnutls_x509_privkey_t hl_pki_get_key (HlPki *pki, HlIdentity id);           /* borrowed */
HlIdentity            hl_pki_get_issuer (HlIdentity id);                    /* CA of a leaf; a CA is its own issuer */
GBytes               *hl_pki_get_certificate_der (HlPki *pki, HlIdentity id); /* borrowed */
GBytes               *hl_pki_get_key_pem (HlPki *pki, HlIdentity id);         /* borrowed, PKCS#8 PEM */

/* Fills @cred with the identity's leaf certificate and key (the chain sent on the wire is the leaf
 * alone: the CA is a trust anchor the peer already has). */
gboolean              hl_pki_add_to_credentials (HlPki *pki, HlIdentity id,
                                                 gnutls_certificate_credentials_t cred,
                                                 GError **error);
/* Adds the identity's certificate as a trust anchor. */
gboolean              hl_pki_trust (HlPki *pki, HlIdentity id,
                                    gnutls_certificate_credentials_t cred, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlPki, hl_pki_free)

G_END_DECLS
