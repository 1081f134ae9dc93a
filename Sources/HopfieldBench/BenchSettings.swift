import Foundation
import Hopfield
import HopfieldSimulation

/// The integration settings of one benchmark workload, handed to the library's one entry point
/// `solve(_:_:options:)` as a problem, an algorithm and options.
public struct BenchSettings: Sendable {
    /// The end of the time span.
    public var endTime: Double
    /// The number of saved states (≥ 2).
    public var saveCount: Int = 2
    /// The relative tolerance.
    public var relativeTolerance: Double = 1e-6
    /// The absolute tolerance.
    public var absoluteTolerance: Double = 1e-8
    /// The integration method.
    public var method: SimulationMethod = .bdf
    /// The linear solver of the CVODE methods.
    public var linearSolver: LinearSolverKind = .gmres()
    /// Stop each trajectory at its steady state.
    public var untilSteady: Bool = false

    /// Creates settings.
    public init(
        endTime: Double, saveCount: Int = 2, relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-8,
        method: SimulationMethod = .bdf, linearSolver: LinearSolverKind = .gmres(), untilSteady: Bool = false
    ) {
        self.endTime = endTime
        self.saveCount = saveCount
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.method = method
        self.linearSolver = linearSolver
        self.untilSteady = untilSteady
    }

    /// Solves `model` from the flat initial `states` (a batch unless `isBatch` is false).
    ///
    /// - Throws: ``SimulationError`` from ``solve(_:_:options:)``.
    func run(
        _ model: any DynamicalModel, from states: [[Double]], isBatch: Bool = true,
        strategy: BatchStrategy = .automatic, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws(SimulationError) -> SimulationSolution {
        let problem = SimulationProblem(
            model: model, flatInitialStates: states, isBatch: isBatch, endTime: endTime, saveCount: saveCount,
            stopAtSteadyState: untilSteady)
        let options = SimulationOptions(
            relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance, threads: threads,
            batchStrategy: strategy, progress: progress)
        return try solve(problem, SimulationAlgorithm(method: method, linearSolver: linearSolver), options: options)
    }
}
