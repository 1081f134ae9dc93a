#!/usr/bin/env bash
# Builds the DocC documentation of every target and fails on any documentation warning (an unresolved
# ``symbol`` link, a documented parameter that does not exist, a missing parameter, an invalid page).
# The archives land in .build/plugins/Swift-DocC/outputs/. Usage: bash scripts/check-docc.sh [--target T]
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift package generate-documentation "$@" --warnings-as-errors 2>&1 | tee "$log" | grep -v '^\[' || status=$?
if grep -qE '^(warning|error):' "$log" || [ "$status" -ne 0 ]; then
    echo "check-docc: the documentation has warnings or errors (see above)" >&2
    exit 1
fi
echo "check-docc: documentation built without warnings"
