import Foundation

/// How ``solve(_:_:options:)`` integrates: tolerances, step limits, the energy monitor's safety
/// factor, the cores and batch strategy, a progress callback and the flow.
///
/// The time span, saves and steady-state stop belong to the ``SimulationProblem``; the method and
/// linear solver to the ``SimulationAlgorithm``.
public struct SimulationOptions: Sendable {
    /// The relative tolerance (CVODE's, or the explicit pair's error control).
    public var relativeTolerance: Double = 1e-6
    /// The absolute tolerance (the same for every unit).
    public var absoluteTolerance: Double = 1e-8
    /// The maximum number of internal steps of one solve (per trajectory for Tsit5: accepted plus rejected).
    public var maxSteps: Int = 100_000
    /// An optional bound on the step size.
    public var maxStepSize: Double? = nil
    /// The safety factor κ of the monitor's tolerance (see ``EnergyMonitorReport``), at least 1.
    public var monitorSafetyFactor: Double = 10
    /// How many cores a batch may use (default: the number of active cores).
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// How a batch of CVODE trajectories is integrated (see ``BatchStrategy``).
    public var batchStrategy: BatchStrategy = .automatic
    /// Called (serialised, from any thread) with the number of finished trajectories.
    public var progress: (@Sendable (Int) -> Void)? = nil
    /// The flow: the model's own (default) or, for a `Network`, the residual flow (see ``Dynamics``).
    public var dynamics: Dynamics = .gradient
    /// The thresholds of ``SimulationAlgorithm/auto``: starting on and switching to BDF, and the Newton
    /// finish at a steady-state stop (docs/performance-auto.md).
    public var auto = AutoMethodOptions()

    /// Creates options with the most used settings.
    public init(
        relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-8, maxSteps: Int = 100_000,
        maxStepSize: Double? = nil, monitorSafetyFactor: Double = 10,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, batchStrategy: BatchStrategy = .automatic,
        dynamics: Dynamics = .gradient, progress: (@Sendable (Int) -> Void)? = nil
    ) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.maxSteps = maxSteps
        self.maxStepSize = maxStepSize
        self.monitorSafetyFactor = monitorSafetyFactor
        self.threads = threads
        self.batchStrategy = batchStrategy
        self.dynamics = dynamics
        self.progress = progress
    }
}

/// Everything one integrator run needs, resolved and validated by ``solve(_:_:options:)``: the
/// problem's time span and saves, the algorithm's method and linear solver, the options' tolerances.
struct RunSettings: Sendable {
    var endTime: Double
    var saveCount: Int
    var relativeTolerance: Double
    var absoluteTolerance: Double
    var method: SimulationMethod
    var linearSolver: LinearSolverKind
    var untilSteady: Bool
    var maxSteps: Int
    var maxStepSize: Double?
    var monitorSafetyFactor: Double
    var dynamics: Dynamics

    /// The equally spaced save times.
    var saveTimes: [Double] { equallySpacedTimes(endTime: endTime, count: saveCount) }

    /// The CVODE options (method, tolerances, linear solver, step limits, the save grid and the
    /// steady-state stop). For ``SimulationMethod/tsit5``, which CVODE does not run, the method is BDF.
    var solverOptions: SolverOptions {
        var o = SolverOptions()
        o.method = method.cvodeMethod ?? .bdf
        o.relativeTolerance = relativeTolerance
        o.absoluteTolerance = .scalar(absoluteTolerance)
        o.linearSolver = linearSolver
        o.maxSteps = maxSteps
        o.maxStepSize = maxStepSize
        o.saveTimes = saveTimes
        o.stopAtSteadyState = untilSteady
        return o
    }
}

/// `count` equally spaced times in `[0, endTime]`, both ends included (at least 2).
func equallySpacedTimes(endTime: Double, count: Int) -> [Double] {
    let n = max(count, 2)
    return (0 ..< n).map { i in i == n - 1 ? endTime : endTime * Double(i) / Double(n - 1) }
}

/// A setup error of a simulation: bad options or a bad initial state. Integration failures are not
/// errors: they come back as each trajectory's ``TrajectorySolution/status``.
public enum SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option is out of range.
    case invalidOptions(String)
    /// The initial state has the wrong length, a non-finite entry or an unknown variable.
    case invalidInitialState(String)
    /// The solver could not be set up.
    case solverSetup(String)

    public var description: String {
        switch self {
        case .invalidOptions(let s): "invalid option: \(s)"
        case .invalidInitialState(let s): "invalid initial state: \(s)"
        case .solverSetup(let s): "solver setup failed: \(s)"
        }
    }
}
