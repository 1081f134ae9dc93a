#!/usr/bin/env bash
# Regenerates every example's expected output from examples/expected_outputs.manifest (the one list of
# the commands; the test ExpectedOutputTests runs the same list and compares). Release build.
#
#     bash scripts/regenerate-expected.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [[ "${1:-}" != "--no-build" ]]; then
    swift build -c release --product hopfield
    swift build -c release --product example-krotov-hopfield-softmax
fi
bin="$root/.build/release"
manifest=examples/expected_outputs.manifest
# Truncate every output file first: the lines for one file append, in order.
grep -v '^#' "$manifest" | grep -v '^[[:space:]]*$' | while IFS='|' read -r out _ _; do
    out=$(echo "$out" | xargs)
    [[ "$out" != "-" ]] && : > "$out"
done
grep -v '^#' "$manifest" | grep -v '^[[:space:]]*$' | while IFS='|' read -r out dir cmd; do
    out=$(echo "$out" | xargs); dir=$(echo "$dir" | xargs); cmd=$(echo "$cmd" | sed 's/^ *//; s/ *$//')
    target=/dev/null
    [[ "$out" != "-" ]] && target="$root/$out"
    read -r program args <<< "$cmd"
    echo "$out <- ($dir) $cmd" >&2
    case "$program" in
        echo) echo "$args" >> "$target" ;;
        hopfield | example-*)
            status=0
            (cd "$root/$dir" && "$bin/$program" $args) >> "$target" || status=$?
            if [[ $status -ne 0 ]]; then echo "regenerate-expected: '$cmd' exited $status" >&2; exit 1; fi ;;
        *) echo "regenerate-expected: $manifest: unknown command '$program'" >&2; exit 2 ;;
    esac
done
echo "regenerated; review with: git diff --stat examples/" >&2
