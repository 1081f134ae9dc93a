#!/usr/bin/env bash
# Runs simulations of the dense-associative-memory example under valgrind memcheck, once per linear
# solver and once with the explicit Tsit5 method (a batch of 10 trajectories), and fails on any leak or
# invalid access.
# Usage: bash scripts/memcheck.sh        (needs valgrind: apt-get install valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product hopfield >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
E=examples/dense_associative_memory
for solver in dense dense-dq gmres tsit5; do
  if [ "$solver" = tsit5 ]; then flags=(--method tsit5); else flags=(--linear-solver "$solver"); fi
  valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
    .build/debug/hopfield simulate $E/network.json --init visible=$E/queries.npy --until-steady --t-end 100 \
    "${flags[@]}" --out "$out/$solver" >/dev/null 2>"$out/$solver.log"
  echo "$solver: $(grep -E 'definitely lost|ERROR SUMMARY' "$out/$solver.log" | sed 's/==[0-9]*== *//' | tr '\n' ' ')"
done
