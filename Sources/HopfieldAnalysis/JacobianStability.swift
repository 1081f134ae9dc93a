import Hopfield
import LinearAlgebra

/// Stability of a fixed point from the full Jacobian and the energy Hessian alone — what holds for every
/// network, with or without a constant coupling matrix (docs/analysis.md, "Networks with similarity synapses").
///
///     stable  ⇔  max Re spec(J) < −δ,   δ = 1e-9 · max(1, max |λ(J)|)
///     ∇²E = −H (τ J)  (symmetrised; = H − H C H when C is constant),   checked on range H:  Rᵀ ∇²E R ≻ 0
///
/// With a similarity synapse the flow is still `r = b − x + ∇Φ(g)` with `Φ` the interaction term of the
/// energy, so `τ J = ∇²Φ(g) H − I` with a symmetric, state-dependent `∇²Φ`; the energy-Hessian verdict then
/// agrees with the Jacobian's for the same reason as with a constant `C` (docs/math.md §3). The energy
/// Hessian is not defined where a Manhattan synapse's feature activation sits on a kink (`g_j = m_μj`):
/// there `E` is not twice differentiable, and the energy-Hessian fields are nil with ``energyHessianUndefined``
/// saying why.
public struct JacobianStability: Sendable {
    /// `max Re spec(J)`.
    public var maxRealEigenvalue: Double
    /// The verdict of `max Re spec(J)` against `δ = 1e-9 · max(1, max |λ|)`.
    public var stability: Stability
    /// `spec(Rᵀ ∇²E R)`, ascending (nil where the energy Hessian is not defined).
    public var energyHessianRangeEigenvalues: [Double]?
    /// The verdict of `Rᵀ ∇²E R` (positive definite → stable), same relative threshold as
    /// ``RangeStability/energyHessianStability``; nil where the energy Hessian is not defined.
    public var energyHessianStability: Stability?
    /// Why the energy Hessian is not defined at this state (nil when it is).
    public var energyHessianUndefined: String?

    /// The smallest eigenvalue of the energy Hessian on the range of `H` (nil when not defined or `range H = {0}`).
    public var energyHessianRangeMinEigenvalue: Double? { energyHessianRangeEigenvalues?.first }

    /// Judges the fixed point `linearization.state` (C functions `cblas_dgemm`, `LAPACKE_dsyevd`).
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - linearization: its linearisation at the fixed point.
    /// - Throws: ``AnalysisError/linearAlgebra(_:)`` when an eigensolver fails.
    public init(network: Network, linearization: Linearization) throws(AnalysisError) {
        let spectrum = linearization.jacobianEigenvalues
        maxRealEigenvalue = spectrum.map(\.re).max() ?? -.infinity
        stability = classify(maxRealEigenvalue, threshold: 1e-9 * max(1, spectrum.map(\.magnitude).max() ?? 0))
        let x = linearization.state
        energyHessianUndefined = manhattanKink(network, at: x)
        guard energyHessianUndefined == nil else { return }
        let split = try HessianSplit(network: network, at: x)
        let n = network.dimension
        var columns: [[Double]] = []
        for (a, layerSplit) in split.layers.enumerated() {
            for v in layerSplit.rangeVectors {
                var column = [Double](repeating: 0, count: n)
                for (i, e) in v.enumerated() { column[network.offsets[a] + i] = e }
                columns.append(column)
            }
        }
        let m = columns.count
        guard m > 0 else {
            energyHessianRangeEigenvalues = []
            energyHessianStability = .asymptoticallyStable  // range {0}: J = −τ⁻¹
            return
        }
        do {
            let r = Matrix(rows: n, columns: m) { i, j in columns[j][i] }
            let e = linearization.energyHessian
            let projected = try r.multiplied(by: try e.multiplied(by: r), transposeSelf: true)
            let symmetric = Matrix(rows: m, columns: m) { i, j in 0.5 * (projected[i, j] + projected[j, i]) }
            let values = try symmetric.symmetricEigenvalues()
            energyHessianRangeEigenvalues = values
            let scale = max(1, values.map { abs($0) }.max() ?? 0)
            energyHessianStability = classify(-(values.first ?? 0), threshold: 1e-9 * scale)
        } catch {
            throw .linearAlgebra("energy Hessian on the range: \(error.description)")
        }
    }
}

/// A description of the first Manhattan kink at `x` (a feature activation equal to a memory entry to
/// `1e-9 · max(1, |m|)`), or nil when there is none.
func manhattanKink(_ network: Network, at x: [Double]) -> String? {
    guard network.synapses.contains(where: { if case .similarity(.manhattan, _) = $0.kind { true } else { false } })
    else { return nil }
    let g = NetworkEvaluator(network: network).activations(x)
    for (k, synapse) in network.synapses.enumerated() {
        guard case .similarity(.manhattan, let memories) = synapse.kind else { continue }
        let pre = network.preIndices[k]
        let range = network.range(ofLayer: pre)
        let size = range.count
        for (index, m) in memories.enumerated() {
            let j = index % size
            if abs(g[range.lowerBound + j] - m) <= 1e-9 * max(1, abs(m)) {
                return "E is not twice differentiable here: activation \(j) of layer \(synapse.pre) sits on a kink of "
                    + "manhattan synapse \(k) (g = memory \(index / size)'s entry)"
            }
        }
    }
    return nil
}
