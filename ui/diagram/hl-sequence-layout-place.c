/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-sequence-layout"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-sequence-layout.h"
#include "hl-sequence-layout-private.h"
#include "hl-side-text.h"

/* Placing the items: where the lifelines stand (horizontal layout, from the widest box, arrow
 * label and header card each span must hold), then each step in its row and the groups
 * (flights, phases, records) and bands around them (vertical layout). */

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

/* The widths the steps need: the widest box (the CA's apart), note and arrow, and with an
 * attacker each of its two spans. */
typedef struct
{
  double box_max, ca_half, note_min, arrow_min;
  /* attack traces: the two spans (client ⇄ attacker, attacker ⇄ server), sized apart, since
   * a row holds one box or one arrow: the client's boxes hang into the first, the server's into
   * the second, the attacker's stand centred across both */
  double span[2];
} Needs;

/* The header cards' sizes. */
static void
measure_headers (HlSequenceLayout *self, Columns *c)
{
  for (guint i = 0; i < G_N_ELEMENTS (lifeline_sides); i++)
    {
      HlSide side = lifeline_sides[i];
      HeaderMetrics *h = &c->header[side];

      if (!has_lifeline (c, side))
        continue;
      g_autofree char *subtitle = hl_layout_dup_header_subtitle (self, side);

      hl_layout_measure (self, HL_SEQUENCE_FONT_TITLE, hl_side_text_label (side), -1, &h->title_w,
                         &h->title_h);
      hl_layout_measure (self, HL_SEQUENCE_FONT_SUBTITLE, subtitle, -1, &h->sub_w, &h->sub_h);
      /* the attacker's title carries a threat mark as wide as the title is high */
      h->card_w = MAX (h->title_w + (side == HL_SIDE_ATTACKER ? h->title_h + 6 : 0), h->sub_w) +
                  2 * HEADER_PAD_X;
      h->card_h = h->title_h + HEADER_TEXT_GAP + h->sub_h + 2 * HEADER_PAD_Y;
    }
}

static void
measure_needs (HlSequenceLayout *self, StepMetrics *metrics, gboolean attacker, Needs *need)
{
  *need = (Needs) { 0, 0, 0, attacker ? MIN_ATTACKER_GAP : MIN_ARROW_GAP,
                    { MIN_ATTACKER_GAP, MIN_ATTACKER_GAP } };
  for (guint i = 0; i < self->steps->len; i++)
    {
      HlSequenceItem *item = &g_array_index (self->steps, HlSequenceItem, i);
      StepMetrics *m = &metrics[i];

      if (item->kind == HL_SEQUENCE_ITEM_ACTION)
        {
          double w = m->content_w + 2 * BOX_PAD_X;

          if (item->side == HL_SIDE_CA)
            need->ca_half = MAX (need->ca_half, w / 2);
          else
            need->box_max = MAX (need->box_max, w);
          if (item->side == HL_SIDE_CLIENT)
            need->span[0] = MAX (need->span[0], w + 2 * BOX_OVERHANG);
          else if (item->side == HL_SIDE_SERVER)
            need->span[1] = MAX (need->span[1], w + 2 * BOX_OVERHANG);
          else if (item->side == HL_SIDE_ATTACKER)
            for (guint k = 0; k < 2; k++)
              need->span[k] = MAX (need->span[k], w / 2 + 2 * BOX_OVERHANG);
        }
      else if (item->kind == HL_SEQUENCE_ITEM_NOTE)
        need->note_min = MAX (need->note_min, m->content_w + 2 * BOX_PAD_X + 2 * ARROW_SIDE_PAD);
      else
        {
          double w = MAX (m->content_w, m->detail_w) + 2 * ARROW_SIDE_PAD;

          need->arrow_min = MAX (need->arrow_min, w);
          need->span[item->side == HL_SIDE_SERVER || item->peer == HL_SIDE_SERVER] =
            MAX (need->span[item->side == HL_SIDE_SERVER || item->peer == HL_SIDE_SERVER], w);
        }
    }
}

static void
compute_columns (HlSequenceLayout *self,
                 StepMetrics      *metrics,
                 double            gutter_w,
                 Columns          *c)
{
  /* with an attacker two spans share the width: each may be narrower */
  gboolean attacker = self->trace != NULL && hl_trace_get_attacker (self->trace) != NULL;
  double ca_to_client, client_to_server, left, right, extra, server_right;
  Needs need;

  c->attacker = attacker;
  measure_headers (self, c);
  measure_needs (self, metrics, attacker, &need);

  /* Client and server boxes hang from their lifeline into the space between the two, which
   * is free on their rows; the CA stands at the left, by the client that consults it. */
  need.ca_half = MAX (need.ca_half, c->header[HL_SIDE_CA].card_w / 2);
  ca_to_client = MAX (need.ca_half + c->header[HL_SIDE_CLIENT].card_w / 2 + HEADER_GAP,
                      BOX_OVERHANG + CA_CONNECTOR);
  client_to_server = MAX (need.arrow_min, need.note_min);
  client_to_server = MAX (client_to_server, need.box_max + 2 * BOX_OVERHANG);
  if (c->attacker)
    {
      need.span[0] = MAX (need.span[0], c->header[HL_SIDE_CLIENT].card_w / 2 +
                                   c->header[HL_SIDE_ATTACKER].card_w / 2 + HEADER_GAP);
      need.span[1] = MAX (need.span[1], c->header[HL_SIDE_SERVER].card_w / 2 +
                                   c->header[HL_SIDE_ATTACKER].card_w / 2 + HEADER_GAP);
      /* a note stands centred between client and server, over both spans */
      if (need.span[0] + need.span[1] < need.note_min)
        {
          double add = (need.note_min - need.span[0] - need.span[1]) / 2;

          need.span[0] += add;
          need.span[1] += add;
        }
      client_to_server = need.span[0] + need.span[1];
    }
  else
    client_to_server = MAX (client_to_server, c->header[HL_SIDE_CLIENT].card_w / 2 +
                                              c->header[HL_SIDE_SERVER].card_w / 2 +
                                              HEADER_GAP);
  left = MARGIN + need.ca_half;
  server_right = MAX (c->header[HL_SIDE_SERVER].card_w / 2, BOX_OVERHANG);
  right = MAX (server_right, BOX_OVERHANG + GUTTER_GAP + gutter_w) + MARGIN;
  c->natural = left + ca_to_client + client_to_server + right;

  /* Extra width goes to the arrows first (up to twice their minimum), then to the margins, so
   * the diagram stays centred. */
  extra = MAX (0, self->width - c->natural);
  {
    double grow = MIN (extra, client_to_server);

    /* in proportion, so both spans keep their share */
    double share = need.span[0] / MAX (need.span[0] + need.span[1], 1);

    need.span[0] += grow * share;
    need.span[1] += grow * (1 - share);
    client_to_server += grow;
    ca_to_client += MIN (extra - grow, ca_to_client * 0.25);
    extra -= grow + MIN (extra - grow, ca_to_client * 0.25);
  }
  c->x[HL_SIDE_CA] = left + extra / 2;
  c->x[HL_SIDE_CLIENT] = c->x[HL_SIDE_CA] + ca_to_client;
  if (c->attacker)
    {
      c->x[HL_SIDE_ATTACKER] = c->x[HL_SIDE_CLIENT] + need.span[0];
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

  group = hl_layout_append (self->groups, HL_SEQUENCE_ITEM_GROUP);
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
      g_autofree char *size = hl_layout_dup_bytes (bytes);

      group->detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message\n%s",
                                                    "%u messages\n%s", n_messages),
                                       n_messages, size);
    }
  else
    group->detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message",
                                                  "%u messages", n_messages), n_messages);
  hl_layout_measure (self, HL_SEQUENCE_FONT_DETAIL, group->text, -1, &w, &h);
  group->text_rect = (HlSequenceRect) { c->gutter_x + BRACKET_WIDTH + 8, top, w, h };
  hl_layout_measure (self, HL_SEQUENCE_FONT_DETAIL, group->detail, -1, &w, &h);
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
  HlSequenceItem *group = hl_layout_append (self->groups, HL_SEQUENCE_ITEM_GROUP);
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

  hl_layout_measure (self, HL_SEQUENCE_FONT_DETAIL, tag, -1, &w, &h);
  hl_layout_measure (self, HL_SEQUENCE_FONT_DETAIL, detail, -1, &w2, &h2);
  return BRACKET_WIDTH + 8 + MAX (w, w2);
}

static void
add_band (HlSequenceLayout *self, const Columns *c, HlSequencePhase phase, guint handshake,
          gboolean tls13, int first, double *y)
{
  HlSequenceItem *band = hl_layout_append (self->structural, HL_SEQUENCE_ITEM_BAND);
  double tw, th, dw, dh, strip_h;

  band->phase = phase;
  band->handshake = handshake;
  band->step = first;
  /* with an attacker in the middle the two connections take turns: each band says whose */
  if (c->attacker)
    band->text = g_strdup_printf ("%s · %s", hl_layout_band_title (phase),
                                  handshake == 0 ? _("client ⇄ attacker")
                                                 : _("attacker ⇄ server"));
  else
    band->text = g_strdup (hl_layout_band_title (phase));
  band->text_emphasis = strlen (band->text);
  band->text_font = HL_SEQUENCE_FONT_BAND;
  band->detail = g_strdup (hl_layout_band_detail (phase, tls13));
  if (tls13)
    band->flags |= HL_SEQUENCE_FLAG_TLS13;
  hl_layout_measure (self, HL_SEQUENCE_FONT_BAND, band->text, -1, &tw, &th);
  hl_layout_measure (self, HL_SEQUENCE_FONT_DETAIL, band->detail, -1, &dw, &dh);
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

/* The handshakes of @events: contiguous runs of the same handshake index. */
static Handshake *
find_handshakes (GPtrArray *events, guint *n_found)
{
  Handshake *hs;
  guint n_hs = 0;

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
  *n_found = n_hs;
  return hs;
}

/* Describes and measures every step. */
static void
describe_steps (HlSequenceLayout *self,
                GPtrArray        *events,
                GPtrArray        *all,
                const Handshake  *hs,
                guint             n_hs,
                StepMetrics      *metrics)
{
  g_array_set_size (self->steps, events->len);
  for (guint s = 0, h = 0; s < events->len; s++)
    {
      HlSequenceItem *item = &g_array_index (self->steps, HlSequenceItem, s);

      while (h + 1 < n_hs && (int) s > hs[h].last)
        h++;
      item->step = item->last_step = (int) s;
      item->number_text = g_strdup_printf ("%u", s + 1);
      hl_layout_describe_step (item, g_ptr_array_index (events, s), all, hs[h].tls13);
      hl_layout_measure_step (self, item, &metrics[s]);
      g_hash_table_insert (self->event_steps, GUINT_TO_POINTER (item->event),
                           GUINT_TO_POINTER (s + 1));
    }
}

/* The attacker's steps; where it reads or changes what it relays, the interception. */
static void
mark_attacker_steps (HlSequenceLayout *self, GPtrArray *events)
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

/* The header cards; returns the height of the tallest. */
static double
add_headers (HlSequenceLayout *self, const Columns *c)
{
  double header_h = 0;

  for (guint i = 0; i < G_N_ELEMENTS (lifeline_sides); i++)
    header_h = MAX (header_h, c->header[lifeline_sides[i]].card_h);
  self->header_height = header_h + 2 * HEADER_GAP;
  for (guint i = 0; i < G_N_ELEMENTS (lifeline_sides); i++)
    {
      HlSide side = lifeline_sides[i];
      HlSequenceItem *item;
      const HeaderMetrics *m = &c->header[side];
      double top = HEADER_GAP + (header_h - m->card_h) / 2;

      if (!has_lifeline (c, side))
        continue;
      item = hl_layout_append (self->structural, HL_SEQUENCE_ITEM_HEADER);
      if (side == HL_SIDE_ATTACKER)
        item->flags |= HL_SEQUENCE_FLAG_THREAT;

      item->side = side;
      item->box = (HlSequenceRect) { c->x[side] - m->card_w / 2, top, m->card_w, m->card_h };
      item->bounds = item->box;
      item->text = g_strdup (hl_side_text_label (side));
      item->text_emphasis = strlen (item->text);
      item->text_font = HL_SEQUENCE_FONT_TITLE;
      item->text_rect = (HlSequenceRect) { c->x[side] - m->title_w / 2, top + HEADER_PAD_Y,
                                           m->title_w, m->title_h };
      if (side == HL_SIDE_ATTACKER)
        item->text_rect.x += (m->title_h + 6) / 2;
      item->detail = hl_layout_dup_header_subtitle (self, side);
      item->detail_rect = (HlSequenceRect) { c->x[side] - m->sub_w / 2,
                                             top + HEADER_PAD_Y + m->title_h + HEADER_TEXT_GAP,
                                             m->sub_w, m->sub_h };
      item->x1 = item->x2 = c->x[side];
    }
  return header_h;
}

/* The CA link at @y (set up before any connection); returns the y below it. */
static double
add_ca_link (HlSequenceLayout *self, const Columns *c, double y)
{
  HlSequenceItem *link = hl_layout_append (self->structural, HL_SEQUENCE_ITEM_CA_LINK);
  double w, h;

  link->side = HL_SIDE_CA;
  link->peer = HL_SIDE_SERVER;
  link->text = g_strdup (_("signed the server’s certificate at setup — before any connection"));
  link->text_emphasis = strlen (link->text);
  link->text_font = HL_SEQUENCE_FONT_DETAIL;
  hl_layout_measure (self, HL_SEQUENCE_FONT_DETAIL, link->text, -1, &w, &h);
  link->x1 = c->x[HL_SIDE_CA];
  link->x2 = c->x[HL_SIDE_SERVER];
  link->text_rect = (HlSequenceRect) { (c->x[HL_SIDE_CLIENT] + c->x[HL_SIDE_SERVER]) / 2 - w / 2,
                                       y + LINK_PAD, w, h };
  link->y = y + LINK_PAD + h + LABEL_GAP;
  link->bounds = (HlSequenceRect) { 0, y, c->width, link->y - y + LINK_PAD };
  y = link->bounds.y + link->bounds.height;
  return y;
}

/* The separator before a handshake after the first (a resumed connection); returns the y
 * below it. */
static double
add_separator (HlSequenceLayout *self, const Columns *c, GPtrArray *events,
             const Handshake *one, double y)
{
  HlSequenceItem *sep = hl_layout_append (self->structural, HL_SEQUENCE_ITEM_SEPARATOR);
  guint index = hl_event_get_handshake (g_ptr_array_index (events, one->first));
  double tw, th, dw, dh;

  sep->handshake = index;
  sep->step = one->first;
  sep->text = g_strdup_printf (_("Connection %u"), index + 1);
  sep->text_emphasis = strlen (sep->text);
  sep->text_font = HL_SEQUENCE_FONT_BAND;
  sep->detail = g_strdup (_("a new connection that resumes the session of the first"));
  hl_layout_measure (self, HL_SEQUENCE_FONT_BAND, sep->text, -1, &tw, &th);
  hl_layout_measure (self, HL_SEQUENCE_FONT_DETAIL, sep->detail, -1, &dw, &dh);
  y += SEPARATOR_PAD;
  sep->box = (HlSequenceRect) { 0, y, c->width, th + dh + 2 * SEPARATOR_PAD };
  sep->bounds = sep->box;
  sep->text_rect = (HlSequenceRect) { c->width / 2 - tw / 2, y + SEPARATOR_PAD, tw, th };
  sep->detail_rect = (HlSequenceRect) { c->width / 2 - dw / 2, y + SEPARATOR_PAD + th,
                                        dw, dh };
  y += sep->box.height + SEPARATOR_PAD;
  return y;
}

/* The steps of one handshake in their bands, from @y; returns the y below them. */
static double
place_handshake (HlSequenceLayout *self,
                 const Columns    *c,
                 GPtrArray        *events,
                 const Handshake  *one,
                 StepMetrics      *metrics,
                 double            y)
{
  guint band_index = G_MAXUINT;
  int band_last = -1;
  double band_bottom = y;

  for (int s = one->first; s <= one->last; s++)
    {
      HlSequenceItem *item = &g_array_index (self->steps, HlSequenceItem, s);
      HlSequencePhase phase = HL_SEQUENCE_PHASE_NEGOTIATION;
      gboolean starts = s == one->first;

      if (s == one->key_exchange || s == one->symmetric)
        starts = TRUE;
      if (one->symmetric >= 0 && s >= one->symmetric)
        phase = HL_SEQUENCE_PHASE_SYMMETRIC;
      else if (one->key_exchange >= 0 && s >= one->key_exchange)
        phase = HL_SEQUENCE_PHASE_KEY_EXCHANGE;
      if (starts)
        {
          close_band (self, band_index, band_last, band_bottom);
          band_index = self->structural->len;
          add_band (self, c, phase, hl_event_get_handshake (g_ptr_array_index (events, s)),
                    one->tls13, s, &y);
        }
      place_step (item, &metrics[s], c, y);
      y += item->bounds.height;
      band_last = s;
      band_bottom = y + BAND_GAP_Y;
    }
  y += BAND_GAP_Y;
  close_band (self, band_index, band_last, band_bottom);
  return y;
}

/* The lifelines: from under the headers (@header_h high) to @y. */
static void
add_lifelines (HlSequenceLayout *self, const Columns *c, double header_h, double y)
{
  for (guint i = 0; i < G_N_ELEMENTS (lifeline_sides); i++)
    {
      HlSide side = lifeline_sides[i];
      HlSequenceItem *line;
      double top = HEADER_GAP + header_h;

      if (!has_lifeline (c, side))
        continue;
      line = hl_layout_append (self->structural, HL_SEQUENCE_ITEM_LIFELINE);
      if (side == HL_SIDE_ATTACKER)
        line->flags |= HL_SEQUENCE_FLAG_THREAT;

      line->side = side;
      line->x1 = line->x2 = c->x[side];
      line->bounds = (HlSequenceRect) { c->x[side] - 1, top, 2, y - MARGIN / 2 - top };
    }
}
void
hl_layout_run (HlSequenceLayout *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  g_autofree StepMetrics *metrics = NULL;
  g_autofree Handshake *hs = NULL;
  Columns c = { 0, };
  guint n_hs = 0;
  double y, header_h, gutter;

  hl_layout_reset (self);
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

  hs = find_handshakes (events, &n_hs);
  for (guint h = 0; h < n_hs; h++)
    hl_layout_classify_handshake (self, events, &hs[h]);
  metrics = g_new0 (StepMetrics, events->len);
  describe_steps (self, events, all, hs, n_hs, metrics);
  mark_attacker_steps (self, events);

  gutter = gutter_width (self);
  compute_columns (self, metrics, gutter, &c);
  self->natural_width = c.natural;
  self->total_width = c.width;

  header_h = add_headers (self, &c);
  y = add_ca_link (self, &c, self->header_height);
  for (guint h = 0; h < n_hs; h++)
    {
      if (h > 0 && !c.attacker)
        y = add_separator (self, &c, events, &hs[h], y);
      y = place_handshake (self, &c, events, &hs[h], metrics, y);
    }

  y += MARGIN;
  self->total_height = y;
  add_lifelines (self, &c, header_h, y);

  add_groups (self, &c, events, all, hs, n_hs, gutter);
  g_array_sort (self->groups, compare_groups);
  for (guint i = 0; i < self->groups->len; i++)
    self->max_group_height = MAX (self->max_group_height,
                                  g_array_index (self->groups, HlSequenceItem, i).bounds.height);
}
