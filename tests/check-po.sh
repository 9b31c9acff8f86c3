#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Translations stay translatable: every file with translatable strings is in po/POTFILES.in
# (and every file listed there exists); no translatable C string is cut short by a printf
# macro xgettext cannot see through (_("%" G_GSIZE_FORMAT " bytes") becomes the msgid "%", and
# the whole string is never translated; %zu and "%" PRIu64 are understood); every .po of
# po/LINGUAS compiles with its formats checked against the msgids.
# Usage: check-po.sh SOURCE_ROOT
set -u
root=$1
cd "$root" || exit 1
failed=0
fail () { echo "FAIL: $*"; failed=1; }

for tool in xgettext msgfmt; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
for f in $listed; do
  [ -f "$f" ] || fail "po/POTFILES.in lists $f, which does not exist"
done
for f in $(grep -rlE '(^|[^A-Za-z0-9_])N?C?_\("|translatable="yes"' app protocol ui resources \
             --include='*.c' --include='*.ui' --include='*.in' --include='*.xml' | sort); do
  echo "$listed" | grep -qx "$f" || fail "$f has translatable strings but is not in po/POTFILES.in"
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# the keywords and format flags of meson's "glib" preset (po/meson.build)
xgettext --from-code=UTF-8 --language=C -o "$tmp/c.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
  --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format --flag=g_set_error:4:c-format \
  --flag=g_error_new:3:c-format --flag=g_markup_printf_escaped:1:c-format \
  $(echo "$listed" | grep '\.c$') 2>"$tmp/xgettext.err"
if grep -q 'format string' "$tmp/xgettext.err"; then
  fail "translatable strings that are not whole format strings (use %zu, \"%\" PRIu64):"
  grep 'format string' "$tmp/xgettext.err" | grep -o '^[^ ]*:[0-9]*:' | sort -u
fi

checked=0
for lang in $(sed 's/#.*//' po/LINGUAS); do
  if msgfmt --check -o /dev/null "po/$lang.po" 2>"$tmp/msgfmt.err"; then
    checked=$((checked + 1))
  else
    fail "po/$lang.po does not compile:"
    cat "$tmp/msgfmt.err"
  fi
done

[ $failed -eq 0 ] && echo "ok: $(echo "$listed" | wc -l) files listed, $checked translations compile"
exit $failed
