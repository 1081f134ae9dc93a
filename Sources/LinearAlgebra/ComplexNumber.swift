/// A complex number `re + i·im`, as returned by the general eigenvalue solver.
public struct ComplexNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The real part.
    public var re: Double
    /// The imaginary part.
    public var im: Double

    /// Creates `re + i·im`.
    public init(re: Double, im: Double = 0) {
        self.re = re
        self.im = im
    }

    /// The modulus `|z| = sqrt(re² + im²)` (overflow-safe).
    public var magnitude: Double {
        let a = abs(re), b = abs(im)
        let big = max(a, b), small = min(a, b)
        guard big > 0, big.isFinite else { return big }
        let r = small / big
        return big * (1 + r * r).squareRoot()
    }

    /// The complex conjugate `re − i·im`.
    public var conjugate: ComplexNumber { ComplexNumber(re: re, im: -im) }

    public var description: String {
        im >= 0 ? "\(re)+\(im)i" : "\(re)\(im)i"
    }
}
