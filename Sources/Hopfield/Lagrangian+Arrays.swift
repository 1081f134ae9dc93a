/// `[Double]` conveniences over the buffer API (they allocate their results; not for hot paths).
extension Lagrangian {
    /// The Lagrangian `L(x)`.
    public func value(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { value($0) }
    }

    /// The activation `g = ∇L(x)`.
    public func activation(_ x: [Double]) -> [Double] {
        Self.vector(count: x.count) { g in x.withUnsafeBufferPointer { activation($0, into: g) } }
    }

    /// `L(x)` and `g = ∇L(x)`.
    public func valueAndActivation(_ x: [Double]) -> (value: Double, activation: [Double]) {
        var l = 0.0
        let g = Self.vector(count: x.count) { g in x.withUnsafeBufferPointer { l = valueAndActivation($0, into: g) } }
        return (l, g)
    }

    /// The Hessian–vector product `H(x) v`.
    ///
    /// - Precondition: `v.count == x.count`.
    public func hessianVectorProduct(at x: [Double], _ v: [Double]) -> [Double] {
        Self.vector(count: x.count) { out in
            x.withUnsafeBufferPointer { x in
                v.withUnsafeBufferPointer { v in hessianVectorProduct(at: x, v, into: out) }
            }
        }
    }

    /// The dense Hessian `H(x)`, `n × n` row-major (symmetric).
    public func hessian(at x: [Double]) -> [Double] {
        Self.vector(count: x.count * x.count) { h in x.withUnsafeBufferPointer { hessian(at: $0, into: h) } }
    }

    /// The diagonal of `H(x)`.
    public func hessianDiagonal(at x: [Double]) -> [Double] {
        Self.vector(count: x.count) { d in x.withUnsafeBufferPointer { hessianDiagonal(at: $0, into: d) } }
    }

    /// The zero modes of `H(x)`.
    public func zeroModes(at x: [Double]) -> ZeroModes {
        x.withUnsafeBufferPointer { zeroModes(at: $0) }
    }

    /// A zero-initialised array of `count` entries filled by `body`.
    static func vector(count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
        var result = [Double](repeating: 0, count: count)
        result.withUnsafeMutableBufferPointer { body($0) }
        return result
    }
}
