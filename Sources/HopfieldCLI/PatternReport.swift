import Hopfield
import HopfieldIO
import HopfieldSimulation

/// Which stored pattern a layer reached, and the final activations: what `simulate` prints, in its JSON.
///
/// A layer **has stored patterns** when it is a *feature layer*: the pre layer of at least one synapse and
/// the post layer of none. Its stored patterns are the rows of the synapses leaving it (a dense synapse's
/// `weights`, a similarity synapse's `memories`; row μ is what post unit μ stores). A layer that also
/// receives a synapse (a memory layer of a hierarchical network) has none: the rows leaving it are
/// weights to the next level, not memories of it. The nearest pattern is the row nearest in Euclidean
/// distance to the layer's activation `g(x)` (docs/cli.md, "Nearest stored pattern").
enum PatternReport {
    struct Nearest {
        /// The row within its synapse's matrix.
        var index: Int
        /// `‖row − g(x)‖₂`.
        var distance: Double
        /// The synapse whose rows it is one of.
        var synapse: Int
    }

    /// The layers with stored patterns, in file order.
    static func patternLayers(_ network: Network) -> [Int] {
        network.layers.indices.filter { a in
            network.preIndices.contains(a) && !network.postIndices.contains(a)
        }
    }

    /// `synapses[k] (pre → post)`.
    static func synapseLabel(_ network: Network, _ k: Int) -> String {
        "synapses[\(k)] (\(network.synapses[k].pre) → \(network.synapses[k].post))"
    }

    /// The nearest stored pattern of layer `a` at the layer state `state` (nil when it has none).
    static func nearest(_ network: Network, layer a: Int, state: [Double]) -> Nearest? {
        guard patternLayers(network).contains(a) else { return nil }
        let g = network.layers[a].lagrangian.activation(state)
        let n = g.count
        var best: Nearest? = nil
        for (k, synapse) in network.synapses.enumerated() where network.preIndices[k] == a {
            let rows = synapse.matrix
            for mu in 0 ..< rows.count / max(1, n) {
                var d = 0.0
                for j in 0 ..< n {
                    let e = rows[mu * n + j] - g[j]
                    d += e * e
                }
                if best == nil || d < best!.distance * best!.distance {
                    best = Nearest(index: mu, distance: d.squareRoot(), synapse: k)
                }
            }
        }
        return best
    }

    /// The text line of a layer: `visible: nearest stored pattern 3 (distance 0.05)`, naming the synapse
    /// when more than one leaves the layer.
    static func line(_ network: Network, layer a: Int, _ nearest: Nearest) -> String {
        let several = network.preIndices.filter { $0 == a }.count > 1
        let of = several ? " of \(synapseLabel(network, nearest.synapse))" : ""
        return "\(network.layers[a].name): nearest stored pattern \(nearest.index)\(of) (distance \(fmt(nearest.distance)))"
    }

    static func nearestJSON(_ network: Network, _ nearest: Nearest) -> JSON {
        .object([
            ("index", .int(nearest.index)), ("distance", .number(nearest.distance)),
            ("of", .string(synapseLabel(network, nearest.synapse))),
        ])
    }

    /// `{layer: g(x_final)}` for every layer (`{layer: [[…] per trajectory]}` for a batch).
    static func finalActivations(_ network: Network, _ results: [TrajectorySolution], batch: Bool) -> JSON {
        .object(network.layers.map { layer in
            let values = results.map { JSON.numbers(layer.lagrangian.activation($0.final[layer.name]!)) }
            return (layer.name, batch ? .array(values) : values[0])
        })
    }

    /// `{layer: {index, distance, of}}` for the layers with stored patterns (a list per trajectory for a batch).
    /// Nearest stored patterns found outside a ``Network``: those of a network whose memory layer is split
    /// over processes (the feature layer `layer` of the report's network, one match per trajectory, each
    /// found by the process holding the row).
    struct Found {
        /// The feature layer's index.
        var layer: Int
        /// The split synapse, as ``synapseLabel(_:_:)`` spells it.
        var label: String
        /// One match per trajectory.
        var matches: [SplitPatternMatch]

        func json(_ b: Int) -> JSON {
            .object([
                ("index", .int(matches[b].index)), ("distance", .number(matches[b].distance)), ("of", .string(label)),
            ])
        }

        func line(_ network: Network, _ b: Int) -> String {
            "\(network.layers[layer].name): nearest stored pattern \(matches[b].index) (distance \(fmt(matches[b].distance)))"
        }
    }

    static func nearestPatterns(_ network: Network, _ results: [TrajectorySolution], batch: Bool, found: Found? = nil) -> JSON {
        if let found {
            let values = results.indices.map(found.json)
            return .object([(network.layers[found.layer].name, batch ? .array(values) : values[0])])
        }
        return .object(patternLayers(network).map { a in
            let layer = network.layers[a]
            let values = results.map { r in
                nearest(network, layer: a, state: r.final[layer.name]!).map { nearestJSON(network, $0) } ?? .null
            }
            return (layer.name, batch ? .array(values) : values[0])
        })
    }

    /// The layout of the flat state, as in trajectory.npy's last axis: `[{name, offset, shape}]`.
    static func layout(_ network: Network) -> JSON {
        .array(network.layers.indices.map { a in
            .object([
                ("name", .string(network.layers[a].name)), ("offset", .int(network.offsets[a])),
                ("shape", .array(network.layers[a].shape.map { .int($0) })),
            ])
        })
    }
}
