/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-decoder"

#include "config.h"

#include <string.h>

#include "hl-field.h"

struct _HlField
{
  gatomicrefcount  ref_count;
  char            *name;
  gsize            offset;
  gsize            length;
  char            *value;
  char            *explanation;
  char            *rfc;
  gboolean         derived;
  HlField         *parent;   /* weak */
  GPtrArray       *children; /* (element-type HlField), NULL while empty */
};

G_DEFINE_BOXED_TYPE (HlField, hl_field, hl_field_ref, hl_field_unref)

/**
 * hl_field_new:
 * @name: the field name, e.g. "cipher_suites"
 * @offset: absolute offset of its first byte
 * @length: how many bytes it covers
 *
 * Returns: (transfer full): a new field without value or children
 */
HlField *
hl_field_new (const char *name,
              gsize       offset,
              gsize       length)
{
  HlField *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (HlField, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->offset = offset;
  self->length = length;

  return self;
}

HlField *
hl_field_ref (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
hl_field_unref (HlField *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->children != NULL)
    {
      for (guint i = 0; i < self->children->len; i++)
        {
          HlField *child = g_ptr_array_index (self->children, i);
          child->parent = NULL;
        }
      g_ptr_array_unref (self->children);
    }
  g_free (self->name);
  g_free (self->value);
  g_free (self->explanation);
  g_free (self->rfc);
  g_free (self);
}

const char *
hl_field_get_name (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

gsize
hl_field_get_offset (HlField *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->offset;
}

gsize
hl_field_get_length (HlField *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->length;
}

/**
 * hl_field_get_end:
 * @self: a field
 *
 * Returns: the absolute offset just past the field's last byte
 */
gsize
hl_field_get_end (HlField *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->offset + self->length;
}

/**
 * hl_field_get_value:
 * @self: a field
 *
 * Returns: (nullable): the value as display text, e.g. "TLS_AES_128_GCM_SHA256 (0x1301)"
 */
const char *
hl_field_get_value (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->value;
}

/**
 * hl_field_get_explanation:
 * @self: a field
 *
 * Returns: (nullable): what the field is for, in plain words
 */
const char *
hl_field_get_explanation (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->explanation;
}

/**
 * hl_field_get_rfc:
 * @self: a field
 *
 * Returns: (nullable): the defining section, e.g. "RFC 8446 §4.1.2"
 */
const char *
hl_field_get_rfc (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->rfc;
}

gboolean
hl_field_get_derived (HlField *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->derived;
}

/**
 * hl_field_get_parent:
 * @self: a field
 *
 * Returns: (nullable) (transfer none): the enclosing field
 */
HlField *
hl_field_get_parent (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->parent;
}

guint
hl_field_get_n_children (HlField *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->children != NULL ? self->children->len : 0;
}

/**
 * hl_field_get_child:
 * @self: a field
 * @index: which child
 *
 * Returns: (transfer none): the child at @index
 */
HlField *
hl_field_get_child (HlField *self,
                    guint    index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < hl_field_get_n_children (self), NULL);

  return g_ptr_array_index (self->children, index);
}

void
hl_field_set_length (HlField *self,
                     gsize    length)
{
  g_return_if_fail (self != NULL);

  self->length = length;
}

void
hl_field_set_value (HlField    *self,
                    const char *value)
{
  g_return_if_fail (self != NULL);

  hl_field_take_value (self, g_strdup (value));
}

/**
 * hl_field_take_value:
 * @self: a field
 * @value: (transfer full) (nullable): the display text
 */
void
hl_field_take_value (HlField *self,
                     char    *value)
{
  g_return_if_fail (self != NULL);

  g_free (self->value);
  self->value = value;
}

void
hl_field_set_value_printf (HlField    *self,
                           const char *format,
                           ...)
{
  va_list args;

  g_return_if_fail (self != NULL);

  va_start (args, format);
  hl_field_take_value (self, g_strdup_vprintf (format, args));
  va_end (args);
}

void
hl_field_set_explanation (HlField    *self,
                          const char *explanation)
{
  g_return_if_fail (self != NULL);

  g_free (self->explanation);
  self->explanation = g_strdup (explanation);
}

void
hl_field_set_rfc (HlField    *self,
                  const char *rfc)
{
  g_return_if_fail (self != NULL);

  g_free (self->rfc);
  self->rfc = g_strdup (rfc);
}

void
hl_field_set_derived (HlField  *self,
                      gboolean  derived)
{
  g_return_if_fail (self != NULL);

  self->derived = !!derived;
}

/**
 * hl_field_add_child:
 * @self: a field
 * @child: (transfer full): the child to append
 *
 * Returns: (transfer none): @child, for chaining
 */
HlField *
hl_field_add_child (HlField *self,
                    HlField *child)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (child != NULL, NULL);
  g_return_val_if_fail (child->parent == NULL, NULL);

  if (self->children == NULL)
    self->children = g_ptr_array_new_with_free_func ((GDestroyNotify) hl_field_unref);
  g_ptr_array_add (self->children, child);
  child->parent = self;

  return child;
}

static gboolean
contains (HlField *self,
          gsize    offset)
{
  return offset >= self->offset && offset - self->offset < self->length;
}

/**
 * hl_field_find_at_offset:
 * @self: a field
 * @offset: an absolute byte offset
 *
 * Finds the innermost field whose range contains @offset, skipping derived fields and
 * empty ones.
 *
 * Returns: (nullable) (transfer none): the field, or %NULL if @offset is outside @self
 */
HlField *
hl_field_find_at_offset (HlField *self,
                         gsize    offset)
{
  HlField *found;

  g_return_val_if_fail (self != NULL, NULL);

  if (!contains (self, offset))
    return NULL;

  found = self;
  while (found->children != NULL)
    {
      HlField *inner = NULL;

      for (guint i = 0; i < found->children->len; i++)
        {
          HlField *child = g_ptr_array_index (found->children, i);

          if (!child->derived && contains (child, offset))
            {
              inner = child;
              break;
            }
        }
      if (inner == NULL)
        break;
      found = inner;
    }

  return found;
}

/**
 * hl_field_find:
 * @self: a field
 * @name: a field name
 *
 * Depth-first, pre-order search, @self included.
 *
 * Returns: (nullable) (transfer none): the first field called @name
 */
HlField *
hl_field_find (HlField    *self,
               const char *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_strcmp0 (self->name, name) == 0)
    return self;

  for (guint i = 0; i < hl_field_get_n_children (self); i++)
    {
      HlField *found = hl_field_find (g_ptr_array_index (self->children, i), name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * hl_field_find_path:
 * @self: a field
 * @path: child names separated by "/", e.g. "extensions/key_share/client_shares"
 *
 * Follows direct children by name, from @self down.
 *
 * Returns: (nullable) (transfer none): the field at the end of @path
 */
HlField *
hl_field_find_path (HlField    *self,
                    const char *path)
{
  g_auto(GStrv) parts = NULL;
  HlField *cur = self;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  parts = g_strsplit (path, "/", -1);
  for (guint p = 0; parts[p] != NULL && cur != NULL; p++)
    {
      HlField *next = NULL;

      for (guint i = 0; i < hl_field_get_n_children (cur); i++)
        {
          HlField *child = g_ptr_array_index (cur->children, i);

          if (g_strcmp0 (child->name, parts[p]) == 0)
            {
              next = child;
              break;
            }
        }
      cur = next;
    }

  return cur;
}

/**
 * hl_field_count:
 * @self: a field
 *
 * Returns: the number of fields in the tree rooted at @self, @self included
 */
guint
hl_field_count (HlField *self)
{
  guint n = 1;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < hl_field_get_n_children (self); i++)
    n += hl_field_count (g_ptr_array_index (self->children, i));

  return n;
}

/**
 * hl_field_dup_path:
 * @self: a field
 *
 * Returns: (transfer full): the names from the root down, joined by ".",
 *   e.g. "ClientHello.extensions.key_share"
 */
char *
hl_field_dup_path (HlField *self)
{
  GPtrArray *names;
  GString *str;

  g_return_val_if_fail (self != NULL, NULL);

  names = g_ptr_array_new ();
  for (HlField *f = self; f != NULL; f = f->parent)
    g_ptr_array_add (names, f->name);

  str = g_string_new (NULL);
  for (guint i = names->len; i > 0; i--)
    {
      if (str->len > 0)
        g_string_append_c (str, '.');
      g_string_append (str, g_ptr_array_index (names, i - 1));
    }
  g_ptr_array_unref (names);

  return g_string_free (str, FALSE);
}

/**
 * hl_field_print:
 * @self: a field
 * @out: where to append
 * @indent: nesting level of @self (two spaces each)
 *
 * Appends one line per field, `offset length  name = value`, children indented under
 * their parent; derived fields are marked with "~" instead of a range. This is the
 * `--print --verbose` format.
 */
void
hl_field_print (HlField *self,
                GString *out,
                guint    indent)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  if (self->derived)
    g_string_append_printf (out, "%6s %5s  ", "~", "");
  else
    g_string_append_printf (out, "%6" G_GSIZE_FORMAT " %5" G_GSIZE_FORMAT "  ",
                            self->offset, self->length);
  for (guint i = 0; i < indent; i++)
    g_string_append (out, "  ");
  g_string_append (out, self->name);
  if (self->value != NULL && self->value[0] != '\0')
    {
      g_string_append (out, " = ");
      /* Values are single-line by contract; keep the output one line per field anyway. */
      for (const char *p = self->value; *p != '\0'; p++)
        g_string_append_c (out, *p == '\n' ? ' ' : *p);
    }
  g_string_append_c (out, '\n');

  for (guint i = 0; i < hl_field_get_n_children (self); i++)
    hl_field_print (g_ptr_array_index (self->children, i), out, indent + 1);
}

/**
 * hl_field_to_string:
 * @self: a field
 *
 * Returns: (transfer full): the tree as printed by hl_field_print()
 */
char *
hl_field_to_string (HlField *self)
{
  GString *out = g_string_new (NULL);

  hl_field_print (self, out, 0);
  return g_string_free (out, FALSE);
}
