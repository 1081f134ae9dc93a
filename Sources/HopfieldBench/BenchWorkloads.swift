import Datasets
import Foundation
import Hopfield

/// The networks and queries of the benchmark tasks (the same constructions as Benchmarks/peers/tasks.py).
public enum BenchWorkloads {
    /// A two-layer Krotov–Hopfield network (``Network/modernHopfield(memories:beta:tauFeatures:tauMemories:featureShape:similarity:featureName:memoryName:)``):
    /// identity feature layer "v" (τ 1) of `shape`, softmax memory layer "h" (`β`, `τ_h`), one dense
    /// synapse v → h whose weights are the memories `[K, N]`.
    static func network(memories: [Double], shape: [Int], beta: Double, tauH: Double) throws(BenchError) -> Network {
        do {
            return try .modernHopfield(
                memories: memories, beta: beta, tauMemories: tauH, featureShape: shape, featureName: "v", memoryName: "h")
        } catch {
            throw .failed("benchmark network: \(error.description)")
        }
    }

    /// T1: K = 50 random ±1 memories of N = 64 units (8 × 8), β = 2, τ_h = 0.1; the query is memory 0
    /// with 16 seeded units flipped in sign.
    ///
    /// - Returns: The network and the query's flat initial state (memory layer at 0).
    /// - Throws: ``BenchError`` (never, unless the construction is broken).
    public static func t1() throws(BenchError) -> (network: Network, query: [Double]) {
        var rng = SplitMix64(seed: 20_240_601)
        let n = 64, k = 50
        let memories = (0 ..< k * n).map { _ in rng.next() & 1 == 0 ? -1.0 : 1.0 }
        var query = Array(memories[0 ..< n])
        var units = Array(0 ..< n)
        for i in 0 ..< 16 {
            let j = i + Int(rng.next() % UInt64(n - i))
            units.swapAt(i, j)
            query[units[i]] = -query[units[i]]
        }
        let network = try network(memories: memories, shape: [8, 8], beta: 2, tauH: 0.1)
        return (network, query + [Double](repeating: 0, count: k))
    }

    /// The first `count` Fashion-MNIST training images mapped to [−1, 1], `[count, 784]`; seeded smooth random
    /// images of the same size (`GeneratedImages.waves(count:rows:columns:seed:)`, seed 7) when the data
    /// set is not installed (then `real` is false).
    ///
    /// - Parameter count: The number of images.
    /// - Returns: The pixels and whether they are Fashion-MNIST's.
    public static func fashionImages(_ count: Int) -> (pixels: [Double], real: Bool) {
        if FashionMNIST.isAvailable(split: .train), let set = try? FashionMNIST.load(split: .train, limit: count),
            set.count == count, set.dimension == 784
        {
            return (set.signedPixels(), true)
        }
        return (GeneratedImages.waves(count: count, rows: 28, columns: 28, seed: 7), false)
    }

    /// T2/T3: K memories (images 0 ..< K), B queries (query b = memory b mod K with rows 14…27 set to 0),
    /// β = 0.2, τ_h = 0.1.
    ///
    /// - Parameters:
    ///   - images: At least `k` images of 784 pixels, row-major.
    ///   - k: The number of memories K.
    ///   - b: The number of queries B.
    /// - Returns: The network and B flat initial states.
    /// - Throws: ``BenchError`` when there are fewer than K images.
    public static func fashion(images: [Double], memories k: Int, queries b: Int) throws(BenchError)
        -> (network: Network, queries: [[Double]])
    {
        let n = 784
        guard k >= 1, images.count >= k * n else { throw .badInput("benchmark: \(k) memories need \(k * n) pixels, got \(images.count)") }
        let network = try network(memories: Array(images[0 ..< k * n]), shape: [28, 28], beta: 0.2, tauH: 0.1)
        let queries = (0 ..< b).map { q in
            let m = q % k
            var x = Array(images[m * n ..< (m + 1) * n])
            for i in 14 * 28 ..< n { x[i] = 0 }
            return x + [Double](repeating: 0, count: k)
        }
        return (network, queries)
    }
}
