/// The similarity of a similarity synapse (docs/math.md §4, continuous-time Universal Hopfield network).
///
/// A similarity synapse from a feature layer P to a memory layer Q stores one memory `m_μ` per unit of Q
/// and feeds Q the scores `s_μ = sim(m_μ, g_P)`:
///
/// ```
/// dot         s_μ = m_μ · g              ∇_g s_μ = m_μ              ∇²_g s_μ = 0
/// euclidean   s_μ = −‖m_μ − g‖²          ∇_g s_μ = 2 (m_μ − g)      ∇²_g s_μ = −2 I
/// manhattan   s_μ = −Σ_j |m_μj − g_j|    ∇_g s_μ = sign(m_μ − g)    ∇²_g s_μ = 0 (away from kinks)
/// ```
///
/// Manhattan is not differentiable where `g_j = m_μj`: there the subgradient `sign(0) = 0` is used
/// (the midpoint of `[−1, 1]`) and the Hessian term is 0.
public enum SimilarityKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `s = m · g`: the same dynamics and energy as a dense synapse with weights `M`.
    case dot
    /// `s = −‖m − g‖²` (negated squared Euclidean distance).
    case euclidean
    /// `s = −Σ_j |m_j − g_j|` (negated Manhattan distance).
    case manhattan

    /// The synapse type name in network files (`"dot"`, `"euclidean"`, `"manhattan"`).
    public var name: String { rawValue }

    public var description: String { rawValue }

    /// The diagonal of `∇²_g s_μ`, the same for every memory and unit: 0, −2 or 0.
    public var hessianScale: Double { self == .euclidean ? -2 : 0 }

    /// `sim(m, g)` for one memory.
    ///
    /// - Parameters:
    ///   - memory: the memory `m`.
    ///   - activation: the feature activation `g` (as many entries as `memory`).
    public func score<M: Collection<Double>, G: Collection<Double>>(memory: M, activation: G) -> Double {
        var s = 0.0
        for (m, g) in zip(memory, activation) {
            switch self {
            case .dot: s += m * g
            case .euclidean: s -= (m - g) * (m - g)
            case .manhattan: s -= Swift.abs(m - g)
            }
        }
        return s
    }

    /// One entry of `∇_g s_μ`: `m_j`, `2(m_j − g_j)` or `sign(m_j − g_j)` (0 at a kink).
    @inlinable
    public func gradientEntry(memory m: Double, activation g: Double) -> Double {
        switch self {
        case .dot: return m
        case .euclidean: return 2 * (m - g)
        case .manhattan: return m > g ? 1 : (m < g ? -1 : 0)
        }
    }
}
