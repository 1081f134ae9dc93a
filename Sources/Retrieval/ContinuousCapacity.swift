import Foundation
import Hopfield
import HopfieldSimulation

/// Why a continuous-time capacity cell could not run.
public enum ContinuousCapacityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The similarity has no similarity synapse (only dot, euclidean and manhattan have).
    case unsupportedSimilarity(Similarity)
    /// The two-layer network could not be built (the network's message).
    case network(String)
    /// An integration option is out of range (the simulation's message).
    case invalidOptions(String)
    /// The integration could not start (the simulation's message).
    case simulation(String)

    public var description: String {
        switch self {
        case .unsupportedSimilarity(let similarity):
            return "continuous-time retrieval supports the similarities dot, euclidean and manhattan, got \(similarity)"
        case .network(let message): return "cannot build the continuous-time network: \(message)"
        case .invalidOptions(let message): return message
        case .simulation(let message): return "continuous-time retrieval: \(message)"
        }
    }
}

/// The continuous-time side of `hopfield capacity --continuous`:
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
public struct ContinuousCapacity: Sendable {
    /// The single-shot experiment whose memories, queries and criterion are reused.
    public let experiment: CapacityExperiment
    /// The integration settings (until steady).
    public let options: SimulationOptions
    /// The integration method (CVODE BDF with the linear solver given, by default).
    public let algorithm: SimulationAlgorithm
    /// The end of the time span; every run stops earlier at its steady state.
    public let endTime: Double
    /// The memory layer's time constant `τ_h` (the feature layer has `τ_v = 1`).
    public let memoryTau: Double

    /// Creates the continuous-time counterpart of `experiment`.
    ///
    /// - Parameters:
    ///   - experiment: The single-shot experiment (memories, queries, criterion).
    ///   - endTime: The end of the time span (each run stops at its steady state before).
    ///   - algorithm: The integration method.
    ///   - options: Tolerances, step limit, threads.
    ///   - memoryTau: The memory layer's time constant `τ_h`.
    public init(
        experiment: CapacityExperiment, endTime: Double, algorithm: SimulationAlgorithm,
        options: SimulationOptions, memoryTau: Double
    ) {
        self.experiment = experiment
        self.endTime = endTime
        self.algorithm = algorithm
        self.options = options
        self.memoryTau = memoryTau
    }

    /// What the integrations of one (similarity, K) cell did.
    public struct Diagnostics: Sendable {
        /// The number of trajectories integrated.
        public var trajectories = 0
        /// How many trajectories ended with each status (its description).
        public var statuses: [String: Int] = [:]
        /// How many trajectories passed the energy monitor.
        public var monitorPassed = 0
        /// The energy monitor's violations, summed.
        public var violations = 0
        /// The largest energy increase seen by the monitor.
        public var maxEnergyIncrease = 0.0
        /// The integration steps, summed.
        public var steps = 0
        /// The wall-clock seconds of the cell.
        public var seconds = 0.0
    }

    /// One (similarity, K) cell: the read-out and state results and the diagnostics.
    public struct Cell: Sendable {
        /// The fraction retrieved by the read-out `z = Mᵀ f(h*)`.
        public var readout: CapacityResult
        /// The fraction retrieved by the feature state `v*`.
        public var state: CapacityResult
        /// What the integrations did.
        public var diagnostics: Diagnostics
    }

    /// The similarity synapse kind for a retrieval similarity, if it has one.
    ///
    /// - Parameter similarity: A retrieval similarity.
    /// - Returns: `.dot`, `.euclidean` or `.manhattan`; `nil` for the others.
    public static func synapseKind(_ similarity: Similarity) -> SimilarityKind? {
        switch similarity {
        case .dot: .dot
        case .euclidean: .euclidean
        case .manhattan: .manhattan
        default: nil
        }
    }

    /// Integrates every query of every block for one similarity, softmax β and size K.
    ///
    /// - Parameters:
    ///   - similarity: The similarity (dot, euclidean or manhattan).
    ///   - beta: The softmax inverse temperature β.
    ///   - size: The number of memories K.
    /// - Returns: The read-out and state fractions and the diagnostics.
    /// - Throws: ``ContinuousCapacityError`` when the similarity has no synapse, or the network cannot be
    ///   built or simulated.
    public func run(similarity: Similarity, beta: Double, size: Int) throws(ContinuousCapacityError) -> Cell {
        let start = Date()
        var outcomes: [BlockOutcome] = []
        for block in 0 ..< experiment.blocks {
            outcomes.append(try runBlock(similarity: similarity, beta: beta, size: size, block: block, options: options))
        }
        var cell = Self.cell(similarity: similarity, beta: beta, size: size, queryCount: experiment.queriesPerBlock(size: size), outcomes)
        cell.diagnostics.seconds = Date().timeIntervalSince(start)
        return cell
    }

    /// What the integrations of one block of a cell did: the unit of work of a split sweep.
    struct BlockOutcome: Sendable {
        var readoutCorrect = 0
        var stateCorrect = 0
        /// The block's diagnostics (``Diagnostics/seconds``: the block's own wall-clock time).
        var diagnostics = Diagnostics()
    }

    /// A cell from its blocks' outcomes, in block order (seconds summed).
    static func cell(similarity: Similarity, beta: Double, size: Int, queryCount: Int, _ outcomes: [BlockOutcome]) -> Cell {
        var diagnostics = Diagnostics()
        for o in outcomes {
            let dg = o.diagnostics
            diagnostics.trajectories += dg.trajectories
            for (status, n) in dg.statuses { diagnostics.statuses[status, default: 0] += n }
            diagnostics.monitorPassed += dg.monitorPassed
            diagnostics.violations += dg.violations
            diagnostics.maxEnergyIncrease = max(diagnostics.maxEnergyIncrease, dg.maxEnergyIncrease)
            diagnostics.steps += dg.steps
            diagnostics.seconds += dg.seconds
        }
        let separation = Separation.softmax(beta: beta)
        return Cell(
            readout: CapacityResult(similarity: similarity, separation: separation, memoryCount: size, queriesPerBlock: queryCount,
                                    fractions: outcomes.map { Double($0.readoutCorrect) / Double(queryCount) }),
            state: CapacityResult(similarity: similarity, separation: separation, memoryCount: size, queriesPerBlock: queryCount,
                                  fractions: outcomes.map { Double($0.stateCorrect) / Double(queryCount) }),
            diagnostics: diagnostics)
    }

    /// Integrates the queries of one block of a cell.
    func runBlock(
        similarity: Similarity, beta: Double, size: Int, block: Int, options: SimulationOptions
    ) throws(ContinuousCapacityError) -> BlockOutcome {
        guard let kind = Self.synapseKind(similarity) else { throw .unsupportedSimilarity(similarity) }
        let started = Date()
        let images = experiment.images
        let d = images.dimension
        let queryCount = experiment.queriesPerBlock(size: size)
        var outcome = BlockOutcome()
        let range = experiment.memoryRange(block: block, size: size)
        let memories = Array(images.pixels[range.lowerBound * d ..< range.upperBound * d])
        let network: Network
        do {
            network = try .modernHopfield(
                memories: memories, beta: beta, tauMemories: memoryTau, featureShape: [images.rows, images.columns],
                similarity: kind, featureName: "v", memoryName: "h")
        } catch {
            throw .network(error.description)
        }
        var initial: [[Double]] = []
        for i in 0 ..< queryCount {
            let q = experiment.query(image: range.lowerBound + i)
            let scores = (0 ..< size).map { kind.score(memory: memories[$0 * d ..< ($0 + 1) * d], activation: q) }
            initial.append(q + scores)
        }
        let results: [TrajectorySolution]
        let problem = SimulationProblem(
            model: network, flatInitialStates: initial, isBatch: true, endTime: endTime, saveCount: 2,
            stopAtSteadyState: true)
        do { results = try solve(problem, algorithm, options: options).trajectories } catch {
            // Bad integration flags are the user's, not the experiment's.
            if case .invalidOptions = error { throw .invalidOptions(error.description) }
            throw .simulation(error.description)
        }
        let softmax = Lagrangian.softmax(beta: beta)
        for (i, result) in results.enumerated() {
            let x = memories[i * d ..< (i + 1) * d]
            let f = softmax.activation(Array(result.finalState[d ..< d + size]))
            var z = [Double](repeating: 0, count: d)
            for mu in 0 ..< size where f[mu] != 0 {
                for j in 0 ..< d { z[j] += f[mu] * memories[mu * d + j] }
            }
            let threshold = experiment.errorThreshold
            if CapacityExperiment.isCorrect(original: x, retrieved: z[...], threshold: threshold) { outcome.readoutCorrect += 1 }
            if CapacityExperiment.isCorrect(original: x, retrieved: result.finalState[0 ..< d], threshold: threshold) {
                outcome.stateCorrect += 1
            }
            outcome.diagnostics.trajectories += 1
            outcome.diagnostics.statuses["\(result.status)", default: 0] += 1
            if result.monitor.passed { outcome.diagnostics.monitorPassed += 1 }
            outcome.diagnostics.violations += result.monitor.violations
            outcome.diagnostics.maxEnergyIncrease = max(outcome.diagnostics.maxEnergyIncrease, result.monitor.maxEnergyIncrease)
            outcome.diagnostics.steps += result.monitor.steps
        }
        outcome.diagnostics.seconds = Date().timeIntervalSince(started)
        return outcome
    }
}
