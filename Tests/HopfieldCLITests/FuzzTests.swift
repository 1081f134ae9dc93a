import Foundation
import Hopfield
import HopfieldIO
import Testing
@testable import HopfieldCLI

/// Property-based fuzzing with a seeded generator of hostile inputs: mutated network files, mutated `.npy`
/// files and random command lines. The property: every input is either accepted or rejected with an error
/// (never a trap, hang or unbounded allocation), and a rejection's message is one printable line.
///
/// The test suite runs a short seeded pass (`HOPFIELD_FUZZ_ITERATIONS`, default 300 per target); the long
/// run is documented in scripts/fuzz.sh (`HOPFIELD_FUZZ_ITERATIONS=100000`).
@Suite("Fuzzing (seeded)")
struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["HOPFIELD_FUZZ_ITERATIONS"] ?? "") ?? 300
    static let seed = UInt64(ProcessInfo.processInfo.environment["HOPFIELD_FUZZ_SEED"] ?? "") ?? 14

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every file of the examples with the extension.
    static func seeds(_ ext: String) throws -> [(name: String, data: Data, folder: URL)] {
        let examples = repository.appendingPathComponent("examples")
        var out: [(String, Data, URL)] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted() {
            let dir = examples.appendingPathComponent(folder)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()) ?? [] where file.hasSuffix("." + ext) {
                out.append((file, try Data(contentsOf: dir.appendingPathComponent(file)), dir))
            }
        }
        return out
    }

    /// Numbers and tokens that break parsers and size computations.
    static let tokens = [
        "-1", "0", "-0", "1e308", "-1e308", "1e-320", "1e999", "2147483647", "2147483648", "4294967296",
        "9223372036854775807", "9223372036854775808", "18446744073709551616", "NaN", "Infinity", "null", "true",
        "\"\"", "[]", "{}", "[[]]", "[[1,2],[3]]", "\"x\"", "\"missing.npy\"", "\"../patterns.npy\"", "\"\\u0000\"",
        "\"\\ud800\"", "0.5", "100000", "[1e308, 1e308]", "{\"type\": \"softmax\", \"beta\": 1e300}",
    ]

    /// A random mutation of `data` (byte flips, insertions, deletions, duplications, token swaps, splices).
    static func mutate(_ data: Data, other: Data, rng: inout SplitMix64) -> Data {
        var bytes = [UInt8](data)
        let rounds = 1 + Int(rng.next() % 4)
        for _ in 0 ..< rounds {
            let n = bytes.count
            let at = n == 0 ? 0 : Int(rng.next() % UInt64(n))
            switch rng.next() % 8 {
            case 0 where n > 0: bytes[at] ^= UInt8(1 << (rng.next() % 8))
            case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            case 2 where n > 0:
                let length = min(n - at, 1 + Int(rng.next() % 64))
                bytes.removeSubrange(at ..< at + length)
            case 3 where n > 0:
                let length = min(n - at, 1 + Int(rng.next() % 64))
                bytes.insert(contentsOf: bytes[at ..< at + length], at: at)
            case 4, 5:
                // Replace a number (or a JSON value start) with a token.
                let token = Array(tokens[Int(rng.next() % UInt64(tokens.count))].utf8)
                var end = at
                while end < n, "0123456789.eE+-".utf8.contains(bytes[end]) { end += 1 }
                bytes.replaceSubrange(at ..< max(at, end), with: token)
            case 6 where !other.isEmpty:
                let from = Int(rng.next() % UInt64(other.count))
                let length = min(other.count - from, 1 + Int(rng.next() % 256))
                bytes.replaceSubrange(at ..< min(n, at + length), with: other[other.startIndex + from ..< other.startIndex + from + length])
            default:
                if n > 0 { bytes[at] = UInt8(truncatingIfNeeded: rng.next()) }
            }
        }
        return Data(bytes)
    }

    /// A rejection's message: one line, no control characters once made printable, bounded length.
    static func checkMessage(_ text: String) {
        let line = Message.line(text)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 }, "control character in \(line.prefix(300))")
        #expect(line.count <= 2_100)
    }

    @Test("the network-file decoder (behind the CLI's size check) accepts or rejects every mutated file")
    func networkFiles() throws {
        let seeds = try Self.seeds("json").filter { !$0.name.hasPrefix("expected") }
        try #require(!seeds.isEmpty)
        var rng = SplitMix64(seed: Self.seed)
        var accepted = 0, rejected = 0, tooLarge = 0
        for i in 0 ..< Self.iterations {
            let seed = seeds[i % seeds.count]
            let other = seeds[Int(rng.next() % UInt64(seeds.count))].data
            let data = Self.mutate(seed.data, other: other, rng: &rng)
            // The CLI refuses networks the machine cannot hold before decoding (loadNetwork).
            if let units = NetworkFileSizes.units(in: data), units > 1_000_000 { tooLarge += 1; continue }
            do {
                let network = try NetworkFile.decode(data: data, baseDirectory: seed.folder, fileName: seed.name)
                #expect(network.dimension > 0)
                accepted += 1
            } catch {
                Self.checkMessage(error.description)
                rejected += 1
            }
        }
        print("fuzz network files: \(Self.iterations) inputs, \(accepted) accepted, \(rejected) rejected, \(tooLarge) refused as too large")
        #expect(accepted + rejected + tooLarge == Self.iterations)
        #expect(rejected > 0)
    }

    @Test("the .npy reader accepts or rejects every mutated file")
    func npyFiles() throws {
        let seeds = try Self.seeds("npy")
        try #require(!seeds.isEmpty)
        var rng = SplitMix64(seed: Self.seed &+ 1)
        var accepted = 0, rejected = 0
        for i in 0 ..< Self.iterations {
            let seed = seeds[i % seeds.count]
            // Mutate mostly the header (the first 128 bytes), where the shape and dtype live.
            var data = seed.data
            let header = data.prefix(128)
            let mutated = Self.mutate(Data(header), other: seeds[Int(rng.next() % UInt64(seeds.count))].data.prefix(128), rng: &rng)
            data = rng.next() % 4 == 0 ? Self.mutate(data, other: Data(), rng: &rng) : mutated + data.dropFirst(128)
            do {
                let array = try NPY.read(data: data, source: seed.name)
                #expect(array.values.count == array.shape.reduce(1, *))
                accepted += 1
            } catch {
                Self.checkMessage(error.description)
                rejected += 1
            }
        }
        print("fuzz npy files: \(Self.iterations) inputs, \(accepted) accepted, \(rejected) rejected")
        #expect(rejected > 0)
    }

    /// Words command lines are made of.
    static let words = [
        "simulate", "analyze", "energy", "retrieve", "capacity", "demo", "dataset", "bench", "bench-task", "help",
        "net.json", "--t-end", "--saves", "--rtol", "--atol", "--method", "--linear-solver", "--max-steps",
        "--until-steady", "--dynamics", "--batch-strategy", "--init", "--out", "--json", "--force", "--samples",
        "--seed", "--alpha", "--tolerance", "--blocks", "--beta", "--threads", "--repeats", "--state", "bdf",
        "tsit5", "gmres", "dense", "auto", "a=x.npy", "=", "-", "--", "-1", "-1e308", "1e308", "nan", "inf",
        "9223372036854775807", "-9223372036854775808", "18446744073709551616", "0", "2", "1e-300", "", " ",
        "\u{0}", "\n", "--t-end=-1", "--saves=", "--out=.", String(repeating: "y", count: 300),
    ]

    @Test("option parsing (and the usage-error mapper) accepts or rejects every random command line")
    func commandLines() throws {
        var rng = SplitMix64(seed: Self.seed &+ 2)
        var accepted = 0, rejected = 0
        for _ in 0 ..< Self.iterations {
            var arguments = (0 ..< Int(rng.next() % 8)).map { _ in Self.words[Int(rng.next() % UInt64(Self.words.count))] }
            if rng.next() % 3 == 0 { arguments.insert("simulate", at: 0) }
            do {
                var copy = arguments
                _ = try HopfieldTool.parseAllowingNegativeValues(&copy)
                accepted += 1
            } catch {
                let line = HopfieldTool.oneLineMessage(for: error, arguments: arguments)
                Self.checkMessage(line)
                rejected += 1
            }
        }
        print("fuzz command lines: \(Self.iterations) inputs, \(accepted) parsed, \(rejected) rejected")
        #expect(rejected > 0)
    }
}
