import Foundation
import Hopfield
import LinearAlgebra

/// Kernel timings of the benchmark: the batched vector field, Jacobian–vector product and energies, and
/// OpenBLAS `dgemm` on the same shapes (task T4).
public enum BenchKernels {
    /// Best seconds per call of each kernel.
    public struct Timing: Sendable {
        /// Best seconds per call of the vector field, the Jacobian–vector product and the energies.
        public var vectorField: Double
        /// Best seconds per call of the Jacobian–vector product.
        public var jacobianVectorProduct: Double
        /// Best seconds per call of the energies.
        public var energies: Double
        /// Best seconds of the two `dgemm` calls with the vector field's shapes (`[B, N] Wᵀ` and `[B, K] W`).
        public var gemm: Double
        /// Floating-point operations of the synapse products of one vector-field call.
        public var flops: Double
    }

    /// Times the kernels for `states` (`B` states of `network`) and `dgemm` on the synapse shapes.
    ///
    /// - Parameters:
    ///   - network: The network.
    ///   - states: `B` flat states.
    ///   - minimumSeconds: Time each kernel for at least this long (best of the runs).
    /// - Returns: The best times and the synapse products' flop count.
    public static func time(_ network: Network, states: [[Double]], minimumSeconds: Double) -> Timing {
        let count = states.count
        let evaluator = BatchedEvaluator(network: network, capacity: count)
        let x = states.flatMap { $0 }
        var out = [Double](repeating: 0, count: x.count)
        var v = [Double](repeating: 0, count: x.count)
        for i in v.indices { v[i] = sin(Double(i)) }
        var e = [Double](repeating: 0, count: count)
        let flops = evaluator.vectorFieldProductFlops(batch: count)
        return x.withUnsafeBufferPointer { x in
            v.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { out in
                    e.withUnsafeMutableBufferPointer { e in
                        let vf = BenchTiming.best(minimumSeconds: minimumSeconds) { evaluator.vectorField(x, into: out) }
                        let jv = BenchTiming.best(minimumSeconds: minimumSeconds) {
                            evaluator.jacobianVectorProduct(at: x, v, into: out)
                        }
                        let en = BenchTiming.best(minimumSeconds: minimumSeconds) { evaluator.energies(x, into: e) }
                        let gemm = gemmSeconds(network, batch: count, minimumSeconds: minimumSeconds)
                        return Timing(vectorField: vf, jacobianVectorProduct: jv, energies: en, gemm: gemm, flops: flops)
                    }
                }
            }
        }
    }

    /// Best seconds of plain `dgemm` with every synapse's two products on contiguous operands:
    /// `C[B, n_Q] = A[B, n_P] Wᵀ` and `D[B, n_P] = E[B, n_Q] W` (C function `cblas_dgemm`).
    ///
    /// - Parameters:
    ///   - network: The network whose synapse shapes are used.
    ///   - batch: The batch size `B`.
    ///   - minimumSeconds: Time for at least this long (best of the runs).
    /// - Returns: The best seconds of all the products of one call, summed over the synapses.
    public static func gemmSeconds(_ network: Network, batch: Int, minimumSeconds: Double) -> Double {
        var total = 0.0
        for s in network.synapses.indices {
            let nP = network.layers[network.preIndices[s]].size
            let nQ = network.layers[network.postIndices[s]].size
            let w = [Double](unsafeUninitializedCapacity: nP * nQ) { buffer, count in
                for i in 0 ..< nP * nQ { buffer[i] = cos(Double(i)) * 0.01 }
                count = nP * nQ
            }
            let a = [Double](repeating: 0.5, count: batch * nP)
            let e = [Double](repeating: 0.25, count: batch * nQ)
            var c = [Double](repeating: 0, count: batch * nQ)
            var d = [Double](repeating: 0, count: batch * nP)
            total += w.withUnsafeBufferPointer { w in
                a.withUnsafeBufferPointer { a in
                    e.withUnsafeBufferPointer { e in
                        c.withUnsafeMutableBufferPointer { c in
                            d.withUnsafeMutableBufferPointer { d in
                                BenchTiming.best(minimumSeconds: minimumSeconds) {
                                    BLAS.gemm(
                                        transposeB: true, m: batch, n: nQ, k: nP, a.baseAddress!, lda: nP,
                                        w.baseAddress!, ldb: nP, c.baseAddress!, ldc: nQ)
                                    BLAS.gemm(
                                        m: batch, n: nP, k: nQ, e.baseAddress!, lda: nQ, w.baseAddress!, ldb: nP,
                                        d.baseAddress!, ldc: nP)
                                }
                            }
                        }
                    }
                }
            }
        }
        return total
    }
}
