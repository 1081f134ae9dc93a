#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few libm functions the module needs, behind one import.
enum Math {
    /// Base-10 logarithm (libm `log10`); `−∞` for 0, NaN for negative input.
    static func log10(_ x: Double) -> Double {
        #if canImport(Glibc)
        Glibc.log10(x)
        #elseif canImport(Musl)
        Musl.log10(x)
        #else
        Darwin.log10(x)
        #endif
    }

    /// `10^k` for an integer exponent (libm `pow`, exact for |k| ≤ 22).
    static func pow10(_ k: Int) -> Double {
        #if canImport(Glibc)
        Glibc.pow(10.0, Double(k))
        #elseif canImport(Musl)
        Musl.pow(10.0, Double(k))
        #else
        Darwin.pow(10.0, Double(k))
        #endif
    }
}
