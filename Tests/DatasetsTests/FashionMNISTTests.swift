import Foundation
import TestSupport
import Testing
@testable import Datasets

@Suite struct FashionMNISTTests {
    /// An IDX header (magic, then big-endian sizes) followed by a payload.
    func idx(magic: UInt32, dims: [UInt32], payload: [UInt8]) -> Data {
        var bytes: [UInt8] = []
        for value in [magic] + dims { bytes += [24, 16, 8, 0].map { UInt8((value >> UInt32($0)) & 0xFF) } }
        return Data(bytes + payload)
    }

    var twoImages: Data { idx(magic: 2051, dims: [2, 2, 3], payload: [0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6]) }
    var twoLabels: Data { idx(magic: 2049, dims: [2], payload: [7, 3]) }

    @Test func parsesHandBuiltImagesAndLabels() throws {
        let images = try IDX.parseImages(twoImages)
        #expect(images.count == 2 && images.rows == 2 && images.columns == 3)
        let expected: [Double] = [0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6].map { $0 / 255 }
        #expect(images.pixels == expected)
        #expect(images.pixels[1] == 1 && images.pixels[2] == 0.2)
        #expect(try IDX.parseLabels(twoLabels) == [7, 3])
        let set = try IDX.parseImageSet(images: twoImages, labels: twoLabels)
        #expect(set.count == 2 && set.dimension == 6)
        #expect(set.image(1) == Array(images.pixels[6 ..< 12]))
        #expect(set.labels == [7, 3])
        let first = try IDX.parseImageSet(images: twoImages, labels: twoLabels, limit: 1)
        #expect(first.count == 1 && first.pixels == Array(images.pixels[0 ..< 6]) && first.labels == [7])
        #expect(try set.subset(1 ..< 2) == IDX.parseImageSet(images: twoImages, labels: twoLabels).subset(1 ..< 2))
    }

    @Test func parsingErrors() {
        #expect(throws: IDXError.badMagic(expected: 2051, found: 2049)) { try IDX.parseImages(twoLabels) }
        #expect(throws: IDXError.badMagic(expected: 2049, found: 2051)) { try IDX.parseLabels(twoImages) }
        #expect(throws: IDXError.truncated(expectedBytes: 16, actualBytes: 2)) { try IDX.parseImages(Data([0, 0])) }
        #expect(throws: IDXError.truncated(expectedBytes: 16, actualBytes: 12)) { try IDX.parseImages(twoImages.prefix(12)) }
        #expect(throws: IDXError.truncated(expectedBytes: 28, actualBytes: 27)) { try IDX.parseImages(twoImages.prefix(27)) }
        #expect(throws: IDXError.truncated(expectedBytes: 10, actualBytes: 9)) { try IDX.parseLabels(twoLabels.prefix(9)) }
        // A corrupt header announcing 4·10⁹ × 4·10⁹ × 4·10⁹ pixels must not trap on overflow.
        let huge = idx(magic: 2051, dims: [4_000_000_000, 4_000_000_000, 4_000_000_000], payload: [])
        #expect(throws: IDXError.self) { try IDX.parseImages(huge) }
        let threeLabels = idx(magic: 2049, dims: [3], payload: [1, 2, 3])
        #expect(throws: IDXError.inconsistent("2 images but 3 labels")) {
            try IDX.parseImageSet(images: twoImages, labels: threeLabels)
        }
        let badLabel = idx(magic: 2049, dims: [2], payload: [1, 12])
        #expect(throws: IDXError.invalidLabel(index: 1, value: 12)) {
            try IDX.parseImageSet(images: twoImages, labels: badLabel)
        }
        #expect(throws: IDXError.self) { try ImageSet(count: 2, rows: 1, columns: 1, pixels: [0], labels: [0, 0]) }
    }

    @Test func missingFilesGiveAClearError() {
        let nowhere = URL(fileURLWithPath: "/nonexistent-fashion-mnist")
        #expect(!FashionMNIST.isAvailable(split: .train, directory: nowhere))
        do {
            _ = try FashionMNIST.load(split: .test, directory: nowhere)
            Issue.record("expected an error")
        } catch {
            #expect(error == .fileNotFound("/nonexistent-fashion-mnist/t10k-images-idx3-ubyte.gz"))
            #expect(error.description.contains("dataset-fashion-mnist"))
        }
    }

    @Test func loadsGzipAndPlainFilesFromADirectory() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fashion-mnist-test-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Test split: gzip-compressed by the system gzip; training split: plain files.
        let images = directory.appendingPathComponent("t10k-images-idx3-ubyte")
        let labels = directory.appendingPathComponent("t10k-labels-idx1-ubyte")
        try twoImages.write(to: images)
        try twoLabels.write(to: labels)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-f", images.path, labels.path]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        try twoImages.write(to: directory.appendingPathComponent("train-images-idx3-ubyte"))
        try twoLabels.write(to: directory.appendingPathComponent("train-labels-idx1-ubyte"))
        let expected = try IDX.parseImageSet(images: twoImages, labels: twoLabels)
        #expect(try FashionMNIST.load(split: .test, directory: directory) == expected)
        #expect(try FashionMNIST.load(split: .train, directory: directory) == expected)
        // A corrupt gzip file reports gzip's failure.
        try Data([0x1f, 0x8b, 0, 1, 2]).write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        #expect(throws: IDXError.self) { try FashionMNIST.load(split: .test, directory: directory) }
    }

    @Test(.enabled(if: FashionMNIST.isAvailable(split: .test)))
    func debianTestImages() throws {
        let set = try FashionMNIST.load(split: .test, limit: 10)
        #expect(set.count == 10 && set.rows == 28 && set.columns == 28)
        #expect(set.pixels.count == 10 * 784)
        #expect(set.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(set.labels.allSatisfy { (0 ... 9).contains($0) })
        #expect(set.labels == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])  // the published first test labels
        #expect(set.pixels.contains { $0 > 0.5 })
        for i in 0 ..< 10 { #expect(set.image(i).contains { $0 > 0 }, "image \(i) is blank") }
    }
}

@Suite struct GzipAndGeneratedImageTests {
    /// `data` compressed by the system's gzip (an independent compressor).
    func gzipped(_ data: [UInt8]) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory
            .appendingPathComponent("gzip-test-\(ProcessInfo.processInfo.processIdentifier)-\(data.count)")
        try Data(data).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c", input.path]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        try gzip.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        return [UInt8](out)
    }

    @Test func zlibDecompressesWhatGzipCompressed() throws {
        var rng = SplitMix64(seed: 5)
        // Larger than one output chunk (64 KiB), and compressible.
        let data = (0 ..< 200_000).map { i in UInt8(truncatingIfNeeded: i % 251 == 0 ? rng.next() : UInt64(i / 1000)) }
        let compressed = try gzipped(data)
        #expect(try Gzip.decompress(compressed) == data)
        // Two members one after the other decompress to the concatenation, as with gzip -dc.
        let second = try gzipped([1, 2, 3])
        #expect(try Gzip.decompress(compressed + second) == data + [1, 2, 3])
        // A truncated stream and garbage are errors (Z_BUF_ERROR = −5, Z_DATA_ERROR = −3).
        #expect(throws: GzipError.self) { try Gzip.decompress(Array(compressed.prefix(compressed.count / 2))) }
        do {
            _ = try Gzip.decompress(Array(compressed.prefix(100)))
        } catch {
            #expect(error.status == -5)
        }
        do {
            _ = try Gzip.decompress([0x1F, 0x8B, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
            Issue.record("expected an error")
        } catch {
            #expect(error.status == -3)
        }
        #expect(throws: GzipError.self) { try Gzip.decompress([]) }
    }

    @Test func generatedImagesAreSeededAndInRange() {
        let a = GeneratedImages.blobs(count: 3, side: 12, seed: 4)
        #expect(a == GeneratedImages.blobs(count: 3, side: 12, seed: 4))
        #expect(a != GeneratedImages.blobs(count: 3, side: 12, seed: 5))
        #expect(a.count == 3 && a.rows == 12 && a.columns == 12 && a.labels == [0, 0, 0])
        #expect(a.pixels.allSatisfy { $0 >= 0 && $0 <= 1 } && a.pixels.contains { $0 > 0.5 })
        let w = GeneratedImages.waves(count: 2, rows: 3, columns: 4, seed: 7)
        #expect(w.count == 24 && w.allSatisfy { abs($0) <= 1 })
        // Pixel (1, 2) of the first image from its definition sin(a r + b c + φ).
        var rng = SplitMix64(seed: 7)
        let (p, q, phi) = (rng.nextUniform() * 0.3, rng.nextUniform() * 0.3, rng.nextUniform() * 6.3)
        #expect(abs(w[1 * 4 + 2] - sin(p * 1 + q * 2 + phi)) < 1e-15)
    }
}
