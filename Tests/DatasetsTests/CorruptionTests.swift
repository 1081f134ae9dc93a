import Hopfield
import TestSupport
import Testing
@testable import Datasets

@Suite struct CorruptionTests {
    let ones = [Double](repeating: 1, count: 28 * 28)

    func corrupted(_ c: Corruption, _ x: [Double], seed: UInt64 = 0, rows: Int = 28, columns: Int = 28) throws -> [Double] {
        var y = x
        try c.apply(to: &y, rows: rows, columns: columns, seed: seed)
        return y
    }

    @Test func halfMaskZerosTheBottomFourteenRowsWithoutRandomness() throws {
        let a = try corrupted(.halfMask, ones, seed: 1)
        let b = try corrupted(.halfMask, ones, seed: 999)
        #expect(a == b)
        #expect(!Corruption.halfMask.isRandom)
        for r in 0 ..< 28 {
            let row = a[r * 28 ..< (r + 1) * 28]
            #expect(row.allSatisfy { $0 == (r < 14 ? 1 : 0) }, "row \(r)")
        }
        #expect(a.filter { $0 == 0 }.count == 392)
    }

    @Test func maskFractionFollowsTheAuthorsRowArithmetic() throws {
        // int(H · (1 − f)): 28 · 0.75 = 21, 28 · 0.7 = 19.6 → 19, f = 0 masks nothing, f = 1 masks all.
        #expect(Corruption.maskFraction(0.25).firstMaskedRow(rows: 28) == 21)
        #expect(Corruption.maskFraction(0.3).firstMaskedRow(rows: 28) == 19)
        #expect(Corruption.maskFraction(0).firstMaskedRow(rows: 28) == 28)
        #expect(Corruption.maskFraction(1).firstMaskedRow(rows: 28) == 0)
        #expect(try corrupted(.maskFraction(0.3), ones).filter { $0 == 0 }.count == 9 * 28)
        #expect(try corrupted(.maskFraction(0.5), ones) == corrupted(.halfMask, ones))
    }

    @Test func gaussianNoiseIsSeededAndClamped() throws {
        let x = (0 ..< 784).map { Double($0 % 7) / 6 }
        let a = try corrupted(.gaussianNoise(sigma: 0.3), x, seed: 5)
        #expect(try corrupted(.gaussianNoise(sigma: 0.3), x, seed: 5) == a)
        #expect(try corrupted(.gaussianNoise(sigma: 0.3), x, seed: 6) != a)
        #expect(a.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(a.contains(0) && a.contains(1))
        #expect(try corrupted(.gaussianNoise(sigma: 0), x) == x)
        // Pixels that were not clamped moved by σ·n: their RMS change is below σ (the tails were
        // clamped away) but of the order of σ.
        var sum = 0.0
        var n = 0
        for j in x.indices where a[j] > 0 && a[j] < 1 {
            sum += (a[j] - x[j]) * (a[j] - x[j])
            n += 1
        }
        let rms = (sum / Double(n)).squareRoot()
        #expect(n > 300)
        #expect(rms > 0.15 && rms < 0.3)
    }

    @Test func gaussianGeneratorHasUnitVariance() {
        var g = SplitMix64(seed: 42)
        let n = 20000
        let samples = (0 ..< n).map { _ in g.nextGaussian() }
        let mean = samples.reduce(0, +) / Double(n)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
    }

    @Test func randomPixelMaskRemovesAboutTheRequestedFraction() throws {
        let x = [Double](repeating: 1, count: 10000)
        let y = try corrupted(.randomPixelMask(probability: 0.3), x, seed: 3, rows: 100, columns: 100)
        let fraction = Double(y.filter { $0 == 0 }.count) / 10000
        #expect(abs(fraction - 0.3) < 0.02)
        #expect(y.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(try corrupted(.randomPixelMask(probability: 0), x, rows: 100, columns: 100) == x)
    }

    @Test func wrongImageSizeThrows() {
        var x = [1.0, 2, 3]
        #expect(throws: DatasetError.self) { try Corruption.halfMask.apply(to: &x, rows: 2, columns: 2, seed: 0) }
    }
}

@Suite struct PerturbationTests {
    @Test func maskAndNoiseMatchTheirDefinitions() {
        var x: [Double] = [1, 2, 3, 4, 5]
        Perturbation.maskSecondHalf(&x)
        #expect(x == [1, 2, 0, 0, 0])
        var y: [Double] = [0.5, -0.5, 2]
        var rng = SplitMix64(seed: 3)
        Perturbation.addGaussianNoise(&y, sigma: 0.1, generator: &rng)
        var reference = SplitMix64(seed: 3)
        let expected = [0.5, -0.5, 2].map { $0 + 0.1 * reference.nextGaussian() }
        #expect(y == expected)
        #expect(rng.state == reference.state)
    }

    @Test func signedPixelsMapTheUnitIntervalToPlusMinusOne() throws {
        let set = try ImageSet(count: 1, rows: 1, columns: 3, pixels: [0, 0.25, 1], labels: [0])
        #expect(set.signedPixels() == [-1, -0.5, 1])
    }
}
