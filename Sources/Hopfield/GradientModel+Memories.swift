extension GradientModel {
    /// A new model that stores more memories (docs/math.md §5): every random-feature term carries the
    /// updated sum (same parameter count) and every log-sum-exp term the appended memories.
    ///
    ///     T_new = T + Σ_ν Φ(ξ_new,ν)          Ξ_new = [Ξ ; Ξ_add]
    ///
    /// The projections are shared with this model (nothing is redrawn). Random-feature terms of the
    /// result hold their sum (`FeatureStore.sum`).
    ///
    /// - Parameters:
    ///   - memories: the new memories, row-major `[K, size]`, `size` the size of the variable of every
    ///     memory term.
    ///   - variable: only the memory terms on this variable (nil: every memory term).
    /// - Returns: the new model.
    /// - Throws: ``NetworkError`` at `memories` when the rows do not fit a memory term's variable, hold
    ///   non-finite numbers, or no memory term is affected.
    ///
    /// A distributed model (``distributed(over:)``) cannot grow this way (a programming error).
    public func addingMemories(_ memories: [Double], toVariable variable: String? = nil) throws(NetworkError) -> GradientModel {
        precondition(sharding == nil, "addingMemories: the model is distributed")
        var terms = self.terms
        var features = self.features
        var touched = 0
        for (k, term) in terms.enumerated() {
            if let variable, term.variable != variable { continue }
            let size = variables[variableIndex(ofTerm: k)].size
            switch term {
            case .quadratic: continue
            case .lse(var t):
                try Self.rows(memories, size, "memories", allowEmpty: true)
                t.memories += memories
                terms[k] = .lse(t)
            case .randomFeatures(var t):
                try Self.rows(memories, size, "memories", allowEmpty: true)
                var resolved = features[k]!
                let added = RandomFeatureWorkspace.featureSum(
                    kernel: t.kernel, beta: t.beta, matrix: resolved.matrix, memories: memories)
                for i in resolved.sum.indices { resolved.sum[i] += added[i] }
                t.store = .sum(resolved.sum)
                terms[k] = .randomFeatures(t)
                features[k] = resolved
            }
            touched += 1
        }
        if touched == 0 {
            throw NetworkError(
                path: "memories", message: "the model has no lse or random_features term\(variable.map { " on \"\($0)\"" } ?? "")")
        }
        return GradientModel(variables: gradientVariables, described: self.variables, terms: terms, features: features)
    }
}
