/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-decoder-private.h"

/*
 * Hello extensions (RFC 8446 §4.2 and the RFCs of each extension), one small decoder per
 * extension and a descriptor table, as GnuTLS lib/ext/ does. Each decoder reads the
 * extension_data through a reader bounded to exactly its declared length; whatever it
 * leaves is a TRAILING_DATA error naming the extension.
 */

typedef void (*ExtFunc) (HlReader              *r,
                         HlField               *ext,
                         HlExtWhere             where,
                         const HlDecodeContext *context);

typedef struct
{
  guint16     type;
  const char *rfc;
  const char *explanation;
  ExtFunc     decode;
} ExtDesc;

/* --- Shared lists ---------------------------------------------------------------------- */

void
dec_group_list (HlReader   *r,
                HlField    *parent,
                const char *name)
{
  HlReader sub;
  HlField *list;
  guint n = 0;

  list = dec_vector (r, parent, name, 2, &sub);
  while (dec_more (&sub))
    {
      guint16 group = 0;
      HlField *f = dec_u16 (&sub, list, "group", &group);

      dec_name16 (f, hl_tls_group_name (group), group);
      n++;
    }
  dec_set_count (list, n, "group", "groups");
}

void
dec_signature_schemes (HlReader   *r,
                       HlField    *parent,
                       const char *name)
{
  HlReader sub;
  HlField *list;
  guint n = 0;

  list = dec_vector (r, parent, name, 2, &sub);
  while (dec_more (&sub))
    {
      guint16 scheme = 0;
      HlField *f = dec_u16 (&sub, list, "signature_scheme", &scheme);

      dec_name16 (f, hl_tls_signature_scheme_name (scheme), scheme);
      n++;
    }
  dec_set_count (list, n, "scheme", "schemes");
}

/* DistinguishedName certificate_authorities<3..2^16-1> (RFC 8446 §4.2.4, RFC 5246 §7.4.4):
 * each name is DER, shown as an RFC 4514 string when GnuTLS can read it. */
void
dec_distinguished_names (HlReader *r,
                         HlField  *parent)
{
  HlReader sub;
  HlField *list;
  guint n = 0;

  list = dec_vector (r, parent, "certificate_authorities", 2, &sub);
  dec_annotate (list, "RFC 8446 §4.2.4",
                "Names of the certificate authorities the sender trusts, so the peer can "
                "pick a certificate chain that ends at one of them.");
  while (dec_more (&sub))
    {
      HlSpan der;
      HlField *f = dec_opaque (&sub, list, "distinguished_name", 2, &der);

      if (der.len > 0)
        {
          gnutls_datum_t datum = { (unsigned char *) der.data, (unsigned int) der.len };
          gnutls_datum_t text = { NULL, 0 };

          if (gnutls_x509_rdn_get2 (&datum, &text, 0) == GNUTLS_E_SUCCESS)
            {
              hl_field_set_value_printf (f, "%.*s", (int) text.size, (const char *) text.data);
              gnutls_free (text.data);
            }
        }
      n++;
    }
  dec_set_count (list, n, "name", "names");
}

/* --- Per-extension decoders ------------------------------------------------------------ */

static void
ext_server_name (HlReader              *r,
                 HlField               *ext,
                 HlExtWhere             where,
                 const HlDecodeContext *context)
{
  HlReader sub;
  HlField *list;
  g_autoptr(GString) names = g_string_new (NULL);

  /* The server acknowledges with an empty extension (RFC 6066 §3). */
  if (where != HL_EXT_CLIENT_HELLO)
    {
      hl_field_set_value (ext, "(empty)");
      return;
    }

  list = dec_vector (r, ext, "server_name_list", 2, &sub);
  while (dec_more (&sub))
    {
      gsize start = hl_reader_get_offset (&sub);
      HlField *entry = dec_node (list, "server_name", start, 0);
      HlField *f;
      HlSpan host;
      guint8 type = 0;

      f = dec_u8 (&sub, entry, "name_type", &type);
      dec_name8 (f, type == 0 ? "host_name" : NULL, type);
      f = dec_opaque (&sub, entry, "host_name", 2, &host);
      if (host.len > 0)
        {
          g_autofree char *valid = g_utf8_make_valid ((const char *) host.data,
                                                      (gssize) host.len);
          hl_field_set_value (f, valid);
          hl_field_set_value (entry, valid);
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, valid);
        }
      hl_field_set_length (entry, hl_reader_get_offset (&sub) - start);
    }
  hl_field_set_value (list, names->str);
  hl_field_set_value (ext, names->str);
}

static void
ext_max_fragment_length (HlReader              *r,
                         HlField               *ext,
                         HlExtWhere             where,
                         const HlDecodeContext *context)
{
  static const char *sizes[] = { NULL, "2^9", "2^10", "2^11", "2^12" };
  guint8 v = 0;
  HlField *f = dec_u8 (r, ext, "max_fragment_length", &v);

  dec_name8 (f, v < G_N_ELEMENTS (sizes) ? sizes[v] : NULL, v);
}

static void
ext_status_request (HlReader              *r,
                    HlField               *ext,
                    HlExtWhere             where,
                    const HlDecodeContext *context)
{
  HlField *f;
  guint8 type = 0;

  /* In a TLS 1.2 ServerHello and in 1.3 EncryptedExtensions the answer is empty; GnuTLS
   * also sends it empty in a TLS 1.3 CertificateRequest. */
  if (where == HL_EXT_SERVER_HELLO || where == HL_EXT_ENCRYPTED_EXTENSIONS ||
      hl_reader_is_empty (r))
    {
      hl_field_set_value (ext, "(empty)");
      return;
    }

  f = dec_u8 (r, ext, "status_type", &type);
  dec_name8 (f, type == 1 ? "ocsp" : NULL, type);

  if (where == HL_EXT_CERTIFICATE)
    {
      /* TLS 1.3 carries the OCSP response inside the CertificateEntry (RFC 8446 §4.4.2.1). */
      HlSpan der = { NULL, 0, 0 };

      f = dec_opaque (r, ext, "ocsp_response", 3, &der);
      dec_annotate (f, "RFC 8446 §4.4.2.1",
                    "The OCSP response the server staples to its certificate (DER).");
      if (type == 1)
        hl_decode_ocsp_response (f, &der);
      return;
    }

  f = dec_opaque (r, ext, "responder_id_list", 2, NULL);
  dec_annotate (f, "RFC 6066 §8", "OCSP responders the client trusts (usually none).");
  f = dec_opaque (r, ext, "request_extensions", 2, NULL);
  dec_annotate (f, "RFC 6066 §8", "DER-encoded OCSP request extensions (usually none).");
}

static void
ext_supported_groups (HlReader              *r,
                      HlField               *ext,
                      HlExtWhere             where,
                      const HlDecodeContext *context)
{
  dec_group_list (r, ext, "named_group_list");
}

static void
ext_ec_point_formats (HlReader              *r,
                      HlField               *ext,
                      HlExtWhere             where,
                      const HlDecodeContext *context)
{
  HlReader sub;
  HlField *list;
  guint n = 0;

  list = dec_vector (r, ext, "ec_point_format_list", 1, &sub);
  while (dec_more (&sub))
    {
      guint8 format = 0;
      HlField *f = dec_u8 (&sub, list, "ec_point_format", &format);

      dec_name8 (f, hl_tls_ec_point_format_name (format), format);
      n++;
    }
  dec_set_count (list, n, "format", "formats");
}

static void
ext_signature_algorithms (HlReader              *r,
                          HlField               *ext,
                          HlExtWhere             where,
                          const HlDecodeContext *context)
{
  dec_signature_schemes (r, ext, "supported_signature_algorithms");
}

static void
ext_heartbeat (HlReader              *r,
               HlField               *ext,
               HlExtWhere             where,
               const HlDecodeContext *context)
{
  guint8 mode = 0;
  HlField *f = dec_u8 (r, ext, "mode", &mode);

  dec_name8 (f, mode == 1 ? "peer_allowed_to_send"
                          : mode == 2 ? "peer_not_allowed_to_send" : NULL, mode);
}

static void
ext_alpn (HlReader              *r,
          HlField               *ext,
          HlExtWhere             where,
          const HlDecodeContext *context)
{
  HlReader sub;
  HlField *list;
  g_autoptr(GString) names = g_string_new (NULL);

  list = dec_vector (r, ext, "protocol_name_list", 2, &sub);
  while (dec_more (&sub))
    {
      HlSpan name;
      HlField *f = dec_opaque (&sub, list, "protocol_name", 1, &name);

      if (name.len > 0)
        {
          g_autofree char *valid = g_utf8_make_valid ((const char *) name.data,
                                                      (gssize) name.len);
          hl_field_set_value (f, valid);
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, valid);
        }
    }
  hl_field_set_value (list, names->str);
  hl_field_set_value (ext, names->str);
  /* RFC 7301 §3.1: the client lists what it speaks, most preferred first; the server answers
   * with exactly one of those names (in a TLS 1.2 ServerHello, or in TLS 1.3's
   * EncryptedExtensions). */
  if (where == HL_EXT_CLIENT_HELLO)
    dec_annotate (list, "RFC 7301 §3.1",
                  "The application protocols the client can speak inside this connection, "
                  "most preferred first.");
  else
    dec_annotate (list, "RFC 7301 §3.1",
                  "The one protocol the server selected from the client's list; both sides "
                  "speak it once the handshake is over.");
}

static void
ext_certificate_type (HlReader              *r,
                      HlField               *ext,
                      HlExtWhere             where,
                      const HlDecodeContext *context)
{
  HlField *f;
  guint8 type = 0;

  if (where == HL_EXT_CLIENT_HELLO)
    {
      HlReader sub;
      HlField *list = dec_vector (r, ext, "certificate_types", 1, &sub);

      while (dec_more (&sub))
        {
          f = dec_u8 (&sub, list, "certificate_type", &type);
          dec_name8 (f, hl_tls_certificate_type_name (type), type);
        }
      return;
    }

  f = dec_u8 (r, ext, "certificate_type", &type);
  dec_name8 (f, hl_tls_certificate_type_name (type), type);
}

static void
ext_compress_certificate (HlReader              *r,
                          HlField               *ext,
                          HlExtWhere             where,
                          const HlDecodeContext *context)
{
  HlReader sub;
  HlField *list = dec_vector (r, ext, "algorithms", 1, &sub);

  while (dec_more (&sub))
    {
      guint16 alg = 0;
      HlField *f = dec_u16 (&sub, list, "algorithm", &alg);

      dec_name16 (f, hl_tls_cert_compression_name (alg), alg);
    }
}

static void
ext_record_size_limit (HlReader              *r,
                       HlField               *ext,
                       HlExtWhere             where,
                       const HlDecodeContext *context)
{
  guint16 limit = 0;
  HlField *f = dec_u16 (r, ext, "record_size_limit", &limit);

  hl_field_set_value_printf (f, "%u bytes", limit);
  dec_annotate (f, "RFC 8449 §4",
                "The largest record plaintext the sender is willing to receive.");
  hl_field_set_value_printf (ext, "%u", limit);
}

/* Extensions that must be empty: their presence is the whole message. */
static void
ext_empty (HlReader              *r,
           HlField               *ext,
           HlExtWhere             where,
           const HlDecodeContext *context)
{
  if (!hl_reader_is_empty (r) && !hl_reader_has_error (r))
    hl_reader_fail (r, HL_PARSE_ERROR_BAD_LENGTH, hl_reader_get_offset (r), "extension_data",
                    "must be empty but has %" G_GSIZE_FORMAT " bytes",
                    hl_reader_get_remaining (r));
  hl_field_set_value (ext, "(empty: present means supported)");
}

static void
ext_session_ticket (HlReader              *r,
                    HlField               *ext,
                    HlExtWhere             where,
                    const HlDecodeContext *context)
{
  HlSpan ticket;
  HlField *f;

  if (hl_reader_is_empty (r))
    {
      hl_field_set_value (ext, where == HL_EXT_CLIENT_HELLO
                               ? "(empty: the client asks for a ticket)"
                               : "(empty: the server will send a ticket)");
      return;
    }

  f = dec_rest (r, ext, "ticket", &ticket);
  dec_annotate (f, "RFC 5077 §3.2",
                "A ticket the server issued earlier; presenting it asks to resume that "
                "session.");
  hl_field_set_value_printf (ext, "ticket of %" G_GSIZE_FORMAT " bytes", ticket.len);
}

static void
ext_pre_shared_key (HlReader              *r,
                    HlField               *ext,
                    HlExtWhere             where,
                    const HlDecodeContext *context)
{
  HlReader sub;
  HlField *list;
  HlField *f;
  guint n = 0;

  if (where == HL_EXT_SERVER_HELLO)
    {
      guint16 selected = 0;

      f = dec_u16 (r, ext, "selected_identity", &selected);
      dec_annotate (f, "RFC 8446 §4.2.11",
                    "Index (from 0) of the client's identity the server accepted.");
      hl_field_set_value_printf (ext, "identity %u accepted", selected);
      return;
    }

  list = dec_vector (r, ext, "identities", 2, &sub);
  dec_annotate (list, "RFC 8446 §4.2.11",
                "The pre-shared keys the client offers, here session tickets from an "
                "earlier connection.");
  while (dec_more (&sub))
    {
      gsize start = hl_reader_get_offset (&sub);
      HlField *entry = dec_node (list, "PskIdentity", start, 0);
      guint32 age = 0;

      f = dec_opaque (&sub, entry, "identity", 2, NULL);
      dec_annotate (f, "RFC 8446 §4.2.11", "The ticket as the server issued it.");
      f = dec_u32 (&sub, entry, "obfuscated_ticket_age", &age);
      dec_annotate (f, "RFC 8446 §4.2.11",
                    "The ticket's age in milliseconds plus the server's ticket_age_add, "
                    "modulo 2^32, so observers cannot link connections.");
      hl_field_set_length (entry, hl_reader_get_offset (&sub) - start);
      n++;
    }
  dec_set_count (list, n, "identity", "identities");

  list = dec_vector (r, ext, "binders", 2, &sub);
  dec_annotate (list, "RFC 8446 §4.2.11.2",
                "One HMAC per identity over the ClientHello up to this list, keyed from the "
                "PSK: it proves the client knows the key behind the ticket.");
  n = 0;
  while (dec_more (&sub))
    {
      dec_opaque (&sub, list, "binder", 1, NULL);
      n++;
    }
  dec_set_count (list, n, "binder", "binders");
}

static void
ext_early_data (HlReader              *r,
                HlField               *ext,
                HlExtWhere             where,
                const HlDecodeContext *context)
{
  if (where == HL_EXT_NEW_SESSION_TICKET)
    {
      guint32 max = 0;
      HlField *f = dec_u32 (r, ext, "max_early_data_size", &max);

      hl_field_set_value_printf (f, "%u bytes", max);
      return;
    }
  ext_empty (r, ext, where, context);
}

static void
ext_supported_versions (HlReader              *r,
                        HlField               *ext,
                        HlExtWhere             where,
                        const HlDecodeContext *context)
{
  HlField *f;
  guint16 version = 0;

  if (where == HL_EXT_CLIENT_HELLO)
    {
      HlReader sub;
      HlField *list = dec_vector (r, ext, "versions", 1, &sub);
      guint n = 0;

      while (dec_more (&sub))
        {
          f = dec_u16 (&sub, list, "version", &version);
          dec_name16 (f, hl_tls_version_name (version), version);
          n++;
        }
      dec_set_count (list, n, "version", "versions");
      return;
    }

  f = dec_u16 (r, ext, "selected_version", &version);
  dec_name16 (f, hl_tls_version_name (version), version);
  dec_annotate (f, "RFC 8446 §4.2.1", "The version the server chose: this is what makes "
                                      "the connection TLS 1.3.");
  hl_field_set_value (ext, hl_tls_version_name (version));
}

static void
ext_cookie (HlReader              *r,
            HlField               *ext,
            HlExtWhere             where,
            const HlDecodeContext *context)
{
  HlField *f = dec_opaque (r, ext, "cookie", 2, NULL);

  dec_annotate (f, "RFC 8446 §4.2.2",
                "Opaque state the server hands out in a HelloRetryRequest; the client must "
                "echo it in its second ClientHello.");
}

static void
ext_psk_key_exchange_modes (HlReader              *r,
                            HlField               *ext,
                            HlExtWhere             where,
                            const HlDecodeContext *context)
{
  HlReader sub;
  HlField *list = dec_vector (r, ext, "ke_modes", 1, &sub);
  guint n = 0;

  dec_annotate (list, "RFC 8446 §4.2.9",
                "How a resumed session may use the PSK: alone (psk_ke) or with a fresh "
                "(EC)DHE exchange for forward secrecy (psk_dhe_ke).");
  while (dec_more (&sub))
    {
      guint8 mode = 0;
      HlField *f = dec_u8 (&sub, list, "ke_mode", &mode);

      dec_name8 (f, hl_tls_psk_mode_name (mode), mode);
      n++;
    }
  dec_set_count (list, n, "mode", "modes");
}

static void
ext_certificate_authorities (HlReader              *r,
                             HlField               *ext,
                             HlExtWhere             where,
                             const HlDecodeContext *context)
{
  dec_distinguished_names (r, ext);
}

static void
ext_oid_filters (HlReader              *r,
                 HlField               *ext,
                 HlExtWhere             where,
                 const HlDecodeContext *context)
{
  HlReader sub;
  HlField *list = dec_vector (r, ext, "filters", 2, &sub);

  while (dec_more (&sub))
    {
      gsize start = hl_reader_get_offset (&sub);
      HlField *entry = dec_node (list, "OIDFilter", start, 0);

      dec_opaque (&sub, entry, "certificate_extension_oid", 1, NULL);
      dec_opaque (&sub, entry, "certificate_extension_values", 2, NULL);
      hl_field_set_length (entry, hl_reader_get_offset (&sub) - start);
    }
}

static HlField *
key_share_entry (HlReader *r,
                 HlField  *parent)
{
  gsize start = hl_reader_get_offset (r);
  HlField *entry = dec_node (parent, "KeyShareEntry", start, 0);
  HlField *f;
  HlSpan key;
  guint16 group = 0;
  const char *group_name;

  f = dec_u16 (r, entry, "group", &group);
  group_name = hl_tls_group_name (group);
  dec_name16 (f, group_name, group);
  f = dec_opaque (r, entry, "key_exchange", 2, &key);
  dec_annotate (f, "RFC 8446 §4.2.8.2",
                "The sender's ephemeral public key for this group (X25519: 32 bytes; NIST "
                "curves: 0x04 followed by the X and Y coordinates).");
  hl_field_set_length (entry, hl_reader_get_offset (r) - start);
  hl_field_set_value_printf (entry, "%s, %" G_GSIZE_FORMAT "-byte public key",
                             group_name != NULL ? group_name : "unknown group", key.len);
  return entry;
}

static void
ext_key_share (HlReader              *r,
               HlField               *ext,
               HlExtWhere             where,
               const HlDecodeContext *context)
{
  HlField *f;

  if (where == HL_EXT_HELLO_RETRY_REQUEST)
    {
      guint16 group = 0;

      f = dec_u16 (r, ext, "selected_group", &group);
      dec_name16 (f, hl_tls_group_name (group), group);
      dec_annotate (f, "RFC 8446 §4.2.8",
                    "The group the server wants a key share for in the retried ClientHello.");
      hl_field_set_value (ext, hl_tls_group_name (group));
      return;
    }

  if (where == HL_EXT_SERVER_HELLO)
    {
      f = key_share_entry (r, ext);
      hl_field_set_value (ext, hl_field_get_value (f));
      return;
    }

  {
    HlReader sub;
    HlField *list = dec_vector (r, ext, "client_shares", 2, &sub);
    guint n = 0;

    dec_annotate (list, "RFC 8446 §4.2.8",
                  "Ephemeral public keys for some of the supported groups, sent up front so "
                  "the handshake needs one round trip.");
    while (dec_more (&sub))
      {
        key_share_entry (&sub, list);
        n++;
      }
    dec_set_count (list, n, "share", "shares");
  }
}

static void
ext_renegotiation_info (HlReader              *r,
                        HlField               *ext,
                        HlExtWhere             where,
                        const HlDecodeContext *context)
{
  HlSpan data;
  HlField *f = dec_opaque (r, ext, "renegotiated_connection", 1, &data);

  dec_annotate (f, "RFC 5746 §3.2",
                "Empty on a first handshake; on renegotiation the previous Finished data, "
                "which ties the new handshake to the old connection.");
  if (data.len == 0)
    hl_field_set_value (ext, "(initial handshake)");
}

static void
ext_padding (HlReader              *r,
             HlField               *ext,
             HlExtWhere             where,
             const HlDecodeContext *context)
{
  HlSpan pad;
  HlField *f = dec_rest (r, ext, "padding", &pad);

  hl_field_set_value_printf (f, "%" G_GSIZE_FORMAT " zero bytes", pad.len);
}

static void
ext_raw (HlReader              *r,
         HlField               *ext,
         HlExtWhere             where,
         const HlDecodeContext *context)
{
  if (!hl_reader_is_empty (r))
    dec_rest (r, ext, "extension_data", NULL);
}

static const ExtDesc ext_table[] = {
  { 0, "RFC 6066 §3", "The host name the client wants to reach (SNI), so one server can "
    "present the right certificate for it.", ext_server_name },
  { 1, "RFC 6066 §4", "Asks for smaller records.", ext_max_fragment_length },
  { 5, "RFC 6066 §8", "Asks the server to staple an OCSP response proving its certificate "
    "is not revoked.", ext_status_request },
  { 10, "RFC 8446 §4.2.7", "The key-exchange groups (elliptic curves, finite fields) the "
    "sender supports, most preferred first.", ext_supported_groups },
  { 11, "RFC 8422 §5.1.2", "Elliptic-curve point encodings the sender can parse (TLS 1.2).",
    ext_ec_point_formats },
  { 13, "RFC 8446 §4.2.3", "The signature algorithms the sender accepts in CertificateVerify "
    "and ServerKeyExchange.", ext_signature_algorithms },
  { 15, "RFC 6520 §2", "Heartbeat support.", ext_heartbeat },
  { 16, "RFC 7301 §3.1", "Application protocols offered or chosen (ALPN), e.g. h2, "
    "http/1.1.", ext_alpn },
  { 18, "RFC 6962 §3.3.1", "Asks for Certificate Transparency timestamps.", ext_raw },
  { 19, "RFC 7250 §3", "Client certificate types supported.", ext_certificate_type },
  { 20, "RFC 7250 §3", "Server certificate types supported.", ext_certificate_type },
  { 21, "RFC 7685 §3", "Zero bytes that only change the ClientHello's size.", ext_padding },
  { 22, "RFC 7366 §2", "Encrypt-then-MAC for CBC cipher suites: the MAC covers the "
    "ciphertext, which closes padding-oracle attacks.", ext_empty },
  { 23, "RFC 7627 §5.1", "Extended master secret: the master secret is bound to a hash of "
    "the whole handshake, which defeats the triple-handshake attack.", ext_empty },
  { 27, "RFC 8879 §3", "Certificate compression algorithms supported.",
    ext_compress_certificate },
  { 28, "RFC 8449 §4", "The largest record the sender wants to receive.",
    ext_record_size_limit },
  { 35, "RFC 5077 §3.2", "TLS 1.2 session tickets: empty to ask for one, or a ticket to "
    "resume.", ext_session_ticket },
  { 41, "RFC 8446 §4.2.11", "Pre-shared keys (resumption tickets) offered by the client, or "
    "the one the server accepted. It must be the last extension of a ClientHello.",
    ext_pre_shared_key },
  { 42, "RFC 8446 §4.2.10", "0-RTT early data: the client sends application data before "
    "the handshake finishes.", ext_early_data },
  { 43, "RFC 8446 §4.2.1", "The TLS versions the client supports, or the one the server "
    "chose. This, not legacy_version, negotiates TLS 1.3.", ext_supported_versions },
  { 44, "RFC 8446 §4.2.2", "A cookie from a HelloRetryRequest.", ext_cookie },
  { 45, "RFC 8446 §4.2.9", "Which PSK key-exchange modes the client supports.",
    ext_psk_key_exchange_modes },
  { 47, "RFC 8446 §4.2.4", "Certificate authorities the sender trusts.",
    ext_certificate_authorities },
  { 48, "RFC 8446 §4.2.5", "Certificate extension values the server wants in a client "
    "certificate.", ext_oid_filters },
  { 49, "RFC 8446 §4.2.6", "The client is willing to authenticate after the handshake.",
    ext_empty },
  { 50, "RFC 8446 §4.2.3", "Signature algorithms accepted inside certificates.",
    ext_signature_algorithms },
  { 51, "RFC 8446 §4.2.8", "Ephemeral (EC)DHE public keys, one per offered group (client) "
    "or the one used (server).", ext_key_share },
  { 0xff01, "RFC 5746 §3.2", "Secure renegotiation indication.", ext_renegotiation_info },
};

static const ExtDesc *
find_ext (guint16 type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (ext_table); i++)
    if (ext_table[i].type == type)
      return &ext_table[i];
  return NULL;
}

static const char *
where_name (HlExtWhere where)
{
  switch (where)
    {
    case HL_EXT_CLIENT_HELLO: return "ClientHello";
    case HL_EXT_SERVER_HELLO: return "ServerHello";
    case HL_EXT_HELLO_RETRY_REQUEST: return "HelloRetryRequest";
    case HL_EXT_ENCRYPTED_EXTENSIONS: return "EncryptedExtensions";
    case HL_EXT_CERTIFICATE: return "Certificate";
    case HL_EXT_CERTIFICATE_REQUEST: return "CertificateRequest";
    case HL_EXT_NEW_SESSION_TICKET: return "NewSessionTicket";
    default: return "extensions";
    }
}

/**
 * hl_decode_extensions:
 * @r: reader positioned at the 2-byte length of an extension block
 * @parent: the message (or certificate entry) field
 * @where: which message the block belongs to
 * @context: connection facts
 *
 * Decodes `Extension extensions<0..2^16-1>` into an "extensions" child of @parent, one
 * child per extension named by its IANA name.
 *
 * Returns: (transfer none): the "extensions" field
 */
HlField *
hl_decode_extensions (HlReader              *r,
                      HlField               *parent,
                      HlExtWhere             where,
                      const HlDecodeContext *context)
{
  HlReader list_r;
  HlField *list;
  guint n = 0;

  list = dec_vector (r, parent, "extensions", 2, &list_r);
  dec_annotate (list, "RFC 8446 §4.2",
                "Optional features, each a 2-byte type, a 2-byte length and its data.");

  while (dec_more (&list_r))
    {
      gsize start = hl_reader_get_offset (&list_r);
      const char *old_scope = hl_reader_get_scope (&list_r);
      g_autofree char *scope = NULL;
      g_autofree char *unknown = NULL;
      const ExtDesc *desc;
      const char *ext_name;
      HlField *ext;
      HlField *f;
      HlReader data;
      guint16 type = 0;

      if (!hl_reader_read_u16 (&list_r, "extension_type", &type))
        break;
      ext_name = hl_tls_extension_name (type);
      if (ext_name == NULL)
        ext_name = unknown = g_strdup_printf ("unknown_extension_%u", type);

      ext = dec_node (list, ext_name, start, 0);
      f = dec_node (ext, "extension_type", start, 2);
      dec_name16 (f, hl_tls_extension_name (type), type);
      dec_annotate (f, "RFC 8446 §4.2", "Which extension this is (IANA registry).");

      scope = g_strdup_printf ("%s.extensions.%s", where_name (where), ext_name);
      hl_reader_set_scope (&list_r, scope);
      {
        /* The contents are decoded as children of "extension_data", after its length. */
        HlField *data_node = dec_vector (&list_r, ext, "extension_data", 2, &data);

        desc = find_ext (type);
        if (desc != NULL)
          {
            dec_annotate (ext, desc->rfc, desc->explanation);
            desc->decode (&data, data_node, where, context);
          }
        else
          {
            dec_annotate (ext, NULL, hl_tls_is_grease (type)
                          ? "A GREASE value (RFC 8701): a random reserved code point that "
                            "keeps peers honest about ignoring unknown extensions."
                          : "An extension this decoder does not know; its data is shown "
                            "raw.");
            ext_raw (&data, data_node, where, context);
          }
        hl_reader_finish (&data, NULL);
        /* Summarise a single-item extension (a list, a version) on its own line. */
        if (hl_field_get_value (data_node) == NULL && hl_field_get_n_children (data_node) == 2)
          hl_field_set_value (data_node,
                              hl_field_get_value (hl_field_get_child (data_node, 1)));
        if (hl_field_get_value (ext) == NULL && hl_field_get_value (data_node) != NULL)
          hl_field_set_value (ext, hl_field_get_value (data_node));
      }
      hl_reader_set_scope (&list_r, old_scope);

      hl_field_set_length (ext, hl_reader_get_offset (&list_r) - start);
      n++;
    }
  hl_reader_finish (&list_r, "extensions");

  dec_set_count (list, n, "extension", "extensions");
  return list;
}
