import Hopfield

/// Claim (i) of docs/math.md §3: the activations `g* = g(x*)` fix the whole state through
///
///     x* = b + C g*
///
/// and a relu-type unit is dead at a genuine fixed point iff its recovered input `(b + C g*)ᵢ < 0`.
public struct FixedPointRecovery: Sendable {
    /// `b + C g(x*)`.
    public var recoveredState: [Double]
    /// `‖b + C g* − x_ref‖_∞` with `x_ref` the integrated state (the polished state when not integrated).
    public var error: Double
    /// `‖b + C g* − x*‖_∞ = ‖r(x*)‖_∞` against the polished state.
    public var polishedError: Double
    /// `(b + C g*)ᵢ` for the dead units of every layer, in the order of ``FlatDirections/deadUnits``.
    public var deadInputs: [[Double]]

    /// Whether every dead unit has `(b + C g*)ᵢ < 0` (true when there are none).
    public var deadInputsNegative: Bool { deadInputs.allSatisfy { $0.allSatisfy { $0 < 0 } } }
    /// The largest `(b + C g*)ᵢ` over the dead units (nil when there are none); negative iff all are.
    public var maxDeadInput: Double? { deadInputs.joined().max() }

    /// Recovers `x*` from `g*`.
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - fixedPoint: the polished fixed point `x*`.
    ///   - reference: the state to compare with (the integrated state); nil compares with `x*`.
    ///   - deadUnits: the dead units per layer (``FlatDirections/deadUnits``).
    /// - Throws: ``AnalysisError/invalidState(_:)`` for states of the wrong length or non-finite entries.
    public init(
        network: Network, fixedPoint: [Double], reference: [Double]? = nil, deadUnits: [[Int]]
    ) throws(AnalysisError) {
        try validateState(fixedPoint, network: network)
        if let reference { try validateState(reference, network: network) }
        let evaluator = NetworkEvaluator(network: network)
        let g = evaluator.activations(fixedPoint)
        let c = evaluator.couplingMatrix()
        let n = network.dimension
        var recovered = [Double](repeating: 0, count: n)
        for (a, layer) in network.layers.enumerated() {
            for i in 0 ..< layer.size { recovered[network.offsets[a] + i] = layer.bias(at: i) }
        }
        for i in 0 ..< n {
            var sum = 0.0
            for j in 0 ..< n { sum += c[i * n + j] * g[j] }
            recovered[i] += sum
        }
        recoveredState = recovered
        func distance(_ y: [Double]) -> Double { zip(recovered, y).reduce(0) { max($0, abs($1.0 - $1.1)) } }
        polishedError = distance(fixedPoint)
        error = distance(reference ?? fixedPoint)
        deadInputs = deadUnits.prefix(network.layers.count).enumerated().map { a, units in
            units.filter { $0 >= 0 && $0 < network.layers[a].size }.map { recovered[network.offsets[a] + $0] }
        }
    }
}
