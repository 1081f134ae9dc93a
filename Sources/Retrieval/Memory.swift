import LinearAlgebra

/// A Universal Hopfield Network memory (Millidge et al. 2022; docs/math.md §4): stored patterns `M` and a
/// projection `P`, retrieving in one shot
///
/// ```
/// z = P · sep(sim(M, q))
/// ```
///
/// `M` is `K × d` (row μ is memory `m_μ`), `P` is `d_out × K` (`nil` means `P = Mᵀ`,
/// auto-association). Queries come in batches: `Q` is `B × d`, the output `Z` is `B × d_out`, both
/// row-major.
public struct Memory: Sendable, Equatable {
    /// The number of stored patterns `K`.
    public let count: Int
    /// The pattern dimension `d`.
    public let dimension: Int
    /// The stored patterns, `K × d` row-major.
    public let memories: [Double]
    /// The projection, `d_out × K` row-major; `nil` for auto-association (`P = Mᵀ`).
    public let projection: [Double]?
    /// The output dimension `d_out` (`d` for auto-association).
    public let outputDimension: Int

    /// Creates a memory.
    ///
    /// - Parameters:
    ///   - memories: `count × dimension` values, row-major (row μ is `m_μ`).
    ///   - count: the number of patterns `K ≥ 1`.
    ///   - dimension: the pattern dimension `d ≥ 1`.
    ///   - projection: `outputDimension × count` values, row-major, or `nil` for `P = Mᵀ`.
    ///   - outputDimension: `d_out`, required with a projection.
    /// - Throws: ``RetrievalError/invalidShape(_:)`` for sizes that do not agree and
    ///   ``RetrievalError/domain(_:)`` for a non-finite entry.
    public init(
        memories: [Double], count: Int, dimension: Int, projection: [Double]? = nil, outputDimension: Int? = nil
    ) throws(RetrievalError) {
        guard count >= 1, dimension >= 1 else {
            throw .invalidShape("a memory needs count ≥ 1 and dimension ≥ 1, got \(count) × \(dimension)")
        }
        guard memories.count == count * dimension else {
            throw .invalidShape("memories has \(memories.count) entries, expected \(count) × \(dimension)")
        }
        if let bad = memories.firstIndex(where: { !$0.isFinite }) {
            throw .domain("memory \(bad / dimension) has a non-finite entry \(memories[bad]) at \(bad % dimension)")
        }
        if let projection {
            guard let outputDimension, outputDimension >= 1 else {
                throw .invalidShape("a projection needs outputDimension ≥ 1")
            }
            guard projection.count == outputDimension * count else {
                throw .invalidShape(
                    "projection has \(projection.count) entries, expected \(outputDimension) × \(count)")
            }
            if let bad = projection.firstIndex(where: { !$0.isFinite }) {
                throw .domain("projection entry \(bad) is not finite (\(projection[bad]))")
            }
            self.outputDimension = outputDimension
        } else {
            if let outputDimension, outputDimension != dimension {
                throw .invalidShape("without a projection the output dimension is \(dimension), got \(outputDimension)")
            }
            self.outputDimension = dimension
        }
        self.count = count
        self.dimension = dimension
        self.memories = memories
        self.projection = projection
    }

    /// Creates an auto-associative memory from a list of patterns of equal length.
    ///
    /// - Throws: ``RetrievalError/invalidShape(_:)`` for an empty list or unequal lengths.
    public init(patterns: [[Double]]) throws(RetrievalError) {
        guard let first = patterns.first else { throw .invalidShape("no patterns") }
        if let bad = patterns.firstIndex(where: { $0.count != first.count }) {
            throw .invalidShape("pattern \(bad) has \(patterns[bad].count) entries, pattern 0 has \(first.count)")
        }
        try self.init(memories: patterns.flatMap { $0 }, count: patterns.count, dimension: first.count)
    }

    // MARK: Retrieval

    /// Retrieves a batch of queries in one shot:
    ///
    /// ```
    /// Z[b, :] = P · sep(sim(M, q_b))
    /// ```
    ///
    /// The similarities of the whole batch come from one GEMM where they factor (see ``Similarity``),
    /// the separation runs row by row in parallel, and the projection is one more GEMM.
    ///
    /// - Parameters:
    ///   - queries: `batch × dimension` values, row-major.
    ///   - batch: the number of queries `B ≥ 0`.
    ///   - similarity: the similarity function.
    ///   - separation: the separation function.
    ///   - options: distance convention, normalisations, ε, threads.
    /// - Returns: `batch × outputDimension` values, row-major.
    /// - Throws: ``RetrievalError`` for wrong shapes, invalid parameters or combinations (threshold with
    ///   a non-distance similarity, similarity normalisation with negative distances) and data outside
    ///   the domain of the similarity or separation.
    public func retrieve(
        queries: [Double], batch: Int, similarity: Similarity, separation: Separation,
        options: RetrievalOptions = RetrievalOptions()
    ) throws(RetrievalError) -> [Double] {
        let w = try weights(queries: queries, batch: batch, similarity: similarity, separation: separation, options: options)
        return project(w, batch: batch)
    }

    /// `Z = W Pᵀ` (or `W M` for auto-association) for the `batch × count` weights `w`.
    func project(_ w: [Double], batch: Int) -> [Double] {
        var z = [Double](repeating: 0, count: batch * outputDimension)
        guard batch > 0 else { return z }
        let (k, d) = (count, dimension)
        w.withUnsafeBufferPointer { wp in
            z.withUnsafeMutableBufferPointer { zp in
                if let projection {  // Z = W Pᵀ, P is d_out × K
                    projection.withUnsafeBufferPointer { pp in
                        BLAS.gemm(transposeB: true, m: batch, n: outputDimension, k: k, wp.baseAddress!, lda: k,
                                  pp.baseAddress!, ldb: k, zp.baseAddress!, ldc: outputDimension)
                    }
                } else {  // Z = W M
                    memories.withUnsafeBufferPointer { mp in
                        BLAS.gemm(m: batch, n: d, k: k, wp.baseAddress!, lda: k, mp.baseAddress!, ldb: d,
                                  zp.baseAddress!, ldc: d)
                    }
                }
            }
        }
        return z
    }

    /// Retrieves a single query; see ``retrieve(queries:batch:similarity:separation:options:)``.
    public func retrieve(
        _ query: [Double], similarity: Similarity, separation: Separation,
        options: RetrievalOptions = RetrievalOptions()
    ) throws(RetrievalError) -> [Double] {
        try retrieve(queries: query, batch: 1, similarity: similarity, separation: separation, options: options)
    }

    /// The similarity scores `S[b, μ] = sim(m_μ, q_b)` (`batch × count`), distances already turned into
    /// scores by the distance convention, before any normalisation.
    ///
    /// - Throws: as ``retrieve(queries:batch:similarity:separation:options:)``.
    public func scores(
        queries: [Double], batch: Int, similarity: Similarity, options: RetrievalOptions = RetrievalOptions()
    ) throws(RetrievalError) -> [Double] {
        var r = try raw(queries: queries, batch: batch, similarity: similarity, options: options)
        if similarity.isDistance {
            let convention = options.convention
            for i in r.indices { r[i] = convention.score(distance: r[i]) }
        }
        return r
    }

    /// The separated weights `W[b, :] = sep(sim(M, q_b))` (`batch × count`) that
    /// ``retrieve(queries:batch:similarity:separation:options:)`` multiplies by the projection.
    ///
    /// - Throws: as ``retrieve(queries:batch:similarity:separation:options:)``.
    public func weights(
        queries: [Double], batch: Int, similarity: Similarity, separation: Separation,
        options: RetrievalOptions = RetrievalOptions()
    ) throws(RetrievalError) -> [Double] {
        try weights(queries: queries, batch: batch, similarity: similarity, separation: separation, options: options, firstQuery: 0)
    }

    /// ``weights(queries:batch:similarity:separation:options:)`` for a block of a larger batch whose first
    /// query is number `firstQuery` there (the messages name queries by their number in the whole batch).
    func weights(
        queries: [Double], batch: Int, similarity: Similarity, separation: Separation,
        options: RetrievalOptions, firstQuery: Int
    ) throws(RetrievalError) -> [Double] {
        let (isThreshold, normalizeSimilarity, normalizeSeparation) = try Self.checkCombination(
            similarity: similarity, separation: separation, options: options)
        var r = try raw(queries: queries, batch: batch, similarity: similarity, options: options, firstQuery: firstQuery)
        guard batch > 0 else { return r }
        let k = count
        let convert = similarity.isDistance && !isThreshold
        let convention = options.convention
        // Per query: 0 = fine, 1 = similarity sum not usable, 2 = separation domain; and the memory index.
        var failure = [Int](repeating: 0, count: 2 * batch)
        r.withUnsafeMutableBufferPointer { rb in
            failure.withUnsafeMutableBufferPointer { fb in
                let rp = SharedPointer(rb.baseAddress!)
                let fp = SharedPointer(fb.baseAddress!)
                parallelChunks(count: batch, threads: options.threadCount, costPerItem: 8 * k, minimumChunk: 16) { range in
                    for b in range {
                        let row = UnsafeMutableBufferPointer(start: rp.base + b * k, count: k)
                        if convert { for i in 0 ..< k { row[i] = convention.score(distance: row[i]) } }
                        if normalizeSimilarity {
                            let sum = row.reduce(0, +)
                            guard sum.isFinite, sum != 0 else {
                                fp.base[2 * b] = 1
                                continue
                            }
                            for i in 0 ..< k { row[i] /= sum }
                        }
                        if let bad = separation.apply(row) {
                            fp.base[2 * b] = 2
                            fp.base[2 * b + 1] = bad
                            continue
                        }
                        if normalizeSeparation {
                            let sum = row.reduce(0, +)
                            if sum.isFinite, sum != 0 { for i in 0 ..< k { row[i] /= sum } }
                        }
                    }
                }
            }
        }
        for b in 0 ..< batch where failure[2 * b] != 0 {
            if failure[2 * b] == 1 {
                throw .domain("the \(similarity) scores of query \(firstQuery + b) sum to 0 or a non-finite value; cannot normalise them")
            }
            throw .domain(
                "separation \(separation) is undefined at the score of memory \(failure[2 * b + 1]) for query \(firstQuery + b)"
                    + (similarity.isDistance && convention == .negative ? " (use the inverse distance convention)" : ""))
        }
        return r
    }

    /// The checks of the separation and of its combination with the similarity and the normalisations.
    ///
    /// - Returns: whether the separation is the threshold, and which normalisations apply.
    static func checkCombination(
        similarity: Similarity, separation: Separation, options: RetrievalOptions
    ) throws(RetrievalError) -> (isThreshold: Bool, normalizeSimilarity: Bool, normalizeSeparation: Bool) {
        try separation.validate()
        let isThreshold: Bool
        if case .threshold = separation { isThreshold = true } else { isThreshold = false }
        if isThreshold && !similarity.isDistance {
            throw .invalidParameter(
                "separation threshold needs a distance similarity (hamming for SDM), got \(similarity)")
        }
        // Threshold acts on the distances themselves, so there are no scores to normalise.
        let normalizeSimilarity = options.normalization.contains(.similarity) && !isThreshold
        let normalizeSeparation = options.normalization.contains(.separation)
        if normalizeSimilarity && similarity.isDistance && options.convention == .negative {
            throw .invalidParameter(
                "normalising \(similarity) scores to sum 1 needs the inverse distance convention (−d sums to a negative number)")
        }
        return (isThreshold, normalizeSimilarity, normalizeSeparation)
    }

    /// Every check of ``weights(queries:batch:similarity:separation:options:)`` that does not depend on
    /// the separated weights, on the whole batch and in the same order: what is left to fail afterwards
    /// are the per-query normalisation and separation checks, which fail at the first bad query.
    func checkBatch(
        queries: [Double], batch: Int, similarity: Similarity, separation: Separation, options: RetrievalOptions
    ) throws(RetrievalError) {
        _ = try Self.checkCombination(similarity: similarity, separation: separation, options: options)
        try checkQueries(queries, batch: batch)
        guard batch > 0 else { return }
        try memories.withUnsafeBufferPointer { (mp) throws(RetrievalError) in
            try queries.withUnsafeBufferPointer { (qp) throws(RetrievalError) in
                try SimilarityKernels.checkDomain(
                    similarity, memories: mp.baseAddress!, count: count, queries: qp.baseAddress!, batch: batch,
                    dimension: dimension, options: options)
            }
        }
    }

    /// The batch size, the queries' length and finiteness.
    func checkQueries(_ queries: [Double], batch: Int, firstQuery: Int = 0) throws(RetrievalError) {
        guard batch >= 0 else { throw .invalidShape("batch must be ≥ 0, got \(batch)") }
        guard queries.count == batch * dimension else {
            throw .invalidShape("queries has \(queries.count) entries, expected batch \(batch) × dimension \(dimension)")
        }
        if let bad = queries.firstIndex(where: { !$0.isFinite }) {
            throw .domain("query \(firstQuery + bad / dimension) has a non-finite entry \(queries[bad]) at \(bad % dimension)")
        }
    }

    /// The raw `batch × count` matrix: similarities, or distances for distance similarities.
    func raw(
        queries: [Double], batch: Int, similarity: Similarity, options: RetrievalOptions, firstQuery: Int = 0
    ) throws(RetrievalError) -> [Double] {
        try checkQueries(queries, batch: batch, firstQuery: firstQuery)
        var r = [Double](repeating: 0, count: batch * count)
        guard batch > 0 else { return r }
        let (k, d) = (count, dimension)
        try r.withUnsafeMutableBufferPointer { (rp) throws(RetrievalError) in
            try memories.withUnsafeBufferPointer { (mp) throws(RetrievalError) in
                try queries.withUnsafeBufferPointer { (qp) throws(RetrievalError) in
                    try SimilarityKernels.raw(
                        similarity, memories: mp.baseAddress!, count: k, queries: qp.baseAddress!, batch: batch,
                        dimension: d, options: options, into: rp.baseAddress!, firstQuery: firstQuery)
                }
            }
        }
        return r
    }
}
