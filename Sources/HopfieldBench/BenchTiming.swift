import Dispatch
import Foundation

/// Wall-clock timing and the log–log fit of the benchmark.
public enum BenchTiming {
    /// Seconds since an arbitrary origin (monotonic).
    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The best (smallest) time of `body` over at least `minimumRuns` runs, repeating until
    /// `minimumSeconds` were spent (at most `maximumRuns`).
    ///
    /// - Parameters:
    ///   - minimumRuns: Run at least this often.
    ///   - maximumRuns: Run at most this often.
    ///   - minimumSeconds: Keep repeating until this much time was spent.
    ///   - body: The work to time.
    /// - Returns: The best time in seconds.
    public static func best(minimumRuns: Int = 3, maximumRuns: Int = 1000, minimumSeconds: Double, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        var spent = 0.0
        var runs = 0
        while runs < minimumRuns || (spent < minimumSeconds && runs < maximumRuns) {
            let start = now()
            try body()
            let t = now() - start
            best = min(best, t)
            spent += t
            runs += 1
        }
        return best
    }

    /// The least-squares slope `p` of `log y = a + p log x`: the exponent of `y ∝ xᵖ`.
    ///
    /// ```
    /// p = Σ (log x_i − m_x)(log y_i − m_y) / Σ (log x_i − m_x)²
    /// ```
    ///
    /// - Parameters:
    ///   - x: The abscissae (> 0).
    ///   - y: The ordinates (> 0).
    /// - Returns: `p`, or NaN when all `x` are equal.
    public static func exponent(_ x: [Double], _ y: [Double]) -> Double {
        let lx = x.map { log($0) }, ly = y.map { log($0) }
        let mx = lx.reduce(0, +) / Double(lx.count), my = ly.reduce(0, +) / Double(ly.count)
        var sxy = 0.0, sxx = 0.0
        for i in lx.indices {
            sxy += (lx[i] - mx) * (ly[i] - my)
            sxx += (lx[i] - mx) * (lx[i] - mx)
        }
        return sxx > 0 ? sxy / sxx : .nan
    }
}
