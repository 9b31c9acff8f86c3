/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-tab-bin"
#include "config.h"

#include "hl-tab-bin.h"

struct _HlTabBin
{
  GtkWidget  parent_instance;

  GtkWidget *child;   /* owned through the widget tree */
};

enum
{
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HlTabBin, hl_tab_bin, GTK_TYPE_WIDGET)

/* Sizes */

static GtkSizeRequestMode
get_request_mode (GtkWidget *widget)
{
  HlTabBin *self = HL_TAB_BIN (widget);

  return self->child ? gtk_widget_get_request_mode (self->child)
                     : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
measure (GtkWidget      *widget,
         GtkOrientation  orientation,
         int             for_size,
         int            *minimum,
         int            *natural,
         int            *minimum_baseline,
         int            *natural_baseline)
{
  HlTabBin *self = HL_TAB_BIN (widget);

  /* the view stack hides the pages it does not show with child-visible */
  if (self->child == NULL || !gtk_widget_get_visible (self->child) ||
      !gtk_widget_get_child_visible (widget))
    return;
  gtk_widget_measure (self->child, orientation, for_size, minimum, natural, minimum_baseline,
                      natural_baseline);
}

static void
size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlTabBin *self = HL_TAB_BIN (widget);

  if (self->child && gtk_widget_get_visible (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);
}

static void
map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hl_tab_bin_parent_class)->map (widget);
  /* shown: the size measured while hidden was none */
  gtk_widget_queue_resize (widget);
}

/* Public API */

GtkWidget *
hl_tab_bin_new (void)
{
  return g_object_new (HL_TYPE_TAB_BIN, NULL);
}

void
hl_tab_bin_set_child (HlTabBin *self, GtkWidget *child)
{
  g_return_if_fail (HL_IS_TAB_BIN (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

GtkWidget *
hl_tab_bin_get_child (HlTabBin *self)
{
  g_return_val_if_fail (HL_IS_TAB_BIN (self), NULL);
  return self->child;
}

/* GObject */

static void
hl_tab_bin_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HlTabBin *self = HL_TAB_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD: g_value_set_object (value, self->child); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_tab_bin_set_property (GObject *object, guint prop_id, const GValue *value,
                         GParamSpec *pspec)
{
  HlTabBin *self = HL_TAB_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD: hl_tab_bin_set_child (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_tab_bin_dispose (GObject *object)
{
  HlTabBin *self = HL_TAB_BIN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  G_OBJECT_CLASS (hl_tab_bin_parent_class)->dispose (object);
}

static void
hl_tab_bin_class_init (HlTabBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_tab_bin_dispose;
  object_class->get_property = hl_tab_bin_get_property;
  object_class->set_property = hl_tab_bin_set_property;
  widget_class->get_request_mode = get_request_mode;
  widget_class->measure = measure;
  widget_class->size_allocate = size_allocate;
  widget_class->map = map;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_tab_bin_init (HlTabBin *self)
{
}
