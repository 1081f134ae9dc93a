import Foundation
import Hopfield
import HopfieldIO
import Testing
import TestSupport

/// `hopfield simulate --distribute memories` under `mpirun -np 2` and `-np 3` against one process
/// (docs/distributed.md): each rank holds its block of the memories, every evaluation joins the blocks,
/// rank 0 prints and writes what one process prints for the same model read from one memories file.
@Suite("simulate --distribute memories under mpirun", .serialized)
struct ShardedMemoriesCommandTests {
    static let size = 6

    /// Memories `[k, size]`, a batch of initial states, and the shard files of the memories
    /// (`xi-0.npy` … in `folder`, row blocks of `counts` rows).
    static func writeInputs(in folder: URL, memories k: Int = 9, shards counts: [Int] = [2, 3, 1, 3]) throws {
        var rng = SplitMix64(seed: 17)
        let xi = rng.vector(k * size, -1 ... 1)
        try NPY.encode(shape: [k, size], values: xi).write(to: folder.appendingPathComponent("xi.npy"))
        var start = 0
        for (i, c) in counts.enumerated() {
            try NPY.encode(shape: [c, size], values: Array(xi[start * size ..< (start + c) * size]))
                .write(to: folder.appendingPathComponent("xi-\(i).npy"))
            start += c
        }
        precondition(start == k)
        try NPY.encode(shape: [3, size], values: rng.vector(3 * size, -0.6 ... 0.6)).write(to: folder.appendingPathComponent("init.npy"))
    }

    /// A gradient model file: a quadratic term and `terms` (JSON objects without their memories key's
    /// value, which is `memories`).
    static func writeModel(_ name: String, in folder: URL, terms: [String]) throws {
        let json = """
            {"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "size": \(size), "tau": 0.5}],
             "terms": [{"type": "quadratic", "variable": "x"}, \(terms.joined(separator: ", "))]}
            """
        try Data(json.utf8).write(to: folder.appendingPathComponent(name))
    }

    static let shardList = #"["xi-0.npy", "xi-1.npy", "xi-2.npy", "xi-3.npy"]"#
    static func lseTerms(_ memories: String) -> [String] {
        [#"{"type": "lse", "variable": "x", "similarity": "euclidean", "beta": 3, "memories": \#(memories)}"#,
         #"{"type": "lse", "variable": "x", "similarity": "dot", "beta": 0.7, "memories": \#(memories)}"#]
    }

    static func simulate(_ file: URL, _ extra: [String] = []) -> [String] {
        ["simulate", file.path, "--init", "x=\(file.deletingLastPathComponent().appendingPathComponent("init.npy").path)",
         "--until-steady", "--t-end", "50", "--json"] + extra
    }

    /// The numbers of two `simulate --json` documents agree within `rtol` relative (statuses equal).
    static func expectClose(_ a: String, _ b: String, rtol: Double = 1e-9, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let x = try #require(try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any])
        let y = try #require(try JSONSerialization.jsonObject(with: Data(b.utf8)) as? [String: Any])
        #expect(x["status"] as? [String] == y["status"] as? [String], sourceLocation: sourceLocation)
        func numbers(_ v: Any?) -> [Double] {
            if let n = v as? NSNumber { return [n.doubleValue] }
            if let a = v as? [Any] { return a.flatMap(numbers) }
            if let d = v as? [String: Any] { return d.keys.sorted().flatMap { numbers(d[$0]) } }
            return []
        }
        // (Not t_final: where a steady stop triggers is a threshold crossing, and the order of the sums
        // may move it by a step while the state and energy stay at the same fixed point.)
        for key in ["final_state", "energy_initial", "energy_final"] {
            let u = numbers(x[key]), v = numbers(y[key])
            #expect(!u.isEmpty && u.count == v.count, "\(key)", sourceLocation: sourceLocation)
            #expect(worstRatio(u, v, relative: rtol) <= 1, "\(key): \(u) vs \(v)", sourceLocation: sourceLocation)
        }
    }

    @Test("lse terms (euclidean and dot) from a shard list equal one process reading one file; --out written once", arguments: [2, 3])
    func logSumExp(processes: Int) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeInputs(in: dir)
        try Self.writeModel("one.json", in: dir, terms: Self.lseTerms(#""xi.npy""#))
        try Self.writeModel("list.json", in: dir, terms: Self.lseTerms(Self.shardList))
        let one = try CLI.run(Self.simulate(dir.appendingPathComponent("one.json"), ["--out", dir.appendingPathComponent("one").path]))
        #expect(one.status == 0, "\(one.stderr)")
        let many = try CLI.runUnderMPI(
            processes: processes,
            Self.simulate(dir.appendingPathComponent("list.json"), ["--distribute", "memories", "--out", dir.appendingPathComponent("many").path]))
        #expect(many.status == 0, "\(many.stderr)")
        try Self.expectClose(one.stdout, many.stdout)
        // Written once, by rank 0, with the same files.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix(".npy") && !$0.hasSuffix(".json") }
        #expect(names.sorted() == ["many", "one"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("many").path).sorted()
            == FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("one").path).sorted())
    }

    @Test("random features (sincos, exp; from memories and from a stored sum) split over 3 ranks equal one process")
    func randomFeatures() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeInputs(in: dir)
        // Stored sums: any non-negative T (the same in both files).
        var rng = SplitMix64(seed: 3)
        let sincosSum = (0 ..< 40).map { _ in String(rng.uniform(0 ... 0.5)) }.joined(separator: ", ")
        let expSum = (0 ..< 13).map { _ in String(rng.uniform(0 ... 0.5)) }.joined(separator: ", ")
        func terms(_ memories: String) -> [String] {
            [#"{"type": "random_features", "variable": "x", "kernel": "sincos", "beta": 2, "features": 50, "seed": 7, "memories": \#(memories)}"#,
             #"{"type": "random_features", "variable": "x", "kernel": "exp", "beta": 0.8, "features": 31, "seed": 9, "memories": \#(memories)}"#,
             #"{"type": "random_features", "variable": "x", "kernel": "sincos", "beta": 1.5, "features": 20, "seed": 4, "sum": [\#(sincosSum)]}"#,
             #"{"type": "random_features", "variable": "x", "kernel": "exp", "beta": 0.5, "features": 13, "seed": 5, "sum": [\#(expSum)]}"#]
        }
        try Self.writeModel("one.json", in: dir, terms: terms(#""xi.npy""#))
        try Self.writeModel("list.json", in: dir, terms: terms(Self.shardList))
        let one = try CLI.run(Self.simulate(dir.appendingPathComponent("one.json")))
        #expect(one.status == 0, "\(one.stderr)")
        let many = try CLI.runUnderMPI(processes: 3, Self.simulate(dir.appendingPathComponent("list.json"), ["--distribute", "memories"]))
        #expect(many.status == 0, "\(many.stderr)")
        try Self.expectClose(one.stdout, many.stdout)
        // Without mpirun the flag changes nothing.
        let plain = try CLI.run(Self.simulate(dir.appendingPathComponent("one.json"), ["--distribute", "memories"]))
        #expect(plain.stdout == one.stdout)
    }

    @Test("a sharded run never reads another rank's shard: each rank runs in a folder holding only its own shard files")
    func ownShardsOnly() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeInputs(in: dir)
        try Self.writeModel("one.json", in: dir, terms: Self.lseTerms(#""xi.npy""#))
        // 4 files over 3 ranks: rank 0 reads xi-0 and xi-1, rank 1 xi-2, rank 2 xi-3.
        for (rank, files) in [["xi-0.npy", "xi-1.npy"], ["xi-2.npy"], ["xi-3.npy"]].enumerated() {
            let folder = dir.appendingPathComponent("d\(rank)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Self.writeModel("net.json", in: folder, terms: Self.lseTerms(Self.shardList))
            for f in files { try FileManager.default.copyItem(at: dir.appendingPathComponent(f), to: folder.appendingPathComponent(f)) }
        }
        let one = try CLI.run(Self.simulate(dir.appendingPathComponent("one.json")))
        let command = (["exec", CLI.binary.path, "simulate", "net.json", "--init", "x=\(dir.appendingPathComponent("init.npy").path)",
                        "--until-steady", "--t-end", "50", "--json", "--distribute", "memories"]).joined(separator: " ")
        let many = try CLI.runShellUnderMPI(processes: 3, "cd \(dir.path)/d$OMPI_COMM_WORLD_RANK && \(command)")
        #expect(one.status == 0 && many.status == 0, "\(many.stderr)")
        try Self.expectClose(one.stdout, many.stdout)
    }

    @Test("a corrupt shard on rank 1 ends the run on every rank: one message naming the file, exit 2, no output folder")
    func corruptShard() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeInputs(in: dir, shards: [4, 5])
        let bytes = try Data(contentsOf: dir.appendingPathComponent("xi-1.npy"))
        try bytes.prefix(bytes.count - 8).write(to: dir.appendingPathComponent("xi-1.npy"))
        try Self.writeModel("list.json", in: dir, terms: Self.lseTerms(#"["xi-0.npy", "xi-1.npy"]"#))
        let many = try CLI.runUnderMPI(
            processes: 2,
            Self.simulate(dir.appendingPathComponent("list.json"), ["--distribute", "memories", "--out", dir.appendingPathComponent("out").path]))
        #expect(many.status == 2)
        #expect(many.stdout.isEmpty)
        let message = "hopfield: list.json: terms[1].memories[1]: xi-1.npy: truncated data (expected 240 bytes, got 232)"
        #expect(many.stderr.components(separatedBy: message).count == 2, "\(many.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test("energy (R = 2) and analyze (R = 3: dense Hessians joined over ranks) of a sharded model equal one process")
    func energyAndAnalyze() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeInputs(in: dir)
        try Self.writeModel("one.json", in: dir, terms: Self.lseTerms(#""xi.npy""#))
        try Self.writeModel("list.json", in: dir, terms: Self.lseTerms(Self.shardList))
        let initial = "x=\(dir.appendingPathComponent("init.npy").path)"
        /// Every number under `key`, wherever it occurs in the document, in document order.
        func numbers(_ text: String, _ key: String) throws -> [Double] {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            func all(_ v: Any) -> [Double] {
                if let n = v as? NSNumber { return [n.doubleValue] }
                if let a = v as? [Any] { return a.flatMap(all) }
                if let d = v as? [String: Any] { return d.keys.sorted().flatMap { all(d[$0]!) } }
                return []
            }
            func find(_ v: Any) -> [Double] {
                if let a = v as? [Any] { return a.flatMap(find) }
                if let d = v as? [String: Any] { return d.keys.sorted().flatMap { $0 == key ? all(d[$0]!) : find(d[$0]!) } }
                return []
            }
            return find(object)
        }
        let energyOne = try CLI.run(["energy", dir.appendingPathComponent("one.json").path, "--state", initial, "--json"])
        let energyMany = try CLI.runUnderMPI(
            processes: 2, ["energy", dir.appendingPathComponent("list.json").path, "--state", initial, "--json", "--distribute", "memories"])
        #expect(energyOne.status == 0 && energyMany.status == 0, "\(energyMany.stderr)")
        for key in ["energy", "dEdt", "speed"] {
            let (a, b) = (try numbers(energyOne.stdout, key), try numbers(energyMany.stdout, key))
            #expect(a.count == 3 && worstRatio(a, b, relative: 1e-12) <= 1, "\(key)")
        }
        let analyzeOne = try CLI.run(["analyze", dir.appendingPathComponent("one.json").path, "--init", initial, "--json"])
        let analyzeMany = try CLI.runUnderMPI(
            processes: 3, ["analyze", dir.appendingPathComponent("list.json").path, "--init", initial, "--json", "--distribute", "memories"])
        #expect(analyzeOne.status == 0 && analyzeMany.status == 0, "\(analyzeMany.stderr)")
        for key in ["hessian_eigenvalues", "energy", "final_state"] {
            let (a, b) = (try numbers(analyzeOne.stdout, key), try numbers(analyzeMany.stdout, key))
            #expect(!a.isEmpty && a.count == b.count && worstRatio(a, b, relative: 1e-9) <= 1, "\(key): \(a) vs \(b)")
        }
    }

    /// A two-layer Lagrangian network (12 identity features, 10 softmax memories with a bias array) whose
    /// weights are one file (`one.json`) or three shard files of 4, 3 and 3 rows (`split.json`).
    static func writeLagrangian(in folder: URL) throws {
        var rng = SplitMix64(seed: 41)
        let (n, k) = (12, 10)
        let weights = (0 ..< k * n).map { _ in rng.nextUniform() * 2 - 1 }
        try NPY.write(NPYArray(shape: [k, n], values: weights), to: folder.appendingPathComponent("w.npy"))
        for (s, rows) in [0 ..< 4, 4 ..< 7, 7 ..< 10].enumerated() {
            try NPY.write(NPYArray(shape: [rows.count, n], values: Array(weights[rows.lowerBound * n ..< rows.upperBound * n])),
                          to: folder.appendingPathComponent("w-\(s).npy"))
        }
        // Two queries: noisy copies of memories 2 and 8.
        let queries = [2, 8].flatMap { mu in (0 ..< n).map { j in weights[mu * n + j] + 0.3 * (rng.nextUniform() - 0.5) } }
        try NPY.write(NPYArray(shape: [2, n], values: queries), to: folder.appendingPathComponent("q.npy"))
        let bias = (0 ..< k).map { String(0.05 * Double($0 % 3)) }.joined(separator: ", ")
        for (name, weightsField) in [("one.json", #""w.npy""#), ("split.json", #"["w-0.npy", "w-1.npy", "w-2.npy"]"#)] {
            let text = """
                {"format": 1, "layers": [
                  {"name": "visible", "size": \(n), "lagrangian": {"type": "identity"}, "tau": 1},
                  {"name": "memory", "size": \(k), "lagrangian": {"type": "softmax", "beta": 3}, "tau": 0.1, "bias": [\(bias)]}],
                 "synapses": [{"type": "dense", "pre": "visible", "post": "memory", "weights": \(weightsField)}]}
                """
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
    }

    @Test("a Lagrangian network's memory layer split over ranks (NVECTOR_PARALLEL), each rank in a folder holding only its shards, equals one process: JSON within 1e-9, the same nearest patterns, --out once", arguments: [("bdf", 3), ("tsit5", 3), ("bdf", 2)])
    func lagrangianSplit(method: String, processes: Int) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeLagrangian(in: dir)
        // 3 shard files over the ranks: R = 3, one each; R = 2, w-0 and w-1 on rank 0, w-2 on rank 1.
        let owned: [[Int]] = processes == 3 ? [[0], [1], [2]] : [[0, 1], [2]]
        for rank in 0 ..< processes {
            let folder = dir.appendingPathComponent("d\(rank)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for f in ["split.json"] + owned[rank].map({ "w-\($0).npy" }) {
                try FileManager.default.copyItem(at: dir.appendingPathComponent(f), to: folder.appendingPathComponent(f))
            }
        }
        let flags = ["--init", "visible=\(dir.appendingPathComponent("q.npy").path)", "--until-steady", "--t-end", "60",
                     "--method", method] + (method == "bdf" ? ["--linear-solver", "gmres"] : [])
        let one = try CLI.run(["simulate", dir.appendingPathComponent("one.json").path, "--json"] + flags)
        let out = dir.appendingPathComponent("out").path
        let command = (["exec", CLI.binary.path, "simulate", "split.json", "--json", "--distribute", "memories", "--out", out] + flags)
            .joined(separator: " ")
        let many = try CLI.runShellUnderMPI(processes: processes, "cd \(dir.path)/d$OMPI_COMM_WORLD_RANK && \(command)")
        #expect(one.status == 0 && many.status == 0, "\(many.stderr)")
        try Self.expectClose(one.stdout, many.stdout)
        let x = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let y = try #require(try JSONSerialization.jsonObject(with: Data(many.stdout.utf8)) as? [String: Any])
        let indices = { (d: [String: Any]) in ((d["nearest_pattern"] as? [String: Any])?["visible"] as? [[String: Any]])?.map { $0["index"] as? Int } }
        #expect(indices(x) == [2, 8] && indices(y) == [2, 8])
        #expect(Array(x.keys).sorted() == Array(y.keys).sorted())
        let written = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(written == [".hopfield-output", "energy.csv", "energy.svg", "summary.json", "times.npy", "trajectory.npy"])
        let trajectory = try NPY.read(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("trajectory.npy"))
        #expect(trajectory.shape == [2, 101, 22])
    }

    @Test("--distribute memories refuses Lagrangian networks it cannot split (three layers) with one line, exit 2")
    func lagrangianRefused() throws {
        let example = ExamplesTests.example("hierarchical_three_layer")
        let many = try CLI.runUnderMPI(processes: 2, ["simulate", example.appendingPathComponent("network.json").path, "--distribute", "memories"])
        #expect(many.status == 2)
        #expect(many.stdout.isEmpty)
        #expect(many.stderr.components(separatedBy: "network.json").count == 2, "\(many.stderr)")
    }
}

extension CLI {
    /// `mpirun … -np processes sh -c script`: each rank runs `script` (which may use
    /// `$OMPI_COMM_WORLD_RANK`), with ``runUnderMPI(processes:_:in:environment:)``'s settings.
    static func runShellUnderMPI(processes: Int, _ script: String) throws -> CLIRun {
        try MPILauncher.run(processes: processes, ["/bin/sh", "-c", script])
    }
}
