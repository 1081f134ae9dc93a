import Foundation
import Hopfield
import TestSupport

/// Solves `A x = b` by Gaussian elimination with partial pivoting (row-major `A`), independent of LAPACK.
func gaussSolve(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
    var m = a
    var x = b
    for col in 0 ..< n {
        guard let pivot = (col ..< n).max(by: { abs(m[$0 * n + col]) < abs(m[$1 * n + col]) }),
              abs(m[pivot * n + col]) > 1e-14 else { return nil }
        if pivot != col {
            for j in 0 ..< n { m.swapAt(col * n + j, pivot * n + j) }
            x.swapAt(col, pivot)
        }
        for row in col + 1 ..< n {
            let f = m[row * n + col] / m[col * n + col]
            if f == 0 { continue }
            for j in col ..< n { m[row * n + j] -= f * m[col * n + j] }
            x[row] -= f * x[col]
        }
    }
    for row in stride(from: n - 1, through: 0, by: -1) {
        var s = x[row]
        for j in row + 1 ..< n { s -= m[row * n + j] * x[j] }
        x[row] = s / m[row * n + row]
    }
    return x
}

/// Every fixed point of a network of relu and identity layers with dense synapses, by enumerating the
/// active sets: for each set S of live relu units solve `(I − C D_S) x = b` and keep the solutions whose
/// signs agree with S (`xᵢ > 0` on S, `xᵢ < 0` off S).
func reluFixedPoints(_ network: Network) -> [[Double]] {
    let n = network.dimension
    var b = [Double](repeating: 0, count: n)
    var isRelu = [Bool](repeating: false, count: n)
    for (a, layer) in network.layers.enumerated() {
        precondition(layer.lagrangian == .relu || layer.lagrangian == .identity)
        for i in 0 ..< layer.size {
            b[network.offsets[a] + i] = layer.bias(at: i)
            isRelu[network.offsets[a] + i] = layer.lagrangian == .relu
        }
    }
    var c = [Double](repeating: 0, count: n * n)
    for (s, synapse) in network.synapses.enumerated() {
        guard case .dense(let w) = synapse.kind else { continue }
        let pre = network.preIndices[s], post = network.postIndices[s]
        let nP = network.layers[pre].size
        for q in 0 ..< network.layers[post].size {
            for p in 0 ..< nP {
                c[(network.offsets[post] + q) * n + network.offsets[pre] + p] += w[q * nP + p]
                c[(network.offsets[pre] + p) * n + network.offsets[post] + q] += w[q * nP + p]
            }
        }
    }
    let reluUnits = (0 ..< n).filter { isRelu[$0] }
    var found: [[Double]] = []
    for mask in 0 ..< (1 << reluUnits.count) {
        var live = [Bool](repeating: true, count: n)
        for (k, i) in reluUnits.enumerated() { live[i] = mask & (1 << k) != 0 }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n {
            for j in 0 ..< n { a[i * n + j] = (i == j ? 1 : 0) - (live[j] ? c[i * n + j] : 0) }
        }
        guard let x = gaussSolve(a, b, n: n) else { continue }
        if reluUnits.allSatisfy({ live[$0] ? x[$0] > 0 : x[$0] < 0 }) { found.append(x) }
    }
    return found
}

/// The example of examples/dead_neurons_relu: a fast relu layer (6 units, τ = 0.2) and a slow one
/// (4 units, τ = 4). Its only fixed point (by active-set enumeration) has dead units fast 2, 4 and slow 2.
func exampleReluNetwork() throws -> Network {
    try Network(
        layers: [
            Layer(name: "fast", size: 6, lagrangian: .relu, tau: 0.2, bias: [1.0, 0.5, -0.5, 0.8, -1.0, 0.3]),
            Layer(name: "slow", size: 4, lagrangian: .relu, tau: 4, bias: [-0.2, 0.4, -1.0, -0.1]),
        ],
        synapses: [
            .dense(pre: "fast", post: "slow", weights: [
                0.4, 0.3, 0.2, -0.2, 0.1, 0.0,
                -0.3, 0.2, 0.1, 0.3, -0.2, 0.4,
                0.1, -0.4, 0.3, 0.0, 0.2, -0.3,
                0.2, 0.1, -0.3, 0.4, 0.0, 0.2,
            ])
        ])
}
