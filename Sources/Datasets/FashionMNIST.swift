import Foundation

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
    /// decompressed in memory by zlib; uncompressed files without `.gz` are read directly.
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

    /// Reads and decompresses a gzip file (through zlib, ``Gzip/decompress(_:)``).
    static func gunzip(_ url: URL) throws(IDXError) -> Data {
        let compressed: Data
        do { compressed = try Data(contentsOf: url) } catch {
            throw .decompressionFailed(path: url.path, status: -1, message: "\(error.localizedDescription)")
        }
        do { return Data(try Gzip.decompress([UInt8](compressed))) } catch {
            throw .decompressionFailed(path: url.path, status: error.status, message: error.message)
        }
    }
}
