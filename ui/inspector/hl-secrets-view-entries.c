/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-secrets-view"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "hl-secrets-view-private.h"

/* The secrets view, its entries (see hl-secrets-view-private.h): one per value, GnuTLS's next
 * to ours, in the order of the key schedule's story. */

/* Entries */

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_clear_pointer (&entry->random, g_bytes_unref);
  g_free (entry);
}

/* Where each value sits in the story of the key schedule; unknown names go last, in trace
 * order. Tens are the sections. */
static const struct { const char *name; int rank; } ranks[] = {
  { "client_random", 0 }, { "server_random", 1 }, { "resumption_ticket", 2 },
  { "ecdhe_shared_secret", 3 }, { "premaster_secret", 4 }, { "session_hash", 5 },
  { "ticket_nonce", 2 }, { "master_secret", 10 }, { "resumption_psk", 10 },
  { "early_secret", 11 }, { "binder_key", 12 }, { "EARLY_EXPORTER_SECRET", 12 },
  { "derived_for_handshake", 12 }, { "derived_for_master", 15 },
  { "resumption_master_secret", 19 }, { "CLIENT_EARLY_TRAFFIC_SECRET", 12 },
  { "handshake_secret", 13 }, { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", 14 },
  { "SERVER_HANDSHAKE_TRAFFIC_SECRET", 15 }, { "master_secret_13", 16 },
  { "CLIENT_TRAFFIC_SECRET_0", 17 }, { "SERVER_TRAFFIC_SECRET_0", 18 },
  { "EXPORTER_SECRET", 19 },
  { "key_block", 20 }, { "client_write_mac_key", 21 }, { "server_write_mac_key", 22 },
  { "client_handshake_write_key", 23 }, { "client_handshake_write_iv", 24 },
  { "server_handshake_write_key", 25 }, { "server_handshake_write_iv", 26 },
  { "client_write_key", 27 }, { "client_write_iv", 28 }, { "server_write_key", 29 },
  { "server_write_iv", 30 }, { "server_finished_key", 31 }, { "client_finished_key", 32 },
  { "transcript_hash.", 40 }, { "client_verify_data", 40 }, { "server_verify_data", 40 },
};

static int
rank_of (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (ranks); i++)
    {
      gsize n = strlen (ranks[i].name);

      if (ranks[i].name[n - 1] == '.' ? g_str_has_prefix (name, ranks[i].name)
                                       : g_str_equal (name, ranks[i].name))
        return ranks[i].rank;
    }
  return 50;
}

const char *
hl_secview_section_title (int rank)
{
  switch (rank / 10)
    {
    case 0: return _("Where it starts");
    case 1: return _("Secrets");
    case 2:
    case 3: return _("Keys");
    case 4: return _("Finished: the conversation checked");
    default: return _("Other values");
    }
}

/* Readable titles for the key log's names; the name itself stays visible on the card. */
const char *
hl_secview_title_of (const Entry *entry)
{
  static const struct { const char *name; const char *title; } titles[] = {
    { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", N_("Client handshake traffic secret") },
    { "SERVER_HANDSHAKE_TRAFFIC_SECRET", N_("Server handshake traffic secret") },
    { "CLIENT_TRAFFIC_SECRET_0", N_("Client application traffic secret") },
    { "SERVER_TRAFFIC_SECRET_0", N_("Server application traffic secret") },
    { "CLIENT_EARLY_TRAFFIC_SECRET", N_("Client early traffic secret") },
    { "EARLY_EXPORTER_SECRET", N_("Early exporter secret") },
    { "EXPORTER_SECRET", N_("Exporter secret") },
    { "client_random", N_("Client random") },
    { "server_random", N_("Server random") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (entry->name, titles[i].name))
      return _(titles[i].title);
  if (entry->library && entry->library->label)
    return entry->library->label;
  if (entry->derived && entry->derived->label)
    return entry->derived->label;
  return entry->name;
}

char *
hl_secview_entry_key (const char *name, guint handshake)
{
  return g_strdup_printf ("%u:%s", handshake, name);
}

Entry *
hl_secview_find_entry (GPtrArray *entries, const char *name, guint handshake)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = g_ptr_array_index (entries, i);

      if (e->handshake == handshake && g_str_equal (e->name, name))
        return e;
    }
  return NULL;
}

static Entry *
add_entry (GPtrArray *entries, const char *name, guint handshake)
{
  Entry *e = hl_secview_find_entry (entries, name, handshake);

  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      e->name = g_strdup (name);
      e->handshake = handshake;
      e->rank = rank_of (name);
      e->order = entries->len;
      g_ptr_array_add (entries, e);
    }
  return e;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(const Entry **) a, *y = *(const Entry **) b;

  if (x->handshake != y->handshake)
    return x->handshake < y->handshake ? -1 : 1;
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

GPtrArray *
hl_secview_collect_entries (HlTrace *trace)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  GPtrArray *secrets = hl_trace_get_secrets (trace);
  GPtrArray *negotiated = hl_trace_get_negotiated (trace);

  for (guint i = 0; i < negotiated->len; i++)
    {
      const HlNegotiated *n = g_ptr_array_index (negotiated, i);

      if (n->client_random)
        add_entry (entries, "client_random", n->handshake)->random = g_bytes_ref (n->client_random);
      if (n->server_random)
        add_entry (entries, "server_random", n->handshake)->random = g_bytes_ref (n->server_random);
    }
  for (guint i = 0; i < secrets->len; i++)
    {
      const HlSecret *s = g_ptr_array_index (secrets, i);

      if (g_str_has_suffix (s->name, ".derived"))
        {
          g_autofree char *base = g_strndup (s->name, strlen (s->name) - strlen (".derived"));

          add_entry (entries, base, s->handshake)->derived = s;
        }
      else if (s->source == HL_SOURCE_DERIVED)
        add_entry (entries, s->name, s->handshake)->derived = s;
      else
        add_entry (entries, s->name, s->handshake)->library = s;
    }
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

/* The value a card stands for: ours when recomputed, else the reported one. */
GBytes *
hl_secview_entry_value (const Entry *e)
{
  if (e->random)
    return e->random;
  if (e->derived && e->derived->value)
    return e->derived->value;
  return e->library ? e->library->value : NULL;
}

gboolean
hl_secview_entry_hidden (const Entry *e)
{
  return e->random == NULL && hl_secview_entry_value (e) == NULL;
}

HlCheck
hl_secview_entry_check (const Entry *e)
{
  return e->derived ? e->derived->check : HL_CHECK_NONE;
}
