import LinearAlgebra
import TestSupport
import Testing

@Suite struct LUFactorizationTests {
    /// Factors a copy of `a` (column-major, leading dimension `lda ≥ n`, padding rows filled with junk)
    /// and solves for the column-major right-hand sides `b` (`n × k`); returns `X`.
    static func factorAndSolve(_ a: Matrix, _ b: Matrix, lda: Int) throws -> Matrix {
        let n = a.rows
        let lu = LUFactorization(order: n)
        var storage = [Double](repeating: 1e300, count: max(1, lda * n))
        for j in 0 ..< n { for i in 0 ..< n { storage[i + j * lda] = a[i, j] } }
        var x = b.columnMajorElements
        try storage.withUnsafeMutableBufferPointer { s throws in
            try lu.factor(s.baseAddress!, leadingDimension: lda)
            #expect(lu.isFactored)
            try x.withUnsafeMutableBufferPointer { x throws in
                try lu.solve(x.baseAddress!, rightHandSides: b.columns, factors: s.baseAddress!, leadingDimension: lda)
            }
        }
        return try Matrix(rows: n, columns: b.columns, columnMajor: x)
    }

    @Test func knownTwoByTwoSystem() throws {
        // 2x + y = 5, x − 3y = −1 → x = 2, y = 1; the first pivot swaps no rows, so check a case that does too.
        let a = try Matrix(rows: 2, columns: 2, elements: [2, 1, 1, -3])
        let x = try Self.factorAndSolve(a, Matrix(rows: 2, columns: 1, elements: [5, -1]), lda: 2)
        #expect(maxAbsDifference(x.elements, [2, 1]) < 1e-15)
        let swapped = try Matrix(rows: 2, columns: 2, elements: [0, 1, 1, 0])
        let y = try Self.factorAndSolve(swapped, Matrix(rows: 2, columns: 1, elements: [3, 4]), lda: 2)
        #expect(y.elements == [4, 3])
    }

    @Test(arguments: [(1, 1), (3, 3), (10, 12), (40, 40)])
    func randomSystemsMultiplyBack(n: Int, lda: Int) throws {
        var rng = SplitMix64(seed: UInt64(900 + n))
        let a = try randomMatrix(n, n, &rng) + Matrix.identity(n)
        let b = randomMatrix(n, 3, &rng)
        let x = try Self.factorAndSolve(a, b, lda: lda)
        // A X = B by the independent triple loop, and agreement with Matrix.solve (LAPACKE_dgesv, row-major).
        #expect(maxAbsDifference(naiveProduct(a, x), b) < 1e-11)
        #expect(maxAbsDifference(x, try a.solve(b)) < 1e-10)
    }

    @Test func factorsAreReusedForLaterRightHandSides() throws {
        var rng = SplitMix64(seed: 77)
        let n = 6
        let a = try randomMatrix(n, n, &rng) + Matrix.identity(n)
        let lu = LUFactorization(order: n)
        var factors = a.columnMajorElements
        try factors.withUnsafeMutableBufferPointer { f throws in
            try lu.factor(f.baseAddress!, leadingDimension: n)
            for _ in 0 ..< 3 {
                let b = (0 ..< n).map { _ in rng.uniform() }
                var x = b
                try x.withUnsafeMutableBufferPointer { x throws in
                    try lu.solve(x.baseAddress!, factors: f.baseAddress!, leadingDimension: n)
                }
                #expect(maxAbsDifference(try a * x, b) < 1e-12)
            }
        }
    }

    @Test func singularMatrixThrowsAndForgetsTheFactors() throws {
        // Column-major [[1, 2], [2, 4]]: U(2, 2) = 0.
        let lu = LUFactorization(order: 2)
        var a: [Double] = [1, 2, 2, 4]
        var b: [Double] = [1, 1]
        a.withUnsafeMutableBufferPointer { a in
            #expect(throws: LinearAlgebraError.singular(pivot: 2)) { try lu.factor(a.baseAddress!, leadingDimension: 2) }
            #expect(!lu.isFactored)
            _ = b.withUnsafeMutableBufferPointer { b in
                #expect(throws: LinearAlgebraError.notFactored) {
                    try lu.solve(b.baseAddress!, factors: a.baseAddress!, leadingDimension: 2)
                }
            }
        }
        #expect(LinearAlgebraError.notFactored.description == "LU solve called before a successful factorization")
    }

    @Test func badInputThrows() {
        var a: [Double] = [1, .nan, 0, 1]
        a.withUnsafeMutableBufferPointer { a in
            #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "LU factor")) {
                try LUFactorization(order: 2).factor(a.baseAddress!, leadingDimension: 2)
            }
            #expect(throws: LinearAlgebraError.self) { try LUFactorization(order: 2).factor(a.baseAddress!, leadingDimension: 1) }
            #expect(throws: LinearAlgebraError.self) { try LUFactorization(order: -1).factor(a.baseAddress!, leadingDimension: 2) }
        }
        #expect(a[1].isNaN && a[0] == 1)  // untouched: LAPACK never ran
    }

    @Test func emptyOrderIsANoOp() throws {
        let lu = LUFactorization(order: 0)
        var a: [Double] = [42]
        try a.withUnsafeMutableBufferPointer { a throws in
            try lu.factor(a.baseAddress!, leadingDimension: 1)
            try lu.solve(a.baseAddress!, factors: a.baseAddress!, leadingDimension: 1)
        }
        #expect(a == [42])
    }
}
