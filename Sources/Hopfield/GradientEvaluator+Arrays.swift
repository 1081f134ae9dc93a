/// Array conveniences over ``GradientEvaluator`` (they allocate; for tests, experiments and the CLI).
extension GradientEvaluator {
    /// The energy of each state.
    public func energies(_ states: [[Double]]) -> [Double] {
        let flat = states.flatMap { $0 }
        var out = [Double](repeating: 0, count: states.count)
        flat.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { energies(x, into: $0) } }
        return out
    }

    /// `∇E` of each state (all units).
    public func energyGradients(_ states: [[Double]]) -> [[Double]] {
        let flat = states.flatMap { $0 }
        var out = [Double](repeating: 0, count: flat.count)
        flat.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { energyGradients(x, into: $0) } }
        return split(out, states.count)
    }

    /// `ẋ` of each state.
    public func vectorField(_ states: [[Double]]) -> [[Double]] {
        let flat = states.flatMap { $0 }
        var out = [Double](repeating: 0, count: flat.count)
        flat.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { vectorField(x, into: $0) } }
        return split(out, states.count)
    }

    /// `∇²E(x_b) v_b` of each state.
    public func hessianVectorProducts(at states: [[Double]], _ vectors: [[Double]]) -> [[Double]] {
        let flat = states.flatMap { $0 }, v = vectors.flatMap { $0 }
        var out = [Double](repeating: 0, count: flat.count)
        flat.withUnsafeBufferPointer { x in
            v.withUnsafeBufferPointer { vb in out.withUnsafeMutableBufferPointer { hessianVectorProducts(at: x, vb, into: $0) } }
        }
        return split(out, states.count)
    }

    /// `J(x_b) v_b` of each state.
    public func jacobianVectorProduct(at states: [[Double]], _ vectors: [[Double]]) -> [[Double]] {
        let flat = states.flatMap { $0 }, v = vectors.flatMap { $0 }
        var out = [Double](repeating: 0, count: flat.count)
        flat.withUnsafeBufferPointer { x in
            v.withUnsafeBufferPointer { vb in out.withUnsafeMutableBufferPointer { jacobianVectorProduct(at: x, vb, into: $0) } }
        }
        return split(out, states.count)
    }

    /// The monitor's quantities of each state: `ẋ`, `E`, `dE/dt` and `∂E/∂x` (zero at clamped units).
    public func monitor(_ states: [[Double]]) -> (xdot: [[Double]], energies: [Double], rates: [Double], gradients: [[Double]]) {
        let flat = states.flatMap { $0 }
        var xdot = [Double](repeating: 0, count: flat.count), gradients = xdot
        var energies = [Double](repeating: 0, count: states.count), rates = energies
        flat.withUnsafeBufferPointer { x in
            xdot.withUnsafeMutableBufferPointer { f in
                energies.withUnsafeMutableBufferPointer { e in
                    rates.withUnsafeMutableBufferPointer { r in
                        gradients.withUnsafeMutableBufferPointer { g in
                            vectorField(x, into: f, energies: e, rates: r, gradients: g)
                        }
                    }
                }
            }
        }
        return (split(xdot, states.count), energies, rates, split(gradients, states.count))
    }

    /// The dense Hessian `∇²E(x)` of one state, column-major `n × n`.
    public func hessian(at state: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: dimension * dimension)
        state.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { hessian(at: x, into: $0) } }
        return out
    }

    /// The dense Jacobian of one state, column-major `n × n`.
    public func jacobian(at state: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: dimension * dimension)
        state.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { jacobian(at: x, into: $0) } }
        return out
    }

    private func split(_ flat: [Double], _ count: Int) -> [[Double]] {
        guard count > 0 else { return [] }
        let n = flat.count / count
        return (0 ..< count).map { Array(flat[$0 * n ..< ($0 + 1) * n]) }
    }
}
