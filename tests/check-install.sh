#!/bin/sh
# meson install into a DESTDIR, then validate the installed tree the way a software centre would.
set -eu
build=$1
app_id=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet --skip-subprojects >/dev/null
prefix=$(meson introspect "$build" --buildoptions | python3 -c \
  'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root="$dest$prefix"
for f in bin/handshake-lens \
         share/applications/$app_id.desktop \
         share/metainfo/$app_id.metainfo.xml \
         share/glib-2.0/schemas/$app_id.gschema.xml \
         share/mime/packages/$app_id.xml \
         share/icons/hicolor/scalable/apps/$app_id.svg \
         share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg; do
  [ -e "$root/$f" ] || { echo "missing after install: $f"; exit 1; }
done
# the window's module, loaded by bin/handshake-lens from <libdir>/handshake-lens (app/main.c)
ls "$root"/lib*/handshake-lens/handshake-lens-gui.so "$root"/lib/*/handshake-lens/handshake-lens-gui.so \
  2>/dev/null | grep -q . || { echo "missing after install: the window's module"; exit 1; }
if [ -s "$(dirname "$0")/../po/LINGUAS" ]; then
  for lang in $(grep -v '^#' "$(dirname "$0")/../po/LINGUAS"); do
    [ -e "$root/share/locale/$lang/LC_MESSAGES/handshake-lens.mo" ] || {
      echo "missing translation: $lang"; exit 1; }
  done
fi
appstreamcli validate-tree --no-net "$root"
