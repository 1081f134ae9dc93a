import ArgumentParser
import Datasets
import Foundation
import Hopfield
import HopfieldIO

/// Exports Fashion-MNIST images as .npy files, prepared as stored patterns or corrupted queries.
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Write Fashion-MNIST images (Debian's dataset-fashion-mnist) as a .npy file [rows, 784].",
        discussion: """
            Takes the first COUNT images of a split and prepares them: `unit` keeps pixels in [0, 1], `signed` maps \
            them to [−1, 1], `centred` subtracts the mean of the COUNT images and scales each to RMS 1 (as the \
            demo stores them). `--select` then keeps some of those rows (e.g. the queries), `--mask bottom-half` \
            sets the bottom half of each to 0 and `--noise σ` adds Gaussian noise (seeded).

            Example: hopfield dataset --count 100 --select 3,15 --mask bottom-half --output queries.npy
            """)

    enum Scale: String, ExpressibleByArgument { case unit, signed, centred }
    enum Mask: String, ExpressibleByArgument { case none, bottomHalf = "bottom-half" }

    @Option(help: "train or test. Default train: the images a network stores (as the demo does); capacity defaults to test, its held-out benchmark images.") var split: String = "train"
    @Option(help: "How many images, from the first.") var count: Int = 100
    @Option(help: "unit ([0, 1]), signed ([−1, 1]) or centred (mean removed, RMS 1).") var scale: Scale = .centred
    @Option(help: "Comma-separated row indices to keep (default: all).") var select: String?
    @Option(help: "none or bottom-half (set to 0).") var mask: Mask = .none
    @Option(help: "Standard deviation of added Gaussian noise.") var noise: Double = 0
    @Option(help: "Seed of the noise.") var seed: UInt64 = 1
    @Option(help: "The .npy file to write.") var output: String

    func run() throws {
        guard let split = FashionMNIST.Split(rawValue: split) else { throw CLIError.badInput("--split \(split): expected train or test") }
        guard count > 0 else { throw CLIError.badInput("--count must be > 0, got \(count)") }
        guard noise.isFinite, noise >= 0 else { throw CLIError.badInput("--noise must be ≥ 0, got \(noise)") }
        let images: ImageSet
        do { images = try FashionMNIST.load(split: split, limit: count) } catch {
            throw CLIError.badInput("Fashion-MNIST: \(error) (install Debian's dataset-fashion-mnist)")
        }
        guard images.count == count else {
            throw CLIError.badInput("--count \(count): the \(split.rawValue) split has only \(images.count) images")
        }
        let n = images.dimension
        let values: [Double] =
            switch scale {
            case .unit: images.pixels
            case .signed: images.signedPixels()
            case .centred: images.centredAndScaled()
            }
        var rows = Array(0 ..< count)
        if let select {
            rows = []
            for part in select.split(separator: ",") {
                guard let i = Int(part.trimmingCharacters(in: .whitespaces)), (0 ..< count).contains(i) else {
                    throw CLIError.badInput("--select \(select): '\(part)' is not an index in 0..<\(count)")
                }
                rows.append(i)
            }
        }
        var rng = SplitMix64(seed: seed)
        var out: [Double] = []
        out.reserveCapacity(rows.count * n)
        for r in rows {
            var v = Array(values[r * n ..< (r + 1) * n])
            if mask == .bottomHalf { Perturbation.maskSecondHalf(&v) }
            if noise > 0 { Perturbation.addGaussianNoise(&v, sigma: noise, generator: &rng) }
            out += v
        }
        guard ProcessRole.reports else { return }  // under mpirun only rank 0 writes
        do { try NPY.write(NPYArray(shape: [rows.count, n], values: out), to: URL(fileURLWithPath: output)) } catch {
            throw CLIError.badInput("--output \(output): \(error)")
        }
        FileHandle.standardError.write(Data("wrote \(output): [\(rows.count), \(n)] (\(scale.rawValue), mask \(mask.rawValue), noise \(noise))\n".utf8))
    }
}
