/// A convex Lagrangian `L(x)` of one layer; its gradient is the layer's activation `g = ∇L(x)`.
///
/// The eleven Lagrangians of docs/math.md §2 (HAMUX's set). `beta` is an inverse temperature; `delta`
/// of layernorm and spherical is empty (0), one number (broadcast) or one number per unit.
///
/// | case | L(x) | g |
/// |---|---|---|
/// | identity | ½ Σ xᵢ² | x |
/// | relu | ½ Σ (xᵢ)₊² | (xᵢ)₊ |
/// | repu(n) | Σ (xᵢ)₊ⁿ / n | (xᵢ)₊ⁿ⁻¹ |
/// | exp(β) | β⁻¹ Σ e^{βxᵢ} | e^{βxᵢ} |
/// | rexp(β) | Σ [β⁻¹ e^{β(xᵢ)₊} − (xᵢ)₊] | (e^{βxᵢ} − 1) θ(xᵢ) |
/// | tanh(β) | β⁻¹ Σ log cosh(βxᵢ) | tanh(βxᵢ) |
/// | sigmoid(β) | β⁻¹ Σ log(1 + e^{βxᵢ}) | σ(βxᵢ) |
/// | softmax(β) | β⁻¹ log Σ e^{βxᵢ} | softmax_β(x) |
/// | ghostmax(β) | β⁻¹ log(1 + Σ e^{βxᵢ}) | e^{βxᵢ} / (1 + Σ e^{βxⱼ}) |
/// | layernorm(γ, δ, ε) | Dγ s + δ·x, s = √(D⁻¹Σ(xᵢ − x̄)² + ε) | γ(x − x̄)/s + δ |
/// | spherical(γ, δ, ε) | γ r + δ·x, r = √(‖x‖² + ε) | γx/r + δ |
public enum Lagrangian: Sendable, Hashable {
    case identity
    case relu
    /// Rectified power `Σ (xᵢ)₊ⁿ / n`, `n ≥ 2`.
    case repu(n: Double)
    case exp(beta: Double)
    case rexp(beta: Double)
    case tanh(beta: Double)
    case sigmoid(beta: Double)
    case softmax(beta: Double)
    case ghostmax(beta: Double)
    case layernorm(gamma: Double, delta: [Double], eps: Double)
    case spherical(gamma: Double, delta: [Double], eps: Double)

    /// The name used in network files (`"type"`).
    public var name: String {
        switch self {
        case .identity: "identity"
        case .relu: "relu"
        case .repu: "repu"
        case .exp: "exp"
        case .rexp: "rexp"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .softmax: "softmax"
        case .ghostmax: "ghostmax"
        case .layernorm: "layernorm"
        case .spherical: "spherical"
        }
    }

    /// The names of all Lagrangians, in the order of docs/math.md §2.
    public static let allNames = [
        "identity", "relu", "repu", "exp", "rexp", "tanh", "sigmoid", "softmax", "ghostmax",
        "layernorm", "spherical",
    ]

    /// Whether `L` is a sum of functions of single units, so that its Hessian is diagonal.
    public var isSeparable: Bool {
        switch self {
        case .softmax, .ghostmax, .layernorm, .spherical: false
        default: true
        }
    }

    /// Checks the parameters for a layer of `size` units.
    ///
    /// - Returns: `nil` when valid, otherwise the offending parameter and why (e.g. `("beta", "must be > 0, got 0")`).
    public func validate(size: Int) -> (parameter: String, message: String)? {
        func positive(_ name: String, _ v: Double) -> (String, String)? {
            v.isFinite && v > 0 ? nil : (name, "must be a finite number > 0, got \(v)")
        }
        func shift(_ delta: [Double]) -> (String, String)? {
            if !(delta.count == 0 || delta.count == 1 || delta.count == size) {
                return ("delta", "must be a number or an array of \(size) numbers, got \(delta.count) numbers")
            }
            if let bad = delta.firstIndex(where: { !$0.isFinite }) {
                return ("delta", "entry \(bad) is not finite (\(delta[bad]))")
            }
            return nil
        }
        switch self {
        case .identity, .relu:
            return nil
        case .repu(let n):
            return n.isFinite && n >= 2 ? nil : ("n", "must be a number ≥ 2, got \(n)")
        case .exp(let b), .rexp(let b), .tanh(let b), .sigmoid(let b), .softmax(let b), .ghostmax(let b):
            return positive("beta", b)
        case .layernorm(let gamma, let delta, let eps), .spherical(let gamma, let delta, let eps):
            if let e = positive("gamma", gamma) { return e }
            if !(eps.isFinite && eps >= 0) { return ("eps", "must be a finite number ≥ 0, got \(eps)") }
            return shift(delta)
        }
    }
}
