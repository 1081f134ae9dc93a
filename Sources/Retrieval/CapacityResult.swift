/// The outcome of one (similarity, separation, K) cell of a ``CapacityExperiment``.
public struct CapacityResult: Sendable, Hashable, CustomStringConvertible {
    /// The similarity function.
    public let similarity: Similarity
    /// The separation function.
    public let separation: Separation
    /// The number of stored memories `K`.
    public let memoryCount: Int
    /// The number of queries per block (`min(K, maxQueries)`).
    public let queriesPerBlock: Int
    /// The fraction of correct retrievals in each block.
    public let fractions: [Double]

    /// Creates a result from the per-block fractions.
    public init(similarity: Similarity, separation: Separation, memoryCount: Int, queriesPerBlock: Int, fractions: [Double]) {
        self.similarity = similarity
        self.separation = separation
        self.memoryCount = memoryCount
        self.queriesPerBlock = queriesPerBlock
        self.fractions = fractions
    }

    /// The mean fraction correct over the blocks.
    public var mean: Double { fractions.isEmpty ? 0 : fractions.reduce(0, +) / Double(fractions.count) }

    /// The population standard deviation over the blocks,
    ///
    /// ```
    /// σ = √( Σ_r (f_r − mean)² / R )
    /// ```
    ///
    /// (NumPy's default `np.std`, `ddof = 0`).
    public var standardDeviation: Double {
        guard !fractions.isEmpty else { return 0 }
        let m = mean
        return (fractions.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(fractions.count)).squareRoot()
    }

    public var description: String {
        "\(similarity) \(separation) K=\(memoryCount): \(mean) ± \(standardDeviation)"
    }
}
