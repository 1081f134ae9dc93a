/// A problem reading or writing a NumPy `.npy` file; its description is one line naming the file.
///
/// Example: `memories.npy: truncated data (expected 6400 bytes, got 100)`.
public struct NPYError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The file could not be read (the system's reason).
        case unreadable(String)
        /// The file could not be written (the system's reason).
        case unwritable(String)
        /// The file does not start with `\x93NUMPY`.
        case badMagic
        /// A format version other than 1.0, 2.0 or 3.0.
        case unsupportedVersion(major: Int, minor: Int)
        /// The header is shorter than its length field says.
        case truncatedHeader(expected: Int, got: Int)
        /// The header dictionary cannot be understood.
        case malformedHeader(String)
        /// A big-endian dtype such as `>f8`.
        case bigEndian(dtype: String)
        /// `fortran_order: True`.
        case fortranOrder
        /// A dtype other than `<f8` or `<f4`.
        case unsupportedDType(String)
        /// Fewer data bytes than the shape needs.
        case truncatedData(expected: Int, got: Int)
        /// More data bytes than the shape needs (the shape and the data size disagree).
        case sizeMismatch(shape: [Int], expected: Int, got: Int)
        /// A NaN or infinite entry (when finite values are required).
        case nonFinite(index: [Int], flatIndex: Int, value: Double)
        /// An array to write whose value count is not the product of its shape.
        case countMismatch(shape: [Int], count: Int)
    }

    /// The file the problem is in (usually its name as the user wrote it).
    public var source: String
    /// What went wrong.
    public var reason: Reason

    /// Creates an error.
    public init(source: String, reason: Reason) {
        self.source = source
        self.reason = reason
    }

    /// The one-line message without the file name, e.g. `truncated data (expected 6400 bytes, got 100)`.
    public var message: String {
        let text: String
        switch reason {
        case .unreadable(let why): text = "cannot read file (\(why))"
        case .unwritable(let why): text = "cannot write file (\(why))"
        case .badMagic: text = "not a NumPy .npy file (bad magic string)"
        case .unsupportedVersion(let major, let minor):
            text = "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)"
        case .truncatedHeader(let expected, let got):
            text = "truncated header (expected \(expected) bytes, got \(got))"
        case .malformedHeader(let why): text = "malformed header: \(why)"
        case .bigEndian(let dtype):
            text = "big-endian dtype '\(dtype)' is not supported (save as little-endian '<f8' or '<f4')"
        case .fortranOrder:
            text = "Fortran-order arrays are not supported (save a C-order array, e.g. np.ascontiguousarray)"
        case .unsupportedDType(let dtype):
            text = "unsupported dtype '\(dtype)' (supported: '<f8' float64, '<f4' float32)"
        case .truncatedData(let expected, let got):
            text = "truncated data (expected \(expected) bytes, got \(got))"
        case .sizeMismatch(let shape, let expected, let got):
            text = "shape \(shape) needs \(expected) data bytes, but the file holds \(got)"
        case .nonFinite(let index, let flat, let value):
            text = index.count == 1
                ? "entry \(flat) is not finite (\(value))"
                : "entry \(index) (flat index \(flat)) is not finite (\(value))"
        case .countMismatch(let shape, let count):
            text = "shape \(shape) needs \(shape.reduce(1, *)) values, got \(count)"
        }
        return oneLine(text)
    }

    /// `<source>: <message>`, on one line.
    public var description: String { source.isEmpty ? message : "\(oneLine(source)): \(message)" }
}

/// `text` with line breaks replaced by spaces, so that error messages stay on one line.
func oneLine(_ text: String) -> String {
    guard text.contains(where: \.isNewline) else { return text }
    return String(text.map { $0.isNewline ? " " : $0 })
}
