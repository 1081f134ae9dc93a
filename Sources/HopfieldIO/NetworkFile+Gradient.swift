import Foundation
import Hopfield

/// Format 2: reading any model file, and writing gradient-flow models.
extension NetworkFile {
    /// Reads, decodes and validates a network file of either kind: a Lagrangian network (format 1, or
    /// format 2 with `"dynamics": "lagrangian"`) or a gradient-flow model (format 2, `"dynamics": "gradient"`).
    ///
    /// - Parameter url: The JSON file.
    /// - Returns: The validated model.
    /// - Throws: ``NetworkFileError`` naming the file, the JSON path and the problem.
    public static func loadModel(contentsOf url: URL) throws(NetworkFileError) -> ModelFile {
        try decodeModel(data: readDocument(url), baseDirectory: url.deletingLastPathComponent(), fileName: url.lastPathComponent)
    }

    /// Decodes and validates the bytes of a network file of either kind (see ``loadModel(contentsOf:)``).
    public static func decodeModel(data: Data, baseDirectory: URL, fileName: String) throws(NetworkFileError) -> ModelFile {
        try NetworkFileDecoder(file: fileName, baseDirectory: baseDirectory).model(from: parseDocument(data, fileName: fileName))
    }

    /// Encodes a gradient-flow model as a format-2 network file.
    ///
    /// Arrays of more than `inlineLimit` numbers go to `.npy` files named `<stem>.<term>.<key>.npy`
    /// (returned beside the JSON, to be written into the same folder); the others are inline. A seeded
    /// random-feature term keeps `features` and `seed`; every random-feature term is written with its
    /// stored `sum` (so a model with added memories is written as it is held).
    ///
    /// - Parameters:
    ///   - model: the model.
    ///   - stem: the base name of the array files (e.g. the JSON file's name without `.json`).
    ///   - inlineLimit: the largest array written inline (default 64).
    ///   - description: an optional `"description"`.
    /// - Returns: the JSON text and the array files (name, bytes).
    public static func encode(
        _ model: GradientModel, stem: String, inlineLimit: Int = 64, description: String? = nil
    ) -> (json: Data, files: [(name: String, data: Data)]) {
        var files: [(name: String, data: Data)] = []
        func array(_ values: [Double], shape: [Int], _ name: String) -> JSON {
            if values.count <= inlineLimit && shape.count == 1 { return .numbers(values) }
            if values.count <= inlineLimit {
                let width = shape[1]
                return .array(stride(from: 0, to: values.count, by: width).map { .numbers(values[$0 ..< $0 + width]) })
            }
            let file = "\(stem).\(name).npy"
            files.append((file, NPY.encode(shape: shape, values: values)))
            return .string(file)
        }
        var top: [(String, JSON)] = [("format", .int(2))]
        if let description { top.append(("description", .string(description))) }
        top.append(("dynamics", .string("gradient")))
        top.append(("variables", .array(model.gradientVariables.enumerated().map { i, v in
            var fields: [(String, JSON)] = [("name", .string(v.name))]
            fields.append(v.shape.count == 1 ? ("size", .int(v.shape[0])) : ("shape", .array(v.shape.map { .int($0) })))
            fields.append(("tau", .number(v.tau)))
            if v.clamp.contains(true) {
                fields.append(("clamp", array(v.clamp.map { $0 ? 1 : 0 }, shape: [v.clamp.count], "variables\(i).clamp")))
            }
            return .object(fields)
        })))
        top.append(("terms", .array(model.terms.enumerated().map { k, term in
            let size = model.variable(named: term.variable)!.size
            var fields: [(String, JSON)] = [("type", .string(term.typeName)), ("variable", .string(term.variable))]
            switch term {
            case .quadratic(let t):
                if !t.bias.isEmpty { fields.append(("bias", array(t.bias, shape: [size], "terms\(k).bias"))) }
            case .lse(let t):
                fields.append(("similarity", .string(t.similarity.rawValue)))
                fields.append(("beta", .number(t.beta)))
                fields.append(("memories", array(t.memories, shape: [t.memories.count / size, size], "terms\(k).memories")))
            case .randomFeatures(let t):
                fields.append(("kernel", .string(t.kernel.rawValue)))
                fields.append(("beta", .number(t.beta)))
                switch t.projection {
                case .seeded(let features, let seed):
                    fields.append(("features", .int(features)))
                    fields.append(("seed", seed < 1 << 53 ? .int(Int(seed)) : .string(String(seed))))
                case .explicit(let projection, let phases):
                    fields.append(("projection", array(projection, shape: [projection.count / size, size], "terms\(k).projection")))
                    if !phases.isEmpty { fields.append(("phases", array(phases, shape: [phases.count], "terms\(k).phases"))) }
                }
                let sum = model.featureSum(ofTerm: k)!
                fields.append(("sum", array(sum, shape: [sum.count], "terms\(k).sum")))
                fields.append(("floor", .number(t.floor)))
            }
            return .object(fields)
        })))
        return (Data((JSON.object(top).serialized() + "\n").utf8), files)
    }
}

/// A model read from a network file: a Lagrangian network or a gradient-flow model.
public enum ModelFile: Sendable {
    /// A Lagrangian network (format 1, or format 2 with `"dynamics": "lagrangian"`).
    case lagrangian(Network)
    /// A gradient-flow model (format 2, `"dynamics": "gradient"`).
    case gradient(GradientModel)

    /// The model behind the seam.
    public var model: any DynamicalModel {
        switch self {
        case .lagrangian(let n): n
        case .gradient(let g): g
        }
    }
}
