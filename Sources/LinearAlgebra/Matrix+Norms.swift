import COpenBLAS

extension Matrix {
    /// The Frobenius norm (C function `cblas_dnrm2`, which scales to avoid overflow).
    ///
    /// ```
    /// ‖A‖_F = sqrt(Σᵢⱼ aᵢⱼ²)
    /// ```
    /// NaN or infinite entries propagate into the result.
    public var frobeniusNorm: Double {
        guard !elements.isEmpty else { return 0 }
        return elements.withUnsafeBufferPointer { e in
            cblas_dnrm2(blasint(e.count), e.baseAddress, 1)
        }
    }

    /// The spectral norm, the largest singular value (C function `LAPACKE_dgesdd`).
    ///
    /// ```
    /// ‖A‖₂ = σ_max(A)
    /// ```
    /// - Throws: `LinearAlgebraError.nonFiniteInput`, `.noConvergence`.
    public func spectralNorm() throws(LinearAlgebraError) -> Double {
        try singularValues().first ?? 0
    }
}
