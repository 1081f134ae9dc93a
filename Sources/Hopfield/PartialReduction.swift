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
