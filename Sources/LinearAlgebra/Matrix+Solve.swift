extension Matrix {
    /// Solves the square linear system `A x = b` by LU with partial pivoting (C function `LAPACKE_dgesv`).
    ///
    /// ```
    /// A x = b,   P A = L U
    /// ```
    /// - Parameters:
    ///   - b: the right-hand side, `rows` entries.
    /// - Throws: `LinearAlgebraError.notSquare`, `.shapeMismatch`, `.nonFiniteInput`, `.singular`.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard b.count == rows else {
            throw .shapeMismatch(operation: "solve", detail: "\(rows)×\(columns) matrix, right-hand side of length \(b.count)")
        }
        return try solve(Matrix(unchecked: b.count, 1, b)).elements
    }

    /// Solves `A X = B` for several right-hand sides, the columns of `B` (C function `LAPACKE_dgesv`).
    ///
    /// - Parameters:
    ///   - b: an `n × k` matrix of right-hand sides.
    /// - Throws: `LinearAlgebraError.notSquare`, `.shapeMismatch`, `.nonFiniteInput`, `.singular`.
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        try requireSquare("solve")
        guard b.rows == rows else {
            throw .shapeMismatch(operation: "solve", detail: "\(rows)×\(columns) matrix, right-hand side \(b.rows)×\(b.columns)")
        }
        try requireFinite("solve")
        try b.requireFinite("solve")
        let n = rows
        if n == 0 || b.columns == 0 { return b }
        var a = elements
        var x = b.elements
        let info = LAPACK.dgesv(n: n, nrhs: b.columns, a: &a, b: &x)
        try LAPACK.check(info, routine: "dgesv") { .singular(pivot: $0) }
        return Matrix(unchecked: n, b.columns, x)
    }

    /// The inverse `A⁻¹`, solving `A X = I` (C function `LAPACKE_dgesv`).
    ///
    /// Prefer `solve(_:)` when the inverse is only applied to vectors.
    /// - Throws: `LinearAlgebraError.notSquare`, `.nonFiniteInput`, `.singular`.
    public func inverse() throws(LinearAlgebraError) -> Matrix {
        try requireSquare("inverse")
        return try solve(Matrix.identity(rows))
    }
}
