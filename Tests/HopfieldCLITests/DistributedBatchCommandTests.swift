import Foundation
import HopfieldIO
import TestSupport
import Testing

/// `retrieve`, `capacity` and `analyze` with a batch under `mpirun -np 2` and `-np 3` against one process
/// (docs/distributed.md): each rank works on its block (each says so under `--verbose`), rank 0 prints and
/// writes what one process would.
@Suite("Batch commands split under mpirun", .serialized)
struct DistributedBatchCommandTests {
    static let example = ExamplesTests.example("dense_associative_memory")

    /// Whether two numbers agree within `tolerance` relative (bit patterns equal covers NaN and ±∞).
    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        a.bitPattern == b.bitPattern || abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    /// JSON values equal, numbers within `tolerance` relative; the path of the first difference, or nil.
    static func difference(_ a: Any, _ b: Any, tolerance: Double, path: String = "$") -> String? {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            guard Set(x.keys) == Set(y.keys) else { return "\(path): keys \(x.keys.sorted()) vs \(y.keys.sorted())" }
            for key in x.keys.sorted() {
                if let d = difference(x[key]!, y[key]!, tolerance: tolerance, path: "\(path).\(key)") { return d }
            }
            return nil
        case let (x as [Any], y as [Any]):
            guard x.count == y.count else { return "\(path): \(x.count) vs \(y.count) elements" }
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let d = difference(u, v, tolerance: tolerance, path: "\(path)[\(i)]") { return d }
            }
            return nil
        case let (x as NSNumber, y as NSNumber):
            return close(x.doubleValue, y.doubleValue, tolerance) ? nil : "\(path): \(x) vs \(y)"
        default:
            return "\(a)" == "\(b)" ? nil : "\(path): \(a) vs \(b)"
        }
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// The `--verbose` lines of every process, `[rank: (block, size)]`, from the run's standard error.
    static func blocks(_ stderr: String, command: String, items: String) -> [Int: Range<Int>] {
        var found: [Int: Range<Int>] = [:]
        for line in stderr.split(separator: "\n") where line.hasPrefix("\(command): process ") {
            // "retrieve: process 1 of 3: queries 4..<7 (3 of 10), 1 thread"
            let words = line.split(separator: " ")
            guard words.count >= 7, let rank = Int(words[2]), words[5] == Substring(items) else { continue }
            let bounds = words[6].components(separatedBy: "..<").compactMap { Int($0) }
            guard bounds.count == 2 else { continue }
            found[rank] = bounds[0] ..< bounds[1]
        }
        return found
    }

    /// The contiguous blocks of `count` items over `processes` (the first `count mod R` hold one more).
    static func expectedBlocks(_ count: Int, _ processes: Int) -> [Int: Range<Int>] {
        var blocks: [Int: Range<Int>] = [:]
        var start = 0
        for r in 0 ..< processes {
            let n = count / processes + (r < count % processes ? 1 : 0)
            blocks[r] = start ..< start + n
            start += n
        }
        return blocks
    }

    // MARK: retrieve

    func retrieveArguments(_ similarity: String, separation: String = "softmax", output: URL) -> [String] {
        ["retrieve", "--memories", Self.example.appendingPathComponent("patterns.npy").path,
         "--queries", Self.example.appendingPathComponent("queries.npy").path, "--similarity", similarity,
         "--separation", separation, "--beta", "4", "--output", output.path, "--json"]
    }

    @Test("retrieve: the queries are split, the JSON and the outputs equal one process's within 1e-9", arguments: [2, 3])
    func retrieve(processes: Int) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (oneFile, manyFile) = (dir.appendingPathComponent("one.npy"), dir.appendingPathComponent("many.npy"))
        let one = try CLI.run(retrieveArguments("dot", output: oneFile))
        let many = try CLI.runUnderMPI(processes: processes, retrieveArguments("dot", output: manyFile) + ["--verbose"])
        #expect(one.status == 0 && many.status == 0, "\(many.stderr)")
        #expect(Self.blocks(many.stderr, command: "retrieve", items: "queries") == Self.expectedBlocks(10, processes), "\(many.stderr)")
        // The dot products are GEMMs over each block: OpenBLAS may round a block's rows differently from the
        // whole batch's (as it does for one process with another thread count), hence 1e-9, not bits.
        let a = try Self.json(one.stdout.replacingOccurrences(of: "one.npy", with: "many.npy"))
        #expect(Self.difference(a, try Self.json(many.stdout), tolerance: 1e-9) == nil)
        let (x, y) = (try NPY.read(contentsOf: oneFile), try NPY.read(contentsOf: manyFile))
        #expect(x.shape == y.shape && x.values.count == 640)
        #expect(zip(x.values, y.values).allSatisfy { Self.close($0, $1, 1e-9) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["many.npy", "one.npy"])
    }

    @Test("retrieve with Manhattan distances and max separation (no rounding that depends on the block): byte for byte")
    func retrieveBitForBit() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Manhattan distances are loops over one (memory, query) pair; max makes W one-hot, so Z = W M adds
        // one product 1·m and exact zeros whatever GEMM kernel runs: every bit is the block's own.
        let one = try CLI.run(retrieveArguments("manhattan", separation: "max", output: dir.appendingPathComponent("one.npy")))
        let many = try CLI.runUnderMPI(processes: 3, retrieveArguments("manhattan", separation: "max", output: dir.appendingPathComponent("many.npy")))
        #expect(one.status == 0 && many.status == 0, "\(many.stderr)")
        #expect(many.stdout == one.stdout.replacingOccurrences(of: "one.npy", with: "many.npy"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("many.npy")) == Data(contentsOf: dir.appendingPathComponent("one.npy")))
    }

    @Test("retrieve: a query that fails in the last block fails the run once, with one process's message and status")
    func retrieveFailure() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Positive memories and queries, but query 8 negative: only its dot products are negative, and only
        // its logarithm is undefined. Query 8 is in rank 2's block: the message must number it in the batch.
        let memories = (0 ..< 20).map { 0.1 + Double($0 % 7) / 7 }
        var queries = (0 ..< 40).map { 0.2 + Double($0 % 5) / 5 }
        for j in 32 ..< 36 { queries[j] = -1 }
        try NPY.write(NPYArray(shape: [5, 4], values: memories), to: dir.appendingPathComponent("m.npy"))
        try NPY.write(NPYArray(shape: [10, 4], values: queries), to: dir.appendingPathComponent("q.npy"))
        func arguments(_ name: String) -> [String] {
            ["retrieve", "--memories", dir.appendingPathComponent("m.npy").path, "--queries", dir.appendingPathComponent("q.npy").path,
             "--similarity", "dot", "--separation", "log", "--output", dir.appendingPathComponent(name).path]
        }
        let one = try CLI.run(arguments("one.npy"))
        let many = try CLI.runUnderMPI(processes: 3, arguments("many.npy"))
        #expect(one.status == 2 && many.status == 2)
        #expect(one.stderr.contains("for query 8"), "\(one.stderr)")
        #expect(many.stdout.isEmpty)
        #expect(many.stderr.components(separatedBy: one.stderr).count == 2, "\(many.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["m.npy", "q.npy"])
    }

    // MARK: capacity

    /// Text with every `"seconds": x` (wall-clock times, which differ between any two runs) set to 0.
    static func withoutSeconds(_ text: String) -> String {
        text.replacingOccurrences(of: #""seconds": ?[0-9.eE+-]+"#, with: #""seconds": 0"#, options: .regularExpression)
    }

    @Test("capacity --continuous: the sweep's units are split, the JSON and the --out folder equal one process's",
          .enabled(if: CapacityCommandTests.dataAvailable, "Debian's dataset-fashion-mnist is not installed"), arguments: [2, 3])
    func capacity(processes: Int) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 2 similarities × 2 separations × 2 sizes × 2 blocks: 16 single-shot and 16 continuous units.
        let arguments = ["capacity", "--continuous", "--similarities", "euclidean,dot", "--separations", "softmax,softmax:2",
                         "--sizes", "2,5", "--blocks", "2", "--json", "--quiet"]
        let one = try CLI.run(arguments + ["--out", "one"], in: dir)
        let many = try CLI.runUnderMPI(processes: processes, arguments + ["--out", "many", "--verbose"], in: dir)
        #expect(one.status == 0 && many.status == 0, "\(many.stderr)")
        // Every process ran its block of the units, once for the single-shot sweep and once in continuous time.
        #expect(many.stderr.split(separator: "\n").filter { $0.hasPrefix("capacity: process ") }.count == 2 * processes, "\(many.stderr)")
        #expect(Self.blocks(many.stderr, command: "capacity", items: "units") == Self.expectedBlocks(16, processes))
        // Each unit is one process's computation: everything but the wall-clock times is the same, byte for byte.
        #expect(Self.withoutSeconds(many.stdout) == Self.withoutSeconds(one.stdout.replacingOccurrences(of: "\"one\"", with: "\"many\"")))
        #expect(one.stdout.contains("\"seconds\""))
        for file in ["capacity.csv", "capacity.json", "capacity.svg"] {
            let a = try String(contentsOf: dir.appendingPathComponent("one/\(file)"), encoding: .utf8)
            let b = try String(contentsOf: dir.appendingPathComponent("many/\(file)"), encoding: .utf8)
            #expect(Self.withoutSeconds(b) == Self.withoutSeconds(a.replacingOccurrences(of: "\"one\"", with: "\"many\"")), "\(file)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["many", "one"])
    }

    // MARK: analyze

    /// Runs the built binary in `directory` with extra environment variables.
    static func run(_ arguments: [String], environment: [String: String], in directory: URL) throws -> CLIRun {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try runCapturing(process)
    }

    /// The files under a folder, by relative path, with their bytes.
    static func tree(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[String(url.standardizedFileURL.path.dropFirst(root.count))] = try Data(contentsOf: url)
        }
        return files
    }

    @Test("analyze: the states are split; with the same OpenBLAS threads, byte for byte one process's JSON and --out tree")
    func analyze() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let queries = try NPY.read(contentsOf: Self.example.appendingPathComponent("queries.npy"))
        try NPY.write(NPYArray(shape: [5, queries.shape[1]], values: Array(queries.values.prefix(5 * queries.shape[1]))),
                      to: dir.appendingPathComponent("q.npy"))
        func arguments(_ out: String) -> [String] {
            ["analyze", Self.example.appendingPathComponent("network.json").path, "--init", "visible=q.npy",
             "--samples", "2", "--json", "--out", out]
        }
        // One OpenBLAS thread for one process as for each rank: the analysis of a state rounds differently
        // with another thread count (one process alone does too), never with the split.
        let one = try Self.run(arguments("one"), environment: ["OPENBLAS_NUM_THREADS": "1"], in: dir)
        #expect(one.status == 0, "\(one.stderr)")
        let expected = try Self.tree(dir.appendingPathComponent("one"))
        #expect(expected["/report.json"] != nil && expected["/state_004/fixed_point.npy"] != nil, "\(expected.keys.sorted())")
        for processes in [2, 3] {
            let many = try CLI.runUnderMPI(
                processes: processes, arguments("many\(processes)") + ["--verbose"], in: dir,
                environment: ["OPENBLAS_NUM_THREADS": "1"])
            #expect(many.status == 0, "\(many.stderr)")
            #expect(Self.blocks(many.stderr, command: "analyze", items: "states") == Self.expectedBlocks(5, processes), "\(many.stderr)")
            #expect(many.stdout == one.stdout)
            #expect(try Self.tree(dir.appendingPathComponent("many\(processes)")) == expected)
        }
    }

    @Test("analyze of a gradient-flow model: the states are split over 2 ranks; byte for byte one process's JSON and --out tree")
    func analyzeGradient() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(GradientFileTests.model.utf8).write(to: dir.appendingPathComponent("g.json"))
        let states = [[0.9, 0.2, 0.1, 0.7], [0.1, 0.8, 0.9, 0.0], [0.5, 0.5, 0.5, 0.5]]
        try NPY.write(NPYArray(shape: [3, 4], values: states.flatMap { $0 }), to: dir.appendingPathComponent("x.npy"))
        func arguments(_ out: String) -> [String] { ["analyze", "g.json", "--init", "x=x.npy", "--json", "--out", out] }
        let one = try Self.run(arguments("one"), environment: ["OPENBLAS_NUM_THREADS": "1"], in: dir)
        #expect(one.status == 0, "\(one.stderr)")
        let expected = try Self.tree(dir.appendingPathComponent("one"))
        #expect(expected["/state_002/hessian_eigenvalues.npy"] != nil, "\(expected.keys.sorted())")
        let many = try CLI.runUnderMPI(
            processes: 2, arguments("many") + ["--verbose"], in: dir, environment: ["OPENBLAS_NUM_THREADS": "1"])
        #expect(many.status == 0, "\(many.stderr)")
        #expect(Self.blocks(many.stderr, command: "analyze", items: "states") == Self.expectedBlocks(3, 2), "\(many.stderr)")
        #expect(many.stdout == one.stdout)
        #expect(try Self.tree(dir.appendingPathComponent("many")) == expected)
    }
}
