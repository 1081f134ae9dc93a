import Hopfield
import LinearAlgebra
import Sundials

/// Integrates a batch of trajectories of one network in lockstep: one CVODE solve over the stacked
/// state `[x_1; …; x_B]` with matrix-free GMRES.
///
/// The right-hand side and the Jacobian–vector product of the stacked system are the batched kernels of
/// ``BatchedEvaluator`` (two GEMMs per synapse for all trajectories), so the weights are read once per
/// evaluation instead of once per trajectory. The Jacobian of the stacked system is block diagonal;
/// GMRES never forms it.
///
/// Every trajectory keeps its own energy monitor (the test of ``EnergyMonitor``, evaluated for the
/// whole batch at once), energy trace and final state. What the trajectories share: the internal steps
/// (the step size suits the fastest-changing trajectory), the solver statistics and the status.
///
/// Error control: CVODE's weighted RMS norm over the stacked state is `‖e‖ = (B⁻¹ Σ_b ‖e_b‖²)^{1/2}`, so
/// the tolerances bound the RMS of the per-trajectory local errors; one trajectory alone may exceed
/// its own tolerance by up to `√B`. In practice the shared steps are those of the hardest trajectory,
/// so the others are integrated more accurately than alone: on 16 Fashion-MNIST queries (N = 784,
/// K = 1000, rtol 1e-6, t = 3) the largest deviation from an rtol 1e-10 reference was 1.3e-3 in lockstep
/// and 3.8e-3 for the single-trajectory path (docs/performance.md). Pass `rtol/√B`, `atol/√B` to bound
/// every trajectory's local error strictly (about 30 % more steps at B = 16).
/// With `untilSteady`, the solve stops after the first step at which every trajectory is steady
/// (`‖ẋ_b‖_WRMS ≤ 1`, the test of ``SolverOptions/stopAtSteadyState`` applied to each trajectory).
///
/// The linear solver is always GMRES (``SimulationOptions/linearSolver`` `.gmres(maxKrylov:)` sets its
/// Krylov dimension; the dense solvers would factor a `(Bn)²` matrix). OpenBLAS threads are left as
/// they are: set them with `BLAS.setThreadCount` (``simulate(_:from:options:strategy:threads:progress:)``
/// does).
///
/// - Parameters:
///   - network: the network.
///   - initialStates: one flat initial state per trajectory.
///   - options: time span, saves, tolerances, method; the linear solver is GMRES (see above).
///   - progress: called with the number of finished (steady, or all at the end) trajectories.
/// - Returns: one result per trajectory, in order; all share ``SimulationResult/status``,
///   ``SimulationResult/times`` and ``SimulationResult/statistics``.
/// - Throws: ``SimulationError`` for bad options (including ``SimulationMethod/tsit5``, which
///   ``simulateExplicit(_:from:options:threads:progress:)`` runs), a bad initial state (naming the
///   trajectory), or a solver that cannot be set up.
public func simulateLockstep(
    _ network: Network, from initialStates: [[Double]], options: SimulationOptions = SimulationOptions(),
    progress: (@Sendable (Int) -> Void)? = nil
) throws(SimulationError) -> [SimulationResult] {
    try options.validate()
    try validateBatch(network, initialStates)
    guard options.method != .tsit5 else {
        throw .invalidOptions("lockstep batches run CVODE (bdf or adams); tsit5 batches run with simulateExplicit")
    }
    let count = initialStates.count
    let n = network.dimension
    if count == 0 { return [] }

    let evaluator = BatchedEvaluator(network: network, capacity: count)
    let monitor = LockstepEnergyMonitor(
        evaluator: BatchedEvaluator(network: network, capacity: count), count: count,
        relativeTolerance: options.relativeTolerance, absoluteTolerance: options.absoluteTolerance,
        safetyFactor: options.monitorSafetyFactor)
    var initial: [Double] = []
    initial.reserveCapacity(count * n)
    for x0 in initialStates { initial.append(contentsOf: x0) }
    initial.withUnsafeBufferPointer { monitor.record(t: 0, state: $0) }

    let problem = ODEProblem(
        initialState: initial, startTime: 0, endTime: options.endTime,
        vectorField: { _, y, ydot in evaluator.vectorField(y, into: ydot) },
        jacobianVectorProduct: { _, y, v, jv in evaluator.jacobianVectorProduct(at: y, v, into: jv) })
    var solverOptions = options.solverOptions
    // Lockstep is matrix-free: GMRES with the batched Jacobian–vector product; steady states are
    // tested per trajectory below, not by CVODE's whole-vector test.
    if case .gmres = options.linearSolver {} else { solverOptions.linearSolver = .gmres() }
    solverOptions.stopAtSteadyState = false

    var steady = [Bool](repeating: false, count: count)
    var steadyCount = 0
    var allSteady = false
    let solution: ODESolution
    do {
        solution = try integrate(problem, options: solverOptions) { t, y in
            monitor.record(t: t, state: y)
            guard options.untilSteady else { return true }
            var newlySteady = false
            for b in 0 ..< count where !steady[b] && monitor.isSteady(b, state: y) {
                steady[b] = true
                steadyCount += 1
                newlySteady = true
            }
            if newlySteady { progress?(steadyCount) }
            if steadyCount == count {
                allSteady = true
                return false
            }
            return true
        }
    } catch {
        throw .solverSetup(error.description)
    }
    if !allSteady { progress?(count) }
    let status: SolverStatus = allSteady && solution.status == .stoppedByObserver ? .steadyState : solution.status
    let saves = solution.times.count
    return (0 ..< count).map { b in
        var states: [Double] = []
        states.reserveCapacity(saves * n)
        for s in 0 ..< saves {
            let start = s * count * n + b * n
            states.append(contentsOf: solution.states[start ..< start + n])
        }
        return SimulationResult(
            status: status, times: solution.times, states: states, dimension: n, finalTime: solution.finalTime,
            finalState: Array(solution.finalState[b * n ..< (b + 1) * n]), energyTrace: monitor.ledgers[b].samples,
            monitor: monitor.ledgers[b].report, statistics: solution.statistics)
    }
}

/// Checks that every initial state has the network's dimension and finite entries.
///
/// - Throws: ``SimulationError/invalidInitialState(_:)`` naming the trajectory.
func validateBatch(_ network: Network, _ initialStates: [[Double]]) throws(SimulationError) {
    for (b, x0) in initialStates.enumerated() {
        if x0.count != network.dimension {
            throw .invalidInitialState("trajectory \(b) has \(x0.count) entries, the network has \(network.dimension) units")
        }
        if let bad = x0.firstIndex(where: { !$0.isFinite }) {
            throw .invalidInitialState("trajectory \(b): entry \(bad) is not finite (\(x0[bad]))")
        }
    }
}
