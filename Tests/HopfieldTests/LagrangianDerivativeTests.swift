import Foundation
import Hopfield
import TestSupport
import Testing

/// Every Lagrangian with several parameter sets, for layers of `derivativeSize` units.
let derivativeSize = 5
let derivativeCases: [Lagrangian] = [
    .identity, .relu, .repu(n: 2), .repu(n: 2.5), .repu(n: 3), .repu(n: 4.5),
    .exp(beta: 0.5), .exp(beta: 3), .rexp(beta: 1), .rexp(beta: 4),
    .tanh(beta: 1), .tanh(beta: 7), .sigmoid(beta: 1), .sigmoid(beta: 5),
    .softmax(beta: 1), .softmax(beta: 10), .ghostmax(beta: 1), .ghostmax(beta: 6),
    .layernorm(gamma: 1, delta: [], eps: 1e-5), .layernorm(gamma: 2.5, delta: [0.3], eps: 0.5),
    .layernorm(gamma: 0.7, delta: [0.1, -0.2, 0.3, 0, 0.5], eps: 0),
    .spherical(gamma: 1, delta: [], eps: 1e-5), .spherical(gamma: 3, delta: [-0.2], eps: 1),
    .spherical(gamma: 0.5, delta: [0.1, -0.2, 0.3, 0, 0.5], eps: 0),
]

/// A central-difference step suited to the curvature scale of `l`.
func differenceStep(_ l: Lagrangian) -> Double {
    switch l {
    case .relu, .repu, .rexp: 1e-6
    case .exp(let b), .tanh(let b), .sigmoid(let b), .softmax(let b), .ghostmax(let b): 1e-5 / max(1, b)
    default: 1e-5
    }
}

/// The size of the curvature of `l` (β for the tempered ones, else 1).
func curvatureScale(_ l: Lagrangian) -> Double {
    switch l {
    case .exp(let b), .rexp(let b), .tanh(let b), .sigmoid(let b), .softmax(let b), .ghostmax(let b): max(1, b)
    default: 1
    }
}

/// A stable seed per Lagrangian case.
func seed(_ l: Lagrangian, _ salt: UInt64) -> UInt64 {
    UInt64(derivativeCases.firstIndex(of: l) ?? 99) &* 7919 &+ salt
}

@Suite("Lagrangian derivatives against finite differences")
struct LagrangianDerivativeTests {
    @Test("activation is the gradient of the value at random points", arguments: derivativeCases)
    func activationIsGradient(_ l: Lagrangian) {
        var rng = SplitMix64(seed: seed(l, 1))
        for _ in 0 ..< 20 {
            let x = rng.vectorAvoidingZero(derivativeSize, bound: 2, gap: 0.01)
            let fd = FiniteDifference.gradient(l.value, at: x, step: differenceStep(l))
            let g = l.activation(x)
            #expect(worstRatio(g, fd, relative: 1e-6, absolute: 1e-12) <= 1, "x = \(x), g = \(g), fd = \(fd)")
        }
    }

    @Test("Hessian is the Jacobian of the activation at random points", arguments: derivativeCases)
    func hessianIsJacobianOfActivation(_ l: Lagrangian) {
        var rng = SplitMix64(seed: seed(l, 2))
        for _ in 0 ..< 20 {
            let x = rng.vectorAvoidingZero(derivativeSize, bound: 2, gap: 0.01)
            let fd = FiniteDifference.jacobian(l.activation, at: x, step: differenceStep(l))
            let h = l.hessian(at: x)
            // Floor: the rounding error of a central difference of g is about ε‖g‖/h ≈ 1e-11 β.
            #expect(worstRatio(h, fd, relative: 1e-6, absolute: 1e-9 * curvatureScale(l)) <= 1, "x = \(x)")
        }
    }

    @Test("Hessian–vector product equals H·v", arguments: derivativeCases)
    func hessianVectorProductMatchesHessian(_ l: Lagrangian) {
        var rng = SplitMix64(seed: seed(l, 3))
        for _ in 0 ..< 20 {
            let x = rng.vector(derivativeSize, -2, 2)
            let v = rng.vector(derivativeSize, -1, 1)
            let hv = l.hessianVectorProduct(at: x, v)
            let reference = multiply(l.hessian(at: x), rows: derivativeSize, v)
            #expect(worstRatio(reference, hv, relative: 1e-12, absolute: 1e-300) <= 1, "x = \(x)")
        }
    }

    @Test("value and activation together equal value and activation apart", arguments: derivativeCases)
    func valueAndActivationAgree(_ l: Lagrangian) {
        var rng = SplitMix64(seed: seed(l, 4))
        for _ in 0 ..< 10 {
            let x = rng.vector(derivativeSize, -3, 3)
            let (value, g) = l.valueAndActivation(x)
            #expect(abs(value - l.value(x)) <= 1e-14 * max(1, abs(value)))
            #expect(g == l.activation(x))
            let diagonal = (0 ..< derivativeSize).map { l.hessian(at: x)[$0 * derivativeSize + $0] }
            #expect(worstRatio(diagonal, l.hessianDiagonal(at: x), relative: 1e-14, absolute: 1e-300) <= 1)
        }
    }

    @Test(
        "derivatives near the kink at 0 of relu-type Lagrangians",
        arguments: [Lagrangian.relu, .repu(n: 2), .repu(n: 2.5), .repu(n: 3), .repu(n: 4.5), .rexp(beta: 1), .rexp(beta: 4)])
    func derivativesNearKink(_ l: Lagrangian) {
        // The step 1e-6 never crosses 0 from these points.
        let x = [1e-3, -1e-3, 2e-3, -5e-4, 3e-3]
        let gradient = FiniteDifference.gradient(l.value, at: x, step: 1e-6)
        #expect(worstRatio(l.activation(x), gradient, relative: 1e-6, absolute: 1e-15) <= 1)
        let jacobian = FiniteDifference.jacobian(l.activation, at: x, step: 1e-6)
        let h = l.hessian(at: x)
        #expect(worstRatio(h, jacobian, relative: 1e-6, absolute: 1e-15) <= 1, "H = \(h), fd = \(jacobian)")
        for dead in [1, 3] {
            #expect(l.activation(x)[dead] == 0)
            #expect((0 ..< 5).allSatisfy { h[dead * 5 + $0] == 0 && h[$0 * 5 + dead] == 0 })
        }
    }

    @Test("tanh and sigmoid in saturation (βx = ±30)", arguments: [1.0, 4.0])
    func saturation(_ beta: Double) {
        let z = [30.0, -30, 29, -31, 0.5]
        let x = z.map { $0 / beta }
        for l in [Lagrangian.tanh(beta: beta), .sigmoid(beta: beta)] {
            let fd = FiniteDifference.gradient(l.value, at: x, step: 1e-5 / beta)
            #expect(worstRatio(l.activation(x), fd, relative: 1e-6) <= 1, "\(l)")
            // Finite differences of a saturated activation vanish in rounding; compare H with
            // independent closed forms instead: β/cosh²(βx) and β σ(βx) σ(−βx).
            let independent: [Double] = z.map { zi in
                switch l {
                case .tanh: return beta / (Foundation.cosh(zi) * Foundation.cosh(zi))
                default: return beta / (1 + Foundation.exp(-zi)) / (1 + Foundation.exp(zi))
                }
            }
            let h = l.hessianDiagonal(at: x)
            #expect(worstRatio(independent, h, relative: 1e-12, scale: 0) <= 1, "\(l): \(h) vs \(independent)")
            #expect(h.allSatisfy { $0 > 0 && $0.isFinite })
            let jacobian = FiniteDifference.jacobian(l.activation, at: x, step: 1e-5 / beta)
            #expect(worstRatio(l.hessian(at: x), jacobian, relative: 1e-6, absolute: 1e-9 * beta) <= 1)
        }
    }

    @Test("softmax and ghostmax with one dominant entry", arguments: [1.0, 5.0])
    func dominantEntry(_ beta: Double) {
        let x = [10.0, 0, -1, 0.5, 0]
        for l in [Lagrangian.softmax(beta: beta), .ghostmax(beta: beta)] {
            let step = 1e-5 / beta
            let fd = FiniteDifference.gradient(l.value, at: x, step: step)
            #expect(worstRatio(l.activation(x), fd, relative: 1e-6) <= 1, "\(l)")
            let jacobian = FiniteDifference.jacobian(l.activation, at: x, step: step)
            #expect(worstRatio(l.hessian(at: x), jacobian, relative: 1e-6, absolute: 1e-9 * beta) <= 1)
            // H₀₀ = β p₀ (1 − p₀) with 1 − p₀ the sum of the others: relative accuracy although p₀ ≈ 1.
            let weights = x.map { Foundation.exp(beta * ($0 - 10)) }
            let ghost = l == .ghostmax(beta: beta) ? Foundation.exp(-beta * 10) : 0
            let others = weights[1...].reduce(0, +) + ghost
            let total = weights[0] + others
            let h00 = beta * (weights[0] / total) * (others / total)
            let h = l.hessian(at: x)
            #expect(abs(h[0] - h00) <= 1e-12 * h00, "\(l): H00 = \(h[0]), expected \(h00)")
            let hv = l.hessianVectorProduct(at: x, [1, 0, 0, 0, 0])
            #expect(abs(hv[0] - h00) <= 1e-12 * h00)
        }
    }

    @Test("exp and rexp at large arguments (βx up to 709)", arguments: [Lagrangian.exp(beta: 1), .exp(beta: 2), .rexp(beta: 1), .rexp(beta: 2)])
    func largeExponentials(_ l: Lagrangian) {
        let beta: Double = switch l {
        case .exp(let b), .rexp(let b): b
        default: 1
        }
        for z in [300.0, 650, 700, 705, 709] {
            let x = [z / beta]
            let fd = FiniteDifference.gradient(l.value, at: x, step: 1e-5 / beta)
            #expect(worstRatio(l.activation(x), fd, relative: 1e-6) <= 1, "\(l) at βx = \(z)")
            let jacobian = FiniteDifference.jacobian(l.activation, at: x, step: 1e-5 / beta)
            #expect(worstRatio(l.hessian(at: x), jacobian, relative: 1e-6) <= 1, "\(l) at βx = \(z)")
        }
    }

    @Test("values equal the textbook formulas at moderate points", arguments: derivativeCases)
    func valuesMatchFormulas(_ l: Lagrangian) {
        var rng = SplitMix64(seed: seed(l, 5))
        for _ in 0 ..< 10 {
            let x = rng.vector(derivativeSize, -2, 2)
            let reference = naiveValue(l, x)
            #expect(abs(l.value(x) - reference) <= 1e-12 * max(1, abs(reference)), "\(l) at \(x)")
        }
    }

    /// docs/math.md §2's `L(x)` written as plainly as possible.
    func naiveValue(_ l: Lagrangian, _ x: [Double]) -> Double {
        let d = Double(x.count)
        func shift(_ delta: [Double], _ i: Int) -> Double {
            delta.isEmpty ? 0 : (delta.count == 1 ? delta[0] : delta[i])
        }
        switch l {
        case .identity: return x.reduce(0) { $0 + $1 * $1 / 2 }
        case .relu: return x.reduce(0) { $0 + max($1, 0) * max($1, 0) / 2 }
        case .repu(let n): return x.reduce(0) { $0 + Foundation.pow(max($1, 0), n) / n }
        case .exp(let b): return x.reduce(0) { $0 + Foundation.exp(b * $1) / b }
        case .rexp(let b): return x.reduce(0) { $0 + Foundation.exp(b * max($1, 0)) / b - max($1, 0) }
        case .tanh(let b): return x.reduce(0) { $0 + Foundation.log(Foundation.cosh(b * $1)) / b }
        case .sigmoid(let b): return x.reduce(0) { $0 + Foundation.log(1 + Foundation.exp(b * $1)) / b }
        case .softmax(let b): return Foundation.log(x.reduce(0) { $0 + Foundation.exp(b * $1) }) / b
        case .ghostmax(let b): return Foundation.log(1 + x.reduce(0) { $0 + Foundation.exp(b * $1) }) / b
        case .layernorm(let gamma, let delta, let eps):
            let mean = x.reduce(0, +) / d
            let s = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / d + eps).squareRoot()
            return d * gamma * s + x.indices.reduce(0) { $0 + shift(delta, $1) * x[$1] }
        case .spherical(let gamma, let delta, let eps):
            let r = (x.reduce(0) { $0 + $1 * $1 } + eps).squareRoot()
            return gamma * r + x.indices.reduce(0) { $0 + shift(delta, $1) * x[$1] }
        }
    }
}
