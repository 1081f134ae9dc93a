/// `[[Double]]` conveniences over the buffer API of ``BatchedEvaluator``: one array per state (they
/// allocate their results; not for hot paths).
///
/// Every state and vector has `dimension` entries and there are at most `capacity` of them (preconditions).
extension BatchedEvaluator {
    /// The activations of every state.
    public func activations(_ states: [[Double]]) -> [[Double]] {
        map(states) { x, out in activations(x, into: out) }
    }

    /// The residuals `r_b = τ ẋ_b`.
    public func residuals(_ states: [[Double]]) -> [[Double]] {
        map(states) { x, out in residuals(x, into: out) }
    }

    /// The vector field of every state.
    public func vectorField(_ states: [[Double]]) -> [[Double]] {
        map(states) { x, out in vectorField(x, into: out) }
    }

    /// The Jacobian–vector products `J(x_b) v_b`.
    public func jacobianVectorProduct(at states: [[Double]], _ vectors: [[Double]]) -> [[Double]] {
        precondition(states.count == vectors.count, "\(states.count) states but \(vectors.count) vectors")
        let v = flatten(vectors)
        return map(states) { x, out in v.withUnsafeBufferPointer { jacobianVectorProduct(at: x, $0, into: out) } }
    }

    /// The energy of every state.
    public func energies(_ states: [[Double]]) -> [Double] {
        var result = [Double](repeating: 0, count: states.count)
        flatten(states).withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { energies(x, into: $0) }
        }
        return result
    }

    /// The analytic `dE/dt` of every state.
    public func energyRates(_ states: [[Double]]) -> [Double] {
        var result = [Double](repeating: 0, count: states.count)
        flatten(states).withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { energyRates(x, into: $0) }
        }
        return result
    }

    /// The energy, its rate, the residual and the energy gradient `∂E/∂x = −H r` of every state.
    public func energiesAndRates(_ states: [[Double]])
        -> (energies: [Double], rates: [Double], residuals: [[Double]], gradients: [[Double]])
    {
        let count = states.count
        var e = [Double](repeating: 0, count: count)
        var rates = [Double](repeating: 0, count: count)
        var r = [Double](repeating: 0, count: count * dimension)
        var grad = [Double](repeating: 0, count: count * dimension)
        flatten(states).withUnsafeBufferPointer { x in
            e.withUnsafeMutableBufferPointer { e in
                rates.withUnsafeMutableBufferPointer { rates in
                    r.withUnsafeMutableBufferPointer { r in
                        grad.withUnsafeMutableBufferPointer { grad in
                            energiesAndRates(x, energies: e, rates: rates, residuals: r, gradients: grad)
                        }
                    }
                }
            }
        }
        return (e, rates, split(r, count), split(grad, count))
    }

    private func flatten(_ states: [[Double]]) -> [Double] {
        for (b, s) in states.enumerated() {
            precondition(s.count == dimension, "state \(b) has \(s.count) entries, expected \(dimension)")
        }
        return states.flatMap { $0 }
    }

    private func split(_ flat: [Double], _ count: Int) -> [[Double]] {
        (0 ..< count).map { b in Array(flat[b * dimension ..< (b + 1) * dimension]) }
    }

    private func map(
        _ states: [[Double]],
        _ body: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void
    ) -> [[Double]] {
        let x = flatten(states)
        var out = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { body(x, $0) } }
        return split(out, states.count)
    }
}
