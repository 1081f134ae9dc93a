import Hopfield
import Sundials

/// The outcome of integrating a network: saved states, the energy trace and its monitor, solver statistics.
public struct SimulationResult: Sendable {
    /// `success` (reached `endTime`), `steadyState` (stopped by `untilSteady`), or the failure.
    public var status: SolverStatus
    /// The saved times reached (equally spaced; fewer than requested when the run stopped early).
    public var times: [Double]
    /// The saved states, flat: `times.count × dimension`, row-major.
    public var states: [Double]
    /// The length of the flat state.
    public var dimension: Int
    /// Where the integration stopped.
    public var finalTime: Double
    /// The state at ``finalTime``.
    public var finalState: [Double]
    /// Energy and analytic `dE/dt` at the initial state and after every internal step.
    public var energyTrace: [EnergySample]
    /// The energy monitor's verdict.
    public var monitor: EnergyMonitorReport
    /// CVODE's counters.
    public var statistics: SolverStatistics
    /// The flow that was integrated.
    public var dynamics: Dynamics = .gradient
    /// For the residual flow: `V = ‖r‖²` and `dV/dt` at the initial state and every internal step (the
    /// function ``monitor`` judges); empty for the gradient flow, whose monitored function is the energy.
    public var lyapunovTrace: [EnergySample] = []

    /// The energy of the initial state.
    public var energyInitial: Double { energyTrace.first?.energy ?? .nan }
    /// The energy of the final state.
    public var energyFinal: Double { energyTrace.last?.energy ?? .nan }

    /// Saved state number `index`.
    public func state(at index: Int) -> ArraySlice<Double> {
        states[index * dimension ..< (index + 1) * dimension]
    }
}

/// Integrates `network` from `initialState` with CVODE, recording the energy at every internal step.
///
///     τ_A dx_A/dt = b_A − x_A + Σ_{P→A} W g_P + Σ_{A→Q} Wᵀ g_Q
///
/// The dense linear solver uses the analytic Jacobian, GMRES the analytic Jacobian–vector product.
/// With ``SimulationOptions/dynamics`` `.residual` the residual flow is integrated instead (see ``Dynamics``).
///
/// - Parameters:
///   - network: the network.
///   - initialState: the flat initial state (``Network/flatState(_:)`` builds one from per-layer values).
///   - options: time span, saves, tolerances, method, linear solver.
/// - Returns: the result; an integration failure is its ``SimulationResult/status``, not an error.
/// - Throws: ``SimulationError`` for bad options, a bad initial state, or a solver that cannot be set up.
public func simulate(
    _ network: Network, from initialState: [Double], options: SimulationOptions = SimulationOptions()
) throws(SimulationError) -> SimulationResult {
    try options.validate()
    guard initialState.count == network.dimension else {
        throw .invalidInitialState("has \(initialState.count) entries, the network has \(network.dimension) units")
    }
    if let bad = initialState.firstIndex(where: { !$0.isFinite }) {
        throw .invalidInitialState("entry \(bad) is not finite (\(initialState[bad]))")
    }
    if options.method == .tsit5 { return try simulateExplicit(network, from: [initialState], options: options, threads: 1)[0] }
    if options.dynamics == .residual { return try simulateResidualFlow(network, from: initialState, options: options) }
    let evaluator = NetworkEvaluator(network: network)
    let monitor = EnergyMonitor(
        network: network, relativeTolerance: options.relativeTolerance,
        absoluteTolerance: options.absoluteTolerance, safetyFactor: options.monitorSafetyFactor)
    initialState.withUnsafeBufferPointer { monitor.record(t: 0, state: $0) }

    let problem = ODEProblem(
        initialState: initialState, startTime: 0, endTime: options.endTime,
        vectorField: { _, y, ydot in evaluator.vectorField(y, into: ydot) },
        jacobian: { _, y, jacobian in evaluator.jacobian(at: y, into: jacobian) },
        jacobianVectorProduct: { _, y, v, jv in evaluator.jacobianVectorProduct(at: y, v, into: jv) })
    let solution = try integrateRecording(problem, options: options) { t, y in monitor.record(t: t, state: y) }
    return SimulationResult(
        status: solution.status, times: solution.times, states: solution.states, dimension: network.dimension,
        finalTime: solution.finalTime, finalState: solution.finalState, energyTrace: monitor.samples,
        monitor: monitor.report, statistics: solution.statistics)
}

/// Integrates `problem` with the CVODE options of `options`, calling `record` after every internal step.
///
/// - Throws: ``SimulationError/solverSetup(_:)`` when CVODE cannot be set up; integration failures are
///   the solution's status.
func integrateRecording(
    _ problem: ODEProblem, options: SimulationOptions, record: @escaping (Double, UnsafeBufferPointer<Double>) -> Void
) throws(SimulationError) -> ODESolution {
    do {
        return try integrate(problem, options: options.solverOptions) { t, y in
            record(t, y)
            return true
        }
    } catch {
        throw .solverSetup(error.description)
    }
}
