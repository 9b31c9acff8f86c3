/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of HlSequenceLayout only (hl-sequence-layout*.c): the metrics, the
 * object's struct, and the steps one part calls in another. Not installed, not API. */

#include "hl-sequence-layout.h"

G_BEGIN_DECLS

/* Metrics, in layout units: logical pixels at zoom 1. */

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

/* One handshake of the trace, as classify_handshake() finds it. */
typedef struct
{
  gboolean tls13;
  int      first;          /* first step of the handshake */
  int      last;
  int      key_exchange;   /* first step of the key-exchange band, or -1 */
  int      symmetric;      /* first step of the symmetric band, or -1 */
} Handshake;

/* Measured sizes of one step, before placement. */
typedef struct
{
  double pill_w, pill_h;
  double text_w, text_h;
  double detail_w, detail_h;
  double content_w;   /* pill + lock + text (+ badge) */
  double badge;
} StepMetrics;

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

/* hl-sequence-layout.c */
void            hl_layout_reset (HlSequenceLayout *self);

/* hl-sequence-layout-steps.c */
void            hl_layout_measure (HlSequenceLayout *self, HlSequenceFont font, const char *text,
                                   double wrap, double *width, double *height);
char           *hl_layout_dup_bytes (gsize n);
void            hl_layout_classify_handshake (HlSequenceLayout *self, GPtrArray *events,
                                              Handshake *hs);
HlSequenceItem *hl_layout_append (GArray *array, HlSequenceItemKind kind);
char           *hl_layout_dup_header_subtitle (HlSequenceLayout *self, HlSide side);
const char     *hl_layout_band_title (HlSequencePhase phase);
const char     *hl_layout_band_detail (HlSequencePhase phase, gboolean tls13);
void            hl_layout_describe_step (HlSequenceItem *item, HlEvent *event, GPtrArray *all,
                                         gboolean tls13);
void            hl_layout_measure_step (HlSequenceLayout *self, HlSequenceItem *item,
                                        StepMetrics *m);

/* hl-sequence-layout-place.c */
void            hl_layout_run (HlSequenceLayout *self);

G_END_DECLS
