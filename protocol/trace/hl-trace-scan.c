/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hl-trace-io"
#include "config.h"

#include <string.h>

#include "hl-trace-io-private.h"

/* json-glib builds a tree of about 300 bytes per object and 70 per scalar. These bound what a
 * hostile document under the size limit can make it allocate; a real trace uses a fraction. */
#define MAX_VALUES 4000000
#define MAX_CONTAINERS 500000

/* Scanning: a strict RFC 8259 check before json-glib sees the text.
 *
 * json-glib 1.6 recurses once per nesting level (100 000 '[' crash it), wraps integers that
 * overflow 64 bits (99999999999999999999999 becomes -1), accepts comments, single quotes, hex
 * numbers and a second document after the first, and turns \u0000 into the end of the string.
 * This loop keeps an explicit stack, so it has no recursion, and rejects all of that, counting
 * values so a small hostile document cannot make json-glib allocate without bound. */

typedef enum
{
  SCAN_VALUE,      /* a value must come next */
  SCAN_MEMBER,     /* a member name must come next */
  SCAN_AFTER,      /* a value ended */
} ScanState;

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GError    **error;
} Scanner;

static gboolean scan_fail (Scanner *s, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
scan_fail (Scanner *s, const char *format, ...)
{
  g_autofree char *what = NULL;
  const char *line_start = s->start;
  guint line = 1;
  va_list args;

  for (const char *q = s->start; q < s->p; q++)
    if (*q == '\n')
      {
        line++;
        line_start = q + 1;
      }

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* The text was checked to be UTF-8 before scanning, so the column counts characters. */
  g_set_error (s->error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
               "document: not valid JSON at line %u, column %ld: %s", line,
               g_utf8_pointer_to_offset (line_start, s->p) + 1, what);
  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_unexpected (Scanner *s, const char *expected)
{
  if (s->p >= s->end)
    return scan_fail (s, "the document ends where %s should be", expected);
  return scan_fail (s, "“%.*s” where %s should be",
                    (int) (g_utf8_next_char (s->p) - s->p), s->p, expected);
}

static int
scan_hex4 (Scanner *s)
{
  int value = 0;

  if (s->end - s->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (s->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  s->p += 4;
  return value;
}

static gboolean
scan_string (Scanner *s)
{
  g_assert (*s->p == '"');
  s->p++;

  for (;;)
    {
      guchar c;

      if (s->p >= s->end)
        return scan_fail (s, "the document ends inside a string");
      c = (guchar) *s->p;
      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (s, "control character 0x%02x inside a string", c);
      if (c != '\\')
        {
          s->p++;
          continue;
        }

      s->p++;
      if (s->p >= s->end)
        return scan_fail (s, "the document ends inside a string");
      c = (guchar) *s->p++;
      if (c != '\0' && strchr ("\"\\/bfnrt", c) != NULL)
        continue;
      if (c != 'u')
        {
          s->p--;
          return scan_unexpected (s, "an escape character");
        }
      else
        {
          const char *escape = s->p - 2;
          int unit = scan_hex4 (s);
          int low = 0;

          /* Errors point at the backslash. C strings cannot hold U+0000, and UTF-16
           * surrogates must come in pairs (RFC 8259 §7). */
          if (unit >= 0xd800 && unit <= 0xdbff && s->end - s->p >= 2 && s->p[0] == '\\' &&
              s->p[1] == 'u')
            {
              s->p += 2;
              low = scan_hex4 (s);
            }
          if (unit < 0 || low < 0)
            {
              s->p = escape;
              return scan_fail (s, "\\u needs four hex digits");
            }
          if (unit == 0)
            {
              s->p = escape;
              return scan_fail (s, "\\u0000 is not allowed");
            }
          if ((unit >= 0xdc00 && unit <= 0xdfff) ||
              (unit >= 0xd800 && unit <= 0xdbff && (low < 0xdc00 || low > 0xdfff)))
            {
              s->p = escape;
              return scan_fail (s, "unpaired UTF-16 surrogate \\u%04x", (guint) unit);
            }
        }
    }
}

static gboolean
scan_digits (Scanner *s)
{
  const char *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  if (s->p == first)
    return scan_unexpected (s, "a digit");
  return TRUE;
}

static gboolean
scan_number (Scanner *s)
{
  const char *first = s->p;
  gboolean integer = TRUE;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      integer = FALSE;
      if (!scan_digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      integer = FALSE;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }

  if (integer)
    {
      char digits[24];
      gsize n = s->p - first;

      if (n < sizeof digits)
        {
          memcpy (digits, first, n);
          digits[n] = '\0';
        }
      if (n >= sizeof digits ||
          !g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, NULL, NULL))
        {
          s->p = first;
          return scan_fail (s, "integer out of the 64-bit range");
        }
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner *s)
{
  static const char *const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize n = strlen (literals[i]);

      if ((gsize) (s->end - s->p) >= n && memcmp (s->p, literals[i], n) == 0)
        {
          s->p += n;
          return TRUE;
        }
    }
  return scan_unexpected (s, "a value");
}

gboolean
hl_trace_scan_document (const char *data, gsize length, GError **error)
{
  Scanner scanner = { data, data, data + length, error };
  Scanner *s = &scanner;
  char stack[HL_TRACE_MAX_DEPTH];  /* '{' or '[' per open container */
  guint depth = 0;
  guint n_values = 0;
  guint n_containers = 0;
  ScanState state = SCAN_VALUE;

  /* RFC 8259 §8.1 lets a parser ignore a byte order mark; json-glib does. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    s->p += 3;
  skip_space (s);
  if (s->p == s->end)
    {
      g_set_error_literal (error, HL_TRACE_ERROR, HL_TRACE_ERROR_INVALID,
                           "document: empty, this is not a trace");
      return FALSE;
    }

  for (;;)
    {
      skip_space (s);
      switch (state)
        {
        case SCAN_VALUE:
          if (s->p >= s->end)
            return scan_unexpected (s, "a value");
          if (*s->p == '{' || *s->p == '[')
            {
              if (depth == HL_TRACE_MAX_DEPTH)
                return scan_fail (s, "nested deeper than %d levels", HL_TRACE_MAX_DEPTH);
              if (++n_containers > MAX_CONTAINERS)
                return scan_fail (s, "more than %d objects and arrays", MAX_CONTAINERS);
              stack[depth++] = *s->p++;
              skip_space (s);
              if (s->p < s->end && *s->p == (stack[depth - 1] == '{' ? '}' : ']'))
                {
                  s->p++;
                  depth--;
                  state = SCAN_AFTER;
                }
              else
                state = stack[depth - 1] == '{' ? SCAN_MEMBER : SCAN_VALUE;
              continue;
            }
          if (*s->p == '"')
            {
              if (!scan_string (s))
                return FALSE;
            }
          else if (*s->p == '-' || g_ascii_isdigit (*s->p))
            {
              if (!scan_number (s))
                return FALSE;
            }
          else if (!scan_literal (s))
            return FALSE;
          state = SCAN_AFTER;
          break;

        case SCAN_MEMBER:
          if (s->p >= s->end || *s->p != '"')
            return scan_unexpected (s, "a member name in quotes");
          if (!scan_string (s))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return scan_unexpected (s, "“:”");
          s->p++;
          state = SCAN_VALUE;
          break;

        case SCAN_AFTER:
          if (++n_values > MAX_VALUES)
            return scan_fail (s, "more than %d values", MAX_VALUES);
          if (depth == 0)
            {
              if (s->p != s->end)
                return scan_fail (s, "more data after the end of the document");
              return TRUE;
            }
          if (s->p < s->end && *s->p == ',')
            {
              s->p++;
              state = stack[depth - 1] == '{' ? SCAN_MEMBER : SCAN_VALUE;
            }
          else if (s->p < s->end && *s->p == (stack[depth - 1] == '{' ? '}' : ']'))
            {
              s->p++;
              depth--;
            }
          else
            return scan_unexpected (s, stack[depth - 1] == '{' ? "“,” or “}”" : "“,” or “]”");
          break;

        default:
          g_assert_not_reached ();
        }
    }
}
