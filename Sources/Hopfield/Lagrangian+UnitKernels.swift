/// Per-unit kernels of the separable Lagrangians: `ℓ(x)`, `ℓ′(x)` and `ℓ″(x)` of `L(x) = Σ ℓ(xᵢ)`.
///
/// All are overflow-aware (docs/math.md §2, Numerics): logistic and log-cosh terms are written with
/// `|βx|` so that no exponential of a positive argument is formed; exp and rexp overflow to `+∞`
/// (never to NaN) once `βx > log(Double.greatestFiniteMagnitude) ≈ 709.78`.
@usableFromInline
enum UnitKernel {
    // MARK: repu, `(x)₊ⁿ / n`; unit i is dead for `x ≤ 0`.

    @inlinable @inline(__always)
    static func repuValue(_ x: Double, _ n: Double) -> Double {
        guard x > 0 else { return 0 }
        if n == 2 { return 0.5 * x * x }
        if n == 3 { return x * x * x / 3 }
        return RealMath.power(x, n) / n
    }

    @inlinable @inline(__always)
    static func repuActivation(_ x: Double, _ n: Double) -> Double {
        guard x > 0 else { return 0 }
        if n == 2 { return x }
        if n == 3 { return x * x }
        return RealMath.power(x, n - 1)
    }

    @inlinable @inline(__always)
    static func repuCurvature(_ x: Double, _ n: Double) -> Double {
        guard x > 0 else { return 0 }
        if n == 2 { return 1 }
        if n == 3 { return 2 * x }
        return (n - 1) * RealMath.power(x, n - 2)
    }

    // MARK: rexp, `β⁻¹ e^{β(x)₊} − (x)₊`; unit i is dead for `x ≤ 0`.

    @inlinable @inline(__always)
    static func rexpValue(_ x: Double, _ beta: Double) -> Double {
        guard x > 0 else { return 1 / beta }
        let z = beta * x
        // β⁻¹(e^z − z) = β⁻¹(expm1(z) − z + 1): no cancellation for small z.
        return (RealMath.exponentialMinusOne(z) - z + 1) / beta
    }

    @inlinable @inline(__always)
    static func rexpActivation(_ x: Double, _ beta: Double) -> Double {
        x > 0 ? RealMath.exponentialMinusOne(beta * x) : 0
    }

    @inlinable @inline(__always)
    static func rexpCurvature(_ x: Double, _ beta: Double) -> Double {
        x > 0 ? beta * RealMath.exponential(beta * x) : 0
    }

    // MARK: tanh, `β⁻¹ log cosh(βx)`.

    @inlinable @inline(__always)
    static func tanhValue(_ x: Double, _ beta: Double) -> Double {
        let a = abs(beta * x)
        if a < 1 {
            // log cosh z = log1p(cosh z − 1) = log1p(2 sinh²(z/2)): accurate as z → 0.
            let s = RealMath.hyperbolicSine(0.5 * a)
            return RealMath.logOnePlus(2 * s * s) / beta
        }
        // logaddexp(z, −z) − log 2 = |z| + log1p(e^{−2|z|}) − log 2: finite for every finite z.
        return (a + RealMath.logOnePlus(RealMath.exponential(-2 * a)) - RealMath.logTwo) / beta
    }

    @inlinable @inline(__always)
    static func tanhActivation(_ x: Double, _ beta: Double) -> Double {
        RealMath.hyperbolicTangent(beta * x)
    }

    @inlinable @inline(__always)
    static func tanhCurvature(_ x: Double, _ beta: Double) -> Double {
        // β sech²(z) = 4β t / (1 + t)², t = e^{−2|z|}: no cancellation in saturation.
        let t = RealMath.exponential(-2 * abs(beta * x))
        let d = 1 + t
        return 4 * beta * t / (d * d)
    }

    // MARK: sigmoid, `β⁻¹ log(1 + e^{βx})`.

    @inlinable @inline(__always)
    static func sigmoidValue(_ x: Double, _ beta: Double) -> Double {
        let z = beta * x
        return (max(z, 0) + RealMath.logOnePlus(RealMath.exponential(-abs(z)))) / beta
    }

    @inlinable @inline(__always)
    static func sigmoidActivation(_ x: Double, _ beta: Double) -> Double {
        let z = beta * x
        if z >= 0 { return 1 / (1 + RealMath.exponential(-z)) }
        let e = RealMath.exponential(z)
        return e / (1 + e)
    }

    @inlinable @inline(__always)
    static func sigmoidCurvature(_ x: Double, _ beta: Double) -> Double {
        // β σ(1 − σ) = β t / (1 + t)², t = e^{−|z|}.
        let t = RealMath.exponential(-abs(beta * x))
        let d = 1 + t
        return beta * t / (d * d)
    }
}
