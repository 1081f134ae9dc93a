/// A connection from a pre layer P to a post layer Q.
///
/// A dense synapse has weights `W ∈ R^{n_Q × n_P}` (row-major: `W[q * n_P + p]`), contributes
/// `−g_Qᵀ W g_P` to the energy, `W g_P` to the input of Q and `Wᵀ g_Q` to the input of P.
public struct Synapse: Sendable, Hashable {
    /// The kinds of synapses.
    public enum Kind: Sendable, Hashable {
        /// Dense weights, row-major `[post size, pre size]`.
        case dense(weights: [Double])
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

    /// The name of the synapse type in network files.
    public var typeName: String {
        switch kind {
        case .dense: "dense"
        }
    }
}
