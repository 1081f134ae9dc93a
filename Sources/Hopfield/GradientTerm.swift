/// One energy term of a ``GradientModel``: the energy is the sum of its terms (docs/math.md §8).
///
/// Every term acts on one named variable `x` of the model (its `variable`).
public enum GradientTerm: Sendable {
    /// `½‖x‖² − b·x` (gradient `x − b`, Hessian `I`).
    case quadratic(QuadraticTerm)
    /// The exact log-sum-exp memory (MrDAM): `−β⁻¹ log Σ_μ exp(β s_μ(x))`.
    case lse(LogSumExpTerm)
    /// The random-feature memory (DrDAM): `−β⁻¹ log max(⟨Φ(x), T⟩, κ)`.
    case randomFeatures(RandomFeatureTerm)

    /// The variable the term acts on.
    public var variable: String {
        switch self {
        case .quadratic(let t): t.variable
        case .lse(let t): t.variable
        case .randomFeatures(let t): t.variable
        }
    }

    /// The term's type as the network file spells it (`quadratic`, `lse`, `random_features`).
    public var typeName: String {
        switch self {
        case .quadratic: "quadratic"
        case .lse: "lse"
        case .randomFeatures: "random_features"
        }
    }
}

/// The quadratic term (docs/math.md §8):
///
///     E(x) = ½‖x‖² − b·x,    ∇E = x − b,    ∇²E = I
public struct QuadraticTerm: Sendable, Hashable {
    /// The variable the term acts on.
    public var variable: String
    /// The bias `b`: empty (zero) or one entry per unit of the variable.
    public var bias: [Double]

    /// Creates a quadratic term.
    ///
    /// - Parameters:
    ///   - variable: the variable's name.
    ///   - bias: `b`, empty for zero.
    public init(variable: String, bias: [Double] = []) {
        self.variable = variable
        self.bias = bias
    }
}

/// How a log-sum-exp memory scores a state against memory `ξ_μ` (docs/math.md §8).
public enum LogSumExpSimilarity: String, Sendable, Hashable, CaseIterable {
    /// `s_μ = −½‖x − ξ_μ‖²`: the Gaussian kernel that DrDAM approximates.
    case euclidean
    /// `s_μ = ξ_μ·x` (Ramsauer et al.'s energy; bounded below only with a quadratic term).
    case dot
}

/// The exact log-sum-exp memory (MrDAM; docs/math.md §5, §8):
///
///     E(x) = −β⁻¹ log Σ_μ exp(β s_μ(x)),    p = softmax(β s)
///     ∇E   = c x − Ξᵀp,                     ∇²E = c I − β Ξᵀ(diag p − p pᵀ) Ξ
///
/// with `c = 1` for `euclidean` and `c = 0` for `dot`.
public struct LogSumExpTerm: Sendable, Hashable {
    /// The variable the term acts on.
    public var variable: String
    /// The similarity `s_μ`.
    public var similarity: LogSumExpSimilarity
    /// The inverse temperature `β > 0`.
    public var beta: Double
    /// The memories `Ξ`, row-major `[K, size]` (one memory per row).
    public var memories: [Double]

    /// Creates a log-sum-exp memory term.
    ///
    /// - Parameters:
    ///   - variable: the variable's name.
    ///   - similarity: `euclidean` (default) or `dot`.
    ///   - beta: `β > 0`.
    ///   - memories: `Ξ`, row-major `[K, size]`.
    public init(variable: String, similarity: LogSumExpSimilarity = .euclidean, beta: Double, memories: [Double]) {
        self.variable = variable
        self.similarity = similarity
        self.beta = beta
        self.memories = memories
    }
}

/// The feature map of a random-feature memory (docs/math.md §8), with `u = √β S x + b`:
///
///     sincos   Φ = Y^{−½} [cos u ; sin u]                                     (2Y entries)
///     cos      Φ = (2/Y)^{½} cos u                                              (Y entries)
///     exp      Φ = Y^{−½} exp(√β S x − β‖x‖²)                                   (Y entries)
///     expexp   Φ = (2Y)^{−½} [exp(√β S x − β‖x‖²) ; exp(−√β S x − β‖x‖²)]      (2Y entries)
///
/// so that `E⟨Φ(x), Φ(y)⟩ = exp(−(β/2)‖x − y‖²)` over `S` iid N(0, 1), `b` iid U(0, 2π).
public enum RandomFeatureKernel: String, Sendable, Hashable, CaseIterable {
    /// Random Fourier features, cosine and sine (the default; `‖Φ‖ = 1`).
    case sincos
    /// Random Fourier features, cosine with random phase.
    case cos
    /// Positive exponential features.
    case exp
    /// Symmetric positive exponential features.
    case expexp

    /// Whether the map uses the phases `b` (the trigonometric kernels).
    public var usesPhases: Bool { self == .sincos || self == .cos }
    /// The length of `Φ` (and of the stored sum `T`) for `Y` features: `2Y` or `Y`.
    public func sumLength(features: Int) -> Int { self == .sincos || self == .expexp ? 2 * features : features }
}

/// Where the random projection `S` (and the phases `b`) of a random-feature memory come from.
public enum FeatureProjection: Sendable, Hashable {
    /// `Y` features drawn from the project's ``SplitMix64`` seeded with `seed`
    /// (see ``RandomFeatureMatrix`` for the exact order and transforms).
    case seeded(features: Int, seed: UInt64)
    /// Explicit `S`, row-major `[Y, size]` (unscaled: `u = √β S x + b`), and phases `b`, `[Y]`
    /// (empty for the exponential kernels, which use none).
    case explicit(projection: [Double], phases: [Double])
}

/// What a random-feature memory stores.
public enum FeatureStore: Sendable, Hashable {
    /// Memories `Ξ`, row-major `[K, size]`: `T = Σ_μ Φ(ξ_μ)` is computed at construction.
    case memories([Double])
    /// The stored sum `T` itself (`2Y` entries for sincos/expexp, `Y` otherwise).
    case sum([Double])
}

/// The random-feature memory (DrDAM; docs/math.md §5, §8):
///
///     Ẽ(x) = −β⁻¹ log max(⟨Φ(x), T⟩, κ),    T = Σ_μ Φ(ξ_μ)
///     ∇Ẽ   = −∇⟨Φ(x), T⟩ / (β ⟨Φ(x), T⟩)    (0 where the floor κ is active)
///
/// Adding a memory adds `Φ(ξ_new)` to `T`: the parameter count never grows.
public struct RandomFeatureTerm: Sendable, Hashable {
    /// The variable the term acts on.
    public var variable: String
    /// The feature map.
    public var kernel: RandomFeatureKernel
    /// The inverse temperature `β > 0`.
    public var beta: Double
    /// The projection `S` and phases `b`.
    public var projection: FeatureProjection
    /// The memories or the stored sum `T`.
    public var store: FeatureStore
    /// The floor `κ > 0` under `⟨Φ(x), T⟩` before the logarithm (default `1e-5`, the reference code's).
    public var floor: Double

    /// Creates a random-feature memory term.
    ///
    /// - Parameters:
    ///   - variable: the variable's name.
    ///   - kernel: the feature map (default `sincos`).
    ///   - beta: `β > 0`.
    ///   - projection: seeded (`features`, `seed`) or explicit (`projection`, `phases`).
    ///   - store: memories (T computed at construction) or the sum `T`.
    ///   - floor: `κ`, default `1e-5`.
    public init(
        variable: String, kernel: RandomFeatureKernel = .sincos, beta: Double, projection: FeatureProjection,
        store: FeatureStore, floor: Double = 1e-5
    ) {
        self.variable = variable
        self.kernel = kernel
        self.beta = beta
        self.projection = projection
        self.store = store
        self.floor = floor
    }
}
