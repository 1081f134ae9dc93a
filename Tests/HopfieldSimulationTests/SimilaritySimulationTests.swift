import Foundation
import Hopfield
import HopfieldSimulation
import TestSupport
import Testing

/// Similarity-synapse networks (docs/math.md §4) integrated by CVODE under the energy monitor.
@Suite("Similarity synapses in time")
struct SimilaritySimulationTests {
    /// Memory Lagrangians with non-negative activations `f ≥ 0`: then `−Σ f_μ s_μ ≥ 0` for the distance
    /// similarities and the energy is bounded below. (With `f_μ < 0`, e.g. an identity memory layer,
    /// `−f_μ s_μ = f_μ ‖m_μ − g‖²` is unbounded below and trajectories can run off to infinity — still
    /// with decreasing energy.)
    static let memoryLagrangians = ["relu", "repu", "exp", "rexp", "sigmoid", "softmax", "ghostmax"]

    /// A random feature layer → memory layer network with a similarity synapse (memories ~ N(0, 0.5²)),
    /// and on odd trials a third layer fed densely by the memory layer.
    static func randomNetwork(_ kind: SimilarityKind, trial: Int, rng: inout SplitMix64) throws -> Network {
        let names = Lagrangian.allNames
        let memoryNames = memoryLagrangians
        let (n0, n1) = (Int.random(in: 2 ... 6, using: &rng), Int.random(in: 2 ... 5, using: &rng))
        var layers = [
            Layer(name: "v", size: n0, lagrangian: sampleLagrangian(names[trial % names.count], size: n0, rng: &rng),
                  tau: rng.uniform(0.1 ... 1), bias: rng.vector(n0, scale: 0.5)),
            Layer(name: "h", size: n1,
                  lagrangian: sampleLagrangian(memoryNames[(trial / names.count + 3 * trial) % memoryNames.count], size: n1, rng: &rng),
                  tau: rng.uniform(0.1 ... 1), bias: rng.vector(n1, scale: 0.5)),
        ]
        var synapses: [Synapse] = [.similarity(kind, pre: "v", post: "h", memories: rng.vector(n0 * n1, scale: 0.5))]
        if trial % 2 == 1 {
            layers.append(Layer(name: "k", size: 2, lagrangian: .tanh(beta: 1), tau: rng.uniform(0.1 ... 1)))
            synapses.append(.dense(pre: "h", post: "k", weights: rng.vector(2 * n1, scale: 0.3)))
        }
        return try Network(layers: layers, synapses: synapses)
    }

    @Test("Euclidean: the energy never increases on 132 seeded random networks (dense and GMRES)")
    func euclideanMonitor() throws {
        var rng = SplitMix64(seed: 77)
        for trial in 0 ..< 132 {
            let network = try Self.randomNetwork(.euclidean, trial: trial, rng: &rng)
            let x0 = rng.vector(network.dimension)
            var options = RunSpec(endTime: 5, saveCount: 2)
            options.linearSolver = trial % 3 == 0 ? .gmres() : .dense
            let result = try solved(network, from: x0, options: options)
            let label = "trial \(trial) \(network.layers.map { "\($0.lagrangian.name)[\($0.size)]" })"
            #expect(result.status == .success, "\(label): \(result.status)")
            #expect(result.monitor.violations == 0, "\(label): max increase \(result.monitor.maxEnergyIncrease)")
            #expect(result.monitor.passed, "\(label): max dE/dt \(result.monitor.maxRate)")
            #expect(result.energyFinal <= result.energyInitial + 1e-9 * max(1, abs(result.energyInitial)))
        }
    }

    /// Manhattan's vector field is discontinuous where a feature activation equals a memory entry
    /// (`sign(m_μj − g_j)` jumps). Once a trajectory reaches such a kink from both sides it slides along
    /// it (a Filippov sliding mode): CVODE chatters across the kink with tiny steps and, on most of these
    /// networks, runs out of steps. The energy monitor still finds no increase beyond its tolerance at any
    /// accepted step — E decreases along every piece, and at the kink the subgradient keeps dE/dt ≤ 0.
    @Test("Manhattan: the energy monitor passes; sliding modes at the kinks exhaust the step budget")
    func manhattanMonitor() throws {
        var rng = SplitMix64(seed: 78)
        var statuses: [String: Int] = [:]
        for trial in 0 ..< 24 {
            let network = try Self.randomNetwork(.manhattan, trial: trial, rng: &rng)
            let x0 = rng.vector(network.dimension)
            var options = RunSpec(endTime: 5, saveCount: 2)
            options.maxSteps = 3000
            let result = try solved(network, from: x0, options: options)
            let label = "trial \(trial) \(network.layers.map { "\($0.lagrangian.name)[\($0.size)]" })"
            statuses["\(result.status)", default: 0] += 1
            #expect(result.status == .success || result.status == .tooMuchWork, "\(label): \(result.status)")
            #expect(result.monitor.violations == 0, "\(label): max increase \(result.monitor.maxEnergyIncrease)")
            #expect(result.monitor.passed, "\(label): max dE/dt \(result.monitor.maxRate)")
            #expect(result.energyFinal <= result.energyInitial + 1e-9 * max(1, abs(result.energyInitial)))
        }
        #expect(statuses.values.reduce(0, +) == 24)
    }

    @Test("Euclidean similarity with softmax memories retrieves a stored pattern; v* = 2Mᵀf/(1 + 2Σf)")
    func euclideanRetrieval() throws {
        var rng = SplitMix64(seed: 5)
        let (d, k, target) = (16, 5, 2)
        let memories = (0 ..< k * d).map { _ in rng.uniform(0 ... 1) }
        let network = try Network(
            layers: [Layer(name: "v", size: d, lagrangian: .identity, tau: 1),
                     Layer(name: "h", size: k, lagrangian: .softmax(beta: 4), tau: 0.1)],
            synapses: [.similarity(.euclidean, pre: "v", post: "h", memories: memories)])
        var query = Array(memories[target * d ..< (target + 1) * d])
        for j in 0 ..< d / 2 { query[j] += 0.2 * rng.normal() }
        // h starts at the scores s(q), so f(h(0)) is the single-shot softmax of the query.
        let scores = (0 ..< k).map { SimilarityKind.euclidean.score(memory: memories[$0 * d ..< ($0 + 1) * d], activation: query) }
        var options = RunSpec(endTime: 200, saveCount: 2, relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
        options.untilSteady = true
        let result = try solved(network, from: query + scores, options: options)
        #expect(result.status == .steadyState)
        #expect(result.monitor.passed && result.monitor.violations == 0)
        let v = Array(result.finalState[0 ..< d])
        let f = Lagrangian.softmax(beta: 4).activation(Array(result.finalState[d ..< d + k]))
        #expect(f.indices.max { f[$0] < f[$1] } == target)
        #expect(f[target] > 0.99)
        // Read-out Mᵀf is the stored pattern; the feature state is the shrunk copy 2Mᵀf/(1 + 2Σf).
        let readout = (0 ..< d).map { j in (0 ..< k).reduce(0.0) { $0 + f[$1] * memories[$1 * d + j] } }
        let pattern = Array(memories[target * d ..< (target + 1) * d])
        #expect(zip(readout, pattern).allSatisfy { abs($0 - $1) < 0.02 })
        let fSum = f.reduce(0, +)
        #expect(zip(v, readout).allSatisfy { abs($0 - 2 * $1 / (1 + 2 * fSum)) < 1e-5 })
    }
}
