import Dispatch

/// A pointer that may cross into a concurrent loop; each iteration writes a disjoint part.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    init(_ base: UnsafeMutablePointer<T>) { self.base = base }
}

/// A read-only pointer that may cross into a concurrent loop.
struct SharedConstPointer<T>: @unchecked Sendable {
    let base: UnsafePointer<T>
    init(_ base: UnsafePointer<T>) { self.base = base }
}

/// Runs `body` over disjoint chunks covering `0 ..< count`, concurrently when `threads > 1` and the
/// work is large enough (`count · costPerItem ≥ 2¹⁶`); chunks never shorter than `minimumChunk`.
func parallelChunks(
    count: Int, threads: Int, costPerItem: Int, minimumChunk: Int = 1,
    _ body: @Sendable (Range<Int>) -> Void
) {
    guard count > 0 else { return }
    let serial = threads <= 1 || count <= minimumChunk || count.multipliedReportingOverflow(by: costPerItem).partialValue < 1 << 16
    if serial {
        body(0 ..< count)
        return
    }
    // A few chunks per thread balance the load without much scheduling overhead.
    let chunks = min(threads * 4, (count + minimumChunk - 1) / minimumChunk)
    let size = (count + chunks - 1) / chunks
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let start = c * size
        let end = min(count, start + size)
        if start < end { body(start ..< end) }
    }
}
