import Foundation
import Hopfield

extension NetworkFile {
    /// Encodes a network as a format-1 network file with every array inline.
    ///
    /// Every Lagrangian parameter is written explicitly; a 1-D layer is written with `size`, any other
    /// with `shape`; an empty bias or delta is left out. Numbers are written in Swift's shortest
    /// round-tripping form, so ``decode(data:baseDirectory:fileName:)`` gives back an equal network.
    ///
    /// - Parameters:
    ///   - network: The network to write.
    ///   - description: An optional `"description"` string.
    /// - Returns: UTF-8 JSON text ending in a newline.
    public static func encode(_ network: Network, description: String? = nil) -> Data {
        var out = "{\n  \"format\": \(formatVersion),\n"
        if let description { out += "  \"description\": \(jsonString(description)),\n" }
        out += "  \"layers\": [\n"
        out += network.layers.map { "    " + layerJSON($0) }.joined(separator: ",\n")
        out += "\n  ],\n  \"synapses\": ["
        if !network.synapses.isEmpty {
            out += "\n" + network.synapses.map { synapse -> String in
                let pre = network.layerIndex(named: synapse.pre).map { network.layers[$0].size } ?? 1
                return synapseJSON(synapse, preSize: pre)
            }.joined(separator: ",\n") + "\n  "
        }
        out += "]\n}\n"
        return Data(out.utf8)
    }

    private static func layerJSON(_ layer: Layer) -> String {
        var fields: [(String, JSON)] = [("name", .string(layer.name))]
        fields.append(layer.shape.count == 1 ? ("size", .int(layer.shape[0])) : ("shape", .array(layer.shape.map { .int($0) })))
        fields.append(("lagrangian", lagrangianJSON(layer.lagrangian)))
        fields.append(("tau", .number(layer.tau)))
        if !layer.bias.isEmpty { fields.append(("bias", .numbers(layer.bias))) }
        return JSON.object(fields).serialized(indent: nil)
    }

    private static func lagrangianJSON(_ lagrangian: Lagrangian) -> JSON {
        var fields: [(String, JSON)] = [("type", .string(lagrangian.name))]
        switch lagrangian {
        case .identity, .relu:
            break
        case .repu(let n):
            fields.append(("n", .number(n)))
        case .exp(let b), .rexp(let b), .tanh(let b), .sigmoid(let b), .softmax(let b), .ghostmax(let b):
            fields.append(("beta", .number(b)))
        case .layernorm(let gamma, let delta, let eps), .spherical(let gamma, let delta, let eps):
            fields.append(("gamma", .number(gamma)))
            if delta.count == 1 {
                fields.append(("delta", .number(delta[0])))
            } else if !delta.isEmpty {
                fields.append(("delta", .numbers(delta)))
            }
            fields.append(("eps", .number(eps)))
        }
        return .object(fields)
    }

    /// A synapse with its weights (dense) or memories (similarity) written one row per line.
    private static func synapseJSON(_ synapse: Synapse, preSize: Int) -> String {
        let key: String
        switch synapse.kind {
        case .dense: key = "weights"
        case .similarity: key = "memories"
        }
        let head = "    {\"type\": \(jsonString(synapse.typeName)), \"pre\": \(jsonString(synapse.pre)), "
            + "\"post\": \(jsonString(synapse.post)), \"\(key)\": ["
        switch synapse.kind {
        case .dense(let weights), .similarity(_, let weights):
            let width = max(preSize, 1)
            let rows = stride(from: 0, to: weights.count, by: width).map { start in
                "      " + JSON.numbers(weights[start ..< min(start + width, weights.count)]).serialized(indent: nil)
            }
            return head + "\n" + rows.joined(separator: ",\n") + "\n    ]}"
        }
    }

    /// A string as a JSON literal (numbers are written by ``JSON``: Swift's shortest round-tripping
    /// form, e.g. `0.1`, `1e-05`, so decoding gives back the same `Double`).
    private static func jsonString(_ s: String) -> String { JSON.string(s).serialized(indent: nil) }
}
