import Foundation

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
        var fields = ["\"name\": \(jsonString(layer.name))"]
        fields.append(layer.shape.count == 1
            ? "\"size\": \(layer.shape[0])"
            : "\"shape\": [\(layer.shape.map(String.init).joined(separator: ", "))]")
        fields.append("\"lagrangian\": \(lagrangianJSON(layer.lagrangian))")
        fields.append("\"tau\": \(jsonNumber(layer.tau))")
        if !layer.bias.isEmpty { fields.append("\"bias\": \(jsonArray(layer.bias))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    private static func lagrangianJSON(_ lagrangian: Lagrangian) -> String {
        var fields = ["\"type\": \(jsonString(lagrangian.name))"]
        switch lagrangian {
        case .identity, .relu:
            break
        case .repu(let n):
            fields.append("\"n\": \(jsonNumber(n))")
        case .exp(let b), .rexp(let b), .tanh(let b), .sigmoid(let b), .softmax(let b), .ghostmax(let b):
            fields.append("\"beta\": \(jsonNumber(b))")
        case .layernorm(let gamma, let delta, let eps), .spherical(let gamma, let delta, let eps):
            fields.append("\"gamma\": \(jsonNumber(gamma))")
            if delta.count == 1 {
                fields.append("\"delta\": \(jsonNumber(delta[0]))")
            } else if !delta.isEmpty {
                fields.append("\"delta\": \(jsonArray(delta))")
            }
            fields.append("\"eps\": \(jsonNumber(eps))")
        }
        return "{" + fields.joined(separator: ", ") + "}"
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
                "      " + jsonArray(Array(weights[start ..< min(start + width, weights.count)]))
            }
            return head + "\n" + rows.joined(separator: ",\n") + "\n    ]}"
        }
    }

    private static func jsonArray(_ values: [Double]) -> String {
        "[" + values.map(jsonNumber).joined(separator: ", ") + "]"
    }

    /// A finite number in Swift's shortest round-tripping form (valid JSON, e.g. `0.1`, `1e-05`).
    private static func jsonNumber(_ x: Double) -> String {
        // A validated network holds only finite numbers; null keeps the output valid JSON otherwise.
        x.isFinite ? "\(x)" : "null"
    }

    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
