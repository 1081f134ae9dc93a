#!/usr/bin/env bash
# Long fuzz run (issue 14): N seeded hostile inputs (default 100 000) to each target — the network-file
# decoder, the .npy reader and the option parser — through the property-based generator of
# Tests/HopfieldCLITests/FuzzTests.swift. Prints the counts of accepted and rejected inputs per target;
# fails on a crash (the test process dies) or a broken property.
# Usage: bash scripts/fuzz.sh [N] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
seed=${2:-14}
HOPFIELD_FUZZ_ITERATIONS=$n HOPFIELD_FUZZ_SEED=$seed swift test --filter 'FuzzTests' 2>&1 \
  | grep -E '^fuzz |✔|✘|passed|failed|error' | grep -v 'Test run started'
