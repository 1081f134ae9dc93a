extension Matrix {
    /// The Cholesky factor of a symmetric positive-definite matrix (C function `LAPACKE_dpotrf`).
    ///
    /// ```
    /// A = L Lᵀ,   L lower triangular with positive diagonal
    /// ```
    /// Only the lower triangle of `A` is read. The returned `L` has zeros above the diagonal.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` (the order of the first failing leading minor),
    ///   `.notSquare`, `.nonFiniteInput`.
    public func cholesky() throws(LinearAlgebraError) -> Matrix {
        try requireSquare("cholesky")
        try requireFinite("cholesky")
        let n = rows
        if n == 0 { return self }
        var a = elements
        let info = LAPACK.dpotrf(n: n, a: &a)
        try LAPACK.check(info, routine: "dpotrf") { .notPositiveDefinite(order: $0) }
        for i in 0..<n {
            for j in (i + 1)..<n { a[i * n + j] = 0 }
        }
        return Matrix(unchecked: n, n, a)
    }

    /// `true` when the Cholesky factorisation succeeds, i.e. the (lower triangle of the) matrix
    /// is numerically symmetric positive definite (C function `LAPACKE_dpotrf`).
    public var isPositiveDefinite: Bool {
        (try? cholesky()) != nil
    }
}
