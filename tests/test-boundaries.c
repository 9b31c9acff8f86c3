/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib.h>

/* The architecture as the tree shows it (DESIGN.md, each folder's README.md):
 *  - protocol/ never includes GTK, GDK or libadwaita, and ui/ never calls GnuTLS: the trace is
 *    the only contract between them;
 *  - every source lives in a stage folder, and a folder includes only from the folders its
 *    README.md allows (lower stages; ui/ may use all of protocol/, protocol/ nothing of ui/);
 *  - no circle of includes between modules (a module is a .c with its .h and -private.h);
 *  - no source over MAX_LINES lines but the few listed with their reason. */

typedef struct
{
  const char *folder;        /* "protocol/wire" */
  const char *const *may_use; /* other folders it may include from */
} Stage;

static const char *const none[] = { NULL };
static const char *const p_trace[] = { "protocol/wire", NULL };
static const char *const p_verify[] = { "protocol/wire", "protocol/trace", NULL };
static const char *const p_capture[] = { "protocol/wire", "protocol/trace", "protocol/verify", NULL };
static const char *const p_export[] = { "protocol/wire", "protocol/trace", "protocol/verify", NULL };
static const char *const p_compare[] = { "protocol/wire", "protocol/trace", "protocol/verify",
                                         "protocol/capture", NULL };
static const char *const u_common[] = { "protocol/*", NULL };
static const char *const u_view[] = { "ui/common", "protocol/*", NULL };
static const char *const u_compare[] = { "ui/common", "ui/diagram", "protocol/*", NULL };
static const char *const u_window[] = { "ui/*", "protocol/*", NULL };

static const Stage stages[] = {
  { "protocol/wire", none },
  { "protocol/trace", p_trace },
  { "protocol/verify", p_verify },
  { "protocol/capture", p_capture },
  { "protocol/export", p_export },
  { "protocol/compare", p_compare },
  { "ui/common", u_common },
  { "ui/diagram", u_view },
  { "ui/inspector", u_view },
  { "ui/compare", u_compare },
  { "ui/window", u_window },
};

static gboolean
is_source (const char *name)
{
  return g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".h");
}

static char *
read_source (const char *folder, const char *name)
{
  g_autofree char *file = g_build_filename (HL_SOURCE_ROOT, folder, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  return text;
}

/* Calls @fn on every .c/.h of every stage folder under @top ("protocol" or "ui"). */
static guint
for_each_source (const char *top,
                 void (*fn) (const char *folder, const char *name, const char *text, gpointer data),
                 gpointer data)
{
  guint scanned = 0;

  for (guint s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (!g_str_has_prefix (stages[s].folder, top) || stages[s].folder[strlen (top)] != '/')
        continue;
      path = g_build_filename (HL_SOURCE_ROOT, stages[s].folder, NULL);
      dir = g_dir_open (path, 0, NULL);
      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)))
        if (is_source (name))
          {
            g_autofree char *text = read_source (stages[s].folder, name);

            fn (stages[s].folder, name, text, data);
            scanned++;
          }
    }
  return scanned;
}

static void
check_forbidden (const char *folder, const char *name, const char *text, gpointer data)
{
  const char *const *forbidden = data;

  for (guint i = 0; forbidden[i]; i++)
    if (strstr (text, forbidden[i]))
      g_error ("%s/%s: “%s” crosses the protocol/ui boundary", folder, name, forbidden[i]);
}

static void
test_protocol_has_no_gtk (void)
{
  const char *const forbidden[] = { "<gtk/", "<gdk/", "<adwaita.h>", "<gsk/", "\"gtk/", NULL };

  g_assert_cmpuint (for_each_source ("protocol", check_forbidden, (gpointer) forbidden), >, 20);
}

static void
test_ui_has_no_gnutls (void)
{
  const char *const forbidden[] = { "gnutls_", "<gnutls/", NULL };

  g_assert_cmpuint (for_each_source ("ui", check_forbidden, (gpointer) forbidden), >, 20);
}

static void
test_protocol_meson_deps (void)
{
  g_autofree char *file = g_build_filename (HL_SOURCE_ROOT, "protocol", "meson.build", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "protocol_deps = [glib_dep, gio_dep, gnutls_dep, json_dep]"));
  g_assert_null (strstr (text, "gtk_dep"));
  g_assert_null (strstr (text, "adw_dep"));
}

/* Only meson.build and the folders at the top of protocol/ and ui/: a source there would belong
 * to no stage. */
static void
test_every_source_in_a_stage (void)
{
  const char *const tops[] = { "protocol", "ui" };

  for (guint t = 0; t < G_N_ELEMENTS (tops); t++)
    {
      g_autofree char *path = g_build_filename (HL_SOURCE_ROOT, tops[t], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          g_autofree char *folder = g_strdup_printf ("%s/%s", tops[t], name);
          gboolean known = FALSE;

          if (strcmp (name, "meson.build") == 0)
            continue;
          if (!g_file_test (child, G_FILE_TEST_IS_DIR))
            g_error ("%s/%s is in no stage folder", tops[t], name);
          for (guint s = 0; s < G_N_ELEMENTS (stages); s++)
            known |= strcmp (stages[s].folder, folder) == 0;
          if (!known)
            g_error ("%s is not a stage test-boundaries knows (add it with what it may use)", folder);
        }
    }
}

/* The module of a file: its name without .c/.h and without -private. */
static char *
module_of (const char *name)
{
  char *module = g_strndup (name, strlen (name) - 2);
  char *private = g_strrstr (module, "-private");

  if (private != NULL && private[strlen ("-private")] == '\0')
    *private = '\0';
  return module;
}

typedef struct
{
  GHashTable *folder_of; /* header name → folder */
  GHashTable *edges;     /* module → GHashTable set of modules it includes */
  guint       checked;
} Includes;

static void
note_header (const char *folder, const char *name, const char *text, gpointer data)
{
  Includes *inc = data;

  if (g_str_has_suffix (name, ".h"))
    {
      g_assert_null (g_hash_table_lookup (inc->folder_of, name));
      g_hash_table_insert (inc->folder_of, g_strdup (name), g_strdup (folder));
    }
}

static gboolean
may_use (const char *folder, const char *other)
{
  if (strcmp (folder, other) == 0)
    return TRUE;
  for (guint s = 0; s < G_N_ELEMENTS (stages); s++)
    if (strcmp (stages[s].folder, folder) == 0)
      for (guint i = 0; stages[s].may_use[i]; i++)
        {
          const char *allowed = stages[s].may_use[i];

          if (g_str_has_suffix (allowed, "/*") ?
              strncmp (other, allowed, strlen (allowed) - 1) == 0 : strcmp (other, allowed) == 0)
            return TRUE;
        }
  return FALSE;
}

static void
check_includes (const char *folder, const char *name, const char *text, gpointer data)
{
  Includes *inc = data;
  g_autofree char *module = module_of (name);
  GHashTable *edges = g_hash_table_lookup (inc->edges, module);
  const char *p = text;

  if (edges == NULL)
    {
      edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (inc->edges, g_strdup (module), edges);
    }
  while ((p = strstr (p, "#include \"")))
    {
      const char *start = p + strlen ("#include \"");
      const char *end = strchr (start, '"');
      g_autofree char *header = NULL;
      const char *other;

      g_assert_nonnull (end);
      header = g_strndup (start, end - start);
      p = end;
      other = g_hash_table_lookup (inc->folder_of, header);
      if (other == NULL)
        continue; /* config.h, generated resources */
      if (!may_use (folder, other))
        g_error ("%s/%s includes %s from %s, which %s may not use (see its README.md)",
                 folder, name, header, other, folder);
      inc->checked++;
      {
        g_autofree char *target = module_of (header);

        if (strcmp (target, module) != 0)
          g_hash_table_add (edges, g_steal_pointer (&target));
      }
    }
}

/* Depth-first search; @path holds the modules on the way, a repeat is a circle. */
static void
find_circle (Includes *inc, const char *module, GPtrArray *path, GHashTable *done)
{
  GHashTable *edges = g_hash_table_lookup (inc->edges, module);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < path->len; i++)
    if (strcmp (path->pdata[i], module) == 0)
      {
        g_autoptr(GString) circle = g_string_new (NULL);

        for (guint j = i; j < path->len; j++)
          g_string_append_printf (circle, "%s → ", (const char *) path->pdata[j]);
        g_string_append (circle, module);
        g_error ("a circle of includes: %s", circle->str);
      }
  if (edges == NULL || g_hash_table_contains (done, module))
    return;
  g_ptr_array_add (path, (gpointer) module);
  g_hash_table_iter_init (&iter, edges);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    find_circle (inc, key, path, done);
  g_ptr_array_remove_index (path, path->len - 1);
  g_hash_table_add (done, (gpointer) module);
}

static void
test_include_directions (void)
{
  Includes inc = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref),
    0,
  };
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  for_each_source ("protocol", note_header, &inc);
  for_each_source ("ui", note_header, &inc);
  for_each_source ("protocol", check_includes, &inc);
  for_each_source ("ui", check_includes, &inc);
  /* the check looked at real includes: the trace header is used all over */
  g_assert_cmpuint (inc.checked, >, 100);
  g_assert_cmpstr (g_hash_table_lookup (inc.folder_of, "hl-trace.h"), ==, "protocol/trace");

  g_hash_table_iter_init (&iter, inc.edges);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    find_circle (&inc, key, path, done);

  g_hash_table_unref (inc.folder_of);
  g_hash_table_unref (inc.edges);
}

/* No source a newcomer must swallow whole (issue 15): a .c or .h under protocol/ or ui/ has at
 * most MAX_LINES lines. Each exception names its reason; an exception that is no longer needed
 * fails too, so the list only ever shrinks. */
#define MAX_LINES 900

typedef struct
{
  const char *file;   /* "protocol/capture/hl-engine.c" */
  const char *reason;
} Oversized;

/* Empty now; the NULL entry ends the list. */
static const Oversized oversized[] = {
  { NULL, NULL },
};

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  if (*text && text[strlen (text) - 1] != '\n')
    n++;
  return n;
}

static void
check_size (const char *folder, const char *name, const char *text, gpointer data)
{
  GHashTable *seen = data;
  g_autofree char *file = g_strdup_printf ("%s/%s", folder, name);
  guint lines = count_lines (text);

  for (guint i = 0; oversized[i].file != NULL; i++)
    if (strcmp (oversized[i].file, file) == 0)
      {
        g_hash_table_add (seen, (gpointer) oversized[i].file);
        if (lines <= MAX_LINES)
          g_error ("%s has %u lines now: take it off the list of oversized files", file, lines);
        return;
      }
  if (lines > MAX_LINES)
    g_error ("%s has %u lines, more than %u: split it along its seams (a private header for "
             "what the parts share), or add it to the list with the reason", file, lines,
             MAX_LINES);
}

static void
test_file_sizes (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (count_lines ("a\nb\n"), ==, 2);
  g_assert_cmpuint (count_lines ("a\nb"), ==, 2);
  g_assert_cmpuint (count_lines (""), ==, 0);
  for_each_source ("protocol", check_size, seen);
  for_each_source ("ui", check_size, seen);
  for (guint i = 0; oversized[i].file != NULL; i++)
    if (!g_hash_table_contains (seen, oversized[i].file))
      g_error ("%s is on the list of oversized files but not in the tree", oversized[i].file);
}

/* The rule itself: a lower stage may not use a higher one. */
static void
test_rule (void)
{
  g_assert_true (may_use ("protocol/verify", "protocol/trace"));
  g_assert_false (may_use ("protocol/trace", "protocol/verify"));
  g_assert_false (may_use ("protocol/wire", "ui/common"));
  g_assert_true (may_use ("ui/window", "ui/inspector"));
  g_assert_true (may_use ("ui/inspector", "protocol/capture"));
  g_assert_false (may_use ("ui/inspector", "ui/window"));
  g_assert_false (may_use ("ui/diagram", "ui/inspector"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/boundaries/protocol-has-no-gtk", test_protocol_has_no_gtk);
  g_test_add_func ("/protocol/boundaries/ui-has-no-gnutls", test_ui_has_no_gnutls);
  g_test_add_func ("/protocol/boundaries/protocol-meson-deps", test_protocol_meson_deps);
  g_test_add_func ("/protocol/boundaries/every-source-in-a-stage", test_every_source_in_a_stage);
  g_test_add_func ("/protocol/boundaries/rule", test_rule);
  g_test_add_func ("/protocol/boundaries/include-directions", test_include_directions);
  g_test_add_func ("/protocol/boundaries/file-sizes", test_file_sizes);
  return g_test_run ();
}
