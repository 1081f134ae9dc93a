import Hopfield
import LinearAlgebra

/// The orthonormal range/kernel split of `H = diag(H_A)`, layer by layer (so that `τ = diag(τ_A I)` maps
/// the range to itself and the kernel to itself, docs/math.md §3 (ii)).
///
/// Separable layers split exactly (unit vectors, the diagonal as eigenvalues); collective layers through the
/// symmetric eigen-decomposition of `H_A` (C function `LAPACKE_dsyevd`). An eigenvalue counts as zero when
///
///     λ ≤ tol = 10 · n · ε · max(1, max_A ‖H_A‖₂)
struct HessianSplit {
    struct LayerSplit {
        /// Orthonormal eigenvectors (layer-local) with eigenvalue > tol.
        var rangeVectors: [[Double]]
        /// Their eigenvalues.
        var rangeValues: [Double]
        /// Orthonormal eigenvectors (layer-local) with eigenvalue ≤ tol.
        var kernelVectors: [[Double]]
    }

    var layers: [LayerSplit]
    var tolerance: Double

    init(network: Network, at x: [Double]) throws(AnalysisError) {
        var eigen: [(values: [Double], vectors: [[Double]])] = []
        var largest = 0.0
        for (a, layer) in network.layers.enumerated() {
            let xa = Array(x[network.range(ofLayer: a)])
            let n = layer.size
            if layer.lagrangian.isSeparable {
                let d = layer.lagrangian.hessianDiagonal(at: xa)
                let vectors = (0 ..< n).map { i in (0 ..< n).map { $0 == i ? 1.0 : 0.0 } }
                eigen.append((d, vectors))
            } else {
                do {
                    let h = try Matrix(rows: n, columns: n, elements: layer.lagrangian.hessian(at: xa))
                    let (values, vectors) = try h.symmetricEigen()
                    eigen.append((values, (0 ..< n).map { vectors.column($0) }))
                } catch {
                    throw .linearAlgebra("eigen-decomposition of the Hessian of layer \(layer.name): \(error.description)")
                }
            }
            largest = max(largest, eigen[a].values.reduce(0) { max($0, abs($1)) })
        }
        let tolerance = 10 * Double(max(1, network.dimension)) * .ulpOfOne * max(1, largest)
        self.tolerance = tolerance
        layers = eigen.map { e in
            var split = LayerSplit(rangeVectors: [], rangeValues: [], kernelVectors: [])
            for (value, vector) in zip(e.values, e.vectors) {
                if value > tolerance {
                    split.rangeVectors.append(vector)
                    split.rangeValues.append(value)
                } else {
                    split.kernelVectors.append(vector)
                }
            }
            return split
        }
    }

    /// `dim range H`.
    var rank: Int { layers.map(\.rangeValues.count).reduce(0, +) }
    /// `dim ker H`.
    var nullity: Int { layers.map(\.kernelVectors.count).reduce(0, +) }
}
