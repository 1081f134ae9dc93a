/// Solves `F(x) = 0` with KINSOL's Newton method and a dense direct linear solver.
///
/// ```
/// x_{k+1} = x_k + λ_k δ_k,   J(x_k) δ_k = −F(x_k)
/// ```
///
/// `λ_k = 1` without line search; with it, KINSOL backtracks on `½‖F‖²`. The Jacobian is the
/// problem's analytic one (`KINSetJacFn`) or KINSOL's difference quotients. Calls `KINSol`.
///
/// A non-converged outcome (no root, singular Jacobian, iteration limit, a thrown callback error) is
/// a ``NewtonSolution/status``, not a thrown error.
/// - Parameters:
///   - problem: The residual, optional Jacobian and initial guess.
///   - options: Tolerances, iteration limit and line search.
/// - Returns: The last iterate, the status, `‖F(x)‖_∞` and counters.
/// - Throws: ``SundialsError/invalidInput(_:)`` for an empty or non-finite guess or bad options;
///   ``SundialsError/allocationFailed(_:)`` or ``SundialsError/setupFailed(function:code:)`` when
///   SUNDIALS cannot be set up.
public func solveNewton(
    _ problem: NonlinearProblem, options: NewtonOptions = NewtonOptions()
) throws(SundialsError) -> NewtonSolution {
    guard !problem.initialGuess.isEmpty else { throw .invalidInput("initial guess is empty") }
    if let i = problem.initialGuess.firstIndex(where: { !$0.isFinite }) {
        throw .invalidInput("initial guess component \(i) is not finite (\(problem.initialGuess[i]))")
    }
    guard options.functionTolerance.isFinite, options.functionTolerance > 0 else {
        throw .invalidInput("function tolerance \(options.functionTolerance) must be finite and > 0")
    }
    guard options.stepTolerance.isFinite, options.stepTolerance > 0 else {
        throw .invalidInput("step tolerance \(options.stepTolerance) must be finite and > 0")
    }
    guard options.maxIterations >= 1 else {
        throw .invalidInput("maxIterations \(options.maxIterations) must be ≥ 1")
    }
    let solver = KINSOLSolver(problem: problem)
    try solver.configure(problem: problem, options: options)
    return solver.run(options: options)
}
