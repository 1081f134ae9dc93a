/// A dense, row-major `rows × columns` matrix of `Double`.
///
/// Element `(i, j)` is stored at `elements[i * columns + j]` (C order, as NumPy writes it), so
/// `elements` can be handed straight to `BLAS.gemm`/`BLAS.gemv` with leading dimension `columns`.
public struct Matrix: Sendable, Equatable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The entries in row-major order; always `rows * columns` long.
    public private(set) var elements: [Double]

    /// Creates a matrix from row-major elements.
    ///
    /// - Parameters:
    ///   - rows: number of rows (≥ 0).
    ///   - columns: number of columns (≥ 0).
    ///   - elements: `rows * columns` values, row after row.
    /// - Throws: `LinearAlgebraError.elementCountMismatch` when the count is wrong or a dimension is negative.
    public init(rows: Int, columns: Int, elements: [Double]) throws(LinearAlgebraError) {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw .elementCountMismatch(expected: max(0, rows) * max(0, columns), actual: elements.count)
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Creates a matrix from a column-major buffer (Fortran order, as CVODE's dense Jacobians are stored).
    ///
    /// Element `(i, j)` is read from `columnMajor[j * rows + i]`.
    /// - Parameters:
    ///   - rows: number of rows (≥ 0).
    ///   - columns: number of columns (≥ 0).
    ///   - columnMajor: `rows * columns` values, column after column.
    /// - Throws: `LinearAlgebraError.elementCountMismatch` when the count is wrong or a dimension is negative.
    public init<C: Collection>(rows: Int, columns: Int, columnMajor: C) throws(LinearAlgebraError)
    where C.Element == Double {
        guard rows >= 0, columns >= 0, columnMajor.count == rows * columns else {
            throw .elementCountMismatch(expected: max(0, rows) * max(0, columns), actual: columnMajor.count)
        }
        var elements = [Double](repeating: 0, count: rows * columns)
        var index = columnMajor.startIndex
        for j in 0..<columns {
            for i in 0..<rows {
                elements[i * columns + j] = columnMajor[index]
                columnMajor.formIndex(after: &index)
            }
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Creates a matrix whose element `(i, j)` is `entry(i, j)`.
    ///
    /// Negative dimensions are treated as zero.
    public init(rows: Int, columns: Int, entry: (_ i: Int, _ j: Int) throws -> Double) rethrows {
        let rows = max(0, rows), columns = max(0, columns)
        var elements = [Double]()
        elements.reserveCapacity(rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { elements.append(try entry(i, j)) }
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Creates a matrix from an array of equally long rows.
    ///
    /// - Throws: `LinearAlgebraError.shapeMismatch` when the rows differ in length.
    public init(rowArrays: [[Double]]) throws(LinearAlgebraError) {
        let columns = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == columns }) else {
            throw .shapeMismatch(operation: "Matrix(rowArrays:)", detail: "rows of different lengths")
        }
        self.rows = rowArrays.count
        self.columns = columns
        self.elements = rowArrays.flatMap { $0 }
    }

    /// The `rows × columns` zero matrix (negative dimensions are treated as zero).
    public static func zeros(rows: Int, columns: Int) -> Matrix {
        Matrix(unchecked: max(0, rows), max(0, columns),
               [Double](repeating: 0, count: max(0, rows) * max(0, columns)))
    }

    /// The `n × n` identity matrix (a negative `n` is treated as zero).
    public static func identity(_ n: Int) -> Matrix {
        var m = zeros(rows: n, columns: n)
        for i in 0..<m.rows { m.elements[i * m.columns + i] = 1 }
        return m
    }

    /// The square matrix with `diagonal` on its diagonal and zeros elsewhere.
    public static func diagonal(_ diagonal: [Double]) -> Matrix {
        var m = zeros(rows: diagonal.count, columns: diagonal.count)
        for (i, d) in diagonal.enumerated() { m.elements[i * m.columns + i] = d }
        return m
    }

    /// Internal initialiser for shapes already known to be right.
    init(unchecked rows: Int, _ columns: Int, _ elements: [Double]) {
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// `true` when the matrix has as many rows as columns.
    public var isSquare: Bool { rows == columns }

    /// `true` when every element is finite (no NaN, no infinity).
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

    /// Element `(i, j)`. Indices must lie in `0..<rows` and `0..<columns` (as with `Array`).
    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "Matrix index (\(i), \(j)) out of range")
            return elements[i * columns + j]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "Matrix index (\(i), \(j)) out of range")
            elements[i * columns + j] = newValue
        }
    }

    /// Row `i` as an array of `columns` values (`i` must lie in `0..<rows`).
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Matrix row \(i) out of range 0..<\(rows)")
        return Array(elements[(i * columns)..<((i + 1) * columns)])
    }

    /// Column `j` as an array of `rows` values (`j` must lie in `0..<columns`).
    public func column(_ j: Int) -> [Double] {
        precondition(j >= 0 && j < columns, "Matrix column \(j) out of range 0..<\(columns)")
        return (0..<rows).map { elements[$0 * columns + j] }
    }

    /// `true` when the matrix is square and `|aᵢⱼ − aⱼᵢ| ≤ tolerance · max(1, ‖A‖_max)` for all `i, j`.
    ///
    /// - Parameters:
    ///   - tolerance: relative tolerance (0 demands exact symmetry).
    public func isSymmetric(tolerance: Double = 0) -> Bool {
        guard isSquare else { return false }
        let scale = max(1, elements.lazy.map { abs($0) }.max() ?? 0)
        for i in 0..<rows {
            for j in 0..<i where !(abs(elements[i * columns + j] - elements[j * columns + i]) <= tolerance * scale) {
                return false
            }
        }
        return true
    }

    /// The transpose `Aᵀ`, a `columns × rows` matrix.
    public var transpose: Matrix {
        var t = [Double](repeating: 0, count: elements.count)
        for i in 0..<rows {
            for j in 0..<columns { t[j * rows + i] = elements[i * columns + j] }
        }
        return Matrix(unchecked: columns, rows, t)
    }

    /// The elements in column-major order (Fortran order), `elements` of `Aᵀ`.
    public var columnMajorElements: [Double] { transpose.elements }

    /// Throws `nonFiniteInput` unless every element is finite.
    func requireFinite(_ operation: String) throws(LinearAlgebraError) {
        guard isFinite else { throw .nonFiniteInput(operation: operation) }
    }

    /// Throws `notSquare` unless the matrix is square.
    func requireSquare(_ operation: String) throws(LinearAlgebraError) {
        guard isSquare else { throw .notSquare(operation: operation, rows: rows, columns: columns) }
    }
}

extension Matrix: CustomStringConvertible {
    /// The rows, one per line, for debugging.
    public var description: String {
        (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
    }
}
