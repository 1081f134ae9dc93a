import LinearAlgebra

/// Evaluates the vector field, the Jacobian–vector product and the energy of a ``Network`` for a
/// batch of `B` states at once (docs/math.md §1).
///
/// The states are the rows of a row-major `[B, n]` matrix `X` (state `b` at `X[b n ..< (b + 1) n]`),
/// the layout of a lockstep integration's flat state. Every dense synapse term becomes one matrix–matrix
/// product over the batch: for a synapse `P → Q` with weights `W` (`n_Q × n_P`),
///
///     R_Q += G_P Wᵀ      (the rows of G_P are g_P(x_b); one GEMM)
///     R_P += G_Q W       (one GEMM)
///
/// so the vector field costs two `cblas_dgemm` calls per synapse instead of `2B` `cblas_dgemv` calls, and
/// the weights are read once per call instead of once per state. Activations, Hessian–vector products and
/// energies run row by row over the Lagrangian kernels. With a batch of one, the products fall back to
/// `cblas_dgemv`.
///
///     Ẋ_A = (b_A − X_A + Σ_{P→A} G_P Wᵀ + Σ_{A→Q} G_Q W) / τ_A
///     (J V)_A = (−V_A + Σ_B C_AB (H_B V_B)) / τ_A     (row b uses H_B(x_b))
///     E_b = Σ_A [(x_{b,A} − b_A)·g_{b,A} − L_A(x_{b,A})] − Σ_{P→Q} g_{b,Q}ᵀ W g_{b,P}
///
/// Every workspace is allocated in `init` for up to ``capacity`` states, so no method allocates. It is
/// not thread-safe (the workspaces are shared by its methods); make one per thread. Output buffers must
/// not overlap inputs.
public final class BatchedEvaluator {
    /// The network evaluated.
    public let network: Network
    /// The length of one flat state, `n`.
    public let dimension: Int
    /// The largest batch the workspaces hold.
    public let capacity: Int

    let lagrangians: [Lagrangian]
    let layerOffsets: [Int]
    let layerSizes: [Int]
    let layerTaus: [Double]
    let inverseTaus: [Double]
    let blocks: [DenseBlock]

    /// The shared copy of the biases and weights.
    let storage: NetworkStorage
    /// The biases `b`, `dimension` entries.
    let bias: UnsafeMutableBufferPointer<Double>
    /// All weights, one synapse after the other.
    let weights: UnsafeMutableBufferPointer<Double>
    /// `G`, `[capacity, n]`.
    let activationWork: UnsafeMutableBufferPointer<Double>
    /// `C G` (or one synapse product as scratch), `[capacity, n]`.
    let inputWork: UnsafeMutableBufferPointer<Double>
    /// `H V` or `H R`, `[capacity, n]`.
    let productWork: UnsafeMutableBufferPointer<Double>
    /// The residuals `R = τ Ẋ` when the caller does not want them, `[capacity, n]`.
    let residualWork: UnsafeMutableBufferPointer<Double>
    /// `Σ_A L_A(x_{b,A})` per state, `capacity` entries.
    let lagrangianWork: UnsafeMutableBufferPointer<Double>

    /// Prepares the evaluator: copies biases and weights, allocates the workspaces for `capacity` states.
    ///
    /// - Parameters:
    ///   - network: a validated network whose synapses are all bilinear (dense or dot similarity:
    ///     ``Network/isBilinear``); Euclidean and Manhattan synapses are not batched (precondition).
    ///   - capacity: the largest batch that will be evaluated (at least 1).
    public convenience init(network: Network, capacity: Int) {
        self.init(network: network, capacity: capacity, storage: NetworkStorage(network: network))
    }

    /// Prepares the evaluator on a shared copy of the biases and weights.
    init(network: Network, capacity: Int, storage: NetworkStorage) {
        precondition(capacity >= 1, "BatchedEvaluator: capacity must be ≥ 1, got \(capacity)")
        self.network = network
        self.capacity = capacity
        let n = network.dimension
        dimension = n
        lagrangians = network.layers.map(\.lagrangian)
        layerOffsets = network.offsets
        layerSizes = network.layers.map(\.size)
        layerTaus = network.layers.map(\.tau)
        inverseTaus = network.layers.map { 1 / $0.tau }

        self.storage = storage
        bias = storage.bias
        // Dense and dot-similarity synapses share the bilinear form −g_Qᵀ W g_P.
        precondition(network.isBilinear, "BatchedEvaluator handles dense and dot synapses only (Network.isBilinear)")
        blocks = storage.blocks
        weights = storage.weights

        activationWork = EvaluatorStorage.zeroed(capacity * n)
        inputWork = EvaluatorStorage.zeroed(capacity * n)
        productWork = EvaluatorStorage.zeroed(capacity * n)
        residualWork = EvaluatorStorage.zeroed(capacity * n)
        lagrangianWork = EvaluatorStorage.zeroed(capacity)
    }

    deinit {
        for buffer in [activationWork, inputWork, productWork, residualWork, lagrangianWork] {
            buffer.deallocate()
        }
    }


    /// The number of floating-point operations of the synapse products in one ``vectorField(_:into:)``
    /// call for `batch` states: `4 B Σ_{P→Q} n_P n_Q` (two GEMMs per synapse).
    ///
    /// - Parameters:
    ///   - batch: the number of states `B`.
    public func vectorFieldProductFlops(batch: Int) -> Double {
        blocks.reduce(0) { $0 + 4 * Double(batch) * Double($1.preSize) * Double($1.postSize) }
    }

    // MARK: Activations, residuals, vector field

    /// The activations `g_A = ∇L_A(x_{b,A})` of every layer of every state.
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]` row-major (`B ≤ capacity`).
    ///   - g: receives the activations, `[B, n]`.
    public func activations(_ x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) {
        let count = batchCount(x, "state")
        checkLength(g, count, "activation")
        for b in 0 ..< count {
            for a in lagrangians.indices {
                lagrangians[a].activation(layer(a, row: b, of: x), into: layer(a, row: b, of: g))
            }
        }
    }

    /// The residuals `R = τ Ẋ`, one row per state.
    ///
    ///     R = 1 bᵀ − X + G Cᵀ     (two GEMMs per synapse)
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]`.
    ///   - r: receives the residuals, `[B, n]`.
    public func residuals(_ x: UnsafeBufferPointer<Double>, into r: UnsafeMutableBufferPointer<Double>) {
        let count = batchCount(x, "state")
        checkLength(r, count, "residual")
        fillActivations(x, count: count, wantValues: false)
        fillSource(x, count: count, into: r, scaled: false)
        addCoupling(of: activationWork, count: count, to: r, scaled: false)
    }

    /// The vector field of every state, `Ẋ = R / τ` layer by layer.
    ///
    ///     Ẋ_A = (b_A − X_A + Σ_{P→A} G_P Wᵀ + Σ_{A→Q} G_Q W) / τ_A
    ///
    /// The products are `cblas_dgemm` calls with `α = 1/τ_A` accumulating (`β = 1`) onto
    /// `(b_A − X_A)/τ_A`: no pass over the output besides the activations.
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]`.
    ///   - xdot: receives `Ẋ`, `[B, n]`.
    public func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>) {
        let count = batchCount(x, "state")
        checkLength(xdot, count, "vector field")
        fillActivations(x, count: count, wantValues: false)
        fillSource(x, count: count, into: xdot, scaled: true)
        addCoupling(of: activationWork, count: count, to: xdot, scaled: true)
    }

    // MARK: Jacobian–vector product

    /// The Jacobian–vector products `J(x_b) v_b` of every state, without forming a Jacobian.
    ///
    ///     (J V)_A = (−V_A + Σ_B C_AB (H_B V_B)) / τ_A
    ///
    /// One Hessian–vector product per layer and state (row-wise loops) and two GEMMs per synapse.
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]`.
    ///   - v: the vectors, `[B, n]` (row `b` multiplies the Jacobian at `x_b`).
    ///   - jv: receives the products, `[B, n]`.
    public func jacobianVectorProduct(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
        into jv: UnsafeMutableBufferPointer<Double>
    ) {
        let count = batchCount(x, "state")
        checkLength(v, count, "vector")
        checkLength(jv, count, "product")
        let n = dimension
        for b in 0 ..< count {
            for a in lagrangians.indices {
                lagrangians[a].hessianVectorProduct(
                    at: layer(a, row: b, of: x), layer(a, row: b, of: v), into: layer(a, row: b, of: productWork))
                let inverseTau = inverseTaus[a]
                let start = b * n + layerOffsets[a]
                for i in start ..< start + layerSizes[a] { jv[i] = -v[i] * inverseTau }
            }
        }
        addCoupling(of: productWork, count: count, to: jv, scaled: true)
    }

    // MARK: Energy

    /// The energy of every state.
    ///
    ///     E_b = Σ_A [(x_{b,A} − b_A)·g_{b,A} − L_A(x_{b,A})] − Σ_{P→Q} g_{b,Q}ᵀ W g_{b,P}
    ///
    /// One GEMM per synapse (`T = G_P Wᵀ`), then a dot product per state.
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]`.
    ///   - energies: receives `E_b`, `B` entries.
    public func energies(_ x: UnsafeBufferPointer<Double>, into energies: UnsafeMutableBufferPointer<Double>) {
        let count = batchCount(x, "state")
        precondition(energies.count == count, "energies has \(energies.count) entries, expected \(count)")
        fillActivations(x, count: count, wantValues: true)
        let n = dimension
        for b in 0 ..< count {
            var e = -lagrangianWork[b]
            let row = b * n
            for i in 0 ..< n { e += (x[row + i] - bias[i]) * activationWork[row + i] }
            energies[b] = e
        }
        guard count > 0, let g = activationWork.baseAddress, let w = weights.baseAddress,
            let t = inputWork.baseAddress
        else { return }
        for block in blocks {
            product(
                count: count, transposeW: false, block: block, alpha: 1, g + block.preOffset,
                w + block.weightOffset, beta: 0, t + block.postOffset)
            for b in 0 ..< count {
                let row = b * n + block.postOffset
                var coupling = 0.0
                for q in 0 ..< block.postSize { coupling += g[row + q] * t[row + q] }
                energies[b] -= coupling
            }
        }
    }

    /// The analytic rate of change of the energy along the flow, for every state.
    ///
    ///     dE_b/dt = −Σ_A τ_A ẋ_{b,A}ᵀ H_A ẋ_{b,A} = −Σ_A τ_A⁻¹ r_{b,A}ᵀ H_A r_{b,A}
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]`.
    ///   - rates: receives `dE_b/dt`, `B` entries.
    public func energyRates(_ x: UnsafeBufferPointer<Double>, into rates: UnsafeMutableBufferPointer<Double>) {
        let count = batchCount(x, "state")
        precondition(rates.count == count, "rates has \(rates.count) entries, expected \(count)")
        residuals(x, into: UnsafeMutableBufferPointer(rebasing: residualWork[0 ..< count * dimension]))
        ratesFromResiduals(x, count: count, rates: rates, gradients: nil)
    }

    /// The energy, its analytic rate and optionally the residuals and energy gradients of every state,
    /// sharing the activations and the synaptic input `C g` (two GEMMs per synapse in all).
    ///
    ///     E_b = Σ_A [(x_{b,A} − b_A)·g_{b,A} − L_A] − ½ g_bᵀ C g_b
    ///     r_b = b − x_b + C g_b,   dE_b/dt = −Σ_A τ_A⁻¹ r_{b,A}ᵀ H_A r_{b,A},   ∂E/∂x_{b,A} = −H_A r_{b,A}
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]`.
    ///   - energies: receives `E_b`, `B` entries.
    ///   - rates: receives `dE_b/dt`, `B` entries.
    ///   - residuals: receives `R = τ Ẋ`, `[B, n]`, when given.
    ///   - gradients: receives `∂E/∂x`, `[B, n]`, when given.
    public func energiesAndRates(
        _ x: UnsafeBufferPointer<Double>, energies: UnsafeMutableBufferPointer<Double>,
        rates: UnsafeMutableBufferPointer<Double>, residuals: UnsafeMutableBufferPointer<Double>? = nil,
        gradients: UnsafeMutableBufferPointer<Double>? = nil
    ) {
        let count = batchCount(x, "state")
        precondition(energies.count == count, "energies has \(energies.count) entries, expected \(count)")
        precondition(rates.count == count, "rates has \(rates.count) entries, expected \(count)")
        if let residuals { checkLength(residuals, count, "residual") }
        if let gradients { checkLength(gradients, count, "gradient") }
        let n = dimension
        let r = residuals ?? UnsafeMutableBufferPointer(rebasing: residualWork[0 ..< count * n])
        fillActivations(x, count: count, wantValues: true)
        UnsafeMutableBufferPointer(rebasing: inputWork[0 ..< count * n]).update(repeating: 0)
        addCoupling(of: activationWork, count: count, to: inputWork, scaled: false)
        for b in 0 ..< count {
            let row = b * n
            var e = -lagrangianWork[b]
            var coupling = 0.0
            for i in 0 ..< n {
                let xi = x[row + i]
                let gi = activationWork[row + i]
                let ci = inputWork[row + i]
                e += (xi - bias[i]) * gi
                coupling += gi * ci
                r[row + i] = bias[i] - xi + ci
            }
            energies[b] = e - 0.5 * coupling
        }
        ratesFromResiduals(x, count: count, rates: rates, gradients: gradients, residuals: r)
    }

    // MARK: Internals

    /// The number of states in a `[B, n]` buffer (a precondition that it is a whole number ≤ capacity).
    @inline(__always)
    func batchCount(_ x: UnsafeBufferPointer<Double>, _ what: String) -> Int {
        let n = dimension
        precondition(n > 0 ? x.count % n == 0 : x.count == 0, "\(what) buffer of \(x.count) entries is not [B, \(n)]")
        let count = n > 0 ? x.count / n : 0
        precondition(count <= capacity, "batch of \(count) states exceeds the capacity \(capacity)")
        return count
    }

    @inline(__always)
    func checkLength(_ x: UnsafeBufferPointer<Double>, _ count: Int, _ what: String) {
        precondition(x.count == count * dimension, "\(what) has \(x.count) entries, expected \(count * dimension)")
    }

    @inline(__always)
    func checkLength(_ x: UnsafeMutableBufferPointer<Double>, _ count: Int, _ what: String) {
        precondition(x.count == count * dimension, "\(what) has \(x.count) entries, expected \(count * dimension)")
    }

    /// Layer `a` of row `b`.
    @inline(__always)
    func layer(_ a: Int, row b: Int, of x: UnsafeBufferPointer<Double>) -> UnsafeBufferPointer<Double> {
        let start = b * dimension + layerOffsets[a]
        return UnsafeBufferPointer(rebasing: x[start ..< start + layerSizes[a]])
    }

    @inline(__always)
    func layer(_ a: Int, row b: Int, of x: UnsafeMutableBufferPointer<Double>) -> UnsafeMutableBufferPointer<Double> {
        let start = b * dimension + layerOffsets[a]
        return UnsafeMutableBufferPointer(rebasing: x[start ..< start + layerSizes[a]])
    }

    @inline(__always)
    func layer(_ a: Int, row b: Int, of x: UnsafeMutableBufferPointer<Double>) -> UnsafeBufferPointer<Double> {
        let start = b * dimension + layerOffsets[a]
        return UnsafeBufferPointer(rebasing: x[start ..< start + layerSizes[a]])
    }

    /// `activationWork = G(X)`; with `wantValues`, `lagrangianWork[b] = Σ_A L_A(x_{b,A})`.
    func fillActivations(_ x: UnsafeBufferPointer<Double>, count: Int, wantValues: Bool) {
        for b in 0 ..< count {
            var total = 0.0
            for a in lagrangians.indices {
                let g = layer(a, row: b, of: activationWork) as UnsafeMutableBufferPointer<Double>
                if case .softmax(let beta) = lagrangians[a] {
                    total += Self.softmax(layer(a, row: b, of: x), beta: beta, into: g)
                } else if wantValues {
                    total += lagrangians[a].valueAndActivation(layer(a, row: b, of: x), into: g)
                } else {
                    lagrangians[a].activation(layer(a, row: b, of: x), into: g)
                }
            }
            lagrangianWork[b] = total
        }
    }

    /// `g = softmax_β(x)` with one vectorised exponential per entry (``VectorExponential``; the
    /// Lagrangian's own kernel takes two libm calls), and
    /// returns `L = lse_β(x)`: `m = max x`, `S = Σⱼ e^{β(xⱼ − m)}`, `gᵢ = e^{β(xᵢ − m)} / S`,
    /// `L = m + log(S)/β`. Every term is ≤ 1 and the largest is 1, so nothing overflows and `S ≥ 1`.
    /// NaN or ±∞ inputs fall back to the Lagrangian's kernel.
    @inline(__always)
    @discardableResult
    static func softmax(_ x: UnsafeBufferPointer<Double>, beta: Double, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = x.count
        guard n > 0 else { return Lagrangian.softmax(beta: beta).valueAndActivation(x, into: g) }
        var m = x[0]
        for i in 1 ..< max(n, 1) where x[i] > m { m = x[i] }
        guard m.isFinite else { return Lagrangian.softmax(beta: beta).valueAndActivation(x, into: g) }
        // Two loops: the first (no reduction) vectorises, exponentials included.
        for i in 0 ..< n { g[i] = VectorExponential.exponential(beta * (x[i] - m)) }
        var sum = 0.0
        for i in 0 ..< n { sum += g[i] }
        let inverse = 1 / sum
        for i in 0 ..< n { g[i] *= inverse }
        return m + RealMath.logarithm(sum) / beta
    }

    /// `out = 1 bᵀ − X`, each layer divided by `τ_A` when `scaled`.
    func fillSource(_ x: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>, scaled: Bool) {
        let n = dimension
        for b in 0 ..< count {
            let row = b * n
            for a in lagrangians.indices {
                let scale = scaled ? inverseTaus[a] : 1
                let o = layerOffsets[a]
                for i in o ..< o + layerSizes[a] { out[row + i] = (bias[i] - x[row + i]) * scale }
            }
        }
    }

    /// `Y += U Cᵀ` row by row (`y_b += C u_b`): per synapse `P → Q`, `Y_Q += α_Q U_P Wᵀ` and
    /// `Y_P += α_P U_Q W`, with `α_A = 1/τ_A` when `scaled`, else 1.
    func addCoupling(
        of u: UnsafeMutableBufferPointer<Double>, count: Int, to y: UnsafeMutableBufferPointer<Double>, scaled: Bool
    ) {
        guard count > 0, let ub = u.baseAddress, let yb = y.baseAddress, let w = weights.baseAddress else { return }
        for block in blocks {
            let wb = w + block.weightOffset
            product(
                count: count, transposeW: false, block: block,
                alpha: scaled ? inverseTaus[block.postLayer] : 1, ub + block.preOffset, wb, beta: 1,
                yb + block.postOffset)
            product(
                count: count, transposeW: true, block: block,
                alpha: scaled ? inverseTaus[block.preLayer] : 1, ub + block.postOffset, wb, beta: 1,
                yb + block.preOffset)
        }
    }

    /// One synapse product over the batch, rows of stride `n`:
    /// `transposeW == false`: `Y[B, n_Q] = α U[B, n_P] Wᵀ + β Y` (row b: `α W u_b`);
    /// `transposeW == true`:  `Y[B, n_P] = α U[B, n_Q] W + β Y` (row b: `α Wᵀ u_b`).
    /// `cblas_dgemm` for `B > 1`, `cblas_dgemv` for `B = 1`.
    @inline(__always)
    func product(
        count: Int, transposeW: Bool, block: DenseBlock, alpha: Double, _ u: UnsafePointer<Double>,
        _ w: UnsafePointer<Double>, beta: Double, _ y: UnsafeMutablePointer<Double>
    ) {
        let n = dimension
        let nP = block.preSize
        let nQ = block.postSize
        if count == 1 {
            BLAS.gemv(transpose: transposeW, rows: nQ, columns: nP, alpha: alpha, w, u, beta: beta, y)
        } else if transposeW {
            BLAS.gemm(m: count, n: nP, k: nQ, alpha: alpha, u, lda: n, w, ldb: nP, beta: beta, y, ldc: n)
        } else {
            BLAS.gemm(
                transposeB: true, m: count, n: nQ, k: nP, alpha: alpha, u, lda: n, w, ldb: nP, beta: beta, y, ldc: n)
        }
    }

    /// `rates[b] = −Σ_A τ_A⁻¹ r_{b,A}·(H_A r_{b,A})`; `gradients = −H R` when given. `residuals` defaults
    /// to `residualWork`.
    func ratesFromResiduals(
        _ x: UnsafeBufferPointer<Double>, count: Int, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>?, residuals: UnsafeMutableBufferPointer<Double>? = nil
    ) {
        let n = dimension
        let r = residuals ?? residualWork
        for b in 0 ..< count {
            var rate = 0.0
            for a in lagrangians.indices {
                let product = layer(a, row: b, of: productWork) as UnsafeMutableBufferPointer<Double>
                lagrangians[a].hessianVectorProduct(
                    at: layer(a, row: b, of: x), layer(a, row: b, of: r), into: product)
                let start = b * n + layerOffsets[a]
                var quadratic = 0.0
                for i in start ..< start + layerSizes[a] { quadratic += r[i] * productWork[i] }
                rate -= inverseTaus[a] * quadratic
                if let gradients {
                    for i in start ..< start + layerSizes[a] { gradients[i] = -productWork[i] }
                }
            }
            rates[b] = rate
        }
    }
}
