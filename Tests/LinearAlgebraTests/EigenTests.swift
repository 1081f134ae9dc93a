import TestSupport
import Testing
import LinearAlgebra

@Suite struct SymmetricEigenTests {
    @Test func twoByTwoClosedForm() throws {
        // [[a, b], [b, c]]: λ = (a + c)/2 ∓ sqrt(((a − c)/2)² + b²).
        let (a, b, c) = (2.0, 1.5, -1.0)
        let m = try Matrix(rows: 2, columns: 2, elements: [a, b, b, c])
        let (values, vectors) = try m.symmetricEigen()
        let mid = (a + c) / 2, rad = (((a - c) / 2) * ((a - c) / 2) + b * b).squareRoot()
        #expect(abs(values[0] - (mid - rad)) < 1e-14)
        #expect(abs(values[1] - (mid + rad)) < 1e-14)
        // Eigenvector of λ₁ is ∝ (b, λ₁ − a).
        let v = vectors.column(1)
        let expected = [b, values[1] - a]
        let cross = v[0] * expected[1] - v[1] * expected[0]
        #expect(abs(cross) < 1e-13)
    }

    @Test func diagonalMatrixSortsAscending() throws {
        let (values, vectors) = try Matrix.diagonal([3, -1, 2]).symmetricEigen()
        #expect(maxAbsDifference(values, [-1, 2, 3]) < 1e-15)
        // Eigenvectors are ± standard basis vectors e₁, e₂, e₀.
        #expect(abs(abs(vectors[1, 0]) - 1) < 1e-15)
        #expect(abs(abs(vectors[2, 1]) - 1) < 1e-15)
        #expect(abs(abs(vectors[0, 2]) - 1) < 1e-15)
    }

    @Test(arguments: [1, 2, 5, 17, 40])
    func randomSymmetricResidualsAndOrthonormality(n: Int) throws {
        var rng = SplitMix64(seed: UInt64(1000 + n))
        let a = randomSymmetric(n, &rng)
        let (values, v) = try a.symmetricEigen()
        #expect(values == values.sorted())
        for k in 0..<n {
            let vk = v.column(k)
            let av = try a * vk
            let residual = zip(av, vk).map { abs($0 - values[k] * $1) }.max() ?? 0
            #expect(residual < 1e-12 * Double(n))
        }
        let vtv = try v.multiplied(by: v, transposeSelf: true)
        #expect(maxAbsDifference(vtv, .identity(n)) < 1e-13 * Double(n))
        #expect(maxAbsDifference(try a.symmetricEigenvalues(), values) < 1e-12)
        // Trace equals the sum of eigenvalues.
        let trace = (0..<n).reduce(0.0) { $0 + a[$1, $1] }
        #expect(abs(trace - values.reduce(0, +)) < 1e-12 * Double(n))
    }

    @Test func onlyTheLowerTriangleIsRead() throws {
        // Upper triangle holds garbage; the eigenvalues are those of [[2, 1], [1, 2]]: 1 and 3.
        let m = try Matrix(rows: 2, columns: 2, elements: [2, 1000, 1, 2])
        #expect(!m.isSymmetric())
        #expect(maxAbsDifference(try m.symmetricEigen().values, [1, 3]) < 1e-14)
        #expect(try Matrix(rows: 2, columns: 2, elements: [2, 1 + 1e-12, 1, 2]).isSymmetric(tolerance: 1e-10))
    }

    @Test func badInputThrows() throws {
        #expect(throws: LinearAlgebraError.notSquare(operation: "symmetricEigen", rows: 2, columns: 3)) {
            try Matrix.zeros(rows: 2, columns: 3).symmetricEigen()
        }
        var m = Matrix.identity(2)
        m[1, 0] = .nan
        #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "symmetricEigen")) {
            try m.symmetricEigen()
        }
        #expect(try Matrix.zeros(rows: 0, columns: 0).symmetricEigen().values.isEmpty)
    }
}

@Suite struct GeneralEigenTests {
    @Test func rotationHasPurelyImaginaryPair() throws {
        // A 90° rotation: eigenvalues ±i, +i first (ties in re broken by descending im).
        let r = try Matrix(rows: 2, columns: 2, elements: [0, -1, 1, 0])
        let lambda = try r.eigenvalues()
        #expect(lambda.count == 2)
        #expect(abs(lambda[0].re) < 1e-15 && abs(lambda[0].im - 1) < 1e-15)
        #expect(abs(lambda[1].re) < 1e-15 && abs(lambda[1].im + 1) < 1e-15)
    }

    @Test func scaledRotationPair() throws {
        // ρ [[cos θ, −sin θ], [sin θ, cos θ]] has eigenvalues ρ e^{±iθ}.
        let (rho, theta) = (1.7, 0.6)
        let m = try Matrix(rows: 2, columns: 2, elements: [
            rho * _cos(theta), -rho * _sin(theta), rho * _sin(theta), rho * _cos(theta),
        ])
        let lambda = try m.eigenvalues()
        #expect(abs(lambda[0].re - rho * _cos(theta)) < 1e-14)
        #expect(abs(lambda[0].im - rho * _sin(theta)) < 1e-14)
        #expect(lambda[1] == lambda[0].conjugate || abs(lambda[1].im + lambda[0].im) < 1e-14)
        #expect(abs(lambda[0].magnitude - rho) < 1e-14)
    }

    @Test func triangularMatrixEigenvaluesAreDiagonalSortedDescending() throws {
        let m = try Matrix(rows: 3, columns: 3, elements: [1, 5, 7, 0, -2, 3, 0, 0, 4])
        let lambda = try m.eigenvalues()
        #expect(maxAbsDifference(lambda.map(\.re), [4, 1, -2]) < 1e-13)
        #expect(lambda.allSatisfy { $0.im == 0 })
    }

    @Test func companionMatrixEigenvaluesArePolynomialRoots() throws {
        // Companion matrix of p(x) = (x − 1)(x + 2)(x² + 1) = x⁴ + x³ − x² + x − 2.
        let coefficients = [1.0, -1, 1, -2]   // c₃ … c₀ of x⁴ + c₃x³ + c₂x² + c₁x + c₀
        var m = Matrix.zeros(rows: 4, columns: 4)
        for j in 0..<4 { m[0, j] = -coefficients[j] }
        for i in 1..<4 { m[i, i - 1] = 1 }
        let lambda = try m.eigenvalues()
        let expected = [ComplexNumber(re: 1), ComplexNumber(re: 0, im: 1), ComplexNumber(re: 0, im: -1), ComplexNumber(re: -2)]
        for (got, want) in zip(lambda, expected) {
            #expect(abs(got.re - want.re) < 1e-12 && abs(got.im - want.im) < 1e-12)
        }
    }

    @Test func symmetricMatrixAgreesWithSymmetricSolver() throws {
        var rng = SplitMix64(seed: 99)
        let a = randomSymmetric(12, &rng)
        let general = try a.eigenvalues()
        let symmetric = try a.symmetricEigenvalues()
        #expect(general.allSatisfy { abs($0.im) < 1e-12 })
        #expect(maxAbsDifference(general.map(\.re), symmetric.reversed()) < 1e-12)
    }

    @Test func badInputThrows() {
        #expect(throws: LinearAlgebraError.self) { try Matrix.zeros(rows: 3, columns: 2).eigenvalues() }
        var m = Matrix.identity(3)
        m[0, 2] = .infinity
        #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "eigenvalues")) { try m.eigenvalues() }
    }
}
