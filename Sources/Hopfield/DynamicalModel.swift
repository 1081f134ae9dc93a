/// A named part of a model's flat state: a layer of a Lagrangian network or a variable of a
/// gradient-flow model.
///
/// The flat state of a model is the concatenation of its variables in order; variable `v` occupies
/// `offset ..< offset + size`.
public struct ModelVariable: Sendable, Hashable {
    /// The variable's name (unique within its model).
    public var name: String
    /// Its shape; a 2-D shape marks an image. `size` is the product.
    public var shape: [Int]
    /// Where it starts in the flat state.
    public var offset: Int

    /// Creates a variable description.
    public init(name: String, shape: [Int], offset: Int) {
        self.name = name
        self.shape = shape
        self.offset = offset
    }

    /// The number of units, the product of ``shape``.
    public var size: Int { shape.reduce(1, *) }
    /// The flat-state index range of the variable.
    public var range: Range<Int> { offset ..< offset + size }
}

/// The one seam between models and everything that integrates, monitors or analyses them.
///
/// A model is an ODE on a flat state `x ∈ Rⁿ` with a Lyapunov function (its energy `E`):
///
///     ẋ = f(x),     dE/dt = ∇E(x) · f(x) ≤ 0
///
/// Clamped units (``clampMask``) keep their initial value: `f_i = 0`, the Jacobian has zero rows there,
/// and sums that define `dE/dt` run over the free units only (docs/math.md §7). A Lagrangian
/// ``Network`` and the gradient-flow models are the implementations; integrators, monitors, steady
/// states and spectra use only this protocol and ``ModelEvaluator``.
public protocol DynamicalModel: Sendable {
    /// The named parts of the flat state, in order.
    var variables: [ModelVariable] { get }
    /// The length of the flat state, `n`.
    var dimension: Int { get }
    /// The time constant of every unit, `n` entries.
    var timeConstants: [Double] { get }
    /// Which units are clamped (`true`), `n` entries; all `false` when nothing is clamped.
    var clampMask: [Bool] { get }
    /// The number of multiply–adds in one vector-field evaluation of one state that batched products
    /// (GEMM) can share across a batch, e.g. `Σ_{P→Q} n_P n_Q` for a network's dense synapses, `K·D` for
    /// a log-sum-exp memory, `Y·D` for random features; 0 when nothing is batched. Strategies use it to
    /// decide between one threaded batch and batches split over cores.
    var batchedWork: Int { get }
    /// Whether ``makeEvaluator(capacity:)``'s evaluations of several states share matrix–matrix
    /// products (true), or run one state at a time.
    var evaluatesBatches: Bool { get }
    /// A new evaluator with workspaces for up to `capacity` states (at least 1).
    func makeEvaluator(capacity: Int) -> any ModelEvaluator
    /// Whether every evaluation is a collective call over several processes (a model whose memories
    /// are split over processes, ``PartialReduction``): its evaluators must then be called from one
    /// thread, in the same order on every process, so integrators run its trajectories one after the
    /// other. False by default.
    var evaluatesCollectively: Bool { get }
}

extension DynamicalModel {
    public var evaluatesCollectively: Bool { false }
    /// The variable with this name.
    public func variable(named name: String) -> ModelVariable? { variables.first { $0.name == name } }
    /// Whether any unit is clamped.
    public var hasClampedUnits: Bool { clampMask.contains(true) }
}

/// Evaluates a ``DynamicalModel`` for a batch of states: the rows of a row-major `[B, n]` buffer
/// (`B ≤ capacity`; a single state is a batch of one).
///
/// Implementations allocate every workspace in their initialiser: no method allocates. An evaluator is
/// not thread-safe; make one per thread. Output buffers must not overlap inputs. Clamped units: every
/// output row is zero at clamped units (vector field, Jacobian–vector product, gradient of the monitor),
/// and ``jacobian(at:into:)`` has zero rows there.
public protocol ModelEvaluator: AnyObject {
    /// The length of one state, `n`.
    var dimension: Int { get }
    /// The largest batch the workspaces hold.
    var capacity: Int { get }

    /// `Ẋ`, one row per state.
    func vectorField(_ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>)

    /// `Ẋ` and, from the same products where possible, the energy `E_b`, its analytic rate `dE_b/dt`
    /// and the gradient `∂E/∂x` (zero at clamped units) of every state: what an energy monitor needs at
    /// an accepted step.
    func vectorField(
        _ x: UnsafeBufferPointer<Double>, into xdot: UnsafeMutableBufferPointer<Double>,
        energies: UnsafeMutableBufferPointer<Double>, rates: UnsafeMutableBufferPointer<Double>,
        gradients: UnsafeMutableBufferPointer<Double>)

    /// The energy `E_b` of every state.
    func energies(_ x: UnsafeBufferPointer<Double>, into energies: UnsafeMutableBufferPointer<Double>)

    /// The Jacobian–vector products `J(x_b) v_b`, one row per state.
    func jacobianVectorProduct(
        at x: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>,
        into jv: UnsafeMutableBufferPointer<Double>)

    /// The dense Jacobian `∂ẋ_i/∂x_j` of ONE state (`n` entries in `x`), column-major `n × n`
    /// (`jacobian[i + j n]`, CVODE's layout).
    func jacobian(at x: UnsafeBufferPointer<Double>, into jacobian: UnsafeMutableBufferPointer<Double>)
}
