import Hopfield

/// The eleven Lagrangians, with parameters that fit a layer of `size` units (per-unit δ where it applies).
public func sampleLagrangians(size: Int, zeroEps: Bool = false) -> [Lagrangian] {
    let perUnit = (0 ..< size).map { 0.1 * Double($0) - 0.2 }
    return [
        .identity, .relu, .repu(n: 3), .exp(beta: 0.7), .rexp(beta: 1.3), .tanh(beta: 1.5), .sigmoid(beta: 2),
        .softmax(beta: 2), .ghostmax(beta: 1.5),
        .layernorm(gamma: 1.2, delta: perUnit, eps: zeroEps ? 0 : 0.01),
        .spherical(gamma: 0.8, delta: [0.1], eps: zeroEps ? 0 : 0.05),
    ]
}

/// A Lagrangian of each kind with moderate parameters, for random networks.
public func sampleLagrangian(_ name: String, size: Int, rng: inout SplitMix64) -> Lagrangian {
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
    case "layernorm": .layernorm(gamma: rng.uniform(0.5 ... 1.5), delta: (0 ..< size).map { _ in 0.1 * rng.normal() }, eps: 1e-3)
    default: .spherical(gamma: rng.uniform(0.5 ... 1.5), delta: [], eps: 1e-3)
    }
}

/// A random network: the given layers (Lagrangian and size), τ uniform in [0.5, 2], biases in ±0.5,
/// and dense synapses `(pre, post)` with weights uniform in `±weightScale`.
public func randomNetwork(
    _ layers: [(Lagrangian, Int)], synapses: [(Int, Int)], rng: inout SplitMix64, weightScale: Double = 0.5
) throws -> Network {
    var built: [Layer] = []
    for (a, spec) in layers.enumerated() {
        built.append(
            Layer(
                name: "L\(a)", size: spec.1, lagrangian: spec.0, tau: rng.uniform(0.5, 2),
                bias: (0 ..< spec.1).map { _ in rng.uniform(-0.5, 0.5) }))
    }
    var dense: [Synapse] = []
    for (pre, post) in synapses {
        dense.append(
            .dense(
                pre: "L\(pre)", post: "L\(post)",
                weights: (0 ..< layers[pre].1 * layers[post].1).map { _ in rng.uniform(-weightScale, weightScale) }))
    }
    return try Network(layers: built, synapses: dense)
}

/// A random network of two or three layers with the given Lagrangians, random τ, biases and weights.
public func randomNetwork(_ lagrangians: [Lagrangian], sizes: [Int], weightScale: Double, rng: inout SplitMix64) throws -> Network {
    var layers: [Layer] = []
    for (i, (l, n)) in zip(lagrangians, sizes).enumerated() {
        layers.append(Layer(name: "L\(i)", size: n, lagrangian: l, tau: rng.uniform(0.2 ... 2), bias: rng.vector(n, -1 ... 1)))
    }
    var synapses: [Synapse] = []
    for i in 1 ..< layers.count {
        synapses.append(.dense(pre: "L\(i - 1)", post: "L\(i)", weights: rng.vector(sizes[i] * sizes[i - 1], -weightScale ... weightScale)))
    }
    return try Network(layers: layers, synapses: synapses)
}
