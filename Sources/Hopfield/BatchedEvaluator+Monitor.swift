extension BatchedEvaluator {
    /// The vector field of every state, and from the same products the energy, its analytic rate and
    /// its gradient: what an energy monitor needs at an accepted step, for the price of the vector field.
    ///
    ///     Ẋ_A = (b_A − X_A + (G Cᵀ)_A) / τ_A                       (two GEMMs per synapse)
    ///     C g_b = τ ẋ_b − b + x_b                                   (no further product)
    ///     E_b = Σ_A [(x_{b,A} − b_A)·g_{b,A} − L_A(x_{b,A})] − ½ g_b·(C g_b)
    ///     dE_b/dt = −Σ_A τ_A ẋ_{b,A}ᵀ H_A ẋ_{b,A},   ∂E/∂x_{b,A} = −τ_A H_A ẋ_{b,A}
    ///
    /// The energy agrees with ``energies(_:into:)`` up to rounding in `τ ẋ − b + x` (relative
    /// `O(ε ‖x‖ ‖g‖)`); the rate and gradient are those of
    /// ``energiesAndRates(_:energies:rates:residuals:gradients:)``.
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]`.
    ///   - xdot: receives `Ẋ`, `[B, n]`.
    ///   - energies: receives `E_b`, `B` entries.
    ///   - rates: receives `dE_b/dt`, `B` entries.
    ///   - gradients: receives `∂E/∂x`, `[B, n]`.
    public func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        let count = batchCount(x, "state")
        checkLength(xdot, count, "vector field")
        checkLength(gradients, count, "gradient")
        precondition(energies.count >= count && rates.count >= count, "energies/rates hold fewer than \(count) entries")
        fillActivations(x, count: count, wantValues: true)
        fillSource(x, count: count, into: xdot, scaled: true)
        addCoupling(of: activationWork, count: count, to: xdot, scaled: true)
        let n = dimension
        for b in 0 ..< count {
            var energy = -lagrangianWork[b]
            var coupling = 0.0
            var rate = 0.0
            for a in lagrangians.indices {
                let start = b * n + layerOffsets[a]
                let end = start + layerSizes[a]
                let tau = layerTaus[a]
                for i in start ..< end {
                    let xi = x[i]
                    let gi = activationWork[i]
                    let offset = xi - bias[i - b * n]
                    energy += offset * gi
                    coupling += gi * (tau * xdot[i] + offset)
                }
                lagrangians[a].hessianVectorProduct(
                    at: layer(a, row: b, of: x), layer(a, row: b, of: xdot),
                    into: layer(a, row: b, of: productWork))
                var quadratic = 0.0
                for i in start ..< end {
                    quadratic += xdot[i] * productWork[i]
                    gradients[i] = -tau * productWork[i]
                }
                rate -= tau * quadratic
            }
            energies[b] = energy - 0.5 * coupling
            rates[b] = rate
        }
    }
}
