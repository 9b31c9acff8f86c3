/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-error"
#include "config.h"

#include "hl-error.h"

G_DEFINE_QUARK (hl-parse-error-quark, hl_parse_error)
G_DEFINE_QUARK (hl-engine-error-quark, hl_engine_error)
G_DEFINE_QUARK (hl-trace-error-quark, hl_trace_error)
