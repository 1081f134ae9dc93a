import Hopfield

/// How a stored image is corrupted into a query in the capacity protocol (docs/math.md §4).
///
/// ```
/// gaussianNoise(σ)       x_j ← clamp(x_j + σ n_j, 0, 1),  n_j ~ N(0, 1)
/// halfMask               rows ⌊H/2⌋ ..< H set to 0 (the bottom half; = maskFraction(0.5))
/// maskFraction(f)        rows ⌊H (1 − f)⌋ ..< H set to 0 (the bottom fraction f of the rows)
/// randomPixelMask(p)     each pixel set to 0 with probability p
/// ```
///
/// The row arithmetic follows the authors' `mask_continuous_img` (`int(H * (1 − f))`). The authors'
/// Gaussian noise is `clamp(|x + σn|, 0, 1)`; the absolute value changes nothing after clamping
/// except that negative values become their magnitude instead of 0 — we clamp only, as docs/math.md §4 states.
/// The random corruptions draw from a `SplitMix64` seeded per image (see
/// ``apply(to:rows:columns:seed:)``), so a corruption is reproducible and independent of batching.
public enum Corruption: Sendable, Hashable, CustomStringConvertible {
    /// Additive Gaussian noise of standard deviation σ, clamped to `[0, 1]`.
    case gaussianNoise(sigma: Double)
    /// The bottom half of the rows set to 0 (deterministic).
    case halfMask
    /// The bottom fraction `f ∈ [0, 1]` of the rows set to 0 (deterministic).
    case maskFraction(Double)
    /// Every pixel independently set to 0 with probability `p ∈ [0, 1]`.
    case randomPixelMask(probability: Double)

    /// The names accepted by ``init(name:parameter:)``.
    public static let names = ["gaussian", "half", "mask-fraction", "random-mask"]

    /// Parses a name with its parameter: `gaussian` (σ), `half`, `mask-fraction` (f), `random-mask` (p).
    ///
    /// - Throws: ``DatasetError/unknownName(kind:name:valid:)`` or, for a missing or invalid
    ///   parameter, ``DatasetError/invalidParameter(_:)``.
    public init(name: String, parameter: Double? = nil) throws(DatasetError) {
        let key = String(name.lowercased().filter { !"-_ ".contains($0) })
        func needed() throws(DatasetError) -> Double {
            guard let parameter else { throw .invalidParameter("corruption \(name) needs a parameter") }
            return parameter
        }
        switch key {
        case "gaussian", "gaussiannoise", "noise": self = .gaussianNoise(sigma: try needed())
        case "half", "halfmask": self = .halfMask
        case "maskfraction", "mask", "fraction": self = .maskFraction(try needed())
        case "randommask", "randompixelmask", "pixelmask": self = .randomPixelMask(probability: try needed())
        default: throw .unknownName(kind: "corruption", name: name, valid: Self.names)
        }
        try validate()
    }

    /// Checks the parameter: σ finite and ≥ 0, f and p in `[0, 1]`.
    ///
    /// - Throws: ``DatasetError/invalidParameter(_:)``.
    public func validate() throws(DatasetError) {
        switch self {
        case .gaussianNoise(let sigma) where !(sigma.isFinite && sigma >= 0):
            throw .invalidParameter("Gaussian noise σ must be finite and ≥ 0, got \(sigma)")
        case .maskFraction(let f) where !(f >= 0 && f <= 1):
            throw .invalidParameter("mask fraction must be in [0, 1], got \(f)")
        case .randomPixelMask(let p) where !(p >= 0 && p <= 1):
            throw .invalidParameter("pixel mask probability must be in [0, 1], got \(p)")
        default: return
        }
    }

    /// Whether the corruption draws random numbers.
    public var isRandom: Bool {
        switch self {
        case .gaussianNoise, .randomPixelMask: return true
        case .halfMask, .maskFraction: return false
        }
    }

    public var description: String {
        switch self {
        case .gaussianNoise(let sigma): return "gaussian(σ=\(compact(sigma)))"
        case .halfMask: return "half"
        case .maskFraction(let f): return "mask-fraction(\(compact(f)))"
        case .randomPixelMask(let p): return "random-mask(p=\(compact(p)))"
        }
    }

    /// The first masked row of an image with `rows` rows (`rows` when nothing is masked).
    public func firstMaskedRow(rows: Int) -> Int {
        switch self {
        case .halfMask: return Corruption.maskFraction(0.5).firstMaskedRow(rows: rows)
        case .maskFraction(let f): return Swift.max(0, Swift.min(rows, Int((Double(rows) * (1 - f)).rounded(.down))))
        default: return rows
        }
    }

    /// The seed of the generator that corrupts image `index` of an experiment seeded with `seed`.
    public static func imageSeed(_ seed: UInt64, index: Int) -> UInt64 {
        var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        return mixer.next()
    }

    /// Corrupts one image in place.
    ///
    /// - Parameters:
    ///   - image: `rows × columns` pixels, row-major.
    ///   - rows: the number of pixel rows `H`.
    ///   - columns: the number of pixel columns `W`.
    ///   - seed: the seed of the `SplitMix64` drawing the random numbers (ignored by the masks).
    /// - Throws: ``DatasetError/invalidShape(_:)`` when `image.count ≠ rows · columns`, and
    ///   ``DatasetError/invalidParameter(_:)`` for an invalid parameter.
    public func apply(to image: inout [Double], rows: Int, columns: Int, seed: UInt64) throws(DatasetError) {
        try validate()
        guard rows >= 0, columns >= 0, image.count == rows * columns else {
            throw .invalidShape("image has \(image.count) pixels, expected \(rows) × \(columns)")
        }
        var generator = SplitMix64(seed: seed)
        image.withUnsafeMutableBufferPointer { apply($0, rows: rows, columns: columns, generator: &generator) }
    }

    /// Corrupts one image in place, drawing from `generator` (the parameters must be valid: see
    /// ``validate()``; `x` holds `rows × columns` pixels).
    ///
    /// - Parameters:
    ///   - x: The pixels, row-major.
    ///   - rows: The number of pixel rows `H`.
    ///   - columns: The number of pixel columns `W`.
    ///   - generator: The generator of the random corruptions (untouched by the masks).
    public func apply(_ x: UnsafeMutableBufferPointer<Double>, rows: Int, columns: Int, generator: inout SplitMix64) {
        switch self {
        case .gaussianNoise(let sigma):
            for j in 0 ..< x.count { x[j] = Swift.min(1, Swift.max(0, x[j] + sigma * generator.nextGaussian())) }
        case .halfMask, .maskFraction:
            for j in firstMaskedRow(rows: rows) * columns ..< rows * columns { x[j] = 0 }
        case .randomPixelMask(let p):
            for j in 0 ..< x.count where generator.nextUniform() < p { x[j] = 0 }
        }
    }
}
