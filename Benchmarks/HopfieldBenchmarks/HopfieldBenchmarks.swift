// The ordo-one benchmark suites of Hopfield: batched kernels (vector field, Jacobian–vector product,
// energies, and OpenBLAS dgemm on the same shapes) and integration (single trajectory, lockstep and
// independent batches). Run from Benchmarks/: `swift package benchmark` (docs/performance.md).
import Benchmark

/// Every metric the kernel suites report: wall clock, instructions, and the malloc interposer's counts.
let kernelMetrics: [BenchmarkMetric] = [
    .wallClock, .cpuTotal, .instructions, .throughput, .mallocCountTotal,
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: kernelMetrics, warmupIterations: 3, maxDuration: .seconds(2), maxIterations: 1000)
    kernelBenchmarks()
    integrationBenchmarks()
}
