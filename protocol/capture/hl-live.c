/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-live"
#include "config.h"

#include <string.h>

#include "hl-live-private.h"

/*
 * Sections: options · the outcome · public API: asynchronous forms. Connecting and listening
 * are in hl-live-connect.c and hl-live-listen.c, what they share in hl-live-conversation.c
 * (see hl-live-private.h).
 */

/* Options */

void
hl_live_options_init (HlLiveOptions *options)
{
  memset (options, 0, sizeof *options);
  options->connect_timeout_ms = HL_LIVE_DEFAULT_CONNECT_TIMEOUT_MS;
  options->handshake_timeout_ms = HL_LIVE_DEFAULT_HANDSHAKE_TIMEOUT_MS;
  options->total_timeout_ms = HL_LIVE_DEFAULT_TOTAL_TIMEOUT_MS;
  options->capture_limit = HL_LIVE_DEFAULT_CAPTURE_LIMIT;
}

void
hl_live_options_clear (HlLiveOptions *options)
{
  g_clear_pointer (&options->host, g_free);
  g_clear_pointer (&options->server_name, g_free);
  g_clear_pointer (&options->ca_file, g_free);
  g_clear_pointer (&options->request, g_free);
  g_clear_pointer (&options->address, g_free);
  g_clear_pointer (&options->cert_file, g_free);
  g_clear_pointer (&options->key_file, g_free);
}

void
hl_live_options_copy (HlLiveOptions *dest, const HlLiveOptions *src)
{
  *dest = *src;
  dest->host = g_strdup (src->host);
  dest->server_name = g_strdup (src->server_name);
  dest->ca_file = g_strdup (src->ca_file);
  dest->request = g_strdup (src->request);
  dest->address = g_strdup (src->address);
  dest->cert_file = g_strdup (src->cert_file);
  dest->key_file = g_strdup (src->key_file);
}

gboolean
hl_live_parse_address (const char *text, const char *default_host, guint16 default_port,
                       char **host, guint16 *port, GError **error)
{
  g_autofree char *h = NULL;
  const char *port_text = NULL;
  guint64 value;

  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s”: an IPv6 address is written [address]:port", text);
          return FALSE;
        }
      h = g_strndup (text + 1, end - text - 1);
      port_text = end[1] == ':' ? end + 2 : NULL;
    }
  else if (g_ascii_string_to_unsigned (text, 10, 0, 65535, &value, NULL) && default_host)
    {
      h = g_strdup (default_host);
      port_text = text;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon != NULL && strchr (text, ':') == colon)
        {
          h = g_strndup (text, colon - text);
          port_text = colon + 1;
        }
      else
        h = g_strdup (text); /* a bare host, or a bare IPv6 address */
    }

  if (*h == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” names no host", text);
      return FALSE;
    }
  if (port_text == NULL)
    value = default_port;
  else if (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s”: the port must be a number from 1 to 65535", text);
      return FALSE;
    }
  *host = g_steal_pointer (&h);
  *port = (guint16) value;
  return TRUE;
}


/* The outcome */

gboolean
hl_live_trace_succeeded (HlTrace *trace, char **why)
{
  const HlLive *live = hl_trace_get_live (trace);
  const HlOutcome *outcome = hl_trace_get_outcome (trace);
  gboolean ok;
  const char *ours, *theirs;

  g_return_val_if_fail (live != NULL, FALSE);

  ok = outcome->client_ok && outcome->server_ok;
  if (ok || why == NULL)
    return ok;
  ours = live->local == HL_SIDE_CLIENT ? outcome->client_error : outcome->server_error;
  theirs = live->local == HL_SIDE_CLIENT ? outcome->server_error : outcome->client_error;
  if (ours != NULL)
    *why = g_strdup_printf ("our %s failed: %s", hl_side_to_string (live->local), ours);
  else
    *why = g_strdup_printf ("the %s at %s %s", live->local == HL_SIDE_CLIENT ? "server" : "client",
                            live->address ? live->address : "?", theirs ? theirs : "failed");
  return FALSE;
}
/* Public API: asynchronous forms (a worker thread each; the caller's context gets the result) */

static void
connect_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  HlTrace *trace = hl_live_connect (task_data, cancellable, &error);

  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, g_object_unref);
}

static void
options_free (gpointer data)
{
  hl_live_options_clear (data);
  g_free (data);
}

void
hl_live_connect_async (const HlLiveOptions *options, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  HlLiveOptions *copy = g_new0 (HlLiveOptions, 1);

  hl_live_options_copy (copy, options);
  g_task_set_source_tag (task, hl_live_connect_async);
  g_task_set_task_data (task, copy, options_free);
  g_task_run_in_thread (task, connect_thread);
}

HlTrace *
hl_live_connect_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
accept_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  HlTrace *trace = hl_live_listener_accept (task_data, cancellable, &error);

  if (trace == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, trace, g_object_unref);
}

/* @self must stay alive until the callback runs (cancel, then wait for it, before freeing). */
void
hl_live_listener_accept_async (HlLiveListener *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, hl_live_listener_accept_async);
  g_task_set_task_data (task, self, NULL);
  g_task_run_in_thread (task, accept_thread);
}

HlTrace *
hl_live_listener_accept_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}