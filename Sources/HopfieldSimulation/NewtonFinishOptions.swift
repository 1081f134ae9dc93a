/// When and how a trajectory near its steady state is finished by Newton's method instead of being
/// integrated to the end (see ``NewtonFinish``).
///
/// The hand-off happens only when the trajectory is close and settled (``handoffThreshold``,
/// ``settledSteps``), and the Newton result is kept only when it passes every safeguard
/// (``NewtonRefusal``); otherwise the integrator carries on.
public struct NewtonFinishOptions: Sendable, Hashable {
    /// Hand off once `‖ẋ‖_WRMS ≤ handoffThreshold`, weights `1 / (atol + rtol |x_i|)` (the weights of the
    /// steady-state test, which is `‖ẋ‖_WRMS ≤ 1`). Measured in docs/performance-auto.md.
    public var handoffThreshold: Double = 1e5
    /// The number of consecutive accepted steps over which `‖ẋ‖_WRMS` must have decreased and the
    /// dominant pattern (``NewtonFinish/patternSignature(of:)``) stayed the same before a hand-off.
    public var settledSteps: Int = 4
    /// The largest number of Newton iterations.
    public var maxIterations: Int = 6
    /// Newton converged when `‖f(x)‖_WRMS ≤ residualTarget` (a hundred times tighter than the steady
    /// test, so that slow modes, `‖x − x*‖ ≈ ‖J⁻¹‖ ‖f‖`, leave the result well inside the tolerance).
    public var residualTarget: Double = 0.01
    /// Every Newton iteration must shrink the residual: `‖f(x_{k+1})‖ ≤ contraction · ‖f(x_k)‖`.
    public var contraction: Double = 0.5
    /// The largest Krylov dimension of one GMRES solve (no restarts).
    public var krylovDimension: Int = 30
    /// The Newton correction must be small against the distance already travelled:
    /// `‖x* − x_h‖ ≤ correctionRatio · ‖x_h − x_0‖` (the same weighted norm).
    public var correctionRatio: Double = 0.1
    /// The number of Lanczos iterations on the energy Hessian at the result (stability check); 0 skips it.
    public var stabilityIterations: Int = 8
    /// The result counts as unstable when the smallest Ritz value of the energy Hessian is below
    /// `−stabilityTolerance · max |Ritz value|`.
    public var stabilityTolerance: Double = 1e-6
    /// After a refusal the threshold is divided by this factor before the next attempt.
    public var retryFactor: Double = 100
    /// The largest number of hand-offs tried per trajectory (refused ones included).
    public var maxAttempts: Int = 2

    /// The defaults.
    public init() {}

    /// Checks the options.
    ///
    /// - Throws: ``SimulationError/invalidOptions(_:)`` naming the offending option.
    public func validate() throws(SimulationError) {
        func bad(_ s: String) -> SimulationError { .invalidOptions("newton finish: " + s) }
        guard handoffThreshold.isFinite, handoffThreshold >= 1 else {
            throw bad("handoff threshold must be a finite number ≥ 1, got \(handoffThreshold)")
        }
        guard settledSteps >= 1 else { throw bad("settled steps must be ≥ 1, got \(settledSteps)") }
        guard maxIterations >= 1 else { throw bad("max iterations must be ≥ 1, got \(maxIterations)") }
        guard residualTarget.isFinite, residualTarget > 0 else {
            throw bad("residual target must be > 0, got \(residualTarget)")
        }
        guard contraction > 0, contraction < 1 else { throw bad("contraction must be in (0, 1), got \(contraction)") }
        guard krylovDimension >= 1 else { throw bad("krylov dimension must be ≥ 1, got \(krylovDimension)") }
        guard correctionRatio.isFinite, correctionRatio > 0 else {
            throw bad("correction ratio must be > 0, got \(correctionRatio)")
        }
        guard stabilityIterations >= 0 else { throw bad("stability iterations must be ≥ 0, got \(stabilityIterations)") }
        guard stabilityTolerance.isFinite, stabilityTolerance >= 0 else {
            throw bad("stability tolerance must be ≥ 0, got \(stabilityTolerance)")
        }
        guard retryFactor.isFinite, retryFactor > 1 else { throw bad("retry factor must be > 1, got \(retryFactor)") }
        guard maxAttempts >= 1 else { throw bad("max attempts must be ≥ 1, got \(maxAttempts)") }
    }
}
