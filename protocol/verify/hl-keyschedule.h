/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hl-record-crypto.h"
#include "hl-trace.h"

G_BEGIN_DECLS

/*
 * The independent key schedule: for every handshake of a trace, recompute with our own code
 * (hl-kdf) every value the captured inputs allow, compare each with the value GnuTLS used (or
 * with the Finished message on the wire), and decrypt every protected record (hl-record-crypto)
 * with the keys of its direction and epoch.
 *
 * Each result is an HlSecret with source %HL_SOURCE_DERIVED, its formula in words, the names
 * of its inputs and a check:
 * - %HL_CHECK_OK: equal to GnuTLS's value, or to the Finished body on the wire, or (for values
 *   GnuTLS never reports, such as transcript hashes and finished keys) confirmed because a value
 *   computed from it is equal; the note says which.
 * - %HL_CHECK_FAILED: different; the note says from what. Shown, never hidden.
 * - %HL_CHECK_NONE: nothing to compare with (the note says why), or a link of the schedule that
 *   GnuTLS keeps to itself, listed with a %NULL value and a note that says so plainly.
 *
 * Inputs that GnuTLS reports are used as given (each step is checked on its own: a wrong
 * master secret shows up as ✗ on the master secret and on everything computed from it); where
 * GnuTLS does not report an input, our own derived value stands in.
 *
 * Names of the derived values (per handshake; "write" keys belong to the named sender):
 *
 * TLS 1.2
 * - `session_hash`: Hash(ClientHello … ClientKeyExchange), the extended master secret's seed
 *   (RFC 7627 §3); with a client certificate its Certificate is included. Only with EMS.
 * - `master_secret.derived`: from `premaster_secret` (RFC 5246 §8.1, RFC 7627 §4); %NULL with a
 *   note when the premaster is hidden (ECDHE) or absent (resumed handshake).
 * - `key_block`: PRF(master_secret, "key expansion", server_random ‖ client_random)
 *   (RFC 5246 §6.3), cut into
 *   `client_write_mac_key.derived`, `server_write_mac_key.derived` (CBC suites only),
 *   `client_write_key.derived`, `server_write_key.derived`,
 *   `client_write_iv.derived`, `server_write_iv.derived`.
 * - `transcript_hash.client_finished`, `client_verify_data`,
 *   `transcript_hash.server_finished`, `server_verify_data` (RFC 5246 §7.4.9).
 *
 * TLS 1.3
 * - `early_secret.derived`, `derived_for_handshake.derived`: without a PSK, HKDF-Extract(0, 0)
 *   and Derive-Secret(early_secret, "derived", ""), constants of the hash that we compute but
 *   nothing in the run confirms (%HL_CHECK_NONE; the tests compare them with RFC 8448); with a
 *   PSK %NULL, as is `binder_key.derived`.
 * - `handshake_secret.derived`, `derived_for_master.derived`, `master_secret_13.derived`,
 *   `resumption_master_secret.derived`: %NULL, with a note: GnuTLS does not expose the (EC)DHE
 *   shared secret, the handshake secret or the master secret, so the schedule is checked from
 *   the traffic secrets onward.
 * - `client_handshake_write_key.derived`, `client_handshake_write_iv.derived`,
 *   `server_handshake_write_key.derived`, `server_handshake_write_iv.derived` from the handshake
 *   traffic secrets; `client_write_key.derived`, `client_write_iv.derived`,
 *   `server_write_key.derived`, `server_write_iv.derived` from the first application traffic
 *   secrets (RFC 8446 §7.3).
 * - `server_finished_key`, `transcript_hash.server_finished`, `server_verify_data`,
 *   `client_finished_key`, `transcript_hash.client_finished`, `client_verify_data`
 *   (RFC 8446 §4.4.4; after a HelloRetryRequest ClientHello1 is replaced by message_hash,
 *   §4.4.1).
 *
 * Resumed handshakes (both versions)
 * - `resumption_ticket` (source %HL_SOURCE_WIRE): the ticket the ClientHello presents
 *   (session_ticket, RFC 5077 §3.2; pre_shared_key identity, RFC 8446 §4.2.11), checked equal to
 *   the ticket of a NewSessionTicket of an earlier handshake of the trace.
 * - TLS 1.3 `ticket_nonce` (source %HL_SOURCE_WIRE): the ticket_nonce of that NewSessionTicket.
 * - TLS 1.3 `resumption_psk.derived`: %NULL, with a note: the PSK comes from the resumption
 *   master secret, which GnuTLS does not expose, so neither the PSK nor the early secret, binder
 *   key or binder can be recomputed.
 *
 * hl-keyschedule-ladder.h arranges the TLS 1.3 values as the ladder of RFC 8446 §7.1;
 * hl-record-internals.h shows how each record was opened (@internals below).
 */

/**
 * HlRecordDecryption:
 * @record: index of the record event
 * @handshake: its handshake
 * @sender: who sent it
 * @epoch: the keys it is protected with
 * @seq: its sequence number in its direction and epoch (0 at each key change)
 * @check: %HL_CHECK_OK when it decrypted and the plaintext equals the bytes of the captured
 *   message(s), alert or application data linked to it; %HL_CHECK_FAILED when it did not
 *   decrypt or differs; %HL_CHECK_NONE when no keys are known for its direction and epoch
 * @plaintext: the plaintext (TLS 1.3: without the inner content type and padding), or %NULL
 * @inner_type: the content type inside (TLS 1.3: the inner type; TLS 1.2: the header's), 0
 *   when it did not decrypt
 * @keys: names of the keys used, e.g. "client_handshake_write_key, client_handshake_write_iv"
 * @detail: one sentence: what it matched, or why it failed
 * @internals: (nullable): how it was opened (sequence number, nonce, additional data, where
 *   each part sits), when it decrypted
 *
 * The decryption of one protected record.
 */
typedef struct
{
  guint    record;
  guint    handshake;
  HlSide   sender;
  HlEpoch  epoch;
  guint64  seq;
  HlCheck  check;
  GBytes  *plaintext;
  guint    inner_type;
  char    *keys;
  char    *detail;
  HlRecordInternals *internals;
} HlRecordDecryption;

/**
 * HlKeySchedule:
 * @secrets: (element-type HlSecret): the values the schedule adds, in the order computed
 * @records: (element-type HlRecordDecryption): one per protected record, in trace order
 *
 * The result of hl_keyschedule_compute().
 */
typedef struct
{
  GPtrArray *secrets;
  GPtrArray *records;
} HlKeySchedule;

HlKeySchedule *hl_keyschedule_compute (HlTrace  *trace,
                                       GError  **error);
gboolean       hl_keyschedule_apply   (HlTrace  *trace,
                                       GError  **error);
void           hl_keyschedule_free    (HlKeySchedule *schedule);

guint          hl_keyschedule_count   (HlKeySchedule *schedule,
                                       HlCheck        check);
const HlSecret *hl_keyschedule_find   (HlKeySchedule *schedule,
                                       const char    *name,
                                       guint          handshake);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlKeySchedule, hl_keyschedule_free)

G_END_DECLS
