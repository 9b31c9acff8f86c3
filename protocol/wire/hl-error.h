/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HL_PARSE_ERROR (hl_parse_error_quark ())
#define HL_ENGINE_ERROR (hl_engine_error_quark ())
#define HL_TRACE_ERROR (hl_trace_error_quark ())

/* Wire and file parsing. Messages name the field and its absolute offset. */
typedef enum
{
  HL_PARSE_ERROR_TRUNCATED,
  HL_PARSE_ERROR_TRAILING_DATA,
  HL_PARSE_ERROR_BAD_LENGTH,
  HL_PARSE_ERROR_BAD_VALUE,
} HlParseError;

/* The engine itself broke (not: the handshake failed as a scenario intends). */
typedef enum
{
  HL_ENGINE_ERROR_SETUP,     /* credentials, priorities, session init */
  HL_ENGINE_ERROR_GNUTLS,    /* an unexpected GnuTLS error; message keeps code and text */
  HL_ENGINE_ERROR_STALLED,   /* neither side made progress */
  HL_ENGINE_ERROR_UNEXPECTED,/* the run did not end the way the scenario designs */
  HL_ENGINE_ERROR_REFUSED,   /* the library refuses a required mechanism (e.g. RSA kx in 3.8) */
  HL_ENGINE_ERROR_NETWORK,   /* live mode: name not resolved, refused, reset, closed early */
  HL_ENGINE_ERROR_TIMED_OUT, /* live mode: a phase took longer than its limit */
  HL_ENGINE_ERROR_NOT_TLS,   /* live mode: the peer does not speak TLS */
  HL_ENGINE_ERROR_UNAVAILABLE, /* the linked GnuTLS lacks what the configuration needs */
} HlEngineError;

/* Loading a saved trace. */
typedef enum
{
  HL_TRACE_ERROR_INVALID,    /* not JSON or wrong structure; message names the member */
  HL_TRACE_ERROR_VERSION,    /* unsupported format_version */
} HlTraceError;

GQuark hl_parse_error_quark (void);
GQuark hl_engine_error_quark (void);
GQuark hl_trace_error_quark (void);

G_END_DECLS
