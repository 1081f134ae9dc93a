import Benchmark
import Hopfield
import LinearAlgebra

/// The batched kernels at the T1 and T2 shapes, and OpenBLAS dgemm with the vector field's shapes.
/// One benchmark iteration is one call. The small shape runs 1000 calls per sample (`.kilo`), so its
/// counts are per call; the large shapes run one call per sample and are read against "noop", which
/// has the same measurement structure and an empty body (the framework's own per-sample mallocs).
func kernelBenchmarks() {
    Benchmark("noop (framework overhead per sample)") { benchmark in
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(0) }
        benchmark.stopMeasurement()
    }
    let kilo = Benchmark.Configuration(
        metrics: kernelMetrics, warmupIterations: 3, scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 200)
    for (n, k, b) in [(64, 50, 1), (784, 1000, 16), (784, 1000, 256)] {
        let shape = "N=\(n) K=\(k) B=\(b)"
        let (network, states) = workload(n: n, k: k, b: b, beta: n == 64 ? 2 : 0.2)
        let evaluator = BatchedEvaluator(network: network, capacity: b)
        let x = states.flatMap { $0 }
        let v = x.indices.map { Double(($0 * 7919) % 101) / 101 - 0.5 }
        var out = [Double](repeating: 0, count: x.count)
        var energies = [Double](repeating: 0, count: b)

        let configuration = b == 1 ? kilo : Benchmark.defaultConfiguration
        Benchmark("vector field \(shape)", configuration: configuration) { benchmark in
            x.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { out in
                    benchmark.startMeasurement()
                    for _ in benchmark.scaledIterations { evaluator.vectorField(x, into: out) }
                    benchmark.stopMeasurement()
                }
            }
            blackHole(out[0])
        }
        var rates = [Double](repeating: 0, count: b)
        var gradients = [Double](repeating: 0, count: x.count)
        Benchmark("vector field + energies, rates, gradients (Tsit5's last stage) \(shape)", configuration: configuration) { benchmark in
            x.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { out in
                    energies.withUnsafeMutableBufferPointer { e in
                        rates.withUnsafeMutableBufferPointer { r in
                            gradients.withUnsafeMutableBufferPointer { g in
                                benchmark.startMeasurement()
                                for _ in benchmark.scaledIterations {
                                    evaluator.vectorField(x, into: out, energies: e, rates: r, gradients: g)
                                }
                                benchmark.stopMeasurement()
                            }
                        }
                    }
                }
            }
            blackHole(out[0] + energies[0] + rates[0] + gradients[0])
        }
        Benchmark("Jacobian-vector product \(shape)", configuration: configuration) { benchmark in
            x.withUnsafeBufferPointer { x in
                v.withUnsafeBufferPointer { v in
                    out.withUnsafeMutableBufferPointer { out in
                        benchmark.startMeasurement()
                        for _ in benchmark.scaledIterations { evaluator.jacobianVectorProduct(at: x, v, into: out) }
                        benchmark.stopMeasurement()
                    }
                }
            }
            blackHole(out[0])
        }
        Benchmark("energies \(shape)", configuration: configuration) { benchmark in
            x.withUnsafeBufferPointer { x in
                energies.withUnsafeMutableBufferPointer { e in
                    benchmark.startMeasurement()
                    for _ in benchmark.scaledIterations { evaluator.energies(x, into: e) }
                    benchmark.stopMeasurement()
                }
            }
            blackHole(energies[0])
        }
        guard b > 1 else { continue }
        // dgemm with the two synapse products of the vector field on contiguous operands.
        let w = (0 ..< n * k).map { Double($0 % 13) / 13 - 0.5 }
        let a = [Double](repeating: 0.5, count: b * n)
        let g = [Double](repeating: 0.25, count: b * k)
        var c = [Double](repeating: 0, count: b * k)
        var d = [Double](repeating: 0, count: b * n)
        Benchmark("dgemm reference \(shape) (the vector field's two products)") { benchmark in
            w.withUnsafeBufferPointer { w in
                a.withUnsafeBufferPointer { a in
                    g.withUnsafeBufferPointer { g in
                        c.withUnsafeMutableBufferPointer { c in
                            d.withUnsafeMutableBufferPointer { d in
                                benchmark.startMeasurement()
                                for _ in benchmark.scaledIterations {
                                    BLAS.gemm(
                                        transposeB: true, m: b, n: k, k: n, a.baseAddress!, lda: n, w.baseAddress!,
                                        ldb: n, c.baseAddress!, ldc: k)
                                    BLAS.gemm(
                                        m: b, n: n, k: k, g.baseAddress!, lda: k, w.baseAddress!, ldb: n,
                                        d.baseAddress!, ldc: n)
                                }
                                benchmark.stopMeasurement()
                            }
                        }
                    }
                }
            }
            blackHole(c[0] + d[0])
        }
    }
}
