/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gnutls/crypto.h>

#include "hl-kdf.h"

G_BEGIN_DECLS

/* What hl-kdf.c (wiped storage, HMAC and hash helpers, the TLS 1.2 PRF, transcripts) shares
 * with hl-kdf-tls13.c (HKDF and the TLS 1.3 schedule). */

GBytes       *hl_kdf_secret_alloc (gsize    size,
                                   guint8 **data);
const guint8 *hl_kdf_bytes_data   (GBytes *bytes,
                                   gsize  *size);
gsize         hl_kdf_mac_size     (gnutls_mac_algorithm_t mac);
gboolean      hl_kdf_hmac3        (gnutls_mac_algorithm_t mac,
                                   const guint8          *key,
                                   gsize                  key_size,
                                   const guint8          *a,
                                   gsize                  a_size,
                                   const guint8          *b,
                                   gsize                  b_size,
                                   const guint8          *c,
                                   gsize                  c_size,
                                   guint8                *out);
GBytes       *hl_kdf_hash_bytes   (gnutls_digest_algorithm_t hash,
                                   const guint8             *data,
                                   gsize                     size);

G_END_DECLS
