/// The one copy of a network's biases and weights that its evaluators read: ``NetworkEvaluator``,
/// ``BatchedEvaluator`` and the network's ``ModelEvaluator`` (which holds one of each) share it, so the
/// weights are copied once per evaluator set, not once per evaluator.
final class NetworkStorage: @unchecked Sendable {
    /// The biases `b`, `dimension` entries.
    let bias: UnsafeMutableBufferPointer<Double>
    /// All weights, one synapse after the other (``blocks``).
    let weights: UnsafeMutableBufferPointer<Double>
    /// One block per synapse, in the network's order.
    let blocks: [DenseBlock]

    init(network: Network) {
        bias = EvaluatorStorage.bias(of: network)
        blocks = EvaluatorStorage.blocks(of: network)
        weights = EvaluatorStorage.weights(of: network)
    }

    deinit {
        bias.deallocate()
        weights.deallocate()
    }
}

/// What ``NetworkStorage`` copies from a network once: zero-filled workspaces, the flat bias, one
/// ``DenseBlock`` per synapse and the weights one synapse after the other. The buffers belong to the
/// caller, who deallocates them.
enum EvaluatorStorage {
    /// A zero-filled buffer of `count` doubles (one element is allocated when `count` is 0).
    static func zeroed(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
        buffer.initialize(repeating: 0)
        return UnsafeMutableBufferPointer(rebasing: buffer[0 ..< count])
    }

    /// The biases of every layer in the flat layout (0 where a layer has none).
    static func bias(of network: Network) -> UnsafeMutableBufferPointer<Double> {
        let bias = zeroed(network.dimension)
        for (a, layer) in network.layers.enumerated() where !layer.bias.isEmpty {
            for i in 0 ..< layer.size { bias[network.offsets[a] + i] = layer.bias[i] }
        }
        return bias
    }

    /// One block per synapse, in the network's order; synapse `s`'s `[n_Q, n_P]` weights start at
    /// the sum of the earlier synapses' sizes.
    static func blocks(of network: Network) -> [DenseBlock] {
        var blocks: [DenseBlock] = []
        var weightCount = 0
        for s in network.synapses.indices {
            let pre = network.preIndices[s]
            let post = network.postIndices[s]
            blocks.append(
                DenseBlock(
                    preOffset: network.offsets[pre], preSize: network.layers[pre].size,
                    postOffset: network.offsets[post], postSize: network.layers[post].size,
                    preLayer: pre, postLayer: post, weightOffset: weightCount))
            weightCount += network.layers[pre].size * network.layers[post].size
        }
        return blocks
    }

    /// Every synapse's weights (a similarity synapse's memories), laid out as ``blocks(of:)`` says.
    static func weights(of network: Network) -> UnsafeMutableBufferPointer<Double> {
        let weights = zeroed(network.weightCount)
        for (block, synapse) in zip(blocks(of: network), network.synapses) {
            let w = synapse.matrix
            for k in 0 ..< min(w.count, block.preSize * block.postSize) { weights[block.weightOffset + k] = w[k] }
        }
        return weights
    }
}
