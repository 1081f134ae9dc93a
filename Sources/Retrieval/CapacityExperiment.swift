import Datasets

/// The capacity protocol of Millidge et al. (2022) (docs/math.md §4): how many of K stored images are
/// retrieved from corrupted versions of themselves, for each similarity and separation.
///
/// Protocol, for every K in ``sizes`` and every block `r = 0 ..< blocks`:
///
/// ```
/// block r       = images [r · Kmax ..< (r + 1) · Kmax]          (disjoint; Kmax = max of sizes)
/// memories      = the first K images of block r                 (auto-association, P = Mᵀ)
/// queries       = corruption of memories 0 ..< min(K, maxQueries)
/// correct(x, z) = Σ_j (x_j − z_j)² ≤ threshold,  threshold = 60 · 784 / d by default
/// result        = fraction correct per block → mean ± population std over the blocks
/// ```
///
/// The memories for a smaller K are a prefix of those for a larger K in the same block, as in the
/// authors' code (`imgs[0:N]`). Every random corruption of image `i` uses a `SplitMix64` seeded with
/// `Corruption.imageSeed(_:index:)` of (``seed``, i), so a query is the same for every K and every
/// similarity and separation. The default threshold is the authors' 60 for 784-pixel images, scaled
/// by `784 / d` for other sizes.
public struct CapacityExperiment: Sendable {
    /// The sizes K of the paper: 2, 5, 10, 20, 50, 100, 200, 300, 500, 700, 1000.
    public static let defaultSizes = [2, 5, 10, 20, 50, 100, 200, 300, 500, 700, 1000]

    /// The images, pixels in `[0, 1]`.
    public let images: ImageSet
    /// The numbers of memories K to test, each ≥ 1.
    public let sizes: [Int]
    /// The number of disjoint blocks (runs), each of `max(sizes)` images.
    public let blocks: Int
    /// How memories are corrupted into queries.
    public let corruption: Corruption
    /// The seed of every random corruption.
    public let seed: UInt64
    /// At most this many queries per block (`nil` = all K memories).
    public let maxQueries: Int?
    /// The squared-error bound of a correct retrieval.
    public let errorThreshold: Double
    /// The retrieval options (distance convention, normalisation, threads).
    public let options: RetrievalOptions

    /// The size of a block, `max(sizes)`.
    public var blockSize: Int { sizes.max() ?? 0 }

    /// Creates and validates an experiment.
    ///
    /// - Parameters:
    ///   - images: the images; at least `blocks · max(sizes)` of them.
    ///   - corruption: how queries are made (default: bottom half masked).
    ///   - sizes: the numbers of memories K (default ``defaultSizes``).
    ///   - blocks: the number of disjoint blocks (default 5).
    ///   - seed: the seed of the random corruptions (default 0).
    ///   - maxQueries: cap on the queries per block (default `nil`: all K).
    ///   - errorThreshold: the bound on `Σ (x − z)²` (default `60 · 784 / d`).
    ///   - options: retrieval options (default: docs/math.md conventions).
    /// - Throws: ``RetrievalError/invalidParameter(_:)`` for empty or non-positive sizes, too few images,
    ///   an invalid corruption, a non-positive query cap or threshold.
    public init(
        images: ImageSet, corruption: Corruption = .halfMask, sizes: [Int] = CapacityExperiment.defaultSizes,
        blocks: Int = 5, seed: UInt64 = 0, maxQueries: Int? = nil, errorThreshold: Double? = nil,
        options: RetrievalOptions = RetrievalOptions()
    ) throws(RetrievalError) {
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 }) else {
            throw .invalidParameter("memory counts must be a non-empty list of integers ≥ 1, got \(sizes)")
        }
        guard blocks >= 1 else { throw .invalidParameter("blocks must be ≥ 1, got \(blocks)") }
        guard images.dimension >= 1 else { throw .invalidParameter("images have no pixels") }
        let needed = blocks * (sizes.max() ?? 0)
        guard images.count >= needed else {
            throw .invalidParameter(
                "\(blocks) blocks of \(sizes.max() ?? 0) memories need \(needed) images, got \(images.count)")
        }
        if let maxQueries, maxQueries < 1 { throw .invalidParameter("maxQueries must be ≥ 1, got \(maxQueries)") }
        do { try corruption.validate() } catch { throw RetrievalError(error) }
        let threshold = errorThreshold ?? 60 * 784 / Double(images.dimension)
        guard threshold.isFinite, threshold > 0 else {
            throw .invalidParameter("error threshold must be finite and > 0, got \(threshold)")
        }
        self.images = images
        self.sizes = sizes
        self.blocks = blocks
        self.corruption = corruption
        self.seed = seed
        self.maxQueries = maxQueries
        self.errorThreshold = threshold
        self.options = options
    }

    /// The indices of the memories for block `block` and size `size`.
    public func memoryRange(block: Int, size: Int) -> Range<Int> {
        block * blockSize ..< block * blockSize + size
    }

    /// Whether a retrieval is correct: `Σ_j (x_j − z_j)² ≤ threshold`.
    public static func isCorrect(original x: ArraySlice<Double>, retrieved z: ArraySlice<Double>, threshold: Double) -> Bool {
        var sum = 0.0
        for (a, b) in zip(x, z) { sum += (a - b) * (a - b) }
        return sum <= threshold
    }

    /// The corrupted query made from image `index` (a copy; the image set is unchanged).
    public func query(image index: Int) -> [Double] {
        var x = images.image(index)
        var generator = SplitMix64(seed: Corruption.imageSeed(seed, index: index))
        x.withUnsafeMutableBufferPointer {
            corruption.apply($0, rows: images.rows, columns: images.columns, generator: &generator)
        }
        return x
    }

    /// Runs the protocol for one similarity and separation: one result per size, in the order of ``sizes``.
    ///
    /// - Throws: ``RetrievalError`` from the retrieval (e.g. an invalid combination of options).
    public func run(similarity: Similarity, separation: Separation) throws(RetrievalError) -> [CapacityResult] {
        try run([(similarity, separation)])
    }

    /// Runs the protocol for several (similarity, separation) pairs.
    ///
    /// The corrupted queries are made once and shared by all pairs and sizes.
    ///
    /// - Parameters:
    ///   - configurations: the pairs to test, in order.
    ///   - progress: called after each finished (pair, K) cell, e.g. to print a table row.
    /// - Returns: one result per pair and size, pairs outermost.
    /// - Throws: ``RetrievalError`` from the retrieval.
    public func run(
        _ configurations: [(Similarity, Separation)], progress: ((CapacityResult) -> Void)? = nil
    ) throws(RetrievalError) -> [CapacityResult] {
        let queries = corruptedQueries()
        var results: [CapacityResult] = []
        for (similarity, separation) in configurations {
            for size in sizes {
                var fractions: [Double] = []
                for r in 0 ..< blocks {
                    let correct = try correctRetrievals(
                        similarity: similarity, separation: separation, size: size, block: r, queries: queries[r],
                        options: options)
                    fractions.append(Double(correct) / Double(queriesPerBlock(size: size)))
                }
                let result = CapacityResult(
                    similarity: similarity, separation: separation, memoryCount: size,
                    queriesPerBlock: queriesPerBlock(size: size), fractions: fractions)
                progress?(result)
                results.append(result)
            }
        }
        return results
    }

    /// The number of queries per block for `size` memories, `min(K, maxQueries)`.
    public func queriesPerBlock(size: Int) -> Int { min(size, maxQueries ?? size) }

    /// The corrupted first `min(blockSize, maxQueries)` images of every block, `queries[r]` flat.
    func corruptedQueries() -> [[Double]] {
        let queryCount = min(blockSize, maxQueries ?? blockSize)
        return (0 ..< blocks).map { r in (0 ..< queryCount).flatMap { query(image: r * blockSize + $0) } }
    }

    /// One unit of the protocol: how many of the queries of block `block` are retrieved correctly from its
    /// first `size` images.
    func correctRetrievals(
        similarity: Similarity, separation: Separation, size: Int, block r: Int, queries: [Double],
        options: RetrievalOptions
    ) throws(RetrievalError) -> Int {
        let d = images.dimension
        let n = queriesPerBlock(size: size)
        let range = memoryRange(block: r, size: size)
        let memory = try Memory(
            memories: Array(images.pixels[range.lowerBound * d ..< range.upperBound * d]), count: size, dimension: d)
        let z = try memory.retrieve(
            queries: Array(queries[0 ..< n * d]), batch: n, similarity: similarity, separation: separation,
            options: options)
        var correct = 0
        for i in 0 ..< n {
            let x = memory.memories[i * d ..< (i + 1) * d]
            if Self.isCorrect(original: x, retrieved: z[i * d ..< (i + 1) * d], threshold: errorThreshold) {
                correct += 1
            }
        }
        return correct
    }
}
