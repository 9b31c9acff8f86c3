/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "handshake-lens"
#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "hl-application.h"
#include "hl-compare.h"
#include "hl-compare-export.h"
#include "hl-compare-window.h"
#include "hl-diagram-export.h"
#include "hl-engine.h"
#include "hl-export.h"
#include "hl-live.h"
#include "hl-pki.h"
#include "hl-print.h"
#include "hl-screenshot.h"
#include "hl-settings.h"
#include "hl-scenario.h"
#include "hl-trace-check.h"
#include "hl-trace-decode.h"
#include "hl-trace-io.h"
#include "hl-video-export.h"
#include "hl-window.h"

/* Exit codes of the command line: 0 ran as designed, 1 the engine broke, 2 bad usage/input. */
enum
{
  EXIT_OK = 0,
  EXIT_ENGINE = 1,
  EXIT_USAGE = 2,
  EXIT_DIFFERENCES = 3,   /* --open: the file's claims do not match its bytes */
};

struct _HlApplication
{
  AdwApplication  parent_instance;

  char           *scenario_id;   /* --scenario for the window */
  HlTrace        *opened;        /* --open, loaded before the window exists */
  HlTraceCheck   *opened_check;  /* what re-checking it found */
  char           *screenshot;    /* --screenshot: render the window to this PNG and quit */
  int             width;         /* --size */
  int             height;
  gboolean        dark;          /* --dark */
  gboolean        high_contrast; /* --high-contrast */
  gboolean        present;       /* --present */
  int             step;          /* --step: the playhead for --screenshot (-1: the end) */
  char           *inspector_tab; /* --inspector-tab */
  int             exit_status;
  GSettings      *settings;      /* NULL when the schema is not installed */
  char           *compare[2];    /* --compare A B: scenario ids or trace files */
  HlLiveOptions  *live;          /* --connect/--listen in the window */
  gboolean        live_listen;
};

G_DEFINE_FINAL_TYPE (HlApplication, hl_application, ADW_TYPE_APPLICATION)

/* --json takes an optional argument, which GApplication's own entries cannot express. */
static char *json_target;
static gboolean json_requested;

static gboolean
json_option_cb (const char *option_name, const char *value, gpointer data, GError **error)
{
  json_requested = TRUE;
  g_free (json_target);
  json_target = g_strdup (value ? value : "-");
  return TRUE;
}

static const GOptionEntry json_entries[] = {
  { "json", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, json_option_cb,
    N_("Run headless and write the trace as JSON to FILE (default: standard output)"),
    N_("[FILE|-]") },
  { NULL }
};

static const GOptionEntry main_entries[] = {
  { "list-scenarios", 0, 0, G_OPTION_ARG_NONE, NULL, N_("List the scenario ids and titles"), NULL },
  { "scenario", 's', 0, G_OPTION_ARG_STRING, NULL, N_("Scenario to run (see --list-scenarios)"),
    N_("ID") },
  { "print", 'p', 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the scenario headless and print the annotated trace"), NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("With --print: also print decoded fields and the key schedule"), NULL },
  { "open", 'o', 0, G_OPTION_ARG_FILENAME, NULL, N_("Open a saved trace in the window"),
    N_("FILE") },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Render the window to a PNG file and quit"), N_("FILE.png") },
  { "size", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Window size for --screenshot, frame size for --export-video"), N_("WxH") },
  { "dark", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Use the dark style"), NULL },
  { "high-contrast", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Use the high-contrast colours for projectors (window and exports)"), NULL },
  { "present", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in presentation mode (F5): fullscreen, large type; Esc leaves"), NULL },
  /* a string: GApplication drops integer options equal to 0, and --step 0 means something */
  { "step", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --screenshot and the image exports: show the diagram at step N (default: every "
       "step)"), N_("N") },
  { "inspector-tab", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the inspector on a tab: fields, bytes, certificates, secrets or hashes"),
    N_("NAME") },
  { "export-pcapng", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Run headless and write a Wireshark capture with the TLS keys inside (mode 0600)"),
    N_("FILE") },
  { "export-keylog", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Run headless and write the TLS secrets as an SSLKEYLOGFILE (mode 0600)"), N_("FILE") },
  { "export-markdown", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Run headless and write the annotated trace as Markdown"), N_("FILE") },
  { "export-svg", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Run headless and draw the diagram as an SVG image"), N_("FILE") },
  { "export-pdf", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Run headless and draw the diagram as a PDF document"), N_("FILE") },
  { "export-png", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Run headless and draw the diagram as a PNG image"), N_("FILE") },
  { "scale", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --export-png: pixels per logical pixel (default 1)"), N_("1-4") },
  { "export-video", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Run headless and record the animation as a WebM video (VP8)"), N_("FILE") },
  { "fps", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --export-video: frames per second (default 30)"), N_("N") },
  { "connect", 'c', 0, G_OPTION_ARG_STRING, NULL,
    N_("Live: connect our client to a real server (default port 443)"), N_("HOST[:PORT]") },
  { "listen", 'l', 0, G_OPTION_ARG_STRING, NULL,
    N_("Live: our server waits for a real client (default address 127.0.0.1)"),
    N_("[ADDR:]PORT") },
  { "once", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --listen: serve one client, then exit"), NULL },
  { "server-name", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --connect: the name to send (SNI) and check (default: the host)"), N_("NAME") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --connect: trust these PEM certificates instead of the system trust store"),
    N_("FILE") },
  { "request", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --connect: what to send after the handshake (C escapes such as \\r\\n work; "
       "default: HEAD / HTTP/1.1)"), N_("TEXT") },
  { "tls", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --connect/--listen: 1.2, 1.3 or any (default any)"), N_("VERSION") },
  { "cert", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --listen: our server's PEM certificate chain (default: the demo server.test)"),
    N_("FILE") },
  { "key", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --listen and --cert: its PEM private key"), N_("FILE") },
  { "client-auth", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --listen: ask the client for a certificate (mutual TLS)"), NULL },
  { "export-ca", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the demo CA certificate that clients of --listen must trust"), N_("FILE") },
  { "timeouts", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Live: seconds for connect, handshake and the whole exchange (default 10,10,30)"),
    N_("C,H,T") },
  { "compare", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Compare two handshakes side by side (scenario ids or .hltrace files); with --print, "
       "--export-svg/-pdf/-png or --screenshot for the pair"), N_("A B") },
  /* the B of --compare A B, moved here by hl_application_run() */
  { "compare-with", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, NULL, NULL, NULL },
  { NULL }
};

/* The --export-* options, in HlExportFormat order. */
static const char *const export_options[] = { "export-pcapng", "export-keylog", "export-markdown" };

static int
fail (int code, const char *format, ...) G_GNUC_PRINTF (2, 3);

static int
fail (int code, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("handshake-lens: %s\n", msg);
  return code;
}

static int
write_output (const char *target, const char *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (target, "-") == 0)
    {
      if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0)
        return fail (EXIT_USAGE, "could not write to standard output");
      return EXIT_OK;
    }
  if (!g_file_set_contents (target, data, len, &error))
    return fail (EXIT_USAGE, "%s", error->message);
  return EXIT_OK;
}

/* The trace for a headless command: the file given with --open, or a fresh run of the
 * scenario. NULL (and *status set) on failure, with the message already printed. */
static HlTrace *
headless_trace (const char *scenario_id, const char *open_path, HlTraceCheck **check,
                int *status)
{
  g_autoptr(GError) error = NULL;
  const HlScenario *scenario;
  HlTrace *trace;

  if (open_path)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (open_path);

      trace = hl_trace_load_file (file, NULL, &error);
      if (trace == NULL)
        *status = fail (EXIT_USAGE, "cannot open %s: %s", open_path, error->message);
      else
        {
          /* an opened trace is checked, not believed */
          *check = hl_trace_check (trace);
          hl_trace_check_mark (trace, *check);
        }
      return trace;
    }
  scenario = hl_scenario_lookup (scenario_id);
  if (scenario == NULL)
    {
      *status = fail (EXIT_USAGE, "unknown scenario “%s” (see --list-scenarios)", scenario_id);
      return NULL;
    }
  trace = hl_engine_run (&scenario->config, scenario->id, scenario->title, scenario->description,
                         NULL, &error);
  if (trace == NULL)
    *status = fail (EXIT_ENGINE, "scenario %s: %s", scenario_id, error->message);
  return trace;
}

/* One --export-* target: a file, or "-" for standard output. */
static int
export_trace (HlTrace *trace, HlExportFormat format, const char *target)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (target, "-") == 0)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *text = NULL;

      if (format == HL_EXPORT_PCAPNG)
        {
          bytes = hl_trace_to_pcapng (trace, &error);
          if (bytes == NULL)
            return fail (EXIT_USAGE, "cannot write the capture: %s", error->message);
          return write_output ("-", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
        }
      text = format == HL_EXPORT_KEYLOG ? hl_trace_dup_keylog (trace)
                                        : hl_trace_dup_markdown (trace);
      return write_output ("-", text, strlen (text));
    }
  file = g_file_new_for_commandline_arg (target);
  if (!hl_trace_export (trace, format, file, NULL, &error))
    return fail (EXIT_USAGE, "%s", error->message);   /* the message names the file */
  return EXIT_OK;
}

/* The diagram and its animation: --export-svg/-pdf/-png/-video, drawn without a display. */
static const char *const media_options[] = { "export-svg", "export-pdf", "export-png",
                                             "export-video" };

static void
video_progress_cb (guint64 frame, guint64 n_frames, gpointer user_data)
{
  if (frame == n_frames || frame % 30 == 0)
    g_printerr ("\rhandshake-lens: encoding frame %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                "%s", frame, n_frames, frame == n_frames ? "\n" : "");
}

static int
export_media (HlApplication *self, HlTrace *trace, GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  const char *path = NULL, *text = NULL;
  HlDiagramOptions diagram;
  HlVideoOptions video;

  hl_diagram_options_init (&diagram);
  diagram.step = self->step;
  diagram.dark = self->dark;
  diagram.high_contrast = self->high_contrast;
  if (g_variant_dict_lookup (options, "scale", "&s", &text))
    {
      guint64 scale = 0;

      if (!g_ascii_string_to_unsigned (text, 10, 1, (guint64) HL_DIAGRAM_MAX_SCALE, &scale,
                                       NULL))
        return fail (EXIT_USAGE, "--scale wants a whole number from 1 to %d, not “%s”",
                     (int) HL_DIAGRAM_MAX_SCALE, text);
      diagram.scale = scale;
    }
  for (HlDiagramFormat f = HL_DIAGRAM_SVG; f <= HL_DIAGRAM_PNG; f++)
    if (g_variant_dict_lookup (options, media_options[f], "^&ay", &path))
      {
        g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

        if (!hl_diagram_export (trace, f, &diagram, file, NULL, &error))
          return fail (EXIT_USAGE, "%s", error->message);
      }
  if (!g_variant_dict_lookup (options, "export-video", "^&ay", &path))
    return EXIT_OK;

  hl_video_options_init (&video);
  video.dark = self->dark;
  video.high_contrast = self->high_contrast;
  if (self->width > 0)
    {
      video.width = self->width;
      video.height = self->height;
    }
  if (g_variant_dict_lookup (options, "fps", "&s", &text))
    {
      guint64 fps = 0;

      if (!g_ascii_string_to_unsigned (text, 10, HL_VIDEO_MIN_FPS, HL_VIDEO_MAX_FPS, &fps, NULL))
        return fail (EXIT_USAGE, "--fps wants a number from %d to %d, not “%s”",
                     HL_VIDEO_MIN_FPS, HL_VIDEO_MAX_FPS, text);
      video.fps = (int) fps;
    }
  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

    if (!hl_video_export (trace, &video, file, isatty (2) ? video_progress_cb : NULL, NULL,
                          NULL, &error))
      return fail (EXIT_USAGE, "%s", error->message);
  }
  return EXIT_OK;
}

/* What --print, --json and --export-* make of a trace, in that order; the first failure stops.
 * @check: (nullable): the re-check of a trace opened from @open_path */
static int
output_trace (HlApplication *self, GVariantDict *options, HlTrace *trace, HlTraceCheck *check,
              const char *open_path, gboolean print, gboolean verbose,
              const char *const *exports)
{
  int rc = EXIT_OK;

  if (print)
    {
      g_autofree char *text = hl_trace_dup_text (trace, verbose ? HL_PRINT_VERBOSE
                                                                : HL_PRINT_DEFAULT);
      g_autofree char *differences = check ? hl_trace_check_dup_text (check) : NULL;

      rc = write_output ("-", text, strlen (text));
      if (rc == EXIT_OK && differences && *differences)
        {
          g_autofree char *section = g_strdup_printf ("\n%s", differences);

          rc = write_output ("-", section, strlen (section));
        }
    }
  else if (check && hl_trace_check_count (check) > 0)
    g_printerr ("handshake-lens: %s: the file's claims do not match its bytes: %u "
                "difference%s (--print lists them)\n", open_path, hl_trace_check_count (check),
                hl_trace_check_count (check) == 1 ? "" : "s");
  if (rc == EXIT_OK && json_requested)
    {
      /* the saved-trace format plus every event's decoded fields, for people and scripts */
      g_autoptr(JsonNode) root = hl_trace_to_json (trace);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      gsize len = 0;
      g_autofree char *json = NULL;

      hl_trace_json_add_fields (trace, root);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      json = json_generator_to_data (gen, &len);
      rc = write_output (json_target, json, len);
    }
  for (HlExportFormat f = HL_EXPORT_PCAPNG; rc == EXIT_OK && f <= HL_EXPORT_MARKDOWN; f++)
    if (exports[f])
      rc = export_trace (trace, f, exports[f]);
  if (rc == EXIT_OK)
    rc = export_media (self, trace, options);
  if (rc == EXIT_OK && check && hl_trace_check_count (check) > 0)
    rc = EXIT_DIFFERENCES;
  return rc;
}

static int
run_headless (HlApplication *self, GVariantDict *options, const char *scenario_id,
              const char *open_path, gboolean print, gboolean verbose,
              const char *const *exports)
{
  int rc = EXIT_OK;
  g_autoptr(HlTraceCheck) check = NULL;
  g_autoptr(HlTrace) trace = headless_trace (scenario_id, open_path, &check, &rc);

  if (trace == NULL)
    return rc;

  return output_trace (self, options, trace, check, open_path, print, verbose, exports);
}

/* --compare A B: the aligned table and summary (--print) and the side-by-side images
 * (--export-svg/-pdf/-png) of two handshakes, headless. */
static int
run_compare_headless (HlApplication *self, GVariantDict *options, gboolean print)
{
  g_autoptr(GPtrArray) traces = g_ptr_array_new_with_free_func (g_object_unref);
  HlDiagramOptions diagram;
  const char *text = NULL;
  int rc = EXIT_OK;

  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(GError) error = NULL;
      HlTrace *trace = hl_compare_load (self->compare[s], NULL, &error);

      if (trace == NULL)
        return fail (hl_scenario_lookup (self->compare[s]) ? EXIT_ENGINE : EXIT_USAGE,
                     "cannot compare %s: %s", self->compare[s], error->message);
      g_ptr_array_add (traces, trace);
    }
  if (print)
    {
      g_autofree char *out = hl_compare_dup_text (traces->pdata[0], traces->pdata[1]);

      rc = write_output ("-", out, strlen (out));
    }

  hl_diagram_options_init (&diagram);
  diagram.step = self->step;
  diagram.dark = self->dark;
  diagram.high_contrast = self->high_contrast;
  if (g_variant_dict_lookup (options, "scale", "&s", &text))
    {
      guint64 scale = 0;

      if (!g_ascii_string_to_unsigned (text, 10, 1, (guint64) HL_DIAGRAM_MAX_SCALE, &scale,
                                       NULL))
        return fail (EXIT_USAGE, "--scale wants a whole number from 1 to %d, not “%s”",
                     (int) HL_DIAGRAM_MAX_SCALE, text);
      diagram.scale = scale;
    }
  for (HlDiagramFormat f = HL_DIAGRAM_SVG; rc == EXIT_OK && f <= HL_DIAGRAM_PNG; f++)
    {
      const char *path = NULL;

      if (g_variant_dict_lookup (options, media_options[f], "^&ay", &path))
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
          g_autoptr(GError) error = NULL;

          if (!hl_compare_export (traces->pdata[0], traces->pdata[1], f, &diagram, file, &error))
            rc = fail (EXIT_USAGE, "%s", error->message);
        }
    }
  return rc;
}

/* --compare: checks the pair and what goes with it. Returns -1 to go on (a window), else the
 * exit status. */
static int
handle_compare_options (HlApplication *self, GVariantDict *options, gboolean print,
                        gboolean exporting)
{
  const char *a = NULL, *b = NULL;

  if (!g_variant_dict_lookup (options, "compare", "^&ay", &a))
    return -2;
  if (!g_variant_dict_lookup (options, "compare-with", "^&ay", &b))
    return fail (EXIT_USAGE, "--compare wants two handshakes: scenario ids or .hltrace files, "
                 "e.g. --compare tls12-rsa tls13");
  if (g_variant_dict_contains (options, "export-video") || json_requested)
    return fail (EXIT_USAGE, "--compare goes with --print, --export-svg/-pdf/-png and "
                 "--screenshot, not with --json or --export-video");
  self->compare[0] = g_strdup (a);
  self->compare[1] = g_strdup (b);
  if (print || exporting)
    return run_compare_headless (self, options, print);
  return -1;
}

/* Live mode: --connect and --listen */

static int
live_options (GVariantDict *options, HlLiveOptions *live)
{
  const char *text = NULL;
  const char *path = NULL;

  hl_live_options_init (live);
  g_variant_dict_lookup (options, "server-name", "s", &live->server_name);
  if (g_variant_dict_lookup (options, "ca-file", "^&ay", &path))
    live->ca_file = g_strdup (path);
  g_variant_dict_lookup (options, "request", "s", &live->request);
  if (g_variant_dict_lookup (options, "cert", "^&ay", &path))
    live->cert_file = g_strdup (path);
  if (g_variant_dict_lookup (options, "key", "^&ay", &path))
    live->key_file = g_strdup (path);
  live->client_auth = g_variant_dict_contains (options, "client-auth");
  if (g_variant_dict_lookup (options, "tls", "&s", &text))
    {
      if (g_str_equal (text, "1.2"))
        live->versions = HL_LIVE_VERSIONS_TLS12;
      else if (g_str_equal (text, "1.3"))
        live->versions = HL_LIVE_VERSIONS_TLS13;
      else if (!g_str_equal (text, "any"))
        return fail (EXIT_USAGE, "--tls wants 1.2, 1.3 or any, not “%s”", text);
    }
  if (g_variant_dict_lookup (options, "timeouts", "&s", &text))
    {
      guint c = 0, h = 0, t = 0;
      char end;

      if (sscanf (text, "%u,%u,%u%c", &c, &h, &t, &end) != 3 || c < 1 || h < 1 || t < 1 ||
          c > 600 || h > 600 || t > 3600)
        return fail (EXIT_USAGE, "--timeouts wants three numbers of seconds, connect, handshake "
                     "and total (such as 10,10,30), not “%s”", text);
      live->connect_timeout_ms = c * 1000;
      live->handshake_timeout_ms = h * 1000;
      live->total_timeout_ms = t * 1000;
    }
  return EXIT_OK;
}

/* Prints and exports a live trace like a scenario's; a failed handshake is still shown, then
 * reported with exit status 1. */
static int
live_output (HlApplication *self, GVariantDict *options, HlTrace *trace, gboolean print,
             gboolean verbose, const char *const *exports)
{
  g_autofree char *why = NULL;
  int rc = output_trace (self, options, trace, NULL, NULL, print, verbose, exports);

  if (rc == EXIT_OK && !hl_live_trace_succeeded (trace, &why))
    rc = fail (EXIT_ENGINE, "the handshake failed: %s", why);
  return rc;
}

static int
run_connect (HlApplication *self, GVariantDict *options, const char *target, gboolean print,
             gboolean verbose, const char *const *exports)
{
  HlLiveOptions live;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = NULL;
  int rc = live_options (options, &live);

  if (rc == EXIT_OK && !hl_live_parse_address (target, NULL, 443, &live.host, &live.port, &error))
    rc = fail (EXIT_USAGE, "--connect: %s", error->message);
  if (rc == EXIT_OK)
    {
      trace = hl_live_connect (&live, NULL, &error);
      if (trace == NULL)
        rc = fail (EXIT_ENGINE, "%s", error->message);
      else
        rc = live_output (self, options, trace, print, verbose, exports);
    }
  hl_live_options_clear (&live);
  return rc;
}

static int
run_listen (HlApplication *self, GVariantDict *options, const char *target, gboolean print,
            gboolean verbose, const char *const *exports)
{
  HlLiveOptions live;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLiveListener) listener = NULL;
  g_autofree char *commands = NULL;
  g_autofree char *host = NULL;
  const char *ca_path = NULL;
  gboolean once = g_variant_dict_contains (options, "once");
  int rc = live_options (options, &live);

  if (rc == EXIT_OK &&
      !hl_live_parse_address (target, "127.0.0.1", 0, &host, &live.port, &error))
    rc = fail (EXIT_USAGE, "--listen: %s", error->message);
  if (rc == EXIT_OK)
    {
      live.address = g_steal_pointer (&host);
      listener = hl_live_listener_new (&live, &error);
      if (listener == NULL)
        rc = fail (EXIT_ENGINE, "cannot listen on %s: %s", target, error->message);
    }
  if (rc == EXIT_OK && g_variant_dict_lookup (options, "export-ca", "^&ay", &ca_path))
    {
      g_autoptr(GBytes) pem = hl_live_dup_demo_ca_pem (&error);

      if (pem == NULL || !g_file_set_contents (ca_path, g_bytes_get_data (pem, NULL),
                                               g_bytes_get_size (pem), &error))
        rc = fail (EXIT_USAGE, "--export-ca: %s", error->message);
    }
  if (rc != EXIT_OK)
    {
      hl_live_options_clear (&live);
      return rc;
    }

  commands = hl_live_listener_dup_commands (listener, ca_path ? ca_path : "demo-ca.pem");
  g_printerr ("handshake-lens: listening on %s port %u; %s\n%s%s",
              hl_live_listener_get_address (listener), hl_live_listener_get_port (listener),
              ca_path ? "a client can connect with:"
                      : "write the CA clients must trust with handshake-lens --export-ca "
                        "demo-ca.pem, then "
                        "connect with:",
              commands, once ? "" : "(Ctrl+C stops)\n");
  do
    {
      g_autoptr(HlTrace) trace = hl_live_listener_accept (listener, NULL, &error);

      if (trace == NULL)
        {
          rc = fail (EXIT_ENGINE, "%s", error->message);
          g_clear_error (&error);
        }
      else
        rc = live_output (self, options, trace, print, verbose, exports);
    }
  while (!once);
  hl_live_options_clear (&live);
  return rc;
}

static int
hl_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  HlApplication *self = HL_APPLICATION (app);
  const char *scenario_id = NULL;
  const char *open_path = NULL;
  gboolean print = FALSE;
  gboolean verbose = FALSE;
  const char *exports[G_N_ELEMENTS (export_options)] = { NULL };
  gboolean exporting = FALSE;

  if (g_variant_dict_contains (options, "list-scenarios"))
    {
      guint n;
      const HlScenario *all = hl_scenario_get_all (&n);

      guint n_unavailable;
      const HlScenario *const *unavailable = hl_scenario_get_unavailable (&n_unavailable);

      for (guint i = 0; i < n; i++)
        g_print ("%s\t%s\n", all[i].id, all[i].title);
      for (guint i = 0; i < n_unavailable; i++)
        {
          g_autofree char *why = NULL;

          hl_config_is_available (&unavailable[i]->config, &why);
          g_print ("%s\t%s (not available: %s)\n", unavailable[i]->id, unavailable[i]->title, why);
        }
      return EXIT_OK;
    }

  g_variant_dict_lookup (options, "scenario", "&s", &scenario_id);
  g_variant_dict_lookup (options, "open", "^&ay", &open_path);
  print = g_variant_dict_contains (options, "print");
  verbose = g_variant_dict_contains (options, "verbose");
  for (guint i = 0; i < G_N_ELEMENTS (export_options); i++)
    exporting |= g_variant_dict_lookup (options, export_options[i], "^&ay", &exports[i]);
  for (guint i = 0; i < G_N_ELEMENTS (media_options); i++)
    exporting |= g_variant_dict_contains (options, media_options[i]);

  if (scenario_id && hl_scenario_lookup (scenario_id) == NULL)
    return fail (EXIT_USAGE, "unknown scenario “%s” (see --list-scenarios)", scenario_id);

  {
    const char *shot = NULL;
    const char *size = NULL;
    const char *step = NULL;
    const char *tab = NULL;
    guint64 n = 0;

    g_variant_dict_lookup (options, "screenshot", "^&ay", &shot);
    g_variant_dict_lookup (options, "size", "&s", &size);
    if (size && (sscanf (size, "%dx%d", &self->width, &self->height) != 2 ||
                 self->width < 320 || self->height < 240 || self->width > 7680 ||
                 self->height > 4320))
      return fail (EXIT_USAGE, "--size wants WIDTHxHEIGHT between 320x240 and 7680x4320, "
                   "not “%s”", size);
    self->screenshot = g_strdup (shot);
    self->dark = g_variant_dict_contains (options, "dark");
    self->high_contrast = g_variant_dict_contains (options, "high-contrast");
    self->present = g_variant_dict_contains (options, "present");
    self->step = -1;
    if (g_variant_dict_lookup (options, "step", "&s", &step))
      {
        if (!g_ascii_string_to_unsigned (step, 10, 0, G_MAXINT, &n, NULL))
          return fail (EXIT_USAGE, "--step wants a step number from 0, not “%s”", step);
        self->step = (int) n;
      }
    if (g_variant_dict_lookup (options, "inspector-tab", "&s", &tab))
      {
        if (!hl_inspector_is_tab_name (tab))
          return fail (EXIT_USAGE, "--inspector-tab wants fields, bytes, certificates, secrets "
                       "or hashes, not “%s”", tab);
        self->inspector_tab = g_strdup (tab);
      }
  }

  {
    int rc = handle_compare_options (self, options, print, exporting);

    if (rc != -2)
      return rc;
  }

  {
    const char *connect = NULL, *listen = NULL;

    g_variant_dict_lookup (options, "connect", "&s", &connect);
    g_variant_dict_lookup (options, "listen", "&s", &listen);
    if (connect && listen)
      return fail (EXIT_USAGE, "--connect and --listen do not go together");
    if ((connect || listen) && (scenario_id || open_path))
      return fail (EXIT_USAGE, "--connect and --listen make their own trace: leave out "
                   "--scenario and --open");
    if (g_variant_dict_contains (options, "export-ca") && listen == NULL)
      {
        /* the demo PKI is kept between runs (until Make New Certificates), so the CA written
         * now is the one a later --listen serves under */
        const char *ca_path = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) pem = NULL;

        g_variant_dict_lookup (options, "export-ca", "^&ay", &ca_path);
        pem = hl_live_dup_demo_ca_pem (&error);
        if (pem == NULL || !g_file_set_contents (ca_path, g_bytes_get_data (pem, NULL),
                                                 g_bytes_get_size (pem), &error))
          return fail (EXIT_USAGE, "--export-ca: %s", error->message);
        if (!connect && !print && !json_requested && !exporting && !scenario_id && !open_path)
          return EXIT_OK;
      }
    if ((connect || listen) && !(print || json_requested || exporting))
      {
        /* in the window: its dialog, filled in and started */
        g_autoptr(GError) error = NULL;
        HlLiveOptions *live = g_new0 (HlLiveOptions, 1);
        int rc = live_options (options, live);
        gboolean parsed = rc == EXIT_OK &&
                          (connect ? hl_live_parse_address (connect, NULL, 443, &live->host,
                                                            &live->port, &error)
                                   : hl_live_parse_address (listen, "127.0.0.1", 0,
                                                            &live->address, &live->port, &error));

        if (!parsed)
          {
            if (rc == EXIT_OK)
              rc = fail (EXIT_USAGE, "--%s: %s", connect ? "connect" : "listen",
                         error->message);
            hl_live_options_clear (live);
            g_free (live);
            return rc;
          }
        self->live = live;
        self->live_listen = listen != NULL;
      }
    else if (connect)
      return run_connect (self, options, connect, print, verbose, exports);
    else if (listen)
      return run_listen (self, options, listen, print, verbose, exports);
  }

  if (print || json_requested || exporting)
    {
      if (scenario_id == NULL && open_path == NULL)
        return fail (EXIT_USAGE,
                     "--print, --json and --export-* need --scenario ID or --open FILE");
      return run_headless (self, options, scenario_id, open_path, print, verbose, exports);
    }

  if (open_path)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (open_path);
      g_autoptr(GError) error = NULL;

      self->opened = hl_trace_load_file (file, NULL, &error);
      if (self->opened == NULL)
        return fail (EXIT_USAGE, "cannot open %s: %s", open_path, error->message);
      self->opened_check = hl_trace_check (self->opened);
      hl_trace_check_mark (self->opened, self->opened_check);
    }
  g_free (self->scenario_id);
  self->scenario_id = g_strdup (scenario_id);
  return -1;
}

/* --screenshot: wait until the window is mapped and the trace (or why there is none) shown,
 * let three frames go by, then render (again on the next frame if the window could not draw
 * yet). A picture of the error page still exits with EXIT_ENGINE. */
static gboolean
screenshot_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  HlApplication *self = user_data;
  HlWindow *window = HL_WINDOW (widget);
  int *frames = g_object_get_data (G_OBJECT (widget), "hl-frames");
  g_autoptr(GError) error = NULL;

  if (!gtk_widget_get_mapped (widget) || hl_window_is_busy (window) ||
      (hl_window_get_trace (window) == NULL && !hl_window_shows_error (window)))
    return G_SOURCE_CONTINUE;
  if (++*frames < 3)
    return G_SOURCE_CONTINUE;
  if (!hl_widget_save_png (widget, self->screenshot, &error) && *frames < 60)
    return G_SOURCE_CONTINUE;
  if (error)
    {
      g_printerr ("handshake-lens: %s\n", error->message);
      self->exit_status = EXIT_ENGINE;
    }
  if (hl_window_shows_error (window))
    self->exit_status = EXIT_ENGINE;
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

/* --compare A B in the window: a comparison window of its own (and its --screenshot). */
static gboolean
compare_screenshot_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  HlApplication *self = user_data;
  int *frames = g_object_get_data (G_OBJECT (widget), "hl-frames");
  g_autoptr(GError) error = NULL;

  if (!gtk_widget_get_mapped (widget) ||
      !hl_compare_window_is_ready (HL_COMPARE_WINDOW (widget)))
    return G_SOURCE_CONTINUE;
  if (++*frames < 3)
    return G_SOURCE_CONTINUE;
  if (!hl_widget_save_png (widget, self->screenshot, &error) && *frames < 60)
    return G_SOURCE_CONTINUE;
  if (error)
    {
      g_printerr ("handshake-lens: %s\n", error->message);
      self->exit_status = EXIT_ENGINE;
    }
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static GtkWindow *
activate_compare (HlApplication *self)
{
  HlCompareWindow *win = hl_compare_window_new (GTK_APPLICATION (self));

  if (self->width > 0)
    gtk_window_set_default_size (GTK_WINDOW (win), self->width, self->height);
  if (self->dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  if (self->screenshot)
    {
      g_object_set_data_full (G_OBJECT (win), "hl-frames", g_new0 (int, 1), g_free);
      gtk_widget_add_tick_callback (GTK_WIDGET (win), compare_screenshot_tick_cb, self, NULL);
    }
  hl_compare_window_load (win, self->compare[0], self->compare[1]);
  if (self->present)
    hl_compare_window_set_presenting (win, TRUE);
  return GTK_WINDOW (win);
}

static void
hl_application_activate (GApplication *app)
{
  HlApplication *self = HL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL && self->compare[0])
    window = activate_compare (self);
  if (window == NULL)
    {
      HlWindow *win = hl_window_new (GTK_APPLICATION (app));
      g_autofree char *last = NULL;

      /* A screenshot is a one-off: it neither reads nor changes what the app remembers. */
      if (self->settings && !self->screenshot)
        hl_settings_bind_window (self->settings, win,
                                 HL_SETTINGS_BIND_ALL & ~(self->dark ? HL_SETTINGS_BIND_STYLE : 0)
                                   & ~(self->width > 0 ? HL_SETTINGS_BIND_GEOMETRY : 0));
      if (self->settings && !self->screenshot)
        last = hl_settings_dup_last_scenario (self->settings);
      if (self->width > 0)
        gtk_window_set_default_size (GTK_WINDOW (win), self->width, self->height);
      if (self->dark)
        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            ADW_COLOR_SCHEME_FORCE_DARK);
      if (self->screenshot)
        {
          /* a still picture: no playback, the playhead where asked */
          hl_window_set_autoplay (win, FALSE);
          hl_window_set_start_step (win, self->step);
          g_object_set_data_full (G_OBJECT (win), "hl-frames", g_new0 (int, 1), g_free);
          gtk_widget_add_tick_callback (GTK_WIDGET (win), screenshot_tick_cb, self, NULL);
        }
      if (self->inspector_tab)
        hl_inspector_set_tab (hl_window_get_inspector (win), self->inspector_tab);
      hl_presenter_set_high_contrast (hl_window_get_presenter (win), self->high_contrast);

      if (self->opened)
        hl_window_set_checked_trace (win, self->opened, self->opened_check);
      else
        hl_window_run_scenario (win, self->scenario_id ? self->scenario_id
                                     : last ? last : "tls12-rsa");
      hl_presenter_set_active (hl_window_get_presenter (win), self->present);
      window = GTK_WINDOW (win);
      gtk_window_present (window);
      if (self->live && self->live_listen)
        hl_window_show_listen (win, self->live, TRUE);
      else if (self->live)
        hl_window_show_connect (win, self->live, TRUE);
      return;
    }
  gtk_window_present (window);
}

/* A trace file given to the application (a double click in the file manager: the desktop file's
 * `%f`): the window opens it as File → Open does, or says why it cannot. */
static void
hl_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (n_files > 1)
    g_warning ("%d files given: opening the first", n_files);
  if (window && n_files > 0)
    hl_file_actions_open (hl_window_get_file_actions (HL_WINDOW (window)), files[0]);
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *parent = gtk_application_get_active_window (app);
  const char *developers[] = { "The Handshake Lens developers", NULL };
  const char *credits[] = { "GnuTLS, the TLS library that really runs both ends",
                            "GTK and libadwaita", NULL };
  const char *comments = _("See the TLS handshake happen: a real client and server, every "
                           "byte, key and hash — decoded, re-derived and checked.");

  /* AdwAboutDialog (libadwaita 1.5) adapts to small windows; 1.2 has the window */
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about = adw_about_dialog_new ();

  g_object_set (about, "application-name", _("Handshake Lens"), "application-icon", APP_ID,
                "version", PACKAGE_VERSION, "comments", comments,
                "website", "https://github.com/handshakelens/handshake-lens",
                "issue-url", "https://github.com/handshakelens/handshake-lens/issues",
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 The Handshake Lens developers", "developers", developers,
                "translator-credits", _("translator-credits"), NULL);
  adw_about_dialog_add_credit_section (ADW_ABOUT_DIALOG (about), _("Built on"), credits);
  adw_dialog_present (about, parent ? GTK_WIDGET (parent) : NULL);
#else
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about, "application-name", _("Handshake Lens"), "application-icon", APP_ID,
                "version", PACKAGE_VERSION, "comments", comments,
                "website", "https://github.com/handshakelens/handshake-lens",
                "issue-url", "https://github.com/handshakelens/handshake-lens/issues",
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 The Handshake Lens developers", "developers", developers,
                "translator-credits", _("translator-credits"), NULL);
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about), _("Built on"), credits);
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_present (GTK_WINDOW (about));
#endif
}

/* Make New Certificates: every key and certificate of the demo PKI generated again (on this
 * machine, in a thread) and kept for the next starts; the window runs its scenario again with
 * them. */
static void
renew_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (hl_pki_renew_default (&error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
renew_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (source);
  GSimpleAction *action = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);
  g_autoptr(GError) error = NULL;

  g_simple_action_set_enabled (action, TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("%s", error->message);
  else if (HL_IS_WINDOW (window))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.run-again", NULL);
}

static void
new_certificates_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (user_data, NULL, renew_done_cb, action);

  g_simple_action_set_enabled (action, FALSE);
  g_task_run_in_thread (task, renew_thread);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
hl_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "about", about_action },
    { "new-certificates", new_certificates_action },
    { "quit", quit_action },
  };
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *run_accels[] = { "<Control>r", NULL };
  const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (hl_application_parent_class)->startup (app);
  HL_APPLICATION (app)->settings = hl_settings_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.run-again", run_accels);
  /* GtkApplication set this itself while the shortcuts were at gtk/help-overlay.ui */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_accels);
}

static void
hl_application_finalize (GObject *object)
{
  HlApplication *self = HL_APPLICATION (object);

  g_free (self->scenario_id);
  g_free (self->screenshot);
  g_free (self->inspector_tab);
  g_free (self->compare[0]);
  g_free (self->compare[1]);
  g_clear_object (&self->settings);
  g_clear_object (&self->opened);
  g_clear_pointer (&self->opened_check, hl_trace_check_free);
  if (self->live)
    {
      hl_live_options_clear (self->live);
      g_free (self->live);
    }
  G_OBJECT_CLASS (hl_application_parent_class)->finalize (object);
}

static void
hl_application_class_init (HlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = hl_application_finalize;
  app_class->handle_local_options = hl_application_handle_local_options;
  app_class->activate = hl_application_activate;
  app_class->open = hl_application_open;
  app_class->startup = hl_application_startup;
}

static void
hl_application_init (HlApplication *self)
{
  GOptionGroup *group = g_option_group_new ("output", _("Output options"),
                                            _("Show output options"), NULL, NULL);

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_option_group_add_entries (group, json_entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_application_add_option_group (G_APPLICATION (self), group);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run a real TLS handshake and see every step."));

  /* the demo PKI made on the first start is read back on the next ones (two RSA keys less
   * to generate before the first handshake) */
  {
    g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "handshake-lens",
                                               "demo-pki", NULL);

    hl_pki_set_cache_file (cache);
  }
}

HlApplication *
hl_application_new (void)
{
  return g_object_new (HL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

/* GOption gives an option one value: `--compare A B` becomes `--compare A --compare-with B`.
 * Returns a new argument vector. */
static char **
split_compare_arguments (int argc, char **argv)
{
  GPtrArray *out = g_ptr_array_new ();

  for (int i = 0; i < argc; i++)
    {
      g_ptr_array_add (out, g_strdup (argv[i]));
      if (g_strcmp0 (argv[i], "--compare") == 0 && i + 2 < argc && argv[i + 2][0] != '-')
        {
          g_ptr_array_add (out, g_strdup (argv[i + 1]));
          g_ptr_array_add (out, g_strdup ("--compare-with"));
          g_ptr_array_add (out, g_strdup (argv[i + 2]));
          i += 2;
        }
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

int
hl_application_run (HlApplication *self, int argc, char **argv)
{
  g_auto(GStrv) args = split_compare_arguments (argc, argv);
  int status = g_application_run (G_APPLICATION (self), (int) g_strv_length (args), args);

  return status != 0 ? status : self->exit_status;
}
