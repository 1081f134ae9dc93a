import LinearAlgebra

/// Evaluates the vector field, its Jacobian and the energy of a ``Network`` on the flat state (docs/math.md §1).
///
/// With the block-diagonal Lagrangian Hessian `H = diag(H_A)`, `τ = diag(τ_A I)` and the symmetric
/// block weight matrix `C` (`C_QP = W`, `C_PQ = Wᵀ` for every dense synapse `P → Q`; `W + Wᵀ` on the
/// diagonal block of a synapse from a layer to itself):
///
///     r(x) = τ ẋ = b − x + C g(x)
///     J = ∂ẋ/∂x = τ⁻¹(−I + C H)
///     E = Σ_A [(x_A − b_A)·g_A − L_A(x_A)] − Σ_{P→Q} g_Qᵀ W g_P
///     dE/dt = −Σ_A τ_A ẋ_Aᵀ H_A ẋ_A ≤ 0
///
/// Similarity synapses (docs/math.md §4; see ``Synapse``) replace `W g_P` by the scores `s(g_P)`, `Wᵀ g_Q` by
/// `Σ_μ f_μ ∇_g s_μ` and `g_Qᵀ W g_P` by `f · s`; their Jacobian blocks use the state-dependent matrix
/// `G = [∇_g s_μ]_μ` in place of `W` plus the Hessian term `τ_P⁻¹ Σ_μ f_μ ∇²_g s_μ H_P` on the pre layer's
/// diagonal block (see ``jacobian(at:into:)``). A dot-product similarity synapse is evaluated as dense.
///
/// One evaluator serves one solve: it copies the biases and weights into buffers it owns and allocates
/// every workspace in `init`, so no method that takes buffers allocates. It is not thread-safe (the
/// workspaces are shared by its methods); make one per thread. Output buffers must not overlap inputs.
public final class NetworkEvaluator {
    /// The network evaluated.
    public let network: Network
    /// The length of the flat state.
    public let dimension: Int

    let lagrangians: [Lagrangian]
    let layerOffsets: [Int]
    let layerSizes: [Int]
    let layerTaus: [Double]
    /// Per layer: start of its Hessian in `hessianWork` (a diagonal for a separable Lagrangian,
    /// a dense `n_A × n_A` block otherwise).
    let hessianOffsets: [Int]
    /// The dense synapses (and dot-product similarity synapses, which are dense).
    let blocks: [DenseBlock]
    /// The Euclidean and Manhattan similarity synapses: where they are, and their similarity.
    let similarityBlocks: [(block: DenseBlock, kind: SimilarityKind)]

    /// The shared copy of the biases and weights.
    let storage: NetworkStorage
    /// The biases `b`, `dimension` entries.
    let bias: UnsafeMutableBufferPointer<Double>
    /// All weights, one synapse after the other.
    let weights: UnsafeMutableBufferPointer<Double>
    /// `g(x)`.
    let activationWork: UnsafeMutableBufferPointer<Double>
    /// `C g` (or a synapse product as scratch).
    let inputWork: UnsafeMutableBufferPointer<Double>
    /// `ẋ`.
    let velocityWork: UnsafeMutableBufferPointer<Double>
    /// `H v`.
    let productWork: UnsafeMutableBufferPointer<Double>
    /// Layer Hessians for the dense Jacobian.
    let hessianWork: UnsafeMutableBufferPointer<Double>
    /// `G = [∇_g s_μ]_μ` of one similarity synapse (the largest), for the dense Jacobian.
    let gradientWork: UnsafeMutableBufferPointer<Double>

    /// Prepares the evaluator: copies biases and weights, allocates the workspaces.
    ///
    /// - Parameters:
    ///   - network: a validated network.
    public convenience init(network: Network) {
        self.init(network: network, storage: NetworkStorage(network: network))
    }

    /// Prepares the evaluator on a shared copy of the biases and weights.
    init(network: Network, storage: NetworkStorage) {
        self.network = network
        let n = network.dimension
        dimension = n
        lagrangians = network.layers.map(\.lagrangian)
        layerOffsets = network.offsets
        layerSizes = network.layers.map(\.size)
        layerTaus = network.layers.map(\.tau)

        var hessianOffsets: [Int] = []
        var hessianCount = 0
        for layer in network.layers {
            hessianOffsets.append(hessianCount)
            hessianCount += layer.lagrangian.isSeparable ? layer.size : layer.size * layer.size
        }
        self.hessianOffsets = hessianOffsets

        self.storage = storage
        bias = storage.bias
        var blocks: [DenseBlock] = []
        var similarityBlocks: [(block: DenseBlock, kind: SimilarityKind)] = []
        var largestSimilarity = 0
        for (block, synapse) in zip(storage.blocks, network.synapses) {
            if case .similarity(let kind, _) = synapse.kind, kind != .dot {
                similarityBlocks.append((block, kind))
                largestSimilarity = max(largestSimilarity, block.preSize * block.postSize)
            } else {
                blocks.append(block)
            }
        }
        self.blocks = blocks
        self.similarityBlocks = similarityBlocks
        weights = storage.weights

        activationWork = EvaluatorStorage.zeroed(n)
        inputWork = EvaluatorStorage.zeroed(n)
        velocityWork = EvaluatorStorage.zeroed(n)
        productWork = EvaluatorStorage.zeroed(n)
        hessianWork = EvaluatorStorage.zeroed(hessianCount)
        gradientWork = EvaluatorStorage.zeroed(largestSimilarity)
    }

    deinit {
        for buffer in [activationWork, inputWork, velocityWork, productWork, hessianWork, gradientWork] {
            buffer.deallocate()
        }
    }


    // MARK: Activations, residual, vector field

    /// The activations of every layer, `g_A = ∇L_A(x_A)`, for the flat state `x`.
    ///
    /// - Parameters:
    ///   - x: the flat state (`dimension` entries).
    ///   - g: receives the activations (`dimension` entries).
    public func activations(_ x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) {
        checkLength(x, "state")
        checkLength(g, "activation")
        for a in lagrangians.indices {
            lagrangians[a].activation(layer(a, of: x), into: layer(a, of: g))
        }
    }

    /// The residual `r = τ ẋ`.
    ///
    ///     r = b − x + C g(x)     (W g_P added to Q and Wᵀ g_Q to P for every synapse P → Q;
    ///                             s(g_P) and Σ_μ f_μ ∇_g s_μ for a similarity synapse)
    ///
    /// - Parameters:
    ///   - x: the flat state.
    ///   - r: receives the residual.
    public func residual(_ x: UnsafeBufferPointer<Double>, into r: UnsafeMutableBufferPointer<Double>) {
        checkLength(x, "state")
        checkLength(r, "residual")
        _ = computeActivations(x, wantValues: false)
        computeCoupledInput()
        for i in 0 ..< dimension { r[i] = bias[i] - x[i] + inputWork[i] }
    }

    /// The vector field `ẋ = r(x) / τ`, layer by layer.
    ///
    ///     ẋ_A = (b_A − x_A + Σ_{P→A} W g_P + Σ_{A→Q} Wᵀ g_Q) / τ_A
    ///
    /// - Parameters:
    ///   - x: the flat state.
    ///   - xdot: receives `ẋ`.
    public func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>) {
        residual(x, into: xdot)
        for a in layerTaus.indices {
            let tau = layerTaus[a]
            for i in layerOffsets[a] ..< layerOffsets[a] + layerSizes[a] { xdot[i] /= tau }
        }
    }

    // MARK: Jacobian

    /// The Jacobian–vector product `J v` without forming `J`.
    ///
    ///     (J v)_A = τ_A⁻¹ (−v_A + Σ_B C_AB H_B v_B)
    ///
    /// One Hessian–vector product per layer and two matrix–vector products per synapse.
    ///
    /// - Parameters:
    ///   - x: the flat state.
    ///   - v: the vector.
    ///   - jv: receives `J v`.
    public func jacobianVectorProduct(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
        into jv: UnsafeMutableBufferPointer<Double>
    ) {
        checkLength(x, "state")
        checkLength(v, "vector")
        checkLength(jv, "product")
        for a in lagrangians.indices {
            lagrangians[a].hessianVectorProduct(at: layer(a, of: x), layer(a, of: v), into: layer(a, of: productWork))
        }
        for i in 0 ..< dimension { jv[i] = -v[i] }
        addCoupling(of: productWork, to: jv)
        if !similarityBlocks.isEmpty {
            _ = computeActivations(x, wantValues: false)
            addSimilarityJacobianProduct(of: productWork, to: jv)
        }
        for a in layerTaus.indices {
            let tau = layerTaus[a]
            for i in layerOffsets[a] ..< layerOffsets[a] + layerSizes[a] { jv[i] /= tau }
        }
    }

    /// The dense Jacobian of the vector field, COLUMN-major `n × n` (CVODE's dense layout).
    ///
    ///     jacobian[i + j n] = ∂ẋ_i/∂x_j,   J = τ⁻¹(−I + C H)
    ///
    /// Separable layers scale the weights by their Hessian diagonal; collective layers use a dense
    /// Hessian and `BLAS.gemm` (C `cblas_dgemm`). A similarity synapse P → Q adds, with
    /// `G = [∇_g s_μ(g_P)]_μ` (`n_Q × n_P`) and `f = g_Q`,
    ///
    ///     J_QP += τ_Q⁻¹ G H_P,   J_PQ += τ_P⁻¹ Gᵀ H_Q,   J_PP += τ_P⁻¹ (Σ_μ f_μ ∇²_g s_μ) H_P
    ///
    /// - Parameters:
    ///   - x: the flat state.
    ///   - jacobian: receives `J`, `n²` entries.
    public func jacobian(at x: UnsafeBufferPointer<Double>, into jacobian: UnsafeMutableBufferPointer<Double>) {
        checkLength(x, "state")
        let n = dimension
        precondition(jacobian.count == n * n, "jacobian buffer has \(jacobian.count) entries, expected \(n * n)")
        guard n > 0, let j = jacobian.baseAddress, let hw = hessianWork.baseAddress,
            let w = weights.baseAddress
        else { return }
        for a in lagrangians.indices {
            let size = layerSizes[a]
            let h = hw + hessianOffsets[a]
            if lagrangians[a].isSeparable {
                lagrangians[a].hessianDiagonal(
                    at: layer(a, of: x), into: UnsafeMutableBufferPointer(start: h, count: size))
            } else {
                lagrangians[a].hessian(at: layer(a, of: x), into: h, leadingDimension: size)
            }
        }
        jacobian.update(repeating: 0)
        for a in layerTaus.indices {
            let inverseTau = 1 / layerTaus[a]
            for i in layerOffsets[a] ..< layerOffsets[a] + layerSizes[a] { j[i + i * n] = -inverseTau }
        }
        // Column-major J is row-major M = Jᵀ (see addJacobianBlock).
        for block in blocks { addJacobianBlock(block, weights: w + block.weightOffset, into: j) }
        if !similarityBlocks.isEmpty {
            _ = computeActivations(x, wantValues: false)
            addSimilarityJacobian(into: j)
        }
    }

    /// Adds the off-diagonal Jacobian blocks of one synapse P → Q with (effective) weights `wb`
    /// (`n_Q × n_P`) to the column-major `jacobian` (seen as row-major `Jᵀ`), using the layer Hessians in
    /// `hessianWork`:
    ///
    ///     J_QP += τ_Q⁻¹ W H_P  ⇒  Jᵀ[P rows, Q columns] += τ_Q⁻¹ H_P Wᵀ
    ///     J_PQ += τ_P⁻¹ Wᵀ H_Q ⇒  Jᵀ[Q rows, P columns] += τ_P⁻¹ H_Q W
    func addJacobianBlock(_ block: DenseBlock, weights wb: UnsafePointer<Double>, into j: UnsafeMutablePointer<Double>) {
        guard let hw = hessianWork.baseAddress else { return }
        let n = dimension
        let nP = block.preSize
        let nQ = block.postSize
        let hP = hw + hessianOffsets[block.preLayer]
        let hQ = hw + hessianOffsets[block.postLayer]
        let inverseTauQ = 1 / layerTaus[block.postLayer]
        let inverseTauP = 1 / layerTaus[block.preLayer]
        if lagrangians[block.preLayer].isSeparable {
            for p in 0 ..< nP {
                let scale = hP[p] * inverseTauQ
                if scale == 0 { continue }
                let row = j + (block.preOffset + p) * n + block.postOffset
                for q in 0 ..< nQ { row[q] += scale * wb[q * nP + p] }
            }
        } else {
            BLAS.gemm(
                transposeB: true, m: nP, n: nQ, k: nP, alpha: inverseTauQ, hP, lda: nP, wb, ldb: nP,
                beta: 1, j + block.preOffset * n + block.postOffset, ldc: n)
        }
        if lagrangians[block.postLayer].isSeparable {
            for q in 0 ..< nQ {
                let scale = hQ[q] * inverseTauP
                if scale == 0 { continue }
                let row = j + (block.postOffset + q) * n + block.preOffset
                let wRow = wb + q * nP
                for p in 0 ..< nP { row[p] += scale * wRow[p] }
            }
        } else {
            BLAS.gemm(
                m: nQ, n: nP, k: nQ, alpha: inverseTauP, hQ, lda: nQ, wb, ldb: nP,
                beta: 1, j + block.postOffset * n + block.preOffset, ldc: n)
        }
    }

    // MARK: Energy

    /// The energy.
    ///
    ///     E = Σ_A [(x_A − b_A)·g_A − L_A(x_A)] − Σ_{P→Q} g_Qᵀ W g_P − Σ_{similarity P→Q} f · s(g_P)
    ///
    /// - Parameters:
    ///   - x: the flat state.
    public func energy(_ x: UnsafeBufferPointer<Double>) -> Double {
        checkLength(x, "state")
        let lagrangianSum = computeActivations(x, wantValues: true)
        var e = -lagrangianSum
        for i in 0 ..< dimension { e += (x[i] - bias[i]) * activationWork[i] }
        guard let g = activationWork.baseAddress, let w = weights.baseAddress, let t = inputWork.baseAddress
        else { return e }
        for block in blocks {
            BLAS.gemv(
                rows: block.postSize, columns: block.preSize, w + block.weightOffset, g + block.preOffset,
                t + block.postOffset)
            var coupling = 0.0
            for q in 0 ..< block.postSize { coupling += g[block.postOffset + q] * t[block.postOffset + q] }
            e -= coupling
        }
        if !similarityBlocks.isEmpty {
            inputWork.update(repeating: 0)
            e -= addSimilarityInputs()
        }
        return e
    }

    /// The analytic rate of change of the energy along the flow.
    ///
    ///     dE/dt = −Σ_A τ_A ẋ_Aᵀ H_A ẋ_A ≤ 0
    ///
    /// - Parameters:
    ///   - x: the flat state.
    public func energyRate(_ x: UnsafeBufferPointer<Double>) -> Double {
        checkLength(x, "state")
        _ = computeActivations(x, wantValues: false)
        computeCoupledInput()
        return rateFromCoupledInput(x)
    }

    /// The energy and its rate, sharing the activations and synaptic inputs.
    ///
    ///     E = Σ_A [(x_A − b_A)·g_A − L_A] − ½ gᵀ C g − Σ_{similarity P→Q} f · s,
    ///     dE/dt = −Σ_A τ_A ẋ_Aᵀ H_A ẋ_A
    ///
    /// - Parameters:
    ///   - x: the flat state.
    public func energyAndRate(_ x: UnsafeBufferPointer<Double>) -> (energy: Double, rate: Double) {
        checkLength(x, "state")
        let lagrangianSum = computeActivations(x, wantValues: true)
        inputWork.update(repeating: 0)
        addCoupling(of: activationWork, to: inputWork)
        var e = -lagrangianSum
        var coupling = 0.0
        for i in 0 ..< dimension {
            e += (x[i] - bias[i]) * activationWork[i]
            coupling += activationWork[i] * inputWork[i]
        }
        e -= 0.5 * coupling
        // Similarity inputs are added after the bilinear coupling was read off `inputWork`.
        e -= addSimilarityInputs()
        return (e, rateFromCoupledInput(x))
    }

    // MARK: Dense matrices

    /// The block-diagonal Lagrangian Hessian `H = diag(H_A)`, dense `n × n` (symmetric).
    ///
    /// - Parameters:
    ///   - x: the flat state.
    ///   - h: receives `H`, `n²` entries.
    public func lagrangianHessian(at x: UnsafeBufferPointer<Double>, into h: UnsafeMutableBufferPointer<Double>) {
        checkLength(x, "state")
        let n = dimension
        precondition(h.count == n * n, "hessian buffer has \(h.count) entries, expected \(n * n)")
        guard let base = h.baseAddress else { return }
        h.update(repeating: 0)
        for a in lagrangians.indices {
            let o = layerOffsets[a]
            lagrangians[a].hessian(at: layer(a, of: x), into: base + o * n + o, leadingDimension: n)
        }
    }

    /// The symmetric block weight matrix `C`, dense `n × n`: `C_QP += W`, `C_PQ += Wᵀ` per synapse `P → Q`.
    ///
    /// Only bilinear synapses (dense and dot-product similarity) have a constant `C`; Euclidean and
    /// Manhattan similarity synapses are left out (check ``Network/isBilinear`` first).
    ///
    /// - Parameters:
    ///   - c: receives `C`, `n²` entries.
    public func couplingMatrix(into c: UnsafeMutableBufferPointer<Double>) {
        let n = dimension
        precondition(c.count == n * n, "coupling buffer has \(c.count) entries, expected \(n * n)")
        c.update(repeating: 0)
        for block in blocks {
            let nP = block.preSize
            for q in 0 ..< block.postSize {
                for p in 0 ..< nP {
                    let wqp = weights[block.weightOffset + q * nP + p]
                    c[(block.postOffset + q) * n + block.preOffset + p] += wqp
                    c[(block.preOffset + p) * n + block.postOffset + q] += wqp
                }
            }
        }
    }

    // MARK: Internals

    /// Layer `a`'s part of a flat vector.
    @inline(__always)
    func layer(_ a: Int, of x: UnsafeBufferPointer<Double>) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(rebasing: x[layerOffsets[a] ..< layerOffsets[a] + layerSizes[a]])
    }

    @inline(__always)
    func layer(_ a: Int, of x: UnsafeMutableBufferPointer<Double>) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: x[layerOffsets[a] ..< layerOffsets[a] + layerSizes[a]])
    }

    @inline(__always)
    func layer(_ a: Int, of x: UnsafeMutableBufferPointer<Double>) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(rebasing: x[layerOffsets[a] ..< layerOffsets[a] + layerSizes[a]])
    }

    @inline(__always)
    func checkLength(_ x: UnsafeBufferPointer<Double>, _ what: String) {
        precondition(x.count == dimension, "\(what) has \(x.count) entries, expected \(dimension)")
    }

    @inline(__always)
    func checkLength(_ x: UnsafeMutableBufferPointer<Double>, _ what: String) {
        precondition(x.count == dimension, "\(what) has \(x.count) entries, expected \(dimension)")
    }

    /// Writes `g(x)` into `activationWork`; returns `Σ_A L_A(x_A)` when `wantValues` (else 0).
    func computeActivations(_ x: UnsafeBufferPointer<Double>, wantValues: Bool) -> Double {
        var total = 0.0
        for a in lagrangians.indices {
            let g = layer(a, of: activationWork) as UnsafeMutableBufferPointer<Double>
            if wantValues {
                total += lagrangians[a].valueAndActivation(layer(a, of: x), into: g)
            } else {
                lagrangians[a].activation(layer(a, of: x), into: g)
            }
        }
        return total
    }

    /// `inputWork = C · activationWork`, plus the inputs of the similarity synapses.
    func computeCoupledInput() {
        inputWork.update(repeating: 0)
        addCoupling(of: activationWork, to: inputWork)
        if !similarityBlocks.isEmpty { _ = addSimilarityInputs() }
    }

    /// `y += C u` (`BLAS.gemv`, C `cblas_dgemv`, twice per synapse).
    func addCoupling(of u: UnsafeMutableBufferPointer<Double>, to y: UnsafeMutableBufferPointer<Double>) {
        guard let ub = u.baseAddress, let yb = y.baseAddress, let w = weights.baseAddress else { return }
        for block in blocks {
            let wb = w + block.weightOffset
            BLAS.gemv(
                rows: block.postSize, columns: block.preSize, wb, ub + block.preOffset, beta: 1,
                yb + block.postOffset)
            BLAS.gemv(
                transpose: true, rows: block.postSize, columns: block.preSize, wb, ub + block.postOffset,
                beta: 1, yb + block.preOffset)
        }
    }

    /// `−Σ_A τ_A ẋ_Aᵀ H_A ẋ_A` from `inputWork = C g(x)`.
    func rateFromCoupledInput(_ x: UnsafeBufferPointer<Double>) -> Double {
        var rate = 0.0
        for a in lagrangians.indices {
            let tau = layerTaus[a]
            let o = layerOffsets[a]
            for i in o ..< o + layerSizes[a] { velocityWork[i] = (bias[i] - x[i] + inputWork[i]) / tau }
            lagrangians[a].hessianVectorProduct(
                at: layer(a, of: x), layer(a, of: velocityWork), into: layer(a, of: productWork))
            var quadratic = 0.0
            for i in o ..< o + layerSizes[a] { quadratic += velocityWork[i] * productWork[i] }
            rate -= tau * quadratic
        }
        return rate
    }
}
