import Foundation
import Hopfield
import TestSupport
import Testing

@Suite("VectorExponential against libm")
struct VectorExponentialTests {
    /// The distance in units in the last place between two positive doubles.
    func ulps(_ a: Double, _ b: Double) -> UInt64 {
        let x = a.bitPattern, y = b.bitPattern
        return x > y ? x - y : y - x
    }

    @Test("within 2 ulp of libm's exp on 10⁶ seeded arguments in [−708, 709] and near the reduction boundaries")
    func accuracy() {
        var rng = SplitMix64(seed: 17)
        var worst: UInt64 = 0
        var worstAt = 0.0
        var arguments = (0 ..< 1_000_000).map { _ in Double.random(in: -708 ... 709, using: &rng) }
        arguments += (0 ..< 10_000).map { _ in Double.random(in: -1 ... 1, using: &rng) }
        arguments += (-1000 ... 1000).map { Double($0) * log(2.0) / 2 }  // r = ±ln2/2 edges
        arguments += [0, -0.0, 1, -1, 1e-300, -1e-300, 709.78, -708.39]
        var out = [Double](repeating: 0, count: arguments.count)
        arguments.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { VectorExponential.exponentials(x.baseAddress!, count: x.count, into: $0.baseAddress!) }
        }
        for (x, e) in zip(arguments, out) {
            let d = ulps(e, Foundation.exp(x))
            if d > worst { worst = d; worstAt = x }
        }
        #expect(worst <= 2, "worst \(worst) ulp at x = \(worstAt)")
    }

    @Test("edges: underflow to 0 below −708.4, +∞ above 709.79, NaN stays NaN, e⁰ = 1")
    func edges() {
        #expect(VectorExponential.exponential(-709) == 0)
        #expect(VectorExponential.exponential(-1e308) == 0)
        #expect(VectorExponential.exponential(-.infinity) == 0)
        #expect(VectorExponential.exponential(710) == .infinity)
        #expect(VectorExponential.exponential(.infinity) == .infinity)
        #expect(VectorExponential.exponential(.nan).isNaN)
        #expect(VectorExponential.exponential(0) == 1)
        #expect(VectorExponential.exponential(-708.3) > 0)
        #expect(VectorExponential.exponential(-708.3).isNormal)
        #expect(VectorExponential.exponential(709.7).isFinite)
    }
}
