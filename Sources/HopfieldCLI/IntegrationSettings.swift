import Distributed
import Foundation
import Hopfield
import HopfieldSimulation

/// What the integration flags of a command say, handed to the library's one entry point
/// `solve(_:_:options:)` as a problem, an algorithm and options (the command line does no numerics).
struct IntegrationSettings {
    var endTime: Double = 10
    var saveCount: Int = 101
    var relativeTolerance: Double = 1e-6
    var absoluteTolerance: Double = 1e-8
    var method: SimulationMethod = .auto
    var linearSolver: LinearSolverKind = .dense
    var untilSteady = false
    var maxSteps = 100_000
    var dynamics: Dynamics = .gradient
    /// Whether the user named the linear solver (then it is what runs, or the run is refused); a default
    /// linear solver may be replaced by GMRES when a batch runs in lockstep.
    var linearSolverIsExplicit = false

    init(
        endTime: Double = 10, saveCount: Int = 101, relativeTolerance: Double = 1e-6,
        absoluteTolerance: Double = 1e-8, method: SimulationMethod = .auto,
        linearSolver: LinearSolverKind = .dense, untilSteady: Bool = false, maxSteps: Int = 100_000
    ) {
        self.endTime = endTime
        self.saveCount = saveCount
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.method = method
        self.linearSolver = linearSolver
        self.untilSteady = untilSteady
        self.maxSteps = maxSteps
    }

    /// Solves `model` from the flat initial `states` (a batch unless `isBatch` is false).
    ///
    /// - Throws: `SimulationError` from `solve(_:_:options:)`.
    func solve(
        _ model: any DynamicalModel, from states: [[Double]], isBatch: Bool = true,
        strategy: BatchStrategy = .automatic, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws(SimulationError) -> SimulationSolution {
        let (problem, algorithm, options) = try arguments(model, states, isBatch, strategy, threads, progress)
        return try HopfieldSimulation.solve(problem, algorithm, options: options)
    }

    /// ``solve(_:from:isBatch:strategy:threads:progress:)`` with the batch split over the processes of an
    /// MPI run (docs/distributed.md): the solution on rank 0, `nil` on the other ranks.
    ///
    /// - Throws: ``SimulationError`` for bad input; `RankFailure` when a rank's block failed.
    func solve(
        _ model: any DynamicalModel, from states: [[Double]], isBatch: Bool = true,
        strategy: BatchStrategy = .automatic, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        across communicator: Communicator, progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> SimulationSolution? {
        let (problem, algorithm, options) = try arguments(model, states, isBatch, strategy, threads, progress)
        return try HopfieldSimulation.solve(problem, algorithm, options: options, across: communicator)
    }

    /// The same run for a network whose memory layer is split over the processes of `communicator`
    /// (`simulate --distribute memories` on a Lagrangian file): every process calls it; the solution of
    /// the whole network on rank 0, `nil` elsewhere. Without a named linear solver CVODE runs GMRES (a
    /// split state has no dense Jacobian).
    func solve(
        split network: SplitMemoryNetwork, from states: [[Double]], isBatch: Bool, threads: Int,
        across communicator: Communicator, progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> SimulationSolution? {
        _ = try honouredStrategy(.independent)
        let problem = SplitProblem(
            network: network, flatInitialStates: states, isBatch: isBatch, endTime: endTime, saveCount: saveCount,
            stopAtSteadyState: untilSteady)
        let options = SimulationOptions(
            relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance, maxSteps: maxSteps,
            threads: threads, dynamics: dynamics, progress: progress)
        let method = self.method == .auto && linearSolverIsExplicit ? .bdf : self.method
        let solver = linearSolverIsExplicit ? linearSolver : .gmres()
        return try HopfieldSimulation.solve(
            problem, SimulationAlgorithm(method: method, linearSolver: solver), options: options, across: communicator)
    }

    private func arguments(
        _ model: any DynamicalModel, _ states: [[Double]], _ isBatch: Bool, _ strategy: BatchStrategy,
        _ threads: Int, _ progress: (@Sendable (Int) -> Void)?
    ) throws(SimulationError) -> (SimulationProblem, SimulationAlgorithm, SimulationOptions) {
        let strategy = try honouredStrategy(strategy)
        let problem = SimulationProblem(
            model: model, flatInitialStates: states, isBatch: isBatch, endTime: endTime, saveCount: saveCount,
            stopAtSteadyState: untilSteady)
        let options = SimulationOptions(
            relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance, maxSteps: maxSteps,
            threads: threads, batchStrategy: strategy, dynamics: dynamics, progress: progress)
        // A linear solver named with the default method asks for CVODE: BDF with it (auto's own BDF part
        // always runs GMRES).
        let method = self.method == .auto && linearSolverIsExplicit ? .bdf : self.method
        return (problem, SimulationAlgorithm(method: method, linearSolver: linearSolver), options)
    }

    /// The batch strategy that honours an explicit linear solver: lockstep runs GMRES, so with a dense
    /// linear solver named by the user `automatic` becomes `independent` and `lockstep` is refused.
    ///
    /// - Throws: ``SimulationError/invalidOptions(_:)`` for lockstep with a dense linear solver, and for
    ///   tsit5 with a linear solver (it uses none).
    func honouredStrategy(_ strategy: BatchStrategy) throws(SimulationError) -> BatchStrategy {
        guard linearSolverIsExplicit else { return strategy }
        let name = switch linearSolver {
        case .dense: "dense"
        case .denseDifferenceQuotient: "dense-dq"
        case .gmres: "gmres"
        }
        if method == .tsit5 {
            throw .invalidOptions("method tsit5 uses no linear solver, so linear-solver \(name) cannot be honoured; drop --linear-solver or use --method bdf")
        }
        if case .gmres = linearSolver { return strategy }
        switch strategy {
        case .lockstep:
            throw .invalidOptions("batch-strategy lockstep integrates with GMRES, so linear-solver \(name) cannot be honoured; use --linear-solver gmres or --batch-strategy independent")
        case .automatic, .independent:
            return .independent
        }
    }
}
