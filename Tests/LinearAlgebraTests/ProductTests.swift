import TestSupport
import Testing
import LinearAlgebra

@Suite struct ProductTests {
    @Test(arguments: [(1, 1, 1), (3, 5, 2), (7, 1, 4), (4, 6, 9), (16, 13, 11), (1, 8, 1)])
    func gemmMatchesTripleLoop(shape: (Int, Int, Int)) throws {
        let (m, k, n) = shape
        var rng = SplitMix64(seed: UInt64(m * 10_000 + k * 100 + n))
        let a = randomMatrix(m, k, &rng)
        let b = randomMatrix(k, n, &rng)
        let expected = naiveProduct(a, b)
        #expect(maxAbsDifference(try a * b, expected) < 1e-13)
        // The same product through every transpose flag.
        let at = a.transpose, bt = b.transpose
        #expect(maxAbsDifference(try at.multiplied(by: b, transposeSelf: true), expected) < 1e-13)
        #expect(maxAbsDifference(try a.multiplied(by: bt, transposeOther: true), expected) < 1e-13)
        #expect(maxAbsDifference(try at.multiplied(by: bt, transposeSelf: true, transposeOther: true), expected) < 1e-13)
    }

    @Test func gemvMatchesTripleLoop() throws {
        var rng = SplitMix64(seed: 7)
        let a = randomMatrix(5, 3, &rng)
        let x = (0..<3).map { _ in rng.uniform() }
        let expected = naiveProduct(a, try Matrix(rows: 3, columns: 1, elements: x)).elements
        #expect(maxAbsDifference(try a * x, expected) < 1e-14)
        let y = (0..<5).map { _ in rng.uniform() }
        let expectedT = naiveProduct(a.transpose, try Matrix(rows: 5, columns: 1, elements: y)).elements
        #expect(maxAbsDifference(try a.multiplied(by: y, transposeSelf: true), expectedT) < 1e-14)
    }

    @Test func shapeMismatchesThrowInsteadOfTrapping() {
        let a = Matrix.zeros(rows: 2, columns: 3)
        #expect(throws: LinearAlgebraError.self) { try a * a }
        #expect(throws: LinearAlgebraError.self) { try a * [1.0, 2.0] }
        #expect(throws: LinearAlgebraError.self) { try a + Matrix.zeros(rows: 3, columns: 2) }
        #expect(throws: LinearAlgebraError.self) { try a - Matrix.zeros(rows: 2, columns: 2) }
    }

    @Test func emptyInnerDimensionGivesZeros() throws {
        let a = Matrix.zeros(rows: 3, columns: 0), b = Matrix.zeros(rows: 0, columns: 2)
        #expect(try a * b == Matrix.zeros(rows: 3, columns: 2))
    }

    @Test func sumDifferenceAndScaling() throws {
        let a = try Matrix(rows: 1, columns: 2, elements: [1, 2])
        let b = try Matrix(rows: 1, columns: 2, elements: [10, 20])
        #expect(try (a + b).elements == [11, 22])
        #expect(try (b - a).elements == [9, 18])
        #expect((2 * a).elements == [2, 4])
    }
}
