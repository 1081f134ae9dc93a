/// Stopping rules and globalization for ``solveNewton(_:options:)``.
public struct NewtonOptions: Sendable {
    /// Stop when `‖F(x)‖_∞ ≤ functionTolerance` (`KINSetFuncNormTol`), `> 0`.
    public var functionTolerance = 1e-10
    /// Stop when the scaled Newton step is below this (`KINSetScaledStepTol`), `> 0`.
    public var stepTolerance = 1e-14
    /// Maximum Newton iterations (`KINSetNumMaxIters`), `≥ 1`.
    public var maxIterations = 200
    /// Use KINSOL's backtracking line search (`KIN_LINESEARCH`) instead of full steps (`KIN_NONE`).
    public var lineSearch = true

    /// Options with every default.
    public init() {}

    /// Options with the given values.
    /// - Parameters:
    ///   - functionTolerance: Residual max-norm target.
    ///   - stepTolerance: Scaled step-size floor.
    ///   - maxIterations: Newton iteration limit.
    ///   - lineSearch: Whether to backtrack.
    public init(functionTolerance: Double = 1e-10, stepTolerance: Double = 1e-14, maxIterations: Int = 200,
                lineSearch: Bool = true) {
        self.functionTolerance = functionTolerance
        self.stepTolerance = stepTolerance
        self.maxIterations = maxIterations
        self.lineSearch = lineSearch
    }
}
