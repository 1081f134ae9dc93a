/// A validation error: where (a JSON-style path such as `layers[1].tau`) and what is wrong.
public struct NetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the offending field, e.g. `layers[1].tau` or `synapses[0].weights`.
    public var path: String
    /// What is wrong, e.g. `must be > 0, got -1`.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// An immutable network of layers joined by synapses (docs/math.md §1).
///
/// The whole state is one flat vector: layer A occupies `offsets[A] ..< offsets[A] + layers[A].size`.
/// Construction validates everything and throws a ``NetworkError`` naming the offending field.
public struct Network: Sendable, Hashable {
    /// The layers, in order.
    public let layers: [Layer]
    /// The synapses.
    public let synapses: [Synapse]
    /// Start of each layer in the flat state vector.
    public let offsets: [Int]
    /// Indices of the pre layer of each synapse.
    public let preIndices: [Int]
    /// Indices of the post layer of each synapse.
    public let postIndices: [Int]

    /// The total number of units (length of the flat state).
    public var dimension: Int { offsets.last.map { $0 + layers[layers.count - 1].size } ?? 0 }

    /// Creates and validates a network.
    ///
    /// - Throws: ``NetworkError`` for an empty network, duplicate or empty names, bad shapes, τ ≤ 0 or
    ///   non-finite, biases or clamp masks of the wrong length, non-finite biases, invalid Lagrangian parameters, synapse ends
    ///   that name no layer, weights or memories of the wrong size or non-finite, and a similarity synapse
    ///   from a layer to itself.
    public init(layers: [Layer], synapses: [Synapse]) throws(NetworkError) {
        if layers.isEmpty { throw NetworkError(path: "layers", message: "must hold at least one layer") }
        var names: [String: Int] = [:]
        var offsets: [Int] = []
        var offset = 0
        for (i, layer) in layers.enumerated() {
            let p = "layers[\(i)]"
            if layer.name.isEmpty { throw NetworkError(path: "\(p).name", message: "must not be empty") }
            if names[layer.name] != nil {
                throw NetworkError(path: "\(p).name", message: "duplicate layer name \"\(layer.name)\"")
            }
            names[layer.name] = i
            if layer.shape.isEmpty || layer.shape.contains(where: { $0 <= 0 }) {
                throw NetworkError(path: "\(p).shape", message: "must be positive integers, got \(layer.shape)")
            }
            if !(layer.tau.isFinite && layer.tau > 0) {
                throw NetworkError(path: "\(p).tau", message: "must be > 0, got \(layer.tau)")
            }
            if !layer.bias.isEmpty {
                if layer.bias.count != layer.size {
                    throw NetworkError(
                        path: "\(p).bias", message: "has \(layer.bias.count) entries, expected \(layer.size)")
                }
                if let bad = layer.bias.firstIndex(where: { !$0.isFinite }) {
                    throw NetworkError(path: "\(p).bias", message: "entry \(bad) is not finite (\(layer.bias[bad]))")
                }
            }
            if !layer.clamp.isEmpty, layer.clamp.count != layer.size {
                throw NetworkError(
                    path: "\(p).clamp", message: "has \(layer.clamp.count) entries, expected \(layer.size)")
            }
            if let (parameter, message) = layer.lagrangian.validate(size: layer.size) {
                throw NetworkError(path: "\(p).lagrangian.\(parameter)", message: message)
            }
            offsets.append(offset)
            offset += layer.size
        }
        var pres: [Int] = []
        var posts: [Int] = []
        for (s, synapse) in synapses.enumerated() {
            let p = "synapses[\(s)]"
            guard let pre = names[synapse.pre] else {
                throw NetworkError(path: "\(p).pre", message: "names no layer: \"\(synapse.pre)\"")
            }
            guard let post = names[synapse.post] else {
                throw NetworkError(path: "\(p).post", message: "names no layer: \"\(synapse.post)\"")
            }
            let key: String
            switch synapse.kind {
            case .dense: key = "weights"
            case .similarity:
                key = "memories"
                if pre == post {
                    throw NetworkError(
                        path: "\(p).post", message: "a \(synapse.typeName) synapse must join two different layers, got \"\(synapse.post)\" twice")
                }
            }
            let weights = synapse.matrix
            let expected = layers[post].size * layers[pre].size
            if weights.count != expected {
                throw NetworkError(
                    path: "\(p).\(key)",
                    message: "has \(weights.count) entries, expected [\(layers[post].size), \(layers[pre].size)] = \(expected)")
            }
            if let bad = weights.firstIndex(where: { !$0.isFinite }) {
                throw NetworkError(path: "\(p).\(key)", message: "entry \(bad) is not finite (\(weights[bad]))")
            }
            pres.append(pre)
            posts.append(post)
        }
        self.layers = layers
        self.synapses = synapses
        self.offsets = offsets
        self.preIndices = pres
        self.postIndices = posts
    }

    /// Whether every synapse is bilinear (dense or dot-product similarity), so that the dynamics are
    /// `r = b − x + C g(x)` with a constant coupling matrix `C` (docs/math.md §1, §3).
    public var isBilinear: Bool { synapses.allSatisfy(\.isBilinear) }

    /// The number of synaptic weights, `Σ_{P→Q} n_P n_Q` over all synapses (the memories of a
    /// similarity synapse count as its weights): the size that decides whether batched products pay.
    public var weightCount: Int {
        synapses.indices.reduce(0) { $0 + layers[preIndices[$1]].size * layers[postIndices[$1]].size }
    }

    /// The index of the layer with this name.
    public func layerIndex(named name: String) -> Int? { layers.firstIndex { $0.name == name } }

    /// The flat-state index range of layer `index`.
    public func range(ofLayer index: Int) -> Range<Int> { offsets[index] ..< offsets[index] + layers[index].size }

    /// The time constant of every unit of the flat state, in order.
    public var timeConstants: [Double] {
        layers.flatMap { Array(repeating: $0.tau, count: $0.size) }
    }

    /// Whether any layer clamps a unit.
    public var hasClampedUnits: Bool { layers.contains { $0.clamp.contains(true) } }

    public static func == (a: Network, b: Network) -> Bool { a.layers == b.layers && a.synapses == b.synapses }
    public func hash(into h: inout Hasher) { h.combine(layers); h.combine(synapses) }
}
