import Foundation
import Hopfield
import TestSupport
import Testing

/// An independent, loop-only model of a network whose first synapse is a similarity synapse L0 → L1
/// (memories row-major `[n1, n0]`) and whose other synapses are dense: `ẋ` and `E` from docs/math.md §4.
struct SimilarityReference {
    let network: Network
    let kind: SimilarityKind
    let memories: [Double]

    init(_ network: Network) {
        self.network = network
        guard case .similarity(let kind, let memories) = network.synapses[0].kind else {
            fatalError("the first synapse must be a similarity synapse")
        }
        self.kind = kind
        self.memories = memories
    }

    var dense: ReferenceModel { ReferenceModel(network: network) }

    /// `s_μ` and `∇_g s_μ` written out from the definitions.
    func scoreAndGradient(_ g: [Double], _ mu: Int) -> (Double, [Double]) {
        let n = g.count
        let m = Array(memories[mu * n ..< (mu + 1) * n])
        switch kind {
        case .dot:
            return (zip(m, g).reduce(0) { $0 + $1.0 * $1.1 }, m)
        case .euclidean:
            return (-zip(m, g).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }, zip(m, g).map { 2 * ($0 - $1) })
        case .manhattan:
            return (-zip(m, g).reduce(0) { $0 + abs($1.0 - $1.1) }, zip(m, g).map { $0 > $1 ? 1.0 : $0 < $1 ? -1.0 : 0.0 })
        }
    }

    func velocity(_ x: [Double]) -> [Double] {
        let g = dense.activations(x)
        let cg = multiply(dense.coupling, rows: network.dimension, g)  // dense synapses only
        var input = cg
        let r0 = network.range(ofLayer: 0)
        let r1 = network.range(ofLayer: 1)
        let g0 = Array(g[r0])
        for mu in 0 ..< r1.count {
            let (s, gradient) = scoreAndGradient(g0, mu)
            input[r1.lowerBound + mu] += s
            for j in 0 ..< r0.count { input[r0.lowerBound + j] += g[r1.lowerBound + mu] * gradient[j] }
        }
        let b = dense.bias
        let tau = network.timeConstants
        return (0 ..< network.dimension).map { (b[$0] - x[$0] + input[$0]) / tau[$0] }
    }

    func energy(_ x: [Double]) -> Double {
        var e = dense.energy(x)  // skips the similarity synapse
        let g = dense.activations(x)
        let g0 = Array(g[network.range(ofLayer: 0)])
        let r1 = network.range(ofLayer: 1)
        for mu in 0 ..< r1.count { e -= g[r1.lowerBound + mu] * scoreAndGradient(g0, mu).0 }
        return e
    }
}

/// A random network: feature layer L0 (size 4), memory layer L1 (size 3), a similarity synapse L0 → L1
/// with memories uniform in ±1, optionally dense self-synapses on both layers and a third layer.
func randomSimilarityNetwork(
    _ kind: SimilarityKind, feature: Lagrangian, memory: Lagrangian, extras: Bool, rng: inout SplitMix64
) throws -> Network {
    var layers = [
        Layer(name: "L0", size: 4, lagrangian: feature, tau: rng.uniform(0.5, 2), bias: rng.vector(4, -0.5, 0.5)),
        Layer(name: "L1", size: 3, lagrangian: memory, tau: rng.uniform(0.5, 2), bias: rng.vector(3, -0.5, 0.5)),
    ]
    var synapses: [Synapse] = [.similarity(kind, pre: "L0", post: "L1", memories: rng.vector(12))]
    if extras {
        layers.append(Layer(name: "L2", size: 2, lagrangian: .tanh(beta: 1), tau: rng.uniform(0.5, 2)))
        synapses += [
            .dense(pre: "L0", post: "L0", weights: rng.vector(16, -0.3, 0.3)),
            .dense(pre: "L1", post: "L2", weights: rng.vector(6, -0.5, 0.5)),
        ]
    }
    return try Network(layers: layers, synapses: synapses)
}

/// A state away from the activation kinks at 0 and, for Manhattan, with every `|g_j − m_μj| ≥ 0.02`.
func stateAwayFromKinks(_ network: Network, rng: inout SplitMix64) -> [Double] {
    let reference = ReferenceModel(network: network)
    guard case .similarity(let kind, let memories) = network.synapses[0].kind else { return [] }
    let n0 = network.layers[0].size
    for _ in 0 ..< 1000 {
        let x = rng.vectorAvoidingZero(network.dimension, bound: 1.5, gap: 0.05)
        if kind != .manhattan { return x }
        let g = reference.activations(x)
        let clear = memories.indices.allSatisfy { abs(memories[$0] - g[$0 % n0]) >= 0.02 }
        if clear { return x }
    }
    return []
}

@Suite("Similarity synapses (continuous-time Universal Hopfield networks)")
struct SimilaritySynapseTests {
    static let kinds: [SimilarityKind] = [.euclidean, .manhattan, .dot]

    @Test("ẋ and E agree with an independent loop-only model", arguments: kinds)
    func againstReference(_ kind: SimilarityKind) throws {
        var rng = SplitMix64(seed: 700 + UInt64(SimilarityKind.allCases.firstIndex(of: kind)!))
        for a in 0 ..< 11 {
            for b in [0, 1, 7, 8, 3] {
                let network = try randomSimilarityNetwork(
                    kind, feature: sampleLagrangians(size: 4)[a], memory: sampleLagrangians(size: 3)[b],
                    extras: a % 2 == 0, rng: &rng)
                let evaluator = NetworkEvaluator(network: network)
                let reference = SimilarityReference(network)
                let x = stateAwayFromKinks(network, rng: &rng)
                let e = reference.energy(x)
                #expect(worstRatio(reference.velocity(x), evaluator.vectorField(x), relative: 1e-13) <= 1)
                #expect(abs(evaluator.energy(x) - e) <= 1e-12 * max(1, abs(e)))
                let both = evaluator.energyAndRate(x)
                #expect(abs(both.energy - e) <= 1e-12 * max(1, abs(e)))
                #expect(both.rate == evaluator.energyRate(x))
            }
        }
    }

    @Test("energy identity: analytic dE/dt = directional derivative of E along ẋ, and ∂E/∂x = −τHẋ",
          arguments: kinds)
    func energyIdentity(_ kind: SimilarityKind) throws {
        var rng = SplitMix64(seed: 800 + UInt64(SimilarityKind.allCases.firstIndex(of: kind)!))
        for a in 0 ..< 11 {
            for b in 0 ..< 11 {
                let network = try randomSimilarityNetwork(
                    kind, feature: sampleLagrangians(size: 4)[a], memory: sampleLagrangians(size: 3)[b],
                    extras: (a + b) % 3 == 0, rng: &rng)
                let evaluator = NetworkEvaluator(network: network)
                let x = stateAwayFromKinks(network, rng: &rng)
                let xdot = evaluator.vectorField(x)
                let (e, rate) = evaluator.energyAndRate(x)
                let label = "\(kind) \(network.layers.map(\.lagrangian)) at \(x)"
                #expect(rate <= 0, "\(label)")
                // h‖ẋ‖∞ ≤ 1e-5 moves g by far less than the 0.02 gap to a Manhattan kink.
                let h = 1e-5 / max(1, maxAbs(xdot))
                let plus = zip(x, xdot).map { $0 + h * $1 }
                let minus = zip(x, xdot).map { $0 - h * $1 }
                let directional = (evaluator.energy(plus) - evaluator.energy(minus)) / (2 * h)
                #expect(abs(rate - directional) <= 1e-6 * abs(rate) + 1e-8 * (1 + abs(e)),
                        "rate \(rate) vs FD \(directional): \(label)")
                let tau = network.timeConstants
                let hxdot = multiply(ReferenceModel(network: network).hessian(x), rows: x.count, xdot)
                let gradient = (0 ..< x.count).map { -tau[$0] * hxdot[$0] }
                let fd = FiniteDifference.gradient(evaluator.energy, at: x, step: 1e-6)
                #expect(worstRatio(gradient, fd, relative: 1e-6, absolute: 1e-8 * (1 + abs(e))) <= 1, "∂E/∂x: \(label)")
            }
        }
    }

    @Test("Jacobian against finite differences of ẋ, and J v against the Jacobian", arguments: kinds)
    func jacobian(_ kind: SimilarityKind) throws {
        var rng = SplitMix64(seed: 900 + UInt64(SimilarityKind.allCases.firstIndex(of: kind)!))
        for a in 0 ..< 11 {
            for b in 0 ..< 11 {
                let network = try randomSimilarityNetwork(
                    kind, feature: sampleLagrangians(size: 4, zeroEps: b % 2 == 1)[a],
                    memory: sampleLagrangians(size: 3)[b], extras: (a + b) % 2 == 0, rng: &rng)
                let evaluator = NetworkEvaluator(network: network)
                let n = evaluator.dimension
                let x = stateAwayFromKinks(network, rng: &rng)
                let j = evaluator.jacobian(at: x)
                let fd = transpose(
                    FiniteDifference.jacobian(evaluator.vectorField, at: x, step: 1e-6), rows: n, columns: n)
                #expect(worstRatio(j, fd, relative: 1e-6, absolute: 1e-8) <= 1,
                        "\(kind) \(network.layers.map(\.lagrangian))")
                let v = rng.vector(n)
                let jv = evaluator.jacobianVectorProduct(at: x, v)
                let reference = multiply(transpose(j, rows: n, columns: n), rows: n, v)
                #expect(worstRatio(reference, jv, relative: 1e-12, absolute: 1e-300) <= 1)
            }
        }
    }

    @Test("a dot-product similarity synapse is a dense synapse: same ẋ, E, J and C")
    func dotIsDense() throws {
        var rng = SplitMix64(seed: 1000)
        let w = rng.vector(12)
        let layers = [
            Layer(name: "v", size: 4, lagrangian: .tanh(beta: 1.2), tau: 1, bias: rng.vector(4)),
            Layer(name: "h", size: 3, lagrangian: .softmax(beta: 2), tau: 0.3),
        ]
        let dense = NetworkEvaluator(network: try Network(layers: layers, synapses: [.dense(pre: "v", post: "h", weights: w)]))
        let dotNet = try Network(layers: layers, synapses: [.similarity(.dot, pre: "v", post: "h", memories: w)])
        let dot = NetworkEvaluator(network: dotNet)
        #expect(dotNet.isBilinear)
        let x = rng.vector(7)
        #expect(dot.vectorField(x) == dense.vectorField(x))
        #expect(dot.energy(x) == dense.energy(x))
        #expect(dot.jacobian(at: x) == dense.jacobian(at: x))
        #expect(dot.couplingMatrix() == dense.couplingMatrix())
    }

    @Test("Euclidean by hand: one feature unit, one memory")
    func euclideanByHand() throws {
        // v: identity, bias 0.5, τ 2; h: identity, τ 0.5; memory m = 0.25.
        let network = try Network(
            layers: [Layer(name: "v", size: 1, lagrangian: .identity, tau: 2, bias: [0.5]),
                     Layer(name: "h", size: 1, lagrangian: .identity, tau: 0.5)],
            synapses: [.similarity(.euclidean, pre: "v", post: "h", memories: [0.25])])
        #expect(!network.isBilinear)
        let evaluator = NetworkEvaluator(network: network)
        let (v, h) = (1.0, -0.2)
        let s = -(0.25 - v) * (0.25 - v)  // −0.5625
        let vdot = (0.5 - v + h * 2 * (0.25 - v)) / 2
        let hdot = (s - h) / 0.5
        let xdot = evaluator.vectorField([v, h])
        #expect(abs(xdot[0] - vdot) <= 1e-15 && abs(xdot[1] - hdot) <= 1e-15)
        let energy = (v - 0.5) * v - 0.5 * v * v + h * h - 0.5 * h * h - h * s
        #expect(abs(evaluator.energy([v, h]) - energy) <= 1e-15)
        // J (column-major): ∂v̇/∂v = (−1 − 2h)/τ_v, ∂v̇/∂h = 2(m − v)/τ_v, ∂ḣ/∂v = 2(m − v)/τ_h, ∂ḣ/∂h = −1/τ_h.
        let j = evaluator.jacobian(at: [v, h])
        let expected = [(-1 - 2 * h) / 2, 2 * (0.25 - v) / 0.5, 2 * (0.25 - v) / 2, -1 / 0.5]
        #expect(worstRatio(j, expected, relative: 1e-15) <= 1)
    }

    @Test("Manhattan at a kink: the subgradient sign(0) = 0 and a zero Hessian term")
    func manhattanKink() throws {
        let network = try Network(
            layers: [Layer(name: "v", size: 2, lagrangian: .identity),
                     Layer(name: "h", size: 1, lagrangian: .identity)],
            synapses: [.similarity(.manhattan, pre: "v", post: "h", memories: [0.5, -0.5])])
        let evaluator = NetworkEvaluator(network: network)
        let x = [0.5, 0.0, 2.0]  // v₀ = m₀ exactly (a kink), v₁ > m₁
        let xdot = evaluator.vectorField(x)
        #expect(xdot[0] == -0.5)  // −v₀ + h · sign(0) = −0.5
        #expect(xdot[1] == -2)  // −v₁ + h · sign(−0.5 − 0) = −2
        #expect(xdot[2] == -0.5 - 2)  // s − h, s = −(0 + 0.5)
        let j = evaluator.jacobian(at: x)  // column-major 3 × 3
        #expect(j[2 * 3 + 0] == 0 && j[0 * 3 + 2] == 0)  // ∂v̇₀/∂h and ∂ḣ/∂v₀ use sign(0) = 0
        #expect(j[2 * 3 + 1] == -1 && j[1 * 3 + 2] == -1)
        #expect(j[0] == -1 && j[4] == -1 && j[8] == -1)
    }

    @Test("validation: a similarity synapse needs two different layers and memories of shape [post, pre]")
    func validation() throws {
        let layers = [Layer(name: "v", size: 2, lagrangian: .identity), Layer(name: "h", size: 3, lagrangian: .relu)]
        #expect(throws: NetworkError(path: "synapses[0].post", message: "a euclidean synapse must join two different layers, got \"v\" twice")) {
            try Network(layers: layers, synapses: [.similarity(.euclidean, pre: "v", post: "v", memories: [1, 2, 3, 4])])
        }
        #expect(throws: NetworkError(path: "synapses[0].memories", message: "has 5 entries, expected [3, 2] = 6")) {
            try Network(layers: layers, synapses: [.similarity(.manhattan, pre: "v", post: "h", memories: [1, 2, 3, 4, 5])])
        }
        #expect(throws: NetworkError(path: "synapses[0].memories", message: "entry 1 is not finite (nan)")) {
            try Network(layers: layers, synapses: [.similarity(.manhattan, pre: "v", post: "h", memories: [1, .nan, 3, 4, 5, 6])])
        }
        let network = try Network(layers: layers, synapses: [.similarity(.euclidean, pre: "v", post: "h", memories: [1, 2, 3, 4, 5, 6])])
        #expect(network.storedPatterns(ofLayer: 0).count == 3)
        #expect(network.storedPatterns(ofLayer: 0).values == [1, 2, 3, 4, 5, 6])
    }
}
