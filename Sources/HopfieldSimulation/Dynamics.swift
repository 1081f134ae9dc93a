/// Which flow integrates a network (docs/math.md §1 and §3, "Lyapunov functions without flat regions").
///
/// | case | vector field | Lyapunov function | fixed points |
/// |---|---|---|---|
/// | gradient | `ẋ = τ⁻¹ r(x)` | the energy `E` (flat along dead units) | `r = 0` |
/// | residual | `ẋ = (I − C H(x))⁻¹ τ⁻¹ r(x)` | `V = ‖r‖²` (no flat regions) | `r = 0` |
///
/// with the residual `r(x) = b − x + C g(x)`. Along the residual flow `ṙ = −τ⁻¹ r`: every layer's residual
/// decays exactly like `e^{−t/τ_A}`, so `dV/dt = −2 rᵀ τ⁻¹ r < 0` away from fixed points. With equal time
/// constants this is `τ ẋ = (I − C H)⁻¹ r`.
public enum Dynamics: String, Sendable, CaseIterable {
    /// The network's own flow `τ ẋ = b − x + C g(x)`, monitored through its energy.
    case gradient
    /// The residual flow `ẋ = (I − C H)⁻¹ τ⁻¹ r`, monitored through `V = ‖r‖²`. Each right-hand side
    /// evaluation solves one dense `n × n` system (LU, `O(n³)`), so it is meant for analysis of small and
    /// medium networks, not for large ones.
    case residual
}
