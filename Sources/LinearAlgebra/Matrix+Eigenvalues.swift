extension Matrix {
    /// The eigenvalues of a general (non-symmetric) square matrix (C function `LAPACKE_dgeev`).
    ///
    /// ```
    /// det(A − λ I) = 0
    /// ```
    /// Complex eigenvalues come in conjugate pairs. The result is sorted by descending real part,
    /// ties broken by descending imaginary part, so the eigenvalue that decides linear stability
    /// (largest `re`) comes first.
    /// - Throws: `LinearAlgebraError.notSquare`, `.nonFiniteInput`, `.noConvergence`.
    public func eigenvalues() throws(LinearAlgebraError) -> [ComplexNumber] {
        try requireSquare("eigenvalues")
        try requireFinite("eigenvalues")
        let n = rows
        if n == 0 { return [] }
        var a = elements
        var wr = [Double](repeating: 0, count: n)
        var wi = [Double](repeating: 0, count: n)
        let info = LAPACK.dgeev(n: n, a: &a, wr: &wr, wi: &wi)
        try LAPACK.check(info, routine: "dgeev") { .noConvergence(routine: "dgeev", info: $0) }
        return zip(wr, wi).map { ComplexNumber(re: $0, im: $1) }.sorted {
            $0.re != $1.re ? $0.re > $1.re : $0.im > $1.im
        }
    }
}
