import Hopfield
import Sundials

/// Continues on CVODE BDF + GMRES every trajectory of an explicit ``SimulationAlgorithm/auto`` run that
/// left the explicit pair (``TrajectorySolution/switchTime``), from its state at the switch, and joins
/// the two parts into one trajectory: saves, one energy trace, one monitor report (the BDF part's first
/// record is the switch state the explicit part recorded last, so the monitor's test runs across the
/// switch unbroken), summed statistics and the two ``MethodSegment``s. The trajectories run
/// independently, `threads` at a time.
func continueSwitched(
    _ model: any DynamicalModel, _ run: [TrajectorySolution], settings: RunSettings, saveTimes: [Double],
    threads: Int
) throws(SimulationError) -> [TrajectorySolution] {
    let switched = run.indices.filter { run[$0].switchTime != nil }
    guard !switched.isEmpty else { return run }
    // `independently` hands each body one array: the switch state with the switch time appended.
    let starts = switched.map { run[$0].finalState + [run[$0].finalTime] }
    let rests = try independently(starts, threads: threads, progress: nil) { start throws(SimulationError) in
        try integrateBDF(
            model, from: Array(start.dropLast()), at: start[start.count - 1], settings: settings, saveTimes: saveTimes)
    }
    var joined = run
    for (index, b) in switched.enumerated() { joined[b] = join(run[b], rests[index]) }
    return joined
}

/// One trajectory on CVODE BDF with GMRES and the model's Jacobian–vector product from `x0` at time
/// `t0` to the end of the span (the vector field is autonomous), saving the save times after `t0`, with
/// the energy monitor and the steady-state stop of `settings`.
func integrateBDF(
    _ model: any DynamicalModel, from x0: [Double], at t0: Double, settings: RunSettings, saveTimes: [Double]
) throws(SimulationError) -> TrajectorySolution {
    let n = model.dimension
    let evaluator = model.makeEvaluator(capacity: 1)
    let monitor = LyapunovMonitor(
        count: 1, dimension: n, relativeTolerance: settings.relativeTolerance,
        absoluteTolerance: settings.absoluteTolerance, safetyFactor: settings.monitorSafetyFactor,
        function: EnergyFunction(evaluator))
    x0.withUnsafeBufferPointer { monitor.observe(t: t0, states: $0) }
    var options = settings.solverOptions
    options.method = .bdf
    if case .gmres = settings.linearSolver {} else { options.linearSolver = .gmres() }
    options.saveTimes = saveTimes.filter { $0 > t0 }
    if options.saveTimes.isEmpty { options.saveTimes = [settings.endTime] }
    let problem = ODEProblem(
        initialState: x0, startTime: t0, endTime: settings.endTime,
        vectorField: { _, y, ydot in evaluator.vectorField(y, into: ydot) },
        jacobianVectorProduct: { _, y, v, jv in evaluator.jacobianVectorProduct(at: y, v, into: jv) })
    let solution: ODESolution
    do {
        solution = try integrate(problem, options: options) { t, y in
            monitor.observe(t: t, states: y)
            return true
        }
    } catch {
        throw .solverSetup(error.description)
    }
    return TrajectorySolution(
        variables: model.variables, dimension: n, saveTimes: saveTimes, status: solution.status,
        times: solution.times, states: solution.states, finalTime: solution.finalTime,
        finalState: solution.finalState, energyTrace: monitor.traces[0].samples, lyapunovTrace: [],
        monitor: monitor.traces[0].report, statistics: .cvode(solution.statistics), dynamics: .gradient)
}

/// The explicit part `a` (up to its switch) followed by the BDF part `b` (from the switch) as one
/// trajectory.
private func join(_ a: TrajectorySolution, _ b: TrajectorySolution) -> TrajectorySolution {
    var joined = a
    joined.status = b.status
    joined.times += b.times
    joined.states += b.states
    joined.finalTime = b.finalTime
    joined.finalState = b.finalState
    joined.energyTrace += b.energyTrace.dropFirst()  // b's first record is a's last state
    var monitor = a.monitor
    monitor.steps += b.monitor.steps
    monitor.violations += b.monitor.violations
    monitor.maxEnergyIncrease = max(monitor.maxEnergyIncrease, b.monitor.maxEnergyIncrease)
    monitor.firstViolationTime = monitor.firstViolationTime ?? b.monitor.firstViolationTime
    monitor.maxRate = max(monitor.maxRate, b.monitor.maxRate)
    monitor.maxAbsoluteRate = max(monitor.maxAbsoluteRate, b.monitor.maxAbsoluteRate)
    joined.monitor = monitor
    var total = b.statistics.solverStatistics
    let first = a.statistics.solverStatistics
    total.steps += first.steps
    total.rhsEvaluations += first.rhsEvaluations
    total.errorTestFailures += first.errorTestFailures
    joined.statistics = .cvode(total)
    joined.segments = [
        MethodSegment(method: .tsit5, startTime: 0, endTime: a.finalTime, statistics: a.statistics),
        MethodSegment(method: .bdf, startTime: a.finalTime, endTime: b.finalTime, statistics: b.statistics),
    ]
    joined.switchTime = nil
    return joined
}
