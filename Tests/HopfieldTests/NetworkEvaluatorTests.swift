import Foundation
import Hopfield
import TestSupport
import Testing

@Suite("NetworkEvaluator: vector field, Jacobian, dense matrices")
struct NetworkEvaluatorTests {
    /// v (2 units, τ 2, b = [1, −1]) and h (3 units, τ 0.5, b = [0.5, 0, 0]), identity Lagrangians,
    /// one synapse v → h with W = [[1, 2], [0, −1], [3, 0.5]].
    func handMadeNetwork() throws -> Network {
        try Network(
            layers: [
                Layer(name: "v", size: 2, lagrangian: .identity, tau: 2, bias: [1, -1]),
                Layer(name: "h", size: 3, lagrangian: .identity, tau: 0.5, bias: [0.5, 0, 0]),
            ],
            synapses: [.dense(pre: "v", post: "h", weights: [1, 2, 0, -1, 3, 0.5])])
    }

    let handState = [0.5, -1, 1, 2, -0.5]

    @Test("identity/identity network: vector field, residual and energy by hand")
    func handComputation() throws {
        let evaluator = NetworkEvaluator(network: try handMadeNetwork())
        #expect(evaluator.dimension == 5)
        // ẋ_v = (b_v − v + Wᵀh)/2 = ([0.5, 0] + [−0.5, −0.25])/2; ẋ_h = (b_h − h + Wv)/0.5 = ([−0.5, −2, 0.5] + [−1.5, 1, 1])/0.5.
        #expect(evaluator.vectorField(handState) == [0, -0.125, -4, -2, 3])
        #expect(evaluator.residual(handState) == [0, -0.25, -2, -1, 1.5])
        #expect(evaluator.activations(handState) == handState)
        // E = [(v − b)·v − ½‖v‖²] + [(h − b)·h − ½‖h‖²] − hᵀWv = −0.875 + 2.125 − 0.
        #expect(abs(evaluator.energy(handState) - 1.25) <= 1e-15)
        // dE/dt = −Σ τ ẋ² = −(2 · 0.015625 + 0.5 · 29).
        #expect(abs(evaluator.energyRate(handState) + 14.53125) <= 1e-13)
    }

    @Test("identity/identity network: Jacobian τ⁻¹(−I + C) by hand, column-major")
    func handJacobian() throws {
        let evaluator = NetworkEvaluator(network: try handMadeNetwork())
        let rowMajor: [Double] = [
            -0.5, 0, 0.5, 0, 1.5,
            0, -0.5, 1, -0.5, 0.25,
            2, 4, -2, 0, 0,
            0, -2, 0, -2, 0,
            6, 1, 0, 0, -2,
        ]
        let j = evaluator.jacobian(at: handState)
        for i in 0 ..< 5 { for k in 0 ..< 5 { #expect(j[i + k * 5] == rowMajor[i * 5 + k], "J[\(i), \(k)]") } }
        let c = evaluator.couplingMatrix()
        #expect(c[2 * 5 + 1] == 2 && c[1 * 5 + 2] == 2 && c[4 * 5 + 0] == 3 && c[0] == 0)
    }

    @Test("Jacobian equals finite differences of the vector field; J v equals the product",
          arguments: Array(0 ..< 11))
    func jacobianAgainstFiniteDifferences(_ first: Int) throws {
        var rng = SplitMix64(seed: 100 + UInt64(first))
        for second in 0 ..< 11 {
            for synapses in [[(0, 1), (1, 1)], [(1, 0), (0, 0), (0, 1)]] {
                let network = try randomNetwork(
                    [(sampleLagrangians(size: 4)[first], 4), (sampleLagrangians(size: 5)[second], 5)],
                    synapses: synapses, rng: &rng)
                try checkJacobian(network, rng: &rng)
            }
        }
    }

    @Test("three-layer networks with ε = 0 collective layers: Jacobian and J v")
    func jacobianThreeLayers() throws {
        var rng = SplitMix64(seed: 200)
        for _ in 0 ..< 30 {
            let sizes = [3, 4, 5]
            let layers = sizes.map { size in
                let choices = sampleLagrangians(size: size, zeroEps: Bool.random(using: &rng))
                return (choices[Int.random(in: 0 ..< choices.count, using: &rng)], size)
            }
            let network = try randomNetwork(layers, synapses: [(0, 1), (1, 2), (0, 2), (2, 2), (0, 1)], rng: &rng)
            try checkJacobian(network, rng: &rng)
        }
    }

    func checkJacobian(_ network: Network, rng: inout SplitMix64) throws {
        let evaluator = NetworkEvaluator(network: network)
        let n = evaluator.dimension
        let x = rng.vectorAvoidingZero(n, bound: 1.5, gap: 0.05)
        let j = evaluator.jacobian(at: x)
        let rowMajorFD = FiniteDifference.jacobian(evaluator.vectorField, at: x, step: 1e-6)
        let fd = transpose(rowMajorFD, rows: n, columns: n)  // column-major
        #expect(worstRatio(j, fd, relative: 1e-6, absolute: 1e-9) <= 1, "\(network.layers.map(\.lagrangian))")
        for _ in 0 ..< 3 {
            let v = rng.vector(n)
            let jv = evaluator.jacobianVectorProduct(at: x, v)
            let reference = multiply(transpose(j, rows: n, columns: n), rows: n, v)
            #expect(worstRatio(reference, jv, relative: 1e-12, absolute: 1e-300) <= 1)
        }
    }

    @Test("activations, residual, C, H and the energy agree with an independent loop-only model")
    func denseMatricesAgainstReference() throws {
        var rng = SplitMix64(seed: 300)
        for a in 0 ..< 11 {
            for b in 0 ..< 11 {
                let network = try randomNetwork(
                    [(sampleLagrangians(size: 3)[a], 3), (sampleLagrangians(size: 4)[b], 4)],
                    synapses: [(0, 1), (1, 1), (0, 0)], rng: &rng)
                let evaluator = NetworkEvaluator(network: network)
                let reference = ReferenceModel(network: network)
                let x = rng.vector(7, -1.5, 1.5)
                #expect(evaluator.activations(x) == reference.activations(x))
                #expect(worstRatio(reference.velocity(x), evaluator.vectorField(x), relative: 1e-13, absolute: 1e-300) <= 1)
                let tau = network.timeConstants
                let scaled = zip(evaluator.vectorField(x), tau).map { $0 * $1 }
                #expect(worstRatio(evaluator.residual(x), scaled, relative: 1e-15, absolute: 1e-300) <= 1)
                let c = evaluator.couplingMatrix()
                #expect(c == reference.coupling)
                #expect(c == transpose(c, rows: 7, columns: 7))
                #expect(evaluator.lagrangianHessian(at: x) == reference.hessian(x))
                let e = reference.energy(x)
                #expect(abs(evaluator.energy(x) - e) <= 1e-12 * max(1, abs(e)))
                let both = evaluator.energyAndRate(x)
                #expect(abs(both.energy - evaluator.energy(x)) <= 1e-12 * max(1, abs(e)))
                #expect(both.rate == evaluator.energyRate(x))
            }
        }
    }

    @Test("a synapse from a layer to itself: C = W + Wᵀ, E = … − gᵀWg")
    func selfSynapse() throws {
        let w: [Double] = [0.2, -0.5, 0.1, 0.7, 0, 0.3, -0.4, 0.6, -0.1]
        let network = try Network(
            layers: [Layer(name: "a", size: 3, lagrangian: .tanh(beta: 1.3), tau: 0.7, bias: [0.1, -0.2, 0.3])],
            synapses: [.dense(pre: "a", post: "a", weights: w)])
        let evaluator = NetworkEvaluator(network: network)
        let c = evaluator.couplingMatrix()
        for i in 0 ..< 3 { for k in 0 ..< 3 { #expect(c[i * 3 + k] == w[i * 3 + k] + w[k * 3 + i]) } }
        let x = [0.4, -1.1, 0.8]
        let l = Lagrangian.tanh(beta: 1.3)
        let g = l.activation(x)
        let b = [0.1, -0.2, 0.3]
        let wg = multiply(w, rows: 3, g)
        let expected = dot(zip(x, b).map { $0 - $1 }, g) - l.value(x) - dot(g, wg)
        #expect(abs(evaluator.energy(x) - expected) <= 1e-14)
        let wtg = multiply(transpose(w, rows: 3, columns: 3), rows: 3, g)
        var xdot = [Double](repeating: 0, count: 3)
        for i in 0 ..< 3 { xdot[i] = (b[i] - x[i] + wg[i] + wtg[i]) / 0.7 }
        #expect(worstRatio(xdot, evaluator.vectorField(x), relative: 1e-14) <= 1)
    }
}
