/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-secrets-view.h"

G_BEGIN_DECLS

/* The secrets view in parts, shared through this header: hl-secrets-view.c (following the
 * selected step, public API, GObject), hl-secrets-view-entries.c (entries and their order) and
 * hl-secrets-view-cards.c (cards).
 *
 * Every secret and key of the run as a derivation: where it starts (the randoms, the premaster
 * or shared secret), the secrets, the keys, the Finished values. A value that both GnuTLS
 * reported and Handshake Lens recomputed is one card with both values and ✓ or ✗; its formula
 * names its inputs, and each input is a link to its own card. Values GnuTLS keeps to itself are
 * listed as such, never faked. The view shows what the trace says. */

struct _HlSecretsView
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkScrolledWindow *scroller;
  GtkBox            *content;
  GtkLabel          *summary_label;
  GtkBox            *sections;

  /* owned */
  HlTrace           *trace;
  GPtrArray         *entries;      /* of Entry */
  GHashTable        *cards;        /* "handshake:name" → GtkWidget (borrowed), those built */
  guint              n_built;      /* the entries that have their card, from the first */
  guint              rest_id;      /* builds the cards left once a frame is drawn */
  char              *pending;      /* card key to scroll to once allocated */
  GdkFrameClock     *layout_clock;  /* while scrolling to a card or cards are left to build */
  gulong             layout_id;
  guint              scroll_frames;
  guint              scroll_stable;
  double             scroll_value;  /* where the last frame scrolled to */

  /* borrowed: where building the cards stopped */
  GtkWidget         *list;         /* the list of the last card's section */
  int                section;
  int                handshake;
};

enum
{
  SHOW_TRANSCRIPT,
  N_SIGNALS
};

typedef struct
{
  char           *name;       /* without ".derived" */
  guint           handshake;
  const HlSecret *library;    /* GnuTLS's, decrypted or wire value; borrowed from the trace */
  const HlSecret *derived;    /* ours; borrowed */
  GBytes         *random;     /* client_random / server_random from the negotiated values */
  int             rank;
  guint           order;
} Entry;

/* hl-secrets-view.c */
void hl_secview_input_clicked_cb (GtkButton *button, HlSecretsView *self);

/* hl-secrets-view-entries.c */
const char *hl_secview_section_title (int rank);
const char *hl_secview_title_of (const Entry *entry);
char *hl_secview_entry_key (const char *name, guint handshake);
Entry *hl_secview_find_entry (GPtrArray *entries, const char *name, guint handshake);
GPtrArray *hl_secview_collect_entries (HlTrace *trace);
GBytes *hl_secview_entry_value (const Entry *e);
gboolean hl_secview_entry_hidden (const Entry *e);
HlCheck hl_secview_entry_check (const Entry *e);

/* hl-secrets-view-cards.c */
void hl_secview_rebuild (HlSecretsView *self);
void hl_secview_build_cards (HlSecretsView *self, guint n);

G_END_DECLS
