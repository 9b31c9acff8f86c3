/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-sequence-view.h"
#include "hl-trace.h"
#include "hl-trace-check.h"

G_BEGIN_DECLS

/* What a window that shows one trace offers the helpers it owns (file actions, compare
 * actions): the trace and the diagram it shows, a way to show another trace, and toasts. The
 * helpers depend on this, not on HlWindow, so the window can include them without a circle. */
#define HL_TYPE_TRACE_HOST (hl_trace_host_get_type ())
G_DECLARE_INTERFACE (HlTraceHost, hl_trace_host, HL, TRACE_HOST, GtkWidget)

struct _HlTraceHostInterface
{
  GTypeInterface parent_iface;

  HlTrace        *(*get_trace)          (HlTraceHost  *self);
  HlSequenceView *(*get_sequence_view)  (HlTraceHost  *self);
  void            (*show_checked_trace) (HlTraceHost  *self,
                                         HlTrace      *trace,
                                         HlTraceCheck *check);
  void            (*add_toast)          (HlTraceHost  *self,
                                         AdwToast     *toast);
};

/* The trace shown (NULL while none is). */
HlTrace        *hl_trace_host_get_trace          (HlTraceHost  *self);
HlSequenceView *hl_trace_host_get_sequence_view  (HlTraceHost  *self);
/* Shows @trace, opened from a file, with what re-checking it found (nullable). */
void            hl_trace_host_show_checked_trace (HlTraceHost  *self,
                                                  HlTrace      *trace,
                                                  HlTraceCheck *check);
void            hl_trace_host_add_toast          (HlTraceHost  *self,
                                                  AdwToast     *toast);

G_END_DECLS
