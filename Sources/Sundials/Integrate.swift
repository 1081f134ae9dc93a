/// Integrates an initial-value problem with CVODE.
///
/// ```
/// dy/dt = f(t, y),   y(startTime) = initialState,   t ∈ [startTime, endTime]
/// ```
///
/// CVODE runs in one-step mode (`CVode(…, CV_ONE_STEP)`) with `CVodeSetStopTime(endTime)`, so it
/// never steps past `endTime`. States at ``SolverOptions/saveTimes`` are interpolated with
/// `CVodeGetDky`. After every internal step, `observer(t, y)` is called (return `false` to stop with
/// `.stoppedByObserver`) and, if requested, the steady-state test is applied.
///
/// Integration failures — including an error thrown by a callback — come back as the solution's
/// ``ODESolution/status``, with the states saved so far; only setup problems throw.
///
/// - Parameters:
///   - problem: The initial-value problem.
///   - options: Method, tolerances, linear solver, limits and output times.
///   - observer: Called after every internal step with the time and the state (valid only during
///     the call); return `false` to stop.
/// - Returns: Saved times and states, the final time and state, the status and CVODE's counters.
/// - Throws: ``SundialsError/invalidInput(_:)`` for an invalid problem or options,
///   ``SundialsError/allocationFailed(_:)`` or ``SundialsError/setupFailed(function:code:)`` when
///   SUNDIALS cannot be set up.
public func integrate(
    _ problem: ODEProblem, options: SolverOptions = SolverOptions(),
    observer: ((_ t: Double, _ y: UnsafeBufferPointer<Double>) -> Bool)? = nil
) throws(SundialsError) -> ODESolution {
    try run(problem, options: options, layout: nil, observer: observer)
}

/// Validates, creates the integrator over a serial vector or over `layout`'s parallel one, and runs it.
func run(
    _ problem: ODEProblem, options: SolverOptions, layout: ParallelVectorLayout?,
    observer: ((_ t: Double, _ y: UnsafeBufferPointer<Double>) -> Bool)?
) throws(SundialsError) -> ODESolution {
    try validate(problem, options)
    let saveTimes = options.saveTimes.isEmpty ? [problem.startTime, problem.endTime] : options.saveTimes
    let integrator = CVODEIntegrator(problem: problem, layout: layout)
    try integrator.configure(problem: problem, options: options)
    return integrator.run(problem: problem, options: options, saveTimes: saveTimes, observer: observer)
}

/// Checks everything CVODE would reject or misbehave on, with a one-line message.
/// - Throws: ``SundialsError/invalidInput(_:)``.
private func validate(_ problem: ODEProblem, _ options: SolverOptions) throws(SundialsError) {
    let n = problem.initialState.count
    guard n > 0 else { throw .invalidInput("initial state is empty") }
    if let i = problem.initialState.firstIndex(where: { !$0.isFinite }) {
        throw .invalidInput("initial state component \(i) is not finite (\(problem.initialState[i]))")
    }
    guard problem.startTime.isFinite, problem.endTime.isFinite else {
        throw .invalidInput("time span [\(problem.startTime), \(problem.endTime)] is not finite")
    }
    guard problem.endTime > problem.startTime else {
        throw .invalidInput("endTime \(problem.endTime) must exceed startTime \(problem.startTime)")
    }

    let rtol = options.relativeTolerance
    guard rtol.isFinite, rtol >= 0 else {
        throw .invalidInput("relative tolerance \(rtol) must be finite and ≥ 0")
    }
    switch options.absoluteTolerance {
    case .scalar(let a):
        guard a.isFinite, a >= 0 else { throw .invalidInput("absolute tolerance \(a) must be finite and ≥ 0") }
        guard a > 0 || rtol > 0 else { throw .invalidInput("relative and absolute tolerances are both zero") }
    case .perComponent(let a):
        guard a.count == n else {
            throw .invalidInput("\(a.count) absolute tolerances for a state of dimension \(n)")
        }
        if let i = a.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw .invalidInput("absolute tolerance \(i) (\(a[i])) must be finite and ≥ 0")
        }
        if rtol == 0, let i = a.firstIndex(of: 0) {
            throw .invalidInput("absolute tolerance \(i) and the relative tolerance are both zero")
        }
    }

    switch options.linearSolver {
    case .dense:
        guard problem.jacobian != nil else {
            throw .invalidInput("linear solver .dense needs the problem's jacobian; use .denseDifferenceQuotient")
        }
    case .denseDifferenceQuotient: break
    case .gmres(let maxKrylov):
        guard maxKrylov >= 0, maxKrylov <= Int(Int32.max) else {
            throw .invalidInput("GMRES maxKrylov \(maxKrylov) must be ≥ 0 (0 = default)")
        }
    }

    guard options.maxSteps >= 1 else { throw .invalidInput("maxSteps \(options.maxSteps) must be ≥ 1") }
    if let h = options.maxStepSize, !(h.isFinite && h > 0) {
        throw .invalidInput("maxStepSize \(h) must be finite and > 0")
    }
    if let h = options.initialStepSize, !(h.isFinite && h > 0) {
        throw .invalidInput("initialStepSize \(h) must be finite and > 0")
    }

    var previous = -Double.infinity
    for (i, t) in options.saveTimes.enumerated() {
        guard t.isFinite, t >= problem.startTime, t <= problem.endTime else {
            throw .invalidInput(
                "save time \(i) (\(t)) is outside [\(problem.startTime), \(problem.endTime)]")
        }
        guard t > previous else { throw .invalidInput("save times must be strictly ascending (index \(i))") }
        previous = t
    }
}
