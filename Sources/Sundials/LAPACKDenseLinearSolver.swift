internal import CSundials
internal import LinearAlgebra

// A custom SUNDIALS direct linear solver over a dense SUNMatrix whose LU is LAPACK's `dgetrf`/`dgetrs`
// (OpenBLAS, through LinearAlgebra's `LUFactorization`). Debian's SUNDIALS 6.4 ships no LAPACK linear
// solver, and its own `SUNLinSol_Dense` uses a naive column LU that is ~50× slower at n ≈ 900.
//
// The solver is a `SUNLinSolNewEmpty` object with `@convention(c)` ops; its `content` is a retained
// `Unmanaged<LAPACKDenseContent>`, released by the `free` op (which then calls `SUNLinSolFreeEmpty`), so
// the owner frees it with the usual `SUNLinSolFree`.

/// Which LU factors CVODE's and KINSOL's dense matrices (internal: SUNDIALS' own LU stays reachable for
/// comparison tests only).
enum DenseFactorization: Sendable, Equatable {
    /// LAPACK `dgetrf`/`dgetrs` through ``makeLAPACKDenseLinearSolver(dimension:context:)`` (the default).
    case lapack
    /// SUNDIALS' own `SUNLinSol_Dense`.
    case sundials
}

/// The Swift state behind the custom solver's `content` pointer.
final class LAPACKDenseContent {
    /// The matrix order `n`.
    let dimension: Int
    /// The pivots and the two LAPACK calls.
    let lu: LUFactorization
    /// The value `lastflag` reports: 0 after success, the 1-based zero pivot after `SUNLS_LUFACT_FAIL`,
    /// else the SUNLS error code of the last failed call.
    var lastFlag = 0

    init(dimension: Int) {
        self.dimension = dimension
        lu = LUFactorization(order: dimension)
    }
}

/// Creates the LAPACK dense linear solver for `n × n` dense matrices (C function `SUNLinSolNewEmpty`,
/// then its ops set to the functions below). Free it with `SUNLinSolFree`.
/// - Parameters:
///   - dimension: The order `n` of the dense `SUNMatrix` it will factor.
///   - context: The SUNDIALS context.
/// - Throws: ``SundialsError/allocationFailed(_:)`` when `SUNLinSolNewEmpty` fails.
func makeLAPACKDenseLinearSolver(dimension: Int, context: SUNContext?) throws(SundialsError) -> SUNLinearSolver {
    guard let solver = SUNLinSolNewEmpty(context), let ops = solver.pointee.ops else {
        throw .allocationFailed("SUNLinSolNewEmpty")
    }
    solver.pointee.content = Unmanaged.passRetained(LAPACKDenseContent(dimension: dimension)).toOpaque()
    ops.pointee.gettype = lapackDenseGetType
    ops.pointee.getid = lapackDenseGetID
    ops.pointee.initialize = lapackDenseInitialize
    ops.pointee.setup = lapackDenseSetup
    ops.pointee.solve = lapackDenseSolve
    ops.pointee.lastflag = lapackDenseLastFlag
    ops.pointee.space = lapackDenseSpace
    ops.pointee.free = lapackDenseFree
    return solver
}

/// Recovers the Swift content of a solver made by ``makeLAPACKDenseLinearSolver(dimension:context:)``.
@inline(__always)
private func lapackContent(_ solver: SUNLinearSolver?) -> LAPACKDenseContent? {
    guard let raw = solver?.pointee.content else { return nil }
    return Unmanaged<LAPACKDenseContent>.fromOpaque(raw).takeUnretainedValue()
}

/// The column-major data of a dense `n × n` SUNMatrix, or `nil` for another matrix type or shape.
@inline(__always)
private func denseData(_ matrix: SUNMatrix?, order n: Int) -> UnsafeMutablePointer<Double>? {
    guard let matrix, SUNMatGetID(matrix) == SUNMATRIX_DENSE,
        csundials_dense_rows(matrix) == n, csundials_dense_columns(matrix) == n
    else { return nil }
    return csundials_dense_data(matrix)
}

/// `gettype`: a matrix-based direct solver.
private func lapackDenseGetType(_ solver: SUNLinearSolver?) -> SUNLinearSolver_Type {
    SUNLINEARSOLVER_DIRECT
}

/// `getid`: not one of SUNDIALS' own solvers.
private func lapackDenseGetID(_ solver: SUNLinearSolver?) -> SUNLinearSolver_ID {
    SUNLINEARSOLVER_CUSTOM
}

/// `initialize`: nothing to allocate (the pivots exist since creation); clears the last flag.
private func lapackDenseInitialize(_ solver: SUNLinearSolver?) -> Int32 {
    guard let content = lapackContent(solver) else { return SUNLS_MEM_NULL }
    content.lastFlag = 0
    return SUNLS_SUCCESS
}

/// `setup`: factors `A = P L U` in place (`dgetrf`). A zero pivot returns `SUNLS_LUFACT_FAIL`
/// (recoverable: CVODE retries with a smaller step, KINSOL reports a setup failure) with the 1-based
/// pivot as `lastflag`; a NaN or infinite entry returns `SUNLS_PACKAGE_FAIL_REC`.
private func lapackDenseSetup(_ solver: SUNLinearSolver?, _ matrix: SUNMatrix?) -> Int32 {
    guard let content = lapackContent(solver) else { return SUNLS_MEM_NULL }
    guard let data = denseData(matrix, order: content.dimension) else {
        content.lastFlag = Int(SUNLS_ILL_INPUT)
        return SUNLS_ILL_INPUT
    }
    let code: Int32
    do throws(LinearAlgebraError) {
        try content.lu.factor(data, leadingDimension: max(1, content.dimension))
        content.lastFlag = 0
        return SUNLS_SUCCESS
    } catch .singular(let pivot) {
        content.lastFlag = pivot
        return SUNLS_LUFACT_FAIL
    } catch .nonFiniteInput {
        code = SUNLS_PACKAGE_FAIL_REC
    } catch {
        code = SUNLS_PACKAGE_FAIL_UNREC
    }
    content.lastFlag = Int(code)
    return code
}

/// `solve`: `x = A⁻¹ b` with the factors `setup` left in `A` (`dgetrs`); `tol` is ignored (direct solver).
private func lapackDenseSolve(
    _ solver: SUNLinearSolver?, _ matrix: SUNMatrix?, _ x: N_Vector?, _ b: N_Vector?, _ tol: sunrealtype
) -> Int32 {
    guard let content = lapackContent(solver) else { return SUNLS_MEM_NULL }
    let n = content.dimension
    guard let factors = denseData(matrix, order: n), let x, let b,
        let xData = csundials_nv_data(x), let bData = csundials_nv_data(b),
        csundials_nv_length(x) == n, csundials_nv_length(b) == n
    else {
        content.lastFlag = Int(SUNLS_MEM_NULL)
        return SUNLS_MEM_NULL
    }
    if xData != bData { xData.update(from: bData, count: n) }
    do throws(LinearAlgebraError) {
        try content.lu.solve(xData, factors: factors, leadingDimension: max(1, n))
        content.lastFlag = 0
        return SUNLS_SUCCESS
    } catch {
        content.lastFlag = Int(SUNLS_PACKAGE_FAIL_UNREC)
        return SUNLS_PACKAGE_FAIL_UNREC
    }
}

/// `lastflag`: see ``LAPACKDenseContent/lastFlag``.
private func lapackDenseLastFlag(_ solver: SUNLinearSolver?) -> sunindextype {
    sunindextype(lapackContent(solver)?.lastFlag ?? Int(SUNLS_MEM_NULL))
}

/// `space`: no real workspace; `n` integers for the pivots.
private func lapackDenseSpace(
    _ solver: SUNLinearSolver?, _ realWords: UnsafeMutablePointer<Int>?, _ integerWords: UnsafeMutablePointer<Int>?
) -> Int32 {
    guard let content = lapackContent(solver) else { return SUNLS_MEM_NULL }
    realWords?.pointee = 0
    integerWords?.pointee = content.dimension
    return SUNLS_SUCCESS
}

/// `free`: releases the Swift content, then the solver and its ops (`SUNLinSolFreeEmpty`).
private func lapackDenseFree(_ solver: SUNLinearSolver?) -> Int32 {
    guard let solver else { return SUNLS_SUCCESS }
    if let raw = solver.pointee.content {
        Unmanaged<LAPACKDenseContent>.fromOpaque(raw).release()
        solver.pointee.content = nil
    }
    SUNLinSolFreeEmpty(solver)
    return SUNLS_SUCCESS
}

/// What ``exerciseLAPACKDenseSolver(columnMajor:rightHandSide:)`` observed.
struct LAPACKDenseExercise {
    /// `SUNLinSolGetType`, `SUNLinSolGetID` are `SUNLINEARSOLVER_DIRECT`, `SUNLINEARSOLVER_CUSTOM`.
    var reportsDirectCustom: Bool
    /// The return codes of `SUNLinSolInitialize`, `SUNLinSolSetup` and (after a successful setup) `SUNLinSolSolve`.
    var initializeFlag: Int32, setupFlag: Int32, solveFlag: Int32?
    /// `SUNLinSolLastFlag` after the last call.
    var lastFlag: Int
    /// `x` of `A x = b` when the solve ran, else empty.
    var solution: [Double]
}

/// Drives the LAPACK solver through SUNDIALS' generic `SUNLinSol*` dispatch on one dense system, for tests
/// (and the valgrind scenarios): creates a context, `SUNDenseMatrix`, two serial vectors and the solver,
/// then frees them all.
/// - Parameters:
///   - columnMajor: `A`, `n²` entries column-major.
///   - rightHandSide: `b`, `n` entries.
/// - Returns: The flags and the solution, or `nil` when a SUNDIALS object could not be created.
func exerciseLAPACKDenseSolver(columnMajor: [Double], rightHandSide: [Double]) -> LAPACKDenseExercise? {
    let n = rightHandSide.count
    guard n > 0, columnMajor.count == n * n else { return nil }
    var context: SUNContext?
    guard (try? createContext(&context)) != nil else { return nil }
    defer { _ = SUNContext_Free(&context) }
    guard let a = SUNDenseMatrix(sunindextype(n), sunindextype(n), context) else { return nil }
    defer { SUNMatDestroy(a) }
    guard let x = try? newSerialVector(length: n, context: context) else { return nil }
    defer { N_VDestroy(x) }
    guard let b = try? newSerialVector(length: n, context: context) else { return nil }
    defer { N_VDestroy(b) }
    guard let solver = try? makeLAPACKDenseLinearSolver(dimension: n, context: context),
        let aData = csundials_dense_data(a), let bData = serialBuffer(b, count: n), let xData = serialBuffer(x, count: n)
    else { return nil }
    defer { _ = SUNLinSolFree(solver) }
    for k in 0 ..< n * n { aData[k] = columnMajor[k] }
    for i in 0 ..< n { bData[i] = rightHandSide[i] }
    var result = LAPACKDenseExercise(
        reportsDirectCustom: SUNLinSolGetType(solver) == SUNLINEARSOLVER_DIRECT
            && SUNLinSolGetID(solver) == SUNLINEARSOLVER_CUSTOM,
        initializeFlag: SUNLinSolInitialize(solver), setupFlag: SUNLinSolSetup(solver, a), solveFlag: nil,
        lastFlag: 0, solution: [])
    if result.setupFlag == SUNLS_SUCCESS {
        result.solveFlag = SUNLinSolSolve(solver, a, x, b, 0)
        result.solution = Array(xData)
    }
    result.lastFlag = Int(SUNLinSolLastFlag(solver))
    return result
}
