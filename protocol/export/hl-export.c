/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-export"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>

#include "hl-export.h"

/*
 * Exports of a trace: a pcapng capture with the key log inside (hl-export-pcapng.c), the key log
 * alone, Markdown (hl-export-markdown.c); here: writing them to files, in a thread, and the
 * formats.
 *
 * Sections: files · async and formats.
 */

/* Files */

/* Writes into @path as it is, as a shell's `>` does (a link to nothing makes its target). */
static gboolean
write_in_place (const char *path, const void *data, gsize len, gboolean private,
                GError **error)
{
  int fd = g_open (path, O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, private ? 0600 : 0666);
  const guint8 *p = data;
  struct stat st;
  int saved;

  if (fd < 0)
    goto fail;
  /* a file of secrets is private however it is reached */
  if (private && fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && fchmod (fd, 0600) != 0)
    goto fail;
  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        goto fail;
      p += n;
      len -= (gsize) n;
    }
  if (close (fd) == 0)
    return TRUE;
  fd = -1;
fail:
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
  return FALSE;
}

/**
 * hl_file_write_contents:
 * @file: where to write
 * @data: (array length=len): the bytes
 * @len: how many
 * @flags: as for g_file_replace_contents(); %G_FILE_CREATE_PRIVATE makes the file 0600
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported (the caller names the file)
 *
 * Replaces a regular file (or makes it) with @data, through a temporary file, like
 * g_file_replace_contents(). A device, a pipe or a symbolic link (`/dev/null`, `/dev/stdout`, a
 * FIFO) is written into instead: replacing it would put a regular file in its place.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_file_write_contents (GFile *file, const void *data, gsize len, GFileCreateFlags flags,
                        GCancellable *cancellable, GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  GStatBuf st;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (path != NULL && g_lstat (path, &st) == 0 && !S_ISREG (st.st_mode))
    return write_in_place (path, data, len, (flags & G_FILE_CREATE_PRIVATE) != 0, error);
  return g_file_replace_contents (file, data, len, NULL, FALSE, flags, NULL, cancellable, error);
}

static gboolean
write_file (GFile *file, const void *data, gsize len, gboolean secret, GCancellable *cancellable,
            GError **error)
{
  /* G_FILE_CREATE_PRIVATE alone keeps an existing file's mode; replacing the destination makes
   * even an overwritten file 0600 from the moment it exists */
  GFileCreateFlags flags = secret ? G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION
                                  : G_FILE_CREATE_NONE;

  if (!hl_file_write_contents (file, data, len, flags, cancellable, error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_prefix_error (error, "Cannot write %s: ", name);
      return FALSE;
    }
  return TRUE;
}

/**
 * hl_trace_export_pcapng:
 * @trace: a trace
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported; its message names the file
 *
 * Writes hl_trace_to_pcapng() to @file, created with mode 0600 since it holds the key log.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_export_pcapng (HlTrace *trace, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = hl_trace_to_pcapng (trace, error);
  if (bytes == NULL)
    return FALSE;
  return write_file (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), TRUE,
                     cancellable, error);
}

/**
 * hl_trace_export_keylog:
 * @trace: a trace
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported; its message names the file
 *
 * Writes the NSS key log (hl_trace_dup_keylog(), the `SSLKEYLOGFILE` format) of every connection
 * of @trace to @file, created with mode 0600.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_export_keylog (HlTrace *trace, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autofree char *keylog = NULL;
  gboolean ok;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  keylog = hl_trace_dup_keylog (trace);
  ok = write_file (file, keylog, strlen (keylog), TRUE, cancellable, error);
  gnutls_memset (keylog, 0, strlen (keylog));
  return ok;
}

/**
 * hl_trace_export_markdown:
 * @trace: a trace
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported; its message names the file
 *
 * Writes hl_trace_dup_markdown() to @file.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_export_markdown (HlTrace *trace, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (HL_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = hl_trace_dup_markdown (trace);
  return write_file (file, text, strlen (text), FALSE, cancellable, error);
}

/**
 * hl_trace_export:
 * @trace: a trace
 * @format: what to write
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: where a failure is reported; its message names the file
 *
 * Writes @trace to @file in @format (one of the functions above).
 *
 * Returns: %TRUE on success
 */
gboolean
hl_trace_export (HlTrace *trace, HlExportFormat format, GFile *file, GCancellable *cancellable,
                 GError **error)
{
  switch (format)
    {
    case HL_EXPORT_PCAPNG:
      return hl_trace_export_pcapng (trace, file, cancellable, error);
    case HL_EXPORT_KEYLOG:
      return hl_trace_export_keylog (trace, file, cancellable, error);
    case HL_EXPORT_MARKDOWN:
      return hl_trace_export_markdown (trace, file, cancellable, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Async and formats */

typedef struct
{
  HlTrace        *trace;
  HlExportFormat  format;
  GFile          *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->trace);
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (hl_trace_export (data->trace, data->format, data->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * hl_trace_export_async:
 * @trace: a finished trace (it is read from a worker thread)
 * @format: what to write
 * @file: where to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context when the file is written
 * @user_data: for @callback
 *
 * hl_trace_export() in a worker thread; finish with hl_trace_export_finish().
 */
void
hl_trace_export_async (HlTrace *trace, HlExportFormat format, GFile *file,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (HL_IS_TRACE (trace));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ExportData, 1);
  data->trace = g_object_ref (trace);
  data->format = format;
  data->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_trace_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
hl_trace_export_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hl_trace_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
hl_export_format_get_extension (HlExportFormat format)
{
  switch (format)
    {
    case HL_EXPORT_PCAPNG:
      return "pcapng";
    case HL_EXPORT_KEYLOG:
      return "keys";
    case HL_EXPORT_MARKDOWN:
      return "md";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
hl_export_format_get_mime_type (HlExportFormat format)
{
  switch (format)
    {
    case HL_EXPORT_PCAPNG:
      return "application/x-pcapng";
    case HL_EXPORT_KEYLOG:
      return "text/plain";
    case HL_EXPORT_MARKDOWN:
      return "text/markdown";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
hl_export_format_has_secrets (HlExportFormat format)
{
  return format == HL_EXPORT_PCAPNG || format == HL_EXPORT_KEYLOG;
}
