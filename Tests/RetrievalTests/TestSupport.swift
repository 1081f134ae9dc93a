import Datasets
import Foundation
@testable import Retrieval
import TestSupport

/// Reproducible test data from the library's seeded `SplitMix64`.
extension SplitMix64 {
}

/// `rows × columns` uniform values in `range`, as rows.
func randomRows(_ rows: Int, _ columns: Int, in range: ClosedRange<Double>, seed: UInt64) -> [[Double]] {
    var g = SplitMix64(seed: seed)
    return (0 ..< rows).map { _ in (0 ..< columns).map { _ in g.uniform(range) } }
}

/// Plain-loop reference implementation of the Universal Hopfield Network, one pair at a time.
enum Naive {
    static let eps = 1e-4

    static func distance(_ sim: Similarity, _ m: [Double], _ q: [Double], cut: Double = 0.5) -> Double {
        switch sim {
        case .euclidean:
            var s = 0.0
            for j in m.indices { s += (m[j] - q[j]) * (m[j] - q[j]) }
            return s
        case .manhattan:
            var s = 0.0
            for j in m.indices { s += abs(m[j] - q[j]) }
            return s
        case .hamming:
            var n = 0
            for j in m.indices where (m[j] >= cut) != (q[j] >= cut) { n += 1 }
            return Double(n)
        case .kl, .reverseKL:
            let sm = m.reduce(0, +)
            let sq = q.reduce(0, +)
            let (p, r) = sim == .kl ? (m.map { $0 / sm }, q.map { $0 / sq }) : (q.map { $0 / sq }, m.map { $0 / sm })
            var s = 0.0
            for j in p.indices { s += p[j] * (log(p[j] + eps) - log(r[j] + eps)) }
            return s
        case .jensenShannon:
            let sm = m.reduce(0, +)
            let sq = q.reduce(0, +)
            let p = m.map { $0 / sm }
            let r = q.map { $0 / sq }
            var s = 0.0
            for j in p.indices {
                let a = (p[j] + r[j]) / 2
                if p[j] > 0 { s += 0.5 * p[j] * log(p[j] / a) }
                if r[j] > 0 { s += 0.5 * r[j] * log(r[j] / a) }
            }
            return s
        case .dot, .cosine:
            fatalError("not a distance")
        }
    }

    static func score(_ sim: Similarity, _ m: [Double], _ q: [Double], convention: DistanceConvention) -> Double {
        switch sim {
        case .dot:
            return zip(m, q).map(*).reduce(0, +)
        case .cosine:
            let dot = zip(m, q).map(*).reduce(0, +)
            return dot / (sqrt(m.map { $0 * $0 }.reduce(0, +)) * sqrt(q.map { $0 * $0 }.reduce(0, +)))
        default:
            let d = distance(sim, m, q)
            return convention == .negative ? -d : 1 / max(d, 1e-12)
        }
    }

    static func separate(_ sep: Separation, _ s: [Double], distances: [Double]) -> [Double] {
        switch sep {
        case .identity: return s
        case .power(let p): return s.map { pow($0, p) }
        case .sqrt: return s.map { $0.squareRoot() }
        case .log: return s.map { log($0) }
        case .softmax(let beta):
            let top = s.map { beta * $0 }.max()!
            let e = s.map { exp(beta * $0 - top) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        case .max:
            let top = s.max()!
            let i = s.firstIndex(of: top)!
            return s.indices.map { $0 == i ? 1 : 0 }
        case .threshold(let r):
            return distances.map { $0 <= r ? 1 : 0 }
        }
    }

    static func isThreshold(_ s: Separation) -> Bool {
        if case .threshold = s { return true }
        return false
    }

    /// `z = P · sep(sim(M, q))` for one query; `projection` as rows of P (`d_out × K`), nil = Mᵀ.
    static func retrieve(
        memories: [[Double]], projection: [[Double]]? = nil, query q: [Double], similarity: Similarity,
        separation: Separation, convention: DistanceConvention = .negative, normalize: Bool = false
    ) -> [Double] {
        var s = memories.map { score(similarity, $0, q, convention: convention) }
        let dists = similarity.isDistance ? memories.map { distance(similarity, $0, q) } : s
        if normalize, !isThreshold(separation) {
            let total = s.reduce(0, +)
            s = s.map { $0 / total }
        }
        var w = separate(separation, s, distances: dists)
        if normalize {
            let total = w.reduce(0, +)
            if total != 0 { w = w.map { $0 / total } }
        }
        if let projection {
            return projection.map { row in zip(row, w).map(*).reduce(0, +) }
        }
        let d = memories[0].count
        return (0 ..< d).map { j in memories.indices.map { memories[$0][j] * w[$0] }.reduce(0, +) }
    }
}
