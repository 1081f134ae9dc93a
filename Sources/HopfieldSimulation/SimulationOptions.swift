/// How to integrate a network: time span, saves, tolerances, method and linear solver.
public struct SimulationOptions: Sendable {
    /// The end of the time span `[0, endTime]`.
    public var endTime: Double = 10
    /// The number of equally spaced saved states in `[0, endTime]` (including both ends); at least 2.
    public var saveCount: Int = 101
    /// CVODE's relative tolerance.
    public var relativeTolerance: Double = 1e-6
    /// CVODE's absolute tolerance (the same for every unit).
    public var absoluteTolerance: Double = 1e-8
    /// BDF (stiff, the default), Adams, or the explicit Tsit5 pair (see ``SimulationMethod``).
    public var method: SimulationMethod = .bdf
    /// How CVODE solves its linear systems: dense with the analytic Jacobian (default), dense with
    /// difference quotients, or matrix-free GMRES with the analytic Jacobian–vector product.
    public var linearSolver: LinearSolverKind = .dense
    /// Stop as soon as the state is steady: `‖ẋ‖_WRMS ≤ 1` with weights `1 / (atol + rtol |xᵢ|)`.
    public var untilSteady: Bool = false
    /// The maximum number of internal steps over the whole solve.
    public var maxSteps: Int = 100_000
    /// An optional bound on the step size.
    public var maxStepSize: Double? = nil
    /// The safety factor κ of the energy monitor's tolerance (see ``EnergyMonitor``).
    public var monitorSafetyFactor: Double = 10
    /// The flow to integrate: the network's own (default) or the residual flow (see ``Dynamics``).
    public var dynamics: Dynamics = .gradient

    public init() {}

    /// Creates options with the most used settings.
    public init(
        endTime: Double = 10, saveCount: Int = 101, relativeTolerance: Double = 1e-6,
        absoluteTolerance: Double = 1e-8, method: SimulationMethod = .bdf,
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

    /// The equally spaced save times.
    public var saveTimes: [Double] {
        let n = max(saveCount, 2)
        return (0 ..< n).map { i in i == n - 1 ? endTime : endTime * Double(i) / Double(n - 1) }
    }

    /// Checks the options.
    ///
    /// - Throws: ``SimulationError/invalidOptions(_:)`` naming the offending option.
    public func validate() throws(SimulationError) {
        func bad(_ s: String) -> SimulationError { .invalidOptions(s) }
        guard endTime.isFinite, endTime > 0 else { throw bad("t-end must be a finite number > 0, got \(endTime)") }
        guard saveCount >= 2 else { throw bad("saves must be at least 2, got \(saveCount)") }
        guard relativeTolerance.isFinite, relativeTolerance > 0, relativeTolerance < 1 else {
            throw bad("rtol must be in (0, 1), got \(relativeTolerance)")
        }
        guard absoluteTolerance.isFinite, absoluteTolerance > 0 else {
            throw bad("atol must be a finite number > 0, got \(absoluteTolerance)")
        }
        guard maxSteps > 0 else { throw bad("max-steps must be > 0, got \(maxSteps)") }
        if let h = maxStepSize, !(h.isFinite && h > 0) { throw bad("max-step must be > 0, got \(h)") }
        guard monitorSafetyFactor.isFinite, monitorSafetyFactor >= 1 else {
            throw bad("monitor safety factor must be ≥ 1, got \(monitorSafetyFactor)")
        }
    }
}

extension SimulationOptions {
    /// The CVODE options these simulation options stand for (method, tolerances, linear solver, step
    /// limits, the save grid and the steady-state stop). For ``SimulationMethod/tsit5``, which CVODE does
    /// not run, the method is BDF.
    public var solverOptions: SolverOptions {
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

/// A setup error of a simulation: bad options or a bad initial state. Integration failures are not
/// errors: they come back as ``SimulationResult/status``.
public enum SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option is out of range.
    case invalidOptions(String)
    /// The initial state has the wrong length or a non-finite entry.
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
