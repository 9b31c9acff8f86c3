/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-export"
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>

#include "hl-export.h"

/*
 * The pcapng export: the trace as a capture with its key log inside, so that Wireshark
 * decrypts it.
 *
 * Sections: byte helpers · pcapng blocks · synthetic TCP/IPv4/Ethernet · the capture.
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

/* Every record must fit in one TCP segment, at a time a capture can hold, sent by the client or
 * the server. */
static gboolean
check_records (HlTrace *trace, GError **error)
{
  guint n = hl_trace_get_n_events (trace);

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
          return FALSE;
        }
      /* Packet times are the trace's start plus the record's timestamp: both come from a
       * file, and their sum must be a time (and fit in 64 bits) before it is computed. */
      if (hl_event_get_timestamp (event) > LATEST_TIME - MAX (hl_trace_get_created (trace), 0))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Record event %u is stamped %" G_GINT64_FORMAT " µs after the trace's "
                       "start, which is after the year 9999: no capture can hold that time",
                       i, hl_event_get_timestamp (event));
          return FALSE;
        }
      if (hl_trace_get_role (trace, hl_event_get_handshake (event),
                             hl_event_get_side (event)) != HL_SIDE_CLIENT &&
          hl_trace_get_role (trace, hl_event_get_handshake (event),
                             hl_event_get_side (event)) != HL_SIDE_SERVER)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Record event %u was sent by the %s, neither the client nor the server",
                       i, hl_side_to_string (hl_event_get_side (event)));
          return FALSE;
        }
    }
  return TRUE;
}

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

  if (!check_records (trace, error))
    return NULL;
  n = hl_trace_get_n_events (trace);
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
