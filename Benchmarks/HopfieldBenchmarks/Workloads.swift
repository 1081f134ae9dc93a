import Datasets
import Foundation
import Hopfield

extension SplitMix64 {
    /// Uniform in [−1, 1): seeded benchmark data.
    mutating func symmetric() -> Double { Double(next() >> 11) * 0x1p-52 - 1 }
}

/// A two-layer Krotov–Hopfield network (identity v of N units, softmax h of K units, τ_h = 0.1) with
/// memories uniform in [−1, 1] (or the first K Fashion-MNIST images mapped to [−1, 1] when `fashion`
/// and the data set is installed), and B queries: memory b mod K with its second half set to 0.
func workload(n: Int, k: Int, b: Int, beta: Double, fashion: Bool = false) -> (network: Network, states: [[Double]]) {
    var memories: [Double]
    if fashion, n == 784, let set = try? FashionMNIST.load(split: .train, limit: k), set.count == k {
        memories = set.pixels.map { 2 * $0 - 1 }
    } else {
        var rng = SplitMix64(seed: UInt64(n * 1_000_003 + k))
        memories = (0 ..< k * n).map { _ in rng.symmetric() }
    }
    let network = try! Network.modernHopfield(
        memories: memories, beta: beta, tauMemories: 0.1, featureShape: [n], featureName: "v", memoryName: "h")
    let states = (0 ..< b).map { q in
        let m = q % k
        var x = Array(memories[m * n ..< (m + 1) * n])
        for i in n / 2 ..< n { x[i] = 0 }
        return x + [Double](repeating: 0, count: k)
    }
    return (network, states)
}
