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
#include "hl-worker.h"

/* Sections: schemes · reading the messages · signed content · verifying · checking early ·
 * checking · applying. */

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

/* Verifying */

/* What a signature check needs besides the signer's certificate, read from the message and the
 * trace: the scheme, the signed content, the signature (borrowed from the message's bytes). */
typedef struct
{
  gboolean                 ske;
  const char              *scheme;     /* static, or NULL */
  gnutls_sign_algorithm_t  algorithm;
  GByteArray              *content;
  const guint8            *signature;
  gsize                    signature_len;
} Signed;

static void
signed_clear (Signed *in)
{
  g_clear_pointer (&in->content, g_byte_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Signed, signed_clear)

/* FALSE, with @text as the reason. */
static gboolean
refuse (char **why, const char *text)
{
  *why = g_strdup (text);
  return FALSE;
}

/* Fills @in for the ServerKeyExchange or CertificateVerify @event of @trace as it is now; FALSE
 * with the reason in @why when it cannot be checked. */
static gboolean
read_signed (HlTrace *trace, HlEvent *event, gboolean tls13, gnutls_digest_algorithm_t hash,
             Signed *in, char **why)
{
  guint handshake = hl_event_get_handshake (event);
  guint index = hl_event_get_index (event);
  HlSide signer = hl_event_get_role (event);
  GBytes *bytes = hl_event_get_bytes (event);
  const guint8 *p;
  gsize n, params_len = 0, off;
  guint16 code;

  in->ske = hl_event_get_handshake_type (event) == HT_SERVER_KEY_EXCHANGE;
  p = g_bytes_get_data (bytes, &n);
  off = 4;
  if (in->ske)
    {
      /* RFC 8422 §5.4: ECParameters (curve_type 3, named_curve) and the point, then the
       * signature; only ECDHE is used with signatures here */
      if (n < off + 4 || p[off] != 3 || n < off + 4 + p[off + 3])
        return refuse (why, "the ServerKeyExchange is not a named-curve ECDHE one");
      params_len = 4 + p[off + 3];
      off += params_len;
    }
  if (n < off + 4)
    return refuse (why, "the message is too short to hold a signature");
  code = (guint16) (p[off] << 8 | p[off + 1]);
  in->signature_len = (gsize) (p[off + 2] << 8 | p[off + 3]);
  if (n != off + 4 + in->signature_len)
    return refuse (why, "the signature's length does not match the message");
  in->signature = p + off + 4;
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (schemes[i].code == code)
      {
        in->algorithm = tls13 ? schemes[i].tls13 : schemes[i].tls12;
        in->scheme = schemes[i].name;
      }
  if (in->algorithm == GNUTLS_SIGN_UNKNOWN)
    {
      *why = g_strdup_printf ("signature scheme 0x%04x is not one this check knows for TLS 1.%d",
                              code, tls13 ? 3 : 2);
      return FALSE;
    }

  if (in->ske)
    {
      const guint8 *cr = NULL, *sr = NULL;

      if (!hello_random (trace, find_last_before (trace, handshake, index, HT_CLIENT_HELLO,
                                                  TRUE), &cr) ||
          !hello_random (trace, find_last_before (trace, handshake, index, HT_SERVER_HELLO,
                                                  FALSE), &sr))
        return refuse (why, "the hellos with the two random values are missing");
      /* RFC 5246 §7.4.3: client_random ‖ server_random ‖ params */
      in->content = g_byte_array_new ();
      g_byte_array_append (in->content, cr, 32);
      g_byte_array_append (in->content, sr, 32);
      g_byte_array_append (in->content, p + 4, (guint) params_len);
    }
  else if (tls13)
    in->content = tls13_content (trace, index, signer, hash);
  else
    in->content = tls12_transcript (trace, index);
  if (in->content == NULL)
    return refuse (why, "the transcript could not be hashed");
  return TRUE;
}

/* The certificate has no public key we can use (not a GnuTLS error code). */
#define KEY_UNUSABLE G_MININT

/* gnutls_pubkey_verify_data2()'s answer for @content and @signature with the public key of
 * @certificate (DER), or KEY_UNUSABLE. */
static int
verify (GBytes *certificate, gnutls_sign_algorithm_t algorithm, const GByteArray *content,
        const guint8 *signature, gsize signature_len)
{
  gnutls_pubkey_t pub = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t der, data, sig;
  int rc = KEY_UNUSABLE;

  der.data = (unsigned char *) g_bytes_get_data (certificate, NULL);
  der.size = g_bytes_get_size (certificate);
  if (gnutls_x509_crt_init (&crt) >= 0 && gnutls_x509_crt_import (crt, &der, GNUTLS_X509_FMT_DER) >= 0 &&
      gnutls_pubkey_init (&pub) >= 0 && gnutls_pubkey_import_x509 (pub, crt, 0) >= 0)
    {
      data.data = content->data;
      data.size = content->len;
      sig.data = (unsigned char *) signature;
      sig.size = (unsigned) signature_len;
      rc = gnutls_pubkey_verify_data2 (pub, algorithm, 0, &data, &sig);
    }
  if (pub)
    gnutls_pubkey_deinit (pub);
  if (crt)
    gnutls_x509_crt_deinit (crt);
  return rc;
}

/* Checking early
 *
 * Verifying a signature costs about as much as a fifth of a whole in-memory handshake, and the
 * signature is on the wire long before the trace is complete. So the engine starts the same
 * verification on the worker thread as soon as the message is sent, with the inputs as they are
 * then, and the check at the end takes that answer only for byte-identical inputs (certificate,
 * algorithm, signed content, signature): the same primitive on the same bytes gives the same
 * answer, so no ✓ or ✗ depends on where it was computed. */
struct _HlSignatureEarly
{
  HlWorkerJob             *work;
  GBytes                  *certificate;
  gnutls_sign_algorithm_t  algorithm;
  GByteArray              *content;
  GBytes                  *signature;
  int                      rc;
};

static void
early_verify (gpointer data, gpointer unused)
{
  HlSignatureEarly *early = data;

  early->rc = verify (early->certificate, early->algorithm, early->content,
                      g_bytes_get_data (early->signature, NULL),
                      g_bytes_get_size (early->signature));
}

HlSignatureEarly *
hl_signature_start (HlTrace *trace, HlEvent *message, gboolean tls13,
                    gnutls_digest_algorithm_t hash, GBytes *certificate)
{
  Signed in = { 0 };
  g_autofree char *why = NULL;
  HlSignatureEarly *early;

  g_return_val_if_fail (HL_IS_TRACE (trace), NULL);
  g_return_val_if_fail (HL_IS_EVENT (message), NULL);
  g_return_val_if_fail (certificate != NULL, NULL);

  if (hl_event_get_bytes (message) == NULL || !read_signed (trace, message, tls13, hash, &in, &why))
    {
      signed_clear (&in);
      return NULL;
    }
  early = g_new0 (HlSignatureEarly, 1);
  early->certificate = g_bytes_ref (certificate);
  early->algorithm = in.algorithm;
  early->content = g_steal_pointer (&in.content);
  early->signature = g_bytes_new (in.signature, in.signature_len);
  early->work = hl_worker_start (early_verify, early);
  return early;
}

void
hl_signature_early_free (HlSignatureEarly *early)
{
  if (early == NULL)
    return;
  if (early->work != NULL)
    hl_worker_drop (early->work);
  g_bytes_unref (early->certificate);
  g_byte_array_unref (early->content);
  g_bytes_unref (early->signature);
  g_free (early);
}

/* The answer an early check of exactly these inputs got, or FALSE when none was started. */
static gboolean
early_answer (GPtrArray *early, GBytes *certificate, const Signed *in, int *rc)
{
  for (guint i = 0; early != NULL && i < early->len; i++)
    {
      HlSignatureEarly *e = g_ptr_array_index (early, i);

      if (e->algorithm != in->algorithm || e->content->len != in->content->len ||
          memcmp (e->content->data, in->content->data, in->content->len) != 0 ||
          g_bytes_get_size (e->signature) != in->signature_len ||
          memcmp (g_bytes_get_data (e->signature, NULL), in->signature,
                  in->signature_len) != 0 ||
          !g_bytes_equal (e->certificate, certificate))
        continue;
      if (e->work != NULL)
        {
          hl_worker_finish (e->work);
          e->work = NULL;
        }
      *rc = e->rc;
      return TRUE;
    }
  return FALSE;
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
check_one (HlTrace *trace, HlEvent *event, GPtrArray *early)
{
  HlSignatureCheck *check = g_new0 (HlSignatureCheck, 1);
  guint handshake = hl_event_get_handshake (event);
  gboolean tls13 = is_tls13 (trace, handshake);
  GPtrArray *chain;
  g_auto(Signed) in = { 0 };
  g_autofree char *why = NULL;
  GBytes *certificate;
  int rc;

  check->message = hl_event_get_index (event);
  check->handshake = handshake;
  check->signer = hl_event_get_role (event);
  chain = hl_trace_get_chain_of (trace, handshake, check->signer);
  if (hl_event_get_bytes (event) == NULL || chain->len == 0)
    return not_checkable (check, "the signer's certificate is not in the trace");
  if (!read_signed (trace, event, tls13, suite_hash (trace, handshake), &in, &why))
    {
      check->scheme = g_strdup (in.scheme);
      return not_checkable (check, why);
    }
  check->scheme = g_strdup (in.scheme);
  check->signed_length = in.content->len;

  certificate = g_ptr_array_index (chain, 0);
  if (!early_answer (early, certificate, &in, &rc))
    rc = verify (certificate, in.algorithm, in.content, in.signature, in.signature_len);
  if (rc == KEY_UNUSABLE)
    return not_checkable (check, "the signer's certificate does not hold a usable public key");

  if (rc >= 0)
    {
      check->check = HL_CHECK_OK;
      check->detail = g_strdup_printf ("Handshake Lens checked it: a valid %s signature over the "
                                       "%" G_GSIZE_FORMAT " bytes of %s, made with the key of "
                                       "the %s's certificate.", check->scheme,
                                       check->signed_length,
                                       in.ske ? "client_random ‖ server_random ‖ ECDH parameters"
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

static GPtrArray *
check_all (HlTrace *trace, GPtrArray *early)
{
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_signature_check_free);

  g_return_val_if_fail (HL_IS_TRACE (trace), checks);

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    {
      HlEvent *event = hl_trace_get_event (trace, i);
      int type = hl_event_get_handshake_type (event);

      if (hl_event_get_kind (event) == HL_EVENT_MESSAGE &&
          (type == HT_SERVER_KEY_EXCHANGE || type == HT_CERTIFICATE_VERIFY))
        g_ptr_array_add (checks, check_one (trace, event, early));
    }
  return checks;
}

GPtrArray *
hl_trace_check_signatures (HlTrace *trace)
{
  return check_all (trace, NULL);
}

/* Applying */

void
hl_signature_apply (HlTrace *trace)
{
  hl_signature_apply_early (trace, NULL);
}

void
hl_signature_apply_early (HlTrace *trace, GPtrArray *early)
{
  g_autoptr(GPtrArray) checks = check_all (trace, early);

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
