import Dispatch
import Foundation

/// Wall-clock timing and the log–log fit of the benchmark.
enum BenchTiming {
    /// Seconds since an arbitrary origin (monotonic).
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The best (smallest) time of `body` over at least `minimumRuns` runs, repeating until
    /// `minimumSeconds` were spent (at most `maximumRuns`).
    static func best(minimumRuns: Int = 3, maximumRuns: Int = 1000, minimumSeconds: Double, _ body: () throws -> Void) rethrows -> Double {
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
    static func exponent(_ x: [Double], _ y: [Double]) -> Double {
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
