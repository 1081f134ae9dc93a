import Foundation
import Hopfield

/// Reproducible test data from the library's seeded `SplitMix64`.
extension SplitMix64 {
    mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
    mutating func normal() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne ... 1, using: &self)
        let u2 = Double.random(in: 0 ... 1, using: &self)
        return (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }
    mutating func vector(_ n: Int, scale: Double = 1) -> [Double] { (0 ..< n).map { _ in scale * normal() } }
}

@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }

/// A Lagrangian of each kind with moderate parameters, for random networks.
func sampleLagrangian(_ name: String, size: Int, rng: inout SplitMix64) -> Lagrangian {
    switch name {
    case "identity": .identity
    case "relu": .relu
    case "repu": .repu(n: [2.0, 3.0].randomElement(using: &rng)!)
    case "exp": .exp(beta: rng.uniform(0.2 ... 1))
    case "rexp": .rexp(beta: rng.uniform(0.2 ... 1))
    case "tanh": .tanh(beta: rng.uniform(0.5 ... 2))
    case "sigmoid": .sigmoid(beta: rng.uniform(0.5 ... 2))
    case "softmax": .softmax(beta: rng.uniform(0.5 ... 3))
    case "ghostmax": .ghostmax(beta: rng.uniform(0.5 ... 3))
    case "layernorm": .layernorm(gamma: rng.uniform(0.5 ... 1.5), delta: rng.vector(size, scale: 0.1), eps: 1e-3)
    default: .spherical(gamma: rng.uniform(0.5 ... 1.5), delta: [], eps: 1e-3)
    }
}

/// Dense matrix exponential by scaling and squaring of a Taylor series (independent of the library).
func matrixExponential(_ a: [Double], n: Int) -> [Double] {
    let norm = (0 ..< n).map { i in (0 ..< n).reduce(0.0) { $0 + abs(a[i * n + $1]) } }.max() ?? 0
    var squarings = 0
    var scale = 1.0
    while norm * scale > 0.25 { scale /= 2; squarings += 1 }
    let s = a.map { $0 * scale }
    func mul(_ x: [Double], _ y: [Double]) -> [Double] {
        var z = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { for k in 0 ..< n { let xik = x[i * n + k]; for j in 0 ..< n { z[i * n + j] += xik * y[k * n + j] } } }
        return z
    }
    var result = [Double](repeating: 0, count: n * n)
    for i in 0 ..< n { result[i * n + i] = 1 }
    var term = result
    for k in 1 ... 30 {
        term = mul(term, s).map { $0 / Double(k) }
        result = zip(result, term).map(+)
    }
    for _ in 0 ..< squarings { result = mul(result, result) }
    return result
}
