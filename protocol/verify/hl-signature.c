/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-signature"
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "hl-event-private.h"
#include "hl-signature.h"
#include "hl-transcript.h"

/* Sections: schemes · reading the messages · signed content · checking · applying. */

#define HT_CLIENT_HELLO 1
#define HT_SERVER_HELLO 2
#define HT_SERVER_KEY_EXCHANGE 12
#define HT_CERTIFICATE_VERIFY 15

/* Schemes: RFC 8446 §4.2.3 (TLS 1.3 binds ECDSA to a curve; TLS 1.2's SignatureAndHashAlgorithm
 * of RFC 5246 §7.4.1.4.1 uses the same numbers without that binding). */
static const struct
{
  guint16                 code;
  gnutls_sign_algorithm_t tls12;
  gnutls_sign_algorithm_t tls13;
  const char             *name;
} schemes[] = {
  { 0x0201, GNUTLS_SIGN_RSA_SHA1, GNUTLS_SIGN_UNKNOWN, "rsa_pkcs1_sha1" },
  { 0x0401, GNUTLS_SIGN_RSA_SHA256, GNUTLS_SIGN_UNKNOWN, "rsa_pkcs1_sha256" },
  { 0x0501, GNUTLS_SIGN_RSA_SHA384, GNUTLS_SIGN_UNKNOWN, "rsa_pkcs1_sha384" },
  { 0x0601, GNUTLS_SIGN_RSA_SHA512, GNUTLS_SIGN_UNKNOWN, "rsa_pkcs1_sha512" },
  { 0x0203, GNUTLS_SIGN_ECDSA_SHA1, GNUTLS_SIGN_UNKNOWN, "ecdsa_sha1" },
  { 0x0403, GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256,
    "ecdsa_secp256r1_sha256" },
  { 0x0503, GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384,
    "ecdsa_secp384r1_sha384" },
  { 0x0603, GNUTLS_SIGN_ECDSA_SHA512, GNUTLS_SIGN_ECDSA_SECP521R1_SHA512,
    "ecdsa_secp521r1_sha512" },
  { 0x0804, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256,
    "rsa_pss_rsae_sha256" },
  { 0x0805, GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, GNUTLS_SIGN_RSA_PSS_RSAE_SHA384,
    "rsa_pss_rsae_sha384" },
  { 0x0806, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512,
    "rsa_pss_rsae_sha512" },
  { 0x0807, GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_SIGN_EDDSA_ED25519, "ed25519" },
  { 0x0808, GNUTLS_SIGN_EDDSA_ED448, GNUTLS_SIGN_EDDSA_ED448, "ed448" },
  { 0x0809, GNUTLS_SIGN_RSA_PSS_SHA256, GNUTLS_SIGN_RSA_PSS_SHA256, "rsa_pss_pss_sha256" },
  { 0x080a, GNUTLS_SIGN_RSA_PSS_SHA384, GNUTLS_SIGN_RSA_PSS_SHA384, "rsa_pss_pss_sha384" },
  { 0x080b, GNUTLS_SIGN_RSA_PSS_SHA512, GNUTLS_SIGN_RSA_PSS_SHA512, "rsa_pss_pss_sha512" },
};

void
hl_signature_check_free (HlSignatureCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->scheme);
  g_free (check->detail);
  g_free (check);
}

/* Reading the messages */

static int
find_last_before (HlTrace *trace, guint handshake, guint before, int type, gboolean hrr_ok)
{
  int found = -1;

  for (guint i = 0; i < before && i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *e = hl_trace_get_event (trace, i);

      if (hl_event_get_handshake (e) == handshake && hl_event_get_kind (e) == HL_EVENT_MESSAGE &&
          hl_event_get_handshake_type (e) == type &&
          (hrr_ok || g_strcmp0 (hl_event_get_name (e), "HelloRetryRequest") != 0))
        found = (int) i;
    }
  return found;
}

/* The 32-byte random of a hello (RFC 5246 §7.4.1.2: after the 4-byte header and the version). */
static gboolean
hello_random (HlTrace *trace, int index, const guint8 **random)
{
  gsize n;
  const guint8 *p;

  if (index < 0 || hl_event_get_bytes (hl_trace_get_event (trace, (guint) index)) == NULL)
    return FALSE;
  p = g_bytes_get_data (hl_event_get_bytes (hl_trace_get_event (trace, (guint) index)), &n);
  if (n < 4 + 2 + 32)
    return FALSE;
  *random = p + 6;
  return TRUE;
}

static gboolean
is_tls13 (HlTrace *trace, guint handshake)
{
  GPtrArray *negotiated = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negotiated->len; i++)
    {
      const HlNegotiated *n = g_ptr_array_index (negotiated, i);

      if (n->handshake == handshake && n->version)
        return g_str_equal (n->version, "TLS1.3");
    }
  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    if (hl_event_get_handshake (hl_trace_get_event (trace, i)) == handshake &&
        hl_event_get_epoch (hl_trace_get_event (trace, i)) == HL_EPOCH_HANDSHAKE)
      return TRUE;
  return FALSE;
}

static gnutls_digest_algorithm_t
suite_hash (HlTrace *trace, guint handshake)
{
  GPtrArray *negotiated = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negotiated->len; i++)
    {
      const HlNegotiated *n = g_ptr_array_index (negotiated, i);

      if (n->handshake == handshake && n->cipher_suite &&
          g_str_has_suffix (n->cipher_suite, "SHA384"))
        return GNUTLS_DIG_SHA384;
    }
  return GNUTLS_DIG_SHA256;
}

/* Signed content */

/* RFC 8446 §4.4.3: 64 × 0x20, the context string, 0x00, Transcript-Hash(… Certificate). After a
 * HelloRetryRequest the first ClientHello counts as message_hash (§4.4.1). */
static GByteArray *
tls13_content (HlTrace *trace, guint message, HlSide signer, gnutls_digest_algorithm_t hash)
{
  gboolean after_hrr = FALSE;
  g_autoptr(GArray) transcript = hl_trace_transcript (trace, message, &after_hrr);
  gnutls_hash_hd_t hd;
  guint8 digest[64];
  guint len = gnutls_hash_get_len (hash);
  const char *context = signer == HL_SIDE_SERVER ? "TLS 1.3, server CertificateVerify"
                                                 : "TLS 1.3, client CertificateVerify";
  GByteArray *out;
  guint8 space = 0x20, zero = 0;

  if (gnutls_hash_init (&hd, hash) < 0)
    return NULL;
  for (guint i = 0; i < transcript->len; i++)
    {
      GBytes *b = hl_event_get_bytes (hl_trace_get_event (trace,
                                                          g_array_index (transcript, guint, i)));
      gsize n = b ? g_bytes_get_size (b) : 0;
      const guint8 *p = b ? g_bytes_get_data (b, NULL) : NULL;

      if (i == 0 && after_hrr)
        {
          guint8 ch1[64];
          guint8 head[4] = { 254, 0, 0, (guint8) len };

          gnutls_hash_fast (hash, p, n, ch1);
          gnutls_hash (hd, head, 4);
          gnutls_hash (hd, ch1, len);
        }
      else if (n > 0)
        gnutls_hash (hd, p, n);
    }
  gnutls_hash_deinit (hd, digest);

  out = g_byte_array_new ();
  for (guint i = 0; i < 64; i++)
    g_byte_array_append (out, &space, 1);
  g_byte_array_append (out, (const guint8 *) context, strlen (context));
  g_byte_array_append (out, &zero, 1);
  g_byte_array_append (out, digest, len);
  return out;
}

/* RFC 5246 §7.4.8: the concatenation of every handshake message before the CertificateVerify. */
static GByteArray *
tls12_transcript (HlTrace *trace, guint message)
{
  g_autoptr(GArray) transcript = hl_trace_transcript (trace, message, NULL);
  GByteArray *out = g_byte_array_new ();

  for (guint i = 0; i < transcript->len; i++)
    {
      GBytes *b = hl_event_get_bytes (hl_trace_get_event (trace,
                                                          g_array_index (transcript, guint, i)));

      if (b)
        g_byte_array_append (out, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
    }
  return out;
}

/* Checking */

static HlSignatureCheck *
not_checkable (HlSignatureCheck *check, const char *why)
{
  check->check = HL_CHECK_NONE;
  check->detail = g_strdup_printf ("Not checked: %s.", why);
  return check;
}

static HlSignatureCheck *
check_one (HlTrace *trace, HlEvent *event)
{
  HlSignatureCheck *check = g_new0 (HlSignatureCheck, 1);
  guint handshake = hl_event_get_handshake (event);
  gboolean tls13 = is_tls13 (trace, handshake);
  gboolean ske = hl_event_get_handshake_type (event) == HT_SERVER_KEY_EXCHANGE;
  GBytes *bytes = hl_event_get_bytes (event);
  GPtrArray *chain;
  const guint8 *p, *sig;
  gsize n, params_len = 0, off, sig_len;
  guint16 code;
  gnutls_sign_algorithm_t algorithm = GNUTLS_SIGN_UNKNOWN;
  g_autoptr(GByteArray) content = NULL;
  gnutls_pubkey_t pub = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t der, data, signature;
  int rc;

  check->message = hl_event_get_index (event);
  check->handshake = handshake;
  check->signer = hl_event_get_role (event);
  chain = hl_trace_get_chain_of (trace, handshake, check->signer);
  if (bytes == NULL || chain->len == 0)
    return not_checkable (check, "the signer's certificate is not in the trace");
  p = g_bytes_get_data (bytes, &n);
  off = 4;
  if (ske)
    {
      /* RFC 8422 §5.4: ECParameters (curve_type 3, named_curve) and the point, then the
       * signature; only ECDHE is used with signatures here */
      if (n < off + 4 || p[off] != 3 || n < off + 4 + p[off + 3])
        return not_checkable (check, "the ServerKeyExchange is not a named-curve ECDHE one");
      params_len = 4 + p[off + 3];
      off += params_len;
    }
  if (n < off + 4)
    return not_checkable (check, "the message is too short to hold a signature");
  code = (guint16) (p[off] << 8 | p[off + 1]);
  sig_len = (gsize) (p[off + 2] << 8 | p[off + 3]);
  if (n != off + 4 + sig_len)
    return not_checkable (check, "the signature's length does not match the message");
  sig = p + off + 4;
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (schemes[i].code == code)
      {
        algorithm = tls13 ? schemes[i].tls13 : schemes[i].tls12;
        check->scheme = g_strdup (schemes[i].name);
      }
  if (algorithm == GNUTLS_SIGN_UNKNOWN)
    {
      g_autofree char *why = g_strdup_printf ("signature scheme 0x%04x is not one this check "
                                              "knows for TLS 1.%d", code, tls13 ? 3 : 2);
      return not_checkable (check, why);
    }

  if (ske)
    {
      const guint8 *cr = NULL, *sr = NULL;

      if (!hello_random (trace, find_last_before (trace, handshake, check->message,
                                                  HT_CLIENT_HELLO, TRUE), &cr) ||
          !hello_random (trace, find_last_before (trace, handshake, check->message,
                                                  HT_SERVER_HELLO, FALSE), &sr))
        return not_checkable (check, "the hellos with the two random values are missing");
      /* RFC 5246 §7.4.3: client_random ‖ server_random ‖ params */
      content = g_byte_array_new ();
      g_byte_array_append (content, cr, 32);
      g_byte_array_append (content, sr, 32);
      g_byte_array_append (content, p + 4, (guint) params_len);
    }
  else if (tls13)
    content = tls13_content (trace, check->message, check->signer,
                             suite_hash (trace, handshake));
  else
    content = tls12_transcript (trace, check->message);
  if (content == NULL)
    return not_checkable (check, "the transcript could not be hashed");
  check->signed_length = content->len;

  der.data = (unsigned char *) g_bytes_get_data (g_ptr_array_index (chain, 0), NULL);
  der.size = g_bytes_get_size (g_ptr_array_index (chain, 0));
  if (gnutls_x509_crt_init (&crt) < 0 || gnutls_x509_crt_import (crt, &der, GNUTLS_X509_FMT_DER) < 0 ||
      gnutls_pubkey_init (&pub) < 0 || gnutls_pubkey_import_x509 (pub, crt, 0) < 0)
    {
      if (crt)
        gnutls_x509_crt_deinit (crt);
      if (pub)
        gnutls_pubkey_deinit (pub);
      return not_checkable (check, "the signer's certificate does not hold a usable public key");
    }
  data.data = content->data;
  data.size = content->len;
  signature.data = (unsigned char *) sig;
  signature.size = (unsigned) sig_len;
  rc = gnutls_pubkey_verify_data2 (pub, algorithm, 0, &data, &signature);
  gnutls_pubkey_deinit (pub);
  gnutls_x509_crt_deinit (crt);

  if (rc >= 0)
    {
      check->check = HL_CHECK_OK;
      check->detail = g_strdup_printf ("Handshake Lens checked it: a valid %s signature over the "
                                       "%" G_GSIZE_FORMAT " bytes of %s, made with the key of "
                                       "the %s's certificate.", check->scheme,
                                       check->signed_length,
                                       ske ? "client_random ‖ server_random ‖ ECDH parameters"
                                       : tls13 ? "spaces, context string and transcript hash"
                                               : "handshake messages so far",
                                       hl_side_to_string (hl_event_get_side (event)));
    }
  else
    {
      check->check = HL_CHECK_FAILED;
      check->detail = g_strdup_printf ("Handshake Lens checked it: the %s signature does NOT "
                                       "verify with the key of the %s's certificate (%s).",
                                       check->scheme,
                                       hl_side_to_string (hl_event_get_side (event)),
                                       gnutls_strerror (rc));
    }
  return check;
}

GPtrArray *
hl_trace_check_signatures (HlTrace *trace)
{
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_signature_check_free);

  g_return_val_if_fail (HL_IS_TRACE (trace), checks);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int type = hl_event_get_handshake_type (event);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          (type == HT_SERVER_KEY_EXCHANGE || type == HT_CERTIFICATE_VERIFY))
        g_ptr_array_add (checks, check_one (trace, event));
    }
  return checks;
}

/* Applying */

void
hl_signature_apply (HlTrace *trace)
{
  g_autoptr(GPtrArray) checks = hl_trace_check_signatures (trace);

  for (guint c = 0; c < checks->len; c++)
    {
      HlSignatureCheck *check = g_ptr_array_index (checks, c);
      HlEvent *message = hl_trace_get_event (trace, check->message);
      gboolean ske = hl_event_get_handshake_type (message) == HT_SERVER_KEY_EXCHANGE;
      HlSide verifier = check->signer == HL_SIDE_SERVER ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
      const char *name = ske ? "Check the key-exchange signature"
                             : "Check the CertificateVerify signature";

      for (guint i = check->message + 1; i < hl_trace_get_n_events (trace); i++)
        {
          HlEvent *event = hl_trace_get_event (trace, i);
          g_autofree char *caption = NULL;
          g_autofree char *technical = NULL;
          gboolean went_on = FALSE;

          if (hl_event_get_handshake (event) != check->handshake ||
              hl_event_get_kind (event) != HL_EVENT_ACTION ||
              hl_event_get_role (event) != verifier ||
              g_strcmp0 (hl_event_get_name (event), name) != 0)
            continue;
          /* GnuTLS's own verdict shows in what it did next: it went on to its Finished */
          for (guint j = i + 1; j < hl_trace_get_n_events (trace) && !went_on; j++)
            {
              HlEvent *later = hl_trace_get_event (trace, j);

              went_on = hl_event_get_handshake (later) == check->handshake &&
                        hl_event_get_role (later) == verifier &&
                        hl_event_get_kind (later) == HL_EVENT_MESSAGE &&
                        hl_event_get_handshake_type (later) == 20;
            }
          /* the participants by name: with an attacker in the middle, one end is the attacker */
          const char *checker = hl_side_to_string (hl_event_get_side (event));
          const char *signer = hl_side_to_string (hl_event_get_side (message));

          if (check->check == HL_CHECK_OK)
            caption = g_strdup_printf ("The %s checks the %s's signature with the public key "
                                       "from its certificate — it is valid, so the %s really "
                                       "holds that certificate's private key.", checker, signer,
                                       signer);
          else if (check->check == HL_CHECK_FAILED)
            caption = g_strdup_printf ("The %s checks the %s's signature with the public key "
                                       "from its certificate — it is NOT valid.", checker,
                                       signer);
          technical = g_strdup_printf ("%s%s", check->detail,
                                       went_on ? " GnuTLS accepted it too: it went on to its "
                                                 "Finished." : "");
          hl_event_set_check (event, check->check);
          if (caption)
            hl_event_set_caption (event, caption);
          hl_event_set_technical (event, technical);
          break;
        }
    }
}
