import Foundation
import Hopfield

/// `R` in-process "processes" (threads) that reduce through a shared buffer: a ``PartialReduction``
/// with MPI's semantics (every member calls, blocks until all have, and gets the same result), for
/// testing distributed models without MPI. The reduction runs in rank order.
public final class ThreadGroupReduction: PartialReduction, @unchecked Sendable {
    final class Group: @unchecked Sendable {
        let size: Int
        let condition = NSCondition()
        var contributions: [[Double]]
        var result: [Double] = []
        var arrived = 0
        var generation = 0
        init(size: Int) {
            self.size = size
            contributions = Array(repeating: [], count: size)
        }
    }
    let group: Group
    public let rank: Int
    public var processCount: Int { group.size }

    init(group: Group, rank: Int) {
        self.group = group
        self.rank = rank
    }

    private func reduce(_ values: UnsafeMutableBufferPointer<Double>, _ combine: (Double, Double) -> Double) {
        let g = group
        g.condition.lock()
        g.contributions[rank] = Array(values)
        g.arrived += 1
        if g.arrived == g.size {
            var total = g.contributions[0]
            for r in 1 ..< g.size { for i in total.indices { total[i] = combine(total[i], g.contributions[r][i]) } }
            g.result = total
            g.arrived = 0
            g.generation += 1
            g.condition.broadcast()
        } else {
            let generation = g.generation
            while g.generation == generation { g.condition.wait() }
        }
        for i in values.indices { values[i] = g.result[i] }
        g.condition.unlock()
    }

    public func sum(_ values: UnsafeMutableBufferPointer<Double>) { reduce(values, +) }
    public func maximum(_ values: UnsafeMutableBufferPointer<Double>) { reduce(values) { Swift.max($0, $1) } }
    public func broadcast(_ values: UnsafeMutableBufferPointer<Double>, from root: Int) {
        var own = Array(values)
        if rank != root { for i in own.indices { own[i] = 0 } }
        own.withUnsafeMutableBufferPointer { reduce($0, +) }
        for i in values.indices { values[i] = own[i] }
    }

    /// Runs `body(rank, reduction)` on `size` threads at once and returns the results in rank order.
    public static func run<T>(_ size: Int, _ body: @escaping @Sendable (Int, ThreadGroupReduction) throws -> T) throws -> [T] {
        let group = Group(size: size)
        let lock = NSLock()
        nonisolated(unsafe) var results = [Result<T, any Error>?](repeating: nil, count: size)
        let done = DispatchSemaphore(value: 0)
        for r in 0 ..< size {
            let thread = Thread {
                let outcome = Result { try body(r, ThreadGroupReduction(group: group, rank: r)) }
                lock.lock()
                results[r] = outcome
                lock.unlock()
                done.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0 ..< size { done.wait() }
        return try results.map { try $0!.get() }
    }
}
