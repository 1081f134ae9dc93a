#!/usr/bin/env bash
# Fuzzing (issue 14). Two harnesses:
#
#   bash scripts/fuzz.sh [N] [SEED]      the property-based generator of hostile inputs in
#                                        Tests/HopfieldCLITests/FuzzTests.swift: N inputs (default 100 000)
#                                        to each of the network-file decoder, the .npy reader and the option
#                                        parser; prints the accepted/rejected counts per target.
#   bash scripts/fuzz.sh --libfuzzer [SECONDS]
#                                        libFuzzer (swift build -Xswiftc -sanitize=fuzzer) on the decoder and
#                                        the .npy reader, seeded with the examples' files, SECONDS each
#                                        (default 60); builds a throwaway package under .build/fuzz that
#                                        depends on this one (scripts/fuzz/*.swift are the targets).
#
# The suite runs the property-based targets briefly (300 inputs each): swift test --filter FuzzTests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ "${1:-}" != "--libfuzzer" ]; then
  n=${1:-100000}
  seed=${2:-14}
  HOPFIELD_FUZZ_ITERATIONS=$n HOPFIELD_FUZZ_SEED=$seed swift test --filter 'FuzzTests' 2>&1 \
    | grep -E '^fuzz |✔|✘|error' | grep -v 'Test run started'
  exit "${PIPESTATUS[0]}"
fi
seconds=${2:-60}
pkg=.build/fuzz
mkdir -p "$pkg/Sources/network-file-fuzzer" "$pkg/Sources/npy-fuzzer" "$pkg/corpus/network" "$pkg/corpus/npy"
cp scripts/fuzz/NetworkFileFuzzer.swift "$pkg/Sources/network-file-fuzzer/"
cp scripts/fuzz/NPYFuzzer.swift "$pkg/Sources/npy-fuzzer/"
cat > "$pkg/Package.swift" <<SWIFT
// swift-tools-version: 6.1
import PackageDescription
let flags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library", "-sanitize=fuzzer,address"])]
let package = Package(
    name: "HopfieldFuzz",
    dependencies: [.package(name: "Hopfield", path: "$root")],
    targets: [
        .executableTarget(name: "network-file-fuzzer", dependencies: [.product(name: "HopfieldIO", package: "Hopfield")], swiftSettings: flags),
        .executableTarget(name: "npy-fuzzer", dependencies: [.product(name: "HopfieldIO", package: "Hopfield")], swiftSettings: flags),
    ])
SWIFT
for f in examples/*/*.json; do case $f in *expected*) ;; *) cp "$f" "$pkg/corpus/network/$(echo "$f" | tr / _)";; esac; done
for f in examples/*/*.npy; do cp "$f" "$pkg/corpus/npy/$(echo "$f" | tr / _)"; done
(cd "$pkg" && swift build -c release -Xswiftc -sanitize=fuzzer,address >/dev/null)
bin=$(cd "$pkg" && swift build -c release --show-bin-path)
status=0
for target in network-file-fuzzer npy-fuzzer; do
  if [ "$target" = npy-fuzzer ]; then corpus=$pkg/corpus/npy; else corpus=$pkg/corpus/network; fi
  HOPFIELD_FUZZ_BASE=$root/examples/dense_associative_memory \
    "$bin/$target" -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
    "$corpus" 2>"$pkg/$target.log" || status=1
  echo "$target: $(grep -E 'stat::number_of_executed_units' "$pkg/$target.log" | awk '{print $2}') inputs, $(grep -cE 'ERROR|crash-' "$pkg/$target.log" || true) crash reports"
done
exit $status
