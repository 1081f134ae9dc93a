internal import CSundials
#if canImport(Glibc)
import Glibc
#endif

// Setup steps shared by the owners of SUNDIALS objects (CVODEIntegrator, KINSOLSolver).

/// Throws ``SundialsError/setupFailed(function:code:)`` for a nonzero SUNDIALS flag, or
/// ``SundialsError/allocationFailed(_:)`` when the flag says memory ran out (`CV_MEM_FAIL` from CVODE,
/// `CVLS_MEM_FAIL` from `CVodeSetLinearSolver`, `KIN_MEM_FAIL`/`KINLS_MEM_FAIL` from KINSOL).
func checkFlag(_ flag: Int32, _ function: String) throws(SundialsError) {
    guard flag != 0 else { return }
    let memoryFailed = (function.hasPrefix("CVodeSetLinearSolver") && flag == CVLS_MEM_FAIL)
        || (function.hasPrefix("CVode") && flag == CV_MEM_FAIL)
        || (function.hasPrefix("KIN") && flag == KIN_MEM_FAIL)
    if memoryFailed { throw .allocationFailed(function) }
    throw .setupFailed(function: function, code: flag)
}

/// Creates an `n × n` dense matrix (C function `SUNDenseMatrix`) whose data really exists, after checking
/// that `copies` matrices of that size can be allocated now: SUNDIALS 6.4 does not check its `calloc` of
/// the data (a NULL data pointer would crash the first Jacobian), and CVODE later clones the matrix for its
/// saved Jacobian without a check either, so the probe (`malloc` then `free` of `copies · 8n²` bytes)
/// covers the clone.
/// - Throws: ``SundialsError/allocationFailed(_:)`` naming the size.
func newDenseMatrix(order n: Int, copies: Int, context: SUNContext?) throws(SundialsError) -> SUNMatrix {
    let what = "SUNDenseMatrix (\(n)×\(n))"
    let (square, o1) = n.multipliedReportingOverflow(by: n)
    let (bytes, o2) = square.multipliedReportingOverflow(by: 8 * max(1, copies))
    guard !o1, !o2, n <= Int(Int32.max) else { throw .allocationFailed(what) }
    guard let probe = malloc(bytes) else { throw .allocationFailed(what) }
    free(probe)
    guard let a = SUNDenseMatrix(sunindextype(n), sunindextype(n), context) else { throw .allocationFailed(what) }
    guard csundials_dense_data(a) != nil, SUNDenseMatrix_Cols(a) != nil else {
        SUNMatDestroy(a)
        throw .allocationFailed(what)
    }
    return a
}

/// Creates a SUNDIALS context into `context` (C function `SUNContext_Create`, no MPI communicator).
func createContext(_ context: inout SUNContext?) throws(SundialsError) {
    let flag = SUNContext_Create(nil, &context)
    guard flag == 0, context != nil else { throw .setupFailed(function: "SUNContext_Create", code: flag) }
}

/// Creates a serial vector of `length` entries (C function `N_VNew_Serial`).
func newSerialVector(length: Int, context: SUNContext?) throws(SundialsError) -> N_Vector {
    guard let vector = N_VNew_Serial(sunindextype(length), context) else { throw .allocationFailed("N_VNew_Serial") }
    return vector
}

/// Creates the dense direct linear solver for `matrix`: the LAPACK one
/// (``makeLAPACKDenseLinearSolver(dimension:context:)``) or SUNDIALS' own (`SUNLinSol_Dense`).
func newDenseLinearSolver(
    _ vector: N_Vector, _ matrix: SUNMatrix, dimension: Int, factorization: DenseFactorization, context: SUNContext?
) throws(SundialsError) -> SUNLinearSolver {
    switch factorization {
    case .lapack:
        return try makeLAPACKDenseLinearSolver(dimension: dimension, context: context)
    case .sundials:
        guard let ls = SUNLinSol_Dense(vector, matrix, context) else { throw .allocationFailed("SUNLinSol_Dense") }
        return ls
    }
}

/// Creates a vector split over the processes of MPI_COMM_WORLD (C function `N_VNew_Parallel`): this
/// process holds `layout.localLength` entries of `layout.globalLength`; norms and dot products reduce
/// over every process. MPI must be initialised.
func newParallelVector(_ layout: ParallelVectorLayout, context: SUNContext?) throws(SundialsError) -> N_Vector {
    guard let vector = N_VNew_Parallel(
        csundials_comm_world(), sunindextype(layout.localLength), sunindextype(layout.globalLength), context)
    else { throw .allocationFailed("N_VNew_Parallel") }
    return vector
}
