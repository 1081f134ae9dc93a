import Foundation
import Hopfield
import TestSupport
import Testing

@Suite("Zero modes of Lagrangian Hessians (docs/math.md §2 table)")
struct LagrangianZeroModeTests {
    let n = 6

    /// `‖H u‖∞` relative to `‖H‖∞` for every reported collective direction.
    func residuals(_ l: Lagrangian, _ x: [Double]) -> [Double] {
        let scale = maxAbs(l.hessian(at: x))
        return l.zeroModes(at: x).collectiveDirections.map { maxAbs(l.hessianVectorProduct(at: x, $0)) / scale }
    }

    @Test("softmax: H·1 = 0, and 1/√D is its reported null direction")
    func softmax() {
        var rng = SplitMix64(seed: 21)
        for beta in [0.5, 2, 10] {
            let l = Lagrangian.softmax(beta: beta)
            let x = rng.vector(n, -2, 2)
            let scale = maxAbs(l.hessian(at: x))
            #expect(maxAbs(l.hessianVectorProduct(at: x, [Double](repeating: 1, count: n))) <= 1e-14 * scale)
            let modes = l.zeroModes(at: x)
            #expect(modes.deadUnits.isEmpty)
            #expect(modes.collectiveDirections.count == 1)
            #expect(modes.collectiveDirections.first.map { $0.allSatisfy { abs($0 - 1 / 6.0.squareRoot()) < 1e-15 } } == true)
            // Only one null direction: H + (scale/n) 11ᵀ is positive definite.
            var lifted = l.hessian(at: x)
            for k in 0 ..< n * n { lifted[k] += scale / Double(n) }
            #expect(choleskySucceeds(lifted, n: n), "softmax(\(beta)) has a second null direction")
        }
    }

    @Test("spherical with ε = 0: H x = 0; with ε > 0 no null direction")
    func spherical() {
        var rng = SplitMix64(seed: 22)
        let x = rng.vector(n, -2, 2)
        let exact = Lagrangian.spherical(gamma: 1.5, delta: [0.2], eps: 0)
        #expect(maxAbs(exact.hessianVectorProduct(at: x, x)) <= 1e-14 * maxAbs(exact.hessian(at: x)) * maxAbs(x))
        #expect(exact.zeroModes(at: x).collectiveDirections.count == 1)
        #expect(residuals(exact, x).allSatisfy { $0 <= 1e-14 })
        let regular = Lagrangian.spherical(gamma: 1.5, delta: [0.2], eps: 0.1)
        #expect(regular.zeroModes(at: x).isEmpty)
        #expect(choleskySucceeds(regular.hessian(at: x), n: n))
    }

    @Test("layernorm: H·1 = 0 always, and H c = 0 (c = x − x̄) when ε = 0")
    func layernorm() {
        var rng = SplitMix64(seed: 23)
        let x = rng.vector(n, -2, 2)
        let mean = x.reduce(0, +) / Double(n)
        let c = x.map { $0 - mean }
        for eps in [0.0, 1e-5, 0.3] {
            let l = Lagrangian.layernorm(gamma: 0.9, delta: [0.1], eps: eps)
            let scale = maxAbs(l.hessian(at: x))
            #expect(maxAbs(l.hessianVectorProduct(at: x, [Double](repeating: 1, count: n))) <= 1e-14 * scale)
            let modes = l.zeroModes(at: x)
            #expect(modes.collectiveDirections.count == (eps == 0 ? 2 : 1), "eps = \(eps)")
            #expect(residuals(l, x).allSatisfy { $0 <= 1e-14 })
            let hc = maxAbs(l.hessianVectorProduct(at: x, c)) / (scale * maxAbs(c))
            if eps == 0 {
                #expect(hc <= 1e-14)
            } else {
                // Along c the eigenvalue is (γ/s)(ε/s²) > 0.
                #expect(hc > 1e-8)
            }
        }
    }

    @Test("dead relu, repu and rexp units (x ≤ 0) have zero rows and columns and are reported",
          arguments: [Lagrangian.relu, .repu(n: 2), .repu(n: 3.5), .rexp(beta: 2)])
    func deadUnits(_ l: Lagrangian) {
        let x = [0.5, -0.3, 0, 1.2, -2, 1e-9]
        let h = l.hessian(at: x)
        let dead = l.zeroModes(at: x).deadUnits
        #expect(dead == [1, 2, 4])
        for i in 0 ..< n {
            let zeroLine = (0 ..< n).allSatisfy { h[i * n + $0] == 0 && h[$0 * n + i] == 0 }
            #expect(zeroLine == dead.contains(i), "unit \(i)")
        }
        #expect(l.zeroModes(at: x).collectiveDirections.isEmpty)
    }

    @Test("ghostmax, tanh, sigmoid, exp and identity have no zero modes: vᵀHv > 0",
          arguments: [Lagrangian.ghostmax(beta: 1), .ghostmax(beta: 8), .tanh(beta: 2), .sigmoid(beta: 3), .exp(beta: 1), .identity])
    func noZeroModes(_ l: Lagrangian) {
        var rng = SplitMix64(seed: seed(l, 24))
        for _ in 0 ..< 10 {
            let x = rng.vector(n, -2, 2)
            #expect(l.zeroModes(at: x).isEmpty)
            #expect(choleskySucceeds(l.hessian(at: x), n: n), "\(l) at \(x)")
            for _ in 0 ..< 20 {
                let v = rng.vector(n)
                #expect(dot(v, l.hessianVectorProduct(at: x, v)) > 0)
            }
        }
        // Saturated tanh/sigmoid units still count as live: no threshold.
        #expect(l.zeroModes(at: [Double](repeating: 40, count: n)).isEmpty)
    }
}
