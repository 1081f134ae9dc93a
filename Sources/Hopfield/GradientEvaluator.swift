/// Evaluates a ``GradientModel`` for a batch of states (docs/math.md §7, §8):
///
///     ẋ_i = −τ_i⁻¹ ∂E/∂x_i (free),  0 (clamped)      dE/dt = −Σ_{i free} τ_i⁻¹ (∂E/∂x_i)²
///     J v = −τ⁻¹ ∇²E v  (zero at clamped units)       J = −τ⁻¹ ∇²E  (zero rows at clamped units)
///
/// Each term's kernels run on the whole batch with GEMMs; every workspace is allocated here. For a
/// distributed model (``GradientModel/distributed(over:)``) every evaluation is collective: each memory
/// term ends in its reductions, so every process must call the same methods with the same batch sizes.
public final class GradientEvaluator: ModelEvaluator {
    public let dimension: Int
    public let capacity: Int
    let workspaces: [any EnergyTermWorkspace]
    /// `τ_i⁻¹`, 0 at clamped units.
    let rates: [Double]
    var gradient: [Double]
    var product: [Double]

    /// Creates an evaluator with workspaces for up to `capacity` states.
    ///
    /// - Parameters:
    ///   - model: the model.
    ///   - capacity: the largest batch (at least 1).
    public init(model: GradientModel, capacity: Int) {
        let capacity = max(1, capacity)
        let n = model.dimension
        self.dimension = n
        self.capacity = capacity
        var workspaces: [any EnergyTermWorkspace] = []
        for (k, term) in model.terms.enumerated() {
            let variable = model.variables[model.variableIndex(ofTerm: k)]
            switch term {
            case .quadratic(let t):
                workspaces.append(QuadraticWorkspace(n: n, offset: variable.offset, size: variable.size, bias: t.bias))
            case .lse(let t):
                workspaces.append(
                    LogSumExpWorkspace(
                        n: n, offset: variable.offset, size: variable.size, term: t, capacity: capacity,
                        reduction: model.reduction))
            case .randomFeatures(let t):
                let resolved = model.features[k]!
                workspaces.append(
                    RandomFeatureWorkspace(
                        n: n, offset: variable.offset, size: variable.size, term: t, matrix: resolved.matrix,
                        sum: resolved.sum, totalFeatures: resolved.totalFeatures, capacity: capacity,
                        reduction: model.reduction))
            }
        }
        self.workspaces = workspaces
        rates = zip(model.timeConstants, model.clampMask).map { $1 ? 0 : 1 / $0 }
        gradient = [Double](repeating: 0, count: capacity * n)
        product = [Double](repeating: 0, count: capacity * n)
    }

    /// The number of states in a buffer of `count` entries.
    private func rows(_ count: Int) -> Int {
        precondition(count % dimension == 0 && count / dimension <= capacity, "batch larger than the capacity")
        return count / dimension
    }

    /// `∇E` of every row into `gradient` (all units, clamped ones included).
    private func fillGradient(_ x: UnsafePointer<Double>, rows: Int, energies: UnsafeMutablePointer<Double>?) {
        gradient.withUnsafeMutableBufferPointer { g in
            for k in 0 ..< rows * dimension { g[k] = 0 }
            for w in workspaces { w.add(x, rows: rows, energies: energies, gradients: g.baseAddress!) }
        }
    }

    public func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>) {
        let b = rows(x.count)
        fillGradient(x.baseAddress!, rows: b, energies: nil)
        let n = dimension
        for r in 0 ..< b {
            for i in 0 ..< n { xdot[r * n + i] = -rates[i] * gradient[r * n + i] }
        }
    }

    public func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates dEdt: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        let b = rows(x.count)
        for r in 0 ..< b { energies[r] = 0 }
        fillGradient(x.baseAddress!, rows: b, energies: energies.baseAddress!)
        let n = dimension
        for r in 0 ..< b {
            var rate = 0.0
            for i in 0 ..< n {
                let g = gradient[r * n + i]
                let f = -rates[i] * g
                xdot[r * n + i] = f
                gradients[r * n + i] = rates[i] == 0 ? 0 : g
                rate += f * g
            }
            dEdt[r] = rate
        }
    }

    public func energies(_ x: UnsafeBufferPointer<Double>, into energies: UnsafeMutableBufferPointer<Double>) {
        let b = rows(x.count)
        for r in 0 ..< b { energies[r] = 0 }
        for w in workspaces { w.add(x.baseAddress!, rows: b, energies: energies.baseAddress!, gradients: nil) }
    }

    public func jacobianVectorProduct(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
        into jv: UnsafeMutableBufferPointer<Double>
    ) {
        let b = rows(x.count)
        let n = dimension
        product.withUnsafeMutableBufferPointer { hv in
            for k in 0 ..< b * n { hv[k] = 0 }
            for w in workspaces {
                w.addHessianVectorProduct(x.baseAddress!, v.baseAddress!, rows: b, into: hv.baseAddress!)
            }
        }
        for r in 0 ..< b {
            for i in 0 ..< n { jv[r * n + i] = -rates[i] * product[r * n + i] }
        }
    }

    public func jacobian(at x: UnsafeBufferPointer<Double>, into jacobian: UnsafeMutableBufferPointer<Double>) {
        let n = dimension
        precondition(x.count == n && jacobian.count >= n * n)
        for k in 0 ..< n * n { jacobian[k] = 0 }
        for w in workspaces { w.addHessian(x.baseAddress!, into: jacobian.baseAddress!) }
        for j in 0 ..< n {
            for i in 0 ..< n { jacobian[i + j * n] *= -rates[i] }
        }
    }

    /// The energy gradient `∇E` of every row (all units, clamped ones included), row-major `[B, n]`.
    ///
    /// - Parameters:
    ///   - x: the states, `[B, n]`.
    ///   - gradients: the output, `[B, n]`.
    public func energyGradients(_ x: UnsafeBufferPointer<Double>, into gradients: UnsafeMutableBufferPointer<Double>) {
        let b = rows(x.count)
        fillGradient(x.baseAddress!, rows: b, energies: nil)
        for k in 0 ..< b * dimension { gradients[k] = gradient[k] }
    }

    /// The Hessian–vector products `∇²E(x_b) v_b` of every row (all units), row-major `[B, n]`.
    public func hessianVectorProducts(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
        into hv: UnsafeMutableBufferPointer<Double>
    ) {
        let b = rows(x.count)
        for k in 0 ..< b * dimension { hv[k] = 0 }
        for w in workspaces { w.addHessianVectorProduct(x.baseAddress!, v.baseAddress!, rows: b, into: hv.baseAddress!) }
    }

    /// The dense Hessian `∇²E(x)` of ONE state, column-major `n × n` (symmetric).
    public func hessian(at x: UnsafeBufferPointer<Double>, into hessian: UnsafeMutableBufferPointer<Double>) {
        let n = dimension
        precondition(x.count == n && hessian.count >= n * n)
        for k in 0 ..< n * n { hessian[k] = 0 }
        for w in workspaces { w.addHessian(x.baseAddress!, into: hessian.baseAddress!) }
    }
}
