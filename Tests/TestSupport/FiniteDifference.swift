/// Central finite differences.
public enum FiniteDifference {
    /// `∂f/∂x_j ≈ (f(x + h e_j) − f(x − h e_j)) / 2h`.
    public static func gradient(_ f: ([Double]) -> Double, at x: [Double], step h: Double) -> [Double] {
        (0 ..< x.count).map { j in
            var plus = x
            var minus = x
            plus[j] += h
            minus[j] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
    }

    /// Row-major `m × n` Jacobian: `result[i * n + j] ≈ ∂f_i/∂x_j`.
    public static func jacobian(_ f: ([Double]) -> [Double], at x: [Double], step h: Double) -> [Double] {
        let n = x.count
        var columns: [[Double]] = []
        for j in 0 ..< n {
            var plus = x
            var minus = x
            plus[j] += h
            minus[j] -= h
            let fp = f(plus)
            let fm = f(minus)
            columns.append(zip(fp, fm).map { ($0 - $1) / (2 * h) })
        }
        let m = columns.first?.count ?? 0
        var result = [Double](repeating: 0, count: m * n)
        for j in 0 ..< n { for i in 0 ..< m { result[i * n + j] = columns[j][i] } }
        return result
    }
}
