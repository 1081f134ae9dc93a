/// Counters CVODE reports after a solve (`CVodeGetNum…`).
public struct SolverStatistics: Sendable, Equatable {
    /// Internal steps taken (`CVodeGetNumSteps`).
    public var steps: Int
    /// Right-hand-side evaluations by the integrator (`CVodeGetNumRhsEvals`); excludes the
    /// difference-quotient and steady-state evaluations.
    public var rhsEvaluations: Int
    /// Jacobian evaluations, analytic or difference-quotient (`CVodeGetNumJacEvals`).
    public var jacobianEvaluations: Int
    /// Krylov iterations (`CVodeGetNumLinIters`); 0 for the dense solvers.
    public var linearIterations: Int
    /// Newton iterations (`CVodeGetNumNonlinSolvIters`).
    public var nonlinearIterations: Int
    /// Local error test failures (`CVodeGetNumErrTestFails`).
    public var errorTestFailures: Int
    /// Newton convergence failures (`CVodeGetNumNonlinSolvConvFails`).
    public var nonlinearConvergenceFailures: Int
    /// Linear solver setups (`CVodeGetNumLinSolvSetups`).
    public var linearSolverSetups: Int
    /// Jacobian–vector products, analytic or difference-quotient (`CVodeGetNumJtimesEvals`).
    public var jvpEvaluations: Int

    /// Creates statistics; every counter defaults to 0.
    /// - Parameters:
    ///   - steps: Internal steps.
    ///   - rhsEvaluations: Right-hand-side evaluations.
    ///   - jacobianEvaluations: Jacobian evaluations.
    ///   - linearIterations: Krylov iterations.
    ///   - nonlinearIterations: Newton iterations.
    ///   - errorTestFailures: Error test failures.
    ///   - nonlinearConvergenceFailures: Newton convergence failures.
    ///   - linearSolverSetups: Linear solver setups.
    ///   - jvpEvaluations: Jacobian–vector products.
    public init(
        steps: Int = 0, rhsEvaluations: Int = 0, jacobianEvaluations: Int = 0,
        linearIterations: Int = 0, nonlinearIterations: Int = 0, errorTestFailures: Int = 0,
        nonlinearConvergenceFailures: Int = 0, linearSolverSetups: Int = 0, jvpEvaluations: Int = 0
    ) {
        self.steps = steps
        self.rhsEvaluations = rhsEvaluations
        self.jacobianEvaluations = jacobianEvaluations
        self.linearIterations = linearIterations
        self.nonlinearIterations = nonlinearIterations
        self.errorTestFailures = errorTestFailures
        self.nonlinearConvergenceFailures = nonlinearConvergenceFailures
        self.linearSolverSetups = linearSolverSetups
        self.jvpEvaluations = jvpEvaluations
    }
}
