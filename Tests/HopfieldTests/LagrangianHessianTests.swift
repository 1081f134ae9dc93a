import Foundation
import Hopfield
import TestSupport
import Testing

@Suite("Lagrangian Hessians: symmetry, positive semi-definiteness, norm bounds")
struct LagrangianHessianTests {
    @Test("H is symmetric and positive semi-definite at random points", arguments: derivativeCases)
    func symmetricPositiveSemiDefinite(_ l: Lagrangian) {
        var rng = SplitMix64(seed: seed(l, 11))
        let n = derivativeSize
        for trial in 0 ..< 30 {
            // Include saturated and dominant regimes: a wide range for some trials.
            let x = rng.vector(n, trial < 20 ? -2 : -8, trial < 20 ? 2 : 8)
            let h = l.hessian(at: x)
            #expect(h.allSatisfy { $0.isFinite })
            var asymmetry = 0.0
            for i in 0 ..< n { for j in 0 ..< n { asymmetry = max(asymmetry, abs(h[i * n + j] - h[j * n + i])) } }
            let scale = max(maxAbs(h), 1e-300)
            #expect(asymmetry <= 1e-14 * scale)
            // Cholesky of H + tiny I succeeds iff the smallest eigenvalue exceeds −tiny.
            #expect(choleskySucceeds(shifted(h, n: n, by: 1e-10 * scale), n: n), "\(l) at \(x)")
            #expect((symmetricEigenvalues(h, n: n).first ?? 0) >= -1e-10 * scale)
            for _ in 0 ..< 20 {
                let v = rng.vector(n)
                let quadratic = dot(v, l.hessianVectorProduct(at: x, v))
                #expect(quadratic >= -1e-12 * scale * dot(v, v))
            }
        }
    }

    @Test("the largest eigenvalue of H never exceeds hessianNormBound", arguments: derivativeCases)
    func boundHolds(_ l: Lagrangian) {
        guard let bound = l.hessianNormBound else { return }
        var rng = SplitMix64(seed: seed(l, 12))
        for _ in 0 ..< 30 {
            let x = rng.vector(derivativeSize, -2, 2)
            let lambda = largestEigenvalue(l.hessian(at: x), n: derivativeSize)
            #expect(lambda <= bound * (1 + 1e-12), "\(l): λ = \(lambda) > \(bound)")
        }
    }

    @Test("hessianNormBound is attained where the table says, and nil for unbounded Hessians")
    func boundIsTight() {
        let n = 4
        let zero = [Double](repeating: 0, count: n)
        let constant = [Double](repeating: 0.7, count: n)
        let cases: [(Lagrangian, [Double], Double)] = [
            (.identity, [1, -2, 3, 0.5], 1),
            (.relu, [1, 2, 3, 0.5], 1),
            (.repu(n: 2), [1, 2, 3, 0.5], 1),
            (.tanh(beta: 3), zero, 3),
            (.sigmoid(beta: 3), zero, 0.75),
            (.softmax(beta: 4), [1, 1, -30, -30], 2),
            (.layernorm(gamma: 2, delta: [], eps: 0.25), constant, 4),
            (.spherical(gamma: 2, delta: [0.3], eps: 0.25), zero, 4),
        ]
        for (l, x, expected) in cases {
            #expect(l.hessianNormBound == expected, "\(l)")
            let lambda = largestEigenvalue(l.hessian(at: x), n: n)
            #expect(abs(lambda - expected) <= 1e-9 * expected, "\(l): λ = \(lambda), expected \(expected)")
        }
        #expect(Lagrangian.ghostmax(beta: 3).hessianNormBound == 1.5)
        for unbounded in [Lagrangian.repu(n: 3), .exp(beta: 1), .rexp(beta: 1),
                          .layernorm(gamma: 1, delta: [], eps: 0), .spherical(gamma: 1, delta: [], eps: 0)] {
            #expect(unbounded.hessianNormBound == nil, "\(unbounded)")
        }
    }
}
