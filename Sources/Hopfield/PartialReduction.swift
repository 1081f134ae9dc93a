import Foundation

/// Joins partial results that several processes hold (docs/math.md §9): the seam through which a model
/// whose memories, features or units are split over processes finishes each evaluation.
///
/// The models never talk to MPI themselves: a distributed run hands them an implementation (one over
/// the MPI communicator), a single process needs none. Every process must make the same calls, with
/// buffers of the same length, in the same order — the calls are collective. Implementations allocate
/// nothing per call and give every process the same bits.
public protocol PartialReduction: AnyObject, Sendable {
    /// This process's index, `0 ..< processCount`.
    var rank: Int { get }
    /// The number of processes that share the model.
    var processCount: Int { get }
    /// Replaces `values`, element by element, by the sum over all processes (in place).
    func sum(_ values: UnsafeMutableBufferPointer<Double>)
    /// Replaces `values`, element by element, by the maximum over all processes (in place).
    func maximum(_ values: UnsafeMutableBufferPointer<Double>)
    /// Replaces `values` on every process by those of process `root`.
    func broadcast(_ values: UnsafeMutableBufferPointer<Double>, from root: Int)
}

/// The factor `e^{m_r − m}` that brings a block's partial sums (kept at its own scale `m_r`) to the
/// global scale `m` (docs/math.md §9); 0 for a block that holds nothing (`m_r = −∞`).
@inline(__always)
func blockRescale(_ local: Double, _ global: Double) -> Double {
    local == -Double.infinity ? 0 : Foundation.exp(local - global)
}

/// The contiguous block of `count` items that part `part` of `parts` holds (`0 ≤ part < parts`): the
/// first `count mod parts` parts hold one more,
///
///     start = part ⌊count/parts⌋ + min(part, count mod parts)
///
/// — the partition of the `Distributed` target's `BlockPartition`, for the code that splits work without
/// communicating (a model's features, a network file's shards).
public func contiguousBlock(of count: Int, part: Int, parts: Int) -> Range<Int> {
    let base = count / parts, extra = count % parts
    let start = part * base + min(part, extra)
    return start ..< start + base + (part < extra ? 1 : 0)
}

/// Joins the per-state partial sums of a memory term's blocks held by several processes (docs/math.md
/// §9), in place, with one MAXIMUM (when the partials carry scales) and one SUM:
///
///     m ← max_r m_r,   a ← Σ_r e^{m_r − m} a_r   for every partial a of every state
///
/// For each of the `rows` states the partials are the scalars `first[r]` (and `second[r]`) and the
/// `width`-vectors `firstVector`, `secondVector` at row `r`; they are packed contiguously into `pack` (at
/// least `rows · (2 + 2 width)` entries) in that order, so one reduction carries them all. `maxima` are
/// the blocks' scales `m_r` (replaced by the global `m`; `factors` is its workspace, `rows` entries); nil
/// when the partials are unscaled (factor 1). Allocates nothing.
func joinBlocks(
    rows: Int, width d: Int, over reduction: any PartialReduction, maxima: UnsafeMutableBufferPointer<Double>?,
    factors: UnsafeMutableBufferPointer<Double>, pack p: UnsafeMutableBufferPointer<Double>,
    first: UnsafeMutableBufferPointer<Double>, second: UnsafeMutableBufferPointer<Double>?,
    firstVector: UnsafeMutableBufferPointer<Double>?, secondVector: UnsafeMutableBufferPointer<Double>?
) {
    if let maxima {
        for r in 0 ..< rows { factors[r] = maxima[r] }
        reduction.maximum(UnsafeMutableBufferPointer(rebasing: factors[0 ..< rows]))
    }
    var k = 0
    for r in 0 ..< rows {
        let f = maxima.map { blockRescale($0[r], factors[r]) } ?? 1
        p[k] = first[r] * f
        k += 1
        if let second {
            p[k] = second[r] * f
            k += 1
        }
        if let v = firstVector { for j in 0 ..< d { p[k + j] = v[r * d + j] * f }; k += d }
        if let v = secondVector { for j in 0 ..< d { p[k + j] = v[r * d + j] * f }; k += d }
    }
    reduction.sum(UnsafeMutableBufferPointer(rebasing: p[0 ..< k]))
    k = 0
    for r in 0 ..< rows {
        if let maxima { maxima[r] = factors[r] }
        first[r] = p[k]
        k += 1
        if let second {
            second[r] = p[k]
            k += 1
        }
        if let v = firstVector { for j in 0 ..< d { v[r * d + j] = p[k + j] }; k += d }
        if let v = secondVector { for j in 0 ..< d { v[r * d + j] = p[k + j] }; k += d }
    }
}
