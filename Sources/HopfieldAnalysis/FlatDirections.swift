import Hopfield
import LinearAlgebra

/// The flat directions of the energy at a state: the kernel of `H = diag(H_A)` and where it comes from
/// (docs/math.md §3, Fanaskov & Oseledets).
///
/// A unit of a relu, repu or rexp layer with `xᵢ ≤ 0` is **dead**: its row and column of `H` vanish, E does not
/// change when it moves anywhere in `(−∞, 0)`. Collective Lagrangians add **collective** flat directions:
/// softmax and layernorm along `1`, layernorm with `ε = 0` along `x − x̄`, spherical with `ε = 0` along `x`.
/// Kernel directions explained by neither (a Hessian that underflowed, e.g. exp far below 0) are counted as
/// **numerical**.
///
///     ker H = span{eᵢ : i dead} ⊕ span{collective directions} ⊕ (numerical directions)
public struct FlatDirections: Sendable {
    /// A collective flat direction of one layer.
    public struct CollectiveDirection: Sendable, Equatable {
        /// The layer index.
        public var layer: Int
        /// The name of the layer's Lagrangian (`softmax`, `layernorm`, `spherical`).
        public var lagrangian: String
        /// The unit direction, layer-local (`size` entries).
        public var direction: [Double]
    }

    /// Dead units per layer, layer-local indices, ascending.
    public var deadUnits: [[Int]]
    /// The collective flat directions.
    public var collectiveDirections: [CollectiveDirection]
    /// Kernel directions of `H` explained neither by dead units nor by collective directions.
    public var numericalDirections: Int
    /// `dim ker H`: dead units + collective directions + numerical directions.
    public var dimension: Int
    /// `rank H = n − dimension`.
    public var hessianRank: Int
    /// An orthonormal basis of `ker H` as the columns of an `n × dimension` matrix: the dead units' unit
    /// vectors first, then the collective directions, then the numerical ones.
    public var basis: Matrix
    /// The eigenvalue threshold below which a direction of `H` counts as flat.
    public var tolerance: Double

    /// The number of dead units.
    public var deadCount: Int { deadUnits.map(\.count).reduce(0, +) }

    /// Finds the flat directions at `x` (`Lagrangian.zeroModes(at:)` per layer, checked against the
    /// eigenvalues of `H_A`).
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - x: the flat state.
    /// - Throws: ``AnalysisError/invalidState(_:)``, ``AnalysisError/linearAlgebra(_:)``.
    public init(network: Network, at x: [Double]) throws(AnalysisError) {
        try validateState(x, network: network)
        let split = try HessianSplit(network: network, at: x)
        let n = network.dimension
        var dead: [[Int]] = []
        var collective: [CollectiveDirection] = []
        var columns: [[Double]] = []
        var numerical = 0
        for (a, layer) in network.layers.enumerated() {
            let range = network.range(ofLayer: a)
            let modes = layer.lagrangian.zeroModes(at: Array(x[range]))
            dead.append(modes.deadUnits)
            var local: [[Double]] = modes.deadUnits.map { i in (0 ..< layer.size).map { $0 == i ? 1.0 : 0.0 } }
            for u in modes.collectiveDirections {
                collective.append(CollectiveDirection(layer: a, lagrangian: layer.lagrangian.name, direction: u))
                local.append(u)
            }
            // Numerical kernel directions: what remains of the layer's kernel after removing the structural ones.
            var extra: [[Double]] = []
            for v in split.layers[a].kernelVectors where local.count + extra.count < split.layers[a].kernelVectors.count {
                var w = v
                for u in local + extra {
                    let d = zip(w, u).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in w.indices { w[i] -= d * u[i] }
                }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0.5 { extra.append(w.map { $0 / norm }) }
            }
            numerical += extra.count
            for u in local + extra {
                var column = [Double](repeating: 0, count: n)
                for (i, value) in u.enumerated() { column[range.lowerBound + i] = value }
                columns.append(column)
            }
        }
        deadUnits = dead
        collectiveDirections = collective
        numericalDirections = numerical
        dimension = columns.count
        hessianRank = n - columns.count
        basis = Matrix(rows: n, columns: columns.count) { i, j in columns[j][i] }
        tolerance = split.tolerance
    }
}
