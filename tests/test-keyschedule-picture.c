/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TLS 1.3 key schedule picture in the Keys tab, under a display (Xvfb in CI): one picture
 * per TLS 1.3 connection and none for TLS 1.2; its boxes say what the trace has (the early
 * secret computed, the handshake and master secrets held inside GnuTLS, the traffic secrets
 * from GnuTLS, the resumption's ticket nonce from the wire); clicking a box focuses that value's
 * card. With HL_TEST_SCREENSHOTS set, the Keys tab is also saved as PNG there (light and dark),
 * to look at. Skips without a display. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "hl-engine.h"
#include "hl-keyschedule-picture.h"
#include "hl-secrets-view.h"
#include "hl-test-ui.h"
#include "hl-test-traces.h"
#include "hl-test-wait.h"

static void
collect_pictures (GtkWidget *widget, GPtrArray *out)
{
  if (HL_IS_KEYSCHEDULE_PICTURE (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_pictures (c, out);
}

typedef struct
{
  GtkWindow     *window;
  HlSecretsView *view;
  GPtrArray     *pictures;
} Shown;

static void
show (Shown *shown, const char *id, int width, int height)
{
  shown->window = GTK_WINDOW (gtk_window_new ());
  shown->view = HL_SECRETS_VIEW (hl_secrets_view_new ());
  gtk_window_set_child (shown->window, GTK_WIDGET (shown->view));
  gtk_window_set_default_size (shown->window, width, height);
  hl_secrets_view_set_trace (shown->view, hl_test_trace (id));
  gtk_window_present (shown->window);
  hl_test_wait_frames (GTK_WIDGET (shown->window), 3);
  shown->pictures = g_ptr_array_new ();
  collect_pictures (GTK_WIDGET (shown->view), shown->pictures);
}

static void
unshow (Shown *shown)
{
  g_ptr_array_unref (shown->pictures);
  gtk_window_destroy (shown->window);
}

/* The box of @name is there, in @state words, and a click on it focuses its card. */
static void
assert_box (Shown *shown, HlKeySchedulePicture *picture, const char *name, guint handshake)
{
  graphene_rect_t box;
  const char *hit = NULL;
  guint hit_handshake = 99;
  GtkWidget *card;

  g_assert_true (hl_keyschedule_picture_box (picture, name, &box));
  g_assert_cmpfloat (box.size.width, >, 100);
  g_assert_cmpfloat (box.size.height, >, 30);
  g_assert_true (hl_keyschedule_picture_hit (picture, box.origin.x + box.size.width / 2,
                                             box.origin.y + box.size.height / 2, &hit,
                                             &hit_handshake));
  g_assert_cmpstr (hit, ==, name);
  g_assert_cmpuint (hit_handshake, ==, handshake);
  card = hl_secrets_view_get_card (shown->view, name, handshake);
  g_assert_nonnull (card);
  g_signal_emit_by_name (picture, "rung-activated", hit, hit_handshake);
  g_assert_true (gtk_widget_has_css_class (card, "focused"));
}

static void
test_tls13 (void)
{
  Shown shown;
  HlKeySchedulePicture *picture;
  graphene_rect_t early, handshake, master, chts;

  show (&shown, "tls13", 640, 900);
  hl_test_maybe_save_png (GTK_WIDGET (shown.window), "tls13-light.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  hl_test_maybe_save_png (GTK_WIDGET (shown.window), "tls13-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpuint (shown.pictures->len, ==, 1);
  picture = g_ptr_array_index (shown.pictures, 0);
  assert_box (&shown, picture, "early_secret", 0);
  assert_box (&shown, picture, "handshake_secret", 0);
  assert_box (&shown, picture, "master_secret_13", 0);
  assert_box (&shown, picture, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", 0);
  assert_box (&shown, picture, "resumption_master_secret", 0);
  /* the spine goes down, branches stand to its right, inputs to its left */
  g_assert_true (hl_keyschedule_picture_box (picture, "early_secret", &early));
  g_assert_true (hl_keyschedule_picture_box (picture, "handshake_secret", &handshake));
  g_assert_true (hl_keyschedule_picture_box (picture, "master_secret_13", &master));
  g_assert_true (hl_keyschedule_picture_box (picture, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", &chts));
  g_assert_cmpfloat (early.origin.y, <, handshake.origin.y);
  g_assert_cmpfloat (handshake.origin.y, <, master.origin.y);
  g_assert_cmpfloat (chts.origin.x, >, handshake.origin.x + handshake.size.width);
  /* the keyboard: focus lands on the first box, Down skips the constant PSK = 0, Enter opens */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (picture));
    GtkEventController *keys = NULL;
    gboolean handled = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (c))
          keys = GTK_EVENT_CONTROLLER (c);
      }
    g_assert_nonnull (keys);
    g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (picture)));
    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
    g_assert_true (handled);
    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
    g_assert_true (handled);
    g_assert_true (gtk_widget_has_css_class (hl_secrets_view_get_card (shown.view,
                                                                       "derived_for_handshake",
                                                                       0), "focused"));
  }
  /* no box for a constant: nothing to click */
  g_assert_false (hl_keyschedule_picture_box (picture, "no such value", &early));
  unshow (&shown);
}

static void
test_resumption (void)
{
  Shown shown;
  HlKeySchedulePicture *second;

  show (&shown, "tls13-resume-psk", 900, 1000);
  hl_test_maybe_save_png (GTK_WIDGET (shown.window), "resume-1.png");
  g_assert_true (hl_secrets_view_focus (shown.view, "ticket_nonce", 1));
  hl_test_maybe_save_png (GTK_WIDGET (shown.window), "resume-2.png");
  g_assert_cmpuint (shown.pictures->len, ==, 2);
  second = g_ptr_array_index (shown.pictures, 1);
  /* the PSK path: the earlier connection's resumption master secret, the nonce on the wire */
  assert_box (&shown, second, "resumption_master_secret", 0);
  assert_box (&shown, second, "ticket_nonce", 1);
  assert_box (&shown, second, "resumption_psk", 1);
  assert_box (&shown, second, "binder_key", 1);
  assert_box (&shown, second, "early_secret", 1);
  unshow (&shown);

  /* the second connection's picture alone, wide and as narrow as the inspector pane */
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *picture = hl_keyschedule_picture_new (hl_test_trace ("tls13-resume-psk"), 1);
      g_autofree char *name = g_strdup_printf ("resume-picture-%u.png", i);
      int width = i == 0 ? 960 : 470;

      shown.window = GTK_WINDOW (gtk_window_new ());
      shown.pictures = g_ptr_array_new ();
      gtk_window_set_child (shown.window, picture);
      gtk_window_set_default_size (shown.window, width, -1);
      gtk_window_present (shown.window);
      hl_test_wait_frames (GTK_WIDGET (shown.window), 3);
      /* every box fits the width it was given */
      for (const char *const *n = (const char *const[]) { "early_secret", "ticket_nonce",
                                                           "SERVER_TRAFFIC_SECRET_0", NULL };
           *n; n++)
        {
          graphene_rect_t box;

          g_assert_true (hl_keyschedule_picture_box (HL_KEYSCHEDULE_PICTURE (picture), *n,
                                                     &box));
          g_assert_cmpfloat (box.origin.x, >=, 0);
          g_assert_cmpfloat (box.origin.x + box.size.width, <=, gtk_widget_get_width (picture));
        }
      hl_test_maybe_save_png (GTK_WIDGET (shown.window), name);
      unshow (&shown);
    }
}

static void
test_tls12 (void)
{
  Shown shown;

  show (&shown, "tls12-ecdhe-rsa", 640, 800);
  g_assert_cmpuint (shown.pictures->len, ==, 0);
  unshow (&shown);
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int argc, char *argv[])
{
  const struct { const char *path; GTestFunc func; } tests[] = {
    { "/ui/keyschedule-picture/tls13", test_tls13 },
    { "/ui/keyschedule-picture/resumption", test_resumption },
    { "/ui/keyschedule-picture/tls12", test_tls12 },
  };
  g_autoptr(GtkApplication) app = NULL;
  gboolean display;
  int rc;

  g_test_init (&argc, &argv, NULL);
  hl_test_ui_init_logging ();
  display = gtk_init_check ();
  if (display)
    {
      g_autoptr(GError) error = NULL;

      adw_init ();
      /* the widgets' templates and CSS come from the application's resources */
      app = g_object_new (ADW_TYPE_APPLICATION, "application-id", APP_ID ".PictureTest",
                          "flags", G_APPLICATION_NON_UNIQUE,
                          "resource-base-path", RESOURCE_PREFIX, NULL);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, display ? tests[i].func : skip_no_display);
  rc = g_test_run ();
  hl_test_traces_free ();
  return rc;
}
