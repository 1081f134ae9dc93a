#!/usr/bin/env bash
# Builds the DocC documentation of every target and fails on any documentation warning (an unresolved
# ``symbol`` link, a documented parameter that does not exist, a missing parameter, an invalid page).
# The archives land in .build/plugins/Swift-DocC/outputs/. Usage: bash scripts/check-docc.sh [--target T]
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# Without arguments: every library target outside Tests/, and the executables that have a catalog
# (DocC fails on the page it synthesizes for an executable without one).
if [ "$#" -eq 0 ]; then
    mapfile -t targets < <(swift package dump-package | python3 -c '
import json, os, sys
for t in json.load(sys.stdin)["targets"]:
    path = t.get("path") or "Sources/" + t["name"]
    catalog = os.path.isdir(path) and any(f.endswith(".docc") for f in os.listdir(path))
    if not path.startswith("Tests/") and (t["type"] == "regular" or (t["type"] == "executable" and catalog)):
        print("--target"); print(t["name"])')
    set -- "${targets[@]}"
fi
swift package generate-documentation "$@" --warnings-as-errors 2>&1 | tee "$log" | grep -v '^\[' || status=$?
if grep -qE '^(warning|error):' "$log" || [ "$status" -ne 0 ]; then
    echo "check-docc: the documentation has warnings or errors (see above)" >&2
    exit 1
fi
echo "check-docc: documentation built without warnings"
