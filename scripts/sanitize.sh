#!/usr/bin/env bash
# Builds hopfield with the address sanitizer (leak checking on) and runs the examples' simulations (every
# linear solver and Tsit5, a batch, --out), an analysis and the bad-input paths under it; fails on any
# invalid access or leak (ASan exits with status 23 here).
# Usage: bash scripts/sanitize.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=.build/asan
swift build --product hopfield --build-path "$build" -Xswiftc -sanitize=address >/dev/null
bin=$(swift build --product hopfield --build-path "$build" -Xswiftc -sanitize=address --show-bin-path)/hopfield
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export ASAN_OPTIONS=detect_leaks=1:exitcode=23:abort_on_error=0
status=0
run() {  # run NAME EXPECTED-STATUS ARGS...
  local name=$1 expected=$2; shift 2
  local rc=0
  "$bin" "$@" >/dev/null 2>"$out/$name.log" || rc=$?
  if [ "$rc" = "$expected" ] && ! grep -q 'ERROR: \(Address\|Leak\)Sanitizer' "$out/$name.log"; then
    echo "$name: ok (exit $rc)"
  else
    echo "$name: FAILED (exit $rc, expected $expected)"; grep -A12 'Sanitizer' "$out/$name.log" | head -30; status=1
  fi
}
E=examples/dense_associative_memory
for solver in dense dense-dq gmres; do
  run "dam-$solver" 0 simulate $E/network.json --init visible=$E/queries.npy --until-steady --t-end 100 \
    --linear-solver "$solver" --out "$out/$solver"
done
run dam-tsit5 0 simulate $E/network.json --init visible=$E/queries.npy --until-steady --t-end 100 --method tsit5
H=examples/hierarchical_three_layer
run hierarchical 0 simulate $H/network.json --until-steady --t-end 100 --json
D=examples/dead_neurons_relu
run analyze-relu 0 analyze $D/relu10.json --out "$out/analyze"
run bad-flag 2 simulate $E/network.json --t-end -1
run bad-out 2 simulate $E/network.json --out .
run too-large 1 simulate <(echo '{"format":1,"layers":[{"name":"a","size":2147483647,"lagrangian":{"type":"identity"}}]}')
exit $status
