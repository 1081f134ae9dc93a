internal import CSundials

/// The Swift side of KINSOL's callbacks: the residual and Jacobian closures and the first error
/// they threw. A ``KINSOLSolver`` holds it through `Unmanaged` and passes it as `user_data`.
final class KINSOLCallbackBox {
    /// The system size `n`.
    let dimension: Int
    /// `F(x)`.
    let residual: NonlinearResidualFunction
    /// `∂F/∂x`, column-major, or `nil`.
    let jacobian: NonlinearJacobianFunction?
    /// The first error a callback threw.
    private(set) var parkedError: (any Error)?

    init(problem: NonlinearProblem) {
        dimension = problem.initialGuess.count
        residual = problem.residual
        jacobian = problem.jacobian
    }

    /// Keeps the first error thrown by a callback.
    func park(_ error: any Error) {
        if parkedError == nil { parkedError = error }
    }
}

/// Recovers the callback box from KINSOL's `user_data`.
@inline(__always)
private func callbackBox(_ userData: UnsafeMutableRawPointer?) -> KINSOLCallbackBox? {
    guard let userData else { return nil }
    return Unmanaged<KINSOLCallbackBox>.fromOpaque(userData).takeUnretainedValue()
}

/// `KINSysFn`: `fval = F(uu)`. Returns 0, or −1 (unrecoverable) after parking a thrown error.
func kinsolResidual(_ u: N_Vector?, _ fval: N_Vector?, _ userData: UnsafeMutableRawPointer?) -> Int32 {
    guard let box = callbackBox(userData),
        let uBuffer = serialBuffer(u, count: box.dimension),
        let fBuffer = serialBuffer(fval, count: box.dimension)
    else { return -1 }
    do {
        try box.residual(UnsafeBufferPointer(uBuffer), fBuffer)
        return 0
    } catch {
        box.park(error)
        return -1
    }
}

/// `KINLsJacFn`: fills KINSOL's dense matrix (column-major data) with `∂F/∂x`.
func kinsolDenseJacobian(
    _ u: N_Vector?, _ fu: N_Vector?, _ matrix: SUNMatrix?, _ userData: UnsafeMutableRawPointer?,
    _ tmp1: N_Vector?, _ tmp2: N_Vector?
) -> Int32 {
    guard let box = callbackBox(userData), let jacobian = box.jacobian,
        let uBuffer = serialBuffer(u, count: box.dimension),
        let matrix, let data = csundials_dense_data(matrix),
        csundials_dense_rows(matrix) == box.dimension, csundials_dense_columns(matrix) == box.dimension
    else { return -1 }
    do {
        try jacobian(
            UnsafeBufferPointer(uBuffer),
            UnsafeMutableBufferPointer(start: data, count: box.dimension * box.dimension))
        return 0
    } catch {
        box.park(error)
        return -1
    }
}

/// `KINErrHandlerFn` that discards KINSOL's messages: failures come back as statuses instead.
func kinsolSilentErrorHandler(
    _ code: Int32, _ module: UnsafePointer<CChar>?, _ function: UnsafePointer<CChar>?,
    _ message: UnsafeMutablePointer<CChar>?, _ userData: UnsafeMutableRawPointer?
) {}

/// `KINInfoHandlerFn` that discards KINSOL's progress messages.
func kinsolSilentInfoHandler(
    _ module: UnsafePointer<CChar>?, _ function: UnsafePointer<CChar>?,
    _ message: UnsafeMutablePointer<CChar>?, _ userData: UnsafeMutableRawPointer?
) {}
