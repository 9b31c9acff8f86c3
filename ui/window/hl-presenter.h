/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hl-sequence-view.h"

G_BEGIN_DECLS

#define HL_PRESENTER_MIN_DWELL 1.0
#define HL_PRESENTER_MAX_DWELL 60.0

#define HL_TYPE_PRESENTER (hl_presenter_get_type ())
G_DECLARE_FINAL_TYPE (HlPresenter, hl_presenter, HL, PRESENTER, GObject)

/* Binds F5 to win.present on the window class. */
void         hl_presenter_install          (GtkWidgetClass *widget_class);

/* Presentation mode of @window (which owns this object; an action map), showing @view and the
 * story panel @story (whose "story-controls" it hides): fullscreen, the diagram and the story
 * in large type and nothing else, the pointer hidden while it rests, optionally advancing by
 * itself every #HlPresenter:dwell seconds; a high-contrast palette for projectors (which also
 * works outside presentation mode). Adds the stateful actions win.present, win.auto-advance,
 * win.dwell (a double) and win.high-contrast to the window. */
HlPresenter *hl_presenter_new              (GtkWindow      *window,
                                            HlSequenceView *view,
                                            GtkWidget      *story);

gboolean     hl_presenter_get_active       (HlPresenter *self);
void         hl_presenter_set_active       (HlPresenter *self,
                                            gboolean     active);
gboolean     hl_presenter_get_auto_advance (HlPresenter *self);
void         hl_presenter_set_auto_advance (HlPresenter *self,
                                            gboolean     auto_advance);
double       hl_presenter_get_dwell        (HlPresenter *self);
void         hl_presenter_set_dwell        (HlPresenter *self,
                                            double       seconds);
gboolean     hl_presenter_get_high_contrast (HlPresenter *self);
void         hl_presenter_set_high_contrast (HlPresenter *self,
                                             gboolean     high_contrast);
/* Whether the pointer is hidden now (it rests, in presentation mode). */
gboolean     hl_presenter_get_pointer_hidden (HlPresenter *self);

G_END_DECLS
