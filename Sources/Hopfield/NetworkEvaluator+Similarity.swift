import LinearAlgebra

/// The Euclidean and Manhattan similarity synapses (docs/math.md §4): inputs, energy and Jacobian terms.
///
/// For a similarity synapse P → Q with memories `M` (`n_Q × n_P`), `g = g_P`, `f = g_Q`,
/// `s_μ = sim(m_μ, g)` and `G = [∇_g s_μ]_μ`:
///
/// ```
/// euclidean   s_μ = −‖m_μ − g‖²        G = 2 (M − 1 gᵀ)          Σ_μ f_μ ∇²s_μ = −2 (Σ_μ f_μ) I
/// manhattan   s_μ = −Σ_j |m_μj − g_j|  G_μj = sign(m_μj − g_j)   Σ_μ f_μ ∇²s_μ = 0
/// ```
///
/// Manhattan at a kink (`g_j = m_μj`): the subgradient `sign(0) = 0` and a zero Hessian term.
/// Every method works on the evaluator's preallocated buffers and allocates nothing.
extension NetworkEvaluator {
    /// Adds every similarity synapse's inputs to `inputWork` from the activations in `activationWork`:
    /// `s` to the post layer and `Σ_μ f_μ ∇_g s_μ` to the pre layer.
    ///
    /// - Returns: `Σ_synapses f · s`, the (negated) similarity part of the energy.
    func addSimilarityInputs() -> Double {
        guard let g = activationWork.baseAddress, let y = inputWork.baseAddress, let w = weights.baseAddress
        else { return 0 }
        var total = 0.0
        for (block, kind) in similarityBlocks {
            let (nP, nQ) = (block.preSize, block.postSize)
            let gP = g + block.preOffset
            let f = g + block.postOffset
            let yP = y + block.preOffset
            let yQ = y + block.postOffset
            let m = w + block.weightOffset
            switch kind {
            case .euclidean:
                var fSum = 0.0
                for mu in 0 ..< nQ {
                    let row = m + mu * nP
                    var d = 0.0
                    for j in 0 ..< nP {
                        let e = row[j] - gP[j]
                        d += e * e
                    }
                    yQ[mu] -= d
                    total -= f[mu] * d
                    fSum += f[mu]
                }
                // Σ_μ f_μ 2 (m_μ − g) = 2 Mᵀ f − 2 (Σ f) g
                BLAS.gemv(transpose: true, rows: nQ, columns: nP, alpha: 2, m, f, beta: 1, yP)
                for j in 0 ..< nP { yP[j] -= 2 * fSum * gP[j] }
            case .manhattan:
                for mu in 0 ..< nQ {
                    let row = m + mu * nP
                    let fm = f[mu]
                    var d = 0.0
                    for j in 0 ..< nP {
                        let e = row[j] - gP[j]
                        d += Swift.abs(e)
                        yP[j] += e > 0 ? fm : (e < 0 ? -fm : 0)
                    }
                    yQ[mu] -= d
                    total -= fm * d
                }
            case .dot:  // evaluated as a dense block; never stored here
                break
            }
        }
        return total
    }

    /// `y += (similarity part of C(x)) u` for the Jacobian–vector product, with `u = H v` and the
    /// activations of `x` in `activationWork`:
    ///
    ///     y_Q += G u_P,   y_P += Gᵀ u_Q + (Σ_μ f_μ ∇²s_μ) u_P
    func addSimilarityJacobianProduct(
        of u: UnsafeMutableBufferPointer<Double>, to y: UnsafeMutableBufferPointer<Double>
    ) {
        guard let g = activationWork.baseAddress, let ub = u.baseAddress, let yb = y.baseAddress,
            let w = weights.baseAddress
        else { return }
        for (block, kind) in similarityBlocks {
            let (nP, nQ) = (block.preSize, block.postSize)
            let gP = g + block.preOffset
            let f = g + block.postOffset
            let (uP, uQ) = (ub + block.preOffset, ub + block.postOffset)
            let (yP, yQ) = (yb + block.preOffset, yb + block.postOffset)
            let m = w + block.weightOffset
            switch kind {
            case .euclidean:
                var gu = 0.0
                for j in 0 ..< nP { gu += gP[j] * uP[j] }
                var uQSum = 0.0
                var fSum = 0.0
                for mu in 0 ..< nQ {
                    uQSum += uQ[mu]
                    fSum += f[mu]
                }
                // G u_P = 2 (M u_P − (g·u_P) 1)
                BLAS.gemv(rows: nQ, columns: nP, alpha: 2, m, uP, beta: 1, yQ)
                for mu in 0 ..< nQ { yQ[mu] -= 2 * gu }
                // Gᵀ u_Q − 2 (Σf) u_P = 2 (Mᵀ u_Q − (Σ u_Q) g) − 2 (Σf) u_P
                BLAS.gemv(transpose: true, rows: nQ, columns: nP, alpha: 2, m, uQ, beta: 1, yP)
                for j in 0 ..< nP { yP[j] -= 2 * (uQSum * gP[j] + fSum * uP[j]) }
            case .manhattan:
                for mu in 0 ..< nQ {
                    let row = m + mu * nP
                    let uq = uQ[mu]
                    var sum = 0.0
                    for j in 0 ..< nP {
                        let e = row[j] - gP[j]
                        let sign: Double = e > 0 ? 1 : (e < 0 ? -1 : 0)
                        sum += sign * uP[j]
                        yP[j] += sign * uq
                    }
                    yQ[mu] += sum
                }
            case .dot:
                break
            }
        }
    }

    /// Adds the similarity synapses' Jacobian terms to the column-major `j` (row-major `Jᵀ`), with the
    /// layer Hessians in `hessianWork` and the activations in `activationWork`:
    ///
    ///     J_QP += τ_Q⁻¹ G H_P,   J_PQ += τ_P⁻¹ Gᵀ H_Q,   J_PP += τ_P⁻¹ (Σ_μ f_μ ∇²s_μ) H_P
    func addSimilarityJacobian(into j: UnsafeMutablePointer<Double>) {
        guard let g = activationWork.baseAddress, let w = weights.baseAddress, let gw = gradientWork.baseAddress,
            let hw = hessianWork.baseAddress
        else { return }
        let n = dimension
        for (block, kind) in similarityBlocks {
            let (nP, nQ) = (block.preSize, block.postSize)
            let gP = g + block.preOffset
            let f = g + block.postOffset
            let m = w + block.weightOffset
            for mu in 0 ..< nQ {
                for p in 0 ..< nP { gw[mu * nP + p] = kind.gradientEntry(memory: m[mu * nP + p], activation: gP[p]) }
            }
            addJacobianBlock(block, weights: gw, into: j)
            let scale = kind.hessianScale
            if scale == 0 { continue }
            var fSum = 0.0
            for mu in 0 ..< nQ { fSum += f[mu] }
            let c = scale * fSum / layerTaus[block.preLayer]
            let hP = hw + hessianOffsets[block.preLayer]
            let o = block.preOffset
            if lagrangians[block.preLayer].isSeparable {
                for p in 0 ..< nP { j[(o + p) * n + o + p] += c * hP[p] }
            } else {  // H_P is symmetric, so Jᵀ gets the same block
                for p in 0 ..< nP {
                    for q in 0 ..< nP { j[(o + p) * n + o + q] += c * hP[p * nP + q] }
                }
            }
        }
    }
}
