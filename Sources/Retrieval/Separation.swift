import Foundation

/// The separation function `sep` applied to the vector of similarity scores `s ∈ R^K` (docs/math.md §4).
///
/// ```
/// identity        w = s
/// power(p)        w_μ = s_μ^p            (square p = 2, cube p = 3, …; a negative s needs an integer p)
/// sqrt            w_μ = √s_μ             (s ≥ 0)
/// log             w_μ = log s_μ          (s > 0)
/// softmax(β)      w_μ = exp(β s_μ) / Σ_ν exp(β s_ν)
/// max             w = e_{argmax s}       (one-hot; ties go to the first index, NaN never wins)
/// threshold(r)    w_μ = 1[d_μ ≤ r]       (on the distance d itself, not on the score)
/// ```
///
/// `threshold` with ``Similarity/hamming`` is Kanerva's sparse distributed memory (every memory within
/// Hamming radius `r` of the query votes with weight 1); it needs a distance similarity. Power, sqrt and
/// log only make sense for positive scores: with a distance similarity use
/// ``DistanceConvention/inverse``; a score outside their domain throws ``RetrievalError/domain(_:)``.
public enum Separation: Sendable, Hashable, CustomStringConvertible {
    /// `w = s`.
    case identity
    /// `w_μ = s_μ^p`.
    case power(Double)
    /// `w_μ = √s_μ`.
    case sqrt
    /// `w_μ = log s_μ`.
    case log
    /// `w = softmax(β s)`.
    case softmax(beta: Double)
    /// One-hot at the largest score.
    case max
    /// `w_μ = 1[d_μ ≤ radius]` on the distance of a distance similarity.
    case threshold(radius: Double)

    /// `power(2)`.
    public static let square = Separation.power(2)
    /// `power(3)`.
    public static let cube = Separation.power(3)

    /// The names accepted by ``init(name:beta:power:radius:)``.
    public static let names = ["identity", "square", "cube", "power", "sqrt", "log", "softmax", "max", "threshold"]

    /// Parses a name with its parameter: `identity`, `square`, `cube`, `power` (needs `power`), `sqrt`,
    /// `log`, `softmax` (uses `beta`), `max`, `threshold` (needs `radius`; `sdm` is accepted too).
    ///
    /// - Parameters:
    ///   - name: the separation name (case-insensitive).
    ///   - beta: the inverse temperature of `softmax`.
    ///   - power: the exponent of `power`.
    ///   - radius: the radius of `threshold`.
    /// - Throws: ``RetrievalError/unknownName(kind:name:valid:)`` for an unknown name, and
    ///   ``RetrievalError/invalidParameter(_:)`` for a missing or invalid parameter.
    public init(name: String, beta: Double = 1, power: Double? = nil, radius: Double? = nil) throws(RetrievalError) {
        switch name.lowercased() {
        case "identity", "linear", "id": self = .identity
        case "square": self = .square
        case "cube": self = .cube
        case "power", "poly", "polynomial":
            guard let power else { throw .invalidParameter("separation power needs an exponent (power)") }
            self = .power(power)
        case "sqrt": self = .sqrt
        case "log": self = .log
        case "softmax": self = .softmax(beta: beta)
        case "max", "argmax": self = .max
        case "threshold", "sdm":
            guard let radius else { throw .invalidParameter("separation threshold needs a radius") }
            self = .threshold(radius: radius)
        default:
            throw .unknownName(kind: "separation", name: name, valid: Self.names)
        }
        try validate()
    }

    /// Checks the parameter: finite exponent and β, finite non-negative radius.
    ///
    /// - Throws: ``RetrievalError/invalidParameter(_:)``.
    public func validate() throws(RetrievalError) {
        switch self {
        case .power(let p) where !p.isFinite: throw .invalidParameter("power exponent must be finite, got \(p)")
        case .softmax(let beta) where !beta.isFinite: throw .invalidParameter("softmax β must be finite, got \(beta)")
        case .threshold(let r) where !(r.isFinite && r >= 0):
            throw .invalidParameter("threshold radius must be finite and ≥ 0, got \(r)")
        default: return
        }
    }

    public var description: String {
        switch self {
        case .identity: return "identity"
        case .power(2): return "square"
        case .power(3): return "cube"
        case .power(let p): return "power(\(compact(p)))"
        case .sqrt: return "sqrt"
        case .log: return "log"
        case .softmax(let beta): return "softmax(β=\(compact(beta)))"
        case .max: return "max"
        case .threshold(let r): return "threshold(r=\(compact(r)))"
        }
    }

    /// Applies the separation in place to one row of scores (or of distances for `threshold`).
    ///
    /// - Returns: `nil`, or the index of the first score outside the domain of power, sqrt or log.
    func apply(_ row: UnsafeMutableBufferPointer<Double>) -> Int? {
        let n = row.count
        switch self {
        case .identity:
            return nil
        case .power(let p):
            let integral = p == p.rounded()
            for i in 0 ..< n {
                let s = row[i]
                if s < 0 && !integral { return i }
                row[i] = p == 2 ? s * s : (p == 3 ? s * s * s : Foundation.pow(s, p))
            }
            return nil
        case .sqrt:
            for i in 0 ..< n {
                if !(row[i] >= 0) { return i }
                row[i] = row[i].squareRoot()
            }
            return nil
        case .log:
            for i in 0 ..< n {
                if !(row[i] > 0) { return i }
                row[i] = Foundation.log(row[i])
            }
            return nil
        case .softmax(let beta):
            var top = -Double.infinity
            for i in 0 ..< n where beta * row[i] > top { top = beta * row[i] }
            var sum = 0.0
            for i in 0 ..< n {
                let e = Foundation.exp(beta * row[i] - top)
                row[i] = e
                sum += e
            }
            if sum > 0 { for i in 0 ..< n { row[i] /= sum } }
            return nil
        case .max:
            var best = 0
            var top = -Double.infinity
            var found = false
            for i in 0 ..< n where row[i] > top || (!found && row[i] == top) {
                top = row[i]
                best = i
                found = true
            }
            for i in 0 ..< n { row[i] = 0 }
            if n > 0 { row[best] = 1 }
            return nil
        case .threshold(let radius):
            for i in 0 ..< n { row[i] = row[i] <= radius ? 1 : 0 }
            return nil
        }
    }
}
