/// Why a data-preparation step could not run; every case carries a one-line explanation.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An array whose length does not match the declared sizes.
    case invalidShape(String)
    /// A parameter outside its domain (mask fraction outside [0, 1], negative σ, …).
    case invalidParameter(String)
    /// A name that no option carries, with the valid names (for command-line parsing).
    case unknownName(kind: String, name: String, valid: [String])

    public var description: String {
        switch self {
        case .invalidShape(let message): return "invalid shape: \(message)"
        case .invalidParameter(let message): return "invalid parameter: \(message)"
        case .unknownName(let kind, let name, let valid):
            return "unknown \(kind) \"\(name)\"; valid names: \(valid.joined(separator: ", "))"
        }
    }
}
