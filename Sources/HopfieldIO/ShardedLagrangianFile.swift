import Foundation
import Hopfield

/// Pass 1 of reading a Lagrangian network whose memory layer is split over processes: which dense
/// synapse is split and how many rows of its weights (rows of the post layer) this process holds, read
/// from the JSON and the headers of this process's own shard files only
/// (``NetworkFile/shardPlan(contentsOf:selection:)``).
///
/// The caller exchanges ``localRows`` between processes (a collective in the command line), then reads
/// pass 2 (``NetworkFile/loadShardedLagrangian(contentsOf:selection:rowOffset:totalRows:)``) with this
/// process's row offset and the total. HopfieldIO itself never communicates.
public struct ShardPlan: Sendable, Hashable {
    /// The JSON path of the split weights, e.g. `synapses[0].weights`.
    public var path: String
    /// The index of the split synapse in the file's `synapses`.
    public var synapse: Int
    /// The rows (of the post layer) this process holds.
    public var localRows: Int
    /// The offset and total of this process's rows when it knows them without the others (one `.npy`
    /// file or inline weights split by rows); nil for a shard list.
    public var known: (offset: Int, total: Int)? {
        guard let knownOffset, let knownTotal else { return nil }
        return (knownOffset, knownTotal)
    }
    var knownOffset: Int?
    var knownTotal: Int?

    /// This process's row offset and the total rows, from every process's ``localRows`` in rank order.
    public static func extent(localRows: [Int], rank: Int) -> (offset: Int, total: Int) {
        (localRows[..<rank].reduce(0, +), localRows.reduce(0, +))
    }
}

/// Pass 2: one process's part of a Lagrangian network whose memory layer is split over processes —
/// the pieces a split network model needs, independent of `Network` (which needs whole weights).
///
/// The split synapse is a dense synapse `pre → post`; this process holds rows
/// `rowOffset ..< rowOffset + localRows` of its weights (`[localRows, pre size]`), that is the units
/// `rowOffset ..< rowOffset + localRows` of the post layer. Layers carry their full bias and clamp arrays
/// (to be sliced with ``rowOffset``); the other synapses are whole.
public struct ShardedLagrangianFile: Sendable {
    /// Every layer, whole (names, shapes, Lagrangians, τ, bias and clamp of every unit).
    public var layers: [Layer]
    /// The synapses other than the split one, in file order, whole.
    public var otherSynapses: [Synapse]
    /// The index of the split synapse in the file's `synapses`.
    public var splitSynapse: Int
    /// The pre layer of the split synapse (its columns).
    public var pre: String
    /// The post layer of the split synapse: the layer split over processes.
    public var post: String
    /// The index of ``post`` in ``layers``.
    public var splitLayer: Int
    /// This process's rows of the weights, row-major `[localRows, pre size]`.
    public var localWeights: [Double]
    /// The first row (unit of the post layer) this process holds.
    public var rowOffset: Int
    /// The rows of all processes together: the size of the post layer.
    public var totalRows: Int

    /// The rows this process holds.
    public var localRows: Int { localWeights.count / max(1, layers.first { $0.name == pre }?.size ?? 1) }

    /// This process's part of the network as a `SplitMemoryNetwork` joined by `reduction`, and the whole
    /// network's layers in file order without synapses (`layout`: the flat state one process would have,
    /// for initial states and reports). Only a two-layer network splits: a feature layer, then the memory
    /// layer, joined by the split dense synapse and nothing else.
    ///
    /// Construction is collective over `reduction` (every process checks that the blocks tile the
    /// memory layer), so every process must call it.
    ///
    /// - Parameters:
    ///   - fileName: the network file's name, for error messages.
    ///   - reduction: the processes' reduction (nil: one process holding every row).
    /// - Throws: ``NetworkFileError`` for any other structure, and for the blocks' checks (every process
    ///   alike).
    public func splitNetwork(fileName: String, reduction: (any PartialReduction)?) throws(NetworkFileError)
        -> (network: SplitMemoryNetwork, layout: Network)
    {
        guard layers.count == 2, otherSynapses.isEmpty, splitLayer == 1, layers[0].name == pre else {
            throw NetworkFileError(
                file: fileName, path: "synapses",
                message: "only a two-layer network (a feature layer, then a memory layer, joined by one dense synapse) splits its memories over processes; this file has \(layers.count) layers and \(otherSynapses.count + 1) synapses")
        }
        do {
            let network = try SplitMemoryNetwork(
                features: layers[0], memories: layers[1], weights: localWeights, rowOffset: rowOffset, reduction: reduction)
            return (network, try Network(layers: layers, synapses: []))
        } catch {
            throw NetworkFileError(file: fileName, path: error.path, message: error.message)
        }
    }
}

extension NetworkFile {
    /// Pass 1 for a Lagrangian network file under a shard selection (see ``ShardPlan``): finds the
    /// dense synapse to split — the one whose weights are a shard list, or the only dense synapse — and
    /// counts this process's rows from the headers of its own shard files (or its block of the rows of
    /// one file). Opens no other process's file and reads no weights.
    ///
    /// - Throws: ``NetworkFileError`` naming the file and the JSON path: no or several candidate synapses,
    ///   fewer shard files than processes, a shard that cannot be read or has the wrong columns.
    public static func shardPlan(contentsOf url: URL, selection: ShardSelection) throws(NetworkFileError) -> ShardPlan {
        let fileName = url.lastPathComponent
        let decoder = NetworkFileDecoder(file: fileName, baseDirectory: url.deletingLastPathComponent(), selection: selection)
        let top = try decoder.object(parseDocument(readDocument(url), fileName: fileName), "")
        let (index, fields, sizes) = try decoder.splitSynapse(top)
        let path = "synapses[\(index)].weights"
        let value = try decoder.required(fields, "weights")
        let width = sizes.pre
        if decoder.isShardList(value) {
            let names = try decoder.shardNames(value, path)
            var rows = 0
            for i in try decoder.chosenShards(names, path) {
                rows += try decoder.rowHeader(names[i], "\(path)[\(i)]", width: width).rows
            }
            return ShardPlan(path: path, synapse: index, localRows: rows, knownOffset: nil, knownTotal: nil)
        }
        let total: Int
        if case .string(let name) = value, name.lowercased().hasSuffix(".npy") {
            total = try decoder.rowHeader(name, path, width: width).rows
        } else {
            total = try decoder.rows(value, path, width: width, allowEmpty: true).count / width
        }
        let block = selection.block(of: total)
        return ShardPlan(path: path, synapse: index, localRows: block.count, knownOffset: block.lowerBound, knownTotal: total)
    }

    /// Pass 2 for a Lagrangian network file under a shard selection: the layers and the other synapses
    /// whole, and this process's rows of the split synapse's weights (see ``ShardedLagrangianFile``).
    ///
    /// - Parameters:
    ///   - url: the JSON file.
    ///   - selection: this process.
    ///   - rowOffset: the first row this process holds (from the exchange of pass 1's counts).
    ///   - totalRows: the rows of all processes.
    /// - Throws: ``NetworkFileError`` as ``load(contentsOf:)`` for the layers and other synapses, as
    ///   ``shardPlan(contentsOf:selection:)`` for the split weights, and when `totalRows` is not the size
    ///   of the post layer or this process's rows do not fit in `rowOffset ..< totalRows`.
    public static func loadShardedLagrangian(
        contentsOf url: URL, selection: ShardSelection, rowOffset: Int, totalRows: Int
    ) throws(NetworkFileError) -> ShardedLagrangianFile {
        let fileName = url.lastPathComponent
        let decoder = NetworkFileDecoder(file: fileName, baseDirectory: url.deletingLastPathComponent(), selection: selection)
        let top = try decoder.object(parseDocument(readDocument(url), fileName: fileName), "")
        let version = try decoder.formatVersion(top)
        let (index, fields, sizes) = try decoder.splitSynapse(top)
        let (layers, names) = try decoder.layers(top, version: version)
        var others: [Synapse] = []
        if case .array(let items) = top["synapses"] {
            for (s, item) in items.enumerated() where s != index {
                others.append(try decoder.synapse(from: item, "synapses[\(s)]", layers: layers, names: names))
            }
        }
        let path = "synapses[\(index)].weights"
        let weights = try decoder.memoryRows(try decoder.required(fields, "weights"), path, width: sizes.pre, allowEmpty: true)
        let post = try decoder.string(try decoder.required(fields, "post"), "synapses[\(index)].post")
        let pre = try decoder.string(try decoder.required(fields, "pre"), "synapses[\(index)].pre")
        let local = weights.count / sizes.pre
        if totalRows != sizes.post {
            throw decoder.fail(path, "the shards hold \(totalRows) rows in all, expected \(sizes.post) (the size of layer \"\(post)\")")
        }
        if rowOffset < 0 || rowOffset + local > totalRows {
            throw decoder.fail(path, "rows \(rowOffset)..<\(rowOffset + local) of this process do not fit in the \(totalRows) rows")
        }
        return ShardedLagrangianFile(
            layers: layers, otherSynapses: others, splitSynapse: index, pre: pre, post: post, splitLayer: names[post]!,
            localWeights: weights, rowOffset: rowOffset, totalRows: totalRows)
    }
}

extension NetworkFileDecoder {
    /// The dense synapse a shard selection splits: the one whose weights are a shard list, or else the
    /// only dense synapse; with its fields and the sizes of its pre and post layers (from the JSON).
    func splitSynapse(_ top: Fields) throws(NetworkFileError) -> (index: Int, fields: Fields, sizes: (pre: Int, post: Int)) {
        if try formatVersion(top) == 2, try dynamics(top) == "gradient" {
            throw fail("dynamics", "a gradient-flow model, not a Lagrangian network")
        }
        guard case .array(let layerItems) = try required(top, "layers") else { throw fail("layers", "expected an array") }
        var sizes: [String: Int] = [:]
        for (i, item) in layerItems.enumerated() {
            let fields = try object(item, "layers[\(i)]")
            let name = try string(try required(fields, "name"), "layers[\(i)].name")
            sizes[name] = try shape(fields, "layers[\(i)]").reduce(1, *)
        }
        var dense: [(Int, Fields)] = []
        if case .array(let items) = top["synapses"] {
            for (s, item) in items.enumerated() {
                let fields = try object(item, "synapses[\(s)]")
                if case .string("dense") = fields["type"] { dense.append((s, fields)) }
            }
        }
        let listed = dense.filter { entry in entry.1["weights"].map(isShardList) ?? false }
        let candidates = listed.isEmpty ? dense : listed
        guard candidates.count == 1, let (index, fields) = candidates.first else {
            throw fail(
                "synapses",
                dense.isEmpty
                    ? "no dense synapse to split over processes"
                    : "\(candidates.count) dense synapses could be split; list the weights of the one to split as shard files")
        }
        func size(_ key: String) throws(NetworkFileError) -> Int {
            let p = "synapses[\(index)].\(key)"
            let name = try string(try required(fields, key), p)
            guard let n = sizes[name] else { throw fail(p, "names no layer: \"\(name)\"") }
            return n
        }
        return (index, fields, (try size("pre"), try size("post")))
    }
}
