/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-engine"
#include "config.h"

#include "hl-engine-private.h"
#include "hl-engine-parts.h"
#include "hl-signature.h"

/* Events: creating them, appending them to the trace, the pending items each side queued until
 * the record that carries them is on the wire, and the engine's first error. */

void
hl_engine_set_error (Run *run, int code, const char *format, ...)
{
  va_list args;

  if (run->error != NULL)
    return;
  va_start (args, format);
  run->error = g_error_new_valist (HL_ENGINE_ERROR, code, format, args);
  va_end (args);
}

/* Short hex for technical lines: the first 8 bytes and the length. */
char *
hl_engine_short_hex (GBytes *bytes)
{
  gsize n;
  const guint8 *p = g_bytes_get_data (bytes, &n);
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < MIN (n, 8); i++)
    g_string_append_printf (s, "%02x", p[i]);
  if (n > 8)
    g_string_append (s, "…");
  g_string_append_printf (s, " (%" G_GSIZE_FORMAT " bytes)", n);
  return g_string_free (s, FALSE);
}

HlEvent *
hl_engine_new_event (Run *run, HlEventKind kind, HlSide side, HlSide peer, const char *name)
{
  HlEvent *event = hl_event_new (kind, side, peer, name);

  hl_event_set_handshake (event, run->handshake);
  return event;
}

HlEvent *
hl_engine_append_at (Run *run, HlEvent *event, gint64 timestamp)
{
  hl_event_set_timestamp (event, timestamp);
  event = hl_trace_append (run->trace, event);
  hl_engine_take_key (run, event);
  return event;
}

static HlEvent *
append (Run *run, HlEvent *event)
{
  return hl_engine_append_at (run, event, run_time (run));
}

HlEvent *
hl_engine_add_action (Run *run, HlSide side, HlSide peer, const char *name, HlCheck check,
                      const char *caption, const char *technical)
{
  HlEvent *event = new_event (run, HL_EVENT_ACTION, side, peer, name);

  hl_event_set_check (event, check);
  hl_event_set_caption (event, caption);
  hl_event_set_technical (event, technical);
  return append (run, event);
}

void
hl_engine_add_secret (Run *run, const char *name, const char *label, GBytes *value, HlSide holder,
                      HlSource source, const char *note)
{
  HlSecret *secret;
  GPtrArray *secrets = hl_trace_get_secrets (run->trace);

  /* Live: what our session reports are the connection's shared secrets, known to both ends;
   * the peer's private values never reach this function. */
  if (run->local != HL_SIDE_NONE && holder == run->local)
    holder = HL_SIDE_BOTH;

  /* Both sides usually report the same value; keep one entry, held by both. */
  for (guint i = 0; i < secrets->len; i++)
    {
      HlSecret *s = g_ptr_array_index (secrets, i);

      if (s->handshake != run->handshake || !g_str_equal (s->name, name))
        continue;
      if (value != NULL && s->value != NULL && !g_bytes_equal (s->value, value))
        {
          g_autofree char *other = g_strdup_printf ("%s (%s)", name, who (holder));

          secret = hl_secret_new (other, label, value, holder, source, run->handshake);
          secret->note = g_strdup_printf ("differs from the other side's value of %s", name);
          hl_trace_add_secret (run->trace, secret);
          return;
        }
      if (s->holder != holder && holder != HL_SIDE_NONE)
        s->holder = HL_SIDE_BOTH;
      return;
    }

  secret = hl_secret_new (name, label, value, holder, source, run->handshake);
  secret->note = g_strdup (note);
  hl_trace_add_secret (run->trace, secret);
}

/* Pending items: what GnuTLS queued, waiting for the record that carries it */

void
hl_engine_queue_item (Peer *peer, HlEvent *event)
{
  hl_event_set_epoch (event, peer->write_epoch);
  g_queue_push_tail (&peer->pending, event);
}

/* A signature our own check verifies once the trace is complete (hl_signature_apply_early): its
 * verification starts now that the message is on the wire, on the worker thread, beside the
 * rest of the handshake. In memory only, where the signer's session is ours and says which
 * certificate it signed with. */
static void
start_signature_check (Run *run, HlEvent *item)
{
  int type = hl_event_get_handshake_type (item);
  HlSide side = hl_event_get_side (item);
  Run *owner = run->order != NULL ? run->order : run;  /* an attack's runs fill one trace */
  const gnutls_datum_t *ours;
  g_autoptr(GBytes) certificate = NULL;
  HlSignatureEarly *early;
  Peer *signer;

  if (type != GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE && type != GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY)
    return;
  if (side != HL_SIDE_CLIENT && side != HL_SIDE_SERVER)
    return;
  signer = peer_of (run, side);
  if (signer->session == NULL || (ours = gnutls_certificate_get_ours (signer->session)) == NULL)
    return;
  certificate = g_bytes_new (ours->data, ours->size);
  early = hl_signature_start (run->trace, item, is_tls13 (signer),
                              gnutls_prf_hash_get (signer->session), certificate);
  if (early == NULL)
    return;
  if (owner->signature_checks == NULL)
    owner->signature_checks = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              hl_signature_early_free);
  g_ptr_array_add (owner->signature_checks, early);
}

void
hl_engine_apply_signatures (Run *run)
{
  hl_signature_apply_early (run->trace, run->signature_checks);
  g_clear_pointer (&run->signature_checks, g_ptr_array_unref);
}

void
hl_engine_append_item (Run *run, HlEvent *item, int record_index)
{
  hl_event_set_record (item, record_index);
  item = append (run, item);
  if (run->local == HL_SIDE_NONE && hl_event_get_kind (item) == HL_EVENT_MESSAGE &&
      hl_event_get_content_type (item) == HL_CONTENT_HANDSHAKE)
    {
      g_queue_push_tail (&run->unread_messages[side_index (hl_event_get_side (item))],
                         GUINT_TO_POINTER (hl_event_get_index (item) + 1));
      start_signature_check (run, item);
    }
}

HlEvent *
hl_engine_alert_event (Run *run, HlSide sender, guint level, guint desc)
{
  const char *name = hl_alert_description_name (desc);
  HlEvent *event = new_event (run, HL_EVENT_ALERT, sender,
                              sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT,
                              name ? name : "alert");
  guint8 bytes[2] = { level, desc };
  g_autoptr(GBytes) b = g_bytes_new (bytes, 2);
  g_autofree char *tech = g_strdup_printf ("Alert · level %s (%u) · description %s (%u)",
                                           level == 2 ? "fatal" : "warning", level,
                                           name ? name : "?", desc);

  hl_event_set_bytes (event, b);
  hl_event_set_alert (event, level, desc);
  hl_event_set_content_type (event, HL_CONTENT_ALERT);
  hl_event_set_technical (event, tech);
  if (desc == GNUTLS_A_CLOSE_NOTIFY)
    {
      /* Either side may close first (a live server often does). */
      gboolean first = TRUE;
      g_autofree char *cap = NULL;

      for (guint i = hl_trace_get_n_events (run->trace); i-- > 0 && first;)
        {
          HlEvent *e = hl_trace_get_event (run->trace, i);

          if (hl_event_get_handshake (e) != run->handshake)
            break;
          first = !(hl_event_get_kind (e) == HL_EVENT_ALERT &&
                    hl_event_get_alert_description (e) == GNUTLS_A_CLOSE_NOTIFY);
        }
      cap = first ? g_strdup_printf ("The %s has nothing more to send and closes the connection "
                                     "cleanly (close_notify).", who (sender))
                  : g_strdup_printf ("The %s closes its side too (close_notify).", who (sender));
      hl_event_set_caption (event, cap);
    }
  else
    {
      g_autofree char *cap = g_strdup_printf ("The %s aborts the handshake and tells the %s why: "
                                              "%s.", who (sender),
                                              who (sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER
                                                                            : HL_SIDE_CLIENT),
                                              name ? name : "an unknown alert");
      hl_event_set_caption (event, cap);
    }
  return event;
}

/* An item of the remote peer (message, alert, application data) that our session just read:
 * it lives in the remote's last record, and it is shown now, when it was processed. */
void
hl_engine_add_remote_item (Run *run, HlEvent *event)
{
  Peer *remote = peer_of (run, hl_event_get_side (event));

  g_assert (remote->remote);
  if (remote->last_record >= 0)
    {
      HlEvent *record = hl_trace_get_event (run->trace, (guint) remote->last_record);

      hl_event_set_epoch (event, hl_event_get_epoch (record));
    }
  hl_event_set_moment (event, HL_MOMENT_PROCESSED, -1);
  hl_engine_append_item (run, event, remote->last_record);
}

/* A remark on no lifeline (the attack scenarios' plain-words conclusions). */
HlEvent *
hl_engine_add_note (Run *run, const char *name, const char *caption, const char *technical)
{
  HlEvent *event = new_event (run, HL_EVENT_NOTE, HL_SIDE_NONE, HL_SIDE_NONE, name);

  hl_event_set_caption (event, caption);
  hl_event_set_technical (event, technical);
  return append (run, event);
}
