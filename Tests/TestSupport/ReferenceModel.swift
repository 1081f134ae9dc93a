import Hopfield

/// An independent, loop-only reference model of a network: dense `C` and `H`, `g`, `ẋ`, `E`, `dE/dt`.
public struct ReferenceModel {
    public let network: Network

    /// The reference model of `network`.
    public init(network: Network) { self.network = network }

    public var dimension: Int { network.dimension }

    /// `C` assembled from the synapse weights, row-major `n × n`.
    public var coupling: [Double] {
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

    public func part(_ x: [Double], _ a: Int) -> [Double] { Array(x[network.range(ofLayer: a)]) }

    public func activations(_ x: [Double]) -> [Double] {
        network.layers.indices.flatMap { network.layers[$0].lagrangian.activation(part(x, $0)) }
    }

    /// Block-diagonal `H`, row-major `n × n`.
    public func hessian(_ x: [Double]) -> [Double] {
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

    public var bias: [Double] { network.layers.flatMap { l in (0 ..< l.size).map { l.bias(at: $0) } } }

    public func velocity(_ x: [Double]) -> [Double] {
        let cg = multiply(coupling, rows: dimension, activations(x))
        let b = bias
        let tau = network.timeConstants
        return (0 ..< dimension).map { (b[$0] - x[$0] + cg[$0]) / tau[$0] }
    }

    public func energy(_ x: [Double]) -> Double {
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
    public func energyRate(_ x: [Double]) -> Double {
        let v = velocity(x)
        let hv = multiply(hessian(x), rows: dimension, v)
        let tau = network.timeConstants
        return -(0 ..< dimension).reduce(0) { $0 + tau[$1] * v[$1] * hv[$1] }
    }
}
