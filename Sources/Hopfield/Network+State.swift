/// Building and splitting flat states layer by layer.
extension Network {
    /// Assembles a flat state from per-layer values; layers not named start at 0.
    ///
    /// - Throws: ``NetworkError`` when a name is unknown or a layer's values have the wrong length.
    public func flatState(_ values: [String: [Double]]) throws(NetworkError) -> [Double] {
        var x = [Double](repeating: 0, count: dimension)
        for (name, v) in values.sorted(by: { $0.key < $1.key }) {
            guard let a = layerIndex(named: name) else {
                throw NetworkError(path: name, message: "names no layer (layers: \(layers.map(\.name).joined(separator: ", ")))")
            }
            guard v.count == layers[a].size else {
                throw NetworkError(path: name, message: "has \(v.count) values, layer \"\(name)\" has \(layers[a].size) units")
            }
            x.replaceSubrange(range(ofLayer: a), with: v)
        }
        return x
    }

    /// Splits a flat state into per-layer arrays, in layer order.
    public func layerStates<C: Collection<Double>>(_ x: C) -> [(name: String, values: [Double])] where C.Index == Int {
        layers.indices.map { a in
            let r = range(ofLayer: a)
            let start = x.startIndex
            return (layers[a].name, Array(x[(start + r.lowerBound) ..< (start + r.upperBound)]))
        }
    }
}
