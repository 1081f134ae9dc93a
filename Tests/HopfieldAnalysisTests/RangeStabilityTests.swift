import Hopfield
import HopfieldAnalysis
import TestSupport
import Testing

@Suite("Claim (ii): stability from the range of H")
struct RangeStabilityTests {
    static let kinds: [[Lagrangian]] = [
        [.relu, .relu], [.identity, .relu, .relu], [.relu, .softmax(beta: 2)], [.tanh(beta: 1.5), .relu],
        [.identity, .softmax(beta: 1), .sigmoid(beta: 2)], [.repu(n: 3), .relu], [.layernorm(gamma: 1, delta: [], eps: 0.01), .relu],
        [.spherical(gamma: 1, delta: [], eps: 0), .relu],
    ]

    @Test("spec(J) = spec(T_R(C_RR H_R − I)) ∪ {−1/τ_A} to 1e-8 at fixed points of random networks with unequal τ",
          arguments: 0 ..< 16)
    func mismatchAtFixedPoints(seed: UInt64) throws {
        var rng = SplitMix64(seed: 1000 + seed)
        let lagrangians = Self.kinds[Int(seed) % Self.kinds.count]
        let sizes = lagrangians.map { _ in Int.random(in: 3 ... 7, using: &rng) }
        // Weights small enough that relu and repu feedback loops cannot blow up (‖W‖₂ ≲ 0.9).
        let network = try randomNetwork(lagrangians, sizes: sizes, weightScale: 0.3, rng: &rng)
        let report = try analyzeSteadyState(
            network, from: rng.vector(network.dimension, -1 ... 1), options: { var o = SteadyStateOptions(); o.checkBasin = false; return o }())
        try #require(report.isConverged, "\(report.fixedPoint.status)")
        let stability = try #require(report.stability)
        #expect(stability.mismatch <= 1e-8, "mismatch \(stability.mismatch)")
        #expect(stability.predictedSpectrum.count == network.dimension)
        #expect(stability.kernelEigenvalues.count == report.flatDirections?.dimension)
        #expect(stability.criteriaAgree)
        // λ_max(H_R^½ C_RR H_R^½) < 1 ⇔ stable.
        if let lambda = stability.rangeCouplingMaxEigenvalue {
            #expect((lambda < 1) == (stability.stability == .asymptoticallyStable))
        }
    }

    @Test("the decomposition holds at arbitrary states too, and the range eigenvalues are real", arguments: 0 ..< 8)
    func mismatchAtRandomStates(seed: UInt64) throws {
        var rng = SplitMix64(seed: 2000 + seed)
        let lagrangians = Self.kinds[Int(seed) % Self.kinds.count]
        let sizes = lagrangians.map { _ in Int.random(in: 3 ... 8, using: &rng) }
        let network = try randomNetwork(lagrangians, sizes: sizes, weightScale: 2, rng: &rng)
        let stability = try RangeStability(network: network, at: rng.vector(network.dimension, -2 ... 2))
        #expect(stability.mismatch <= 1e-8, "mismatch \(stability.mismatch)")
        let scale = max(1, stability.rangeEigenvalues.map(\.magnitude).max() ?? 0)
        #expect(stability.rangeEigenvalues.allSatisfy { abs($0.im) <= 1e-8 * scale })
        #expect(stability.criteriaAgree)
    }

    @Test("kernel eigenvalues are −1/τ of the layer that owns the flat direction")
    func kernelEigenvaluesUseTheLayerTau() throws {
        let network = try Network(
            layers: [
                Layer(name: "a", size: 2, lagrangian: .relu, tau: 0.5, bias: [-1, 1]),
                Layer(name: "b", size: 2, lagrangian: .relu, tau: 4, bias: [1, -1]),
            ],
            synapses: [.dense(pre: "a", post: "b", weights: [0.1, 0.2, 0.3, -0.4])])
        let x = reluFixedPoints(network)[0]
        let stability = try RangeStability(network: network, at: x)
        #expect(stability.kernelEigenvalues.sorted() == [-2, -0.25])
        #expect(stability.mismatch <= 1e-12)
    }

    @Test("strong positive feedback between relu layers makes the live fixed point unstable")
    func unstableRelu() throws {
        // Both units live at x* with C_LL = [[0, 3], [3, 0]]: λ_max(B) = 3 > 1.
        let network = try Network(
            layers: [
                Layer(name: "a", size: 1, lagrangian: .relu, bias: [-1]),
                Layer(name: "b", size: 1, lagrangian: .relu, bias: [-1]),
            ],
            synapses: [.dense(pre: "a", post: "b", weights: [3])])
        // x = b + C x on the live set: x = (−1 + 3y, −1 + 3x) ⇒ x = y = 0.5.
        let stability = try RangeStability(network: network, at: [0.5, 0.5])
        #expect(stability.stability == .unstable)
        #expect(stability.energyHessianStability == .unstable)
        #expect(abs(stability.maxRealEigenvalue - 2) <= 1e-12)
        // The other fixed point (0 dead, both −1) is stable: J = −I.
        let dead = try RangeStability(network: network, at: [-1, -1])
        #expect(dead.stability == .asymptoticallyStable)
        #expect(dead.rangeDimension == 0)
        #expect(dead.rangeCouplingMaxEigenvalue == nil)
    }
}
