import Foundation
import Hopfield
import HopfieldSimulation
import Retrieval

/// The continuous-time side of `hopfield capacity --continuous` (item 4 of the Universal Hopfield issue):
/// the same memories and queries as the single-shot protocol, retrieved by integrating a two-layer
/// network to steady state instead of applying `z = Mᵀ sep(sim(M, q))` once.
///
/// ```
/// network   v: identity, d units, τ_v = 1, no bias      (the features; v(0) = q)
///           h: softmax(β), K units, τ_h                 (the memories; h(0) = sim(M, q))
///           similarity synapse v → h with memories M    (dot, euclidean or manhattan)
/// flow      τ_v v̇ = Σ_μ f_μ ∇_g sim(m_μ, v) − v,   τ_h ḣ = sim(M, v) − h,   f = softmax_β(h)
/// outputs   read-out  z = Mᵀ f(h*)   (the single-shot projection applied at the steady state)
///           state     v*             (the feature layer itself)
/// ```
///
/// Because `h(0) = sim(M, q)`, `f(h(0))` is exactly the single-shot softmax weights, so the two methods
/// differ only by what the dynamics do afterwards.
struct ContinuousCapacity {
    /// The single-shot experiment whose memories, queries and criterion are reused.
    let experiment: CapacityExperiment
    /// The integration settings (until steady).
    let options: IntegrationSettings
    /// The memory layer's time constant `τ_h` (the feature layer has `τ_v = 1`).
    let memoryTau: Double

    /// What the integrations of one (similarity, K) cell did.
    struct Diagnostics {
        var trajectories = 0
        var statuses: [String: Int] = [:]
        var monitorPassed = 0
        var violations = 0
        var maxEnergyIncrease = 0.0
        var steps = 0
        var seconds = 0.0
    }

    /// One (similarity, K) cell: the read-out and state results and the diagnostics.
    struct Cell {
        var readout: CapacityResult
        var state: CapacityResult
        var diagnostics: Diagnostics
    }

    /// The similarity synapse kind for a retrieval similarity, if it has one.
    static func synapseKind(_ similarity: Similarity) -> SimilarityKind? {
        switch similarity {
        case .dot: .dot
        case .euclidean: .euclidean
        case .manhattan: .manhattan
        default: nil
        }
    }

    /// Integrates every query of every block for one similarity, softmax β and size K.
    ///
    /// - Throws: ``CLIError`` when the network cannot be built or simulated.
    func run(similarity: Similarity, beta: Double, size: Int) throws(CLIError) -> Cell {
        guard let kind = Self.synapseKind(similarity) else {
            throw .badInput("--continuous supports the similarities dot, euclidean and manhattan, got \(similarity)")
        }
        let images = experiment.images
        let d = images.dimension
        let queryCount = min(size, experiment.maxQueries ?? size)
        var readoutFractions: [Double] = []
        var stateFractions: [Double] = []
        var diagnostics = Diagnostics()
        let start = Date()
        for block in 0 ..< experiment.blocks {
            let range = experiment.memoryRange(block: block, size: size)
            let memories = Array(images.pixels[range.lowerBound * d ..< range.upperBound * d])
            let network: Network
            do {
                network = try Network(
                    layers: [Layer(name: "v", shape: [images.rows, images.columns], lagrangian: .identity, tau: 1),
                             Layer(name: "h", size: size, lagrangian: .softmax(beta: beta), tau: memoryTau)],
                    synapses: [.similarity(kind, pre: "v", post: "h", memories: memories)])
            } catch {
                throw .badInput("cannot build the continuous-time network: \(error.description)")
            }
            var initial: [[Double]] = []
            for i in 0 ..< queryCount {
                let q = experiment.query(image: range.lowerBound + i)
                let scores = (0 ..< size).map { kind.score(memory: memories[$0 * d ..< ($0 + 1) * d], activation: q) }
                initial.append(q + scores)
            }
            let results: [TrajectorySolution]
            do { results = try options.solve(network, from: initial).trajectories } catch {
                // Bad integration flags are the user's, not the experiment's.
                if case .invalidOptions = error { throw .badInput(error.description) }
                throw .badInput("continuous-time retrieval: \(error.description)")
            }
            var readoutCorrect = 0
            var stateCorrect = 0
            let softmax = Lagrangian.softmax(beta: beta)
            for (i, result) in results.enumerated() {
                let x = memories[i * d ..< (i + 1) * d]
                let f = softmax.activation(Array(result.finalState[d ..< d + size]))
                var z = [Double](repeating: 0, count: d)
                for mu in 0 ..< size where f[mu] != 0 {
                    for j in 0 ..< d { z[j] += f[mu] * memories[mu * d + j] }
                }
                let threshold = experiment.errorThreshold
                if CapacityExperiment.isCorrect(original: x, retrieved: z[...], threshold: threshold) { readoutCorrect += 1 }
                if CapacityExperiment.isCorrect(original: x, retrieved: result.finalState[0 ..< d], threshold: threshold) {
                    stateCorrect += 1
                }
                diagnostics.trajectories += 1
                diagnostics.statuses["\(result.status)", default: 0] += 1
                if result.monitor.passed { diagnostics.monitorPassed += 1 }
                diagnostics.violations += result.monitor.violations
                diagnostics.maxEnergyIncrease = max(diagnostics.maxEnergyIncrease, result.monitor.maxEnergyIncrease)
                diagnostics.steps += result.monitor.steps
            }
            readoutFractions.append(Double(readoutCorrect) / Double(queryCount))
            stateFractions.append(Double(stateCorrect) / Double(queryCount))
        }
        diagnostics.seconds = Date().timeIntervalSince(start)
        let separation = Separation.softmax(beta: beta)
        return Cell(
            readout: CapacityResult(similarity: similarity, separation: separation, memoryCount: size,
                                    queriesPerBlock: queryCount, fractions: readoutFractions),
            state: CapacityResult(similarity: similarity, separation: separation, memoryCount: size,
                                  queriesPerBlock: queryCount, fractions: stateFractions),
            diagnostics: diagnostics)
    }
}
