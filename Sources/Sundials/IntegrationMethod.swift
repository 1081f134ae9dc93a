/// The linear multistep family CVODE uses (`CVodeCreate(lmm, …)`).
///
/// Both use a Newton iteration with the chosen ``LinearSolverKind``.
public enum IntegrationMethod: String, Sendable, CaseIterable {
    /// Backward differentiation formulas, orders 1–5 (`CV_BDF`): for stiff problems.
    case bdf
    /// Adams–Moulton formulas, orders 1–12 (`CV_ADAMS`): for non-stiff problems.
    case adams
}
