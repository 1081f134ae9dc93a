import Foundation
import Hopfield
import HopfieldIO
import TestSupport
import Testing

/// Shard lists in network files and reading one process's block (docs/network-file.md, "Shard lists").
@Suite("Network files: shard lists and shard selections")
final class ShardListTests {
    let dir: URL
    let xi: [Double]  // [7, 4]
    static let k = 7, d = 4

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 12)
        xi = rng.vector(Self.k * Self.d, -1 ... 1)
        try write("xi.npy", shape: [Self.k, Self.d], xi)
        // Shards of 2, 0, 3 and 2 rows (an empty shard is a valid block).
        var start = 0
        for (i, rows) in [2, 0, 3, 2].enumerated() {
            try write("xi-\(i).npy", shape: [rows, Self.d], Array(xi[start * Self.d ..< (start + rows) * Self.d]))
            start += rows
        }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, shape: [Int], _ values: [Double]) throws {
        try NPY.encode(shape: shape, values: values).write(to: dir.appendingPathComponent(name))
    }

    /// A gradient model file with a quadratic term and one memory term of type `type` whose memories are `memories`.
    func writeModel(_ memories: String, type: String = "lse") throws -> URL {
        let extra = type == "lse" ? #""beta": 2"# : #""beta": 1, "features": 9, "seed": 3, "kernel": "expexp""#
        let json = """
            {"format": 2, "dynamics": "gradient", "variables": [{"name": "x", "size": \(Self.d)}],
             "terms": [{"type": "quadratic", "variable": "x"}, {"type": "\(type)", "variable": "x", \(extra), "memories": \(memories)}]}
            """
        let url = dir.appendingPathComponent("net.json")
        try Data(json.utf8).write(to: url)
        return url
    }

    static let list = #"["xi-0.npy", "xi-1.npy", "xi-2.npy", "xi-3.npy"]"#

    func memories(_ model: GradientModel) -> [Double] {
        guard case .lse(let t) = model.terms[1] else { return [] }
        return t.memories
    }

    @Test("without a selection a shard list reads every file, concatenated in order (lse, random features, dense weights)")
    func concatenation() throws {
        guard case .gradient(let one) = try NetworkFile.loadModel(contentsOf: writeModel(#""xi.npy""#)),
              case .gradient(let listed) = try NetworkFile.loadModel(contentsOf: writeModel(Self.list))
        else { Issue.record("not gradient models"); return }
        #expect(memories(listed) == xi && memories(one) == xi)
        guard case .gradient(let rfOne) = try NetworkFile.loadModel(contentsOf: writeModel(#""xi.npy""#, type: "random_features")),
              case .gradient(let rfListed) = try NetworkFile.loadModel(contentsOf: writeModel(Self.list, type: "random_features"))
        else { Issue.record("not gradient models"); return }
        #expect(rfListed.featureSum(ofTerm: 1)! == rfOne.featureSum(ofTerm: 1)!)
        // Dense weights [post, pre] = [7, 4] as row blocks of the post layer.
        func network(_ weights: String) throws -> Network {
            let json = """
                {"format": 1, "layers": [{"name": "v", "size": 4, "lagrangian": {"type": "identity"}},
                 {"name": "h", "size": 7, "lagrangian": {"type": "softmax", "beta": 2}}],
                 "synapses": [{"type": "dense", "pre": "v", "post": "h", "weights": \(weights)}]}
                """
            return try NetworkFile.decode(data: Data(json.utf8), baseDirectory: dir, fileName: "lag.json")
        }
        #expect(try network(Self.list).synapses == network(#""xi.npy""#).synapses)
    }

    @Test("with a selection process r reads only its block of the files; fewer files than processes is an error naming the field")
    func listBlocks() throws {
        let url = try writeModel(Self.list)
        // 4 files over 3 processes: files {0, 1}, {2}, {3}.
        let expected = [Array(xi[0 ..< 2 * Self.d]), Array(xi[2 * Self.d ..< 5 * Self.d]), Array(xi[5 * Self.d ..< 7 * Self.d])]
        for rank in 0 ..< 3 {
            let model = try NetworkFile.loadGradientShard(contentsOf: url, selection: ShardSelection(rank: rank, count: 3))
            #expect(memories(model) == expected[rank])
        }
        // No process reads another's file: with xi-2 and xi-3 gone, process 0 of 2 still reads its own.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("xi-3.npy"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("xi-2.npy"))
        #expect(memories(try NetworkFile.loadGradientShard(contentsOf: url, selection: ShardSelection(rank: 0, count: 2))) == Array(xi[0 ..< 2 * Self.d]))
        #expect {
            try NetworkFile.loadGradientShard(contentsOf: url, selection: ShardSelection(rank: 1, count: 2))
        } throws: { "\($0)" == "net.json: terms[1].memories[2]: xi-2.npy: cannot read file (No such file or directory)" }
        // Two files for three processes.
        let two = try writeModel(#"["xi-0.npy", "xi-1.npy"]"#)
        #expect {
            try NetworkFile.loadGradientShard(contentsOf: two, selection: ShardSelection(rank: 2, count: 3))
        } throws: { "\($0)" == "net.json: terms[1].memories: 2 shard files for 3 processes; list at least one per process" }
    }

    @Test("a shard with the wrong number of columns is named by its index in the list")
    func wrongColumns() throws {
        try write("xi-2.npy", shape: [3, 5], [Double](repeating: 0.5, count: 15))
        #expect {
            try NetworkFile.loadModel(contentsOf: writeModel(Self.list))
        } throws: { "\($0)" == "net.json: terms[1].memories[2]: xi-2.npy: expected an array of shape [K, 4], got an array of shape [3, 5]" }
        // A list mixing names and numbers.
        #expect {
            try NetworkFile.loadModel(contentsOf: writeModel(#"["xi-0.npy", 3]"#))
        } throws: { "\($0)" == "net.json: terms[1].memories[1]: expected the name of a .npy file like the entries before, got a number" }
    }

    @Test("a single file under a selection: process r reads its block of rows, for every r of R = 1…4 (7 rows)")
    func singleFileBlocks() throws {
        let url = try writeModel(#""xi.npy""#)
        for count in 1 ... 4 {
            var joined: [Double] = []
            for rank in 0 ..< count {
                let model = try NetworkFile.loadGradientShard(contentsOf: url, selection: ShardSelection(rank: rank, count: count))
                let block = ShardSelection(rank: rank, count: count).block(of: Self.k)
                #expect(memories(model) == Array(xi[block.lowerBound * Self.d ..< block.upperBound * Self.d]))
                #expect(block.count == Self.k / count || block.count == Self.k / count + 1)
                joined += memories(model)
            }
            #expect(joined == xi)
        }
        // Inline memories are split the same way.
        let inline = try writeModel("[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]")
        #expect(memories(try NetworkFile.loadGradientShard(contentsOf: inline, selection: ShardSelection(rank: 1, count: 2))) == [9, 10, 11, 12])
    }

    @Test("NPY.readRows reads exactly the block (float64 and float32), checks the file against its header, refuses Fortran order")
    func rowReader() throws {
        let url = dir.appendingPathComponent("xi.npy")
        for start in 0 ... Self.k {
            for end in start ... Self.k {
                let block = try NPY.readRows(contentsOf: url, rows: start ..< end)
                #expect(block.shape == [end - start, Self.d])
                #expect(block.values == Array(xi[start * Self.d ..< end * Self.d]))
            }
        }
        let header = try NPY.readHeader(contentsOf: url)
        #expect(header.shape == [7, 4] && header.itemSize == 8 && header.dataStart == 128 && header.rowLength == 4)
        // float32.
        let floats: [Float] = (0 ..< 12).map { Float($0) / 4 }
        try handMadeNPY(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", data: f4Bytes(floats))
            .write(to: dir.appendingPathComponent("f4.npy"))
        #expect(try NPY.readRows(contentsOf: dir.appendingPathComponent("f4.npy"), rows: 1 ..< 3).values == floats[4...].map(Double.init))
        // A truncated file: the header claims more rows than the file holds (even when the block is present).
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 8).write(to: dir.appendingPathComponent("short.npy"))
        #expect {
            try NPY.readRows(contentsOf: dir.appendingPathComponent("short.npy"), rows: 0 ..< 1)
        } throws: { "\($0)" == "short.npy: truncated data (expected 224 bytes, got 216)" }
        #expect(throws: NPYError.self) { try NPY.readRows(contentsOf: url, rows: 5 ..< 8) }
        try handMadeNPY(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", data: f8Bytes([1, 2, 3, 4]))
            .write(to: dir.appendingPathComponent("fortran.npy"))
        #expect {
            try NPY.readRows(contentsOf: dir.appendingPathComponent("fortran.npy"), rows: 0 ..< 1)
        } throws: { "\($0)".hasPrefix("fortran.npy: Fortran-order arrays are not supported") }
        // The same through a network file, with the JSON path.
        #expect {
            try NetworkFile.loadGradientShard(contentsOf: writeModel(#""short.npy""#), selection: ShardSelection(rank: 0, count: 2))
        } throws: { "\($0)" == "net.json: terms[1].memories: short.npy: truncated data (expected 224 bytes, got 216)" }
    }

    /// A two-layer network v(4) → h(7) whose dense weights are `weights`, with a bias file for h.
    func writeLagrangian(_ weights: String) throws -> URL {
        try write("hb.npy", shape: [Self.k], (0 ..< Self.k).map { Double($0) / 10 })
        let json = """
            {"format": 2, "layers": [{"name": "v", "size": 4, "lagrangian": {"type": "identity"}},
             {"name": "h", "size": 7, "lagrangian": {"type": "softmax", "beta": 2}, "bias": "hb.npy", "tau": 0.2}],
             "synapses": [{"type": "dense", "pre": "v", "post": "h", "weights": \(weights)}]}
            """
        let url = dir.appendingPathComponent("lag.json")
        try Data(json.utf8).write(to: url)
        return url
    }

    @Test("Lagrangian files in two passes: row counts from this process's headers, then its rows with the exchanged offset")
    func lagrangianTwoPasses() throws {
        for weights in [Self.list, #""xi.npy""#] {
            let url = try writeLagrangian(weights)
            let whole = try NetworkFile.load(contentsOf: url)
            for count in 1 ... 4 {
                let plans = try (0 ..< count).map { try NetworkFile.shardPlan(contentsOf: url, selection: ShardSelection(rank: $0, count: count)) }
                #expect(plans.allSatisfy { $0.path == "synapses[0].weights" && $0.synapse == 0 })
                #expect(plans.map(\.localRows).reduce(0, +) == Self.k)
                var joined: [Double] = []
                for rank in 0 ..< count {
                    let (offset, total) = ShardPlan.extent(localRows: plans.map(\.localRows), rank: rank)
                    if let known = plans[rank].known { #expect(known.offset == offset && known.total == total) }
                    let file = try NetworkFile.loadShardedLagrangian(
                        contentsOf: url, selection: ShardSelection(rank: rank, count: count), rowOffset: offset, totalRows: total)
                    #expect(file.layers == whole.layers)
                    #expect(file.pre == "v" && file.post == "h" && file.splitLayer == 1 && file.otherSynapses.isEmpty)
                    #expect(file.rowOffset == offset && file.totalRows == Self.k && file.localRows == plans[rank].localRows)
                    #expect(file.localWeights == Array(xi[offset * Self.d ..< (offset + file.localRows) * Self.d]))
                    joined += file.localWeights
                }
                #expect(joined == whole.synapses[0].matrix)
            }
        }
        // Shards that do not add up to the post layer.
        let short = try writeLagrangian(#"["xi-0.npy", "xi-2.npy"]"#)
        #expect {
            try NetworkFile.loadShardedLagrangian(contentsOf: short, selection: ShardSelection(rank: 0, count: 2), rowOffset: 0, totalRows: 5)
        } throws: { "\($0)" == #"lag.json: synapses[0].weights: the shards hold 5 rows in all, expected 7 (the size of layer "h")"# }
        // A gradient file has no synapse to split.
        #expect {
            try NetworkFile.shardPlan(contentsOf: writeModel(Self.list), selection: ShardSelection(rank: 0, count: 2))
        } throws: { "\($0)" == "net.json: dynamics: a gradient-flow model, not a Lagrangian network" }
    }
}
