import Foundation
import Datasets
import TestSupport
import Testing
@testable import Retrieval

@Suite struct CapacityExperimentTests {
    /// 30 random 4 × 4 "images" with pixels in [0, 1].
    func smallImages() throws -> ImageSet {
        let rows = randomRows(30, 16, in: 0 ... 1, seed: 71)
        return try ImageSet(count: 30, rows: 4, columns: 4, pixels: rows.flatMap { $0 }, labels: Array(repeating: 0, count: 30))
    }

    @Test func defaultThresholdIsSixtyForMNISTSizedImages() throws {
        let images = try ImageSet(count: 5, rows: 28, columns: 28, pixels: Array(repeating: 0.5, count: 5 * 784), labels: [0, 1, 2, 3, 4])
        let e = try CapacityExperiment(images: images, sizes: [1], blocks: 5)
        #expect(e.errorThreshold == 60)
        #expect(try CapacityExperiment(images: smallImages(), sizes: [2], blocks: 1).errorThreshold == 60 * 784 / 16)
    }

    @Test func blocksAreDisjointPrefixes() throws {
        let e = try CapacityExperiment(images: smallImages(), sizes: [2, 5], blocks: 3)
        #expect(e.blockSize == 5)
        #expect(e.memoryRange(block: 0, size: 2) == 0 ..< 2)
        #expect(e.memoryRange(block: 2, size: 5) == 10 ..< 15)
    }

    @Test func tooFewImagesThrows() throws {
        #expect(throws: RetrievalError.self) { try CapacityExperiment(images: smallImages(), sizes: [10], blocks: 4) }
        #expect(throws: RetrievalError.self) { try CapacityExperiment(images: smallImages(), sizes: [], blocks: 1) }
        #expect(throws: RetrievalError.self) { try CapacityExperiment(images: smallImages(), sizes: [0], blocks: 1) }
    }

    @Test(arguments: [Corruption.halfMask, .gaussianNoise(sigma: 0.4), .randomPixelMask(probability: 0.5)])
    func fractionsMatchAHandRolledProtocol(corruption: Corruption) throws {
        let images = try smallImages()
        let threshold = 0.8
        let e = try CapacityExperiment(
            images: images, corruption: corruption, sizes: [2, 5], blocks: 3, seed: 9, errorThreshold: threshold)
        for (similarity, separation) in [(Similarity.euclidean, Separation.max), (.dot, .softmax(beta: 2)), (.manhattan, .max)] {
            let results = try e.run(similarity: similarity, separation: separation)
            #expect(results.map(\.memoryCount) == [2, 5])
            for result in results {
                var fractions: [Double] = []
                for block in 0 ..< 3 {
                    let indices = Array(block * 5 ..< block * 5 + result.memoryCount)
                    let memories = indices.map { images.image($0) }
                    var correct = 0
                    for i in indices {
                        var q = images.image(i)
                        try corruption.apply(to: &q, rows: 4, columns: 4, seed: Corruption.imageSeed(9, index: i))
                        let z = Naive.retrieve(memories: memories, query: q, similarity: similarity, separation: separation)
                        let error = zip(images.image(i), z).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
                        if error <= threshold { correct += 1 }
                    }
                    fractions.append(Double(correct) / Double(result.memoryCount))
                }
                #expect(result.fractions == fractions, "\(similarity) \(separation) K=\(result.memoryCount)")
                let mean = fractions.reduce(0, +) / 3
                #expect(isApproximatelyEqual(result.mean, mean, relativeTolerance: 1e-14))
                let std = (fractions.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
                #expect(isApproximatelyEqual(result.standardDeviation, std, relativeTolerance: 1e-12, absoluteTolerance: 1e-15))
            }
        }
    }

    @Test func queryCapLimitsTheQueries() throws {
        let e = try CapacityExperiment(images: smallImages(), sizes: [5], blocks: 2, maxQueries: 3)
        let results = try e.run(similarity: .euclidean, separation: .max)
        #expect(results[0].queriesPerBlock == 3)
        #expect(results[0].fractions.allSatisfy { ($0 * 3).rounded() == $0 * 3 })
    }

    @Test(.enabled(if: FashionMNIST.isAvailable(split: .test)))
    func fashionMNISTFirstTenHalfMasked() throws {
        // The first ten test images hold three trousers (labels 9 2 1 1 6 1 4 6 5 7): with the bottom
        // half masked, Euclidean + max retrieves 8 of 10 (measured), the dot product 5 of 10.
        let images = try FashionMNIST.load(split: .test, limit: 10)
        let e = try CapacityExperiment(images: images, corruption: .halfMask, sizes: [10], blocks: 1)
        let euclidean = try e.run(similarity: .euclidean, separation: .max)[0]
        let dot = try e.run(similarity: .dot, separation: .max)[0]
        #expect(euclidean.mean >= 0.8)
        #expect(euclidean.mean >= dot.mean)
    }

    @Test(.enabled(if: FashionMNIST.isAvailable(split: .test)))
    func fashionMNISTDistancesBeatTheDotProduct() throws {
        let images = try FashionMNIST.load(split: .test, limit: 500)
        // Gaussian noise: Euclidean + max is nearly perfect at K = 100, the dot product is not.
        let noisy = try CapacityExperiment(
            images: images, corruption: .gaussianNoise(sigma: 0.2), sizes: [100], blocks: 1, seed: 1)
        let noise = try noisy.run([(.euclidean, .max), (.dot, .max)])
        #expect(noise[0].mean >= 0.95)
        #expect(noise[0].mean > noise[1].mean)
        // Half masking over 5 blocks (the paper's headline): Euclidean and Manhattan ahead of dot.
        let masked = try CapacityExperiment(images: images, corruption: .halfMask, sizes: [100], blocks: 5)
        let results = try masked.run([(.euclidean, .max), (.manhattan, .max), (.dot, .max)])
        #expect(results[0].mean > results[2].mean)
        #expect(results[1].mean > results[2].mean)
    }

    @Test func correctnessCriterionMatchesHandComputation() {
        let x = [Double](repeating: 0, count: 784)
        var z = x
        for j in 0 ..< 60 { z[j] = 1 }  // Σ (x − z)² = 60: exactly on the bound, correct
        #expect(CapacityExperiment.isCorrect(original: x[...], retrieved: z[...], threshold: 60))
        z[60] = 0.1  // 60.01 > 60
        #expect(!CapacityExperiment.isCorrect(original: x[...], retrieved: z[...], threshold: 60))
    }
}
