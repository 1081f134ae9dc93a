import Foundation
import Hopfield

/// The network file, format version 1: a JSON description of layers and synapses whose arrays are
/// inline JSON or `.npy` files beside it (see docs/network-file.md).
///
/// ```
/// {
///   "format": 1,
///   "layers": [
///     {"name": "visible", "shape": [28, 28], "lagrangian": {"type": "identity"}, "bias": "input.npy"},
///     {"name": "memory", "size": 100, "lagrangian": {"type": "softmax", "beta": 4.0}, "tau": 0.1}
///   ],
///   "synapses": [{"type": "dense", "pre": "visible", "post": "memory", "weights": "memories.npy"}]
/// }
/// ```
public enum NetworkFile {
    /// The format version this code reads and writes.
    public static let formatVersion = 1
    /// The format versions this code reads: 1, and 2 (clamp masks and gradient-flow models).
    public static let formatVersions = [1, 2]

    /// Reads, decodes and validates a network file; `.npy` paths are relative to the file's folder.
    ///
    /// - Parameter url: The JSON file.
    /// - Returns: The validated network.
    /// - Throws: ``NetworkFileError`` naming the file, the JSON path and the problem.
    public static func load(contentsOf url: URL) throws(NetworkFileError) -> Network {
        try decode(data: readDocument(url), baseDirectory: url.deletingLastPathComponent(), fileName: url.lastPathComponent)
    }

    /// Decodes and validates the bytes of a network file.
    ///
    /// - Parameters:
    ///   - data: The JSON text (UTF-8).
    ///   - baseDirectory: The folder that relative `.npy` paths are resolved against.
    ///   - fileName: The name used in error messages.
    /// - Returns: The validated network.
    /// - Throws: ``NetworkFileError`` for invalid JSON (with line and column), wrong types, missing or
    ///   unknown keys, an unsupported format version, bad sizes and shapes, τ ≤ 0, unknown Lagrangian or
    ///   synapse types, duplicate layer names, dangling synapse ends, unreadable or invalid `.npy` files,
    ///   non-finite numbers, and everything `Network.init(layers:synapses:)` rejects.
    public static func decode(data: Data, baseDirectory: URL, fileName: String) throws(NetworkFileError) -> Network {
        try NetworkFileDecoder(file: fileName, baseDirectory: baseDirectory).network(from: parseDocument(data, fileName: fileName))
    }

    /// The bytes of the file at `url`, or an error naming it and the system's reason.
    static func readDocument(_ url: URL) throws(NetworkFileError) -> Data {
        switch readFile(url) {
        case .success(let data): return data
        case .failure(let why):
            throw NetworkFileError(file: url.lastPathComponent, path: "", message: "cannot read file (\(why.reason))")
        }
    }

    /// The JSON document in `data`, or an error with the line and column of the first syntax error.
    static func parseDocument(_ data: Data, fileName: String) throws(NetworkFileError) -> JSON {
        do {
            return try JSONReader.parse([UInt8](data))
        } catch {
            throw NetworkFileError(
                file: fileName, path: "",
                message: "invalid JSON at line \(error.line), column \(error.column): \(error.message)")
        }
    }
}
