/// The batched kernels of one energy term of a ``GradientModel``, with their workspaces.
///
/// Every method reads rows of a row-major `[rows, n]` buffer (`n` the model's dimension), touches only
/// the term's variable (its `offset ..< offset + size` columns) and ADDS its contribution to the outputs.
/// Nothing allocates after the initialiser.
protocol EnergyTermWorkspace: AnyObject {
    /// Adds the term's energy of every row to `energies` (when given) and its gradient to `gradients`
    /// (when given, `[rows, n]`).
    func add(
        _ x: UnsafePointer<Double>, rows: Int, energies: UnsafeMutablePointer<Double>?,
        gradients: UnsafeMutablePointer<Double>?)
    /// Adds `∇²E(x_b) v_b` of every row to `hv` (`[rows, n]`).
    func addHessianVectorProduct(
        _ x: UnsafePointer<Double>, _ v: UnsafePointer<Double>, rows: Int, into hv: UnsafeMutablePointer<Double>)
    /// Adds the dense Hessian `∇²E(x)` of ONE state to `hessian` (`n × n`, symmetric).
    func addHessian(_ x: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>)
}

/// `½‖x‖² − b·x`.
final class QuadraticWorkspace: EnergyTermWorkspace {
    let n: Int
    let offset: Int
    let size: Int
    let bias: [Double]

    init(n: Int, offset: Int, size: Int, bias: [Double]) {
        self.n = n
        self.offset = offset
        self.size = size
        self.bias = bias.isEmpty ? [Double](repeating: 0, count: size) : bias
    }

    func add(
        _ x: UnsafePointer<Double>, rows: Int, energies: UnsafeMutablePointer<Double>?,
        gradients: UnsafeMutablePointer<Double>?
    ) {
        bias.withUnsafeBufferPointer { b in
            for r in 0 ..< rows {
                let xr = x + r * n + offset
                if let energies {
                    var e = 0.0
                    for i in 0 ..< size { e += xr[i] * (0.5 * xr[i] - b[i]) }
                    energies[r] += e
                }
                if let gradients {
                    let gr = gradients + r * n + offset
                    for i in 0 ..< size { gr[i] += xr[i] - b[i] }
                }
            }
        }
    }

    func addHessianVectorProduct(
        _ x: UnsafePointer<Double>, _ v: UnsafePointer<Double>, rows: Int, into hv: UnsafeMutablePointer<Double>
    ) {
        for r in 0 ..< rows {
            let vr = v + r * n + offset
            let hr = hv + r * n + offset
            for i in 0 ..< size { hr[i] += vr[i] }
        }
    }

    func addHessian(_ x: UnsafePointer<Double>, into hessian: UnsafeMutablePointer<Double>) {
        for i in 0 ..< size { hessian[(offset + i) * (n + 1)] += 1 }
    }
}
