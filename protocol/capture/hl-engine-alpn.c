/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include <string.h>

#include "hl-engine-private.h"
#include "hl-engine-parts.h"
#include "hl-decoder.h"

/* ALPN (RFC 7301): what the client offers and the server picks, set up here and read back from
 * the hellos on the wire. The application data of every run is HTTP/1.1, so that is all our
 * server speaks; the client also offers h2, as browsers do, so that the server has a choice to
 * make. */

static const char *const client_protocols[] = { "h2", HL_ENGINE_ALPN };
static const char *const server_protocols[] = { HL_ENGINE_ALPN };

gboolean
hl_engine_setup_alpn (Run *run, Peer *peer)
{
  gboolean server = peer->side == HL_SIDE_SERVER;
  const char *const *names = server ? server_protocols : client_protocols;
  guint n = server ? G_N_ELEMENTS (server_protocols) : G_N_ELEMENTS (client_protocols);
  gnutls_datum_t list[G_N_ELEMENTS (client_protocols)];

  for (guint i = 0; i < n; i++)
    {
      list[i].data = (unsigned char *) names[i];
      list[i].size = strlen (names[i]);
    }
  /* The server's preference decides (RFC 7301 §3.2 leaves the choice to the server). */
  return check_gnutls (run, gnutls_alpn_set_protocols (peer->session, list, n,
                                                       server ? GNUTLS_ALPN_SERVER_PRECEDENCE
                                                              : 0),
                       "gnutls_alpn_set_protocols");
}

/* The ALPN extension's value in @message's bytes ("h2, http/1.1" in a ClientHello, the one
 * protocol in a ServerHello or EncryptedExtensions), or NULL when it has none. */
static char *
alpn_of_message (HlEvent *message, gboolean tls13)
{
  g_autoptr(HlField) root = NULL;
  GBytes *bytes = hl_event_get_bytes (message);
  HlField *ext;

  if (bytes == NULL)
    return NULL;
  root = hl_decode_handshake (bytes, 0, tls13, NULL);
  ext = root ? hl_field_find (root, "application_layer_protocol_negotiation") : NULL;
  return ext && hl_field_get_value (ext) ? g_strdup (hl_field_get_value (ext)) : NULL;
}

static HlEvent *
find_message (Run *run, const char *name)
{
  for (guint i = 0; i < hl_trace_get_n_events (run->trace); i++)
    {
      HlEvent *event = hl_trace_get_event (run->trace, i);

      if (hl_event_get_handshake (event) == run->handshake &&
          hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          g_strcmp0 (hl_event_get_name (event), name) == 0)
        return event;
    }
  return NULL;
}

static void
append_caption (HlEvent *event, const char *sentence)
{
  const char *old = hl_event_get_caption (event);
  g_autofree char *caption = old && *old ? g_strdup_printf ("%s %s", old, sentence)
                                         : g_strdup (sentence);

  hl_event_set_caption (event, caption);
}

char *
hl_engine_collect_alpn (Run *run, gboolean tls13, gnutls_session_t session)
{
  HlEvent *hello = find_message (run, "ClientHello");
  /* TLS 1.2 answers in the ServerHello, TLS 1.3 in EncryptedExtensions (RFC 8446 §4.2) */
  HlEvent *answer = find_message (run, tls13 ? "EncryptedExtensions" : "ServerHello");
  g_autofree char *offered = hello ? alpn_of_message (hello, tls13) : NULL;
  char *selected = answer ? alpn_of_message (answer, tls13) : NULL;
  gnutls_datum_t reported = { NULL, 0 };

  /* What GnuTLS says it selected must be what the bytes say. (A live peer's message may be
   * missing from the trace if the connection broke off; then the wire says nothing and GnuTLS's
   * claim alone is not taken.) */
  if (gnutls_alpn_get_selected_protocol (session, &reported) == 0 &&
      (selected != NULL || run->local == HL_SIDE_NONE) &&
      (selected == NULL || strlen (selected) != reported.size ||
       memcmp (selected, reported.data, reported.size) != 0))
    hl_engine_set_error (run, HL_ENGINE_ERROR_UNEXPECTED,
                         "ALPN: GnuTLS reports “%.*s” but the %s on the wire says “%s”",
                         (int) reported.size, (const char *) reported.data,
                         tls13 ? "EncryptedExtensions" : "ServerHello",
                         selected ? selected : "nothing");

  if (run->capture && offered != NULL)
    {
      g_autofree char *sentence = g_strdup_printf ("It also names the application protocols "
                                                   "it can speak inside TLS (ALPN): %s.",
                                                   offered);
      append_caption (hello, sentence);
    }
  if (run->capture && selected != NULL)
    {
      g_autofree char *sentence = g_strdup_printf ("Of the application protocols the client "
                                                   "offered, the server picks %s (ALPN).",
                                                   selected);
      append_caption (answer, sentence);
    }
  return selected;
}
