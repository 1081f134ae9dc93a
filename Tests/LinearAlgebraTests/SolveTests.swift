import TestSupport
import Testing
import LinearAlgebra

@Suite struct SolveTests {
    @Test func knownTwoByTwoSystem() throws {
        // 2x + y = 5, x − 3y = −1 → x = 2, y = 1.
        let a = try Matrix(rows: 2, columns: 2, elements: [2, 1, 1, -3])
        #expect(maxAbsDifference(try a.solve([5, -1]), [2, 1]) < 1e-15)
    }

    @Test(arguments: [1, 3, 10, 33])
    func randomSystemResidual(n: Int) throws {
        var rng = SplitMix64(seed: UInt64(500 + n))
        let a = try randomMatrix(n, n, &rng) + Matrix.identity(n)
        let b = (0..<n).map { _ in rng.uniform() }
        let x = try a.solve(b)
        let residual = maxAbsDifference(try a * x, b)
        #expect(residual < 1e-11)
        let inv = try a.inverse()
        #expect(maxAbsDifference(try a * inv, .identity(n)) < 1e-11)
        #expect(maxAbsDifference(try inv * b, x) < 1e-10)
        // Several right-hand sides at once.
        let bs = randomMatrix(n, 3, &rng)
        #expect(maxAbsDifference(try a * a.solve(bs), bs) < 1e-11)
    }

    @Test func singularMatrixThrows() throws {
        let a = try Matrix(rows: 2, columns: 2, elements: [1, 2, 2, 4])
        #expect(throws: LinearAlgebraError.singular(pivot: 2)) { try a.solve([1, 1]) }
        #expect(throws: LinearAlgebraError.self) { try a.inverse() }
    }

    @Test func badShapesThrow() {
        #expect(throws: LinearAlgebraError.notSquare(operation: "solve", rows: 2, columns: 3)) {
            try Matrix.zeros(rows: 2, columns: 3).solve([1, 2])
        }
        #expect(throws: LinearAlgebraError.self) { try Matrix.identity(2).solve([1, 2, 3]) }
        #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "solve")) {
            try Matrix.identity(2).solve([1, .nan])
        }
    }
}

@Suite struct CholeskyTests {
    @Test func knownFactor() throws {
        // [[4, 2], [2, 10]] = L Lᵀ with L = [[2, 0], [1, 3]].
        let a = try Matrix(rows: 2, columns: 2, elements: [4, 2, 2, 10])
        #expect(maxAbsDifference(try a.cholesky(), try Matrix(rows: 2, columns: 2, elements: [2, 0, 1, 3])) < 1e-15)
    }

    @Test func randomPositiveDefiniteReconstructs() throws {
        var rng = SplitMix64(seed: 3)
        let b = randomMatrix(9, 9, &rng)
        let a = try b.multiplied(by: b, transposeSelf: true) + Matrix.identity(9)
        let l = try a.cholesky()
        for i in 0..<9 { for j in (i + 1)..<9 { #expect(l[i, j] == 0) } }
        #expect(maxAbsDifference(try l.multiplied(by: l, transposeOther: true), a) < 1e-12)
        #expect(a.isPositiveDefinite)
    }

    @Test func indefiniteMatrixThrows() throws {
        let a = try Matrix(rows: 3, columns: 3, elements: [1, 0, 0, 0, -1, 0, 0, 0, 1])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) { try a.cholesky() }
        #expect(!a.isPositiveDefinite)
    }
}
