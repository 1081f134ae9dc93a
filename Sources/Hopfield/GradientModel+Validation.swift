extension GradientModel {
    /// Checks the variables and lays them out in the flat state.
    static func validate(_ variables: [GradientVariable]) throws(NetworkError) -> ([ModelVariable], [String: Int]) {
        if variables.isEmpty { throw NetworkError(path: "variables", message: "must hold at least one variable") }
        var described: [ModelVariable] = []
        var indices: [String: Int] = [:]
        var offset = 0
        for (i, variable) in variables.enumerated() {
            let p = "variables[\(i)]"
            if variable.name.isEmpty { throw NetworkError(path: "\(p).name", message: "must not be empty") }
            if indices[variable.name] != nil {
                throw NetworkError(path: "\(p).name", message: "duplicate variable name \"\(variable.name)\"")
            }
            indices[variable.name] = i
            if variable.shape.isEmpty || variable.shape.contains(where: { $0 <= 0 }) {
                throw NetworkError(path: "\(p).shape", message: "must be positive integers, got \(variable.shape)")
            }
            if !(variable.tau.isFinite && variable.tau > 0) {
                throw NetworkError(path: "\(p).tau", message: "must be > 0, got \(variable.tau)")
            }
            if !variable.clamp.isEmpty && variable.clamp.count != variable.size {
                throw NetworkError(
                    path: "\(p).clamp", message: "has \(variable.clamp.count) entries, expected \(variable.size)")
            }
            described.append(ModelVariable(name: variable.name, shape: variable.shape, offset: offset))
            offset += variable.size
        }
        return (described, indices)
    }

    /// Checks one term and resolves a random-feature term's projection and stored sum.
    static func resolve(
        _ term: GradientTerm, at p: String, variables: [GradientVariable], offsets indices: [String: Int],
        memoryBlock: Bool = false
    ) throws(NetworkError) -> ResolvedFeatures? {
        guard let index = indices[term.variable] else {
            throw NetworkError(
                path: "\(p).variable",
                message: "names no variable: \"\(term.variable)\" (variables: \(variables.map(\.name).joined(separator: ", ")))")
        }
        let size = variables[index].size
        switch term {
        case .quadratic(let t):
            if !t.bias.isEmpty && t.bias.count != size {
                throw NetworkError(path: "\(p).bias", message: "has \(t.bias.count) entries, expected \(size)")
            }
            try finite(t.bias, "\(p).bias")
            return nil
        case .lse(let t):
            try positive(t.beta, "\(p).beta")
            try rows(t.memories, size, "\(p).memories", allowEmpty: memoryBlock)
            return nil
        case .randomFeatures(let t):
            try positive(t.beta, "\(p).beta")
            try positive(t.floor, "\(p).floor")
            let matrix: RandomFeatureMatrix
            switch t.projection {
            case .seeded(let features, let seed):
                if features <= 0 { throw NetworkError(path: "\(p).features", message: "must be > 0, got \(features)") }
                matrix = RandomFeatureMatrix(features: features, dimension: size, seed: seed)
            case .explicit(let projection, let phases):
                try rows(projection, size, "\(p).projection", allowEmpty: false)
                let y = projection.count / size
                if t.kernel.usesPhases {
                    if phases.count != y {
                        throw NetworkError(
                            path: "\(p).phases",
                            message: "has \(phases.count) entries, expected \(y) (one per row of the projection)")
                    }
                } else if !phases.isEmpty {
                    throw NetworkError(
                        path: "\(p).phases", message: "must be absent: kernel \(t.kernel.rawValue) uses no phases")
                }
                try finite(phases, "\(p).phases")
                matrix = RandomFeatureMatrix(projection: projection, phases: phases, features: y, dimension: size)
            }
            switch t.store {
            case .memories(let memories):
                try rows(memories, size, "\(p).memories", allowEmpty: true)
                let sum = RandomFeatureWorkspace.featureSum(
                    kernel: t.kernel, beta: t.beta, matrix: matrix, memories: memories)
                return ResolvedFeatures(matrix: matrix, sum: sum)
            case .sum(let sum):
                let expected = t.kernel.sumLength(features: matrix.features)
                if sum.count != expected {
                    let how = expected == 2 * matrix.features ? "2Y" : "Y"
                    throw NetworkError(
                        path: "\(p).sum",
                        message: "has \(sum.count) entries, expected \(how) = \(expected) for kernel \(t.kernel.rawValue)")
                }
                try finite(sum, "\(p).sum")
                return ResolvedFeatures(matrix: matrix, sum: sum)
            }
        }
    }

    static func positive(_ value: Double, _ path: String) throws(NetworkError) {
        if !(value.isFinite && value > 0) { throw NetworkError(path: path, message: "must be > 0, got \(value)") }
    }

    static func finite(_ values: [Double], _ path: String) throws(NetworkError) {
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw NetworkError(path: path, message: "entry \(bad) is not finite (\(values[bad]))")
        }
    }

    /// Checks that `values` is a whole number of rows of `width` (a `[K, width]` matrix) of finite numbers.
    static func rows(_ values: [Double], _ width: Int, _ path: String, allowEmpty: Bool) throws(NetworkError) {
        if (values.isEmpty && !allowEmpty) || values.count % width != 0 {
            throw NetworkError(
                path: path, message: "has \(values.count) entries, expected [K, \(width)] with K ≥ \(allowEmpty ? 0 : 1)")
        }
        try finite(values, path)
    }
}

extension RandomFeatureKernel {
    /// The kernel with this name.
    ///
    /// - Throws: ``NetworkError`` at `path` for an unknown name.
    public init(named name: String, path: String) throws(NetworkError) {
        guard let kernel = RandomFeatureKernel(rawValue: name) else {
            throw NetworkError(
                path: path,
                message: "unknown kernel \"\(name)\" (one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = kernel
    }
}

extension LogSumExpSimilarity {
    /// The similarity with this name.
    ///
    /// - Throws: ``NetworkError`` at `path` for an unknown name.
    public init(named name: String, path: String) throws(NetworkError) {
        guard let similarity = LogSumExpSimilarity(rawValue: name) else {
            throw NetworkError(
                path: path,
                message: "unknown similarity \"\(name)\" (one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = similarity
    }
}
