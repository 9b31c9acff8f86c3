/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-check"
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-event-private.h"
#include "hl-keyschedule.h"
#include "hl-signature.h"
#include "hl-trace-check.h"
#include "hl-decoder.h"
#include "hl-tls-names.h"
#include "hl-trace-decode.h"

/*
 * Sections: results · timestamps · events (records, messages, links, captions) · plaintext
 * records · key schedule and decryption · signatures · certificates · public API.
 *
 * Each check compares a claim of the file with what its bytes give and adds one difference per
 * claim that does not hold, on the step it concerns, so one changed byte shows where it was
 * changed and on what follows from it (a changed secret fails every value computed with it).
 */

#define HT_CERTIFICATE 11
#define HT_FINISHED 20

/* The latest time a trace can name: 9999-12-31T23:59:59.999999Z, the end of GDateTime. */
#define LATEST_TIME (G_GINT64_CONSTANT (253402300800) * G_USEC_PER_SEC - 1)

/* Results */

static void
difference_free (HlDifference *d)
{
  g_free (d->path);
  g_free (d->claim);
  g_free (d->found);
  if (d->events)
    g_array_unref (d->events);
  g_free (d);
}

static void add (HlTraceCheck *check, int event, char *path, const char *claim,
                 const char *format, ...) G_GNUC_PRINTF (5, 6);

/* Takes @path. */
static void
add (HlTraceCheck *check, int event, char *path, const char *claim, const char *format, ...)
{
  HlDifference *d = g_new0 (HlDifference, 1);
  va_list args;

  d->event = event;
  d->path = path;
  d->claim = g_strdup (claim);
  va_start (args, format);
  d->found = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (check->differences, d);
}

static char *
short_hex (GBytes *bytes)
{
  gsize n = 0;
  const guint8 *p;
  GString *s;

  if (bytes == NULL)
    return g_strdup ("none");
  p = g_bytes_get_data (bytes, &n);
  s = g_string_new (NULL);
  for (gsize i = 0; i < MIN (n, 8); i++)
    g_string_append_printf (s, "%02x", p[i]);
  if (n > 8)
    g_string_append (s, "…");
  g_string_append_printf (s, " (%" G_GSIZE_FORMAT " bytes)", n);
  return g_string_free (s, FALSE);
}

static const char *
check_word (HlCheck check)
{
  return check == HL_CHECK_OK ? "✓" : check == HL_CHECK_FAILED ? "✗" : "· (no check)";
}

static gboolean
same_bytes (GBytes *a, GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

/* Timestamps
 *
 * Every event's time is the trace's start plus its timestamp_us; both come from the file. A
 * time past the year 9999 is not a time at all (and the sum may not even fit in 64 bits), so it
 * is named once, at the first event it concerns. */

static void
check_timestamps (HlTrace *trace, HlTraceCheck *check)
{
  gint64 created = hl_trace_get_created (trace);
  gint64 limit = LATEST_TIME - MAX (created, 0);
  guint n = hl_trace_get_n_events (trace);
  guint n_bad = 0;
  int first = -1;

  if (created > LATEST_TIME)
    limit = 0;
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_timestamp (event) > limit)
        {
          if (first < 0)
            first = (int) i;
          n_bad++;
        }
    }
  if (first >= 0)
    {
      HlEvent *event = hl_trace_get_event (trace, (guint) first);
      g_autofree char *claim = g_strdup_printf ("%" G_GINT64_FORMAT " µs after the start",
                                                hl_event_get_timestamp (event));

      add (check, first, g_strdup_printf ("events[%d].timestamp_us", first), claim,
           "a time after 9999-12-31, which no clock gives (the trace starts %" G_GINT64_FORMAT
           " µs after 1970); %u event%s from here on", created, n_bad, n_bad == 1 ? "" : "s");
    }
}

/* Events */

static const char *
kind_word (HlEvent *event)
{
  return hl_event_kind_to_string (hl_event_get_kind (event));
}

/* Byte counts a caption or technical line of @event may name: its length, a record's fragment
 * and header, a message's body and header, an RSA ciphertext (body less its 2-byte length). */
static gboolean
allowed_count (HlEvent *event, guint64 n)
{
  guint64 len = hl_event_get_length (event);

  if (n == len || n == 1)
    return TRUE;
  if (hl_event_get_kind (event) == HL_EVENT_RECORD)
    return n == 5 || (len >= 5 && n == len - 5);
  if (n == 4 || (len >= 4 && n == len - 4) || (len >= 6 && n == len - 6))
    return TRUE;
  if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && hl_event_get_bytes (event) != NULL)
    {
      /* what is inside: a certificate's DER, a key-share point, a ticket */
      HlInnerSizes inner = hl_decoder_inner_sizes (g_bytes_get_data (hl_event_get_bytes (event),
                                                                     NULL), len,
                                                   hl_event_get_epoch (event) !=
                                                   HL_EPOCH_PLAINTEXT);

      return n != 0 && (n == inner.certificate || n == inner.point || n == inner.ticket);
    }
  return FALSE;
}

/* "(908 bytes)", "45 opaque bytes", "a 12-byte keyed hash": the byte counts a caption names,
 * which are generated from the data and must be the event's. */
static void
check_counts (HlTraceCheck *check, HlEvent *event, const char *member, const char *text)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  guint index = hl_event_get_index (event);

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("\\b([0-9]{1,9})(-byte\\b| (opaque )?bytes?\\b)",
                                                    G_REGEX_OPTIMIZE, 0, NULL));
  g_regex_match (regex, text, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *number = g_match_info_fetch (match, 1);
      g_autofree char *whole = g_match_info_fetch (match, 0);
      guint64 n = g_ascii_strtoull (number, NULL, 10);

      if (allowed_count (event, n))
        continue;
      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE && hl_event_get_length (event) >= 4)
        add (check, (int) index, g_strdup_printf ("events[%u].%s", index, member), whole,
             "the message has %" G_GSIZE_FORMAT " bytes (a %" G_GSIZE_FORMAT "-byte body)",
             hl_event_get_length (event), hl_event_get_length (event) - 4);
      else
        add (check, (int) index, g_strdup_printf ("events[%u].%s", index, member), whole,
             "the %s has %" G_GSIZE_FORMAT " bytes", kind_word (event),
             hl_event_get_length (event));
      return;
    }
}

static void
check_record (HlTraceCheck *check, HlEvent *event)
{
  guint i = hl_event_get_index (event);
  GBytes *bytes = hl_event_get_bytes (event);
  gsize len = bytes ? g_bytes_get_size (bytes) : 0;
  const guint8 *p = bytes ? g_bytes_get_data (bytes, NULL) : NULL;

  if (len < 5)
    {
      add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), "a TLS record",
           "%" G_GSIZE_FORMAT " bytes, shorter than a record header (5 bytes)", len);
      return;
    }
  if (p[0] != hl_event_get_content_type (event))
    {
      g_autofree char *claim = g_strdup_printf ("content type %u",
                                                hl_event_get_content_type (event));

      add (check, (int) i, g_strdup_printf ("events[%u].content_type", i), claim,
           "the record header says content type %u", p[0]);
    }
  if ((gsize) (p[3] << 8 | p[4]) != len - 5)
    {
      g_autofree char *claim = g_strdup_printf ("a %" G_GSIZE_FORMAT "-byte fragment", len - 5);

      add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), claim,
           "the record header gives its length as %u", p[3] << 8 | p[4]);
    }
}

static void
check_message (HlTrace *trace, HlTraceCheck *check, HlEvent *event)
{
  guint i = hl_event_get_index (event);
  GBytes *bytes = hl_event_get_bytes (event);
  gsize len = bytes ? g_bytes_get_size (bytes) : 0;
  const guint8 *p = bytes ? g_bytes_get_data (bytes, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlField) field = NULL;

  if (hl_event_get_content_type (event) == HL_CONTENT_HANDSHAKE)
    {
      if (len < 4)
        {
          add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), "a handshake message",
               "%" G_GSIZE_FORMAT " bytes, shorter than its 4-byte header", len);
          return;
        }
      if (p[0] != hl_event_get_handshake_type (event))
        {
          g_autofree char *claim = g_strdup_printf ("handshake type %d (%s)",
                                                    hl_event_get_handshake_type (event),
                                                    hl_event_get_name (event));

          add (check, (int) i, g_strdup_printf ("events[%u].handshake_type", i), claim,
               "the message header says type %u", p[0]);
        }
      if ((gsize) (p[1] << 16 | p[2] << 8 | p[3]) != len - 4)
        {
          g_autofree char *claim = g_strdup_printf ("a %" G_GSIZE_FORMAT "-byte body", len - 4);

          add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), claim,
               "the message header gives its length as %u", p[1] << 16 | p[2] << 8 | p[3]);
          return;
        }
    }
  field = hl_trace_decode_event (trace, event, &error);
  if (field == NULL && error != NULL)
    add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), hl_event_get_name (event),
         "the bytes do not decode as one: %s", error->message);
}

static void
check_alert (HlTraceCheck *check, HlEvent *event)
{
  guint i = hl_event_get_index (event);
  GBytes *bytes = hl_event_get_bytes (event);
  const guint8 *p;
  g_autofree char *claim = NULL;

  if (bytes == NULL)
    return;
  p = g_bytes_get_data (bytes, NULL);
  claim = g_strdup_printf ("level %u, description %u", hl_event_get_alert_level (event),
                           hl_event_get_alert_description (event));
  if (g_bytes_get_size (bytes) != 2)
    add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), claim,
         "%" G_GSIZE_FORMAT " bytes, where an alert has 2", g_bytes_get_size (bytes));
  else if (p[0] != hl_event_get_alert_level (event) ||
           p[1] != hl_event_get_alert_description (event))
    add (check, (int) i, g_strdup_printf ("events[%u].alert", i), claim,
         "the alert's bytes say level %u, description %u", p[0], p[1]);
}

/* A message, alert or application data names the record that carried it: an earlier record of
 * the same connection, sent by the same side. One difference per record a link is wrong for
 * (a record moved to another connection breaks the links of everything it carried). Returns
 * FALSE when any link is wrong: the key schedule cannot then follow the records. */
static gboolean
check_links (HlTrace *trace, HlTraceCheck *check)
{
  guint n = hl_trace_get_n_events (trace);
  g_autofree gboolean *reported = g_new0 (gboolean, MAX (n, 1));
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int r = hl_event_get_record (event);
      HlEvent *record;
      g_autofree char *claim = NULL;

      if (r < 0)
        continue;
      record = hl_trace_get_event (trace, (guint) r);
      claim = g_strdup_printf ("carried by event %d", r);
      if (hl_event_get_kind (record) != HL_EVENT_RECORD)
        {
          ok = FALSE;
          add (check, (int) i, g_strdup_printf ("events[%u].record", i), claim,
               "event %d is a %s, not a record", r, kind_word (record));
        }
      else if (hl_event_get_handshake (record) != hl_event_get_handshake (event))
        {
          ok = FALSE;
          if (!reported[r])
            {
              g_autofree char *where = g_strdup_printf ("connection %u",
                                                        hl_event_get_handshake (record) + 1);

              add (check, r, g_strdup_printf ("events[%d].handshake", r), where,
                 "the record carries %s (event %u) of connection %u, not of connection %u",
                 hl_event_get_name (event), i, hl_event_get_handshake (event) + 1,
                 hl_event_get_handshake (record) + 1);
            }
          reported[r] = TRUE;
        }
      else if (hl_event_get_side (record) != hl_event_get_side (event))
        {
          ok = FALSE;
          add (check, (int) i, g_strdup_printf ("events[%u].side", i),
               hl_side_to_string (hl_event_get_side (event)),
               "it was carried by event %d, a record the %s sent", r,
               hl_side_to_string (hl_event_get_side (record)));
        }
    }
  return ok;
}

static void
check_events (HlTrace *trace, HlTraceCheck *check)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      guint before = check->differences->len;

      switch (hl_event_get_kind (event))
        {
        case HL_EVENT_RECORD:
          check_record (check, event);
          break;
        case HL_EVENT_MESSAGE:
          check_message (trace, check, event);
          break;
        case HL_EVENT_ALERT:
          check_alert (check, event);
          break;
        default:
          break;
        }
      /* counts are only meaningful for bytes that are themselves right */
      if (check->differences->len == before &&
          (hl_event_get_kind (event) == HL_EVENT_RECORD ||
           hl_event_get_kind (event) == HL_EVENT_MESSAGE))
        {
          check_counts (check, event, "caption", hl_event_get_caption (event));
          if (check->differences->len == before)
            check_counts (check, event, "technical", hl_event_get_technical (event));
        }
    }
}

/* Plaintext records: the fragment of a record in the clear is the bytes of the messages linked
 * to it, in order; a message may run on into the next records of its direction
 * (RFC 8446 §5.1). */
static void
check_plaintext_records (HlTrace *trace, HlTraceCheck *check)
{
  guint n = hl_trace_get_n_events (trace);
  guint n_streams = hl_trace_get_n_handshakes (trace) * 2;
  g_autoptr(GPtrArray) streams =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autofree GPtrArray **items = g_new0 (GPtrArray *, MAX (n, 1));

  for (guint s = 0; s < n_streams; s++)
    g_ptr_array_add (streams, g_byte_array_new ());
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int r = hl_event_get_record (event);

      if (r < 0 || hl_event_get_kind (event) == HL_EVENT_RECORD)
        continue;
      if (items[r] == NULL)
        items[r] = g_ptr_array_new ();
      g_ptr_array_add (items[r], event);
    }

  for (guint i = 0; i < n; i++)
    {
      HlEvent *record = hl_trace_get_event (trace, i);
      HlSide side = hl_trace_get_role (trace, hl_event_get_handshake (record),
                                       hl_event_get_side (record));
      GByteArray *expected;
      GBytes *bytes = hl_event_get_bytes (record);
      const guint8 *fragment;
      gsize len;

      if (hl_event_get_kind (record) != HL_EVENT_RECORD ||
          hl_event_get_epoch (record) != HL_EPOCH_PLAINTEXT || bytes == NULL ||
          g_bytes_get_size (bytes) < 5 ||
          (side != HL_SIDE_CLIENT && side != HL_SIDE_SERVER))
        continue;
      expected = g_ptr_array_index (streams, hl_event_get_handshake (record) * 2 +
                                              (side == HL_SIDE_CLIENT ? 0 : 1));
      for (guint k = 0; items[i] && k < items[i]->len; k++)
        {
          GBytes *b = hl_event_get_bytes (g_ptr_array_index (items[i], k));

          if (b)
            g_byte_array_append (expected, g_bytes_get_data (b, NULL),
                                 (guint) g_bytes_get_size (b));
        }
      fragment = (const guint8 *) g_bytes_get_data (bytes, &len) + 5;
      len -= 5;
      if (expected->len == 0)
        continue;   /* nothing linked to compare with: not a claim */
      if (len > expected->len || memcmp (fragment, expected->data, len) != 0)
        {
          const char *first = items[i] && items[i]->len
                                ? hl_event_get_name (g_ptr_array_index (items[i], 0))
                                : "the message before it";
          g_autofree char *claim = g_strdup_printf ("carries %s", first);

          add (check, (int) i, g_strdup_printf ("events[%u].bytes", i), claim,
               "its %" G_GSIZE_FORMAT "-byte fragment is not the bytes of the %s linked to it",
               len, items[i] && items[i]->len > 1 ? "messages" : "message");
          g_byte_array_set_size (expected, 0);
        }
      else
        g_byte_array_remove_range (expected, 0, (guint) len);
    }
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&items[i], g_ptr_array_unref);
}

/* Key schedule and decryption */

/* Whether the "Derive …" step @name derives what @secret belongs to: the TLS 1.3 handshake keys
 * or the rest. */
static gboolean
derives (const char *name, const HlSecret *secret)
{
  g_autofree char *lower = g_ascii_strdown (secret->name, -1);

  return g_str_has_prefix (name, "Derive") &&
         (strstr (name, "handshake") != NULL) == (strstr (lower, "handshake_") != NULL &&
                                                   !g_str_has_prefix (lower, "handshake_secret"));
}

/* The step a key-schedule value shows on: the Finished a verify_data or transcript hash is for,
 * else the first step of its connection that derives it (the other side's such step is added
 * by show_on_peers()). */
static int
secret_event (HlTrace *trace, const HlSecret *secret)
{
  gboolean finished = g_str_has_suffix (secret->name, "_finished") ||
                      g_str_has_suffix (secret->name, "_verify_data");
  HlSide side = strstr (secret->name, "client") ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
  int any = -1;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_handshake (event) != secret->handshake)
        continue;
      if (finished)
        {
          if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
              hl_event_get_handshake_type (event) == HT_FINISHED &&
              hl_event_get_side (event) == side)
            return (int) i;
        }
      else if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
               g_str_has_prefix (hl_event_get_name (event), "Derive"))
        {
          if (derives (hl_event_get_name (event), secret))
            return (int) i;
          if (any < 0)
            any = (int) i;
        }
    }
  return any;
}

/* The file's entry for a value the key schedule adds (derived, or taken from the wire). */
static int
find_file_secret (GPtrArray *secrets, const HlSecret *ours)
{
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (s->source == ours->source && s->handshake == ours->handshake &&
          g_str_equal (s->name, ours->name))
        return (int) i;
    }
  return -1;
}

/* A value the file reports from the library is confirmed when a value computed from it, or
 * compared with it, checks out, or a record decrypts with it. */
static gboolean
confirmed (HlKeySchedule *schedule, const HlSecret *secret)
{
  g_autofree char *derived = g_strdup_printf ("%s.derived", secret->name);

  for (guint i = 0; i < schedule->secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (schedule->secrets, i);

      if (s->handshake != secret->handshake || s->check != HL_CHECK_OK)
        continue;
      if (g_str_equal (s->name, derived) ||
          (s->inputs && g_strv_contains ((const char *const *) s->inputs, secret->name)))
        return TRUE;
    }
  for (guint i = 0; i < schedule->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (schedule->records, i);
      g_auto(GStrv) keys = NULL;

      if (rd->handshake != secret->handshake || rd->check != HL_CHECK_OK || rd->keys == NULL)
        continue;
      keys = g_strsplit (rd->keys, ", ", -1);
      if (g_strv_contains ((const char *const *) keys, secret->name))
        return TRUE;
    }
  return FALSE;
}

/* A claim of the key schedule that re-checking contradicts, before grouping. */
typedef struct
{
  int        event;
  char      *path;
  char      *claim;
  char      *found;
  char      *name;       /* the value's or record's name, for the group's list */
  guint      handshake;
  gboolean   upstream;   /* the file's own entry is what its bytes give, but its check is not:
                          * a value it came from is wrong */
  GPtrArray *roots;      /* (element-type utf8): library values of the file it comes from */
  gboolean   grouped;
} Claim;

static void
claim_free (Claim *c)
{
  g_free (c->path);
  g_free (c->claim);
  g_free (c->found);
  g_free (c->name);
  g_ptr_array_unref (c->roots);
  g_free (c);
}

static const HlSecret *
file_library_secret (GPtrArray *secrets, const char *name, guint handshake, int *index)
{
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (s->source != HL_SOURCE_DERIVED && s->source != HL_SOURCE_WIRE && s->value != NULL &&
          s->handshake == handshake && g_str_equal (s->name, name))
        {
          if (index)
            *index = (int) i;
          return s;
        }
    }
  return NULL;
}

static void
add_root (GPtrArray *roots, const char *name)
{
  for (guint i = 0; i < roots->len; i++)
    if (g_str_equal (g_ptr_array_index (roots, i), name))
      return;
  g_ptr_array_add (roots, g_strdup (name));
}

/* The library values of the file that @name (a value of the schedule, or a library value)
 * comes from, following the schedule's inputs; and, for "x.derived", the library's x it is
 * compared with. */
static void
collect_roots (HlKeySchedule *schedule, GPtrArray *secrets, guint handshake, const char *name,
               GPtrArray *roots, guint depth)
{
  const HlSecret *ours;

  if (depth > 8)
    return;
  if (file_library_secret (secrets, name, handshake, NULL))
    {
      add_root (roots, name);
      return;
    }
  ours = hl_keyschedule_find (schedule, name, handshake);
  if (ours == NULL)
    return;
  if (g_str_has_suffix (name, ".derived"))
    {
      g_autofree char *target = g_strndup (name, strlen (name) - strlen (".derived"));

      if (file_library_secret (secrets, target, handshake, NULL))
        add_root (roots, target);
    }
  for (guint i = 0; ours->inputs && ours->inputs[i]; i++)
    collect_roots (schedule, secrets, handshake, ours->inputs[i], roots, depth + 1);
}

/* One difference per library value that the re-derived values say is wrong, listing them;
 * one per claim of the file's own that is wrong by itself. */
static void
group_claims (HlTrace *trace, HlTraceCheck *check, GPtrArray *claims)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);

  for (;;)
    {
      const char *best = NULL;
      guint best_count = 0;
      guint best_handshake = 0;
      int best_index = G_MAXINT;

      for (guint i = 0; i < claims->len; i++)
        {
          Claim *c = g_ptr_array_index (claims, i);

          if (c->grouped || !c->upstream)
            continue;
          for (guint r = 0; r < c->roots->len; r++)
            {
              const char *root = g_ptr_array_index (c->roots, r);
              guint count = 0;
              int index = 0;

              for (guint k = 0; k < claims->len; k++)
                {
                  Claim *o = g_ptr_array_index (claims, k);

                  if (!o->grouped && o->upstream && o->handshake == c->handshake &&
                      g_ptr_array_find_with_equal_func (o->roots, root, g_str_equal, NULL))
                    count++;
                }
              file_library_secret (secrets, root, c->handshake, &index);
              if (count > best_count || (count == best_count && index < best_index))
                {
                  best = root;
                  best_count = count;
                  best_handshake = c->handshake;
                  best_index = index;
                }
            }
        }
      if (best == NULL)
        break;
      {
        const HlSecret *root = file_library_secret (secrets, best, best_handshake, NULL);
        g_autofree char *claim = short_hex (root->value);
        g_autofree char *root_name = g_strdup (best);
        GString *found = g_string_new (NULL);
        HlDifference *d = NULL;
        guint n = 0;

        for (guint k = 0; k < claims->len; k++)
          {
            Claim *o = g_ptr_array_index (claims, k);

            if (o->grouped || !o->upstream || o->handshake != best_handshake ||
                !g_ptr_array_find_with_equal_func (o->roots, root_name, g_str_equal, NULL))
              continue;
            o->grouped = TRUE;
            if (n++ == 0)
              {
                g_string_append_printf (found, "values re-derived with it disagree with the "
                                        "file: %s", o->found);
                add (check, o->event, g_strdup_printf ("secrets[%d].value", best_index),
                     claim, "%s", "");
                d = g_ptr_array_index (check->differences, check->differences->len - 1);
              }
            else
              g_string_append_printf (found, "%s%s", n == 2 ? "; and also " : ", ", o->name);
            if (o->event >= 0)
              {
                if (d->events == NULL)
                  d->events = g_array_new (FALSE, FALSE, sizeof (int));
                g_array_append_val (d->events, o->event);
              }
          }
        if (d == NULL)   /* the best root came from a claim of this group */
          g_assert_not_reached ();
        g_free (d->found);
        d->found = g_string_free (found, FALSE);
        g_free (d->claim);
        d->claim = g_strdup_printf ("%s = %s", root_name, claim);
      }
    }

  for (guint i = 0; i < claims->len; i++)
    {
      Claim *c = g_ptr_array_index (claims, i);

      if (!c->grouped)
        add (check, c->event, g_steal_pointer (&c->path), c->claim, "%s", c->found);
    }
}

static Claim *
new_claim (GPtrArray *claims, int event, char *path, const char *name, guint handshake,
           gboolean upstream)
{
  Claim *c = g_new0 (Claim, 1);

  c->event = event;
  c->path = path;
  c->name = g_strdup (name);
  c->handshake = handshake;
  c->upstream = upstream;
  c->roots = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (claims, c);
  return c;
}

/* Whether a difference already names secrets[@index]. */
static gboolean
named (HlTraceCheck *check, guint index)
{
  g_autofree char *prefix = g_strdup_printf ("secrets[%u].", index);

  for (guint i = 0; i < check->differences->len; i++)
    if (g_str_has_prefix (((HlDifference *) g_ptr_array_index (check->differences, i))->path,
                          prefix))
      return TRUE;
  return FALSE;
}

static void
check_keyschedule (HlTrace *trace, HlTraceCheck *check)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlKeySchedule) schedule = hl_keyschedule_compute (trace, &error);
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify) claim_free);
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  g_autofree gboolean *matched = g_new0 (gboolean, MAX (secrets->len, 1));
  gboolean any_derived = FALSE;

  if (schedule == NULL)
    return;   /* only on broken links, which check_links() reported */

  for (guint j = 0; j < secrets->len; j++)
    any_derived |= ((HlSecret *) g_ptr_array_index (secrets, j))->source == HL_SOURCE_DERIVED;

  for (guint i = 0; i < schedule->secrets->len; i++)
    {
      const HlSecret *ours = g_ptr_array_index (schedule->secrets, i);
      int j = find_file_secret (secrets, ours);
      const HlSecret *theirs;
      Claim *c;

      if (j < 0)
        {
          if (any_derived && ours->value != NULL)
            {
              g_autofree char *found = short_hex (ours->value);

              add (check, secret_event (trace, ours),
                   g_strdup_printf ("secrets (%s, connection %u)", ours->name,
                                    ours->handshake + 1),
                   "no such value", "re-derived as %s %s", found, check_word (ours->check));
            }
          continue;
        }
      matched[j] = TRUE;
      theirs = g_ptr_array_index (secrets, (guint) j);
      if (same_bytes (ours->value, theirs->value) && ours->check == theirs->check)
        continue;

      /* The file's entry re-derives to what it says but no longer checks out (or re-derives
       * differently and its check changes with it): a value it comes from is wrong. Otherwise
       * the entry itself is. */
      c = new_claim (claims, secret_event (trace, ours),
                     g_strdup_printf ("secrets[%d].%s", j,
                                      same_bytes (ours->value, theirs->value) ? "check" : "value"),
                     ours->name, ours->handshake, ours->check != theirs->check);
      if (!same_bytes (ours->value, theirs->value))
        {
          g_autofree char *claim = short_hex (theirs->value);
          g_autofree char *found = short_hex (ours->value);

          c->claim = g_strdup_printf ("%s = %s", ours->name, claim);
          c->found = g_strdup_printf ("%s re-derives to %s %s", ours->name, found,
                                      check_word (ours->check));
        }
      else
        {
          c->claim = g_strdup_printf ("%s %s", ours->name, check_word (theirs->check));
          c->found = g_strdup_printf ("%s %s — %s", ours->name, check_word (ours->check),
                                      ours->note ? ours->note : "");
        }
      collect_roots (schedule, secrets, ours->handshake, ours->name, c->roots, 0);
    }

  /* a value only checked through another (a transcript hash through its verify_data) goes
   * with that one */
  for (guint i = 0; i < claims->len; i++)
    {
      Claim *c = g_ptr_array_index (claims, i);

      if (c->roots->len > 0 || !c->upstream)
        continue;
      for (guint k = 0; k < claims->len; k++)
        {
          Claim *o = g_ptr_array_index (claims, k);
          const HlSecret *by = hl_keyschedule_find (schedule, o->name, o->handshake);

          if (o != c && by && by->inputs &&
              g_strv_contains ((const char *const *) by->inputs, c->name))
            for (guint r = 0; r < o->roots->len; r++)
              add_root (c->roots, g_ptr_array_index (o->roots, r));
        }
    }

  for (guint i = 0; i < schedule->records->len; i++)
    {
      const HlRecordDecryption *rd = g_ptr_array_index (schedule->records, i);
      HlEvent *record = hl_trace_get_event (trace, rd->record);
      GBytes *plaintext = hl_event_get_plaintext (record);
      gboolean same_check = rd->check == hl_event_get_check (record) &&
                            (rd->plaintext == NULL ||
                             rd->inner_type == hl_event_get_inner_type (record));
      g_autofree char *name = g_strdup_printf ("the record of event %u", rd->record);
      Claim *c;

      if (same_bytes (rd->plaintext, plaintext) && same_check)
        continue;
      c = new_claim (claims, (int) rd->record,
                     g_strdup_printf ("events[%u].%s", rd->record,
                                      same_bytes (rd->plaintext, plaintext) ? "check"
                                                                            : "plaintext"),
                     name, rd->handshake, !same_check);
      if (!same_bytes (rd->plaintext, plaintext))
        {
          g_autofree char *claim = short_hex (plaintext);
          g_autofree char *found = short_hex (rd->plaintext);

          c->claim = g_strdup_printf ("plaintext %s", claim);
          c->found = g_strdup_printf ("the record decrypts to %s — %s", found,
                                      rd->detail ? rd->detail : "");
        }
      else
        {
          c->claim = g_strdup_printf ("%s, inner type %u",
                                      check_word (hl_event_get_check (record)),
                                      hl_event_get_inner_type (record));
          c->found = g_strdup_printf ("%s, inner type %u — %s", check_word (rd->check),
                                      rd->inner_type, rd->detail ? rd->detail : "");
        }
      if (rd->keys)
        {
          g_auto(GStrv) keys = g_strsplit (rd->keys, ", ", -1);

          for (guint k = 0; keys[k]; k++)
            collect_roots (schedule, secrets, rd->handshake, keys[k], c->roots, 0);
        }
    }
  group_claims (trace, check, claims);

  for (guint j = 0; j < secrets->len; j++)
    {
      const HlSecret *theirs = g_ptr_array_index (secrets, j);

      if (theirs->source == HL_SOURCE_DERIVED && !matched[j])
        {
          g_autofree char *claim = g_strdup_printf ("%s, re-derived", theirs->name);

          add (check, secret_event (trace, theirs), g_strdup_printf ("secrets[%u]", j), claim,
               "the trace's bytes give no such value");
        }
      else if (!matched[j] && theirs->value != NULL && !confirmed (schedule, theirs) &&
               !named (check, j))
        g_ptr_array_add (check->unchecked,
                         g_strdup_printf ("secrets[%u] %s (connection %u)", j, theirs->name,
                                          theirs->handshake + 1));
    }
}

/* Signatures: the ✓ or ✗ on a "Check the … signature" step is what our own check of the signed
 * content against the signer's certificate gives. */
static void
check_signatures (HlTrace *trace, HlTraceCheck *check)
{
  g_autoptr(GPtrArray) checks = hl_trace_check_signatures (trace);

  for (guint c = 0; c < checks->len; c++)
    {
      HlSignatureCheck *sc = g_ptr_array_index (checks, c);
      HlSide verifier = sc->signer == HL_SIDE_SERVER ? HL_SIDE_CLIENT : HL_SIDE_SERVER;

      for (guint i = sc->message + 1; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);
          g_autofree char *claim = NULL;

          if (hl_event_get_handshake (event) != sc->handshake ||
              hl_event_get_kind (event) != HL_EVENT_ACTION ||
              hl_event_get_side (event) != verifier ||
              !g_str_has_suffix (hl_event_get_name (event), "signature"))
            continue;
          if (hl_event_get_check (event) != sc->check)
            {
              claim = g_strdup_printf ("%s %s", hl_event_get_name (event),
                                       check_word (hl_event_get_check (event)));
              add (check, (int) i, g_strdup_printf ("events[%u].check", i), claim, "%s — %s",
                   check_word (sc->check), sc->detail ? sc->detail : "");
            }
          break;
        }
    }
}

/* Certificates: the chains the file lists are the certificates in the Certificate messages
 * (RFC 5246 §7.4.2: a 3-byte list of 3-byte-length DER; RFC 8446 §4.4.2: a context first and
 * extensions after each entry). */

static GPtrArray *
parse_certificate_list (GBytes *message, gboolean tls13)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (message, &len);
  gsize at = 4;
  gsize end;

  if (len < 4)
    return NULL;
  if (tls13)
    {
      if (at >= len || at + 1 + p[at] > len)
        return NULL;
      at += 1 + p[at];
    }
  if (at + 3 > len)
    return NULL;
  end = at + 3 + ((gsize) p[at] << 16 | (gsize) p[at + 1] << 8 | p[at + 2]);
  at += 3;
  if (end != len)
    return NULL;
  while (at < end)
    {
      gsize n;

      if (end - at < 3)
        return NULL;
      n = (gsize) p[at] << 16 | (gsize) p[at + 1] << 8 | p[at + 2];
      at += 3;
      if (end - at < n)
        return NULL;
      g_ptr_array_add (list, g_bytes_new_from_bytes (message, at, n));
      at += n;
      if (tls13)
        {
          if (end - at < 2 || end - at - 2 < (gsize) (p[at] << 8 | p[at + 1]))
            return NULL;
          at += 2 + (p[at] << 8 | p[at + 1]);
        }
    }
  return g_steal_pointer (&list);
}

static void
check_chain (HlTrace *trace, HlTraceCheck *check, HlSide side)
{
  GPtrArray *chain = side == HL_SIDE_SERVER ? hl_trace_get_server_chain (trace)
                                            : hl_trace_get_client_chain (trace);
  const char *member = side == HL_SIDE_SERVER ? "server_chain" : "client_chain";

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autoptr(GPtrArray) list = NULL;
      GBytes *bytes = hl_event_get_bytes (event);

      if (hl_event_get_kind (event) != HL_EVENT_MESSAGE ||
          hl_event_get_content_type (event) != HL_CONTENT_HANDSHAKE ||
          hl_event_get_handshake_type (event) != HT_CERTIFICATE ||
          hl_event_get_side (event) != side || bytes == NULL)
        continue;
      list = parse_certificate_list (bytes, TRUE);
      if (list == NULL)
        list = parse_certificate_list (bytes, FALSE);
      if (list == NULL)
        return;   /* the decoder check names a message that does not parse */
      if (list->len != chain->len)
        {
          g_autofree char *claim = g_strdup_printf ("%u certificates", chain->len);

          add (check, (int) i, g_strdup_printf ("certificates.%s", member), claim,
               "the %s's Certificate message (event %u) holds %u", hl_side_to_string (side), i,
               list->len);
          return;
        }
      for (guint c = 0; c < chain->len; c++)
        if (!g_bytes_equal (g_ptr_array_index (chain, c), g_ptr_array_index (list, c)))
          {
            g_autofree char *claim = short_hex (g_ptr_array_index (chain, c));

            add (check, (int) i, g_strdup_printf ("certificates.%s[%u]", member, c), claim,
                 "not certificate %u of the %s's Certificate message (event %u)", c,
                 hl_side_to_string (side), i);
          }
      return;   /* the first Certificate of the side; a resumption sends none */
    }
}

/* Chain verifications: what a verifier concluded about the chain in the Certificate message it
 * received, recomputed against the trust anchor the file names (RFC 5280 §6 path validation, by
 * GnuTLS's primitive) with the validity periods checked at the time the trace was made and the
 * name checked as the verifier did (RFC 6125). Live traces trusted the system store, which is
 * not in the file: not checked. */

#define STATUS_MASK (GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_EXPIRED | \
                     GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_UNEXPECTED_OWNER | \
                     GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_CA)

/* @now < 0: the trace's time is itself in doubt, validity periods are not checked. */
static gboolean
recompute_status (GPtrArray *chain, GBytes *ca_der, gint64 now, const char *hostname,
                  guint *out)
{
  gnutls_x509_crt_t *certs = g_new0 (gnutls_x509_crt_t, MAX (chain->len, 1));
  gnutls_x509_crt_t ca = NULL;
  gnutls_x509_trust_list_t list = NULL;
  unsigned int status = 0;
  gboolean ok = FALSE;
  guint n = 0;

  for (; n < chain->len; n++)
    {
      gnutls_datum_t der = { (unsigned char *) g_bytes_get_data (g_ptr_array_index (chain, n),
                                                                 NULL),
                             (unsigned int) g_bytes_get_size (g_ptr_array_index (chain, n)) };

      if (gnutls_x509_crt_init (&certs[n]) < 0)
        goto out;
      if (gnutls_x509_crt_import (certs[n], &der, GNUTLS_X509_FMT_DER) < 0)
        {
          n++;
          goto out;
        }
    }
  {
    gnutls_datum_t der = { (unsigned char *) g_bytes_get_data (ca_der, NULL),
                           (unsigned int) g_bytes_get_size (ca_der) };

    if (gnutls_x509_crt_init (&ca) < 0 || gnutls_x509_crt_import (ca, &der,
                                                                   GNUTLS_X509_FMT_DER) < 0)
      goto out;
  }
  if (n == 0 || gnutls_x509_trust_list_init (&list, 0) < 0)
    goto out;
  if (gnutls_x509_trust_list_add_cas (list, &ca, 1, 0) != 1)
    goto out;
  ca = NULL;   /* the list owns it */
  if (gnutls_x509_trust_list_verify_crt2 (list, certs, n, NULL, 0,
                                          GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                          GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                          &status, NULL) < 0)
    goto out;
  for (guint i = 0; i < n; i++)
    {
      time_t activation = gnutls_x509_crt_get_activation_time (certs[i]);
      time_t expiration = gnutls_x509_crt_get_expiration_time (certs[i]);

      if (now < 0)
        break;
      if (activation != (time_t) -1 && now < (gint64) activation)
        status |= GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_INVALID;
      if (expiration != (time_t) -1 && now > (gint64) expiration)
        status |= GNUTLS_CERT_EXPIRED | GNUTLS_CERT_INVALID;
    }
  if (hostname && !gnutls_x509_crt_check_hostname2 (certs[0], hostname, 0))
    status |= GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_INVALID;
  *out = status;
  ok = TRUE;

out:
  for (guint i = 0; i < n; i++)
    gnutls_x509_crt_deinit (certs[i]);
  g_free (certs);
  if (ca)
    gnutls_x509_crt_deinit (ca);
  if (list)
    gnutls_x509_trust_list_deinit (list, 1);
  return ok;
}

/* The first Certificate message @side sent in @handshake, or -1. */
static int
certificate_message (HlTrace *trace, HlSide side, guint handshake)
{
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          hl_event_get_content_type (event) == HL_CONTENT_HANDSHAKE &&
          hl_event_get_handshake_type (event) == HT_CERTIFICATE &&
          hl_event_get_side (event) == side && hl_event_get_handshake (event) == handshake &&
          hl_event_get_bytes (event) != NULL)
        return (int) i;
    }
  return -1;
}

static gboolean
timestamps_differ (HlTraceCheck *check)
{
  for (guint i = 0; i < check->differences->len; i++)
    if (g_str_has_suffix (((HlDifference *) g_ptr_array_index (check->differences, i))->path,
                          ".timestamp_us"))
      return TRUE;
  return FALSE;
}

/* The verdict the "Verify the certificate chain" step at @step stands for: the whole status,
 * or — when the engine showed the name check as its own step right after it ("Check the host
 * name", RFC 6125) and only the name was wrong — the chain alone, which is then trusted. */
static guint
chain_status (HlTrace *trace, guint step, guint status)
{
  HlEvent *next = step + 1 < hl_trace_get_n_events (trace)
                    ? hl_trace_get_event (trace, step + 1) : NULL;

  if ((status & GNUTLS_CERT_UNEXPECTED_OWNER) &&
      (status & ~(GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_INVALID)) == 0 && next &&
      g_strcmp0 (hl_event_get_name (next), "Check the host name") == 0 &&
      hl_event_get_check (next) == HL_CHECK_FAILED)
    return 0;
  return status;
}

static void
check_verifications (HlTrace *trace, HlTraceCheck *check)
{
  GPtrArray *verifications = hl_trace_get_verifications (trace);
  GBytes *ca = hl_trace_get_ca_certificate (trace);
  /* GnuTLS checked validity at the time of the run; the trace starts then — unless its times
   * are a difference already (check_timestamps()), which would make every period look wrong */
  gboolean times_ok = !timestamps_differ (check);
  gint64 now = times_ok ? MAX (hl_trace_get_created (trace) / G_USEC_PER_SEC, 0) : -1;
  guint mask = times_ok ? STATUS_MASK
                        : STATUS_MASK & ~(GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED);

  for (guint v = 0; v < verifications->len; v++)
    {
      const HlVerification *ver = g_ptr_array_index (verifications, v);
      HlSide sender = ver->verifier == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
      int message = certificate_message (trace, sender, ver->handshake);
      g_autoptr(GPtrArray) chain = NULL;
      int step = -1;
      guint status = 0;
      g_autofree char *claim = NULL;

      if (hl_trace_get_live (trace) != NULL || ca == NULL || ver->rc != 0)
        {
          g_ptr_array_add (check->unchecked,
                           g_strdup_printf ("verifications[%u] (the %s's verdict on the %s's "
                                            "chain%s)", v, hl_side_to_string (ver->verifier),
                                            hl_side_to_string (sender),
                                            hl_trace_get_live (trace)
                                              ? ": its trust anchors are not in the file" : ""));
          continue;
        }
      if (message < 0)
        continue;
      chain = parse_certificate_list (hl_event_get_bytes (hl_trace_get_event (trace,
                                                                                (guint) message)),
                                      TRUE);
      if (chain == NULL)
        chain = parse_certificate_list (hl_event_get_bytes (hl_trace_get_event (
                                          trace, (guint) message)), FALSE);
      if (chain == NULL || chain->len == 0 ||
          !recompute_status (chain, ca, now, ver->hostname, &status))
        continue;
      for (guint i = (guint) message + 1; i < hl_trace_get_n_events (trace) && step < 0; i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);

          if (hl_event_get_kind (event) == HL_EVENT_ACTION &&
              hl_event_get_side (event) == ver->verifier &&
              hl_event_get_handshake (event) == ver->handshake &&
              g_str_equal (hl_event_get_name (event), "Verify the certificate chain"))
            step = (int) i;
        }
      if (!times_ok && (ver->status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED)))
        continue;   /* its verdict rests on a time the file does not give */
      claim = g_strdup_printf ("%s, status 0x%x", ver->trusted ? "trusted" : "not trusted",
                               ver->status & mask);
      if ((ver->status & mask) != (status & mask) || !ver->trusted != (status != 0))
        add (check, step >= 0 ? step : message, g_strdup_printf ("verifications[%u]", v), claim,
             "verified again against the trust anchor in the file, at the trace's time: %s, "
             "status 0x%x", status == 0 ? "trusted" : "not trusted", status & mask);
      else if (step >= 0 &&
               hl_event_get_check (hl_trace_get_event (trace, (guint) step)) !=
                 (chain_status (trace, (guint) step, status) == 0 ? HL_CHECK_OK
                                                                  : HL_CHECK_FAILED))
        {
          HlEvent *event = hl_trace_get_event (trace, (guint) step);
          guint expected = chain_status (trace, (guint) step, status);

          g_free (claim);
          claim = g_strdup_printf ("%s %s", hl_event_get_name (event),
                                   check_word (hl_event_get_check (event)));
          add (check, step, g_strdup_printf ("events[%d].check", step), claim,
               "%s — verified again against the trust anchor in the file: %s",
               check_word (expected == 0 ? HL_CHECK_OK : HL_CHECK_FAILED),
               expected == 0 ? "trusted" : "not trusted");
        }
    }
}

/* What a handshake negotiated, as the hellos on the wire say (RFC 8446 §4.1.2-3, RFC 5246
 * §7.4.1.2-3: legacy_version, then the 32-byte random, the session id and, from the server, the
 * cipher suite), and how the run ended, as the alert on the wire says. */

/* The last ClientHello, or ServerHello that is not a HelloRetryRequest, of @handshake. */
static int
last_hello (HlTrace *trace, guint handshake, HlSide side)
{
  int found = -1;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          hl_event_get_content_type (event) == HL_CONTENT_HANDSHAKE &&
          hl_event_get_handshake (event) == handshake && hl_event_get_side (event) == side &&
          hl_event_get_handshake_type (event) == (side == HL_SIDE_CLIENT ? 1 : 2) &&
          !g_str_equal (hl_event_get_name (event), "HelloRetryRequest") &&
          hl_event_get_length (event) >= 4 + 2 + 32)
        found = (int) i;
    }
  return found;
}

static void
check_random (HlTrace *trace, HlTraceCheck *check, guint n, GBytes *claimed, int hello,
              const char *member)
{
  GBytes *bytes;
  g_autoptr(GBytes) random = NULL;

  if (claimed == NULL || hello < 0)
    return;
  bytes = hl_event_get_bytes (hl_trace_get_event (trace, (guint) hello));
  random = g_bytes_new_from_bytes (bytes, 6, 32);
  if (!g_bytes_equal (random, claimed))
    {
      g_autofree char *claim = short_hex (claimed);
      g_autofree char *found = short_hex (random);

      add (check, hello, g_strdup_printf ("negotiated[%u].%s", n, member), claim,
           "the %s (event %d) carries %s", hl_event_get_name (hl_trace_get_event (trace,
                                                                                  (guint) hello)),
           hello, found);
    }
}

static void
check_negotiated (HlTrace *trace, HlTraceCheck *check)
{
  GPtrArray *all = hl_trace_get_negotiated (trace);
  const HlOutcome *outcome = hl_trace_get_outcome (trace);

  for (guint n = 0; n < all->len; n++)
    {
      const HlNegotiated *neg = g_ptr_array_index (all, n);
      int client_hello = last_hello (trace, neg->handshake, HL_SIDE_CLIENT);
      int server_hello = last_hello (trace, neg->handshake, HL_SIDE_SERVER);

      check_random (trace, check, n, neg->client_random, client_hello, "client_random");
      check_random (trace, check, n, neg->server_random, server_hello, "server_random");
      if (neg->cipher_suite && server_hello >= 0)
        {
          gsize len = 0;
          const guint8 *p = g_bytes_get_data (hl_event_get_bytes (hl_trace_get_event (
                                                trace, (guint) server_hello)), &len);
          gsize at = 4 + 2 + 32;
          const char *name;

          if (at >= len || len - at - 1 < (gsize) p[at] + 2)
            continue;
          at += 1 + p[at];
          name = hl_tls_cipher_suite_name ((guint16) (p[at] << 8 | p[at + 1]));
          if (name && !g_str_equal (name, neg->cipher_suite))
            add (check, server_hello, g_strdup_printf ("negotiated[%u].cipher_suite", n),
                 neg->cipher_suite, "the ServerHello (event %d) picks %s", server_hello, name);
        }
    }

  /* the fatal alert the outcome names is on the wire, from its sender */
  if (outcome->alert_sender == HL_SIDE_CLIENT || outcome->alert_sender == HL_SIDE_SERVER)
    {
      gboolean seen = FALSE;

      for (guint i = 0; i < hl_trace_get_n_events (trace) && !seen; i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);

          seen = hl_event_get_kind (event) == HL_EVENT_ALERT &&
                 hl_event_get_side (event) == outcome->alert_sender &&
                 hl_event_get_alert_description (event) == outcome->alert;
        }
      if (!seen)
        {
          g_autofree char *claim = g_strdup_printf ("the %s sent alert %u (%s)",
                                                    hl_side_to_string (outcome->alert_sender),
                                                    outcome->alert,
                                                    hl_alert_description_name (outcome->alert)
                                                      ? hl_alert_description_name (outcome->alert)
                                                      : "?");

          add (check, -1, g_strdup ("outcome.alert"), claim,
               "no such alert is in the trace");
        }
    }
}

/* A record is drawn with what it carried (records are hidden unless asked for): a difference on
 * a record shows on the messages, alerts and application data linked to it too. */
static void
show_on_carried (HlTrace *trace, HlTraceCheck *check)
{
  for (guint k = 0; k < check->differences->len; k++)
    {
      HlDifference *d = g_ptr_array_index (check->differences, k);
      HlEvent *record;

      if (d->event < 0)
        continue;
      record = hl_trace_get_event (trace, (guint) d->event);
      if (hl_event_get_kind (record) != HL_EVENT_RECORD)
        continue;
      for (guint i = (guint) d->event + 1; i < hl_trace_get_n_events (trace); i++)
        if (hl_event_get_record (hl_trace_get_event (trace, i)) == d->event)
          {
            int index = (int) i;

            if (d->events == NULL)
              d->events = g_array_new (FALSE, FALSE, sizeof (int));
            g_array_append_val (d->events, index);
          }
    }
}

/* Both sides derive the keys: a difference on one side's "Derive …" step shows on the other
 * side's step of the same name too. */
static void
show_on_peers (HlTrace *trace, HlTraceCheck *check)
{
  for (guint k = 0; k < check->differences->len; k++)
    {
      HlDifference *d = g_ptr_array_index (check->differences, k);
      HlEvent *step;

      if (d->event < 0 || !g_str_has_prefix (d->path, "secrets"))
        continue;
      step = hl_trace_get_event (trace, (guint) d->event);
      if (hl_event_get_kind (step) != HL_EVENT_ACTION)
        continue;
      for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *other = hl_trace_get_event (trace, i);
          int index = (int) i;

          if (index != d->event && hl_event_get_kind (other) == HL_EVENT_ACTION &&
              hl_event_get_handshake (other) == hl_event_get_handshake (step) &&
              g_str_equal (hl_event_get_name (other), hl_event_get_name (step)))
            {
              if (d->events == NULL)
                d->events = g_array_new (FALSE, FALSE, sizeof (int));
              g_array_append_val (d->events, index);
            }
        }
    }
}

/* Public API */

/**
 * hl_trace_check:
 * @trace: a finished trace, typically just loaded from a file
 *
 * Re-derives what @trace's bytes allow and compares it with what the trace claims (see the top
 * of this file). Any input is safe: the trace was accepted by the loader, whose range checks
 * this relies on, and every number is checked again before it is used for arithmetic.
 *
 * Returns: (transfer full): the differences and the unchecked values
 */
HlTraceCheck *
hl_trace_check (HlTrace *trace)
{
  HlTraceCheck *check;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);

  check = g_new0 (HlTraceCheck, 1);
  check->differences = g_ptr_array_new_with_free_func ((GDestroyNotify) difference_free);
  check->unchecked = g_ptr_array_new_with_free_func (g_free);

  check_timestamps (trace, check);
  check_events (trace, check);
  if (check_links (trace, check))
    {
      check_plaintext_records (trace, check);
      check_keyschedule (trace, check);
    }
  check_signatures (trace, check);
  check_chain (trace, check, HL_SIDE_SERVER);
  check_chain (trace, check, HL_SIDE_CLIENT);
  check_verifications (trace, check);
  check_negotiated (trace, check);
  show_on_carried (trace, check);
  show_on_peers (trace, check);
  return check;
}

void
hl_trace_check_free (HlTraceCheck *check)
{
  if (check == NULL)
    return;
  g_ptr_array_unref (check->differences);
  g_ptr_array_unref (check->unchecked);
  g_free (check);
}

guint
hl_trace_check_count (HlTraceCheck *check)
{
  g_return_val_if_fail (check != NULL, 0);
  return check->differences->len;
}

static gboolean
shows_on (const HlDifference *d, int index)
{
  if (d->event == index)
    return TRUE;
  for (guint i = 0; d->events && i < d->events->len; i++)
    if (g_array_index (d->events, int, i) == index)
      return TRUE;
  return FALSE;
}

static void
append_difference (GString *out, const HlDifference *d)
{
  g_string_append_printf (out, "%s: the file says %s; its bytes say %s", d->path, d->claim,
                          d->found);
}

char *
hl_trace_check_dup_event_text (HlTraceCheck *check, guint index)
{
  GString *out = NULL;

  g_return_val_if_fail (check != NULL, NULL);

  for (guint i = 0; i < check->differences->len; i++)
    {
      const HlDifference *d = g_ptr_array_index (check->differences, i);

      if (!shows_on (d, (int) index))
        continue;
      if (out == NULL)
        out = g_string_new (NULL);
      else
        g_string_append_c (out, '\n');
      append_difference (out, d);
    }
  return out ? g_string_free (out, FALSE) : NULL;
}

char *
hl_trace_check_dup_text (HlTraceCheck *check)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (check != NULL, NULL);

  if (check->differences->len > 0)
    {
      g_string_append_printf (out, "This file's claims do not match its bytes: %u difference%s\n",
                              check->differences->len, check->differences->len == 1 ? "" : "s");
      for (guint i = 0; i < check->differences->len; i++)
        {
          const HlDifference *d = g_ptr_array_index (check->differences, i);

          if (d->event >= 0)
            g_string_append_printf (out, "  ✗ step %d  ", d->event);
          else
            g_string_append (out, "  ✗ ");
          append_difference (out, d);
          g_string_append_c (out, '\n');
        }
    }
  if (check->unchecked->len > 0)
    {
      g_string_append (out, "From the file, not checked (nothing in it recomputes or confirms "
                            "them):\n");
      for (guint i = 0; i < check->unchecked->len; i++)
        g_string_append_printf (out, "  · %s\n", (char *) g_ptr_array_index (check->unchecked, i));
    }
  return g_string_free (out, FALSE);
}

/**
 * hl_trace_check_mark:
 * @trace: the trace @check was made from, not yet shown or handed to another thread
 * @check: its check
 *
 * Marks each step a difference shows on as failed and puts the differences in front of its
 * technical line, so the diagram and the inspector show them where they are.
 */
void
hl_trace_check_mark (HlTrace *trace, HlTraceCheck *check)
{
  g_autoptr(HlKeySchedule) schedule = NULL;
  GPtrArray *secrets;

  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (check != NULL);

  /* A file that holds what its bytes say opens exactly as it was saved (a clean trace saved
   * again is the same file); its unchecked values are listed by hl_trace_check_dup_text(). */
  if (check->differences->len == 0)
    return;

  /* the Keys tab shows what re-checking found, and says so */
  secrets = hl_trace_get_secrets (trace);
  schedule = hl_keyschedule_compute (trace, NULL);
  for (guint i = 0; schedule && i < schedule->secrets->len; i++)
    {
      const HlSecret *ours = g_ptr_array_index (schedule->secrets, i);
      int j = find_file_secret (secrets, ours);
      HlSecret *theirs = j >= 0 ? g_ptr_array_index (secrets, (guint) j) : NULL;

      if (theirs && (theirs->check != ours->check || !same_bytes (theirs->value, ours->value)))
        {
          char *note = g_strdup_printf ("✗ Re-checked when the file was opened: %s%s (the file "
                                        "said %s).", !same_bytes (theirs->value, ours->value)
                                          ? "its bytes give a different value. " : "",
                                        ours->note ? ours->note : "", check_word (theirs->check));

          theirs->check = HL_CHECK_FAILED;
          g_free (theirs->note);
          theirs->note = note;
        }
    }
  for (guint k = 0; k < check->differences->len; k++)
    {
      const HlDifference *d = g_ptr_array_index (check->differences, k);
      guint j;
      HlSecret *secret;
      char *note;

      if (sscanf (d->path, "secrets[%u]", &j) != 1 || j >= secrets->len)
        continue;
      secret = g_ptr_array_index (secrets, j);
      if (secret->source == HL_SOURCE_DERIVED)
        continue;
      note = g_strdup_printf ("✗ The file's value does not match its bytes: %s%s%s", d->found,
                              secret->note ? "\n" : "", secret->note ? secret->note : "");
      g_free (secret->note);
      secret->note = note;
    }
  for (guint k = 0; k < check->unchecked->len; k++)
    {
      guint j;
      HlSecret *secret;
      char *note;

      if (sscanf (g_ptr_array_index (check->unchecked, k), "secrets[%u]", &j) != 1 ||
          j >= secrets->len)
        continue;
      secret = g_ptr_array_index (secrets, j);
      note = g_strdup_printf ("From the file, not checked: nothing in the trace recomputes or "
                              "confirms this value.%s%s", secret->note ? " " : "",
                              secret->note ? secret->note : "");
      g_free (secret->note);
      secret->note = note;
    }

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      g_autofree char *text = hl_trace_check_dup_event_text (check, i);
      HlEvent *event = hl_trace_get_event (trace, i);
      g_autofree char *technical = NULL;

      if (text == NULL)
        continue;
      technical = g_strdup_printf ("✗ Not what the bytes say — %s\n%s", text,
                                   hl_event_get_technical (event));
      hl_event_set_check (event, HL_CHECK_FAILED);
      hl_event_set_technical (event, technical);
    }
}
