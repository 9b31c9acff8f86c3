/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line as a user runs it: which commands start without the window (and so without
 * GTK), their exit statuses (0 as designed, 1 the engine or the peer, 2 usage, 3 a file whose
 * claims do not match its bytes), and outputs to a pipe or a device that stay what they are. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "../app/hl-cli.h"
#include "hl-test-net.h"

static char *app_path;

/* Runs the binary with @argv (after its name); returns its exit status, stdout and stderr. */
static int
run_app (const char *const *args, char **out, char **err, const char *ld_debug)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, app_path);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (ld_debug)
    g_subprocess_launcher_setenv (launcher, "LD_DEBUG", ld_debug, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

/* hl_cli_needs_window(): the window-less binary takes only what it can do itself. */
static void
test_needs_window (void)
{
  struct { const char *args; gboolean window; } cases[] = {
    { "", TRUE },                                   /* the window */
    { "--list-scenarios", FALSE },
    { "-s tls13 --print", FALSE },
    { "--scenario=tls13 -p -v", FALSE },
    { "-s tls13 --json", FALSE },
    { "-s tls13 --json out.hltrace", FALSE },
    { "-s tls13 --json=out.hltrace --export-keylog k", FALSE },
    { "--open t.hltrace --export-pcapng x.pcapng", FALSE },
    { "--connect 127.0.0.1:4433 --ca-file ca.pem --print", FALSE },
    { "--listen 8443 --once --json x", FALSE },
    { "--export-ca ca.pem", FALSE },
    { "-s tls13", TRUE },                           /* the window on a scenario */
    { "--open t.hltrace", TRUE },
    { "t.hltrace", TRUE },                          /* a file to open */
    { "--connect example.org", TRUE },              /* the Connect dialog */
    { "--listen 8443 --export-ca ca.pem", TRUE },   /* the Listen dialog */
    { "-s tls13 --print --export-svg d.svg", TRUE },/* drawn by the window's painter */
    { "-s tls13 --screenshot s.png", TRUE },
    { "--compare tls12-rsa tls13 --print", TRUE },
    { "--help", TRUE },
    { "-s", TRUE },                                 /* GOption names what is missing */
    { "-pv -s tls13", TRUE },                       /* clusters: left to GOption */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strconcat ("handshake-lens ", cases[i].args, NULL);
      g_auto(GStrv) argv = g_strsplit (g_strstrip (line), " ", -1);

      if (hl_cli_needs_window ((int) g_strv_length (argv), argv) != cases[i].window)
        g_error ("“%s”: expected %s", cases[i].args, cases[i].window ? "the window" : "none");
    }
}

/* The headless commands load no GTK: the dynamic loader's own log names every library. */
static void
test_no_gtk (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "-s", "tls12-rsa", "--print", NULL };

  g_assert_cmpint (run_app (args, &out, &err, "libs"), ==, 0);
  g_assert_nonnull (strstr (out, "Decrypt the premaster secret"));
  g_assert_nonnull (strstr (err, "libgnutls"));          /* the log is there … */
  g_assert_null (strstr (err, "libgtk-4"));              /* … and names no GTK */
  g_assert_null (strstr (err, "libadwaita"));
  g_assert_null (strstr (err, "libgstreamer"));
}

static void
test_exit_statuses (void)
{
  g_autofree char *port = g_strdup_printf ("127.0.0.1:%u", hl_test_free_port ());
  struct { const char *args[6]; int status; const char *says; } cases[] = {
    { { "--list-scenarios" }, 0, NULL },
    { { "-s", "no-such-scenario", "--print" }, 2, "unknown scenario" },
    { { "--print" }, 2, "need --scenario ID or --open FILE" },
    { { "--open", "/nonexistent/t.hltrace", "--print" }, 2, "cannot open" },
    { { "--connect", port, "--print" }, 1, "refused" },
    { { "--connect", "name.invalid", "--print", "--timeouts", "2,2,2" }, 1, "name.invalid" },
    { { "--connect", port, "--listen", "8443", "--print" }, 2, "do not go together" },
    { { "--connect", "host:70000", "--print" }, 2, "--connect" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run_app (cases[i].args, &out, &err, NULL);

      if (status != cases[i].status || (cases[i].says && !strstr (err, cases[i].says)))
        g_error ("%s …: status %d (expected %d), said “%s”", cases[i].args[0], status,
                 cases[i].status, err);
    }
}

/* A file whose claims do not match its bytes: exit 3, with the difference listed; the same
 * file untouched: 0. */
static void
test_opened_differences (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.hltrace", NULL);
  g_autofree char *tampered = g_build_filename (dir, "tampered.hltrace", NULL);
  const char *make[] = { "-s", "tls12-rsa", "--json", path, NULL };
  const char *open_orig[] = { "--open", path, "--print", NULL };
  const char *open_bad[] = { "--open", tampered, "--print", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *secrets;
  gboolean changed = FALSE;

  g_assert_cmpint (run_app (make, &out, &err, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_app (open_orig, &out, &err, NULL), ==, 0);
  g_assert_null (strstr (out, "do not match its bytes"));

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  secrets = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "secrets");
  for (guint i = 0; i < json_array_get_length (secrets) && !changed; i++)
    {
      JsonObject *secret = json_array_get_object_element (secrets, i);

      if (g_str_equal (json_object_get_string_member (secret, "name"), "master_secret"))
        {
          g_autofree char *value = g_strdup (json_object_get_string_member (secret, "value"));

          value[0] = value[0] == '0' ? '1' : '0';
          json_object_set_string_member (secret, "value", value);
          changed = TRUE;
        }
    }
  g_assert_true (changed);
  {
    g_autoptr(JsonGenerator) gen = json_generator_new ();

    json_generator_set_root (gen, json_parser_get_root (parser));
    json_generator_to_file (gen, tampered, &error);
    g_assert_no_error (error);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_app (open_bad, &out, &err, NULL), ==, 3);
  g_assert_nonnull (strstr (out, "This file's claims do not match its bytes: 1 difference"));
  g_assert_nonnull (strstr (out, "master_secret"));

  g_unlink (path);
  g_unlink (tampered);
  g_rmdir (dir);
}

/* Reads the pipe until its writer has written and closed it, for at most a minute (the pipe
 * is opened without blocking, so a writer that never comes cannot hang the test). */
static gpointer
drain_fifo (gpointer path)
{
  GString *got = g_string_new (NULL);
  int fd = g_open (path, O_RDONLY | O_NONBLOCK, 0);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  char buf[65536];

  g_assert_cmpint (fd, >=, 0);
  while (g_get_monotonic_time () < deadline)
    {
      ssize_t n = read (fd, buf, sizeof buf);

      if (n > 0)
        g_string_append_len (got, buf, n);
      else if (n == 0 && got->len > 0)
        break;              /* the writer came and went */
      else
        g_usleep (2000);    /* no writer yet (0) or nothing to read now (EAGAIN) */
    }
  close (fd);
  return g_string_free (got, FALSE);
}

/* --json and every --export-* into a pipe write into it: the pipe is still a pipe afterwards
 * (written through a temporary file renamed over its name, it was replaced by a regular file —
 * /dev/null too), and what came through is that format. */
typedef struct
{
  const char *option;
  const char *starts_with;   /* what the output begins with */
  const char *holds;         /* (nullable): and somewhere holds */
} PipeCase;

static void
test_to_pipe (gconstpointer data)
{
  const PipeCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("hl-cli-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  const char *args[] = { "-s", "tls13", c->option, fifo, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *read_back = NULL;
  GThread *reader;
  GStatBuf st;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  reader = g_thread_new ("fifo", drain_fifo, fifo);
  g_assert_cmpint (run_app (args, &out, &err, NULL), ==, 0);
  read_back = g_thread_join (reader);
  g_assert_nonnull (read_back);
  g_assert_true (g_str_has_prefix (read_back, c->starts_with));
  if (c->holds)
    g_assert_nonnull (strstr (read_back, c->holds));
  g_assert_cmpint (g_stat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_unlink (fifo);
  g_rmdir (dir);
}

static const PipeCase pipe_cases[] = {
  { "--json", "{", "\"handshake-lens-trace\"" },
  { "--export-keylog", "CLIENT_HANDSHAKE_TRAFFIC_SECRET ", "SERVER_TRAFFIC_SECRET_0 " },
  { "--export-markdown", "#", "ClientHello" },
  { "--export-pcapng", "\x0a\x0d\x0d\x0a", NULL },   /* a pcapng Section Header Block */
  { "--export-svg", "<?xml", "<svg" },                   /* through the window's module */
};

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  app_path = g_build_filename (HL_BUILD_ROOT, "app", "handshake-lens", NULL);

  g_test_add_func ("/cli/needs-window", test_needs_window);
  g_test_add_func ("/cli/no-gtk", test_no_gtk);
  g_test_add_func ("/cli/exit-statuses", test_exit_statuses);
  g_test_add_func ("/cli/opened-differences", test_opened_differences);
  for (guint i = 0; i < G_N_ELEMENTS (pipe_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cli/to-pipe/%s", pipe_cases[i].option + 2);

      g_test_add_data_func (name, &pipe_cases[i], test_to_pipe);
    }
  return g_test_run ();
}
