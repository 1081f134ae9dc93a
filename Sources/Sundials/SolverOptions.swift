/// How CVODE integrates an ``ODEProblem``: method, tolerances, linear solver, limits and output.
public struct SolverOptions: Sendable {
    /// BDF (stiff) or Adams (non-stiff); default `.bdf`.
    public var method: IntegrationMethod = .bdf
    /// Relative tolerance `rtol ≥ 0`; default 1e-6.
    public var relativeTolerance: Double = 1e-6
    /// Absolute tolerance(s) `atol ≥ 0`; default `.scalar(1e-8)`.
    public var absoluteTolerance: AbsoluteTolerance = .scalar(1e-8)
    /// The Newton linear solver; default `.dense` (needs the problem's Jacobian).
    public var linearSolver: LinearSolverKind = .dense
    /// Total internal steps allowed over the whole solve, `≥ 1`; exceeding it gives `.tooMuchWork`.
    public var maxSteps: Int = 100_000
    /// Upper bound on the step size (`CVodeSetMaxStep`), `> 0`; `nil` = unbounded.
    public var maxStepSize: Double? = nil
    /// The first step size to try (`CVodeSetInitStep`), `> 0`; `nil` = CVODE's estimate.
    public var initialStepSize: Double? = nil
    /// Times at which to save the state (interpolated with `CVodeGetDky`), ascending, within
    /// `[startTime, endTime]`. Empty = save `startTime` and `endTime` only.
    public var saveTimes: [Double] = []
    /// Stop early, with `.steadyState`, after the first step at which
    ///
    /// ```
    /// ‖f(t, y)‖_WRMS = sqrt( (1/n) Σ_i (f_i / (atol_i + rtol·|y_i|))² ) ≤ 1
    /// ```
    ///
    /// This costs one extra vector-field evaluation per step.
    public var stopAtSteadyState: Bool = false
    /// Which LU the dense linear solvers use: LAPACK (default) or, for comparison tests only, SUNDIALS' own.
    var denseFactorization: DenseFactorization = .lapack

    /// Options with every default.
    public init() {}

    /// Options with the given values; every argument has the default of ``init()``.
    /// - Parameters:
    ///   - method: BDF or Adams.
    ///   - relativeTolerance: `rtol`.
    ///   - absoluteTolerance: `atol`.
    ///   - linearSolver: The Newton linear solver.
    ///   - maxSteps: Total internal steps allowed.
    ///   - maxStepSize: Step size bound, or `nil`.
    ///   - initialStepSize: First step size, or `nil`.
    ///   - saveTimes: Output times, or empty for start and end.
    ///   - stopAtSteadyState: Whether to stop when `‖f‖_WRMS ≤ 1`.
    public init(
        method: IntegrationMethod = .bdf,
        relativeTolerance: Double = 1e-6,
        absoluteTolerance: AbsoluteTolerance = .scalar(1e-8),
        linearSolver: LinearSolverKind = .dense,
        maxSteps: Int = 100_000,
        maxStepSize: Double? = nil,
        initialStepSize: Double? = nil,
        saveTimes: [Double] = [],
        stopAtSteadyState: Bool = false
    ) {
        self.method = method
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.linearSolver = linearSolver
        self.maxSteps = maxSteps
        self.maxStepSize = maxStepSize
        self.initialStepSize = initialStepSize
        self.saveTimes = saveTimes
        self.stopAtSteadyState = stopAtSteadyState
    }
}
