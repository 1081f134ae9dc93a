import Hopfield
import LinearAlgebra

/// Stability of a fixed point judged in the range of `H` (docs/math.md §3, claim (ii)).
///
/// In an orthonormal basis `[R K]` with `R` spanning `range H` and `K` spanning `ker H`, chosen layer by
/// layer so that `T = τ⁻¹` maps each to itself, the Jacobian `J = T(C H − I)` is block lower triangular:
///
///     [R K]ᵀ J [R K] = [[T_R (C_RR H_R − I), 0], [K ᵀ T C R H_R, −T_K]]
///     spec(J) = spec(T_R (C_RR H_R − I)) ∪ {−1/τ_A, once per kernel direction of layer A}
///
/// with `C_RR = Rᵀ C R`, `H_R = Rᵀ H R` (diagonal: `R` holds eigenvectors of `H`), `T_R = Rᵀ T R`. With equal
/// τ this is `spec(τJ) = spec(C_RR H_R − I) ∪ {−1, …}`. Kernel directions always decay at rate `1/τ_A`;
/// since `T_R (C_RR H_R − I)` is similar to `T_R^{½} (B − I) T_R^{½}` with `B = H_R^{½} C_RR H_R^{½}`, every
/// range eigenvalue is real and, for every choice of time constants,
///
///     x* asymptotically stable  ⇔  λ_max(B) < 1  ⇔  H_R − H_R C_RR H_R = Rᵀ ∇²E R ≻ 0
public struct RangeStability: Sendable {
    /// `dim range H`.
    public var rangeDimension: Int
    /// `spec(T_R (C_RR H_R − I))`, by descending real part.
    public var rangeEigenvalues: [ComplexNumber]
    /// `−1/τ_A` once per kernel direction of layer A.
    public var kernelEigenvalues: [Double]
    /// The predicted spectrum, range ∪ kernel, by descending real part.
    public var predictedSpectrum: [ComplexNumber]
    /// `spec(J)` of the full Jacobian, by descending real part.
    public var jacobianEigenvalues: [ComplexNumber]
    /// The largest distance between a predicted eigenvalue and the Jacobian eigenvalue it is paired with
    /// (greedy nearest pairing).
    public var mismatch: Double
    /// `max Re spec(J)`.
    public var maxRealEigenvalue: Double
    /// `λ_max(H_R^{½} C_RR H_R^{½})` (< 1 iff stable); nil when `range H = {0}`.
    public var rangeCouplingMaxEigenvalue: Double?
    /// `spec(H_R − H_R C_RR H_R)`, the energy Hessian on the range, ascending.
    public var energyHessianRangeEigenvalues: [Double]
    /// The smallest of ``energyHessianRangeEigenvalues`` (nil when `range H = {0}`).
    public var energyHessianRangeMinEigenvalue: Double? { energyHessianRangeEigenvalues.first }
    /// The verdict of `max Re spec(J)` against `δ = 1e-9 · max(1, max |λ|)`.
    public var stability: Stability
    /// The verdict of the energy Hessian on the range (positive definite → stable), same relative threshold.
    public var energyHessianStability: Stability

    /// Whether the Jacobian and the energy Hessian agree.
    public var criteriaAgree: Bool { stability == energyHessianStability }

    /// Splits `H` at `x`, builds the range operator and compares its spectrum with the Jacobian's
    /// (C functions `cblas_dgemm`, `LAPACKE_dsyevd`, `LAPACKE_dgeev`).
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - x: the flat state (the decomposition holds at any state; the verdicts mean stability at a fixed point).
    ///   - jacobianEigenvalues: `spec(J)` if already computed (e.g. by ``Linearization``).
    /// - Throws: ``AnalysisError/invalidState(_:)``, ``AnalysisError/linearAlgebra(_:)``.
    public init(network: Network, at x: [Double], jacobianEigenvalues: [ComplexNumber]? = nil) throws(AnalysisError) {
        try validateState(x, network: network)
        let split = try HessianSplit(network: network, at: x)
        let evaluator = NetworkEvaluator(network: network)
        let n = network.dimension
        var columns: [[Double]] = []
        var h: [Double] = []
        var inverseTau: [Double] = []
        var kernel: [Double] = []
        for (a, layer) in network.layers.enumerated() {
            let offset = network.offsets[a]
            for (v, value) in zip(split.layers[a].rangeVectors, split.layers[a].rangeValues) {
                var column = [Double](repeating: 0, count: n)
                for (i, e) in v.enumerated() { column[offset + i] = e }
                columns.append(column)
                h.append(value)
                inverseTau.append(1 / layer.tau)
            }
            kernel += Array(repeating: -1 / layer.tau, count: split.layers[a].kernelVectors.count)
        }
        let m = columns.count
        rangeDimension = m
        kernelEigenvalues = kernel
        do {
            let r = Matrix(rows: n, columns: m) { i, j in columns[j][i] }
            let c = try Matrix(rows: n, columns: n, elements: evaluator.couplingMatrix())
            let crr = try r.multiplied(by: try c.multiplied(by: r), transposeSelf: true)
            let rangeOperator = Matrix(rows: m, columns: m) { i, j in
                inverseTau[i] * (crr[i, j] * h[j] - (i == j ? 1 : 0))
            }
            rangeEigenvalues = try rangeOperator.eigenvalues()
            let roots = h.map { $0.squareRoot() }
            let b = Matrix(rows: m, columns: m) { i, j in
                let v = roots[i] * crr[i, j] * roots[j]
                return i == j ? v : 0.5 * (v + roots[j] * crr[j, i] * roots[i])
            }
            if m > 0 {
                rangeCouplingMaxEigenvalue = try b.symmetricEigenvalues().last
            } else {
                rangeCouplingMaxEigenvalue = nil
            }
            let energyRange = Matrix(rows: m, columns: m) { i, j in
                let v = (i == j ? h[i] : 0) - h[i] * 0.5 * (crr[i, j] + crr[j, i]) * h[j]
                return v
            }
            energyHessianRangeEigenvalues = try energyRange.symmetricEigenvalues()
            if let given = jacobianEigenvalues {
                self.jacobianEigenvalues = given
            } else {
                self.jacobianEigenvalues = try Matrix(
                    rows: n, columns: n, columnMajor: evaluator.jacobian(at: x)).eigenvalues()
            }
        } catch {
            throw .linearAlgebra("range stability: \(error.description)")
        }
        predictedSpectrum = (rangeEigenvalues + kernel.map { ComplexNumber(re: $0) }).sorted {
            $0.re != $1.re ? $0.re > $1.re : $0.im > $1.im
        }
        mismatch = spectrumMismatch(predictedSpectrum, self.jacobianEigenvalues)
        maxRealEigenvalue = self.jacobianEigenvalues.map(\.re).max() ?? -.infinity
        let scale = max(1, self.jacobianEigenvalues.map(\.magnitude).max() ?? 0)
        stability = classify(maxRealEigenvalue, threshold: 1e-9 * scale)
        let hessianScale = max(1, energyHessianRangeEigenvalues.map { abs($0) }.max() ?? 0)
        if let smallest = energyHessianRangeEigenvalues.first {
            energyHessianStability = classify(-smallest, threshold: 1e-9 * hessianScale)
        } else {
            energyHessianStability = .asymptoticallyStable  // range {0}: J = −τ⁻¹
        }
    }
}

/// `.unstable` above the threshold, `.asymptoticallyStable` below its negative, `.marginal` between.
func classify(_ growth: Double, threshold: Double) -> Stability {
    if growth > threshold { return .unstable }
    if growth < -threshold { return .asymptoticallyStable }
    return .marginal
}

/// The largest distance between paired eigenvalues: each predicted eigenvalue, in order, takes the nearest
/// unpaired actual one. Infinite when the counts differ.
func spectrumMismatch(_ predicted: [ComplexNumber], _ actual: [ComplexNumber]) -> Double {
    guard predicted.count == actual.count else { return .infinity }
    var used = [Bool](repeating: false, count: actual.count)
    var worst = 0.0
    for p in predicted {
        var best = -1
        var bestDistance = Double.infinity
        for (k, q) in actual.enumerated() where !used[k] {
            let d = ComplexNumber(re: p.re - q.re, im: p.im - q.im).magnitude
            if d < bestDistance {
                bestDistance = d
                best = k
            }
        }
        if best >= 0 { used[best] = true }
        worst = max(worst, bestDistance)
    }
    return worst
}
