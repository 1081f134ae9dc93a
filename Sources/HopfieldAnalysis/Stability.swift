/// The linear stability of a fixed point.
public enum Stability: String, Sendable, Equatable, CaseIterable {
    /// Every eigenvalue of `J` has a negative real part.
    case asymptoticallyStable = "asymptotically_stable"
    /// Some eigenvalue of `J` has a positive real part.
    case unstable
    /// The largest real part is zero to rounding: linearisation does not decide.
    case marginal
}
