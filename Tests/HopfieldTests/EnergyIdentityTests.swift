import Foundation
import Hopfield
import TestSupport
import Testing

/// The Lyapunov identity of docs/math.md §1: dE/dt = −Σ_A τ_A ẋ_Aᵀ H_A ẋ_A and ∂E/∂x_A = −τ_A H_A ẋ_A.
@Suite("Energy identities on random networks")
struct EnergyIdentityTests {
    /// Checks, at a random state away from the relu kinks:
    /// 1. analytic dE/dt equals the central difference of E along ẋ;
    /// 2. it equals −Σ τ ẋᵀHẋ from the independent reference model, and is ≤ 0;
    /// 3. ∂E/∂x = −τ H ẋ by central differences.
    func checkIdentities(_ network: Network, rng: inout SplitMix64) {
        let evaluator = NetworkEvaluator(network: network)
        let reference = ReferenceModel(network: network)
        let n = evaluator.dimension
        let x = rng.vectorAvoidingZero(n, bound: 1.5, gap: 0.05)
        let xdot = evaluator.vectorField(x)
        let (e, rate) = evaluator.energyAndRate(x)
        let label = "\(network.layers.map(\.lagrangian)) at \(x)"

        // 1. Directional derivative along the flow; h‖ẋ‖∞ = 1e-4 never crosses a kink (|xᵢ| ≥ 0.05).
        let h = 1e-4 / max(1, maxAbs(xdot))
        let plus = zip(x, xdot).map { $0 + h * $1 }
        let minus = zip(x, xdot).map { $0 - h * $1 }
        let directional = (evaluator.energy(plus) - evaluator.energy(minus)) / (2 * h)
        let tolerance = 1e-6 * abs(rate) + 1e-9 * (1 + abs(e))
        #expect(abs(rate - directional) <= tolerance, "rate \(rate) vs FD \(directional): \(label)")

        // 2. Independent −Σ τ ẋᵀHẋ, and the Lyapunov sign.
        let independent = reference.energyRate(x)
        #expect(abs(rate - independent) <= 1e-12 * max(abs(rate), 1e-300) + 1e-300, "\(label)")
        #expect(rate <= 0)
        #expect(evaluator.energyRate(x) == rate)

        // 3. Gradient.
        let tau = network.timeConstants
        let hxdot = multiply(reference.hessian(x), rows: n, xdot)
        let gradient = (0 ..< n).map { -tau[$0] * hxdot[$0] }
        let fd = FiniteDifference.gradient(evaluator.energy, at: x, step: 1e-6)
        #expect(worstRatio(gradient, fd, relative: 1e-6, absolute: 1e-9 * (1 + abs(e))) <= 1, "∂E/∂x: \(label)")
    }

    @Test("two layers, every Lagrangian pair, with a self-synapse on the second layer", arguments: Array(0 ..< 11))
    func everyPair(_ first: Int) throws {
        var rng = SplitMix64(seed: 400 + UInt64(first))
        for second in 0 ..< 11 {
            for zeroEps in [false, true] {
                let network = try randomNetwork(
                    [(sampleLagrangians(size: 4, zeroEps: zeroEps)[first], 4),
                     (sampleLagrangians(size: 5, zeroEps: zeroEps)[second], 5)],
                    synapses: [(0, 1), (1, 1)], rng: &rng)
                for _ in 0 ..< 3 { checkIdentities(network, rng: &rng) }
            }
        }
    }

    @Test("three layers: chain, skip connection, self-synapse and a repeated synapse")
    func threeLayers() throws {
        var rng = SplitMix64(seed: 500)
        for _ in 0 ..< 60 {
            let sizes = [3, 4, 5]
            let layers = sizes.map { size in
                let choices = sampleLagrangians(size: size, zeroEps: Bool.random(using: &rng))
                return (choices[Int.random(in: 0 ..< choices.count, using: &rng)], size)
            }
            let network = try randomNetwork(
                layers, synapses: [(0, 1), (1, 2), (0, 2), (2, 2), (2, 1)], rng: &rng, weightScale: 0.8)
            for _ in 0 ..< 2 { checkIdentities(network, rng: &rng) }
        }
    }

    @Test("one layer with only a self-synapse (a classical continuous Hopfield network)",
          arguments: Array(0 ..< 11))
    func singleLayer(_ kind: Int) throws {
        var rng = SplitMix64(seed: 600 + UInt64(kind))
        let network = try randomNetwork([(sampleLagrangians(size: 6)[kind], 6)], synapses: [(0, 0)], rng: &rng)
        for _ in 0 ..< 5 { checkIdentities(network, rng: &rng) }
    }
}
