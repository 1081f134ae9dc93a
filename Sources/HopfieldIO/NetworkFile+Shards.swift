import Foundation
import Hopfield

/// Reading one process's block of a network file whose memories are split over processes.
extension NetworkFile {
    /// Reads, decodes and validates this process's part of a gradient-flow model file: every `lse` and
    /// `random_features` term holds only this process's block of its memories — its block of the files
    /// of a shard list, or its block of the rows of a single `.npy` file (read by seeking past the
    /// others) — so no process reads another's shard. The result is not yet distributed: call
    /// `GradientModel.distributed(over:)` on every process.
    ///
    /// - Parameters:
    ///   - url: the JSON file.
    ///   - selection: this process (rank `r` of `R`).
    /// - Returns: the model holding this process's memories (`GradientModel.memoryBlock(variables:terms:)`).
    /// - Throws: ``NetworkFileError`` as ``loadModel(contentsOf:)``; a shard list with fewer files than
    ///   processes (`terms[1].memories: 2 shard files for 3 processes; list at least one per process`);
    ///   a shard that cannot be read or has the wrong columns (`terms[1].memories[1]: xi-1.npy: …`);
    ///   a Fortran-order single file; a Lagrangian network (``ShardedLagrangianFile`` is read by
    ///   ``loadShardedLagrangian(contentsOf:selection:rowOffset:totalRows:)``).
    public static func loadGradientShard(contentsOf url: URL, selection: ShardSelection) throws(NetworkFileError) -> GradientModel {
        let fileName = url.lastPathComponent
        let document = try parseDocument(readDocument(url), fileName: fileName)
        let decoder = NetworkFileDecoder(file: fileName, baseDirectory: url.deletingLastPathComponent(), selection: selection)
        switch try decoder.model(from: document) {
        case .gradient(let model): return model
        case .lagrangian:
            throw NetworkFileError(file: fileName, path: "dynamics", message: "a Lagrangian network, not a gradient-flow model")
        }
    }

    /// Whether the file at `url` holds a gradient-flow model (format 2, `"dynamics": "gradient"`),
    /// read from its JSON alone (no `.npy` file is opened).
    ///
    /// - Throws: ``NetworkFileError`` for an unreadable file, invalid JSON or a bad `format`/`dynamics`.
    public static func holdsGradientModel(contentsOf url: URL) throws(NetworkFileError) -> Bool {
        let fileName = url.lastPathComponent
        let document = try parseDocument(readDocument(url), fileName: fileName)
        let decoder = NetworkFileDecoder(file: fileName, baseDirectory: url.deletingLastPathComponent())
        let top = try decoder.object(document, "")
        guard try decoder.formatVersion(top) == 2 else { return false }
        return try decoder.dynamics(top) == "gradient"
    }
}
