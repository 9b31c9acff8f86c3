/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-field.h"
#include "hl-trace.h"

G_BEGIN_DECLS

/**
 * HlCompareRowKind:
 * @HL_COMPARE_ROW_MATCH: the same step on both sides (same kind, sender, connection and
 *   message type, alert or action)
 * @HL_COMPARE_ROW_LEFT: a step only the left handshake has (the right one shows a gap)
 * @HL_COMPARE_ROW_RIGHT: a step only the right handshake has
 * @HL_COMPARE_ROW_PAIR: two local steps (actions, notes) that differ but happen at the same point
 *   between matched messages; sharing a row keeps the diagrams short
 *
 * What one row of an alignment holds.
 */
typedef enum
{
  HL_COMPARE_ROW_MATCH,
  HL_COMPARE_ROW_LEFT,
  HL_COMPARE_ROW_RIGHT,
  HL_COMPARE_ROW_PAIR,
} HlCompareRowKind;

/**
 * HlCompareRow:
 * @left: index of the left trace's event, or -1
 * @right: index of the right trace's event, or -1
 */
typedef struct
{
  HlCompareRowKind kind;
  int              left;
  int              right;
} HlCompareRow;

/* The events an alignment covers: every event but the raw records, which belong to the
 * messages they carry. */
gboolean  hl_compare_is_step (HlEvent *event);

/**
 * hl_compare_align:
 * Aligns two traces by meaning: a weighted longest common subsequence of their steps, where
 * handshake messages weigh most (ClientHello ↔ ClientHello, Finished ↔ Finished), then alerts
 * and application data, then ChangeCipherSpec, then actions with the same name. Steps match only
 * within paired connections, counted from the last one back (a full handshake faces the resumed
 * connection of a resumption scenario). Every step of each trace appears in exactly one row, in
 * trace order on both sides.
 *
 * Returns: (transfer full): an array of #HlCompareRow
 */
GArray   *hl_compare_align (HlTrace *left, HlTrace *right);

/**
 * hl_compare_round_trips:
 * Round trips until the client may send application data in connection @handshake: the server
 * flights it had to wait for until it had both sent its Finished and received the server's
 * (RFC 5246 §7.3: 2 for a full TLS 1.2 handshake, 1 abbreviated; RFC 8446 §2: 1 for TLS 1.3,
 * 2 with HelloRetryRequest). -1 when that moment never came (a failed handshake).
 */
int       hl_compare_round_trips (HlTrace *trace, guint handshake);

/**
 * HlCompareSummary:
 * Figures about one trace, every one counted from its events, negotiated parameters and
 * secrets. Byte counts are whole records on the wire.
 */
typedef struct
{
  char     *title;
  char     *version;           /* of the last connection: "TLS 1.2" */
  char     *key_exchange;      /* "RSA", "ECDHE-RSA", "(EC)DHE", or NULL when none was agreed */
  char     *cipher_suite;
  guint     n_handshakes;
  int       round_trips[2];    /* first and last connection (equal with one) */
  guint     clear_messages;    /* handshake messages, CCS and alerts sent in the clear */
  guint     encrypted_messages;
  guint64   clear_bytes;       /* record bytes on the wire */
  guint64   encrypted_bytes;
  gboolean  certificate_sent;  /* the server sent a Certificate */
  gboolean  certificate_clear; /* … in the clear, readable by an eavesdropper */
  char     *clear_names;       /* the distinct messages an eavesdropper reads, in order */
  int       forward_secrecy;   /* 1 yes, 0 no, -1 not known (no key exchange agreed) */
  gboolean  resumed;           /* a connection of the trace was resumed */
  guint     derived_secrets;   /* secrets re-derived by our own key schedule … */
  guint     derived_ok;        /* … of which equal the library's value */
  char     *outcome;           /* "completed" or the fatal alert */
  char     *attacker;          /* what an attacker in the middle got, or NULL without one */
} HlCompareSummary;

HlCompareSummary *hl_compare_summary_new  (HlTrace *trace);
void              hl_compare_summary_free (HlCompareSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlCompareSummary, hl_compare_summary_free)

/**
 * HlCompareLine:
 * One line of the summary strip: what is compared and each side's value as text.
 */
typedef struct
{
  char     *label;
  char     *left;
  char     *right;
  gboolean  differs;
} HlCompareLine;

void       hl_compare_line_free (HlCompareLine *line);
/* Returns: (transfer full): an array of #HlCompareLine, in the order they are shown */
GPtrArray *hl_compare_summary_lines (const HlCompareSummary *left,
                                     const HlCompareSummary *right);

/**
 * HlFieldDiffKind:
 * How a decoded field compares between two messages.
 */
typedef enum
{
  HL_FIELD_DIFF_SAME,
  HL_FIELD_DIFF_CHANGED,     /* on both sides, with different values */
  HL_FIELD_DIFF_LEFT_ONLY,   /* e.g. an extension only the left ClientHello offers */
  HL_FIELD_DIFF_RIGHT_ONLY,
} HlFieldDiffKind;

typedef struct
{
  HlFieldDiffKind  kind;
  guint            depth;    /* 0 for the message itself */
  char            *name;
  char            *left;     /* value text, NULL where the side has no such field */
  char            *right;
} HlFieldDiff;

void       hl_field_diff_free (HlFieldDiff *diff);
/**
 * hl_compare_fields:
 * Field-by-field difference of two decoded messages, depth first. Children are paired by name
 * and, for repeated names (list entries), by their position among the ones of that name; a
 * field present on one side only is listed without its children. A field with children is
 * %HL_FIELD_DIFF_CHANGED when anything inside it differs. Either side may be NULL: the other
 * is then listed whole, every field one-sided.
 *
 * Returns: (transfer full): an array of #HlFieldDiff
 */
GPtrArray *hl_compare_fields (HlField *left, HlField *right);

/**
 * hl_compare_load:
 * The trace named by @spec: a scenario id (a fresh run) or the path of a saved `.hltrace`.
 * Blocks; call from a worker thread where that matters.
 */
HlTrace   *hl_compare_load (const char *spec, GCancellable *cancellable, GError **error);
void       hl_compare_load_async (const char          *spec,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
HlTrace   *hl_compare_load_finish (GAsyncResult *result, GError **error);

/* The short label of a step as the table and the diagrams show it ("ClientHello",
 * "Verify the certificate chain", "close_notify"). */
const char *hl_compare_step_label (HlEvent *event);

/* The aligned table and the summary as text (--compare A B --print). */
char      *hl_compare_dup_text (HlTrace *left, HlTrace *right);

G_END_DECLS
