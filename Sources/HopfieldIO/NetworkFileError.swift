/// A problem in a network file: the file, the JSON path of the offending field, and what is wrong.
///
/// Its description is one line, `<file>: <path>: <message>`, e.g.
///
/// ```
/// network.json: layers[1].tau: must be > 0, got -1
/// network.json: synapses[0].weights: memories.npy: truncated data (expected 6400 bytes, got 100)
/// ```
///
/// Problems with the file as a whole (unreadable, invalid JSON) have an empty `path`.
public struct NetworkFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The network file's name, as given to the decoder (usually its last path component).
    public var file: String
    /// The JSON path of the offending field, e.g. `layers[1].lagrangian.beta`; empty for the whole file.
    public var path: String
    /// What is wrong, on one line.
    public var message: String

    /// Creates an error; line breaks in any part are replaced by spaces.
    ///
    /// - Parameters:
    ///   - file: The network file's name.
    ///   - path: The JSON path (empty for the whole file).
    ///   - message: What is wrong.
    public init(file: String, path: String, message: String) {
        self.file = oneLine(file)
        self.path = oneLine(path)
        self.message = oneLine(message)
    }

    /// `<file>: <path>: <message>` (the path part left out when empty).
    public var description: String {
        [file, path, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}
