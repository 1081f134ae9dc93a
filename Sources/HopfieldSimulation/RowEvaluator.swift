import Hopfield

/// What the explicit integrator needs from a network: the vector field of `m` states at once (rows of a
/// `[m, n]` buffer), and at accepted steps the energy, its analytic rate and its gradient as well.
protocol RowEvaluator: AnyObject {
    /// The length of one state, `n`.
    var dimension: Int { get }
    /// `Ẋ` for the rows of `x`.
    func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>)
    /// `Ẋ`, `E_b`, `dE_b/dt` and `∂E/∂x` for the rows of `x`.
    func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>)
}

/// Dense and dot synapses: two GEMMs per synapse for all rows, the energy from the same products.
extension BatchedEvaluator: RowEvaluator {}

/// Any network (Euclidean and Manhattan synapses too): one ``NetworkEvaluator`` call per row; the
/// energy and its rate take one more evaluation per row.
final class RowwiseEvaluator: RowEvaluator {
    let evaluator: NetworkEvaluator
    let dimension: Int
    private let network: Network
    private let taus: [Double]

    init(network: Network) {
        self.network = network
        evaluator = NetworkEvaluator(network: network)
        dimension = network.dimension
        taus = network.layers.map(\.tau)
    }

    func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>) {
        let n = dimension
        for b in 0 ..< (n > 0 ? x.count / n : 0) {
            evaluator.vectorField(
                UnsafeBufferPointer(rebasing: x[b * n ..< (b + 1) * n]),
                into: UnsafeMutableBufferPointer(rebasing: xdot[b * n ..< (b + 1) * n]))
        }
    }

    func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        vectorField(x, into: xdot)
        let n = dimension
        for b in 0 ..< (n > 0 ? x.count / n : 0) {
            let row = UnsafeBufferPointer(rebasing: x[b * n ..< (b + 1) * n])
            (energies[b], rates[b]) = evaluator.energyAndRate(row)
            // ∂E/∂x_A = −H_A r_A = −τ_A H_A ẋ_A
            for (a, layer) in network.layers.enumerated() {
                let range = network.range(ofLayer: a)
                let shifted = (b * n + range.lowerBound) ..< (b * n + range.upperBound)
                layer.lagrangian.hessianVectorProduct(
                    at: UnsafeBufferPointer(rebasing: x[shifted]), UnsafeBufferPointer(rebasing: xdot[shifted]),
                    into: UnsafeMutableBufferPointer(rebasing: gradients[shifted]))
                for i in shifted { gradients[i] *= -taus[a] }
            }
        }
    }
}
