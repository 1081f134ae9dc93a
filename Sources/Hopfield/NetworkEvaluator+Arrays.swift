/// `[Double]` conveniences over the buffer API (they allocate their results; not for hot paths).
///
/// Every state and vector has `dimension` entries (a precondition).
extension NetworkEvaluator {
    /// The activations `g(x)` of every layer.
    public func activations(_ x: [Double]) -> [Double] {
        fill(dimension) { out in x.withUnsafeBufferPointer { activations($0, into: out) } }
    }

    /// The residual `r = τ ẋ = b − x + C g(x)`.
    public func residual(_ x: [Double]) -> [Double] {
        fill(dimension) { out in x.withUnsafeBufferPointer { residual($0, into: out) } }
    }

    /// The vector field `ẋ`.
    public func vectorField(_ x: [Double]) -> [Double] {
        fill(dimension) { out in x.withUnsafeBufferPointer { vectorField($0, into: out) } }
    }

    /// The Jacobian–vector product `J(x) v`.
    public func jacobianVectorProduct(at x: [Double], _ v: [Double]) -> [Double] {
        fill(dimension) { out in
            x.withUnsafeBufferPointer { x in
                v.withUnsafeBufferPointer { v in jacobianVectorProduct(at: x, v, into: out) }
            }
        }
    }

    /// The dense Jacobian, column-major: `result[i + j n] = ∂ẋ_i/∂x_j`.
    public func jacobian(at x: [Double]) -> [Double] {
        fill(dimension * dimension) { out in x.withUnsafeBufferPointer { jacobian(at: $0, into: out) } }
    }

    /// The energy `E(x)`.
    public func energy(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { energy($0) }
    }

    /// The analytic `dE/dt` at `x`.
    public func energyRate(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { energyRate($0) }
    }

    /// The energy and its analytic rate.
    public func energyAndRate(_ x: [Double]) -> (energy: Double, rate: Double) {
        x.withUnsafeBufferPointer { energyAndRate($0) }
    }

    /// The block-diagonal Lagrangian Hessian, dense `n × n`.
    public func lagrangianHessian(at x: [Double]) -> [Double] {
        fill(dimension * dimension) { out in x.withUnsafeBufferPointer { lagrangianHessian(at: $0, into: out) } }
    }

    /// The symmetric block weight matrix `C`, dense `n × n`.
    public func couplingMatrix() -> [Double] {
        fill(dimension * dimension) { couplingMatrix(into: $0) }
    }

    private func fill(_ count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
        var result = [Double](repeating: 0, count: count)
        result.withUnsafeMutableBufferPointer { body($0) }
        return result
    }
}
