/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "handshake-lens"
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "hl-cli.h"
#include "hl-engine.h"
#include "hl-export.h"
#include "hl-live.h"
#include "hl-print.h"
#include "hl-scenario.h"
#include "hl-trace-decode.h"
#include "hl-trace-io.h"

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
       "default: GET / HTTP/1.1)"), N_("TEXT") },
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


int
hl_cli_fail (int code, const char *format, ...)
             {
             va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("handshake-lens: %s\n", msg);
  return code;
}

int
hl_cli_write_output (const char *target, const char *data, gsize len)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (target, "-") == 0)
    {
      if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0)
        return hl_cli_fail (HL_EXIT_USAGE, "could not write to standard output");
      return HL_EXIT_OK;
    }
  /* into a device or a pipe as it is (/dev/null, /dev/stdout, a FIFO) */
  file = g_file_new_for_commandline_arg (target);
  if (!hl_file_write_contents (file, data, len, G_FILE_CREATE_NONE, NULL, &error))
    return hl_cli_fail (HL_EXIT_USAGE, "could not write to %s: %s", target, error->message);
  return HL_EXIT_OK;
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
        *status = hl_cli_fail (HL_EXIT_USAGE, "cannot open %s: %s", open_path, error->message);
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
      *status = hl_cli_fail (HL_EXIT_USAGE, "unknown scenario “%s” (see --list-scenarios)",
                             scenario_id);
      return NULL;
    }
  trace = hl_engine_run (&scenario->config, scenario->id, scenario->title, scenario->description,
                         NULL, &error);
  if (trace == NULL)
    *status = hl_cli_fail (HL_EXIT_ENGINE, "scenario %s: %s", scenario_id, error->message);
  return trace;
}

/* --export-ca FILE: the demo CA that clients of --listen must trust. */
static int
export_ca (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pem = hl_live_dup_demo_ca_pem (&error);

  if (pem == NULL)
    return hl_cli_fail (HL_EXIT_USAGE, "--export-ca: %s", error->message);
  return hl_cli_write_output (path, g_bytes_get_data (pem, NULL), g_bytes_get_size (pem));
}

/* One --export-* target: a file, a device or a pipe (hl_trace_export(): private for the
 * formats that hold the key log), or "-" for standard output. */
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
            return hl_cli_fail (HL_EXIT_USAGE, "cannot write the capture: %s", error->message);
          return hl_cli_write_output ("-", g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes));
        }
      text = format == HL_EXPORT_KEYLOG ? hl_trace_dup_keylog (trace)
                                        : hl_trace_dup_markdown (trace);
      return hl_cli_write_output ("-", text, strlen (text));
    }
  file = g_file_new_for_commandline_arg (target);
  if (!hl_trace_export (trace, format, file, NULL, &error))
    return hl_cli_fail (HL_EXIT_USAGE, "%s", error->message);   /* the message names the file */
  return HL_EXIT_OK;
}

/* What --print, --json and --export-* make of a trace, in that order; the first failure stops.
 * @check: (nullable): the re-check of a trace opened from @open_path */
static int
output_trace (GVariantDict *options, HlTrace *trace, HlTraceCheck *check, const char *open_path,
              gboolean print, gboolean verbose, const char *const *exports, HlCliMediaFunc media,
              gpointer data)
{
  int rc = HL_EXIT_OK;

  if (print)
    {
      g_autofree char *text = hl_trace_dup_text (trace, verbose ? HL_PRINT_VERBOSE
                                                                : HL_PRINT_DEFAULT);
      g_autofree char *differences = check ? hl_trace_check_dup_text (check) : NULL;

      rc = hl_cli_write_output ("-", text, strlen (text));
      if (rc == HL_EXIT_OK && differences && *differences)
        {
          g_autofree char *section = g_strdup_printf ("\n%s", differences);

          rc = hl_cli_write_output ("-", section, strlen (section));
        }
    }
  else if (check && hl_trace_check_count (check) > 0)
    g_printerr ("handshake-lens: %s: the file's claims do not match its bytes: %u "
                "difference%s (--print lists them)\n", open_path, hl_trace_check_count (check),
                hl_trace_check_count (check) == 1 ? "" : "s");
  if (rc == HL_EXIT_OK && json_requested)
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
      rc = hl_cli_write_output (json_target, json, len);
    }
  for (HlExportFormat f = HL_EXPORT_PCAPNG; rc == HL_EXIT_OK && f <= HL_EXPORT_MARKDOWN; f++)
    if (exports[f])
      rc = export_trace (trace, f, exports[f]);
  if (rc == HL_EXIT_OK)
    rc = media ? media (trace, options, data) : HL_EXIT_OK;
  if (rc == HL_EXIT_OK && check && hl_trace_check_count (check) > 0)
    rc = HL_EXIT_DIFFERENCES;
  return rc;
}

static int
run_headless (GVariantDict *options, const char *scenario_id, const char *open_path,
              gboolean print, gboolean verbose, const char *const *exports, HlCliMediaFunc media,
              gpointer data)
{
  int rc = HL_EXIT_OK;
  g_autoptr(HlTraceCheck) check = NULL;
  g_autoptr(HlTrace) trace = headless_trace (scenario_id, open_path, &check, &rc);

  if (trace == NULL)
    return rc;

  return output_trace (options, trace, check, open_path, print, verbose, exports, media, data);
}

/* Live mode: --connect and --listen */

int
hl_cli_live_options (GVariantDict *options, HlLiveOptions *live)
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
        return hl_cli_fail (HL_EXIT_USAGE, "--tls wants 1.2, 1.3 or any, not “%s”", text);
    }
  if (g_variant_dict_lookup (options, "timeouts", "&s", &text))
    {
      guint c = 0, h = 0, t = 0;
      char end;

      if (sscanf (text, "%u,%u,%u%c", &c, &h, &t, &end) != 3 || c < 1 || h < 1 || t < 1 ||
          c > 600 || h > 600 || t > 3600)
        return hl_cli_fail (HL_EXIT_USAGE, "--timeouts wants three numbers of seconds, connect, "
                            "handshake and total (such as 10,10,30), not “%s”", text);
      live->connect_timeout_ms = c * 1000;
      live->handshake_timeout_ms = h * 1000;
      live->total_timeout_ms = t * 1000;
    }
  return HL_EXIT_OK;
}

/* Prints and exports a live trace like a scenario's; a failed handshake is still shown, then
 * reported with exit status 1. */
static int
live_output (GVariantDict *options, HlTrace *trace, gboolean print, gboolean verbose,
             const char *const *exports, HlCliMediaFunc media, gpointer data)
{
  g_autofree char *why = NULL;
  int rc = output_trace (options, trace, NULL, NULL, print, verbose, exports, media,
                        data);

  if (rc == HL_EXIT_OK && !hl_live_trace_succeeded (trace, &why))
    rc = hl_cli_fail (HL_EXIT_ENGINE, "the handshake failed: %s", why);
  return rc;
}

static int
run_connect (GVariantDict *options, const char *target, gboolean print, gboolean verbose,
             const char *const *exports, HlCliMediaFunc media, gpointer data)
{
  HlLiveOptions live;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlTrace) trace = NULL;
  int rc = hl_cli_live_options (options, &live);

  if (rc == HL_EXIT_OK &&
      !hl_live_parse_address (target, NULL, 443, &live.host, &live.port, &error))
    rc = hl_cli_fail (HL_EXIT_USAGE, "--connect: %s", error->message);
  if (rc == HL_EXIT_OK)
    {
      trace = hl_live_connect (&live, NULL, &error);
      if (trace == NULL)
        rc = hl_cli_fail (HL_EXIT_ENGINE, "%s", error->message);
      else
        rc = live_output (options, trace, print, verbose, exports, media, data);
    }
  hl_live_options_clear (&live);
  return rc;
}

static int
run_listen (GVariantDict *options, const char *target, gboolean print, gboolean verbose,
            const char *const *exports, HlCliMediaFunc media, gpointer data)
{
  HlLiveOptions live;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLiveListener) listener = NULL;
  g_autofree char *commands = NULL;
  g_autofree char *host = NULL;
  const char *ca_path = NULL;
  gboolean once = g_variant_dict_contains (options, "once");
  int rc = hl_cli_live_options (options, &live);

  if (rc == HL_EXIT_OK &&
      !hl_live_parse_address (target, "127.0.0.1", 0, &host, &live.port, &error))
    rc = hl_cli_fail (HL_EXIT_USAGE, "--listen: %s", error->message);
  if (rc == HL_EXIT_OK)
    {
      live.address = g_steal_pointer (&host);
      listener = hl_live_listener_new (&live, &error);
      if (listener == NULL)
        rc = hl_cli_fail (HL_EXIT_ENGINE, "cannot listen on %s: %s", target, error->message);
    }
  if (rc == HL_EXIT_OK && g_variant_dict_lookup (options, "export-ca", "^&ay", &ca_path))
    rc = export_ca (ca_path);
  if (rc != HL_EXIT_OK)
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
          rc = hl_cli_fail (HL_EXIT_ENGINE, "%s", error->message);
          g_clear_error (&error);
        }
      else
        rc = live_output (options, trace, print, verbose, exports, media, data);
    }
  while (!once);
  hl_live_options_clear (&live);
  return rc;
}

char **
hl_cli_split_compare_arguments (int argc, char **argv)
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


/* The --export-* options, in HlExportFormat order. */
static const char *const export_options[] = { "export-pcapng", "export-keylog", "export-markdown" };

const char *const hl_cli_media_options[4] = { "export-svg", "export-pdf", "export-png",
                                              "export-video" };

void
hl_cli_add_options (GApplication *app)
{
  GOptionGroup *group = g_option_group_new ("output", _("Output options"),
                                            _("Show output options"), NULL, NULL);

  g_application_add_main_option_entries (app, main_entries);
  g_option_group_add_entries (group, json_entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_application_add_option_group (app, group);
  g_application_set_option_context_summary (app,
                                            _("Run a real TLS handshake and see every step."));
}

gboolean
hl_cli_json_requested (void)
{
  return json_requested;
}

static int
list_scenarios (void)
{
  guint n, n_unavailable;
  const HlScenario *all = hl_scenario_get_all (&n);
  const HlScenario *const *unavailable = hl_scenario_get_unavailable (&n_unavailable);

  for (guint i = 0; i < n; i++)
    g_print ("%s\t%s\n", all[i].id, all[i].title);
  for (guint i = 0; i < n_unavailable; i++)
    {
      g_autofree char *why = NULL;

      hl_config_is_available (&unavailable[i]->config, &why);
      g_print ("%s\t%s (not available: %s)\n", unavailable[i]->id, unavailable[i]->title, why);
    }
  return HL_EXIT_OK;
}

int
hl_cli_handle (GVariantDict *options, HlCliMediaFunc media, gpointer data)
{
  const char *scenario_id = NULL, *open_path = NULL, *connect = NULL, *listen = NULL;
  const char *exports[G_N_ELEMENTS (export_options)] = { NULL };
  gboolean print, verbose, exporting = FALSE, outputs;

  if (g_variant_dict_contains (options, "list-scenarios"))
    return list_scenarios ();

  g_variant_dict_lookup (options, "scenario", "&s", &scenario_id);
  g_variant_dict_lookup (options, "open", "^&ay", &open_path);
  g_variant_dict_lookup (options, "connect", "&s", &connect);
  g_variant_dict_lookup (options, "listen", "&s", &listen);
  print = g_variant_dict_contains (options, "print");
  verbose = g_variant_dict_contains (options, "verbose");
  for (guint i = 0; i < G_N_ELEMENTS (export_options); i++)
    exporting |= g_variant_dict_lookup (options, export_options[i], "^&ay", &exports[i]);
  for (guint i = 0; i < G_N_ELEMENTS (hl_cli_media_options); i++)
    exporting |= g_variant_dict_contains (options, hl_cli_media_options[i]);
  outputs = print || json_requested || exporting;

  if (scenario_id && hl_scenario_lookup (scenario_id) == NULL)
    return hl_cli_fail (HL_EXIT_USAGE, "unknown scenario “%s” (see --list-scenarios)",
                        scenario_id);
  if (connect && listen)
    return hl_cli_fail (HL_EXIT_USAGE, "--connect and --listen do not go together");
  if ((connect || listen) && (scenario_id || open_path))
    return hl_cli_fail (HL_EXIT_USAGE, "--connect and --listen make their own trace: leave "
                        "out --scenario and --open");
  if (g_variant_dict_contains (options, "export-ca") && listen == NULL)
    {
      /* the demo PKI is kept between runs (until Make New Certificates), so the CA written
       * now is the one a later --listen serves under */
      const char *ca_path = NULL;
      int rc;

      g_variant_dict_lookup (options, "export-ca", "^&ay", &ca_path);
      if ((rc = export_ca (ca_path)) != HL_EXIT_OK)
        return rc;
      if (!connect && !outputs && !scenario_id && !open_path)
        return HL_EXIT_OK;
    }
  if (connect || listen)
    {
      if (!outputs)
        return -1;   /* the window's dialog, filled in and started */
      return connect ? run_connect (options, connect, print, verbose, exports, media, data)
                     : run_listen (options, listen, print, verbose, exports, media, data);
    }
  if (!outputs)
    return -1;
  if (scenario_id == NULL && open_path == NULL)
    return hl_cli_fail (HL_EXIT_USAGE,
                        "--print, --json and --export-* need --scenario ID or --open FILE");
  return run_headless (options, scenario_id, open_path, print, verbose, exports, media, data);
}

/* What the window-less binary knows: each option's long and short name and whether it takes a
 * value (--json takes one only when the next argument is not an option, as GOption does). */
typedef struct
{
  const char *name;
  char        short_name;
  gboolean    value;
} KnownOption;

static const KnownOption window_less[] = {
  { "list-scenarios", 0, FALSE }, { "scenario", 's', TRUE }, { "open", 'o', TRUE },
  { "print", 'p', FALSE }, { "verbose", 'v', FALSE }, { "json", 0, FALSE },
  { "export-pcapng", 0, TRUE }, { "export-keylog", 0, TRUE }, { "export-markdown", 0, TRUE },
  { "connect", 'c', TRUE }, { "listen", 'l', TRUE }, { "once", 0, FALSE },
  { "server-name", 0, TRUE }, { "ca-file", 0, TRUE }, { "request", 0, TRUE },
  { "tls", 0, TRUE }, { "cert", 0, TRUE }, { "key", 0, TRUE }, { "client-auth", 0, FALSE },
  { "export-ca", 0, TRUE }, { "timeouts", 0, TRUE },
};

static const KnownOption *
find_option (const char *arg, gboolean *inline_value)
{
  *inline_value = FALSE;
  if (g_str_has_prefix (arg, "--"))
    {
      const char *eq = strchr (arg, '=');
      gsize len = eq ? (gsize) (eq - arg - 2) : strlen (arg + 2);

      *inline_value = eq != NULL;
      for (guint i = 0; i < G_N_ELEMENTS (window_less); i++)
        if (strlen (window_less[i].name) == len && strncmp (arg + 2, window_less[i].name, len) == 0)
          return &window_less[i];
      return NULL;
    }
  if (arg[0] == '-' && arg[1] != '\0' && arg[2] == '\0')
    for (guint i = 0; i < G_N_ELEMENTS (window_less); i++)
      if (window_less[i].short_name == arg[1])
        return &window_less[i];
  return NULL;
}

gboolean
hl_cli_needs_window (int argc, char **argv)
{
  gboolean output = FALSE, live = FALSE, export_ca = FALSE;

  for (int i = 1; i < argc; i++)
    {
      gboolean inline_value;
      const KnownOption *option = find_option (argv[i], &inline_value);

      if (option == NULL)
        return TRUE;   /* a file to open, an option of the window's, --help, … */
      if (g_str_equal (option->name, "json") && !inline_value && i + 1 < argc &&
          argv[i + 1][0] != '-')
        i++;
      else if (option->value && !inline_value && ++i >= argc)
        return TRUE;   /* GOption says what is missing */
      output |= g_str_equal (option->name, "list-scenarios") ||
                g_str_equal (option->name, "print") || g_str_equal (option->name, "json") ||
                (g_str_has_prefix (option->name, "export-") &&
                 !g_str_equal (option->name, "export-ca"));
      live |= g_str_equal (option->name, "connect") || g_str_equal (option->name, "listen");
      export_ca |= g_str_equal (option->name, "export-ca");
    }
  return !(output || (export_ca && !live));
}

static int
handle_local_options_cb (GApplication *app, GVariantDict *options, gpointer data)
{
  int rc = hl_cli_handle (options, NULL, NULL);

  /* hl_cli_needs_window() let only what hl_cli_handle() does through */
  return rc >= 0 ? rc : hl_cli_fail (HL_EXIT_USAGE, "this needs the window");
}

int
hl_cli_run (int argc, char **argv)
{
  g_autoptr(GApplication) app = g_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);

  hl_cli_add_options (app);
  g_signal_connect (app, "handle-local-options", G_CALLBACK (handle_local_options_cb), NULL);
  return g_application_run (app, argc, argv);
}
