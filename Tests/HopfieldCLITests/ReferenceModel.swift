import Foundation

/// An independent, plain implementation of docs/math.md §1–2 (no code shared with the library) and a
/// Dormand–Prince 5(4) integrator, to check what `hopfield simulate` prints.
struct ReferenceLayer {
    var name: String
    var size: Int
    var type: String
    var beta = 1.0, n = 2.0, gamma = 1.0, eps = 1e-5
    var delta: [Double] = []
    var tau = 1.0
    var bias: [Double]

    func d(_ i: Int) -> Double { delta.isEmpty ? 0 : delta.count == 1 ? delta[0] : delta[i] }

    func activation(_ x: [Double]) -> [Double] {
        switch type {
        case "identity": return x
        case "relu": return x.map { max($0, 0) }
        case "repu": return x.map { pow(max($0, 0), n - 1) }
        case "exp": return x.map { Foundation.exp(beta * $0) }
        case "rexp": return x.map { $0 > 0 ? Foundation.exp(beta * $0) - 1 : 0 }
        case "tanh": return x.map { Foundation.tanh(beta * $0) }
        case "sigmoid": return x.map { 1 / (1 + Foundation.exp(-beta * $0)) }
        case "softmax":
            let e = x.map { Foundation.exp(beta * $0) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        case "ghostmax":
            let e = x.map { Foundation.exp(beta * $0) }
            let s = 1 + e.reduce(0, +)
            return e.map { $0 / s }
        case "layernorm":
            let mean = x.reduce(0, +) / Double(size)
            let s = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(size) + eps).squareRoot()
            return x.indices.map { gamma * (x[$0] - mean) / s + d($0) }
        default:  // spherical
            let r = (x.map { $0 * $0 }.reduce(0, +) + eps).squareRoot()
            return x.indices.map { gamma * x[$0] / r + d($0) }
        }
    }

    func lagrangian(_ x: [Double]) -> Double {
        switch type {
        case "identity": return x.map { $0 * $0 / 2 }.reduce(0, +)
        case "relu": return x.map { max($0, 0) * max($0, 0) / 2 }.reduce(0, +)
        case "repu": return x.map { pow(max($0, 0), n) / n }.reduce(0, +)
        case "exp": return x.map { Foundation.exp(beta * $0) / beta }.reduce(0, +)
        case "rexp": return x.map { Foundation.exp(beta * max($0, 0)) / beta - max($0, 0) }.reduce(0, +)
        case "tanh": return x.map { Foundation.log(Foundation.cosh(beta * $0)) / beta }.reduce(0, +)
        case "sigmoid": return x.map { Foundation.log(1 + Foundation.exp(beta * $0)) / beta }.reduce(0, +)
        case "softmax": return Foundation.log(x.map { Foundation.exp(beta * $0) }.reduce(0, +)) / beta
        case "ghostmax": return Foundation.log(1 + x.map { Foundation.exp(beta * $0) }.reduce(0, +)) / beta
        case "layernorm":
            let mean = x.reduce(0, +) / Double(size)
            let s = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(size) + eps).squareRoot()
            return Double(size) * gamma * s + x.indices.map { d($0) * x[$0] }.reduce(0, +)
        default:
            let r = (x.map { $0 * $0 }.reduce(0, +) + eps).squareRoot()
            return gamma * r + x.indices.map { d($0) * x[$0] }.reduce(0, +)
        }
    }
}

struct ReferenceNetwork {
    var layers: [ReferenceLayer]
    /// (pre, post, weights row-major [post][pre])
    var synapses: [(pre: Int, post: Int, w: [[Double]])]

    func split(_ x: [Double]) -> [[Double]] {
        var out: [[Double]] = []
        var o = 0
        for l in layers { out.append(Array(x[o ..< o + l.size])); o += l.size }
        return out
    }

    func energy(_ x: [Double]) -> Double {
        let xs = split(x)
        let gs = zip(layers, xs).map { $0.activation($1) }
        var e = 0.0
        for (a, l) in layers.enumerated() {
            for i in 0 ..< l.size { e += (xs[a][i] - l.bias[i]) * gs[a][i] }
            e -= l.lagrangian(xs[a])
        }
        for s in synapses {
            for q in 0 ..< layers[s.post].size { for p in 0 ..< layers[s.pre].size { e -= gs[s.post][q] * s.w[q][p] * gs[s.pre][p] } }
        }
        return e
    }

    func field(_ x: [Double]) -> [Double] {
        let xs = split(x)
        let gs = zip(layers, xs).map { $0.activation($1) }
        var input = zip(layers, xs).map { l, x in (0 ..< l.size).map { l.bias[$0] - x[$0] } }
        for s in synapses {
            for q in 0 ..< layers[s.post].size {
                for p in 0 ..< layers[s.pre].size {
                    input[s.post][q] += s.w[q][p] * gs[s.pre][p]
                    input[s.pre][p] += s.w[q][p] * gs[s.post][q]
                }
            }
        }
        return zip(layers, input).flatMap { l, r in r.map { $0 / l.tau } }
    }

    /// Dormand–Prince 5(4) with error control (mixed absolute/relative tolerance).
    func integrate(_ x0: [Double], to tEnd: Double, rtol: Double = 1e-12, atol: Double = 1e-13) -> [Double] {
        let c: [[Double]] = [
            [], [0.2], [0.075, 0.225], [44 / 45.0, -56 / 15.0, 32 / 9.0],
            [19372 / 6561.0, -25360 / 2187.0, 64448 / 6561.0, -212 / 729.0],
            [9017 / 3168.0, -355 / 33.0, 46732 / 5247.0, 49 / 176.0, -5103 / 18656.0],
            [35 / 384.0, 0, 500 / 1113.0, 125 / 192.0, -2187 / 6784.0, 11 / 84.0],
        ]
        let b5: [Double] = c[6] + [0]
        var b4: [Double] = [5179 / 57600.0, 0, 7571 / 16695.0, 393 / 640.0]
        b4 += [-92097 / 339200.0, 187 / 2100.0, 1 / 40.0]
        var x = x0, t = 0.0, h = 1e-4
        while t < tEnd {
            h = min(h, tEnd - t)
            var k: [[Double]] = []
            for stage in 0 ..< 7 {
                var y = x
                for (j, a) in c[stage].enumerated() where a != 0 { for i in y.indices { y[i] += h * a * k[j][i] } }
                k.append(field(y))
            }
            var x5 = x, err = 0.0
            for i in x.indices {
                var d5 = 0.0, d4 = 0.0
                for s in 0 ..< 7 { d5 += b5[s] * k[s][i]; d4 += b4[s] * k[s][i] }
                x5[i] += h * d5
                let sc = atol + rtol * max(abs(x[i]), abs(x5[i]))
                err = max(err, abs(h * (d5 - d4)) / sc)
            }
            if err <= 1 { t += h; x = x5 }
            h *= min(5, max(0.2, 0.9 * pow(max(err, 1e-10), -0.2)))
        }
        return x
    }
}
