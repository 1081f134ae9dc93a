/// A connection from a pre layer P to a post layer Q.
///
/// A dense synapse has weights `W ∈ R^{n_Q × n_P}` (row-major: `W[q * n_P + p]`), contributes
/// `−g_Qᵀ W g_P` to the energy, `W g_P` to the input of Q and `Wᵀ g_Q` to the input of P.
///
/// A similarity synapse (docs/math.md §4) stores memories `M ∈ R^{n_Q × n_P}` (row μ is `m_μ`, the same
/// layout as dense weights). With `s_μ = sim(m_μ, g_P)` and `f = g_Q` it contributes
///
/// ```
/// energy        −Σ_μ f_μ s_μ
/// input of Q    s_μ
/// input of P    Σ_μ f_μ ∇_g s_μ
/// ```
///
/// so that `dE/dt = −Σ_A τ_A ẋ_Aᵀ H_A ẋ_A` still holds. Its pre and post layers must differ.
public struct Synapse: Sendable, Hashable {
    /// The kinds of synapses.
    public enum Kind: Sendable, Hashable {
        /// Dense weights, row-major `[post size, pre size]`.
        case dense(weights: [Double])
        /// A similarity synapse: memories row-major `[post size, pre size]` (row μ is memory `m_μ`).
        case similarity(SimilarityKind, memories: [Double])
    }

    /// The name of the pre layer.
    public var pre: String
    /// The name of the post layer.
    public var post: String
    /// What the synapse computes.
    public var kind: Kind

    public init(pre: String, post: String, kind: Kind) {
        self.pre = pre
        self.post = post
        self.kind = kind
    }

    /// A dense synapse with row-major weights of shape `[post size, pre size]`.
    public static func dense(pre: String, post: String, weights: [Double]) -> Synapse {
        Synapse(pre: pre, post: post, kind: .dense(weights: weights))
    }

    /// A similarity synapse with memories row-major `[post size, pre size]` (row μ is memory `m_μ`).
    public static func similarity(
        _ similarity: SimilarityKind, pre: String, post: String, memories: [Double]
    ) -> Synapse {
        Synapse(pre: pre, post: post, kind: .similarity(similarity, memories: memories))
    }

    /// The name of the synapse type in network files: `dense`, or the similarity's name.
    public var typeName: String {
        switch kind {
        case .dense: "dense"
        case .similarity(let s, _): s.name
        }
    }

    /// The weights or memories, row-major `[post size, pre size]`.
    public var matrix: [Double] {
        switch kind {
        case .dense(let w): w
        case .similarity(_, let m): m
        }
    }

    /// Whether the synapse is bilinear (`−g_Qᵀ W g_P`): dense, or a dot-product similarity synapse.
    public var isBilinear: Bool {
        switch kind {
        case .dense: true
        case .similarity(let s, _): s == .dot
        }
    }
}
