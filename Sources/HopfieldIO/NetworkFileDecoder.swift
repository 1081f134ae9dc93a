import Foundation
import Hopfield

/// Walks a parsed network file, building layers and synapses and naming the JSON path of every problem.
struct NetworkFileDecoder {
    /// The file name used in errors.
    let file: String
    /// The folder relative `.npy` paths are resolved against.
    let baseDirectory: URL
    /// The process whose block of sharded arrays to read (nil: read every shard, concatenated).
    var selection: ShardSelection? = nil

    /// The largest number of units a layer may have.
    static let maxUnits = Int(Int32.max)

    /// The keys of each object kind, in the order the documentation lists them.
    static let topKeys = ["format", "description", "layers", "synapses"]
    static let layerKeys = ["name", "size", "shape", "lagrangian", "tau", "bias"]
    static let denseKeys = ["type", "pre", "post", "weights"]
    /// Similarity synapses name their matrix `memories` (row μ is memory m_μ).
    static let similarityKeys = ["type", "pre", "post", "memories"]
    static let synapseTypes = ["dense"] + SimilarityKind.allCases.map(\.name)

    /// The parameters each Lagrangian type takes.
    static func parameters(ofLagrangian type: String) -> [String] {
        switch type {
        case "repu": ["n"]
        case "exp", "rexp", "tanh", "sigmoid", "softmax", "ghostmax": ["beta"]
        case "layernorm", "spherical": ["gamma", "delta", "eps"]
        default: []
        }
    }

    // MARK: Errors and paths

    func fail(_ path: String, _ message: String) -> NetworkFileError {
        NetworkFileError(file: file, path: path, message: message)
    }

    static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A number as a user wrote it: integers without a fractional part.
    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }

    /// A shape in words: "a number", "an array of 3 numbers", "shape [2, 3]".
    static func describe(shape: [Int]) -> String {
        switch shape.count {
        case 0: "a number"
        case 1: shape[0] == 1 ? "an array of 1 number" : "an array of \(shape[0]) numbers"
        default: "an array of shape \(shape)"
        }
    }

    // MARK: Objects

    /// The entries of a JSON object, looked up by key (the first occurrence).
    struct Fields {
        let entries: [(String, JSON)]
        let path: String
        subscript(key: String) -> JSON? { entries.first { $0.0 == key }?.1 }
    }

    func object(_ value: JSON, _ path: String) throws(NetworkFileError) -> Fields {
        guard case .object(let entries) = value else {
            throw fail(path, path.isEmpty
                ? "the top level must be a JSON object, got \(value.kindName)"
                : "expected an object, got \(value.kindName)")
        }
        return Fields(entries: entries, path: path)
    }

    /// Rejects duplicate and unknown keys, in file order.
    func checkKeys(_ fields: Fields, allowed: [String], hint: String) throws(NetworkFileError) {
        var seen: Set<String> = []
        for (key, _) in fields.entries {
            let path = Self.child(fields.path, key)
            if !seen.insert(key).inserted { throw fail(path, "duplicate key \"\(key)\"") }
            if !allowed.contains(key) { throw fail(path, "unknown key \"\(key)\" (\(hint))") }
        }
    }

    func required(_ fields: Fields, _ key: String, hint: String = "") throws(NetworkFileError) -> JSON {
        guard let value = fields[key] else {
            throw fail(fields.path, "missing required key \"\(key)\"\(hint.isEmpty ? "" : " (\(hint))")")
        }
        return value
    }

    // MARK: Scalars

    func string(_ value: JSON, _ path: String) throws(NetworkFileError) -> String {
        guard case .string(let s) = value else { throw fail(path, "expected a string, got \(value.kindName)") }
        return s
    }

    func number(_ value: JSON, _ path: String) throws(NetworkFileError) -> Double {
        guard case .number(let x) = value else { throw fail(path, "expected a number, got \(value.kindName)") }
        return x
    }

    func integer(_ value: JSON, _ path: String) throws(NetworkFileError) -> Int {
        let x = try number(value, path)
        guard x == x.rounded(), let n = Int(exactly: x) else {
            throw fail(path, "expected an integer, got \(Self.format(x))")
        }
        return n
    }

    func positiveInteger(_ value: JSON, _ path: String) throws(NetworkFileError) -> Int {
        let n = try integer(value, path)
        guard n > 0 && n <= Self.maxUnits else {
            throw fail(path, "must be an integer in 1...\(Self.maxUnits), got \(n)")
        }
        return n
    }

    // MARK: Arrays

    /// A number, an inline (nested) JSON array, or a `.npy` file name, as a shaped array.
    func numericArray(_ value: JSON, _ path: String) throws(NetworkFileError) -> NPYArray {
        switch value {
        case .number(let x):
            return NPYArray(shape: [], values: [x])
        case .string(let name):
            return try npy(name, path)
        case .array:
            var values: [Double] = []
            let shape = try inline(value, path, into: &values)
            return NPYArray(shape: shape, values: values)
        default:
            throw fail(path, "expected a number, an array or the name of a .npy file, got \(value.kindName)")
        }
    }

    /// Flattens a nested JSON array in C order and returns its shape; rejects ragged arrays.
    private func inline(_ value: JSON, _ path: String, into values: inout [Double]) throws(NetworkFileError) -> [Int] {
        switch value {
        case .number(let x):
            values.append(x)
            return []
        case .array(let items):
            var inner: [Int]?
            for (i, item) in items.enumerated() {
                let itemPath = "\(path)[\(i)]"
                let shape = try inline(item, itemPath, into: &values)
                if let inner, inner != shape {
                    throw fail(itemPath, "ragged array: expected \(Self.describe(shape: inner)) like the entries before, got \(Self.describe(shape: shape))")
                }
                inner = shape
            }
            return [items.count] + (inner ?? [])
        default:
            throw fail(path, "expected a number, got \(value.kindName)")
        }
    }

    /// Reads a `.npy` file named relative to the network file's folder (or absolute).
    func npy(_ name: String, _ path: String) throws(NetworkFileError) -> NPYArray {
        guard name.lowercased().hasSuffix(".npy") else {
            throw fail(path, "expected a number, an array or the name of a .npy file, got the string \"\(name)\"")
        }
        let url = url(of: name)
        let data: Data
        switch readFile(url, accepts: NPY.startsLikeNPY) {
        case .success(let d): data = d
        case .failure(let why): throw fail(path, NPYError(source: name, reason: .unreadable(why.reason)).description)
        }
        do {
            return try NPY.read(data: data, source: name, requireFinite: true)
        } catch {
            throw fail(path, error.description)
        }
    }

    /// One value per unit of a layer: a number (broadcast), or an array of `size` values or of the layer's shape.
    func perUnit(_ value: JSON, _ path: String, shape: [Int]) throws(NetworkFileError) -> (values: [Double], isScalar: Bool) {
        let array = try numericArray(value, path)
        let size = shape.reduce(1, *)
        if array.shape.isEmpty { return (array.values, true) }
        if array.shape == [size] || array.shape == shape { return (array.values, false) }
        let alternative = shape.count > 1 ? " (or an array of shape \(shape))" : ""
        throw fail(path, "expected a number or an array of \(size) numbers\(alternative), got \(Self.describe(shape: array.shape))")
    }

    // MARK: The network

    /// A model of either kind (format 1, or format 2 with its `dynamics`).
    func model(from root: JSON) throws(NetworkFileError) -> ModelFile {
        let top = try object(root, "")
        let version = try formatVersion(top)
        if version == 2, try dynamics(top) == "gradient" {
            if let value = top["description"] { _ = try string(value, "description") }
            return .gradient(try gradientModel(from: top))
        }
        return .lagrangian(try network(from: top, version: version))
    }

    /// The `format` entry: 1 (the default) or 2.
    func formatVersion(_ top: Fields) throws(NetworkFileError) -> Int {
        guard let value = top["format"] else { return 1 }
        let version = try integer(value, "format")
        guard NetworkFile.formatVersions.contains(version) else {
            throw fail("format", "unsupported format version \(version) (this program reads versions 1 and 2)")
        }
        return version
    }

    /// The `dynamics` entry of a format-2 file: `lagrangian` (the default) or `gradient`.
    func dynamics(_ top: Fields) throws(NetworkFileError) -> String {
        guard let value = top["dynamics"] else { return "lagrangian" }
        let kind = try string(value, "dynamics")
        guard kind == "lagrangian" || kind == "gradient" else {
            throw fail("dynamics", "unknown dynamics \"\(kind)\" (valid: lagrangian, gradient)")
        }
        return kind
    }

    /// A Lagrangian network; a gradient-flow model is an error naming `dynamics`.
    func network(from root: JSON) throws(NetworkFileError) -> Network {
        let top = try object(root, "")
        let version = try formatVersion(top)
        if version == 2, try dynamics(top) == "gradient" {
            throw fail("dynamics", "this is a gradient-flow model; this reads Lagrangian networks only")
        }
        return try network(from: top, version: version)
    }

    /// The `layers` of a network file, in order, and each name's index (names must be unique).
    func layers(_ top: Fields, version: Int) throws(NetworkFileError) -> (layers: [Layer], names: [String: Int]) {
        guard case .array(let layerItems) = try required(top, "layers") else {
            throw fail("layers", "expected an array, got \(top["layers"]?.kindName ?? "nothing")")
        }
        var layers: [Layer] = []
        var names: [String: Int] = [:]
        for (i, item) in layerItems.enumerated() {
            let path = "layers[\(i)]"
            let layer = try self.layer(from: item, path, version: version)
            if let first = names[layer.name] {
                throw fail("\(path).name", "duplicate layer name \"\(layer.name)\" (also layers[\(first)])")
            }
            names[layer.name] = i
            layers.append(layer)
        }
        return (layers, names)
    }

    func network(from top: Fields, version: Int) throws(NetworkFileError) -> Network {
        let keys = version == 1 ? Self.topKeys : Self.topKeys + ["dynamics"]
        try checkKeys(top, allowed: keys, hint: "valid keys: \(keys.joined(separator: ", "))")
        if let value = top["description"] { _ = try string(value, "description") }

        let (layers, names) = try self.layers(top, version: version)

        var synapses: [Synapse] = []
        if let value = top["synapses"] {
            guard case .array(let items) = value else {
                throw fail("synapses", "expected an array, got \(value.kindName)")
            }
            for (s, item) in items.enumerated() {
                synapses.append(try synapse(from: item, "synapses[\(s)]", layers: layers, names: names))
            }
        }

        do {
            return try Network(layers: layers, synapses: synapses)
        } catch {
            throw fail(error.path, error.message)
        }
    }

    func layer(from value: JSON, _ path: String, version: Int = 1) throws(NetworkFileError) -> Layer {
        let fields = try object(value, path)
        let keys = version == 1 ? Self.layerKeys : Self.layerKeys + ["clamp"]
        try checkKeys(fields, allowed: keys, hint: "valid keys: \(keys.joined(separator: ", "))")
        let namePath = Self.child(path, "name")
        let name = try string(try required(fields, "name"), namePath)
        if name.isEmpty { throw fail(namePath, "must not be empty") }

        let shape = try self.shape(fields, path)

        let lagrangian = try self.lagrangian(
            from: try required(fields, "lagrangian"), Self.child(path, "lagrangian"), shape: shape)

        var tau = 1.0
        if let value = fields["tau"] {
            tau = try number(value, Self.child(path, "tau"))
            guard tau > 0 else { throw fail(Self.child(path, "tau"), "must be > 0, got \(Self.format(tau))") }
        }

        var bias: [Double] = []
        if let value = fields["bias"] {
            let (values, isScalar) = try perUnit(value, Self.child(path, "bias"), shape: shape)
            bias = isScalar ? Array(repeating: values[0], count: shape.reduce(1, *)) : values
        }
        var clamp: [Bool] = []
        if let value = fields["clamp"] { clamp = try clampMask(value, Self.child(path, "clamp"), shape: shape) }
        return Layer(name: name, shape: shape, lagrangian: lagrangian, tau: tau, bias: bias, clamp: clamp)
    }

    func lagrangian(from value: JSON, _ path: String, shape: [Int]) throws(NetworkFileError) -> Lagrangian {
        let fields = try object(value, path)
        let valid = Lagrangian.allNames.joined(separator: ", ")
        let typePath = Self.child(path, "type")
        let type = try string(try required(fields, "type", hint: "one of \(valid)"), typePath)
        guard Lagrangian.allNames.contains(type) else {
            throw fail(typePath, "unknown Lagrangian type \"\(type)\" (valid: \(valid))")
        }
        let parameters = Self.parameters(ofLagrangian: type)
        try checkKeys(
            fields, allowed: ["type"] + parameters,
            hint: parameters.isEmpty ? "\(type) takes no parameters" : "\(type) takes \(parameters.joined(separator: ", "))")

        func parameter(_ key: String, default value: Double) throws(NetworkFileError) -> Double {
            guard let v = fields[key] else { return value }
            return try number(v, Self.child(path, key))
        }
        switch type {
        case "identity": return .identity
        case "relu": return .relu
        case "repu": return .repu(n: try parameter("n", default: 2))
        case "exp": return .exp(beta: try parameter("beta", default: 1))
        case "rexp": return .rexp(beta: try parameter("beta", default: 1))
        case "tanh": return .tanh(beta: try parameter("beta", default: 1))
        case "sigmoid": return .sigmoid(beta: try parameter("beta", default: 1))
        case "softmax": return .softmax(beta: try parameter("beta", default: 1))
        case "ghostmax": return .ghostmax(beta: try parameter("beta", default: 1))
        default:
            let gamma = try parameter("gamma", default: 1)
            let eps = try parameter("eps", default: 1e-5)
            var delta: [Double] = []
            if let v = fields["delta"] { delta = try perUnit(v, Self.child(path, "delta"), shape: shape).values }
            return type == "layernorm"
                ? .layernorm(gamma: gamma, delta: delta, eps: eps)
                : .spherical(gamma: gamma, delta: delta, eps: eps)
        }
    }

    func synapse(from value: JSON, _ path: String, layers: [Layer], names: [String: Int]) throws(NetworkFileError) -> Synapse {
        let fields = try object(value, path)
        let validTypes = Self.synapseTypes.joined(separator: ", ")
        let typePath = Self.child(path, "type")
        let type = try string(try required(fields, "type", hint: "one of \(validTypes)"), typePath)
        guard Self.synapseTypes.contains(type) else {
            throw fail(typePath, "unknown synapse type \"\(type)\" (valid: \(validTypes))")
        }
        let similarity = SimilarityKind(rawValue: type)
        let keys = similarity == nil ? Self.denseKeys : Self.similarityKeys
        try checkKeys(fields, allowed: keys, hint: "\(type) takes \(keys.joined(separator: ", "))")

        func end(_ key: String) throws(NetworkFileError) -> (name: String, index: Int) {
            let endPath = Self.child(path, key)
            let name = try string(try required(fields, key), endPath)
            guard let index = names[name] else {
                let list = layers.map { "\"\($0.name)\"" }.joined(separator: ", ")
                throw fail(endPath, "names no layer: \"\(name)\" (layers: \(list))")
            }
            return (name, index)
        }
        let pre = try end("pre")
        let post = try end("post")
        let key = similarity == nil ? "weights" : "memories"
        let weightsPath = Self.child(path, key)
        let weightsValue = try required(fields, key)
        var weights: NPYArray
        if isShardList(weightsValue) {
            // Row blocks of the post layer, concatenated in order.
            let width = layers[pre.index].size
            let values = try shardRows(weightsValue, weightsPath, width: width, select: false)
            weights = NPYArray(shape: [values.count / width, width], values: values)
        } else {
            weights = try numericArray(weightsValue, weightsPath)
        }
        let expected = [layers[post.index].size, layers[pre.index].size]
        guard weights.shape == expected else {
            throw fail(weightsPath, "expected an array of shape [post size, pre size] = \(expected), got \(Self.describe(shape: weights.shape))")
        }
        if let similarity {
            return .similarity(similarity, pre: pre.name, post: post.name, memories: weights.values)
        }
        return .dense(pre: pre.name, post: post.name, weights: weights.values)
    }

    /// `size` and/or `shape` of a layer or a variable: a non-empty array of positive integers whose
    /// product stays within ``maxUnits``, and a `size` that must equal that product when both are given.
    func shape(_ fields: Fields, _ path: String) throws(NetworkFileError) -> [Int] {
        let shapePath = Self.child(path, "shape")
        var shape: [Int]?
        if let value = fields["shape"] {
            guard case .array(let dims) = value else {
                throw fail(shapePath, "expected an array of positive integers, got \(value.kindName)")
            }
            if dims.isEmpty { throw fail(shapePath, "must hold at least one axis") }
            var s: [Int] = []
            var product = 1
            for (k, d) in dims.enumerated() {
                let n = try positiveInteger(d, "\(shapePath)[\(k)]")
                let (p, overflow) = product.multipliedReportingOverflow(by: n)
                if overflow || p > Self.maxUnits { throw fail(shapePath, "has more than \(Self.maxUnits) units") }
                product = p
                s.append(n)
            }
            shape = s
        }
        if let value = fields["size"] {
            let size = try positiveInteger(value, Self.child(path, "size"))
            if let shape {
                let product = shape.reduce(1, *)
                if product != size { throw fail(shapePath, "has \(product) units but size is \(size)") }
            } else {
                shape = [size]
            }
        }
        guard let shape else { throw fail(path, "missing required key \"size\" or \"shape\"") }
        return shape
    }
}
