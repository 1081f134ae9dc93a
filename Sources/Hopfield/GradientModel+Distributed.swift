import Foundation

/// Memories split over processes (docs/math.md §9, docs/distributed.md).
extension GradientModel {
    /// What a distributed model knows about the whole model: the reduction that joins the processes'
    /// partials, and the counts of the whole model (the same on every process).
    struct Sharding: Sendable {
        let reduction: any PartialReduction
        let parameterCount: Int
        let batchedWork: Int
        /// The memories of each term over all processes (lse, and random features built from memories).
        let memoryCounts: [Int?]
    }

    /// Creates and validates one process's part of a model whose memories are split over processes:
    /// as ``init(variables:terms:)``, except that an `lse` term may hold no memories (`[0, size]`; its
    /// block is empty on this process). Random-feature terms built from memories store the partial sum
    /// `T_r = Σ_{μ ∈ block} Φ(ξ_μ)` over all `Y` features. Call ``distributed(over:)`` on the result.
    ///
    /// - Throws: ``NetworkError`` as ``init(variables:terms:)``.
    public static func memoryBlock(variables: [GradientVariable], terms: [GradientTerm]) throws(NetworkError) -> GradientModel {
        let (described, offsets) = try validate(variables)
        var features: [ResolvedFeatures?] = []
        for (k, term) in terms.enumerated() {
            features.append(try resolve(term, at: "terms[\(k)]", variables: variables, offsets: offsets, memoryBlock: true))
        }
        return GradientModel(variables: variables, described: described, terms: terms, features: features)
    }

    /// The same model with its memory terms split over the processes of `reduction` (docs/math.md §9):
    /// this model holds this process's block of the memories (built with ``memoryBlock(variables:terms:)``
    /// or ``init(variables:terms:)``, on every process with the same variables and terms apart from the
    /// memories), and every evaluation joins the blocks.
    ///
    /// - `lse`: each process keeps its memories; an evaluation of `B` states does one MAXIMUM reduction
    ///   of the `B` maxima `m_r`, then one SUM reduction of the rescaled partials `e^{m_r − m}(S_r, V_r)`
    ///   (and `z_r`, `W_r` for Hessian–vector products; `S_r`, `V_r`, `Σ e ξξᵀ` for the dense Hessian).
    /// - `random_features`: the `Y` features are split into contiguous blocks; process `r` keeps its rows
    ///   of `S`, `b` and its entries of `T`. A sum built from memories is first completed by one SUM
    ///   reduction of the partial sums (`2Y` or `Y` numbers, here, once). An evaluation does one SUM
    ///   reduction of `G`, `Sᵀw` (and `Sᵀ(h ⊙ Sv)`), preceded for the exponential kernels by a MAXIMUM
    ///   of the running maxima.
    ///
    /// Every process must call this together (it is collective). Energies, gradients, Hessian–vector
    /// products and dense Hessians equal the one-process model's up to the order of the sums, and every
    /// process gets the same bits. ``parameterCount``, ``batchedWork``, ``memoryCount(ofTerm:)`` and
    /// ``featureCount(ofTerm:)`` describe the whole model. With a one-process reduction the result
    /// evaluates bit for bit like this model.
    ///
    /// - Parameter reduction: the processes (every process passes its own handle to the same group).
    /// - Returns: the distributed model (``DynamicalModel/evaluatesCollectively`` is true).
    /// - Throws: ``NetworkError`` at `terms[k].memories` (on every process alike) when an `lse` term
    ///   holds no memory on any process.
    public func distributed(over reduction: any PartialReduction) throws(NetworkError) -> GradientModel {
        precondition(sharding == nil, "the model is already distributed")
        // One SUM of the local memory counts (the same order on every process).
        var counts = terms.enumerated().map { k, term -> Double in
            let size = Double(variables[variableIndex(ofTerm: k)].size)
            switch term {
            case .quadratic: return 0
            case .lse(let t): return Double(t.memories.count) / size
            case .randomFeatures(let t):
                if case .memories(let m) = t.store { return Double(m.count) / size }
                return 0
            }
        }
        counts.withUnsafeMutableBufferPointer { reduction.sum($0) }
        var memoryCounts: [Int?] = []
        var resolved = features
        var parameters = 0, work = 0
        for (k, term) in terms.enumerated() {
            let size = variables[variableIndex(ofTerm: k)].size
            let total = Int(counts[k])
            switch term {
            case .quadratic(let t):
                parameters += t.bias.count
                memoryCounts.append(nil)
            case .lse:
                if total == 0 { throw NetworkError(path: "terms[\(k)].memories", message: "holds no memories on any process") }
                parameters += total * size
                work += total * size
                memoryCounts.append(total)
            case .randomFeatures(let t):
                var f = features[k]!
                if case .memories = t.store {
                    f.sum.withUnsafeMutableBufferPointer { reduction.sum($0) }
                    memoryCounts.append(total)
                } else {
                    memoryCounts.append(nil)
                }
                let y = f.matrix.features
                let block = contiguousBlock(of: y, part: reduction.rank, parts: reduction.processCount)
                var sum = Array(f.sum[block])
                if t.kernel.sumLength(features: y) == 2 * y { sum += f.sum[(y + block.lowerBound) ..< (y + block.upperBound)] }
                parameters += t.kernel.sumLength(features: y)
                work += y * size
                resolved[k] = ResolvedFeatures(matrix: RandomFeatureMatrix(block: f.matrix, rows: block), sum: sum, totalFeatures: y)
            }
        }
        let sharding = Sharding(reduction: reduction, parameterCount: parameters, batchedWork: work, memoryCounts: memoryCounts)
        return GradientModel(
            variables: gradientVariables, described: variables, terms: terms, features: resolved, sharding: sharding)
    }

    /// The processes a distributed model is split over (nil for a one-process model).
    public var reduction: (any PartialReduction)? { sharding?.reduction }

    /// The number of memories of term `index` (an `lse` term, or a random-feature term built from
    /// memories) over all processes; nil for other terms.
    public func memoryCount(ofTerm index: Int) -> Int? {
        if let sharding { return sharding.memoryCounts[index] }
        let size = variables[variableIndex(ofTerm: index)].size
        switch terms[index] {
        case .quadratic: return nil
        case .lse(let t): return t.memories.count / size
        case .randomFeatures(let t):
            if case .memories(let m) = t.store { return m.count / size }
            return nil
        }
    }

    /// The number of features `Y` of term `index` (a random-feature term; all processes' features
    /// together), or nil for other terms.
    public func featureCount(ofTerm index: Int) -> Int? { features[index]?.totalFeatures }
}
