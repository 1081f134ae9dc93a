/// Why ``NewtonFinish`` kept the integrator's state instead of its Newton result.
public enum NewtonRefusal: String, Sendable, Hashable, CaseIterable {
    /// A Newton iteration did not shrink the residual by the contraction factor (or produced a
    /// non-finite value).
    case residualGrew = "residual_grew"
    /// The residual target was not reached within the iteration limit.
    case notConverged = "not_converged"
    /// The Newton correction was large against the distance the trajectory had travelled.
    case correctionTooLarge = "correction_too_large"
    /// The dominant pattern of the result differs from the hand-off state's.
    case patternChanged = "pattern_changed"
    /// The energy of the result is above the hand-off state's (the flow never climbs).
    case energyRose = "energy_rose"
    /// The energy Hessian at the result has a negative direction: a saddle, not a memory.
    case unstable
}

/// What ``NewtonFinish/polish(_:initialStates:rows:relativeTolerance:absoluteTolerance:)`` did with one row.
public struct NewtonFinishOutcome: Sendable, Hashable {
    /// nil when the row was polished (its state replaced by the Newton result), otherwise why not.
    public var refusal: NewtonRefusal?
    /// Newton iterations run.
    public var iterations: Int
    /// Vector-field evaluations (the monitored ones included) spent on the row.
    public var evaluations: Int
    /// Jacobian–vector products spent on the row (GMRES).
    public var jacobianProducts: Int
    /// `‖f‖_WRMS` at the hand-off state.
    public var initialResidual: Double
    /// `‖f‖_WRMS` at the last Newton iterate.
    public var finalResidual: Double
    /// `‖x* − x_h‖ / ‖x_h − x_0‖` (weighted norms), when Newton converged.
    public var correctionRatio: Double?
    /// The smallest Ritz value of the energy Hessian divided by the largest in modulus, when checked.
    public var curvature: Double?
    /// The energy `E(x*)` of the Newton result, when it was evaluated (the safeguards got that far).
    public var energy: Double? = nil
    /// The analytic `dE/dt` at the Newton result, with ``energy``.
    public var rate: Double? = nil

    /// Whether the row's state was replaced by the Newton result.
    public var polished: Bool { refusal == nil }
}
