/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The command line without a window: GLib, GIO and protocol/ only, so that `--print`,
 * `--json`, `--export-pcapng/-keylog/-markdown`, `--connect`/`--listen` with those, and
 * `--list-scenarios` start without loading GTK, libadwaita and GStreamer (main.c loads the
 * window's module only for the rest). The window (hl-application.c) shares these pieces. */

#include <gio/gio.h>

#include "hl-trace.h"
#include "hl-live.h"
#include "hl-trace-check.h"

G_BEGIN_DECLS

/* Exit codes of the command line */
enum
{
  HL_EXIT_OK = 0,
  HL_EXIT_ENGINE = 1,        /* the engine broke, a live peer could not be reached */
  HL_EXIT_USAGE = 2,         /* bad usage or input */
  HL_EXIT_DIFFERENCES = 3,   /* --open: the file's claims do not match its bytes */
};

/* What the window adds to the outputs of a trace: --export-svg/-pdf/-png/-video. */
typedef int (*HlCliMediaFunc) (HlTrace *trace, GVariantDict *options, gpointer data);

/* The --export-* options drawn by the window's painter (their presence needs the window). */
extern const char *const hl_cli_media_options[4];

/* Every option, for GApplication (the same table in both binaries, so --help is one text). */
void      hl_cli_add_options (GApplication *app);
gboolean  hl_cli_json_requested (void);

int       hl_cli_fail (int code, const char *format, ...) G_GNUC_PRINTF (2, 3);
int       hl_cli_write_output (const char *target, const char *data, gsize len);

/* Everything the command line does without a window: --list-scenarios, --export-ca, live
 * runs with outputs, --scenario/--open with --print/--json/--export-*. @media draws the media
 * exports (NULL in the window-less binary, which never gets them). Returns the exit status,
 * or -1 when what is asked needs the window. */
int       hl_cli_handle (GVariantDict *options, HlCliMediaFunc media, gpointer data);

/* The live options (--server-name, --ca-file, --tls, --timeouts, …) into @live. */
int       hl_cli_live_options (GVariantDict *options, HlLiveOptions *live);

/* FALSE when @argv asks only for what hl_cli_handle() does (a conservative scan: anything it
 * does not know needs the window, which handles every option). */
gboolean  hl_cli_needs_window (int argc, char **argv);
/* Runs @argv without a window (after hl_cli_needs_window() said FALSE). */
int       hl_cli_run (int argc, char **argv);

/* GOption gives an option one value: `--compare A B` becomes `--compare A --compare-with B`. */
char    **hl_cli_split_compare_arguments (int argc, char **argv);

G_END_DECLS
