#!/usr/bin/env bash
# Runs simulations of the dense-associative-memory example under valgrind memcheck, once per linear
# solver (a batch of 10 trajectories, spread over the cores), and fails on any leak or invalid access.
# Usage: bash scripts/memcheck.sh        (needs valgrind: apt-get install valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product hopfield >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
E=examples/dense_associative_memory
for solver in dense dense-dq gmres; do
  valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
    .build/debug/hopfield simulate $E/network.json --init visible=$E/queries.npy --until-steady --t-end 100 \
    --linear-solver "$solver" --out "$out/$solver" >/dev/null 2>"$out/$solver.log"
  echo "$solver: $(grep -E 'definitely lost|ERROR SUMMARY' "$out/$solver.log" | sed 's/==[0-9]*== *//' | tr '\n' ' ')"
done
