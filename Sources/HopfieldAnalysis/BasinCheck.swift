import Foundation
import Hopfield
import Sundials

/// Claim (iii) of docs/math.md §3: the flat region through a stable fixed point lies in its basin.
///
/// On the set `S = {x : g(x) = g*}` through `x*` the flow is `τ ẋ = x* − x`, so every sampled state
/// converges exponentially, `x(t) − x* = (x(0) − x*) e^{−t/τ_A}` in layer A. The check samples `S`, integrates
/// every sample and fits the decay rate of each layer's deviation `‖x_A(t) − x*_A‖₂` against `1/τ_A`.
public struct BasinCheck: Sendable {
    /// The fitted decay rate of one layer's flat coordinates.
    public struct LayerRate: Sendable, Equatable {
        /// The layer index.
        public var layer: Int
        /// The mean over the samples of the least-squares slope of `−log ‖x_A(t) − x*_A‖` against `t`.
        public var fittedRate: Double
        /// `1/τ_A`.
        public var expectedRate: Double
        /// The largest `|fitted − expected| / expected` over the samples.
        public var maxRelativeError: Double
    }

    /// The number of sampled states.
    public var samples: Int
    /// How many converged to `x*`.
    public var converged: Int
    /// The fitted rates, one per layer with flat directions.
    public var layerRates: [LayerRate]
    /// The largest `‖g(x(0)) − g*‖_∞` over the samples: 0 up to rounding, the samples lie in `S`.
    public var maxActivationChange: Double
    /// The largest `‖x(T) − x*‖_∞` over the samples.
    public var maxFinalDistance: Double
    /// The sampled initial states.
    public var sampledStates: [[Double]]

    /// The fitted rate of the first layer with flat directions (nil when there is none).
    public var decayRate: Double? { layerRates.first?.fittedRate }
    /// `1/τ` of that layer.
    public var expectedRate: Double? { layerRates.first?.expectedRate }
}

/// Samples the flat region through `fixedPoint`, integrates each sample and counts those that converge.
///
/// A sample keeps every live coordinate of `x*` and moves along every flat direction while keeping `g = g*`:
/// dead relu/repu/rexp units are drawn in `(−∞, 0)` as `−a·Exp(1)`; softmax and layernorm layers are shifted
/// along `1` by `s ∈ (−a, a)`; layernorm with `ε = 0` has its centred part and spherical with `ε = 0` its
/// state scaled by `κ ∈ (0.5, 2)`; `a = max(1, ‖x*‖_∞)`. Integration: CVODE BDF with the dense analytic
/// Jacobian up to `horizon · max τ`.
///
/// - Parameters:
///   - network: the network.
///   - fixedPoint: a (stable) fixed point `x*`.
///   - options: samples, seed, tolerances.
/// - Returns: the counts and fitted rates; zero samples when `x*` has no flat direction.
/// - Throws: ``AnalysisError`` for bad options, a bad state, or a solver that cannot be set up.
public func checkBasin(
    _ network: Network, fixedPoint: [Double], options: BasinCheckOptions = BasinCheckOptions()
) throws(AnalysisError) -> BasinCheck {
    try options.validate()
    try validateState(fixedPoint, network: network)
    let evaluator = NetworkEvaluator(network: network)
    let target = evaluator.activations(fixedPoint)
    let scale = max(1, fixedPoint.reduce(0) { max($0, abs($1)) })
    var rng = SplitMix64(seed: options.seed)

    let flatLayers = network.layers.indices.filter { a in
        !network.layers[a].lagrangian.zeroModes(at: Array(fixedPoint[network.range(ofLayer: a)])).isEmpty
    }
    guard !flatLayers.isEmpty, options.samples > 0 else {
        return BasinCheck(
            samples: 0, converged: 0, layerRates: [], maxActivationChange: 0, maxFinalDistance: 0, sampledStates: [])
    }

    let tauMax = network.layers.map(\.tau).max() ?? 1
    let endTime = options.horizon * tauMax
    var grid = Set<Double>([0, endTime])
    for a in flatLayers {
        let tau = network.layers[a].tau
        for k in 0 ... 60 { grid.insert(min(endTime, 14 * tau * Double(k) / 60)) }
    }
    let saveTimes = grid.sorted()
    var solverOptions = SolverOptions()
    solverOptions.relativeTolerance = options.relativeTolerance
    solverOptions.absoluteTolerance = .scalar(options.absoluteTolerance)
    solverOptions.saveTimes = saveTimes

    var rates = [[Double]](repeating: [], count: flatLayers.count)
    var converged = 0
    var maxActivationChange = 0.0
    var maxFinalDistance = 0.0
    var sampled: [[Double]] = []
    for _ in 0 ..< options.samples {
        let x0 = sampleFlatRegion(network, fixedPoint: fixedPoint, layers: flatLayers, scale: scale, rng: &rng)
        sampled.append(x0)
        let g0 = evaluator.activations(x0)
        maxActivationChange = max(maxActivationChange, zip(g0, target).reduce(0) { max($0, abs($1.0 - $1.1)) })
        let problem = ODEProblem(
            initialState: x0, startTime: 0, endTime: endTime,
            vectorField: { _, y, ydot in evaluator.vectorField(y, into: ydot) },
            jacobian: { _, y, jacobian in evaluator.jacobian(at: y, into: jacobian) })
        let solution: ODESolution
        do { solution = try integrate(problem, options: solverOptions) } catch {
            throw .solverSetup(error.description)
        }
        let distance = zip(solution.finalState, fixedPoint).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
        let reachedEnd = solution.status.isSuccess && solution.finalTime == endTime
        maxFinalDistance = max(maxFinalDistance, distance.isNaN ? .infinity : distance)
        if reachedEnd && distance <= options.convergenceTolerance * scale { converged += 1 }
        for (k, a) in flatLayers.enumerated() {
            if let rate = fittedRate(solution, layer: a, network: network, fixedPoint: fixedPoint) {
                rates[k].append(rate)
            }
        }
    }
    let layerRates = flatLayers.enumerated().compactMap { k, a -> BasinCheck.LayerRate? in
        guard !rates[k].isEmpty else { return nil }
        let expected = 1 / network.layers[a].tau
        let mean = rates[k].reduce(0, +) / Double(rates[k].count)
        let worst = rates[k].map { abs($0 - expected) / expected }.max() ?? 0
        return BasinCheck.LayerRate(layer: a, fittedRate: mean, expectedRate: expected, maxRelativeError: worst)
    }
    return BasinCheck(
        samples: options.samples, converged: converged, layerRates: layerRates,
        maxActivationChange: maxActivationChange, maxFinalDistance: maxFinalDistance, sampledStates: sampled)
}

/// One state of the flat region through `x*` (see ``checkBasin(_:fixedPoint:options:)``).
private func sampleFlatRegion(
    _ network: Network, fixedPoint: [Double], layers: [Int], scale a: Double, rng: inout SplitMix64
) -> [Double] {
    var x = fixedPoint
    for layer in layers {
        let range = network.range(ofLayer: layer)
        let xa = Array(fixedPoint[range])
        let n = xa.count
        let mean = xa.reduce(0, +) / Double(max(1, n))
        switch network.layers[layer].lagrangian {
        case .relu, .repu, .rexp:
            for (i, v) in xa.enumerated() where v <= 0 { x[range.lowerBound + i] = -a * -Foundation.log(rng.open()) }
        case .softmax:
            let s = a * (2 * rng.open() - 1)
            for i in range { x[i] += s }
        case .layernorm(_, _, let eps):
            let kappa = eps == 0 ? 0.5 + 1.5 * rng.open() : 1
            let s = a * (2 * rng.open() - 1)
            for (i, v) in xa.enumerated() { x[range.lowerBound + i] = mean + kappa * (v - mean) + s }
        case .spherical(_, _, let eps) where eps == 0:
            let kappa = 0.5 + 1.5 * rng.open()
            for (i, v) in xa.enumerated() { x[range.lowerBound + i] = kappa * v }
        default:
            break
        }
    }
    return x
}

/// The least-squares slope of `−log ‖x_A(t) − x*_A‖₂` over the saves with `t ≤ 14 τ_A` and a deviation of at
/// least `1e-5` of the initial one; nil with fewer than three such saves.
private func fittedRate(_ solution: ODESolution, layer a: Int, network: Network, fixedPoint: [Double]) -> Double? {
    let range = network.range(ofLayer: a)
    let tau = network.layers[a].tau
    var ts: [Double] = []
    var logs: [Double] = []
    var initial: Double? = nil
    for (k, t) in solution.times.enumerated() where t <= 14 * tau * (1 + 1e-12) {
        let state = solution.state(at: k)
        let start = state.startIndex
        var d = 0.0
        for i in range {
            let e = state[start + i] - fixedPoint[i]
            d += e * e
        }
        d = d.squareRoot()
        if initial == nil { initial = d }
        guard let d0 = initial, d0 > 0, d >= 1e-5 * d0 else { continue }
        ts.append(t)
        logs.append(Foundation.log(d))
    }
    guard ts.count >= 3 else { return nil }
    let tMean = ts.reduce(0, +) / Double(ts.count)
    let lMean = logs.reduce(0, +) / Double(logs.count)
    var num = 0.0, den = 0.0
    for (t, l) in zip(ts, logs) {
        num += (t - tMean) * (l - lMean)
        den += (t - tMean) * (t - tMean)
    }
    return den > 0 ? -num / den : nil
}

extension SplitMix64 {
    /// Uniform in the open interval (0, 1) (the logarithm of a basin sample stays finite).
    fileprivate mutating func open() -> Double {
        (Double(next() >> 11) + 0.5) / Double(1 << 53)
    }
}
