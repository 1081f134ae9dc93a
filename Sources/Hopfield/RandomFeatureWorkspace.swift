import Foundation
import LinearAlgebra

/// The batched kernels of a random-feature memory (docs/math.md §8), block by block of features.
///
/// Write `⟨Φ(x), T⟩ = e^{−γ‖x‖²} G(x)` with `G = Σ_i g_i(u_i)`, `u = √β S x + b` (`b = 0` and
/// `γ = β` for the exponential kernels, `γ = 0` for the trigonometric ones). Then
///
///     ∇G = Sᵀ w,  w_i = √β g_i'(u_i)          ∇²G = Sᵀ diag(h) S,  h_i = β g_i''(u_i)
///     Ẽ = −β⁻¹(log G − γ‖x‖²)                ∇Ẽ = −β⁻¹(∇G/G − 2γ x)
///     ∇²Ẽ = −β⁻¹(∇²G/G − (∇G/G)(∇G/G)ᵀ − 2γ I)
///
/// and `Ẽ = −β⁻¹ log κ`, `∇Ẽ = 0`, `∇²Ẽ = 0` where `⟨Φ, T⟩ ≤ κ`. Each block of features gives the
/// partial sums `G_r`, `Σ_r w S`, `Σ_r h (S v) S` (docs/math.md §9: blocks held by different processes
/// join by one SUM reduction); for the exponential kernels the partials carry a running maximum `m` of
/// the exponents and are rescaled by `e^{m_r − m}` as they join, so no exponential overflows. A batch
/// costs one GEMM `X S_rᵀ` and one GEMM `W S_r` per block: O(Y·D) per state.
///
/// With a ``PartialReduction`` (features split over processes) this process's features give its
/// partials and ``join(rows:gradient:hessianVector:)`` combines the processes': for the exponential
/// kernels one MAXIMUM of the `B` running maxima, then one SUM of `[G, Sᵀw, Sᵀ(h ⊙ Sv)]` (rescaled by
/// `e^{m_r − m}`), packed contiguously in `pack`.
final class RandomFeatureWorkspace: EnergyTermWorkspace {
    let n: Int
    let offset: Int
    let size: Int
    let beta: Double
    let rootBeta: Double
    let kernel: RandomFeatureKernel
    let matrix: RandomFeatureMatrix
    let sum: [Double]
    let logFloor: Double
    let features: Int
    let blockRows: Int
    let capacity: Int
    /// `c` in `Φ = c · (…)`: `Y^{−½}`, `(2/Y)^{½}`, `Y^{−½}`, `(2Y)^{−½}`.
    let scale: Double
    /// `γ`: `β` for the exponential kernels, 0 for the trigonometric ones.
    let gamma: Double
    var rowsWorkspace: [Double]  // [blockRows, size]: the block of S as doubles (single precision storage)
    var u: [Double]              // [capacity, blockRows]
    var sv: [Double]             // [capacity, blockRows]: S v, then h ⊙ S v
    var maxima: [Double]         // [capacity]: m (exponential kernels)
    var values: [Double]         // [capacity]: G (scaled by e^{−m})
    var firstOrder: [Double]     // [capacity, size]: Sᵀ w (scaled)
    var secondOrder: [Double]    // [capacity, size]: Sᵀ (h ⊙ S v) (scaled)
    var scaledRows: [Double]     // [blockRows, size]: h_i S_i (dense Hessian)
    var outer: [Double]          // [size, size]: Sᵀ diag(h) S (dense Hessian)
    let reduction: (any PartialReduction)?
    var factors: [Double]        // [capacity]: the global maxima (distributed, exponential kernels)
    var pack: [Double]           // [capacity (1 + 2 size)]: G, Sᵀw, Sᵀ(h ⊙ Sv) for the SUM (distributed)
    var hessianPack: [Double]    // [1 + size + size²] (distributed dense Hessian)

    /// - Parameters:
    ///   - matrix: the projection (this process's rows when distributed).
    ///   - sum: `T` (this process's entries when distributed).
    ///   - totalFeatures: `Y` of the whole term (the feature map's scale); default `matrix.features`.
    ///   - reduction: the processes the features are split over, nil for one process.
    init(
        n: Int, offset: Int, size: Int, term: RandomFeatureTerm, matrix: RandomFeatureMatrix, sum: [Double],
        totalFeatures: Int? = nil, capacity: Int, reduction: (any PartialReduction)? = nil
    ) {
        self.n = n
        self.offset = offset
        self.size = size
        self.beta = term.beta
        self.rootBeta = term.beta.squareRoot()
        self.kernel = term.kernel
        self.matrix = matrix
        self.sum = sum
        self.logFloor = Foundation.log(term.floor)
        self.features = matrix.features
        self.blockRows = max(1, min(matrix.features, 131_072 / max(1, size)))
        self.capacity = capacity
        let y = Double(totalFeatures ?? matrix.features)
        switch term.kernel {
        case .sincos: scale = 1 / y.squareRoot(); gamma = 0
        case .cos: scale = (2 / y).squareRoot(); gamma = 0
        case .exp: scale = 1 / y.squareRoot(); gamma = term.beta
        case .expexp: scale = 1 / (2 * y).squareRoot(); gamma = term.beta
        }
        rowsWorkspace = [Double](repeating: 0, count: matrix.isSinglePrecision ? blockRows * size : 1)
        u = [Double](repeating: 0, count: capacity * blockRows)
        sv = [Double](repeating: 0, count: capacity * blockRows)
        maxima = [Double](repeating: 0, count: capacity)
        values = [Double](repeating: 0, count: capacity)
        firstOrder = [Double](repeating: 0, count: capacity * size)
        secondOrder = [Double](repeating: 0, count: capacity * size)
        scaledRows = []
        outer = []
        self.reduction = reduction
        factors = [Double](repeating: 0, count: reduction == nil ? 0 : capacity)
        pack = [Double](repeating: 0, count: reduction == nil ? 0 : capacity * (1 + 2 * size))
        hessianPack = []
    }

    var isExponential: Bool { gamma != 0 }


    /// Joins the partials of every process (distributed models; nothing otherwise): `maxima` becomes
    /// the global scale, `values`, `firstOrder`, `secondOrder` the global sums at that scale.
    private func join(rows: Int, gradient: Bool, hessianVector: Bool) {
        guard let reduction, rows > 0 else { return }
        let d = size
        let exponential = isExponential
        factors.withUnsafeMutableBufferPointer { m in
        pack.withUnsafeMutableBufferPointer { p in
        maxima.withUnsafeMutableBufferPointer { local in
        values.withUnsafeMutableBufferPointer { g in
        firstOrder.withUnsafeMutableBufferPointer { q in
        secondOrder.withUnsafeMutableBufferPointer { q2 in
            joinBlocks(
                rows: rows, width: d, over: reduction, maxima: exponential ? local : nil, factors: m, pack: p, first: g,
                second: nil, firstVector: gradient ? q : nil, secondVector: hessianVector ? q2 : nil)
        }}}}}}
    }

    /// The per-feature values at `u` (scaled by `e^{−m}` for the exponential kernels):
    /// `g`, `g'`, `g''` of feature `i`.
    @inline(__always)
    private func derivatives(_ t: UnsafePointer<Double>, _ i: Int, _ ui: Double, _ m: Double)
        -> (Double, Double, Double)
    {
        switch kernel {
        case .sincos:
            let c = Foundation.cos(ui), s = Foundation.sin(ui)
            let tc = t[i], ts = t[features + i]
            let g = scale * (c * tc + s * ts)
            return (g, scale * (c * ts - s * tc), -g)
        case .cos:
            let g = scale * Foundation.cos(ui) * t[i]
            return (g, -scale * Foundation.sin(ui) * t[i], -g)
        case .exp:
            let g = scale * Foundation.exp(ui - m) * t[i]
            return (g, g, g)
        case .expexp:
            let plus = scale * Foundation.exp(ui - m) * t[i]
            let minus = scale * Foundation.exp(-ui - m) * t[features + i]
            return (plus + minus, plus - minus, plus + minus)
        }
    }

    /// Runs the partials over every block of features for `rows` states. On return `values` holds `G`,
    /// `maxima` the scale `m` (0 for trigonometric kernels), `firstOrder` `Sᵀw` (when `gradient`), and
    /// `secondOrder` `Sᵀ(h ⊙ S v)` (when `v` is given); all scaled by `e^{−m}`.
    private func accumulate(_ x: UnsafePointer<Double>, _ v: UnsafePointer<Double>?, rows: Int, gradient: Bool) {
        let d = size, yb = blockRows, ldx = n
        let exponential = isExponential
        sum.withUnsafeBufferPointer { tBuffer in
        rowsWorkspace.withUnsafeMutableBufferPointer { workspace in
        u.withUnsafeMutableBufferPointer { uBuffer in
        sv.withUnsafeMutableBufferPointer { svBuffer in
        maxima.withUnsafeMutableBufferPointer { m in
        values.withUnsafeMutableBufferPointer { g in
        firstOrder.withUnsafeMutableBufferPointer { q in
        secondOrder.withUnsafeMutableBufferPointer { q2 in
        matrix.phases.withUnsafeBufferPointer { phases in
            let t = tBuffer.baseAddress!
            let uBase = uBuffer.baseAddress!, svBase = svBuffer.baseAddress!
            for r in 0 ..< rows {
                m[r] = exponential ? -Double.infinity : 0
                g[r] = 0
            }
            if gradient { for k in 0 ..< rows * d { q[k] = 0 } }
            if v != nil { for k in 0 ..< rows * d { q2[k] = 0 } }
            var start = 0
            while start < features {
                let count = min(yb, features - start)
                matrix.withRows(start, count, workspace: workspace.baseAddress!) { block in
                    BLAS.gemm(
                        transposeB: true, m: rows, n: count, k: d, alpha: rootBeta, x + offset, lda: ldx, block,
                        ldb: d, uBase, ldc: yb)
                    if let v {
                        BLAS.gemm(
                            transposeB: true, m: rows, n: count, k: d, v + offset, lda: ldx, block, ldb: d,
                            svBase, ldc: yb)
                    }
                    for r in 0 ..< rows {
                        let ur = uBase + r * yb
                        if exponential {
                            var blockMax = -Double.infinity
                            for k in 0 ..< count {
                                blockMax = Swift.max(blockMax, kernel == .expexp ? Swift.abs(ur[k]) : ur[k])
                            }
                            if blockMax > m[r] {
                                let rescale = Foundation.exp(m[r] - blockMax)  // 0 for the first block
                                g[r] *= rescale
                                if gradient { for j in 0 ..< d { q[r * d + j] *= rescale } }
                                if v != nil { for j in 0 ..< d { q2[r * d + j] *= rescale } }
                                m[r] = blockMax
                            }
                        } else {
                            for k in 0 ..< count { ur[k] += phases[start + k] }
                        }
                        let svr = svBase + r * yb
                        var blockValue = 0.0
                        for k in 0 ..< count {
                            let (value, first, second) = derivatives(t, start + k, ur[k], m[r])
                            blockValue += value
                            ur[k] = rootBeta * first
                            if v != nil { svr[k] *= beta * second }
                        }
                        g[r] += blockValue
                    }
                    if gradient {
                        BLAS.gemm(
                            m: rows, n: d, k: count, uBase, lda: yb, block, ldb: d, beta: 1, q.baseAddress!,
                            ldc: d)
                    }
                    if v != nil {
                        BLAS.gemm(
                            m: rows, n: d, k: count, svBase, lda: yb, block, ldb: d, beta: 1, q2.baseAddress!,
                            ldc: d)
                    }
                }
                start += count
            }
        }}}}}}}}}
        join(rows: rows, gradient: gradient, hessianVector: v != nil)
    }

    /// `log⟨Φ(x_r), T⟩` from the accumulated partials, or nil where the floor is active.
    @inline(__always)
    private func logInner(_ x: UnsafePointer<Double>, row r: Int) -> Double? {
        guard values[r] > 0 else { return nil }
        var value = maxima[r] + Foundation.log(values[r])
        if isExponential {
            let xr = x + r * n + offset
            var square = 0.0
            for j in 0 ..< size { square += xr[j] * xr[j] }
            value -= gamma * square
        }
        return value > logFloor ? value : nil
    }

    func add(
        _ x: UnsafePointer<Double>, rows: Int, energies: UnsafeMutablePointer<Double>?,
        gradients: UnsafeMutablePointer<Double>?
    ) {
        accumulate(x, nil, rows: rows, gradient: gradients != nil)
        let d = size
        for r in 0 ..< rows {
            let inner = logInner(x, row: r)
            if let energies { energies[r] += -(inner ?? logFloor) / beta }
            if let gradients, inner != nil {
                let gr = gradients + r * n + offset
                let xr = x + r * n + offset
                let inverse = 1 / values[r]
                for j in 0 ..< d { gr[j] -= (firstOrder[r * d + j] * inverse - 2 * gamma * xr[j]) / beta }
            }
        }
    }

    func addHessianVectorProduct(
        _ x: UnsafePointer<Double>, _ v: UnsafePointer<Double>, rows: Int, into hv: UnsafeMutablePointer<Double>
    ) {
        accumulate(x, v, rows: rows, gradient: true)
        let d = size
        for r in 0 ..< rows where logInner(x, row: r) != nil {
            let h = hv + r * n + offset
            let vr = v + r * n + offset
            let inverse = 1 / values[r]
            var qv = 0.0
            for j in 0 ..< d { qv += firstOrder[r * d + j] * inverse * vr[j] }
            for j in 0 ..< d {
                let qj = firstOrder[r * d + j] * inverse
                h[j] -= (secondOrder[r * d + j] * inverse - qj * qv - 2 * gamma * vr[j]) / beta
            }
        }
    }

    func addHessian(_ x: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>) {
        let d = size, yb = blockRows
        if outer.isEmpty {
            // Allocated on first use only: the dense Hessian is an analysis-time operation.
            outer = [Double](repeating: 0, count: d * d)
            scaledRows = [Double](repeating: 0, count: yb * d)
        }
        let exponential = isExponential
        var m = exponential ? -Double.infinity : 0
        var g = 0.0
        for k in 0 ..< d * d { outer[k] = 0 }
        for j in 0 ..< d { firstOrder[j] = 0 }
        sum.withUnsafeBufferPointer { tBuffer in
        rowsWorkspace.withUnsafeMutableBufferPointer { workspace in
        u.withUnsafeMutableBufferPointer { uBuffer in
        scaledRows.withUnsafeMutableBufferPointer { z in
        outer.withUnsafeMutableBufferPointer { o in
        firstOrder.withUnsafeMutableBufferPointer { q in
        matrix.phases.withUnsafeBufferPointer { phases in
            let t = tBuffer.baseAddress!
            let ur = uBuffer.baseAddress!
            var start = 0
            while start < features {
                let count = min(yb, features - start)
                matrix.withRows(start, count, workspace: workspace.baseAddress!) { block in
                    BLAS.gemv(rows: count, columns: d, alpha: rootBeta, block, x + offset, ur)
                    if exponential {
                        var blockMax = -Double.infinity
                        for k in 0 ..< count {
                            blockMax = Swift.max(blockMax, kernel == .expexp ? Swift.abs(ur[k]) : ur[k])
                        }
                        if blockMax > m {
                            let rescale = Foundation.exp(m - blockMax)
                            g *= rescale
                            for k in 0 ..< d * d { o[k] *= rescale }
                            for j in 0 ..< d { q[j] *= rescale }
                            m = blockMax
                        }
                    } else {
                        for k in 0 ..< count { ur[k] += phases[start + k] }
                    }
                    for k in 0 ..< count {
                        let (value, first, second) = derivatives(t, start + k, ur[k], m)
                        g += value
                        let w = rootBeta * first, h = beta * second
                        for j in 0 ..< d {
                            q[j] += w * block[k * d + j]
                            z[k * d + j] = h * block[k * d + j]
                        }
                    }
                    BLAS.gemm(
                        transposeA: true, m: d, n: d, k: count, block, lda: d, z.baseAddress!, ldb: d, beta: 1,
                        o.baseAddress!, ldc: d)
                }
                start += count
            }
        }}}}}}}
        if let reduction {
            // For the exponential kernels one MAXIMUM of m; then one SUM of [G, Sᵀw, Sᵀ diag(h) S].
            if hessianPack.isEmpty { hessianPack = [Double](repeating: 0, count: 1 + d + d * d) }
            hessianPack.withUnsafeMutableBufferPointer { p in
                var global = m
                if exponential {
                    p[0] = m
                    reduction.maximum(UnsafeMutableBufferPointer(rebasing: p[0 ..< 1]))
                    global = p[0]
                }
                let f = exponential ? blockRescale(m, global) : 1
                p[0] = g * f
                for j in 0 ..< d { p[1 + j] = firstOrder[j] * f }
                for k in 0 ..< d * d { p[1 + d + k] = outer[k] * f }
                reduction.sum(p)
                m = global
                g = p[0]
                for j in 0 ..< d { firstOrder[j] = p[1 + j] }
                for k in 0 ..< d * d { outer[k] = p[1 + d + k] }
            }
        }
        values[0] = g
        maxima[0] = m
        guard logInner(x, row: 0) != nil else { return }
        for j in 0 ..< d {
            let qj = firstOrder[j] / g
            for i in 0 ..< d {
                let qi = firstOrder[i] / g
                let value = -(outer[i * d + j] / g - qi * qj - (i == j ? 2 * gamma : 0)) / beta
                hessian[(offset + i) + (offset + j) * n] += value
            }
        }
    }

    /// `T = Σ_μ Φ(ξ_μ)` (docs/math.md §5): `Φ` of every row of `memories` (`[K, D]`) summed. Allocates
    /// (construction only).
    static func featureSum(
        kernel: RandomFeatureKernel, beta: Double, matrix: RandomFeatureMatrix, memories: [Double]
    ) -> [Double] {
        let d = matrix.dimension, y = matrix.features
        let count = memories.count / d
        var t = [Double](repeating: 0, count: kernel.sumLength(features: y))
        guard count > 0 else { return t }
        let rootBeta = beta.squareRoot()
        let yd = Double(y)
        let scale: Double
        switch kernel {
        case .sincos, .exp: scale = 1 / yd.squareRoot()
        case .cos: scale = (2 / yd).squareRoot()
        case .expexp: scale = 1 / (2 * yd).squareRoot()
        }
        let blockRows = max(1, min(y, 131_072 / max(1, d)))
        let chunk = min(count, 256)
        var workspace = [Double](repeating: 0, count: matrix.isSinglePrecision ? blockRows * d : 1)
        var u = [Double](repeating: 0, count: chunk * blockRows)
        let squares = (0 ..< count).map { mu in (0 ..< d).reduce(0.0) { $0 + memories[mu * d + $1] * memories[mu * d + $1] } }
        memories.withUnsafeBufferPointer { xi in
        workspace.withUnsafeMutableBufferPointer { ws in
        u.withUnsafeMutableBufferPointer { ub in
            var start = 0
            while start < y {
                let rowsInBlock = min(blockRows, y - start)
                matrix.withRows(start, rowsInBlock, workspace: ws.baseAddress!) { block in
                    var first = 0
                    while first < count {
                        let rows = min(chunk, count - first)
                        BLAS.gemm(
                            transposeB: true, m: rows, n: rowsInBlock, k: d, alpha: rootBeta,
                            xi.baseAddress! + first * d, lda: d, block, ldb: d, ub.baseAddress!, ldc: blockRows)
                        for r in 0 ..< rows {
                            let shift = beta * squares[first + r]
                            for k in 0 ..< rowsInBlock {
                                let i = start + k
                                let ui = ub[r * blockRows + k]
                                switch kernel {
                                case .sincos:
                                    let h = ui + matrix.phases[i]
                                    t[i] += scale * Foundation.cos(h)
                                    t[y + i] += scale * Foundation.sin(h)
                                case .cos:
                                    t[i] += scale * Foundation.cos(ui + matrix.phases[i])
                                case .exp:
                                    t[i] += scale * Foundation.exp(ui - shift)
                                case .expexp:
                                    t[i] += scale * Foundation.exp(ui - shift)
                                    t[y + i] += scale * Foundation.exp(-ui - shift)
                                }
                            }
                        }
                        first += rows
                    }
                }
                start += rowsInBlock
            }
        }}}
        return t
    }
}
