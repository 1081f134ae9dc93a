import Datasets

/// Why a retrieval or capacity experiment could not run; every case carries a one-line explanation.
public enum RetrievalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An array whose length does not match the declared sizes, or a non-positive size.
    case invalidShape(String)
    /// A parameter outside its domain (β not finite, negative radius, mask fraction outside [0, 1], …).
    case invalidParameter(String)
    /// A name that no option carries, with the valid names (for command-line parsing).
    case unknownName(kind: String, name: String, valid: [String])
    /// Data outside the domain of a similarity or separation (e.g. a negative pixel for KL, the
    /// logarithm of a negative score).
    case domain(String)

    public var description: String {
        switch self {
        case .invalidShape(let message): return "invalid shape: \(message)"
        case .invalidParameter(let message): return "invalid parameter: \(message)"
        case .unknownName(let kind, let name, let valid):
            return "unknown \(kind) \"\(name)\"; valid names: \(valid.joined(separator: ", "))"
        case .domain(let message): return "out of domain: \(message)"
        }
    }
}

extension RetrievalError {
    /// The same problem as a retrieval error (same message), e.g. an invalid `Corruption`.
    ///
    /// - Parameter error: A data-preparation error.
    public init(_ error: DatasetError) {
        switch error {
        case .invalidShape(let message): self = .invalidShape(message)
        case .invalidParameter(let message): self = .invalidParameter(message)
        case .unknownName(let kind, let name, let valid): self = .unknownName(kind: kind, name: name, valid: valid)
        }
    }
}
