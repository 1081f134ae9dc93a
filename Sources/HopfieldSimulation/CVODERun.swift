import Hopfield
import Sundials

/// Integrates the trajectories of `states` with CVODE over one ``ModelEvaluator`` of `model`.
///
/// One state: CVODE with the linear solver of `settings` (the dense solver uses the evaluator's analytic
/// Jacobian, GMRES its Jacobian–vector product) and CVODE's own steady-state stop.
///
/// Several states (lockstep): one CVODE solve over the stacked state `[x_1; …; x_B]` with matrix-free
/// GMRES (`.gmres(maxKrylov:)` of `settings` sets its Krylov dimension; the dense solvers would factor a
/// `(Bn)²` matrix). The right-hand side and the Jacobian–vector product are the batched kernels (for a
/// network two GEMMs per synapse for all trajectories), so the weights are read once per evaluation. What
/// the trajectories share: the internal steps, the statistics and the status. Error control: CVODE's
/// weighted RMS norm over the stacked state is `‖e‖ = (B⁻¹ Σ_b ‖e_b‖²)^{1/2}`, so one trajectory alone
/// may exceed its own tolerance by up to `√B` (in practice the shared steps are the hardest
/// trajectory's, see docs/performance.md). With `untilSteady` the solve stops after the first step at
/// which every trajectory is steady (the test of ``SolverOptions/stopAtSteadyState`` per trajectory).
/// OpenBLAS threads are left as they are.
///
/// Every trajectory has its own energy trace and monitor report; the monitor evaluates through the
/// integrator's evaluator (one copy of the model's data).
func integrateCVODE(
    _ model: any DynamicalModel, _ states: [[Double]], settings: RunSettings, saveTimes: [Double],
    progress: ((Int) -> Void)?
) throws(SimulationError) -> [TrajectorySolution] {
    let count = states.count
    let n = model.dimension
    if count == 0 { return [] }
    let evaluator = model.makeEvaluator(capacity: count)
    let monitor = LyapunovMonitor(
        count: count, dimension: n, relativeTolerance: settings.relativeTolerance,
        absoluteTolerance: settings.absoluteTolerance, safetyFactor: settings.monitorSafetyFactor,
        function: EnergyFunction(evaluator))
    var initial: [Double] = []
    initial.reserveCapacity(count * n)
    for x0 in states { initial.append(contentsOf: x0) }
    initial.withUnsafeBufferPointer { monitor.observe(t: 0, states: $0) }

    var solverOptions = settings.solverOptions
    let problem: ODEProblem
    if count == 1 {
        problem = ODEProblem(
            initialState: initial, startTime: 0, endTime: settings.endTime,
            vectorField: { _, y, ydot in evaluator.vectorField(y, into: ydot) },
            jacobian: { _, y, jacobian in evaluator.jacobian(at: y, into: jacobian) },
            jacobianVectorProduct: { _, y, v, jv in evaluator.jacobianVectorProduct(at: y, v, into: jv) })
    } else {
        problem = ODEProblem(
            initialState: initial, startTime: 0, endTime: settings.endTime,
            vectorField: { _, y, ydot in evaluator.vectorField(y, into: ydot) },
            jacobianVectorProduct: { _, y, v, jv in evaluator.jacobianVectorProduct(at: y, v, into: jv) })
        if case .gmres = settings.linearSolver {} else { solverOptions.linearSolver = .gmres() }
        solverOptions.stopAtSteadyState = false  // tested per trajectory below
    }

    let lockstepSteady = count > 1 && settings.untilSteady
    var steady = [Bool](repeating: false, count: count)
    var steadyCount = 0
    var allSteady = false
    let solution: ODESolution
    do {
        solution = try integrate(problem, options: solverOptions) { t, y in
            monitor.observe(t: t, states: y)
            guard lockstepSteady else { return true }
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
    let variables = model.variables
    return (0 ..< count).map { b in
        var trajectory: [Double]
        if count == 1 {
            trajectory = solution.states
        } else {
            trajectory = []
            trajectory.reserveCapacity(saves * n)
            for s in 0 ..< saves {
                let start = s * count * n + b * n
                trajectory.append(contentsOf: solution.states[start ..< start + n])
            }
        }
        return TrajectorySolution(
            variables: variables, dimension: n, saveTimes: saveTimes, status: status, times: solution.times,
            states: trajectory, finalTime: solution.finalTime,
            finalState: Array(solution.finalState[b * n ..< (b + 1) * n]), energyTrace: monitor.traces[b].samples,
            lyapunovTrace: [], monitor: monitor.traces[b].report, statistics: .cvode(solution.statistics),
            dynamics: .gradient)
    }
}

/// Integrates the residual flow ``Dynamics/residual`` of `network` from one state with CVODE,
/// monitoring `V = ‖r‖²`.
///
///     ẋ = (I − C H(x))⁻¹ τ⁻¹ r(x)
///
/// The dense linear solver uses ``ResidualFlow/approximateJacobian(at:into:)``; GMRES uses CVODE's
/// difference-quotient Jacobian–vector products. The trajectory's `monitor` judges `V`, its
/// `lyapunovTrace` holds `V` and `dV/dt`, and its `energyTrace` holds `E` and `dE/dt` along this flow.
func integrateResidualFlow(
    _ network: Network, from initialState: [Double], settings: RunSettings, saveTimes: [Double]
) throws(SimulationError) -> TrajectorySolution {
    let flow = ResidualFlow(network: network)
    let function = ResidualLyapunov(flow: flow)
    let monitor = LyapunovMonitor(
        count: 1, dimension: network.dimension, relativeTolerance: settings.relativeTolerance,
        absoluteTolerance: settings.absoluteTolerance, safetyFactor: settings.monitorSafetyFactor,
        function: function)
    initialState.withUnsafeBufferPointer { monitor.observe(t: 0, states: $0) }

    let problem = ODEProblem(
        initialState: initialState, startTime: 0, endTime: settings.endTime,
        vectorField: { _, y, ydot in try flow.vectorField(y, into: ydot) },
        jacobian: { _, y, jacobian in try flow.approximateJacobian(at: y, into: jacobian) })
    let solution: ODESolution
    do {
        solution = try integrate(problem, options: settings.solverOptions) { t, y in
            function.time = t
            monitor.observe(t: t, states: y)
            return true
        }
    } catch {
        throw .solverSetup(error.description)
    }
    return TrajectorySolution(
        variables: network.variables, dimension: network.dimension, saveTimes: saveTimes, status: solution.status,
        times: solution.times, states: solution.states, finalTime: solution.finalTime,
        finalState: solution.finalState, energyTrace: function.energySamples, lyapunovTrace: monitor.traces[0].samples,
        monitor: monitor.traces[0].report, statistics: .cvode(solution.statistics), dynamics: .residual)
}
