/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TLS record content types (RFC 8446 §5.1) */
enum
{
  HL_CONTENT_CHANGE_CIPHER_SPEC = 20,
  HL_CONTENT_ALERT = 21,
  HL_CONTENT_HANDSHAKE = 22,
  HL_CONTENT_APPLICATION_DATA = 23,
};

/*
 * Names of TLS code points as the IANA "Transport Layer Security (TLS) Parameters" and
 * "TLS ExtensionType Values" registries spell them. Each lookup returns a static string,
 * or NULL for a value the registry does not assign (callers then show the value in hex).
 * GREASE values (RFC 8701) are named "GREASE".
 */

const char *hl_tls_cipher_suite_name       (guint16 suite);
const char *hl_tls_extension_name          (guint16 type);
const char *hl_tls_group_name              (guint16 group);
const char *hl_tls_signature_scheme_name   (guint16 scheme);
const char *hl_tls_alert_description_name  (guint8  description);
const char *hl_tls_alert_level_name        (guint8  level);
const char *hl_tls_handshake_type_name     (guint8  type);
const char *hl_tls_handshake_message_name  (guint8  type);
const char *hl_tls_content_type_name       (guint8  type);
const char *hl_tls_version_name            (guint16 version);
const char *hl_tls_psk_mode_name           (guint8  mode);
const char *hl_tls_ec_point_format_name    (guint8  format);
const char *hl_tls_certificate_type_name   (guint8  type);
const char *hl_tls_client_certificate_type_name (guint8 type);
const char *hl_tls_compression_name        (guint8  method);
const char *hl_tls_cert_compression_name   (guint16 algorithm);
gboolean    hl_tls_is_grease               (guint16 value);

char       *hl_tls_describe16              (const char *name,
                                            guint16     value);
char       *hl_tls_describe8               (const char *name,
                                            guint8      value);

G_END_DECLS
