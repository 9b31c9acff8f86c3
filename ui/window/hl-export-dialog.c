/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-export-dialog"
#include "config.h"

#include <glib/gi18n.h>

#include "hl-export-dialog.h"

/* The questions before a diagram image or a video is exported; the file is chosen after. One
 * template for both: the rows that do not apply are hidden. The widget is the dialog's content
 * (an AdwPreferencesGroup); hl_file_actions shows it in an hl_alert, which is an
 * AdwAlertDialog or an AdwMessageDialog depending on the libadwaita version. */

struct _HlExportDialog
{
  AdwPreferencesGroup parent_instance;

  /* template widgets */
  AdwComboRow        *format_row;
  AdwComboRow        *scale_row;
  AdwComboRow        *steps_row;
  AdwComboRow        *size_row;
  AdwComboRow        *fps_row;
  AdwComboRow        *style_row;

  HlExportDialogKind  kind;
  guint               step;
};

G_DEFINE_FINAL_TYPE (HlExportDialog, hl_export_dialog, ADW_TYPE_PREFERENCES_GROUP)

/* The choices are short (the dialog is narrow); what each means is the row's subtitle. */
static void
format_changed_cb (HlExportDialog *self)
{
  static const char *formats[] = {
    N_("Scales to any size: slides, web pages"),
    N_("One page: print, handouts"),
    N_("A picture, at the scale below"),
  };
  static const char *scales[] = {
    N_("As on screen"),
    N_("Sharp on HiDPI screens and projectors"),
    N_("For print"),
  };
  guint format = MIN (adw_combo_row_get_selected (self->format_row), G_N_ELEMENTS (formats) - 1);
  guint scale = MIN (adw_combo_row_get_selected (self->scale_row), G_N_ELEMENTS (scales) - 1);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->format_row), _(formats[format]));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->scale_row), _(scales[scale]));
  gtk_widget_set_visible (GTK_WIDGET (self->scale_row),
                          self->kind == HL_EXPORT_DIALOG_IMAGE && format == HL_DIAGRAM_PNG);
}

static void
steps_changed_cb (HlExportDialog *self)
{
  g_autofree char *current = g_strdup_printf (_("Steps after %u drawn faint, step %u marked"),
                                              self->step, self->step);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->steps_row),
                               adw_combo_row_get_selected (self->steps_row) == 1
                               ? current : _("Every step"));
}

/* The dialog's heading and body for @kind. */
const char *
hl_export_dialog_get_heading (HlExportDialog *self)
{
  g_return_val_if_fail (HL_IS_EXPORT_DIALOG (self), NULL);
  return self->kind == HL_EXPORT_DIALOG_IMAGE ? _("Export the Diagram") : _("Record a Video");
}

const char *
hl_export_dialog_get_body (HlExportDialog *self)
{
  g_return_val_if_fail (HL_IS_EXPORT_DIALOG (self), NULL);
  return self->kind == HL_EXPORT_DIALOG_IMAGE
           ? _("Drawn as in the window, for slides, handouts and documents.")
           : _("The animation from the first step to the last, with each step’s story under the "
               "diagram. Encoded as WebM (VP8), which browsers and video players show.");
}

HlExportDialogKind
hl_export_dialog_get_kind (HlExportDialog *self)
{
  g_return_val_if_fail (HL_IS_EXPORT_DIALOG (self), HL_EXPORT_DIALOG_IMAGE);
  return self->kind;
}

static void
get_style (HlExportDialog *self, gboolean *dark, gboolean *high_contrast)
{
  guint style = adw_combo_row_get_selected (self->style_row);

  *dark = style == 1 || style == 3;
  *high_contrast = style >= 2;
}

void
hl_export_dialog_get_image (HlExportDialog   *self,
                            HlDiagramFormat  *format,
                            HlDiagramOptions *options)
{
  g_return_if_fail (HL_IS_EXPORT_DIALOG (self));

  *format = (HlDiagramFormat) MIN (adw_combo_row_get_selected (self->format_row),
                                   HL_DIAGRAM_PNG);
  options->scale = 1 + MIN (adw_combo_row_get_selected (self->scale_row), 2);
  options->step = adw_combo_row_get_selected (self->steps_row) == 1 ? (int) self->step : -1;
  get_style (self, &options->dark, &options->high_contrast);
}

void
hl_export_dialog_get_video (HlExportDialog *self, HlVideoOptions *options)
{
  g_return_if_fail (HL_IS_EXPORT_DIALOG (self));

  if (adw_combo_row_get_selected (self->size_row) == 1)
    {
      options->width = 1920;
      options->height = 1080;
    }
  else
    {
      options->width = 1280;
      options->height = 720;
    }
  options->fps = adw_combo_row_get_selected (self->fps_row) == 1 ? 60 : 30;
  get_style (self, &options->dark, &options->high_contrast);
}

static void
hl_export_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HL_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (hl_export_dialog_parent_class)->dispose (object);
}

static void
hl_export_dialog_class_init (HlExportDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hl_export_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hl-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, scale_row);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, steps_row);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, fps_row);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, style_row);
}

static void
hl_export_dialog_init (HlExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->format_row, "notify::selected",
                            G_CALLBACK (format_changed_cb), self);
  g_signal_connect_swapped (self->scale_row, "notify::selected",
                            G_CALLBACK (format_changed_cb), self);
  g_signal_connect_swapped (self->steps_row, "notify::selected",
                            G_CALLBACK (steps_changed_cb), self);
}

HlExportDialog *
hl_export_dialog_new (HlExportDialogKind  kind,
                      guint               step,
                      guint               n_steps,
                      gboolean            dark,
                      gboolean            high_contrast)
{
  HlExportDialog *self = g_object_new (HL_TYPE_EXPORT_DIALOG, NULL);
  gboolean image = kind == HL_EXPORT_DIALOG_IMAGE;
  g_autoptr(GtkStringList) steps = gtk_string_list_new (NULL);
  g_autofree char *current = NULL;

  self->kind = kind;
  self->step = step;
  gtk_string_list_append (steps, _("Complete"));
  current = g_strdup_printf (_("Up to step %u"), step);
  gtk_string_list_append (steps, current);
  adw_combo_row_set_model (self->steps_row, G_LIST_MODEL (steps));
  /* the picture on screen, when the playhead is somewhere in the middle */
  adw_combo_row_set_selected (self->steps_row, step > 0 && step < n_steps ? 1 : 0);
  adw_combo_row_set_selected (self->style_row, (dark ? 1 : 0) + (high_contrast ? 2 : 0));

  gtk_widget_set_visible (GTK_WIDGET (self->format_row), image);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_row), image);
  gtk_widget_set_visible (GTK_WIDGET (self->size_row), !image);
  gtk_widget_set_visible (GTK_WIDGET (self->fps_row), !image);
  format_changed_cb (self);
  steps_changed_cb (self);
  return self;
}
