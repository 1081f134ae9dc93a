/// The result of ``solveNewton(_:options:)``.
public struct NewtonSolution: Sendable {
    /// The last iterate (the root when converged).
    public var x: [Double]
    /// Why KINSOL stopped.
    public var status: NewtonStatus
    /// `‖F(x)‖_∞`, from one residual evaluation at the returned `x` (NaN if it threw).
    public var residualNorm: Double
    /// Newton iterations (`KINGetNumNonlinSolvIters`).
    public var iterations: Int
    /// Residual evaluations by KINSOL, including difference quotients
    /// (`KINGetNumFuncEvals` + `KINGetNumLinFuncEvals`).
    public var residualEvaluations: Int

    /// Creates a solution.
    /// - Parameters:
    ///   - x: The last iterate.
    ///   - status: Why KINSOL stopped.
    ///   - residualNorm: `‖F(x)‖_∞`.
    ///   - iterations: Newton iterations.
    ///   - residualEvaluations: Residual evaluations.
    public init(x: [Double], status: NewtonStatus, residualNorm: Double, iterations: Int, residualEvaluations: Int) {
        self.x = x
        self.status = status
        self.residualNorm = residualNorm
        self.iterations = iterations
        self.residualEvaluations = residualEvaluations
    }
}
