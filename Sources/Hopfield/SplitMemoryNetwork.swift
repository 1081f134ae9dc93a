/// A two-layer Lagrangian network whose memory layer is split over processes (docs/math.md §1.2, §9).
///
/// A feature layer `F` (`N` units, any Lagrangian) and a memory layer `M` (`K` units, softmax or an
/// elementwise Lagrangian) joined by one dense synapse `F → M` with weights `W` (`[K, N]`, row μ the
/// memory ξ_μ):
///
///     τ_F ẋ_F = b_F − x_F + Wᵀ g_M,      τ_M ẋ_M = b_M − x_M + W g_F
///     E = (x_F − b_F)·g_F − L_F + (x_M − b_M)·g_M − L_M − g_Mᵀ W g_F
///
/// Process `r` of `R` holds the contiguous block of memory units `offset_r ..< offset_r + K_r` (rank
/// order is unit order: `offset_0 = 0`, `offset_{r+1} = offset_r + K_r`), its weight rows `W_r`
/// (`[K_r, N]`) and that block's bias and clamp. **Ownership of the state:** process 0 owns the feature
/// layer and its memory block, every other process only its memory block, so this process's part of the
/// flat state ``localRange`` has `N + K_0`, `K_1`, …, `K_{R−1}` entries, every unit counted once. The
/// full flat state is `[x_F, x_M]` (``variables``), the concatenation of the parts in rank order.
///
/// The network talks to the other processes only through its ``PartialReduction`` (nil for one process).
/// Each evaluation of ``SplitMemoryEvaluator`` ends in a few collective reductions (docs/math.md §9):
/// the feature state is broadcast from process 0, a softmax needs the global maximum (one MAX of one
/// number), and the feature input `Σ_r W_rᵀ g_{M,r}` travels in one SUM of `N` numbers together with
/// the softmax's normalisation and the scalar partial sums of the energy and its rate.
public struct SplitMemoryNetwork: Sendable {
    /// The feature layer `F`, the same on every process (bias and clamp of all `N` units).
    public let features: Layer
    /// The memory layer `M` as a whole (name, shape of all `K` units, Lagrangian, τ); its ``Layer/bias``
    /// and ``Layer/clamp`` are empty or this process's block (`K_r` entries).
    public let memories: Layer
    /// This process's weight rows `W_r`, row-major `[K_r, N]`.
    public let weights: [Double]
    /// The first memory unit of this process's block, `offset_r`.
    public let rowOffset: Int
    /// The memory units of this process's block, `K_r ≥ 1`.
    public let localMemoryCount: Int
    /// The reductions over the processes that share the network; nil for one process.
    public let reduction: (any PartialReduction)?

    /// This process's index (0 without a reduction).
    public var rank: Int { reduction?.rank ?? 0 }
    /// The number of processes that share the network.
    public var processCount: Int { reduction?.processCount ?? 1 }
    /// `N`.
    public var featureCount: Int { features.size }
    /// `K`, all memory units.
    public var memoryCount: Int { memories.size }
    /// The length of the full flat state, `N + K`.
    public var dimension: Int { features.size + memories.size }
    /// The full network's variables: the feature layer at offset 0, the memory layer at offset `N`.
    public var variables: [ModelVariable] {
        [ModelVariable(name: features.name, shape: features.shape, offset: 0),
         ModelVariable(name: memories.name, shape: memories.shape, offset: features.size)]
    }
    /// Whether this process owns the feature layer (process 0).
    public var ownsFeatures: Bool { rank == 0 }
    /// The indices of the full flat state that this process owns: `0 ..< N + K_0` on process 0,
    /// `N + offset_r ..< N + offset_r + K_r` elsewhere.
    public var localRange: Range<Int> {
        let end = features.size + rowOffset + localMemoryCount
        return (ownsFeatures ? 0 : features.size + rowOffset) ..< end
    }
    /// The length of this process's part of the state.
    public var localDimension: Int { localRange.count }

    /// A network from plain values: the two layers, this process's weight block and where it starts.
    ///
    /// Collective when `reduction` is given: every process calls it together (one SUM of `3R` numbers
    /// checks that the blocks tile `0 ..< K` in rank order), and every process throws when any process's
    /// values are invalid.
    ///
    /// - Parameters:
    ///   - features: the feature layer (any Lagrangian).
    ///   - memories: the memory layer, `shape` covering all `K` units; softmax or an elementwise
    ///     Lagrangian; `bias` / `clamp` empty, of `K` entries (the block is taken), or of `K_r` entries.
    ///   - weights: `W_r`, row-major `[K_r, N]` (`K_r = weights.count / N ≥ 1`).
    ///   - rowOffset: the block's first memory unit.
    ///   - reduction: the processes' reductions (`CommunicatorReduction` in HopfieldSimulation), or nil
    ///     for one process (then the block is the whole layer).
    /// - Throws: ``NetworkError`` naming the layer field or `weights`.
    public init(
        features: Layer, memories: Layer, weights: [Double], rowOffset: Int, reduction: (any PartialReduction)?
    ) throws(NetworkError) {
        let n = features.size
        let localError = Self.check(features: features, memories: memories, weights: weights, rowOffset: rowOffset)
        let localCount = n > 0 ? weights.count / n : 0
        var failure = localError
        if let reduction, reduction.processCount > 1 {
            let r = reduction.processCount
            var table = [Double](repeating: 0, count: 3 * r)
            table[3 * reduction.rank] = Double(rowOffset)
            table[3 * reduction.rank + 1] = Double(localCount)
            table[3 * reduction.rank + 2] = localError == nil ? 0 : 1
            table.withUnsafeMutableBufferPointer { reduction.sum($0) }
            if failure == nil {
                if let bad = (0 ..< r).first(where: { table[3 * $0 + 2] != 0 }) {
                    failure = NetworkError(path: "memories", message: "process \(bad) could not set up its block")
                } else {
                    var expected = 0.0
                    for q in 0 ..< r {
                        if table[3 * q] != expected {
                            failure = NetworkError(
                                path: "memories",
                                message: "process \(q)'s block starts at unit \(Int(table[3 * q])), expected \(Int(expected)) (blocks in rank order)")
                            break
                        }
                        expected += table[3 * q + 1]
                    }
                    if failure == nil, expected != Double(memories.size) {
                        failure = NetworkError(
                            path: "memories", message: "the blocks hold \(Int(expected)) units, the layer has \(memories.size)")
                    }
                }
            }
        } else if localError == nil, rowOffset != 0 || localCount != memories.size {
            failure = NetworkError(
                path: "weights", message: "one process must hold all \(memories.size) memories, got rows \(rowOffset) ..< \(rowOffset + localCount)")
        }
        if let failure { throw failure }
        var block = memories
        let range = rowOffset ..< rowOffset + localCount
        if block.bias.count == memories.size && localCount != memories.size { block.bias = Array(block.bias[range]) }
        if block.clamp.count == memories.size && localCount != memories.size { block.clamp = Array(block.clamp[range]) }
        self.features = features
        self.memories = block
        self.weights = weights
        self.rowOffset = rowOffset
        self.localMemoryCount = localCount
        self.reduction = reduction
    }

    /// This process's checks of its values (no communication).
    private static func check(features: Layer, memories: Layer, weights: [Double], rowOffset: Int) -> NetworkError? {
        for (path, layer) in [("features", features), ("memories", memories)] {
            if layer.name.isEmpty { return NetworkError(path: "\(path).name", message: "must not be empty") }
            if layer.shape.isEmpty || layer.shape.contains(where: { $0 <= 0 }) {
                return NetworkError(path: "\(path).shape", message: "must be positive integers, got \(layer.shape)")
            }
            if !(layer.tau.isFinite && layer.tau > 0) {
                return NetworkError(path: "\(path).tau", message: "must be > 0, got \(layer.tau)")
            }
            if let (parameter, message) = layer.lagrangian.validate(size: layer.size) {
                return NetworkError(path: "\(path).lagrangian.\(parameter)", message: message)
            }
        }
        if features.name == memories.name {
            return NetworkError(path: "memories.name", message: "duplicate layer name \"\(memories.name)\"")
        }
        switch memories.lagrangian {
        case .softmax: break
        case let l where l.isSeparable: break
        default:
            return NetworkError(
                path: "memories.lagrangian",
                message: "\(memories.lagrangian.name) couples every memory unit: a split memory layer takes softmax or an elementwise Lagrangian")
        }
        let n = features.size
        guard weights.count % n == 0, weights.count >= n else {
            return NetworkError(path: "weights", message: "has \(weights.count) entries, not a positive number of rows of \(n)")
        }
        let localCount = weights.count / n
        guard rowOffset >= 0, rowOffset + localCount <= memories.size else {
            return NetworkError(
                path: "weights", message: "rows \(rowOffset) ..< \(rowOffset + localCount) exceed the \(memories.size) memories")
        }
        if let bad = weights.firstIndex(where: { !$0.isFinite }) {
            return NetworkError(path: "weights", message: "entry \(bad) is not finite (\(weights[bad]))")
        }
        for (path, layer, full) in [("features", features, features.size), ("memories", memories, memories.size)] {
            let allowed = path == "features" ? [full] : [full, localCount]
            if !layer.bias.isEmpty {
                if !allowed.contains(layer.bias.count) {
                    return NetworkError(path: "\(path).bias", message: "has \(layer.bias.count) entries, expected \(allowed.map(String.init).joined(separator: " or "))")
                }
                if let bad = layer.bias.firstIndex(where: { !$0.isFinite }) {
                    return NetworkError(path: "\(path).bias", message: "entry \(bad) is not finite (\(layer.bias[bad]))")
                }
            }
            if !layer.clamp.isEmpty, !allowed.contains(layer.clamp.count) {
                return NetworkError(path: "\(path).clamp", message: "has \(layer.clamp.count) entries, expected \(allowed.map(String.init).joined(separator: " or "))")
            }
        }
        return nil
    }

    /// The time constant of every unit of this process's part of the state.
    public var localTimeConstants: [Double] {
        (ownsFeatures ? [Double](repeating: features.tau, count: features.size) : [])
            + [Double](repeating: memories.tau, count: localMemoryCount)
    }

    /// Which units of this process's part are clamped.
    public var localClampMask: [Bool] {
        (ownsFeatures ? (0 ..< features.size).map(features.isClamped) : [])
            + (0 ..< localMemoryCount).map(memories.isClamped)
    }

    /// A new evaluator of this process's part (workspaces allocated here; evaluations allocate nothing).
    public func makeEvaluator() -> SplitMemoryEvaluator { SplitMemoryEvaluator(network: self) }
}
