/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-layout"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-sequence-layout.h"

/* Order of this file: constants, the object, text helpers, classification of events (phases,
 * flights), horizontal layout, vertical layout, queries. Everything is in layout units: logical
 * pixels at zoom 1. The layout never draws; HlSequencePainter does. */

#define MARGIN            24.0
#define HEADER_PAD_X      20.0
#define HEADER_PAD_Y      10.0
#define HEADER_GAP        14.0   /* above and below the header cards */
#define HEADER_TEXT_GAP    2.0
#define LINK_PAD          12.0
#define BAND_PAD_Y         8.0
#define BAND_PAD_X        14.0
#define BAND_ICON         16.0
#define BAND_GAP_Y         6.0   /* between a band's strip and its first row */
#define SEPARATOR_PAD     16.0
#define ROW_PAD_TOP        9.0
#define ROW_PAD_BOTTOM     9.0
#define LABEL_GAP          5.0   /* label bottom → arrow line */
#define DETAIL_GAP         5.0   /* arrow line → detail top */
#define ACTION_PAD_Y       6.0
#define BOX_PAD_X         12.0
#define BOX_PAD_Y          8.0
#define ACTION_WRAP      HL_SEQUENCE_ACTION_WRAP
#define NOTE_WRAP        HL_SEQUENCE_NOTE_WRAP
#define PILL_PAD_X         7.0
#define PILL_PAD_Y         2.0
#define ITEM_GAP           8.0   /* pill → lock → text → badge */
#define LOCK_WIDTH        12.0
#define MIN_ARROW_GAP    380.0   /* client ↔ server */
#define MIN_ATTACKER_GAP 240.0   /* client ↔ attacker, attacker ↔ server */
#define ARROW_SIDE_PAD    28.0   /* label ↔ lifeline */
#define CA_CONNECTOR      56.0   /* room between a client box and the CA lifeline */
#define BOX_OVERHANG      10.0   /* how far a box reaches past its lifeline */
#define GUTTER_GAP        18.0
#define BRACKET_WIDTH      8.0

typedef struct
{
  double title_w, title_h;
  double sub_w, sub_h;
  double card_w, card_h;
} HeaderMetrics;

struct _HlSequenceLayout
{
  GObject                parent_instance;

  HlSequenceMeasureFunc  measure;
  gpointer               measure_data;
  GDestroyNotify         measure_destroy;

  HlTrace               *trace;
  gboolean               show_records;
  double                 width;

  /* results, valid while !dirty */
  gboolean               dirty;
  GArray                *steps;       /* HlSequenceItem, in trace order */
  GArray                *groups;      /* HlSequenceItem, by y */
  GArray                *structural;  /* HlSequenceItem */
  GHashTable            *event_steps; /* event index → step + 1 */
  double                 natural_width;
  double                 total_width;
  double                 total_height;
  double                 header_height;
  double                 max_group_height;
};

G_DEFINE_FINAL_TYPE (HlSequenceLayout, hl_sequence_layout, G_TYPE_OBJECT)

static void
clear_item (gpointer data)
{
  HlSequenceItem *item = data;

  g_free (item->number_text);
  g_free (item->text);
  g_free (item->detail);
}

static void
reset (HlSequenceLayout *self)
{
  g_array_set_size (self->steps, 0);
  g_array_set_size (self->groups, 0);
  g_array_set_size (self->structural, 0);
  g_hash_table_remove_all (self->event_steps);
  self->natural_width = self->total_width = self->total_height = self->header_height = 0;
  self->max_group_height = 0;
}

static void
hl_sequence_layout_finalize (GObject *object)
{
  HlSequenceLayout *self = HL_SEQUENCE_LAYOUT (object);

  g_clear_object (&self->trace);
  g_array_unref (self->steps);
  g_array_unref (self->groups);
  g_array_unref (self->structural);
  g_hash_table_unref (self->event_steps);
  if (self->measure_destroy)
    self->measure_destroy (self->measure_data);
  G_OBJECT_CLASS (hl_sequence_layout_parent_class)->finalize (object);
}

static void
hl_sequence_layout_class_init (HlSequenceLayoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_sequence_layout_finalize;
}

static void
hl_sequence_layout_init (HlSequenceLayout *self)
{
  self->steps = g_array_new (FALSE, TRUE, sizeof (HlSequenceItem));
  self->groups = g_array_new (FALSE, TRUE, sizeof (HlSequenceItem));
  self->structural = g_array_new (FALSE, TRUE, sizeof (HlSequenceItem));
  g_array_set_clear_func (self->steps, clear_item);
  g_array_set_clear_func (self->groups, clear_item);
  g_array_set_clear_func (self->structural, clear_item);
  self->event_steps = g_hash_table_new (NULL, NULL);
  self->dirty = TRUE;
}

/**
 * hl_sequence_layout_new:
 * @measure: measures text in layout units (see #HlSequenceMeasureFunc)
 *
 * Returns: (transfer full): a layout with no trace
 */
HlSequenceLayout *
hl_sequence_layout_new (HlSequenceMeasureFunc measure,
                        gpointer              user_data,
                        GDestroyNotify        destroy)
{
  HlSequenceLayout *self;

  g_return_val_if_fail (measure != NULL, NULL);

  self = g_object_new (HL_TYPE_SEQUENCE_LAYOUT, NULL);
  self->measure = measure;
  self->measure_data = user_data;
  self->measure_destroy = destroy;
  return self;
}

void
hl_sequence_layout_set_trace (HlSequenceLayout *self, HlTrace *trace)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  g_return_if_fail (trace == NULL || HL_IS_TRACE (trace));

  if (g_set_object (&self->trace, trace))
    self->dirty = TRUE;
}

HlTrace *
hl_sequence_layout_get_trace (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  return self->trace;
}

void
hl_sequence_layout_set_show_records (HlSequenceLayout *self, gboolean show_records)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));

  show_records = !!show_records;
  if (self->show_records != show_records)
    {
      self->show_records = show_records;
      self->dirty = TRUE;
    }
}

gboolean
hl_sequence_layout_get_show_records (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), FALSE);
  return self->show_records;
}

void
hl_sequence_layout_set_width (HlSequenceLayout *self, double width)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));

  if (self->width != width)
    {
      self->width = width;
      self->dirty = TRUE;
    }
}

void
hl_sequence_layout_invalidate (HlSequenceLayout *self)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  self->dirty = TRUE;
}

/* Text */

static void
measure (HlSequenceLayout *self,
         HlSequenceFont    font,
         const char       *text,
         double            wrap,
         double           *width,
         double           *height)
{
  *width = *height = 0;
  if (text && *text)
    self->measure (font, text, wrap, width, height, self->measure_data);
}

static char *
dup_bytes (gsize n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GSIZE_FORMAT " byte",
                                       "%" G_GSIZE_FORMAT " bytes", n), n);
}

/* Classification */

typedef struct
{
  gboolean tls13;
  int      first;          /* first step of the handshake */
  int      last;
  int      key_exchange;   /* first step of the key-exchange band, or -1 */
  int      symmetric;      /* first step of the symmetric band, or -1 */
} Handshake;

static gboolean
is_wire_kind (HlEventKind kind)
{
  return kind == HL_EVENT_MESSAGE || kind == HL_EVENT_ALERT || kind == HL_EVENT_APP_DATA ||
         kind == HL_EVENT_RECORD;
}

static gboolean
is_ccs (HlEvent *event)
{
  return hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
         hl_event_get_content_type (event) == HL_CONTENT_CHANGE_CIPHER_SPEC;
}

static int
handshake_type (HlEvent *event)
{
  if (hl_event_get_kind (event) != HL_EVENT_MESSAGE || is_ccs (event))
    return -1;
  return hl_event_get_handshake_type (event);
}

static gboolean
is_hello_retry (HlEvent *event)
{
  /* A HelloRetryRequest is a ServerHello on the wire (RFC 8446 §4.1.3). */
  return g_strcmp0 (hl_event_get_name (event), "HelloRetryRequest") == 0;
}

static void
widen_to_record (GPtrArray *events, int first, int *start)
{
  HlEvent *prev;

  if (*start <= first)
    return;
  prev = g_ptr_array_index (events, *start - 1);
  if (hl_event_get_kind (prev) == HL_EVENT_RECORD &&
      (int) hl_event_get_index (prev) == hl_event_get_record (g_ptr_array_index (events, *start)))
    *start -= 1;
}

/* Where the phases of one handshake begin (RFC 5246 §7.3, RFC 8446 §2): the symmetric band at
 * the first protected event — right after ChangeCipherSpec in TLS 1.2, right after ServerHello
 * in TLS 1.3; key exchange in TLS 1.2 at ServerKeyExchange / ClientKeyExchange or the first
 * local step after ServerHelloDone that is not a check, in TLS 1.3 after the last ClientHello
 * the server answers with a ServerHello. */
static void
classify_handshake (HlSequenceLayout *self, GPtrArray *events, Handshake *hs)
{
  int last_client_hello = -1;
  int server_hello_done = -1;

  hs->key_exchange = hs->symmetric = -1;
  hs->tls13 = FALSE;
  for (int s = hs->first; s <= hs->last; s++)
    if (hl_event_get_epoch (g_ptr_array_index (events, s)) == HL_EPOCH_HANDSHAKE)
      hs->tls13 = TRUE;

  for (int s = hs->first; s <= hs->last; s++)
    {
      HlEvent *event = g_ptr_array_index (events, s);
      HlEventKind kind = hl_event_get_kind (event);
      int type = handshake_type (event);

      if (hs->symmetric < 0 && is_wire_kind (kind) &&
          hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT)
        hs->symmetric = s;
      if (hs->symmetric >= 0)
        break;

      if (hs->tls13)
        {
          if (type == 1)
            last_client_hello = s;
          else if (type == 2 && !is_hello_retry (event) && hs->key_exchange < 0 &&
                   last_client_hello >= 0 && last_client_hello + 1 <= s)
            hs->key_exchange = last_client_hello + 1;
          continue;
        }
      if (hs->key_exchange >= 0)
        continue;
      if (type == 12 || type == 16)
        hs->key_exchange = s;
      else if (type == 14)
        server_hello_done = s;
      else if (server_hello_done >= 0 && kind == HL_EVENT_ACTION &&
               hl_event_get_check (event) == HL_CHECK_NONE)
        hs->key_exchange = s;
    }
  /* A run that starts encrypted (the attacker's connections take turns, each run picking up
   * where its connection left off) is symmetric from its first step. */
  if (hs->symmetric > hs->first)
    {
      gboolean clear_wire = FALSE;

      for (int s = hs->first; s < hs->symmetric && !clear_wire; s++)
        clear_wire = is_wire_kind (hl_event_get_kind (g_ptr_array_index (events, s)));
      for (int s = 0; s < hs->first && !clear_wire; s++)
        if (hl_event_get_handshake (g_ptr_array_index (events, s)) ==
            hl_event_get_handshake (g_ptr_array_index (events, hs->first)))
          {
            if (!clear_wire)
              hs->symmetric = hs->first;
            break;
          }
    }
  /* With records shown, a record step sits right before the message it carries: start the
   * band at the record. */
  widen_to_record (events, hs->first, &hs->key_exchange);
  widen_to_record (events, hs->first, &hs->symmetric);
  if (hs->key_exchange >= 0 && hs->symmetric >= 0 && hs->key_exchange >= hs->symmetric)
    hs->key_exchange = -1;
}

/* Items */

static HlSequenceItem *
append (GArray *array, HlSequenceItemKind kind)
{
  HlSequenceItem item = { 0, };

  item.kind = kind;
  item.step = item.last_step = -1;
  item.event = G_MAXUINT;
  item.side = item.peer = HL_SIDE_NONE;
  g_array_append_val (array, item);
  return &g_array_index (array, HlSequenceItem, array->len - 1);
}

/* The second line of a participant's card. In a live trace the remote side is named by what
 * we know of it (its address, the server name, the software it says it runs), ours as ours. */
static char *
dup_header_subtitle (HlSequenceLayout *self, HlSide side)
{
  const HlLive *live = self->trace ? hl_trace_get_live (self->trace) : NULL;
  const HlAttacker *attacker = self->trace ? hl_trace_get_attacker (self->trace) : NULL;

  if (live != NULL && side == live->local)
    return g_strdup (_("Handshake Lens · this app"));
  if (live != NULL && side == HL_SIDE_CA && live->local == HL_SIDE_CLIENT && live->trust)
    {
      /* what the client trusted: "system trust store", or the CA file by its name */
      const char *file = g_str_has_prefix (live->trust, "the CA file ")
                           ? live->trust + strlen ("the CA file ") : NULL;
      g_autofree char *base = file ? g_path_get_basename (file) : NULL;

      return base ? g_strdup_printf (_("CA file %s · never on the wire"), base)
                  : g_strdup_printf (_("%s · never on the wire"),
                                     g_str_has_prefix (live->trust, "the ") ? live->trust + 4
                                                                            : live->trust);
    }
  if (live != NULL && side == HL_SIDE_CA)
    return g_strdup (_("demo CA · never on the wire"));
  if (attacker != NULL && side == HL_SIDE_CA)
    /* the client's trust store: which authorities it accepts */
    return g_strdup (attacker->unchecked ? _("client checks no certificate")
                     : attacker->trusted ? _("client trusts: Demo CA, Intercepting Proxy CA")
                                         : _("client trusts: Demo CA only"));
  if (attacker != NULL && side == HL_SIDE_SERVER)
    return g_strdup (_("the real server.test"));
  if (live != NULL && (side == HL_SIDE_CLIENT || side == HL_SIDE_SERVER))
    {
      GString *text = g_string_new (side == HL_SIDE_SERVER ? _("real server") : _("real client"));

      if (live->address)
        g_string_append_printf (text, " · %s", live->address);
      if (side == HL_SIDE_SERVER && live->server_name && live->address &&
          !g_str_has_prefix (live->address, live->server_name))
        g_string_append_printf (text, " · %s", live->server_name);
      if (live->software)
        {
          g_autofree char *sw = g_utf8_substring (live->software, 0,
                                                  MIN (g_utf8_strlen (live->software, -1), 32));

          g_string_append_printf (text, " · %s", sw);
        }
      return g_string_free (text, FALSE);
    }
  switch (side)
    {
    case HL_SIDE_CLIENT: return g_strdup (_("starts the connection"));
    case HL_SIDE_SERVER: return g_strdup (_("holds the certificate’s key"));
    case HL_SIDE_CA: return g_strdup (_("trust anchor · never on the wire"));
    case HL_SIDE_ATTACKER: return g_strdup (_("in the middle · its own CA"));
    default: return g_strdup ("");
    }
}

static const char *
band_title (HlSequencePhase phase)
{
  switch (phase)
    {
    case HL_SEQUENCE_PHASE_NEGOTIATION: return _("Negotiation (in the clear)");
    case HL_SEQUENCE_PHASE_KEY_EXCHANGE: return _("Key exchange");
    case HL_SEQUENCE_PHASE_SYMMETRIC: return _("Symmetric cryptography mode");
    default: return "";
    }
}

static const char *
band_detail (HlSequencePhase phase, gboolean tls13)
{
  switch (phase)
    {
    case HL_SEQUENCE_PHASE_NEGOTIATION:
      return _("anyone on the path can read these messages");
    case HL_SEQUENCE_PHASE_KEY_EXCHANGE:
      return tls13 ? _("key shares combined into handshake keys")
                   : _("agreeing on a secret only the two ends will know");
    case HL_SEQUENCE_PHASE_SYMMETRIC:
      return tls13 ? _("everything from here on is encrypted")
                   : _("records encrypted and authenticated with the session keys");
    default: return "";
    }
}

static char *
dup_record_note (GPtrArray *all, HlEvent *event)
{
  int record = hl_event_get_record (event);
  guint sharing = 0;
  HlEvent *rec;

  if (record < 0 || (guint) record >= all->len)
    return NULL;
  rec = g_ptr_array_index (all, record);
  /* the messages a record carries follow it in the trace */
  for (guint i = record + 1; i < all->len; i++)
    {
      HlEvent *e = g_ptr_array_index (all, i);

      if (hl_event_get_kind (e) == HL_EVENT_RECORD)
        break;
      if (hl_event_get_record (e) == record)
        sharing++;
    }
  if (sharing > 1)
    return g_strdup_printf (_("one %" G_GSIZE_FORMAT "-byte record for %u messages"),
                            hl_event_get_length (rec), sharing);
  return g_strdup_printf (_("%" G_GSIZE_FORMAT "-byte record"), hl_event_get_length (rec));
}

static const char *
protection_text (HlEpoch epoch, gboolean tls13)
{
  if (epoch == HL_EPOCH_PLAINTEXT)
    return _("in the clear");
  if (epoch == HL_EPOCH_HANDSHAKE)
    return _("encrypted with the handshake keys");
  return tls13 ? _("encrypted with the application keys") : _("encrypted with the session keys");
}

/* Fills the texts and flags of the step for @event. */
static void
describe_step (HlSequenceItem *item, HlEvent *event, GPtrArray *all, gboolean tls13)
{
  HlEventKind kind = hl_event_get_kind (event);
  HlEpoch epoch = hl_event_get_epoch (event);
  g_autofree char *size = dup_bytes (hl_event_get_length (event));
  g_autofree char *record = dup_record_note (all, event);
  const char *name = hl_event_get_name (event);

  item->event = hl_event_get_index (event);
  item->side = hl_event_get_side (event);
  item->peer = hl_event_get_peer (event);
  item->handshake = hl_event_get_handshake (event);
  if (tls13)
    item->flags |= HL_SEQUENCE_FLAG_TLS13;
  if (hl_event_get_check (event) == HL_CHECK_OK)
    item->flags |= HL_SEQUENCE_FLAG_CHECK_OK;
  else if (hl_event_get_check (event) == HL_CHECK_FAILED)
    item->flags |= HL_SEQUENCE_FLAG_CHECK_FAILED;

  switch (kind)
    {
    case HL_EVENT_ACTION:
      item->kind = HL_SEQUENCE_ITEM_ACTION;
      item->text = g_strdup (name);
      item->text_emphasis = strlen (item->text);
      item->text_font = HL_SEQUENCE_FONT_ACTION;
      if (item->peer == HL_SIDE_CA)
        item->flags |= HL_SEQUENCE_FLAG_CONSULTS_CA;
      return;

    case HL_EVENT_NOTE:
      item->kind = HL_SEQUENCE_ITEM_NOTE;
      item->text = g_strdup (name && *name ? name : hl_event_get_caption (event));
      item->text_emphasis = strlen (item->text);
      item->text_font = HL_SEQUENCE_FONT_ACTION;
      return;

    default:
      break;
    }

  item->kind = HL_SEQUENCE_ITEM_ARROW;
  item->text_font = HL_SEQUENCE_FONT_LABEL;
  if (epoch != HL_EPOCH_PLAINTEXT)
    item->flags |= HL_SEQUENCE_FLAG_PROTECTED;
  if (epoch == HL_EPOCH_HANDSHAKE)
    item->flags |= HL_SEQUENCE_FLAG_HANDSHAKE_KEYS;

  if (kind == HL_EVENT_RECORD)
    {
      const char *type = hl_content_type_name (hl_event_get_content_type (event));

      item->flags |= HL_SEQUENCE_FLAG_RECORD;
      item->text = g_strdup_printf ("%s · %s", _("TLS record"), size);
      item->text_emphasis = strlen (_("TLS record"));
      item->detail = g_strdup_printf ("%s · %s", type ? type : _("unknown type"),
                                      protection_text (epoch, tls13));
      return;
    }
  if (kind == HL_EVENT_ALERT)
    {
      gboolean fatal = hl_event_get_alert_level (event) == 2;

      item->flags |= HL_SEQUENCE_FLAG_ALERT | (fatal ? HL_SEQUENCE_FLAG_FATAL : 0);
      item->text = g_strdup_printf (_("Alert: %s"), name);
      item->text_emphasis = strlen (item->text);
      item->detail = g_strdup_printf ("%s · %s%s%s", fatal ? _("fatal") : _("warning"),
                                      protection_text (epoch, tls13), record ? " · " : "",
                                      record ? record : "");
      return;
    }

  item->text = g_strdup_printf ("%s · %s", name, size);
  item->text_emphasis = strlen (name);
  if (kind == HL_EVENT_APP_DATA)
    item->flags |= HL_SEQUENCE_FLAG_APP_DATA;
  if (is_ccs (event))
    {
      item->flags |= HL_SEQUENCE_FLAG_CCS;
      if (tls13)
        {
          item->flags |= HL_SEQUENCE_FLAG_COMPAT;
          item->detail = g_strdup (_("compatibility only · changes nothing"));
        }
      else
        item->detail = g_strdup (_("in the clear · from now on this side encrypts"));
      return;
    }
  item->detail = g_strdup_printf ("%s%s%s", protection_text (epoch, tls13), record ? " · " : "",
                                  record ? record : "");
  if (hl_event_get_moment (event) == HL_MOMENT_UNREAD)
    {
      /* sent with its flight, but the receiver stopped before it (a failure scenario) */
      char *detail = g_strdup_printf (_("sent, never read · %s"), item->detail);

      g_free (item->detail);
      item->detail = detail;
    }
}

/* Measured sizes of one step, before placement. */
typedef struct
{
  double pill_w, pill_h;
  double text_w, text_h;
  double detail_w, detail_h;
  double content_w;   /* pill + lock + text (+ badge) */
  double badge;
} StepMetrics;

static void
measure_step (HlSequenceLayout *self, HlSequenceItem *item, StepMetrics *m)
{
  double nw, nh;

  measure (self, HL_SEQUENCE_FONT_NUMBER, item->number_text, -1, &nw, &nh);
  m->pill_h = nh + 2 * PILL_PAD_Y;
  m->pill_w = MAX (nw + 2 * PILL_PAD_X, m->pill_h);
  measure (self, item->text_font, item->text,
           item->kind == HL_SEQUENCE_ITEM_ACTION ? ACTION_WRAP
           : item->kind == HL_SEQUENCE_ITEM_NOTE ? NOTE_WRAP : -1, &m->text_w, &m->text_h);
  measure (self, HL_SEQUENCE_FONT_DETAIL, item->detail, -1, &m->detail_w, &m->detail_h);
  m->badge = 0;
  if (item->flags & (HL_SEQUENCE_FLAG_CHECK_OK | HL_SEQUENCE_FLAG_CHECK_FAILED))
    {
      double bw, bh;

      measure (self, item->text_font, "✓", -1, &bw, &bh);
      m->badge = bh;
    }
  m->content_w = m->pill_w + ITEM_GAP + m->text_w;
  if (item->flags & HL_SEQUENCE_FLAG_PROTECTED)
    m->content_w += LOCK_WIDTH + ITEM_GAP;
  if (m->badge > 0)
    m->content_w += ITEM_GAP + m->badge;
}

/* Layout */

/* The lifelines, left to right: the CA, the client, the attacker (attack traces only), the
 * server. Columns are indexed by HlSide. */
#define N_COLUMNS (HL_SIDE_ATTACKER + 1)

typedef struct
{
  double x[N_COLUMNS];        /* lifeline x by HlSide (client, server, CA, attacker) */
  HeaderMetrics header[N_COLUMNS];
  gboolean attacker;          /* a fourth lifeline between client and server */
  double gutter_x;    /* left edge of the flight brackets */
  double width;
  double natural;
} Columns;

static gboolean
has_lifeline (const Columns *c, HlSide side)
{
  return side <= HL_SIDE_CA || (side == HL_SIDE_ATTACKER && c->attacker);
}

static double
lifeline_x (const Columns *c, HlSide side)
{
  return has_lifeline (c, side) ? c->x[side] : c->x[HL_SIDE_CLIENT];
}

/* The sides with a lifeline, in a fixed order: the three of every trace, then the attacker. */
static const HlSide lifeline_sides[] = { HL_SIDE_CLIENT, HL_SIDE_SERVER, HL_SIDE_CA,
                                         HL_SIDE_ATTACKER };

static void
compute_columns (HlSequenceLayout *self,
                 StepMetrics      *metrics,
                 double            gutter_w,
                 Columns          *c)
{
  /* with an attacker two spans share the width: each may be narrower */
  gboolean attacker = self->trace != NULL && hl_trace_get_attacker (self->trace) != NULL;
  double box_max = 0, ca_half = 0, note_min = 0;
  double arrow_min = attacker ? MIN_ATTACKER_GAP : MIN_ARROW_GAP;
  double ca_to_client, client_to_server, left, right, extra, server_right;
  /* attack traces: the two spans (client ⇄ attacker, attacker ⇄ server), sized apart, since
   * a row holds one box or one arrow: the client's boxes hang into the first, the server's into
   * the second, the attacker's stand centred across both */
  double span[2] = { MIN_ATTACKER_GAP, MIN_ATTACKER_GAP };

  c->attacker = attacker;
  for (guint i = 0; i < G_N_ELEMENTS (lifeline_sides); i++)
    {
      HlSide side = lifeline_sides[i];
      HeaderMetrics *h = &c->header[side];

      if (!has_lifeline (c, side))
        continue;
      g_autofree char *subtitle = dup_header_subtitle (self, side);

      measure (self, HL_SEQUENCE_FONT_TITLE, hl_side_to_label (side), -1, &h->title_w,
               &h->title_h);
      measure (self, HL_SEQUENCE_FONT_SUBTITLE, subtitle, -1, &h->sub_w, &h->sub_h);
      /* the attacker's title carries a threat mark as wide as the title is high */
      h->card_w = MAX (h->title_w + (side == HL_SIDE_ATTACKER ? h->title_h + 6 : 0), h->sub_w) +
                  2 * HEADER_PAD_X;
      h->card_h = h->title_h + HEADER_TEXT_GAP + h->sub_h + 2 * HEADER_PAD_Y;
    }

  for (guint i = 0; i < self->steps->len; i++)
    {
      HlSequenceItem *item = &g_array_index (self->steps, HlSequenceItem, i);
      StepMetrics *m = &metrics[i];

      if (item->kind == HL_SEQUENCE_ITEM_ACTION)
        {
          double w = m->content_w + 2 * BOX_PAD_X;

          if (item->side == HL_SIDE_CA)
            ca_half = MAX (ca_half, w / 2);
          else
            box_max = MAX (box_max, w);
          if (item->side == HL_SIDE_CLIENT)
            span[0] = MAX (span[0], w + 2 * BOX_OVERHANG);
          else if (item->side == HL_SIDE_SERVER)
            span[1] = MAX (span[1], w + 2 * BOX_OVERHANG);
          else if (item->side == HL_SIDE_ATTACKER)
            for (guint k = 0; k < 2; k++)
              span[k] = MAX (span[k], w / 2 + 2 * BOX_OVERHANG);
        }
      else if (item->kind == HL_SEQUENCE_ITEM_NOTE)
        note_min = MAX (note_min, m->content_w + 2 * BOX_PAD_X + 2 * ARROW_SIDE_PAD);
      else
        {
          double w = MAX (m->content_w, m->detail_w) + 2 * ARROW_SIDE_PAD;

          arrow_min = MAX (arrow_min, w);
          span[item->side == HL_SIDE_SERVER || item->peer == HL_SIDE_SERVER] =
            MAX (span[item->side == HL_SIDE_SERVER || item->peer == HL_SIDE_SERVER], w);
        }
    }

  /* Client and server boxes hang from their lifeline into the space between the two, which
   * is free on their rows; the CA stands at the left, by the client that consults it. */
  ca_half = MAX (ca_half, c->header[HL_SIDE_CA].card_w / 2);
  ca_to_client = MAX (ca_half + c->header[HL_SIDE_CLIENT].card_w / 2 + HEADER_GAP,
                      BOX_OVERHANG + CA_CONNECTOR);
  client_to_server = MAX (arrow_min, note_min);
  client_to_server = MAX (client_to_server, box_max + 2 * BOX_OVERHANG);
  if (c->attacker)
    {
      span[0] = MAX (span[0], c->header[HL_SIDE_CLIENT].card_w / 2 +
                              c->header[HL_SIDE_ATTACKER].card_w / 2 + HEADER_GAP);
      span[1] = MAX (span[1], c->header[HL_SIDE_SERVER].card_w / 2 +
                              c->header[HL_SIDE_ATTACKER].card_w / 2 + HEADER_GAP);
      /* a note stands centred between client and server, over both spans */
      if (span[0] + span[1] < note_min)
        {
          double add = (note_min - span[0] - span[1]) / 2;

          span[0] += add;
          span[1] += add;
        }
      client_to_server = span[0] + span[1];
    }
  else
    client_to_server = MAX (client_to_server, c->header[HL_SIDE_CLIENT].card_w / 2 +
                                              c->header[HL_SIDE_SERVER].card_w / 2 +
                                              HEADER_GAP);
  left = MARGIN + ca_half;
  server_right = MAX (c->header[HL_SIDE_SERVER].card_w / 2, BOX_OVERHANG);
  right = MAX (server_right, BOX_OVERHANG + GUTTER_GAP + gutter_w) + MARGIN;
  c->natural = left + ca_to_client + client_to_server + right;

  /* Extra width goes to the arrows first (up to twice their minimum), then to the margins, so
   * the diagram stays centred. */
  extra = MAX (0, self->width - c->natural);
  {
    double grow = MIN (extra, client_to_server);

    /* in proportion, so both spans keep their share */
    double share = span[0] / MAX (span[0] + span[1], 1);

    span[0] += grow * share;
    span[1] += grow * (1 - share);
    client_to_server += grow;
    ca_to_client += MIN (extra - grow, ca_to_client * 0.25);
    extra -= grow + MIN (extra - grow, ca_to_client * 0.25);
  }
  c->x[HL_SIDE_CA] = left + extra / 2;
  c->x[HL_SIDE_CLIENT] = c->x[HL_SIDE_CA] + ca_to_client;
  if (c->attacker)
    {
      c->x[HL_SIDE_ATTACKER] = c->x[HL_SIDE_CLIENT] + span[0];
      c->x[HL_SIDE_SERVER] = c->x[HL_SIDE_CLIENT] + client_to_server;
    }
  else
    c->x[HL_SIDE_SERVER] = c->x[HL_SIDE_CLIENT] + client_to_server;
  c->gutter_x = c->x[HL_SIDE_SERVER] + BOX_OVERHANG + GUTTER_GAP;
  c->width = MAX (self->width, c->natural);
}

static void
place_step (HlSequenceItem    *item,
            const StepMetrics *m,
            const Columns     *c,
            double             y)
{
  double cx, x;

  item->bounds.x = 0;
  item->bounds.y = y;
  item->bounds.width = c->width;

  if (item->kind == HL_SEQUENCE_ITEM_ARROW)
    {
      HlSide from = item->side, to = item->peer;
      double line_h = MAX (m->text_h, m->pill_h);

      if (from == to || !has_lifeline (c, from) || !has_lifeline (c, to))
        {
          from = item->side == HL_SIDE_SERVER ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
          to = from == HL_SIDE_SERVER ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
        }
      item->x1 = lifeline_x (c, from);
      item->x2 = lifeline_x (c, to);
      cx = (item->x1 + item->x2) / 2;
      x = cx - m->content_w / 2;
      item->number = (HlSequenceRect) { x, y + ROW_PAD_TOP + (line_h - m->pill_h) / 2,
                                        m->pill_w, m->pill_h };
      x += m->pill_w + ITEM_GAP;
      if (item->flags & HL_SEQUENCE_FLAG_PROTECTED)
        x += LOCK_WIDTH + ITEM_GAP;
      item->text_rect = (HlSequenceRect) { x, y + ROW_PAD_TOP + (line_h - m->text_h) / 2,
                                           m->text_w, m->text_h };
      item->y = y + ROW_PAD_TOP + line_h + LABEL_GAP;
      item->detail_rect = (HlSequenceRect) { cx - m->detail_w / 2, item->y + DETAIL_GAP,
                                             m->detail_w, m->detail_h };
      item->bounds.height = item->y - y + (m->detail_h > 0 ? DETAIL_GAP + m->detail_h : 4) +
                            ROW_PAD_BOTTOM;
      return;
    }

  /* action and note boxes */
  {
    double inner_h = MAX (m->text_h, MAX (m->pill_h, m->badge));
    double box_w = m->content_w + 2 * BOX_PAD_X;
    double box_h = inner_h + 2 * BOX_PAD_Y;
    double bx;

    if (item->kind == HL_SEQUENCE_ITEM_NOTE)
      cx = (c->x[HL_SIDE_CLIENT] + c->x[HL_SIDE_SERVER]) / 2;
    else
      cx = lifeline_x (c, item->side);
    if (item->kind == HL_SEQUENCE_ITEM_ACTION && item->side == HL_SIDE_ATTACKER)
      bx = cx - box_w / 2;
    else if (item->kind == HL_SEQUENCE_ITEM_ACTION && item->side == HL_SIDE_CLIENT)
      bx = cx - BOX_OVERHANG;
    else if (item->kind == HL_SEQUENCE_ITEM_ACTION && item->side == HL_SIDE_SERVER)
      bx = cx + BOX_OVERHANG - box_w;
    else
      bx = cx - box_w / 2;
    item->box = (HlSequenceRect) { bx, y + ACTION_PAD_Y, box_w, box_h };
    x = item->box.x + BOX_PAD_X;
    item->number = (HlSequenceRect) { x, item->box.y + BOX_PAD_Y + (inner_h - m->pill_h) / 2,
                                      m->pill_w, m->pill_h };
    x += m->pill_w + ITEM_GAP;
    item->text_rect = (HlSequenceRect) { x, item->box.y + BOX_PAD_Y + (inner_h - m->text_h) / 2,
                                         m->text_w, m->text_h };
    if (m->badge > 0)
      item->detail_rect = (HlSequenceRect) { item->box.x + box_w - BOX_PAD_X - m->badge,
                                             item->box.y + BOX_PAD_Y + (inner_h - m->badge) / 2,
                                             m->badge, m->badge };
    item->y = item->box.y + box_h / 2;
    item->x1 = cx;
    item->x2 = item->flags & HL_SEQUENCE_FLAG_CONSULTS_CA ? c->x[HL_SIDE_CA] : cx;
    item->bounds.height = box_h + 2 * ACTION_PAD_Y;
  }
}

static void
add_group (HlSequenceLayout *self,
           const Columns    *c,
           int               first,
           int               last,
           guint             flight,
           GPtrArray        *all,
           double            gutter)
{
  const HlSequenceItem *a = &g_array_index (self->steps, HlSequenceItem, first);
  const HlSequenceItem *b = &g_array_index (self->steps, HlSequenceItem, last);
  g_autoptr(GHashTable) records = g_hash_table_new (NULL, NULL);
  HlSequenceItem *group;
  guint n_messages = 0;
  gsize bytes = 0;
  double top = a->bounds.y + 6, bottom = b->bounds.y + b->bounds.height - 6;
  double w, h;

  for (int s = first; s <= last; s++)
    {
      const HlSequenceItem *item = &g_array_index (self->steps, HlSequenceItem, s);
      HlEvent *event;
      int record;

      if (item->kind != HL_SEQUENCE_ITEM_ARROW)
        continue;
      event = g_ptr_array_index (all, item->event);
      record = hl_event_get_kind (event) == HL_EVENT_RECORD ? (int) item->event
                                                              : hl_event_get_record (event);
      if (hl_event_get_kind (event) != HL_EVENT_RECORD)
        n_messages++;
      if (record >= 0 && (guint) record < all->len &&
          g_hash_table_add (records, GINT_TO_POINTER (record + 1)))
        bytes += hl_event_get_length (g_ptr_array_index (all, record));
    }

  group = append (self->groups, HL_SEQUENCE_ITEM_GROUP);
  group->step = first;
  group->last_step = last;
  group->side = a->side;
  group->handshake = a->handshake;
  group->bounds = (HlSequenceRect) { c->gutter_x, top, gutter, bottom - top };
  group->box = (HlSequenceRect) { c->gutter_x, top, BRACKET_WIDTH, bottom - top };
  group->text = g_strdup_printf (_("Flight %u"), flight);
  group->text_emphasis = strlen (group->text);
  group->text_font = HL_SEQUENCE_FONT_DETAIL;
  if (bytes > 0)
    {
      g_autofree char *size = dup_bytes (bytes);

      group->detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message\n%s",
                                                    "%u messages\n%s", n_messages),
                                       n_messages, size);
    }
  else
    group->detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message",
                                                  "%u messages", n_messages), n_messages);
  measure (self, HL_SEQUENCE_FONT_DETAIL, group->text, -1, &w, &h);
  group->text_rect = (HlSequenceRect) { c->gutter_x + BRACKET_WIDTH + 8, top, w, h };
  measure (self, HL_SEQUENCE_FONT_DETAIL, group->detail, -1, &w, &h);
  group->detail_rect = (HlSequenceRect) { group->text_rect.x, top + group->text_rect.height,
                                          w, h };
  /* a short flight gets its name only */
  if (group->text_rect.height + h > bottom - top)
    {
      g_clear_pointer (&group->detail, g_free);
      group->detail_rect = (HlSequenceRect) { group->text_rect.x, top, 0, 0 };
    }
}

static void
add_record_group (HlSequenceLayout *self, const Columns *c, int first, int last)
{
  const HlSequenceItem *a = &g_array_index (self->steps, HlSequenceItem, first);
  const HlSequenceItem *b = &g_array_index (self->steps, HlSequenceItem, last);
  HlSequenceItem *group = append (self->groups, HL_SEQUENCE_ITEM_GROUP);
  /* between the two lifelines the arrows join (with an attacker, not always client and
   * server) */
  double left = MIN (a->x1, a->x2) + 10;
  double right = MAX (a->x1, a->x2) - 10;

  group->flags = HL_SEQUENCE_FLAG_RECORD;
  group->step = first;
  group->last_step = last;
  group->side = a->side;
  group->handshake = a->handshake;
  group->box = (HlSequenceRect) { left, a->bounds.y + 3, right - left,
                                  b->bounds.y + b->bounds.height - a->bounds.y - 6 };
  group->bounds = group->box;
}

/* Flights (RFC 8446 §2, RFC 5246 §7.3): the handshake messages one side sends before the other
 * answers. Local steps in between do not end it: its own, and the receiver's, which stand
 * where the receiver processed each message (causal order, hl-event.h); anything else does. */
static void
add_groups (HlSequenceLayout *self, const Columns *c, GPtrArray *events, GPtrArray *all,
            const Handshake *hs, guint n_hs, double gutter)
{
  for (guint h = 0; h < n_hs; h++)
    {
      int start = -1, last_wire = -1;
      guint n_messages = 0, flight = 0;
      HlSide side = HL_SIDE_NONE;

      for (int s = hs[h].first; s <= hs[h].last + 1; s++)
        {
          HlEvent *event = s <= hs[h].last ? g_ptr_array_index (events, s) : NULL;
          HlEventKind kind = event ? hl_event_get_kind (event) : HL_EVENT_NOTE;

          if (event && (kind == HL_EVENT_MESSAGE || kind == HL_EVENT_RECORD))
            {
              if (start < 0 || hl_event_get_side (event) != side)
                {
                  if (start >= 0 && ++flight && n_messages >= 2)
                    add_group (self, c, start, last_wire, flight, all, gutter);
                  start = s;
                  side = hl_event_get_side (event);
                  n_messages = 0;
                }
              last_wire = s;
              if (kind == HL_EVENT_MESSAGE)
                n_messages++;
            }
          else if (!(event && kind == HL_EVENT_ACTION))
            {
              if (start >= 0 && ++flight && n_messages >= 2)
                add_group (self, c, start, last_wire, flight, all, gutter);
              start = -1;
              side = HL_SIDE_NONE;
            }
        }
    }

  /* Messages that travelled in one record share a frame. */
  for (guint s = 0; s + 1 < self->steps->len; s++)
    {
      HlEvent *a = g_ptr_array_index (events, s);
      guint e = s;

      if (hl_event_get_kind (a) != HL_EVENT_MESSAGE || hl_event_get_record (a) < 0)
        continue;
      while (e + 1 < self->steps->len &&
             hl_event_get_kind (g_ptr_array_index (events, e + 1)) == HL_EVENT_MESSAGE &&
             hl_event_get_record (g_ptr_array_index (events, e + 1)) == hl_event_get_record (a))
        e++;
      if (e > s)
        add_record_group (self, c, s, e);
      s = e;
    }
}

static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const HlSequenceItem *x = a, *y = b;

  return x->bounds.y < y->bounds.y ? -1 : x->bounds.y > y->bounds.y;
}

static double
gutter_width (HlSequenceLayout *self)
{
  double w, h, w2, h2;
  g_autofree char *tag = g_strdup_printf (_("Flight %u"), 88);
  g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message\n%s",
                                                          "%u messages\n%s", 88),
                                             88, "8888 bytes");

  measure (self, HL_SEQUENCE_FONT_DETAIL, tag, -1, &w, &h);
  measure (self, HL_SEQUENCE_FONT_DETAIL, detail, -1, &w2, &h2);
  return BRACKET_WIDTH + 8 + MAX (w, w2);
}

static void
add_band (HlSequenceLayout *self, const Columns *c, HlSequencePhase phase, guint handshake,
          gboolean tls13, int first, double *y)
{
  HlSequenceItem *band = append (self->structural, HL_SEQUENCE_ITEM_BAND);
  double tw, th, dw, dh, strip_h;

  band->phase = phase;
  band->handshake = handshake;
  band->step = first;
  /* with an attacker in the middle the two connections take turns: each band says whose */
  if (c->attacker)
    band->text = g_strdup_printf ("%s · %s", band_title (phase),
                                  handshake == 0 ? _("client ⇄ attacker")
                                                 : _("attacker ⇄ server"));
  else
    band->text = g_strdup (band_title (phase));
  band->text_emphasis = strlen (band->text);
  band->text_font = HL_SEQUENCE_FONT_BAND;
  band->detail = g_strdup (band_detail (phase, tls13));
  if (tls13)
    band->flags |= HL_SEQUENCE_FLAG_TLS13;
  measure (self, HL_SEQUENCE_FONT_BAND, band->text, -1, &tw, &th);
  measure (self, HL_SEQUENCE_FONT_DETAIL, band->detail, -1, &dw, &dh);
  strip_h = MAX (th, dh) + 2 * BAND_PAD_Y;
  band->box = (HlSequenceRect) { 0, *y, c->width, strip_h };
  band->number = (HlSequenceRect) { MARGIN + BAND_PAD_X, *y + (strip_h - BAND_ICON) / 2,
                                    BAND_ICON, BAND_ICON };
  band->text_rect = (HlSequenceRect) { MARGIN + BAND_PAD_X + BAND_ICON + ITEM_GAP,
                                       *y + (strip_h - th) / 2, tw, th };
  band->detail_rect = (HlSequenceRect) { band->text_rect.x + tw + 2 * BAND_PAD_X,
                                         *y + (strip_h - dh) / 2 + (th - dh) / 2, dw, dh };
  /* the detail is baseline-ish aligned with the title; drop it when it does not fit */
  if (band->detail_rect.x + dw > c->width - MARGIN)
    {
      g_clear_pointer (&band->detail, g_free);
      band->detail_rect.width = band->detail_rect.height = 0;
    }
  band->bounds = (HlSequenceRect) { 0, *y, c->width, strip_h };
  *y += strip_h + BAND_GAP_Y;
}

static void
close_band (HlSequenceLayout *self, guint band_index, int last, double bottom)
{
  HlSequenceItem *band;

  if (band_index == G_MAXUINT)
    return;
  band = &g_array_index (self->structural, HlSequenceItem, band_index);
  band->last_step = last;
  band->bounds.height = bottom - band->bounds.y;
}

static void
layout (HlSequenceLayout *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  g_autofree StepMetrics *metrics = NULL;
  g_autofree Handshake *hs = NULL;
  Columns c = { 0, };
  guint n_hs = 0;
  double y, header_h = 0, gutter;

  reset (self);
  self->dirty = FALSE;
  if (self->trace == NULL)
    return;

  for (guint i = 0; i < hl_trace_get_n_events (self->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (self->trace, i);

      g_ptr_array_add (all, event);
      if (hl_event_get_kind (event) != HL_EVENT_RECORD || self->show_records)
        g_ptr_array_add (events, event);
    }

  /* handshakes: contiguous runs of the same handshake index */
  hs = g_new0 (Handshake, events->len + 1);
  for (guint s = 0; s < events->len; s++)
    {
      guint h = hl_event_get_handshake (g_ptr_array_index (events, s));

      if (n_hs == 0 || h != hl_event_get_handshake (g_ptr_array_index (events, hs[n_hs - 1].first)))
        {
          hs[n_hs].first = s;
          n_hs++;
        }
      hs[n_hs - 1].last = s;
    }
  for (guint h = 0; h < n_hs; h++)
    classify_handshake (self, events, &hs[h]);

  /* describe and measure every step */
  metrics = g_new0 (StepMetrics, events->len);
  g_array_set_size (self->steps, events->len);
  for (guint s = 0, h = 0; s < events->len; s++)
    {
      HlSequenceItem *item = &g_array_index (self->steps, HlSequenceItem, s);

      while (h + 1 < n_hs && (int) s > hs[h].last)
        h++;
      item->step = item->last_step = (int) s;
      item->number_text = g_strdup_printf ("%u", s + 1);
      describe_step (item, g_ptr_array_index (events, s), all, hs[h].tls13);
      measure_step (self, item, &metrics[s]);
      g_hash_table_insert (self->event_steps, GUINT_TO_POINTER (item->event),
                           GUINT_TO_POINTER (s + 1));
    }

  /* the attacker's steps; where it reads or changes what it relays, the interception */
  {
    gboolean data_seen = FALSE;

    for (guint s = 0; s < events->len; s++)
      {
        HlSequenceItem *item = &g_array_index (self->steps, HlSequenceItem, s);
        HlEvent *event = g_ptr_array_index (events, s);

        if (item->side == HL_SIDE_ATTACKER || item->peer == HL_SIDE_ATTACKER)
          item->flags |= HL_SEQUENCE_FLAG_THREAT;
        if (hl_event_get_kind (event) == HL_EVENT_APP_DATA)
          data_seen = TRUE;
        if ((item->kind == HL_SEQUENCE_ITEM_ACTION && item->side == HL_SIDE_ATTACKER &&
             data_seen) || hl_event_get_forwarded (event) >= 0)
          item->flags |= HL_SEQUENCE_FLAG_INTERCEPT;
      }
  }

  gutter = gutter_width (self);
  compute_columns (self, metrics, gutter, &c);
  self->natural_width = c.natural;
  self->total_width = c.width;

  /* headers */
  for (guint i = 0; i < G_N_ELEMENTS (lifeline_sides); i++)
    header_h = MAX (header_h, c.header[lifeline_sides[i]].card_h);
  self->header_height = header_h + 2 * HEADER_GAP;
  for (guint i = 0; i < G_N_ELEMENTS (lifeline_sides); i++)
    {
      HlSide side = lifeline_sides[i];
      HlSequenceItem *item;
      const HeaderMetrics *m = &c.header[side];
      double top = HEADER_GAP + (header_h - m->card_h) / 2;

      if (!has_lifeline (&c, side))
        continue;
      item = append (self->structural, HL_SEQUENCE_ITEM_HEADER);
      if (side == HL_SIDE_ATTACKER)
        item->flags |= HL_SEQUENCE_FLAG_THREAT;

      item->side = side;
      item->box = (HlSequenceRect) { c.x[side] - m->card_w / 2, top, m->card_w, m->card_h };
      item->bounds = item->box;
      item->text = g_strdup (hl_side_to_label (side));
      item->text_emphasis = strlen (item->text);
      item->text_font = HL_SEQUENCE_FONT_TITLE;
      item->text_rect = (HlSequenceRect) { c.x[side] - m->title_w / 2, top + HEADER_PAD_Y,
                                           m->title_w, m->title_h };
      if (side == HL_SIDE_ATTACKER)
        item->text_rect.x += (m->title_h + 6) / 2;
      item->detail = dup_header_subtitle (self, side);
      item->detail_rect = (HlSequenceRect) { c.x[side] - m->sub_w / 2,
                                             top + HEADER_PAD_Y + m->title_h + HEADER_TEXT_GAP,
                                             m->sub_w, m->sub_h };
      item->x1 = item->x2 = c.x[side];
    }
  y = self->header_height;

  /* the CA link: set up before any connection */
  {
    HlSequenceItem *link = append (self->structural, HL_SEQUENCE_ITEM_CA_LINK);
    double w, h;

    link->side = HL_SIDE_CA;
    link->peer = HL_SIDE_SERVER;
    link->text = g_strdup (_("signed the server’s certificate at setup — before any connection"));
    link->text_emphasis = strlen (link->text);
    link->text_font = HL_SEQUENCE_FONT_DETAIL;
    measure (self, HL_SEQUENCE_FONT_DETAIL, link->text, -1, &w, &h);
    link->x1 = c.x[HL_SIDE_CA];
    link->x2 = c.x[HL_SIDE_SERVER];
    link->text_rect = (HlSequenceRect) { (c.x[HL_SIDE_CLIENT] + c.x[HL_SIDE_SERVER]) / 2 - w / 2,
                                         y + LINK_PAD, w, h };
    link->y = y + LINK_PAD + h + LABEL_GAP;
    link->bounds = (HlSequenceRect) { 0, y, c.width, link->y - y + LINK_PAD };
    y = link->bounds.y + link->bounds.height;
  }

  for (guint h = 0; h < n_hs; h++)
    {
      guint band_index = G_MAXUINT;
      int band_last = -1;
      double band_bottom = y;

      if (h > 0 && !c.attacker)
        {
          HlSequenceItem *sep = append (self->structural, HL_SEQUENCE_ITEM_SEPARATOR);
          guint index = hl_event_get_handshake (g_ptr_array_index (events, hs[h].first));
          double tw, th, dw, dh;

          sep->handshake = index;
          sep->step = hs[h].first;
          sep->text = g_strdup_printf (_("Connection %u"), index + 1);
          sep->text_emphasis = strlen (sep->text);
          sep->text_font = HL_SEQUENCE_FONT_BAND;
          sep->detail = g_strdup (_("a new connection that resumes the session of the first"));
          measure (self, HL_SEQUENCE_FONT_BAND, sep->text, -1, &tw, &th);
          measure (self, HL_SEQUENCE_FONT_DETAIL, sep->detail, -1, &dw, &dh);
          y += SEPARATOR_PAD;
          sep->box = (HlSequenceRect) { 0, y, c.width, th + dh + 2 * SEPARATOR_PAD };
          sep->bounds = sep->box;
          sep->text_rect = (HlSequenceRect) { c.width / 2 - tw / 2, y + SEPARATOR_PAD, tw, th };
          sep->detail_rect = (HlSequenceRect) { c.width / 2 - dw / 2, y + SEPARATOR_PAD + th,
                                                dw, dh };
          y += sep->box.height + SEPARATOR_PAD;
        }

      for (int s = hs[h].first; s <= hs[h].last; s++)
        {
          HlSequenceItem *item = &g_array_index (self->steps, HlSequenceItem, s);
          HlSequencePhase phase = HL_SEQUENCE_PHASE_NEGOTIATION;
          gboolean starts = s == hs[h].first;

          if (s == hs[h].key_exchange || s == hs[h].symmetric)
            starts = TRUE;
          if (hs[h].symmetric >= 0 && s >= hs[h].symmetric)
            phase = HL_SEQUENCE_PHASE_SYMMETRIC;
          else if (hs[h].key_exchange >= 0 && s >= hs[h].key_exchange)
            phase = HL_SEQUENCE_PHASE_KEY_EXCHANGE;
          if (starts)
            {
              close_band (self, band_index, band_last, band_bottom);
              band_index = self->structural->len;
              add_band (self, &c, phase, hl_event_get_handshake (g_ptr_array_index (events, s)),
                        hs[h].tls13, s, &y);
            }
          place_step (item, &metrics[s], &c, y);
          y += item->bounds.height;
          band_last = s;
          band_bottom = y + BAND_GAP_Y;
        }
      y += BAND_GAP_Y;
      close_band (self, band_index, band_last, band_bottom);
    }

  y += MARGIN;
  self->total_height = y;

  /* lifelines: from under the headers to the end */
  for (guint i = 0; i < G_N_ELEMENTS (lifeline_sides); i++)
    {
      HlSide side = lifeline_sides[i];
      HlSequenceItem *line;
      double top = HEADER_GAP + header_h;

      if (!has_lifeline (&c, side))
        continue;
      line = append (self->structural, HL_SEQUENCE_ITEM_LIFELINE);
      if (side == HL_SIDE_ATTACKER)
        line->flags |= HL_SEQUENCE_FLAG_THREAT;

      line->side = side;
      line->x1 = line->x2 = c.x[side];
      line->bounds = (HlSequenceRect) { c.x[side] - 1, top, 2, y - MARGIN / 2 - top };
    }

  add_groups (self, &c, events, all, hs, n_hs, gutter);
  g_array_sort (self->groups, compare_groups);
  for (guint i = 0; i < self->groups->len; i++)
    self->max_group_height = MAX (self->max_group_height,
                                  g_array_index (self->groups, HlSequenceItem, i).bounds.height);
}

static void
ensure (HlSequenceLayout *self)
{
  if (self->dirty)
    layout (self);
}

/* Queries */

double
hl_sequence_layout_get_natural_width (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->natural_width;
}

void
hl_sequence_layout_get_size (HlSequenceLayout *self, double *width, double *height)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  ensure (self);
  if (width)
    *width = self->total_width;
  if (height)
    *height = self->total_height;
}

double
hl_sequence_layout_get_header_height (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->header_height;
}

guint
hl_sequence_layout_get_n_steps (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->steps->len;
}

const HlSequenceItem *
hl_sequence_layout_get_step (HlSequenceLayout *self, guint step)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  ensure (self);
  g_return_val_if_fail (step < self->steps->len, NULL);
  return &g_array_index (self->steps, HlSequenceItem, step);
}

int
hl_sequence_layout_find_step (HlSequenceLayout *self, guint event_index)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), -1);
  ensure (self);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->event_steps,
                                               GUINT_TO_POINTER (event_index))) - 1;
}

/* First item of @array (sorted by bounds.y, not overlapping) whose bottom is below @y. */
static guint
bisect (GArray *array, double y)
{
  guint lo = 0, hi = array->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const HlSequenceItem *item = &g_array_index (array, HlSequenceItem, mid);

      if (item->bounds.y + item->bounds.height <= y)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
find_range (GArray *array, double y0, double y1, guint *first, guint *end)
{
  guint a = bisect (array, y0), b = a;

  while (b < array->len && g_array_index (array, HlSequenceItem, b).bounds.y < y1)
    b++;
  *first = a;
  *end = b;
}

void
hl_sequence_layout_find_steps (HlSequenceLayout *self,
                               double            y0,
                               double            y1,
                               guint            *first,
                               guint            *end)
{
  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  g_return_if_fail (first != NULL && end != NULL);
  ensure (self);
  find_range (self->steps, y0, y1, first, end);
}

guint
hl_sequence_layout_get_n_groups (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->groups->len;
}

const HlSequenceItem *
hl_sequence_layout_get_group (HlSequenceLayout *self, guint index)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  ensure (self);
  g_return_val_if_fail (index < self->groups->len, NULL);
  return &g_array_index (self->groups, HlSequenceItem, index);
}

void
hl_sequence_layout_find_groups (HlSequenceLayout *self,
                                double            y0,
                                double            y1,
                                guint            *first,
                                guint            *end)
{
  guint lo = 0, hi;

  g_return_if_fail (HL_IS_SEQUENCE_LAYOUT (self));
  g_return_if_fail (first != NULL && end != NULL);
  ensure (self);

  /* Groups are sorted by their top; a record frame may sit inside a flight's bracket, so
   * start from the first group that could still reach y0. */
  hi = self->groups->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->groups, HlSequenceItem, mid).bounds.y < y0 - self->max_group_height)
        lo = mid + 1;
      else
        hi = mid;
    }
  while (lo < self->groups->len)
    {
      const HlSequenceItem *g = &g_array_index (self->groups, HlSequenceItem, lo);

      if (g->bounds.y + g->bounds.height > y0 || g->bounds.y >= y1)
        break;
      lo++;
    }
  hi = lo;
  while (hi < self->groups->len && g_array_index (self->groups, HlSequenceItem, hi).bounds.y < y1)
    hi++;
  *first = lo;
  *end = hi;
}

guint
hl_sequence_layout_get_n_structural (HlSequenceLayout *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), 0);
  ensure (self);
  return self->structural->len;
}

const HlSequenceItem *
hl_sequence_layout_get_structural (HlSequenceLayout *self, guint index)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  ensure (self);
  g_return_val_if_fail (index < self->structural->len, NULL);
  return &g_array_index (self->structural, HlSequenceItem, index);
}

static gboolean
contains (const HlSequenceRect *r, double x, double y)
{
  return x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height;
}

const HlSequenceItem *
hl_sequence_layout_lookup (HlSequenceLayout *self, double x, double y)
{
  guint first, end;

  g_return_val_if_fail (HL_IS_SEQUENCE_LAYOUT (self), NULL);
  ensure (self);

  if (x < 0 || x >= self->total_width || y < 0 || y >= self->total_height)
    return NULL;
  find_range (self->steps, y, y + 0.001, &first, &end);
  if (first < end)
    {
      const HlSequenceItem *step = &g_array_index (self->steps, HlSequenceItem, first);

      if (contains (&step->bounds, x, y))
        return step;
    }
  hl_sequence_layout_find_groups (self, y, y + 0.001, &first, &end);
  for (guint i = first; i < end; i++)
    {
      const HlSequenceItem *g = &g_array_index (self->groups, HlSequenceItem, i);

      if (!(g->flags & HL_SEQUENCE_FLAG_RECORD) && contains (&g->bounds, x, y))
        return g;
    }
  for (guint i = 0; i < self->structural->len; i++)
    {
      const HlSequenceItem *item = &g_array_index (self->structural, HlSequenceItem, i);

      if ((item->kind == HL_SEQUENCE_ITEM_HEADER || item->kind == HL_SEQUENCE_ITEM_BAND ||
           item->kind == HL_SEQUENCE_ITEM_SEPARATOR) && contains (&item->bounds, x, y))
        return item;
    }
  return NULL;
}
