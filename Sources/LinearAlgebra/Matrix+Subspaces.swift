extension Matrix {
    /// The default rank tolerance, NumPy's `matrix_rank` rule.
    ///
    /// ```
    /// tol = max(m, n) · ε · σ_max
    /// ```
    /// with `ε = Double.ulpOfOne` (2.22e-16).
    /// - Parameters:
    ///   - singularValues: the descending singular values of the matrix.
    public func defaultRankTolerance(singularValues: [Double]) -> Double {
        Double(max(rows, columns)) * Double.ulpOfOne * (singularValues.first ?? 0)
    }

    /// The numerical rank: the number of singular values strictly greater than the tolerance
    /// (C function `LAPACKE_dgesdd`).
    ///
    /// ```
    /// rank = #{ i : σᵢ > tol },   default tol = max(m, n) · ε · σ_max
    /// ```
    /// - Parameters:
    ///   - tolerance: absolute threshold on singular values; `nil` uses `defaultRankTolerance`.
    /// - Throws: `LinearAlgebraError.invalidTolerance`, `.nonFiniteInput`, `.noConvergence`.
    public func rank(tolerance: Double? = nil) throws(LinearAlgebraError) -> Int {
        let sigma = try singularValues()
        let tol = try resolvedTolerance(tolerance, singularValues: sigma)
        return sigma.filter { $0 > tol }.count
    }

    /// An orthonormal basis of the null space `{ x : A x = 0 }`, as the columns of an
    /// `n × (n − rank)` matrix (C function `LAPACKE_dgesdd`, full SVD).
    ///
    /// ```
    /// A = U Σ Vᵀ,   null(A) = span{ vᵢ : i ≥ rank },   default tol = max(m, n) · ε · σ_max
    /// ```
    /// - Parameters:
    ///   - tolerance: absolute threshold on singular values; `nil` uses `defaultRankTolerance`.
    /// - Throws: `LinearAlgebraError.invalidTolerance`, `.nonFiniteInput`, `.noConvergence`.
    public func nullSpace(tolerance: Double? = nil) throws(LinearAlgebraError) -> Matrix {
        let svd = try singularValueDecomposition(full: true)
        let tol = try resolvedTolerance(tolerance, singularValues: svd.singularValues)
        let r = svd.singularValues.filter { $0 > tol }.count
        let n = columns
        // Columns r..<n of V are rows r..<n of Vᵀ.
        return Matrix(rows: n, columns: n - r) { i, j in svd.vt[r + j, i] }
    }

    /// An orthonormal basis of the range (column space) `{ A x }`, as the columns of an
    /// `m × rank` matrix (C function `LAPACKE_dgesdd`).
    ///
    /// ```
    /// A = U Σ Vᵀ,   range(A) = span{ uᵢ : i < rank },   default tol = max(m, n) · ε · σ_max
    /// ```
    /// - Parameters:
    ///   - tolerance: absolute threshold on singular values; `nil` uses `defaultRankTolerance`.
    /// - Throws: `LinearAlgebraError.invalidTolerance`, `.nonFiniteInput`, `.noConvergence`.
    public func rangeBasis(tolerance: Double? = nil) throws(LinearAlgebraError) -> Matrix {
        let svd = try singularValueDecomposition(full: false)
        let tol = try resolvedTolerance(tolerance, singularValues: svd.singularValues)
        let r = svd.singularValues.filter { $0 > tol }.count
        return Matrix(rows: rows, columns: r) { i, j in svd.u[i, j] }
    }

    private func resolvedTolerance(_ tolerance: Double?, singularValues: [Double]) throws(LinearAlgebraError) -> Double {
        guard let tolerance else { return defaultRankTolerance(singularValues: singularValues) }
        guard tolerance.isFinite, tolerance >= 0 else { throw .invalidTolerance(tolerance) }
        return tolerance
    }
}
