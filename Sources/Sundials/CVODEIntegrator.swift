internal import CSundials

/// Owns every SUNDIALS resource of one CVODE solve and frees them in reverse order in `deinit`.
///
/// Life cycle: `init` (retains the callback box) → ``configure(problem:options:)`` (creates the
/// context, vectors, matrix, linear solver and CVODE memory; throws on any failure, after which
/// `deinit` still frees whatever was created) → ``run(problem:options:saveTimes:observer:)``.
final class CVODEIntegrator {
    private let box: Unmanaged<CVODECallbackBox>
    /// The length of this process's part of the state (the whole state without ``layout``).
    private let dimension: Int
    /// The state split over the processes of MPI_COMM_WORLD (`N_VNew_Parallel`), or nil for a serial
    /// vector.
    private let layout: ParallelVectorLayout?
    private var context: SUNContext?
    /// CVODE's solution vector `y`, overwritten by every `CVode` call.
    private var state: N_Vector?
    /// The state after the last successful step, kept apart because a failed `CVode` call may
    /// leave `state` undefined.
    private var lastGoodState: N_Vector?
    /// `CVodeGetDky` output at save times.
    private var interpolated: N_Vector?
    /// Workspace for the steady-state test, `f(t, y)`.
    private var derivative: N_Vector?
    /// Absolute tolerances per component (used for `.perComponent` and the steady-state weights).
    private var absoluteTolerances: N_Vector?
    private var matrix: SUNMatrix?
    private var linearSolver: SUNLinearSolver?
    private var memory: UnsafeMutableRawPointer?

    /// Retains a callback box for `problem`'s closures.
    init(problem: ODEProblem, layout: ParallelVectorLayout? = nil) {
        dimension = problem.initialState.count
        self.layout = layout
        box = Unmanaged.passRetained(CVODECallbackBox(problem: problem))
    }

    deinit {
        if memory != nil { CVodeFree(&memory) }
        if let linearSolver { _ = SUNLinSolFree(linearSolver) }
        if let matrix { SUNMatDestroy(matrix) }
        for vector in [absoluteTolerances, derivative, interpolated, lastGoodState, state] {
            if let vector { N_VDestroy(vector) }
        }
        if context != nil { _ = SUNContext_Free(&context) }
        box.release()
    }

    private func newVector() throws(SundialsError) -> N_Vector {
        if let layout { return try newParallelVector(layout, context: context) }
        return try newSerialVector(length: dimension, context: context)
    }

    /// Creates the SUNDIALS objects and sets every CVODE option. Expects validated input.
    ///
    /// Calls `SUNContext_Create`, `N_VNew_Serial`, `CVodeCreate`, `CVodeSetErrHandlerFn`,
    /// `CVodeInit`, `CVodeSetUserData`, `CVodeSStolerances`/`CVodeSVtolerances`,
    /// `SUNDenseMatrix` + the LAPACK dense solver (`SUNLinSolNewEmpty`, ``makeLAPACKDenseLinearSolver(dimension:context:)``)
    /// or `SUNLinSol_SPGMR`, `CVodeSetLinearSolver`,
    /// `CVodeSetJacFn`/`CVodeSetJacTimes`, `CVodeSetStopTime`, `CVodeSetMaxNumSteps`,
    /// `CVodeSetMaxStep`, `CVodeSetInitStep`.
    /// - Throws: ``SundialsError/allocationFailed(_:)`` or ``SundialsError/setupFailed(function:code:)``.
    func configure(problem: ODEProblem, options: SolverOptions) throws(SundialsError) {
        try createContext(&context)
        let y = try newVector()
        state = y
        lastGoodState = try newVector()
        interpolated = try newVector()
        derivative = try newVector()
        let atol = try newVector()
        absoluteTolerances = atol
        guard let yData = serialBuffer(y, count: dimension), let atolData = serialBuffer(atol, count: dimension)
        else { throw .allocationFailed("N_VNew_Serial (data)") }
        for i in 0..<dimension { yData[i] = problem.initialState[i] }
        N_VScale(1, y, lastGoodState)
        switch options.absoluteTolerance {
        case .scalar(let a): for i in 0..<dimension { atolData[i] = a }
        case .perComponent(let a): for i in 0..<dimension { atolData[i] = a[i] }
        }

        let lmm = options.method == .bdf ? CV_BDF : CV_ADAMS
        guard let mem = CVodeCreate(lmm, context) else { throw .allocationFailed("CVodeCreate") }
        memory = mem
        try checkFlag(CVodeSetErrHandlerFn(mem, cvodeSilentErrorHandler, nil), "CVodeSetErrHandlerFn")
        try checkFlag(CVodeInit(mem, cvodeRightHandSide, problem.startTime, y), "CVodeInit")
        try checkFlag(CVodeSetUserData(mem, box.toOpaque()), "CVodeSetUserData")
        switch options.absoluteTolerance {
        case .scalar(let a):
            try checkFlag(CVodeSStolerances(mem, options.relativeTolerance, a), "CVodeSStolerances")
        case .perComponent:
            try checkFlag(CVodeSVtolerances(mem, options.relativeTolerance, atol), "CVodeSVtolerances")
        }

        switch options.linearSolver {
        case .dense, .denseDifferenceQuotient:
            // The matrix, CVODE's saved copy of the Jacobian (cloned unchecked on the first step).
            let a = try newDenseMatrix(order: dimension, copies: 2, context: context)
            matrix = a
            let ls = try newDenseLinearSolver(y, a, dimension: dimension, factorization: options.denseFactorization,
                                              context: context)
            linearSolver = ls
            try checkFlag(CVodeSetLinearSolver(mem, ls, a), "CVodeSetLinearSolver")
            if options.linearSolver == .dense {
                try checkFlag(CVodeSetJacFn(mem, cvodeDenseJacobian), "CVodeSetJacFn")
            }
        case .gmres(let maxKrylov):
            guard let ls = SUNLinSol_SPGMR(y, Int32(SUN_PREC_NONE), Int32(maxKrylov), context) else {
                throw .allocationFailed("SUNLinSol_SPGMR")
            }
            linearSolver = ls
            try checkFlag(CVodeSetLinearSolver(mem, ls, nil), "CVodeSetLinearSolver")
            if problem.jacobianVectorProduct != nil {
                try checkFlag(CVodeSetJacTimes(mem, nil, cvodeJacobianTimesVector), "CVodeSetJacTimes")
            }
        }

        try checkFlag(CVodeSetStopTime(mem, problem.endTime), "CVodeSetStopTime")
        try checkFlag(CVodeSetMaxNumSteps(mem, options.maxSteps), "CVodeSetMaxNumSteps")
        if let hmax = options.maxStepSize { try checkFlag(CVodeSetMaxStep(mem, hmax), "CVodeSetMaxStep") }
        if let h0 = options.initialStepSize { try checkFlag(CVodeSetInitStep(mem, h0), "CVodeSetInitStep") }
    }

    /// Steps CVODE in `CV_ONE_STEP` mode to `endTime`, saving interpolated states, calling the
    /// observer after every step and applying the steady-state test. Allocates nothing per step
    /// beyond appending saves.
    /// - Parameters:
    ///   - problem: The validated problem.
    ///   - options: The validated options.
    ///   - saveTimes: Ascending save times within the span.
    ///   - observer: Called with `(t, y)` after every internal step; `false` stops.
    /// - Returns: The solution; failures are statuses.
    func run(
        problem: ODEProblem, options: SolverOptions, saveTimes: [Double],
        observer: ((_ t: Double, _ y: UnsafeBufferPointer<Double>) -> Bool)?
    ) -> ODESolution {
        let n = dimension
        let callbacks = box.takeUnretainedValue()
        guard let mem = memory, let y = state, let good = lastGoodState, let dky = interpolated,
            let yBuffer = serialBuffer(y, count: n).map(UnsafeBufferPointer.init),
            let goodBuffer = serialBuffer(good, count: n).map(UnsafeBufferPointer.init),
            let dkyBuffer = serialBuffer(dky, count: n).map(UnsafeBufferPointer.init),
            let fBuffer = serialBuffer(derivative, count: n),
            let atolBuffer = serialBuffer(absoluteTolerances, count: n).map(UnsafeBufferPointer.init)
        else {
            return ODESolution(
                dimension: n, times: [], states: [], finalTime: problem.startTime,
                finalState: problem.initialState, status: .other(code: CV_MEM_NULL),
                statistics: SolverStatistics())
        }
        let rtol = options.relativeTolerance

        var times: [Double] = []
        var states: [Double] = []
        times.reserveCapacity(saveTimes.count)
        states.reserveCapacity(saveTimes.count * n)
        var next = 0
        while next < saveTimes.count, saveTimes[next] <= problem.startTime {
            times.append(saveTimes[next])
            states.append(contentsOf: goodBuffer)
            next += 1
        }

        var finalTime = problem.startTime
        var status = SolverStatus.success
        var steps = 0
        var tret = problem.startTime
        integration: while true {
            if steps >= options.maxSteps {
                status = .tooMuchWork
                break
            }
            let flag = CVode(mem, problem.endTime, y, &tret, CV_ONE_STEP)
            if let error = callbacks.parkedError {
                status = .callbackError(String(describing: error))
                break
            }
            if flag < 0 {
                status = SolverStatus(cvodeFlag: flag)
                break
            }
            steps += 1
            N_VScale(1, y, good)
            finalTime = tret

            while next < saveTimes.count, saveTimes[next] <= tret {
                let dkyFlag = CVodeGetDky(mem, saveTimes[next], 0, dky)
                if dkyFlag != CV_SUCCESS {
                    status = .other(code: dkyFlag)
                    break integration
                }
                times.append(saveTimes[next])
                states.append(contentsOf: dkyBuffer)
                next += 1
            }

            if let observer, !observer(tret, yBuffer) {
                status = .stoppedByObserver
                break
            }
            if flag == CV_TSTOP_RETURN || tret >= problem.endTime {
                status = .success
                break
            }
            if options.stopAtSteadyState {
                do {
                    try callbacks.vectorField(tret, yBuffer, fBuffer)
                } catch {
                    status = .callbackError(String(describing: error))
                    break
                }
                let norm = layout == nil
                    ? Self.weightedRMSNorm(fBuffer, y: yBuffer, atol: atolBuffer, rtol: rtol)
                    : globalWeightedRMSNorm(fBuffer, y: yBuffer, atol: atolBuffer, rtol: rtol)
                if norm <= 1 {
                    status = .steadyState
                    break
                }
            }
        }

        return ODESolution(
            dimension: n, times: times, states: states, finalTime: finalTime,
            finalState: Array(goodBuffer), status: status, statistics: statistics())
    }

    /// The steady-state norm
    ///
    /// ```
    /// ‖f‖_WRMS = sqrt( (1/n) Σ_i (f_i / (atol_i + rtol·|y_i|))² )
    /// ```
    ///
    /// A zero weight denominator counts as 0 when `f_i = 0` and as infinite otherwise.
    static func weightedRMSNorm(
        _ f: UnsafeMutableBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
        atol: UnsafeBufferPointer<Double>, rtol: Double
    ) -> Double {
        var sum = 0.0
        for i in 0..<f.count {
            let scale = atol[i] + rtol * abs(y[i])
            let x: Double
            if scale > 0 { x = f[i] / scale } else { x = f[i] == 0 ? 0 : .infinity }
            sum += x * x
        }
        return (sum / Double(max(f.count, 1))).squareRoot()
    }

    /// ``weightedRMSNorm(_:y:atol:rtol:)`` over the whole split state: the weighted local values are
    /// written into `f` (a workspace) and summed over the processes by `N_VDotProd` (one `MPI_Allreduce`),
    /// divided by the global length.
    private func globalWeightedRMSNorm(
        _ f: UnsafeMutableBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
        atol: UnsafeBufferPointer<Double>, rtol: Double
    ) -> Double {
        guard let layout, let derivative else { return .nan }
        for i in 0..<f.count {
            let scale = atol[i] + rtol * abs(y[i])
            f[i] = scale > 0 ? f[i] / scale : (f[i] == 0 ? 0 : .infinity)
        }
        return (N_VDotProd(derivative, derivative) / Double(max(layout.globalLength, 1))).squareRoot()
    }

    /// CVODE's counters; a counter whose getter fails stays 0.
    private func statistics() -> SolverStatistics {
        guard let mem = memory else { return SolverStatistics() }
        var s = SolverStatistics()
        var value = 0
        if CVodeGetNumSteps(mem, &value) == CV_SUCCESS { s.steps = value }
        if CVodeGetNumRhsEvals(mem, &value) == CV_SUCCESS { s.rhsEvaluations = value }
        if CVodeGetNumJacEvals(mem, &value) == CV_SUCCESS { s.jacobianEvaluations = value }
        if CVodeGetNumLinIters(mem, &value) == CV_SUCCESS { s.linearIterations = value }
        if CVodeGetNumNonlinSolvIters(mem, &value) == CV_SUCCESS { s.nonlinearIterations = value }
        if CVodeGetNumErrTestFails(mem, &value) == CV_SUCCESS { s.errorTestFailures = value }
        if CVodeGetNumNonlinSolvConvFails(mem, &value) == CV_SUCCESS { s.nonlinearConvergenceFailures = value }
        if CVodeGetNumLinSolvSetups(mem, &value) == CV_SUCCESS { s.linearSolverSetups = value }
        if CVodeGetNumJtimesEvals(mem, &value) == CV_SUCCESS { s.jvpEvaluations = value }
        return s
    }
}
