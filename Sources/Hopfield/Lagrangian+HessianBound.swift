extension Lagrangian {
    /// An upper bound of the spectral norm `‖H(x)‖₂` valid for every `x`, or nil when `H` is unbounded.
    ///
    /// | case | bound | attained at |
    /// |---|---|---|
    /// | identity, relu | 1 | any live point |
    /// | repu | 1 when `n = 2`; nil otherwise (`(n−1)xⁿ⁻²` is unbounded) | |
    /// | exp, rexp | nil (`βe^{βx}` is unbounded) | |
    /// | tanh | `β` | `x = 0` |
    /// | sigmoid | `β/4` | `x = 0` |
    /// | softmax, ghostmax | `β/2` (`vᵀ(diag p − ppᵀ)v` is a variance of `v`, at most `(max − min)²/4 ≤ ‖v‖²/2`) | softmax of two equal entries |
    /// | layernorm | `γ/√ε` when `ε > 0`, nil when `ε = 0` (`‖H‖ = γ/s`, `s ≥ √ε`) | `x` constant |
    /// | spherical | `γ/√ε` when `ε > 0`, nil when `ε = 0` (`‖H‖ = γ/r`, `r ≥ √ε`) | `x = 0` |
    ///
    /// This is the `h_max` of the Lyapunov construction in docs/math.md §3.
    public var hessianNormBound: Double? {
        switch self {
        case .identity, .relu: 1
        case .repu(let n): n == 2 ? 1 : nil
        case .exp, .rexp: nil
        case .tanh(let beta): beta
        case .sigmoid(let beta): beta / 4
        case .softmax(let beta), .ghostmax(let beta): beta / 2
        case .layernorm(let gamma, _, let eps), .spherical(let gamma, _, let eps):
            eps > 0 ? gamma / eps.squareRoot() : nil
        }
    }
}
