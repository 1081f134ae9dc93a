import Foundation
import Hopfield

/// Reproducible test data from the library's seeded ``SplitMix64``.
extension SplitMix64 {
    /// Uniform in the closed range.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }

    /// Uniform in `[a, b)`.
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { Double.random(in: a ..< b, using: &self) }

    /// Uniform in `[−1, 1)`.
    public mutating func uniform() -> Double { Double.random(in: -1 ..< 1, using: &self) }

    /// `n` numbers uniform in the closed range.
    public mutating func vector(_ n: Int, _ range: ClosedRange<Double>) -> [Double] { (0 ..< n).map { _ in uniform(range) } }

    /// A standard normal number (Box–Muller on `u1 ∈ [ε, 1]`, `u2 ∈ [0, 1]`; the cosine branch).
    public mutating func normal() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne ... 1, using: &self)
        let u2 = Double.random(in: 0 ... 1, using: &self)
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
    }
}
