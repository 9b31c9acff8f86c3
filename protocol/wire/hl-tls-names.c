/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include <stdlib.h>

#include "hl-tls-names.h"

/*
 * Tables from the IANA TLS registries (tls-parameters, tls-extensiontype-values,
 * tls-signaturescheme, tls-alerts) and the RFCs they cite. Only assigned values; ranges
 * marked Unassigned or Reserved are left out and shown in hex by the decoder.
 */

typedef struct
{
  guint16     value;
  const char *name;
} Entry;

static int
compare_entry (const void *key,
               const void *elem)
{
  guint16 v = *(const guint16 *) key;
  const Entry *e = elem;

  return (int) v - (int) e->value;
}

static const char *
lookup (const Entry *table,
        gsize        n,
        guint16      value)
{
  const Entry *e = bsearch (&value, table, n, sizeof *table, compare_entry);

  return e != NULL ? e->name : NULL;
}

#define LOOKUP(table, value) lookup (table, G_N_ELEMENTS (table), value)

/* Cipher suites: IANA "TLS Cipher Suites", sorted by value. */
static const Entry cipher_suites[] = {
  { 0x0000, "TLS_NULL_WITH_NULL_NULL" },
  { 0x0001, "TLS_RSA_WITH_NULL_MD5" },
  { 0x0002, "TLS_RSA_WITH_NULL_SHA" },
  { 0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5" },
  { 0x0004, "TLS_RSA_WITH_RC4_128_MD5" },
  { 0x0005, "TLS_RSA_WITH_RC4_128_SHA" },
  { 0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5" },
  { 0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA" },
  { 0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x0009, "TLS_RSA_WITH_DES_CBC_SHA" },
  { 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x000b, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x000c, "TLS_DH_DSS_WITH_DES_CBC_SHA" },
  { 0x000d, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA" },
  { 0x000e, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x000f, "TLS_DH_RSA_WITH_DES_CBC_SHA" },
  { 0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA" },
  { 0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA" },
  { 0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA" },
  { 0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5" },
  { 0x0018, "TLS_DH_anon_WITH_RC4_128_MD5" },
  { 0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA" },
  { 0x001a, "TLS_DH_anon_WITH_DES_CBC_SHA" },
  { 0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA" },
  { 0x001e, "TLS_KRB5_WITH_DES_CBC_SHA" },
  { 0x001f, "TLS_KRB5_WITH_3DES_EDE_CBC_SHA" },
  { 0x0020, "TLS_KRB5_WITH_RC4_128_SHA" },
  { 0x0021, "TLS_KRB5_WITH_IDEA_CBC_SHA" },
  { 0x0022, "TLS_KRB5_WITH_DES_CBC_MD5" },
  { 0x0023, "TLS_KRB5_WITH_3DES_EDE_CBC_MD5" },
  { 0x0024, "TLS_KRB5_WITH_RC4_128_MD5" },
  { 0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5" },
  { 0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA" },
  { 0x0027, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA" },
  { 0x0028, "TLS_KRB5_EXPORT_WITH_RC4_40_SHA" },
  { 0x0029, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5" },
  { 0x002a, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5" },
  { 0x002b, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5" },
  { 0x002c, "TLS_PSK_WITH_NULL_SHA" },
  { 0x002d, "TLS_DHE_PSK_WITH_NULL_SHA" },
  { 0x002e, "TLS_RSA_PSK_WITH_NULL_SHA" },
  { 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA" },
  { 0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA" },
  { 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA" },
  { 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
  { 0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA" },
  { 0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA" },
  { 0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA" },
  { 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
  { 0x003a, "TLS_DH_anon_WITH_AES_256_CBC_SHA" },
  { 0x003b, "TLS_RSA_WITH_NULL_SHA256" },
  { 0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x003e, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256" },
  { 0x003f, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256" },
  { 0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0042, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0043, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256" },
  { 0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256" },
  { 0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x006c, "TLS_DH_anon_WITH_AES_128_CBC_SHA256" },
  { 0x006d, "TLS_DH_anon_WITH_AES_256_CBC_SHA256" },
  { 0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0085, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0086, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x008a, "TLS_PSK_WITH_RC4_128_SHA" },
  { 0x008b, "TLS_PSK_WITH_3DES_EDE_CBC_SHA" },
  { 0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA" },
  { 0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA" },
  { 0x008e, "TLS_DHE_PSK_WITH_RC4_128_SHA" },
  { 0x008f, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA" },
  { 0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA" },
  { 0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA" },
  { 0x0092, "TLS_RSA_PSK_WITH_RC4_128_SHA" },
  { 0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA" },
  { 0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA" },
  { 0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA" },
  { 0x0096, "TLS_RSA_WITH_SEED_CBC_SHA" },
  { 0x0097, "TLS_DH_DSS_WITH_SEED_CBC_SHA" },
  { 0x0098, "TLS_DH_RSA_WITH_SEED_CBC_SHA" },
  { 0x0099, "TLS_DHE_DSS_WITH_SEED_CBC_SHA" },
  { 0x009a, "TLS_DHE_RSA_WITH_SEED_CBC_SHA" },
  { 0x009b, "TLS_DH_anon_WITH_SEED_CBC_SHA" },
  { 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x00a0, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x00a1, "TLS_DH_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256" },
  { 0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384" },
  { 0x00a4, "TLS_DH_DSS_WITH_AES_128_GCM_SHA256" },
  { 0x00a5, "TLS_DH_DSS_WITH_AES_256_GCM_SHA384" },
  { 0x00a6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256" },
  { 0x00a7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384" },
  { 0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256" },
  { 0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384" },
  { 0x00aa, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256" },
  { 0x00ab, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384" },
  { 0x00ac, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256" },
  { 0x00ad, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384" },
  { 0x00ae, "TLS_PSK_WITH_AES_128_CBC_SHA256" },
  { 0x00af, "TLS_PSK_WITH_AES_256_CBC_SHA384" },
  { 0x00b0, "TLS_PSK_WITH_NULL_SHA256" },
  { 0x00b1, "TLS_PSK_WITH_NULL_SHA384" },
  { 0x00b2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256" },
  { 0x00b3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384" },
  { 0x00b4, "TLS_DHE_PSK_WITH_NULL_SHA256" },
  { 0x00b5, "TLS_DHE_PSK_WITH_NULL_SHA384" },
  { 0x00b6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256" },
  { 0x00b7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384" },
  { 0x00b8, "TLS_RSA_PSK_WITH_NULL_SHA256" },
  { 0x00b9, "TLS_RSA_PSK_WITH_NULL_SHA384" },
  { 0x00ba, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00bb, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00bc, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00bd, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00be, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00bf, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00c0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c1, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c2, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c6, "TLS_SM4_GCM_SM3" },
  { 0x00c7, "TLS_SM4_CCM_SM3" },
  { 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" },
  { 0x1301, "TLS_AES_128_GCM_SHA256" },
  { 0x1302, "TLS_AES_256_GCM_SHA384" },
  { 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
  { 0x1304, "TLS_AES_128_CCM_SHA256" },
  { 0x1305, "TLS_AES_128_CCM_8_SHA256" },
  { 0x1306, "TLS_AEGIS_256_SHA384" },
  { 0x1307, "TLS_AEGIS_128L_SHA256" },
  { 0x5600, "TLS_FALLBACK_SCSV" },
  { 0xc001, "TLS_ECDH_ECDSA_WITH_NULL_SHA" },
  { 0xc002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA" },
  { 0xc003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA" },
  { 0xc005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA" },
  { 0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA" },
  { 0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA" },
  { 0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
  { 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
  { 0xc00b, "TLS_ECDH_RSA_WITH_NULL_SHA" },
  { 0xc00c, "TLS_ECDH_RSA_WITH_RC4_128_SHA" },
  { 0xc00d, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc00e, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA" },
  { 0xc00f, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA" },
  { 0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA" },
  { 0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA" },
  { 0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
  { 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
  { 0xc015, "TLS_ECDH_anon_WITH_NULL_SHA" },
  { 0xc016, "TLS_ECDH_anon_WITH_RC4_128_SHA" },
  { 0xc017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA" },
  { 0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA" },
  { 0xc019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA" },
  { 0xc01a, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc01b, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc01c, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA" },
  { 0xc01d, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA" },
  { 0xc01e, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA" },
  { 0xc01f, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA" },
  { 0xc020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA" },
  { 0xc021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA" },
  { 0xc022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA" },
  { 0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
  { 0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
  { 0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256" },
  { 0xc026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384" },
  { 0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
  { 0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
  { 0xc029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256" },
  { 0xc02a, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384" },
  { 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
  { 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
  { 0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256" },
  { 0xc02e, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384" },
  { 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
  { 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
  { 0xc031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256" },
  { 0xc032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384" },
  { 0xc033, "TLS_ECDHE_PSK_WITH_RC4_128_SHA" },
  { 0xc034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA" },
  { 0xc035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA" },
  { 0xc036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA" },
  { 0xc037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256" },
  { 0xc038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384" },
  { 0xc039, "TLS_ECDHE_PSK_WITH_NULL_SHA" },
  { 0xc03a, "TLS_ECDHE_PSK_WITH_NULL_SHA256" },
  { 0xc03b, "TLS_ECDHE_PSK_WITH_NULL_SHA384" },
  { 0xc03c, "TLS_RSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc03d, "TLS_RSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc03e, "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256" },
  { 0xc03f, "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384" },
  { 0xc040, "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc041, "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc042, "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256" },
  { 0xc043, "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384" },
  { 0xc044, "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc045, "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc046, "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256" },
  { 0xc047, "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384" },
  { 0xc048, "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc049, "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc04a, "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc04b, "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc04c, "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc04d, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc04e, "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc04f, "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc054, "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc055, "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256" },
  { 0xc057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384" },
  { 0xc058, "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256" },
  { 0xc059, "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384" },
  { 0xc05a, "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256" },
  { 0xc05b, "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384" },
  { 0xc05c, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc05d, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc05e, "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc05f, "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc062, "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc063, "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc064, "TLS_PSK_WITH_ARIA_128_CBC_SHA256" },
  { 0xc065, "TLS_PSK_WITH_ARIA_256_CBC_SHA384" },
  { 0xc066, "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256" },
  { 0xc067, "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384" },
  { 0xc068, "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256" },
  { 0xc069, "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384" },
  { 0xc06a, "TLS_PSK_WITH_ARIA_128_GCM_SHA256" },
  { 0xc06b, "TLS_PSK_WITH_ARIA_256_GCM_SHA384" },
  { 0xc06c, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256" },
  { 0xc06d, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384" },
  { 0xc06e, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256" },
  { 0xc06f, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384" },
  { 0xc070, "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256" },
  { 0xc071, "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384" },
  { 0xc072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc074, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc075, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc078, "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc079, "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc07a, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc07b, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc07c, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc07d, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc07e, "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc07f, "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc080, "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc081, "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc082, "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc083, "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc084, "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc085, "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc088, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc089, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc08a, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc08b, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc08c, "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc08d, "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc08e, "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc08f, "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc090, "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc091, "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc092, "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc093, "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc09a, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc09b, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc09c, "TLS_RSA_WITH_AES_128_CCM" },
  { 0xc09d, "TLS_RSA_WITH_AES_256_CCM" },
  { 0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM" },
  { 0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM" },
  { 0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8" },
  { 0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8" },
  { 0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8" },
  { 0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8" },
  { 0xc0a4, "TLS_PSK_WITH_AES_128_CCM" },
  { 0xc0a5, "TLS_PSK_WITH_AES_256_CCM" },
  { 0xc0a6, "TLS_DHE_PSK_WITH_AES_128_CCM" },
  { 0xc0a7, "TLS_DHE_PSK_WITH_AES_256_CCM" },
  { 0xc0a8, "TLS_PSK_WITH_AES_128_CCM_8" },
  { 0xc0a9, "TLS_PSK_WITH_AES_256_CCM_8" },
  { 0xc0aa, "TLS_PSK_DHE_WITH_AES_128_CCM_8" },
  { 0xc0ab, "TLS_PSK_DHE_WITH_AES_256_CCM_8" },
  { 0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM" },
  { 0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM" },
  { 0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8" },
  { 0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8" },
  { 0xc0b0, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256" },
  { 0xc0b1, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384" },
  { 0xc0b2, "TLS_ECCPWD_WITH_AES_128_CCM_SHA256" },
  { 0xc0b3, "TLS_ECCPWD_WITH_AES_256_CCM_SHA384" },
  { 0xc0b4, "TLS_SHA256_SHA256" },
  { 0xc0b5, "TLS_SHA384_SHA384" },
  { 0xc100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC" },
  { 0xc101, "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC" },
  { 0xc102, "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT" },
  { 0xc103, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L" },
  { 0xc104, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L" },
  { 0xc105, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S" },
  { 0xc106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S" },
  { 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccac, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccad, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccae, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xd001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256" },
  { 0xd002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384" },
  { 0xd003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256" },
  { 0xd005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256" },
};

/* RFC 8701: GREASE values are 0x?A?A with both bytes equal. */
gboolean
hl_tls_is_grease (guint16 value)
{
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

const char *
hl_tls_cipher_suite_name (guint16 suite)
{
  if (hl_tls_is_grease (suite))
    return "GREASE";
  return LOOKUP (cipher_suites, suite);
}

/* IANA "TLS ExtensionType Values". */
static const Entry extensions[] = {
  { 0, "server_name" },
  { 1, "max_fragment_length" },
  { 2, "client_certificate_url" },
  { 3, "trusted_ca_keys" },
  { 4, "truncated_hmac" },
  { 5, "status_request" },
  { 6, "user_mapping" },
  { 7, "client_authz" },
  { 8, "server_authz" },
  { 9, "cert_type" },
  { 10, "supported_groups" },
  { 11, "ec_point_formats" },
  { 12, "srp" },
  { 13, "signature_algorithms" },
  { 14, "use_srtp" },
  { 15, "heartbeat" },
  { 16, "application_layer_protocol_negotiation" },
  { 17, "status_request_v2" },
  { 18, "signed_certificate_timestamp" },
  { 19, "client_certificate_type" },
  { 20, "server_certificate_type" },
  { 21, "padding" },
  { 22, "encrypt_then_mac" },
  { 23, "extended_master_secret" },
  { 24, "token_binding" },
  { 25, "cached_info" },
  { 26, "tls_lts" },
  { 27, "compress_certificate" },
  { 28, "record_size_limit" },
  { 29, "pwd_protect" },
  { 30, "pwd_clear" },
  { 31, "password_salt" },
  { 32, "ticket_pinning" },
  { 33, "tls_cert_with_extern_psk" },
  { 34, "delegated_credential" },
  { 35, "session_ticket" },
  { 36, "TLMSP" },
  { 37, "TLMSP_proxying" },
  { 38, "TLMSP_delegate" },
  { 39, "supported_ekt_ciphers" },
  { 41, "pre_shared_key" },
  { 42, "early_data" },
  { 43, "supported_versions" },
  { 44, "cookie" },
  { 45, "psk_key_exchange_modes" },
  { 47, "certificate_authorities" },
  { 48, "oid_filters" },
  { 49, "post_handshake_auth" },
  { 50, "signature_algorithms_cert" },
  { 51, "key_share" },
  { 52, "transparency_info" },
  { 53, "connection_id (deprecated)" },
  { 54, "connection_id" },
  { 55, "external_id_hash" },
  { 56, "external_session_id" },
  { 57, "quic_transport_parameters" },
  { 58, "ticket_request" },
  { 59, "dnssec_chain" },
  { 60, "sequence_number_encryption_algorithms" },
  { 61, "rrc" },
  { 0xfd00, "ech_outer_extensions" },
  { 0xfe0d, "encrypted_client_hello" },
  { 0xff01, "renegotiation_info" },
};

const char *
hl_tls_extension_name (guint16 type)
{
  if (hl_tls_is_grease (type))
    return "GREASE";
  return LOOKUP (extensions, type);
}

/* IANA "TLS Supported Groups" (RFC 8422, RFC 7919, RFC 8446 §4.2.7). */
static const Entry groups[] = {
  { 1, "sect163k1" },
  { 2, "sect163r1" },
  { 3, "sect163r2" },
  { 4, "sect193r1" },
  { 5, "sect193r2" },
  { 6, "sect233k1" },
  { 7, "sect233r1" },
  { 8, "sect239k1" },
  { 9, "sect283k1" },
  { 10, "sect283r1" },
  { 11, "sect409k1" },
  { 12, "sect409r1" },
  { 13, "sect571k1" },
  { 14, "sect571r1" },
  { 15, "secp160k1" },
  { 16, "secp160r1" },
  { 17, "secp160r2" },
  { 18, "secp192k1" },
  { 19, "secp192r1" },
  { 20, "secp224k1" },
  { 21, "secp224r1" },
  { 22, "secp256k1" },
  { 23, "secp256r1" },
  { 24, "secp384r1" },
  { 25, "secp521r1" },
  { 26, "brainpoolP256r1" },
  { 27, "brainpoolP384r1" },
  { 28, "brainpoolP512r1" },
  { 29, "x25519" },
  { 30, "x448" },
  { 31, "brainpoolP256r1tls13" },
  { 32, "brainpoolP384r1tls13" },
  { 33, "brainpoolP512r1tls13" },
  { 34, "GC256A" },
  { 35, "GC256B" },
  { 36, "GC256C" },
  { 37, "GC256D" },
  { 38, "GC512A" },
  { 39, "GC512B" },
  { 40, "GC512C" },
  { 41, "curveSM2" },
  { 256, "ffdhe2048" },
  { 257, "ffdhe3072" },
  { 258, "ffdhe4096" },
  { 259, "ffdhe6144" },
  { 260, "ffdhe8192" },
  { 0x11eb, "SecP256r1MLKEM768" },
  { 0x11ec, "X25519MLKEM768" },
  { 0x11ed, "SecP384r1MLKEM1024" },
  { 0x6399, "X25519Kyber768Draft00" },
  { 0xff01, "arbitrary_explicit_prime_curves" },
  { 0xff02, "arbitrary_explicit_char2_curves" },
};

const char *
hl_tls_group_name (guint16 group)
{
  if (hl_tls_is_grease (group))
    return "GREASE";
  return LOOKUP (groups, group);
}

/*
 * IANA "TLS SignatureScheme" (RFC 8446 §4.2.3) plus the TLS 1.2 hash/signature pairs of
 * RFC 5246 §7.4.1.4.1 that have no TLS 1.3 name.
 */
static const Entry signature_schemes[] = {
  { 0x0101, "rsa_md5 (TLS 1.2)" },
  { 0x0102, "dsa_md5 (TLS 1.2)" },
  { 0x0103, "ecdsa_md5 (TLS 1.2)" },
  { 0x0201, "rsa_pkcs1_sha1" },
  { 0x0202, "dsa_sha1 (TLS 1.2)" },
  { 0x0203, "ecdsa_sha1" },
  { 0x0301, "rsa_sha224 (TLS 1.2)" },
  { 0x0302, "dsa_sha224 (TLS 1.2)" },
  { 0x0303, "ecdsa_sha224 (TLS 1.2)" },
  { 0x0401, "rsa_pkcs1_sha256" },
  { 0x0402, "dsa_sha256 (TLS 1.2)" },
  { 0x0403, "ecdsa_secp256r1_sha256" },
  { 0x0420, "rsa_pkcs1_sha256_legacy" },
  { 0x0501, "rsa_pkcs1_sha384" },
  { 0x0502, "dsa_sha384 (TLS 1.2)" },
  { 0x0503, "ecdsa_secp384r1_sha384" },
  { 0x0520, "rsa_pkcs1_sha384_legacy" },
  { 0x0601, "rsa_pkcs1_sha512" },
  { 0x0602, "dsa_sha512 (TLS 1.2)" },
  { 0x0603, "ecdsa_secp521r1_sha512" },
  { 0x0620, "rsa_pkcs1_sha512_legacy" },
  { 0x0704, "eccsi_sha256" },
  { 0x0705, "iso_ibs1" },
  { 0x0706, "iso_ibs2" },
  { 0x0707, "iso_chinese_ibs" },
  { 0x0708, "sm2sig_sm3" },
  { 0x0709, "gostr34102012_256a" },
  { 0x070a, "gostr34102012_256b" },
  { 0x070b, "gostr34102012_256c" },
  { 0x070c, "gostr34102012_256d" },
  { 0x070d, "gostr34102012_512a" },
  { 0x070e, "gostr34102012_512b" },
  { 0x070f, "gostr34102012_512c" },
  { 0x0804, "rsa_pss_rsae_sha256" },
  { 0x0805, "rsa_pss_rsae_sha384" },
  { 0x0806, "rsa_pss_rsae_sha512" },
  { 0x0807, "ed25519" },
  { 0x0808, "ed448" },
  { 0x0809, "rsa_pss_pss_sha256" },
  { 0x080a, "rsa_pss_pss_sha384" },
  { 0x080b, "rsa_pss_pss_sha512" },
  { 0x081a, "ecdsa_brainpoolP256r1tls13_sha256" },
  { 0x081b, "ecdsa_brainpoolP384r1tls13_sha384" },
  { 0x081c, "ecdsa_brainpoolP512r1tls13_sha512" },
  { 0x0904, "mldsa44" },
  { 0x0905, "mldsa65" },
  { 0x0906, "mldsa87" },
};

const char *
hl_tls_signature_scheme_name (guint16 scheme)
{
  if (hl_tls_is_grease (scheme))
    return "GREASE";
  return LOOKUP (signature_schemes, scheme);
}

/* IANA "TLS Alerts" (RFC 8446 §6, RFC 5246 §7.2). */
static const Entry alerts[] = {
  { 0, "close_notify" },
  { 10, "unexpected_message" },
  { 20, "bad_record_mac" },
  { 21, "decryption_failed_RESERVED" },
  { 22, "record_overflow" },
  { 30, "decompression_failure_RESERVED" },
  { 40, "handshake_failure" },
  { 41, "no_certificate_RESERVED" },
  { 42, "bad_certificate" },
  { 43, "unsupported_certificate" },
  { 44, "certificate_revoked" },
  { 45, "certificate_expired" },
  { 46, "certificate_unknown" },
  { 47, "illegal_parameter" },
  { 48, "unknown_ca" },
  { 49, "access_denied" },
  { 50, "decode_error" },
  { 51, "decrypt_error" },
  { 52, "too_many_cids_requested" },
  { 60, "export_restriction_RESERVED" },
  { 70, "protocol_version" },
  { 71, "insufficient_security" },
  { 80, "internal_error" },
  { 86, "inappropriate_fallback" },
  { 90, "user_canceled" },
  { 100, "no_renegotiation_RESERVED" },
  { 109, "missing_extension" },
  { 110, "unsupported_extension" },
  { 111, "certificate_unobtainable_RESERVED" },
  { 112, "unrecognized_name" },
  { 113, "bad_certificate_status_response" },
  { 114, "bad_certificate_hash_value_RESERVED" },
  { 115, "unknown_psk_identity" },
  { 116, "certificate_required" },
  { 120, "no_application_protocol" },
  { 121, "ech_required" },
};

const char *
hl_tls_alert_description_name (guint8 description)
{
  return LOOKUP (alerts, description);
}

const char *
hl_tls_alert_level_name (guint8 level)
{
  switch (level)
    {
    case 1: return "warning";
    case 2: return "fatal";
    default: return NULL;
    }
}

/* IANA "TLS HandshakeType", registry spelling. */
static const Entry handshake_types[] = {
  { 0, "hello_request_RESERVED" },
  { 1, "client_hello" },
  { 2, "server_hello" },
  { 3, "hello_verify_request_RESERVED" },
  { 4, "new_session_ticket" },
  { 5, "end_of_early_data" },
  { 6, "hello_retry_request_RESERVED" },
  { 8, "encrypted_extensions" },
  { 9, "request_connection_id" },
  { 10, "new_connection_id" },
  { 11, "certificate" },
  { 12, "server_key_exchange_RESERVED" },
  { 13, "certificate_request" },
  { 14, "server_hello_done_RESERVED" },
  { 15, "certificate_verify" },
  { 16, "client_key_exchange_RESERVED" },
  { 17, "client_certificate_request" },
  { 20, "finished" },
  { 21, "certificate_url_RESERVED" },
  { 22, "certificate_status_RESERVED" },
  { 23, "supplemental_data_RESERVED" },
  { 24, "key_update" },
  { 25, "compressed_certificate" },
  { 26, "ekt_key" },
  { 254, "message_hash" },
};

const char *
hl_tls_handshake_type_name (guint8 type)
{
  return LOOKUP (handshake_types, type);
}

/* The struct names the RFCs use for the messages (RFC 5246 §7.4, RFC 8446 §4). */
static const Entry handshake_messages[] = {
  { 0, "HelloRequest" },
  { 1, "ClientHello" },
  { 2, "ServerHello" },
  { 3, "HelloVerifyRequest" },
  { 4, "NewSessionTicket" },
  { 5, "EndOfEarlyData" },
  { 6, "HelloRetryRequest" },
  { 8, "EncryptedExtensions" },
  { 9, "RequestConnectionId" },
  { 10, "NewConnectionId" },
  { 11, "Certificate" },
  { 12, "ServerKeyExchange" },
  { 13, "CertificateRequest" },
  { 14, "ServerHelloDone" },
  { 15, "CertificateVerify" },
  { 16, "ClientKeyExchange" },
  { 17, "ClientCertificateRequest" },
  { 20, "Finished" },
  { 21, "CertificateURL" },
  { 22, "CertificateStatus" },
  { 23, "SupplementalData" },
  { 24, "KeyUpdate" },
  { 25, "CompressedCertificate" },
  { 26, "EktKey" },
  { 254, "MessageHash" },
};

const char *
hl_tls_handshake_message_name (guint8 type)
{
  return LOOKUP (handshake_messages, type);
}

const char *
hl_tls_content_type_name (guint8 type)
{
  switch (type)
    {
    case 20: return "change_cipher_spec";
    case 21: return "alert";
    case 22: return "handshake";
    case 23: return "application_data";
    case 24: return "heartbeat";
    case 25: return "tls12_cid";
    case 26: return "ACK";
    case 27: return "return_routability_check";
    default: return NULL;
    }
}

const char *
hl_tls_version_name (guint16 version)
{
  if (hl_tls_is_grease (version))
    return "GREASE";

  switch (version)
    {
    case 0x0200: return "SSL 2.0";
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    case 0xfeff: return "DTLS 1.0";
    case 0xfefd: return "DTLS 1.2";
    case 0xfefc: return "DTLS 1.3";
    default: return NULL;
    }
}

const char *
hl_tls_psk_mode_name (guint8 mode)
{
  switch (mode)
    {
    case 0: return "psk_ke";
    case 1: return "psk_dhe_ke";
    default: return NULL;
    }
}

const char *
hl_tls_ec_point_format_name (guint8 format)
{
  switch (format)
    {
    case 0: return "uncompressed";
    case 1: return "ansiX962_compressed_prime";
    case 2: return "ansiX962_compressed_char2";
    default: return NULL;
    }
}

/* IANA "TLS Certificate Types" (RFC 7250, RFC 8446 §4.4.2). */
const char *
hl_tls_certificate_type_name (guint8 type)
{
  switch (type)
    {
    case 0: return "X509";
    case 1: return "OpenPGP_RESERVED";
    case 2: return "RawPublicKey";
    case 3: return "1609Dot2";
    default: return NULL;
    }
}

/* IANA "TLS ClientCertificateType Identifiers" (RFC 5246 §7.4.4, RFC 8422). */
const char *
hl_tls_client_certificate_type_name (guint8 type)
{
  switch (type)
    {
    case 1: return "rsa_sign";
    case 2: return "dss_sign";
    case 3: return "rsa_fixed_dh";
    case 4: return "dss_fixed_dh";
    case 5: return "rsa_ephemeral_dh_RESERVED";
    case 6: return "dss_ephemeral_dh_RESERVED";
    case 20: return "fortezza_dms_RESERVED";
    case 64: return "ecdsa_sign";
    case 65: return "rsa_fixed_ecdh";
    case 66: return "ecdsa_fixed_ecdh";
    case 67: return "gost_sign256";
    case 68: return "gost_sign512";
    default: return NULL;
    }
}

const char *
hl_tls_compression_name (guint8 method)
{
  switch (method)
    {
    case 0: return "null";
    case 1: return "DEFLATE";
    case 64: return "LZS";
    default: return NULL;
    }
}

/* IANA "TLS Certificate Compression Algorithm IDs" (RFC 8879). */
const char *
hl_tls_cert_compression_name (guint16 algorithm)
{
  switch (algorithm)
    {
    case 1: return "zlib";
    case 2: return "brotli";
    case 3: return "zstd";
    default: return NULL;
    }
}

/**
 * hl_tls_describe16:
 * @name: (nullable): the registry name of @value, if any
 * @value: a 16-bit code point
 *
 * Returns: (transfer full): "name (0x1301)", or "unknown (0x1234)"
 */
char *
hl_tls_describe16 (const char *name,
                   guint16     value)
{
  return g_strdup_printf ("%s (0x%04x)", name != NULL ? name : "unknown", value);
}

/**
 * hl_tls_describe8:
 * @name: (nullable): the registry name of @value, if any
 * @value: an 8-bit code point
 *
 * Returns: (transfer full): "name (42)", or "unknown (0x2a)"
 */
char *
hl_tls_describe8 (const char *name,
                  guint8      value)
{
  if (name == NULL)
    return g_strdup_printf ("unknown (0x%02x)", value);
  return g_strdup_printf ("%s (%u)", name, value);
}
