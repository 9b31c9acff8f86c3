/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-side-text.h"

const char *
hl_side_text_label (HlSide side)
{
  switch (side)
    {
    case HL_SIDE_CLIENT: return _("Client");
    case HL_SIDE_SERVER: return _("Server");
    case HL_SIDE_CA: return _("Certificate Authority");
    case HL_SIDE_ATTACKER: return _("Attacker");
    case HL_SIDE_BOTH: return _("Both");
    case HL_SIDE_NONE:
    default: return "";
    }
}

const char *
hl_side_text_word (HlSide side)
{
  switch (side)
    {
    case HL_SIDE_CLIENT: return _("client");
    case HL_SIDE_SERVER: return _("server");
    case HL_SIDE_CA: return _("certificate authority");
    case HL_SIDE_ATTACKER: return _("attacker");
    case HL_SIDE_BOTH: return _("both");
    case HL_SIDE_NONE:
    default: return "";
    }
}
