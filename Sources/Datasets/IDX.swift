import Foundation

/// A parser for the IDX format of MNIST-like data sets (unsigned-byte payloads only).
///
/// Layout: a 4-byte big-endian magic number `0x0000_08_nd` (type `0x08` = unsigned byte, `nd` the
/// number of dimensions), `nd` big-endian `UInt32` sizes, then the payload in row-major order.
public enum IDX {
    /// The magic number of an image file (3 dimensions: count, rows, columns).
    public static let imageMagic: UInt32 = 2051
    /// The magic number of a label file (1 dimension: count).
    public static let labelMagic: UInt32 = 2049

    /// Parses an image file: count, rows, columns and pixels scaled by `1/255` into `[0, 1]`.
    ///
    /// - Parameters:
    ///   - data: the decompressed file contents.
    ///   - limit: read at most this many images (`nil` = all).
    /// - Throws: ``IDXError/badMagic(expected:found:)`` or ``IDXError/truncated(expectedBytes:actualBytes:)``.
    public static func parseImages(_ data: Data, limit: Int? = nil) throws(IDXError)
        -> (count: Int, rows: Int, columns: Int, pixels: [Double])
    {
        let (dims, body) = try header(data, magic: imageMagic, dimensions: 3)
        let count = min(dims[0], max(0, limit ?? dims[0]))
        // Sizes come from the file: multiply with overflow checks so a corrupt header cannot trap.
        let (size, overflow1) = dims[1].multipliedReportingOverflow(by: dims[2])
        let (payload, overflow2) = count.multipliedReportingOverflow(by: size)
        guard !overflow1, !overflow2, payload <= Int.max - body else {
            throw .truncated(expectedBytes: Int.max, actualBytes: data.count)
        }
        let needed = body + payload
        guard data.count >= needed else { throw .truncated(expectedBytes: needed, actualBytes: data.count) }
        var pixels = [Double](repeating: 0, count: count * size)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            for i in 0 ..< count * size { pixels[i] = Double(bytes[body + i]) / 255 }
        }
        return (count, dims[1], dims[2], pixels)
    }

    /// Parses a label file into integers.
    ///
    /// - Parameters:
    ///   - data: the decompressed file contents.
    ///   - limit: read at most this many labels (`nil` = all).
    /// - Throws: ``IDXError/badMagic(expected:found:)`` or ``IDXError/truncated(expectedBytes:actualBytes:)``.
    public static func parseLabels(_ data: Data, limit: Int? = nil) throws(IDXError) -> [Int] {
        let (dims, body) = try header(data, magic: labelMagic, dimensions: 1)
        let count = min(dims[0], max(0, limit ?? dims[0]))
        let needed = body + count
        guard data.count >= needed else { throw .truncated(expectedBytes: needed, actualBytes: data.count) }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            (0 ..< count).map { Int(raw[body + $0]) }
        }
    }

    /// Parses an image file and a label file into an ``ImageSet``.
    ///
    /// - Parameters:
    ///   - images: the decompressed image file.
    ///   - labels: the decompressed label file.
    ///   - limit: keep at most this many images (`nil` = all).
    ///   - classes: valid labels are `0 ..< classes`.
    /// - Throws: ``IDXError`` for bad magic numbers, truncation, differing counts or invalid labels.
    public static func parseImageSet(images: Data, labels: Data, limit: Int? = nil, classes: Int = 10)
        throws(IDXError) -> ImageSet
    {
        let parsed = try parseImages(images, limit: limit)
        let labelValues = try parseLabels(labels, limit: limit)
        guard labelValues.count == parsed.count else {
            throw .inconsistent("\(parsed.count) images but \(labelValues.count) labels")
        }
        if let bad = labelValues.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw .invalidLabel(index: bad, value: labelValues[bad])
        }
        return try ImageSet(
            count: parsed.count, rows: parsed.rows, columns: parsed.columns, pixels: parsed.pixels,
            labels: labelValues)
    }

    /// Reads the header: the sizes and the offset of the payload.
    static func header(_ data: Data, magic: UInt32, dimensions: Int) throws(IDXError) -> ([Int], Int) {
        let headerBytes = 4 + 4 * dimensions
        guard data.count >= 4 else { throw .truncated(expectedBytes: headerBytes, actualBytes: data.count) }
        let found = bigEndianUInt32(data, at: 0)
        guard found == magic else { throw .badMagic(expected: magic, found: found) }
        guard data.count >= headerBytes else {
            throw .truncated(expectedBytes: headerBytes, actualBytes: data.count)
        }
        let dims = (0 ..< dimensions).map { Int(bigEndianUInt32(data, at: 4 + 4 * $0)) }
        return (dims, headerBytes)
    }

    static func bigEndianUInt32(_ data: Data, at offset: Int) -> UInt32 {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            (0 ..< 4).reduce(UInt32(0)) { ($0 << 8) | UInt32(raw[offset + $1]) }
        }
    }
}
