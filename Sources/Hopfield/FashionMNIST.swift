import Foundation

// MARK: - Image set

/// A set of grey-scale images with integer labels, pixels scaled to `[0, 1]`.
///
/// `pixels` is row-major `count × (rows · columns)`: pixel `(r, c)` of image `i` stands at
/// `pixels[i * rows * columns + r * columns + c]`.
public struct ImageSet: Sendable, Equatable {
    /// The number of images.
    public let count: Int
    /// The number of pixel rows of each image.
    public let rows: Int
    /// The number of pixel columns of each image.
    public let columns: Int
    /// All pixels, `count × rows · columns`, row-major, each in `[0, 1]`.
    public let pixels: [Double]
    /// One label per image.
    public let labels: [Int]

    /// The number of pixels of one image, `rows · columns`.
    public var dimension: Int { rows * columns }

    /// Creates an image set, checking that the sizes agree.
    ///
    /// - Throws: ``IDXError/inconsistent(_:)`` when `pixels` or `labels` have the wrong length or a
    ///   dimension is negative.
    public init(count: Int, rows: Int, columns: Int, pixels: [Double], labels: [Int]) throws(IDXError) {
        guard count >= 0, rows >= 0, columns >= 0 else {
            throw .inconsistent("negative size \(count) × \(rows) × \(columns)")
        }
        guard pixels.count == count * rows * columns else {
            throw .inconsistent("\(pixels.count) pixels for \(count) images of \(rows) × \(columns)")
        }
        guard labels.count == count else {
            throw .inconsistent("\(labels.count) labels for \(count) images")
        }
        self.count = count
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
        self.labels = labels
    }

    /// The pixels of image `index` (a copy), `rows · columns` values.
    public func image(_ index: Int) -> [Double] {
        Array(pixels[index * dimension ..< (index + 1) * dimension])
    }

    /// The images `range` as a new image set.
    ///
    /// - Throws: ``IDXError/inconsistent(_:)`` when `range` is not inside `0 ..< count`.
    public func subset(_ range: Range<Int>) throws(IDXError) -> ImageSet {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw .inconsistent("range \(range) outside the \(count) images")
        }
        return try ImageSet(
            count: range.count, rows: rows, columns: columns,
            pixels: Array(pixels[range.lowerBound * dimension ..< range.upperBound * dimension]),
            labels: Array(labels[range]))
    }
}

// MARK: - Errors

/// Why an IDX file (the MNIST file format) could not be read.
public enum IDXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist (neither `name.gz` nor `name`).
    case fileNotFound(String)
    /// `gzip -dc` failed on the file (exit status and its message).
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
            return "gzip -dc \(path) failed with status \(status): \(message)"
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

// MARK: - IDX parser

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

// MARK: - Fashion-MNIST

/// The Fashion-MNIST data set (Xiao, Rasul & Vollgraf 2017) as installed by Debian's
/// `dataset-fashion-mnist`: 60 000 training and 10 000 test images of 28 × 28 pixels, 10 classes.
public enum FashionMNIST {
    /// Which part of the data set.
    public enum Split: String, Sendable, CaseIterable {
        /// 60 000 training images (`train-*`).
        case train
        /// 10 000 test images (`t10k-*`).
        case test

        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// Where Debian installs the files: `/usr/share/datasets/fashion-mnist`.
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

    /// Whether the image and label files of `split` exist in `directory` (gzip-compressed or not).
    public static func isAvailable(split: Split = .test, directory: URL = defaultDirectory) -> Bool {
        locate("\(split.filePrefix)-images-idx3-ubyte", in: directory) != nil
            && locate("\(split.filePrefix)-labels-idx1-ubyte", in: directory) != nil
    }

    /// Loads the images and labels of one split.
    ///
    /// Files named `<prefix>-images-idx3-ubyte.gz` and `<prefix>-labels-idx1-ubyte.gz` are
    /// decompressed by running `/bin/gzip -dc`; uncompressed files without `.gz` are read directly.
    ///
    /// - Parameters:
    ///   - split: training or test images.
    ///   - limit: keep only the first `limit` images (`nil` = all).
    ///   - directory: the folder holding the files.
    /// - Throws: ``IDXError`` for missing files, failed decompression, bad magic numbers, truncation,
    ///   differing counts or labels outside 0…9.
    public static func load(split: Split, limit: Int? = nil, directory: URL = defaultDirectory)
        throws(IDXError) -> ImageSet
    {
        let images = try read("\(split.filePrefix)-images-idx3-ubyte", in: directory)
        let labels = try read("\(split.filePrefix)-labels-idx1-ubyte", in: directory)
        return try IDX.parseImageSet(images: images, labels: labels, limit: limit)
    }

    static func locate(_ name: String, in directory: URL) -> URL? {
        for candidate in [name + ".gz", name] {
            let url = directory.appendingPathComponent(candidate)
            if FileManager.default.isReadableFile(atPath: url.path) { return url }
        }
        return nil
    }

    static func read(_ name: String, in directory: URL) throws(IDXError) -> Data {
        guard let url = locate(name, in: directory) else {
            throw .fileNotFound(directory.appendingPathComponent(name + ".gz").path)
        }
        if url.pathExtension != "gz" {
            do { return try Data(contentsOf: url) } catch {
                throw .decompressionFailed(path: url.path, status: -1, message: "\(error)")
            }
        }
        return try gunzip(url)
    }

    /// Decompresses a gzip file by running `/bin/gzip -dc` and reading its standard output.
    static func gunzip(_ url: URL) throws(IDXError) -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", url.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw .decompressionFailed(path: url.path, status: -1, message: "cannot run /bin/gzip: \(error)")
        }
        // Read both pipes to the end before waiting, so a full pipe cannot block gzip.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .decompressionFailed(path: url.path, status: process.terminationStatus, message: text)
        }
        return data
    }
}
