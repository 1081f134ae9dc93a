/// A Lagrangian network is the first ``DynamicalModel``: its layers are the variables, its flow
/// `τ ẋ = b − x + C g(x)` the vector field and its energy the Lyapunov function (docs/math.md §1, §7).
extension Network: DynamicalModel {
    /// One variable per layer, in order, with the layer's name and shape.
    public var variables: [ModelVariable] {
        layers.indices.map { ModelVariable(name: layers[$0].name, shape: layers[$0].shape, offset: offsets[$0]) }
    }

    /// Every unit's clamp flag, in the flat layout (``Layer/clamp``; `false` where a layer has none).
    public var clampMask: [Bool] {
        layers.flatMap { $0.clamp.isEmpty ? Array(repeating: false, count: $0.size) : $0.clamp }
    }

    /// `Σ_{P→Q} n_P n_Q` when every synapse is bilinear (the products a batch shares), else 0.
    public var batchedWork: Int { isBilinear ? weightCount : 0 }

    /// Bilinear networks (dense and dot synapses) evaluate a batch with matrix–matrix products;
    /// Euclidean and Manhattan similarity synapses go one state at a time.
    public var evaluatesBatches: Bool { isBilinear }

    /// The network's evaluator for up to `capacity` states (see ``NetworkModelEvaluator``).
    public func makeEvaluator(capacity: Int) -> any ModelEvaluator {
        NetworkModelEvaluator(network: self, capacity: capacity)
    }
}

/// The ``ModelEvaluator`` of a ``Network``: one copy of the weights, evaluated by the batched kernels
/// where the synapses allow, row by row otherwise, with the clamp mask applied on top.
///
/// | quantity | bilinear synapses | Euclidean / Manhattan similarity synapses |
/// |---|---|---|
/// | vector field, `J v`, energies | ``BatchedEvaluator`` (two GEMMs per synapse; GEMV for one state) | ``NetworkEvaluator``, row by row |
/// | dense Jacobian (one state) | ``NetworkEvaluator`` | ``NetworkEvaluator`` |
///
/// Both kernels read the same biases and weights (copied once, in `init`). Clamped units
/// (``Layer/clamp``): their rows of `ẋ`, `J v`, `J` and `∂E/∂x` are zero, and the energy rate is the
/// exact `dE/dt = Σ_{i free} (∂E/∂x_i) ẋ_i` along the clamped flow (docs/math.md §7).
/// Not thread-safe; make one per thread.
public final class NetworkModelEvaluator: ModelEvaluator {
    /// The network evaluated.
    public let network: Network
    public let dimension: Int
    public let capacity: Int
    /// The batched kernels (nil unless every synapse is bilinear).
    let batched: BatchedEvaluator?
    /// The single-state kernels: the dense Jacobian, and every quantity of non-bilinear networks.
    let single: NetworkEvaluator
    /// The clamped units' indices in the flat state (empty when nothing is clamped).
    let clamped: [Int]

    /// Prepares the evaluator: one copy of the biases and weights, workspaces for `capacity` states.
    ///
    /// - Parameters:
    ///   - network: a validated network.
    ///   - capacity: the largest batch (at least 1).
    public init(network: Network, capacity: Int) {
        precondition(capacity >= 1, "NetworkModelEvaluator: capacity must be ≥ 1, got \(capacity)")
        self.network = network
        dimension = network.dimension
        self.capacity = capacity
        let storage = NetworkStorage(network: network)
        batched = network.isBilinear ? BatchedEvaluator(network: network, capacity: capacity, storage: storage) : nil
        single = NetworkEvaluator(network: network, storage: storage)
        clamped = network.clampMask.indices.filter { network.clampMask[$0] }
    }

    public func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>) {
        if let batched {
            batched.vectorField(x, into: xdot)
        } else {
            forEachRow(x) { b, row in single.vectorField(row, into: self.row(b, of: xdot)) }
        }
        zeroClamped(xdot)
    }

    public func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        if let batched {
            batched.vectorField(x, into: xdot, energies: energies, rates: rates, gradients: gradients)
        } else {
            rowwiseMonitored(x, into: xdot, energies: energies, rates: rates, gradients: gradients)
        }
        guard !clamped.isEmpty else { return }
        // dE/dt = Σ_{i free} ∂E/∂x_i ẋ_i along the clamped flow; ∂E/∂x = −H r needs the unclamped ẋ.
        let n = dimension
        for b in 0 ..< rowCount(x) {
            let start = b * n
            var rate = 0.0
            for i in start ..< start + n { rate += gradients[i] * xdot[i] }
            for i in clamped { rate -= gradients[start + i] * xdot[start + i] }
            rates[b] = rate
        }
        zeroClamped(xdot)
        zeroClamped(gradients)
    }

    public func energies(_ x: UnsafeBufferPointer<Double>, into energies: UnsafeMutableBufferPointer<Double>) {
        if let batched {
            batched.energies(x, into: energies)
        } else {
            forEachRow(x) { b, row in energies[b] = single.energy(row) }
        }
    }

    public func jacobianVectorProduct(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
        into jv: UnsafeMutableBufferPointer<Double>
    ) {
        if let batched {
            batched.jacobianVectorProduct(at: x, v, into: jv)
        } else {
            let n = dimension
            forEachRow(x) { b, row in
                single.jacobianVectorProduct(
                    at: row, UnsafeBufferPointer(rebasing: v[b * n ..< (b + 1) * n]), into: self.row(b, of: jv))
            }
        }
        zeroClamped(jv)
    }

    public func jacobian(at x: UnsafeBufferPointer<Double>, into jacobian: UnsafeMutableBufferPointer<Double>) {
        single.jacobian(at: x, into: jacobian)
        let n = dimension
        for i in clamped {
            for j in 0 ..< n { jacobian[i + j * n] = 0 }
        }
    }

    // MARK: Internals

    /// Row-wise `Ẋ`, energies, rates and `∂E/∂x_A = −τ_A H_A ẋ_A` (unclamped).
    private func rowwiseMonitored(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>
    ) {
        let n = dimension
        forEachRow(x) { b, row in
            single.vectorField(row, into: self.row(b, of: xdot))
            (energies[b], rates[b]) = single.energyAndRate(row)
            for (a, layer) in network.layers.enumerated() {
                let range = network.range(ofLayer: a)
                let shifted = (b * n + range.lowerBound) ..< (b * n + range.upperBound)
                layer.lagrangian.hessianVectorProduct(
                    at: UnsafeBufferPointer(rebasing: x[shifted]), UnsafeBufferPointer(rebasing: xdot[shifted]),
                    into: UnsafeMutableBufferPointer(rebasing: gradients[shifted]))
                for i in shifted { gradients[i] *= -layer.tau }
            }
        }
    }

    @inline(__always)
    private func rowCount(_ x: UnsafeBufferPointer<Double>) -> Int {
        let n = dimension
        precondition(n > 0 ? x.count % n == 0 : x.count == 0, "state buffer of \(x.count) entries is not [B, \(n)]")
        let count = n > 0 ? x.count / n : 0
        precondition(count <= capacity, "batch of \(count) states exceeds the capacity \(capacity)")
        return count
    }

    @inline(__always)
    private func forEachRow(_ x: UnsafeBufferPointer<Double>, _ body: (Int, UnsafeBufferPointer<Double>) -> Void) {
        let n = dimension
        for b in 0 ..< rowCount(x) { body(b, UnsafeBufferPointer(rebasing: x[b * n ..< (b + 1) * n])) }
    }

    @inline(__always)
    private func row(_ b: Int, of y: UnsafeMutableBufferPointer<Double>) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: y[b * dimension ..< (b + 1) * dimension])
    }

    /// Sets the clamped units of every row of `y` to 0.
    @inline(__always)
    private func zeroClamped(_ y: UnsafeMutableBufferPointer<Double>) {
        guard !clamped.isEmpty else { return }
        let n = dimension
        var start = 0
        while start + n <= y.count {
            for i in clamped { y[start + i] = 0 }
            start += n
        }
    }
}
