#!/usr/bin/env python3
"""Offline checks of the Flatpak manifest: flatpak-builder parses it, and its app id, command and
permissions agree with the build. Exit 77 (skip) when flatpak-builder is not installed."""
import json
import shutil
import subprocess
import sys

manifest, app_id, command, desktop, metainfo = sys.argv[1:6]
# network: live mode connects to the server the user names, or listens for a client
ALLOWED = ["--share=ipc", "--share=network", "--socket=fallback-x11", "--socket=wayland", "--device=dri"]

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


if shutil.which("flatpak-builder") is None:
    print("flatpak-builder is not installed; skipping")
    sys.exit(77)

shown = subprocess.run(["flatpak-builder", "--show-manifest", manifest],
                       capture_output=True, text=True)
check(shown.returncode == 0, f"flatpak-builder --show-manifest failed: {shown.stderr.strip()}")
data = json.loads(shown.stdout) if shown.returncode == 0 else json.load(open(manifest))

check(data.get("id") == app_id, f"id {data.get('id')!r} != meson's {app_id!r}")
check(data.get("command") == command, f"command {data.get('command')!r} != {command!r}")
check(data.get("runtime") == "org.gnome.Platform", "runtime is not org.gnome.Platform")
check(data.get("sdk") == "org.gnome.Sdk", "sdk is not org.gnome.Sdk")
check(str(data.get("runtime-version")) == "50", "runtime-version is not 50")
args = data.get("finish-args", [])
extra = [a for a in args if a not in ALLOWED]
check(not extra, f"finish-args broader than allowed: {extra}")
check(sorted(args) == sorted(ALLOWED), f"finish-args {args} differ from {ALLOWED}")
app = data["modules"][-1]
check(app.get("buildsystem") == "meson", "the app module is not built with meson")
check(app.get("run-tests") is True, "run-tests is not enabled")
check(any(s.get("type") == "dir" for s in app.get("sources", [])), "the app source is not type dir")
# the dir source must not copy build trees into the Flatpak build (_build alone is ~50 MB)
for s in app.get("sources", []):
    if s.get("type") == "dir":
        for build_dir in ("_build", "_build-asan", "_build-fuzz", "_flatpak", ".flatpak-builder"):
            check(build_dir in s.get("skip", []), f"the dir source copies {build_dir}")
check(all(not a.startswith("--filesystem") for a in args), "filesystem access requested")
check(desktop.endswith(app_id + ".desktop"), f"desktop file {desktop} is not named after the app id")
check(open(metainfo).read().count(f"<id>{app_id}</id>") == 1, "metainfo id differs from app id")
check(f"<binary>{command}</binary>" in open(metainfo).read(), "metainfo does not provide the binary")
check(f"Exec={command}" in open(desktop).read(), "desktop Exec is not the command")

for f in failures:
    print("FAIL:", f)
print("manifest checks:", "ok" if not failures else f"{len(failures)} failed")
sys.exit(1 if failures else 0)
