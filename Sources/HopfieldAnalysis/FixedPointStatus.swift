import Sundials

/// Whether a fixed point was found, and if not, which stage failed.
public enum FixedPointStatus: Sendable, Equatable, CustomStringConvertible {
    /// The scaled residual is within the tolerance.
    case converged
    /// CVODE failed and Newton's method could not recover from the last state.
    case integrationFailed(SolverStatus)
    /// KINSOL's Newton iteration stopped without meeting the tolerance.
    case newtonFailed(NewtonStatus)
    /// KINSOL reported success but the scaled residual at its answer exceeds the tolerance.
    case residualTooLarge

    /// Whether the fixed point meets the residual tolerance.
    public var isConverged: Bool { self == .converged }

    /// `"converged"`, `"integration_failed: too_much_work"`, `"newton_failed: max_iterations_reached"`,
    /// `"residual_too_large"`.
    public var description: String {
        switch self {
        case .converged: "converged"
        case .integrationFailed(let s): "integration_failed: \(s)"
        case .newtonFailed(let s): "newton_failed: \(s)"
        case .residualTooLarge: "residual_too_large"
        }
    }
}
