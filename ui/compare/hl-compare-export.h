/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-diagram-export.h"
#include "hl-trace.h"

G_BEGIN_DECLS

/* The width the comparison is drawn at in the exports, in logical pixels. */
#define HL_COMPARE_EXPORT_WIDTH 1400.0

/**
 * hl_compare_render:
 * Both handshakes side by side, aligned by meaning, with the summary table under them, drawn by
 * the painter the comparison window uses (HlComparePainter). @options as for the diagram
 * exports; its step reveals that many rows on both sides (-1: everything). Needs no display.
 */
GBytes  *hl_compare_render (HlTrace                *left,
                            HlTrace                *right,
                            HlDiagramFormat         format,
                            const HlDiagramOptions *options,
                            GError                **error);
gboolean hl_compare_export (HlTrace                *left,
                            HlTrace                *right,
                            HlDiagramFormat         format,
                            const HlDiagramOptions *options,
                            GFile                  *file,
                            GError                **error);

G_END_DECLS
