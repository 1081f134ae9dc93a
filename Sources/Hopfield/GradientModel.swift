/// A named variable of a ``GradientModel``: part of the flat state, with its time constant and clamp mask.
public struct GradientVariable: Sendable, Hashable {
    /// The name (unique within the model).
    public var name: String
    /// The shape; a 2-D shape marks an image. The size is the product.
    public var shape: [Int]
    /// The time constant `τ > 0` of every unit.
    public var tau: Double
    /// Which units are clamped (`true`): empty for none, otherwise one entry per unit.
    public var clamp: [Bool]

    /// Creates a variable.
    ///
    /// - Parameters:
    ///   - name: unique name.
    ///   - shape: positive dimensions (`[size]` for a vector).
    ///   - tau: `τ > 0`, default 1.
    ///   - clamp: the clamp mask, empty (default) for none.
    public init(name: String, shape: [Int], tau: Double = 1, clamp: [Bool] = []) {
        self.name = name
        self.shape = shape
        self.tau = tau
        self.clamp = clamp
    }

    /// The number of units.
    public var size: Int { shape.reduce(1, *) }
}

/// A gradient-flow model (docs/math.md §8): a flat state split into named variables, each with its own
/// time constant, descending an energy that is a sum of terms,
///
///     τ_i dx_i/dt = −∂E/∂x_i  (free units),   dx_i/dt = 0  (clamped units)
///     dE/dt = −Σ_{i free} τ_i⁻¹ (∂E/∂x_i)² ≤ 0,     J = −τ⁻¹ ∇²E (zero rows at clamped units)
///
/// Construction validates everything and throws a ``NetworkError`` whose path names the offending field
/// the way the network file does (`variables[0].clamp`, `terms[1].beta`, `terms[2].projection`). Random
/// feature terms are resolved at construction: their projection is drawn (seeded) and their stored sum
/// `T` computed (from memories); copies of the model share them.
public struct GradientModel: DynamicalModel {
    /// The variables, in the order of the flat state.
    public let gradientVariables: [GradientVariable]
    /// The energy terms, as given (a random-feature term built from memories still lists them).
    public let terms: [GradientTerm]
    /// The seam's description of the variables (names, shapes, offsets).
    public let variables: [ModelVariable]
    public let dimension: Int
    public let timeConstants: [Double]
    public let clampMask: [Bool]
    /// The resolved random-feature parts of each term (nil for the other terms).
    let features: [ResolvedFeatures?]
    /// How the model is split over processes (nil: one process holds it all; see
    /// ``distributed(over:)``).
    let sharding: Sharding?

    /// The projection and the stored sum `T` of a random-feature term, shared by copies of the model.
    /// A distributed model holds a block of the features: `matrix` has its rows only, `sum` its entries
    /// only (`[T_cos block ; T_sin block]` for the two-part kernels) and `totalFeatures` is `Y`.
    struct ResolvedFeatures: Sendable {
        var matrix: RandomFeatureMatrix
        var sum: [Double]
        var totalFeatures: Int

        init(matrix: RandomFeatureMatrix, sum: [Double], totalFeatures: Int? = nil) {
            self.matrix = matrix
            self.sum = sum
            self.totalFeatures = totalFeatures ?? matrix.features
        }
    }

    /// Creates and validates a model.
    ///
    /// - Parameters:
    ///   - variables: at least one, unique non-empty names.
    ///   - terms: the energy terms (at least one).
    /// - Throws: ``NetworkError`` for an empty model, duplicate or empty names, bad shapes, τ ≤ 0 or
    ///   non-finite, a clamp mask of the wrong size, a term on an unknown variable, β ≤ 0, features ≤ 0,
    ///   a floor ≤ 0, wrong shapes of bias, memories, projection, phases or sum, and non-finite entries.
    public init(variables: [GradientVariable], terms: [GradientTerm]) throws(NetworkError) {
        let (described, offsets) = try Self.validate(variables)
        var features: [ResolvedFeatures?] = []
        for (k, term) in terms.enumerated() {
            features.append(try Self.resolve(term, at: "terms[\(k)]", variables: variables, offsets: offsets))
        }
        self.init(variables: variables, described: described, terms: terms, features: features)
    }

    init(
        variables: [GradientVariable], described: [ModelVariable], terms: [GradientTerm], features: [ResolvedFeatures?],
        sharding: Sharding? = nil
    ) {
        gradientVariables = variables
        self.terms = terms
        self.variables = described
        self.features = features
        self.sharding = sharding
        dimension = described.last.map { $0.offset + $0.size } ?? 0
        timeConstants = variables.flatMap { [Double](repeating: $0.tau, count: $0.size) }
        clampMask = variables.flatMap { $0.clamp.isEmpty ? [Bool](repeating: false, count: $0.size) : $0.clamp }
    }

    /// The stored sum `T` of term `index` (a random-feature term), or nil for other terms. In a
    /// distributed model: this process's block of `T`.
    public func featureSum(ofTerm index: Int) -> [Double]? { features[index]?.sum }

    /// The projection `S` and phases `b` of term `index` (a random-feature term), or nil for other terms.
    /// In a distributed model: this process's block of rows.
    public func featureMatrix(ofTerm index: Int) -> RandomFeatureMatrix? { features[index]?.matrix }

    /// The number of stored parameters: quadratic biases, lse memories and random-feature sums (the
    /// projection is not counted: it is determined by the seed, or fixed, and never learned). For a
    /// distributed model, the count of the whole model (all processes).
    public var parameterCount: Int {
        if let sharding { return sharding.parameterCount }
        return localParameterCount
    }

    /// The parameters this process holds.
    var localParameterCount: Int {
        terms.enumerated().reduce(0) { total, entry in
            switch entry.element {
            case .quadratic(let t): total + t.bias.count
            case .lse(let t): total + t.memories.count
            case .randomFeatures: total + (features[entry.offset]?.sum.count ?? 0)
            }
        }
    }

    /// For a distributed model, the work of the whole model (the same number on every process, so
    /// that strategies decide alike everywhere).
    public var batchedWork: Int {
        if let sharding { return sharding.batchedWork }
        return localBatchedWork
    }

    /// The batched work of this process's part.
    var localBatchedWork: Int {
        terms.enumerated().reduce(0) { total, entry in
            switch entry.element {
            case .quadratic: total
            case .lse(let t): total + t.memories.count
            case .randomFeatures:
                total + (features[entry.offset].map { $0.matrix.features * $0.matrix.dimension } ?? 0)
            }
        }
    }

    public var evaluatesBatches: Bool { true }

    /// True for a distributed model: every evaluation is a collective call.
    public var evaluatesCollectively: Bool { sharding != nil }

    public func makeEvaluator(capacity: Int) -> any ModelEvaluator { GradientEvaluator(model: self, capacity: capacity) }

    /// The variable index of each term.
    func variableIndex(ofTerm index: Int) -> Int {
        gradientVariables.firstIndex { $0.name == terms[index].variable }!
    }
}
