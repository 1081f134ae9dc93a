/// Shared statistics of the collective (non-separable) Lagrangians: softmax, ghostmax, layernorm, spherical.
@usableFromInline
enum CollectiveKernel {
    /// The shifted log-sum-exp of softmax (`ghost == false`) or ghostmax (`ghost == true`, an extra
    /// entry fixed at 0).
    ///
    ///     Σ e^{βzᵢ} = e^{β m} (1 + rest),   p_i = e^{β(x_i − m)} / (1 + rest)
    ///
    /// `m` is the largest entry (for ghostmax at least 0) and `anchor` its index (−1 when the ghost
    /// entry is the largest); `rest` sums every other term, each `≤ 1`, so nothing overflows and
    /// `L = m + β⁻¹ log1p(rest)` keeps full precision when one entry dominates.
    @inlinable
    static func logSumExp(
        _ x: UnsafeBufferPointer<Double>, beta: Double, ghost: Bool
    ) -> (shift: Double, rest: Double, anchor: Int) {
        var anchor = -1
        var m = ghost ? 0.0 : -Double.infinity
        for i in 0 ..< x.count where x[i] > m {
            m = x[i]
            anchor = i
        }
        if !ghost && anchor < 0 {
            // Empty input, or every entry −∞ or NaN: let the arithmetic below propagate it.
            if x.isEmpty { return (-Double.infinity, 0, -1) }
            m = x[0]
            anchor = 0
        }
        var rest = ghost && anchor >= 0 ? RealMath.exponential(-beta * m) : 0
        for i in 0 ..< x.count where i != anchor {
            rest += RealMath.exponential(beta * (x[i] - m))
        }
        return (m, rest, anchor)
    }

    /// Mean and scale of layernorm: `x̄ = D⁻¹ Σ xᵢ`, `s = √(D⁻¹ Σ (xᵢ − x̄)² + ε)` (two passes).
    ///
    /// With `ε = 0`, a spread `√(D⁻¹ Σ (xᵢ − x̄)²) ≤ 4 ε_mach max|xᵢ|` is rounding noise of `x̄` and
    /// returns `s = 0` (the singular point) rather than a direction made of noise.
    @inlinable
    static func centredScale(_ x: UnsafeBufferPointer<Double>, eps: Double) -> (mean: Double, scale: Double) {
        let d = Double(x.count)
        guard x.count > 0 else { return (0, eps.squareRoot()) }
        var sum = 0.0
        for i in 0 ..< x.count { sum += x[i] }
        let mean = sum / d
        var squares = 0.0
        var largest = 0.0
        for i in 0 ..< x.count {
            let c = x[i] - mean
            squares += c * c
            largest = max(largest, abs(x[i]))
        }
        let spread = (squares / d).squareRoot()
        if eps == 0 && spread <= 4 * Double.ulpOfOne * largest {
            // x is constant up to the rounding of x̄: c is noise, treat it as the singular point s = 0.
            return (mean, 0)
        }
        return (mean, (squares / d + eps).squareRoot())
    }

    /// Radius of spherical: `r = √(‖x‖² + ε)`.
    @inlinable
    static func radius(_ x: UnsafeBufferPointer<Double>, eps: Double) -> Double {
        var squares = 0.0
        for i in 0 ..< x.count { squares += x[i] * x[i] }
        return (squares + eps).squareRoot()
    }

    /// The shift `δᵢ` of unit `i` of `n`: `delta` is empty (0), one number (broadcast) or `n` numbers.
    @inlinable @inline(__always)
    static func shift(_ delta: [Double], _ i: Int, _ n: Int) -> Double {
        delta.count == n ? delta[i] : (delta.isEmpty ? 0 : delta[0])
    }

    /// `δ·x` with the broadcasting of ``shift(_:_:_:)``.
    @inlinable
    static func shiftDot(_ delta: [Double], _ x: UnsafeBufferPointer<Double>) -> Double {
        if delta.isEmpty { return 0 }
        var s = 0.0
        if delta.count == x.count {
            for i in 0 ..< x.count { s += delta[i] * x[i] }
        } else {
            for i in 0 ..< x.count { s += x[i] }
            s *= delta[0]
        }
        return s
    }
}
