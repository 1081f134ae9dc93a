/// The similarity function `sim(m_μ, q)` of a Universal Hopfield Network (docs/math.md §4).
///
/// ```
/// dot            m·q
/// cosine         m·q / (‖m‖ ‖q‖)                       (0 when a norm is 0)
/// euclidean      d = ‖m − q‖² = Σ_j (m_j − q_j)²
/// manhattan      d = Σ_j |m_j − q_j|
/// hamming        d = Σ_j [b(m_j) ≠ b(q_j)],  b(x) = 1[x ≥ cut]   (cut = 0.5 by default)
/// kl             d = Σ_j m̂_j (log(m̂_j + ε) − log(q̂_j + ε))       m̂ = m / Σm, q̂ = q / Σq
/// reverseKL      d = Σ_j q̂_j (log(q̂_j + ε) − log(m̂_j + ε))
/// jensenShannon  d = ½ Σ_j m̂_j log(m̂_j / a_j) + ½ Σ_j q̂_j log(q̂_j / a_j),  a = (m̂ + q̂)/2, 0·log 0 = 0
/// ```
///
/// A distance `d` becomes a score by the ``DistanceConvention`` (`−d` by default, `1/d` as in the
/// authors' code). The divergences need non-negative vectors with positive sums; ε (default `1e-4`,
/// the authors' `EPSILON`) keeps the logarithms finite where an entry is 0. Jensen–Shannon needs no ε.
///
/// Differences from the authors' code (Millidge et al. 2022): their cosine divides by the norm of the
/// whole memory matrix (so it ranks like the dot product); ours is the true cosine. Their "Jensen–Shannon"
/// is `1/(½/KL + ½/KL_rev)`; ours is the Jensen–Shannon divergence with the mixture `a`.
public enum Similarity: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `m·q`.
    case dot
    /// `m·q / (‖m‖ ‖q‖)`.
    case cosine
    /// Squared Euclidean distance `‖m − q‖²`.
    case euclidean
    /// Manhattan (L1) distance `Σ |m_j − q_j|`.
    case manhattan
    /// Hamming distance between patterns binarised at a cut (0.5 by default; maps {0, 1} and {−1, +1} alike).
    case hamming
    /// Kullback–Leibler divergence `KL(m̂ ‖ q̂)` of the sum-normalised vectors.
    case kl
    /// Reverse Kullback–Leibler divergence `KL(q̂ ‖ m̂)`.
    case reverseKL
    /// Jensen–Shannon divergence of `m̂` and `q̂`.
    case jensenShannon

    /// Whether the similarity is a distance turned into a score by a ``DistanceConvention``.
    public var isDistance: Bool {
        switch self {
        case .dot, .cosine: return false
        default: return true
        }
    }

    /// Whether the vectors must be non-negative with a positive sum (the divergences).
    public var needsDistributions: Bool { self == .kl || self == .reverseKL || self == .jensenShannon }

    /// The canonical name used by ``init(name:)`` and in printed results.
    public var name: String {
        switch self {
        case .reverseKL: return "reverse-kl"
        case .jensenShannon: return "js"
        default: return rawValue
        }
    }

    public var description: String { name }

    /// Parses a name: `dot`, `cosine`, `euclidean`, `manhattan`, `hamming`, `kl`, `reverse-kl`, `js`
    /// (case-insensitive; `-`, `_` and spaces are ignored, and `jensen-shannon`, `l2`, `l1` are accepted).
    ///
    /// - Throws: ``RetrievalError/unknownName(kind:name:valid:)`` listing the valid names.
    public init(name: String) throws(RetrievalError) {
        let key = String(name.lowercased().filter { !"-_ ".contains($0) })
        switch key {
        case "dot", "dotproduct": self = .dot
        case "cosine", "cos": self = .cosine
        case "euclidean", "l2": self = .euclidean
        case "manhattan", "l1": self = .manhattan
        case "hamming": self = .hamming
        case "kl": self = .kl
        case "reversekl", "rkl": self = .reverseKL
        case "js", "jensenshannon": self = .jensenShannon
        default:
            throw .unknownName(kind: "similarity", name: name, valid: Self.allCases.map(\.name))
        }
    }
}
