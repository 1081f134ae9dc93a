import Foundation
import Hopfield

/// Reproducible test data from the library's seeded `SplitMix64`.
extension SplitMix64 {
    /// Uniform in `[a, b)`.
    mutating func uniform(_ a: Double, _ b: Double) -> Double { Double.random(in: a ..< b, using: &self) }

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

/// Central finite differences.
enum FiniteDifference {
    /// `∂f/∂x_j ≈ (f(x + h e_j) − f(x − h e_j)) / 2h`.
    static func gradient(_ f: ([Double]) -> Double, at x: [Double], step h: Double) -> [Double] {
        (0 ..< x.count).map { j in
            var plus = x
            var minus = x
            plus[j] += h
            minus[j] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
    }

    /// Row-major `m × n` Jacobian: `result[i * n + j] ≈ ∂f_i/∂x_j`.
    static func jacobian(_ f: ([Double]) -> [Double], at x: [Double], step h: Double) -> [Double] {
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

/// The largest `|a_i − b_i| / (rtol (|a_i| + scale) + atol)`: ≤ 1 means every entry agrees. `scale`
/// defaults to `max |a|`, making the tolerance relative to the whole vector or matrix.
func worstRatio(
    _ a: [Double], _ b: [Double], relative rtol: Double, scale: Double? = nil, absolute atol: Double = 0
) -> Double {
    precondition(a.count == b.count)
    let s = scale ?? maxAbs(a)
    var worst = 0.0
    for i in a.indices {
        let ratio = abs(a[i] - b[i]) / (rtol * (abs(a[i]) + s) + atol)
        if ratio.isNaN { return .infinity }
        worst = max(worst, ratio)
    }
    return worst
}

func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

/// `A v` for a row-major `m × n` matrix.
func multiply(_ a: [Double], rows m: Int, _ v: [Double]) -> [Double] {
    let n = v.count
    return (0 ..< m).map { i in (0 ..< n).reduce(0) { $0 + a[i * n + $1] * v[$1] } }
}

/// Row-major transpose of an `m × n` matrix.
func transpose(_ a: [Double], rows m: Int, columns n: Int) -> [Double] {
    var t = [Double](repeating: 0, count: m * n)
    for i in 0 ..< m { for j in 0 ..< n { t[j * m + i] = a[i * n + j] } }
    return t
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

/// The eleven Lagrangians, with parameters that fit a layer of `size` units (per-unit δ where it applies).
func sampleLagrangians(size: Int, zeroEps: Bool = false) -> [Lagrangian] {
    let perUnit = (0 ..< size).map { 0.1 * Double($0) - 0.2 }
    return [
        .identity, .relu, .repu(n: 3), .exp(beta: 0.7), .rexp(beta: 1.3), .tanh(beta: 1.5), .sigmoid(beta: 2),
        .softmax(beta: 2), .ghostmax(beta: 1.5),
        .layernorm(gamma: 1.2, delta: perUnit, eps: zeroEps ? 0 : 0.01),
        .spherical(gamma: 0.8, delta: [0.1], eps: zeroEps ? 0 : 0.05),
    ]
}

/// A random network: the given layers (Lagrangian and size), τ uniform in [0.5, 2], biases in ±0.5,
/// and dense synapses `(pre, post)` with weights uniform in `±weightScale`.
func randomNetwork(
    _ layers: [(Lagrangian, Int)], synapses: [(Int, Int)], rng: inout SplitMix64, weightScale: Double = 0.5
) throws -> Network {
    var built: [Layer] = []
    for (a, spec) in layers.enumerated() {
        built.append(
            Layer(
                name: "L\(a)", size: spec.1, lagrangian: spec.0, tau: rng.uniform(0.5, 2),
                bias: rng.vector(spec.1, -0.5, 0.5)))
    }
    var dense: [Synapse] = []
    for (pre, post) in synapses {
        dense.append(
            .dense(
                pre: "L\(pre)", post: "L\(post)",
                weights: rng.vector(layers[pre].1 * layers[post].1, -weightScale, weightScale)))
    }
    return try Network(layers: built, synapses: dense)
}

/// An independent, loop-only reference model of a network: dense `C` and `H`, `g`, `ẋ`, `E`, `dE/dt`.
struct ReferenceModel {
    let network: Network

    var dimension: Int { network.dimension }

    /// `C` assembled from the synapse weights, row-major `n × n`.
    var coupling: [Double] {
        let n = dimension
        var c = [Double](repeating: 0, count: n * n)
        for (s, synapse) in network.synapses.enumerated() {
            guard case .dense(let w) = synapse.kind else { continue }
            let p0 = network.offsets[network.preIndices[s]]
            let q0 = network.offsets[network.postIndices[s]]
            let nP = network.layers[network.preIndices[s]].size
            let nQ = network.layers[network.postIndices[s]].size
            for q in 0 ..< nQ {
                for p in 0 ..< nP {
                    c[(q0 + q) * n + p0 + p] += w[q * nP + p]
                    c[(p0 + p) * n + q0 + q] += w[q * nP + p]
                }
            }
        }
        return c
    }

    func part(_ x: [Double], _ a: Int) -> [Double] { Array(x[network.range(ofLayer: a)]) }

    func activations(_ x: [Double]) -> [Double] {
        network.layers.indices.flatMap { network.layers[$0].lagrangian.activation(part(x, $0)) }
    }

    /// Block-diagonal `H`, row-major `n × n`.
    func hessian(_ x: [Double]) -> [Double] {
        let n = dimension
        var h = [Double](repeating: 0, count: n * n)
        for (a, layer) in network.layers.enumerated() {
            let block = layer.lagrangian.hessian(at: part(x, a))
            let o = network.offsets[a]
            for i in 0 ..< layer.size {
                for j in 0 ..< layer.size { h[(o + i) * n + o + j] = block[i * layer.size + j] }
            }
        }
        return h
    }

    var bias: [Double] { network.layers.flatMap { l in (0 ..< l.size).map { l.bias(at: $0) } } }

    func velocity(_ x: [Double]) -> [Double] {
        let cg = multiply(coupling, rows: dimension, activations(x))
        let b = bias
        let tau = network.timeConstants
        return (0 ..< dimension).map { (b[$0] - x[$0] + cg[$0]) / tau[$0] }
    }

    func energy(_ x: [Double]) -> Double {
        let g = activations(x)
        let b = bias
        var e = 0.0
        for i in 0 ..< dimension { e += (x[i] - b[i]) * g[i] }
        for (a, layer) in network.layers.enumerated() { e -= layer.lagrangian.value(part(x, a)) }
        for (s, synapse) in network.synapses.enumerated() {
            guard case .dense(let w) = synapse.kind else { continue }
            let gP = part(g, network.preIndices[s])
            let gQ = part(g, network.postIndices[s])
            for q in gQ.indices { for p in gP.indices { e -= gQ[q] * w[q * gP.count + p] * gP[p] } }
        }
        return e
    }

    /// `−Σ_i τ_i ẋ_i (H ẋ)_i`.
    func energyRate(_ x: [Double]) -> Double {
        let v = velocity(x)
        let hv = multiply(hessian(x), rows: dimension, v)
        let tau = network.timeConstants
        return -(0 ..< dimension).reduce(0) { $0 + tau[$1] * v[$1] * hv[$1] }
    }
}
