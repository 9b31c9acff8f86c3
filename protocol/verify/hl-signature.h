/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gnutls/gnutls.h>

#include "hl-trace.h"

G_BEGIN_DECLS

/*
 * The handshake signatures of a trace, checked by Handshake Lens itself: the signed content is
 * built by our code from the captured messages (RFC 5246 §7.4.3 ServerKeyExchange:
 * client_random ‖ server_random ‖ params; RFC 5246 §7.4.8 TLS 1.2 CertificateVerify: every
 * handshake message before it; RFC 8446 §4.4.3 TLS 1.3 CertificateVerify: 64 spaces, the
 * context string, a zero byte and the transcript hash), and verified with the public key of the
 * signer's certificate from the trace (gnutls_pubkey_verify_data2, a primitive; the TLS logic is
 * ours). No ✓ on a signature step comes from anywhere else.
 */

/**
 * HlSignatureCheck:
 * @message: index of the ServerKeyExchange or CertificateVerify event
 * @handshake: its handshake
 * @signer: who signed (its sender)
 * @check: %HL_CHECK_OK valid, %HL_CHECK_FAILED invalid, %HL_CHECK_NONE not checkable (the
 *   detail says why: no certificate, an unknown scheme, a message that does not parse)
 * @scheme: the signature scheme's name ("RSA-PSS-RSAE-SHA256"), or %NULL
 * @signed_length: bytes of signed content
 * @detail: one sentence for the UI
 */
typedef struct
{
  guint    message;
  guint    handshake;
  HlSide   signer;
  HlCheck  check;
  char    *scheme;
  gsize    signed_length;
  char    *detail;
} HlSignatureCheck;

void       hl_signature_check_free (HlSignatureCheck *check);

/* One entry per ServerKeyExchange and CertificateVerify of @trace, in trace order. */
GPtrArray *hl_trace_check_signatures (HlTrace *trace);

/* While the trace is being built: sets the check and technical line of each "Check the …
 * signature" step from hl_trace_check_signatures(). */
void       hl_signature_apply (HlTrace *trace);

/**
 * HlSignatureEarly:
 *
 * A verification started while the trace is being built, on the worker thread (hl-worker.h):
 * the signature of @message as the trace holds it then, with @certificate's public key.
 * hl_signature_apply_early() takes its answer only where the inputs it reads at the end are
 * byte-identical (certificate, scheme, signed content, signature); anywhere else it verifies in
 * line, as hl_signature_apply() does. So the ✓ and ✗ never depend on what was started early.
 */
typedef struct _HlSignatureEarly HlSignatureEarly;

/* @tls13 and @hash (the suite's, for a TLS 1.3 CertificateVerify) as the signer's session
 * knows them; @certificate: the signer's (DER). NULL when there is nothing to check. */
HlSignatureEarly *hl_signature_start       (HlTrace                   *trace,
                                            HlEvent                   *message,
                                            gboolean                   tls13,
                                            gnutls_digest_algorithm_t  hash,
                                            GBytes                    *certificate);
/* Waits for a started verification (one not yet started never runs), then frees @early. */
void              hl_signature_early_free  (HlSignatureEarly          *early);
/* hl_signature_apply() that takes the answers of @early (HlSignatureEarly*, may be NULL) for
 * the same inputs. */
void              hl_signature_apply_early (HlTrace                   *trace,
                                            GPtrArray                 *early);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlSignatureCheck, hl_signature_check_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlSignatureEarly, hl_signature_early_free)

G_END_DECLS
