/// Errors thrown by the dense linear-algebra routines.
///
/// Shape problems, non-finite input and LAPACK `info` codes all become one of these cases;
/// nothing in `LinearAlgebra` traps on a bad shape.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An element buffer does not hold `rows × columns` values.
    case elementCountMismatch(expected: Int, actual: Int)
    /// Operand shapes do not agree (`operation` names the operation, `detail` the shapes).
    case shapeMismatch(operation: String, detail: String)
    /// The operation needs a square matrix.
    case notSquare(operation: String, rows: Int, columns: Int)
    /// The input holds a NaN or an infinity; LAPACK is never called on it.
    case nonFiniteInput(operation: String)
    /// A tolerance argument is negative or not finite.
    case invalidTolerance(Double)
    /// `U(i, i)` of the LU factorisation is exactly zero (LAPACK `dgesv`/`dgetrf` `info = i > 0`,
    /// reported here 1-based as LAPACK does): the matrix is singular.
    case singular(pivot: Int)
    /// The leading minor of order `order` is not positive definite (LAPACK `dpotrf` `info > 0`).
    case notPositiveDefinite(order: Int)
    /// An iterative LAPACK routine did not converge (`info > 0` from `dsyevd`, `dgeev`, `dgesdd`/`dgesvd`).
    case noConvergence(routine: String, info: Int)
    /// LAPACKE could not allocate its work memory (`LAPACK_WORK_MEMORY_ERROR`,
    /// `LAPACK_TRANSPOSE_MEMORY_ERROR`).
    case outOfMemory(routine: String)
    /// ``LUFactorization/solve(_:rightHandSides:factors:leadingDimension:)`` was called without a
    /// successful ``LUFactorization/factor(_:leadingDimension:)`` before it.
    case notFactored
    /// LAPACK rejected argument number `argument` (`info = −argument`); this is a bug in the wrapper.
    case invalidArgument(routine: String, argument: Int)

    public var description: String {
        switch self {
        case let .elementCountMismatch(expected, actual):
            return "matrix needs \(expected) elements but got \(actual)"
        case let .shapeMismatch(operation, detail):
            return "\(operation): shape mismatch (\(detail))"
        case let .notSquare(operation, rows, columns):
            return "\(operation) needs a square matrix, got \(rows)×\(columns)"
        case let .nonFiniteInput(operation):
            return "\(operation): input contains NaN or infinity"
        case let .invalidTolerance(tolerance):
            return "tolerance must be finite and non-negative, got \(tolerance)"
        case let .singular(pivot):
            return "matrix is singular (zero pivot U(\(pivot),\(pivot)))"
        case let .notPositiveDefinite(order):
            return "matrix is not positive definite (leading minor of order \(order))"
        case let .noConvergence(routine, info):
            return "\(routine) did not converge (info = \(info))"
        case let .outOfMemory(routine):
            return "\(routine): LAPACKE could not allocate work memory"
        case .notFactored:
            return "LU solve called before a successful factorization"
        case let .invalidArgument(routine, argument):
            return "\(routine): invalid argument \(argument) (wrapper bug)"
        }
    }
}
