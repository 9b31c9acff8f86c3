/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-ticket"
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "hl-ticket.h"

/* The layout of hl-ticket.h */
#define KEY_NAME   16
#define IV_SIZE    16
#define ENC_KEY    32
#define MAC_KEY    16
#define MAC_SIZE   20
#define STEK_SIZE  (KEY_NAME + ENC_KEY + MAC_KEY)

G_DEFINE_QUARK (hl-ticket-error-quark, hl_ticket_error)

/* SHA3-512(T ‖ key): the key GnuTLS seals with in period @t. */
static gboolean
period_key (GBytes *ticket_key, gint64 t, guint8 out[STEK_SIZE], GError **error)
{
  guint8 input[8 + STEK_SIZE];
  int rc;

  for (guint i = 0; i < 8; i++)
    input[i] = ((guint64) t >> (56 - 8 * i)) & 0xff;
  memcpy (input + 8, g_bytes_get_data (ticket_key, NULL), STEK_SIZE);
  rc = gnutls_hash_fast (GNUTLS_DIG_SHA3_512, input, sizeof input, out);
  gnutls_memset (input, 0, sizeof input);
  if (rc < 0)
    {
      g_set_error (error, HL_TICKET_ERROR, HL_TICKET_ERROR_GNUTLS, "SHA3-512: %s (%d)",
                   gnutls_strerror (rc), rc);
      return FALSE;
    }
  return TRUE;
}

gboolean
hl_ticket_open (GBytes *ticket_key, GBytes *ticket, gint64 issued, HlTicketContents *out,
                GError **error)
{
  gsize len;
  const guint8 *p;
  gsize state_len;
  guint8 stek[STEK_SIZE], mac[MAC_SIZE];
  gint64 t = -1;
  gnutls_cipher_hd_t cipher;
  gnutls_datum_t key, iv;
  guint8 *state;
  int rc;

  g_return_val_if_fail (ticket_key != NULL && ticket != NULL && out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  p = g_bytes_get_data (ticket, &len);
  if (g_bytes_get_size (ticket_key) != STEK_SIZE)
    {
      g_set_error (error, HL_TICKET_ERROR, HL_TICKET_ERROR_FORMAT,
                   "the ticket key has %" G_GSIZE_FORMAT " bytes, not %u",
                   g_bytes_get_size (ticket_key), STEK_SIZE);
      return FALSE;
    }
  if (len < KEY_NAME + IV_SIZE + 2 + MAC_SIZE)
    {
      g_set_error (error, HL_TICKET_ERROR, HL_TICKET_ERROR_FORMAT,
                   "%" G_GSIZE_FORMAT " bytes cannot hold a key name, an IV, a length and a MAC",
                   len);
      return FALSE;
    }
  state_len = (p[KEY_NAME + IV_SIZE] << 8) | p[KEY_NAME + IV_SIZE + 1];
  if (KEY_NAME + IV_SIZE + 2 + state_len + MAC_SIZE != len || state_len == 0 ||
      state_len % IV_SIZE != 0)
    {
      g_set_error (error, HL_TICKET_ERROR, HL_TICKET_ERROR_FORMAT,
                   "a %" G_GSIZE_FORMAT "-byte state does not fit a %" G_GSIZE_FORMAT
                   "-byte ticket with AES-CBC blocks", state_len, len);
      return FALSE;
    }

  /* the period the ticket was sealed in, or the one before or after it at a boundary */
  for (gint64 c = issued / HL_TICKET_PERIOD - 1; c <= issued / HL_TICKET_PERIOD + 1; c++)
    {
      if (!period_key (ticket_key, c, stek, error))
        return FALSE;
      if (memcmp (stek, p, KEY_NAME) == 0)
        {
          t = c;
          break;
        }
    }
  if (t < 0)
    {
      gnutls_memset (stek, 0, sizeof stek);
      g_set_error (error, HL_TICKET_ERROR, HL_TICKET_ERROR_KEY_NAME,
                   "its key name is not the first 16 bytes of SHA3-512(T ‖ ticket key) for any "
                   "period T near its time of issue");
      return FALSE;
    }

  rc = gnutls_hmac_fast (GNUTLS_MAC_SHA1, stek + KEY_NAME + ENC_KEY, MAC_KEY, p,
                         len - MAC_SIZE, mac);
  if (rc < 0 || memcmp (mac, p + len - MAC_SIZE, MAC_SIZE) != 0)
    {
      gnutls_memset (stek, 0, sizeof stek);
      if (rc < 0)
        g_set_error (error, HL_TICKET_ERROR, HL_TICKET_ERROR_GNUTLS, "HMAC-SHA1: %s (%d)",
                     gnutls_strerror (rc), rc);
      else
        g_set_error (error, HL_TICKET_ERROR, HL_TICKET_ERROR_MAC,
                     "its HMAC-SHA1 does not match the one computed with the period's MAC key");
      return FALSE;
    }

  key.data = stek + KEY_NAME;
  key.size = ENC_KEY;
  iv.data = (guint8 *) p + KEY_NAME;
  iv.size = IV_SIZE;
  state = g_malloc (state_len);
  rc = gnutls_cipher_init (&cipher, GNUTLS_CIPHER_AES_256_CBC, &key, &iv);
  if (rc >= 0)
    {
      rc = gnutls_cipher_decrypt2 (cipher, p + KEY_NAME + IV_SIZE + 2, state_len, state,
                                   state_len);
      gnutls_cipher_deinit (cipher);
    }
  gnutls_memset (stek, 0, sizeof stek);
  if (rc < 0)
    {
      g_free (state);
      g_set_error (error, HL_TICKET_ERROR, HL_TICKET_ERROR_GNUTLS, "AES-256-CBC: %s (%d)",
                   gnutls_strerror (rc), rc);
      return FALSE;
    }
  out->period = t;
  out->state = g_bytes_new_take (state, state_len);
  return TRUE;
}
