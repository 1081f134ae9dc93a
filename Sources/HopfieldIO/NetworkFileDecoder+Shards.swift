import Foundation
import Hopfield

/// Shard lists: memories (and dense weights) given as several `.npy` files, each a block of rows, and
/// reading one process's block of them (docs/network-file.md, "Shard lists").
extension NetworkFileDecoder {
    /// Whether `value` is a shard list: a non-empty JSON array whose first entry is a string.
    func isShardList(_ value: JSON) -> Bool {
        if case .array(let items) = value, let first = items.first, case .string = first { return true }
        return false
    }

    /// The file names of a shard list.
    func shardNames(_ value: JSON, _ path: String) throws(NetworkFileError) -> [String] {
        guard case .array(let items) = value else { return [] }
        var names: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let name) = item else {
                throw fail("\(path)[\(i)]", "expected the name of a .npy file like the entries before, got \(item.kindName)")
            }
            names.append(name)
        }
        return names
    }

    /// The shard files this process reads (all without a selection), by index in the list.
    ///
    /// - Throws: when the list holds fewer files than there are processes.
    func chosenShards(_ names: [String], _ path: String) throws(NetworkFileError) -> Range<Int> {
        guard let selection else { return names.indices }
        if names.count < selection.count {
            throw fail(path, "\(names.count) shard files for \(selection.count) processes; list at least one per process")
        }
        return selection.block(of: names.count)
    }

    func url(of name: String) -> URL {
        name.hasPrefix("/") ? URL(fileURLWithPath: name) : baseDirectory.appendingPathComponent(name)
    }

    /// Checks that shard `i` of a list (or a single file) is a `[K, width]` array (`[width]` for one row).
    func checkRows(_ shape: [Int], _ path: String, _ name: String, width: Int) throws(NetworkFileError) {
        if shape == [width] || (shape.count == 2 && shape[1] == width) { return }
        throw fail(path, "\(name): expected an array of shape [K, \(width)], got \(Self.describe(shape: shape))")
    }

    /// The header of the `.npy` file `name` (only the header is read), checked to hold `[K, width]` rows,
    /// and its number of rows `K` (1 for a `[width]` array).
    func rowHeader(_ name: String, _ path: String, width: Int) throws(NetworkFileError) -> (header: NPY.FileHeader, rows: Int) {
        let header: NPY.FileHeader
        do throws(NPYError) { header = try NPY.readHeader(contentsOf: url(of: name), source: name) } catch {
            throw fail(path, error.description)
        }
        try checkRows(header.shape, path, name, width: width)
        return (header, header.shape.count == 1 ? 1 : header.shape[0])
    }

    /// The rows of a shard list, concatenated in order: every file without a selection, this process's
    /// block of the files with one (when `select`).
    func shardRows(_ value: JSON, _ path: String, width: Int, select: Bool = true) throws(NetworkFileError) -> [Double] {
        let names = try shardNames(value, path)
        let chosen = select ? try chosenShards(names, path) : names.indices
        var values: [Double] = []
        for i in chosen {
            let itemPath = "\(path)[\(i)]"
            guard names[i].lowercased().hasSuffix(".npy") else {
                throw fail(itemPath, "expected the name of a .npy file, got \"\(names[i])\"")
            }
            let array = try npy(names[i], itemPath)
            try checkRows(array.shape, itemPath, names[i], width: width)
            values += array.values
        }
        return values
    }

    /// The memories of an `lse` or `random_features` term, `[K, width]`: inline, one `.npy` file, or a
    /// shard list. Under a shard selection only this process's block: its shard files, or its block of
    /// the rows of a single file (read by seeking past the others) or of an inline array.
    func memoryRows(_ value: JSON, _ path: String, width: Int, allowEmpty: Bool = false) throws(NetworkFileError) -> [Double] {
        if isShardList(value) {
            let values = try shardRows(value, path, width: width)
            if values.isEmpty && !allowEmpty && selection == nil {
                throw fail(path, "the shard files hold no rows; expected [K, \(width)] with K ≥ 1")
            }
            return values
        }
        guard let selection else { return try rows(value, path, width: width, allowEmpty: allowEmpty) }
        if case .string(let name) = value, name.lowercased().hasSuffix(".npy") {
            let (header, rows) = try rowHeader(name, path, width: width)
            do throws(NPYError) {
                if header.shape.count == 1 {
                    // One memory, `[width]`: the first process holds it.
                    return selection.block(of: 1).isEmpty ? [] : try NPY.read(contentsOf: url(of: name)).values
                }
                return try NPY.readRows(contentsOf: url(of: name), rows: selection.block(of: rows), source: name).values
            } catch {
                throw fail(path, error.description)
            }
        }
        let all = try rows(value, path, width: width, allowEmpty: true)
        let block = selection.block(of: all.count / width)
        return Array(all[block.lowerBound * width ..< block.upperBound * width])
    }
}
