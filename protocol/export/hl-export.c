/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-export"
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>

#include "hl-export.h"
#include "hl-print.h"

/*
 * Exports of a trace: a pcapng capture with the key log inside, the key log alone, Markdown.
 *
 * Sections: byte helpers · pcapng blocks · synthetic TCP/IPv4/Ethernet · the capture · Markdown ·
 * files · async and formats.
 *
 * The capture (pcapng, draft-ietf-opsawg-pcapng), little-endian throughout:
 *
 *   Section Header Block      shb_userappl "Handshake Lens <version>", a comment naming the
 *                             scenario
 *   Interface Description     LINKTYPE_ETHERNET (1), snaplen 0 (no limit), if_name "lo",
 *                             if_tsresol 6 (microseconds)
 *   Decryption Secrets Block  secrets type 0x544c534b (TLS key log): hl_trace_dup_keylog(),
 *                             omitted when the trace has no secret to log
 *   Enhanced Packet Blocks    one per TCP segment, on interface 0
 *
 * Each connection of the trace (a resumption has two) is a TCP connection from 127.0.0.1 port
 * 49152 + n to 127.0.0.1 port 443: SYN, SYN-ACK, ACK; then each TLS record as the payload of one
 * PSH-ACK segment from its sender, and after each flight (the records one side sends in a row)
 * a bare ACK from the receiver; at the end FIN-ACK from the client, FIN-ACK from the server and
 * the client's last ACK. Sequence numbers count every payload byte plus one for SYN and for FIN
 * (RFC 9293 §3.4). IPv4 and TCP checksums are computed (RFC 1071, with the TCP pseudo-header).
 * A packet's time is the trace's wall-clock start plus its record's timestamp; control packets
 * take the time of the record next to them, and no packet goes back in time.
 */

/* Byte helpers */

static void
put_u8 (GByteArray *out, guint8 v)
{
  g_byte_array_append (out, &v, 1);
}

static void
put_be16 (GByteArray *out, guint16 v)
{
  guint8 b[2] = { v >> 8, v & 0xff };

  g_byte_array_append (out, b, sizeof b);
}

static void
put_be32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (out, b, sizeof b);
}

static void
put_le16 (GByteArray *out, guint16 v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (out, b, sizeof b);
}

static void
put_le32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (out, b, sizeof b);
}

static void
set_le32 (GByteArray *out, gsize offset, guint32 v)
{
  g_assert (offset + 4 <= out->len);
  out->data[offset] = v & 0xff;
  out->data[offset + 1] = (v >> 8) & 0xff;
  out->data[offset + 2] = (v >> 16) & 0xff;
  out->data[offset + 3] = v >> 24;
}

static void
set_be16 (GByteArray *out, gsize offset, guint16 v)
{
  g_assert (offset + 2 <= out->len);
  out->data[offset] = v >> 8;
  out->data[offset + 1] = v & 0xff;
}

static void
pad32 (GByteArray *out)
{
  static const guint8 zeros[3] = { 0 };

  if (out->len % 4 != 0)
    g_byte_array_append (out, zeros, 4 - out->len % 4);
}

/* The Internet checksum (RFC 1071) of @len bytes, continuing @sum. */
static guint32
checksum_add (guint32 sum, const guint8 *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (guint32) data[i] << 8 | data[i + 1];
  if (len % 2 != 0)
    sum += (guint32) data[len - 1] << 8;
  return sum;
}

static guint16
checksum_fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

/* pcapng blocks. Every block is type, total length, body padded to 32 bits, total length again. */

static gsize
block_begin (GByteArray *out, guint32 type)
{
  gsize start = out->len;

  put_le32 (out, type);
  put_le32 (out, 0);   /* total length: block_end() fills it in */
  return start;
}

static void
block_end (GByteArray *out, gsize start)
{
  guint32 total;

  g_assert (out->len % 4 == 0);
  total = (guint32) (out->len - start + 4);
  put_le32 (out, total);
  set_le32 (out, start + 4, total);
}

static void
put_option (GByteArray *out, guint16 code, const void *value, gsize len)
{
  g_assert (len <= G_MAXUINT16);
  put_le16 (out, code);
  put_le16 (out, (guint16) len);
  g_byte_array_append (out, value, (guint) len);
  pad32 (out);
}

static void
put_option_string (GByteArray *out, guint16 code, const char *value)
{
  /* an option holds at most 65535 bytes; cut long text on a character boundary */
  gsize len = strlen (value);

  if (len > G_MAXUINT16)
    len = (gsize) (g_utf8_find_prev_char (value, value + G_MAXUINT16 + 1) - value);
  put_option (out, code, value, len);
}

static void
put_end_of_options (GByteArray *out)
{
  put_le32 (out, 0);   /* opt_endofopt: code 0, length 0 */
}

enum
{
  OPT_COMMENT = 1,
  SHB_USERAPPL = 4,
  IF_NAME = 2,
  IF_TSRESOL = 9,
  LINKTYPE_ETHERNET = 1,
};

static void
put_section_header (GByteArray *out, HlTrace *trace)
{
  gsize start = block_begin (out, HL_PCAPNG_BLOCK_SHB);
  const char *scenario = hl_trace_get_scenario (trace);
  const char *title = hl_trace_get_title (trace);
  const char *library = hl_trace_get_library_version (trace);
  g_autofree char *comment = NULL;

  put_le32 (out, 0x1a2b3c4d);  /* byte-order magic */
  put_le16 (out, 1);           /* version 1.0 */
  put_le16 (out, 0);
  put_le32 (out, 0xffffffff);  /* section length: not given (-1) */
  put_le32 (out, 0xffffffff);
  comment = g_strdup_printf ("%s — %s. Recorded in memory by Handshake Lens with GnuTLS %s; "
                             "the Ethernet/IPv4/TCP framing is synthetic.",
                             scenario ? scenario : "trace", title ? title : "",
                             library ? library : "?");
  put_option_string (out, OPT_COMMENT, comment);
  put_option_string (out, SHB_USERAPPL, "Handshake Lens " PACKAGE_VERSION);
  put_end_of_options (out);
  block_end (out, start);
}

static void
put_interface (GByteArray *out)
{
  gsize start = block_begin (out, HL_PCAPNG_BLOCK_IDB);
  guint8 tsresol = 6;   /* 10^-6 s */

  put_le16 (out, LINKTYPE_ETHERNET);
  put_le16 (out, 0);
  put_le32 (out, 0);    /* snaplen: no limit */
  put_option_string (out, IF_NAME, "lo");
  put_option (out, IF_TSRESOL, &tsresol, 1);
  put_end_of_options (out);
  block_end (out, start);
}

static void
put_secrets (GByteArray *out, const char *keylog)
{
  gsize start = block_begin (out, HL_PCAPNG_BLOCK_DSB);
  gsize len = strlen (keylog);

  put_le32 (out, HL_PCAPNG_SECRETS_TLS_KEYLOG);
  put_le32 (out, (guint32) len);
  g_byte_array_append (out, (const guint8 *) keylog, (guint) len);
  pad32 (out);
  block_end (out, start);
}

static void
put_packet (GByteArray *out, gint64 time_us, const guint8 *frame, gsize len, const char *comment)
{
  gsize start = block_begin (out, HL_PCAPNG_BLOCK_EPB);
  guint64 ts = (guint64) MAX (time_us, 0);

  put_le32 (out, 0);   /* interface 0 */
  put_le32 (out, (guint32) (ts >> 32));
  put_le32 (out, (guint32) ts);
  put_le32 (out, (guint32) len);   /* captured */
  put_le32 (out, (guint32) len);   /* on the wire */
  g_byte_array_append (out, frame, (guint) len);
  pad32 (out);
  if (comment != NULL && *comment != '\0')
    {
      put_option_string (out, OPT_COMMENT, comment);
      put_end_of_options (out);
    }
  block_end (out, start);
}

/* Synthetic TCP/IPv4/Ethernet */

enum
{
  TCP_FIN = 0x01,
  TCP_SYN = 0x02,
  TCP_PSH = 0x08,
  TCP_ACK = 0x10,
};

#define ETHERNET_HEADER 14
#define IPV4_HEADER 20
#define TCP_HEADER 20
/* the largest TCP payload an IPv4 datagram can carry */
#define MAX_PAYLOAD (G_MAXUINT16 - IPV4_HEADER - TCP_HEADER)
#define TCP_WINDOW 65535
/* 9999-12-31T23:59:59.999999Z in µs: the latest time a trace can name */
#define LATEST_TIME (G_GINT64_CONSTANT (253402300800) * G_USEC_PER_SEC - 1)
#define LOOPBACK 0x7f000001   /* 127.0.0.1 */

typedef struct
{
  GByteArray *out;
  gint64      start;      /* the trace's wall-clock start, µs */
  gint64      last_time;  /* packets never go back in time */
  GByteArray *frame;      /* scratch */
} Capture;

/* One TCP connection; arrays indexed by 0 = client, 1 = server. */
typedef struct
{
  guint16 port[2];
  guint32 next_seq[2];   /* the next sequence number each end sends */
  guint16 ip_id[2];
  int     last_sender;   /* 0, 1, or -1 before the first record */
  gint64  time;          /* the time of the latest record */
} Connection;

static gint64
capture_time (Capture *cap, gint64 time)
{
  cap->last_time = MAX (cap->last_time, time);
  return cap->last_time;
}

/* One segment from end @from (0 client, 1 server) of @conn, written as an EPB. */
static void
put_segment (Capture *cap, Connection *conn, guint from, guint8 flags, const guint8 *payload,
             gsize len, const char *comment)
{
  GByteArray *f = cap->frame;
  guint to = 1 - from;
  guint16 ip_len = (guint16) (IPV4_HEADER + TCP_HEADER + len);
  guint32 sum;
  gsize ip, tcp;

  g_assert (len <= MAX_PAYLOAD);
  g_byte_array_set_size (f, 0);

  /* Ethernet II: both ends are the loopback interface, as in a capture on Linux's lo */
  for (guint i = 0; i < 12; i++)
    put_u8 (f, 0);
  put_be16 (f, 0x0800);   /* IPv4 */

  ip = f->len;
  put_u8 (f, 0x45);       /* version 4, header 5 words */
  put_u8 (f, 0);
  put_be16 (f, ip_len);
  put_be16 (f, conn->ip_id[from]++);
  put_be16 (f, 0x4000);   /* don't fragment */
  put_u8 (f, 64);         /* TTL */
  put_u8 (f, 6);          /* TCP */
  put_be16 (f, 0);        /* checksum, below */
  put_be32 (f, LOOPBACK);
  put_be32 (f, LOOPBACK);
  set_be16 (f, ip + 10, checksum_fold (checksum_add (0, f->data + ip, IPV4_HEADER)));

  tcp = f->len;
  put_be16 (f, conn->port[from]);
  put_be16 (f, conn->port[to]);
  put_be32 (f, conn->next_seq[from]);
  put_be32 (f, (flags & TCP_ACK) ? conn->next_seq[to] : 0);
  put_u8 (f, (TCP_HEADER / 4) << 4);
  put_u8 (f, flags);
  put_be16 (f, TCP_WINDOW);
  put_be16 (f, 0);        /* checksum, below */
  put_be16 (f, 0);        /* urgent pointer */
  if (len > 0)
    g_byte_array_append (f, payload, (guint) len);

  /* RFC 9293 §3.1: the checksum covers a pseudo-header of addresses, protocol and length */
  sum = checksum_add (0, f->data + ip + 12, 8);
  sum += 6 + (guint32) (TCP_HEADER + len);
  sum = checksum_add (sum, f->data + tcp, TCP_HEADER + len);
  set_be16 (f, tcp + 16, checksum_fold (sum));

  put_packet (cap->out, capture_time (cap, cap->start + conn->time), f->data, f->len, comment);

  conn->next_seq[from] += (guint32) len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
}

static void
connection_open (Capture *cap, Connection *conn, guint index, gint64 time)
{
  memset (conn, 0, sizeof *conn);
  conn->port[0] = (guint16) (HL_PCAPNG_CLIENT_PORT + index);
  conn->port[1] = HL_PCAPNG_SERVER_PORT;
  /* fixed initial sequence numbers, so one trace always gives the same file */
  conn->next_seq[0] = 0x1000000u * (index + 1);
  conn->next_seq[1] = 0x8000000u + 0x1000000u * index;
  conn->ip_id[0] = (guint16) (0x1000 * (index + 1));
  conn->ip_id[1] = (guint16) (0x8000 + 0x1000 * index);
  conn->last_sender = -1;
  conn->time = time;

  put_segment (cap, conn, 0, TCP_SYN, NULL, 0, NULL);
  put_segment (cap, conn, 1, TCP_SYN | TCP_ACK, NULL, 0, NULL);
  put_segment (cap, conn, 0, TCP_ACK, NULL, 0, NULL);
}

/* The receiver of the flight just ended acknowledges it. */
static void
connection_ack_flight (Capture *cap, Connection *conn)
{
  if (conn->last_sender >= 0)
    put_segment (cap, conn, 1 - (guint) conn->last_sender, TCP_ACK, NULL, 0, NULL);
}

static void
connection_close (Capture *cap, Connection *conn)
{
  connection_ack_flight (cap, conn);
  put_segment (cap, conn, 0, TCP_FIN | TCP_ACK, NULL, 0, NULL);
  put_segment (cap, conn, 1, TCP_FIN | TCP_ACK, NULL, 0, NULL);
  put_segment (cap, conn, 0, TCP_ACK, NULL, 0, NULL);
}

/* The capture */

/**
 * hl_trace_to_pcapng:
 * @trace: a trace
 * @error: where a failure is reported
 *
 * Writes @trace as a pcapng capture: every TLS record of every connection inside synthetic
 * Ethernet/IPv4/TCP framing between 127.0.0.1:49152(+n) and 127.0.0.1:443, with a Decryption
 * Secrets Block holding the TLS key log, so that Wireshark and tshark show the handshake and the
 * application data decrypted with no configuration. The layout is described at the top of
 * hl-export.c.
 *
 * Fails (G_IO_ERROR_INVALID_DATA) only when a record cannot be framed: it has no bytes, is
 * too long for one IPv4 datagram, or is stamped after the year 9999 (a file may say anything;
 * the sum of start and timestamp is range-checked before it is computed).
 *
 * Returns: (transfer full): the file's bytes, or %NULL
 */
GBytes *
hl_trace_to_pcapng (HlTrace *trace, GError **error)
{
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GByteArray) frame = NULL;
  g_autofree char *keylog = NULL;
  Capture cap = { 0 };
  g_autofree Connection *conns = NULL;
  g_autofree gboolean *open = NULL;
  /* an attacker in the middle keeps both its connections open at once; other traces have one
   * connection after the other */
  gboolean concurrent = hl_trace_get_attacker (trace) != NULL;
  guint n_conns;
  guint current = 0;
  guint n;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = hl_trace_get_n_events (trace);
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      gsize len;

      if (hl_event_get_kind (event) != HL_EVENT_RECORD)
        continue;
      len = hl_event_get_bytes (event) ? g_bytes_get_size (hl_event_get_bytes (event)) : 0;
      if (len == 0 || len > MAX_PAYLOAD)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Record event %u cannot be put in a TCP segment: it has %" G_GSIZE_FORMAT
                       " bytes (1 to %u fit)", i, len, (guint) MAX_PAYLOAD);
          return NULL;
        }
      /* Packet times are the trace's start plus the record's timestamp: both come from a
       * file, and their sum must be a time (and fit in 64 bits) before it is computed. */
      if (hl_event_get_timestamp (event) > LATEST_TIME - MAX (hl_trace_get_created (trace), 0))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Record event %u is stamped %" G_GINT64_FORMAT " µs after the trace's "
                       "start, which is after the year 9999: no capture can hold that time",
                       i, hl_event_get_timestamp (event));
          return NULL;
        }
      if (hl_trace_get_role (trace, hl_event_get_handshake (event),
                             hl_event_get_side (event)) != HL_SIDE_CLIENT &&
          hl_trace_get_role (trace, hl_event_get_handshake (event),
                             hl_event_get_side (event)) != HL_SIDE_SERVER)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Record event %u was sent by the %s, neither the client nor the server",
                       i, hl_side_to_string (hl_event_get_side (event)));
          return NULL;
        }
    }
  n_conns = MAX (hl_trace_get_n_handshakes (trace), 1);
  for (guint i = 0; i < n; i++)
    n_conns = MAX (n_conns, hl_event_get_handshake (hl_trace_get_event (trace, i)) + 1);
  conns = g_new0 (Connection, n_conns);
  open = g_new0 (gboolean, n_conns);

  out = g_byte_array_sized_new (4096);
  frame = g_byte_array_sized_new (2048);
  cap.out = out;
  cap.frame = frame;
  cap.start = hl_trace_get_created (trace);

  put_section_header (out, trace);
  put_interface (out);
  keylog = hl_trace_dup_keylog (trace);
  if (*keylog != '\0')
    put_secrets (out, keylog);
  gnutls_memset (keylog, 0, strlen (keylog));

  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      guint handshake = hl_event_get_handshake (event);
      Connection *conn = &conns[handshake];
      guint from;
      gsize len;
      const guint8 *data;

      if (hl_event_get_kind (event) != HL_EVENT_RECORD)
        continue;
      from = hl_event_get_role (event) == HL_SIDE_CLIENT ? 0 : 1;
      data = g_bytes_get_data (hl_event_get_bytes (event), &len);

      if (!concurrent && open[current] && handshake != current)
        {
          connection_close (&cap, &conns[current]);
          open[current] = FALSE;
        }
      if (!open[handshake])
        {
          connection_open (&cap, conn, handshake, hl_event_get_timestamp (event));
          open[handshake] = TRUE;
          current = handshake;
        }
      if (conn->last_sender >= 0 && (guint) conn->last_sender != from)
        connection_ack_flight (&cap, conn);
      conn->time = hl_event_get_timestamp (event);
      put_segment (&cap, conn, from, TCP_PSH | TCP_ACK, data, len, hl_event_get_caption (event));
      conn->last_sender = (int) from;
    }
  for (guint h = 0; h < n_conns; h++)
    if (open[h])
      connection_close (&cap, &conns[h]);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Markdown */

/* Appends @text so that Markdown shows it as written: punctuation with a meaning is escaped
 * (CommonMark §2.4); an underscore inside a word means nothing and stays. In a table cell
 * (@in_table) line breaks become <br>. */
static void
md_append (GString *out, const char *text, gboolean in_table)
{
  if (text == NULL)
    return;
  for (const char *p = text; *p; p++)
    {
      char c = *p;

      switch (c)
        {
        case '\\': case '`': case '*': case '|': case '<': case '>': case '[': case ']':
        case '&': case '~': case '#':
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
          break;
        case '_':
          if (p > text && g_ascii_isalnum (p[-1]) && g_ascii_isalnum (p[1]))
            g_string_append_c (out, '_');
          else
            g_string_append (out, "\\_");
          break;
        case '\n':
          g_string_append (out, in_table ? "<br>" : "\n");
          break;
        case '\r':
        case '\t':
          g_string_append_c (out, ' ');
          break;
        default:
          g_string_append_c (out, c);
        }
    }
}

static void
md_cell (GString *out, const char *text)
{
  g_string_append_c (out, ' ');
  md_append (out, text && *text ? text : "—", TRUE);
  g_string_append (out, " |");
}

/* Identifiers and hex as code; text a code span cannot hold (a loaded trace may have any) is
 * escaped instead. */
static void
md_code (GString *out, const char *text, gboolean in_table)
{
  if (text == NULL || *text == '\0')
    g_string_append (out, "—");
  else if (strpbrk (text, "`|\n") != NULL)
    md_append (out, text, in_table);
  else
    g_string_append_printf (out, "`%s`", text);
}

static void
md_code_cell (GString *out, const char *text)
{
  g_string_append_c (out, ' ');
  md_code (out, text, TRUE);
  g_string_append (out, " |");
}

static const char *
side_label (HlSide side)
{
  return hl_side_to_label (side);
}

static char *
md_who (HlEvent *event)
{
  HlSide side = hl_event_get_side (event);
  HlSide peer = hl_event_get_peer (event);

  /* an action happens on one lifeline; the CA is consulted locally, never on the wire */
  if (hl_event_get_kind (event) == HL_EVENT_ACTION)
    return peer == HL_SIDE_CA ? g_strdup_printf ("%s ·· CA", side_label (side))
                              : g_strdup (side_label (side));
  if ((side == HL_SIDE_CLIENT || side == HL_SIDE_SERVER) &&
      (peer == HL_SIDE_CLIENT || peer == HL_SIDE_SERVER) && side != peer)
    return g_strdup_printf ("%s → %s", side_label (side), side_label (peer));
  return g_strdup (side_label (side));
}

static void
md_events (HlTrace *trace, GString *out)
{
  guint n = hl_trace_get_n_events (trace);
  gboolean several = hl_trace_get_n_handshakes (trace) > 1;
  int current = -1;

  g_string_append (out, "## Steps\n");
  if (hl_trace_is_order_approximate (trace))
    g_string_append (out, "\nThis trace comes from an older file that kept the steps in the "
                          "order they were sent: what a side did with a message may stand before "
                          "the message.\n");
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      HlCheck check = hl_event_get_check (event);
      g_autofree char *who = md_who (event);
      g_autofree char *step = NULL;
      g_autofree char *size = NULL;
      const char *technical = hl_event_get_technical (event);

      if ((int) hl_event_get_handshake (event) != current)
        {
          current = (int) hl_event_get_handshake (event);
          if (several)
            g_string_append_printf (out, "\n### Connection %d\n", current + 1);
          g_string_append (out, "\n| # | Who | Kind | Step | Size | When | Caption |\n"
                                "|--:|:----|:-----|:-----|-----:|:-----|:--------|\n");
        }
      step = g_strdup_printf ("%s%s", hl_event_get_name (event),
                              check == HL_CHECK_OK ? " ✓" : check == HL_CHECK_FAILED ? " ✗" : "");
      size = g_strdup_printf ("%" G_GSIZE_FORMAT " B", hl_event_get_length (event));
      g_string_append_printf (out, "| %u |", i);
      md_cell (out, who);
      md_cell (out, hl_event_kind_to_string (hl_event_get_kind (event)));
      md_cell (out, step);
      md_cell (out, size);
      {
        g_autofree char *when = hl_event_dup_when (event);

        md_cell (out, when);
      }
      g_string_append_c (out, ' ');
      md_append (out, hl_event_get_caption (event), TRUE);
      if (hl_event_get_kind (event) == HL_EVENT_RECORD ||
          hl_event_get_kind (event) == HL_EVENT_MESSAGE)
        {
          g_autofree char *line = g_strdup_printf ("%s · %s", technical ? technical : "",
                                                   hl_epoch_to_string (hl_event_get_epoch (event)));

          g_string_append (out, "<br>*");
          md_append (out, line, TRUE);
          g_string_append_c (out, '*');
        }
      else if (technical && *technical)
        {
          g_string_append (out, "<br>*");
          md_append (out, technical, TRUE);
          g_string_append_c (out, '*');
        }
      g_string_append (out, " |\n");
    }
}

static void
md_negotiated (HlTrace *trace, GString *out)
{
  GPtrArray *negs = hl_trace_get_negotiated (trace);
  static const char *const rows[] = {
    "Version", "Cipher suite", "Key exchange", "Cipher / MAC", "Group", "Signature",
    "EMS / ETM", "Resumed", "Client certificate", "Client random", "Server random",
  };

  g_string_append (out, "\n## Negotiated parameters\n\n");
  if (negs->len == 0)
    {
      g_string_append (out, "Nothing was negotiated.\n");
      return;
    }
  g_string_append (out, "| |");
  for (guint i = 0; i < negs->len; i++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, i);

      g_string_append_printf (out, " Connection %u |", neg->handshake + 1);
    }
  g_string_append (out, "\n|:--|");
  for (guint i = 0; i < negs->len; i++)
    g_string_append (out, ":--|");
  g_string_append_c (out, '\n');

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      g_string_append_printf (out, "| %s |", rows[r]);
      for (guint i = 0; i < negs->len; i++)
        {
          const HlNegotiated *neg = g_ptr_array_index (negs, i);
          g_autofree char *text = NULL;

          switch (r)
            {
            case 0:
              text = hl_negotiated_dup_version_text (trace, neg);
              md_cell (out, text);
              break;
            case 1: md_code_cell (out, neg->cipher_suite); break;
            case 2: md_cell (out, neg->kx); break;
            case 3:
              text = g_strdup_printf ("%s / %s", neg->cipher ? neg->cipher : "—",
                                      neg->mac ? neg->mac : "—");
              md_cell (out, text);
              break;
            case 4: md_cell (out, neg->group); break;
            case 5: md_cell (out, neg->signature); break;
            case 6:
              text = hl_negotiated_dup_ems_etm_text (neg);
              md_cell (out, text);
              break;
            case 7: md_cell (out, hl_negotiated_flag_text (neg, neg->resumed)); break;
            case 8: md_cell (out, hl_negotiated_flag_text (neg, neg->client_auth)); break;
            case 9:
              text = hl_bytes_to_hex (neg->client_random);
              md_code_cell (out, text);
              break;
            case 10:
              text = hl_bytes_to_hex (neg->server_random);
              md_code_cell (out, text);
              break;
            default:
              g_assert_not_reached ();
            }
        }
      g_string_append_c (out, '\n');
    }
}

static void
md_verifications (HlTrace *trace, GString *out)
{
  GPtrArray *vs = hl_trace_get_verifications (trace);
  const HlOutcome *o = hl_trace_get_outcome (trace);

  g_string_append (out, "\n## Verification\n\n");
  if (vs->len == 0)
    g_string_append (out, "No certificate was verified.\n");
  for (guint i = 0; i < vs->len; i++)
    {
      const HlVerification *v = g_ptr_array_index (vs, i);
      g_autofree char *line = NULL;

      line = g_strdup_printf ("The %s checked the %s chain%s%s: ",
                              hl_side_to_string (v->verifier),
                              v->verifier == HL_SIDE_CLIENT ? "server's" : "client's",
                              v->hostname ? " for " : "", v->hostname ? v->hostname : "");
      g_string_append (out, "- ");
      md_append (out, line, FALSE);
      g_string_append (out, v->trusted ? "**trusted** ✓" : "**not trusted** ✗");
      if (v->text && *v->text)
        {
          g_string_append (out, " — ");
          md_append (out, v->text, FALSE);
        }
      g_string_append_c (out, '\n');
    }

  g_string_append (out, "\n## Outcome\n\n");
  g_string_append (out, "- Client: ");
  md_append (out, o->client_ok ? "finished" : o->client_error ? o->client_error : "—", FALSE);
  g_string_append (out, "\n- Server: ");
  md_append (out, o->server_ok ? "finished" : o->server_error ? o->server_error : "—", FALSE);
  g_string_append_c (out, '\n');
  if (o->alert_sender != HL_SIDE_NONE)
    {
      const char *name = hl_alert_description_name (o->alert);
      g_autofree char *line = g_strdup_printf ("Fatal alert %s (%u) sent by the %s",
                                               name ? name : "?", o->alert,
                                               hl_side_to_string (o->alert_sender));

      g_string_append (out, "- ");
      md_append (out, line, FALSE);
      g_string_append_c (out, '\n');
    }
}

/* Hex of a value; very long ones (tickets) shortened to their first 32 bytes, as --print does. */
static char *
secret_hex (GBytes *value)
{
  g_autofree char *hex = hl_bytes_to_hex (value);

  if (value != NULL && g_bytes_get_size (value) > 64)
    return g_strdup_printf ("%.64s…", hex);
  return g_steal_pointer (&hex);
}

static char *
secret_size (GBytes *value)
{
  if (value == NULL)
    return g_strdup ("—");
  return g_strdup_printf ("%" G_GSIZE_FORMAT " B", g_bytes_get_size (value));
}

static gboolean
is_derived (const HlSecret *s)
{
  return s->source == HL_SOURCE_DERIVED || s->formula != NULL;
}

static void
md_secrets (HlTrace *trace, GString *out)
{
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  guint n_derived = 0, n_ok = 0, n_failed = 0, n_records = 0, n_records_ok = 0;
  gboolean header = FALSE;

  g_string_append (out, "\n## Secrets and keys\n\n");
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);
      g_autofree char *hex = NULL;
      g_autofree char *size = NULL;
      g_autofree char *conn = NULL;

      if (is_derived (s))
        {
          n_derived++;
          continue;
        }
      if (!header)
        {
          g_string_append (out, "| Conn. | Name | Size | Known to | Source | Value |\n"
                                "|--:|:--|--:|:--|:--|:--|\n");
          header = TRUE;
        }
      hex = secret_hex (s->value);
      size = secret_size (s->value);
      conn = g_strdup_printf ("%u", s->handshake + 1);
      g_string_append_c (out, '|');
      md_cell (out, conn);
      md_code_cell (out, s->name);
      md_cell (out, size);
      md_cell (out, hl_side_to_string (s->holder));
      md_cell (out, hl_source_to_string (s->source));
      g_string_append_c (out, ' ');
      if (s->value)
        md_code (out, hex, TRUE);
      else
        g_string_append (out, "(not available)");
      if (s->note)
        {
          g_string_append (out, "<br>");
          md_append (out, s->note, TRUE);
        }
      g_string_append (out, " |\n");
    }
  if (!header)
    g_string_append (out, "GnuTLS handed out no secret.\n");

  if (n_derived == 0)
    return;
  g_string_append (out, "\n## Key schedule\n\n"
                        "Recomputed by Handshake Lens: ✓ equal to GnuTLS's value or the wire, "
                        "✗ different, · not comparable.\n\n"
                        "| Conn. | | Name | Size | Value | How |\n"
                        "|--:|:-:|:--|--:|:--|:--|\n");
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);
      g_autofree char *hex = NULL;
      g_autofree char *size = NULL;
      g_autofree char *conn = NULL;
      gboolean first = TRUE;

      if (!is_derived (s))
        continue;
      n_ok += s->check == HL_CHECK_OK;
      n_failed += s->check == HL_CHECK_FAILED;
      hex = secret_hex (s->value);
      size = secret_size (s->value);
      conn = g_strdup_printf ("%u", s->handshake + 1);
      g_string_append_c (out, '|');
      md_cell (out, conn);
      md_cell (out, s->check == HL_CHECK_OK ? "✓" : s->check == HL_CHECK_FAILED ? "✗" : "·");
      md_code_cell (out, s->name);
      md_cell (out, size);
      if (s->value)
        md_code_cell (out, hex);
      else
        g_string_append (out, " (not available) |");
      g_string_append_c (out, ' ');
      if (s->formula)
        {
          g_string_append (out, "= ");
          md_append (out, s->formula, TRUE);
          first = FALSE;
        }
      if (s->inputs && s->inputs[0])
        {
          g_autofree char *inputs = g_strjoinv (", ", s->inputs);

          g_string_append (out, first ? "inputs: " : "<br>inputs: ");
          md_append (out, inputs, TRUE);
          first = FALSE;
        }
      if (s->note)
        {
          if (!first)
            g_string_append (out, "<br>");
          md_append (out, s->note, TRUE);
        }
      g_string_append (out, " |\n");
    }

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);

      if (hl_event_get_kind (event) != HL_EVENT_RECORD ||
          hl_event_get_epoch (event) == HL_EPOCH_PLAINTEXT)
        continue;
      n_records++;
      n_records_ok += hl_event_get_check (event) == HL_CHECK_OK;
    }
  g_string_append_printf (out, "\n%u ✓, %u ✗, %u ·; %u of %u protected records decrypted to the "
                               "captured plaintext%s.\n",
                          n_ok, n_failed, n_derived - n_ok - n_failed, n_records_ok, n_records,
                          n_records_ok == n_records ? "" : " (the others are marked ✗ above)");
}

/**
 * hl_trace_dup_markdown:
 * @trace: a trace
 *
 * The annotated trace as Markdown (CommonMark with GitHub-style tables) for lecture notes: the
 * same content as `--print` (hl_trace_dup_text()): title and description, a table of every step
 * with who, kind, message, size and caption, the negotiated parameters, the certificate checks
 * and outcome, the secrets and the key schedule with ✓/✗. It lists the secret values of the
 * recorded demo session, as `--print` does.
 *
 * Returns: (transfer full): UTF-8 text
 */
char *
hl_trace_dup_markdown (HlTrace *trace)
{
  GString *out;
  const char *scenario, *title, *description;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);

  out = g_string_new (NULL);
  scenario = hl_trace_get_scenario (trace);
  title = hl_trace_get_title (trace);
  description = hl_trace_get_description (trace);

  g_string_append (out, "# ");
  md_append (out, title && *title ? title : scenario ? scenario : "Trace", FALSE);
  g_string_append (out, "\n\n");
  if (scenario && *scenario)
    {
      g_string_append (out, "Scenario ");
      md_code (out, scenario, FALSE);
      g_string_append (out, " · ");
    }
  g_string_append (out, "GnuTLS ");
  md_append (out, hl_trace_get_library_version (trace), FALSE);
  {
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (hl_trace_get_created (trace) /
                                                               G_USEC_PER_SEC);
    g_autofree char *text = when ? g_date_time_format (when, "%Y-%m-%d %H:%M:%S UTC") : NULL;

    if (text)
      g_string_append_printf (out, " · recorded %s", text);
  }
  g_string_append (out, " · Handshake Lens " PACKAGE_VERSION "\n\n");
  if (description && *description)
    {
      md_append (out, description, FALSE);
      g_string_append (out, "\n\n");
    }
  md_events (trace, out);
  md_negotiated (trace, out);
  md_verifications (trace, out);
  md_secrets (trace, out);
  return g_string_free (out, FALSE);
}

/* Files */

static gboolean
write_file (GFile *file, const void *data, gsize len, gboolean secret, GCancellable *cancellable,
            GError **error)
{
  /* G_FILE_CREATE_PRIVATE alone keeps an existing file's mode; replacing the destination makes
   * even an overwritten file 0600 from the moment it exists */
  GFileCreateFlags flags = secret ? G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION
                                  : G_FILE_CREATE_NONE;

  if (!g_file_replace_contents (file, data, len, NULL, FALSE, flags, NULL, cancellable, error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_prefix_error (error, "Cannot write %s: ", name);
      return FALSE;
    }
  return TRUE;
}

/**
 * hl_trace_export_pcapng:
 * @trace: a trace
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported; its message names the file
 *
 * Writes hl_trace_to_pcapng() to @file, created with mode 0600 since it holds the key log.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_export_pcapng (HlTrace *trace, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = hl_trace_to_pcapng (trace, error);
  if (bytes == NULL)
    return FALSE;
  return write_file (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), TRUE,
                     cancellable, error);
}

/**
 * hl_trace_export_keylog:
 * @trace: a trace
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported; its message names the file
 *
 * Writes the NSS key log (hl_trace_dup_keylog(), the `SSLKEYLOGFILE` format) of every connection
 * of @trace to @file, created with mode 0600.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_export_keylog (HlTrace *trace, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autofree char *keylog = NULL;
  gboolean ok;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  keylog = hl_trace_dup_keylog (trace);
  ok = write_file (file, keylog, strlen (keylog), TRUE, cancellable, error);
  gnutls_memset (keylog, 0, strlen (keylog));
  return ok;
}

/**
 * hl_trace_export_markdown:
 * @trace: a trace
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported; its message names the file
 *
 * Writes hl_trace_dup_markdown() to @file.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_export_markdown (HlTrace *trace, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = hl_trace_dup_markdown (trace);
  return write_file (file, text, strlen (text), FALSE, cancellable, error);
}

/**
 * hl_trace_export:
 * @trace: a trace
 * @format: what to write
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported; its message names the file
 *
 * Writes @trace to @file in @format (one of the functions above).
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_export (HlTrace *trace, HlExportFormat format, GFile *file, GCancellable *cancellable,
                 GError **error)
{
  switch (format)
    {
    case HL_EXPORT_PCAPNG:
      return hl_trace_export_pcapng (trace, file, cancellable, error);
    case HL_EXPORT_KEYLOG:
      return hl_trace_export_keylog (trace, file, cancellable, error);
    case HL_EXPORT_MARKDOWN:
      return hl_trace_export_markdown (trace, file, cancellable, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Async and formats */

typedef struct
{
  HlTrace        *trace;
  HlExportFormat  format;
  GFile          *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->trace);
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (hl_trace_export (data->trace, data->format, data->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * hl_trace_export_async:
 * @trace: a finished trace (it is read from a worker thread)
 * @format: what to write
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context when the file is written
 * @user_data: for @callback
 *
 * hl_trace_export() in a worker thread; finish with hl_trace_export_finish().
 */
void
hl_trace_export_async (HlTrace *trace, HlExportFormat format, GFile *file,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ExportData, 1);
  data->trace = g_object_ref (trace);
  data->format = format;
  data->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_trace_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
hl_trace_export_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hl_trace_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
hl_export_format_get_extension (HlExportFormat format)
{
  switch (format)
    {
    case HL_EXPORT_PCAPNG:
      return "pcapng";
    case HL_EXPORT_KEYLOG:
      return "keys";
    case HL_EXPORT_MARKDOWN:
      return "md";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
hl_export_format_get_mime_type (HlExportFormat format)
{
  switch (format)
    {
    case HL_EXPORT_PCAPNG:
      return "application/x-pcapng";
    case HL_EXPORT_KEYLOG:
      return "text/plain";
    case HL_EXPORT_MARKDOWN:
      return "text/markdown";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
hl_export_format_has_secrets (HlExportFormat format)
{
  return format == HL_EXPORT_PCAPNG || format == HL_EXPORT_KEYLOG;
}
