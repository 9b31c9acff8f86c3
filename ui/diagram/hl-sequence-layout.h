/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "hl-trace.h"

G_BEGIN_DECLS

/**
 * HlSequenceFont:
 * The text styles of the diagram. The layout only knows their names; the measure callback (and
 * the painter that draws them) decide the actual fonts.
 */
typedef enum
{
  HL_SEQUENCE_FONT_TITLE,     /* lifeline header titles */
  HL_SEQUENCE_FONT_SUBTITLE,  /* lifeline header subtitles */
  HL_SEQUENCE_FONT_LABEL,     /* arrow labels */
  HL_SEQUENCE_FONT_ACTION,    /* text in action boxes and notes */
  HL_SEQUENCE_FONT_DETAIL,    /* the line under an arrow, the CA link, flight tags */
  HL_SEQUENCE_FONT_NUMBER,    /* step numbers */
  HL_SEQUENCE_FONT_BAND,      /* phase band and separator titles */
  HL_SEQUENCE_N_FONTS
} HlSequenceFont;

/**
 * HlSequenceMeasureFunc:
 * Measures @text in @font, wrapped at @wrap_width (or not wrapped when it is negative), in
 * layout units (logical pixels at zoom 1).
 */
typedef void (*HlSequenceMeasureFunc) (HlSequenceFont  font,
                                       const char     *text,
                                       double          wrap_width,
                                       double         *width,
                                       double         *height,
                                       gpointer        user_data);

/* Wrap widths of action and note text, for whoever draws it. */
#define HL_SEQUENCE_ACTION_WRAP 360.0
#define HL_SEQUENCE_NOTE_WRAP   420.0

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} HlSequenceRect;

typedef enum
{
  HL_SEQUENCE_ITEM_HEADER,     /* a lifeline's header card (kept visible while scrolling) */
  HL_SEQUENCE_ITEM_LIFELINE,   /* x1 at y from bounds.y to bounds.y + bounds.height */
  HL_SEQUENCE_ITEM_CA_LINK,    /* dashed: the CA signed the server certificate at setup */
  HL_SEQUENCE_ITEM_BAND,       /* a phase band behind the rows; box = its title strip */
  HL_SEQUENCE_ITEM_SEPARATOR,  /* between the connections of a resumption scenario */
  HL_SEQUENCE_ITEM_GROUP,      /* a flight (bracket in the right gutter) or a shared record */
  HL_SEQUENCE_ITEM_ARROW,      /* a message, CCS, alert, application data or record */
  HL_SEQUENCE_ITEM_ACTION,     /* a local step: a box on its lifeline */
  HL_SEQUENCE_ITEM_NOTE,       /* a remark spanning client and server */
} HlSequenceItemKind;

typedef enum
{
  HL_SEQUENCE_FLAG_NONE = 0,
  HL_SEQUENCE_FLAG_PROTECTED = 1 << 0,      /* travelled encrypted */
  HL_SEQUENCE_FLAG_HANDSHAKE_KEYS = 1 << 1, /* … with TLS 1.3 handshake traffic keys */
  HL_SEQUENCE_FLAG_ALERT = 1 << 2,
  HL_SEQUENCE_FLAG_FATAL = 1 << 3,          /* a fatal alert */
  HL_SEQUENCE_FLAG_CHECK_OK = 1 << 4,
  HL_SEQUENCE_FLAG_CHECK_FAILED = 1 << 5,
  HL_SEQUENCE_FLAG_CCS = 1 << 6,            /* ChangeCipherSpec */
  HL_SEQUENCE_FLAG_COMPAT = 1 << 7,         /* TLS 1.3 middlebox-compatibility CCS */
  HL_SEQUENCE_FLAG_APP_DATA = 1 << 8,
  HL_SEQUENCE_FLAG_RECORD = 1 << 9,         /* a record arrow, or a group of one record */
  HL_SEQUENCE_FLAG_CONSULTS_CA = 1 << 10,   /* an action that checks against the CA */
  HL_SEQUENCE_FLAG_TLS13 = 1 << 11,
  HL_SEQUENCE_FLAG_THREAT = 1 << 12,        /* the attacker: its header, lifeline, arrows */
  HL_SEQUENCE_FLAG_INTERCEPT = 1 << 13,     /* the attacker reads or changes the traffic */
} HlSequenceFlags;

typedef enum
{
  HL_SEQUENCE_PHASE_NEGOTIATION,  /* in the clear */
  HL_SEQUENCE_PHASE_KEY_EXCHANGE,
  HL_SEQUENCE_PHASE_SYMMETRIC,    /* protected with the negotiated keys */
} HlSequencePhase;

/**
 * HlSequenceItem:
 * One positioned element, in layout units. Which fields mean something depends on @kind:
 *
 * - steps (arrow, action, note): @step, @event; @bounds is the whole row (the hit area);
 *   arrows go from @x1 to @x2 at @y; action and note boxes are @box; @number is the step
 *   number's pill, @text the label, @detail the smaller line (arrows) — each with its rectangle;
 *   an action's ✓/✗ badge is @detail_rect (with no @detail text).
 * - header: @side; @box the card, @text its title, @detail the subtitle.
 * - lifeline: @side; @x1, from @bounds.y to the bottom of @bounds.
 * - CA link: from @x1 (the CA) to @x2 (the server) at @y, @text its label.
 * - band: @phase, @handshake, steps @step … @last_step; @box is the title strip, @number
 *   the place of its icon.
 * - separator: @handshake (the connection that starts), @box, @text, @detail.
 * - group: steps @step … @last_step; @box is the bracket (flights, with @text and @detail) or
 *   the frame around messages that shared one record (%HL_SEQUENCE_FLAG_RECORD, no text).
 */
typedef struct
{
  HlSequenceItemKind  kind;
  HlSequenceFlags     flags;
  int                 step;
  int                 last_step;
  guint               event;
  HlSide              side;
  HlSide              peer;
  HlSequencePhase     phase;
  guint               handshake;
  HlSequenceRect      bounds;
  HlSequenceRect      box;
  double              x1;
  double              x2;
  double              y;
  HlSequenceRect      number;
  char               *number_text;
  HlSequenceRect      text_rect;
  char               *text;
  HlSequenceFont      text_font;
  gsize               text_emphasis;  /* bytes of @text drawn at full strength; the rest dimmed */
  HlSequenceRect      detail_rect;
  char               *detail;
} HlSequenceItem;

#define HL_TYPE_SEQUENCE_LAYOUT (hl_sequence_layout_get_type ())
G_DECLARE_FINAL_TYPE (HlSequenceLayout, hl_sequence_layout, HL, SEQUENCE_LAYOUT, GObject)

HlSequenceLayout     *hl_sequence_layout_new              (HlSequenceMeasureFunc  measure,
                                                           gpointer               user_data,
                                                           GDestroyNotify         destroy);

void                  hl_sequence_layout_set_trace        (HlSequenceLayout *self,
                                                           HlTrace          *trace);
HlTrace              *hl_sequence_layout_get_trace        (HlSequenceLayout *self);
void                  hl_sequence_layout_set_show_records (HlSequenceLayout *self,
                                                           gboolean          show_records);
gboolean              hl_sequence_layout_get_show_records (HlSequenceLayout *self);
void                  hl_sequence_layout_set_width        (HlSequenceLayout *self,
                                                           double            width);
/* Drops measured text (fonts changed) and lays out again on next use. */
void                  hl_sequence_layout_invalidate       (HlSequenceLayout *self);

/* The width the diagram needs to show everything without squeezing. */
double                hl_sequence_layout_get_natural_width (HlSequenceLayout *self);
void                  hl_sequence_layout_get_size         (HlSequenceLayout *self,
                                                           double           *width,
                                                           double           *height);
/* Height of the lifeline headers at the top (what stays visible while scrolling). */
double                hl_sequence_layout_get_header_height (HlSequenceLayout *self);

/* Steps are the events drawn as one row each, in trace order. */
guint                 hl_sequence_layout_get_n_steps      (HlSequenceLayout *self);
const HlSequenceItem *hl_sequence_layout_get_step         (HlSequenceLayout *self,
                                                           guint             step);
int                   hl_sequence_layout_find_step        (HlSequenceLayout *self,
                                                           guint             event_index);
/* Steps whose rows intersect [y0, y1): *first … *end - 1. */
void                  hl_sequence_layout_find_steps       (HlSequenceLayout *self,
                                                           double            y0,
                                                           double            y1,
                                                           guint            *first,
                                                           guint            *end);

guint                 hl_sequence_layout_get_n_groups     (HlSequenceLayout *self);
const HlSequenceItem *hl_sequence_layout_get_group        (HlSequenceLayout *self,
                                                           guint             index);
/* Groups that may intersect [y0, y1): a superset, never missing one. */
void                  hl_sequence_layout_find_groups      (HlSequenceLayout *self,
                                                           double            y0,
                                                           double            y1,
                                                           guint            *first,
                                                           guint            *end);

/* Headers, lifelines, the CA link, bands and separators (few, in drawing order). */
guint                 hl_sequence_layout_get_n_structural (HlSequenceLayout *self);
const HlSequenceItem *hl_sequence_layout_get_structural   (HlSequenceLayout *self,
                                                           guint             index);

/* The step under (@x, @y) if any, else a header, band or group there, else NULL. */
const HlSequenceItem *hl_sequence_layout_lookup           (HlSequenceLayout *self,
                                                           double            x,
                                                           double            y);

G_END_DECLS
