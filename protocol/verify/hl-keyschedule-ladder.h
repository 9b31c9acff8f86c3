/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hl-trace.h"

G_BEGIN_DECLS

/*
 * The TLS 1.3 key schedule of one connection as one ladder (RFC 8446 §7.1): the spine of
 * extracted secrets (early secret, "derived" salt, handshake secret, "derived" salt, master
 * secret), the inputs that enter it from the side (PSK or 0, the (EC)DHE shared secret, 0) and
 * the secrets that branch off each step (traffic, exporter, binder and resumption secrets).
 * Every rung says what the trace has for it: GnuTLS's value, our own computation, a value read
 * from the wire, a constant, or that GnuTLS holds it inside. Drawn by the inspector's key
 * schedule picture and written by --print --verbose and the Markdown export.
 */

typedef enum
{
  HL_RUNG_SPINE,   /* a secret of the main column */
  HL_RUNG_INPUT,   /* enters a spine rung from the side (the IKM of its HKDF-Extract) */
  HL_RUNG_BRANCH,  /* derived from a spine rung */
} HlRungPlace;

typedef enum
{
  HL_RUNG_LIBRARY,   /* reported by GnuTLS (key log, secret function) */
  HL_RUNG_COMPUTED,  /* computed by Handshake Lens */
  HL_RUNG_WIRE,      /* read from the wire */
  HL_RUNG_CONSTANT,  /* a constant of the protocol: zeros */
  HL_RUNG_HIDDEN,    /* held inside GnuTLS: no API exposes it */
  HL_RUNG_ABSENT,    /* the trace has no entry for it */
} HlRungState;

/**
 * HlRung:
 * @place: where it stands
 * @spine: for inputs and branches, the index of the spine rung they belong to; -1 for spine
 *   rungs
 * @name: the value's name in the trace's secrets (without ".derived"), or %NULL for a constant
 * @handshake: the connection whose value it is (an earlier one for a resumption master secret)
 * @title: what it is, in words ("Handshake secret")
 * @formula: how it is made, RFC 8446 §7.1 notation
 * @state: what the trace has for it
 * @check: our verdict where we computed it
 * @value: (nullable): the value, when known
 */
typedef struct
{
  HlRungPlace  place;
  int          spine;
  char        *name;
  guint        handshake;
  char        *title;
  char        *formula;
  HlRungState  state;
  HlCheck      check;
  GBytes      *value;
} HlRung;

GPtrArray  *hl_keyschedule_ladder_new      (HlTrace  *trace,
                                            guint     handshake);
gboolean    hl_keyschedule_ladder_applies  (HlTrace  *trace,
                                            guint     handshake);
const char *hl_rung_state_to_string        (HlRungState state);
void        hl_keyschedule_ladder_print    (GPtrArray *ladder,
                                            guint      handshake,
                                            GString   *out);
guint       hl_trace_print_ladders         (HlTrace   *trace,
                                            GString   *out);

G_END_DECLS
