import Foundation

/// Reading the header of a `.npy` file alone, and a block of its rows, without reading the rest.
extension NPY {
    /// What the header of a `.npy` file says: the shape, the size of one entry and where the data
    /// starts. Checked against the file's size (a header claiming more data than the file holds is
    /// an error, as for ``read(data:source:requireFinite:)``).
    public struct FileHeader: Sendable, Equatable {
        /// The extent of each axis.
        public var shape: [Int]
        /// 8 (`<f8`) or 4 (`<f4`).
        public var itemSize: Int
        /// The byte offset of the first entry.
        public var dataStart: Int
        /// The rows (the first axis; 1 for a 0-d array).
        public var rows: Int { shape.first ?? 1 }
        /// The entries of one row (the product of the other axes).
        public var rowLength: Int { shape.dropFirst().reduce(1, *) }
    }

    /// Reads and checks the header of the `.npy` file at `url` (only its first bytes are read).
    ///
    /// - Parameters:
    ///   - url: the file.
    ///   - source: the name used in error messages (default: the file's name).
    /// - Throws: ``NPYError`` as ``read(data:source:requireFinite:)`` for everything the header and the
    ///   file's size can tell: unreadable file, bad magic, versions, malformed header, dtypes, Fortran
    ///   order, and data shorter or longer than the shape needs.
    public static func readHeader(contentsOf url: URL, source: String? = nil) throws(NPYError) -> FileHeader {
        let source = source ?? url.lastPathComponent
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw NPYError(source: source, reason: .unreadable(systemReason(error)))
        }
        defer { try? handle.close() }
        return try header(handle, source: source)
    }

    /// Reads rows `rows` (of the first axis) of the `.npy` file at `url`: the header, then only the bytes
    /// of those rows (a seek past the others). C order only.
    ///
    ///     result.shape = [rows.count] + shape[1...]     (the rows of a 1-D array are its entries)
    ///
    /// - Parameters:
    ///   - url: the file.
    ///   - rows: a range within `0 ... shape[0]`.
    ///   - source: the name used in error messages (default: the file's name).
    ///   - requireFinite: reject NaN and infinite entries of the block (default true).
    /// - Throws: ``NPYError`` as ``readHeader(contentsOf:source:)``; `malformedHeader` for a 0-d array or a
    ///   range outside the rows; `nonFinite` (index within the block's rows, offset to the file's).
    public static func readRows(
        contentsOf url: URL, rows: Range<Int>, source: String? = nil, requireFinite: Bool = true
    ) throws(NPYError) -> NPYArray {
        let source = source ?? url.lastPathComponent
        func fail(_ reason: NPYError.Reason) -> NPYError { NPYError(source: source, reason: reason) }
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch { throw fail(.unreadable(systemReason(error))) }
        defer { try? handle.close() }
        let h = try header(handle, source: source)
        guard !h.shape.isEmpty else { throw fail(.malformedHeader("a 0-d array has no rows")) }
        guard rows.lowerBound >= 0, rows.upperBound <= h.rows else {
            throw fail(.malformedHeader("rows \(rows.lowerBound)..<\(rows.upperBound) asked of an array of \(h.rows) rows"))
        }
        let rowBytes = h.rowLength * h.itemSize
        let count = rows.count * h.rowLength
        var values = [Double](repeating: 0, count: count)
        if count > 0 {
            let bytes: Data
            do {
                try handle.seek(toOffset: UInt64(h.dataStart + rows.lowerBound * rowBytes))
                bytes = try handle.read(upToCount: rows.count * rowBytes) ?? Data()
            } catch {
                throw fail(.unreadable(systemReason(error)))
            }
            guard bytes.count == rows.count * rowBytes else {
                throw fail(.truncatedData(expected: rows.count * rowBytes, got: bytes.count))
            }
            decode(bytes, itemSize: h.itemSize, into: &values)
        }
        var shape = h.shape
        shape[0] = rows.count
        if requireFinite, let bad = values.firstIndex(where: { !$0.isFinite }) {
            let flat = bad + rows.lowerBound * h.rowLength
            throw fail(.nonFinite(index: multiIndex(flat, shape: h.shape), flatIndex: flat, value: values[bad]))
        }
        return NPYArray(shape: shape, values: values)
    }

    /// Little-endian `<f8` or `<f4` entries of `bytes` into `values`.
    static func decode(_ bytes: Data, itemSize: Int, into values: inout [Double]) {
        bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                for i in out.indices {
                    if itemSize == 8 {
                        out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                    } else {
                        out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                    }
                }
            }
        }
    }

    /// The header of the file open in `handle`, checked against the file's size.
    private static func header(_ handle: FileHandle, source: String) throws(NPYError) -> FileHeader {
        func fail(_ reason: NPYError.Reason) -> NPYError { NPYError(source: source, reason: reason) }
        let fileSize: Int
        let lead: [UInt8]
        do {
            fileSize = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
            lead = [UInt8](try handle.read(upToCount: 12) ?? Data())
        } catch {
            throw fail(.unreadable(systemReason(error)))
        }
        let prefix = min(lead.count, magic.count)
        if lead.isEmpty || Array(lead[0 ..< prefix]) != Array(magic[0 ..< prefix]) { throw fail(.badMagic) }
        guard fileSize >= 8, lead.count >= 8 else { throw fail(.truncatedHeader(expected: 10, got: fileSize)) }
        let lengthBytes: Int
        switch (Int(lead[6]), Int(lead[7])) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default: throw fail(.unsupportedVersion(major: Int(lead[6]), minor: Int(lead[7])))
        }
        let headerStart = 8 + lengthBytes
        guard fileSize >= headerStart, lead.count >= headerStart else {
            throw fail(.truncatedHeader(expected: headerStart, got: fileSize))
        }
        var headerLength = 0
        for k in 0 ..< lengthBytes { headerLength |= Int(lead[8 + k]) << (8 * k) }
        let dataStart = headerStart + headerLength
        guard fileSize >= dataStart else { throw fail(.truncatedHeader(expected: dataStart, got: fileSize)) }
        let text: [UInt8]
        do {
            try handle.seek(toOffset: UInt64(headerStart))
            text = [UInt8](try handle.read(upToCount: headerLength) ?? Data())
        } catch {
            throw fail(.unreadable(systemReason(error)))
        }
        let (shape, itemSize, _) = try layout(header: text, dataBytes: fileSize - dataStart, source: source)
        return FileHeader(shape: shape, itemSize: itemSize, dataStart: dataStart)
    }
}
