import COpenBLAS

/// Thin, allocation-free wrappers over CBLAS level-2 and level-3 routines on row-major buffers.
///
/// Every matrix here is row-major (C order, as NumPy writes it): element `(i, j)` of an
/// `rows × columns` matrix `A` stands at `A[i * columns + j]`.
public enum BLAS {
    /// `y ← α op(A) x + β y` for a row-major `rows × columns` matrix `A` (C function `cblas_dgemv`).
    ///
    /// - Parameters:
    ///   - transpose: use `Aᵀ` instead of `A` (then `x` has `rows` entries and `y` has `columns`).
    ///   - rows: the number of rows of `A` as stored.
    ///   - columns: the number of columns of `A` as stored (its leading dimension).
    ///   - alpha: the factor `α` of the product.
    ///   - a: `A`, row-major `rows × columns`.
    ///   - x: the vector multiplied (`columns` entries, or `rows` when transposed).
    ///   - beta: the factor `β` of the old `y` (0: `y` is only written).
    ///   - y: the result (`rows` entries, or `columns` when transposed), updated in place.
    @inlinable
    public static func gemv(
        transpose: Bool = false, rows: Int, columns: Int, alpha: Double = 1,
        _ a: UnsafePointer<Double>, _ x: UnsafePointer<Double>, beta: Double = 0,
        _ y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(
            CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasint(rows), blasint(columns),
            alpha, a, blasint(columns), x, 1, beta, y, 1)
    }

    /// `C ← α op(A) op(B) + β C` on row-major matrices (C function `cblas_dgemm`).
    ///
    /// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; leading dimensions are the row
    /// lengths of the matrices as stored.
    @inlinable
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Double = 1, _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int,
        beta: Double = 0, _ c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// The number of threads OpenBLAS uses (C function `openblas_get_num_threads`).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
    }

    /// Sets the number of threads OpenBLAS uses (C function `openblas_set_num_threads`).
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
