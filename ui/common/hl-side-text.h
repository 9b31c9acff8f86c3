/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hl-types.h"

G_BEGIN_DECLS

/* A participant's name in the user's language: the label over its lifeline ("Client",
 * "Certificate Authority") and the word in running text ("client", "certificate authority").
 * The protocol library's hl_side_to_label() and hl_side_to_string() stay English: they are the
 * names in saved traces, in the command line's output and in the text exports. */
const char *hl_side_text_label (HlSide side);
const char *hl_side_text_word (HlSide side);

G_END_DECLS
