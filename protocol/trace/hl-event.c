/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-event"
#include "config.h"

#include "hl-event-private.h"

struct _HlEvent
{
  GObject      parent_instance;

  guint        index;
  HlEventKind  kind;
  HlSide       side;
  HlSide       peer;
  guint        handshake;
  gint64       timestamp;
  gint64       sent_timestamp;
  HlMoment     moment;
  char        *name;
  char        *caption;
  char        *technical;
  GBytes      *bytes;
  HlEpoch      epoch;
  guint        content_type;
  int          handshake_type;
  int          record;
  int          forwarded;
  guint        alert_level;
  guint        alert_description;
  HlCheck      check;
  GBytes      *plaintext;
  guint        inner_type;
};

G_DEFINE_FINAL_TYPE (HlEvent, hl_event, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_INDEX,
  PROP_NAME,
  PROP_CAPTION,
  PROP_TECHNICAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hl_event_finalize (GObject *object)
{
  HlEvent *self = HL_EVENT (object);

  g_free (self->name);
  g_free (self->caption);
  g_free (self->technical);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->plaintext, g_bytes_unref);

  G_OBJECT_CLASS (hl_event_parent_class)->finalize (object);
}

static void
hl_event_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HlEvent *self = HL_EVENT (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CAPTION:
      g_value_set_string (value, self->caption);
      break;
    case PROP_TECHNICAL:
      g_value_set_string (value, self->technical);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_event_class_init (HlEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hl_event_finalize;
  object_class->get_property = hl_event_get_property;

  properties[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPTION] = g_param_spec_string ("caption", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TECHNICAL] = g_param_spec_string ("technical", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_event_init (HlEvent *self)
{
  self->record = -1;
  self->forwarded = -1;
  self->handshake_type = -1;
  self->sent_timestamp = -1;
  self->peer = HL_SIDE_NONE;
}

HlEvent *
hl_event_new (HlEventKind kind, HlSide side, HlSide peer, const char *name)
{
  HlEvent *self = g_object_new (HL_TYPE_EVENT, NULL);

  self->kind = kind;
  self->side = side;
  self->peer = peer;
  self->name = g_strdup (name);
  return self;
}

#define GETTER(type, field)                                                                    \
  type hl_event_get_##field (HlEvent *self)                                                    \
  {                                                                                            \
    g_return_val_if_fail (HL_IS_EVENT (self), (type) 0);                                       \
    return self->field;                                                                        \
  }

GETTER (guint, index)
GETTER (HlEventKind, kind)
GETTER (HlSide, side)
GETTER (HlSide, peer)
GETTER (guint, handshake)
GETTER (gint64, timestamp)
GETTER (gint64, sent_timestamp)
GETTER (HlMoment, moment)
GETTER (HlEpoch, epoch)
GETTER (guint, content_type)
GETTER (int, handshake_type)
GETTER (int, record)
GETTER (int, forwarded)
GETTER (guint, alert_level)
GETTER (guint, alert_description)
GETTER (guint, inner_type)
GETTER (HlCheck, check)

const char *
hl_event_get_name (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->name ? self->name : "";
}

const char *
hl_event_get_caption (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->caption ? self->caption : "";
}

const char *
hl_event_get_technical (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->technical ? self->technical : "";
}

GBytes *
hl_event_get_bytes (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->bytes;
}

gsize
hl_event_get_length (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->bytes ? g_bytes_get_size (self->bytes) : 0;
}

GBytes *
hl_event_get_plaintext (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->plaintext;
}

/* Builders (hl-event-private.h) */

void
hl_event_set_index (HlEvent *self, guint index)
{
  self->index = index;
}

void
hl_event_set_handshake (HlEvent *self, guint handshake)
{
  self->handshake = handshake;
}

void
hl_event_set_timestamp (HlEvent *self, gint64 timestamp)
{
  self->timestamp = timestamp;
}

void
hl_event_set_moment (HlEvent *self, HlMoment moment, gint64 sent_timestamp)
{
  self->moment = moment;
  self->sent_timestamp = sent_timestamp;
}

void
hl_event_set_name (HlEvent *self, const char *name)
{
  g_free (self->name);
  self->name = g_strdup (name);
}

void
hl_event_set_caption (HlEvent *self, const char *caption)
{
  g_free (self->caption);
  self->caption = g_strdup (caption);
}

void
hl_event_set_technical (HlEvent *self, const char *technical)
{
  g_free (self->technical);
  self->technical = g_strdup (technical);
}

void
hl_event_set_bytes (HlEvent *self, GBytes *bytes)
{
  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = bytes ? g_bytes_ref (bytes) : NULL;
}

void
hl_event_set_epoch (HlEvent *self, HlEpoch epoch)
{
  self->epoch = epoch;
}

void
hl_event_set_content_type (HlEvent *self, guint content_type)
{
  self->content_type = content_type;
}

void
hl_event_set_handshake_type (HlEvent *self, int handshake_type)
{
  self->handshake_type = handshake_type;
}

void
hl_event_set_record (HlEvent *self, int record)
{
  self->record = record;
}

HlSide
hl_event_get_role (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), HL_SIDE_NONE);
  return hl_side_get_role (self->side, self->handshake);
}

HlSide
hl_event_get_peer_role (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), HL_SIDE_NONE);
  return hl_side_get_role (self->peer, self->handshake);
}

void
hl_event_set_sides (HlEvent *self, HlSide side, HlSide peer)
{
  self->side = side;
  self->peer = peer;
}

void
hl_event_set_forwarded (HlEvent *self, int forwarded)
{
  self->forwarded = forwarded;
}

void
hl_event_set_alert (HlEvent *self, guint level, guint description)
{
  self->alert_level = level;
  self->alert_description = description;
}

void
hl_event_set_check (HlEvent *self, HlCheck check)
{
  self->check = check;
}

void
hl_event_set_plaintext (HlEvent *self, GBytes *plaintext)
{
  g_clear_pointer (&self->plaintext, g_bytes_unref);
  self->plaintext = plaintext ? g_bytes_ref (plaintext) : NULL;
}

void
hl_event_set_inner_type (HlEvent *self, guint inner_type)
{
  self->inner_type = inner_type;
}
