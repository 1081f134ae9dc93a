/// The Lagrangian Hessian `H = ∇²L(x) ⪰ 0` (docs/math.md §2): products, dense matrix and diagonal.
///
/// | case | H |
/// |---|---|
/// | separable | `diag ℓ″(xᵢ)` (relu, repu, rexp: 0 for `xᵢ ≤ 0`) |
/// | softmax, ghostmax | `β(diag p − p pᵀ)` |
/// | layernorm | `(γ/s)[I − 11ᵀ/D − c cᵀ/(D s²)]`, `c = x − x̄` |
/// | spherical | `(γ/r)(I − x xᵀ/r²)` |
///
/// At the non-differentiable points of layernorm (`s = 0`) and spherical (`r = 0`), reachable only
/// with `ε = 0`, `H = 0` by convention.
extension Lagrangian {
    /// The Hessian–vector product `H(x) v`, without forming `H`.
    ///
    ///     softmax: β p ∘ (v − (p·v) 1),   layernorm: (γ/s)[v − v̄ 1 − c (c·v)/(D s²)],
    ///     spherical: (γ/r)[v − x (x·v)/r²],   separable: ℓ″(xᵢ) vᵢ
    ///
    /// - Parameters:
    ///   - x: the point.
    ///   - v: the vector; same length as `x`.
    ///   - out: receives `H v`; same length, must not overlap `x` or `v`.
    public func hessianVectorProduct(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
        into out: UnsafeMutableBufferPointer<Double>
    ) {
        let n = x.count
        precondition(
            v.count == n && out.count == n, "hessianVectorProduct: lengths \(n), \(v.count), \(out.count) differ")
        switch self {
        case .identity:
            for i in 0 ..< n { out[i] = v[i] }
        case .relu:
            for i in 0 ..< n { out[i] = x[i] > 0 ? v[i] : 0 }
        case .repu(let p):
            for i in 0 ..< n { out[i] = x[i] > 0 ? UnitKernel.repuCurvature(x[i], p) * v[i] : 0 }
        case .exp(let beta):
            for i in 0 ..< n { out[i] = beta * RealMath.exponential(beta * x[i]) * v[i] }
        case .rexp(let beta):
            for i in 0 ..< n { out[i] = x[i] > 0 ? UnitKernel.rexpCurvature(x[i], beta) * v[i] : 0 }
        case .tanh(let beta):
            for i in 0 ..< n { out[i] = UnitKernel.tanhCurvature(x[i], beta) * v[i] }
        case .sigmoid(let beta):
            for i in 0 ..< n { out[i] = UnitKernel.sigmoidCurvature(x[i], beta) * v[i] }
        case .softmax(let beta), .ghostmax(let beta):
            let (m, rest, anchor) = CollectiveKernel.logSumExp(x, beta: beta, ghost: isGhostmax)
            let inverseSum = 1 / (1 + rest)
            var others = 0.0  // Σ_{j ≠ anchor} p_j v_j
            for i in 0 ..< n {
                let p = RealMath.exponential(beta * (x[i] - m)) * inverseSum
                out[i] = p
                if i != anchor { others += p * v[i] }
            }
            let pv = anchor >= 0 ? others + out[anchor] * v[anchor] : others
            for i in 0 ..< n where i != anchor { out[i] = beta * out[i] * (v[i] - pv) }
            if anchor >= 0 {
                // v_a − p·v = (1 − p_a) v_a − Σ_{j≠a} p_j v_j with 1 − p_a = rest/(1 + rest): no
                // cancellation when the anchor dominates.
                out[anchor] = beta * out[anchor] * (rest * inverseSum * v[anchor] - others)
            }
        case .layernorm(let gamma, _, let eps):
            let (mean, s) = CollectiveKernel.centredScale(x, eps: eps)
            guard s > 0 else {
                for i in 0 ..< n { out[i] = 0 }
                return
            }
            var cv = 0.0
            var sumV = 0.0
            for i in 0 ..< n {
                cv += (x[i] - mean) * v[i]
                sumV += v[i]
            }
            let d = Double(n)
            let meanV = sumV / d
            let k = cv / (d * s * s)
            let factor = gamma / s
            for i in 0 ..< n { out[i] = factor * (v[i] - meanV - (x[i] - mean) * k) }
        case .spherical(let gamma, _, let eps):
            let r = CollectiveKernel.radius(x, eps: eps)
            guard r > 0 else {
                for i in 0 ..< n { out[i] = 0 }
                return
            }
            var xv = 0.0
            for i in 0 ..< n { xv += x[i] * v[i] }
            let k = xv / (r * r)
            let factor = gamma / r
            for i in 0 ..< n { out[i] = factor * (v[i] - x[i] * k) }
        }
    }

    /// The dense Hessian `H(x)`, `n × n` row-major (the same as column-major: `H` is symmetric).
    ///
    /// - Parameters:
    ///   - x: the point (`n` entries).
    ///   - h: receives `H`; `n²` entries.
    public func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        let n = x.count
        precondition(h.count == n * n, "hessian buffer has \(h.count) entries, expected \(n * n)")
        guard n > 0, let base = h.baseAddress else { return }
        hessian(at: x, into: base, leadingDimension: n)
    }

    /// The dense Hessian written into a block of a larger row-major matrix: entry `(i, j)` goes to
    /// `h[i * leadingDimension + j]`; entries outside the `n × n` block are not touched.
    @usableFromInline
    func hessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutablePointer<Double>, leadingDimension ld: Int) {
        let n = x.count
        precondition(ld >= n, "hessian: leading dimension \(ld) < \(n)")
        for i in 0 ..< n {
            let row = h + i * ld
            for j in 0 ..< n { row[j] = 0 }
        }
        switch self {
        case .identity, .relu, .repu, .exp, .rexp, .tanh, .sigmoid:
            for i in 0 ..< n { h[i * ld + i] = separableCurvature(x[i]) }
        case .softmax(let beta), .ghostmax(let beta):
            let (m, rest, anchor) = CollectiveKernel.logSumExp(x, beta: beta, ghost: isGhostmax)
            let inverseSum = 1 / (1 + rest)
            // The diagonal holds p until the off-diagonal entries are written.
            for i in 0 ..< n { h[i * ld + i] = RealMath.exponential(beta * (x[i] - m)) * inverseSum }
            for i in 0 ..< n {
                let bpi = beta * h[i * ld + i]
                for j in 0 ..< n where j != i { h[i * ld + j] = -bpi * h[j * ld + j] }
            }
            for i in 0 ..< n {
                let p = h[i * ld + i]
                // 1 − p of the anchor is rest/(1 + rest) exactly: no cancellation when it dominates.
                h[i * ld + i] = beta * p * (i == anchor ? rest * inverseSum : 1 - p)
            }
        case .layernorm(let gamma, _, let eps):
            let (mean, s) = CollectiveKernel.centredScale(x, eps: eps)
            guard s > 0 else { return }
            let d = Double(n)
            let factor = gamma / s
            let k = 1 / (d * s * s)
            for i in 0 ..< n {
                let ci = x[i] - mean
                for j in 0 ..< n {
                    let cj = x[j] - mean
                    h[i * ld + j] = factor * ((i == j ? 1 : 0) - 1 / d - ci * cj * k)
                }
            }
        case .spherical(let gamma, _, let eps):
            let r = CollectiveKernel.radius(x, eps: eps)
            guard r > 0 else { return }
            let factor = gamma / r
            let k = 1 / (r * r)
            for i in 0 ..< n {
                for j in 0 ..< n {
                    h[i * ld + j] = factor * ((i == j ? 1 : 0) - x[i] * x[j] * k)
                }
            }
        }
    }

    /// The diagonal of the Hessian, `Hᵢᵢ(x)` (for a separable Lagrangian, all of `H`).
    ///
    /// - Parameters:
    ///   - x: the point.
    ///   - d: receives the diagonal; same length as `x`.
    public func hessianDiagonal(at x: UnsafeBufferPointer<Double>, into d: UnsafeMutableBufferPointer<Double>) {
        let n = x.count
        precondition(d.count == n, "hessianDiagonal buffer has \(d.count) entries, expected \(n)")
        switch self {
        case .identity, .relu, .repu, .exp, .rexp, .tanh, .sigmoid:
            for i in 0 ..< n { d[i] = separableCurvature(x[i]) }
        case .softmax(let beta), .ghostmax(let beta):
            let (m, rest, anchor) = CollectiveKernel.logSumExp(x, beta: beta, ghost: isGhostmax)
            let inverseSum = 1 / (1 + rest)
            for i in 0 ..< n {
                let p = RealMath.exponential(beta * (x[i] - m)) * inverseSum
                d[i] = beta * p * (i == anchor ? rest * inverseSum : 1 - p)
            }
        case .layernorm(let gamma, _, let eps):
            let (mean, s) = CollectiveKernel.centredScale(x, eps: eps)
            let dd = Double(n)
            for i in 0 ..< n {
                let c = x[i] - mean
                d[i] = s > 0 ? (gamma / s) * (1 - 1 / dd - c * c / (dd * s * s)) : 0
            }
        case .spherical(let gamma, _, let eps):
            let r = CollectiveKernel.radius(x, eps: eps)
            for i in 0 ..< n { d[i] = r > 0 ? (gamma / r) * (1 - x[i] * x[i] / (r * r)) : 0 }
        }
    }

    /// `ℓ″(x)` of a separable Lagrangian (0 for the collective ones, which never call it).
    @inlinable @inline(__always)
    func separableCurvature(_ x: Double) -> Double {
        switch self {
        case .identity: 1
        case .relu: x > 0 ? 1 : 0
        case .repu(let p): UnitKernel.repuCurvature(x, p)
        case .exp(let beta): beta * RealMath.exponential(beta * x)
        case .rexp(let beta): UnitKernel.rexpCurvature(x, beta)
        case .tanh(let beta): UnitKernel.tanhCurvature(x, beta)
        case .sigmoid(let beta): UnitKernel.sigmoidCurvature(x, beta)
        case .softmax, .ghostmax, .layernorm, .spherical: 0
        }
    }
}
