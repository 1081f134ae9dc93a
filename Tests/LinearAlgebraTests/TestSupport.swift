import LinearAlgebra
import TestSupport

/// A random `rows × columns` matrix with entries uniform in [-1, 1).
func randomMatrix(_ rows: Int, _ columns: Int, _ rng: inout SplitMix64) -> Matrix {
    Matrix(rows: rows, columns: columns) { _, _ in rng.uniform() }
}

/// A random symmetric `n × n` matrix `(B + Bᵀ) / 2`.
func randomSymmetric(_ n: Int, _ rng: inout SplitMix64) -> Matrix {
    let b = randomMatrix(n, n, &rng)
    return Matrix(rows: n, columns: n) { i, j in (b[i, j] + b[j, i]) / 2 }
}

/// The product computed by the textbook triple loop, independent of BLAS.
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    Matrix(rows: a.rows, columns: b.columns) { i, j in
        var s = 0.0
        for k in 0..<a.columns { s += a[i, k] * b[k, j] }
        return s
    }
}

/// The largest absolute entry-wise difference.
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns)
    return zip(a.elements, b.elements).map { abs($0 - $1) }.max() ?? 0
}
