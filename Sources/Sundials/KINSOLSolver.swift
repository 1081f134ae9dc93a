internal import CSundials

/// Owns every SUNDIALS resource of one KINSOL solve and frees them in reverse order in `deinit`.
///
/// Life cycle: `init` (retains the callback box) → ``configure(problem:options:)`` (throws on any
/// failure; `deinit` still frees whatever was created) → ``run(options:)``.
final class KINSOLSolver {
    private let box: Unmanaged<KINSOLCallbackBox>
    private let dimension: Int
    private var context: SUNContext?
    /// The iterate `u`, initial guess on entry and last iterate on return.
    private var iterate: N_Vector?
    /// Unit scaling for `u` and `F` (KINSOL's `u_scale`, `f_scale`).
    private var unitScale: N_Vector?
    /// Workspace for the final residual evaluation.
    private var residualWorkspace: N_Vector?
    private var matrix: SUNMatrix?
    private var linearSolver: SUNLinearSolver?
    private var memory: UnsafeMutableRawPointer?

    /// Retains a callback box for `problem`'s closures.
    init(problem: NonlinearProblem) {
        dimension = problem.initialGuess.count
        box = Unmanaged.passRetained(KINSOLCallbackBox(problem: problem))
    }

    deinit {
        if memory != nil { KINFree(&memory) }
        if let linearSolver { _ = SUNLinSolFree(linearSolver) }
        if let matrix { SUNMatDestroy(matrix) }
        for vector in [residualWorkspace, unitScale, iterate] {
            if let vector { N_VDestroy(vector) }
        }
        if context != nil { _ = SUNContext_Free(&context) }
        box.release()
    }

    private func newVector() throws(SundialsError) -> N_Vector { try newSerialVector(length: dimension, context: context) }

    /// Creates the SUNDIALS objects and sets KINSOL's options. Expects validated input.
    ///
    /// Calls `SUNContext_Create`, `N_VNew_Serial`, `KINCreate`, `KINSetErrHandlerFn`,
    /// `KINSetInfoHandlerFn`, `KINInit`, `KINSetUserData`, `SUNDenseMatrix`, the LAPACK dense solver
    /// (`SUNLinSolNewEmpty`, ``makeLAPACKDenseLinearSolver(dimension:context:)``),
    /// `KINSetLinearSolver`, `KINSetJacFn`, `KINSetFuncNormTol`, `KINSetScaledStepTol`,
    /// `KINSetNumMaxIters`.
    /// - Throws: ``SundialsError/allocationFailed(_:)`` or ``SundialsError/setupFailed(function:code:)``.
    func configure(problem: NonlinearProblem, options: NewtonOptions) throws(SundialsError) {
        try createContext(&context)
        let u = try newVector()
        iterate = u
        let scale = try newVector()
        unitScale = scale
        residualWorkspace = try newVector()
        guard let uData = serialBuffer(u, count: dimension) else { throw .allocationFailed("N_VNew_Serial (data)") }
        for i in 0..<dimension { uData[i] = problem.initialGuess[i] }
        N_VConst(1, scale)

        guard let mem = KINCreate(context) else { throw .allocationFailed("KINCreate") }
        memory = mem
        try checkFlag(KINSetErrHandlerFn(mem, kinsolSilentErrorHandler, nil), "KINSetErrHandlerFn")
        try checkFlag(KINSetInfoHandlerFn(mem, kinsolSilentInfoHandler, nil), "KINSetInfoHandlerFn")
        try checkFlag(KINInit(mem, kinsolResidual, u), "KINInit")
        try checkFlag(KINSetUserData(mem, box.toOpaque()), "KINSetUserData")

        let a = try newDenseMatrix(order: dimension, copies: 1, context: context)
        matrix = a
        let ls = try newDenseLinearSolver(u, a, dimension: dimension, factorization: .lapack, context: context)
        linearSolver = ls
        try checkFlag(KINSetLinearSolver(mem, ls, a), "KINSetLinearSolver")
        if problem.jacobian != nil {
            try checkFlag(KINSetJacFn(mem, kinsolDenseJacobian), "KINSetJacFn")
        }
        try checkFlag(KINSetFuncNormTol(mem, options.functionTolerance), "KINSetFuncNormTol")
        try checkFlag(KINSetScaledStepTol(mem, options.stepTolerance), "KINSetScaledStepTol")
        try checkFlag(KINSetNumMaxIters(mem, options.maxIterations), "KINSetNumMaxIters")
    }

    /// Runs `KINSol` and evaluates `‖F(x)‖_∞` once at the returned iterate.
    /// - Parameter options: The validated options (for the strategy).
    /// - Returns: The solution; failures are statuses.
    func run(options: NewtonOptions) -> NewtonSolution {
        let callbacks = box.takeUnretainedValue()
        guard let mem = memory, let u = iterate, let scale = unitScale,
            let uBuffer = serialBuffer(u, count: dimension),
            let fBuffer = serialBuffer(residualWorkspace, count: dimension)
        else {
            return NewtonSolution(x: [], status: .other(code: KIN_MEM_NULL), residualNorm: .nan,
                                  iterations: 0, residualEvaluations: 0)
        }
        let strategy = options.lineSearch ? KIN_LINESEARCH : KIN_NONE
        let flag = KINSol(mem, u, strategy, scale, scale)
        var status: NewtonStatus
        if let error = callbacks.parkedError {
            status = .callbackError(String(describing: error))
        } else {
            status = NewtonStatus(kinsolFlag: flag)
        }

        var residualNorm = Double.nan
        do {
            try callbacks.residual(UnsafeBufferPointer(uBuffer), fBuffer)
            residualNorm = fBuffer.reduce(0) { max($0, abs($1)) }
            if fBuffer.contains(where: { $0.isNaN }) { residualNorm = .nan }
        } catch {
            if status.isConverged { status = .callbackError(String(describing: error)) }
        }

        var iterations = 0
        var evaluations = 0
        var dqEvaluations = 0
        _ = KINGetNumNonlinSolvIters(mem, &iterations)
        _ = KINGetNumFuncEvals(mem, &evaluations)
        _ = KINGetNumLinFuncEvals(mem, &dqEvaluations)
        return NewtonSolution(
            x: Array(uBuffer), status: status, residualNorm: residualNorm, iterations: iterations,
            residualEvaluations: evaluations + dqEvaluations)
    }
}
