/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Test-only helpers shared by test-kdf.c and test-record-crypto.c: hex in and out, byte
 * comparisons that print both sides, and a real GnuTLS client and server talking in memory
 * (GNUTLS_NONBLOCK, push appends to a queue, pull returns EAGAIN when it is empty) whose
 * handshake messages, secrets and wire bytes are captured for the tests to check against.
 *
 * Everything is static so that each test program, built from its single .c file, includes
 * its own copy.
 */

#include <errno.h>
#include <string.h>

#include <glib.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* --- Bytes ----------------------------------------------------------------------------------- */

/* Parses hex, ignoring white space. */
static inline GBytes *
hl_test_hex (const char *hex)
{
  GByteArray *out = g_byte_array_new ();
  int hi = -1;

  for (const char *p = hex; *p != '\0'; p++)
    {
      int v;

      if (g_ascii_isspace (*p))
        continue;
      v = g_ascii_xdigit_value (*p);
      g_assert_cmpint (v, >=, 0);
      if (hi < 0)
        {
          hi = v;
        }
      else
        {
          guint8 b = (guint8) (hi << 4 | v);

          g_byte_array_append (out, &b, 1);
          hi = -1;
        }
    }
  g_assert_cmpint (hi, ==, -1);

  return g_byte_array_free_to_bytes (out);
}

static inline char *
hl_test_to_hex (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (s, "%s%02x", i > 0 ? " " : "", data[i]);

  return g_string_free (s, FALSE);
}

/* A copy of @bytes with the byte at @index inverted. */
static inline GBytes *
hl_test_flip_byte (GBytes *bytes,
                   gsize   index)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint8 *copy;

  g_assert_cmpuint (index, <, size);
  copy = g_memdup2 (data, size);
  copy[index] ^= 0xff;

  return g_bytes_new_take (copy, size);
}

#define hl_test_assert_bytes_equal(a, b) \
  G_STMT_START \
  { \
    GBytes *_hl_a = (a); \
    GBytes *_hl_b = (b); \
    g_assert_nonnull (_hl_a); \
    g_assert_nonnull (_hl_b); \
    if (!g_bytes_equal (_hl_a, _hl_b)) \
      { \
        g_autofree char *_hl_ha = hl_test_to_hex (_hl_a); \
        g_autofree char *_hl_hb = hl_test_to_hex (_hl_b); \
        g_test_message ("got:      %s", _hl_ha); \
        g_test_message ("expected: %s", _hl_hb); \
      } \
    g_assert_cmpmem (g_bytes_get_data (_hl_a, NULL), g_bytes_get_size (_hl_a), \
                     g_bytes_get_data (_hl_b, NULL), g_bytes_get_size (_hl_b)); \
  } \
  G_STMT_END

#define hl_test_assert_datum_equal(a, datum) \
  G_STMT_START \
  { \
    g_autoptr(GBytes) _hl_d = g_bytes_new ((datum)->data, (datum)->size); \
    hl_test_assert_bytes_equal ((a), _hl_d); \
  } \
  G_STMT_END

/* The body of a framed handshake message. */
static inline GBytes *
hl_test_message_body (GBytes *framed)
{
  g_assert_cmpuint (g_bytes_get_size (framed), >=, 4);

  return g_bytes_new_from_bytes (framed, 4, g_bytes_get_size (framed) - 4);
}

/* --- Credentials ----------------------------------------------------------------------------- */

typedef struct
{
  gnutls_certificate_credentials_t server_cred;
  gnutls_certificate_credentials_t client_cred;
  gnutls_privkey_t                 server_key;
} HlTestCreds;

static HlTestCreds hl_test_creds;

/* A self-signed RSA server certificate for "server.test", made once per test program, with key
 * encipherment so that TLS 1.2 RSA key exchange can use it. */
static inline void
hl_test_tls_init (void)
{
  gnutls_x509_privkey_t xkey;
  gnutls_x509_crt_t crt;
  guint8 serial[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };
  time_t now = time (NULL);
  int rc;

  rc = gnutls_global_init ();
  g_assert_cmpint (rc, ==, 0);

  g_assert_cmpint (gnutls_x509_privkey_init (&xkey), ==, 0);
  rc = gnutls_x509_privkey_generate (xkey, GNUTLS_PK_RSA, 2048, 0);
  g_assert_cmpint (rc, ==, 0);

  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_version (crt, 3), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_activation_time (crt, now - 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_expiration_time (crt, now + 86400), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                  "server.test", strlen ("server.test")),
                   ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key (crt, xkey), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                  GNUTLS_KEY_KEY_ENCIPHERMENT),
                   ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, crt, xkey, GNUTLS_DIG_SHA256, 0), ==, 0);

  g_assert_cmpint (gnutls_certificate_allocate_credentials (&hl_test_creds.server_cred), ==, 0);
  g_assert_cmpint (gnutls_certificate_set_x509_key (hl_test_creds.server_cred, &crt, 1, xkey),
                   ==, 0);
  g_assert_cmpint (gnutls_certificate_allocate_credentials (&hl_test_creds.client_cred), ==, 0);

  g_assert_cmpint (gnutls_privkey_init (&hl_test_creds.server_key), ==, 0);
  rc = gnutls_privkey_import_x509 (hl_test_creds.server_key, xkey,
                                   GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE | GNUTLS_PRIVKEY_IMPORT_COPY);
  g_assert_cmpint (rc, ==, 0);

  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (xkey);
}

static inline void
hl_test_tls_deinit (void)
{
  gnutls_certificate_free_credentials (hl_test_creds.server_cred);
  gnutls_certificate_free_credentials (hl_test_creds.client_cred);
  gnutls_privkey_deinit (hl_test_creds.server_key);
  gnutls_global_deinit ();
}

/* --- An in-memory session pair --------------------------------------------------------------- */

typedef enum
{
  HL_TEST_CLIENT,
  HL_TEST_SERVER,
} HlTestSide;

typedef struct
{
  gnutls_record_encryption_level_t level;
  HlTestSide                       sender;
  GBytes                          *secret;
  GBytes                          *library_key; /* gnutls_record_get_state right then */
  GBytes                          *library_iv;
} HlTestEpoch;

typedef struct _HlTestPair HlTestPair;

typedef struct
{
  HlTestPair *pair;
  HlTestSide  side;
} HlTestEnd;

struct _HlTestPair
{
  gnutls_session_t client;
  gnutls_session_t server;
  HlTestEnd        ends[2];
  GByteArray      *queue[2];      /* bytes sent by side i, not yet read by the other */
  GByteArray      *wire[2];       /* every byte side i ever sent */
  gsize            wire_taken[2]; /* how much of wire[i] hl_test_pair_take_records returned */
  GPtrArray       *messages;      /* framed handshake messages seen by the client, in order */
  GPtrArray       *epochs;        /* HlTestEpoch, from the client's secret function */
  GHashTable      *keylog;        /* label -> GBytes, from the client's keylog function */
  gboolean         hello_retry;
};

static void
hl_test_epoch_free (gpointer data)
{
  HlTestEpoch *epoch = data;

  g_bytes_unref (epoch->secret);
  g_bytes_unref (epoch->library_key);
  g_bytes_unref (epoch->library_iv);
  g_free (epoch);
}

static ssize_t
hl_test_push_cb (gnutls_transport_ptr_t ptr,
                 const void            *data,
                 size_t                 size)
{
  HlTestEnd *end = ptr;

  g_byte_array_append (end->pair->queue[end->side], data, size);
  g_byte_array_append (end->pair->wire[end->side], data, size);

  return size;
}

static ssize_t
hl_test_pull_cb (gnutls_transport_ptr_t ptr,
                 void                  *data,
                 size_t                 size)
{
  HlTestEnd *end = ptr;
  GByteArray *queue = end->pair->queue[!end->side];
  gnutls_session_t self = end->side == HL_TEST_CLIENT ? end->pair->client : end->pair->server;
  gsize n;

  if (queue->len == 0)
    {
      gnutls_transport_set_errno (self, EAGAIN);
      return -1;
    }

  n = MIN (size, queue->len);
  memcpy (data, queue->data, n);
  g_byte_array_remove_range (queue, 0, n);

  return n;
}

static int
hl_test_pull_timeout_cb (gnutls_transport_ptr_t ptr,
                         unsigned int           ms)
{
  HlTestEnd *end = ptr;

  return end->pair->queue[!end->side]->len > 0 ? 1 : 0;
}

/* Incoming messages are taken at PRE (POST may hand a consumed buffer), outgoing ones at PRE
 * too, which fires when the message is queued: together that is the transcript order. */
static int
hl_test_hook_cb (gnutls_session_t      session,
                 unsigned int          htype,
                 unsigned int          when,
                 unsigned int          incoming,
                 const gnutls_datum_t *msg)
{
  HlTestPair *pair = gnutls_session_get_ptr (session);
  g_autoptr(GBytes) body = NULL;
  guint8 wire_type;
  GByteArray *framed;
  guint8 header[4];

  if (when != GNUTLS_HOOK_PRE)
    return 0;

  if (htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST)
    {
      wire_type = GNUTLS_HANDSHAKE_SERVER_HELLO;
      pair->hello_retry = TRUE;
    }
  else if (htype > 255)
    {
      return 0; /* ChangeCipherSpec and other pseudo types */
    }
  else
    {
      wire_type = (guint8) htype;
    }

  framed = g_byte_array_sized_new (4 + msg->size);
  header[0] = wire_type;
  header[1] = (msg->size >> 16) & 0xff;
  header[2] = (msg->size >> 8) & 0xff;
  header[3] = msg->size & 0xff;
  g_byte_array_append (framed, header, 4);
  g_byte_array_append (framed, msg->data, msg->size);
  g_ptr_array_add (pair->messages, g_byte_array_free_to_bytes (framed));

  return 0;
}

static void
hl_test_add_epoch (HlTestPair                      *pair,
                   gnutls_session_t                 session,
                   gnutls_record_encryption_level_t level,
                   HlTestSide                       sender,
                   const void                      *secret,
                   size_t                           secret_size,
                   unsigned                         read)
{
  HlTestEpoch *epoch = g_new0 (HlTestEpoch, 1);
  gnutls_datum_t mac_key, iv, key;
  unsigned char seq[8];
  int rc;

  rc = gnutls_record_get_state (session, read, &mac_key, &iv, &key, seq);
  g_assert_cmpint (rc, ==, 0);

  epoch->level = level;
  epoch->sender = sender;
  epoch->secret = g_bytes_new (secret, secret_size);
  epoch->library_key = g_bytes_new (key.data, key.size);
  epoch->library_iv = g_bytes_new (iv.data, iv.size);
  g_ptr_array_add (pair->epochs, epoch);
}

static int
hl_test_secret_cb (gnutls_session_t                 session,
                   gnutls_record_encryption_level_t level,
                   const void                      *secret_read,
                   const void                      *secret_write,
                   size_t                           secret_size)
{
  HlTestPair *pair = gnutls_session_get_ptr (session);

  /* Only the client's callback is installed: it reads what the server writes. */
  if (secret_read != NULL)
    hl_test_add_epoch (pair, session, level, HL_TEST_SERVER, secret_read, secret_size, 1);
  if (secret_write != NULL)
    hl_test_add_epoch (pair, session, level, HL_TEST_CLIENT, secret_write, secret_size, 0);

  return 0;
}

static int
hl_test_keylog_cb (gnutls_session_t      session,
                   const char           *label,
                   const gnutls_datum_t *secret)
{
  HlTestPair *pair = gnutls_session_get_ptr (session);

  g_hash_table_replace (pair->keylog, g_strdup (label),
                        g_bytes_new (secret->data, secret->size));

  return 0;
}

static inline void
hl_test_pair_free (HlTestPair *pair)
{
  gnutls_deinit (pair->client);
  gnutls_deinit (pair->server);
  for (int i = 0; i < 2; i++)
    {
      g_byte_array_unref (pair->queue[i]);
      g_byte_array_unref (pair->wire[i]);
    }
  g_ptr_array_unref (pair->messages);
  g_ptr_array_unref (pair->epochs);
  g_hash_table_unref (pair->keylog);
  g_free (pair);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTestPair, hl_test_pair_free)

static gnutls_session_t
hl_test_session_new (HlTestPair *pair,
                     HlTestSide  side,
                     const char *priority)
{
  gnutls_session_t session;
  const char *err_pos = NULL;
  int rc;

  rc = gnutls_init (&session, (side == HL_TEST_CLIENT ? GNUTLS_CLIENT : GNUTLS_SERVER) |
                              GNUTLS_NONBLOCK);
  g_assert_cmpint (rc, ==, 0);

  rc = gnutls_priority_set_direct (session, priority, &err_pos);
  if (rc < 0)
    g_error ("priority \"%s\" rejected at \"%s\": %s", priority, err_pos, gnutls_strerror (rc));

  rc = gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE,
                               side == HL_TEST_CLIENT ? hl_test_creds.client_cred
                                                      : hl_test_creds.server_cred);
  g_assert_cmpint (rc, ==, 0);

  pair->ends[side].pair = pair;
  pair->ends[side].side = side;
  gnutls_transport_set_ptr (session, &pair->ends[side]);
  gnutls_transport_set_push_function (session, hl_test_push_cb);
  gnutls_transport_set_pull_function (session, hl_test_pull_cb);
  gnutls_transport_set_pull_timeout_function (session, hl_test_pull_timeout_cb);
  gnutls_session_set_ptr (session, pair);

  if (side == HL_TEST_CLIENT)
    {
      gnutls_server_name_set (session, GNUTLS_NAME_DNS, "server.test", strlen ("server.test"));
      gnutls_handshake_set_hook_function (session, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_BOTH,
                                          hl_test_hook_cb);
      gnutls_handshake_set_secret_function (session, hl_test_secret_cb);
      gnutls_session_set_keylog_function (session, hl_test_keylog_cb);
    }

  return session;
}

static inline HlTestPair *
hl_test_pair_new (const char *client_priority,
                  const char *server_priority)
{
  HlTestPair *pair = g_new0 (HlTestPair, 1);

  for (int i = 0; i < 2; i++)
    {
      pair->queue[i] = g_byte_array_new ();
      pair->wire[i] = g_byte_array_new ();
    }
  pair->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  pair->epochs = g_ptr_array_new_with_free_func (hl_test_epoch_free);
  pair->keylog = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_bytes_unref);
  pair->client = hl_test_session_new (pair, HL_TEST_CLIENT, client_priority);
  pair->server = hl_test_session_new (pair, HL_TEST_SERVER, server_priority);

  return pair;
}

/* gnutls_handshake on client, server, client… until both are done. */
static inline void
hl_test_pair_handshake (HlTestPair *pair)
{
  gboolean client_done = FALSE, server_done = FALSE;

  for (int round = 0; round < 50 && !(client_done && server_done); round++)
    {
      int rc;

      if (!client_done)
        {
          rc = gnutls_handshake (pair->client);
          if (rc == 0)
            client_done = TRUE;
          else if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED)
            g_error ("client handshake: %s", gnutls_strerror (rc));
        }
      if (!server_done)
        {
          rc = gnutls_handshake (pair->server);
          if (rc == 0)
            server_done = TRUE;
          else if (rc != GNUTLS_E_AGAIN && rc != GNUTLS_E_INTERRUPTED)
            g_error ("server handshake: %s", gnutls_strerror (rc));
        }
    }

  g_assert_true (client_done);
  g_assert_true (server_done);
}

/* Index of the first message of @type at or after @start, in the client's transcript. */
static inline guint
hl_test_pair_find_message (HlTestPair *pair,
                           guint8      type,
                           guint       start)
{
  for (guint i = start; i < pair->messages->len; i++)
    {
      const guint8 *data = g_bytes_get_data (pair->messages->pdata[i], NULL);

      if (data[0] == type)
        return i;
    }

  g_error ("no handshake message of type %u after index %u", type, start);
  return 0;
}

static inline GBytes *
hl_test_pair_secret (HlTestPair                      *pair,
                     gnutls_record_encryption_level_t level,
                     HlTestSide                       sender)
{
  for (guint i = 0; i < pair->epochs->len; i++)
    {
      HlTestEpoch *epoch = pair->epochs->pdata[i];

      if (epoch->level == level && epoch->sender == sender)
        return epoch->secret;
    }

  g_error ("no secret for level %d, sender %d", level, sender);
  return NULL;
}

static inline GBytes *
hl_test_pair_keylog (HlTestPair *pair,
                     const char *label)
{
  return g_hash_table_lookup (pair->keylog, label);
}

/* The RSA premaster secret, decrypted from a framed ClientKeyExchange with the server key. */
static inline GBytes *
hl_test_pair_rsa_premaster (HlTestPair *pair,
                            GBytes     *client_key_exchange)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (client_key_exchange, &size);
  gnutls_datum_t ct, pt;
  GBytes *pms;
  int rc;

  g_assert_cmpuint (size, >, 6);
  g_assert_cmpuint ((gsize) (data[4] << 8 | data[5]), ==, size - 6);
  ct.data = (unsigned char *) data + 6;
  ct.size = size - 6;

  rc = gnutls_privkey_decrypt_data (hl_test_creds.server_key, 0, &ct, &pt);
  g_assert_cmpint (rc, ==, 0);
  pms = g_bytes_new (pt.data, pt.size);
  gnutls_memset (pt.data, 0, pt.size);
  gnutls_free (pt.data);

  return pms;
}

/* The whole records @side sent since the last call. */
static inline GPtrArray *
hl_test_pair_take_records (HlTestPair *pair,
                           HlTestSide  side)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GByteArray *wire = pair->wire[side];
  gsize offset = pair->wire_taken[side];

  while (offset + 5 <= wire->len)
    {
      gsize len = 5 + (wire->data[offset + 3] << 8 | wire->data[offset + 4]);

      g_assert_cmpuint (offset + len, <=, wire->len);
      g_ptr_array_add (records, g_bytes_new (wire->data + offset, len));
      offset += len;
    }
  g_assert_cmpuint (offset, ==, wire->len);
  pair->wire_taken[side] = offset;

  return records;
}

/* Moves whatever is queued in both directions to the other side's record layer. */
static inline void
hl_test_pair_drain (HlTestPair *pair)
{
  char buf[4096];

  for (int i = 0; i < 4; i++)
    {
      while (gnutls_record_recv (pair->client, buf, sizeof buf) > 0)
        ;
      while (gnutls_record_recv (pair->server, buf, sizeof buf) > 0)
        ;
    }
}
