/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-certificate"
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-certificate.h"
#include "hl-error.h"

/* Sections: helpers · HlCertInfo · printing · verification explained. */

static char *
hex_colon (const guint8 *p, gsize n)
{
  GString *s = g_string_sized_new (n * 3);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, "%s%02X", i ? ":" : "", p[i]);
  return g_string_free (s, FALSE);
}

static char *
datum_string (gnutls_datum_t *d)
{
  char *s = g_strndup ((const char *) d->data, d->size);

  gnutls_free (d->data);
  d->data = NULL;
  return s;
}

static GBytes *
datum_bytes_free (gnutls_datum_t *d)
{
  GBytes *b = g_bytes_new (d->data, d->size);

  gnutls_free (d->data);
  d->data = NULL;
  return b;
}

static gnutls_x509_crt_t
import (GBytes *der, GError **error)
{
  gnutls_x509_crt_t crt;
  gsize len;
  gnutls_datum_t d;
  int rc;

  d.data = (unsigned char *) g_bytes_get_data (der, &len);
  d.size = len;
  if ((rc = gnutls_x509_crt_init (&crt)) < 0)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_VALUE, "certificate: %s",
                   gnutls_strerror (rc));
      return NULL;
    }
  if ((rc = gnutls_x509_crt_import (crt, &d, GNUTLS_X509_FMT_DER)) < 0)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_VALUE,
                   "certificate: not a valid DER X.509 certificate (%s)", gnutls_strerror (rc));
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }
  return crt;
}

/* HlCertInfo */

/* g_strv_builder_take() is GLib 2.80 */
static void
builder_take (GStrvBuilder *b, char *str)
{
  g_strv_builder_add (b, str);
  g_free (str);
}

static GStrv
key_usage_names (unsigned usage)
{
  static const struct { unsigned bit; const char *name; } names[] = {
    { GNUTLS_KEY_DIGITAL_SIGNATURE, "digitalSignature" },
    { GNUTLS_KEY_NON_REPUDIATION, "nonRepudiation" },
    { GNUTLS_KEY_KEY_ENCIPHERMENT, "keyEncipherment" },
    { GNUTLS_KEY_DATA_ENCIPHERMENT, "dataEncipherment" },
    { GNUTLS_KEY_KEY_AGREEMENT, "keyAgreement" },
    { GNUTLS_KEY_KEY_CERT_SIGN, "keyCertSign" },
    { GNUTLS_KEY_CRL_SIGN, "cRLSign" },
    { GNUTLS_KEY_ENCIPHER_ONLY, "encipherOnly" },
    { GNUTLS_KEY_DECIPHER_ONLY, "decipherOnly" },
  };
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv result;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (usage & names[i].bit)
      g_strv_builder_add (b, names[i].name);
  result = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return result;
}

static const char *
purpose_name (const char *oid)
{
  if (g_str_equal (oid, GNUTLS_KP_TLS_WWW_SERVER))
    return "serverAuth";
  if (g_str_equal (oid, GNUTLS_KP_TLS_WWW_CLIENT))
    return "clientAuth";
  if (g_str_equal (oid, GNUTLS_KP_CODE_SIGNING))
    return "codeSigning";
  if (g_str_equal (oid, GNUTLS_KP_EMAIL_PROTECTION))
    return "emailProtection";
  if (g_str_equal (oid, GNUTLS_KP_OCSP_SIGNING))
    return "OCSPSigning";
  return oid;
}

static GStrv
extended_key_usage (gnutls_x509_crt_t crt)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv result;

  for (unsigned i = 0;; i++)
    {
      char oid[128];
      size_t size = sizeof oid;

      if (gnutls_x509_crt_get_key_purpose_oid (crt, i, oid, &size, NULL) < 0)
        break;
      g_strv_builder_add (b, purpose_name (oid));
    }
  result = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return result;
}

static GStrv
subject_alt_names (gnutls_x509_crt_t crt)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv result;

  for (unsigned i = 0;; i++)
    {
      char buf[512];
      size_t size = sizeof buf - 1;
      unsigned type = 0;
      int rc = gnutls_x509_crt_get_subject_alt_name2 (crt, i, buf, &size, &type, NULL);

      if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (rc < 0)
        continue;
      buf[MIN (size, sizeof buf - 1)] = '\0';
      switch (type)
        {
        case GNUTLS_SAN_DNSNAME:
          builder_take (b, g_strdup_printf ("DNS:%s", buf));
          break;
        case GNUTLS_SAN_RFC822NAME:
          builder_take (b, g_strdup_printf ("email:%s", buf));
          break;
        case GNUTLS_SAN_URI:
          builder_take (b, g_strdup_printf ("URI:%s", buf));
          break;
        case GNUTLS_SAN_IPADDRESS:
          {
            g_autoptr(GInetAddress) addr =
              g_inet_address_new_from_bytes ((const guint8 *) buf, size == 16
                                                                    ? G_SOCKET_FAMILY_IPV6
                                                                    : G_SOCKET_FAMILY_IPV4);
            g_autofree char *text = size == 4 || size == 16 ? g_inet_address_to_string (addr)
                                                            : g_strdup ("?");
            builder_take (b, g_strdup_printf ("IP:%s", text));
            break;
          }
        default:
          builder_take (b, g_strdup_printf ("type %u", type));
        }
    }
  result = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return result;
}

static void
append_fixed (GByteArray *out, const gnutls_datum_t *d, gsize size)
{
  gsize n = d->size;
  const guint8 *p = d->data;
  static const guint8 zero = 0;

  while (n > size && *p == 0)
    {
      p++;
      n--;
    }
  for (gsize i = n; i < size; i++)
    g_byte_array_append (out, &zero, 1);
  g_byte_array_append (out, p, n);
}

static void
read_public_key (gnutls_x509_crt_t crt, HlCertInfo *info)
{
  unsigned bits = 0;
  int pk = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
  gnutls_datum_t m = { 0 }, e = { 0 }, x = { 0 }, y = { 0 };
  gnutls_ecc_curve_t curve;

  info->key_bits = bits;
  info->key_algorithm = g_strdup (pk >= 0 && gnutls_pk_algorithm_get_name (pk)
                                    ? gnutls_pk_algorithm_get_name (pk) : "unknown");
  if (pk == GNUTLS_PK_RSA && gnutls_x509_crt_get_pk_rsa_raw (crt, &m, &e) == 0)
    {
      /* the modulus without the sign byte GnuTLS may put in front */
      if (m.size > 1 && m.data[0] == 0)
        {
          memmove (m.data, m.data + 1, m.size - 1);
          m.size--;
        }
      info->key_modulus = datum_bytes_free (&m);
      info->key_exponent = datum_bytes_free (&e);
    }
  else if (pk == GNUTLS_PK_ECDSA && gnutls_x509_crt_get_pk_ecc_raw (crt, &curve, &x, &y) == 0)
    {
      /* the uncompressed SEC1 point 04 ‖ x ‖ y, each coordinate exactly the curve's size
       * (GnuTLS hands them as signed integers, sometimes with a leading zero) */
      GByteArray *point = g_byte_array_new ();
      gsize size = (bits + 7) / 8;
      const guint8 tag = 0x04;

      info->key_curve = g_strdup (gnutls_ecc_curve_get_name (curve));
      g_byte_array_append (point, &tag, 1);
      append_fixed (point, &x, size);
      append_fixed (point, &y, size);
      info->key_modulus = g_byte_array_free_to_bytes (point);
      gnutls_free (x.data);
      gnutls_free (y.data);
    }
}

HlCertInfo *
hl_cert_info_new (GBytes *der, GError **error)
{
  gnutls_x509_crt_t crt;
  HlCertInfo *info;
  gnutls_datum_t d = { 0 };
  guint8 buf[64];
  size_t size;
  unsigned usage = 0, ca = 0;
  int path_len = -1;
  int sig;

  g_return_val_if_fail (der != NULL, NULL);

  crt = import (der, error);
  if (crt == NULL)
    return NULL;

  info = g_new0 (HlCertInfo, 1);
  if (gnutls_x509_crt_get_dn3 (crt, &d, 0) == 0)
    info->subject = datum_string (&d);
  if (gnutls_x509_crt_get_issuer_dn3 (crt, &d, 0) == 0)
    info->issuer = datum_string (&d);
  size = sizeof buf;
  if (gnutls_x509_crt_get_serial (crt, buf, &size) == 0)
    info->serial = hex_colon (buf, size);
  info->not_before = gnutls_x509_crt_get_activation_time (crt);
  info->not_after = gnutls_x509_crt_get_expiration_time (crt);
  read_public_key (crt, info);
  if (gnutls_x509_crt_get_key_usage (crt, &usage, NULL) >= 0)
    info->key_usage = key_usage_names (usage);
  else
    info->key_usage = g_new0 (char *, 1);
  info->extended_key_usage = extended_key_usage (crt);
  info->subject_alt_names = subject_alt_names (crt);
  {
    unsigned critical;
    int rc = gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, &path_len);

    info->is_ca = rc >= 0 && ca;
    info->path_len = rc >= 0 ? path_len : -1;
  }
  sig = gnutls_x509_crt_get_signature_algorithm (crt);
  info->signature_algorithm = g_strdup (sig >= 0 && gnutls_sign_get_name (sig)
                                          ? gnutls_sign_get_name (sig) : "unknown");
  size = sizeof buf;
  if (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, buf, &size) == 0)
    info->sha256_fingerprint = hex_colon (buf, size);
  info->self_signed = gnutls_x509_crt_check_issuer (crt, crt) != 0;
  gnutls_x509_crt_deinit (crt);
  return info;
}

void
hl_cert_info_free (HlCertInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->subject);
  g_free (info->issuer);
  g_free (info->serial);
  g_free (info->key_algorithm);
  g_free (info->key_curve);
  g_clear_pointer (&info->key_modulus, g_bytes_unref);
  g_clear_pointer (&info->key_exponent, g_bytes_unref);
  g_strfreev (info->key_usage);
  g_strfreev (info->extended_key_usage);
  g_strfreev (info->subject_alt_names);
  g_free (info->signature_algorithm);
  g_free (info->sha256_fingerprint);
  g_free (info);
}

static char *
format_day (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
}

char *
hl_cert_info_dup_validity_text (const HlCertInfo *info, gint64 now)
{
  const gint64 day = 24 * 60 * 60;

  g_return_val_if_fail (info != NULL, NULL);

  if (now > info->not_after)
    {
      gint64 days = (now - info->not_after) / day;
      g_autofree char *when = format_day (info->not_after);

      return days == 0 ? g_strdup_printf ("expired today (%s)", when)
                       : g_strdup_printf ("expired %" G_GINT64_FORMAT " day%s ago (%s)", days,
                                          days == 1 ? "" : "s", when);
    }
  if (now < info->not_before)
    {
      g_autofree char *when = format_day (info->not_before);

      return g_strdup_printf ("not valid until %s", when);
    }
  {
    gint64 days = (info->not_after - now) / day;
    g_autofree char *when = format_day (info->not_after);

    return g_strdup_printf ("valid for %" G_GINT64_FORMAT " more day%s (until %s)", days,
                            days == 1 ? "" : "s", when);
  }
}

/* Printing */

char *
hl_certificate_dup_pem (GBytes *der, GError **error)
{
  gnutls_x509_crt_t crt = import (der, error);
  gnutls_datum_t out = { 0 };
  int rc;

  if (crt == NULL)
    return NULL;
  rc = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out);
  gnutls_x509_crt_deinit (crt);
  if (rc < 0)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_VALUE, "certificate: %s",
                   gnutls_strerror (rc));
      return NULL;
    }
  return datum_string (&out);
}

char *
hl_certificate_dup_full_text (GBytes *der, GError **error)
{
  gnutls_x509_crt_t crt = import (der, error);
  gnutls_datum_t out = { 0 };
  int rc;

  if (crt == NULL)
    return NULL;
  rc = gnutls_x509_crt_print (crt, GNUTLS_CRT_PRINT_FULL, &out);
  gnutls_x509_crt_deinit (crt);
  if (rc < 0)
    {
      g_set_error (error, HL_PARSE_ERROR, HL_PARSE_ERROR_BAD_VALUE, "certificate: %s",
                   gnutls_strerror (rc));
      return NULL;
    }
  return datum_string (&out);
}

/* Verification explained */

void
hl_verify_step_free (HlVerifyStep *step)
{
  if (step == NULL)
    return;
  g_free (step->title);
  g_free (step->detail);
  g_free (step);
}

static void
add_step (GPtrArray *steps, const char *title, HlCheck check, char *detail)
{
  HlVerifyStep *step = g_new0 (HlVerifyStep, 1);

  step->title = g_strdup (title);
  step->check = check;
  step->detail = detail;
  g_ptr_array_add (steps, step);
}

static char *
names_of (const HlCertInfo *info)
{
  if (info->subject_alt_names && info->subject_alt_names[0])
    return g_strjoinv (", ", info->subject_alt_names);
  return g_strdup (info->subject);
}

GPtrArray *
hl_verification_explain (HlTrace *trace, const HlVerification *v, gint64 now)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_verify_step_free);
  GPtrArray *chain;
  GBytes *ca_der;
  g_autoptr(HlCertInfo) leaf = NULL;
  g_autoptr(HlCertInfo) ca = NULL;
  const char *who = hl_side_to_string (v->verifier);
  HlSide role = hl_trace_get_role (trace, v->handshake, v->verifier);
  const HlAttacker *attacker = hl_trace_get_attacker (trace);
  guint status = v->status;
  guint other = status & ~(GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND |
                           GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_EXPIRED |
                           GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_UNEXPECTED_OWNER);

  g_return_val_if_fail (HL_IS_TRACE (trace), steps);
  g_return_val_if_fail (v != NULL, steps);

  chain = hl_trace_get_chain_of (trace, v->handshake,
                                 role == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT);
  ca_der = hl_trace_get_ca_certificate (trace);
  /* the client that trusts the attacker's CA found its anchor there */
  if (attacker != NULL && attacker->trusted && v->handshake == 0 && attacker->ca_certificate)
    ca_der = attacker->ca_certificate;
  if (chain->len > 0)
    leaf = hl_cert_info_new (g_ptr_array_index (chain, 0), NULL);
  if (ca_der)
    ca = hl_cert_info_new (ca_der, NULL);

  if (v->rc < 0 || leaf == NULL)
    {
      add_step (steps, "A certificate was presented", HL_CHECK_FAILED,
                g_strdup_printf ("GnuTLS could not verify anything: %s", v->text));
      return steps;
    }

  /* 1. The issuer's signature (RFC 5280 §6.1.3 (a)(1)) */
  if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
    add_step (steps, "Signature by the issuer", HL_CHECK_NONE,
              g_strdup_printf ("Not checkable: the %s has no certificate for the issuer “%s”, "
                               "so it has no public key to check the signature with.", who,
                               leaf->issuer));
  else if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
    add_step (steps, "Signature by the issuer", HL_CHECK_FAILED,
              g_strdup_printf ("The %s signature does not match the certificate's contents: "
                               "it was altered or not made by “%s”.", leaf->signature_algorithm,
                               leaf->issuer));
  else
    add_step (steps, "Signature by the issuer", HL_CHECK_OK,
              g_strdup_printf ("The %s signature checks out with the public key of “%s”.",
                               leaf->signature_algorithm, leaf->issuer));

  /* 2. The issuer is a trust anchor */
  if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
    add_step (steps, "Issued by a trusted authority", HL_CHECK_FAILED,
              g_strdup_printf ("Unknown issuer: “%s” is not an authority the %s trusts (it "
                               "trusts “%s”).", leaf->issuer, who,
                               ca ? ca->subject : "its configured authority"));
  else
    add_step (steps, "Issued by a trusted authority", HL_CHECK_OK,
              g_strdup_printf ("“%s” is the %s's trust anchor. It signed this certificate at "
                               "setup and is never contacted on the wire.", leaf->issuer, who));

  /* 3. The validity period */
  {
    g_autofree char *validity = hl_cert_info_dup_validity_text (leaf, now);

    if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED))
      add_step (steps, "Valid at the time of the handshake", HL_CHECK_FAILED,
                g_strdup_printf ("The certificate %s.", validity));
    else
      add_step (steps, "Valid at the time of the handshake", HL_CHECK_OK,
                g_strdup_printf ("The certificate is %s.", validity));
  }

  /* 4. The name (RFC 6125) */
  if (v->hostname)
    {
      g_autofree char *names = names_of (leaf);

      if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
        add_step (steps, "Issued for the name the client asked for", HL_CHECK_FAILED,
                  g_strdup_printf ("The client asked for %s, but the certificate is for %s.",
                                   v->hostname, names));
      else
        add_step (steps, "Issued for the name the client asked for", HL_CHECK_OK,
                  g_strdup_printf ("The client asked for %s and the certificate names %s.",
                                   v->hostname, names));
    }

  if (other)
    {
      gnutls_datum_t out = { 0 };
      char *text = NULL;

      if (gnutls_certificate_verification_status_print (other, GNUTLS_CRT_X509, &out, 0) == 0)
        text = datum_string (&out);
      add_step (steps, "Other checks", HL_CHECK_FAILED,
                text ? text : g_strdup_printf ("status 0x%x", other));
    }
  return steps;
}
