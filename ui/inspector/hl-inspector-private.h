/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-inspector.h"
#include "hl-record-internals.h"
#include "hl-tab-bin.h"

G_BEGIN_DECLS

/* The inspector in parts, shared through this header: hl-inspector.c (decoding, the two
 * forms of a protected message, tabs, public API, GObject), hl-inspector-links.c (the links
 * between tabs, the Fields and Bytes pages, fields ↔ bytes) and hl-inspector-search.c
 * (search).
 *
 * The inspector follows the selected step of the diagram and shows it five ways: its decoded
 * fields, its bytes, the certificates of the run, every secret and key as a derivation, and the
 * hashes compared in Finished. Each tab is its own widget; this one decodes, keeps the Fields
 * and Bytes tabs on the same field, switches to the tab a local step is about, and searches the
 * whole handshake. It only reads the trace (the protocol library did the decoding and the
 * cryptography); nothing here calls GnuTLS. */

/* The certificates, secrets and hashes tabs build many widgets (every certificate printed,
 * a card per secret, a row per transcript message) and AdwViewStack measures hidden pages
 * too, so they are filled only when first shown, and follow the trace and the step only while
 * shown (or when asked for): nothing off screen is built or shaped.
 *
 * The Fields and Bytes tabs are made when first drawn or asked for too (a window that opens on
 * a local step would build and style their hundred widgets for nothing), but they follow every
 * step: what they show is computed each time (bytes, root and the fields below) and pushed into
 * their widgets when these exist, or when they are made. */
typedef enum
{
  LAZY_CERTIFICATES,
  LAZY_SECRETS,
  LAZY_HASHES,
  N_LAZY_TABS
} LazyTab;

struct _HlInspector
{
  AdwBin             parent_instance;

  /* template widgets */
  AdwViewSwitcher   *switcher;
  GtkToggleButton   *search_button;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkLabel          *search_status;
  GtkWidget         *form_bar;
  GtkToggleButton   *wire_button;
  GtkToggleButton   *plain_button;
  GtkLabel          *form_label;
  AdwViewStack      *stack;
  HlTabBin          *fields_bin;
  HlTabBin          *bytes_bin;
  HlTabBin          *certificate_bin;
  HlTabBin          *secrets_bin;
  HlTabBin          *hashes_bin;

  /* made when their tab is first drawn or asked for (hl_insp_ensure_fields_page (),
   * hl_insp_ensure_bytes_page ()); the bins own them, NULL until then */
  GtkStack          *fields_stack;
  AdwStatusPage     *fields_empty;
  GtkButton         *fields_empty_button;
  GtkButton         *link_button;
  GtkLabel          *link_label;
  HlFieldView       *field_view;
  GtkStack          *bytes_stack;
  AdwStatusPage     *bytes_empty;
  GtkButton         *bytes_empty_button;
  GtkLabel          *bytes_info;
  GtkButton         *bytes_copy_button;
  HlHexView         *hex_view;

  /* made when their tab is first shown or asked for (make_tab_view ()); the bins own them */
  HlCertificateView *certificate_view;
  HlSecretsView     *secrets_view;
  HlHashesView      *hashes_view;

  /* owned */
  HlTrace           *trace;
  GListModel        *steps;
  HlEvent           *event;
  HlEvent           *wire_event;    /* the protected record that carried the event, or NULL */
  GBytes            *bytes;         /* of the form shown */
  HlField           *root;
  HlField           *selected_field;  /* in either tab, which the other follows */
  GHashTable        *decoded;       /* HlEvent → HlField (or a decoding error: not cached) */
  GHashTable        *decrypted;     /* HlEvent (record) → HlField of its plaintext */
  char              *user_tab;      /* the tab last chosen by hand */
  char              *link_tab;      /* where the link buttons lead … */
  char              *link_secret;   /* … and which value they show there */
  /* what the pages of the Fields and Bytes tabs say, kept for when they are made */
  char              *fields_none_title;   /* the Fields tab without a tree … */
  char              *fields_none_text;
  char              *bytes_none_title;    /* … the Bytes tab without bytes */
  char              *bytes_none_text;
  char              *link_text;           /* the link above the tree, or NULL: none */
  char              *related_label;       /* the button of both empty pages, or NULL */
  GArray            *matches;       /* of Match */
  int                match;         /* the current match, or -1 */

  HlEvent           *lazy_event;    /* the last step given to the lazy tabs since the trace */
  gboolean           trace_stale[N_LAZY_TABS];  /* the tab has not seen the trace yet … */
  gboolean           event_stale[N_LAZY_TABS];  /* … or lazy_event */

  gboolean           show_plain;
  gboolean           switching;     /* tab changes made here, not by people */
};

typedef struct
{
  guint    position;   /* in the steps */
  gsize    offset;
  gsize    length;
  HlField *field;      /* owned; NULL for a byte match */
} Match;

enum
{
  STEP_REQUESTED,
  N_SIGNALS
};

/* hl-inspector.c */
void hl_insp_emit_step_requested (HlInspector *self, guint position);

/* hl-inspector.c */
GListModel *hl_insp_steps_model (HlInspector *self);
HlField *hl_insp_decoded_fields (HlInspector *self, HlEvent *event, GError **error);
gboolean hl_insp_is_protected_record (HlEvent *event);
const char *hl_insp_natural_tab (HlEvent *event);
void hl_insp_show_tab (HlInspector *self, const char *name);

/* hl-inspector-links.c */
void hl_insp_update_links (HlInspector *self);
void hl_insp_related_clicked_cb (HlInspector *self);
void hl_insp_request_event (HlInspector *self, HlEvent *event);
void hl_insp_transcript_event_cb (HlInspector *self, guint index);
void hl_insp_show_transcript_cb (HlInspector *self, const char *name, guint handshake);
void hl_insp_sync_fields_page (HlInspector *self);
void hl_insp_sync_bytes_page (HlInspector *self);
void hl_insp_ensure_fields_page (HlInspector *self);
void hl_insp_ensure_bytes_page (HlInspector *self);
void hl_insp_page_map_cb (HlTabBin *bin, HlInspector *self);
void hl_insp_update_bytes_info (HlInspector *self);
void hl_insp_select_field (HlInspector *self, HlField *field);
void hl_insp_field_selected_cb (HlInspector *self, HlField *field);
void hl_insp_hex_field_activated_cb (HlInspector *self, HlField *field);
void hl_insp_bytes_copy_clicked_cb (HlInspector *self);

/* hl-inspector-search.c */
void hl_insp_clear_matches (HlInspector *self);
void hl_insp_ensure_search_ui (HlInspector *self);
void hl_insp_search_changed_cb (HlInspector *self);
void hl_insp_search_next_cb (HlInspector *self);
void hl_insp_search_previous_cb (HlInspector *self);
gboolean hl_insp_find_shortcut_cb (GtkWidget *widget, GVariant *args, gpointer user_data);
void hl_insp_steps_changed_cb (HlInspector *self);

G_END_DECLS
