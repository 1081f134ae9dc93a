/// CVODE's absolute tolerance: one value for all components (`CVodeSStolerances`) or one per
/// component (`CVodeSVtolerances`). Each error weight is
///
/// ```
/// w_i = 1 / (atol_i + rtol · |y_i|)
/// ```
public enum AbsoluteTolerance: Sendable, Equatable {
    /// The same absolute tolerance for every component, `≥ 0`.
    case scalar(Double)
    /// One absolute tolerance per component, `n` values `≥ 0`.
    case perComponent([Double])
}
