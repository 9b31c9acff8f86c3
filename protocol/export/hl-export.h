/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hl-trace.h"

G_BEGIN_DECLS

/**
 * HlExportFormat:
 * @HL_EXPORT_PCAPNG: a Wireshark capture (pcapng) with the key log embedded, see
 *   hl_trace_to_pcapng()
 * @HL_EXPORT_KEYLOG: the NSS key log (`SSLKEYLOGFILE`) text; contains secrets
 * @HL_EXPORT_MARKDOWN: the annotated trace as Markdown, see hl_trace_dup_markdown()
 *
 * The text and capture exports of a trace.
 */
typedef enum
{
  HL_EXPORT_PCAPNG,
  HL_EXPORT_KEYLOG,
  HL_EXPORT_MARKDOWN,
} HlExportFormat;

/* The synthetic framing of hl_trace_to_pcapng(): both ends on 127.0.0.1; connection n of the
 * trace (0, 1 for a resumption) comes from client port HL_PCAPNG_CLIENT_PORT + n. */
#define HL_PCAPNG_SERVER_PORT 443
#define HL_PCAPNG_CLIENT_PORT 49152

/* pcapng block types and the Decryption Secrets Block's secrets type for a TLS key log. */
#define HL_PCAPNG_BLOCK_SHB 0x0a0d0d0a
#define HL_PCAPNG_BLOCK_IDB 0x00000001
#define HL_PCAPNG_BLOCK_EPB 0x00000006
#define HL_PCAPNG_BLOCK_DSB 0x0000000a
#define HL_PCAPNG_SECRETS_TLS_KEYLOG 0x544c534b

GBytes     *hl_trace_to_pcapng (HlTrace *trace, GError **error);
char       *hl_trace_dup_markdown (HlTrace *trace);

gboolean    hl_trace_export_pcapng (HlTrace       *trace,
                                    GFile         *file,
                                    GCancellable  *cancellable,
                                    GError       **error);
gboolean    hl_trace_export_keylog (HlTrace       *trace,
                                    GFile         *file,
                                    GCancellable  *cancellable,
                                    GError       **error);
gboolean    hl_trace_export_markdown (HlTrace       *trace,
                                      GFile         *file,
                                      GCancellable  *cancellable,
                                      GError       **error);

gboolean    hl_trace_export (HlTrace         *trace,
                             HlExportFormat   format,
                             GFile           *file,
                             GCancellable    *cancellable,
                             GError         **error);
void        hl_trace_export_async (HlTrace             *trace,
                                   HlExportFormat       format,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean    hl_trace_export_finish (GAsyncResult  *result,
                                    GError       **error);

gboolean    hl_file_write_contents (GFile             *file,
                                    const void        *data,
                                    gsize              len,
                                    GFileCreateFlags   flags,
                                    GCancellable      *cancellable,
                                    GError           **error);

/* The usual file name extension ("pcapng", "keys", "md") and MIME type of @format. */
const char *hl_export_format_get_extension (HlExportFormat format);
const char *hl_export_format_get_mime_type (HlExportFormat format);
/* TRUE when files of @format hold secrets (they are created with mode 0600). */
gboolean    hl_export_format_has_secrets (HlExportFormat format);

G_END_DECLS
