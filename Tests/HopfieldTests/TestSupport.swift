import Foundation
import Hopfield
import TestSupport

/// Reproducible test data from the library's seeded `SplitMix64`.
extension SplitMix64 {
    /// `n` uniform numbers in `[a, b)`.
    mutating func vector(_ n: Int, _ a: Double = -1, _ b: Double = 1) -> [Double] {
        (0 ..< n).map { _ in uniform(a, b) }
    }

    /// `n` numbers uniform in magnitude in `[gap, b)` with random signs: away from the kinks at 0.
    mutating func vectorAvoidingZero(_ n: Int, bound b: Double, gap: Double) -> [Double] {
        (0 ..< n).map { _ in
            let magnitude = uniform(gap, b)
            return Bool.random(using: &self) ? magnitude : -magnitude
        }
    }
}

/// Whether the Cholesky factorisation of a symmetric `n × n` matrix succeeds (all pivots > 0).
func choleskySucceeds(_ a: [Double], n: Int) -> Bool {
    var l = a
    for j in 0 ..< n {
        var d = l[j * n + j]
        for k in 0 ..< j { d -= l[j * n + k] * l[j * n + k] }
        if !(d > 0) { return false }
        let root = d.squareRoot()
        l[j * n + j] = root
        for i in (j + 1) ..< max(n, j + 1) {
            var s = l[i * n + j]
            for k in 0 ..< j { s -= l[i * n + k] * l[j * n + k] }
            l[i * n + j] = s / root
        }
    }
    return true
}

/// `A + t I` for a row-major `n × n` matrix.
func shifted(_ a: [Double], n: Int, by t: Double) -> [Double] {
    var b = a
    for i in 0 ..< n { b[i * n + i] += t }
    return b
}

/// The eigenvalues of a symmetric `n × n` matrix, ascending (cyclic Jacobi rotations; small n only).
func symmetricEigenvalues(_ matrix: [Double], n: Int) -> [Double] {
    var a = matrix
    for _ in 0 ..< 100 {
        var off = 0.0
        for i in 0 ..< n { for j in 0 ..< n where i != j { off += a[i * n + j] * a[i * n + j] } }
        var total = 0.0
        for k in 0 ..< n * n { total += a[k] * a[k] }
        if off <= 1e-30 * total || off == 0 { break }
        for p in 0 ..< n {
            for q in (p + 1) ..< max(n, p + 1) where a[p * n + q] != 0 {
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot()
                let s = t * c
                for k in 0 ..< n {
                    let akp = a[k * n + p]
                    let akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0 ..< n {
                    let apk = a[p * n + k]
                    let aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
            }
        }
    }
    return (0 ..< n).map { a[$0 * n + $0] }.sorted()
}

/// The largest eigenvalue of a symmetric matrix.
func largestEigenvalue(_ a: [Double], n: Int) -> Double { symmetricEigenvalues(a, n: n).last ?? 0 }
