/// How ``findFixedPoint(_:from:options:)`` reaches and polishes a fixed point.
public struct FixedPointOptions: Sendable {
    /// Integrate the network's flow from the given state before polishing (true), or polish the given
    /// state directly with Newton's method (false: for unstable fixed points, which the flow leaves).
    public var integrate: Bool = true
    /// The end of the integration; nil means `1000 · max τ`. Integration stops earlier once the state is
    /// steady (`‖ẋ‖_WRMS ≤ 1`).
    public var endTime: Double? = nil
    /// CVODE's relative tolerance.
    public var relativeTolerance: Double = 1e-8
    /// CVODE's absolute tolerance.
    public var absoluteTolerance: Double = 1e-10
    /// The maximum number of internal CVODE steps.
    public var maxSteps: Int = 100_000
    /// The target of the scaled residual `‖r(x)‖_∞ / max(1, ‖x‖_∞)`.
    public var residualTolerance: Double = 1e-10
    /// The maximum number of KINSOL Newton iterations.
    public var maxNewtonIterations: Int = 100
    /// Record `E`, `V_α` and `‖r‖` at every internal step of the integration (see ``LyapunovTrace``).
    public var recordTrajectory: Bool = true
    /// The α of `V_α`; nil takes the largest admissible one.
    public var alpha: Double? = nil

    public init() {}

    /// Checks the options.
    ///
    /// - Throws: ``AnalysisError/invalidOptions(_:)`` naming the offending option.
    public func validate() throws(AnalysisError) {
        func bad(_ s: String) -> AnalysisError { .invalidOptions(s) }
        if let t = endTime, !(t.isFinite && t > 0) { throw bad("t-end must be a finite number > 0, got \(t)") }
        guard relativeTolerance.isFinite, relativeTolerance > 0, relativeTolerance < 1 else {
            throw bad("rtol must be in (0, 1), got \(relativeTolerance)")
        }
        guard absoluteTolerance.isFinite, absoluteTolerance > 0 else {
            throw bad("atol must be a finite number > 0, got \(absoluteTolerance)")
        }
        guard maxSteps > 0 else { throw bad("max-steps must be > 0, got \(maxSteps)") }
        guard residualTolerance.isFinite, residualTolerance > 0 else {
            throw bad("residual tolerance must be a finite number > 0, got \(residualTolerance)")
        }
        guard maxNewtonIterations > 0 else { throw bad("Newton iterations must be > 0, got \(maxNewtonIterations)") }
        if let a = alpha, !(a.isFinite && a > 0) { throw bad("alpha must be a finite number > 0, got \(a)") }
    }
}
