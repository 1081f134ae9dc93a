/// Writes numbers, integers and text into bytes, exactly (IEEE-754 bit patterns, NaN and ±∞
/// included), for results that cross processes in a gather; ``TransferReader`` reads them back in the
/// same order.
public struct TransferWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends one integer (64-bit little-endian).
    public mutating func write(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends one number (its 64-bit pattern, little-endian).
    public mutating func write(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a count, then the numbers.
    public mutating func write(_ values: [Double]) {
        write(values.count)
        for v in values { write(v) }
    }

    /// Appends a count, then the UTF-8 bytes.
    public mutating func write(_ text: String) {
        let utf8 = Array(text.utf8)
        write(utf8.count)
        bytes += utf8
    }

    /// Appends a count, then the bytes.
    public mutating func write(bytes more: [UInt8]) {
        write(more.count)
        bytes += more
    }
}

/// Reads what a ``TransferWriter`` wrote, in the same order.
public struct TransferReader: Sendable {
    private let bytes: [UInt8]
    private var position = 0

    /// A reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { position == bytes.count }

    /// Reads one integer.
    /// - Throws: ``TransferError`` when the bytes end early.
    public mutating func readInt() throws(TransferError) -> Int {
        Int(Int64(littleEndian: Int64(bitPattern: try readWord())))
    }

    /// Reads one number.
    /// - Throws: ``TransferError`` when the bytes end early.
    public mutating func readDouble() throws(TransferError) -> Double {
        Double(bitPattern: UInt64(littleEndian: try readWord()))
    }

    /// Reads a count, then that many numbers.
    /// - Throws: ``TransferError`` when the bytes end early or the count is negative.
    public mutating func readDoubles() throws(TransferError) -> [Double] {
        let count = try readCount(unit: 8)
        var values = [Double]()
        values.reserveCapacity(count)
        for _ in 0 ..< count { values.append(try readDouble()) }
        return values
    }

    /// Reads a count, then that many UTF-8 bytes.
    /// - Throws: ``TransferError`` when the bytes end early or the count is negative.
    public mutating func readString() throws(TransferError) -> String {
        String(decoding: try readBytes(), as: UTF8.self)
    }

    /// Reads a count, then that many bytes.
    /// - Throws: ``TransferError`` when the bytes end early or the count is negative.
    public mutating func readBytes() throws(TransferError) -> [UInt8] {
        let count = try readCount(unit: 1)
        defer { position += count }
        return Array(bytes[position ..< position + count])
    }

    private mutating func readCount(unit: Int) throws(TransferError) -> Int {
        let count = try readInt()
        guard count >= 0, count <= (bytes.count - position) / unit else { throw .truncated }
        return count
    }

    private mutating func readWord() throws(TransferError) -> UInt64 {
        guard bytes.count - position >= 8 else { throw .truncated }
        var word: UInt64 = 0
        for i in 0 ..< 8 { word |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return word
    }
}

/// Bytes that do not hold what the reader expects.
public enum TransferError: Error, Sendable, Equatable {
    /// The bytes end before the value (or a count exceeds what is left).
    case truncated
}
