import Foundation
import LinearAlgebra

/// The batched kernels of a log-sum-exp memory (docs/math.md §8), block by block of memories.
///
/// Each block `r` of memories contributes the partials of docs/math.md §9 — `m_r = max βs_μ`,
/// `S_r = Σ e^{βs_μ − m_r}`, `V_r = Σ e^{βs_μ − m_r} ξ_μ` — and blocks combine by rescaling with
/// `e^{m_r − m}` (the same reductions that join blocks held by different processes). A batch costs one
/// GEMM `X Ξ_rᵀ` and one GEMM `P Ξ_r` per block; euclidean scores use
/// `βs = β(ξ·x − ½‖ξ‖² − ½‖x‖²)`. Then
///
///     E = −β⁻¹(m + log S),    ∇E = c x − V/S,    ∇²E v = c v − β(W/S − (V/S)(z/S))
///
/// with `z = Σ e (ξ·v)` and `W = Σ e (ξ·v) ξ` (the same partials for the Hessian–vector product).
///
/// With a ``PartialReduction`` (memories split over processes) this process's blocks give its partials,
/// and ``join(rows:gradient:hessianVector:)`` combines the processes': one MAXIMUM of the `B` maxima,
/// then one SUM of `[S, z, V, W]` rescaled by `e^{m_r − m}`, packed contiguously in `pack`.
final class LogSumExpWorkspace: EnergyTermWorkspace {
    let n: Int
    let offset: Int
    let size: Int
    let beta: Double
    let euclidean: Bool
    let count: Int
    let memories: [Double]
    let halfNorms: [Double]
    let blockRows: Int
    let capacity: Int
    // Workspaces.
    var scores: [Double]      // [capacity, blockRows]: scores, then weights e
    var products: [Double]    // [capacity, blockRows]: ξ·v, then e (ξ·v)
    var maxima: [Double]      // [capacity]: m
    var sums: [Double]        // [capacity]: S
    var directions: [Double]  // [capacity]: z
    var weighted: [Double]    // [capacity, size]: V
    var second: [Double]      // [capacity, size]: W
    var scaled: [Double]      // [blockRows, size]: e_μ ξ_μ rows (dense Hessian)
    var outer: [Double]       // [size, size]: Σ e ξ ξᵀ (dense Hessian)
    let reduction: (any PartialReduction)?
    var factors: [Double]     // [capacity]: the global maxima m (distributed)
    var pack: [Double]        // [capacity (2 + 2 size)]: S, z, V, W for the SUM (distributed)
    var hessianPack: [Double] // [1 + size + size²]: S, V, Σ e ξ ξᵀ (distributed dense Hessian)

    init(
        n: Int, offset: Int, size: Int, term: LogSumExpTerm, capacity: Int,
        reduction: (any PartialReduction)? = nil
    ) {
        self.n = n
        self.offset = offset
        self.size = size
        self.beta = term.beta
        self.euclidean = term.similarity == .euclidean
        self.count = term.memories.count / size
        self.memories = term.memories
        self.halfNorms = (0 ..< count).map { mu in
            var s = 0.0
            for j in 0 ..< size { s += term.memories[mu * size + j] * term.memories[mu * size + j] }
            return 0.5 * s
        }
        self.blockRows = max(1, min(count, 1024))
        self.capacity = capacity
        scores = [Double](repeating: 0, count: capacity * blockRows)
        products = [Double](repeating: 0, count: capacity * blockRows)
        maxima = [Double](repeating: 0, count: capacity)
        sums = [Double](repeating: 0, count: capacity)
        directions = [Double](repeating: 0, count: capacity)
        weighted = [Double](repeating: 0, count: capacity * size)
        second = [Double](repeating: 0, count: capacity * size)
        scaled = []
        outer = []
        self.reduction = reduction
        factors = [Double](repeating: 0, count: reduction == nil ? 0 : capacity)
        pack = [Double](repeating: 0, count: reduction == nil ? 0 : capacity * (2 + 2 * size))
        hessianPack = []
    }


    /// Joins the partials of every process (distributed models; nothing otherwise): `maxima` becomes
    /// the global `m`, and `sums`, `directions`, `weighted`, `second` the global sums at that scale.
    private func join(rows: Int, gradient: Bool, hessianVector: Bool) {
        guard let reduction, rows > 0 else { return }
        let d = size
        factors.withUnsafeMutableBufferPointer { m in
        pack.withUnsafeMutableBufferPointer { p in
        maxima.withUnsafeMutableBufferPointer { local in
        sums.withUnsafeMutableBufferPointer { s in
        directions.withUnsafeMutableBufferPointer { z in
        weighted.withUnsafeMutableBufferPointer { vw in
        second.withUnsafeMutableBufferPointer { w2 in
            joinBlocks(
                rows: rows, width: d, over: reduction, maxima: local, factors: m, pack: p, first: s,
                second: hessianVector ? z : nil, firstVector: gradient ? vw : nil, secondVector: hessianVector ? w2 : nil)
        }}}}}}}
    }

    /// Runs the partials over every block of memories for `rows` states: on return `maxima`, `sums`,
    /// `weighted` (V) hold the combined partials and, when `v` is given, `directions` (z) and `second` (W).
    private func accumulate(_ x: UnsafePointer<Double>, _ v: UnsafePointer<Double>?, rows: Int, needV: Bool) {
        let d = size, kb = blockRows, ldx = n
        memories.withUnsafeBufferPointer { xiBuffer in
        halfNorms.withUnsafeBufferPointer { hn in
        scores.withUnsafeMutableBufferPointer { sc in
        products.withUnsafeMutableBufferPointer { pr in
        maxima.withUnsafeMutableBufferPointer { m in
        sums.withUnsafeMutableBufferPointer { s in
        directions.withUnsafeMutableBufferPointer { z in
        weighted.withUnsafeMutableBufferPointer { vw in
        second.withUnsafeMutableBufferPointer { w2 in
            let xi = xiBuffer.baseAddress  // nil only for an empty block (no memories on this process)
            for r in 0 ..< rows {
                m[r] = -Double.infinity
                s[r] = 0
                z[r] = 0
            }
            if needV { for k in 0 ..< rows * d { vw[k] = 0 } }
            if v != nil { for k in 0 ..< rows * d { w2[k] = 0 } }
            var start = 0
            while start < count {
                let rowsInBlock = min(kb, count - start)
                let block = xi! + start * d
                BLAS.gemm(
                    transposeB: true, m: rows, n: rowsInBlock, k: d, x + offset, lda: ldx, block, ldb: d,
                    sc.baseAddress!, ldc: kb)
                if let v {
                    BLAS.gemm(
                        transposeB: true, m: rows, n: rowsInBlock, k: d, v + offset, lda: ldx, block, ldb: d,
                        pr.baseAddress!, ldc: kb)
                }
                for r in 0 ..< rows {
                    let row = sc.baseAddress! + r * kb
                    var halfSquare = 0.0
                    if euclidean {
                        let xr = x + r * ldx + offset
                        for j in 0 ..< d { halfSquare += xr[j] * xr[j] }
                        halfSquare *= 0.5
                    }
                    var blockMax = -Double.infinity
                    for k in 0 ..< rowsInBlock {
                        let score = euclidean ? beta * (row[k] - hn[start + k] - halfSquare) : beta * row[k]
                        row[k] = score
                        blockMax = Swift.max(blockMax, score)
                    }
                    if blockMax > m[r] {
                        let rescale = Foundation.exp(m[r] - blockMax)  // 0 for the first block
                        s[r] *= rescale
                        z[r] *= rescale
                        if needV { for j in 0 ..< d { vw[r * d + j] *= rescale } }
                        if v != nil { for j in 0 ..< d { w2[r * d + j] *= rescale } }
                        m[r] = blockMax
                    }
                    var blockSum = 0.0
                    var blockDirection = 0.0
                    let products = pr.baseAddress! + r * kb
                    for k in 0 ..< rowsInBlock {
                        let e = Foundation.exp(row[k] - m[r])
                        row[k] = e
                        blockSum += e
                        if v != nil {
                            blockDirection += e * products[k]
                            products[k] *= e
                        }
                    }
                    s[r] += blockSum
                    z[r] += blockDirection
                }
                if needV {
                    BLAS.gemm(
                        m: rows, n: d, k: rowsInBlock, sc.baseAddress!, lda: kb, block, ldb: d, beta: 1,
                        vw.baseAddress!, ldc: d)
                }
                if v != nil {
                    BLAS.gemm(
                        m: rows, n: d, k: rowsInBlock, pr.baseAddress!, lda: kb, block, ldb: d, beta: 1,
                        w2.baseAddress!, ldc: d)
                }
                start += rowsInBlock
            }
        }}}}}}}}}
        join(rows: rows, gradient: needV, hessianVector: v != nil)
    }

    func add(
        _ x: UnsafePointer<Double>, rows: Int, energies: UnsafeMutablePointer<Double>?,
        gradients: UnsafeMutablePointer<Double>?
    ) {
        accumulate(x, nil, rows: rows, needV: gradients != nil)
        let d = size
        for r in 0 ..< rows {
            if let energies { energies[r] += -(maxima[r] + Foundation.log(sums[r])) / beta }
            if let gradients {
                let g = gradients + r * n + offset
                let xr = x + r * n + offset
                let inverse = 1 / sums[r]
                for j in 0 ..< d {
                    g[j] += (euclidean ? xr[j] : 0) - weighted[r * d + j] * inverse
                }
            }
        }
    }

    func addHessianVectorProduct(
        _ x: UnsafePointer<Double>, _ v: UnsafePointer<Double>, rows: Int, into hv: UnsafeMutablePointer<Double>
    ) {
        accumulate(x, v, rows: rows, needV: true)
        let d = size
        for r in 0 ..< rows {
            let h = hv + r * n + offset
            let vr = v + r * n + offset
            let inverse = 1 / sums[r]
            let zBar = directions[r] * inverse
            for j in 0 ..< d {
                let pBar = weighted[r * d + j] * inverse
                h[j] += (euclidean ? vr[j] : 0) - beta * (second[r * d + j] * inverse - pBar * zBar)
            }
        }
    }

    func addHessian(_ x: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>) {
        let d = size, kb = blockRows
        if outer.isEmpty {
            // Allocated on first use only: the dense Hessian is an analysis-time operation.
            outer = [Double](repeating: 0, count: d * d)
            scaled = [Double](repeating: 0, count: kb * d)
        }
        var m = -Double.infinity
        var s = 0.0
        for k in 0 ..< d * d { outer[k] = 0 }
        for k in 0 ..< d { weighted[k] = 0 }
        var halfSquare = 0.0
        if euclidean {
            for j in 0 ..< d { halfSquare += x[offset + j] * x[offset + j] }
            halfSquare *= 0.5
        }
        memories.withUnsafeBufferPointer { xiBuffer in
        scores.withUnsafeMutableBufferPointer { sc in
        scaled.withUnsafeMutableBufferPointer { z in
        outer.withUnsafeMutableBufferPointer { o in
        weighted.withUnsafeMutableBufferPointer { vw in
            let xi = xiBuffer.baseAddress
            var start = 0
            while start < count {
                let rowsInBlock = min(kb, count - start)
                let block = xi! + start * d
                BLAS.gemv(rows: rowsInBlock, columns: d, block, x + offset, sc.baseAddress!)
                var blockMax = -Double.infinity
                for k in 0 ..< rowsInBlock {
                    let score = euclidean ? beta * (sc[k] - halfNorms[start + k] - halfSquare) : beta * sc[k]
                    sc[k] = score
                    blockMax = Swift.max(blockMax, score)
                }
                if blockMax > m {
                    let rescale = Foundation.exp(m - blockMax)
                    s *= rescale
                    for k in 0 ..< d * d { o[k] *= rescale }
                    for j in 0 ..< d { vw[j] *= rescale }
                    m = blockMax
                }
                for k in 0 ..< rowsInBlock {
                    let e = Foundation.exp(sc[k] - m)
                    s += e
                    for j in 0 ..< d {
                        z[k * d + j] = e * block[k * d + j]
                        vw[j] += z[k * d + j]
                    }
                }
                BLAS.gemm(
                    transposeA: true, m: d, n: d, k: rowsInBlock, block, lda: d, z.baseAddress!, ldb: d, beta: 1,
                    o.baseAddress!, ldc: d)
                start += rowsInBlock
            }
        }}}}}
        if let reduction {
            // One MAXIMUM of m, then one SUM of [S, V, Σ e ξ ξᵀ] rescaled by e^{m_r − m}.
            if hessianPack.isEmpty { hessianPack = [Double](repeating: 0, count: 1 + d + d * d) }
            hessianPack.withUnsafeMutableBufferPointer { p in
                p[0] = m
                reduction.maximum(UnsafeMutableBufferPointer(rebasing: p[0 ..< 1]))
                let f = blockRescale(m, p[0])
                p[0] = s * f
                for j in 0 ..< d { p[1 + j] = weighted[j] * f }
                for k in 0 ..< d * d { p[1 + d + k] = outer[k] * f }
                reduction.sum(p)
                s = p[0]
                for j in 0 ..< d { weighted[j] = p[1 + j] }
                for k in 0 ..< d * d { outer[k] = p[1 + d + k] }
            }
        }
        let c = euclidean ? 1.0 : 0.0
        for j in 0 ..< d {
            let pj = weighted[j] / s
            for i in 0 ..< d {
                let pi = weighted[i] / s
                let value = (i == j ? c : 0) - beta * (outer[i * d + j] / s - pi * pj)
                hessian[(offset + i) + (offset + j) * n] += value
            }
        }
    }
}
