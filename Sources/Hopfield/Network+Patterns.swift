/// Stored patterns: the rows of dense weights seen from a layer.
extension Network {
    /// The patterns stored for layer `index`: each row of a dense synapse's weights or a similarity
    /// synapse's memories whose pre layer is this layer (the memories of a Krotov–Hopfield network),
    /// row-major `count × size`.
    public func storedPatterns(ofLayer index: Int) -> (count: Int, values: [Double]) {
        var values: [Double] = []
        var count = 0
        for (s, synapse) in synapses.enumerated() where preIndices[s] == index {
            values += synapse.matrix
            count += layers[postIndices[s]].size
        }
        return (count, values)
    }

    /// The index of the stored pattern of layer `index` nearest (Euclidean) to the layer's activation
    /// `g(x)` at the layer state `state`, and that distance.
    ///
    /// The activation is what the synapses see (for identity layers it is the state itself; for tanh
    /// layers storing ±1 patterns it is `tanh(βx)`, which approaches the pattern).
    public func nearestStoredPattern<C: Collection<Double>>(ofLayer index: Int, to state: C) -> (index: Int, distance: Double)? {
        let (count, patterns) = storedPatterns(ofLayer: index)
        let n = layers[index].size
        guard count > 0, state.count == n else { return nil }
        let values = layers[index].lagrangian.activation(Array(state))
        var best = (index: 0, distance: Double.infinity)
        for k in 0 ..< count {
            var d = 0.0
            for (j, v) in values.enumerated() {
                let e = patterns[k * n + j] - v
                d += e * e
            }
            if d < best.distance { best = (k, d) }
        }
        return (best.index, best.distance.squareRoot())
    }
}
