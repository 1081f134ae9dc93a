/// `Σ_i a_i b_i`.
public func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

/// `A v` for a row-major `m × n` matrix.
public func multiply(_ a: [Double], rows m: Int, _ v: [Double]) -> [Double] {
    let n = v.count
    return (0 ..< m).map { i in (0 ..< n).reduce(0) { $0 + a[i * n + $1] * v[$1] } }
}

/// Row-major transpose of an `m × n` matrix.
public func transpose(_ a: [Double], rows m: Int, columns n: Int) -> [Double] {
    var t = [Double](repeating: 0, count: m * n)
    for i in 0 ..< m { for j in 0 ..< n { t[j * m + i] = a[i * n + j] } }
    return t
}
