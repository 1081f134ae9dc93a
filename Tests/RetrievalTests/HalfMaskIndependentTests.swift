import Foundation
import Datasets
import Retrieval
import TestSupport
import Testing

/// An independent, loop-only implementation of the paper's half-mask capacity criterion (docs/math.md §4):
/// memories are the first K images of block r (blocks of `blockSize` images), each query is its memory
/// with rows 14…27 set to 0, `z = Σ_μ w_μ m_μ` with `w = max` (one-hot, first on ties) or
/// `softmax_β(−d)`, and a retrieval is correct iff `Σ_j (x_j − z_j)² ≤ 60`.
enum HalfMaskReference {
    static func distance(_ kind: String, _ m: ArraySlice<Double>, _ q: [Double]) -> Double {
        var d = 0.0
        for (a, b) in zip(m, q) {
            switch kind {
            case "euclidean": d += (a - b) * (a - b)
            case "manhattan": d += abs(a - b)
            default: d -= a * b  // dot: the "distance" −m·q
            }
        }
        return d
    }

    /// The fraction correct in one block.
    static func fraction(
        images: ImageSet, block: Int, blockSize: Int, k: Int, kind: String, softmaxBeta: Double?
    ) -> Double {
        let d = images.dimension
        let first = block * blockSize
        var correct = 0
        for i in 0 ..< k {
            var query = images.image(first + i)
            for j in (images.rows / 2) * images.columns ..< d { query[j] = 0 }
            let distances = (0 ..< k).map { mu in distance(kind, images.pixels[(first + mu) * d ..< (first + mu + 1) * d], query) }
            var w = [Double](repeating: 0, count: k)
            if let beta = softmaxBeta {
                let top = distances.min()!
                let e = distances.map { exp(-beta * ($0 - top)) }
                let total = e.reduce(0, +)
                w = e.map { $0 / total }
            } else {
                var best = 0
                for mu in 1 ..< k where distances[mu] < distances[best] { best = mu }
                w[best] = 1
            }
            var error = 0.0
            for j in 0 ..< d {
                var z = 0.0
                for mu in 0 ..< k { z += w[mu] * images.pixels[(first + mu) * d + j] }
                let x = images.pixels[(first + i) * d + j]
                error += (x - z) * (x - z)
            }
            if error <= 60 { correct += 1 }
        }
        return Double(correct) / Double(k)
    }
}

@Suite("Half-mask capacity against an independent implementation")
struct HalfMaskIndependentTests {
    @Test("half-mask queries carry no randomness: the same for every seed, the bottom 14 rows zero")
    func halfMaskIsDeterministic() throws {
        let pixels = (0 ..< 3 * 784).map { Double(($0 * 37) % 101) / 100 }
        let images = try ImageSet(count: 3, rows: 28, columns: 28, pixels: pixels, labels: [0, 1, 2])
        let a = try CapacityExperiment(images: images, corruption: .halfMask, sizes: [3], blocks: 1, seed: 0)
        let b = try CapacityExperiment(images: images, corruption: .halfMask, sizes: [3], blocks: 1, seed: 987_654_321)
        for i in 0 ..< 3 {
            let q = a.query(image: i)
            #expect(q == b.query(image: i))
            #expect(Array(q[0 ..< 392]) == Array(pixels[i * 784 ..< i * 784 + 392]))
            #expect(q[392 ..< 784].allSatisfy { $0 == 0 })
        }
    }

    @Test("Fashion-MNIST, K = 2, 5, 10, 20, 3 blocks: every block's fraction equals the loop-only reference",
          .enabled(if: FashionMNIST.isAvailable(split: .test), "Debian's dataset-fashion-mnist is not installed"))
    func fashionMNIST() throws {
        let sizes = [2, 5, 10, 20]
        let images = try FashionMNIST.load(split: .test, limit: 3 * 20)
        let experiment = try CapacityExperiment(images: images, corruption: .halfMask, sizes: sizes, blocks: 3)
        let pairs: [(Similarity, Separation, String, Double?)] = [
            (.euclidean, .max, "euclidean", nil), (.manhattan, .max, "manhattan", nil), (.dot, .max, "dot", nil),
            (.euclidean, .softmax(beta: 0.05), "euclidean", 0.05),
        ]
        let results = try experiment.run(pairs.map { ($0.0, $0.1) })
        for (p, pair) in pairs.enumerated() {
            for (s, k) in sizes.enumerated() {
                let result = results[p * sizes.count + s]
                #expect(result.memoryCount == k)
                let expected = (0 ..< 3).map {
                    HalfMaskReference.fraction(images: images, block: $0, blockSize: 20, k: k, kind: pair.2, softmaxBeta: pair.3)
                }
                #expect(result.fractions == expected, "\(pair.0) \(pair.1) K=\(k)")
            }
        }
    }
}
