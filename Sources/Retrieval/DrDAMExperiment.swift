import Foundation
import Hopfield

/// Where the DrDAM measurement evaluates the two energies.
public enum DrDAMPointKind: String, Sendable, Hashable, CaseIterable {
    /// The stored memories themselves.
    case memories
    /// Stored memories with a fraction of their bits flipped (10 % by default).
    case near
    /// Random binary points, independent of the memories.
    case random
}

/// The measurement of Hoover et al. (2024), "Dense Associative Memory through the Lens of Random
/// Features" (DrDAM; docs/math.md §5, §8): how far the random-feature energy `Ẽ` and its gradient are
/// from the exact log-sum-exp energy `E` of the same memories, as the number of features `Y` grows.
///
/// Protocol:
///
/// ```
/// memories  ξ_μ ∈ {0, 1/√D}^D, μ < K, every bit an independent fair coin       (SplitMix64(seed))
/// points    P of each kind: memory p mod K; the same with round(0.1 D) distinct bits flipped;
///           a fresh random binary point
/// exact     E(x)  = −β⁻¹ log Σ_μ exp(−(β/2)‖x − ξ_μ‖²)           (lse, euclidean)
/// estimate  Ẽ(x)  = −β⁻¹ log max(⟨Φ(x), T⟩, κ),  T = Σ_μ Φ(ξ_μ)   (random_features, Y features)
/// errors    mean_p |E − Ẽ|  and  mean_{p,i} |∂_i E − ∂_i Ẽ|, per kind and per Y (averaged over trials)
/// slope     least-squares slope of log(error) against log(Y), per kind
/// ```
///
/// The projection of trial `t` at the `j`-th Y is seeded with `SplitMix64(seed: seed &+ 1 + j + t·J).next()`
/// (`J` the number of Ys), so every Y and trial draws its own features.
public struct DrDAMExperiment: Sendable {
    /// `D`, the dimension of memories and points.
    public var dimension: Int
    /// `K`, the number of stored memories.
    public var memoryCount: Int
    /// `β > 0`.
    public var beta: Double
    /// The numbers of features `Y` to measure.
    public var features: [Int]
    /// `P`, the number of points of each kind.
    public var points: Int
    /// The seed of memories, points and projections.
    public var seed: UInt64
    /// The feature map.
    public var kernel: RandomFeatureKernel
    /// The fraction of bits flipped in near points.
    public var flipFraction: Double
    /// Independent projections averaged per Y.
    public var trials: Int
    /// The floor `κ` of the estimate.
    public var floor: Double

    /// Describes a measurement.
    ///
    /// - Parameters:
    ///   - dimension: `D ≥ 1`.
    ///   - memoryCount: `K ≥ 1`.
    ///   - beta: `β > 0`.
    ///   - features: the values of `Y`, each ≥ 1.
    ///   - points: `P ≥ 1` points of each kind.
    ///   - seed: the seed.
    ///   - kernel: the feature map (default sincos).
    ///   - flipFraction: the fraction of flipped bits in near points (default 0.1).
    ///   - trials: projections averaged per Y (default 1).
    ///   - floor: `κ` (default 1e-5).
    public init(
        dimension: Int, memoryCount: Int, beta: Double, features: [Int], points: Int, seed: UInt64,
        kernel: RandomFeatureKernel = .sincos, flipFraction: Double = 0.1, trials: Int = 1, floor: Double = 1e-5
    ) {
        self.dimension = dimension
        self.memoryCount = memoryCount
        self.beta = beta
        self.features = features
        self.points = points
        self.seed = seed
        self.kernel = kernel
        self.flipFraction = flipFraction
        self.trials = trials
        self.floor = floor
    }

    /// The memories `[K, D]` and the points of each kind `[P, D]`, as the protocol draws them.
    public func data() -> (memories: [Double], points: [DrDAMPointKind: [Double]]) {
        let d = dimension
        let one = 1 / Double(d).squareRoot()
        var rng = SplitMix64(seed: seed)
        let memories = (0 ..< memoryCount * d).map { _ in rng.next() >> 63 == 1 ? one : 0 }
        let flips = Int((flipFraction * Double(d)).rounded())
        var stored: [Double] = [], near: [Double] = [], random: [Double] = []
        var order = Array(0 ..< d)
        for p in 0 ..< points {
            let memory = Array(memories[(p % memoryCount) * d ..< (p % memoryCount + 1) * d])
            stored += memory
            // The first `flips` entries of a partial Fisher–Yates shuffle: distinct positions.
            var flipped = memory
            for k in 0 ..< flips {
                let j = k + Int(rng.next() % UInt64(d - k))
                order.swapAt(k, j)
                flipped[order[k]] = flipped[order[k]] == 0 ? one : 0
            }
            near += flipped
            random += (0 ..< d).map { _ in rng.next() >> 63 == 1 ? one : 0 }
        }
        return (memories, [.memories: stored, .near: near, .random: random])
    }

    /// Runs the measurement.
    ///
    /// With `descend`, also the retrieval disagreement: both models are descended to steady state from
    /// the near points, the final states binarised at `0.5/√D`, and the fraction of differing bits
    /// averaged over points (and trials) for each Y.
    ///
    /// - Parameters:
    ///   - descend: integrates a model's gradient flow from each of the given states to steady state
    ///     and returns the final states (e.g. with HopfieldSimulation's `solve`); nil skips retrieval.
    ///   - progress: called with a line after each Y (for a terminal).
    /// - Returns: the errors per kind and Y, and the fitted slopes.
    /// - Throws: `NetworkError` when a parameter is invalid (the path names it: `dimension`,
    ///   `memories`, `beta`, `features`, `points`, `trials`); whatever `descend` throws.
    public func run(
        descend: ((GradientModel, [[Double]]) throws -> [[Double]])? = nil, progress: ((String) -> Void)? = nil
    ) throws -> DrDAMResult {
        if dimension < 1 { throw NetworkError(path: "dimension", message: "must be ≥ 1, got \(dimension)") }
        if memoryCount < 1 { throw NetworkError(path: "memories", message: "must be ≥ 1, got \(memoryCount)") }
        if !(beta.isFinite && beta > 0) { throw NetworkError(path: "beta", message: "must be > 0, got \(beta)") }
        if features.isEmpty || features.contains(where: { $0 < 1 }) {
            throw NetworkError(path: "features", message: "must be a non-empty list of positive counts, got \(features)")
        }
        if points < 1 { throw NetworkError(path: "points", message: "must be ≥ 1, got \(points)") }
        if trials < 1 { throw NetworkError(path: "trials", message: "must be ≥ 1, got \(trials)") }
        let d = dimension
        let (memories, pointSets) = data()
        let variables = [GradientVariable(name: "x", shape: [d])]
        let exact = try GradientModel(
            variables: variables, terms: [.lse(LogSumExpTerm(variable: "x", beta: beta, memories: memories))])
        let capacity = min(points, 256)
        let exactEvaluator = GradientEvaluator(model: exact, capacity: capacity)
        let kinds = DrDAMPointKind.allCases
        var reference: [DrDAMPointKind: ([Double], [Double])] = [:]
        for kind in kinds { reference[kind] = Self.evaluate(exactEvaluator, pointSets[kind]!, d) }
        let nearStates = (0 ..< points).map { Array(pointSets[.near]![$0 * d ..< ($0 + 1) * d]) }
        let exactRetrieved = try descend.map { try binarised($0(exact, nearStates)) }
        var disagreement: [Double] = []
        var energyError = [DrDAMPointKind: [Double]](uniqueKeysWithValues: kinds.map { ($0, []) })
        var gradientError = energyError
        for (j, y) in features.enumerated() {
            var energySums = [DrDAMPointKind: Double](), gradientSums = [DrDAMPointKind: Double]()
            var differing = 0.0
            for t in 0 ..< trials {
                var mixer = SplitMix64(seed: seed &+ UInt64(1 + j + t * features.count))
                let model = try GradientModel(
                    variables: variables,
                    terms: [.randomFeatures(RandomFeatureTerm(
                        variable: "x", kernel: kernel, beta: beta, projection: .seeded(features: y, seed: mixer.next()),
                        store: .memories(memories), floor: floor))])
                let evaluator = GradientEvaluator(model: model, capacity: capacity)
                for kind in kinds {
                    let (e, g) = Self.evaluate(evaluator, pointSets[kind]!, d)
                    let (e0, g0) = reference[kind]!
                    energySums[kind, default: 0] += zip(e, e0).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(points)
                    gradientSums[kind, default: 0] += zip(g, g0).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(points * d)
                }
                if let descend, let exactRetrieved {
                    let retrieved = try binarised(descend(model, nearStates))
                    differing += Double(zip(retrieved, exactRetrieved).filter { $0 != $1 }.count) / Double(points * d)
                }
            }
            if descend != nil { disagreement.append(differing / Double(trials)) }
            for kind in kinds {
                energyError[kind]!.append(energySums[kind]! / Double(trials))
                gradientError[kind]!.append(gradientSums[kind]! / Double(trials))
            }
            progress?(
                "Y = \(y): |E − Ẽ| " + kinds.map { "\($0.rawValue) \(energyError[$0]!.last!)" }.joined(separator: ", "))
        }
        return DrDAMResult(
            features: features, energyError: energyError, gradientError: gradientError, disagreement: disagreement)
    }

    /// The bits of final states: `x_i > 0.5/√D`, all states concatenated.
    func binarised(_ states: [[Double]]) -> [Bool] {
        let threshold = 0.5 / Double(dimension).squareRoot()
        return states.flatMap { $0.map { $0 > threshold } }
    }

    /// Energies and gradients of the rows of `points` (`[P, d]`), in batches of the evaluator's capacity.
    static func evaluate(_ evaluator: GradientEvaluator, _ points: [Double], _ d: Int) -> ([Double], [Double]) {
        let count = points.count / d
        var energies = [Double](repeating: 0, count: count)
        var gradients = [Double](repeating: 0, count: points.count)
        points.withUnsafeBufferPointer { x in
            energies.withUnsafeMutableBufferPointer { e in
                gradients.withUnsafeMutableBufferPointer { g in
                    var start = 0
                    while start < count {
                        let rows = min(evaluator.capacity, count - start)
                        let xs = UnsafeBufferPointer(rebasing: x[start * d ..< (start + rows) * d])
                        evaluator.energies(xs, into: UnsafeMutableBufferPointer(rebasing: e[start ..< start + rows]))
                        evaluator.energyGradients(xs, into: UnsafeMutableBufferPointer(rebasing: g[start * d ..< (start + rows) * d]))
                        start += rows
                    }
                }
            }
        }
        return (energies, gradients)
    }
}

/// What ``DrDAMExperiment`` measured.
public struct DrDAMResult: Sendable {
    /// The numbers of features `Y`, in the order measured.
    public var features: [Int]
    /// Mean `|E − Ẽ|` per kind, one entry per Y.
    public var energyError: [DrDAMPointKind: [Double]]
    /// Mean elementwise `|∇E − ∇Ẽ|` per kind, one entry per Y.
    public var gradientError: [DrDAMPointKind: [Double]]
    /// The fraction of bits where the two models' retrievals from the near points differ, one entry per
    /// Y (empty when retrieval was not run).
    public var disagreement: [Double]

    /// Collects a result.
    public init(
        features: [Int], energyError: [DrDAMPointKind: [Double]], gradientError: [DrDAMPointKind: [Double]],
        disagreement: [Double] = []
    ) {
        self.features = features
        self.energyError = energyError
        self.gradientError = gradientError
        self.disagreement = disagreement
    }

    /// The least-squares slope of `log(error)` against `log(Y)` of each kind (NaN with fewer than two Ys
    /// or a zero error).
    ///
    ///     slope = Σ (a − ā)(b − b̄) / Σ (a − ā)²,   a = log Y,  b = log error
    public func slopes(of errors: [DrDAMPointKind: [Double]]) -> [DrDAMPointKind: Double] {
        errors.mapValues { Self.slope(x: features.map(Double.init), y: $0) }
    }

    /// The fitted log–log slope of `y` against `x`.
    public static func slope(x: [Double], y: [Double]) -> Double {
        guard x.count >= 2, x.count == y.count, y.allSatisfy({ $0 > 0 }) else { return .nan }
        let a = x.map { Foundation.log($0) }, b = y.map { Foundation.log($0) }
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        var covariance = 0.0, variance = 0.0
        for k in a.indices {
            covariance += (a[k] - ma) * (b[k] - mb)
            variance += (a[k] - ma) * (a[k] - ma)
        }
        return variance > 0 ? covariance / variance : .nan
    }
}

extension DrDAMResult {
    /// The reference curve `c Y^{−½}` through the first error of `errors` (the guide of the plots).
    ///
    ///     guide(Y) = error(Y₁) · (Y / Y₁)^{−½}
    public func guide(through errors: [Double]) -> [Double] {
        guard let first = errors.first, let y1 = features.first else { return [] }
        return features.map { first / (Double($0) / Double(y1)).squareRoot() }
    }
}
