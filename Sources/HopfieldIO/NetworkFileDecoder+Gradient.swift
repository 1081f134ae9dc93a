import Foundation
import Hopfield

/// Format 2: gradient-flow models (`"dynamics": "gradient"`) and clamp masks (docs/network-file.md).
extension NetworkFileDecoder {
    static let gradientTopKeys = ["format", "description", "dynamics", "variables", "terms"]
    static let variableKeys = ["name", "size", "shape", "tau", "clamp"]
    static let termTypes = ["quadratic", "lse", "random_features"]
    static func termKeys(_ type: String) -> [String] {
        switch type {
        case "quadratic": ["type", "variable", "bias"]
        case "lse": ["type", "variable", "similarity", "beta", "memories"]
        default: ["type", "variable", "kernel", "beta", "features", "seed", "projection", "phases", "memories", "sum", "floor"]
        }
    }

    /// A clamp mask: booleans or 0/1 numbers (inline, or a `.npy` file), one per unit (or the shape).
    func clampMask(_ value: JSON, _ path: String, shape: [Int]) throws(NetworkFileError) -> [Bool] {
        let size = shape.reduce(1, *)
        var flags: [Bool]
        if case .array(let items) = value, items.contains(where: { if case .bool = $0 { true } else { false } }) {
            flags = []
            for (i, item) in items.enumerated() {
                guard case .bool(let b) = item else {
                    throw fail("\(path)[\(i)]", "expected true or false like the other entries, got \(item.kindName)")
                }
                flags.append(b)
            }
            if flags.count != size { throw fail(path, "has \(flags.count) entries, expected \(size)") }
            return flags
        }
        let array = try numericArray(value, path)
        guard array.shape == [size] || array.shape == shape else {
            throw fail(path, "expected an array of \(size) booleans or 0/1 numbers, got \(Self.describe(shape: array.shape))")
        }
        flags = []
        for (i, x) in array.values.enumerated() {
            guard x == 0 || x == 1 else { throw fail(path, "entry \(i) is \(Self.format(x)), expected 0 or 1") }
            flags.append(x == 1)
        }
        return flags
    }

    /// A `[K, width]` matrix: a 2-D array with `width` columns (or a 1-D array of `width` for one row).
    func rows(_ value: JSON, _ path: String, width: Int, allowEmpty: Bool = false) throws(NetworkFileError) -> [Double] {
        let array = try numericArray(value, path)
        if array.shape == [width] { return array.values }
        if array.shape.count == 2 && array.shape[1] == width && (allowEmpty || array.shape[0] > 0) { return array.values }
        if array.shape == [0] && allowEmpty { return [] }
        throw fail(path, "expected an array of shape [K, \(width)], got \(Self.describe(shape: array.shape))")
    }

    /// A 1-D array of `count` numbers.
    func vector(_ value: JSON, _ path: String, count: Int, what: String) throws(NetworkFileError) -> [Double] {
        let array = try numericArray(value, path)
        guard array.shape == [count] else {
            throw fail(path, "expected an array of \(count) numbers (\(what)), got \(Self.describe(shape: array.shape))")
        }
        return array.values
    }

    func gradientModel(from top: Fields) throws(NetworkFileError) -> GradientModel {
        try checkKeys(top, allowed: Self.gradientTopKeys, hint: "valid keys of a gradient model: \(Self.gradientTopKeys.joined(separator: ", "))")
        guard case .array(let variableItems) = try required(top, "variables") else {
            throw fail("variables", "expected an array, got \(top["variables"]?.kindName ?? "nothing")")
        }
        var variables: [GradientVariable] = []
        var sizes: [String: Int] = [:]
        for (i, item) in variableItems.enumerated() {
            let path = "variables[\(i)]"
            let fields = try object(item, path)
            try checkKeys(fields, allowed: Self.variableKeys, hint: "valid keys: \(Self.variableKeys.joined(separator: ", "))")
            let name = try string(try required(fields, "name"), Self.child(path, "name"))
            if name.isEmpty { throw fail(Self.child(path, "name"), "must not be empty") }
            if sizes[name] != nil { throw fail(Self.child(path, "name"), "duplicate variable name \"\(name)\"") }
            let shape = try self.shape(fields, path)
            var tau = 1.0
            if let value = fields["tau"] {
                tau = try number(value, Self.child(path, "tau"))
                guard tau > 0 else { throw fail(Self.child(path, "tau"), "must be > 0, got \(Self.format(tau))") }
            }
            var clamp: [Bool] = []
            if let value = fields["clamp"] { clamp = try clampMask(value, Self.child(path, "clamp"), shape: shape) }
            sizes[name] = shape.reduce(1, *)
            variables.append(GradientVariable(name: name, shape: shape, tau: tau, clamp: clamp))
        }
        guard case .array(let termItems) = try required(top, "terms") else {
            throw fail("terms", "expected an array, got \(top["terms"]?.kindName ?? "nothing")")
        }
        var terms: [GradientTerm] = []
        for (k, item) in termItems.enumerated() {
            terms.append(try term(item, "terms[\(k)]", sizes: sizes, names: variables.map(\.name)))
        }
        do {
            // Under a shard selection this process may hold no memories of a term.
            if selection != nil { return try GradientModel.memoryBlock(variables: variables, terms: terms) }
            return try GradientModel(variables: variables, terms: terms)
        } catch {
            throw fail(error.path, error.message)
        }
    }


    func term(_ value: JSON, _ path: String, sizes: [String: Int], names: [String]) throws(NetworkFileError) -> GradientTerm {
        let fields = try object(value, path)
        let typePath = Self.child(path, "type")
        let type = try string(try required(fields, "type", hint: "one of \(Self.termTypes.joined(separator: ", "))"), typePath)
        guard Self.termTypes.contains(type) else {
            throw fail(typePath, "unknown term type \"\(type)\" (valid: \(Self.termTypes.joined(separator: ", ")))")
        }
        let keys = Self.termKeys(type)
        try checkKeys(fields, allowed: keys, hint: "\(type) takes \(keys.dropFirst().joined(separator: ", "))")
        let variablePath = Self.child(path, "variable")
        let variable = try string(try required(fields, "variable"), variablePath)
        guard let size = sizes[variable] else {
            throw fail(variablePath, "names no variable: \"\(variable)\" (variables: \(names.joined(separator: ", ")))")
        }
        func beta() throws(NetworkFileError) -> Double {
            let b = try number(try required(fields, "beta"), Self.child(path, "beta"))
            guard b > 0 else { throw fail(Self.child(path, "beta"), "must be > 0, got \(Self.format(b))") }
            return b
        }
        switch type {
        case "quadratic":
            var bias: [Double] = []
            if let value = fields["bias"] {
                let (values, isScalar) = try perUnit(value, Self.child(path, "bias"), shape: [size])
                bias = isScalar ? Array(repeating: values[0], count: size) : values
            }
            return .quadratic(QuadraticTerm(variable: variable, bias: bias))
        case "lse":
            var similarity = LogSumExpSimilarity.euclidean
            if let value = fields["similarity"] {
                let p = Self.child(path, "similarity")
                let name = try string(value, p)
                do throws(NetworkError) { similarity = try LogSumExpSimilarity(named: name, path: p) } catch { throw fail(error.path, error.message) }
            }
            let b = try beta()
            let memories = try memoryRows(try required(fields, "memories"), Self.child(path, "memories"), width: size)
            return .lse(LogSumExpTerm(variable: variable, similarity: similarity, beta: b, memories: memories))
        default:
            var kernel = RandomFeatureKernel.sincos
            if let value = fields["kernel"] {
                let p = Self.child(path, "kernel")
                let name = try string(value, p)
                do throws(NetworkError) { kernel = try RandomFeatureKernel(named: name, path: p) } catch { throw fail(error.path, error.message) }
            }
            let b = try beta()
            let projection: FeatureProjection
            switch (fields["features"], fields["projection"]) {
            case (let f?, nil):
                let featuresPath = Self.child(path, "features")
                let y = try integer(f, featuresPath)
                guard y > 0 else { throw fail(featuresPath, "must be > 0, got \(y)") }
                guard let s = fields["seed"] else { throw fail(path, "missing required key \"seed\" (features are drawn from it)") }
                let seedPath = Self.child(path, "seed")
                let seed: UInt64
                if case .string(let text) = s {
                    // Seeds above 2^53 do not survive a JSON number: they are written as strings.
                    guard let value = UInt64(text) else { throw fail(seedPath, "expected an integer in 0...2^64−1, got \"\(text)\"") }
                    seed = value
                } else {
                    let value = try integer(s, seedPath)
                    guard value >= 0 else { throw fail(seedPath, "must be ≥ 0, got \(value)") }
                    seed = UInt64(value)
                }
                if fields["phases"] != nil { throw fail(Self.child(path, "phases"), "must be absent with \"features\" (the phases are drawn from the seed)") }
                projection = .seeded(features: y, seed: seed)
            case (nil, let p?):
                let projectionPath = Self.child(path, "projection")
                let matrix = try numericArray(p, projectionPath)
                guard matrix.shape.count == 2, matrix.shape[1] == size, matrix.shape[0] > 0 else {
                    throw fail(projectionPath, "expected an array of shape [Y, \(size)], got \(Self.describe(shape: matrix.shape))")
                }
                if fields["seed"] != nil { throw fail(Self.child(path, "seed"), "must be absent with an explicit \"projection\"") }
                var phases: [Double] = []
                if kernel.usesPhases {
                    phases = try vector(
                        try required(fields, "phases", hint: "kernel \(kernel.rawValue) needs one phase per row of the projection"),
                        Self.child(path, "phases"), count: matrix.shape[0], what: "one per row of the projection")
                } else if fields["phases"] != nil {
                    throw fail(Self.child(path, "phases"), "must be absent: kernel \(kernel.rawValue) uses no phases")
                }
                projection = .explicit(projection: matrix.values, phases: phases)
            case (.some, .some):
                throw fail(Self.child(path, "projection"), "give either \"features\" and \"seed\" or \"projection\", not both")
            case (nil, nil):
                throw fail(path, "missing required key \"features\" (with \"seed\") or \"projection\" (with \"phases\")")
            }
            let store: FeatureStore
            switch (fields["memories"], fields["sum"]) {
            case (let m?, nil):
                store = .memories(try memoryRows(m, Self.child(path, "memories"), width: size, allowEmpty: true))
            case (nil, let s?):
                let y: Int
                switch projection {
                case .seeded(let features, _): y = features
                case .explicit(let matrix, _): y = matrix.count / size
                }
                let count = kernel.sumLength(features: y)
                store = .sum(try vector(s, Self.child(path, "sum"), count: count, what: count == y ? "Y for kernel \(kernel.rawValue)" : "2Y for kernel \(kernel.rawValue)"))
            case (.some, .some):
                throw fail(Self.child(path, "sum"), "give either \"memories\" or \"sum\", not both")
            case (nil, nil):
                throw fail(path, "missing required key \"memories\" or \"sum\"")
            }
            var floor = 1e-5
            if let value = fields["floor"] {
                floor = try number(value, Self.child(path, "floor"))
                guard floor > 0 else { throw fail(Self.child(path, "floor"), "must be > 0, got \(Self.format(floor))") }
            }
            return .randomFeatures(RandomFeatureTerm(
                variable: variable, kernel: kernel, beta: b, projection: projection, store: store, floor: floor))
        }
    }
}
