extension Matrix {
    /// Eigenvalues and orthonormal eigenvectors of a symmetric matrix (C function `LAPACKE_dsyevd`).
    ///
    /// ```
    /// A = V diag(λ) Vᵀ,   VᵀV = I,   λ₀ ≤ λ₁ ≤ … ≤ λₙ₋₁
    /// ```
    /// Only the lower triangle (`i ≥ j`) is read; the upper triangle is assumed to mirror it.
    /// - Returns: `values` in ascending order and `vectors` whose column `k` is the unit
    ///   eigenvector for `values[k]`.
    /// - Throws: `LinearAlgebraError.notSquare`, `.nonFiniteInput`, `.noConvergence`.
    public func symmetricEigen() throws(LinearAlgebraError) -> (values: [Double], vectors: Matrix) {
        try requireSquare("symmetricEigen")
        try requireFinite("symmetricEigen")
        let n = rows
        if n == 0 { return ([], .zeros(rows: 0, columns: 0)) }
        var a = elements
        var w = [Double](repeating: 0, count: n)
        let info = LAPACK.dsyevd(n: n, vectors: true, a: &a, w: &w)
        try LAPACK.check(info, routine: "dsyevd") { .noConvergence(routine: "dsyevd", info: $0) }
        return (w, Matrix(unchecked: n, n, a))
    }

    /// Eigenvalues only of a symmetric matrix, ascending (C function `LAPACKE_dsyevd`).
    ///
    /// Only the lower triangle (`i ≥ j`) is read.
    /// - Throws: `LinearAlgebraError.notSquare`, `.nonFiniteInput`, `.noConvergence`.
    public func symmetricEigenvalues() throws(LinearAlgebraError) -> [Double] {
        try requireSquare("symmetricEigenvalues")
        try requireFinite("symmetricEigenvalues")
        let n = rows
        if n == 0 { return [] }
        var a = elements
        var w = [Double](repeating: 0, count: n)
        let info = LAPACK.dsyevd(n: n, vectors: false, a: &a, w: &w)
        try LAPACK.check(info, routine: "dsyevd") { .noConvergence(routine: "dsyevd", info: $0) }
        return w
    }
}
