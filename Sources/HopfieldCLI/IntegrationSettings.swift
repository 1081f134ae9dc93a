import Foundation
import Hopfield
import HopfieldSimulation

/// What the integration flags of a command say, handed to the library's one entry point
/// ``solve(_:_:options:)`` as a problem, an algorithm and options (the command line does no numerics).
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
    /// - Throws: ``SimulationError`` from ``solve(_:_:options:)``.
    func solve(
        _ model: any DynamicalModel, from states: [[Double]], isBatch: Bool = true,
        strategy: BatchStrategy = .automatic, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws(SimulationError) -> SimulationSolution {
        let problem = SimulationProblem(
            model: model, flatInitialStates: states, isBatch: isBatch, endTime: endTime, saveCount: saveCount,
            stopAtSteadyState: untilSteady)
        let options = SimulationOptions(
            relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance, maxSteps: maxSteps,
            threads: threads, batchStrategy: strategy, dynamics: dynamics, progress: progress)
        return try HopfieldSimulation.solve(
            problem, SimulationAlgorithm(method: method, linearSolver: linearSolver), options: options)
    }
}
