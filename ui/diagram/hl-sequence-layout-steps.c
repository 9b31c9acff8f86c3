/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-layout"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-sequence-layout.h"
#include "hl-sequence-layout-private.h"

/* What each event of the trace becomes in the diagram: its kind, phase and flight
 * (classification), its text and detail, and its measured size. */

/* Text */

void
hl_layout_measure (HlSequenceLayout *self,
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

char *
hl_layout_dup_bytes (gsize n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu byte", "%zu bytes", n), n);
}

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
void
hl_layout_classify_handshake (HlSequenceLayout *self, GPtrArray *events, Handshake *hs)
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

HlSequenceItem *
hl_layout_append (GArray *array, HlSequenceItemKind kind)
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
char *
hl_layout_dup_header_subtitle (HlSequenceLayout *self, HlSide side)
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
  /* an attacker without a CA of its own only relays bytes (mitm-downgrade) */
  if (attacker != NULL && side == HL_SIDE_ATTACKER && attacker->ca_certificate == NULL)
    return g_strdup (_("in the middle · relays bytes, no keys"));
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

const char *
hl_layout_band_title (HlSequencePhase phase)
{
  switch (phase)
    {
    case HL_SEQUENCE_PHASE_NEGOTIATION: return _("Negotiation (in the clear)");
    case HL_SEQUENCE_PHASE_KEY_EXCHANGE: return _("Key exchange");
    case HL_SEQUENCE_PHASE_SYMMETRIC: return _("Symmetric cryptography mode");
    default: return "";
    }
}

const char *
hl_layout_band_detail (HlSequencePhase phase, gboolean tls13)
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
    return g_strdup_printf (_("one %zu-byte record for %u messages"),
                            hl_event_get_length (rec), sharing);
  return g_strdup_printf (_("%zu-byte record"), hl_event_get_length (rec));
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
/* An arrow: a record, an alert, a handshake message, ChangeCipherSpec or application data. */
static void
describe_arrow (HlSequenceItem *item, HlEvent *event, const char *size, const char *record,
                gboolean tls13)
{
  HlEventKind kind = hl_event_get_kind (event);
  HlEpoch epoch = hl_event_get_epoch (event);
  const char *name = hl_event_get_name (event);

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

void
hl_layout_describe_step (HlSequenceItem *item, HlEvent *event, GPtrArray *all, gboolean tls13)
{
  HlEventKind kind = hl_event_get_kind (event);
  g_autofree char *size = hl_layout_dup_bytes (hl_event_get_length (event));
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

  describe_arrow (item, event, size, record, tls13);
}

void
hl_layout_measure_step (HlSequenceLayout *self, HlSequenceItem *item, StepMetrics *m)
{
  double nw, nh;

  hl_layout_measure (self, HL_SEQUENCE_FONT_NUMBER, item->number_text, -1, &nw, &nh);
  m->pill_h = nh + 2 * PILL_PAD_Y;
  m->pill_w = MAX (nw + 2 * PILL_PAD_X, m->pill_h);
  hl_layout_measure (self, item->text_font, item->text,
                     item->kind == HL_SEQUENCE_ITEM_ACTION ? ACTION_WRAP
                     : item->kind == HL_SEQUENCE_ITEM_NOTE ? NOTE_WRAP : -1,
                     &m->text_w, &m->text_h);
  hl_layout_measure (self, HL_SEQUENCE_FONT_DETAIL, item->detail, -1, &m->detail_w, &m->detail_h);
  m->badge = 0;
  if (item->flags & (HL_SEQUENCE_FLAG_CHECK_OK | HL_SEQUENCE_FLAG_CHECK_FAILED))
    {
      double bw, bh;

      hl_layout_measure (self, item->text_font, "✓", -1, &bw, &bh);
      m->badge = bh;
    }
  m->content_w = m->pill_w + ITEM_GAP + m->text_w;
  if (item->flags & HL_SEQUENCE_FLAG_PROTECTED)
    m->content_w += LOCK_WIDTH + ITEM_GAP;
  if (m->badge > 0)
    m->content_w += ITEM_GAP + m->badge;
}
