import TestSupport
import Testing
import LinearAlgebra

@Suite struct MatrixTests {
    @Test func elementsAreRowMajor() throws {
        let m = try Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        #expect(m[0, 2] == 3)
        #expect(m[1, 0] == 4)
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.column(1) == [2, 5])
        #expect(m.transpose == (try Matrix(rows: 3, columns: 2, elements: [1, 4, 2, 5, 3, 6])))
    }

    @Test func columnMajorInitialiserTransposesStorage() throws {
        // Column-major [1 2 3; 4 5 6] is stored as 1 4 2 5 3 6.
        let m = try Matrix(rows: 2, columns: 3, columnMajor: [1.0, 4, 2, 5, 3, 6])
        #expect(m.elements == [1, 2, 3, 4, 5, 6])
        #expect(m.columnMajorElements == [1, 4, 2, 5, 3, 6])
    }

    @Test func wrongElementCountThrows() {
        #expect(throws: LinearAlgebraError.elementCountMismatch(expected: 6, actual: 5)) {
            try Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5])
        }
        #expect(throws: LinearAlgebraError.self) {
            try Matrix(rows: -1, columns: 3, elements: [])
        }
        #expect(throws: LinearAlgebraError.self) {
            try Matrix(rows: 2, columns: 2, columnMajor: [1.0, 2, 3])
        }
        #expect(throws: LinearAlgebraError.self) {
            try Matrix(rowArrays: [[1, 2], [3]])
        }
    }

    @Test func identityAndZeros() {
        let i3 = Matrix.identity(3)
        #expect(i3.elements == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Matrix.zeros(rows: 2, columns: 4).elements == [Double](repeating: 0, count: 8))
        #expect(Matrix.zeros(rows: -3, columns: 2).elements.isEmpty)
        #expect(Matrix.diagonal([2, 3]) == (try! Matrix(rows: 2, columns: 2, elements: [2, 0, 0, 3])))
    }

    @Test func frobeniusNormMatchesSumOfSquares() throws {
        let m = try Matrix(rows: 2, columns: 2, elements: [3, -4, 0, 12])
        #expect(abs(m.frobeniusNorm - 13) < 1e-14)
        #expect(Matrix.zeros(rows: 0, columns: 0).frobeniusNorm == 0)
    }

    @Test func spectralNormOfKnownMatrices() throws {
        // diag(3, -7): ‖A‖₂ = 7. Rank-one u vᵀ: ‖A‖₂ = ‖u‖ ‖v‖.
        #expect(abs(try Matrix.diagonal([3, -7]).spectralNorm() - 7) < 1e-13)
        let u = [1.0, 2, 2], v = [3.0, 4]
        let outer = Matrix(rows: 3, columns: 2) { i, j in u[i] * v[j] }
        #expect(abs(try outer.spectralNorm() - 15) < 1e-12)
    }
}
