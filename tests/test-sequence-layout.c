/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HlSequenceLayout without a display: every scenario's trace (run in memory) laid out with real
 * Pango metrics (the painter's) and with fixed fake metrics; checks step counts, overlaps,
 * phase band boundaries and hit-testing. */
#include "config.h"

#include <string.h>

#include "hl-engine.h"
#include "hl-scenario.h"
#include "hl-sequence-layout.h"
#include "hl-sequence-painter.h"
#include "hl-trace-private.h"
#include "hl-test-traces.h"

/* 8 units per character, 18 per line; wraps at @wrap on character count. */
static void
fake_measure (HlSequenceFont font, const char *text, double wrap, double *width, double *height,
              gpointer user_data)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  double per = font == HL_SEQUENCE_FONT_TITLE ? 11 : 8;
  double w = 0, h = 0;

  for (guint i = 0; lines[i]; i++)
    {
      double lw = g_utf8_strlen (lines[i], -1) * per;
      guint n = 1;

      if (wrap > 0 && lw > wrap)
        {
          n = (guint) (lw / wrap) + 1;
          lw = wrap;
        }
      w = MAX (w, lw);
      h += 18 * n;
    }
  *width = w;
  *height = h;
}

static HlSequenceLayout *
new_layout (gboolean real_metrics)
{
  if (real_metrics)
    {
      HlSequencePainter *painter = hl_sequence_painter_new (NULL);

      return hl_sequence_layout_new (hl_sequence_painter_measure, painter, g_object_unref);
    }
  return hl_sequence_layout_new (fake_measure, NULL, NULL);
}

static guint
count_steps (HlTrace *trace, gboolean records)
{
  guint n = 0;

  for (guint i = 0; i < hl_trace_get_n_events (trace); i++)
    if (records || hl_event_get_kind (hl_trace_get_event (trace, i)) != HL_EVENT_RECORD)
      n++;
  return n;
}

static gboolean
rects_overlap (const HlSequenceRect *a, const HlSequenceRect *b)
{
  if (a->width <= 0 || a->height <= 0 || b->width <= 0 || b->height <= 0)
    return FALSE;
  /* half a unit of slack: rounding */
  return a->x + 0.5 < b->x + b->width && b->x + 0.5 < a->x + a->width &&
         a->y + 0.5 < b->y + b->height && b->y + 0.5 < a->y + a->height;
}

typedef struct
{
  HlSequenceRect  rect;
  const char     *what;
  guint           owner;
} Label;

static void
add_label (GArray *labels, const HlSequenceRect *rect, const char *what, guint owner)
{
  Label l = { *rect, what, owner };

  if (rect->width > 0 && rect->height > 0)
    g_array_append_val (labels, l);
}

/* Every text, number pill, badge and box of the diagram; none may overlap another (parts of
 * one step's label row may touch but not overlap, which is checked the same way). */
static void
check_no_overlaps (HlSequenceLayout *layout, const char *id)
{
  g_autoptr(GArray) labels = g_array_new (FALSE, FALSE, sizeof (Label));
  guint n_steps = hl_sequence_layout_get_n_steps (layout);
  double width, height;

  hl_sequence_layout_get_size (layout, &width, &height);
  for (guint s = 0; s < n_steps; s++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_step (layout, s);

      add_label (labels, &item->number, "number", s);
      add_label (labels, &item->text_rect, item->text, s);
      add_label (labels, &item->detail_rect, item->detail ? item->detail : "badge", s);
      /* everything inside the row, the row inside the diagram */
      g_assert_cmpfloat (item->text_rect.y, >=, item->bounds.y);
      g_assert_cmpfloat (item->text_rect.y + item->text_rect.height, <=,
                         item->bounds.y + item->bounds.height);
      g_assert_cmpfloat (item->text_rect.x, >=, 0);
      g_assert_cmpfloat (item->text_rect.x + item->text_rect.width, <=, width);
      if (item->kind != HL_SEQUENCE_ITEM_ARROW)
        {
          g_assert_cmpfloat (item->box.x, >=, 0);
          g_assert_cmpfloat (item->box.x + item->box.width, <=, width);
          /* the label is inside its box */
          g_assert_cmpfloat (item->text_rect.x, >=, item->box.x);
          g_assert_cmpfloat (item->text_rect.x + item->text_rect.width, <=,
                             item->box.x + item->box.width);
        }
      /* rows tile the diagram downwards */
      if (s > 0)
        {
          const HlSequenceItem *prev = hl_sequence_layout_get_step (layout, s - 1);

          g_assert_cmpfloat (item->bounds.y, >=, prev->bounds.y + prev->bounds.height);
        }
    }
  for (guint i = 0; i < hl_sequence_layout_get_n_structural (layout); i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      add_label (labels, &item->text_rect, item->text, G_MAXUINT - 1 - i);
      add_label (labels, &item->detail_rect, item->detail, G_MAXUINT - 1 - i);
      if (item->kind == HL_SEQUENCE_ITEM_HEADER)
        for (guint j = 0; j < i; j++)
          {
            const HlSequenceItem *other = hl_sequence_layout_get_structural (layout, j);

            if (other->kind == HL_SEQUENCE_ITEM_HEADER)
              g_assert_false (rects_overlap (&item->box, &other->box));
          }
    }
  for (guint i = 0; i < hl_sequence_layout_get_n_groups (layout); i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_group (layout, i);

      add_label (labels, &item->text_rect, item->text, G_MAXUINT / 2 + i);
      add_label (labels, &item->detail_rect, item->detail, G_MAXUINT / 2 + i);
    }

  for (guint i = 0; i < labels->len; i++)
    for (guint j = i + 1; j < labels->len; j++)
      {
        const Label *a = &g_array_index (labels, Label, i);
        const Label *b = &g_array_index (labels, Label, j);

        if (rects_overlap (&a->rect, &b->rect))
          g_error ("%s: “%s” (%.0f,%.0f %.0f×%.0f) overlaps “%s” (%.0f,%.0f %.0f×%.0f)", id,
                   a->what, a->rect.x, a->rect.y, a->rect.width, a->rect.height, b->what,
                   b->rect.x, b->rect.y, b->rect.width, b->rect.height);
      }
}

static void
check_hit_test (HlSequenceLayout *layout)
{
  guint n_steps = hl_sequence_layout_get_n_steps (layout);

  for (guint s = 0; s < n_steps; s++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_step (layout, s);
      const HlSequenceItem *hit;
      double x, y;

      if (item->kind == HL_SEQUENCE_ITEM_ARROW)
        {
          /* a quarter of the way along the arrow, on its line, and on its label */
          x = item->x1 + (item->x2 - item->x1) / 4;
          y = item->y;
          hit = hl_sequence_layout_lookup (layout, x, y);
          g_assert_nonnull (hit);
          g_assert_cmpint (hit->step, ==, (int) s);
          hit = hl_sequence_layout_lookup (layout, item->text_rect.x + 2, item->text_rect.y + 2);
          g_assert_nonnull (hit);
          g_assert_cmpint (hit->step, ==, (int) s);
        }
      else
        {
          x = item->box.x + item->box.width / 2;
          y = item->box.y + item->box.height / 2;
          hit = hl_sequence_layout_lookup (layout, x, y);
          g_assert_nonnull (hit);
          g_assert_cmpint (hit->step, ==, (int) s);
        }
      g_assert_cmpuint (hit->event, ==, item->event);
      g_assert_cmpint (hl_sequence_layout_find_step (layout, item->event), ==, (int) s);
    }
  g_assert_null (hl_sequence_layout_lookup (layout, -5, 10));
}

static void
check_items (HlSequenceLayout *layout, HlTrace *trace, gboolean records)
{
  guint n_steps = hl_sequence_layout_get_n_steps (layout);
  guint n_headers = 0, n_lifelines = 0, n_links = 0;

  /* one item per event (records only when asked for), in trace order */
  g_assert_cmpuint (n_steps, ==, count_steps (trace, records));
  for (guint s = 0, e = 0; s < n_steps; s++, e++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_step (layout, s);
      HlEvent *event;

      while (!records && hl_event_get_kind (hl_trace_get_event (trace, e)) == HL_EVENT_RECORD)
        e++;
      event = hl_trace_get_event (trace, e);
      g_assert_cmpuint (item->event, ==, e);
      g_assert_cmpint (item->step, ==, (int) s);
      switch (hl_event_get_kind (event))
        {
        case HL_EVENT_ACTION:
          g_assert_cmpint (item->kind, ==, HL_SEQUENCE_ITEM_ACTION);
          /* on its lifeline */
          g_assert_cmpfloat (item->x1, >, item->box.x);
          g_assert_cmpfloat (item->x1, <, item->box.x + item->box.width);
          break;
        case HL_EVENT_NOTE:
          g_assert_cmpint (item->kind, ==, HL_SEQUENCE_ITEM_NOTE);
          break;
        default:
          g_assert_cmpint (item->kind, ==, HL_SEQUENCE_ITEM_ARROW);
          g_assert_cmpfloat (item->x1, !=, item->x2);
          g_assert_cmpint (!!(item->flags & HL_SEQUENCE_FLAG_PROTECTED), ==,
                           hl_event_get_epoch (event) != HL_EPOCH_PLAINTEXT);
          break;
        }
      g_assert_nonnull (item->text);
      g_assert_nonnull (item->number_text);
    }
  for (guint i = 0; i < hl_sequence_layout_get_n_structural (layout); i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      n_headers += item->kind == HL_SEQUENCE_ITEM_HEADER;
      n_lifelines += item->kind == HL_SEQUENCE_ITEM_LIFELINE;
      n_links += item->kind == HL_SEQUENCE_ITEM_CA_LINK;
    }
  /* a fourth for the attacker in the middle */
  g_assert_cmpuint (n_headers, ==, hl_trace_get_attacker (trace) ? 4 : 3);
  g_assert_cmpuint (n_lifelines, ==, hl_trace_get_attacker (trace) ? 4 : 3);
  g_assert_cmpuint (n_links, ==, 1);
}

/* The bands of a trace, in order: "N", "K", "S" per band, "|" between connections. */
static char *
dup_band_string (HlSequenceLayout *layout)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < hl_sequence_layout_get_n_structural (layout); i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_SEPARATOR)
        g_string_append_c (s, '|');
      else if (item->kind == HL_SEQUENCE_ITEM_BAND)
        g_string_append_c (s, "NKS"[item->phase]);
    }
  return g_string_free (s, FALSE);
}

static const HlSequenceItem *
find_band (HlSequenceLayout *layout, HlSequencePhase phase, guint handshake)
{
  for (guint i = 0; i < hl_sequence_layout_get_n_structural (layout); i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_BAND && item->phase == phase &&
          item->handshake == handshake)
        return item;
    }
  return NULL;
}

static HlEvent *
band_first_event (HlSequenceLayout *layout, HlTrace *trace, HlSequencePhase phase, guint hs)
{
  const HlSequenceItem *band = find_band (layout, phase, hs);

  g_assert_nonnull (band);
  return hl_trace_get_event (trace, hl_sequence_layout_get_step (layout, band->step)->event);
}

/* Bands cover the steps without gaps, each step's row is inside its band. */
static void
check_bands_cover (HlSequenceLayout *layout)
{
  int next = 0;

  for (guint i = 0; i < hl_sequence_layout_get_n_structural (layout); i++)
    {
      const HlSequenceItem *band = hl_sequence_layout_get_structural (layout, i);

      if (band->kind != HL_SEQUENCE_ITEM_BAND)
        continue;
      g_assert_cmpint (band->step, ==, next);
      g_assert_cmpint (band->last_step, >=, band->step);
      for (int s = band->step; s <= band->last_step; s++)
        {
          const HlSequenceItem *step = hl_sequence_layout_get_step (layout, s);

          g_assert_cmpfloat (step->bounds.y, >=, band->bounds.y);
          g_assert_cmpfloat (step->bounds.y + step->bounds.height, <=,
                             band->bounds.y + band->bounds.height);
          g_assert_cmpint (step->handshake, ==, band->handshake);
        }
      next = band->last_step + 1;
    }
  g_assert_cmpint (next, ==, (int) hl_sequence_layout_get_n_steps (layout));
}

static void
test_every_scenario (gconstpointer data)
{
  gboolean real = GPOINTER_TO_INT (data);
  guint n;
  const HlScenario *all = hl_scenario_get_all (&n);

  for (guint i = 0; i < n; i++)
    for (int records = 0; records <= 1; records++)
      for (double width = 600; width <= 2400; width += 900)
        {
          g_autoptr(HlSequenceLayout) layout = new_layout (real);
          HlTrace *trace = hl_test_trace (all[i].id);
          double w, h;

          hl_sequence_layout_set_trace (layout, trace);
          hl_sequence_layout_set_show_records (layout, records);
          hl_sequence_layout_set_width (layout, width);
          hl_sequence_layout_get_size (layout, &w, &h);
          g_assert_cmpfloat (w, >=, width);
          g_assert_cmpfloat (w, >=, hl_sequence_layout_get_natural_width (layout));
          g_assert_cmpfloat (h, >, hl_sequence_layout_get_header_height (layout));
          check_items (layout, trace, records);
          check_no_overlaps (layout, all[i].id);
          check_hit_test (layout);
          check_bands_cover (layout);
        }
}

static void
test_bands_tls12_rsa (void)
{
  g_autoptr(HlSequenceLayout) layout = new_layout (TRUE);
  HlTrace *trace = hl_test_trace ("tls12-rsa");
  g_autofree char *bands = NULL;
  HlEvent *event;

  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, 1200);
  bands = dup_band_string (layout);
  g_assert_cmpstr (bands, ==, "NKS");

  /* key exchange starts with the premaster secret, after the certificate check */
  event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_KEY_EXCHANGE, 0);
  g_assert_cmpint (hl_event_get_kind (event), ==, HL_EVENT_ACTION);
  g_assert_nonnull (strstr (hl_event_get_name (event), "premaster"));
  /* symmetric mode starts right after the client's ChangeCipherSpec, with its Finished */
  event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_SYMMETRIC, 0);
  g_assert_cmpstr (hl_event_get_name (event), ==, "Finished");
  g_assert_cmpint (hl_event_get_side (event), ==, HL_SIDE_CLIENT);
  g_assert_cmpint (hl_event_get_epoch (event), !=, HL_EPOCH_PLAINTEXT);
  {
    const HlSequenceItem *band = find_band (layout, HL_SEQUENCE_PHASE_SYMMETRIC, 0);
    const HlSequenceItem *prev;

    g_assert_nonnull (band);
    /* the last message before it (the server's steps on reading the CCS may stand between) */
    prev = hl_sequence_layout_get_step (layout, band->step - 1);
    for (int s = band->step - 1; s > 0 && prev->kind == HL_SEQUENCE_ITEM_ACTION; s--)
      prev = hl_sequence_layout_get_step (layout, s - 1);

    g_assert_cmpstr (hl_event_get_name (hl_trace_get_event (trace, prev->event)), ==,
                     "ChangeCipherSpec");
    g_assert_true (prev->flags & HL_SEQUENCE_FLAG_CCS);
  }

  /* with records, the symmetric band starts at the first protected record */
  hl_sequence_layout_set_show_records (layout, TRUE);
  event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_SYMMETRIC, 0);
  g_assert_cmpint (hl_event_get_kind (event), ==, HL_EVENT_RECORD);
  g_assert_cmpint (hl_event_get_epoch (event), !=, HL_EPOCH_PLAINTEXT);
  event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_NEGOTIATION, 0);
  g_assert_cmpint (hl_event_get_index (event), ==, 0);
}

static void
test_bands_tls13 (void)
{
  g_autoptr(HlSequenceLayout) layout = new_layout (TRUE);
  HlTrace *trace = hl_test_trace ("tls13");
  g_autofree char *bands = NULL;
  HlEvent *event;

  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, 1200);
  bands = dup_band_string (layout);
  g_assert_cmpstr (bands, ==, "NKS");
  /* key exchange starts where the server, having read the ClientHello, computes the shared
   * secret and its handshake keys; ServerHello carries its share */
  event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_KEY_EXCHANGE, 0);
  g_assert_cmpstr (hl_event_get_name (event), ==, "Derive the handshake keys");
  g_assert_cmpint (hl_event_get_side (event), ==, HL_SIDE_SERVER);
  for (guint i = hl_event_get_index (event) + 1; i < hl_trace_get_n_events (trace); i++)
    if (hl_event_get_kind (hl_trace_get_event (trace, i)) == HL_EVENT_MESSAGE)
      {
        g_assert_cmpstr (hl_event_get_name (hl_trace_get_event (trace, i)), ==, "ServerHello");
        break;
      }
  /* everything after ServerHello is encrypted: the band starts at EncryptedExtensions */
  event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_SYMMETRIC, 0);
  g_assert_cmpstr (hl_event_get_name (event), ==, "EncryptedExtensions");
  g_assert_cmpint (hl_event_get_epoch (event), ==, HL_EPOCH_HANDSHAKE);
}

static void
test_bands_hrr (void)
{
  g_autoptr(HlSequenceLayout) layout = new_layout (TRUE);
  HlTrace *trace = hl_test_trace ("tls13-hrr");
  HlEvent *event;

  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, 1200);
  /* both ClientHellos and the HelloRetryRequest are negotiation */
  event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_KEY_EXCHANGE, 0);
  g_assert_cmpint (hl_event_get_index (event), >, 0);
  for (guint i = 0; i < hl_event_get_index (event); i++)
    g_assert_cmpstr (hl_event_get_name (hl_trace_get_event (trace, i)), !=, "ServerHello");
  event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_SYMMETRIC, 0);
  g_assert_cmpstr (hl_event_get_name (event), ==, "EncryptedExtensions");
}

static void
test_bands_resumption (void)
{
  struct { const char *id; const char *bands; } cases[] = {
    /* the resumed TLS 1.2 connection skips the key exchange altogether */
    { "tls12-resume-ticket", "NKS|NS" },
    { "tls13-resume-psk", "NKS|NKS" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HlSequenceLayout) layout = new_layout (TRUE);
      HlTrace *trace = hl_test_trace (cases[i].id);
      g_autofree char *bands = NULL;
      HlEvent *event;

      hl_sequence_layout_set_trace (layout, trace);
      hl_sequence_layout_set_width (layout, 1200);
      bands = dup_band_string (layout);
      g_assert_cmpstr (bands, ==, cases[i].bands);
      event = band_first_event (layout, trace, HL_SEQUENCE_PHASE_NEGOTIATION, 1);
      g_assert_cmpstr (hl_event_get_name (event), ==, "ClientHello");
      g_assert_cmpuint (hl_event_get_handshake (event), ==, 1);
    }
}

static void
test_bands_failures (void)
{
  struct { const char *id; const char *bands; } cases[] = {
    { "fail-no-shared-cipher", "N" },
    { "fail-version-mismatch", "N" },
    /* the server's ECDHE share arrives before the client rejects the certificate */
    { "fail-untrusted-ca", "NK" },
    { "fail-expired", "NK" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HlSequenceLayout) layout = new_layout (TRUE);
      g_autofree char *bands = NULL;
      guint n;

      hl_sequence_layout_set_trace (layout, hl_test_trace (cases[i].id));
      hl_sequence_layout_set_width (layout, 1200);
      bands = dup_band_string (layout);
      g_assert_cmpstr (bands, ==, cases[i].bands);
      /* the fatal alert is drawn as one */
      n = hl_sequence_layout_get_n_steps (layout);
      {
        gboolean fatal = FALSE;

        for (guint s = 0; s < n; s++)
          fatal |= !!(hl_sequence_layout_get_step (layout, s)->flags & HL_SEQUENCE_FLAG_FATAL);
        g_assert_true (fatal);
      }
    }
}

static void
test_ca (void)
{
  g_autoptr(HlSequenceLayout) layout = new_layout (TRUE);
  HlTrace *trace = hl_test_trace ("fail-untrusted-ca");
  double x[3] = { 0, };
  gboolean consulted = FALSE;

  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, 1200);
  for (guint i = 0; i < hl_sequence_layout_get_n_structural (layout); i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_LIFELINE)
        x[item->side] = item->x1;
      if (item->kind == HL_SEQUENCE_ITEM_CA_LINK)
        {
          /* from the CA to the server, above the first step */
          g_assert_cmpint (item->side, ==, HL_SIDE_CA);
          g_assert_cmpint (item->peer, ==, HL_SIDE_SERVER);
          g_assert_cmpfloat (item->y, <, hl_sequence_layout_get_step (layout, 0)->bounds.y);
        }
    }
  /* the CA stands apart, next to the client that consults it */
  g_assert_cmpfloat (x[HL_SIDE_CA], <, x[HL_SIDE_CLIENT]);
  g_assert_cmpfloat (x[HL_SIDE_CLIENT], <, x[HL_SIDE_SERVER]);
  for (guint s = 0; s < hl_sequence_layout_get_n_steps (layout); s++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_step (layout, s);

      /* no message ever touches the CA lifeline */
      if (item->kind == HL_SEQUENCE_ITEM_ARROW)
        {
          g_assert_cmpfloat (item->x1, !=, x[HL_SIDE_CA]);
          g_assert_cmpfloat (item->x2, !=, x[HL_SIDE_CA]);
        }
      if (item->flags & HL_SEQUENCE_FLAG_CONSULTS_CA)
        {
          consulted = TRUE;
          g_assert_cmpint (item->kind, ==, HL_SEQUENCE_ITEM_ACTION);
          g_assert_cmpfloat (item->x2, ==, x[HL_SIDE_CA]);
          g_assert_true (item->flags & HL_SEQUENCE_FLAG_CHECK_FAILED);
        }
    }
  g_assert_true (consulted);
}

static void
test_flights (void)
{
  g_autoptr(HlSequenceLayout) layout = new_layout (TRUE);
  HlTrace *trace = hl_test_trace ("tls12-rsa");
  guint flights = 0;

  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, 1200);
  for (guint i = 0; i < hl_sequence_layout_get_n_groups (layout); i++)
    {
      const HlSequenceItem *g = hl_sequence_layout_get_group (layout, i);

      if (g->flags & HL_SEQUENCE_FLAG_RECORD)
        continue;
      flights++;
      /* a flight is one side's messages; the receiver's steps stand between them, where it
       * processed each one */
      for (int s = g->step; s <= g->last_step; s++)
        if (hl_sequence_layout_get_step (layout, s)->kind != HL_SEQUENCE_ITEM_ACTION)
          g_assert_cmpint (hl_sequence_layout_get_step (layout, s)->side, ==, g->side);
    }
  /* ServerHello…ServerHelloDone, ClientKeyExchange…Finished, ChangeCipherSpec…Finished */
  g_assert_cmpuint (flights, ==, 3);
  g_assert_cmpstr (hl_sequence_layout_get_group (layout, 0)->text, ==, "Flight 2");
}

/* Messages that share a record (a coalescing peer) are framed together. */
static void
test_shared_record (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("synthetic", "Shared record", "");
  g_autoptr(HlSequenceLayout) layout = new_layout (FALSE);
  const char *names[] = { "ServerHello", "Certificate", "ServerHelloDone" };
  HlEvent *record = hl_event_new (HL_EVENT_RECORD, HL_SIDE_SERVER, HL_SIDE_CLIENT, "TLS record");
  guint n_records = 0;

  hl_trace_append (trace, record);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      HlEvent *m = hl_event_new (HL_EVENT_MESSAGE, HL_SIDE_SERVER, HL_SIDE_CLIENT, names[i]);

      hl_event_set_record (m, 0);
      hl_event_set_content_type (m, HL_CONTENT_HANDSHAKE);
      hl_trace_append (trace, m);
    }
  hl_trace_finish (trace);
  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, 900);
  g_assert_cmpuint (hl_sequence_layout_get_n_steps (layout), ==, 3);
  for (guint i = 0; i < hl_sequence_layout_get_n_groups (layout); i++)
    {
      const HlSequenceItem *g = hl_sequence_layout_get_group (layout, i);

      if (g->flags & HL_SEQUENCE_FLAG_RECORD)
        {
          n_records++;
          g_assert_cmpint (g->step, ==, 0);
          g_assert_cmpint (g->last_step, ==, 2);
        }
    }
  g_assert_cmpuint (n_records, ==, 1);
  check_no_overlaps (layout, "synthetic");
  check_hit_test (layout);
}

static void
test_empty (void)
{
  g_autoptr(HlSequenceLayout) layout = new_layout (FALSE);
  double w = -1, h = -1;

  g_assert_cmpuint (hl_sequence_layout_get_n_steps (layout), ==, 0);
  hl_sequence_layout_get_size (layout, &w, &h);
  g_assert_cmpfloat (w, ==, 0);
  g_assert_null (hl_sequence_layout_lookup (layout, 10, 10));
  g_assert_finalize_object (g_steal_pointer (&layout));
}

/* A big synthetic trace: visible-range queries are logarithmic and consistent. */
static void
test_find_steps (void)
{
  g_autoptr(HlTrace) trace = hl_trace_new ("synthetic", "Big", "");
  g_autoptr(HlSequenceLayout) layout = new_layout (FALSE);
  double w, h;
  guint first, end;

  for (guint i = 0; i < 5000; i++)
    {
      HlEvent *e = hl_event_new (i % 3 == 2 ? HL_EVENT_ACTION : HL_EVENT_MESSAGE,
                                 i % 2 ? HL_SIDE_SERVER : HL_SIDE_CLIENT,
                                 i % 2 ? HL_SIDE_CLIENT : HL_SIDE_SERVER, "Message");

      hl_trace_append (trace, e);
    }
  hl_trace_finish (trace);
  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, 1000);
  hl_sequence_layout_get_size (layout, &w, &h);
  for (double y = 0; y < h; y += h / 97)
    {
      hl_sequence_layout_find_steps (layout, y, y + 500, &first, &end);
      g_assert_cmpuint (first, <=, end);
      for (guint s = first; s < end; s++)
        {
          const HlSequenceItem *item = hl_sequence_layout_get_step (layout, s);

          g_assert_cmpfloat (item->bounds.y, <, y + 500);
          g_assert_cmpfloat (item->bounds.y + item->bounds.height, >, y);
        }
      if (first > 0)
        {
          const HlSequenceItem *before = hl_sequence_layout_get_step (layout, first - 1);

          g_assert_cmpfloat (before->bounds.y + before->bounds.height, <=, y);
        }
    }
}

/* An attacker in the middle: four lifelines, left to right the CA, the client, the attacker and
 * the server; every arrow joins two neighbours (never client and server directly, never the
 * CA); the attacker is drawn as a threat, and its reading of the request as the interception. */
static void
test_attacker (gconstpointer data)
{
  g_autoptr(HlSequenceLayout) layout = new_layout (TRUE);
  HlTrace *trace = hl_test_trace (data);
  double x[HL_SIDE_ATTACKER + 1] = { 0, };
  guint n_lifelines = 0, n_headers = 0, n_intercept = 0;
  gboolean threat_line = FALSE, threat_header = FALSE, trusted = FALSE;

  hl_sequence_layout_set_trace (layout, trace);
  hl_sequence_layout_set_width (layout, 1400);
  for (guint i = 0; i < hl_sequence_layout_get_n_structural (layout); i++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_structural (layout, i);

      if (item->kind == HL_SEQUENCE_ITEM_LIFELINE)
        {
          n_lifelines++;
          x[item->side] = item->x1;
          if (item->side == HL_SIDE_ATTACKER)
            threat_line = (item->flags & HL_SEQUENCE_FLAG_THREAT) != 0;
        }
      if (item->kind == HL_SEQUENCE_ITEM_HEADER)
        {
          n_headers++;
          if (item->side == HL_SIDE_ATTACKER)
            {
              threat_header = (item->flags & HL_SEQUENCE_FLAG_THREAT) != 0;
              g_assert_cmpstr (item->text, ==, "Attacker");
            }
          /* the client's trust store on the CA's card */
          if (item->side == HL_SIDE_CA)
            trusted = strstr (item->detail, "Intercepting Proxy CA") != NULL;
        }
      /* the connections take turns: bands name theirs, no "resumes the session" separator */
      g_assert_cmpint (item->kind, !=, HL_SEQUENCE_ITEM_SEPARATOR);
      if (item->kind == HL_SEQUENCE_ITEM_BAND)
        g_assert_true (strstr (item->text, "client ⇄ attacker") != NULL ||
                       strstr (item->text, "attacker ⇄ server") != NULL);
    }
  g_assert_cmpuint (n_lifelines, ==, 4);
  g_assert_cmpuint (n_headers, ==, 4);
  g_assert_true (threat_line);
  g_assert_true (threat_header);
  g_assert_true (trusted == (strcmp (data, "mitm-trusted-ca") == 0));
  g_assert_cmpfloat (x[HL_SIDE_CA], <, x[HL_SIDE_CLIENT]);
  g_assert_cmpfloat (x[HL_SIDE_CLIENT], <, x[HL_SIDE_ATTACKER]);
  g_assert_cmpfloat (x[HL_SIDE_ATTACKER], <, x[HL_SIDE_SERVER]);

  for (guint s = 0; s < hl_sequence_layout_get_n_steps (layout); s++)
    {
      const HlSequenceItem *item = hl_sequence_layout_get_step (layout, s);
      HlEvent *event = hl_trace_get_event (trace, item->event);

      if (item->kind == HL_SEQUENCE_ITEM_ARROW)
        {
          double lo = MIN (item->x1, item->x2), hi = MAX (item->x1, item->x2);

          /* from its sender's lifeline to its receiver's */
          g_assert_cmpfloat (item->x1, ==, x[hl_event_get_side (event)]);
          g_assert_cmpfloat (item->x2, ==, x[hl_event_get_peer (event)]);
          g_assert_true ((lo == x[HL_SIDE_CLIENT] && hi == x[HL_SIDE_ATTACKER]) ||
                         (lo == x[HL_SIDE_ATTACKER] && hi == x[HL_SIDE_SERVER]));
          g_assert_true ((item->flags & HL_SEQUENCE_FLAG_THREAT) != 0);
        }
      if (item->kind == HL_SEQUENCE_ITEM_ACTION && item->side == HL_SIDE_ATTACKER)
        {
          /* the attacker's boxes stand on its lifeline, between client and server */
          g_assert_cmpfloat (item->box.x, <, x[HL_SIDE_ATTACKER]);
          g_assert_cmpfloat (item->box.x + item->box.width, >, x[HL_SIDE_ATTACKER]);
          g_assert_cmpfloat (item->box.x, >, x[HL_SIDE_CLIENT]);
          g_assert_cmpfloat (item->box.x + item->box.width, <, x[HL_SIDE_SERVER]);
        }
      if (item->flags & HL_SEQUENCE_FLAG_INTERCEPT)
        n_intercept++;
    }
  /* reading the request, changing it, reading the response, and the two relayed items; none
   * when the client refused the attacker */
  g_assert_cmpuint (n_intercept, ==, strcmp (data, "mitm-rejected") == 0 ? 0 : 5);
}

int
main (int argc, char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/ui/sequence-layout/every-scenario/fake-metrics", GINT_TO_POINTER (FALSE),
                        test_every_scenario);
  g_test_add_data_func ("/ui/sequence-layout/every-scenario/pango-metrics", GINT_TO_POINTER (TRUE),
                        test_every_scenario);
  g_test_add_func ("/ui/sequence-layout/bands/tls12-rsa", test_bands_tls12_rsa);
  g_test_add_func ("/ui/sequence-layout/bands/tls13", test_bands_tls13);
  g_test_add_func ("/ui/sequence-layout/bands/tls13-hrr", test_bands_hrr);
  g_test_add_func ("/ui/sequence-layout/bands/resumption", test_bands_resumption);
  g_test_add_func ("/ui/sequence-layout/bands/failures", test_bands_failures);
  g_test_add_func ("/ui/sequence-layout/certificate-authority", test_ca);
  g_test_add_func ("/ui/sequence-layout/flights", test_flights);
  g_test_add_data_func ("/ui/sequence-layout/attacker/mitm-rejected", "mitm-rejected",
                        test_attacker);
  g_test_add_data_func ("/ui/sequence-layout/attacker/mitm-trusted-ca", "mitm-trusted-ca",
                        test_attacker);
  g_test_add_func ("/ui/sequence-layout/shared-record", test_shared_record);
  g_test_add_func ("/ui/sequence-layout/empty", test_empty);
  g_test_add_func ("/ui/sequence-layout/find-steps", test_find_steps);
  rc = g_test_run ();
  hl_test_traces_free ();
  return rc;
}
