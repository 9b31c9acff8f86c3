/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-diagram-export.h"
#include "hl-video-scene.h"

G_BEGIN_DECLS

typedef enum
{
  HL_EXPORT_DIALOG_IMAGE,
  HL_EXPORT_DIALOG_VIDEO,
} HlExportDialogKind;

#define HL_TYPE_EXPORT_DIALOG (hl_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlExportDialog, hl_export_dialog, HL, EXPORT_DIALOG, AdwPreferencesGroup)

/* The questions of the export dialog: how to export the diagram (format, scale, which steps,
 * style) or the video (size, frame rate, style). Shown as the extra child of an hl_alert with
 * the heading and body below; its "export" response means go ahead: read the choice with the
 * getters. */
HlExportDialog *hl_export_dialog_new       (HlExportDialogKind  kind,
                                            guint               step,
                                            guint               n_steps,
                                            gboolean            dark,
                                            gboolean            high_contrast);
HlExportDialogKind hl_export_dialog_get_kind (HlExportDialog   *self);
const char     *hl_export_dialog_get_heading (HlExportDialog   *self);
const char     *hl_export_dialog_get_body  (HlExportDialog     *self);
/* Fills @format and @options (leaves @options->font alone). */
void            hl_export_dialog_get_image (HlExportDialog     *self,
                                            HlDiagramFormat    *format,
                                            HlDiagramOptions   *options);
void            hl_export_dialog_get_video (HlExportDialog     *self,
                                            HlVideoOptions     *options);

G_END_DECLS
