/// An allocation-free dense LU factorisation with partial pivoting for caller-owned, column-major buffers
/// (C functions `LAPACKE_dgetrf_work` and `LAPACKE_dgetrs_work`, i.e. LAPACK's `dgetrf` and `dgetrs`).
///
/// ```
/// P A = L U,   A X = B  ⇔  X = U⁻¹ L⁻¹ P B
/// ```
///
/// The object owns only the pivot indices for matrices of order `n`, allocated once in `init`; the
/// factors overwrite the caller's matrix buffer in place. ``factor(_:leadingDimension:)`` and
/// ``solve(_:rightHandSides:factors:leadingDimension:)`` allocate nothing, so they can run once per
/// Newton setup or per right-hand-side evaluation. Not thread-safe: use one object per solve.
public final class LUFactorization {
    /// The order `n` of the matrices this object factors.
    public let order: Int
    /// The 1-based row interchanges of the last factorisation (LAPACK's `ipiv`), `max(n, 1)` entries.
    private let pivots: UnsafeMutablePointer<LAPACKInt>
    /// `true` after a successful ``factor(_:leadingDimension:)``; a failed one resets it.
    public private(set) var isFactored = false

    /// Allocates the pivot storage for matrices of order `order`.
    ///
    /// A negative or too large order is not rejected here (so `init` cannot fail); every call to
    /// ``factor(_:leadingDimension:)`` or ``solve(_:rightHandSides:factors:leadingDimension:)`` then throws.
    /// - Parameters:
    ///   - order: The order `n ≥ 0` of the square matrices to factor.
    public init(order: Int) {
        self.order = order
        let capacity = max(1, min(order, Int(LAPACKInt.max)))
        pivots = UnsafeMutablePointer<LAPACKInt>.allocate(capacity: capacity)
        pivots.initialize(repeating: 0, count: capacity)
    }

    deinit {
        pivots.deallocate()
    }

    /// Factors `A = P L U` in place (C function `LAPACKE_dgetrf_work`, column-major).
    ///
    /// ```
    /// P A = L U,   L unit lower triangular,   U upper triangular
    /// ```
    ///
    /// On return `a` holds `L` (strictly below the diagonal) and `U`. The input is scanned for NaN and
    /// infinities first (`O(n²)`, small against the `O(n³)` factorisation). Allocates nothing.
    /// - Parameters:
    ///   - a: The column-major `n × n` matrix, entry `(i, j)` at `a[i + j·leadingDimension]`.
    ///   - leadingDimension: The column stride of `a`, at least `max(1, n)`.
    /// - Throws: ``LinearAlgebraError/singular(pivot:)`` for an exactly zero pivot `U(i, i)` (1-based,
    ///   LAPACK `info = i`), ``LinearAlgebraError/nonFiniteInput(operation:)`` for NaN or infinite entries
    ///   (LAPACK is not called), ``LinearAlgebraError/shapeMismatch(operation:detail:)`` for a bad order or
    ///   leading dimension. After any error ``isFactored`` is `false`.
    public func factor(_ a: UnsafeMutablePointer<Double>, leadingDimension: Int) throws(LinearAlgebraError) {
        isFactored = false
        let n = order
        try checkOrder("LU factor")
        guard leadingDimension >= max(1, n), leadingDimension <= Int(LAPACKInt.max) else {
            throw .shapeMismatch(
                operation: "LU factor", detail: "order \(n), leading dimension \(leadingDimension)")
        }
        for j in 0 ..< n {
            let column = a + j * leadingDimension
            for i in 0 ..< n where !column[i].isFinite { throw .nonFiniteInput(operation: "LU factor") }
        }
        if n > 0 {
            let info = LAPACK.dgetrf(n: n, a: a, lda: leadingDimension, ipiv: pivots)
            try LAPACK.check(info, routine: "dgetrf") { .singular(pivot: $0) }
        }
        isFactored = true
    }

    /// Solves `A X = B` in place with the factors of the last ``factor(_:leadingDimension:)``
    /// (C function `LAPACKE_dgetrs_work`, column-major, no transpose).
    ///
    /// ```
    /// X = A⁻¹ B = U⁻¹ L⁻¹ P B
    /// ```
    ///
    /// Allocates nothing.
    /// - Parameters:
    ///   - b: The right-hand sides, column-major `n × rightHandSides` with column stride `n`; on return `X`.
    ///   - rightHandSides: The number `k ≥ 0` of columns of `b`.
    ///   - factors: The buffer that ``factor(_:leadingDimension:)`` overwrote with `L` and `U`.
    ///   - leadingDimension: The column stride of `factors`, as passed to ``factor(_:leadingDimension:)``.
    /// - Throws: ``LinearAlgebraError/notFactored`` without a successful factorisation before,
    ///   ``LinearAlgebraError/shapeMismatch(operation:detail:)`` for a bad order, leading dimension or
    ///   column count.
    public func solve(
        _ b: UnsafeMutablePointer<Double>, rightHandSides: Int = 1,
        factors: UnsafePointer<Double>, leadingDimension: Int
    ) throws(LinearAlgebraError) {
        guard isFactored else { throw .notFactored }
        let n = order
        try checkOrder("LU solve")
        guard leadingDimension >= max(1, n), leadingDimension <= Int(LAPACKInt.max),
            rightHandSides >= 0, rightHandSides <= Int(LAPACKInt.max)
        else {
            throw .shapeMismatch(
                operation: "LU solve",
                detail: "order \(n), leading dimension \(leadingDimension), \(rightHandSides) right-hand sides")
        }
        if n == 0 || rightHandSides == 0 { return }
        let info = LAPACK.dgetrs(
            n: n, nrhs: rightHandSides, a: factors, lda: leadingDimension, ipiv: pivots, b: b, ldb: n)
        try LAPACK.check(info, routine: "dgetrs") { .singular(pivot: $0) }
    }

    /// Throws for an order LAPACK cannot take (negative or beyond 32-bit `lapack_int`).
    private func checkOrder(_ operation: String) throws(LinearAlgebraError) {
        guard order >= 0, order <= Int(LAPACKInt.max) else {
            throw .shapeMismatch(operation: operation, detail: "order must be in 0...\(LAPACKInt.max), got \(order)")
        }
    }
}
