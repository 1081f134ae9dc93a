/// `eˣ` for many arguments at once, in a branch-free loop the compiler vectorises (libm's `exp` is a
/// scalar call, about a fifth of a softmax-heavy vector field).
///
/// Cody–Waite range reduction and a degree-13 Taylor polynomial (evaluated by Estrin's scheme):
///
///     k = round(x / ln 2),   r = (x − k ln2_hi) − k ln2_lo,   |r| ≤ ln(2)/2
///     eˣ = 2ᵏ · Σ_{j=0}^{13} rʲ / j!          (truncation < 4e-18 relative)
///
/// `round` is the `1.5 · 2⁵²` trick and `2ᵏ` is built from its bits, so the loop has no calls and
/// no branches. Accuracy: within 2 ulp of the correctly rounded value on `[−708, 709]` (tested
/// against libm). Results below `2⁻¹⁰²²` (x < −708.39) are flushed to 0 (no subnormals); x > 709.78
/// gives `+∞`; NaN gives NaN.
public enum VectorExponential {
    @usableFromInline static let log2e = 1.4426950408889634
    @usableFromInline static let ln2High = 0.693147180369123816490  // 0x3FE62E42FEE00000, exact k·ln2High for |k| < 2¹¹
    @usableFromInline static let ln2Low = 1.90821492927058770002e-10
    @usableFromInline static let shifter = 6755399441055744.0  // 1.5 · 2⁵²
    @usableFromInline static let lowest = -708.39641853226408
    @usableFromInline static let highest = 709.782712893384

    /// `eˣ` for one argument (the loop body of ``exponentials(_:count:into:)``).
    @inlinable @inline(__always)
    public static func exponential(_ x: Double) -> Double {
        let clamped = min(max(x, lowest), highest)
        let shifted = clamped * log2e + shifter
        let k = shifted - shifter
        let r = (clamped - k * ln2High) - k * ln2Low
        // Estrin's scheme: depth 6 instead of Horner's 13 dependent multiply–adds.
        let r2 = r * r
        let r4 = r2 * r2
        let r8 = r4 * r4
        let q0 = 1 + r
        let q1 = 0.5 + r * (1.0 / 6)
        let q2 = 1.0 / 24 + r * (1.0 / 120)
        let q3 = 1.0 / 720 + r * (1.0 / 5040)
        let q4 = 1.0 / 40320 + r * (1.0 / 362880)
        let q5 = 1.0 / 3628800 + r * (1.0 / 39916800)
        let q6 = 1.0 / 479001600 + r * (1.0 / 6227020800)
        let u0 = (q0 + r2 * q1) + r4 * (q2 + r2 * q3)
        let u1 = (q4 + r2 * q5) + r4 * q6
        let p = u0 + r8 * u1
        // The low bits of `shifted` hold k (two's complement); 2ᵏ = bits (k + 1023) << 52.
        // k ∈ [−1022, 1024]: k = 1024 only at the top of the range, handled as 2 · 2¹⁰²³.
        let kBits = Int64(bitPattern: shifted.bitPattern &- shifter.bitPattern)
        let half = kBits >> 1
        let scaleA = Double(bitPattern: UInt64(bitPattern: (half &+ 1023) << 52))
        let scaleB = Double(bitPattern: UInt64(bitPattern: (kBits &- half &+ 1023) << 52))
        let value = p * scaleA * scaleB
        return x < lowest ? 0 : (x > highest ? .infinity : (x.isNaN ? x : value))
    }

    /// `out[i] = e^{x[i]}` for `i < count`.
    ///
    /// - Parameters:
    ///   - x: the arguments.
    ///   - count: how many.
    ///   - out: receives the exponentials (may be `x` itself).
    @inlinable
    public static func exponentials(_ x: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
        for i in 0 ..< count { out[i] = exponential(x[i]) }
    }
}
