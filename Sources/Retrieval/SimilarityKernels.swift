import Foundation
import LinearAlgebra

/// Batched computation of the raw `B × K` matrix: `R[b, μ] = sim(m_μ, q_b)` for dot and cosine, the
/// distance `d(m_μ, q_b)` for the distance similarities.
///
/// Dot, cosine, Euclidean, Hamming, KL and reverse KL each take one GEMM over the whole batch
/// (`‖m‖² − 2 m·q + ‖q‖²`, `|a| + |b| − 2 a·b`, `Σ m̂ log(m̂+ε) − Σ m̂ log(q̂+ε)`); Manhattan and
/// Jensen–Shannon, which do not factor, use cache-blocked loops parallel over query blocks.
enum SimilarityKernels {
    /// Queries per block and memories per tile of the blocked loops: a tile of 64 memories of
    /// dimension 784 (400 kB) stays in L2 while 8 queries stream through it.
    static let queryBlock = 8
    static let memoryTile = 64

    /// The checks of ``raw(_:memories:count:queries:batch:dimension:options:into:firstQuery:)`` that look at
    /// the data (a divergence's ε, negative entries, zero sums), in the same order, without computing
    /// anything else: a batch split over processes runs them on the whole batch first, so that it fails
    /// with the message one process gives.
    static func checkDomain(
        _ similarity: Similarity, memories m: UnsafePointer<Double>, count k: Int,
        queries q: UnsafePointer<Double>, batch b: Int, dimension d: Int, options: RetrievalOptions
    ) throws(RetrievalError) {
        switch similarity {
        case .kl, .reverseKL:
            let eps = options.divergenceEpsilon
            guard eps.isFinite, eps >= 0 else {
                throw .invalidParameter("divergence ε must be finite and ≥ 0, got \(eps)")
            }
            _ = try normalizedRows(m, rows: k, d: d, what: "memory")
            _ = try normalizedRows(q, rows: b, d: d, what: "query")
        case .jensenShannon:
            _ = try normalizedRows(m, rows: k, d: d, what: "memory")
            _ = try normalizedRows(q, rows: b, d: d, what: "query")
        default:
            break
        }
    }

    /// Fills `r` (`B × K`, row-major) with the raw similarities or distances.
    ///
    /// - Throws: ``RetrievalError/domain(_:)`` when a divergence meets a negative entry or a zero sum.
    static func raw(
        _ similarity: Similarity, memories m: UnsafePointer<Double>, count k: Int,
        queries q: UnsafePointer<Double>, batch b: Int, dimension d: Int, options: RetrievalOptions,
        into r: UnsafeMutablePointer<Double>, firstQuery: Int = 0
    ) throws(RetrievalError) {
        switch similarity {
        case .dot:
            crossProducts(q, m, b, k, d, alpha: 1, into: r)
        case .cosine:
            crossProducts(q, m, b, k, d, alpha: 1, into: r)
            let qn = rowNorms(q, rows: b, d: d, squared: false)
            let mn = rowNorms(m, rows: k, d: d, squared: false)
            for i in 0 ..< b {
                for j in 0 ..< k {
                    let denominator = qn[i] * mn[j]
                    r[i * k + j] = denominator > 0 ? r[i * k + j] / denominator : 0
                }
            }
        case .euclidean:
            crossProducts(q, m, b, k, d, alpha: -2, into: r)
            let qn = rowNorms(q, rows: b, d: d, squared: true)
            let mn = rowNorms(m, rows: k, d: d, squared: true)
            // Rounding can make ‖m‖² − 2 m·q + ‖q‖² slightly negative; a distance is ≥ 0.
            for i in 0 ..< b { for j in 0 ..< k { r[i * k + j] = max(0, r[i * k + j] + qn[i] + mn[j]) } }
        case .hamming:
            let cut = options.binarizationCut
            let qb = (0 ..< b * d).map { q[$0] >= cut ? 1.0 : 0.0 }
            let mb = (0 ..< k * d).map { m[$0] >= cut ? 1.0 : 0.0 }
            qb.withUnsafeBufferPointer { qp in
                mb.withUnsafeBufferPointer { mp in
                    crossProducts(qp.baseAddress!, mp.baseAddress!, b, k, d, alpha: -2, into: r)
                }
            }
            let qc = rowNorms(qb, rows: b, d: d, squared: true)
            let mc = rowNorms(mb, rows: k, d: d, squared: true)
            for i in 0 ..< b { for j in 0 ..< k { r[i * k + j] = (r[i * k + j] + qc[i] + mc[j]).rounded() } }
        case .manhattan:
            let (mp, qp) = (SharedConstPointer(m), SharedConstPointer(q))
            blocked(k: k, b: b, costPerPair: d, threads: options.threadCount, into: r) { mu, i in
                let (mr, qr) = (mp.base + mu * d, qp.base + i * d)
                // Four independent partial sums let the loop pipeline (a single sum is latency-bound).
                var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
                var j = 0
                while j + 4 <= d {
                    s0 += abs(mr[j] - qr[j])
                    s1 += abs(mr[j + 1] - qr[j + 1])
                    s2 += abs(mr[j + 2] - qr[j + 2])
                    s3 += abs(mr[j + 3] - qr[j + 3])
                    j += 4
                }
                while j < d {
                    s0 += abs(mr[j] - qr[j])
                    j += 1
                }
                return (s0 + s1) + (s2 + s3)
            }
        case .kl, .reverseKL:
            let eps = options.divergenceEpsilon
            guard eps.isFinite, eps >= 0 else {
                throw .invalidParameter("divergence ε must be finite and ≥ 0, got \(eps)")
            }
            let mh = try normalizedRows(m, rows: k, d: d, what: "memory")
            let qh = try normalizedRows(q, rows: b, d: d, what: "query", first: firstQuery)
            // KL(p ‖ s) = Σ p log(p+ε) − Σ p log(s+ε): the first sum per row, the second one GEMM.
            let forward = similarity == .kl
            let p = forward ? mh : qh
            let s = forward ? qh : mh
            let logS = s.map { Foundation.log($0 + eps) }
            let pRows = forward ? k : b
            var h = [Double](repeating: 0, count: pRows)
            for i in 0 ..< pRows {
                var sum = 0.0
                for j in 0 ..< d where p[i * d + j] > 0 { sum += p[i * d + j] * Foundation.log(p[i * d + j] + eps) }
                h[i] = sum
            }
            logS.withUnsafeBufferPointer { ls in
                p.withUnsafeBufferPointer { pp in
                    if forward {  // R[b, μ] = h_μ − Σ_j log(q̂_bj+ε) m̂_μj
                        crossProducts(ls.baseAddress!, pp.baseAddress!, b, k, d, alpha: -1, into: r)
                    } else {  // R[b, μ] = h_b − Σ_j q̂_bj log(m̂_μj+ε)
                        crossProducts(pp.baseAddress!, ls.baseAddress!, b, k, d, alpha: -1, into: r)
                    }
                }
            }
            for i in 0 ..< b { for j in 0 ..< k { r[i * k + j] += forward ? h[j] : h[i] } }
        case .jensenShannon:
            let mh = try normalizedRows(m, rows: k, d: d, what: "memory")
            let qh = try normalizedRows(q, rows: b, d: d, what: "query", first: firstQuery)
            // With a = p + q, JS = ½ Σ p log(2p/a) + ½ Σ q log(2q/a) = log 2 − ½ Σ_{p_j, q_j > 0} g_j,
            // g = a log a − p log p − q log q: only entries where both are positive contribute, so the
            // loop runs over the support of each query and needs one logarithm per shared entry.
            let mlog = mh.map { $0 > 0 ? $0 * Foundation.log($0) : 0 }
            let qlog = qh.map { $0 > 0 ? $0 * Foundation.log($0) : 0 }
            var supportStart = [Int](repeating: 0, count: b + 1)
            var support: [Int] = []
            for i in 0 ..< b {
                for j in 0 ..< d where qh[i * d + j] > 0 { support.append(j) }
                supportStart[i + 1] = support.count
            }
            let log2 = Foundation.log(2.0)
            withShared(mh, qh, mlog, qlog) { mp, qp, mlp, qlp in
                support.withUnsafeBufferPointer { sb in
                    supportStart.withUnsafeBufferPointer { ssb in
                        let sp = SharedConstPointer(sb.baseAddress!)
                        let ss = SharedConstPointer(ssb.baseAddress!)
                        blocked(k: k, b: b, costPerPair: d / 2 + 1, threads: options.threadCount, into: r) { mu, i in
                            let (mr, ml) = (mp.base + mu * d, mlp.base + mu * d)
                            let (qr, ql) = (qp.base + i * d, qlp.base + i * d)
                            var sum = 0.0
                            for t in ss.base[i] ..< ss.base[i + 1] {
                                let j = sp.base[t]
                                let pj = mr[j]
                                if pj > 0 {
                                    let a = pj + qr[j]
                                    sum += a * Foundation.log(a) - ml[j] - ql[j]
                                }
                            }
                            return min(log2, max(0, log2 - 0.5 * sum))
                        }
                    }
                }
            }
        }
    }

    /// Hands four arrays to `body` as pointers that may cross into concurrent loops.
    static func withShared<E: Error>(
        _ a: [Double], _ b: [Double], _ c: [Double], _ d: [Double],
        _ body: (SharedConstPointer<Double>, SharedConstPointer<Double>, SharedConstPointer<Double>,
                 SharedConstPointer<Double>) throws(E) -> Void
    ) throws(E) {
        // The arrays are non-empty (validated sizes ≥ 1) and outlive the call.
        try a.withUnsafeBufferPointer { (ap) throws(E) in
            try b.withUnsafeBufferPointer { (bp) throws(E) in
                try c.withUnsafeBufferPointer { (cp) throws(E) in
                    try d.withUnsafeBufferPointer { (dp) throws(E) in
                        try body(SharedConstPointer(ap.baseAddress!), SharedConstPointer(bp.baseAddress!),
                                 SharedConstPointer(cp.baseAddress!), SharedConstPointer(dp.baseAddress!))
                    }
                }
            }
        }
    }

    /// `R ← α Q Mᵀ` (`B × K`) with one `cblas_dgemm`.
    static func crossProducts(
        _ q: UnsafePointer<Double>, _ m: UnsafePointer<Double>, _ b: Int, _ k: Int, _ d: Int,
        alpha: Double, into r: UnsafeMutablePointer<Double>
    ) {
        BLAS.gemm(transposeB: true, m: b, n: k, k: d, alpha: alpha, q, lda: d, m, ldb: d, beta: 0, r, ldc: k)
    }

    /// The Euclidean norm (or its square) of each row.
    static func rowNorms(_ x: UnsafePointer<Double>, rows: Int, d: Int, squared: Bool) -> [Double] {
        (0 ..< rows).map { i in
            var sum = 0.0
            for j in 0 ..< d { sum += x[i * d + j] * x[i * d + j] }
            return squared ? sum : sum.squareRoot()
        }
    }

    static func rowNorms(_ x: [Double], rows: Int, d: Int, squared: Bool) -> [Double] {
        x.withUnsafeBufferPointer { rowNorms($0.baseAddress!, rows: rows, d: d, squared: squared) }
    }

    /// Rows divided by their sums; every entry must be ≥ 0 and every sum > 0.
    /// Messages number the rows from `first` (a block's first query in the whole batch).
    static func normalizedRows(_ x: UnsafePointer<Double>, rows: Int, d: Int, what: String, first: Int = 0)
        throws(RetrievalError) -> [Double]
    {
        var out = [Double](repeating: 0, count: rows * d)
        for i in 0 ..< rows {
            var sum = 0.0
            for j in 0 ..< d {
                let v = x[i * d + j]
                if v < 0 {
                    throw .domain("divergence similarities need entries ≥ 0; \(what) \(first + i) has \(v) at \(j)")
                }
                sum += v
            }
            guard sum > 0 else { throw .domain("divergence similarities need a positive sum; \(what) \(first + i) sums to 0") }
            for j in 0 ..< d { out[i * d + j] = x[i * d + j] / sum }
        }
        return out
    }

    /// `R[i, μ] = f(μ, i)` by cache-blocked loops: query blocks in parallel, memory tiles inside, so a
    /// tile of memories stays in cache while a block of queries streams through it.
    static func blocked(
        k: Int, b: Int, costPerPair: Int, threads: Int, into r: UnsafeMutablePointer<Double>,
        _ f: @escaping @Sendable (_ mu: Int, _ i: Int) -> Double
    ) {
        let rp = SharedPointer(r)
        let blocks = (b + queryBlock - 1) / queryBlock
        parallelChunks(count: blocks, threads: threads, costPerItem: queryBlock * k * costPerPair) { range in
            for block in range {
                let q0 = block * queryBlock
                let q1 = min(b, q0 + queryBlock)
                var t0 = 0
                while t0 < k {
                    let t1 = min(k, t0 + memoryTile)
                    for i in q0 ..< q1 {
                        for mu in t0 ..< t1 { rp.base[i * k + mu] = f(mu, i) }
                    }
                    t0 = t1
                }
            }
        }
    }
}
