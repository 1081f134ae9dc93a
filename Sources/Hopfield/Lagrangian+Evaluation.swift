/// Values and activations of the Lagrangians (docs/math.md §2), allocation-free over `Double` buffers.
///
/// Numerics:
/// - softmax and ghostmax subtract the largest entry and add the remaining terms with `log1p`, so
///   `L` and `g` are finite and accurate for any finite input (e.g. entries of size 10⁴, or one
///   dominant entry);
/// - tanh's `L` is `β⁻¹(logaddexp(βx, −βx) − log 2)`, sigmoid's `β⁻¹ logaddexp(0, βx)`: finite
///   for every finite `x`;
/// - exp and rexp: `e^{βx}` overflows to `+∞` when `βx > log(Double.greatestFiniteMagnitude) ≈ 709.78`.
///   `L`, `g` and `H` are then `+∞` (never NaN, never clamped to a finite number), so the overflow is
///   visible to the caller (an integrator sees a non-finite right-hand side and fails); likewise
///   repu's `(x)₊ⁿ` for huge `x`. Quantities that combine such infinities (the energy's
///   `(x − b)·g − L`, or `H v` with `vᵢ = 0`) may then be NaN;
/// - layernorm and spherical with `ε = 0` are not differentiable where `s = 0` (all entries equal)
///   or `r = 0` (`x = 0`): there `g = δ` (the subgradient of least norm) and `H = 0` by convention.
///
/// `δ` of layernorm and spherical: empty means 0, one number is broadcast, `n` numbers are per unit.
/// Output buffers must have the input's length and must not overlap the inputs.
extension Lagrangian {
    /// The Lagrangian `L(x)`.
    ///
    /// - Parameters:
    ///   - x: the layer's internal state.
    public func value(_ x: UnsafeBufferPointer<Double>) -> Double {
        let n = x.count
        var total = 0.0
        switch self {
        case .identity:
            for i in 0 ..< n { total += x[i] * x[i] }
            return 0.5 * total
        case .relu:
            for i in 0 ..< n where x[i] > 0 { total += x[i] * x[i] }
            return 0.5 * total
        case .repu(let p):
            for i in 0 ..< n { total += UnitKernel.repuValue(x[i], p) }
            return total
        case .exp(let beta):
            for i in 0 ..< n { total += RealMath.exponential(beta * x[i]) }
            return total / beta
        case .rexp(let beta):
            for i in 0 ..< n { total += UnitKernel.rexpValue(x[i], beta) }
            return total
        case .tanh(let beta):
            for i in 0 ..< n { total += UnitKernel.tanhValue(x[i], beta) }
            return total
        case .sigmoid(let beta):
            for i in 0 ..< n { total += UnitKernel.sigmoidValue(x[i], beta) }
            return total
        case .softmax(let beta), .ghostmax(let beta):
            let (m, rest, _) = CollectiveKernel.logSumExp(x, beta: beta, ghost: isGhostmax)
            return m + RealMath.logOnePlus(rest) / beta
        case .layernorm(let gamma, let delta, let eps):
            let (_, s) = CollectiveKernel.centredScale(x, eps: eps)
            return Double(n) * gamma * s + CollectiveKernel.shiftDot(delta, x)
        case .spherical(let gamma, let delta, let eps):
            let r = CollectiveKernel.radius(x, eps: eps)
            return gamma * r + CollectiveKernel.shiftDot(delta, x)
        }
    }

    /// The activation `g = ∇L(x)`.
    ///
    /// - Parameters:
    ///   - x: the layer's internal state.
    ///   - g: receives the activation; same length as `x`.
    public func activation(_ x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) {
        _ = evaluate(x, into: g, wantValue: false)
    }

    /// `L(x)` and `g = ∇L(x)` in one pass (what the energy needs).
    ///
    /// - Parameters:
    ///   - x: the layer's internal state.
    ///   - g: receives the activation; same length as `x`.
    /// - Returns: `L(x)`.
    public func valueAndActivation(
        _ x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        evaluate(x, into: g, wantValue: true)
    }

    /// Whether this is the ghostmax case.
    @usableFromInline
    var isGhostmax: Bool {
        if case .ghostmax = self { return true }
        return false
    }

    /// Writes `g`; returns `L` when `wantValue` (else 0).
    @inline(__always)
    private func evaluate(
        _ x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>, wantValue: Bool
    ) -> Double {
        let n = x.count
        precondition(g.count == n, "activation buffer has \(g.count) entries, expected \(n)")
        var total = 0.0
        switch self {
        case .identity:
            for i in 0 ..< n {
                g[i] = x[i]
                total += x[i] * x[i]
            }
            return 0.5 * total
        case .relu:
            for i in 0 ..< n {
                let p = max(x[i], 0)
                g[i] = p
                total += p * p
            }
            return 0.5 * total
        case .repu(let p):
            for i in 0 ..< n {
                g[i] = UnitKernel.repuActivation(x[i], p)
                if wantValue { total += UnitKernel.repuValue(x[i], p) }
            }
            return total
        case .exp(let beta):
            for i in 0 ..< n {
                let e = RealMath.exponential(beta * x[i])
                g[i] = e
                total += e
            }
            return total / beta
        case .rexp(let beta):
            for i in 0 ..< n {
                g[i] = UnitKernel.rexpActivation(x[i], beta)
                if wantValue { total += UnitKernel.rexpValue(x[i], beta) }
            }
            return total
        case .tanh(let beta):
            for i in 0 ..< n {
                g[i] = UnitKernel.tanhActivation(x[i], beta)
                if wantValue { total += UnitKernel.tanhValue(x[i], beta) }
            }
            return total
        case .sigmoid(let beta):
            for i in 0 ..< n {
                g[i] = UnitKernel.sigmoidActivation(x[i], beta)
                if wantValue { total += UnitKernel.sigmoidValue(x[i], beta) }
            }
            return total
        case .softmax(let beta), .ghostmax(let beta):
            let ghost = isGhostmax
            let (m, rest, _) = CollectiveKernel.logSumExp(x, beta: beta, ghost: ghost)
            let inverseSum = 1 / (1 + rest)
            for i in 0 ..< n { g[i] = RealMath.exponential(beta * (x[i] - m)) * inverseSum }
            return m + RealMath.logOnePlus(rest) / beta
        case .layernorm(let gamma, let delta, let eps):
            let (mean, s) = CollectiveKernel.centredScale(x, eps: eps)
            let factor = s > 0 ? gamma / s : 0
            for i in 0 ..< n { g[i] = factor * (x[i] - mean) + CollectiveKernel.shift(delta, i, n) }
            return wantValue ? Double(n) * gamma * s + CollectiveKernel.shiftDot(delta, x) : 0
        case .spherical(let gamma, let delta, let eps):
            let r = CollectiveKernel.radius(x, eps: eps)
            let factor = r > 0 ? gamma / r : 0
            for i in 0 ..< n { g[i] = factor * x[i] + CollectiveKernel.shift(delta, i, n) }
            return wantValue ? gamma * r + CollectiveKernel.shiftDot(delta, x) : 0
        }
    }
}
