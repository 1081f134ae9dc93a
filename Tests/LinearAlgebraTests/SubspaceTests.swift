import TestSupport
import Testing
import LinearAlgebra

@Suite struct SingularValueTests {
    @Test(arguments: [(6, 4), (4, 6), (5, 5), (1, 7)])
    func thinAndFullSVDReconstruct(shape: (Int, Int)) throws {
        let (m, n) = shape
        var rng = SplitMix64(seed: UInt64(m * 31 + n))
        let a = randomMatrix(m, n, &rng)
        for full in [false, true] {
            let svd = try a.singularValueDecomposition(full: full)
            let k = min(m, n)
            #expect(svd.singularValues == svd.singularValues.sorted(by: >))
            // U diag(σ) Vᵀ using the first k columns/rows.
            let us = Matrix(rows: m, columns: k) { i, j in svd.u[i, j] * svd.singularValues[j] }
            let vtk = Matrix(rows: k, columns: n) { i, j in svd.vt[i, j] }
            #expect(maxAbsDifference(naiveProduct(us, vtk), a) < 1e-13)
            let utu = try svd.u.multiplied(by: svd.u, transposeSelf: true)
            #expect(maxAbsDifference(utu, .identity(svd.u.columns)) < 1e-13)
            let vvt = try svd.vt.multiplied(by: svd.vt, transposeOther: true)
            #expect(maxAbsDifference(vvt, .identity(svd.vt.rows)) < 1e-13)
        }
        // Singular values are the square roots of the eigenvalues of AᵀA (or AAᵀ).
        let gram = m >= n ? try a.multiplied(by: a, transposeSelf: true) : try a.multiplied(by: a, transposeOther: true)
        let fromEigen = try gram.symmetricEigenvalues().reversed().map { max(0, $0).squareRoot() }
        #expect(maxAbsDifference(try a.singularValues(), Array(fromEigen)) < 1e-12)
    }
}

@Suite struct SubspaceTests {
    /// A rank-`r` `m × n` matrix as a product of random `m × r` and `r × n` factors.
    func lowRank(_ m: Int, _ n: Int, _ r: Int, seed: UInt64) throws -> Matrix {
        var rng = SplitMix64(seed: seed)
        return try randomMatrix(m, r, &rng) * randomMatrix(r, n, &rng)
    }

    @Test(arguments: [(8, 10, 3), (10, 8, 5), (6, 6, 1), (12, 20, 12), (5, 5, 5)])
    func nullSpaceOfRankDeficientProduct(shape: (Int, Int, Int)) throws {
        let (m, n, r) = shape
        let a = try lowRank(m, n, r, seed: UInt64(m * 1000 + n * 10 + r))
        #expect(try a.rank() == r)
        let null = try a.nullSpace()
        #expect(null.rows == n)
        #expect(null.columns == n - r)
        if null.columns > 0 {
            let an = try a * null
            #expect(an.frobeniusNorm < 1e-12 * max(1, a.frobeniusNorm))
            let ntn = try null.multiplied(by: null, transposeSelf: true)
            #expect(maxAbsDifference(ntn, .identity(n - r)) < 1e-13)
        }
        let range = try a.rangeBasis()
        #expect(range.rows == m && range.columns == r)
        // Projecting A onto its range leaves A unchanged: Q Qᵀ A = A.
        let projected = try range * range.multiplied(by: a, transposeSelf: true)
        #expect(maxAbsDifference(projected, a) < 1e-12)
    }

    @Test func explicitToleranceCountsLargeSingularValuesOnly() throws {
        let a = Matrix.diagonal([1, 1e-3, 1e-9, 0])
        #expect(try a.rank() == 3)       // default tol = 4 · ε · 1 ≈ 8.9e-16
        #expect(try a.rank(tolerance: 1e-6) == 2)
        #expect(try a.nullSpace(tolerance: 1e-6).columns == 2)
        #expect(try Matrix.zeros(rows: 3, columns: 3).rank() == 0)
        #expect(try Matrix.zeros(rows: 3, columns: 3).nullSpace().columns == 3)
        #expect(throws: LinearAlgebraError.invalidTolerance(-1)) { try a.rank(tolerance: -1) }
    }

    @Test func defaultToleranceFollowsNumPyRule() {
        let a = Matrix.zeros(rows: 3, columns: 7)
        #expect(a.defaultRankTolerance(singularValues: [2, 1]) == 7 * Double.ulpOfOne * 2)
    }
}
