/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hl-decoder.h"
#include "hl-field.h"
#include "hl-reader.h"
#include "hl-tls-names.h"

G_BEGIN_DECLS

/*
 * Shared by the hl-decode-*.c files. Every helper reads through an HlReader, appends a
 * child to @parent covering exactly the bytes it read, and returns that child (borrowed).
 * On a failed read the child is still created (empty) and out-values are zeroed, so a
 * message decoder can read straight through and let the reader's sticky error end it;
 * loops must use dec_more() so they stop on the first error.
 */

/* Where an extension block sits: its layout depends on the message (RFC 8446 §4.2). */
typedef enum
{
  HL_EXT_CLIENT_HELLO,
  HL_EXT_SERVER_HELLO,
  HL_EXT_HELLO_RETRY_REQUEST,
  HL_EXT_ENCRYPTED_EXTENSIONS,
  HL_EXT_CERTIFICATE,
  HL_EXT_CERTIFICATE_REQUEST,
  HL_EXT_NEW_SESSION_TICKET,
} HlExtWhere;

typedef void (*HlMessageFunc) (HlReader              *body,
                               HlField               *message,
                               const HlDecodeContext *context);

gboolean  dec_more     (HlReader   *r);
HlField  *dec_node     (HlField    *parent,
                        const char *name,
                        gsize       offset,
                        gsize       length);
HlField  *dec_u8       (HlReader   *r,
                        HlField    *parent,
                        const char *name,
                        guint8     *out);
HlField  *dec_u16      (HlReader   *r,
                        HlField    *parent,
                        const char *name,
                        guint16    *out);
HlField  *dec_u24      (HlReader   *r,
                        HlField    *parent,
                        const char *name,
                        guint32    *out);
HlField  *dec_u32      (HlReader   *r,
                        HlField    *parent,
                        const char *name,
                        guint32    *out);
HlField  *dec_bytes    (HlReader   *r,
                        HlField    *parent,
                        const char *name,
                        gsize       n,
                        HlSpan     *out);
HlField  *dec_rest     (HlReader   *r,
                        HlField    *parent,
                        const char *name,
                        HlSpan     *out);
HlField  *dec_vector   (HlReader   *r,
                        HlField    *parent,
                        const char *name,
                        guint       prefix_len,
                        HlReader   *sub);
HlField  *dec_opaque   (HlReader   *r,
                        HlField    *parent,
                        const char *name,
                        guint       prefix_len,
                        HlSpan     *out);

/* A child of @parent over the same bytes holding a value read from them (a certificate's or
 * an OCSP response's contents). */
HlField  *dec_derived (HlField    *parent,
                       const char *name,
                       const char *value);
/* A UTC time for people, "(not set)" for -1. */
char     *dec_format_time (time_t t);
void      dec_annotate (HlField    *field,
                        const char *rfc,
                        const char *explanation);
void      dec_set_hex  (HlField    *field,
                        const HlSpan *span);
void      dec_set_count (HlField   *field,
                         guint      count,
                         const char *singular,
                         const char *plural);
void      dec_name16   (HlField    *field,
                        const char *name,
                        guint16     value);
void      dec_name8    (HlField    *field,
                        const char *name,
                        guint8      value);

/* hl-decode-extensions.c */
HlField  *hl_decode_extensions (HlReader              *r,
                                HlField               *parent,
                                HlExtWhere             where,
                                const HlDecodeContext *context);
void      dec_group_list        (HlReader *r,
                                 HlField  *parent,
                                 const char *name);
void      dec_signature_schemes (HlReader *r,
                                 HlField  *parent,
                                 const char *name);
void      dec_distinguished_names (HlReader *r,
                                   HlField  *parent);

/* hl-decode-hello.c */
void hl_decode_client_hello          (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_server_hello          (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_encrypted_extensions  (HlReader *, HlField *, const HlDecodeContext *);

/* hl-decode-certificate.c */
void hl_decode_certificate           (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_certificate_request   (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_certificate_verify    (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_certificate_status    (HlReader *, HlField *, const HlDecodeContext *);
/* hl-decode-ocsp.c: an OCSPResponse's contents as derived children of @der_field */
void hl_decode_ocsp_response (HlField *der_field, const HlSpan *der);
void hl_decode_certificate_der       (HlField      *der_field,
                                      const HlSpan *der);

/* hl-decode-keyex.c */
void hl_decode_server_key_exchange   (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_client_key_exchange   (HlReader *, HlField *, const HlDecodeContext *);

/* hl-decode-misc.c */
void hl_decode_new_session_ticket    (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_finished              (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_empty                 (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_key_update            (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_message_hash          (HlReader *, HlField *, const HlDecodeContext *);
void hl_decode_unknown               (HlReader *, HlField *, const HlDecodeContext *);

G_END_DECLS
