internal import CSundials

// Setup steps shared by the owners of SUNDIALS objects (CVODEIntegrator, KINSOLSolver).

/// Throws ``SundialsError/setupFailed(function:code:)`` for a nonzero SUNDIALS flag.
func checkFlag(_ flag: Int32, _ function: String) throws(SundialsError) {
    if flag != 0 { throw .setupFailed(function: function, code: flag) }
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
