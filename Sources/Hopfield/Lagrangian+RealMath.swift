#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The elementary functions the Lagrangian kernels use, under names that do not collide with the
/// `Lagrangian.exp` and `Lagrangian.tanh` cases (inside an extension of `Lagrangian` an unqualified
/// `exp(_:)` would resolve to the case constructor).
@usableFromInline
enum RealMath {
    /// `eˣ` (C `exp`); `+∞` for `x > log(Double.greatestFiniteMagnitude) ≈ 709.78`.
    @inlinable @inline(__always)
    static func exponential(_ x: Double) -> Double { exp(x) }

    /// `eˣ − 1`, accurate for small `x` (C `expm1`).
    @inlinable @inline(__always)
    static func exponentialMinusOne(_ x: Double) -> Double { expm1(x) }

    /// The natural logarithm (C `log`).
    @inlinable @inline(__always)
    static func logarithm(_ x: Double) -> Double { log(x) }

    /// `log(1 + x)`, accurate for small `x` (C `log1p`).
    @inlinable @inline(__always)
    static func logOnePlus(_ x: Double) -> Double { log1p(x) }

    /// The hyperbolic tangent (C `tanh`).
    @inlinable @inline(__always)
    static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }

    /// The hyperbolic sine (C `sinh`).
    @inlinable @inline(__always)
    static func hyperbolicSine(_ x: Double) -> Double { sinh(x) }

    /// `xʸ` (C `pow`).
    @inlinable @inline(__always)
    static func power(_ x: Double, _ y: Double) -> Double { pow(x, y) }

    /// `log 2`.
    @usableFromInline
    static let logTwo = 0.693_147_180_559_945_309_417_232_121_458_176_568
}
