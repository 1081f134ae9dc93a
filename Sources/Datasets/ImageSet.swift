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
