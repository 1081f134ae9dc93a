import Foundation

/// The random projection `S ∈ R^{Y×D}` and phases `b ∈ R^Y` of a random-feature memory, immutable and
/// shared between a model, its copies and its evaluators.
///
/// Seeded matrices are drawn from the project's ``SplitMix64`` so that every entry can be produced on
/// its own (a process holding a block of features regenerates only its rows, docs/math.md §9):
///
///     S[i, j] = the float32 rounding of SplitMix64(seed: seed &+ 2(iD + j)·γ).nextGaussian()
///     b[i]    = 2π · SplitMix64(seed: seed &+ (2YD + i)·γ).nextUniform()
///
/// with `γ = 0x9E3779B97F4A7C15` (the generator's increment): entry `k` of `S` in row-major order is
/// the `k`-th normal of one stream started at `seed` (Box–Muller, two draws per normal, one of the pair
/// kept) and the phases follow the last normal. Seeded entries are held as `Float` (4 bytes: 627 MB at
/// Y = 2·10⁵, D = 784 instead of 1.25 GB) and converted to `Double` a block of rows at a time, so every
/// product is computed in double precision and the model is exactly defined by the rounded values.
/// Explicit matrices are held as given, in `Double`.
public final class RandomFeatureMatrix: Sendable {
    /// The number of features `Y`.
    public let features: Int
    /// The input dimension `D`.
    public let dimension: Int
    /// The phases `b` (`Y` entries; all zero when none were given).
    public let phases: [Double]
    /// The seed, for seeded matrices.
    public let seed: UInt64?
    let single: [Float]
    let double: [Double]

    /// The generator increment: SplitMix64's state after `k` draws from `seed` is `seed &+ k·γ`.
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Draws a seeded matrix (see the type's documentation for the exact transform).
    ///
    /// - Parameters:
    ///   - features: `Y > 0`.
    ///   - dimension: `D > 0`.
    ///   - seed: the generator's seed.
    public init(features: Int, dimension: Int, seed: UInt64) {
        self.features = features
        self.dimension = dimension
        self.seed = seed
        let count = features * dimension
        var s = [Float](repeating: 0, count: count)
        s.withUnsafeMutableBufferPointer { buffer in
            var rng = SplitMix64(seed: seed)
            for k in 0 ..< count { buffer[k] = Float(rng.nextGaussian()) }
        }
        var rng = SplitMix64(seed: seed &+ UInt64(2 * count) &* Self.increment)
        phases = (0 ..< features).map { _ in 2 * Double.pi * rng.nextUniform() }
        single = s
        double = []
    }

    /// Wraps an explicit projection.
    ///
    /// - Parameters:
    ///   - projection: `S`, row-major `[features, dimension]`.
    ///   - phases: `b`, `features` entries, or empty for zero phases.
    ///   - features: `Y`, the rows of `projection`.
    ///   - dimension: `D`, its columns.
    public init(projection: [Double], phases: [Double], features: Int, dimension: Int) {
        precondition(projection.count == features * dimension && (phases.isEmpty || phases.count == features))
        self.features = features
        self.dimension = dimension
        self.seed = nil
        self.phases = phases.isEmpty ? [Double](repeating: 0, count: features) : phases
        single = []
        double = projection
    }

    /// The rows `rows` of `source` (with their phases): a process's block of the features.
    init(block source: RandomFeatureMatrix, rows: Range<Int>) {
        features = rows.count
        dimension = source.dimension
        seed = source.seed
        phases = Array(source.phases[rows])
        let d = source.dimension
        single = source.single.isEmpty ? [] : Array(source.single[rows.lowerBound * d ..< rows.upperBound * d])
        double = source.double.isEmpty ? [] : Array(source.double[rows.lowerBound * d ..< rows.upperBound * d])
    }

    /// Whether the entries are held in single precision (seeded matrices).
    public var isSinglePrecision: Bool { !single.isEmpty }

    /// Entry `(i, j)` of `S` as a `Double`.
    public subscript(i: Int, j: Int) -> Double {
        isSinglePrecision ? Double(single[i * dimension + j]) : double[i * dimension + j]
    }

    /// `S` as a row-major `[Y, D]` array of doubles (allocates `Y·D` doubles; for files and tests).
    public var projection: [Double] { isSinglePrecision ? single.map(Double.init) : double }

    /// The rows `start ..< start + count` of `S` as doubles, row-major `[count, D]`: a pointer into
    /// the storage (double) or into `workspace` after conversion (single; `workspace` holds at least
    /// `count·D` doubles). Allocates nothing.
    func withRows<R>(
        _ start: Int, _ count: Int, workspace: UnsafeMutablePointer<Double>,
        _ body: (UnsafePointer<Double>) -> R
    ) -> R {
        let d = dimension
        if isSinglePrecision {
            single.withUnsafeBufferPointer { s in
                let base = s.baseAddress! + start * d
                for k in 0 ..< count * d { workspace[k] = Double(base[k]) }
            }
            return body(UnsafePointer(workspace))
        }
        return double.withUnsafeBufferPointer { body($0.baseAddress! + start * d) }
    }
}
