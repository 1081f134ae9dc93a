/// An n-dimensional array of `Double` read from or written to a NumPy `.npy` file.
///
/// `values` are in C (row-major) order: the last index varies fastest. A 0-d array has `shape == []`
/// and one value.
public struct NPYArray: Sendable, Equatable {
    /// The extent of each axis.
    public var shape: [Int]
    /// The entries in C order; `values.count` is the product of `shape`.
    public var values: [Double]

    /// Creates an array; `values.count` should equal the product of `shape`.
    ///
    /// - Parameters:
    ///   - shape: The extent of each axis (`[]` for a scalar).
    ///   - values: The entries in C order.
    public init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    /// Creates a 1-D array.
    public init(_ values: [Double]) {
        self.init(shape: [values.count], values: values)
    }

    /// The number of entries the shape asks for (the product of `shape`, 1 for a scalar).
    public var count: Int { shape.reduce(1, *) }
}
