/// Networks that are built the same way in many places.
extension Network {
    /// The two-layer modern (Krotov–Hopfield) associative memory: an identity feature layer, a softmax
    /// memory layer, and one synapse from the features to the memories holding the K stored patterns.
    ///
    /// ```
    /// v: identity, shape featureShape (d units), τ_v = tauFeatures      L_v = ½ Σ_i v_i²
    /// h: softmax(β), K = memories.count / d units, τ_h = tauMemories    L_h = (1/β) log Σ_μ exp(β h_μ)
    /// synapse v → h: dense (weights ξ [K, d]) or similarity (memories ξ [K, d])
    /// τ_v v̇ = Σ_μ f_μ ∂_v s(ξ_μ, v) − v,   τ_h ḣ = s(ξ, v) − h,   f = softmax_β(h),   s(ξ_μ, v) = ξ_μ · v (dense)
    /// ```
    ///
    /// - Parameters:
    ///   - memories: The stored patterns, row-major `[K, d]` (row μ is ξ_μ).
    ///   - beta: The inverse temperature β of the softmax memory layer.
    ///   - tauFeatures: The feature layer's time constant τ_v (default 1).
    ///   - tauMemories: The memory layer's time constant τ_h.
    ///   - featureShape: The feature layer's shape (e.g. `[28, 28]`); `d` is the product.
    ///   - similarity: `nil` (the default) for a dense synapse, otherwise the similarity synapse's kind.
    ///   - featureName: The feature layer's name (default `"visible"`).
    ///   - memoryName: The memory layer's name (default `"memory"`).
    /// - Returns: The validated network; its state is `[v, h]`.
    /// - Throws: ``NetworkError`` when `memories.count` is not a positive multiple of `d`, β or a τ is
    ///   invalid, a pattern is not finite, or the names are empty or equal.
    public static func modernHopfield(
        memories: [Double], beta: Double, tauFeatures: Double = 1, tauMemories: Double, featureShape: [Int],
        similarity: SimilarityKind? = nil, featureName: String = "visible", memoryName: String = "memory"
    ) throws(NetworkError) -> Network {
        let d = featureShape.reduce(1, *)
        let count = d > 0 ? memories.count / d : 0
        let synapse: Synapse = if let similarity {
            .similarity(similarity, pre: featureName, post: memoryName, memories: memories)
        } else {
            .dense(pre: featureName, post: memoryName, weights: memories)
        }
        return try Network(
            layers: [
                Layer(name: featureName, shape: featureShape, lagrangian: .identity, tau: tauFeatures),
                Layer(name: memoryName, size: max(count, 1), lagrangian: .softmax(beta: beta), tau: tauMemories),
            ],
            synapses: [synapse])
    }
}
