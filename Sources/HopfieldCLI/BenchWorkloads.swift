import Datasets
import Foundation
import Hopfield

/// The networks and queries of the benchmark tasks (the same constructions as Benchmarks/peers/tasks.py).
enum BenchWorkloads {
    /// A two-layer Krotov–Hopfield network: identity feature layer "v" (τ 1), softmax memory layer "h"
    /// (`β`, `τ_h`), one synapse v → h whose weights are the memories `[K, N]`.
    static func network(memories: [Double], count k: Int, features n: Int, shape: [Int]? = nil, beta: Double, tauH: Double)
        throws(CLIError) -> Network
    {
        do {
            return try Network(
                layers: [
                    Layer(name: "v", shape: shape ?? [n], lagrangian: .identity, tau: 1),
                    Layer(name: "h", size: k, lagrangian: .softmax(beta: beta), tau: tauH),
                ],
                synapses: [.dense(pre: "v", post: "h", weights: memories)])
        } catch {
            throw .failed("benchmark network: \(error.description)")
        }
    }

    /// T1: K = 50 random ±1 memories of N = 64 units (8 × 8), β = 2, τ_h = 0.1; the query is memory 0
    /// with 16 seeded units flipped in sign.
    static func t1() throws(CLIError) -> (network: Network, query: [Double]) {
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
        let network = try network(memories: memories, count: k, features: n, shape: [8, 8], beta: 2, tauH: 0.1)
        return (network, query + [Double](repeating: 0, count: k))
    }

    /// The first `count` Fashion-MNIST training images mapped to [−1, 1], `[count, 784]`; seeded smooth random
    /// images of the same size when the data set is not installed (then `real` is false).
    static func fashionImages(_ count: Int) -> (pixels: [Double], real: Bool) {
        if FashionMNIST.isAvailable(split: .train), let set = try? FashionMNIST.load(split: .train, limit: count),
            set.count == count, set.dimension == 784
        {
            return (set.pixels.map { 2 * $0 - 1 }, true)
        }
        var rng = SplitMix64(seed: 7)
        var pixels: [Double] = []
        pixels.reserveCapacity(count * 784)
        for _ in 0 ..< count {
            let (a, b, c) = (rng.nextUniform() * 0.3, rng.nextUniform() * 0.3, rng.nextUniform() * 6.3)
            for r in 0 ..< 28 { for col in 0 ..< 28 { pixels.append(sin(a * Double(r) + b * Double(col) + c)) } }
        }
        return (pixels, false)
    }

    /// T2/T3: K memories (images 0 ..< K), B queries (query b = memory b mod K with rows 14…27 set to 0),
    /// β = 0.2, τ_h = 0.1.
    static func fashion(images: [Double], memories k: Int, queries b: Int) throws(CLIError)
        -> (network: Network, queries: [[Double]])
    {
        let n = 784
        let network = try network(
            memories: Array(images[0 ..< k * n]), count: k, features: n, shape: [28, 28], beta: 0.2, tauH: 0.1)
        let queries = (0 ..< b).map { q in
            let m = q % k
            var x = Array(images[m * n ..< (m + 1) * n])
            for i in 14 * 28 ..< n { x[i] = 0 }
            return x + [Double](repeating: 0, count: k)
        }
        return (network, queries)
    }
}
