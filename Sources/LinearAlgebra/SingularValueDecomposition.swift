/// A singular value decomposition `A = U Σ Vᵀ` of an `m × n` matrix.
///
/// ```
/// A = U · diag(σ) · Vᵀ,   σ₀ ≥ σ₁ ≥ … ≥ 0
/// ```
/// In the thin form `U` is `m × k` and `Vᵀ` is `k × n` with `k = min(m, n)`; in the full form
/// `U` is `m × m` and `Vᵀ` is `n × n`. `U` and `V` have orthonormal columns.
public struct SingularValueDecomposition: Sendable, Equatable {
    /// Left singular vectors, as columns.
    public let u: Matrix
    /// Singular values, descending, `min(m, n)` of them.
    public let singularValues: [Double]
    /// Right singular vectors, as rows (`Vᵀ`).
    public let vt: Matrix
}

extension Matrix {
    /// The singular values of the matrix, descending (C function `LAPACKE_dgesdd`, falling back to
    /// `LAPACKE_dgesvd` if the divide-and-conquer iteration does not converge).
    ///
    /// - Throws: `LinearAlgebraError.nonFiniteInput`, or `.noConvergence` when both routines fail.
    public func singularValues() throws(LinearAlgebraError) -> [Double] {
        try svd(job: "N", operation: "singularValues").singularValues
    }

    /// The singular value decomposition `A = U diag(σ) Vᵀ` (C function `LAPACKE_dgesdd`, falling back
    /// to `LAPACKE_dgesvd`).
    ///
    /// - Parameters:
    ///   - full: `false` (default) for the thin form (`U` is `m × min(m,n)`, `Vᵀ` is `min(m,n) × n`),
    ///     `true` for square `U` (`m × m`) and `Vᵀ` (`n × n`).
    /// - Throws: `LinearAlgebraError.nonFiniteInput`, or `.noConvergence` when both routines fail.
    public func singularValueDecomposition(full: Bool = false) throws(LinearAlgebraError) -> SingularValueDecomposition {
        try svd(job: full ? "A" : "S", operation: "singularValueDecomposition")
    }

    private func svd(job: Unicode.Scalar, operation: String) throws(LinearAlgebraError) -> SingularValueDecomposition {
        try requireFinite(operation)
        let m = rows, n = columns, k = min(m, n)
        let (uColumns, vtRows): (Int, Int)
        switch job {
        case "A": (uColumns, vtRows) = (m, n)
        case "S": (uColumns, vtRows) = (k, k)
        default: (uColumns, vtRows) = (0, 0)
        }
        if k == 0 {
            // Empty matrix: no singular values; U and V are identities in the full form.
            return SingularValueDecomposition(
                u: job == "A" ? .identity(m) : .zeros(rows: m, columns: uColumns),
                singularValues: [],
                vt: job == "A" ? .identity(n) : .zeros(rows: vtRows, columns: n))
        }
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: max(1, m * uColumns))
        var vt = [Double](repeating: 0, count: max(1, vtRows * n))
        var a = elements
        var info = LAPACK.dgesdd(
            job: job, m: m, n: n, a: &a, s: &s, u: &u, ldu: uColumns, vt: &vt, ldvt: n)
        if info > 0 {
            a = elements
            info = LAPACK.dgesvd(
                job: job, m: m, n: n, a: &a, s: &s, u: &u, ldu: uColumns, vt: &vt, ldvt: n)
            try LAPACK.check(info, routine: "dgesvd") { .noConvergence(routine: "dgesvd", info: $0) }
        } else {
            try LAPACK.check(info, routine: "dgesdd") { .noConvergence(routine: "dgesdd", info: $0) }
        }
        return SingularValueDecomposition(
            u: Matrix(unchecked: m, uColumns, uColumns == 0 ? [] : u),
            singularValues: s,
            vt: Matrix(unchecked: vtRows, n, vtRows == 0 ? [] : vt))
    }
}
