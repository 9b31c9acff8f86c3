/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hl-trace-host.h"

G_DEFINE_INTERFACE (HlTraceHost, hl_trace_host, GTK_TYPE_WIDGET)

static void
hl_trace_host_default_init (HlTraceHostInterface *iface)
{
}

HlTrace *
hl_trace_host_get_trace (HlTraceHost *self)
{
  g_return_val_if_fail (HL_IS_TRACE_HOST (self), NULL);
  return HL_TRACE_HOST_GET_IFACE (self)->get_trace (self);
}

HlSequenceView *
hl_trace_host_get_sequence_view (HlTraceHost *self)
{
  g_return_val_if_fail (HL_IS_TRACE_HOST (self), NULL);
  return HL_TRACE_HOST_GET_IFACE (self)->get_sequence_view (self);
}

void
hl_trace_host_show_checked_trace (HlTraceHost *self, HlTrace *trace, HlTraceCheck *check)
{
  g_return_if_fail (HL_IS_TRACE_HOST (self));
  HL_TRACE_HOST_GET_IFACE (self)->show_checked_trace (self, trace, check);
}

void
hl_trace_host_add_toast (HlTraceHost *self, AdwToast *toast)
{
  g_return_if_fail (HL_IS_TRACE_HOST (self));
  HL_TRACE_HOST_GET_IFACE (self)->add_toast (self, toast);
}
