import Foundation
import Hopfield
import TestSupport
import Testing

@Suite("Lagrangians at huge arguments")
struct LagrangianOverflowTests {
    @Test("softmax and ghostmax at x in the thousands: finite L, probabilities summing to 1")
    func logSumExp() {
        for beta in [1.0, 3] {
            let x = [1000.0, 1001, 999.5, -1000]
            let softmax = Lagrangian.softmax(beta: beta)
            let expected = 1001 + Foundation.log(1 + Foundation.exp(-beta) + Foundation.exp(-1.5 * beta)) / beta
            let (value, p) = softmax.valueAndActivation(x)
            #expect(abs(value - expected) <= 1e-14 * expected)
            #expect(abs(p.reduce(0, +) - 1) <= 1e-15)
            #expect(abs(p[1] - 1 / (1 + Foundation.exp(-beta) + Foundation.exp(-1.5 * beta))) <= 1e-15)
            #expect(softmax.hessian(at: x).allSatisfy { $0.isFinite })
            let ghost = Lagrangian.ghostmax(beta: beta)
            #expect(abs(ghost.value(x) - expected) <= 1e-14 * expected)
            #expect(ghost.activation(x).allSatisfy { $0.isFinite })
            // Far below 0: softmax stays exact, ghostmax tends to 0 without underflow trouble.
            let low = [-1000.0, -1002, -1001]
            let lowExpected = -1000 + Foundation.log(1 + Foundation.exp(-2 * beta) + Foundation.exp(-beta)) / beta
            #expect(abs(softmax.value(low) - lowExpected) <= 1e-14 * abs(lowExpected))
            #expect(ghost.value(low) >= 0 && ghost.value(low) < 1e-300)
            #expect(softmax.activation(low).allSatisfy { $0 > 0 && $0.isFinite })
        }
    }

    @Test("tanh and sigmoid L finite at |βx| = 1e3 and equal to their asymptotes")
    func saturatedValues() {
        for beta in [0.5, 1, 10] {
            let x = [1e3 / beta, -1e3 / beta]
            let tanh = Lagrangian.tanh(beta: beta)
            // log cosh z = |z| − log 2 + log1p(e^{−2|z|}).
            let tanhExpected = 2 * (1e3 - Foundation.log(2)) / beta
            #expect(abs(tanh.value(x) - tanhExpected) <= 1e-14 * tanhExpected)
            #expect(tanh.activation(x) == [1, -1])
            #expect(tanh.hessianDiagonal(at: x).allSatisfy { $0 >= 0 && $0.isFinite })
            let sigmoid = Lagrangian.sigmoid(beta: beta)
            #expect(abs(sigmoid.value(x) - 1e3 / beta) <= 1e-14 * 1e3 / beta)
            #expect(sigmoid.activation(x) == [1, 0])
            #expect(sigmoid.hessianDiagonal(at: x).allSatisfy { $0 >= 0 && $0.isFinite })
        }
    }

    @Test("exp and rexp overflow to +∞ (never NaN) once βx > 709.78", arguments: [Lagrangian.exp(beta: 2), .rexp(beta: 2)])
    func exponentialOverflow(_ l: Lagrangian) {
        let x = [400.0, 1]  // βx = 800
        #expect(l.value(x) == .infinity)
        let g = l.activation(x)
        #expect(g[0] == .infinity && g[1].isFinite)
        let h = l.hessianDiagonal(at: x)
        #expect(h[0] == .infinity && h[1].isFinite)
        // Just below the threshold everything is finite.
        #expect(l.value([354]).isFinite && l.activation([354])[0].isFinite && l.hessian(at: [354])[0].isFinite)
    }

    @Test("layernorm and spherical with ε = 0 at their singular points: g = δ, H = 0, no NaN")
    func singularPoints() {
        let layernorm = Lagrangian.layernorm(gamma: 2, delta: [0.1, 0.2, 0.3], eps: 0)
        let constant = [0.4, 0.4, 0.4]
        #expect(abs(layernorm.value(constant) - (0.1 + 0.2 + 0.3) * 0.4) <= 1e-15)
        #expect(layernorm.activation(constant) == [0.1, 0.2, 0.3])
        #expect(layernorm.hessian(at: constant).allSatisfy { $0 == 0 })
        let spherical = Lagrangian.spherical(gamma: 2, delta: [0.5], eps: 0)
        #expect(spherical.value([0, 0]) == 0)
        #expect(spherical.activation([0, 0]) == [0.5, 0.5])
        #expect(spherical.hessianVectorProduct(at: [0, 0], [1, 2]) == [0, 0])
    }
}
