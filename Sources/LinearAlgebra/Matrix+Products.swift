extension Matrix {
    /// The product `op(A) op(B)` computed by GEMM (C function `cblas_dgemm`).
    ///
    /// ```
    /// C = op(A) · op(B),   op(X) = X or Xᵀ
    /// ```
    /// - Parameters:
    ///   - other: the right factor `B`.
    ///   - transposeSelf: use `Aᵀ` instead of `A`.
    ///   - transposeOther: use `Bᵀ` instead of `B`.
    /// - Throws: `LinearAlgebraError.shapeMismatch` when the inner dimensions differ.
    public func multiplied(
        by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false
    ) throws(LinearAlgebraError) -> Matrix {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let kB = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        guard k == kB else {
            throw .shapeMismatch(
                operation: "matrix product",
                detail: "\(m)×\(k) times \(kB)×\(n)")
        }
        var c = [Double](repeating: 0, count: m * n)
        if m > 0 && n > 0 && k > 0 {
            elements.withUnsafeBufferPointer { a in
                other.elements.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        BLAS.gemm(
                            transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
                            a.baseAddress!, lda: max(1, columns), b.baseAddress!, ldb: max(1, other.columns),
                            c.baseAddress!, ldc: max(1, n))
                    }
                }
            }
        }
        return Matrix(unchecked: m, n, c)
    }

    /// The product `op(A) x` computed by GEMV (C function `cblas_dgemv`).
    ///
    /// ```
    /// y = op(A) · x,   op(A) = A or Aᵀ
    /// ```
    /// - Parameters:
    ///   - vector: `x`, with `columns` entries (`rows` when `transposeSelf`).
    ///   - transposeSelf: use `Aᵀ` instead of `A`.
    /// - Throws: `LinearAlgebraError.shapeMismatch` when `x` has the wrong length.
    public func multiplied(by vector: [Double], transposeSelf: Bool = false) throws(LinearAlgebraError) -> [Double] {
        let inner = transposeSelf ? rows : columns
        let outer = transposeSelf ? columns : rows
        guard vector.count == inner else {
            throw .shapeMismatch(
                operation: "matrix–vector product",
                detail: "\(outer)×\(inner) times vector of length \(vector.count)")
        }
        var y = [Double](repeating: 0, count: outer)
        if rows > 0 && columns > 0 {
            elements.withUnsafeBufferPointer { a in
                vector.withUnsafeBufferPointer { x in
                    y.withUnsafeMutableBufferPointer { y in
                        BLAS.gemv(
                            transpose: transposeSelf, rows: rows, columns: columns,
                            a.baseAddress!, x.baseAddress!, y.baseAddress!)
                    }
                }
            }
        }
        return y
    }

    /// The matrix product `A B` (C function `cblas_dgemm`).
    ///
    /// - Throws: `LinearAlgebraError.shapeMismatch` when `A.columns ≠ B.rows`.
    public static func * (lhs: Matrix, rhs: Matrix) throws(LinearAlgebraError) -> Matrix {
        try lhs.multiplied(by: rhs)
    }

    /// The matrix–vector product `A x` (C function `cblas_dgemv`).
    ///
    /// - Throws: `LinearAlgebraError.shapeMismatch` when `x.count ≠ A.columns`.
    public static func * (lhs: Matrix, rhs: [Double]) throws(LinearAlgebraError) -> [Double] {
        try lhs.multiplied(by: rhs)
    }

    /// The sum `A + B`.
    ///
    /// - Throws: `LinearAlgebraError.shapeMismatch` when the shapes differ.
    public static func + (lhs: Matrix, rhs: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard lhs.rows == rhs.rows, lhs.columns == rhs.columns else {
            throw .shapeMismatch(
                operation: "matrix sum", detail: "\(lhs.rows)×\(lhs.columns) plus \(rhs.rows)×\(rhs.columns)")
        }
        return Matrix(unchecked: lhs.rows, lhs.columns, zip(lhs.elements, rhs.elements).map { $0 + $1 })
    }

    /// The difference `A − B`.
    ///
    /// - Throws: `LinearAlgebraError.shapeMismatch` when the shapes differ.
    public static func - (lhs: Matrix, rhs: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard lhs.rows == rhs.rows, lhs.columns == rhs.columns else {
            throw .shapeMismatch(
                operation: "matrix difference", detail: "\(lhs.rows)×\(lhs.columns) minus \(rhs.rows)×\(rhs.columns)")
        }
        return Matrix(unchecked: lhs.rows, lhs.columns, zip(lhs.elements, rhs.elements).map { $0 - $1 })
    }

    /// The scalar multiple `s A`.
    public static func * (lhs: Double, rhs: Matrix) -> Matrix {
        Matrix(unchecked: rhs.rows, rhs.columns, rhs.elements.map { lhs * $0 })
    }
}
