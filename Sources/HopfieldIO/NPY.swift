import Foundation

/// Reading and writing NumPy `.npy` files.
///
/// Reads format versions 1.0, 2.0 and 3.0 holding little-endian `float64` (`<f8`) or `float32` (`<f4`)
/// arrays in C order; writes format 1.0 `<f8`. The layout is
///
/// ```
/// \x93NUMPY  major minor  header_len (u16 LE for 1.0, u32 LE for 2.0/3.0)
/// {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }   (space padded, ends in '\n')
/// raw little-endian data, C order
/// ```
public enum NPY {
    /// The magic string that starts every `.npy` file.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads an array from a `.npy` file.
    ///
    /// - Parameters:
    ///   - url: The file to read; errors name it by its last path component.
    ///   - requireFinite: When true (the default), a NaN or infinite entry is an error.
    /// - Returns: The array, converted to `Double`, in C order.
    /// - Throws: ``NPYError`` when the file cannot be read or is not a supported `.npy` file.
    public static func read(contentsOf url: URL, requireFinite: Bool = true) throws(NPYError) -> NPYArray {
        let source = url.lastPathComponent
        let data: Data
        switch readFile(url, accepts: startsLikeNPY) {
        case .success(let d): data = d
        case .failure(let why): throw NPYError(source: source, reason: .unreadable(why.reason))
        }
        return try read(data: data, source: source, requireFinite: requireFinite)
    }

    /// Decodes an array from the bytes of a `.npy` file.
    ///
    /// - Parameters:
    ///   - data: The whole file.
    ///   - source: The name used in error messages (e.g. the file name as the user wrote it).
    ///   - requireFinite: When true (the default), a NaN or infinite entry is an error.
    /// - Returns: The array, converted to `Double`, in C order.
    /// - Throws: ``NPYError`` for a bad magic string, an unsupported version, a malformed header, a
    ///   big-endian or unsupported dtype, Fortran order, truncated or surplus data, and (when
    ///   `requireFinite`) non-finite entries.
    public static func read(data: Data, source: String, requireFinite: Bool = true) throws(NPYError) -> NPYArray {
        // Only the preamble and header are copied; the data is read in place.
        let lead = [UInt8](data.prefix(12))
        let fileSize = data.count
        func fail(_ reason: NPYError.Reason) -> NPYError { NPYError(source: source, reason: reason) }

        // Magic and version.
        let prefix = min(lead.count, magic.count)
        if lead.isEmpty || Array(lead[0 ..< prefix]) != Array(magic[0 ..< prefix]) { throw fail(.badMagic) }
        guard fileSize >= 8 else { throw fail(.truncatedHeader(expected: 10, got: fileSize)) }
        let major = Int(lead[6])
        let minor = Int(lead[7])
        let lengthBytes: Int
        switch (major, minor) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default: throw fail(.unsupportedVersion(major: major, minor: minor))
        }
        let headerStart = 8 + lengthBytes
        guard fileSize >= headerStart else {
            throw fail(.truncatedHeader(expected: headerStart, got: fileSize))
        }
        var headerLength = 0
        for k in 0 ..< lengthBytes { headerLength |= Int(lead[8 + k]) << (8 * k) }
        let dataStart = headerStart + headerLength
        guard fileSize >= dataStart else {
            throw fail(.truncatedHeader(expected: dataStart, got: fileSize))
        }

        // Header dictionary, dtype, order and the data's size.
        let (shape, itemSize, count) = try layout(
            header: [UInt8](data[data.startIndex + headerStart ..< data.startIndex + dataStart]),
            dataBytes: fileSize - dataStart, source: source)

        // Data.
        var values = [Double](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                if itemSize == 8 {
                    for i in 0 ..< count {
                        let bits = raw.loadUnaligned(fromByteOffset: dataStart + 8 * i, as: UInt64.self)
                        out[i] = Double(bitPattern: UInt64(littleEndian: bits))
                    }
                } else {
                    for i in 0 ..< count {
                        let bits = raw.loadUnaligned(fromByteOffset: dataStart + 4 * i, as: UInt32.self)
                        out[i] = Double(Float(bitPattern: UInt32(littleEndian: bits)))
                    }
                }
            }
        }
        if requireFinite, let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw fail(.nonFinite(index: multiIndex(bad, shape: shape), flatIndex: bad, value: values[bad]))
        }
        return NPYArray(shape: shape, values: values)
    }

    /// Checks a header dictionary against the file: a supported dtype (`<f8`, `<f4`), C order, a shape
    /// whose size does not overflow, and exactly as many data bytes (`dataBytes`) as the shape needs.
    /// Shared by the whole-file and the row-block readers.
    ///
    /// - Returns: the shape, the size of one entry in bytes, and the number of entries.
    static func layout(header text: [UInt8], dataBytes available: Int, source: String) throws(NPYError)
        -> (shape: [Int], itemSize: Int, count: Int)
    {
        func fail(_ reason: NPYError.Reason) -> NPYError { NPYError(source: source, reason: reason) }
        let header: NPYHeader
        do { header = try NPYHeader.parse(text) } catch {
            throw fail(error.unsupportedDType ? .unsupportedDType(error.message) : .malformedHeader(error.message))
        }
        let itemSize: Int
        switch header.descr {
        case "<f8": itemSize = 8
        case "<f4": itemSize = 4
        default:
            if header.descr.hasPrefix(">") { throw fail(.bigEndian(dtype: header.descr)) }
            throw fail(.unsupportedDType(header.descr))
        }
        if header.fortranOrder { throw fail(.fortranOrder) }
        var count = 1
        for d in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow { throw fail(.malformedHeader("shape \(header.shape) is too large")) }
            count = product
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: itemSize)
        if overflow { throw fail(.malformedHeader("shape \(header.shape) is too large")) }
        if available < expected { throw fail(.truncatedData(expected: expected, got: available)) }
        if available > expected { throw fail(.sizeMismatch(shape: header.shape, expected: expected, got: available)) }
        return (header.shape, itemSize, count)
    }

    /// Writes an array as a format 1.0 little-endian `float64` `.npy` file (atomically).
    ///
    /// - Parameters:
    ///   - array: The array; `values.count` must equal the product of `shape`.
    ///   - url: Where to write.
    /// - Throws: ``NPYError`` when the value count does not match the shape or the file cannot be written.
    public static func write(_ array: NPYArray, to url: URL) throws(NPYError) {
        let source = url.lastPathComponent
        guard array.shape.allSatisfy({ $0 >= 0 }), array.values.count == array.count else {
            throw NPYError(source: source, reason: .countMismatch(shape: array.shape, count: array.values.count))
        }
        do {
            try encode(shape: array.shape, values: array.values).write(to: url, options: .atomic)
        } catch {
            throw NPYError(source: source, reason: .unwritable(systemReason(error)))
        }
    }

    /// Encodes an array as the bytes of a format 1.0 little-endian `float64` `.npy` file.
    ///
    /// The header is padded with spaces so that the data starts at a multiple of 64 bytes, and ends in `'\n'`.
    /// (A header longer than 65535 bytes, which needs thousands of axes, switches to format 2.0.)
    ///
    /// - Parameters:
    ///   - shape: The extent of each axis (`[]` for a scalar).
    ///   - values: The entries in C order; the count must equal the product of `shape` (a programming error otherwise).
    /// - Returns: The file's bytes.
    public static func encode(shape: [Int], values: [Double]) -> Data {
        precondition(values.count == shape.reduce(1, *), "NPY.encode: \(values.count) values for shape \(shape)")
        var header = Array(NPYHeader.text(shape: shape).utf8)
        let long = header.count + 1 + 10 > 65535
        let preamble = long ? 12 : 10
        let total = (preamble + header.count + 1 + 63) / 64 * 64
        header += [UInt8](repeating: 0x20, count: total - preamble - header.count - 1) + [0x0A]
        var out = Data(capacity: total + 8 * values.count)
        out.append(contentsOf: magic)
        out.append(contentsOf: long ? [2, 0] : [1, 0])
        let n = header.count
        out.append(contentsOf: long
            ? [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
            : [UInt8(n & 0xFF), UInt8(n >> 8)])
        out.append(contentsOf: header)
        var le = values.map { $0.bitPattern.littleEndian }
        le.withUnsafeMutableBytes { out.append(contentsOf: $0) }
        return out
    }

    /// The C-order multi-index of flat index `flat` in an array of `shape`.
    static func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}

/// Why a file could not be read: a short system reason such as `No such file or directory`.
struct FileReadFailure: Error {
    var reason: String
}

/// Reads a whole file, turning a Foundation error into a short one-line reason.
///
/// A regular file is read at once. Anything else — a pipe, a device such as `/dev/zero` — is read in
/// chunks, at most `limit` bytes (more is a failure: `not a regular file, and longer than 256 MiB`), and
/// once its first bytes have arrived `accepts` may stop the read early: then the bytes read so far are
/// returned, so that the caller's parser reports what is wrong with them (a `.npy` file that does not
/// start with the magic string) instead of reading an endless device.
func readFile(_ url: URL, limit: Int = 1 << 28, accepts: ((Data) -> Bool)? = nil) -> Result<Data, FileReadFailure> {
    var info = stat()
    if stat(url.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG, (info.st_mode & S_IFMT) != S_IFDIR {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            return .failure(FileReadFailure(reason: oneLine(String(cString: strerror(errno)))))
        }
        defer { try? handle.close() }
        var data = Data()
        var checked = accepts == nil
        while data.count <= limit {
            guard let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty else { return .success(data) }
            data += chunk
            if !checked, data.count >= 16 {
                checked = true
                if let accepts, !accepts(data) { return .success(data) }
            }
        }
        return .failure(FileReadFailure(reason: "not a regular file, and longer than \(limit >> 20) MiB"))
    }
    do {
        return .success(try Data(contentsOf: url))
    } catch {
        return .failure(FileReadFailure(reason: systemReason(error)))
    }
}

extension NPY {
    /// Whether `data` starts as a `.npy` file does (its magic string), for ``readFile(_:limit:accepts:)``.
    static func startsLikeNPY(_ data: Data) -> Bool {
        data.prefix(magic.count).elementsEqual(magic.prefix(data.count))
    }
}

/// The most specific one-line reason in a Foundation error (its underlying POSIX error if any).
func systemReason(_ error: any Error) -> String {
    var ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? any Error { ns = underlying as NSError }
    if ns.domain == NSPOSIXErrorDomain, let message = strerror(Int32(truncatingIfNeeded: ns.code)) {
        return oneLine(String(cString: message))
    }
    return oneLine(ns.localizedDescription)
}
