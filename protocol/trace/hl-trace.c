/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace"
#include "config.h"

#include <stdlib.h>
#include <gnutls/gnutls.h>

#include "hl-trace-private.h"

struct _HlTrace
{
  GObject     parent_instance;

  char       *scenario;
  char       *title;
  char       *description;
  char       *library_version;
  gint64      created;
  gboolean    finished;
  guint       n_handshakes;

  GPtrArray  *events;        /* HlEvent */
  GPtrArray  *secrets;       /* HlSecret */
  GPtrArray  *negotiated;    /* HlNegotiated */
  GPtrArray  *verifications; /* HlVerification */
  HlOutcome   outcome;
  GPtrArray  *server_chain;  /* GBytes */
  GPtrArray  *client_chain;  /* GBytes */
  GBytes     *ca_certificate;
  GBytes     *server_key;
  HlLive     *live;
  HlAttacker *attacker;
  gboolean    order_approximate;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlTrace, hl_trace, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* Secrets and records */

HlLive *
hl_live_info_copy (const HlLive *live)
{
  HlLive *copy;

  if (live == NULL)
    return NULL;
  copy = g_new0 (HlLive, 1);
  *copy = *live;
  copy->address = g_strdup (live->address);
  copy->server_name = g_strdup (live->server_name);
  copy->software = g_strdup (live->software);
  copy->trust = g_strdup (live->trust);
  return copy;
}

void
hl_live_info_free (HlLive *live)
{
  if (live == NULL)
    return;
  g_free (live->address);
  g_free (live->server_name);
  g_free (live->software);
  g_free (live->trust);
  g_free (live);
}

HlAttacker *
hl_attacker_info_copy (const HlAttacker *attacker)
{
  HlAttacker *copy;

  if (attacker == NULL)
    return NULL;
  copy = g_new0 (HlAttacker, 1);
  *copy = *attacker;
  copy->ca_certificate = attacker->ca_certificate ? g_bytes_ref (attacker->ca_certificate) : NULL;
  copy->chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; attacker->chain != NULL && i < attacker->chain->len; i++)
    g_ptr_array_add (copy->chain, g_bytes_ref (g_ptr_array_index (attacker->chain, i)));
  return copy;
}

void
hl_attacker_info_free (HlAttacker *attacker)
{
  if (attacker == NULL)
    return;
  g_clear_pointer (&attacker->ca_certificate, g_bytes_unref);
  g_clear_pointer (&attacker->chain, g_ptr_array_unref);
  g_free (attacker);
}

HlSecret *
hl_secret_new (const char *name, const char *label, GBytes *value, HlSide holder,
               HlSource source, guint handshake)
{
  HlSecret *secret = g_new0 (HlSecret, 1);

  secret->name = g_strdup (name);
  secret->label = g_strdup (label ? label : name);
  secret->value = value ? g_bytes_ref (value) : NULL;
  secret->holder = holder;
  secret->source = source;
  secret->handshake = handshake;
  return secret;
}

HlSecret *
hl_secret_copy (const HlSecret *secret)
{
  HlSecret *copy = hl_secret_new (secret->name, secret->label, secret->value, secret->holder,
                                  secret->source, secret->handshake);

  copy->formula = g_strdup (secret->formula);
  copy->inputs = g_strdupv (secret->inputs);
  copy->check = secret->check;
  copy->note = g_strdup (secret->note);
  return copy;
}

void
hl_secret_free (HlSecret *secret)
{
  if (secret == NULL)
    return;
  g_free (secret->name);
  g_free (secret->label);
  g_clear_pointer (&secret->value, g_bytes_unref);
  g_free (secret->formula);
  g_strfreev (secret->inputs);
  g_free (secret->note);
  g_free (secret);
}

void
hl_negotiated_free (HlNegotiated *negotiated)
{
  if (negotiated == NULL)
    return;
  g_free (negotiated->version);
  g_free (negotiated->cipher_suite);
  g_free (negotiated->kx);
  g_free (negotiated->cipher);
  g_free (negotiated->mac);
  g_free (negotiated->group);
  g_free (negotiated->signature);
  g_free (negotiated->alpn);
  g_clear_pointer (&negotiated->client_random, g_bytes_unref);
  g_clear_pointer (&negotiated->server_random, g_bytes_unref);
  g_clear_pointer (&negotiated->session_id, g_bytes_unref);
  g_free (negotiated);
}

void
hl_verification_free (HlVerification *verification)
{
  if (verification == NULL)
    return;
  g_free (verification->text);
  g_free (verification->hostname);
  g_free (verification);
}

/* GListModel */

static GType
list_get_item_type (GListModel *model)
{
  return HL_TYPE_EVENT;
}

static guint
list_get_n_items (GListModel *model)
{
  return HL_TRACE (model)->events->len;
}

static gpointer
list_get_item (GListModel *model, guint position)
{
  HlTrace *self = HL_TRACE (model);

  if (position >= self->events->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->events, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* GObject */

static void
hl_trace_dispose (GObject *object)
{
  HlTrace *self = HL_TRACE (object);

  g_ptr_array_set_size (self->events, 0);
  G_OBJECT_CLASS (hl_trace_parent_class)->dispose (object);
}

static void
hl_trace_finalize (GObject *object)
{
  HlTrace *self = HL_TRACE (object);

  g_free (self->scenario);
  g_free (self->title);
  g_free (self->description);
  g_free (self->library_version);
  g_ptr_array_unref (self->events);
  g_ptr_array_unref (self->secrets);
  g_ptr_array_unref (self->negotiated);
  g_ptr_array_unref (self->verifications);
  g_free (self->outcome.client_error);
  g_free (self->outcome.server_error);
  g_ptr_array_unref (self->server_chain);
  g_ptr_array_unref (self->client_chain);
  g_clear_pointer (&self->ca_certificate, g_bytes_unref);
  g_clear_pointer (&self->server_key, g_bytes_unref);
  g_clear_pointer (&self->live, hl_live_info_free);
  g_clear_pointer (&self->attacker, hl_attacker_info_free);

  G_OBJECT_CLASS (hl_trace_parent_class)->finalize (object);
}

static void
hl_trace_class_init (HlTraceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_trace_dispose;
  object_class->finalize = hl_trace_finalize;
}

static void
hl_trace_init (HlTrace *self)
{
  self->events = g_ptr_array_new_with_free_func (g_object_unref);
  self->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_secret_free);
  self->negotiated = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_negotiated_free);
  self->verifications = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_verification_free);
  self->server_chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->client_chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->outcome.alert_sender = HL_SIDE_NONE;
  self->n_handshakes = 1;
}

/* Public getters */

const char *
hl_trace_get_scenario (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->scenario;
}

const char *
hl_trace_get_title (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->title;
}

const char *
hl_trace_get_description (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->description;
}

const char *
hl_trace_get_library_version (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->library_version;
}

gint64
hl_trace_get_created (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), 0);
  return self->created;
}

gboolean
hl_trace_is_finished (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), FALSE);
  return self->finished;
}

guint
hl_trace_get_n_events (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), 0);
  return self->events->len;
}

HlEvent *
hl_trace_get_event (HlTrace *self, guint index)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  g_return_val_if_fail (index < self->events->len, NULL);
  return g_ptr_array_index (self->events, index);
}

guint
hl_trace_get_n_handshakes (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), 0);
  return self->n_handshakes;
}

GPtrArray *
hl_trace_get_secrets (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->secrets;
}

const HlSecret *
hl_trace_find_secret (HlTrace *self, const char *name, guint handshake)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->secrets->len; i++)
    {
      const HlSecret *secret = g_ptr_array_index (self->secrets, i);

      if (secret->handshake == handshake && g_str_equal (secret->name, name))
        return secret;
    }
  return NULL;
}

GPtrArray *
hl_trace_get_negotiated (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->negotiated;
}

gboolean
hl_trace_handshake_is_tls13 (HlTrace *self, guint handshake)
{
  g_return_val_if_fail (HL_IS_TRACE (self), FALSE);
  for (guint i = 0; i < self->negotiated->len; i++)
    {
      const HlNegotiated *neg = g_ptr_array_index (self->negotiated, i);

      if (neg->handshake == handshake)
        return g_strcmp0 (neg->version, "TLS1.3") == 0;
    }
  /* nothing negotiated yet (a trace being recorded): only TLS 1.3 has a handshake epoch */
  for (guint i = 0; i < hl_trace_get_n_events (self); i++)
    {
      HlEvent *event = hl_trace_get_event (self, i);

      if (hl_event_get_handshake (event) == handshake &&
          hl_event_get_epoch (event) == HL_EPOCH_HANDSHAKE)
        return TRUE;
    }
  return FALSE;
}

GPtrArray *
hl_trace_get_verifications (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->verifications;
}

const HlOutcome *
hl_trace_get_outcome (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return &self->outcome;
}

GPtrArray *
hl_trace_get_server_chain (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->server_chain;
}

GPtrArray *
hl_trace_get_client_chain (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->client_chain;
}

GBytes *
hl_trace_get_ca_certificate (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->ca_certificate;
}

GBytes *
hl_trace_get_server_key (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->server_key;
}

static void
append_keylog_line (GString *out, const char *label, GBytes *random, GBytes *secret)
{
  gsize n;
  const guint8 *p;

  if (random == NULL || secret == NULL)
    return;
  g_string_append_printf (out, "%s ", label);
  p = g_bytes_get_data (random, &n);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%02x", p[i]);
  g_string_append_c (out, ' ');
  p = g_bytes_get_data (secret, &n);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%02x", p[i]);
  g_string_append_c (out, '\n');
}

/* The NSS key log format: every secret named after its keylog label, keyed by the client random
 * of its handshake. TLS 1.2 master secrets are logged as CLIENT_RANDOM. */
char *
hl_trace_dup_keylog (HlTrace *self)
{
  static const char *const labels[] = {
    "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET",
    "CLIENT_EARLY_TRAFFIC_SECRET",
  };
  GString *out;

  g_return_val_if_fail (HL_IS_TRACE (self), NULL);

  out = g_string_new (NULL);
  for (guint h = 0; h < self->negotiated->len; h++)
    {
      const HlNegotiated *neg = g_ptr_array_index (self->negotiated, h);
      const HlSecret *ms;

      if (g_strcmp0 (neg->version, "TLS1.3") == 0)
        {
          for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
            {
              const HlSecret *s = hl_trace_find_secret (self, labels[i], neg->handshake);
              if (s)
                append_keylog_line (out, labels[i], neg->client_random, s->value);
            }
        }
      else if ((ms = hl_trace_find_secret (self, "master_secret", neg->handshake)))
        append_keylog_line (out, "CLIENT_RANDOM", neg->client_random, ms->value);
    }
  return g_string_free (out, FALSE);
}

/* Builders (hl-trace-private.h) */

HlTrace *
hl_trace_new (const char *scenario, const char *title, const char *description)
{
  HlTrace *self = g_object_new (HL_TYPE_TRACE, NULL);

  self->scenario = g_strdup (scenario);
  self->title = g_strdup (title);
  self->description = g_strdup (description);
  self->library_version = g_strdup (gnutls_check_version (NULL));
  self->created = g_get_real_time ();
  return self;
}

#define RETURN_IF_FINISHED(self)                                                               \
  G_STMT_START                                                                                 \
  {                                                                                            \
    g_return_if_fail (HL_IS_TRACE (self));                                                     \
    g_return_if_fail (!(self)->finished);                                                      \
  }                                                                                            \
  G_STMT_END

void
hl_trace_set_library_version (HlTrace *self, const char *version)
{
  RETURN_IF_FINISHED (self);
  g_free (self->library_version);
  self->library_version = g_strdup (version);
}

void
hl_trace_set_created (HlTrace *self, gint64 created)
{
  RETURN_IF_FINISHED (self);
  self->created = created;
}

HlEvent *
hl_trace_append (HlTrace *self, HlEvent *event)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  g_return_val_if_fail (HL_IS_EVENT (event), NULL);
  g_return_val_if_fail (!self->finished, NULL);

  hl_event_set_index (event, self->events->len);
  g_ptr_array_add (self->events, event);
  return event;
}

void
hl_trace_add_secret (HlTrace *self, HlSecret *secret)
{
  RETURN_IF_FINISHED (self);
  g_ptr_array_add (self->secrets, secret);
}

void
hl_trace_add_negotiated (HlTrace *self, HlNegotiated *negotiated)
{
  RETURN_IF_FINISHED (self);
  g_ptr_array_add (self->negotiated, negotiated);
}

void
hl_trace_add_verification (HlTrace *self, HlVerification *verification)
{
  RETURN_IF_FINISHED (self);
  g_ptr_array_add (self->verifications, verification);
}

void
hl_trace_set_outcome (HlTrace *self, const HlOutcome *outcome)
{
  RETURN_IF_FINISHED (self);
  g_free (self->outcome.client_error);
  g_free (self->outcome.server_error);
  self->outcome = *outcome;
  self->outcome.client_error = g_strdup (outcome->client_error);
  self->outcome.server_error = g_strdup (outcome->server_error);
}

void
hl_trace_add_server_certificate (HlTrace *self, GBytes *der)
{
  RETURN_IF_FINISHED (self);
  g_ptr_array_add (self->server_chain, g_bytes_ref (der));
}

void
hl_trace_add_client_certificate (HlTrace *self, GBytes *der)
{
  RETURN_IF_FINISHED (self);
  g_ptr_array_add (self->client_chain, g_bytes_ref (der));
}

void
hl_trace_set_ca_certificate (HlTrace *self, GBytes *der)
{
  RETURN_IF_FINISHED (self);
  g_clear_pointer (&self->ca_certificate, g_bytes_unref);
  self->ca_certificate = der ? g_bytes_ref (der) : NULL;
}

void
hl_trace_set_server_key (HlTrace *self, GBytes *pem)
{
  RETURN_IF_FINISHED (self);
  g_clear_pointer (&self->server_key, g_bytes_unref);
  self->server_key = pem ? g_bytes_ref (pem) : NULL;
}

void
hl_trace_set_n_handshakes (HlTrace *self, guint n)
{
  RETURN_IF_FINISHED (self);
  self->n_handshakes = n;
}

void
hl_trace_finish (HlTrace *self)
{
  g_return_if_fail (HL_IS_TRACE (self));
  self->finished = TRUE;
}

const HlLive *
hl_trace_get_live (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->live;
}

void
hl_trace_set_live (HlTrace *self, const HlLive *live)
{
  g_return_if_fail (HL_IS_TRACE (self));
  g_return_if_fail (!self->finished);
  g_clear_pointer (&self->live, hl_live_info_free);
  self->live = hl_live_info_copy (live);
}

const HlAttacker *
hl_trace_get_attacker (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);
  return self->attacker;
}

void
hl_trace_set_attacker (HlTrace *self, const HlAttacker *attacker)
{
  RETURN_IF_FINISHED (self);
  g_clear_pointer (&self->attacker, hl_attacker_info_free);
  self->attacker = hl_attacker_info_copy (attacker);
}

GPtrArray *
hl_trace_get_chain_of (HlTrace *self, guint handshake, HlSide role)
{
  g_return_val_if_fail (HL_IS_TRACE (self), NULL);

  if (role == HL_SIDE_CLIENT)
    return self->client_chain;
  if (self->attacker != NULL && handshake == 0)
    return self->attacker->chain;
  return self->server_chain;
}

void
hl_trace_get_endpoints (HlTrace *self, guint handshake, HlSide *client, HlSide *server)
{
  g_return_if_fail (HL_IS_TRACE (self));

  *client = HL_SIDE_CLIENT;
  *server = HL_SIDE_SERVER;
  if (self->attacker == NULL)
    return;
  if (handshake == 0)
    *server = HL_SIDE_ATTACKER;
  else
    *client = HL_SIDE_ATTACKER;
}

HlSide
hl_trace_get_role (HlTrace *self, guint handshake, HlSide side)
{
  g_return_val_if_fail (HL_IS_TRACE (self), side);

  if (side == HL_SIDE_ATTACKER && self->attacker == NULL)
    return HL_SIDE_NONE;
  return hl_side_get_role (side, handshake);
}

char *
hl_trace_dup_participant_label (HlTrace *self, HlSide side)
{
  GString *label;

  g_return_val_if_fail (HL_IS_TRACE (self), NULL);

  label = g_string_new (hl_side_to_label (side));
  if (self->live == NULL || (side != HL_SIDE_CLIENT && side != HL_SIDE_SERVER))
    return g_string_free (label, FALSE);
  if (side == self->live->local)
    g_string_append (label, " (Handshake Lens)");
  else
    {
      if (side == HL_SIDE_SERVER && self->live->server_name && self->live->address &&
          !g_str_has_prefix (self->live->address, self->live->server_name))
        g_string_append_printf (label, " · %s", self->live->server_name);
      if (self->live->address)
        g_string_append_printf (label, " · %s", self->live->address);
      if (self->live->software)
        g_string_append_printf (label, " · %s", self->live->software);
    }
  return g_string_free (label, FALSE);
}

gboolean
hl_trace_is_order_approximate (HlTrace *self)
{
  g_return_val_if_fail (HL_IS_TRACE (self), FALSE);
  return self->order_approximate;
}

void
hl_trace_set_order_approximate (HlTrace *self, gboolean approximate)
{
  RETURN_IF_FINISHED (self);
  self->order_approximate = approximate;
}

typedef struct
{
  HlEvent *event;
  guint64  key;
  guint    old;
} Sortable;

static int
compare_sortable (gconstpointer a, gconstpointer b)
{
  const Sortable *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->old < y->old ? -1 : x->old > y->old;
}

void
hl_trace_sort_events (HlTrace *self, const guint64 *keys)
{
  guint n;
  g_autofree Sortable *items = NULL;
  g_autofree guint *new_index = NULL;

  RETURN_IF_FINISHED (self);
  n = self->events->len;
  items = g_new (Sortable, MAX (n, 1));
  new_index = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    items[i] = (Sortable) { g_ptr_array_index (self->events, i), keys[i], i };
  qsort (items, n, sizeof *items, compare_sortable);
  for (guint i = 0; i < n; i++)
    {
      new_index[items[i].old] = i;
      self->events->pdata[i] = items[i].event;
    }
  for (guint i = 0; i < n; i++)
    {
      HlEvent *event = g_ptr_array_index (self->events, i);
      int record = hl_event_get_record (event);
      int forwarded = hl_event_get_forwarded (event);

      hl_event_set_index (event, i);
      if (record >= 0 && (guint) record < n)
        hl_event_set_record (event, (int) new_index[record]);
      if (forwarded >= 0 && (guint) forwarded < n)
        hl_event_set_forwarded (event, (int) new_index[forwarded]);
    }
}
