internal import CSundials

/// The Swift side of CVODE's callbacks: the user's closures and the first error they threw.
///
/// An ``CVODEIntegrator`` owns one box, retained through `Unmanaged` and handed to CVODE as
/// `user_data`; the `@convention(c)` trampolines below recover it, call the closure inside
/// `do`/`catch`, park a thrown error here and return −1 (unrecoverable) so CVODE stops.
final class CVODECallbackBox {
    /// The state dimension `n`.
    let dimension: Int
    /// `f(t, y)`.
    let vectorField: VectorFieldFunction
    /// `∂f/∂y`, column-major, or `nil`.
    let jacobian: DenseJacobianFunction?
    /// `(∂f/∂y) v`, or `nil`.
    let jacobianVectorProduct: JacobianVectorProductFunction?
    /// The first error a callback threw, rethrown as a status after `CVode` returns.
    private(set) var parkedError: (any Error)?

    init(problem: ODEProblem) {
        dimension = problem.initialState.count
        vectorField = problem.vectorField
        jacobian = problem.jacobian
        jacobianVectorProduct = problem.jacobianVectorProduct
    }

    /// Keeps the first error thrown by a callback.
    func park(_ error: any Error) {
        if parkedError == nil { parkedError = error }
    }
}

/// The data of a serial `N_Vector` — or this process's part of a parallel one — as `count` doubles, or
/// `nil` for a null vector (`N_VGetArrayPointer`).
@inline(__always)
func serialBuffer(_ vector: N_Vector?, count: Int) -> UnsafeMutableBufferPointer<Double>? {
    guard let vector, let data = csundials_nv_array(vector) else { return nil }
    return UnsafeMutableBufferPointer(start: data, count: count)
}

/// Recovers the callback box from CVODE's `user_data`.
@inline(__always)
private func callbackBox(_ userData: UnsafeMutableRawPointer?) -> CVODECallbackBox? {
    guard let userData else { return nil }
    return Unmanaged<CVODECallbackBox>.fromOpaque(userData).takeUnretainedValue()
}

/// `CVRhsFn`: `ydot = f(t, y)`. Returns 0, or −1 after parking a thrown error.
func cvodeRightHandSide(
    _ t: sunrealtype, _ y: N_Vector?, _ ydot: N_Vector?, _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let box = callbackBox(userData),
        let yBuffer = serialBuffer(y, count: box.dimension),
        let ydotBuffer = serialBuffer(ydot, count: box.dimension)
    else { return -1 }
    do {
        try box.vectorField(t, UnsafeBufferPointer(yBuffer), ydotBuffer)
        return 0
    } catch {
        box.park(error)
        return -1
    }
}

/// `CVLsJacFn`: fills CVODE's dense matrix (column-major data) with `∂f/∂y`.
func cvodeDenseJacobian(
    _ t: sunrealtype, _ y: N_Vector?, _ fy: N_Vector?, _ matrix: SUNMatrix?,
    _ userData: UnsafeMutableRawPointer?, _ tmp1: N_Vector?, _ tmp2: N_Vector?, _ tmp3: N_Vector?
) -> Int32 {
    guard let box = callbackBox(userData), let jacobian = box.jacobian,
        let yBuffer = serialBuffer(y, count: box.dimension),
        let matrix, let data = csundials_dense_data(matrix),
        csundials_dense_rows(matrix) == box.dimension, csundials_dense_columns(matrix) == box.dimension
    else { return -1 }
    do {
        try jacobian(
            t, UnsafeBufferPointer(yBuffer),
            UnsafeMutableBufferPointer(start: data, count: box.dimension * box.dimension))
        return 0
    } catch {
        box.park(error)
        return -1
    }
}

/// `CVLsJacTimesVecFn`: `Jv = (∂f/∂y)(t, y) v`.
func cvodeJacobianTimesVector(
    _ v: N_Vector?, _ jv: N_Vector?, _ t: sunrealtype, _ y: N_Vector?, _ fy: N_Vector?,
    _ userData: UnsafeMutableRawPointer?, _ tmp: N_Vector?
) -> Int32 {
    guard let box = callbackBox(userData), let product = box.jacobianVectorProduct,
        let vBuffer = serialBuffer(v, count: box.dimension),
        let jvBuffer = serialBuffer(jv, count: box.dimension),
        let yBuffer = serialBuffer(y, count: box.dimension)
    else { return -1 }
    do {
        try product(t, UnsafeBufferPointer(yBuffer), UnsafeBufferPointer(vBuffer), jvBuffer)
        return 0
    } catch {
        box.park(error)
        return -1
    }
}

/// `CVErrHandlerFn` that discards CVODE's messages: failures come back as statuses instead.
func cvodeSilentErrorHandler(
    _ code: Int32, _ module: UnsafePointer<CChar>?, _ function: UnsafePointer<CChar>?,
    _ message: UnsafeMutablePointer<CChar>?, _ userData: UnsafeMutableRawPointer?
) {}
