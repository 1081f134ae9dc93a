import Foundation
import Hopfield
import TestSupport
import Testing

@Suite("BatchedEvaluator: every batched kernel equals the single-state evaluator")
struct BatchedEvaluatorTests {
    /// The largest relative difference between batched and single results, over a batch.
    func worst(_ batched: [[Double]], _ single: [[Double]]) -> Double {
        zip(batched, single).map { worstRatio($0.0, $0.1, relative: 1e-12) }.max() ?? 0
    }

    /// Checks vector field, residual, activations, J v, energy, rate, energy gradient for `count` states.
    func check(_ network: Network, count: Int, capacity: Int, rng: inout SplitMix64) {
        let n = network.dimension
        let single = NetworkEvaluator(network: network)
        let batched = BatchedEvaluator(network: network, capacity: capacity)
        let states = (0 ..< count).map { _ in rng.vectorAvoidingZero(n, bound: 1.5, gap: 0.05) }
        let vectors = (0 ..< count).map { _ in rng.vector(n) }

        #expect(worst(batched.vectorField(states), states.map(single.vectorField)) <= 1)
        #expect(worst(batched.residuals(states), states.map(single.residual)) <= 1)
        #expect(worst(batched.activations(states), states.map(single.activations)) <= 1)
        let jv = batched.jacobianVectorProduct(at: states, vectors)
        #expect(worst(jv, zip(states, vectors).map { single.jacobianVectorProduct(at: $0.0, $0.1) }) <= 1)

        let energies = batched.energies(states)
        let rates = batched.energyRates(states)
        let all = batched.energiesAndRates(states)
        for b in 0 ..< count {
            let e = single.energy(states[b])
            let rate = single.energyRate(states[b])
            // Energies are sums of terms of size ~n: compare relative to that scale.
            let scale = Double(n) + abs(e)
            #expect(abs(energies[b] - e) <= 1e-12 * scale, "E[\(b)] \(energies[b]) vs \(e)")
            #expect(abs(all.energies[b] - e) <= 1e-12 * scale, "E[\(b)] \(all.energies[b]) vs \(e)")
            let rateScale = 1 + abs(rate)
            #expect(abs(rates[b] - rate) <= 1e-12 * rateScale, "dE/dt[\(b)] \(rates[b]) vs \(rate)")
            #expect(abs(all.rates[b] - rate) <= 1e-12 * rateScale, "dE/dt[\(b)] \(all.rates[b]) vs \(rate)")
            #expect(worstRatio(all.residuals[b], single.residual(states[b]), relative: 1e-12) <= 1)
            // ∂E/∂x = −H r, checked against the Lagrangians' own Hessian–vector products.
            let r = single.residual(states[b])
            var expected = [Double](repeating: 0, count: n)
            for (a, layer) in network.layers.enumerated() {
                let range = network.range(ofLayer: a)
                let hr = layer.lagrangian.hessianVectorProduct(at: Array(states[b][range]), Array(r[range]))
                for (k, i) in range.enumerated() { expected[i] = -hr[k] }
            }
            #expect(worstRatio(all.gradients[b], expected, relative: 1e-12) <= 1)
        }
    }

    @Test("two layers, every pair of Lagrangians, batches of 1 (GEMV) and 4 (GEMM)", arguments: Array(0 ..< 11))
    func everyLagrangian(_ first: Int) throws {
        var rng = SplitMix64(seed: 700 + UInt64(first))
        for second in 0 ..< 11 {
            let network = try randomNetwork(
                [(sampleLagrangians(size: 5)[first], 5), (sampleLagrangians(size: 7)[second], 7)],
                synapses: [(0, 1)], rng: &rng)
            check(network, count: 1, capacity: 1, rng: &rng)
            check(network, count: 4, capacity: 6, rng: &rng)
        }
    }

    @Test("three layers with a self-synapse and two synapses into one layer", arguments: Array(0 ..< 11))
    func hierarchical(_ kind: Int) throws {
        var rng = SplitMix64(seed: 900 + UInt64(kind))
        let lagrangians = sampleLagrangians(size: 6)
        let network = try randomNetwork(
            [(.tanh(beta: 1), 4), (lagrangians[kind], 6), (sampleLagrangians(size: 3)[(kind + 7) % 11], 3)],
            synapses: [(0, 1), (1, 1), (2, 1), (1, 2)], rng: &rng)
        check(network, count: 3, capacity: 3, rng: &rng)
        check(network, count: 1, capacity: 3, rng: &rng)
    }

    @Test("a batch smaller than the capacity and an empty batch leave nothing behind")
    func partialBatches() throws {
        var rng = SplitMix64(seed: 11)
        let network = try randomNetwork([(.identity, 8), (.softmax(beta: 2), 5)], synapses: [(0, 1)], rng: &rng)
        let batched = BatchedEvaluator(network: network, capacity: 8)
        let single = NetworkEvaluator(network: network)
        // A big batch first, then a small one: results must not depend on stale workspace rows.
        let big = (0 ..< 8).map { _ in rng.vector(13) }
        _ = batched.energiesAndRates(big)
        let small = Array(big.prefix(2))
        let e = batched.energiesAndRates(small)
        for b in 0 ..< 2 {
            let reference = single.energyAndRate(small[b])
            #expect(abs(e.energies[b] - reference.energy) <= 1e-12 * (13 + abs(reference.energy)))
            #expect(abs(e.rates[b] - reference.rate) <= 1e-12 * (1 + abs(reference.rate)))
        }
        #expect(batched.vectorField([]).isEmpty)
        #expect(batched.energies([]).isEmpty)
    }

    @Test("vector-field flop count: 4 B Σ n_P n_Q")
    func flopCount() throws {
        var rng = SplitMix64(seed: 12)
        let network = try randomNetwork([(.identity, 3), (.relu, 4), (.tanh(beta: 1), 5)], synapses: [(0, 1), (1, 2)], rng: &rng)
        let batched = BatchedEvaluator(network: network, capacity: 2)
        #expect(batched.vectorFieldProductFlops(batch: 10) == 4 * 10 * (12 + 20))
    }
}
