/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hl-decoder.h"

G_BEGIN_DECLS

/*
 * Test-only: runs a real GnuTLS client and server in memory and captures what they send,
 * independently of the engine (protocol/capture/hl-engine.c), so decoder tests have real bytes.
 */

typedef struct
{
  const char *client_priority;
  const char *server_priority;  /* NULL: same as the client's */
  gboolean    ecdsa;            /* ECDSA P-256 server key instead of RSA-2048 */
  gboolean    client_cert;      /* the server requires a client certificate */
  gboolean    tickets;          /* the server issues session tickets */
  gboolean    resume;           /* a second connection resumes the first */
  gboolean    expect_failure;   /* the handshake fails; the failing side sends its alert */
} HlTestCaptureOptions;

typedef struct
{
  guint    connection;   /* 0, or 1 for the resumed connection */
  gboolean from_client;
  gsize    offset;       /* in this direction's byte stream of the connection */
  GBytes  *bytes;        /* the whole record */
  gboolean protected_record;
  guint8   content_type;
} HlTestRecord;

typedef struct
{
  guint    connection;
  gboolean from_client;  /* the sender */
  guint8   type;         /* wire type; HelloRetryRequest is 2 */
  GBytes  *message;      /* 4-byte header + body, rebuilt from the hook's body */
} HlTestMessage;

typedef struct
{
  gboolean       tls13;
  HlKeyExchange  key_exchange;
  GPtrArray     *records;   /* (element-type HlTestRecord) */
  GPtrArray     *messages;  /* (element-type HlTestMessage), as received by the peer */
} HlTestCapture;

HlTestCapture *hl_test_capture_run  (const HlTestCaptureOptions *options,
                                     GError                    **error);
void           hl_test_capture_free (HlTestCapture              *capture);
HlDecodeContext hl_test_capture_context (HlTestCapture *capture,
                                         gboolean       protected_record);
const HlTestMessage *hl_test_capture_find_message (HlTestCapture *capture,
                                                   guint8         type,
                                                   gboolean       from_client);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlTestCapture, hl_test_capture_free)

G_END_DECLS
