/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hl-engine.h"
#include "hl-event-private.h"
#include "hl-export.h"
#include "hl-print.h"
#include "hl-trace-io.h"
#include "hl-trace-private.h"

/*
 * Sections: cases and traces · a pcapng reader · structure of every scenario's capture ·
 * tshark · key log · Markdown · hand-built traces and files · main.
 */

/* Cases and traces */

/* Every scenario, and two TLS 1.3 failures no scenario has: their alerts travel encrypted with
 * the handshake keys, so tshark shows them only if the key log in the capture works. */
typedef struct
{
  char     *id;
  HlConfig  config;
} Case;

static GPtrArray *cases;        /* of Case */
static GHashTable *traces;      /* id → HlTrace, each case run once */
static char *tmp_dir;

static void
case_free (Case *c)
{
  g_free (c->id);
  g_free (c);
}

static void
add_case (const char *id, const HlConfig *config)
{
  Case *c = g_new0 (Case, 1);

  c->id = g_strdup (id);
  c->config = *config;
  g_ptr_array_add (cases, c);
}

static HlTrace *
get_trace (const Case *c)
{
  HlTrace *trace = g_hash_table_lookup (traces, c->id);

  if (trace == NULL)
    {
      g_autoptr(GError) error = NULL;

      trace = hl_engine_run (&c->config, c->id, c->id, "A test case.", NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (trace);
      g_hash_table_insert (traces, g_strdup (c->id), trace);
    }
  return trace;
}

static char *
tmp_path (const char *id, const char *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);

  return g_build_filename (tmp_dir, name, NULL);
}

/* A pcapng reader, written from the specification independently of the writer. Every read is
 * bounds-checked; the file is little-endian (its byte-order magic says so). */

typedef struct
{
  guint    client_port;
  gboolean from_server;
  guint32  seq;
  guint32  ack;
  guint8   flags;
  GBytes  *payload;
  guint64  time;
  char    *comment;
} Segment;

static void
segment_free (Segment *s)
{
  g_bytes_unref (s->payload);
  g_free (s->comment);
  g_free (s);
}

typedef struct
{
  guint      n_shb, n_idb, n_dsb, n_epb;
  gboolean   dsb_before_packets;
  char      *keylog;      /* the DSB's text, or NULL */
  GPtrArray *segments;    /* of Segment, in file order */
} Capture;

static void
capture_free (Capture *cap)
{
  g_free (cap->keylog);
  g_ptr_array_unref (cap->segments);
  g_free (cap);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Capture, capture_free)

enum
{
  FIN = 0x01,
  SYN = 0x02,
  PSH = 0x08,
  ACK = 0x10,
};

static guint32
le32 (const guint8 *data, gsize len, gsize off)
{
  g_assert_cmpuint (off + 4, <=, len);
  return (guint32) data[off] | (guint32) data[off + 1] << 8 | (guint32) data[off + 2] << 16 |
         (guint32) data[off + 3] << 24;
}

static guint16
le16 (const guint8 *data, gsize len, gsize off)
{
  g_assert_cmpuint (off + 2, <=, len);
  return (guint16) (data[off] | data[off + 1] << 8);
}

static guint16
be16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* RFC 1071: the one's complement sum; a header whose checksum is right sums to 0xffff. */
static guint16
ones_sum (guint32 sum, const guint8 *p, gsize n)
{
  for (gsize i = 0; i < n; i++)
    sum += i % 2 == 0 ? (guint32) p[i] << 8 : p[i];
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) sum;
}

/* Options from @off to @end: checks their framing, returns the value of @want (or NULL). */
static GBytes *
find_option (const guint8 *data, gsize len, gsize off, gsize end, guint16 want)
{
  GBytes *found = NULL;

  while (off < end)
    {
      guint16 code = le16 (data, len, off);
      guint16 olen = le16 (data, len, off + 2);

      if (code == 0)
        {
          g_assert_cmpuint (olen, ==, 0);
          g_assert_cmpuint (off + 4, ==, end);
          break;
        }
      g_assert_cmpuint (off + 4 + ((olen + 3u) & ~3u), <=, end);
      if (code == want && found == NULL)
        found = g_bytes_new (data + off + 4, olen);
      off += 4 + ((olen + 3u) & ~3u);
    }
  return found;
}

static Segment *
parse_frame (const guint8 *f, gsize n)
{
  Segment *s = g_new0 (Segment, 1);
  const guint8 *ip = f + 14, *tcp;
  guint ip_len, tcp_hlen;
  guint16 sport, dport;
  guint8 pseudo[12];

  g_assert_cmpuint (n, >=, 14 + 20 + 20);
  g_assert_cmpuint (be16 (f + 12), ==, 0x0800);
  g_assert_cmpuint (ip[0], ==, 0x45);
  ip_len = be16 (ip + 2);
  g_assert_cmpuint (ip_len, ==, n - 14);
  g_assert_cmpuint (be16 (ip + 6) & 0x3fff, ==, 0);   /* not a fragment */
  g_assert_cmpuint (ip[8], >, 0);
  g_assert_cmpuint (ip[9], ==, 6);
  g_assert_cmphex (be32 (ip + 12), ==, 0x7f000001);
  g_assert_cmphex (be32 (ip + 16), ==, 0x7f000001);
  g_assert_cmphex (ones_sum (0, ip, 20), ==, 0xffff);

  tcp = ip + 20;
  tcp_hlen = (tcp[12] >> 4) * 4u;
  g_assert_cmpuint (tcp_hlen, >=, 20);
  g_assert_cmpuint (20 + tcp_hlen, <=, ip_len);
  memcpy (pseudo, ip + 12, 8);
  pseudo[8] = 0;
  pseudo[9] = 6;
  pseudo[10] = (guint8) ((ip_len - 20) >> 8);
  pseudo[11] = (guint8) (ip_len - 20);
  g_assert_cmphex (ones_sum (ones_sum (0, pseudo, 12), tcp, ip_len - 20), ==, 0xffff);

  sport = be16 (tcp);
  dport = be16 (tcp + 2);
  s->from_server = sport == HL_PCAPNG_SERVER_PORT;
  s->client_port = s->from_server ? dport : sport;
  g_assert_cmpuint (s->from_server ? sport : dport, ==, HL_PCAPNG_SERVER_PORT);
  g_assert_cmpuint (s->client_port, >=, HL_PCAPNG_CLIENT_PORT);
  s->seq = be32 (tcp + 4);
  s->ack = be32 (tcp + 8);
  s->flags = tcp[13];
  s->payload = g_bytes_new (tcp + tcp_hlen, ip_len - 20 - tcp_hlen);
  return s;
}

static Capture *
parse_pcapng (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  Capture *cap = g_new0 (Capture, 1);
  gsize off = 0;

  cap->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);
  while (off < len)
    {
      guint32 type, blen;
      gsize body, end;

      g_assert_cmpuint (len - off, >=, 12);
      type = le32 (data, len, off);
      blen = le32 (data, len, off + 4);
      g_assert_cmpuint (blen % 4, ==, 0);
      g_assert_cmpuint (blen, >=, 12);
      g_assert_cmpuint (blen, <=, len - off);
      g_assert_cmpuint (le32 (data, len, off + blen - 4), ==, blen);
      body = off + 8;
      end = off + blen - 4;
      if (off == 0)
        g_assert_cmphex (type, ==, HL_PCAPNG_BLOCK_SHB);

      switch (type)
        {
        case HL_PCAPNG_BLOCK_SHB:
          {
            g_autoptr(GBytes) appl = NULL;

            g_assert_cmpuint (blen, >=, 28);
            g_assert_cmphex (le32 (data, len, body), ==, 0x1a2b3c4d);
            g_assert_cmpuint (le16 (data, len, body + 4), ==, 1);
            g_assert_cmpuint (le16 (data, len, body + 6), ==, 0);
            appl = find_option (data, len, body + 16, end, 4);
            g_assert_nonnull (appl);
            cap->n_shb++;
            break;
          }
        case HL_PCAPNG_BLOCK_IDB:
          {
            g_autoptr(GBytes) tsresol = NULL;

            g_assert_cmpuint (blen, >=, 20);
            g_assert_cmpuint (le16 (data, len, body), ==, 1);   /* LINKTYPE_ETHERNET */
            tsresol = find_option (data, len, body + 8, end, 9);
            g_assert_nonnull (tsresol);
            g_assert_cmpuint (g_bytes_get_size (tsresol), ==, 1);
            g_assert_cmpuint (((const guint8 *) g_bytes_get_data (tsresol, NULL))[0], ==, 6);
            cap->n_idb++;
            break;
          }
        case HL_PCAPNG_BLOCK_DSB:
          {
            guint32 slen;

            g_assert_cmpuint (cap->n_idb, ==, 1);
            g_assert_cmphex (le32 (data, len, body), ==, HL_PCAPNG_SECRETS_TLS_KEYLOG);
            slen = le32 (data, len, body + 4);
            g_assert_cmpuint (body + 8 + ((slen + 3u) & ~3u), <=, end);
            g_assert_null (cap->keylog);
            cap->keylog = g_strndup ((const char *) data + body + 8, slen);
            g_assert_cmpuint (strlen (cap->keylog), ==, slen);
            cap->dsb_before_packets = cap->n_epb == 0;
            cap->n_dsb++;
            break;
          }
        case HL_PCAPNG_BLOCK_EPB:
          {
            guint32 caplen, origlen;
            g_autoptr(GBytes) comment = NULL;
            Segment *s;

            g_assert_cmpuint (cap->n_idb, ==, 1);
            g_assert_cmpuint (blen, >=, 32);
            g_assert_cmpuint (le32 (data, len, body), ==, 0);   /* interface 0 */
            caplen = le32 (data, len, body + 12);
            origlen = le32 (data, len, body + 16);
            g_assert_cmpuint (caplen, ==, origlen);
            g_assert_cmpuint (body + 20 + ((caplen + 3u) & ~3u), <=, end);
            s = parse_frame (data + body + 20, caplen);
            s->time = (guint64) le32 (data, len, body + 4) << 32 | le32 (data, len, body + 8);
            comment = find_option (data, len, body + 20 + ((caplen + 3u) & ~3u), end, 1);
            if (comment)
              s->comment = g_strndup (g_bytes_get_data (comment, NULL),
                                      g_bytes_get_size (comment));
            g_ptr_array_add (cap->segments, s);
            cap->n_epb++;
            break;
          }
        default:
          g_error ("unexpected block type 0x%08x at offset %" G_GSIZE_FORMAT, type, off);
        }
      off += blen;
    }
  g_assert_cmpuint (off, ==, len);
  g_assert_cmpuint (cap->n_shb, ==, 1);
  g_assert_cmpuint (cap->n_idb, ==, 1);
  return cap;
}

/* Structure of every scenario's capture */

/* The TCP side: a three-way handshake per connection, sequence and acknowledgement numbers
 * continuous in each direction, every record once as one segment's payload, FIN teardown. */
static void
check_tcp (HlTrace *trace, Capture *cap)
{
  /* per connection (index = client port - HL_PCAPNG_CLIENT_PORT): next seq of each side */
  guint32 next[8][2] = { { 0 } };
  guint state[8] = { 0 };   /* 0 none, 1 SYN, 2 SYN-ACK, 3 open, 4 client FIN, 5 both FIN, 6 done */
  guint seg = 0, n_records = 0, expected_control = 0;
  guint64 last_time = 0;
  /* per connection: an attacker in the middle has two open at once */
  int last_sender[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
  guint flights[8] = { 0 };
  gboolean seen[8] = { FALSE };

  /* records of the trace ↔ payload segments of the capture, in order */
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      gboolean from_server;
      Segment *s = NULL;
      guint h;

      if (hl_event_get_kind (event) != HL_EVENT_RECORD)
        continue;
      from_server = hl_event_get_role (event) == HL_SIDE_SERVER;
      h = hl_event_get_handshake (event);
      g_assert_cmpuint (h, <, G_N_ELEMENTS (seen));
      seen[h] = TRUE;
      if (last_sender[h] != (int) from_server)
        flights[h]++;
      last_sender[h] = (int) from_server;
      n_records++;
      while (seg < cap->segments->len)
        {
          s = g_ptr_array_index (cap->segments, seg++);
          if (g_bytes_get_size (s->payload) > 0)
            break;
          s = NULL;
        }
      g_assert_nonnull (s);
      g_assert_cmpuint (s->client_port, ==, HL_PCAPNG_CLIENT_PORT + hl_event_get_handshake (event));
      g_assert_cmpint (s->from_server, ==, from_server);
      g_assert_true (g_bytes_equal (s->payload, hl_event_get_bytes (event)));
      g_assert_cmphex (s->flags, ==, PSH | ACK);
      g_assert_cmpuint (s->time, ==, hl_trace_get_created (trace) +
                                     hl_event_get_timestamp (event));
      /* the caption rides along as the packet's comment */
      if (*hl_event_get_caption (event))
        g_assert_cmpstr (s->comment, ==, hl_event_get_caption (event));
      else
        g_assert_null (s->comment);
    }
  /* SYN, SYN-ACK, ACK; an ACK per flight; FIN, FIN, ACK */
  for (guint h = 0; h < G_N_ELEMENTS (seen); h++)
    if (seen[h])
      expected_control += 6 + flights[h];
  for (; seg < cap->segments->len; seg++)
    {
      Segment *s = g_ptr_array_index (cap->segments, seg);
      g_assert_cmpuint (g_bytes_get_size (s->payload), ==, 0);
    }
  g_assert_cmpuint (cap->segments->len, ==, n_records + expected_control);

  for (guint i = 0; i < cap->segments->len; i++)
    {
      Segment *s = g_ptr_array_index (cap->segments, i);
      guint c = s->client_port - HL_PCAPNG_CLIENT_PORT;
      guint d = s->from_server;
      gsize n = g_bytes_get_size (s->payload);

      g_assert_cmpuint (c, <, G_N_ELEMENTS (state));
      g_assert_cmpuint (s->time, >=, last_time);
      last_time = s->time;
      switch (state[c])
        {
        case 0:
          g_assert_cmphex (s->flags, ==, SYN);
          g_assert_false (s->from_server);
          next[c][0] = s->seq + 1;
          /* connections follow one another: the previous one is closed; an attacker in the
           * middle keeps its two open at once, each still opened in order */
          for (guint k = 0; k < c; k++)
            g_assert_cmpuint (state[k], >=, hl_trace_get_attacker (trace) ? 3 : 6);
          state[c] = 1;
          continue;
        case 1:
          g_assert_cmphex (s->flags, ==, SYN | ACK);
          g_assert_true (s->from_server);
          g_assert_cmpuint (s->ack, ==, next[c][0]);
          next[c][1] = s->seq + 1;
          state[c] = 2;
          continue;
        case 2:
          g_assert_cmphex (s->flags, ==, ACK);
          g_assert_false (s->from_server);
          state[c] = 3;
          break;
        case 3:
          if (s->flags & FIN)
            {
              g_assert_cmphex (s->flags, ==, FIN | ACK);
              g_assert_false (s->from_server);
              g_assert_cmpuint (n, ==, 0);
              state[c] = 4;
            }
          break;
        case 4:
          g_assert_cmphex (s->flags, ==, FIN | ACK);
          g_assert_true (s->from_server);
          state[c] = 5;
          break;
        case 5:
          g_assert_cmphex (s->flags, ==, ACK);
          g_assert_false (s->from_server);
          state[c] = 6;
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert_cmpuint (s->seq, ==, next[c][d]);
      g_assert_true (s->flags & ACK);
      g_assert_cmpuint (s->ack, ==, next[c][1 - d]);
      next[c][d] += (guint32) n + ((s->flags & FIN) ? 1 : 0);
    }
  for (guint c = 0; c < G_N_ELEMENTS (state); c++)
    g_assert_true (state[c] == 0 || state[c] == 6);
}

static void
test_pcapng_structure (gconstpointer data)
{
  const Case *c = data;
  HlTrace *trace = get_trace (c);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = hl_trace_to_pcapng (trace, &error);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) reloaded = NULL;
  g_autoptr(HlTrace) copy = NULL;
  g_autoptr(Capture) cap = NULL;
  g_autofree char *keylog = hl_trace_dup_keylog (trace);
  g_autofree char *json = NULL;
  gsize json_len;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  cap = parse_pcapng (bytes);

  if (*keylog)
    {
      g_assert_cmpuint (cap->n_dsb, ==, 1);
      g_assert_true (cap->dsb_before_packets);
      g_assert_cmpstr (cap->keylog, ==, keylog);
    }
  else
    g_assert_cmpuint (cap->n_dsb, ==, 0);
  if (hl_trace_get_outcome (trace)->client_ok)
    g_assert_cmpuint (cap->n_dsb, ==, 1);
  check_tcp (trace, cap);

  /* one trace, one file: again, and from the trace saved and opened (what --open exports) */
  again = hl_trace_to_pcapng (trace, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, again));
  json = hl_trace_to_data (trace, &json_len);
  copy = hl_trace_load_data (json, (gssize) json_len, &error);
  g_assert_no_error (error);
  reloaded = hl_trace_to_pcapng (copy, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, reloaded));
}

/* tshark: it reads every capture with no key file given, finds nothing malformed, and decodes
 * the same handshake messages, alerts and HTTP exchange as the trace — which for TLS 1.3 and
 * the TLS 1.2 Finished means it decrypted them with the keys from the DSB. */

static char *
run_tshark (const char *file, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *config_dir = g_build_filename (tmp_dir, "wireshark-config", NULL);
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  /* an empty personal configuration: no key log file or other preference set by the user */
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  envp = g_environ_setenv (envp, "WIRESHARK_CONFIG_DIR", config_dir, TRUE);
  g_ptr_array_add (argv, (char *) "tshark");
  g_ptr_array_add (argv, (char *) "-n");
  g_ptr_array_add (argv, (char *) "-r");
  g_ptr_array_add (argv, (char *) file);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tshark on %s: %s\n%s", file, error->message, err);
  return out;
}

/* "port:type" for each handshake message, "port:!desc" for each alert and "port:GET" / "port:200"
 * for the HTTP request and response, in order: from the trace … */
static char *
expected_story (HlTrace *trace)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      guint port = hl_event_get_role (event) == HL_SIDE_SERVER
                     ? HL_PCAPNG_SERVER_PORT
                     : HL_PCAPNG_CLIENT_PORT + hl_event_get_handshake (event);

      switch (hl_event_get_kind (event))
        {
        case HL_EVENT_MESSAGE:
          if (hl_event_get_content_type (event) == HL_CONTENT_HANDSHAKE)
            g_string_append_printf (out, "%u:%d ", port, hl_event_get_handshake_type (event));
          break;
        case HL_EVENT_ALERT:
          g_string_append_printf (out, "%u:!%u ", port, hl_event_get_alert_description (event));
          break;
        case HL_EVENT_APP_DATA:
          {
            gsize n;
            const char *text = g_bytes_get_data (hl_event_get_bytes (event), &n);
            g_autofree char *copy = g_strndup (text, n);

            if (g_str_has_prefix (copy, "HTTP/1.1 "))
              g_string_append_printf (out, "%u:%d ", port, atoi (copy + 9));
            else if (strchr (copy, ' '))
              g_string_append_printf (out, "%u:%.*s ", port, (int) (strchr (copy, ' ') - copy),
                                      copy);
            break;
          }
        default:
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/* … and from tshark's fields, one line per frame: number, srcport, handshake types, alerts,
 * method, status code, then what must stay empty — _ws.malformed (what `-Y _ws.malformed` would
 * list), tcp.analysis.flags — and the expert severities, none a warning or an error. */
static char *
tshark_story (const char *fields, guint *n_frames)
{
  g_auto(GStrv) lines = g_strsplit (fields, "\n", -1);
  GString *out = g_string_new (NULL);

  *n_frames = 0;
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      g_auto(GStrv) severities = NULL;

      if (*lines[i] == '\0')
        continue;
      (*n_frames)++;
      f = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 9);
      if (*f[6] || *f[7])
        g_error ("frame %s: malformed “%s”, TCP analysis “%s”", f[0], f[6], f[7]);
      severities = g_strsplit (f[8], ",", -1);
      for (guint v = 0; severities[v]; v++)
        if (*severities[v] && g_ascii_strtoull (severities[v], NULL, 10) >= 0x00600000)
          g_error ("frame %s: an expert warning or error (severity %s)", f[0], severities[v]);
      for (guint col = 2; col <= 5; col++)
        {
          g_auto(GStrv) values = g_strsplit (f[col], ",", -1);

          for (guint v = 0; values[v]; v++)
            if (*values[v])
              g_string_append_printf (out, "%s:%s%s ", f[1], col == 3 ? "!" : "", values[v]);
        }
    }
  return g_string_free (out, FALSE);
}

/* tshark names the TLS 1.2 Finished it decrypted (handshake type 20), except 4.4 (Debian 13):
 * that decrypts the same records but lists the Finished as "Encrypted Handshake Message", with
 * no type (4.0 in Debian 12 and 4.6 in sid name it). Decryption is then shown by the
 * application data after it (GET and 200 are inside records under the application keys,
 * derived from the same master secret). */
static gboolean
tshark_names_tls12_finished (void)
{
  static int names = -1;

  if (names < 0)
    {
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      const char *argv[] = { "tshark", "-v", NULL };
      const char *version;
      guint major = 0, minor = 0;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, &out, NULL, NULL, &error);
      g_assert_no_error (error);
      /* "TShark (Wireshark) 4.4.7 (Git v4.4.7 packaged as 4.4.7-1)." */
      version = strstr (out, ") ");
      g_assert_nonnull (version);
      g_assert_cmpint (sscanf (version + 2, "%u.%u", &major, &minor), ==, 2);
      names = !(major == 4 && minor == 4);
    }
  return names;
}

/* @story without its "port:20 " tokens (the TLS 1.2 Finished). */
static char *
without_finished (const char *story)
{
  g_auto(GStrv) tokens = g_strsplit (story, " ", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; tokens[i]; i++)
    if (*tokens[i] && !g_str_has_suffix (tokens[i], ":20"))
      g_string_append_printf (out, "%s ", tokens[i]);
  return g_string_free (out, FALSE);
}

static void
test_tshark (gconstpointer data)
{
  const Case *c = data;
  HlTrace *trace;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Capture) cap = NULL;
  g_autofree char *path = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  const char *const field_args[] = {
    "-T", "fields", "-E", "separator=/t", "-E", "aggregator=,",
    "-e", "frame.number", "-e", "tcp.srcport", "-e", "tls.handshake.type",
    "-e", "tls.alert_message.desc", "-e", "http.request.method", "-e", "http.response.code",
    "-e", "_ws.malformed", "-e", "tcp.analysis.flags", "-e", "_ws.expert.severity", NULL
  };
  guint n_frames;
  GPtrArray *negs;
  gboolean tls12;

  if (tshark == NULL)
    {
      g_test_skip ("tshark is not installed (build-aux/install-deps installs it); the "
                   "structural pcapng checks still ran");
      return;
    }

  trace = get_trace (c);
  path = tmp_path (c->id, ".pcapng");
  file = g_file_new_for_path (path);
  g_assert_true (hl_trace_export_pcapng (trace, file, NULL, &error));
  g_assert_no_error (error);

  fields = run_tshark (path, field_args);
  seen = tshark_story (fields, &n_frames);
  expected = expected_story (trace);
  negs = hl_trace_get_negotiated (trace);
  tls12 = negs->len > 0 &&
          g_strcmp0 (((HlNegotiated *) g_ptr_array_index (negs, 0))->version, "TLS1.2") == 0;
  if (tls12 && !tshark_names_tls12_finished ())
    {
      char *fewer = without_finished (expected);

      g_free (expected);
      expected = fewer;
    }
  g_assert_cmpstr (seen, ==, expected);

  {
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &contents, &len, &error));
    bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  }
  cap = parse_pcapng (bytes);
  g_assert_cmpuint (n_frames, ==, cap->n_epb);

  /* what only the keys reveal, where the trace has it */
  if (hl_trace_get_outcome (trace)->client_ok)
    {
      const HlNegotiated *neg = negs->len > 0 ? g_ptr_array_index (negs, 0) : NULL;
      gboolean tls13 = neg != NULL && g_strcmp0 (neg->version, "TLS1.3") == 0;
      g_autofree char *finished = g_strdup_printf ("%u:20 ", HL_PCAPNG_CLIENT_PORT);
      g_autofree char *get = g_strdup_printf ("%u:GET ", HL_PCAPNG_CLIENT_PORT);

      if (!tls12 || tshark_names_tls12_finished ())
        g_assert_nonnull (strstr (seen, finished));
      g_assert_nonnull (strstr (seen, get));
      g_assert_nonnull (strstr (seen, "443:200 "));
      if (tls13)
        g_assert_nonnull (strstr (seen, "443:8 "));   /* EncryptedExtensions */
    }
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* Key log */

static gboolean
is_hex (const char *s, gsize len)
{
  if (strlen (s) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
      return FALSE;
  return TRUE;
}

static void
test_keylog (gconstpointer data)
{
  const Case *c = data;
  HlTrace *trace = get_trace (c);
  static const char *const tls13_labels[] = {
    "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET",
  };
  GPtrArray *negs = hl_trace_get_negotiated (trace);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path (c->id, ".keys");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines = 0, n_expected = 0;
  struct stat st;

  /* an existing, readable file is replaced by a private one */
  g_assert_true (g_file_set_contents (path, "old", -1, &error));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (hl_trace_export_keylog (trace, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *expected = hl_trace_dup_keylog (trace);
    g_assert_cmpstr (text, ==, expected);
  }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;

      if (lines[i + 1] == NULL)
        {
          g_assert_cmpstr (lines[i], ==, "");   /* every line ends in \n */
          break;
        }
      n_lines++;
      f = g_strsplit (lines[i], " ", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 3);
      for (const char *p = f[0]; *p; p++)
        g_assert_true (g_ascii_isupper (*p) || g_ascii_isdigit (*p) || *p == '_');
      g_assert_true (is_hex (f[1], 64));
      g_assert_true (is_hex (f[2], strlen (f[2])));
      g_assert_cmpuint (strlen (f[2]), >=, 64);
    }

  /* per connection: what its version logs, keyed by its own client random */
  for (guint h = 0; h < negs->len; h++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, h);
      g_autofree char *random = NULL;
      gboolean tls13 = g_strcmp0 (neg->version, "TLS1.3") == 0;
      gboolean has_secrets = hl_trace_find_secret (trace, tls13 ? tls13_labels[0]
                                                                : "master_secret",
                                                   neg->handshake) != NULL;

      if (neg->client_random == NULL || !has_secrets)
        {
          /* only a handshake that never got to its keys logs nothing */
          g_assert_false (hl_trace_get_outcome (trace)->client_ok);
          continue;
        }
      random = hl_bytes_to_hex (neg->client_random);
      if (tls13)
        for (guint i = 0; i < G_N_ELEMENTS (tls13_labels); i++)
          {
            g_autofree char *prefix = g_strdup_printf ("%s %s ", tls13_labels[i], random);
            guint found = 0;

            for (guint l = 0; lines[l]; l++)
              if (g_str_has_prefix (lines[l], prefix))
                {
                  gsize hash = g_str_has_suffix (neg->cipher_suite ? neg->cipher_suite : "",
                                                 "SHA384") ? 48 : 32;

                  g_assert_cmpuint (strlen (lines[l]) - strlen (prefix), ==, 2 * hash);
                  found++;
                }
            g_assert_cmpuint (found, ==, 1);
            n_expected++;
          }
      else
        {
          g_autofree char *prefix = g_strdup_printf ("CLIENT_RANDOM %s ", random);
          guint found = 0;

          for (guint l = 0; lines[l]; l++)
            if (g_str_has_prefix (lines[l], prefix))
              {
                g_assert_cmpuint (strlen (lines[l]) - strlen (prefix), ==, 96);
                found++;
              }
          g_assert_cmpuint (found, ==, 1);
          n_expected++;
        }
      /* the only other line there may be: a TLS 1.3 early traffic secret (PSK offered) */
      for (guint l = 0; lines[l]; l++)
        if (g_str_has_prefix (lines[l], "CLIENT_EARLY_TRAFFIC_SECRET ") &&
            strstr (lines[l], random) == lines[l] + strlen ("CLIENT_EARLY_TRAFFIC_SECRET "))
          n_expected++;
    }
  g_assert_cmpuint (n_lines, ==, n_expected);
  if (hl_trace_get_outcome (trace)->client_ok)
    g_assert_cmpuint (n_lines, >=, hl_trace_get_n_handshakes (trace));
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* Markdown */

static guint
count_unescaped_pipes (const char *line)
{
  guint n = 0;

  for (const char *p = line; *p; p++)
    {
      if (*p == '\\' && p[1])
        p++;
      else if (*p == '|')
        n++;
    }
  return n;
}

/* Every table row has as many cells as its header. */
static void
check_tables (const char *md)
{
  g_auto(GStrv) lines = g_strsplit (md, "\n", -1);
  guint columns = 0;

  for (guint i = 0; lines[i]; i++)
    {
      if (lines[i][0] != '|')
        {
          columns = 0;
          continue;
        }
      if (columns == 0)
        columns = count_unescaped_pipes (lines[i]);
      else
        g_assert_cmpuint (count_unescaped_pipes (lines[i]), ==, columns);
    }
}

static void
test_markdown (gconstpointer data)
{
  const Case *c = data;
  HlTrace *trace = get_trace (c);
  GPtrArray *negs = hl_trace_get_negotiated (trace);
  g_autofree char *md = hl_trace_dup_markdown (trace);
  g_autofree char *steps = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *path = tmp_path (c->id, ".md");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  guint rows = 0;

  g_assert_true (g_utf8_validate (md, -1, NULL));
  g_assert_true (g_str_has_prefix (md, "# "));
  g_assert_nonnull (strstr (md, "\n## Steps\n"));
  g_assert_nonnull (strstr (md, "\n## Negotiated parameters\n"));
  g_assert_nonnull (strstr (md, "\n## Verification\n"));
  g_assert_nonnull (strstr (md, "\n## Outcome\n"));
  g_assert_nonnull (strstr (md, "\n## Secrets and keys\n"));
  check_tables (md);

  /* one numbered row per event in the steps section, each naming it */
  steps = g_strndup (strstr (md, "\n## Steps\n"),
                     (gsize) (strstr (md, "\n## Negotiated parameters\n") -
                              strstr (md, "\n## Steps\n")));
  lines = g_strsplit (steps, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *end;
      guint64 n;

      if (!g_str_has_prefix (lines[i], "| ") || !g_ascii_isdigit (lines[i][2]))
        continue;
      n = g_ascii_strtoull (lines[i] + 2, &end, 10);
      if (!g_str_has_prefix (end, " | "))
        continue;
      g_assert_cmpuint (n, ==, rows);
      g_assert_nonnull (strstr (lines[i], hl_event_get_name (hl_trace_get_event (trace, rows))));
      rows++;
    }
  g_assert_cmpuint (rows, ==, hl_trace_get_n_events (trace));

  for (guint h = 0; h < negs->len; h++)
    {
      const HlNegotiated *neg = g_ptr_array_index (negs, h);

      if (neg->cipher_suite)
        {
          g_autofree char *suite = g_strdup_printf ("`%s`", neg->cipher_suite);
          g_assert_nonnull (strstr (md, suite));
        }
    }
  if (hl_trace_get_outcome (trace)->client_ok)
    {
      g_assert_nonnull (strstr (md, "\n## Key schedule\n"));
      g_assert_nonnull (strstr (md, "| ✓ |"));
    }
  if (hl_trace_get_n_handshakes (trace) > 1)
    g_assert_nonnull (strstr (md, "\n### Connection 2\n"));

  g_assert_true (hl_trace_export_markdown (trace, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &written, NULL, &error));
  g_assert_cmpstr (written, ==, md);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* Hand-built traces and files */

static HlEvent *
add_record (HlTrace *trace, HlSide side, guint handshake, gint64 time, gsize len)
{
  HlEvent *event = hl_trace_append (trace, hl_event_new (HL_EVENT_RECORD, side,
                                                         side == HL_SIDE_CLIENT ? HL_SIDE_SERVER
                                                                                : HL_SIDE_CLIENT,
                                                         "TLS record"));
  guint8 *data = g_malloc (len);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 7 + len);
  bytes = g_bytes_new_take (data, len);
  hl_event_set_bytes (event, bytes);
  hl_event_set_timestamp (event, time);
  hl_event_set_handshake (event, handshake);
  hl_event_set_content_type (event, HL_CONTENT_HANDSHAKE);
  return event;
}

static void
test_checksum_known_answer (void)
{
  /* the IPv4 header of the classic example: its checksum b861 makes the sum 0xffff */
  static const guint8 header[] = {
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
  };

  g_assert_cmphex (ones_sum (0, header, sizeof header), ==, 0xffff);
}

/* Two connections with known sizes and times: exact packet count, sequence numbers, times. */
static void
test_pcapng_hand_built (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("hand", "Hand-built", "Two connections.");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Capture) cap = NULL;
  const gint64 created = G_GINT64_CONSTANT (1714564800123456);
  Segment *s;

  hl_trace_set_created (trace, created);
  hl_trace_set_n_handshakes (trace, 2);
  add_record (trace, HL_SIDE_CLIENT, 0, 5, 10);
  add_record (trace, HL_SIDE_SERVER, 0, 9, 7);
  add_record (trace, HL_SIDE_SERVER, 0, 12, 3);
  add_record (trace, HL_SIDE_CLIENT, 0, 20, 4);
  add_record (trace, HL_SIDE_CLIENT, 1, 30, 1);
  hl_trace_finish (trace);

  bytes = hl_trace_to_pcapng (trace, &error);
  g_assert_no_error (error);
  cap = parse_pcapng (bytes);
  g_assert_cmpuint (cap->n_dsb, ==, 0);   /* no secrets, no DSB */
  check_tcp (trace, cap);
  /* connection 1: 3 + 4 records + 3 flight ACKs + 3; connection 2: 3 + 1 + 1 + 3 */
  g_assert_cmpuint (cap->n_epb, ==, 13 + 8);

  s = g_ptr_array_index (cap->segments, 0);
  g_assert_cmpuint (s->time, ==, created + 5);
  g_assert_cmpuint (s->client_port, ==, HL_PCAPNG_CLIENT_PORT);
  s = g_ptr_array_index (cap->segments, 6);   /* the server's second record */
  g_assert_true (s->from_server);
  g_assert_cmpuint (g_bytes_get_size (s->payload), ==, 3);
  g_assert_cmpuint (s->time, ==, created + 12);
  s = g_ptr_array_index (cap->segments, 7);   /* the client acknowledges the flight */
  g_assert_false (s->from_server);
  g_assert_cmpuint (g_bytes_get_size (s->payload), ==, 0);
  g_assert_cmphex (s->flags, ==, ACK);
  s = g_ptr_array_index (cap->segments, 13);
  g_assert_cmphex (s->flags, ==, SYN);
  g_assert_cmpuint (s->client_port, ==, HL_PCAPNG_CLIENT_PORT + 1);
  g_assert_cmpuint (s->time, ==, created + 30);
}

static void
test_pcapng_empty (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("empty", "Empty", "Nothing on the wire.");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Capture) cap = NULL;

  hl_trace_finish (trace);
  bytes = hl_trace_to_pcapng (trace, &error);
  g_assert_no_error (error);
  cap = parse_pcapng (bytes);
  g_assert_cmpuint (cap->n_dsb, ==, 0);
  g_assert_cmpuint (cap->n_epb, ==, 0);
}

static void
test_pcapng_oversized (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("big", "Big", "A record no datagram holds.");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  add_record (trace, HL_SIDE_CLIENT, 0, 0, 100);
  add_record (trace, HL_SIDE_SERVER, 0, 1, 70000);
  hl_trace_finish (trace);
  bytes = hl_trace_to_pcapng (trace, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "Record event 1"));
  g_assert_nonnull (strstr (error->message, "70000"));
}

/* Text that means something in Markdown stays text; tables keep their columns. */
static void
test_markdown_escaping (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("esc|ape", "A *title* with | pipes",
                                           "Line one with <b>html</b>\nline [two](x).");
  g_autofree char *md = NULL;
  HlEvent *event;

  hl_trace_set_created (trace, G_GINT64_CONSTANT (1714564800123456));
  event = add_record (trace, HL_SIDE_CLIENT, 0, 0, 10);
  hl_event_set_caption (event, "a | b *c* <d> _e_ snake_case `f`\nsecond line");
  hl_event_set_technical (event, "x|y");
  hl_trace_finish (trace);

  md = hl_trace_dup_markdown (trace);
  check_tables (md);
  g_assert_true (g_str_has_prefix (md, "# A \\*title\\* with \\| pipes\n"));
  g_assert_nonnull (strstr (md, "2024-05-01 12:00:00 UTC"));
  g_assert_nonnull (strstr (md, "Line one with \\<b\\>html\\</b\\>\nline \\[two\\](x)."));
  g_assert_nonnull (strstr (md, "a \\| b \\*c\\* \\<d\\> \\_e\\_ snake_case \\`f\\`<br>second line"
                                "<br>*x\\|y · plaintext*"));
  g_assert_nonnull (strstr (md, "esc\\|ape"));
}

static void
test_files_unwritable (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("x", "X", "Y");
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-dir", "out", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  hl_trace_finish (trace);
  for (HlExportFormat f = HL_EXPORT_PCAPNG; f <= HL_EXPORT_MARKDOWN; f++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (hl_trace_export (trace, f, file, NULL, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
    }
}

/* A symbolic link is written through, not replaced; a secret file is 0600 either way; a
 * directory is an error that says so. */
static void
test_files_in_place (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("x", "X", "Y");
  g_autofree char *target = g_build_filename (tmp_dir, "in-place-target", NULL);
  g_autofree char *link = g_build_filename (tmp_dir, "in-place-link", NULL);
  g_autoptr(GFile) link_file = g_file_new_for_path (link);
  g_autoptr(GFile) dir_file = g_file_new_for_path (tmp_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  hl_trace_finish (trace);
  g_assert_true (g_file_set_contents (target, "old contents, longer than the new", -1, NULL));
  g_assert_cmpint (g_chmod (target, 0644), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);

  g_assert_true (hl_file_write_contents (link_file, "new", 3, G_FILE_CREATE_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "new");

  /* the key log through the link: written into the target, which becomes private */
  g_assert_true (hl_trace_export (trace, HL_EXPORT_KEYLOG, link_file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* a link to nothing: its target is made, private for the key log */
  g_unlink (target);
  g_assert_true (hl_trace_export (trace, HL_EXPORT_KEYLOG, link_file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_false (hl_trace_export (trace, HL_EXPORT_MARKDOWN, dir_file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (error->message, tmp_dir));
  g_unlink (link);
  g_unlink (target);
}

static void
test_files_formats (void)
{
  g_assert_cmpstr (hl_export_format_get_extension (HL_EXPORT_PCAPNG), ==, "pcapng");
  g_assert_cmpstr (hl_export_format_get_extension (HL_EXPORT_KEYLOG), ==, "keys");
  g_assert_cmpstr (hl_export_format_get_extension (HL_EXPORT_MARKDOWN), ==, "md");
  g_assert_true (hl_export_format_has_secrets (HL_EXPORT_PCAPNG));
  g_assert_true (hl_export_format_has_secrets (HL_EXPORT_KEYLOG));
  g_assert_false (hl_export_format_has_secrets (HL_EXPORT_MARKDOWN));
  g_assert_nonnull (hl_export_format_get_mime_type (HL_EXPORT_MARKDOWN));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} AsyncResult;

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncResult *r = user_data;

  r->ok = hl_trace_export_finish (result, &r->error);
  r->done = TRUE;
}

static void
test_files_async (void)
{
  const Case *c = g_ptr_array_index (cases, 0);
  HlTrace *trace = get_trace (c);
  g_autofree char *path = tmp_path ("async", ".pcapng");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) expected = hl_trace_to_pcapng (trace, NULL);
  g_autofree char *contents = NULL;
  AsyncResult r = { 0 };
  gsize len;
  struct stat st;

  hl_trace_export_async (trace, HL_EXPORT_PCAPNG, file, NULL, export_done_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* Main */

int
main (int argc, char *argv[])
{
  const HlScenario *all;
  guint n;
  int rc;

  g_test_init (&argc, &argv, NULL);

  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  traces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  tmp_dir = g_dir_make_tmp ("hl-test-export-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  all = hl_scenario_get_all (&n);
  for (guint i = 0; i < n; i++)
    add_case (all[i].id, &all[i].config);
  {
    HlConfig config = hl_scenario_lookup ("tls13")->config;

    config.failure = HL_FAILURE_UNTRUSTED_CA;
    add_case ("custom-tls13-untrusted-ca", &config);
    config = hl_scenario_lookup ("tls13-mtls")->config;
    config.failure = HL_FAILURE_MISSING_CLIENT_CERT;
    add_case ("custom-tls13-missing-client-cert", &config);
  }

  for (guint i = 0; i < cases->len; i++)
    {
      const Case *c = g_ptr_array_index (cases, i);
      g_autofree char *structure = g_strdup_printf ("/protocol/export/pcapng/%s", c->id);
      g_autofree char *tshark = g_strdup_printf ("/protocol/export/tshark/%s", c->id);
      g_autofree char *keylog = g_strdup_printf ("/protocol/export/keylog/%s", c->id);
      g_autofree char *markdown = g_strdup_printf ("/protocol/export/markdown/%s", c->id);

      g_test_add_data_func (structure, c, test_pcapng_structure);
      g_test_add_data_func (tshark, c, test_tshark);
      g_test_add_data_func (keylog, c, test_keylog);
      g_test_add_data_func (markdown, c, test_markdown);
    }
  g_test_add_func ("/protocol/export/pcapng-checksum-known-answer", test_checksum_known_answer);
  g_test_add_func ("/protocol/export/pcapng-hand-built", test_pcapng_hand_built);
  g_test_add_func ("/protocol/export/pcapng-empty", test_pcapng_empty);
  g_test_add_func ("/protocol/export/pcapng-oversized", test_pcapng_oversized);
  g_test_add_func ("/protocol/export/markdown-escaping", test_markdown_escaping);
  g_test_add_func ("/protocol/export/file-unwritable", test_files_unwritable);
  g_test_add_func ("/protocol/export/file-in-place", test_files_in_place);
  g_test_add_func ("/protocol/export/file-formats", test_files_formats);
  g_test_add_func ("/protocol/export/file-async", test_files_async);

  rc = g_test_run ();

  {
    g_autofree char *config_dir = g_build_filename (tmp_dir, "wireshark-config", NULL);

    g_rmdir (config_dir);
    g_assert_cmpint (g_rmdir (tmp_dir), ==, 0);
  }
  g_free (tmp_dir);
  g_hash_table_unref (traces);
  g_ptr_array_unref (cases);
  return rc;
}
