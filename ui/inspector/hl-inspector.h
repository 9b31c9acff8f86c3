/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-certificate-view.h"
#include "hl-field-view.h"
#include "hl-hashes-view.h"
#include "hl-hex-view.h"
#include "hl-secrets-view.h"
#include "hl-trace.h"

G_BEGIN_DECLS

#define HL_TYPE_INSPECTOR (hl_inspector_get_type ())
G_DECLARE_FINAL_TYPE (HlInspector, hl_inspector, HL, INSPECTOR, AdwBin)

/* Tab names, for hl_inspector_set_tab() and --inspector-tab. */
#define HL_INSPECTOR_TAB_FIELDS       "fields"
#define HL_INSPECTOR_TAB_BYTES        "bytes"
#define HL_INSPECTOR_TAB_CERTIFICATES "certificates"
#define HL_INSPECTOR_TAB_SECRETS      "secrets"
#define HL_INSPECTOR_TAB_HASHES       "hashes"

GtkWidget         *hl_inspector_new                  (void);

/* @steps: the events the diagram shows as steps, in order (search results and links are
 * positions in it); NULL means every event of @trace. */
void               hl_inspector_set_trace            (HlInspector *self,
                                                      HlTrace     *trace,
                                                      GListModel  *steps);
HlTrace           *hl_inspector_get_trace            (HlInspector *self);
/* Follows the selected step (NULL: none). A local step about keys, hashes or certificates
 * opens the tab that explains it; other steps show the tab last chosen. */
void               hl_inspector_set_event            (HlInspector *self,
                                                      HlEvent     *event);
HlEvent           *hl_inspector_get_event            (HlInspector *self);

gboolean           hl_inspector_set_tab              (HlInspector *self,
                                                      const char  *name);
const char        *hl_inspector_get_tab              (HlInspector *self);
/* A tab name is one of the HL_INSPECTOR_TAB_* names. */
gboolean           hl_inspector_is_tab_name          (const char  *name);

/* Whether the selected step has an encrypted form and a decrypted one, and which is shown. */
gboolean           hl_inspector_has_two_forms        (HlInspector *self);
void               hl_inspector_set_show_decrypted   (HlInspector *self,
                                                      gboolean     decrypted);
gboolean           hl_inspector_get_show_decrypted   (HlInspector *self);
/* The bytes and fields shown in the Fields and Bytes tabs. */
GBytes            *hl_inspector_get_bytes            (HlInspector *self);
HlField           *hl_inspector_get_fields           (HlInspector *self);

/* Ctrl+F: finds fields by name or value, or a byte sequence given in hex, in every step.
 * Returns the number of matches; hl_inspector_find_next() goes to the next one. */
guint              hl_inspector_find                 (HlInspector *self,
                                                      const char  *query);
gboolean           hl_inspector_find_next            (HlInspector *self,
                                                      gboolean     backwards);
void               hl_inspector_start_search         (HlInspector *self);

HlFieldView       *hl_inspector_get_field_view       (HlInspector *self);
HlHexView         *hl_inspector_get_hex_view         (HlInspector *self);
HlCertificateView *hl_inspector_get_certificate_view (HlInspector *self);
HlSecretsView     *hl_inspector_get_secrets_view     (HlInspector *self);
HlHashesView      *hl_inspector_get_hashes_view      (HlInspector *self);

G_END_DECLS
