/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include <string.h>

#include "hl-engine-private.h"
#include "hl-engine-parts.h"
#include "hl-decoder.h"

/* Captions: plain words built from what was captured (lengths, names), never typed-in numbers. */

/* The caption of a handshake message @peer sends. Long on purpose: one case per message type,
 * each a caption; split up, the captions would no longer read as one text. */
char *
hl_engine_message_caption (Peer *peer, guint type, gboolean hrr, const guint8 *body,
                           gsize body_len)
{
  HlInnerSizes inner;
  guint8 *wire = g_malloc (body_len + 4);
  const char *w = Who (peer->side);
  gboolean tls13 = is_tls13 (peer);
  gnutls_kx_algorithm_t kx = gnutls_kx_get (session_of (peer));

  /* the sizes inside the message that the captions name, from the message itself */
  wire[0] = (guint8) type;
  wire[1] = (body_len >> 16) & 0xff;
  wire[2] = (body_len >> 8) & 0xff;
  wire[3] = body_len & 0xff;
  if (body_len > 0)
    memcpy (wire + 4, body, body_len);
  inner = hl_decoder_inner_sizes (wire, body_len + 4, tls13);
  g_free (wire);

  if (hrr)
    return g_strdup_printf ("The server cannot use the client's key share and asks it to try "
                            "again with the group it names (HelloRetryRequest, %" G_GSIZE_FORMAT
                            " bytes).", body_len);
  switch (type)
    {
    case GNUTLS_HANDSHAKE_CLIENT_HELLO:
      if (peer->after_hrr)
        /* RFC 8446 §4.1.2: the same random, a key share for the group the server named */
        return g_strdup_printf ("The client says hello again, now with a key share for the "
                                "group the server asked for; its random value and the rest stay "
                                "the same (a %" G_GSIZE_FORMAT "-byte body).", body_len);
      return g_strdup_printf ("The client says hello: the protocol versions, cipher suites and "
                              "extensions it supports, and a fresh random value — all in the "
                              "clear (a %" G_GSIZE_FORMAT "-byte body).", body_len);
    case GNUTLS_HANDSHAKE_SERVER_HELLO:
      /* The suite's name is only known once the handshake completes (collect_negotiated()
       * names it then). */
      return g_strdup ("The server answers with the protocol version and cipher suite it picked "
                       "from the client's offer, and its own random value.");
    case GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS:
      return g_strdup ("The server's remaining choices, already encrypted with the handshake "
                       "traffic keys.");
    case GNUTLS_HANDSHAKE_CERTIFICATE_PKT:
      if (peer->side == HL_SIDE_SERVER)
        return g_strdup_printf ("The server sends its certificate (%" G_GSIZE_FORMAT " bytes of "
                                "DER): its name and public key, signed by a certificate "
                                "authority%s.", inner.certificate,
                                tls13 ? ", encrypted" : "");
      return body_len <= (tls13 ? 4u : 3u)
               ? g_strdup ("The client has no certificate to offer and sends an empty list.")
               : g_strdup_printf ("The client sends its own certificate (%" G_GSIZE_FORMAT
                                  " bytes of DER) so the server can check who it is.",
                                  inner.certificate);
    case GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE:
      /* RFC 8422 §5.4: curve_type, named_curve, then the point with a 1-byte length */
      return g_strdup_printf ("The server sends a fresh elliptic-curve public key for this "
                              "connection (a %" G_GSIZE_FORMAT "-byte point), signed with its "
                              "certificate's private key.", inner.point);
    case GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST:
      return g_strdup ("The server asks the client to prove its identity with a certificate.");
    case GNUTLS_HANDSHAKE_SERVER_HELLO_DONE:
      return g_strdup ("The server is done with its hello messages and waits for the client.");
    case GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE:
      if (kx == GNUTLS_KX_RSA)
        return g_strdup_printf ("The client sends the premaster secret, encrypted with the "
                                "server's RSA public key (%" G_GSIZE_FORMAT " bytes of "
                                "ciphertext): only the server's private key can open it.",
                                body_len > 2 ? body_len - 2 : body_len);
      return g_strdup_printf ("The client sends its own fresh elliptic-curve public key "
                              "(a %" G_GSIZE_FORMAT "-byte point).", inner.point);
    case GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY:
      return g_strdup_printf ("The %s signs a hash of the handshake so far with its private key, "
                              "proving it owns the certificate it sent.", who (peer->side));
    case GNUTLS_HANDSHAKE_FINISHED:
      return g_strdup_printf ("%s Finished: a %" G_GSIZE_FORMAT "-byte keyed hash of every "
                              "handshake message so far. If the other side computes the same "
                              "value, nobody tampered with the conversation.", w, body_len);
    case GNUTLS_HANDSHAKE_NEW_SESSION_TICKET:
      if (tls13 && !peer->read_finished)
        /* GnuTLS sends its tickets right after its own Finished */
        return g_strdup_printf ("The server gives the client a session ticket (%" G_GSIZE_FORMAT
                                " bytes) to resume this session later. It sends it before the "
                                "client's Finished has arrived, which RFC 8446 §4.6.1 allows.",
                                inner.ticket);
      return g_strdup_printf ("The server gives the client a session ticket (%" G_GSIZE_FORMAT
                              " bytes) to resume this session later without a full handshake. "
                              "It is the session's state, master secret included, sealed with "
                              "a key only the server has: the client keeps it without being "
                              "able to read it (RFC 5077 §3.3).", inner.ticket);
    case GNUTLS_HANDSHAKE_END_OF_EARLY_DATA:
      return g_strdup ("The client ends its early data.");
    default:
      return g_strdup_printf ("%s sends handshake message type %u (%" G_GSIZE_FORMAT " bytes).",
                              w, type, body_len);
    }
}

const char *
hl_engine_message_name (guint type, gboolean hrr)
{
  const char *name;

  if (hrr)
    return "HelloRetryRequest";
  name = hl_handshake_type_name (type);
  return name ? name : "Unknown handshake message";
}
