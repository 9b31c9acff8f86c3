#!/usr/bin/env python3
"""Counts TAP subtests in meson's testlog.json files and prints `N passed, N failed, N skipped`.

A test program that crashed or timed out before printing its plan counts as one failure."""
import json
import re
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"count-tests: {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        entry = json.loads(line)
        sub_pass = sub_fail = sub_skip = 0
        for out in (entry.get("stdo") or entry.get("stdout") or "").splitlines():
            m = re.match(r"^(not ok|ok)\b(.*)$", out)
            if not m:
                continue
            if re.search(r"#\s*SKIP", m.group(2), re.I):
                sub_skip += 1
            elif m.group(1) == "ok":
                sub_pass += 1
            else:
                sub_fail += 1
        result = entry.get("result", "")
        if sub_pass + sub_fail + sub_skip == 0:
            if result == "OK":
                sub_pass = 1
            elif result == "SKIP":
                sub_skip = 1
            else:
                sub_fail = 1
        elif result not in ("OK", "SKIP", "EXPECTEDFAIL") and sub_fail == 0:
            sub_fail = 1  # crashed after some subtests passed
        passed += sub_pass
        failed += sub_fail
        skipped += sub_skip
print(f"{passed} passed, {failed} failed, {skipped} skipped")
