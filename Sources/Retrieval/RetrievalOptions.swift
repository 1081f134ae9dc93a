import Foundation

/// Settings of a retrieval beyond the similarity and separation functions.
///
/// The defaults follow docs/math.md §4 (`z = P · sep(sim(M, q))` with `sim = −d` for distances and no
/// normalisation). The authors' code corresponds to
/// `RetrievalOptions(convention: .inverse, normalization: [.similarity, .separation])`.
public struct RetrievalOptions: Sendable, Hashable {
    /// Which normalisations to sum 1 are applied (the authors' `norm=True` applies both).
    public struct Normalization: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// `s ← s / Σ_μ s_μ` before separation. Needs a positive sum: it is refused with the
        /// `.negative` distance convention (the sum of `−d` is negative and would reverse the ranking),
        /// and a query whose scores sum to 0 or a non-finite value throws ``RetrievalError/domain(_:)``.
        public static let similarity = Normalization(rawValue: 1)
        /// `w ← w / Σ_μ w_μ` after separation (a no-op for softmax and max). Skipped for a query whose
        /// weights sum to 0 (e.g. no memory within the threshold radius: the output is then 0).
        public static let separation = Normalization(rawValue: 2)
        /// Both, as in the authors' code.
        public static let both: Normalization = [.similarity, .separation]
    }

    /// How distances become scores (default `.negative`, `s = −d`).
    public var convention: DistanceConvention
    /// Normalisations to sum 1 (default none).
    public var normalization: Normalization
    /// ε added inside the logarithms of KL and reverse KL (default `1e-4`, as in the authors' code).
    public var divergenceEpsilon: Double
    /// The cut of the Hamming binarisation `b(x) = 1[x ≥ cut]` (default 0.5: pixels in [0, 1] and
    /// ±1 patterns alike).
    public var binarizationCut: Double
    /// Threads for the row-wise loops (`nil` = every active processor). BLAS calls are made outside the
    /// parallel loops, so OpenBLAS threads never run inside them.
    public var threads: Int?

    /// Creates retrieval options; every argument has the default described on its property.
    public init(
        convention: DistanceConvention = .negative, normalization: Normalization = [],
        divergenceEpsilon: Double = 1e-4, binarizationCut: Double = 0.5, threads: Int? = nil
    ) {
        self.convention = convention
        self.normalization = normalization
        self.divergenceEpsilon = divergenceEpsilon
        self.binarizationCut = binarizationCut
        self.threads = threads
    }

    /// The options of the authors' code: inverse distances and both normalisations.
    public static let authors = RetrievalOptions(convention: .inverse, normalization: .both)

    /// The number of worker threads to use.
    var threadCount: Int { Swift.max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) }
}
