/// How a distance `d ≥ 0` becomes a similarity score (larger = more similar).
///
/// ```
/// negative:  s = −d                      (docs/math.md §4, the paper's equations)
/// inverse:   s = 1 / max(d, 1e-12)       (the authors' code; the floor guards d = 0)
/// ```
///
/// Only distance-based similarities (Euclidean, Manhattan, Hamming, KL, reverse KL, Jensen–Shannon)
/// use it; dot product and cosine similarity ignore it. Order-based separations (max, softmax,
/// threshold) work with either; power, sqrt and log need the positive scores of `.inverse`.
public enum DistanceConvention: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `s = −d` (the default).
    case negative
    /// `s = 1 / max(d, inverseFloor)`.
    case inverse

    /// The floor on `d` in the inverse convention, so that an exact match gives a large finite score.
    public static let inverseFloor = 1e-12

    /// Parses `negative` or `inverse`.
    ///
    /// - Throws: ``RetrievalError/unknownName(kind:name:valid:)`` listing the valid names.
    public init(name: String) throws(RetrievalError) {
        guard let value = DistanceConvention(rawValue: name.lowercased()) else {
            throw .unknownName(kind: "distance convention", name: name, valid: Self.allCases.map(\.rawValue))
        }
        self = value
    }

    public var description: String { rawValue }

    /// The score of distance `d`.
    @inlinable
    public func score(distance d: Double) -> Double {
        switch self {
        case .negative: return -d
        case .inverse: return 1 / max(d, Self.inverseFloor)
        }
    }
}
