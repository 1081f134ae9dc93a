/// Why an IDX file (the MNIST file format) could not be read.
public enum IDXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist (neither `name.gz` nor `name`).
    case fileNotFound(String)
    /// The file could not be read (`status` −1) or decompressed (`status` is zlib's return code,
    /// e.g. `Z_DATA_ERROR` = −3, or `Z_BUF_ERROR` = −5 for a truncated stream), with the reason.
    case decompressionFailed(path: String, status: Int32, message: String)
    /// The magic number is not the expected one (2051 for images, 2049 for labels).
    case badMagic(expected: UInt32, found: UInt32)
    /// The data ends before the header or the body announced by the header.
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// Sizes that do not agree (image and label counts, pixel array length, …).
    case inconsistent(String)
    /// A label outside the valid class range.
    case invalidLabel(index: Int, value: Int)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "IDX file not found: \(path) (install the Debian package dataset-fashion-mnist)"
        case .decompressionFailed(let path, let status, let message):
            return status == -1
                ? "cannot read \(path): \(message)"
                : "cannot decompress \(path): \(message) (zlib status \(status))"
        case .badMagic(let expected, let found):
            return "bad IDX magic number \(found), expected \(expected)"
        case .truncated(let expected, let actual):
            return "truncated IDX data: \(actual) bytes, expected \(expected)"
        case .inconsistent(let message):
            return "inconsistent image set: \(message)"
        case .invalidLabel(let index, let value):
            return "label \(index) is \(value), expected 0…9"
        }
    }
}
