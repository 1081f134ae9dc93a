extension Lagrangian {
    /// The zero modes of a Lagrangian Hessian `H(x)` (docs/math.md §2–3): dead units and collective null directions.
    public struct ZeroModes: Sendable, Hashable {
        /// Units `i` whose row and column of `H` vanish (relu, repu, rexp with `xᵢ ≤ 0`), ascending.
        public var deadUnits: [Int]
        /// Unit vectors `u` (one per collective null direction, mutually orthogonal) with `H u = 0`.
        public var collectiveDirections: [[Double]]

        public init(deadUnits: [Int] = [], collectiveDirections: [[Double]] = []) {
            self.deadUnits = deadUnits
            self.collectiveDirections = collectiveDirections
        }

        /// Whether `H` has no zero mode of either kind.
        public var isEmpty: Bool { deadUnits.isEmpty && collectiveDirections.isEmpty }
    }

    /// The exact zero modes of `H(x)`.
    ///
    /// | case | dead units | collective directions |
    /// |---|---|---|
    /// | relu, repu, rexp | `xᵢ ≤ 0` (`xᵢ = 0` counts as dead: `H` uses `θ(0) = 0`) | none |
    /// | softmax | none | `1/√D` |
    /// | layernorm | none | `1/√D`, and `c/‖c‖` (`c = x − x̄`) when `ε = 0` and `c ≠ 0` |
    /// | spherical | none | `x/‖x‖` when `ε = 0` and `x ≠ 0` |
    /// | identity, exp, tanh, sigmoid, ghostmax | none | none |
    ///
    /// Only exact null directions are reported: tanh and sigmoid have no saturation threshold (their
    /// Hessian tends to 0 but never vanishes), nor do exp units at very negative `x`, nor softmax
    /// entries with negligible probability. At the non-differentiable points of layernorm/spherical
    /// with `ε = 0` (`c = 0`, resp. `x = 0`) the convention `H = 0` makes every direction null; only
    /// the directions listed above are reported there.
    ///
    /// - Parameters:
    ///   - x: the point.
    public func zeroModes(at x: UnsafeBufferPointer<Double>) -> ZeroModes {
        let n = x.count
        switch self {
        case .relu, .repu, .rexp:
            return ZeroModes(deadUnits: (0 ..< n).filter { x[$0] <= 0 })
        case .identity, .exp, .tanh, .sigmoid, .ghostmax:
            return ZeroModes()
        case .softmax:
            guard n > 0 else { return ZeroModes() }
            return ZeroModes(collectiveDirections: [Self.uniformDirection(n)])
        case .layernorm(_, _, let eps):
            guard n > 0 else { return ZeroModes() }
            var directions = [Self.uniformDirection(n)]
            if eps == 0 {
                let (mean, _) = CollectiveKernel.centredScale(x, eps: 0)
                if let c = Self.normalized((0 ..< n).map { x[$0] - mean }) { directions.append(c) }
            }
            return ZeroModes(collectiveDirections: directions)
        case .spherical(_, _, let eps):
            guard eps == 0, let u = Self.normalized(Array(x)) else { return ZeroModes() }
            return ZeroModes(collectiveDirections: [u])
        }
    }

    private static func uniformDirection(_ n: Int) -> [Double] {
        [Double](repeating: 1 / Double(n).squareRoot(), count: n)
    }

    /// `v/‖v‖`, or nil for the zero vector (scaled to avoid overflow in the norm).
    private static func normalized(_ v: [Double]) -> [Double]? {
        let largest = v.reduce(0) { max($0, abs($1)) }
        guard largest > 0, largest.isFinite else { return nil }
        let scaled = v.map { $0 / largest }
        let norm = scaled.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return scaled.map { $0 / norm }
    }
}
